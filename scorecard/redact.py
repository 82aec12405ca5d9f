"""Text safe to show: database URLs without their passwords, control characters escaped.

A URL such as ``postgresql+psycopg://user:secret@host/db`` is shown as
``postgresql+psycopg://user:***@host/db``; `scrub` also removes the password from any other
text (a driver's error message may repeat the connection string). `printable` escapes terminal
control sequences and bidirectional overrides a column or spec name may carry (ESC -> \\x1b).
"""

from __future__ import annotations

import re
from urllib.parse import quote, quote_plus

__all__ = ["hide_password", "printable", "scrub"]

_USERINFO = re.compile(r"(?P<head>[A-Za-z][A-Za-z0-9+.\-]*://[^/@\s:]*):(?P<password>[^@\s]*)@")
_MASK = "***"
# C0 controls but tab and newline, DEL, C1 controls, and the bidirectional formatting characters.
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029"
                     "\u202a-\u202e\u2066-\u2069]")


def printable(text: object) -> str:
    """``text`` with control characters (but tab and newline) written as escapes, e.g. \\x1b."""
    return _UNSAFE.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), str(text))


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
