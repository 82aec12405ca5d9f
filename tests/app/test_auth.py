"""Sign-in and roles: off by default, a form when configured, viewers kept from editor actions."""

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from scorecard.users import AUTH_FILE_ENV, USERS_ENV, hash_password

pytestmark = pytest.mark.app
APP = Path(__file__).resolve().parents[2] / "app"
MAIN = str(APP / "main.py")


@pytest.fixture(scope="module")
def user_list():
    return (f"ed:editor:{hash_password('editor-pass')} "
            f"vi:viewer:{hash_password('viewer-pass')}")


@pytest.fixture(autouse=True)
def isolated(tmp_path, monkeypatch):
    monkeypatch.setenv("SCORECARD_DB", f"sqlite:///{tmp_path / 'store.db'}")
    monkeypatch.delenv(USERS_ENV, raising=False)
    monkeypatch.delenv(AUTH_FILE_ENV, raising=False)


def sign_in(at: AppTest, name: str, password: str) -> AppTest:
    at.text_input(key="auth_name").input(name)
    at.text_input(key="auth_password").input(password)
    return at.button[0].click().run()


def page_titles(at: AppTest) -> list[str]:
    return [t.value for t in at.title]


def test_sign_in_off_by_default_and_everyone_edits():
    at = AppTest.from_file(MAIN, default_timeout=60).run()
    assert not at.exception, at.exception
    assert "Sign in" not in page_titles(at)
    at.switch_page("views/build.py").run()
    assert not at.exception, at.exception
    assert "Build a scorecard" in page_titles(at)


def test_configured_sign_in_shows_only_the_form(monkeypatch, user_list):
    monkeypatch.setenv(USERS_ENV, user_list)
    at = AppTest.from_file(MAIN, default_timeout=60).run()
    assert not at.exception, at.exception
    assert page_titles(at) == ["Sign in"]
    assert not at.dataframe and not at.metric
    sign_in(at, "vi", "wrong-pass")
    assert page_titles(at) == ["Sign in"]
    assert any("Wrong user name or password" in e.value for e in at.error)
    sign_in(at, "nobody", "viewer-pass")
    assert any("Wrong user name or password" in e.value for e in at.error)


def test_viewer_browses_but_cannot_reach_build(monkeypatch, user_list):
    monkeypatch.setenv(USERS_ENV, user_list)
    at = sign_in(AppTest.from_file(MAIN, default_timeout=60).run(), "vi", "viewer-pass")
    assert not at.exception, at.exception
    assert "Overview" in page_titles(at)
    assert any("Signed in as **vi** (viewer)" in c.value for c in at.sidebar.caption)
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page("views/build.py")  # not in a viewer's navigation


def test_editor_reaches_build_and_signs_out(monkeypatch, user_list):
    monkeypatch.setenv(USERS_ENV, user_list)
    at = sign_in(AppTest.from_file(MAIN, default_timeout=60).run(), "ed", "editor-pass")
    assert any("Signed in as **ed** (editor)" in c.value for c in at.sidebar.caption)
    at.switch_page("views/build.py").run()
    assert not at.exception, at.exception
    assert "Build a scorecard" in page_titles(at)
    at.sidebar.button(key="auth_sign_out").click().run()
    assert page_titles(at) == ["Sign in"]


def test_removed_user_is_signed_out_on_the_next_run(monkeypatch, user_list):
    monkeypatch.setenv(USERS_ENV, user_list)
    at = sign_in(AppTest.from_file(MAIN, default_timeout=60).run(), "ed", "editor-pass")
    assert "Overview" in page_titles(at)
    monkeypatch.setenv(USERS_ENV, user_list.split()[1])  # only the viewer is left
    at.run()
    assert page_titles(at) == ["Sign in"]


def test_broken_configuration_fails_closed(tmp_path, monkeypatch):
    monkeypatch.setenv(AUTH_FILE_ENV, str(tmp_path / "missing.toml"))
    at = AppTest.from_file(MAIN, default_timeout=60).run()
    assert not at.exception, at.exception
    assert any("Sign-in is configured but cannot be used" in e.value for e in at.error)
    assert not at.title and not at.dataframe


def _guarded_action():
    import sys

    import streamlit as st

    sys.path.insert(0, st.session_state["app_folder"])
    import auth

    try:
        auth.require_editor("Saving a model")
    except auth.PermissionDenied as exc:
        st.error(str(exc))
    else:
        st.success("allowed")


@pytest.mark.parametrize("who, allowed", [("ed", True), ("vi", False), (None, False)])
def test_require_editor_guards_a_direct_call(monkeypatch, user_list, who, allowed):
    monkeypatch.setenv(USERS_ENV, user_list)
    at = AppTest.from_function(_guarded_action, default_timeout=30)
    at.session_state["app_folder"] = str(APP)
    if who:
        at.session_state["auth_user"] = who
    at.run()
    assert not at.exception, at.exception
    assert bool(at.success) == allowed
    if not allowed:
        assert "needs" in at.error[0].value
