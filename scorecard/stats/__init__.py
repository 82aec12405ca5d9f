"""Statistics on count tables: WoE, IV, PSI, KL, JS with delta-method SEs, tests, intervals, FDR.

Conventions (WoE sign good over bad, smoothing, sampling model) live in
:mod:`scorecard.stats.conventions`; formulas and golden values in STATISTICS.md.
"""

from scorecard.stats.conventions import DEFAULT_ALPHA, WOE_SIGN, resolve_alpha
from scorecard.stats.divergence import (
    JeffreysResult,
    information_value,
    jeffreys,
    jeffreys_divergence,
    js_divergence,
    kl_divergence,
    psi,
)
from scorecard.stats.inference import (
    ComplianceTest,
    DifferenceTest,
    benjamini_hochberg,
    compliance_test,
    material_difference_test,
    ncx2_interval,
    no_difference_test,
    wald_interval,
)
from scorecard.stats.paper import (
    paper_iv_se,
    paper_violation_probability,
    paper_woe_se,
    paper_z_test,
)
from scorecard.stats.woe import woe_covariance, woe_table

__all__ = [
    "DEFAULT_ALPHA",
    "WOE_SIGN",
    "ComplianceTest",
    "DifferenceTest",
    "JeffreysResult",
    "benjamini_hochberg",
    "compliance_test",
    "information_value",
    "jeffreys",
    "jeffreys_divergence",
    "js_divergence",
    "kl_divergence",
    "material_difference_test",
    "ncx2_interval",
    "no_difference_test",
    "paper_iv_se",
    "paper_violation_probability",
    "paper_woe_se",
    "paper_z_test",
    "psi",
    "resolve_alpha",
    "wald_interval",
    "woe_covariance",
    "woe_table",
]
