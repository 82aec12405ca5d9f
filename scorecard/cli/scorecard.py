"""Scorecard commands of the CLI: fit, score, export, evaluate.

`scorecard.cli` calls `register(app)`; heavy imports (scikit-learn, XGBoost, the binning) happen
inside the commands, so `scorecard --help` stays fast.
"""

from __future__ import annotations

import warnings
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
    ModelFile,
    Specials,
    Target,
    check_jobs,
    check_level,
    check_specials,
    echo,
    echo_json,
    echo_warnings,
    friendly_errors,
    parse_specials,
)
from scorecard.exceptions import InputError
from scorecard.options import ENCODINGS, EXPORT_FORMATS, SQL_DIALECTS


def fit(
    data: DataFile,
    target: Target,
    out: Annotated[Path, typer.Option(metavar="FILE",
                                      help="Where to write the scorecard spec (JSON).")],
    bad_value: BadValue = None,
    holdout: Annotated[float, typer.Option(
        metavar="SHARE", help="Hold out this share of the rows (stratified by the target, "
        "--seed), fit on the rest and print the hold-out figures; 0 fits on every row.")] = 0.0,
    seed: Annotated[int, typer.Option(metavar="N", help="Seed of the hold-out split.")] = 0,
    holdout_out: Annotated[Optional[Path], typer.Option(
        metavar="FILE", show_default="none", help="Also write the held-out rows here (CSV or "
        "parquet), for `scorecard evaluate`.")] = None,
    encoding: Annotated[str, typer.Option(
        metavar="NAME", help=f"{', '.join(ENCODINGS)}.")] = "woe-lr",
    special: Specials = [],
    exclude: Excludes = [],
    allow_protected: Annotated[list[str], typer.Option(
        metavar="COLUMN", show_default="none",
        help="A column named like a protected attribute (sex, age, marital status, foreign, "
             "...) that is meant to be a characteristic: no warning when it enters the card "
             "(repeatable).")] = [],
    prebinning: Annotated[str, typer.Option(
        metavar="METHOD", help="Pre-binning: quantile or stumps.")] = "quantile",
    n_rounds: Annotated[int, typer.Option(
        metavar="N", help="Boosting rounds of stump pre-binning.")] = 50,
    c: Annotated[float, typer.Option("--C", metavar="C", help="Inverse L2 strength of the "
                                     "logistic regressions.")] = 1.0,
    unconstrained: Annotated[bool, typer.Option(
        "--unconstrained", help="woe-lr: allow positive coefficients (the old unconstrained "
        "fit); by default every WoE coefficient is <= 0.")] = False,
    min_iv_ci_low: Annotated[Optional[float], typer.Option(
        metavar="IV", show_default="keep all",
        help="Drop characteristics whose IV interval starts below this.")] = None,
    max_correlation: Annotated[Optional[float], typer.Option(
        metavar="R", show_default="no limit",
        help="Of two characteristics whose WoE correlate beyond this, keep the higher IV.")] = None,
    stepwise: Annotated[Optional[str], typer.Option(
        metavar="CRITERION", show_default="off",
        help="Forward stepwise selection: aic, bic or auc (AUC on an inner hold-out).")] = None,
    base_score: Annotated[float, typer.Option(metavar="POINTS",
                                              help="Score at the base odds.")] = 600,
    base_odds: Annotated[float, typer.Option(metavar="ODDS",
                                             help="Odds of good at the base score.")] = 50,
    pdo: Annotated[float, typer.Option(metavar="POINTS",
                                       help="Points to double the odds of good.")] = 20,
    name: Annotated[Optional[str], typer.Option(
        metavar="TEXT", show_default="<target> <encoding>", help="Name stored in the spec.")]
    = None,
    jobs: Jobs = JOBS_DEFAULT,
) -> None:
    """Bin the characteristics, fit a scorecard and write its spec (JSON).

    Every column except the target and --exclude ones is a candidate characteristic: numeric
    columns get optimal monotone bins, text columns grouped categories. Exclude protected
    attributes (sex, age, marital status, nationality, ...): a card must not score on them, and
    a characteristic named like one draws a warning (--allow-protected silences it).

    Prints the selected characteristics and the training AUC, which is optimistic; with
    --holdout the card is fitted on the other rows and the hold-out figures are printed too.
    """
    from scorecard.binning import BinningProcess
    from scorecard.io import read_table, write_table
    from scorecard.model.scorecard import Scorecard
    from scorecard.model.split import split_rows
    from scorecard.validation import binary_target

    if encoding not in ENCODINGS:
        raise InputError(f"--encoding {encoding!r} must be one of {', '.join(ENCODINGS)}.")
    if not 0 <= holdout < 1:
        raise InputError(f"--holdout {holdout} must be a share in [0, 1), e.g. 0.3.")
    if holdout_out is not None and not holdout:
        raise InputError("--holdout-out needs --holdout SHARE (e.g. --holdout 0.3).")
    frame = read_table(data)
    if target not in frame.columns:
        raise InputError(
            f"target column {target!r} not found; available columns: "
            f"{', '.join(map(str, list(frame.columns)[:20]))}."
        )
    for option, names in (("--exclude", exclude), ("--allow-protected", allow_protected)):
        unknown = [col for col in names if col not in frame.columns]
        if unknown:
            raise InputError(f"{option} names unknown column(s) {', '.join(map(repr, unknown))}.")
    columns = [col for col in frame.columns if col != target and col not in set(exclude)]
    if not columns:
        raise InputError("there are no characteristics besides the target and excluded columns.")
    specials = parse_specials(special)
    check_specials(frame[columns], specials)
    rows, held = slice(None), None
    if holdout:
        label = binary_target(frame[target], name=target, bad_value=bad_value)
        rows, held = split_rows(label, holdout, seed)
    train = frame.iloc[rows]
    process = BinningProcess(special_values=specials or None, prebinning=prebinning,
                             n_rounds=n_rounds, n_jobs=check_jobs(jobs))
    card = Scorecard(process, encoding=encoding, C=c, sign_constrained=not unconstrained,
                     min_iv_ci_low=min_iv_ci_low, max_correlation=max_correlation,
                     stepwise=stepwise, base_score=base_score, base_odds=base_odds,
                     pdo=pdo, target_name=target, bad_value=bad_value, name=name,
                     allow_protected=allow_protected)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        card.fit(train[columns], train[target])
    echo_warnings(caught)
    card.save(out)
    auc = card.train_metrics_["auc"]
    iv = card.spec_["model"]["binning"]["iv"]
    echo(f"{card.spec_['name']}: {len(card.characteristics_)} of {len(columns)} "
         f"characteristics selected, {card.n_train_} training rows")
    for ch in card.characteristics_:
        echo(f"  {ch}  (IV {iv[ch]:.4f})")
    for ch, why in card.dropped_.items():
        echo(f"  dropped {ch} ({why['step']}): {why['reason']}")
    for bin_ in card.neutralised_:
        echo(f"  neutral points for {bin_['name']} bin {bin_['bin']}: {bin_['reason']}")
    low, high = auc["ci"]
    echo(f"train AUC {auc['value']:.4f} (SE {auc['se']:.4f}, {auc['level']:.0%} CI "
         f"[{low:.4f}, {high:.4f}])" + ("" if holdout else "; optimistic: measure on hold-out "
                                        "rows (--holdout, or `scorecard evaluate`)."))
    echo(f"rounding: |integer - exact score| max {card.rounding_error_['max_abs']:.2f} "
         f"on training rows (bound {card.rounding_error_['bound']:.2f})")
    if held is not None:
        _print_holdout(card.spec_, frame.iloc[held], holdout, seed)
        if holdout_out is not None:
            write_table(frame.iloc[held], holdout_out)
            echo(f"wrote {holdout_out} ({len(held)} hold-out rows)")
    echo(f"wrote {out}")


def _print_holdout(spec: dict, rows: Any, holdout: float, seed: int) -> None:
    from scorecard.model.scorecard import evaluate_spec

    result = evaluate_spec(spec, rows, hl_df="holdout")
    echo(f"hold-out ({holdout:g} of the rows, stratified by the target, seed {seed}): "
         f"{_counts(result)}")
    echo("\n".join("  " + line for line in _metric_lines(result)))


def _check_reason_codes(spec: Any, reason_codes: int | None) -> int:
    n_characteristics = len(spec["characteristics"])
    if reason_codes is None:
        return min(3, n_characteristics)
    if not 0 <= reason_codes <= n_characteristics:
        raise InputError(
            f"--reason-codes {reason_codes} must be between 0 and the scorecard's "
            f"{n_characteristics} characteristic(s)."
        )
    return reason_codes


Point = Annotated[Optional[int], typer.Option(
    metavar="K", show_default="none: MODEL is a spec",
    help="Point K of a front file written by `scorecard fairness` (MODEL is then that file).")]


def _load_model(model: Path, point: int | None) -> dict:
    """The spec in MODEL, or point K's spec when MODEL is a fairness front."""
    from scorecard.fairness.front import is_front_file, load_point_spec
    from scorecard.model.spec import load_spec

    if point is not None:
        return load_point_spec(model, point)
    if is_front_file(model):
        raise InputError(f"{model} is a fairness front holding many scorecards: choose one with "
                         "--point K (K = a point's index, see `scorecard fairness --report`).")
    return load_spec(model)


def score(
    model: ModelFile,
    data: Annotated[Path, typer.Argument(metavar="DATA", show_default=False,
                                         help="CSV or parquet file (or parquet dataset folder) "
                                         "to score.")],
    out: Annotated[Path, typer.Option(metavar="FILE", help="Where to write the scored rows (CSV "
                                      "or parquet).")],
    reason_codes: Annotated[Optional[int], typer.Option(
        metavar="K", show_default="3, or every characteristic if fewer",
        help="Reason codes per row (0: none; at most the number of characteristics).")] = None,
    score_column: Annotated[str, typer.Option(metavar="NAME",
                                              help="Name of the added score column.")] = "score",
    point: Point = None,
) -> None:
    """Score every row: the input columns (as written) plus the score and reason_1 .. reason_k.

    A CSV is read as text exactly as written and parsed as the spec says (numeric
    characteristics as numbers; categorical ones compared as written, "07" is not "7"), so a row
    scores the same in any file; the output repeats every input value unchanged. Parquet (a file
    or a dataset folder) to parquet and CSV to CSV stream in batches of rows
    (`scorecard.streaming`): the input may exceed memory.
    """
    from scorecard.export.names import output_columns
    from scorecard.io import read_for_scoring, write_table
    from scorecard.model.spec import score_frame

    spec = _load_model(model, point)
    reason_codes = _check_reason_codes(spec, reason_codes)
    if _streams(data, out):
        return _score_streaming(spec, data, out, reason_codes, score_column)
    names = [ch["name"] for ch in spec["characteristics"]]
    rows, view = read_for_scoring(data, names)
    output_columns(rows.columns, score_column, reason_codes)
    scored = score_frame(spec, view, reason_codes=reason_codes)
    result = rows.join(scored.rename(columns={"score": score_column}))
    write_table(result, out)
    s = scored["score"]
    echo(f"scored {len(result)} rows: score min {s.min()}, median {s.median():g}, "
          f"max {s.max()}; wrote {out}")


def _streams(data: Path, out: Path) -> bool:
    from scorecard.streaming import streams

    return streams(data, out)


def _score_streaming(spec: Any, data: Path, out: Path, reason_codes: int,
                     score_column: str) -> None:
    from scorecard.streaming import score_file

    done = score_file(spec, data, out, reason_codes=reason_codes, score_column=score_column)
    if not done["n_rows"]:
        echo(f"scored 0 rows; wrote {out}")
        return
    echo(f"scored {done['n_rows']} rows: score min {done['min']}, median {done['median']:g}, "
         f"max {done['max']}; wrote {out}")


def export(
    model: ModelFile,
    fmt: Annotated[str, typer.Option("--format", metavar="FORMAT",
                                     help=f"{', '.join(EXPORT_FORMATS)}.")],
    out: Annotated[Path, typer.Option(metavar="FILE", help="File to write.")],
    dialect: Annotated[str, typer.Option(
        metavar="DIALECT", help=f"SQL dialect: {', '.join(SQL_DIALECTS)}.")] = "ansi",
    table: Annotated[str, typer.Option(metavar="NAME",
                                       help="Table the SQL selects from.")] = "applications",
    score_column: Annotated[str, typer.Option(
        metavar="NAME", help="Name of the score column (SQL, PMML, Python).")] = "score",
    point: Point = None,
) -> None:
    """Write the scorecard as a points table (CSV, Excel), SQL, PMML 4.4 or a Python scorer."""
    from scorecard.export import export as write_export

    if fmt.lower() not in EXPORT_FORMATS:
        raise InputError(f"--format {fmt!r} must be one of {', '.join(EXPORT_FORMATS)}.")
    if dialect not in SQL_DIALECTS:
        raise InputError(f"--dialect {dialect!r} must be one of {', '.join(SQL_DIALECTS)}.")
    spec = _load_model(model, point)
    path = write_export(spec, fmt.lower(), out, dialect=dialect, table=table,
                        score_column=score_column)
    echo(f"wrote {path}")


def _num(value: float | None, spec: str = ".4f") -> str:
    return "n/a" if value is None else format(value, spec)


def _fmt_ci(ci: list[float | None]) -> str:
    return f"[{_num(ci[0])}, {_num(ci[1])}]"


def evaluate(
    model: ModelFile,
    data: Annotated[Path, typer.Argument(metavar="DATA", show_default=False, help="Labelled CSV "
                                         "or parquet file of rows the card was not fitted on.")],
    level: Level = 0.95,
    n_bands: Annotated[int, typer.Option(metavar="N",
                                         help="Score bands for calibration and IV.")] = 10,
    as_json: AsJson = False,
) -> None:
    """Validation metrics on labelled rows; the target column and bad value come from the spec.

    AUC with DeLong SE and interval, Gini, KS, log loss, Brier, calibration by score band with
    the Hosmer-Lemeshow test (df = bands: the rows are assumed hold-out), score IV with SE.
    Measure on rows the card was not fitted on (`scorecard fit --holdout 0.3 --holdout-out
    FILE` writes such rows); on the training rows every figure is optimistic.
    """
    from scorecard.io import read_for_scoring
    from scorecard.model.scorecard import evaluate_spec
    from scorecard.model.spec import load_spec

    check_level(level)
    spec = load_spec(model)
    names = [ch["name"] for ch in spec["characteristics"]]
    _, frame = read_for_scoring(data, names, keep_all_as_written=False)
    result = evaluate_spec(spec, frame, level=level, n_bands=n_bands, hl_df="holdout")
    if as_json:
        echo_json({"model": str(model), "data": str(data), **result})
        return
    echo("\n".join([f"{spec['name']} on {data}: {_counts(result)}", *_metric_lines(result), "",
                    "calibration by score band:"]))
    header = (f"{'band':>4} {'scores':>15} {'n':>7} {'bads':>6} {'expected':>9} {'rate':>7} "
              f"{'mean_pd':>8}")
    echo(header)
    for row in result["calibration"]["table"]:
        scores = f"{row['lower']:g}-{row['upper']:g}"
        echo(f"{row['band']:>4} {scores:>15} {row['n']:>7} {row['observed_bads']:>6} "
             f"{row['expected_bads']:>9.1f} {row['observed_rate']:>7.3f} "
             f"{row['mean_pd']:>8.3f}")


def _counts(result: dict) -> str:
    return f"{result['n']} rows, {result['n_bads']} bads ({result['bad_rate']:.2%})"


def _metric_lines(result: dict) -> list[str]:
    """The headline figures of `evaluate_spec`, one line each."""
    pct = f"{result['level']:.0%}"
    a, g, iv = result["auc"], result["gini"], result["score_iv"]
    hl = result["calibration"]["hosmer_lemeshow"]
    return [
        f"AUC       {a['value']:.4f}  SE {a['se']:.4f}  {pct} CI {_fmt_ci(a['ci'])} (DeLong)",
        f"Gini      {g['value']:.4f}  SE {g['se']:.4f}  {pct} CI {_fmt_ci(g['ci'])}",
        f"KS        {result['ks']['statistic']:.4f}  at score {result['ks']['threshold']:g}",
        f"log loss  {result['log_loss']:.4f}",
        f"Brier     {result['brier']:.4f}",
        f"HL test   chi2 {_num(hl['statistic'], '.3f')}  df {hl['df']}  "
        f"p {_num(hl['p_value'], '.4g')} ({hl['n_bands']} score bands)",
        f"score IV  {_num(iv['value'])}  SE {_num(iv['se'])}  {pct} CI {_fmt_ci(iv['ci'])} "
        f"({iv['ci_method']})",
    ]


def register(app: typer.Typer) -> None:
    """Add the fit, score, export and evaluate commands to the CLI app."""
    app.command("fit", short_help="Bin, select and fit a scorecard; write its spec "
                "(JSON).")(friendly_errors(fit))
    app.command("score", short_help="Score rows with a spec, with reason codes.")(
        friendly_errors(score))
    app.command("evaluate", short_help="AUC, Gini, KS, calibration ... of a spec on labelled "
                "rows.")(friendly_errors(evaluate))
    app.command("export", short_help="Write a spec as points table, SQL, PMML or Python.")(
        friendly_errors(export))
