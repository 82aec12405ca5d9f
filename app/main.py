"""Streamlit entry point: the router. Run with `scorecard dashboard` (or `make run`)."""

import sys
from pathlib import Path

import streamlit as st

sys.path.insert(0, str(Path(__file__).resolve().parent))  # views import the shared `state`

st.set_page_config(page_title="Scorecard", layout="wide")

pages = [
    st.Page("views/characteristics.py", title="Characteristics", default=True),
    st.Page("views/history.py", title="History"),
]
st.navigation(pages).run()
