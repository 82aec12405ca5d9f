"""Streamlit entry point: the router and the shared sidebar. Run with `scorecard dashboard`."""

import sys
from pathlib import Path

import streamlit as st

sys.path.insert(0, str(Path(__file__).resolve().parent))  # pages import `state` and `charts`

import state  # noqa: E402

st.set_page_config(page_title="Scorecard", layout="wide")
st.sidebar.selectbox("Dataset", state.dataset_names(), key="dataset")

pages = [
    st.Page("views/characteristics.py", title="Characteristics", default=True),
    st.Page("views/binning.py", title="Binning"),
    st.Page("views/scorecard.py", title="Scorecard"),
    st.Page("views/fairness.py", title="Fairness"),
    st.Page("views/history.py", title="History"),
    st.Page("views/overview.py", title="Overview"),
    st.Page("views/monitoring.py", title="Monitoring"),
]
st.navigation(pages).run()
