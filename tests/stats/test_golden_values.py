"""Every golden value of STATISTICS.md section 5, pinned to 1e-6 (p-values to relative 1e-5)."""

from __future__ import annotations

import numpy as np
import pytest

from scorecard.stats import information_value, jeffreys, paper_violation_probability, psi, woe_table
from scorecard.stats.inference import hull_interval, wald_interval

ABS = 1e-6
P_REL = 1e-5

G1_GOODS = [300, 400, 500, 350, 250]
G1_BADS = [80, 60, 40, 15, 5]
G2_A0 = [4200, 5600, 4200]
G2_A1 = [1500, 2400, 2100]
G3_REFERENCE = [1000, 1500, 2000, 2500, 1500, 1000, 500]
G3_CURRENT = [700, 1200, 1900, 2600, 1800, 1200, 600]


def close(value: float) -> object:
    return pytest.approx(value, abs=ABS)


# G1: a scorecard feature -----------------------------------------------------------------------


def test_g1_woe_and_se() -> None:
    table = woe_table(G1_GOODS, G1_BADS, alpha=0)
    np.testing.assert_allclose(
        table["woe"], [-0.875469, -0.300105, 0.328504, 0.952658, 1.714798], rtol=0, atol=ABS
    )
    np.testing.assert_allclose(
        table["woe_se"], [0.101379, 0.116667, 0.146439, 0.252919, 0.445471], rtol=0, atol=ABS
    )
    assert table.attrs["iv"] == close(0.562254)
    assert table.attrs["alpha"] == 0.0


def test_g1_jeffreys_two_sample() -> None:
    r = information_value(G1_GOODS, G1_BADS, alpha=0)
    assert r.value == close(0.562254)
    assert r.kl_pq == close(0.302055)
    assert r.kl_qp == close(0.260199)
    assert r.se == close(0.116382)
    assert r.bias == close(0.036468)
    assert r.value_corrected == close(0.562254 - 0.036468)
    assert r.n_eff == close(180.0)
    assert r.statistic == close(101.205731)
    assert r.df == 4 and r.k == 5
    assert r.p_value == pytest.approx(5.44664e-21, rel=P_REL)
    assert r.ci_wald == close((0.334150, 0.790359))
    assert r.ci_ncx2 == close((0.349564, 0.784454))
    # One rule whatever T and k: the ncx2 inversion, widened to the bias-corrected Wald interval
    # when that excludes 0 (far from the null).
    assert r.ci == hull_interval(r.ci_ncx2, wald_interval(r.value_corrected, r.se))
    assert r.ci_method == "ncx2+wald" and r.ci[0] < r.ci_ncx2[0]


def test_g1_goods_as_fixed_reference() -> None:
    r = jeffreys(G1_GOODS, G1_BADS, reference="fixed")
    assert r.value == close(0.562254)
    assert r.se == close(0.110660)
    assert r.n_eff == 200.0
    assert r.statistic == pytest.approx(200 * 0.5622540614534983, abs=ABS)
    # Only the bads' (q) bias term: 1/2 sum (1 + p/q)(1 - q) / B.
    p = np.array(G1_GOODS) / sum(G1_GOODS)
    q = np.array(G1_BADS) / sum(G1_BADS)
    assert r.bias == pytest.approx(0.5 * np.sum((1 + p / q) * (1 - q)) / 200, abs=1e-12)


# G2: a protected attribute ---------------------------------------------------------------------


def test_g2_woe_and_se() -> None:
    table = woe_table(G2_A0, G2_A1)
    np.testing.assert_allclose(table["woe"], [0.182322, 0.0, -0.154151], rtol=0, atol=ABS)
    np.testing.assert_allclose(table["woe_se"], [0.025820, 0.018898, 0.021822], rtol=0, atol=ABS)
    assert table.attrs["iv"] == close(0.016824)


def test_g2_jeffreys() -> None:
    r = jeffreys(G2_A0, G2_A1)
    assert r.value == close(0.016824)
    assert r.se == close(0.004004)
    assert r.bias == close(0.000481)
    assert r.n_eff == close(4200.0)
    assert r.statistic == close(70.659170)
    assert r.df == 2
    assert r.p_value == pytest.approx(4.53478e-16, rel=P_REL)
    assert r.ci_wald == close((0.008975, 0.024672))
    assert r.ci_ncx2 == close((0.009684, 0.025319))
    assert r.ci == hull_interval(r.ci_ncx2, wald_interval(r.value_corrected, r.se))


def test_g2_first_as_fixed_reference() -> None:
    r = jeffreys(G2_A0, G2_A1, reference="fixed")
    assert r.se == close(0.003350)
    assert r.n_eff == 6000.0


# G3: drift -------------------------------------------------------------------------------------


def test_g3_psi_two_sample() -> None:
    r = psi(G3_REFERENCE, G3_CURRENT)
    assert r.value == close(0.029239)
    assert r.se == close(0.004843)
    assert r.n_eff == close(5000.0)
    assert r.statistic == close(146.194942)
    assert r.df == 6
    assert r.p_value == pytest.approx(4.92978e-29, rel=P_REL)
    assert r.ci_wald == close((0.019747, 0.038731))
    assert r.ci_ncx2 == close((0.019613, 0.038408))
    assert r.ci == hull_interval(r.ci_ncx2, wald_interval(r.value_corrected, r.se))


def test_g3_psi_reference_fixed() -> None:
    r = psi(G3_REFERENCE, G3_CURRENT, reference="fixed")
    assert r.se == close(0.003425)
    assert r.n_eff == 10000.0
    assert r.statistic == pytest.approx(10000 * r.value)


def test_g3_reading_real_but_immaterial() -> None:
    r = psi(G3_REFERENCE, G3_CURRENT)
    assert r.test_no_difference().reject
    for tau in (0.10, 0.25):
        material = r.test_material(tau)
        assert not material.reject
        assert material.p_value > 0.05


# The paper's own checkable number ----------------------------------------------------------------


def test_paper_violation_probability_number() -> None:
    assert paper_violation_probability(0.066, 0.0069, 0.05) == close(0.989798)
