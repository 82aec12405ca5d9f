"""Sign-in and roles on the page: the gate every page passes, and the editor check of actions.

Off when no users are configured (scorecard.users): everyone is then a local editor. When on,
viewers browse and download; building, saving, scheduling and deleting need an editor, and every
such action calls `require_editor` itself, so calling a page's function directly is guarded too.
The signed-in user lives in the server-side session state; its role is re-read from the user list
on every run, so removing a user or changing a role takes effect at once.
"""

from __future__ import annotations

import streamlit as st

from scorecard.exceptions import InputError, ScorecardError
from scorecard.users import SignInThrottle, User, UserList, authenticate, load_users

__all__ = ["PermissionDenied", "User", "can_edit", "current_user", "login_gate", "require_editor",
           "sign_out"]

SESSION_KEY = "auth_user"
LOCAL_USER = User("local", "editor")


class PermissionDenied(ScorecardError):
    """An editor action was attempted by a viewer (or by nobody signed in)."""


@st.cache_resource
def _throttle() -> SignInThrottle:
    return SignInThrottle()


def _users() -> UserList:
    """The configured users; InputError (shown by the gate) when the configuration is wrong."""
    return load_users()


def current_user() -> User | None:
    """The signed-in user; the local editor when sign-in is off; None when nobody is signed in
    (or the user list cannot be read: fail closed)."""
    try:
        users = _users()
    except InputError:
        return None
    if not users.enabled:
        return LOCAL_USER
    name = st.session_state.get(SESSION_KEY)
    role = users.role(name) if isinstance(name, str) else None
    return User(name, role) if role else None


def can_edit() -> bool:
    user = current_user()
    return user is not None and user.can_edit


def require_editor(action: str) -> None:
    """Raise PermissionDenied unless the current user is an editor."""
    user = current_user()
    if user is None:
        raise PermissionDenied(f"{action} needs an editor: sign in first.")
    if not user.can_edit:
        raise PermissionDenied(f"{action} needs the editor role; {user.name!r} is a {user.role}. "
                               "Ask an administrator for the editor role.")


def sign_out() -> None:
    st.session_state.pop(SESSION_KEY, None)


def login_gate() -> bool:
    """True when the page may render; otherwise draws the sign-in form (or the configuration
    error) and returns False."""
    try:
        users = _users()
    except InputError as exc:
        st.error(f"Sign-in is configured but cannot be used: {exc}")
        return False
    if not users.enabled:
        return True
    user = current_user()
    if user is not None:
        with st.sidebar:
            st.caption(f"Signed in as **{user.name}** ({user.role})")
            st.button("Sign out", key="auth_sign_out", on_click=sign_out)
        return True
    st.title("Sign in")
    with st.form("auth_form"):
        name = st.text_input("User name", key="auth_name")
        password = st.text_input("Password", type="password", key="auth_password")
        submitted = st.form_submit_button("Sign in")
    if submitted:
        _try_sign_in(users, name.strip(), password)
    return False


def _try_sign_in(users: UserList, name: str, password: str) -> None:
    throttle = _throttle()
    wait = throttle.wait(name)
    if wait > 0:
        st.error(f"Too many failed attempts: try again in {wait:.0f} s.")
        return
    user = authenticate(users, name, password)
    throttle.record(name, user is not None)
    if user is None:
        st.error("Wrong user name or password.")
        return
    st.session_state[SESSION_KEY] = user.name
    st.session_state.pop("auth_password", None)
    st.rerun()
