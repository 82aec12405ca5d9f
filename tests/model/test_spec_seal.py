"""What the seal protects (issue 8 item 5), and spec validation that stays linear (item 10).

sha256 catches accidental edits only: anyone can recompute it, so plausibility bounds refuse
numbers no fitted model produces, and an optional HMAC (key in $SCORECARD_SPEC_KEY) gives
tamper evidence.
"""

from __future__ import annotations

import copy
import importlib.util
import json
import time
from pathlib import Path

import pytest

from scorecard.exceptions import SpecError
from scorecard.model.spec import (
    SIGNING_KEY_ENV,
    compute_integrity,
    compute_signature,
    dumps_spec,
    load_spec,
    loads_spec,
    save_spec,
    seal,
    validate_spec,
)

KEY = "k" * 8 + "0123456789abcdef"


def _base_spec() -> dict:
    path = Path(__file__).with_name("test_spec.py")
    loader = importlib.util.spec_from_file_location("spec_tests_for_seal", path)
    module = importlib.util.module_from_spec(loader)
    loader.loader.exec_module(module)
    return module.base_spec()


def _rehashed(spec: dict) -> str:
    """What an attacker does: change the content and recompute the plain hash."""
    body = {k: v for k, v in spec.items() if k != "integrity"}
    body["integrity"] = {"sha256": compute_integrity(body)}
    return json.dumps(body)


@pytest.fixture(autouse=True)
def no_key(monkeypatch):
    monkeypatch.delenv(SIGNING_KEY_ENV, raising=False)


def test_a_rehashed_spec_with_implausible_numbers_is_refused_on_load():
    spec = _base_spec()
    loads_spec(_rehashed(spec))  # the honest card loads
    for mutate, match in [
        (lambda s: s.__setitem__("intercept_points", 10**12), "intercept_points 1000000000000"),
        (lambda s: s.__setitem__("intercept_points", -10**6), "is implausible"),
        (lambda s: s["characteristics"][0]["bins"][0].__setitem__("points", 5000),
         "'duration' has 5000 points"),
        (lambda s: s["characteristics"][1].__setitem__("unseen_points", -9000), "-9000 points"),
        (lambda s: s["scaling"].__setitem__("factor", 2885.39), "scaling.factor"),
        (lambda s: s["scaling"].__setitem__("offset", 0.0), "scaling.offset"),
        (lambda s: s["scaling"].__setitem__("pdo", -20), "must be > 0"),
    ]:
        bad = copy.deepcopy(spec)
        mutate(bad)
        with pytest.raises(SpecError, match=match):
            loads_spec(_rehashed(bad))


def test_fitted_cards_are_plausible_at_the_bounds():
    spec = _base_spec()
    factor = spec["scaling"]["factor"]
    spec["characteristics"][0]["bins"][0]["points"] = int(factor * 100)  # e^100 odds: allowed
    loads_spec(_rehashed(spec))


def test_hmac_signs_on_save_and_is_required_when_the_key_is_set(tmp_path, monkeypatch):
    unsigned = save_spec(_base_spec(), tmp_path / "unsigned.json")
    assert "hmac_sha256" not in json.loads(unsigned.read_text())["integrity"]
    monkeypatch.setenv(SIGNING_KEY_ENV, KEY)
    with pytest.raises(SpecError, match="not signed"):
        load_spec(unsigned)
    signed = save_spec(load_spec_without_key(unsigned, monkeypatch), tmp_path / "signed.json")
    integrity = json.loads(signed.read_text())["integrity"]
    assert integrity["hmac_sha256"] == compute_signature(
        json.loads(signed.read_text()), KEY.encode())
    spec = load_spec(signed)
    assert spec["name"] == "unit card"

    # An attacker without the key changes the content and recomputes the plain hash.
    forged = json.loads(signed.read_text())
    forged["intercept_points"] += 50
    forged["integrity"]["sha256"] = compute_integrity(forged)
    (tmp_path / "forged.json").write_text(json.dumps(forged))
    with pytest.raises(SpecError, match="signature check"):
        load_spec(tmp_path / "forged.json")
    monkeypatch.setenv(SIGNING_KEY_ENV, "another key, also long enough")
    with pytest.raises(SpecError, match="signature check"):
        load_spec(signed)
    monkeypatch.delenv(SIGNING_KEY_ENV)
    assert load_spec(signed)["name"] == "unit card"  # without the key the hash still checks


def load_spec_without_key(path, monkeypatch):
    with monkeypatch.context() as patch:
        patch.delenv(SIGNING_KEY_ENV)
        return load_spec(path)


def test_seal_and_dumps_sign_when_the_key_is_set(monkeypatch):
    monkeypatch.setenv(SIGNING_KEY_ENV, KEY)
    sealed = seal(_base_spec())
    assert set(sealed["integrity"]) == {"sha256", "hmac_sha256"}
    assert loads_spec(dumps_spec(sealed))["integrity"] == sealed["integrity"]
    validate_spec(sealed, check_integrity=True)


def test_a_short_key_is_refused(monkeypatch):
    monkeypatch.setenv(SIGNING_KEY_ENV, "short")
    with pytest.raises(SpecError, match="shorter than 16 characters"):
        seal(_base_spec())


def test_a_malformed_signature_is_a_spec_error():
    spec = seal(_base_spec())
    spec["integrity"]["hmac_sha256"] = "not hex"
    with pytest.raises(SpecError, match="integrity.hmac_sha256 must be 64"):
        validate_spec(spec)


def test_a_5001_digit_integer_is_a_spec_error():
    text = dumps_spec(_base_spec()).replace('"n_rows": 1000', '"n_rows": ' + "9" * 5001)
    with pytest.raises(SpecError, match="JSON cannot read"):
        loads_spec(text)


def test_validation_is_linear_in_the_number_of_special_values():
    spec = _base_spec()
    n = 60_000
    specials = [float(-i - 1000) for i in range(n)]
    ch = spec["characteristics"][0]
    ch["special_values"] = specials
    ch["bins"] = ch["bins"][:4] + [{"kind": "special", "value": v, "label": "s", "points": 0}
                                   for v in specials]
    start = time.perf_counter()
    validate_spec(spec)
    # Regression guard, not a speed measurement: the quadratic check took 194 s here.
    assert time.perf_counter() - start < 20
    ch["special_values"][-1] = specials[0]
    ch["bins"][-1]["value"] = specials[0]
    with pytest.raises(SpecError, match=r"special_values\[59999\] = -1000.0 is a duplicate"):
        validate_spec(spec)
