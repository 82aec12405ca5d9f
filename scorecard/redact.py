"""Database URLs without their passwords, for every message, log line and page.

A URL such as ``postgresql+psycopg://user:secret@host/db`` is shown as
``postgresql+psycopg://user:***@host/db``; `scrub` also removes the password from any other
text (a driver's error message may repeat the connection string).
"""

from __future__ import annotations

import re
from urllib.parse import quote, quote_plus

__all__ = ["hide_password", "scrub"]

_USERINFO = re.compile(r"(?P<head>[A-Za-z][A-Za-z0-9+.\-]*://[^/@\s:]*):(?P<password>[^@\s]*)@")
_MASK = "***"


def _password(url: str) -> str | None:
    from sqlalchemy.engine import make_url

    try:
        return make_url(url).password
    except Exception:  # not a URL SQLAlchemy can parse: fall back to the pattern
        match = _USERINFO.search(url)
        return match.group("password") if match else None


def hide_password(url: object) -> str:
    """The URL with its password replaced by ***; text that is not a URL is returned unchanged
    except for anything that looks like ``scheme://user:password@``."""
    from sqlalchemy.engine import make_url

    text = str(url)
    try:
        shown = make_url(text).render_as_string(hide_password=True)
    except Exception:
        shown = text
    return _USERINFO.sub(lambda m: f"{m.group('head')}:{_MASK}@", shown)


def scrub(text: object, url: object) -> str:
    """``text`` with the URL's password (as written, and URL-quoted) replaced by ***."""
    text = str(text).replace(str(url), hide_password(url))
    password = _password(str(url))
    if password:
        for form in {password, quote(password, safe=""), quote_plus(password)}:
            text = text.replace(form, _MASK)
    return _USERINFO.sub(lambda m: f"{m.group('head')}:{_MASK}@", text)
