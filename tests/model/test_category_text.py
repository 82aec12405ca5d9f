"""One category-text rule everywhere: binning, the spec scorer and the standalone Python scorer."""

import importlib.util
import warnings

import numpy as np
import pandas as pd
import pytest

from scorecard.binning import BinningProcess
from scorecard.export import python_scorer_source
from scorecard.model.scorecard import Scorecard
from scorecard.model.spec import score_frame
from scorecard.validation import category_text, category_text_codes, value_text


def test_value_text_rule():
    assert [value_text(v) for v in (1.0, 1.5, -3.0, "a", 7, True)] == ["1", "1.5", "-3", "a", "7", "True"]
    assert value_text(2.0**60) == str(2.0**60)
    mixed = pd.Series([1.0, 2.5, np.nan, 3.0])
    assert category_text(mixed).tolist()[:2] == ["1", "2.5"] and category_text(mixed).isna()[2]


def test_float_coded_categorical_scores_the_same_everywhere(tmp_path):
    rng = np.random.default_rng(5)
    n = 3000
    code = rng.choice([1.0, 2.0, 2.5, 3.0, np.nan], size=n, p=[0.3, 0.3, 0.1, 0.2, 0.1])
    x = rng.normal(size=n)
    risk = np.nan_to_num(code, nan=2.0) + x
    y = (rng.random(n) < 1 / (1 + np.exp(-(risk - 3)))).astype(int)
    frame = pd.DataFrame({"code": code, "x": x})
    with warnings.catch_warnings():
        warnings.simplefilter("error", category=UserWarning)  # no spec/binning disagreement
        warnings.filterwarnings("ignore", message=".*coefficient.*")
        model = Scorecard(BinningProcess(categorical=["code"])).fit(frame, y)
    spec = model.spec_
    categories = {c for b in spec["characteristics"][[c["name"] for c in spec["characteristics"]].index("code")]["bins"]
                  if b["kind"] == "categories" for c in b["categories"]}
    assert {"1", "2", "2.5", "3"} <= categories
    scores = score_frame(spec, frame)["score"].to_numpy()
    assert np.array_equal(scores, model.score(frame))
    path = tmp_path / "scorer.py"
    path.write_text(python_scorer_source(spec))
    module_spec = importlib.util.spec_from_file_location("scorer_float_codes", path)
    scorer = importlib.util.module_from_spec(module_spec)
    module_spec.loader.exec_module(scorer)
    by_row = [scorer.score({"code": c, "x": v}) for c, v in zip(code[:300], x[:300])]
    assert by_row == scores[:300].tolist()


_COLUMNS = {
    "text": pd.Series(["b", "a", None, "b", np.nan, "c"], dtype=object),
    "string": pd.Series(["b", "a", None, "b", "c", "a"], dtype="string"),
    "floats": pd.Series([1.0, 2.0, np.nan, 1.5, -0.0, 2.0**60]),
    "ints": pd.Series([3, 1, 2, 3, 1, 0]),
    "bools": pd.Series([True, False, True, False, True, True]),
    "mixed": pd.Series([True, 1, "1", None, 1.0, 0, False, 0.0, 2.5], dtype=object),
    "categorical": pd.Series(pd.Categorical(["x", None, "y", "x"], categories=["y", "z", "x"])),
    "float categories": pd.Series(pd.Categorical([1.0, 2.5, None, 1.0])),
}


@pytest.mark.parametrize("name", list(_COLUMNS))
def test_category_text_codes_are_the_per_row_texts(name):
    series = _COLUMNS[name]
    codes, texts = category_text_codes(series)
    assert codes.dtype == np.int64 and len(set(texts)) == len(texts)
    got = [None if c < 0 else texts[c] for c in codes]
    per_row = [None if v is None else str(v) for v in category_text(
        series.astype(object) if name == "float categories" else series
    ).to_numpy(dtype=object, na_value=None)]
    assert got == per_row


def test_category_text_codes_on_random_mixed_columns():
    rng = np.random.default_rng(11)
    pool = np.array([1, 1.0, 2.5, "1", "a", None, np.nan, True, False, 0, -3.0, "b"], dtype=object)
    for _ in range(20):
        series = pd.Series(pool[rng.integers(0, len(pool), size=200)], dtype=object)
        codes, texts = category_text_codes(series)
        got = [None if c < 0 else texts[c] for c in codes]
        assert got == category_text(series).to_numpy(dtype=object, na_value=None).tolist()


def test_unused_levels_of_a_categorical_are_not_fitted_categories():
    rng = np.random.default_rng(3)
    n = 2000
    text = rng.choice(["a", "b", "c"], size=n)
    y = (rng.random(n) < np.where(text == "a", 0.4, 0.1)).astype(int)
    plain = BinningProcess(categorical=["c"]).fit(pd.DataFrame({"c": text}), y)
    as_category = pd.DataFrame({"c": pd.Categorical(text, categories=["z", "c", "b", "a"])})
    coded = BinningProcess(categorical=["c"]).fit(as_category, y)
    assert plain.binners_["c"].table_.categories == coded.binners_["c"].table_.categories
    np.testing.assert_array_equal(plain.transform(as_category), coded.transform(as_category))


def test_a_scorecard_fit_codes_each_text_column_once(monkeypatch):
    import scorecard.validation as validation

    rng = np.random.default_rng(3)
    n = 4000
    frame = pd.DataFrame({"x": rng.normal(size=n),
                          "arrow": pd.array(rng.choice(["a", "b", None, "c"], n), dtype="str"),
                          "text": pd.Series(rng.choice(["u", "v", "w"], n), dtype=object)})
    y = (rng.random(n) < 0.3).astype(int)
    calls = []
    original = validation._text_codes
    monkeypatch.setattr(validation, "_text_codes", lambda s: calls.append(s.name) or original(s))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        card = Scorecard(BinningProcess(categorical=["arrow", "text"])).fit(frame, y)
    assert sorted(calls) == ["arrow", "text"]  # binning, bins, spec scorer and hash: one coding
    calls.clear()
    assert np.array_equal(card.score(frame), score_frame(card.spec_, frame)["score"].to_numpy())
    assert len(calls) == 4  # outside a fit nothing is remembered


def test_coding_once_gives_the_same_codes_and_forgets_after():
    from scorecard.validation import coding_once

    series = pd.Series(["b", None, "a", "b"], dtype="str")
    plain = category_text_codes(series)
    with coding_once():
        first = category_text_codes(series)
        again = category_text_codes(series)
        other = category_text_codes(series.iloc[1:])
    assert first[0] is again[0] and np.array_equal(first[0], plain[0])
    assert list(first[1]) == list(plain[1]) and other[0].tolist() == [-1, 0, 1]
    assert category_text_codes(series)[0] is not first[0]
