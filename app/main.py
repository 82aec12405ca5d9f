"""Streamlit entry point: the sign-in gate and the grouped navigation. Run with `scorecard dashboard`."""

import sys
from pathlib import Path

import streamlit as st

sys.path.insert(0, str(Path(__file__).resolve().parent))  # pages import `auth`, `state`, `charts`

import auth  # noqa: E402
import timing  # noqa: E402

st.set_page_config(page_title="Scorecard", layout="wide")
if not auth.login_gate():
    st.stop()
if "state" not in sys.modules:  # the first run imports the engine: say so from the first second
    with st.spinner("Starting the scorecard engine ...", show_time=True):
        import state  # noqa: F401

pages = {
    "Overview": [st.Page("views/overview.py", title="Overview", default=True)],
    "Monitoring": [st.Page("views/monitoring.py", title="Monitors")],
    "Scorecards": [st.Page("views/scorecards.py", title="Stored scorecards"),
                   st.Page("views/scorecard.py", title="Try on a sample dataset")],
    "Fairness": [st.Page("views/fairness.py", title="Fairness front")],
    "Binning": [st.Page("views/characteristics.py", title="Information value"),
                st.Page("views/binning.py", title="Optimal binning")],
    "Reports and schedules": [st.Page("views/reports.py", title="Runs and reports"),
                              st.Page("views/schedules.py", title="Schedules"),
                              st.Page("views/history.py", title="Saved results")],
}
if auth.can_edit():  # viewers do not see the Build page (and its actions check the role anyway)
    pages["Build"] = [st.Page("views/build.py", title="Build a scorecard")]
navigation = st.navigation(pages)
with timing.timed(navigation.title):
    navigation.run()
