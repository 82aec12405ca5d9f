"""The dashboard's users: who may sign in, with which role, and checking their passwords.

Sign-in is off unless users are configured, in one of two places (not both):
- $SCORECARD_AUTH_FILE: a TOML file with one table per user,
  ``[users.alice]`` ``role = "editor"`` ``password = "$argon2id$..."``;
- $SCORECARD_USERS: ``name:role:hash`` entries separated by spaces or ``;``.
Passwords are stored only as argon2id hashes (``scorecard hash-password`` makes one). A
configuration that is set but unreadable or wrong is an error, never "sign-in off".
"""

from __future__ import annotations

import os
import re
import threading
import time
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from scorecard.exceptions import InputError

AUTH_FILE_ENV = "SCORECARD_AUTH_FILE"
USERS_ENV = "SCORECARD_USERS"
ROLES = ("viewer", "editor")
_NAME = re.compile(r"[A-Za-z0-9_.@+-]{1,64}")


@dataclass(frozen=True)
class User:
    """A signed-in person (or, with sign-in off, the local user, who may edit)."""

    name: str
    role: str

    @property
    def can_edit(self) -> bool:
        return self.role == "editor"


@dataclass(frozen=True)
class UserList:
    """Configured users by name; `enabled` is False when nothing is configured."""

    users: Mapping[str, tuple[str, str]] = field(default_factory=dict)  # name -> (role, hash)
    source: str = ""

    @property
    def enabled(self) -> bool:
        return bool(self.users)

    def role(self, name: str) -> str | None:
        entry = self.users.get(name)
        return entry[0] if entry else None


def _hasher():
    from argon2 import PasswordHasher

    return PasswordHasher()


def hash_password(password: str) -> str:
    """An argon2id hash of `password` (salted; the text to put in the user list)."""
    if not isinstance(password, str) or len(password) < 8:
        raise InputError("a password needs at least 8 characters.")
    return _hasher().hash(password)


def _entry(name: object, role: object, digest: object, where: str) -> tuple[str, tuple[str, str]]:
    if not isinstance(name, str) or not _NAME.fullmatch(name):
        raise InputError(f"{where}: user name {name!r} must be 1-64 letters, digits or _.@+-.")
    if role not in ROLES:
        raise InputError(f"{where}: user {name!r} has role {role!r}; use 'viewer' or 'editor'.")
    if not isinstance(digest, str) or not digest.startswith("$argon2"):
        raise InputError(f"{where}: user {name!r} needs an argon2 password hash, not a plain "
                         "password; make one with `scorecard hash-password`.")
    return name, (role, digest)


def _from_file(path: Path) -> dict[str, tuple[str, str]]:
    where = f"{AUTH_FILE_ENV}={str(path)!r}"
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise InputError(f"{where}: cannot read the user file ({exc.strerror or exc}).") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise InputError(f"{where}: not valid TOML ({exc}).") from None
    users = data.get("users")
    if not isinstance(users, dict) or not users:
        raise InputError(f"{where}: no [users.NAME] tables; each needs role and password.")
    out = {}
    for name, entry in users.items():
        if not isinstance(entry, dict):
            raise InputError(f"{where}: [users.{name}] must be a table with role and password.")
        key, value = _entry(name, entry.get("role"), entry.get("password"), where)
        out[key] = value
    return out


def _from_text(text: str) -> dict[str, tuple[str, str]]:
    out = {}
    for item in re.split(r"[\s;]+", text.strip()):
        parts = item.split(":")
        if len(parts) != 3:
            raise InputError(f"{USERS_ENV}: entry {item.split(':')[0]!r}... must be name:role:hash.")
        name, value = _entry(*parts, USERS_ENV)
        if name in out:
            raise InputError(f"{USERS_ENV}: user {name!r} appears twice.")
        out[name] = value
    return out


def load_users(environ: Mapping[str, str] | None = None) -> UserList:
    """The configured users (empty: sign-in off); InputError if the configuration is wrong."""
    environ = os.environ if environ is None else environ
    path, text = environ.get(AUTH_FILE_ENV, "").strip(), environ.get(USERS_ENV, "").strip()
    if path and text:
        raise InputError(f"set {AUTH_FILE_ENV} or {USERS_ENV}, not both.")
    if path:
        return UserList(_from_file(Path(path)), AUTH_FILE_ENV)
    if text:
        return UserList(_from_text(text), USERS_ENV)
    return UserList()


class SignInThrottle:
    """Refuses a name for `lockout` seconds after `limit` failed attempts in a row (per process)."""

    def __init__(self, limit: int = 5, lockout: float = 60.0, clock=time.monotonic):
        self.limit, self.lockout, self.clock = limit, lockout, clock
        self._failures: dict[str, tuple[int, float]] = {}
        self._lock = threading.Lock()

    def wait(self, name: str) -> float:
        """Seconds until `name` may try again (0 if it may now)."""
        with self._lock:
            count, last = self._failures.get(name, (0, 0.0))
        if count < self.limit:
            return 0.0
        return max(0.0, last + self.lockout - self.clock())

    def record(self, name: str, ok: bool) -> None:
        with self._lock:
            if ok:
                self._failures.pop(name, None)
            else:
                count, _ = self._failures.get(name, (0, 0.0))
                self._failures[name] = (count + 1, self.clock())


_DUMMY_HASH: list[str] = []


def authenticate(users: UserList, name: str, password: str) -> User | None:
    """The user if `password` matches the stored hash, else None (the same work either way)."""
    from argon2.exceptions import Argon2Error, InvalidHashError

    entry = users.users.get(name)
    if entry is None:
        if not _DUMMY_HASH:
            _DUMMY_HASH.append(_hasher().hash("not a password of anyone"))
        digest, role = _DUMMY_HASH[0], None
    else:
        role, digest = entry
    try:
        ok = _hasher().verify(digest, password)
    except (Argon2Error, InvalidHashError):
        ok = False
    return User(name, role) if ok and role is not None else None
