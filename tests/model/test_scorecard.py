import json
import math
import warnings

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone
from sklearn.model_selection import train_test_split

from scorecard.binning import BinningProcess
from scorecard.datasets import load_german_credit, make_applications
from scorecard.exceptions import InputError, NotFittedError, SpecError
from scorecard.model import metrics
from scorecard.model.scorecard import (
    CoefficientSignWarning,
    Scorecard,
    ScorecardWarning,
    evaluate_spec,
    exact_scores,
    load_scorecard,
    spec_probability_of_default,
    training_data_sha256,
)
from scorecard.model.spec import load_spec, score_frame, validate_spec

ENCODINGS = ("woe-lr", "onehot-lr", "xgb-stumps")


def _quiet_fit(card, X, y, **kw):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return card.fit(X, y, **kw)


@pytest.fixture(scope="module")
def german():
    frame = load_german_credit()
    X = frame.drop(columns="credit_risk")
    y = frame["credit_risk"]
    return train_test_split(X, y, test_size=0.3, stratify=y, random_state=0)


@pytest.fixture(scope="module")
def synthetic():
    frame = make_applications(20_000, seed=3)
    X = frame.drop(columns=["application_month", "protected", "default"])
    y = frame["default"]
    return train_test_split(X, y, test_size=0.3, stratify=y, random_state=0)


@pytest.fixture(scope="module")
def german_cards(german):
    X_train, _, y_train, _ = german
    return {e: _quiet_fit(Scorecard(encoding=e), X_train, y_train) for e in ENCODINGS}


@pytest.fixture(scope="module")
def synthetic_cards(synthetic):
    X_train, _, y_train, _ = synthetic
    process = BinningProcess(special_values={"delinquency_history": [-999]})
    process = _quiet_fit(process, X_train, y_train)
    return {e: _quiet_fit(Scorecard(process, encoding=e), X_train, y_train) for e in ENCODINGS}


def _binned_integer_scores(card, X):
    """Integer score from the binning's bins and the card's points, bypassing the spec."""
    bins = card.binning_process_.transform(X, metric="bin")[:, card._bin_columns]
    total = np.full(len(X), card.card_points_.intercept_points, dtype=np.int64)
    for c, lay in enumerate(card._layouts):
        total += lay.lookup(card.card_points_.points[c].astype(np.float64), bins[:, c]).astype(
            np.int64)
    return total


# ---------------------------------------------------------------------------------------------
# Each encoding fits and discriminates on held-out rows


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_german_test_auc(german, german_cards, encoding):
    _, X_test, _, y_test = german
    card = german_cards[encoding]
    result = card.evaluate(X_test, y_test)
    assert result["auc"]["value"] > 0.7
    assert result["auc"]["ci"][0] < result["auc"]["value"] < result["auc"]["ci"][1]
    assert result["n"] == 300 and result["n_bads"] == 90
    for key in ("gini", "ks", "log_loss", "brier", "calibration", "score_iv"):
        assert key in result
    assert result["calibration"]["hosmer_lemeshow"]["df"] == result["calibration"][
        "hosmer_lemeshow"]["n_bands"]  # hold-out rows: df = bands


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_synthetic_test_auc(synthetic, synthetic_cards, encoding):
    _, X_test, _, y_test = synthetic
    card = synthetic_cards[encoding]
    assert card.evaluate(X_test, y_test)["auc"]["value"] > 0.75
    assert set(card.characteristics_) <= set(X_test.columns)


def test_encodings_share_the_bins(synthetic_cards):
    specs = [synthetic_cards[e].spec_ for e in ENCODINGS]
    layouts = [[[b["label"] for b in ch["bins"]] for ch in s["characteristics"]] for s in specs]
    assert layouts[0] == layouts[1] == layouts[2]
    assert [s["encoding"] for s in specs] == list(ENCODINGS)


# ---------------------------------------------------------------------------------------------
# woe-lr coefficients


def _collinear_pair(n=5000, seed=0):
    rng = np.random.default_rng(seed)
    u = rng.normal(size=n)
    a = u + 0.3 * rng.normal(size=n)
    b = u + 0.5 * rng.normal(size=n)
    # Marginally a higher b is riskier, but given a it lowers risk: its WoE coefficient flips.
    logit = -1.0 + 2.0 * a - 1.0 * b
    y = (rng.random(n) < 1.0 / (1.0 + np.exp(-logit))).astype(int)
    return pd.DataFrame({"a": a, "b": b}), y


def test_sign_warning_names_the_flipped_characteristic_of_the_unconstrained_fit():
    X, y = _collinear_pair()
    with pytest.warns(CoefficientSignWarning, match="'b'") as record:
        card = Scorecard(sign_constrained=False).fit(X, y)
    assert not any("'a'" in str(w.message) for w in record)
    assert card.unexpected_sign_ == ["b"]
    assert card.coef_[0] < 0 < card.coef_[1]
    assert card.spec_["model"]["unexpected_sign"] == ["b"]
    assert card.spec_["model"]["type"] == "LogisticRegression"
    assert issubclass(CoefficientSignWarning, UserWarning)


def test_sign_constrained_default_drops_the_flipped_characteristic_and_says_why():
    X, y = _collinear_pair()
    with warnings.catch_warnings():
        warnings.simplefilter("error", CoefficientSignWarning)
        card = Scorecard().fit(X, y)
    assert card.characteristics_ == ["a"] and card.unexpected_sign_ == []
    assert card.coef_.shape == (1,) and card.coef_[0] < 0
    assert card.dropped_["b"]["step"] == "sign"
    assert "holds its coefficient at 0" in card.dropped_["b"]["reason"]
    model = card.spec_["model"]
    assert model["type"] == "BoundedLogisticRegression"
    assert model["selection"]["kept"] == ["a"]
    assert [d["name"] for d in model["selection"]["dropped"]] == ["b"]
    assert [ch["name"] for ch in card.spec_["characteristics"]] == ["a"]
    # Dropping the held characteristic does not move the constrained optimum: the card equals
    # the constrained fit on both columns, whose coefficient of b is 0.
    from scorecard.model.logistic import BoundedLogisticRegression

    woe = card.binning_process_.transform(X, metric="woe")
    both = BoundedLogisticRegression().fit(woe, y)
    assert both.coef_[0, 1] == 0 and both.at_bound_[1]
    np.testing.assert_allclose(card.coef_[0], both.coef_[0, 0], rtol=1e-6)
    np.testing.assert_allclose(card.intercept_, both.intercept_[0], rtol=1e-6)


def test_selection_options_report_every_drop():
    X, y = _collinear_pair()
    rng = np.random.default_rng(5)
    X = X.assign(noise=rng.normal(size=len(X)), constant=1.0)
    card = Scorecard(min_iv_ci_low=0.01, max_correlation=0.5).fit(X, y)
    steps = {name: d["step"] for name, d in card.dropped_.items()}
    assert steps == {"constant": "binning", "noise": "iv", "b": "correlation"}
    assert card.characteristics_ == ["a"]
    assert "'a'" in card.dropped_["b"]["reason"]
    assert card.spec_["model"]["selection"]["options"] == {
        "min_iv_ci_low": 0.01, "max_correlation": 0.5, "stepwise": None}
    with pytest.raises(InputError, match="max_correlation"):
        Scorecard(max_correlation=2).fit(X, y)
    with pytest.raises(InputError, match="stepwise"):
        Scorecard(stepwise="backward").fit(X, y)
    with pytest.raises(InputError, match="sign_constrained"):
        Scorecard(sign_constrained="yes").fit(X, y)
    with pytest.raises(InputError, match="dropped every characteristic"):
        Scorecard(min_iv_ci_low=50.0).fit(X, y)


def test_no_sign_warning_for_a_single_characteristic():
    X, y = _collinear_pair()
    with warnings.catch_warnings():
        warnings.simplefilter("error", CoefficientSignWarning)
        card = Scorecard().fit(X[["b"]], y)
    assert card.coef_[0] < 0


def test_woe_lr_contributions_are_coefficient_times_woe(german_cards):
    card = german_cards["woe-lr"]
    for c, name in enumerate(card.characteristics_):
        table = card.binning_process_.binning_tables_[name]
        np.testing.assert_allclose(card.contributions_[name], card.coef_[c] * table.transform_woe,
                                   rtol=0, atol=1e-15)


# ---------------------------------------------------------------------------------------------
# Points, rounding and the spec reference scorer


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_exact_score_is_the_scaled_log_odds(german, german_cards, encoding):
    _, X_test, _, _ = german
    card = german_cards[encoding]
    log_odds = card.decision_function(X_test)
    expected = card.scaling_.offset - card.scaling_.factor * log_odds
    np.testing.assert_allclose(exact_scores(card.spec_, X_test), expected, rtol=0, atol=1e-9)
    np.testing.assert_allclose(spec_probability_of_default(card.spec_, X_test),
                               card.predict_proba(X_test)[:, 1], rtol=1e-9, atol=1e-12)
    proba = card.predict_proba(X_test)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)
    np.testing.assert_array_equal(card.predict(X_test), (proba[:, 1] >= 0.5).astype(int))


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_every_characteristic_starts_at_zero_points(german_cards, encoding):
    for ch in german_cards[encoding].spec_["characteristics"]:
        exact = [b["points_exact"] for b in ch["bins"]]
        points = [b["points"] for b in ch["bins"]]
        if ch["dtype"] == "categorical":
            points.append(ch["unseen_points"])
        assert min(exact) >= 0 and min(points) >= 0
        assert all(abs(p - e) <= 0.5 for p, e in zip(points, exact))


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_score_agrees_with_spec_and_rounding_stays_within_bound(german, german_cards, encoding):
    X_train, X_test, _, _ = german
    card = german_cards[encoding]
    err = card.rounding_error_
    assert 0 <= err["mean_abs"] <= err["max_abs"] <= err["bound"] + 1e-9
    assert err["bound"] <= err["bound_loose"] == 0.5 * (len(card.characteristics_) + 1)
    assert card.spec_["model"]["rounding_error"]["max_abs"] == err["max_abs"]
    for X in (X_train, X_test):
        scores = card.score(X)
        assert scores.dtype == np.int64
        np.testing.assert_array_equal(scores, score_frame(card.spec_, X)["score"].to_numpy())
        np.testing.assert_array_equal(scores, _binned_integer_scores(card, X))
        exact = exact_scores(card.spec_, X)
        assert np.max(np.abs(scores - exact)) <= err["bound"] + 1e-9
        if X is X_train:
            assert np.max(np.abs(scores - exact)) == pytest.approx(err["max_abs"], abs=1e-9)


def test_higher_score_means_lower_risk(german, german_cards):
    X_train, _, y_train, _ = german
    card = german_cards["woe-lr"]
    scores = card.score(X_train)
    bad = (y_train == 2).to_numpy()
    assert scores[~bad].mean() > scores[bad].mean() + 20
    assert metrics.auc(bad.astype(int), scores).value > 0.75


def test_clip_range(german):
    X_train, X_test, y_train, _ = german
    card = _quiet_fit(Scorecard(min_score=500, max_score=540), X_train, y_train)
    scores = card.score(X_test)
    assert scores.min() == 500 and scores.max() == 540
    unclipped = _binned_integer_scores(card, X_test)
    np.testing.assert_array_equal(scores, np.clip(unclipped, 500, 540))
    assert card.spec_["scaling"]["min_score"] == 500


def test_empty_bins_are_neutral(german_cards):
    # German credit has no missing values: every missing bin is empty and contributes 0.
    for card in german_cards.values():
        for name in card.characteristics_:
            table = card.binning_process_.binning_tables_[name]
            assert table.total[table.missing_bin] == 0
            assert card.contributions_[name][table.missing_bin] == 0.0


def test_unseen_category_scores_like_the_missing_bin(german, german_cards):
    _, X_test, _, _ = german
    card = german_cards["woe-lr"]
    rows = X_test.iloc[:5].copy()
    unseen, missing = rows.copy(), rows.copy()
    unseen["purpose"] = "A999"
    missing["purpose"] = None
    np.testing.assert_array_equal(card.score(unseen), card.score(missing))
    np.testing.assert_allclose(card.predict_proba(unseen), card.predict_proba(missing))
    ch = next(c for c in card.spec_["characteristics"] if c["name"] == "purpose")
    assert ch["unseen"] == "missing" and ch["unseen_points"] == ch["bins"][-1]["points"]


def test_unseen_zero_policy_gets_neutral_points(german):
    X_train, X_test, y_train, _ = german
    process = BinningProcess(unseen="zero")
    card = _quiet_fit(Scorecard(process), X_train, y_train)
    ch = next(c for c in card.spec_["characteristics"] if c["name"] == "purpose")
    assert ch["unseen"] == "zero"
    assert card.spec_["model"]["unseen_contributions"]["purpose"] == 0.0
    rows = X_test.iloc[:3].copy()
    rows["purpose"] = "A999"
    np.testing.assert_allclose(exact_scores(card.spec_, rows),
                               card.scaling_.score(card.decision_function(rows)), atol=1e-9)


def test_unseen_error_policy_cannot_be_deployed(german):
    X_train, _, y_train, _ = german
    with pytest.raises(InputError, match="unseen='error'"):
        _quiet_fit(Scorecard(BinningProcess(unseen="error")), X_train, y_train)


# ---------------------------------------------------------------------------------------------
# Reason codes


def _value_in_bin(ch, bin_):
    if bin_["kind"] == "missing":
        return None if ch["dtype"] == "categorical" else np.nan
    if bin_["kind"] == "special":
        return bin_["value"]
    if bin_["kind"] == "categories":
        return bin_["categories"][0]
    return bin_["lower"] if bin_["lower"] is not None else bin_["upper"] - 1.0


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_worst_bin_of_the_top_characteristic_is_reason_1(german, german_cards, encoding):
    _, X_test, _, _ = german
    card = german_cards[encoding]
    characteristics = card.spec_["characteristics"]
    ranges = []
    for ch in characteristics:
        points = [b["points"] for b in ch["bins"]]
        if ch["dtype"] == "categorical":
            points.append(ch["unseen_points"])
        ranges.append(max(points) - min(points))
    # The first characteristic with the widest range: ties in lost points go to the earlier one.
    top = characteristics[int(np.argmax(ranges))]
    worst = min(top["bins"], key=lambda b: b["points"])
    rows = X_test.iloc[:20].copy()
    rows[top["name"]] = _value_in_bin(top, worst)
    codes = card.reason_codes(rows, 3)
    assert list(codes.columns) == ["reason_1", "reason_2", "reason_3"]
    assert (codes["reason_1"] == top["name"]).all()
    assert (codes["reason_2"] != top["name"]).all()


def test_best_row_has_no_reason_codes(german_cards, german):
    _, X_test, _, _ = german
    card = german_cards["woe-lr"]
    best = {}
    for ch in card.spec_["characteristics"]:
        bins = ch["bins"]
        top = max(bins, key=lambda b: b["points"])
        best[ch["name"]] = _value_in_bin(ch, top)
    row = X_test.iloc[[0]].copy()
    for name, value in best.items():
        row[name] = value
    codes = card.reason_codes(row, 2)
    assert codes.isna().all(axis=None)


# ---------------------------------------------------------------------------------------------
# xgb-stumps: additive by construction, and monotone in WoE


def test_xgb_margin_is_additive_over_characteristics(german_cards):
    card = german_cards["xgb-stumps"]
    tables = [card.binning_process_.binning_tables_[n] for n in card.characteristics_]
    rng = np.random.default_rng(0)
    bins = np.column_stack([rng.integers(0, t.n_bins, 400) for t in tables])
    woe = np.column_stack([t.transform_woe[bins[:, c]] for c, t in enumerate(tables)])
    margin = card.estimator_.predict(woe, output_margin=True).astype(np.float64)
    reduced = card.intercept_ + sum(
        card.contributions_[n][bins[:, c]] for c, n in enumerate(card.characteristics_)
    )
    np.testing.assert_allclose(reduced, margin, rtol=0, atol=1e-5)
    # No interactions: moving one characteristic moves the margin by its contribution change,
    # whatever the others are.
    moved = woe.copy()
    moved[:, 0] = tables[0].transform_woe[0]
    delta = card.estimator_.predict(moved, output_margin=True) - margin
    expected = card.contributions_[card.characteristics_[0]][0] - card.contributions_[
        card.characteristics_[0]][bins[:, 0]]
    np.testing.assert_allclose(delta, expected, rtol=0, atol=1e-5)
    assert card.additivity_error_ < 1e-5
    assert card.spec_["model"]["additivity_max_abs_error"] == card.additivity_error_


@pytest.mark.parametrize("cards", ["german_cards", "synthetic_cards"])
def test_xgb_risk_never_rises_with_woe(cards, request):
    card = request.getfixturevalue(cards)["xgb-stumps"]
    for name in card.characteristics_:
        woe = card.binning_process_.binning_tables_[name].transform_woe
        contribution = card.contributions_[name]
        order = np.argsort(woe, kind="stable")
        assert np.all(np.diff(contribution[order]) <= 1e-7), name


def test_onehot_coefficients_match_contributions(german_cards):
    card = german_cards["onehot-lr"]
    assert card.coef_.shape == (sum(
        card.binning_process_.binning_tables_[n].n_bins for n in card.characteristics_),)
    np.testing.assert_array_equal(
        np.concatenate([card.contributions_[n] for n in card.characteristics_]), card.coef_)


# ---------------------------------------------------------------------------------------------
# The spec: contract, provenance, round trip


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_spec_is_valid_and_records_provenance(german, german_cards, encoding):
    X_train, _, y_train, _ = german
    card = german_cards[encoding]
    spec = card.to_spec()
    assert validate_spec(spec) is spec
    assert spec["encoding"] == encoding
    assert spec["target"] == {"name": "credit_risk", "bad_value": 2}
    assert spec["characteristics"][0]["name"] == card.characteristics_[0]
    assert [c["name"] for c in spec["characteristics"]] == card.characteristics_
    assert spec["scaling"]["factor"] == pytest.approx(20 / math.log(2))
    assert spec["training"]["n_rows"] == 700
    assert spec["training"]["data_sha256"] == training_data_sha256(X_train, y_train,
                                                                   "credit_risk")
    auc = spec["training"]["metrics"]["auc"]["value"]
    assert auc == pytest.approx(metrics.auc((y_train == 2).astype(int), card.score(X_train)).value)
    spec["intercept_points"] += 1
    with pytest.raises(SpecError, match="integrity"):
        validate_spec(spec, check_integrity=True)
    assert card.spec_["intercept_points"] == spec["intercept_points"] - 1  # to_spec is a copy


def test_data_hash_depends_on_the_data(german):
    X_train, _, y_train, _ = german
    digest = training_data_sha256(X_train, y_train, "credit_risk")
    assert digest == training_data_sha256(X_train.copy(), y_train.copy(), "credit_risk")
    changed = X_train.copy()
    changed.iloc[0, 1] += 1
    assert training_data_sha256(changed, y_train, "credit_risk") != digest
    assert training_data_sha256(X_train, 3 - y_train, "credit_risk") != digest


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_save_load_round_trip_scores_identically(tmp_path, synthetic, synthetic_cards, encoding):
    _, X_test, _, y_test = synthetic
    card = synthetic_cards[encoding]
    path = tmp_path / "card.json"
    card.save(path)
    loaded = load_scorecard(path)
    assert loaded == card.spec_
    assert json.loads(path.read_text()) == card.spec_
    np.testing.assert_array_equal(score_frame(loaded, X_test)["score"].to_numpy(),
                                  card.score(X_test))
    pd.testing.assert_frame_equal(score_frame(loaded, X_test, reason_codes=3).drop(
        columns="score"), card.reason_codes(X_test, 3))
    frame = X_test.assign(default=y_test)
    from_spec, from_card = evaluate_spec(loaded, frame), card.evaluate(X_test, y_test)
    assert from_spec["auc"] == from_card["auc"] and from_spec["ks"] == from_card["ks"]
    for key in ("log_loss", "brier"):
        assert from_spec[key] == pytest.approx(from_card[key], rel=1e-12)
    assert from_spec["calibration"]["hosmer_lemeshow"]["statistic"] == pytest.approx(
        from_card["calibration"]["hosmer_lemeshow"]["statistic"], rel=1e-9)
    text = path.read_text().replace('"intercept_points": ', '"intercept_points": 1', 1)
    path.write_text(text)
    with pytest.raises(SpecError):
        load_spec(path)


def test_synthetic_special_value_gets_its_bin(synthetic_cards):
    card = synthetic_cards["woe-lr"]
    ch = next(c for c in card.spec_["characteristics"] if c["name"] == "delinquency_history")
    assert ch["special_values"] == [-999.0]
    special = ch["bins"][-1]
    assert special["kind"] == "special" and special["goods"] + special["bads"] > 0


def test_points_table(german_cards):
    card = german_cards["woe-lr"]
    table = card.points_table_
    assert list(table.columns[:4]) == ["characteristic", "bin", "kind", "points"]
    n_bins = sum(len(c["bins"]) + (c["dtype"] == "categorical")
                 for c in card.spec_["characteristics"])
    assert len(table) == n_bins


# ---------------------------------------------------------------------------------------------
# Binning process handling, sklearn plumbing, bad input


def test_prefitted_binning_is_used_as_is(synthetic, synthetic_cards):
    X_train, _, y_train, _ = synthetic
    card = synthetic_cards["woe-lr"]
    given = card.binning_process
    assert card.binning_process_ is not given
    assert card.binning_process_.to_json() == given.to_json()
    assert card.characteristics_ == given.selected_


def test_unfitted_binning_is_cloned_and_fitted(german):
    X_train, _, y_train, _ = german
    process = BinningProcess(selection={"iv": {"min": 0.1}})
    card = _quiet_fit(Scorecard(process), X_train, y_train)
    assert not hasattr(process, "binners_")
    ivs = card.binning_process_.summary().set_index("name")["iv"]
    assert all(ivs[n] >= 0.1 for n in card.characteristics_)
    assert len(card.characteristics_) < 19


def test_sample_weight_and_clone(german):
    X_train, X_test, y_train, _ = german
    card = Scorecard(encoding="onehot-lr", C=0.5)
    twin = clone(card)
    assert twin.get_params() == card.get_params()
    w = np.where(y_train == 2, 2.0, 1.0)
    fitted = _quiet_fit(twin, X_train, y_train, sample_weight=w)
    assert fitted.spec_["training"]["sample_weight"] is True
    assert fitted.predict_proba(X_test)[:, 1].mean() > _quiet_fit(
        clone(card), X_train, y_train).predict_proba(X_test)[:, 1].mean()


def test_not_fitted():
    with pytest.raises(NotFittedError):
        Scorecard().score(pd.DataFrame({"a": [1.0]}))


@pytest.mark.parametrize("kwargs, match", [
    ({"encoding": "gbm"}, "encoding"),
    ({"C": 0}, "C="),
    ({"n_rounds": 0}, "n_rounds"),
    ({"learning_rate": 2.0}, "learning_rate"),
    ({"pdo": -1}, "pdo"),
    ({"min_score": 900, "max_score": 100}, "min_score"),
    ({"binning_process": "quantile"}, "binning_process"),
])
def test_bad_parameters(german, kwargs, match):
    X_train, _, y_train, _ = german
    with pytest.raises(InputError, match=match):
        Scorecard(**kwargs).fit(X_train.iloc[:50], y_train.iloc[:50])


def test_bad_target_and_columns(german, german_cards):
    X_train, X_test, y_train, _ = german
    with pytest.raises(InputError, match="rows"):
        Scorecard().fit(X_train, y_train.iloc[:10])
    with pytest.raises(InputError, match="not binary"):
        Scorecard().fit(X_train, np.arange(len(X_train)) % 3)
    with pytest.raises(InputError, match="bad value"):
        Scorecard(bad_value=7).fit(X_train, y_train)
    card = german_cards["woe-lr"]
    with pytest.raises(InputError, match="duration_in_month"):
        card.score(X_test.drop(columns="duration_in_month"))


def test_nothing_selected_is_explained():
    rng = np.random.default_rng(0)
    X = pd.DataFrame({"noise": rng.normal(size=2000)})
    y = rng.integers(0, 2, 2000)
    with pytest.raises(InputError, match="selected no characteristic"):
        _quiet_fit(Scorecard(BinningProcess(selection={"iv": {"min": 0.5}})), X, y)


def test_categorical_floats_never_deploy_silently():
    # A float column binned as categorical: the binning reads 1.0 as "1"; if the deployed
    # scorer reads it differently, fit must say so rather than ship a card that disagrees.
    rng = np.random.default_rng(0)
    n = 4000
    code = rng.integers(1, 5, n).astype(np.float64)
    y = (rng.random(n) < 0.1 + 0.1 * code).astype(int)
    X = pd.DataFrame({"code": code, "x": rng.normal(size=n) + y})
    with warnings.catch_warnings(record=True) as record:
        warnings.simplefilter("always")
        card = Scorecard(BinningProcess(categorical=["code"])).fit(X, y)
    agree = np.array_equal(card.score(X), _binned_integer_scores(card, X))
    warned = any(issubclass(w.category, ScorecardWarning) and "'code'" in str(w.message)
                 for w in record)
    assert agree or warned
    # Integer codes are read the same way by both.
    with warnings.catch_warnings():
        warnings.simplefilter("error", ScorecardWarning)
        card = Scorecard(BinningProcess(categorical=["code"])).fit(X.astype({"code": int}), y)
    np.testing.assert_array_equal(card.score(X.astype({"code": int})),
                                  _binned_integer_scores(card, X.astype({"code": int})))


@pytest.mark.e2e
@pytest.mark.slow
def test_a_fitted_card_scores_identically_in_every_export():
    """Real bins (missing values, stump edges, an unseen category) through every deployed form."""
    import shutil
    import sqlite3

    from scorecard.datasets import load_credit_data
    from scorecard.export import pmml_document, python_scorer_source, sql_query
    from scorecard.export.pmml import output_field_names

    frame = load_credit_data()
    X, y = frame.drop(columns="Status"), frame["Status"]
    card = _quiet_fit(Scorecard(BinningProcess(prebinning="stumps"), encoding="xgb-stumps"), X, y)
    rows = X.copy()
    rows.loc[rows.index[:5], "Home"] = "castle"
    expected = card.score(rows)
    assert pd.isna(rows[card.characteristics_]).any().any()

    namespace: dict = {}
    exec(compile(python_scorer_source(card.spec_), "scorer", "exec"), namespace)
    records = rows.astype(object).where(rows.notna(), None).to_dict("records")
    np.testing.assert_array_equal([namespace["score"](r) for r in records], expected)

    with sqlite3.connect(":memory:") as db:
        rows.to_sql("applications", db, index=False)
        sql = pd.read_sql_query(sql_query(card.spec_, dialect="sqlite"), db)
    np.testing.assert_array_equal(sql["score"].to_numpy(), expected)

    if shutil.which("java") is None:
        pytest.skip("java is not on PATH: the PMML check needs a Java runtime")
    from jpmml_evaluator import make_evaluator

    evaluator = make_evaluator(pmml_document(card.spec_)).verify()
    inputs = rows[card.characteristics_].astype(object)
    result = evaluator.evaluateAll(inputs.where(inputs.notna(), None))
    pmml = result[output_field_names(card.spec_)["score"]].astype(float)
    np.testing.assert_array_equal(pmml.astype(np.int64).to_numpy(), expected)
