"""Divergences and the Jeffreys result object: identities, symmetry, serialisation, tests."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from scorecard.stats import (
    JeffreysResult,
    information_value,
    jeffreys,
    jeffreys_divergence,
    js_divergence,
    kl_divergence,
    psi,
    woe_table,
    wald_interval,
)

GOODS = [300, 400, 500, 350, 250]
BADS = [80, 60, 40, 15, 5]

count_vectors = st.integers(min_value=2, max_value=8).flatmap(
    lambda k: st.tuples(
        st.lists(st.integers(1, 5000), min_size=k, max_size=k),
        st.lists(st.integers(1, 5000), min_size=k, max_size=k),
    )
)


def test_kl_matches_scipy_entropy() -> None:
    p, q = np.array([0.2, 0.3, 0.5]), np.array([0.4, 0.4, 0.2])
    assert kl_divergence(p, q) == pytest.approx(stats.entropy(p, q))
    assert kl_divergence(10 * p, q) == pytest.approx(stats.entropy(p, q))  # counts are normalised


def test_kl_zero_conventions() -> None:
    assert kl_divergence([0.5, 0.5, 0.0], [0.25, 0.25, 0.5]) == pytest.approx(math.log(2))
    assert kl_divergence([0.5, 0.5], [1.0, 0.0]) == math.inf


def test_js_is_bounded_by_ln2() -> None:
    assert js_divergence([1, 0], [0, 1]) == pytest.approx(math.log(2))
    assert js_divergence([0.3, 0.7], [0.3, 0.7]) == pytest.approx(0.0, abs=1e-15)


@settings(max_examples=60, deadline=None)
@given(count_vectors)
def test_jeffreys_identities(counts: tuple[list[int], list[int]]) -> None:
    p_counts, q_counts = counts
    r = jeffreys(p_counts, q_counts)
    assert r.value == pytest.approx(r.kl_pq + r.kl_qp, rel=1e-12, abs=1e-15)
    assert r.value >= 0 and r.se >= 0 and r.bias > 0
    assert 0 <= r.js <= math.log(2) + 1e-12
    assert r.value == pytest.approx(jeffreys_divergence(p_counts, q_counts), rel=1e-12, abs=1e-15)
    assert r.value == pytest.approx(woe_table(p_counts, q_counts).attrs["iv"], rel=1e-12, abs=1e-15)
    assert r.value_corrected == max(0.0, r.value - r.bias)
    assert r.ci_wald[0] >= 0 and r.ci_ncx2[0] >= 0
    assert r.ci_wald[0] <= r.value <= r.ci_wald[1]
    assert r.ci_ncx2[0] <= r.ci_ncx2[1]
    swapped = jeffreys(q_counts, p_counts)
    assert swapped.value == pytest.approx(r.value, rel=1e-12, abs=1e-15)
    assert swapped.se == pytest.approx(r.se, rel=1e-9, abs=1e-15)
    assert swapped.statistic == pytest.approx(r.statistic, rel=1e-12, abs=1e-12)


def test_aliases_give_the_same_result() -> None:
    assert information_value(GOODS, BADS) == jeffreys(GOODS, BADS)
    assert psi(GOODS, BADS, reference="fixed") == jeffreys(GOODS, BADS, reference="fixed")
    assert isinstance(psi(GOODS, BADS), JeffreysResult)


def test_fixed_reference_has_smaller_se_and_only_the_current_bias_term() -> None:
    two = jeffreys(GOODS, BADS)
    one = jeffreys(GOODS, BADS, reference="fixed")
    assert one.value == two.value
    assert one.se < two.se
    assert one.bias < two.bias
    assert one.n_eff == sum(BADS) and one.reference == "fixed"


def test_weighted_counts_scale_consistently() -> None:
    base = jeffreys(GOODS, BADS)
    scaled = jeffreys(np.array(GOODS) * 2.0, np.array(BADS) * 2.0)
    assert scaled.value == pytest.approx(base.value)
    assert scaled.se == pytest.approx(base.se / math.sqrt(2))
    assert scaled.n_eff == pytest.approx(2 * base.n_eff)


def test_se_near_zero_follows_the_small_j_approximation() -> None:
    # Near J = 0 the SE is about 2 sqrt(J / n_eff) (STATISTICS.md section 3).
    r = jeffreys([5000, 5100, 4900, 5000], [5050, 5000, 4950, 5000])
    assert r.se == pytest.approx(2 * math.sqrt(r.value / r.n_eff), rel=0.05)


def test_result_is_frozen() -> None:
    r = jeffreys(GOODS, BADS)
    with pytest.raises(AttributeError):
        r.value = 0.0  # type: ignore[misc]


def test_to_dict_is_plain_json() -> None:
    r = jeffreys([300, 0, 400, 500], [80, 0, 60, 0])
    d = r.to_dict()
    text = json.dumps(d, allow_nan=False)
    back = json.loads(text)
    assert back["ci"] == list(r.ci) and back["ci_method"] == r.ci_method
    assert back["dropped_bins"] == [1] and back["alpha"] == 0.5 and back["reference"] == "sample"
    for key in ("value", "se", "bias", "value_corrected", "n_eff", "statistic", "p_value", "js"):
        assert type(d[key]) is float
    assert type(d["df"]) is int and type(d["k"]) is int


def test_one_interval_rule_whatever_t() -> None:
    big = jeffreys(GOODS, BADS)  # T = 101.2
    small = jeffreys(0.9 * np.array(GOODS), 0.9 * np.array(BADS))  # same J, T = 91.1
    null = jeffreys([300, 310, 290], [30, 29, 31])
    for r in (big, small, null):
        wald_corrected = wald_interval(r.value_corrected, r.se)
        if wald_corrected[0] > 0:
            assert r.ci == (min(r.ci_ncx2[0], wald_corrected[0]), max(r.ci_ncx2[1], wald_corrected[1]))
            assert r.ci_method == "ncx2+wald"
        else:
            assert r.ci == r.ci_ncx2 and r.ci_method == "ncx2"
        assert r.ci[0] <= r.estimate <= r.ci[1]
    assert null.ci_method == "ncx2" and big.ci_method == "ncx2+wald"


def test_level_widens_intervals() -> None:
    narrow = jeffreys(GOODS, BADS, level=0.80)
    wide = jeffreys(GOODS, BADS, level=0.99)
    assert wide.ci_wald[0] < narrow.ci_wald[0] < narrow.ci_wald[1] < wide.ci_wald[1]
    assert wide.ci_ncx2[0] < narrow.ci_ncx2[0] < narrow.ci_ncx2[1] < wide.ci_ncx2[1]


def test_material_and_compliance_tests_follow_the_ncx2_rules_for_weights() -> None:
    # Weighted counts (not whole rows) cannot be resampled: the ncx2 forms are used.
    r = jeffreys([4200.5, 5600, 4200], [1500, 2400, 2100.5])  # J = 0.0168, n_eff = 4200, df = 2
    material = r.test_material(0.01)
    nc = r.n_eff * 0.01
    assert material.method == "ncx2"
    assert material.critical == pytest.approx(stats.ncx2.ppf(0.95, 2, nc))
    assert material.p_value == pytest.approx(stats.ncx2.sf(r.statistic, 2, nc))
    assert material.reject == (r.statistic > material.critical)
    assert not r.test_material(0.02).reject
    compliant = r.test_below(0.05)
    assert compliant.method == "ncx2"
    assert compliant.critical == pytest.approx(stats.ncx2.ppf(0.05, 2, r.n_eff * 0.05))
    assert compliant.p_value == pytest.approx(stats.ncx2.cdf(r.statistic, 2, r.n_eff * 0.05))
    assert compliant.compliant
    assert not r.test_below(0.02).compliant  # the interval reaches above 0.02
    assert r.test_material(0.0) == r.test_no_difference()
