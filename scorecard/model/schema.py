"""The spec's schema: its constants, the strict structural check `validate_spec`, its integrity hash.

A spec is plain JSON data (schema_version 1): the bins of every characteristic with their
integer points, the scaling, the conventions, the model's parameters and the training data's
fingerprint. `validate_spec` checks all of it and names the path of anything wrong; it is the
door every spec passes before it is scored, exported, saved or loaded (`scorecard.model.spec`).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import math
import re
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from scorecard.exceptions import SpecError
from scorecard.options import ENCODINGS, SPEC_UNSEEN_POLICIES

__all__ = [
    "SUPPORTED_SCHEMA_VERSIONS",
    "compute_integrity",
    "compute_signature",
    "unsupported_version_message",
    "validate_spec",
]

SUPPORTED_SCHEMA_VERSIONS = (1,)
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
    if ch["unseen"] not in SPEC_UNSEEN_POLICIES:
        raise SpecError(
            f"{path}.unseen must be one of {', '.join(SPEC_UNSEEN_POLICIES)}; "
            f"got {ch['unseen']!r}."
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
        raise SpecError(unsupported_version_message(version))
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


def unsupported_version_message(version: object) -> str:
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
        raise SpecError(unsupported_version_message(version))
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


def compute_signature(obj: Mapping[str, Any], key: bytes) -> str:
    """HMAC-SHA256 (hex) under ``key`` of the same canonical content `compute_integrity` hashes."""
    if not isinstance(obj, Mapping):
        raise SpecError(f"spec must be an object (dict), got {_type_name(obj)}.")
    return hmac.new(key, _canonical_bytes(obj), hashlib.sha256).hexdigest()
