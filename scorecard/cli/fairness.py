"""The `scorecard fairness` command: per-characteristic fairness tests and the Pareto front.

`scorecard.cli` calls `register(app)`; the heavy imports happen inside the command.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from scorecard.cli.common import (
    JOBS_DEFAULT,
    BadValue,
    DataFile,
    Excludes,
    Jobs,
    Specials,
    Target,
    check_jobs,
    echo,
    friendly_errors,
    parse_specials,
)
from scorecard.exceptions import InputError


def _parse_bands(items: list[str]) -> dict[str, list[float]]:
    bands: dict[str, list[float]] = {}
    for item in items:
        column, sep, values = item.partition("=")
        if not sep or not column or not values:
            raise InputError(f"--bands expects COL=EDGE,EDGE,..., got {item!r}.")
        try:
            bands[column] = [float(v) for v in values.split(",")]
        except ValueError:
            raise InputError(f"--bands {item!r}: the edges must be numbers.") from None
    return bands


def _parse_groups(items: list[str]) -> dict[str, dict[str, str]]:
    groups: dict[str, dict[str, str]] = {}
    for item in items:
        column, sep, rest = item.partition(":")
        value, sep2, name = rest.partition("=")
        if not (sep and sep2 and column and value and name):
            raise InputError(f"--group expects COL:VALUE=GROUP, got {item!r}.")
        groups.setdefault(column, {})[value] = name
    return groups


def _parse_granularities(text: str) -> list[int | None]:
    out: list[int | None] = []
    for part in text.split(","):
        part = part.strip()
        if part in ("optimal", "none", "None"):
            out.append(None)
            continue
        try:
            out.append(int(part))
        except ValueError:
            raise InputError(f"--granularities: {part!r} is not an integer or 'optimal'.") from None
    return out


def fairness(
    data: DataFile,
    target: Target,
    protected: Annotated[list[str], typer.Option(
        metavar="COLUMN", help="Protected attribute column (repeatable; the first is budgeted "
        "by the MIP).")],
    out: Annotated[Optional[Path], typer.Option(
        metavar="FILE", show_default="none", help="Where to write the front (JSON).")] = None,
    report: Annotated[bool, typer.Option("--report", help="Print the per-characteristic table "
                                         "with tests and the front's table.")] = False,
    reference_group: Annotated[Optional[str], typer.Option(
        metavar="GROUP", show_default="its largest group",
        help="Reference group of the first protected attribute.")] = None,
    bad_value: BadValue = None,
    holdout: Annotated[float, typer.Option(
        metavar="SHARE", help="Share of rows held out for evaluation.")] = 0.3,
    seed: Annotated[int, typer.Option(metavar="N", help="Seed of the hold-out split.")] = 0,
    eps_grid: Annotated[int, typer.Option(
        metavar="N", help="Number of fairness budgets along the front.")] = 20,
    confidence: Annotated[float, typer.Option(
        metavar="P", help="Budget IV_fair + z*SE with z = Phi^-1(confidence); 0.5 gives the "
        "nominal front. Also the level of the intervals.")] = 0.95,
    cutoff_rate: Annotated[float, typer.Option(
        metavar="SHARE", help="Approval rate that sets the cut-off.")] = 0.7,
    cutoff: Annotated[Optional[float], typer.Option(
        metavar="SCORE", show_default="from --cutoff-rate",
        help="Cut-off score (overrides --cutoff-rate).")] = None,
    eps: Annotated[float, typer.Option(
        metavar="IV", help="Budget of the per-characteristic compliance test.")] = 0.02,
    exclude: Excludes = [],
    special: Specials = [],
    bands: Annotated[list[str], typer.Option(
        metavar="COL=E1,E2,...", show_default="quartiles",
        help="Band edges of a continuous protected attribute (repeatable).")] = [],
    group: Annotated[list[str], typer.Option(
        metavar="COL:VALUE=GROUP", show_default="each value its own group",
        help="Map a protected value to a group (repeatable).")] = [],
    include_protected: Annotated[bool, typer.Option(
        "--include-protected", help="Let protected attributes be model inputs too.")] = False,
    granularities: Annotated[str, typer.Option(
        metavar="LIST", help="max_n_bins of the candidate binnings, comma-separated; 'optimal' "
        "= unconstrained.")] = "2,3,4,5,6,optimal",
    corr_threshold: Annotated[float, typer.Option(
        metavar="R", help="At most one of each pair with |Spearman| above this (1 = no "
        "limit).")] = 0.8,
    min_characteristics: Annotated[Optional[int], typer.Option(
        metavar="N", show_default="no limit", help="Fewest characteristics.")] = None,
    max_characteristics: Annotated[Optional[int], typer.Option(
        metavar="N", show_default="no limit", help="Most characteristics.")] = None,
    must_include: Annotated[list[str], typer.Option(
        metavar="COLUMN", show_default="none",
        help="Characteristic every point uses (repeatable).")] = [],
    must_exclude: Annotated[list[str], typer.Option(
        metavar="COLUMN", show_default="none",
        help="Characteristic no point uses (repeatable).")] = [],
    solver: Annotated[str, typer.Option(
        metavar="NAME", help="cbc (bundled) or highs (needs highspy).")] = "cbc",
    time_limit: Annotated[Optional[float], typer.Option(
        metavar="SECONDS", show_default="no limit", help="Seconds per MIP.")] = None,
    score_level: Annotated[bool, typer.Option(help="Also trace the score-level front "
                                              "(penalised, sign-constrained LR).")] = True,
    jobs: Jobs = JOBS_DEFAULT,
) -> None:
    """Fairness of every characteristic (IV between protected groups, with SE and the test
    "below budget", a double bootstrap at the budget) and the accuracy-disparity Pareto front of
    scorecards (MIP over characteristics and bin granularities; plus the score-level method).

    Validity (docs/STATISTICS.md section 7, Monte Carlo): the compliance test's size was
    measured at 0.04-0.06 for n_eff >= 50 with at least 3 expected rows in every cell of the
    pair at the budget; a test outside that is flagged "unreliable*" in --report, with the
    reason under the table (compliance_note in the front's JSON)."""
    from scorecard.fairness.front import fairness_front
    from scorecard.fairness.penalized import DEFAULT_PENALTIES
    from scorecard.io import read_table

    if out is None and not report:
        raise InputError("nothing to do: give --out front.json, --report, or both.")
    frame = read_table(data)
    front = fairness_front(
        frame, target, protected, bad_value=bad_value, reference_group=reference_group,
        bands=_parse_bands(bands), groups=_parse_groups(group),
        include_protected=include_protected, exclude=exclude,
        special_values=parse_specials(special) or None, holdout=holdout, seed=seed,
        eps_grid=eps_grid, confidence=confidence, level=confidence, cutoff=cutoff,
        cutoff_rate=cutoff_rate, compliance_eps=eps,
        granularities=_parse_granularities(granularities),
        corr_threshold=None if corr_threshold >= 1 else corr_threshold,
        min_characteristics=min_characteristics, max_characteristics=max_characteristics,
        must_include=must_include, must_exclude=must_exclude, solver=solver,
        time_limit=time_limit, penalties=DEFAULT_PENALTIES if score_level else None,
        n_jobs=check_jobs(jobs),
    )
    if report:
        _print_report(front)
    for item in front.infeasible:
        typer.echo(f"note: budget {item['epsilon']}: {item['reason']}", err=True)
    if out is not None:
        front.save(out)
        typer.echo(f"wrote {out} ({len(front.points)} points; `scorecard export {out} --point K`)",
                   err=True)


def _print_report(front) -> None:
    meta = front.meta
    primary = meta["primary"]
    typer.echo(f"{meta['n_train']} training rows, {meta['n_holdout']} hold-out rows; "
               f"protected: {', '.join(a['name'] for a in meta['protected'])} "
               f"(budgeted: {primary['name']}, reference group {primary['reference']!r}); "
               f"z = {meta['z']:.3f}")
    table = front.characteristics.copy()
    table["ci"] = [f"[{lo:.4f}, {hi:.4f}]" for lo, hi in
                   zip(table.iv_fair_ci_low, table.iv_fair_ci_high)]
    notes = (table["compliance_note"].fillna("").tolist() if "compliance_note" in table
             else [""] * len(table))
    table["flag"] = ["unreliable*" if note else "" for note in notes]
    shown = table[["characteristic", "attribute", "iv_perf", "iv_perf_se", "worst_group",
                   "iv_fair", "iv_fair_se", "ci", "compliance_p_value", "compliant", "flag"]]
    typer.echo(f"\nper characteristic on hold-out rows (IV_fair: worst group vs reference; "
               f"compliant: H0 IV_fair >= {meta['compliance_eps']:g} rejected at "
               f"{1 - meta['level']:.0%}, double bootstrap at the budget):")
    echo(shown.to_string(index=False, float_format=lambda v: f"{v:.4g}"))
    for name, attribute, note in zip(table.characteristic, table.attribute, notes):
        if note:
            echo(f"* {name} ({attribute}): {note} (docs/STATISTICS.md section 7)")
    points = front.table()
    typer.echo(f"\nfront ({meta['fair_axis']}; AIR: {meta['air_method']}):")
    typer.echo(points.to_string(index=False, float_format=lambda v: f"{v:.4g}"))


def register(app: typer.Typer) -> None:
    """Add the fairness command to the CLI app."""
    app.command("fairness", short_help="Fairness tests per characteristic and the "
                "accuracy-fairness Pareto front.")(friendly_errors(fairness))
