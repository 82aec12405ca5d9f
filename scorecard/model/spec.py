"""The scorecard spec: the one canonical, versioned JSON artefact, and its reference scorer.

A spec is plain JSON data (schema_version 1, described in the docstring of `validate_spec`):
the bins of every characteristic with their integer points, the scaling, the conventions, the
model's parameters and the training data's fingerprint. Everything deployed (SQL, PMML, the
standalone Python scorer, the points table) is generated from it, and `score_frame` is the
reference every export is tested against.

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

import hashlib
import hmac
import json
import math
import os
import re
from collections.abc import Mapping, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from scorecard._validation import category_text
from scorecard.io import write_atomic
from scorecard.exceptions import InputError, SpecError

__all__ = [
    "ENCODINGS",
    "SUPPORTED_SCHEMA_VERSIONS",
    "UNSEEN_POLICIES",
    "SIGNING_KEY_ENV",
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
]

SUPPORTED_SCHEMA_VERSIONS = (1,)
ENCODINGS = ("woe-lr", "onehot-lr", "xgb-stumps")
UNSEEN_POLICIES = ("missing", "other", "zero")
TOP_LEVEL_KEYS = (
    "schema_version",
    "kind",
    "package_version",
    "created_at",
    "name",
    "target",
    "encoding",
    "conventions",
    "scaling",
    "intercept_points",
    "characteristics",
    "model",
    "training",
    "integrity",
)
SCALING_KEYS = (
    "base_score", "base_odds", "pdo", "factor", "offset", "min_score", "max_score", "rounding",
)
NUMERIC_KEYS = frozenset({"name", "dtype", "edges", "special_values", "bins"})
CATEGORICAL_KEYS = frozenset({"name", "dtype", "unseen", "bins", "unseen_points"})
INFO_KEYS = ("points_exact", "woe", "goods", "bads")
BIN_KEYS = {
    "interval": frozenset({"kind", "lower", "upper", "label", "points", *INFO_KEYS}),
    "missing": frozenset({"kind", "label", "points", *INFO_KEYS}),
    "special": frozenset({"kind", "value", "label", "points", *INFO_KEYS}),
    "categories": frozenset({"kind", "categories", "label", "points", *INFO_KEYS}),
}
UNSEEN_LABEL = "Unseen"
# Integers (points, scores) must stay exact in every engine: SQL BIGINT and PMML's doubles.
MAX_ABS_POINTS = 10**12
_SHA256_HEX = re.compile(r"[0-9a-f]{64}")
INTEGRITY_KEYS = frozenset({"sha256", "hmac_sha256"})
SIGNING_KEY_ENV = "SCORECARD_SPEC_KEY"
MIN_KEY_LENGTH = 16
# Plausibility on load: no fitted model moves the log-odds by more than this per bin (e^100
# odds); points then stay within factor * this, the intercept within (characteristics + 1) times.
MAX_ABS_LOG_ODDS = 100.0
_SCALING_RTOL = 1e-4


# ----------------------------------------------------------------------------------------------
# Validation
# ----------------------------------------------------------------------------------------------


def _type_name(value: object) -> str:
    return type(value).__name__


def _is_plain_json(value: object) -> bool:
    """The fast pass of `_check_json_value`: no paths are built unless something is wrong."""
    kind = type(value)
    if value is None or kind is str or kind is bool or kind is int:
        return True
    if kind is float:
        return math.isfinite(value)
    if kind is dict:
        return all(type(k) is str and _is_plain_json(v) for k, v in value.items())
    if kind is list:
        return all(_is_plain_json(item) for item in value)
    return False


def _check_json_value(value: object, path: str) -> None:
    """Plain JSON only (dict with str keys, list, str, int, finite float, bool, None)."""
    if _is_plain_json(value):
        return
    if value is None or isinstance(value, (str, bool)):
        return
    if isinstance(value, int):
        return
    if isinstance(value, float):
        if not math.isfinite(value):
            raise SpecError(f"{path} is {value!r}; JSON has no NaN or infinity (use null).")
        return
    if isinstance(value, dict):
        for key, item in value.items():
            if not isinstance(key, str):
                raise SpecError(f"{path} has a non-string key {key!r}; JSON keys are strings.")
            _check_json_value(item, f"{path}.{key}" if path else key)
        return
    if isinstance(value, list):
        for i, item in enumerate(value):
            _check_json_value(item, f"{path}[{i}]")
        return
    hint = " (convert numpy values with int() / float() / .tolist())" if "numpy" in str(
        type(value).__module__
    ) else ""
    raise SpecError(
        f"{path} is a {_type_name(value)}, which is not plain JSON: use a dict, list, str, int, "
        f"float, bool or None{hint}."
    )


def _require_dict(value: object, path: str) -> dict:
    if not isinstance(value, dict):
        raise SpecError(f"{path} must be an object (dict), got {_type_name(value)}.")
    return value


def _require_keys(obj: dict, path: str, required: Sequence[str], allowed: frozenset | set) -> None:
    missing = [k for k in required if k not in obj]
    if missing:
        raise SpecError(f"{path or 'spec'} is missing required key(s): {', '.join(missing)}.")
    unknown = sorted(set(obj) - set(allowed))
    if unknown:
        raise SpecError(
            f"{path or 'spec'} has unknown key(s): {', '.join(map(repr, unknown))}; "
            f"allowed: {', '.join(sorted(allowed))}."
        )


def _require_int(value: object, path: str, *, limit: int | None = MAX_ABS_POINTS) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise SpecError(f"{path} must be an integer, got {value!r} ({_type_name(value)}).")
    if limit is not None and abs(value) > limit:
        raise SpecError(f"{path} is {value}; points and scores must be within +-{limit}.")
    return value


def _require_number(value: object, path: str, *, allow_null: bool = False) -> float | None:
    if value is None and allow_null:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        what = "a number or null" if allow_null else "a number"
        raise SpecError(f"{path} must be {what}, got {value!r} ({_type_name(value)}).")
    if isinstance(value, int):
        try:
            exact = float(value) == value
        except OverflowError:
            exact = False
        if not exact:
            raise SpecError(f"{path} = {value} is not exactly representable as a double.")
    elif not math.isfinite(value):
        raise SpecError(f"{path} must be finite, got {value!r}.")
    return value


def _require_str(value: object, path: str, *, non_empty: bool = False) -> str:
    if not isinstance(value, str):
        raise SpecError(f"{path} must be a string, got {value!r} ({_type_name(value)}).")
    if non_empty and not value:
        raise SpecError(f"{path} must not be empty.")
    return value


def _require_list(value: object, path: str) -> list:
    if not isinstance(value, list):
        raise SpecError(f"{path} must be a list (JSON array), got {_type_name(value)}.")
    return value


def _validate_info(bin_: dict, path: str) -> None:
    for key in INFO_KEYS:
        if key in bin_:
            value = _require_number(bin_[key], f"{path}.{key}", allow_null=True)
            if key in ("goods", "bads") and value is not None and value < 0:
                raise SpecError(f"{path}.{key} must be >= 0, got {value!r}.")


def _validate_bin(bin_: object, path: str, expected_kind: str) -> dict:
    bin_ = _require_dict(bin_, path)
    kind = bin_.get("kind")
    if kind != expected_kind:
        raise SpecError(f"{path}.kind must be {expected_kind!r} here, got {kind!r}.")
    allowed = BIN_KEYS[kind]
    required = ["kind", "label", "points"] + {
        "interval": ["lower", "upper"], "special": ["value"], "categories": ["categories"]
    }.get(kind, [])
    _require_keys(bin_, path, required, allowed)
    _require_str(bin_["label"], f"{path}.label")
    _require_int(bin_["points"], f"{path}.points")
    _validate_info(bin_, path)
    return bin_


def _validate_numeric(ch: dict, path: str) -> None:
    _require_keys(ch, path, sorted(NUMERIC_KEYS), NUMERIC_KEYS)
    edges = _require_list(ch["edges"], f"{path}.edges")
    for i, edge in enumerate(edges):
        _require_number(edge, f"{path}.edges[{i}]")
        if i and not edges[i - 1] < edge:
            raise SpecError(
                f"{path}.edges must be strictly increasing: edges[{i - 1}] = {edges[i - 1]!r} "
                f"is not < edges[{i}] = {edge!r}."
            )
    specials = _require_list(ch["special_values"], f"{path}.special_values")
    seen_specials: set[float] = set()
    for i, value in enumerate(specials):
        _require_number(value, f"{path}.special_values[{i}]")
        if value in seen_specials:
            raise SpecError(f"{path}.special_values[{i}] = {value!r} is a duplicate.")
        seen_specials.add(value)
    bins = _require_list(ch["bins"], f"{path}.bins")
    n_intervals = len(edges) + 1
    expected = n_intervals + 1 + len(specials)
    if len(bins) != expected:
        raise SpecError(
            f"{path}.bins has {len(bins)} bins; a numeric characteristic with {len(edges)} edge(s) "
            f"and {len(specials)} special value(s) needs {expected}: {n_intervals} interval bins, "
            "then one missing bin, then one bin per special value, in that order."
        )
    bounds: list[float | None] = [None, *edges, None]
    for j in range(n_intervals):
        bin_path = f"{path}.bins[{j}]"
        bin_ = _validate_bin(bins[j], bin_path, "interval")
        for key, want in (("lower", bounds[j]), ("upper", bounds[j + 1])):
            got = bin_[key]
            if want is None:
                if got is not None:
                    raise SpecError(f"{bin_path}.{key} must be null (open end), got {got!r}.")
            elif isinstance(got, bool) or not isinstance(got, (int, float)) or got != want:
                raise SpecError(f"{bin_path}.{key} must equal the edge {want!r}, got {got!r}.")
    _validate_bin(bins[n_intervals], f"{path}.bins[{n_intervals}]", "missing")
    for i, value in enumerate(specials):
        j = n_intervals + 1 + i
        bin_ = _validate_bin(bins[j], f"{path}.bins[{j}]", "special")
        got = bin_["value"]
        if isinstance(got, bool) or not isinstance(got, (int, float)) or got != value:
            raise SpecError(
                f"{path}.bins[{j}].value must equal special_values[{i}] = {value!r}, got {got!r}."
            )


def _validate_categorical(ch: dict, path: str) -> None:
    _require_keys(ch, path, sorted(CATEGORICAL_KEYS), CATEGORICAL_KEYS)
    if ch["unseen"] not in UNSEEN_POLICIES:
        raise SpecError(
            f"{path}.unseen must be one of {', '.join(UNSEEN_POLICIES)}; got {ch['unseen']!r}."
        )
    _require_int(ch["unseen_points"], f"{path}.unseen_points")
    bins = _require_list(ch["bins"], f"{path}.bins")
    if len(bins) < 2:
        raise SpecError(
            f"{path}.bins has {len(bins)} bin(s); a categorical characteristic needs one or more "
            "category bins followed by exactly one missing bin."
        )
    seen: dict[str, int] = {}
    for j, raw in enumerate(bins[:-1]):
        bin_path = f"{path}.bins[{j}]"
        bin_ = _validate_bin(raw, bin_path, "categories")
        categories = _require_list(bin_["categories"], f"{bin_path}.categories")
        if not categories:
            raise SpecError(f"{bin_path}.categories must list at least one category.")
        for i, category in enumerate(categories):
            _require_str(category, f"{bin_path}.categories[{i}]")
            if category in seen:
                raise SpecError(
                    f"{bin_path}.categories[{i}] = {category!r} is already in "
                    f"{path}.bins[{seen[category]}]; a category belongs to one bin only."
                )
            seen[category] = j
    _validate_bin(bins[-1], f"{path}.bins[{len(bins) - 1}]", "missing")


def _validate_characteristics(value: object) -> None:
    characteristics = _require_list(value, "characteristics")
    if not characteristics:
        raise SpecError("characteristics is empty; a scorecard needs at least one characteristic.")
    names: dict[str, int] = {}
    for c, raw in enumerate(characteristics):
        path = f"characteristics[{c}]"
        ch = _require_dict(raw, path)
        name = _require_str(ch.get("name"), f"{path}.name", non_empty=True)
        if name in names:
            raise SpecError(
                f"{path}.name {name!r} repeats characteristics[{names[name]}]; names are the "
                "input column names and must be unique."
            )
        names[name] = c
        dtype = ch.get("dtype")
        if dtype == "numeric":
            _validate_numeric(ch, path)
        elif dtype == "categorical":
            _validate_categorical(ch, path)
        else:
            raise SpecError(f"{path}.dtype must be 'numeric' or 'categorical', got {dtype!r}.")


def _validate_header(obj: dict) -> None:
    version = obj["schema_version"]
    if isinstance(version, bool) or version not in SUPPORTED_SCHEMA_VERSIONS:
        raise SpecError(_version_message(version))
    if obj["kind"] != "scorecard":
        raise SpecError(f"kind must be 'scorecard', got {obj['kind']!r}.")
    _require_str(obj["package_version"], "package_version", non_empty=True)
    created = _require_str(obj["created_at"], "created_at")
    try:
        stamp = datetime.fromisoformat(created)
    except ValueError:
        raise SpecError(
            f"created_at must be an ISO-8601 timestamp such as 2026-01-31T12:00:00+00:00, "
            f"got {created!r}."
        ) from None
    if stamp.tzinfo is None:
        raise SpecError(f"created_at must carry a time zone (UTC: +00:00), got {created!r}.")
    _require_str(obj["name"], "name")
    target = _require_dict(obj["target"], "target")
    _require_keys(target, "target", ["name", "bad_value"], {"name", "bad_value"})
    _require_str(target["name"], "target.name")
    if isinstance(target["bad_value"], (dict, list)):
        raise SpecError("target.bad_value must be a JSON scalar (string, number, bool or null).")
    if obj["encoding"] not in ENCODINGS:
        raise SpecError(f"encoding must be one of {', '.join(ENCODINGS)}; got {obj['encoding']!r}.")
    _require_dict(obj["conventions"], "conventions")
    scaling = _require_dict(obj["scaling"], "scaling")
    _require_keys(scaling, "scaling", SCALING_KEYS, set(SCALING_KEYS))
    for key in ("base_score", "base_odds", "pdo", "factor", "offset"):
        _require_number(scaling[key], f"scaling.{key}")
    bounds = [scaling["min_score"], scaling["max_score"]]
    for key, value in zip(("min_score", "max_score"), bounds):
        if value is not None:
            _require_int(value, f"scaling.{key}")
    if None not in bounds and bounds[0] > bounds[1]:
        raise SpecError(f"scaling.min_score {bounds[0]} is greater than max_score {bounds[1]}.")
    _require_str(scaling["rounding"], "scaling.rounding")
    _require_int(obj["intercept_points"], "intercept_points")
    _require_dict(obj["model"], "model")
    training = _require_dict(obj["training"], "training")
    if "n_rows" not in training:
        raise SpecError("training is missing required key: n_rows.")
    _require_int(training["n_rows"], "training.n_rows", limit=None)
    if training["n_rows"] < 0:
        raise SpecError(f"training.n_rows must be >= 0, got {training['n_rows']}.")
    if "data_sha256" in training and training["data_sha256"] is not None:
        _require_str(training["data_sha256"], "training.data_sha256")
    if "integrity" in obj:
        integrity = _require_dict(obj["integrity"], "integrity")
        _require_keys(integrity, "integrity", ["sha256"], INTEGRITY_KEYS)
        for key in sorted(integrity):
            digest = integrity[key]
            if not isinstance(digest, str) or not _SHA256_HEX.fullmatch(digest):
                raise SpecError(f"integrity.{key} must be 64 lowercase hex digits.")


def _version_message(version: object) -> str:
    supported = ", ".join(map(str, SUPPORTED_SCHEMA_VERSIONS))
    return (
        f"unknown schema_version {version!r}: this version of scorecard reads schema_version "
        f"{supported}. Upgrade scorecard to read newer specs, or re-export the model."
    )


def validate_spec(obj: object, *, check_integrity: bool = False) -> dict:
    """Check a spec's structure strictly and return it unchanged; raise SpecError naming the path.

    Checks plain-JSON types, required and unknown keys, schema_version, strictly increasing
    finite edges, the bin layout (intervals in edge order, one missing bin, one bin per special
    value; or category bins then the missing bin), integer points, categories that appear in one
    bin only and unique characteristic names. With ``check_integrity``, a spec that carries an
    integrity hash must also match it (`load_spec` and `save_spec` always check; in memory a
    derived copy such as ``{**spec, "name": ...}`` is still a valid spec to score or export).
    """
    obj = _require_dict(obj, "spec")
    if "schema_version" not in obj:
        raise SpecError("spec has no schema_version; is this a scorecard spec?")
    version = obj["schema_version"]
    if isinstance(version, bool) or version not in SUPPORTED_SCHEMA_VERSIONS:
        raise SpecError(_version_message(version))
    _require_keys(obj, "", [k for k in TOP_LEVEL_KEYS if k != "integrity"], set(TOP_LEVEL_KEYS))
    _check_json_value(obj, "")
    _validate_header(obj)
    _validate_characteristics(obj["characteristics"])
    stale = check_integrity and "integrity" in obj
    if stale and obj["integrity"]["sha256"] != compute_integrity(obj):
        raise SpecError(
            "integrity.sha256 does not match the spec's content: it was changed after it was "
            "sealed (tampered or edited by hand). Rebuild it from the model, or call seal() "
            "deliberately after reviewing the change."
        )
    return obj


# ----------------------------------------------------------------------------------------------
# Integrity, save and load
# ----------------------------------------------------------------------------------------------


def _canonical_bytes(obj: Mapping[str, Any]) -> bytes:
    body = {k: v for k, v in obj.items() if k != "integrity"}
    try:
        text = json.dumps(
            body, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
        )
    except (TypeError, ValueError) as exc:
        raise SpecError(f"the spec is not plain JSON and cannot be hashed: {exc}") from None
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise SpecError(f"the spec contains text that is not valid Unicode: {exc}") from None


def compute_integrity(obj: Mapping[str, Any]) -> str:
    """sha256 hex digest of the canonical JSON of every top-level key except ``integrity``."""
    if not isinstance(obj, Mapping):
        raise SpecError(f"spec must be an object (dict), got {_type_name(obj)}.")
    return hashlib.sha256(_canonical_bytes(obj)).hexdigest()


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


def compute_signature(obj: Mapping[str, Any], key: bytes) -> str:
    """HMAC-SHA256 (hex) under ``key`` of the same canonical content `compute_integrity` hashes."""
    if not isinstance(obj, Mapping):
        raise SpecError(f"spec must be an object (dict), got {_type_name(obj)}.")
    return hmac.new(key, _canonical_bytes(obj), hashlib.sha256).hexdigest()


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
        raise SpecError(f"spec must be an object (dict), got {_type_name(obj)}.")
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
        raise SpecError(f"{source} must hold a JSON object, got a {_type_name(obj)}.")
    if "schema_version" not in obj:
        raise SpecError(f"{source} has no schema_version; is this a scorecard spec?")
    version = obj["schema_version"]
    if isinstance(version, bool) or version not in SUPPORTED_SCHEMA_VERSIONS:
        raise SpecError(f"{source}: {_version_message(version)}")
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


# ----------------------------------------------------------------------------------------------
# Reference scorer and points table
# ----------------------------------------------------------------------------------------------


def _best_points(ch: Mapping[str, Any]) -> int:
    best = max(b["points"] for b in ch["bins"])
    if ch["dtype"] == "categorical":
        best = max(best, ch["unseen_points"])
    return best


def _numeric_column(series: pd.Series, name: str) -> np.ndarray:
    dtype = series.dtype
    if pd.api.types.is_bool_dtype(dtype) or pd.api.types.is_numeric_dtype(dtype):
        return series.to_numpy(dtype=np.float64, na_value=np.nan)
    values = series.to_numpy(dtype=object)
    missing = np.asarray(pd.isna(values), dtype=bool)
    out = np.full(values.shape[0], np.nan)
    try:
        out[~missing] = np.asarray(values[~missing], dtype=np.float64)
    except (TypeError, ValueError, OverflowError):
        bad = next(
            (v for v in values[~missing] if not _parses_as_float(v)), values[~missing][0]
        )
        raise InputError(
            f"column {name!r} is numeric in the scorecard but holds {bad!r}, which is not a "
            "number; fix or drop those values."
        ) from None
    return out


def _parses_as_float(value: object) -> bool:
    try:
        float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError, OverflowError):
        return False
    return True


def _numeric_points(x: np.ndarray, ch: Mapping[str, Any]) -> np.ndarray:
    bins = ch["bins"]
    n_intervals = len(ch["edges"]) + 1
    interval_points = np.array([b["points"] for b in bins[:n_intervals]], dtype=np.int64)
    edges = np.asarray(ch["edges"], dtype=np.float64)
    points = interval_points[np.searchsorted(edges, x, side="right")]
    for value, bin_ in zip(ch["special_values"], bins[n_intervals + 1:]):
        points[x == value] = bin_["points"]
    points[np.isnan(x)] = bins[n_intervals]["points"]
    return points


def _categorical_points(series: pd.Series, ch: Mapping[str, Any]) -> np.ndarray:
    text = category_text(series)
    categories: list[str] = []
    per_category: list[int] = []
    for bin_ in ch["bins"][:-1]:
        categories.extend(bin_["categories"])
        per_category.extend([bin_["points"]] * len(bin_["categories"]))
    lookup = np.array([*per_category, ch["unseen_points"]], dtype=np.int64)
    values = text.to_numpy(dtype=object, na_value=None)
    codes = pd.Index(categories, dtype=object).get_indexer(values)  # -1: unseen or missing
    points = lookup[codes]
    points[np.asarray(text.isna(), dtype=bool)] = ch["bins"][-1]["points"]
    return points


def score_frame(
    spec: Mapping[str, Any], frame: pd.DataFrame, *, reason_codes: int = 0
) -> pd.DataFrame:
    """Score every row: the reference implementation every export must reproduce exactly.

    Returns a frame on ``frame``'s index with ``score`` (int64) and, when ``reason_codes`` = k > 0,
    ``reason_1`` .. ``reason_k``: the characteristics that cost the row most points relative to
    their best bin (ties in characteristic order; None where fewer than k lose points).
    Numeric inputs: NaN/None is missing, special values match exactly, otherwise the interval
    bin is the number of edges <= x. Categorical inputs are compared as text (pandas "string").
    """
    validate_spec(spec)
    if not isinstance(frame, pd.DataFrame):
        raise InputError(f"frame must be a pandas DataFrame, got {_type_name(frame)}.")
    if (
        isinstance(reason_codes, bool)
        or not isinstance(reason_codes, (int, np.integer))
        or reason_codes < 0
    ):
        raise InputError(f"reason_codes must be an integer >= 0, got {reason_codes!r}.")
    characteristics = spec["characteristics"]
    names = [ch["name"] for ch in characteristics]
    absent = [n for n in names if n not in frame.columns]
    if absent:
        raise InputError(
            f"input column(s) {', '.join(map(repr, absent))} needed by the scorecard are missing "
            f"from the data; available columns: {', '.join(map(str, list(frame.columns)[:20]))}."
        )
    n_rows = len(frame)
    points = np.empty((n_rows, len(characteristics)), dtype=np.int64)
    for c, ch in enumerate(characteristics):
        column = frame[ch["name"]]
        if isinstance(column, pd.DataFrame):
            raise InputError(f"column {ch['name']!r} appears more than once in the data.")
        if ch["dtype"] == "numeric":
            points[:, c] = _numeric_points(_numeric_column(column, ch["name"]), ch)
        else:
            points[:, c] = _categorical_points(column, ch)
    score = points.sum(axis=1, dtype=np.int64) + np.int64(spec["intercept_points"])
    low, high = spec["scaling"]["min_score"], spec["scaling"]["max_score"]
    if low is not None or high is not None:
        score = np.clip(score, low, high)
    result = pd.DataFrame({"score": score.astype(np.int64)}, index=frame.index)
    k = int(reason_codes)
    if k:
        best = np.array([_best_points(ch) for ch in characteristics], dtype=np.int64)
        lost = best[None, :] - points
        order = np.argsort(-lost, axis=1, kind="stable")[:, :k]
        top_lost = np.take_along_axis(lost, order, axis=1)
        labels = np.array(names, dtype=object)[order]
        labels[top_lost <= 0] = None
        for r in range(k):
            column = labels[:, r] if r < labels.shape[1] else np.full(n_rows, None, dtype=object)
            result[f"reason_{r + 1}"] = pd.Series(column, index=frame.index, dtype=object)
    return result


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
