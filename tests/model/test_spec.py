"""The scorecard spec: strict validation with JSON paths, exact save/load round trips, integrity
(tamper) checks, data that looks like code staying data, and the reference scorer's semantics."""

from __future__ import annotations

import copy
import json
import math
import struct

import numpy as np
import pandas as pd
import pytest

from scorecard.exceptions import InputError, SpecError
from scorecard.model.spec import (
    bin_indices,
    compute_integrity,
    dumps_spec,
    load_spec,
    loads_spec,
    points_table,
    save_spec,
    score_frame,
    seal,
    validate_spec,
)


def _bins_numeric(edges, specials, points):
    bounds = [None, *edges, None]
    bins = [{"kind": "interval", "lower": bounds[j], "upper": bounds[j + 1], "label": f"bin {j}",
             "points": points[j], "points_exact": points[j] - 0.4, "woe": 0.1 * j,
             "goods": 10 * (j + 1), "bads": j + 1} for j in range(len(edges) + 1)]
    k = len(edges) + 1
    bins.append({"kind": "missing", "label": "Missing", "points": points[k]})
    bins += [{"kind": "special", "value": v, "label": f"Special {v}", "points": points[k + 1 + i]}
             for i, v in enumerate(specials)]
    return bins


def base_spec() -> dict:
    """Two characteristics with hand-checkable points.

    duration: < 12 -> 30, [12, 24) -> 20, >= 24 -> 5, missing -> 10, -999 -> 0.
    purpose: {car, new car} -> 25, {tv} -> 12, missing -> 8, unseen -> 1.
    """
    return {
        "schema_version": 1,
        "kind": "scorecard",
        "package_version": "0.1.0",
        "created_at": "2026-11-28T01:00:00+00:00",
        "name": "unit card",
        "target": {"name": "credit_risk", "bad_value": 2},
        "encoding": "woe-lr",
        "conventions": {"woe": "ln(share of goods / share of bads)", "smoothing_alpha_default": 0.5},
        "scaling": {"base_score": 600, "base_odds": 50, "pdo": 20, "factor": 28.8539,
                    "offset": 487.1229, "min_score": None, "max_score": None,
                    "rounding": "per-bin integer points"},
        "intercept_points": 100,
        "characteristics": [
            {"name": "duration", "dtype": "numeric", "edges": [12.0, 24.0],
             "special_values": [-999.0], "bins": _bins_numeric([12.0, 24.0], [-999.0],
                                                               [30, 20, 5, 10, 0])},
            {"name": "purpose", "dtype": "categorical", "unseen": "other", "unseen_points": 1,
             "bins": [
                 {"kind": "categories", "categories": ["car", "new car"], "label": "car, new car",
                  "points": 25, "woe": 0.3, "goods": 50, "bads": 5},
                 {"kind": "categories", "categories": ["tv"], "label": "tv", "points": 12},
                 {"kind": "missing", "label": "Missing", "points": 8},
             ]},
        ],
        "model": {"coefficients": [0.9, 1.1], "intercept": -1.5},
        "training": {"n_rows": 1000, "data_sha256": "ab" * 32, "metrics": {"auc": 0.8}},
    }


# ----------------------------------------------------------------------------------------------
# Save / load
# ----------------------------------------------------------------------------------------------


AWKWARD_FLOATS = [-1.7976931348623157e308, -1e300, -1 / 3, -5e-324, 0.0, 5e-324,
                  2.2250738585072014e-308, 0.1, 0.30000000000000004, 1 / 3, 1e16, 1e300]


def _awkward_spec() -> dict:
    spec = base_spec()
    edges = AWKWARD_FLOATS
    spec["characteristics"][0] = {
        "name": "x \"quoted\" 'é' 日本", "dtype": "numeric", "edges": edges,
        "special_values": [-0.0, 123.456],
        "bins": _bins_numeric(edges, [-0.0, 123.456], list(range(len(edges) + 4))),
    }
    return spec


def test_save_load_round_trips_exactly_with_bit_exact_floats(tmp_path):
    sealed = seal(_awkward_spec())
    path = save_spec(sealed, tmp_path / "card.json")
    loaded = load_spec(path)
    assert loaded == sealed
    edges = loaded["characteristics"][0]["edges"]
    assert [struct.pack("<d", e) for e in edges] == [struct.pack("<d", e) for e in AWKWARD_FLOATS]
    assert math.copysign(1.0, loaded["characteristics"][0]["special_values"][0]) == -1.0
    # Saving what was loaded writes the same bytes.
    again = save_spec(loaded, tmp_path / "again.json")
    assert again.read_bytes() == path.read_bytes()


def test_save_seals_an_unsealed_spec_and_writes_keys_in_schema_order(tmp_path):
    spec = base_spec()
    path = save_spec(spec, tmp_path / "card.json")
    loaded = load_spec(path)
    assert loaded == seal(spec)
    assert loaded["integrity"]["sha256"] == compute_integrity(spec)
    keys = list(json.loads(path.read_text(encoding="utf-8")))
    assert keys[0] == "schema_version" and keys[-1] == "integrity"
    assert keys.index("characteristics") < keys.index("model") < keys.index("training")
    assert "integrity" not in spec  # the caller's dict is not modified


def test_dumps_and_loads_are_the_text_form_of_save_and_load(tmp_path):
    spec = seal(base_spec())
    text = dumps_spec(spec)
    assert loads_spec(text) == spec
    assert loads_spec(text.encode("utf-8")) == spec
    assert save_spec(spec, tmp_path / "c.json").read_text(encoding="utf-8") == text


def test_integrity_ignores_key_order_and_detects_any_change():
    spec = base_spec()
    reordered = dict(reversed(list(spec.items())))
    assert compute_integrity(reordered) == compute_integrity(spec)
    changed = copy.deepcopy(spec)
    changed["model"]["intercept"] = -1.5000000000000002
    assert compute_integrity(changed) != compute_integrity(spec)
    assert seal(seal(spec)) == seal(spec)


def test_tampered_file_is_rejected(tmp_path):
    path = save_spec(base_spec(), tmp_path / "card.json")
    obj = json.loads(path.read_text(encoding="utf-8"))
    obj["characteristics"][0]["bins"][0]["points"] = 99  # a hand edit that keeps the old hash
    path.write_text(json.dumps(obj, indent=2), encoding="utf-8")
    with pytest.raises(SpecError, match="tampered with or edited by hand"):
        load_spec(path)


def test_removed_or_forged_integrity_is_rejected(tmp_path):
    path = tmp_path / "card.json"
    unsealed = base_spec()
    path.write_text(json.dumps(unsealed), encoding="utf-8")
    with pytest.raises(SpecError, match="no integrity hash"):
        load_spec(path)
    forged = dict(unsealed, integrity={"sha256": "0" * 64})
    path.write_text(json.dumps(forged), encoding="utf-8")
    with pytest.raises(SpecError, match="tampered"):
        load_spec(path)


def test_spec_changed_in_memory_after_sealing_is_not_silently_resealed(tmp_path):
    sealed = seal(base_spec())
    sealed["intercept_points"] = 101
    with pytest.raises(SpecError, match="changed after it was sealed"):
        save_spec(sealed, tmp_path / "card.json")
    with pytest.raises(SpecError, match="tampered or edited by hand"):
        validate_spec(sealed, check_integrity=True)
    assert not (tmp_path / "card.json").exists()
    # A derived copy is still a valid spec to score or export in memory.
    assert validate_spec(sealed) is sealed
    frame = pd.DataFrame({"duration": [1.0], "purpose": ["car"]})
    assert score_frame(sealed, frame)["score"].tolist() == [101 + 30 + 25]


def test_unknown_schema_version_names_the_supported_ones(tmp_path):
    path = tmp_path / "card.json"
    spec = seal(base_spec())
    spec["schema_version"] = 2
    path.write_text(json.dumps(spec), encoding="utf-8")
    with pytest.raises(SpecError, match=r"unknown schema_version 2.*reads schema_version 1"):
        load_spec(path)
    for version in ("1", True, None, 1.5):
        with pytest.raises(SpecError, match="schema_version"):
            validate_spec(dict(base_spec(), schema_version=version))


@pytest.mark.parametrize(
    ("content", "match"),
    [
        ("{", "not valid JSON"),
        ('{"schema_version": 1,}', "not valid JSON"),
        ("", "not valid JSON"),
        ("[1, 2]", "must hold a JSON object"),
        ('{"schema_version": 1, "schema_version": 1}', "repeats the key"),
        ('{"schema_version": 1, "x": NaN}', "NaN"),
        ('{"schema_version": 1, "x": Infinity}', "Infinity"),
        ('{"name": "not a spec"}', "no schema_version"),
        ("[" * 100_000 + "]" * 100_000, "nested too deeply|not valid JSON|must hold"),
    ],
)
def test_malformed_json_is_a_spec_error(tmp_path, content, match):
    path = tmp_path / "card.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(SpecError, match=match):
        load_spec(path)


def test_non_utf8_file_is_a_spec_error(tmp_path):
    path = tmp_path / "card.json"
    path.write_bytes(b'{"name": "\xff\xfe"}')
    with pytest.raises(SpecError, match="not UTF-8"):
        load_spec(path)


def test_missing_file_or_folder_is_an_input_error(tmp_path):
    with pytest.raises(InputError, match="does not exist"):
        load_spec(tmp_path / "absent.json")
    with pytest.raises(InputError, match="not a file"):
        load_spec(tmp_path)
    with pytest.raises(InputError, match="not a folder"):
        save_spec(base_spec(), tmp_path / "no" / "such" / "dir.json")


def test_data_that_looks_like_code_is_only_data(tmp_path):
    sentinel = tmp_path / "pwned"
    payload = f"__import__('os').system('touch {sentinel}')"
    spec = base_spec()
    spec["name"] = payload
    spec["model"] = {"__class__": "os.system", "__reduce__": ["os.system", [f"touch {sentinel}"]],
                     "py/object": "subprocess.Popen", "!!python/object/apply:os.system": [payload]}
    spec["characteristics"][1]["bins"][1]["categories"] = ["{{7*7}}", "${7*7}", payload]
    path = save_spec(spec, tmp_path / "card.json")
    loaded = load_spec(path)
    assert loaded["name"] == payload
    assert loaded["model"]["__class__"] == "os.system"
    assert type(loaded["model"]) is dict
    assert not sentinel.exists()
    scored = score_frame(loaded, pd.DataFrame({"duration": [1.0], "purpose": [payload]}))
    assert scored["score"].tolist() == [100 + 30 + 12]
    assert not sentinel.exists()


# ----------------------------------------------------------------------------------------------
# Validation: every problem names its JSON path
# ----------------------------------------------------------------------------------------------


def _set(path, value):
    def mutate(spec):
        target = spec
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value
    return mutate


def _delete(path):
    def mutate(spec):
        target = spec
        for key in path[:-1]:
            target = target[key]
        del target[path[-1]]
    return mutate


C0, C1 = ("characteristics", 0), ("characteristics", 1)


@pytest.mark.parametrize(
    ("mutate", "match"),
    [
        (_set((*C0, "bins", 1, "points"), 1.5), r"characteristics\[0\]\.bins\[1\]\.points must be an integer"),
        (_set((*C0, "bins", 1, "points"), True), r"characteristics\[0\]\.bins\[1\]\.points must be an integer"),
        (_set((*C0, "bins", 1, "points"), "20"), r"bins\[1\]\.points must be an integer"),
        (_set((*C0, "bins", 1, "points"), np.int64(20)), r"not plain JSON.*numpy"),
        (_set((*C0, "bins", 1, "points"), 10**13), r"within"),
        (_set((*C0, "edges"), [24.0, 12.0]), r"characteristics\[0\]\.edges must be strictly increasing"),
        (_set((*C0, "edges"), [12.0, 12.0]), r"strictly increasing"),
        (_set((*C0, "edges"), [12.0, math.nan]), r"NaN"),
        (_set((*C0, "edges"), [12.0, math.inf]), r"infinity"),
        (_set((*C0, "edges"), (12.0, 24.0)), r"characteristics\[0\]\.edges is a tuple"),
        (_set((*C0, "edges"), [12.0, "24"]), r"edges\[1\] must be a number"),
        (_set((*C0, "edges"), [12, 2**53 + 1]), r"edges\[1\] = 9007199254740993 is not exactly"),
        (_set((*C0, "edges"), [12, 10**400]), r"edges\[1\] = 1000.* is not exactly"),
        (_set((*C0, "edges"), [12.0]), r"characteristics\[0\]\.bins has 5 bins.*needs 4"),
        (_set((*C0, "special_values"), [-999.0, -999.0]), r"special_values\[1\] = -999.0 is a duplicate"),
        (_set((*C0, "bins", 0, "upper"), 11.0), r"bins\[0\]\.upper must equal the edge 12.0"),
        (_set((*C0, "bins", 0, "lower"), -1.0), r"bins\[0\]\.lower must be null"),
        (_set((*C0, "bins", 3, "kind"), "special"), r"bins\[3\]\.kind must be 'missing'"),
        (_set((*C0, "bins", 4, "value"), -998.0), r"bins\[4\]\.value must equal special_values\[0\]"),
        (_delete((*C0, "bins", 2, "label")), r"characteristics\[0\]\.bins\[2\] is missing required key\(s\): label"),
        (_set((*C0, "bins", 2, "extra"), 1), r"bins\[2\] has unknown key\(s\): 'extra'"),
        (_set((*C0, "bins", 2, "woe"), "high"), r"bins\[2\]\.woe must be a number or null"),
        (_set((*C0, "bins", 2, "goods"), -1), r"bins\[2\]\.goods must be >= 0"),
        (_set((*C0, "dtype"), "float"), r"characteristics\[0\]\.dtype must be 'numeric' or 'categorical'"),
        (_set((*C0, "unseen_points"), 3), r"characteristics\[0\] has unknown key"),
        (_set((*C0, "name"), "purpose"), r"characteristics\[1\]\.name 'purpose' repeats characteristics\[0\]"),
        (_set((*C0, "name"), ""), r"characteristics\[0\]\.name must not be empty"),
        (_set((*C1, "bins", 1, "categories"), ["car"]), r"characteristics\[1\]\.bins\[1\]\.categories\[0\] = 'car' is already in"),
        (_set((*C1, "bins", 1, "categories"), []), r"bins\[1\]\.categories must list at least one"),
        (_set((*C1, "bins", 1, "categories"), [3]), r"bins\[1\]\.categories\[0\] must be a string"),
        (_set((*C1, "unseen"), "error"), r"characteristics\[1\]\.unseen must be one of"),
        (_set((*C1, "unseen_points"), None), r"characteristics\[1\]\.unseen_points must be an integer"),
        (_delete((*C1, "unseen_points")), r"characteristics\[1\] is missing required key"),
        (_set((*C1, "bins"), [{"kind": "missing", "label": "M", "points": 1}]), r"needs one or more category bins"),
        (_set(("characteristics",), []), r"characteristics is empty"),
        (_set(("intercept_points",), 1.0), r"intercept_points must be an integer"),
        (_set(("scaling", "min_score"), 700), None),
        (_set(("scaling", "pdo"), "20"), r"scaling\.pdo must be a number"),
        (_delete(("scaling", "pdo")), r"scaling is missing required key\(s\): pdo"),
        (_set(("encoding",), "gbm"), r"encoding must be one of"),
        (_set(("kind",), "binning"), r"kind must be 'scorecard'"),
        (_set(("created_at",), "yesterday"), r"created_at must be an ISO-8601"),
        (_set(("created_at",), "2026-11-28T01:00:00"), r"created_at must carry a time zone"),
        (_set(("target",), {"name": "y"}), r"target is missing required key\(s\): bad_value"),
        (_set(("training", "n_rows"), -1), r"training\.n_rows must be >= 0"),
        (_set(("model",), []), r"model must be an object"),
        (_set(("model", "coefficients"), {1: 2}), r"model\.coefficients has a non-string key"),
        (_set(("model", "values"), {1.5}), r"model\.values is a set"),
        (_set(("surprise",), 1), r"spec has unknown key\(s\): 'surprise'"),
        (_delete(("training",)), r"spec is missing required key\(s\): training"),
        (_set(("integrity",), {"sha256": "xyz"}), r"integrity\.sha256 must be 64 lowercase hex"),
    ],
)
def test_validation_names_the_path_of_the_problem(mutate, match):
    spec = base_spec()
    if match is None:  # min_score 700 with max_score 600
        spec["scaling"]["max_score"] = 600
        match = r"scaling\.min_score 700 is greater than max_score 600"
    mutate(spec)
    with pytest.raises(SpecError, match=match):
        validate_spec(spec)


def test_validate_returns_the_spec_unchanged():
    spec = base_spec()
    before = copy.deepcopy(spec)
    assert validate_spec(spec) is spec
    assert spec == before
    with pytest.raises(SpecError, match="spec must be an object"):
        validate_spec([spec])


# ----------------------------------------------------------------------------------------------
# Reference scorer
# ----------------------------------------------------------------------------------------------


def test_score_frame_follows_the_documented_semantics():
    frame = pd.DataFrame({
        "duration": [11.999999999999998, 12.0, 23.9, 24.0, 1e9, -1e9, np.nan, -999.0, None],
        "purpose": ["car", "new car", "tv", None, "TV", "car ", np.nan, "", "tv"],
    })
    scored = score_frame(base_spec(), frame)
    duration = [30, 20, 20, 5, 5, 30, 10, 0, 10]
    purpose = [25, 25, 12, 8, 1, 1, 8, 1, 12]
    assert scored["score"].tolist() == [100 + d + p for d, p in zip(duration, purpose)]
    assert scored["score"].dtype == np.int64
    assert scored.index.equals(frame.index)


def test_score_frame_accepts_integer_nullable_bool_and_text_numbers():
    spec = base_spec()
    spec["characteristics"][1]["bins"][1]["categories"] = ["1", "True"]
    frames = [
        pd.DataFrame({"duration": pd.array([11, 12, None], dtype="Int64"),
                      "purpose": pd.array([1, 2, None], dtype="Int64")}),
        pd.DataFrame({"duration": ["11", " 12.0 ", None], "purpose": [True, False, None]}),
    ]
    expected = [[100 + 30 + 12, 100 + 20 + 1, 100 + 10 + 8], [100 + 30 + 12, 100 + 20 + 1, 100 + 10 + 8]]
    for frame, want in zip(frames, expected):
        assert score_frame(spec, frame)["score"].tolist() == want


def test_score_frame_clips_to_the_score_range():
    spec = base_spec()
    spec["scaling"]["min_score"], spec["scaling"]["max_score"] = 120, 150
    frame = pd.DataFrame({"duration": [30.0, 1.0, -999.0], "purpose": [None, "car", "x"]})
    assert score_frame(spec, frame)["score"].tolist() == [120 + 0, 150, 120]  # 113->120, 155->150, 101->120


def test_reason_codes_rank_lost_points_with_ties_in_characteristic_order():
    spec = base_spec()
    frame = pd.DataFrame({
        "duration": [1.0, 30.0, 15.0, 30.0],     # loses 0, 25, 10, 25
        "purpose": ["car", "car", "x", "x"],     # loses 0, 0, 24, 24
    })
    scored = score_frame(spec, frame, reason_codes=3)
    assert scored["reason_1"].tolist() == [None, "duration", "purpose", "duration"]
    assert scored["reason_2"].tolist() == [None, None, "duration", "purpose"]
    assert scored["reason_3"].tolist() == [None] * 4
    tie = base_spec()
    tie["characteristics"][1]["bins"][1]["points"] = 20  # tv: loses 5; duration 24+: loses 25
    tie["characteristics"][0]["bins"][1]["points"] = 25  # duration [12, 24): loses 5
    tied = score_frame(tie, pd.DataFrame({"duration": [15.0], "purpose": ["tv"]}), reason_codes=2)
    assert tied[["reason_1", "reason_2"]].iloc[0].tolist() == ["duration", "purpose"]


def test_score_frame_rejects_bad_input_at_the_door():
    spec = base_spec()
    with pytest.raises(InputError, match="'purpose'"):
        score_frame(spec, pd.DataFrame({"duration": [1.0]}))
    with pytest.raises(InputError, match=r"column 'duration' is numeric.*'abc'"):
        score_frame(spec, pd.DataFrame({"duration": ["1", "abc"], "purpose": ["a", "b"]}))
    with pytest.raises(InputError, match="reason_codes"):
        score_frame(spec, pd.DataFrame({"duration": [1.0], "purpose": ["a"]}), reason_codes=-1)
    with pytest.raises(InputError, match="DataFrame"):
        score_frame(spec, {"duration": [1.0], "purpose": ["a"]})
    dup = pd.DataFrame([[1.0, 2.0, "a"]], columns=["duration", "duration", "purpose"])
    with pytest.raises(InputError, match="more than once"):
        score_frame(spec, dup)
    spec["characteristics"][0]["edges"] = [24.0, 12.0]
    with pytest.raises(SpecError):
        score_frame(spec, pd.DataFrame({"duration": [1.0], "purpose": ["a"]}))


def test_score_frame_on_an_empty_frame():
    scored = score_frame(base_spec(), pd.DataFrame({"duration": [], "purpose": []}), reason_codes=2)
    assert list(scored.columns) == ["score", "reason_1", "reason_2"] and len(scored) == 0


def test_points_table_lists_every_bin_and_the_unseen_row():
    table = points_table(base_spec())
    assert list(table.columns) == ["characteristic", "bin", "kind", "points", "points_exact",
                                   "woe", "goods", "bads"]
    assert len(table) == 5 + 3 + 1
    unseen = table[table["kind"] == "unseen"]
    assert unseen[["characteristic", "bin", "points"]].values.tolist() == [["purpose", "Unseen", 1]]
    first = table.iloc[0]
    assert (first["points"], first["points_exact"], first["goods"]) == (30, 29.6, 10.0)
    assert math.isnan(table.iloc[3]["woe"])  # the missing bin gave no woe


def test_bin_indices_number_the_spec_bins_and_drive_the_score():
    spec = base_spec()
    frame = pd.DataFrame({
        "duration": [5.0, 12.0, 30.0, np.nan, -999.0, 24.0],
        "purpose": ["new car", "tv", None, "boat", "car", np.nan],
    })
    indices = bin_indices(spec, frame)
    # duration: intervals 0..2, missing 3, special -999 -> 4; purpose: groups 0..1, missing 2,
    # unseen -> len(bins) = 3.
    assert indices.tolist() == [[0, 0], [1, 1], [2, 2], [3, 3], [4, 0], [2, 2]]
    points = [np.array([b["points"] for b in ch["bins"]] + [ch.get("unseen_points", 0)])
              for ch in spec["characteristics"]]
    by_hand = spec["intercept_points"] + sum(points[c][indices[:, c]] for c in range(2))
    assert score_frame(spec, frame)["score"].tolist() == by_hand.tolist()


def test_bin_indices_check_their_input():
    spec = base_spec()
    with pytest.raises(InputError, match="'purpose'"):
        bin_indices(spec, pd.DataFrame({"duration": [1.0]}))
    with pytest.raises(InputError, match="DataFrame"):
        bin_indices(spec, {"duration": [1.0]})
    spec["characteristics"][1]["unseen"] = "error"
    with pytest.raises(SpecError):
        bin_indices(spec, pd.DataFrame({"duration": [1.0], "purpose": ["a"]}))


def test_reason_codes_and_scores_agree_with_a_stable_sort_of_lost_points():
    rng = np.random.default_rng(4)
    spec = base_spec()
    n = 3000
    frame = pd.DataFrame({
        "duration": rng.choice([1.0, 15.0, 30.0, np.nan, -999.0], size=n),
        "purpose": rng.choice(np.array(["car", "tv", "x", None], dtype=object), size=n),
    })
    indices = bin_indices(spec, frame)
    per_bin = [np.array([b["points"] for b in ch["bins"]]
                        + ([ch["unseen_points"]] if ch["dtype"] == "categorical" else []))
               for ch in spec["characteristics"]]
    points = np.column_stack([v[indices[:, c]] for c, v in enumerate(per_bin)])
    scored = score_frame(spec, frame, reason_codes=3)
    expected_score = np.clip(points.sum(axis=1) + spec["intercept_points"],
                             spec["scaling"]["min_score"] or -np.inf,
                             spec["scaling"]["max_score"] or np.inf)
    np.testing.assert_array_equal(scored["score"].to_numpy(), expected_score)
    lost = np.array([v.max() for v in per_bin])[None, :] - points
    order = np.argsort(-lost, axis=1, kind="stable")
    names = np.array([ch["name"] for ch in spec["characteristics"]], dtype=object)
    for r in range(3):
        want = [names[order[i, r]] if r < order.shape[1] and lost[i, order[i, r]] > 0 else None
                for i in range(n)]
        assert scored[f"reason_{r + 1}"].tolist() == want
