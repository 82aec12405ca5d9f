"""`scorecard drift`: a one-off drift report of a scorecard, per period, as text, JSON or HTML.

`scorecard.cli` calls `register(app)`; the monitoring imports happen inside the command.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from scorecard.cli.common import (
    DateColumn,
    Freq,
    ModelFile,
    PeriodColumn,
    echo,
    echo_json,
    friendly_errors,
)
from scorecard.exceptions import InputError

FAIL_EXIT_CODE = 3
"""Exit code of `scorecard drift --fail-on ...` when the worst status reaches the given one."""


def _material_notes(report: dict) -> list[tuple[str, str]]:
    """(name, note) of the rows whose material-drift p-values are only indicative."""
    rows = [*report["characteristics"], *([report["score"]] if report.get("score") else [])]
    return [(str(r["name"]), r["p_material_note"]) for r in rows if r.get("p_material_note")]


def _table(frame) -> str:
    lines = [f"{'characteristic':<24} {'PSI':>8} {'SE':>8} {'95% CI':>19} {'p':>9} "
             f"{'p>0.10':>9} {'p>0.25':>9} {'q':>9}  status"]
    for row in frame.itertuples(index=False):
        ci = f"[{row.psi_ci_low:.4f}, {row.psi_ci_high:.4f}]"
        lines.append(
            f"{str(row.name)[:24]:<24} {row.psi:>8.4f} {row.psi_se:>8.4f} {ci:>19} "
            f"{row.p_value:>9.3g} {row.p_material_010:>9.3g} {row.p_material_025:>9.3g} "
            f"{row.q_value:>9.3g}  {row.status}"
        )
    return "\n".join(lines)


def drift(
    model: ModelFile,
    reference: Annotated[str, typer.Option(
        metavar="SOURCE", help="Reference data: CSV/parquet file, folder, or "
        "'sql:<SQLAlchemy URL>::<query>'.")],
    current: Annotated[str, typer.Option(
        metavar="SOURCE", help="Current data: CSV/parquet file, folder (one file per period), "
        "or 'sql:<URL>::<query>'.")],
    period_column: PeriodColumn = None,
    date_column: DateColumn = None,
    freq: Freq = None,
    period: Annotated[list[str], typer.Option(
        metavar="PERIOD", show_default="every period", help="Only this period (repeatable); a "
        "period without rows is reported as empty.")] = [],
    reference_mode: Annotated[str, typer.Option(
        metavar="MODE", help="sample (both windows are samples) or fixed (a known "
        "population).")] = "sample",
    watch: Annotated[float, typer.Option(metavar="PSI",
                                         help="PSI threshold of 'watch'.")] = 0.10,
    material: Annotated[float, typer.Option(metavar="PSI",
                                            help="PSI threshold of 'material'.")] = 0.25,
    status_rule: Annotated[str, typer.Option(
        metavar="RULE", help="test (statuses from the material-drift tests) or point (from PSI "
        "alone).")] = "test",
    chunksize: Annotated[int, typer.Option(metavar="ROWS", help="Rows read at a time.")]
    = 250_000,
    dask: Annotated[bool, typer.Option(
        "--dask", help="Count a parquet file or dataset folder --current on Dask (pip install "
        "'scorecard[dask]'); the same reports.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON: {period: report}.")]
    = False,
    html: Annotated[Optional[Path], typer.Option(
        "--html", metavar="FILE", show_default="none",
        help="Also write a self-contained HTML report here.")] = None,
    title: Annotated[Optional[str], typer.Option(
        metavar="TEXT", show_default="Drift report: <model name>",
        help="Title of the HTML report.")] = None,
    fail_on: Annotated[Optional[str], typer.Option(
        metavar="STATUS", show_default="never", help="Exit with code 3 when the latest status "
        "is at least this: watch or material.")] = None,
) -> None:
    """Drift of current data against the reference in the scorecard's frozen bins, per period.

    For every characteristic and the score (bands at the reference's deciles): PSI with SE and
    interval, the no-drift test, the material-drift tests (PSI > 0.10, > 0.25), BH q-values and a
    status; with outcomes in the current data, AUC, KS, score IV and calibration as well.
    The material-drift tests are a double bootstrap at the threshold, seeded by the table
    (docs/STATISTICS.md sections 4 and 7 give the method and its measured validity region).
    Files are read in chunks, so the data may be larger than memory.
    """
    from scorecard.io import write_atomic
    from scorecard.model.spec import load_spec
    from scorecard.monitoring import STATUSES, drift_reports
    from scorecard.reports import drift_html

    if fail_on is not None and fail_on not in ("watch", "material"):
        raise InputError(f"--fail-on must be watch or material, got {fail_on!r}.")
    spec = load_spec(model)
    reports = drift_reports(
        spec, reference, current, period_column=period_column, date_column=date_column,
        freq=freq, periods=period or None, reference_mode=reference_mode, chunksize=chunksize,
        engine="dask" if dask else "chunked",
        thresholds={"watch": watch, "material": material, "rule": status_rule},
    )
    if html is not None:
        page = drift_html([(p, r.to_dict()) for p, r in reports.items()],
                          title=title or f"Drift report: {spec['name']}")
        write_atomic(html, lambda tmp: tmp.write_text(page, encoding="utf-8"))
    if as_json:
        echo_json({p: r.to_dict() for p, r in reports.items()}, indent=1, allow_nan=False)
    else:
        for key, rep in reports.items():
            echo(f"period {key}: {rep.status} ({rep.n_current:,} rows vs "
                       f"{rep.n_reference:,} reference rows)")
            if rep.n_current:
                echo(_table(rep.to_frame()))
                for name, note in _material_notes(rep.to_dict()):
                    echo(f"* p>0.10 / p>0.25 of {name}: {note} (docs/STATISTICS.md section 7)")
                target = (rep.target or {}).get("current")
                if target:
                    auc = target["auc"]
                    echo(f"outcomes: bad rate {target['bad_rate']['rate']:.2%}, AUC "
                               f"{auc['value']:.4f} [{auc['ci'][0]:.4f}, {auc['ci'][1]:.4f}], "
                               f"KS {target['ks']['value']:.4f}")
            echo("")
        if html is not None:
            echo(f"HTML report written to {html}")
    latest = list(reports.values())[-1]
    if fail_on is not None and STATUSES.index(latest.status) >= STATUSES.index(fail_on):
        raise typer.Exit(FAIL_EXIT_CODE)


def register(app: typer.Typer) -> None:
    """Add the drift command to the CLI app."""
    app.command("drift", short_help="PSI drift of current data against the reference, per "
                "period.")(friendly_errors(drift))
