"""Monte Carlo validity table of IV and PSI inference (STATISTICS.md section 7).

For each regime (statistic, bins k, rows n, bad rate or window sizes, true J) it draws seeded
count tables from known distributions and reports how often the interval covers the true J and
how often each test rejects a true null (size at the 5% level):

    no_diff   H0: J = 0     (rows with true J = 0)
    material  H0: J <= tau  with tau = true J (rejection rate at the boundary)
    below     H0: J >= eps  with eps = true J (false "compliant" rate at the boundary)

Run: ``python benchmarks/validity.py [--reps 2000] [--boundary-reps 2000] [--out table.md]
[--jsonl rows.jsonl] [--detail detail.jsonl] [--only 3 5 ...]``; ``--render rows.jsonl``
prints the table of rows gathered by several runs (e.g. one per core), ``--flags detail.jsonl``
how the sparse-boundary flag of the material and compliance tests splits each regime's tables
(indices 33-49 are the neighbourhood of the hard regime IV 0.5, k 10, 100 bads). Monte Carlo SE of a rate near 0.05 is 0.0049 at
2,000 replications, 0.0069 at 1,000, 0.0109 at 400; 200-bin regimes run half the replications.
Not a test. Cost per replicate with the boundary tests (one double bootstrap of 2 x 1,999 tables
serves both, ``JeffreysResult.test_boundary``): about 25 ms CPU at k 10, 40 ms at k 20, 110 ms at
k 50, 380 ms at k 200 (1-2 CPU minutes a 2,000-replicate cell at k <= 20).
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import time
from dataclasses import dataclass

import numpy as np
from scipy import optimize

from scorecard import stats
from scorecard.stats import jeffreys_divergence, resampling
from scorecard.stats.conventions import smoothed_pair
from scorecard.stats.inference import MIN_CI_ROWS_PER_BIN


@dataclass(frozen=True)
class Regime:
    kind: str  # "iv" (goods vs bads, n rows at a bad rate) or "psi" (two windows of n rows)
    k: int
    n: int
    rate: float  # bad rate for IV; ignored for PSI (windows of equal size)
    target: float  # true J

    def sizes(self) -> tuple[int, int]:
        if self.kind == "psi":
            return self.n, self.n
        bads = int(round(self.n * self.rate))
        return self.n - bads, bads


def distributions(k: int, target: float) -> tuple[np.ndarray, np.ndarray]:
    """Unequal bin shares P, and Q tilted monotonically so that J(P, Q) = target."""
    x = np.linspace(-1.0, 1.0, k)
    p = np.exp(-0.5 * x**2)
    p /= p.sum()
    if target == 0:
        return p, p.copy()

    def tilted(beta: float) -> np.ndarray:
        w = p * np.exp(beta * x)
        return w / w.sum()

    beta = optimize.brentq(lambda b: jeffreys_divergence(p, tilted(b)) - target, 0.0, 50.0)
    return p, tilted(beta)


def boundary_min_count(r: stats.JeffreysResult, target: float) -> float:
    """Smallest expected cell count of the estimated boundary pair the bootstrap draws from."""
    p, q = np.asarray(r.counts_p), np.asarray(r.counts_q)
    p_s, q_s, _, _ = smoothed_pair(p, q, r.alpha, fixed=r.reference == "fixed")
    pair = resampling.boundary_shares(p_s, q_s, r.n_p, r.n_q, target, r.reference == "fixed")
    return math.nan if pair is None else float(min((r.n_p * pair[0]).min(),
                                                   (r.n_q * pair[1]).min()))


def run(regime: Regime, reps: int, boundary_reps: int, seed: int,
        detail: list[list[float]] | None = None) -> dict[str, object]:
    p, q = distributions(regime.k, regime.target)
    n_p, n_q = regime.sizes()
    rng = np.random.default_rng(seed)
    first = rng.multinomial(n_p, p, size=reps)
    second = rng.multinomial(n_q, q, size=reps)
    covered = rejected = unreliable = 0
    methods: set[str] = set()
    material = below = 0
    test_methods: set[str] = set()
    for i in range(reps):
        r = stats.jeffreys(first[i], second[i])
        covered += r.ci[0] <= regime.target <= r.ci[1]
        rejected += r.p_value < 0.05
        unreliable += not r.reliable
        methods.add(r.p_method)
        if regime.target > 0 and i < boundary_reps:
            up, down = r.test_boundary(regime.target)
            material += up.reject
            below += down.compliant
            if detail is not None:
                detail.append([up.p_value, down.p_value, boundary_min_count(r, regime.target),
                               r.value])
            test_methods |= {up.method, down.method}
    row: dict[str, object] = {
        "kind": regime.kind, "k": regime.k, "n": regime.n,
        "rate": regime.rate if regime.kind == "iv" else None, "J": regime.target,
        "n_eff": n_p * n_q / (n_p + n_q), "min_exp": float(min(n_p, n_q) * p.min()),
        "min_cell": float(min((n_p * p).min(), (n_q * q).min())),
        "coverage": covered / reps, "p_methods": "/".join(sorted(methods)), "reps": reps,
        "unreliable": unreliable / reps,
    }
    if regime.target == 0:
        row["size_no_diff"] = rejected / reps
    elif boundary_reps > 0:
        row["size_material"] = material / min(reps, boundary_reps)
        row["size_below"] = below / min(reps, boundary_reps)
        row["boundary_reps"] = min(reps, boundary_reps)
        row["test_methods"] = "/".join(sorted(test_methods))
    return row


REGIMES: tuple[Regime, ...] = (
    # IV, no signal: across k and n, rare and common bads
    *(Regime("iv", k, n, rate, 0.0)
      for k, n, rate in [(5, 100, 0.3), (5, 2000, 0.02), (10, 500, 0.1), (10, 2000, 0.05),
                         (20, 2000, 0.05), (20, 2000, 0.12), (20, 10000, 0.02), (50, 2000, 0.3),
                         (50, 10000, 0.1), (200, 10000, 0.3), (200, 50000, 0.02),
                         (10, 50000, 0.1)]),
    # IV, small and large signal
    *(Regime("iv", k, n, rate, j)
      for k, n, rate, j in [(5, 2000, 0.1, 0.02), (10, 2000, 0.05, 0.1), (10, 2000, 0.05, 0.5),
                            (10, 500, 0.05, 0.5), (20, 10000, 0.02, 0.1), (50, 2000, 0.3, 0.1),
                            (200, 10000, 0.3, 0.1), (10, 50000, 0.1, 0.5), (5, 100, 0.3, 0.5),
                            (20, 50000, 0.05, 1.0)]),
    # PSI (two windows of n rows each): none, small, large drift
    *(Regime("psi", k, n, 0.0, j)
      for k, n, j in [(10, 100, 0.0), (10, 500, 0.0), (20, 2000, 0.0), (50, 2000, 0.0),
                      (200, 10000, 0.0), (10, 100, 0.1), (10, 2000, 0.1), (10, 2000, 0.25),
                      (20, 10000, 0.02), (200, 50000, 0.02), (50, 2000, 0.25)]),
    # material / compliance near the hard regime (few bads, strong tilt): 50, 100, 200 bads
    *(Regime("iv", k, n, 0.05, j)
      for j in (0.3, 0.5, 1.0) for k in (10, 20) for n in (1000, 2000, 4000)
      if (k, n, j) != (10, 2000, 0.5)),
)


def _ci_noted(row: dict[str, object]) -> bool:
    """Whether the regime's intervals carry ``ci_note`` (smaller side under 10 rows per bin)."""
    n = int(row["n"])
    smaller = n if row["kind"] == "psi" else min(round(n * row["rate"]), n - round(n * row["rate"]))
    return smaller / int(row["k"]) < MIN_CI_ROWS_PER_BIN


def markdown(rows: list[dict[str, object]]) -> str:
    head = ("| stat | k | n | bad rate | true J | n_eff | min exp. | coverage | size no-diff "
            "| size material | size below | p method | flagged | CI note | reps (cov / tests) |")
    lines = [head, "|" + "---|" * 15]
    for r in rows:
        def f(key: str, fmt: str = "{:.3f}") -> str:
            v = r.get(key)
            return "" if v is None else fmt.format(v)
        lines.append(
            f"| {r['kind'].upper()} | {r['k']} | {r['n']:,} | {f('rate', '{:.0%}')} | {r['J']:g} | "
            f"{r['n_eff']:.0f} | {r['min_exp']:.1f} | {f('coverage')} | {f('size_no_diff')} | "
            f"{f('size_material')} | {f('size_below')} | {r['p_methods']} | {f('unreliable', '{:.0%}')} "
            f"| {'yes' if _ci_noted(r) else ''} | {r['reps']}{' / ' + str(r['boundary_reps']) if r.get('boundary_reps') else ''} |")
    return "\n".join(lines)


def flag_table(path: str, threshold: float) -> str:
    """Per regime of a --detail file: boundary-test sizes overall, the share of tables the
    sparse-boundary rule flags (estimated pair's sparsest cell < threshold), and the sizes
    among the unflagged tables (the rule is right if those hold 0.04-0.06)."""
    lines = ["| regime | true min cell | tables | size material / below | flagged "
             "| unflagged: material / below |", "|---|---|---|---|---|---|"]
    with open(path) as fh:
        for record in map(json.loads, fh):
            regime = REGIMES[record["index"]]
            d = np.asarray(record["p_material/p_below/boundary_min_count/J"], dtype=float)
            ok = ~(d[:, 2] < threshold)  # NaN (no pair) counts as unflagged
            p, q = distributions(regime.k, regime.target)
            n_p, n_q = regime.sizes()
            true_min = min((n_p * p).min(), (n_q * q).min())
            kept = (f"{np.mean(d[ok, 0] < 0.05):.3f} / {np.mean(d[ok, 1] < 0.05):.3f}"
                    if ok.any() else "")
            lines.append(f"| {regime} | {true_min:.2f} | {len(d)} | {np.mean(d[:, 0] < 0.05):.3f}"
                         f" / {np.mean(d[:, 1] < 0.05):.3f} | {1 - ok.mean():.0%} | {kept} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=2000)
    parser.add_argument("--boundary-reps", type=int, default=2000)
    parser.add_argument("--out", default=None, help="also write the markdown table here")
    parser.add_argument("--jsonl", default=None, help="also append each row here as JSON")
    parser.add_argument("--render", default=None, help="print the table of a --jsonl file")
    parser.add_argument("--detail", default=None,
                        help="append per-replicate boundary-test p-values here (JSON lines)")
    parser.add_argument("--flags", default=None,
                        help="print the sparse-boundary flag table of a --detail file")
    parser.add_argument("--only", type=int, nargs="*", help="indices of regimes to run")
    args = parser.parse_args(argv)
    if args.flags:
        from scorecard.stats.inference import MIN_BOUNDARY_EXPECTED

        print(flag_table(args.flags, MIN_BOUNDARY_EXPECTED))
        return
    if args.render:
        with open(args.render) as fh:
            found = {json.dumps([r[k] for k in ("kind", "k", "n", "rate", "J")]): r
                     for r in map(json.loads, fh)}
        order = [json.dumps([g.kind, g.k, g.n, g.rate if g.kind == "iv" else None, g.target])
                 for g in REGIMES]
        print(markdown([found[key] for key in order if key in found]))
        return
    rows = []
    indices = args.only if args.only else range(len(REGIMES))
    for i in indices:
        regime = REGIMES[i]
        start, cpu = time.perf_counter(), time.process_time()
        share = 2 if regime.k >= 200 else 1  # 200-bin tables cost ~10x: half the replications
        detail: list[list[float]] = []
        rows.append(run(regime, args.reps // share, args.boundary_reps // share, seed=1000 + i,
                        detail=detail))
        rows[-1]["cpu_s"] = round(time.process_time() - cpu, 1)
        if args.jsonl:
            with open(args.jsonl, "a") as fh:
                fh.write(json.dumps(rows[-1]) + "\n")
        if args.detail and detail:
            with open(args.detail, "a") as fh:
                fh.write(json.dumps({"index": i, "p_material/p_below/boundary_min_count/J": detail})
                         + "\n")
        print(markdown(rows[-1:]).splitlines()[-1], f"({time.perf_counter() - start:.0f} s wall, {rows[-1]['cpu_s']} s CPU)",
              flush=True, file=sys.stderr)
        if args.out:
            with open(args.out, "w") as fh:
                fh.write(markdown(rows) + "\n")
    print(markdown(rows))


if __name__ == "__main__":
    main()
