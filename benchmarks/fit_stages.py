"""Where BinningProcess.fit spends its CPU: seconds per stage on bench_speed's credit table.

    python benchmarks/fit_stages.py [--rows 1000000] [--compare DIR]

One thread (numba and numpy), best of 3 CPU seconds (`time.process_time`, so a busy machine
inflates them less than wall time) of each stage as the fit runs it: quantile pre-bin edges,
the numeric counting pass, the edge cuts, the numeric merges and tables, the text columns'
coding, their counting pass, their merges and tables, then the whole fit. --compare DIR first
runs the same stages with another checkout's `scorecard` package (a fresh process), so the
before/after ratios come from one run.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from tables import SPECIAL_VALUES, credit_table  # noqa: E402


def stages(rows: int) -> None:
    import numba

    import scorecard
    from scorecard import BinningProcess, engine
    from scorecard.binning import _columns, _fit
    from scorecard.engine.edges import separate_by_extent

    numba.set_num_threads(1)
    warnings.simplefilter("ignore")
    frame, y = credit_table(rows)
    numeric = [c for c in frame.columns if c.startswith("x")]
    text = [c for c in frame.columns if c.startswith("c")]
    process = BinningProcess(categorical=text, special_values=SPECIAL_VALUES)
    params = process._column_params(list(frame.columns), list(frame.columns))
    label = y.astype(np.int8)
    X = _columns.numeric_matrix(frame, numeric, fitted=False)
    specials = [_columns.numeric_specials(params[c]["special_values"], c) for c in numeric]

    def best(fn):
        out, times = fn(), []
        for _ in range(3):
            start = time.process_time()
            out = fn()
            times.append(time.process_time() - start)
        return min(times), out

    seconds = {}
    seconds["quantile edges"], edges = best(
        lambda: engine.quantile_edges_many(X, 200, special_values=specials))
    seconds["counting, numeric"], (counts, lows, highs) = best(
        lambda: engine.count_numeric_extent(X, edges, label, special_values=specials))
    seconds["edge cuts"], cuts = best(
        lambda: [separate_by_extent(edges[j], lows[j], highs[j]) for j in range(len(numeric))])
    seconds["merges + tables, numeric"], _ = best(lambda: [
        _fit.numeric_table(params[c], c, cuts[j], counts[j], specials[j])
        for j, c in enumerate(numeric)])
    seconds["text coding"], (codes, categories) = best(
        lambda: _columns.category_codes(frame, text))
    seconds["counting, text"], text_counts = best(lambda: engine.count_codes(
        codes, [np.arange(len(k)) for k in categories], [len(k) for k in categories], label))
    seconds["merges + tables, text"], _ = best(lambda: [
        _fit.categorical_table(params[c], c, categories[j], text_counts[j])
        for j, c in enumerate(text)])
    seconds["whole fit"], _ = best(
        lambda: BinningProcess(categorical=text, special_values=SPECIAL_VALUES).fit(frame, y))
    print(f"{Path(scorecard.__file__).parent}: {rows:,} rows, one thread, CPU seconds "
          f"(load {os.getloadavg()[0]:.1f})")
    for name, value in seconds.items():
        print(f"  {name:<28} {value:7.3f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--compare", default=None, help="another checkout to run first")
    args = parser.parse_args()
    if args.compare:
        subprocess.run([sys.executable, str(Path(__file__).resolve()), "--rows", str(args.rows)],
                       check=True, cwd=tempfile.gettempdir(),
                       env={**os.environ, "PYTHONPATH": str(Path(args.compare).resolve())})
    stages(args.rows)


if __name__ == "__main__":
    main()
