"""The paper-compatibility formulas: what they compute, and that they are labelled as unsafe."""

from __future__ import annotations

import math

import numpy as np
import pytest

from scorecard.exceptions import InputError
from scorecard.stats import (
    jeffreys,
    paper_iv_se,
    paper_violation_probability,
    paper_woe_se,
    paper_z_test,
    woe_table,
)
from scorecard.stats import paper as paper_module

GOODS = [300, 400, 500, 350, 250]
BADS = [80, 60, 40, 15, 5]


def test_paper_woe_se_omits_the_total_terms() -> None:
    g, b = np.array(GOODS, float), np.array(BADS, float)
    np.testing.assert_allclose(paper_woe_se(GOODS, BADS), np.sqrt(1 / g + 1 / b))
    assert np.all(paper_woe_se(GOODS, BADS) > woe_table(GOODS, BADS)["woe_se"])


def test_paper_iv_se_and_z() -> None:
    g, b = np.array(GOODS, float), np.array(BADS, float)
    p, q = g / g.sum(), b / b.sum()
    expected = math.sqrt(np.sum((q - p) ** 2 * (1 / g + 1 / b)))
    assert paper_iv_se(GOODS, BADS) == pytest.approx(expected)
    assert paper_iv_se(GOODS, BADS) < jeffreys(GOODS, BADS).se  # too small on the golden G1
    z, p_value = paper_z_test(GOODS, BADS)
    assert z == pytest.approx(jeffreys(GOODS, BADS).value / expected)
    assert p_value == pytest.approx(0.5 * math.erfc(z / math.sqrt(2)))


def test_paper_formulas_share_the_smoothing_convention() -> None:
    se = paper_woe_se([10, 20], [0, 5])
    # Pseudo-counts 0.5 * total / min(total): goods 0.5 * 30 / 5 = 3 per cell, bads 0.5.
    np.testing.assert_allclose(se, np.sqrt([1 / 13 + 1 / 0.5, 1 / 23 + 1 / 5.5]))


def test_paper_violation_probability() -> None:
    assert paper_violation_probability(0.066, 0.0069, 0.05) == pytest.approx(0.989798, abs=1e-6)
    assert paper_violation_probability(0.05, 0.01, 0.05) == pytest.approx(0.5)
    with pytest.raises(InputError, match="se"):
        paper_violation_probability(0.06, 0.0, 0.05)
    with pytest.raises(InputError, match="budget"):
        paper_violation_probability(0.06, 0.01, float("nan"))


@pytest.mark.parametrize(
    "func", [paper_woe_se, paper_iv_se, paper_z_test, paper_violation_probability]
)
def test_docstrings_warn_that_these_are_anti_conservative(func: object) -> None:
    doc = func.__doc__ or ""
    assert "anti-conservative" in doc and "comparison only" in doc.lower()


def test_module_docstring_warns() -> None:
    assert "ANTI-CONSERVATIVE" in (paper_module.__doc__ or "")
