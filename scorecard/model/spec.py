"""The scorecard spec: the one canonical, versioned JSON artefact.

A spec is plain JSON data (schema_version 1, described in the docstring of `validate_spec`):
the bins of every characteristic with their integer points, the scaling, the conventions, the
model's parameters and the training data's fingerprint. Everything deployed (SQL, PMML, the
standalone Python scorer, the points table) is generated from it, and `score_frame` is the
reference every export is tested against.

This module is the spec's front door: sealing, saving and loading here; the schema check in
`scorecard.model.schema`; scoring (`bin_indices`, `score_frame`, exact scores) in
`scorecard.model.scoring`, re-exported here.

Loading never executes anything: the file is parsed with :mod:`json` (no pickle, no eval) and
checked against the schema, its sha256 integrity hash and plausibility bounds before it is used.

What the seal protects: ``integrity.sha256`` is a plain hash of the content, so it catches
accidental edits and corruption, not tampering (anyone can recompute it). For tamper evidence
set ``$SCORECARD_SPEC_KEY`` to a long random secret where specs are written and where they are
loaded: saving then adds ``integrity.hmac_sha256``, an HMAC-SHA256 of the same content under
that key, and loading with the key set refuses specs that are unsigned or signed otherwise.
Independently, loading refuses implausible numbers (points, intercept or scaling that no
fitted model could produce, such as an intercept of 10^12 on a 600-points scale).
"""

from __future__ import annotations

import hmac
import json
import math
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from scorecard.exceptions import InputError, SpecError
from scorecard.io import write_atomic
from scorecard.model.schema import (
    INFO_KEYS,
    SUPPORTED_SCHEMA_VERSIONS,
    TOP_LEVEL_KEYS,
    UNSEEN_LABEL,
    compute_integrity,
    compute_signature,
    unsupported_version_message,
    validate_spec,
)
from scorecard.model.scoring import bin_indices, score_frame
from scorecard.options import ENCODINGS, SPEC_UNSEEN_POLICIES

__all__ = [
    "ENCODINGS",
    "SPEC_UNSEEN_POLICIES",
    "SUPPORTED_SCHEMA_VERSIONS",
    "SIGNING_KEY_ENV",
    "bin_indices",
    "check_plausible",
    "compute_integrity",
    "compute_signature",
    "dumps_spec",
    "load_spec",
    "loads_spec",
    "points_table",
    "save_spec",
    "score_frame",
    "seal",
    "signing_key",
    "validate_spec",
    "verify_spec",
]

UNSEEN_POLICIES = SPEC_UNSEEN_POLICIES
"""Deprecated alias of SPEC_UNSEEN_POLICIES (binning's UNSEEN_POLICIES also allows "error")."""


SIGNING_KEY_ENV = "SCORECARD_SPEC_KEY"
MIN_KEY_LENGTH = 16
# Plausibility on load: no fitted model moves the log-odds by more than this per bin (e^100
# odds); points then stay within factor * this, the intercept within (characteristics + 1) times.
MAX_ABS_LOG_ODDS = 100.0
_SCALING_RTOL = 1e-4


def signing_key() -> bytes | None:
    """The HMAC key from ``$SCORECARD_SPEC_KEY`` (None when unset); too short a key is an error."""
    text = os.environ.get(SIGNING_KEY_ENV)
    if not text:
        return None
    if len(text) < MIN_KEY_LENGTH:
        raise SpecError(
            f"${SIGNING_KEY_ENV} is set but shorter than {MIN_KEY_LENGTH} characters; use a long "
            "random secret, e.g. the output of: python -c \"import secrets; "
            "print(secrets.token_hex(32))\"."
        )
    return text.encode("utf-8")


def _integrity(obj: Mapping[str, Any]) -> dict[str, str]:
    integrity = {"sha256": compute_integrity(obj)}
    key = signing_key()
    if key is not None:
        integrity["hmac_sha256"] = compute_signature(obj, key)
    return integrity


def seal(obj: Mapping[str, Any]) -> dict:
    """A validated copy of the spec with ``integrity.sha256`` (re)computed, keys in schema order;
    signed (``integrity.hmac_sha256``) when ``$SCORECARD_SPEC_KEY`` is set."""
    unsealed = {k: v for k, v in obj.items() if k != "integrity"}
    validate_spec(unsealed)
    ordered = {k: unsealed[k] for k in TOP_LEVEL_KEYS if k in unsealed}
    ordered["integrity"] = _integrity(ordered)
    return ordered


def _check_signature(obj: Mapping[str, Any], source: str) -> None:
    key = signing_key()
    if key is None:
        return
    signature = obj["integrity"].get("hmac_sha256")
    if signature is None:
        raise SpecError(
            f"{source} is not signed, and ${SIGNING_KEY_ENV} is set, so only specs signed with "
            "that key are accepted. Save it again where the key is set (that signs it)."
        )
    if not hmac.compare_digest(signature, compute_signature(obj, key)):
        raise SpecError(
            f"{source} failed its signature check: integrity.hmac_sha256 does not match under "
            f"${SIGNING_KEY_ENV}, so it was signed with another key or changed after signing."
        )


def check_plausible(obj: Mapping[str, Any], source: str = "spec") -> None:
    """Refuse numbers no fitted model produces: scaling whose factor and offset disagree with
    base score, odds and PDO, points beyond factor * 100 (e^100 odds) per bin, or an intercept
    beyond that per characteristic (plus one) away from the offset."""
    scaling = obj["scaling"]
    base_score, base_odds, pdo = scaling["base_score"], scaling["base_odds"], scaling["pdo"]
    if not (base_odds > 0 and pdo > 0):
        raise SpecError(f"{source}: scaling.base_odds and scaling.pdo must be > 0, got "
                        f"{base_odds!r} and {pdo!r}.")
    factor = pdo / math.log(2)
    offset = base_score - factor * math.log(base_odds)
    for key, want in (("factor", factor), ("offset", offset)):
        got = scaling[key]
        if not math.isclose(got, want, rel_tol=_SCALING_RTOL, abs_tol=_SCALING_RTOL):
            raise SpecError(
                f"{source}: scaling.{key} is {got!r}, but base_score, base_odds and pdo imply "
                f"{want:.6g}; the scaling was changed by hand."
            )
    limit = factor * MAX_ABS_LOG_ODDS
    for ch in obj["characteristics"]:
        points = [b["points"] for b in ch["bins"]]
        if ch["dtype"] == "categorical":
            points.append(ch["unseen_points"])
        worst = max(points, key=abs)
        if abs(worst) > limit + 1:
            raise SpecError(
                f"{source}: characteristic {ch['name']!r} has {worst} points in one bin; the "
                f"scaling (PDO {pdo:g}) allows at most +-{limit:.0f} (odds of e^"
                f"{MAX_ABS_LOG_ODDS:g}). The spec was changed by hand or is corrupt."
            )
    spread = limit * (len(obj["characteristics"]) + 1) + 1
    intercept = obj["intercept_points"]
    if not offset - spread <= intercept <= offset + spread:
        raise SpecError(
            f"{source}: intercept_points {intercept} is implausible for this scaling (offset "
            f"{offset:.1f}, at most +-{spread:.0f} from it). The spec was changed by hand or is "
            "corrupt."
        )


def dumps_spec(obj: Mapping[str, Any]) -> str:
    """The spec as JSON text (indent 2, schema key order, exact floats), sealed if it was not.

    A spec that carries an integrity hash must still match it: a spec edited after sealing is an
    error here rather than silently re-sealed.
    """
    if not isinstance(obj, Mapping):
        raise SpecError(f"spec must be an object (dict), got {type(obj).__name__}.")
    sealed = dict(obj) if "integrity" in obj else seal(obj)
    validate_spec(sealed, check_integrity=True)
    sealed["integrity"] = {**sealed["integrity"], **_integrity(sealed)}
    ordered = {k: sealed[k] for k in TOP_LEVEL_KEYS if k in sealed}
    text = json.dumps(ordered, indent=2, sort_keys=False, ensure_ascii=False, allow_nan=False)
    return text + "\n"


def _reject_constant(name: str) -> None:
    raise SpecError(f"the spec contains {name}, which is not valid JSON.")


def _no_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise SpecError(f"the spec repeats the key {key!r} in one object; it is ambiguous.")
        result[key] = value
    return result


def loads_spec(text: str | bytes, *, source: str = "spec") -> dict:
    """Parse spec JSON text, check its version, integrity hash, structure, signature (when
    ``$SCORECARD_SPEC_KEY`` is set) and plausibility; return the dict.

    Only :func:`json.loads` touches the text: nothing in it is ever executed or imported.
    """
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise SpecError(f"{source} is not UTF-8 text: {exc}") from None
    try:
        obj = json.loads(
            text, parse_constant=_reject_constant, object_pairs_hook=_no_duplicate_keys
        )
    except json.JSONDecodeError as exc:
        raise SpecError(
            f"{source} is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})."
        ) from None
    except RecursionError:
        raise SpecError(f"{source} is nested too deeply to be a scorecard spec.") from None
    except SpecError:
        raise
    except ValueError as exc:  # e.g. an integer of thousands of digits
        raise SpecError(f"{source} holds a value JSON cannot read here: {exc}") from None
    if not isinstance(obj, dict):
        raise SpecError(f"{source} must hold a JSON object, got a {type(obj).__name__}.")
    return verify_spec(obj, source=source)


def verify_spec(obj: object, *, source: str = "spec") -> dict:
    """The checks of `loads_spec` on a spec already parsed (e.g. one point of a fairness front
    file): version, integrity hash, structure, signature (when ``$SCORECARD_SPEC_KEY`` is set)
    and plausibility; return the dict."""
    if not isinstance(obj, dict):
        raise SpecError(f"{source} must be a JSON object, got a {type(obj).__name__}.")
    if "schema_version" not in obj:
        raise SpecError(f"{source} has no schema_version; is this a scorecard spec?")
    version = obj["schema_version"]
    if isinstance(version, bool) or version not in SUPPORTED_SCHEMA_VERSIONS:
        raise SpecError(f"{source}: {unsupported_version_message(version)}")
    integrity = obj.get("integrity")
    if not isinstance(integrity, dict) or not isinstance(integrity.get("sha256"), str):
        raise SpecError(
            f"{source} has no integrity hash (integrity.sha256); specs are written by save_spec, "
            "which seals them. Re-export it from the model."
        )
    if integrity["sha256"] != compute_integrity(obj):
        raise SpecError(
            f"{source} failed its integrity check: the content does not match integrity.sha256, "
            "so it was tampered with or edited by hand after it was saved. Re-export it from "
            "the model (or, after reviewing the change, load the JSON yourself and seal() it)."
        )
    try:
        validate_spec(obj)
    except SpecError as exc:
        raise SpecError(f"{source}: {exc}") from None
    _check_signature(obj, source)
    check_plausible(obj, source)
    return obj


def save_spec(obj: Mapping[str, Any], path: str | os.PathLike) -> Path:
    """Write the spec as JSON (atomically: a temporary file renamed into place); return the path.

    An unsealed spec is sealed on the way out; ``load_spec(path)`` then returns exactly what was
    written (floats are written with ``repr`` and read back bit for bit).
    """
    text = dumps_spec(obj)
    path = Path(path)
    directory = path.parent if str(path.parent) else Path(".")
    if not directory.is_dir():
        raise InputError(
            f"cannot write the spec to {str(path)!r}: {str(directory)!r} is not a folder."
        )
    write_atomic(path, lambda tmp: tmp.write_text(text, encoding="utf-8", newline="\n"))
    return path


def load_spec(path: str | os.PathLike) -> dict:
    """Read a spec written by `save_spec`; raise InputError if the file is absent, SpecError if
    it is not valid JSON, of an unknown schema_version, tampered with, or malformed."""
    path = Path(path)
    if not path.is_file():
        raise InputError(f"spec file {str(path)!r} does not exist or is not a file.")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read spec file {str(path)!r}: {exc}") from None
    return loads_spec(data, source=f"spec file {str(path)!r}")



def points_table(spec: Mapping[str, Any]) -> pd.DataFrame:
    """One row per bin (and per categorical characteristic an ``unseen`` row): characteristic,
    bin label, kind, integer points, exact (unrounded) points, WoE, goods and bads."""
    validate_spec(spec)
    rows = []
    for ch in spec["characteristics"]:
        for bin_ in ch["bins"]:
            rows.append({
                "characteristic": ch["name"],
                "bin": bin_["label"],
                "kind": bin_["kind"],
                "points": bin_["points"],
                **{key: bin_.get(key) for key in INFO_KEYS},
            })
        if ch["dtype"] == "categorical":
            rows.append({
                "characteristic": ch["name"],
                "bin": UNSEEN_LABEL,
                "kind": "unseen",
                "points": ch["unseen_points"],
                **{key: None for key in INFO_KEYS},
            })
    table = pd.DataFrame(rows, columns=["characteristic", "bin", "kind", "points", *INFO_KEYS])
    table["points"] = table["points"].astype(np.int64)
    for key in INFO_KEYS:
        table[key] = pd.to_numeric(table[key], errors="raise").astype(np.float64)
    return table

