"""Binning commands of the CLI: `iv` (pre-bin IV report) and `bin` (optimal binning to JSON).

`scorecard.cli` calls `register(app)`; the binning imports happen inside the commands.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any, Optional

import typer

from scorecard.cli.common import (
    JOBS_DEFAULT,
    AsJson,
    BadValue,
    DataFile,
    Excludes,
    Jobs,
    Level,
    Specials,
    Target,
    check_jobs,
    check_level,
    check_specials,
    echo,
    echo_json,
    friendly_errors,
    parse_specials,
)
from scorecard.exceptions import InputError
from scorecard.options import TREND_OPTIONS, trend_from_option


def iv(
    data: DataFile,
    target: Target,
    bad_value: BadValue = None,
    n_bins: Annotated[int, typer.Option(metavar="N", help="Quantile pre-bins per numeric "
                                        "column.")] = 20,
    special: Specials = [],
    level: Level = 0.95,
    as_json: AsJson = False,
    paper: Annotated[bool, typer.Option(
        "--paper", help="Also show the framework paper's published SE and Z-test p-value "
        "(anti-conservative; for comparison only).")] = False,
    jobs: Jobs = JOBS_DEFAULT,
) -> None:
    """Information value of every characteristic, with SE, interval and p-value, sorted by IV.

    Numeric columns are cut into quantile pre-bins (plus missing and special bins), other
    columns into one bin per category with at least 5 expected goods and 5 expected bads
    (rarer ones pooled into "Other"; identifier-like and mostly-numeric text columns get a
    note); the bins ignore the target, as the tests assume.

    "IV plug-in" is the raw estimate, biased upward by about (bins - 1) / n_eff; "IV corrected"
    is the bias-corrected estimate and lies inside the interval (noncentral chi-square
    inversion, widened to the bias-corrected Wald interval far from zero). p_method says how
    each p-value of "no predictive power" was computed: chi2, or permutation (tables with the
    same margins) where expected counts are small.

    Validity (docs/STATISTICS.md section 7, Monte Carlo): the test holds its size (0.04-0.06)
    wherever n_eff = goods * bads / rows >= 50, measured for 5-200 bins, 100-50,000 rows and
    2-30% bad; below that a result is flagged "unreliable*". The 95% interval covers 0.95 where
    the bads average at least 10 per bin; below that it is marked "CI indicative*" (with a
    strong signal it covered 0.85-0.92 there). Reasons are printed under the table. q_value is the Benjamini-Hochberg adjusted p-value
    across characteristics.
    """
    from scorecard.binning.prebinning import iv_report
    from scorecard.io import read_table

    check_level(level)
    frame = read_table(data)
    check_specials(frame, parse_specials(special))
    report = iv_report(frame, target, bad_value=bad_value, n_bins=n_bins,
                       special_values=parse_specials(special), level=level,
                       n_jobs=check_jobs(jobs))
    summary = report.summary
    reliability = {name: r.reliability_note if r else "" for name, r in report.results.items()}
    summary["reliability_note"] = summary["name"].map(reliability)
    if paper:
        summary = summary.merge(report.paper_columns(), on="name", how="left")
    if as_json:
        records = json.loads(summary.to_json(orient="records", double_precision=15))
        echo_json({"data": str(data), "target": target, "level": level,
                   "characteristics": records})
        return
    pct = f"{level:.0%}"
    shown = summary.assign(
        ci=[f"[{lo:.4f}, {hi:.4f}]" if lo == lo else "" for lo, hi in
            zip(summary.iv_ci_low, summary.iv_ci_high)],
        flag=["unreliable*" if note else "CI indicative*" if ci_note else ""
              for note, ci_note in zip(summary.reliability_note, summary.ci_note)],
    )[["name", "kind", "n_bins", "iv", "iv_corrected", "iv_se", "ci", "p_value", "p_method",
       "q_value", "flag"] + (["paper_se", "paper_p_value"] if paper else [])]
    shown = shown.rename(columns={"iv": "IV plug-in", "iv_corrected": "IV corrected",
                                  "ci": f"{pct} CI"})
    echo(shown.to_string(index=False, float_format=lambda v: f"{v:.4g}"))
    for name, *notes in zip(summary.name, summary.reliability_note, summary.ci_note):
        for note in filter(None, notes):
            echo(f"* {name}: {note} (docs/STATISTICS.md section 7)")
    for name, note in zip(summary.name, summary.note):
        if note:
            echo(f"note: {name}: {note}", err=True)


def bin_command(
    data: DataFile,
    target: Target,
    out: Annotated[Optional[Path], typer.Option(
        metavar="FILE", show_default="none", help="Write the fitted binning as JSON here.")] = None,
    report: Annotated[bool, typer.Option("--report", help="Print the summary table.")] = False,
    bad_value: BadValue = None,
    special: Specials = [],
    exclude: Excludes = [],
    monotone: Annotated[str, typer.Option(
        metavar="TREND", help="Event-rate trend: " + ", ".join(TREND_OPTIONS) + ".")] = "auto",
    max_bins: Annotated[Optional[int], typer.Option(
        metavar="N", show_default="no limit", help="Maximum bins per characteristic.")] = None,
    min_bin_size: Annotated[float, typer.Option(
        metavar="SHARE", help="Minimum share of rows per bin.")] = 0.05,
    prebinning: Annotated[str, typer.Option(
        metavar="METHOD", help="quantile, or stumps (XGBoost depth-1 splits).")] = "quantile",
    min_iv_low: Annotated[Optional[float], typer.Option(
        metavar="IV", show_default="select all",
        help="Select only characteristics whose IV interval's lower end exceeds this.")] = None,
    jobs: Jobs = JOBS_DEFAULT,
    engine: Annotated[str, typer.Option(
        metavar="ENGINE", help="memory (read the whole file), chunked (batches of rows: files "
        "larger than memory; DATA may be a parquet dataset folder) or dask (parquet on "
        "Dask).")] = "memory",
) -> None:
    """Optimal (exact, monotone) binning of every characteristic, saved as JSON.

    Missing values and each special value get their own bin; categories are ordered by event
    rate and merged. IV intervals and p-values after supervised binning are optimistic: judge
    them on hold-out rows.
    """
    from scorecard.binning import BinningProcess
    from scorecard.io import read_table
    from scorecard.validation import binary_target, require_columns

    if out is None and not report:
        raise InputError("nothing to do: give --out FILE.json, --report, or both.")
    if monotone not in TREND_OPTIONS:
        raise InputError(f"--monotone must be one of {', '.join(TREND_OPTIONS)}; got {monotone!r}.")
    if engine != "memory":
        process = _bin_file(data, target, bad_value, special, exclude, engine, dict(
            special_values=parse_specials(special) or None, monotonic_trend=trend_from_option(monotone),
            max_n_bins=max_bins, min_bin_size=min_bin_size, prebinning=prebinning,
            n_jobs=check_jobs(jobs),
            selection={"iv_ci_low": {"min": min_iv_low}} if min_iv_low is not None else None))
        _write_binning(process, out, report)
        return
    frame = read_table(data)
    require_columns(frame, [target], what="target column")
    require_columns(frame, exclude, what="excluded column")
    check_specials(frame, parse_specials(special))
    y = binary_target(frame[target], name=target, bad_value=bad_value)
    columns = [c for c in frame.columns if c != target and c not in set(exclude)]
    selection = {"iv_ci_low": {"min": min_iv_low}} if min_iv_low is not None else None
    process = BinningProcess(
        columns=columns, special_values=parse_specials(special) or None, selection=selection,
        monotonic_trend=trend_from_option(monotone), max_n_bins=max_bins,
        min_bin_size=min_bin_size, prebinning=prebinning, n_jobs=check_jobs(jobs),
    ).fit(frame[columns], y)
    _write_binning(process, out, report)


def _bin_file(data: Path, target: str, bad_value: Optional[str], special: list[str],
              exclude: list[str], engine: str, options: dict) -> Any:
    """`scorecard bin --engine chunked|dask`: the file is read in batches (`fit_file`)."""
    from scorecard.binning import BinningProcess, fit_file
    from scorecard.chunked import ChunkedTable

    if engine not in ("chunked", "dask"):
        raise InputError(f"--engine must be memory, chunked or dask; got {engine!r}.")
    table = ChunkedTable(data)
    table.require([target], "target column")
    table.require(exclude, "excluded column")
    table.require(list(parse_specials(special)), "special-value column")
    columns = [c for c in table.columns if c != target and c not in set(exclude)]
    process = BinningProcess(columns=columns, **options)
    return fit_file(process, data, target, bad_value=bad_value, engine=engine)


def _write_binning(process: Any, out: Optional[Path], report: bool) -> None:
    from scorecard.io import write_atomic

    if out is not None:
        text = process.to_json()
        write_atomic(out, lambda tmp: tmp.write_text(text))
        echo(f"wrote {out} ({len(process.columns_)} characteristics, "
                   f"{len(process.selected_)} selected)", err=True)
    if report:
        summary = process.summary()
        shown = summary[[c for c in ["name", "dtype", "n_bins", "trend", "iv", "iv_se", "iv_ci_low",
                                     "iv_ci_high", "p_value", "selected"] if c in summary.columns]]
        echo(shown.to_string(index=False, float_format=lambda v: f"{v:.4g}"))


def register(app: typer.Typer) -> None:
    """Add the iv and bin commands to the CLI app."""
    app.command("iv", short_help="IV of every characteristic with SE, interval and "
                "p-value.")(friendly_errors(iv))
    app.command("bin", short_help="Optimal monotone binning of every characteristic, to "
                "JSON.")(friendly_errors(bin_command))
