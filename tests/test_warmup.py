"""The install-time warm-up compiles every kernel the user paths need (issue 11 item 4)."""

import importlib
import warnings

import numba.core.registry
import numpy as np
import pandas as pd
import pytest

from scorecard.datasets import load_german_credit
from scorecard.warmup import warm_up

KERNEL_MODULES = ("scorecard.engine._kernels", "scorecard.engine._map_kernels",
                  "scorecard.engine.edges", "scorecard.binning._solver",
                  "scorecard.stats.resampling", "scorecard.model._reasons",
                  "scorecard.engine._text_kernels")


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


@pytest.mark.slow
def test_after_warm_up_the_large_table_path_compiles_nothing_new():
    """Above 200,000 rows the quantiles sample, counting and mapping run in many chunks and the
    logistic regression warm-starts on a subsample; text columns are pandas' Arrow strings."""
    from scorecard.binning import BinningProcess
    from scorecard.datasets import make_wide
    from scorecard.model.scorecard import Scorecard

    assert warm_up(verbose=False) > 0
    before = _signatures()
    rows = 250_000
    X, y = make_wide(rows, 8, seed=1)
    frame = pd.DataFrame({f"x{j}": X[:, j] for j in range(6)})
    frame.loc[::101, "x0"] = -999.0
    levels = np.array([f"L{i:02d}" for i in range(12)], dtype=object)
    text = levels[np.clip(((np.nan_to_num(X[:, 6]) + 3) * 2).astype(int), 0, 11)]
    text[::37] = None
    frame["c0"] = text  # pandas infers its str dtype (Arrow-backed)
    frame["c1"] = pd.Categorical(levels[np.clip((np.nan_to_num(X[:, 7]) + 3).astype(int), 0, 11)])
    specials = {"x0": [-999.0]}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        process = BinningProcess(special_values=specials).fit(frame, y)
        process.transform(frame)
        card = Scorecard(BinningProcess(special_values=specials)).fit(frame, y)
        card.score(frame)
        card.reason_codes(frame, 3)
    assert _signatures() == before


def test_make_warms_the_cache_a_plain_command_reads():
    """`make` must not point the warm-up at a cache that `.venv/bin/scorecard ...` run from a
    shell (without the Makefile's environment) never reads: that left the first command cold."""
    from pathlib import Path

    makefile = (Path(__file__).resolve().parents[1] / "Makefile").read_text()
    assert "-m scorecard.warmup" in makefile
    assert not [line for line in makefile.splitlines()
                if "NUMBA_CACHE_DIR" in line and not line.lstrip().startswith("#")]
