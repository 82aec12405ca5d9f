"""The install-time warm-up compiles every kernel the user paths need (issue 11 item 4)."""

import importlib
import warnings

import numba.core.registry
import pytest

from scorecard.datasets import load_german_credit
from scorecard.warmup import warm_up

KERNEL_MODULES = ("scorecard.engine._kernels", "scorecard.engine._map_kernels",
                  "scorecard.engine.edges", "scorecard.binning._solver",
                  "scorecard.stats.resampling")


def _signatures() -> dict[str, int]:
    out = {}
    for name in KERNEL_MODULES:
        module = importlib.import_module(name)
        for attr, value in vars(module).items():
            if isinstance(value, numba.core.registry.CPUDispatcher):
                out[f"{name}.{attr}"] = len(value.signatures)
    return out


@pytest.mark.slow
def test_after_warm_up_the_cli_paths_compile_nothing_new():
    from scorecard.binning.prebinning import iv_report
    from scorecard.model.scorecard import Scorecard

    assert warm_up(verbose=False) > 0
    before = _signatures()
    assert sum(before.values()) >= 15
    german = load_german_credit()
    y = german.pop("credit_risk")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        iv_report(german.assign(credit_risk=y), "credit_risk")
        iv_report(german.assign(credit_risk=y).iloc[:120], "credit_risk")
        card = Scorecard().fit(german, y)
        card.reason_codes(german, 3)
    assert _signatures() == before
