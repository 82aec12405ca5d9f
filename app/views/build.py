"""Build a scorecard: upload, fit, edit bins, save, monitor and schedule (being built)."""

import streamlit as st

st.info("The Build page is being built: use `scorecard fit` on the command line meanwhile.")
