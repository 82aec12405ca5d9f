# The dashboard, headless, on the bundled demo data with an embedded SQLite store.
# It binds every interface on purpose (inside a container; publish the port with care: the
# dashboard has no sign-in). `scorecard dashboard` alone binds 127.0.0.1.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PIP_NO_CACHE_DIR=1 \
    NUMBA_CACHE_DIR=/tmp/numba_cache \
    SCORECARD_DB=sqlite:////var/lib/scorecard/scorecard.db \
    STREAMLIT_SERVER_ADDRESS=0.0.0.0 \
    STREAMLIT_SERVER_PORT=8501 \
    STREAMLIT_SERVER_HEADLESS=true \
    STREAMLIT_BROWSER_GATHER_USAGE_STATS=false

WORKDIR /app
COPY pyproject.toml constraints.txt README.md LICENSE ./
COPY scorecard ./scorecard
COPY app ./app
COPY data ./data
RUN pip install -c constraints.txt -e . \
    && useradd --create-home scorecard \
    && mkdir -p /var/lib/scorecard /tmp/numba_cache \
    && chown scorecard /var/lib/scorecard /tmp/numba_cache
USER scorecard

EXPOSE 8501
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD python -c "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:' + os.environ['STREAMLIT_SERVER_PORT'] + '/_stcore/health', timeout=4)"
CMD ["scorecard", "dashboard"]
