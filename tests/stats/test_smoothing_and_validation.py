"""The smoothing policy (one place, reported with every result) and validation at the door."""

from __future__ import annotations

import numpy as np
import pytest

from scorecard.exceptions import InputError
from scorecard.stats import (
    DEFAULT_ALPHA,
    information_value,
    jeffreys,
    kl_divergence,
    psi,
    resolve_alpha,
    woe_covariance,
    woe_table,
)

GOODS = [300, 400, 500, 350, 250]
BADS = [80, 60, 40, 15, 5]
WITH_ZERO = ([300, 400, 500, 350, 250], [80, 60, 40, 15, 0])


# Smoothing policy ------------------------------------------------------------------------------


def test_default_alpha_is_half() -> None:
    assert DEFAULT_ALPHA == 0.5


def test_no_smoothing_without_zero_cells() -> None:
    assert resolve_alpha(GOODS, BADS, None) == 0.0
    assert woe_table(GOODS, BADS).attrs["alpha"] == 0.0
    assert jeffreys(GOODS, BADS).alpha == 0.0


def test_default_smoothing_with_a_zero_cell() -> None:
    goods, bads = WITH_ZERO
    assert resolve_alpha(goods, bads, None) == 0.5
    table = woe_table(goods, bads)
    assert table.attrs["alpha"] == 0.5
    g, b = np.array(goods, float), np.array(bads, float)
    # Pseudo-counts proportional to the totals: the smaller side (195 bads) gets 0.5 a cell,
    # the goods 0.5 * 1800 / 195 a cell.
    a_g = 0.5 * g.sum() / b.sum()
    np.testing.assert_allclose(table["p_good"], (g + a_g) / (g.sum() + 5 * a_g))
    np.testing.assert_allclose(table["q_bad"], (b + 0.5) / (b.sum() + 5 * 0.5))
    assert np.all(np.isfinite(table["woe"]))
    result = jeffreys(goods, bads)
    assert result.alpha == 0.5
    assert result.value == pytest.approx(table.attrs["iv"], rel=1e-12)


def test_smoothed_variances_use_smoothed_cells_and_raw_totals() -> None:
    goods, bads = WITH_ZERO
    g, b = np.array(goods, float), np.array(bads, float)
    a_g = 0.5 * g.sum() / b.sum()
    expected = 1 / (g + a_g) - 1 / g.sum() + 1 / (b + 0.5) - 1 / b.sum()
    np.testing.assert_allclose(woe_table(goods, bads)["woe_se"], np.sqrt(expected))
    assert jeffreys(goods, bads).n_eff == pytest.approx(g.sum() * b.sum() / (g.sum() + b.sum()))


@pytest.mark.parametrize("alpha", [0.25, 1.0, 2.0])
def test_explicit_alpha_is_honoured_and_reported(alpha: float) -> None:
    table = woe_table(GOODS, BADS, alpha=alpha)
    assert table.attrs["alpha"] == alpha
    g, b = np.array(GOODS, float), np.array(BADS, float)
    a_g = alpha * g.sum() / b.sum()
    np.testing.assert_allclose(table["p_good"], (g + a_g) / (g.sum() + 5 * a_g))
    np.testing.assert_allclose(table["q_bad"], (b + alpha) / (b.sum() + 5 * alpha))
    result = jeffreys(GOODS, BADS, alpha=alpha)
    assert result.alpha == alpha
    assert result.to_dict()["alpha"] == alpha
    assert result.value == pytest.approx(table.attrs["iv"], rel=1e-12)
    assert result.value != pytest.approx(jeffreys(GOODS, BADS).value, rel=1e-6)


def test_explicit_zero_alpha_with_a_zero_cell_is_refused() -> None:
    with pytest.raises(InputError, match="alpha=0"):
        jeffreys(*WITH_ZERO, alpha=0)
    with pytest.raises(InputError, match="alpha=0"):
        woe_table(*WITH_ZERO, alpha=0)


def test_woe_sign_is_good_over_bad() -> None:
    table = woe_table([90, 10], [10, 90])
    assert table["woe"].iloc[0] > 0 > table["woe"].iloc[1]  # bin 0 mostly goods: lower risk
    assert table.attrs["woe_sign"] == "ln(p_good / q_bad)"


# Empty bins --------------------------------------------------------------------------------------


def test_bins_empty_on_both_sides_are_dropped() -> None:
    with_empty = jeffreys([300, 0, 400, 500], [80, 0, 60, 40])
    without = jeffreys([300, 400, 500], [80, 60, 40])
    assert with_empty.k == 3 and with_empty.df == 2
    assert with_empty.dropped_bins == (1,)
    assert with_empty.alpha == 0.0  # an empty bin is not a zero cell
    assert with_empty.value == without.value
    assert with_empty.ci == without.ci


def test_woe_table_keeps_empty_bins_as_rows() -> None:
    table = woe_table([300, 0, 400, 500], [80, 0, 60, 40])
    assert list(table["bin"]) == [0, 1, 2, 3]
    assert np.isnan(table["event_rate"].iloc[1]) and np.isnan(table["woe"].iloc[1])
    assert table["iv_contrib"].iloc[1] == 0.0 and table["share"].iloc[1] == 0.0
    assert table.attrs["alpha"] == 0.0
    assert table.attrs["iv"] == pytest.approx(jeffreys([300, 400, 500], [80, 60, 40]).value)
    cov = table.attrs["woe_cov"]
    assert np.all(np.isnan(cov[1])) and np.all(np.isnan(cov[:, 1]))
    expected = woe_covariance([300, 400, 500], [80, 60, 40])
    np.testing.assert_allclose(cov[np.ix_([0, 2, 3], [0, 2, 3])], expected)


def test_woe_covariance_formula() -> None:
    cov = woe_covariance(GOODS, BADS)
    G, B = sum(GOODS), sum(BADS)
    off = -1 / G - 1 / B
    assert cov[0, 1] == pytest.approx(off) and cov[4, 2] == pytest.approx(off)
    assert cov[0, 0] == pytest.approx(1 / 300 - 1 / G + 1 / 80 - 1 / B)
    np.testing.assert_allclose(cov, cov.T)
    np.testing.assert_allclose(np.sqrt(np.diag(cov)), woe_table(GOODS, BADS)["woe_se"])


def test_woe_table_columns_and_weighted_counts() -> None:
    table = woe_table([2.5, 3.5], [1.25, 0.75])
    assert list(table.columns) == [
        "bin", "goods", "bads", "total", "share", "event_rate",
        "p_good", "q_bad", "woe", "woe_se", "iv_contrib",
    ]  # fmt: skip
    assert table["goods"].dtype == np.float64
    assert table["event_rate"].tolist() == pytest.approx([1.25 / 3.75, 0.75 / 4.25])
    assert table["share"].sum() == pytest.approx(1.0)
    assert woe_table([3, 4], [1, 2])["goods"].dtype == np.int64


# Validation --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("p", "q", "match"),
    [
        ([1, 2, 3], [1, 2], "p_counts has 3 bins but q_counts has 2"),
        ([1, -2, 3], [1, 2, 3], "p_counts contains negative"),
        ([1, 2, 3], [1, np.nan, 3], "q_counts contains NaN"),
        ([1, 2, np.inf], [1, 2, 3], "p_counts contains NaN or infinite"),
        ([0, 0, 0], [1, 2, 3], "p_counts sums to 0"),
        ([1, 2, 3], [0, 0, 0], "q_counts sums to 0"),
        ([5, 0, 0], [3, 0, 0], "at least 2"),
        ([], [], "p_counts is empty"),
        ([[1, 2], [3, 4]], [[1, 2], [3, 4]], "p_counts must be 1-D"),
        (["a", "b"], [1, 2], "p_counts must be a 1-D sequence"),
    ],
)
def test_jeffreys_rejects_bad_counts(p: object, q: object, match: str) -> None:
    with pytest.raises(InputError, match=match):
        jeffreys(p, q)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"reference": "population"}, "reference"),
        ({"level": 1.0}, "level"),
        ({"level": 0}, "level"),
        ({"level": "high"}, "level"),
        ({"alpha": -0.5}, "alpha"),
        ({"alpha": float("nan")}, "alpha"),
        ({"alpha": "auto"}, "alpha"),
    ],
)
def test_jeffreys_rejects_bad_options(kwargs: dict, match: str) -> None:
    with pytest.raises(InputError, match=match):
        jeffreys(GOODS, BADS, **kwargs)


def test_errors_name_the_callers_parameters() -> None:
    with pytest.raises(InputError, match="goods has 2 bins but bads has 3"):
        information_value([1, 2], [1, 2, 3])
    with pytest.raises(InputError, match="current_counts contains negative"):
        psi([1, 2], [1, -2])
    with pytest.raises(InputError, match="bads sums to 0"):
        woe_table([1, 2], [0, 0])
    with pytest.raises(InputError, match="p "):
        kl_divergence([1, -1], [1, 1])


def test_input_error_is_a_value_error() -> None:
    with pytest.raises(ValueError):
        jeffreys([1, 2], [1])


@pytest.mark.parametrize(
    ("method", "arg", "match"),
    [
        ("test_material", -0.1, "tau"),
        ("test_below", 0.0, "eps"),
        ("test_below", float("inf"), "eps"),
    ],
)
def test_hypothesis_methods_validate(method: str, arg: float, match: str) -> None:
    result = jeffreys(GOODS, BADS)
    with pytest.raises(InputError, match=match):
        getattr(result, method)(arg)
    with pytest.raises(InputError, match="level_alpha"):
        getattr(result, method)(0.1, level_alpha=1.5)
