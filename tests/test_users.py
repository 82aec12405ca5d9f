"""The dashboard's user list: configuration read strictly, argon2 hashes only, throttled sign-in."""

import pytest

from scorecard.exceptions import InputError
from scorecard.users import (
    AUTH_FILE_ENV, USERS_ENV, SignInThrottle, authenticate, hash_password, load_users,
)


@pytest.fixture(scope="module")
def hashes():
    return {"alice": hash_password("alice-secret"), "bob": hash_password("bob-secret")}


def test_nothing_configured_means_sign_in_off():
    users = load_users({})
    assert not users.enabled and users.role("anyone") is None


def test_environment_list_and_file_give_the_same_users(tmp_path, hashes):
    env = load_users({USERS_ENV: f"alice:editor:{hashes['alice']} ; bob:viewer:{hashes['bob']}"})
    path = tmp_path / "users.toml"
    path.write_text(f'[users.alice]\nrole = "editor"\npassword = "{hashes["alice"]}"\n'
                    f'[users.bob]\nrole = "viewer"\npassword = "{hashes["bob"]}"\n')
    file = load_users({AUTH_FILE_ENV: str(path)})
    assert env.users == file.users
    assert (file.role("alice"), file.role("bob")) == ("editor", "viewer")


def test_only_the_right_password_signs_in(hashes):
    users = load_users({USERS_ENV: f"alice:editor:{hashes['alice']} bob:viewer:{hashes['bob']}"})
    alice = authenticate(users, "alice", "alice-secret")
    assert alice is not None and alice.can_edit
    bob = authenticate(users, "bob", "bob-secret")
    assert bob is not None and bob.role == "viewer" and not bob.can_edit
    assert authenticate(users, "alice", "bob-secret") is None
    assert authenticate(users, "carol", "alice-secret") is None
    assert authenticate(users, "alice", "") is None


def test_hashes_are_salted_and_never_the_password():
    one, two = hash_password("same password"), hash_password("same password")
    assert one != two and one.startswith("$argon2id$") and "same password" not in one
    with pytest.raises(InputError, match="8 characters"):
        hash_password("short")


@pytest.mark.parametrize("setting, message", [
    ({USERS_ENV: "alice:editor:plaintext-password"}, "argon2 password hash"),
    ({USERS_ENV: "alice:admin:$argon2id$x"}, "role 'admin'"),
    ({USERS_ENV: "alice:$argon2id$x"}, "name:role:hash"),
    ({USERS_ENV: "al ice:viewer:$argon2id$x"}, "name:role:hash"),
    ({USERS_ENV: "a/b:viewer:$argon2id$x"}, "user name"),
    ({USERS_ENV: "a:viewer:$argon2id$x;a:editor:$argon2id$y"}, "twice"),
    ({USERS_ENV: "a:viewer:$argon2id$x", AUTH_FILE_ENV: "users.toml"}, "not both"),
])
def test_a_wrong_configuration_is_an_error_not_sign_in_off(setting, message):
    with pytest.raises(InputError, match=message):
        load_users(setting)


def test_a_wrong_user_file_is_an_error(tmp_path):
    with pytest.raises(InputError, match="cannot read"):
        load_users({AUTH_FILE_ENV: str(tmp_path / "missing.toml")})
    bad = tmp_path / "bad.toml"
    bad.write_text("[users.alice\n")
    with pytest.raises(InputError, match="not valid TOML"):
        load_users({AUTH_FILE_ENV: str(bad)})
    empty = tmp_path / "empty.toml"
    empty.write_text("title = 'x'\n")
    with pytest.raises(InputError, match=r"no \[users.NAME\]"):
        load_users({AUTH_FILE_ENV: str(empty)})


def test_throttle_locks_a_name_after_repeated_failures_then_lets_it_try_again():
    now = [0.0]
    throttle = SignInThrottle(limit=3, lockout=30, clock=lambda: now[0])
    for _ in range(3):
        assert throttle.wait("alice") == 0
        throttle.record("alice", ok=False)
    assert throttle.wait("alice") == pytest.approx(30)
    assert throttle.wait("bob") == 0
    now[0] = 31.0
    assert throttle.wait("alice") == 0
    throttle.record("alice", ok=True)
    throttle.record("alice", ok=False)
    assert throttle.wait("alice") == 0


def test_cli_prints_a_hash_that_verifies():
    from typer.testing import CliRunner

    from scorecard.cli import app

    result = CliRunner().invoke(app, ["hash-password"], input="long enough\nlong enough\n")
    assert result.exit_code == 0, result.output
    digest = result.output.strip().splitlines()[-1]
    users = load_users({USERS_ENV: f"amy:viewer:{digest}"})
    assert authenticate(users, "amy", "long enough").role == "viewer"
    short = CliRunner().invoke(app, ["hash-password"], input="short\nshort\n")
    assert short.exit_code != 0 and "8 characters" in short.output
