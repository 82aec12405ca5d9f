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
    check_level,
    check_specials,
    echo,
    echo_json,
    friendly_errors,
    parse_specials,
)
from scorecard.exceptions import InputError
from scorecard.options import ENCODINGS, EXPORT_FORMATS, SQL_DIALECTS


def _echo_warnings(caught: list[warnings.WarningMessage]) -> None:
    for w in caught:
        echo(f"warning: {w.message}", err=True)


def fit(
    data: Annotated[Path, typer.Argument(help="CSV or parquet file, one row per application.")],
    target: Annotated[str, typer.Option(help="Binary target column.")],
    out: Annotated[Path, typer.Option(help="Where to write the scorecard spec (JSON).")],
    bad_value: Annotated[Optional[str], typer.Option(help="Target value meaning bad.")] = None,
    encoding: Annotated[str, typer.Option(help="woe-lr, onehot-lr or xgb-stumps.")] = "woe-lr",
    special: Annotated[list[str], typer.Option(help="Special value COL=VALUE (repeatable).")] = [],
    exclude: Annotated[list[str], typer.Option(help="Column that is not a characteristic "
                                               "(repeatable).")] = [],
    prebinning: Annotated[str, typer.Option(help="Pre-binning: quantile or stumps.")] = "quantile",
    n_rounds: Annotated[int, typer.Option(help="Boosting rounds of stump pre-binning.")] = 50,
    c: Annotated[float, typer.Option("--C", help="Inverse L2 strength of the logistic "
                                     "regressions.")] = 1.0,
    unconstrained: Annotated[bool, typer.Option(help="woe-lr: allow positive coefficients (the "
                                                "old unconstrained fit).")] = False,
    min_iv_ci_low: Annotated[Optional[float], typer.Option(help="Drop characteristics whose IV "
                                                           "interval starts below this.")] = None,
    max_correlation: Annotated[Optional[float], typer.Option(
        help="Of two characteristics whose WoE correlate beyond this, keep the higher IV.")] = None,
    stepwise: Annotated[Optional[str], typer.Option(help="Forward stepwise selection: aic, bic "
                                                    "or auc (hold-out AUC).")] = None,
    base_score: Annotated[float, typer.Option(help="Score at the base odds.")] = 600,
    base_odds: Annotated[float, typer.Option(help="Odds of good at the base score.")] = 50,
    pdo: Annotated[float, typer.Option(help="Points to double the odds of good.")] = 20,
    name: Annotated[Optional[str], typer.Option(help="Name stored in the spec.")] = None,
) -> None:
    """Bin the characteristics, fit a scorecard and write its spec (JSON).

    Every column except the target and --exclude ones is a candidate characteristic; numeric
    columns get optimal monotone bins, text columns grouped categories. Prints the selected
    characteristics and the training AUC.
    """
    from scorecard.binning import BinningProcess
    from scorecard.io import read_table
    from scorecard.model.scorecard import Scorecard

    if encoding not in ENCODINGS:
        raise InputError(f"--encoding {encoding!r} must be one of {', '.join(ENCODINGS)}.")
    frame = read_table(data)
    if target not in frame.columns:
        raise InputError(
            f"target column {target!r} not found; available columns: "
            f"{', '.join(map(str, list(frame.columns)[:20]))}."
        )
    unknown = [col for col in exclude if col not in frame.columns]
    if unknown:
        raise InputError(f"--exclude names unknown column(s) {', '.join(map(repr, unknown))}.")
    columns = [col for col in frame.columns if col != target and col not in set(exclude)]
    if not columns:
        raise InputError("there are no characteristics besides the target and excluded columns.")
    specials = parse_specials(special)
    check_specials(frame[columns], specials)
    process = BinningProcess(special_values=specials or None,
                             prebinning=prebinning, n_rounds=n_rounds)
    card = Scorecard(process, encoding=encoding, C=c, sign_constrained=not unconstrained,
                     min_iv_ci_low=min_iv_ci_low, max_correlation=max_correlation,
                     stepwise=stepwise, base_score=base_score, base_odds=base_odds,
                     pdo=pdo, target_name=target, bad_value=bad_value, name=name)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        card.fit(frame[columns], frame[target])
    _echo_warnings(caught)
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
               f"[{low:.4f}, {high:.4f}]); optimistic: measure on hold-out rows with "
               "`scorecard evaluate`.")
    echo(f"rounding: |integer - exact score| max {card.rounding_error_['max_abs']:.2f} "
               f"on training rows (bound {card.rounding_error_['bound']:.2f})")
    echo(f"wrote {out}")


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


POINT_HELP = "Point K of a front file written by `scorecard fairness` (MODEL is then that file)."


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
    model: Annotated[Path, typer.Argument(help="Scorecard spec written by `scorecard fit`.")],
    data: Annotated[Path, typer.Argument(help="CSV or parquet file to score.")],
    out: Annotated[Path, typer.Option(help="Where to write the scored rows (CSV or parquet).")],
    reason_codes: Annotated[Optional[int], typer.Option(
        help="Reason codes per row (0: none; default 3, at most the number of "
             "characteristics).")] = None,
    score_column: Annotated[str, typer.Option(help="Name of the added score column.")] = "score",
    point: Annotated[Optional[int], typer.Option(help=POINT_HELP)] = None,
) -> None:
    """Score every row: the input columns (as written) plus the score and reason_1 .. reason_k.

    A CSV is read as text exactly as written and parsed as the spec says (numeric
    characteristics as numbers; categorical ones compared as written, "07" is not "7"), so a row
    scores the same in any file; the output repeats every input value unchanged. Parquet to
    parquet streams in batches of rows (`scorecard.streaming`): the file may exceed memory.
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
    from scorecard.streaming import is_parquet

    return is_parquet(data) and is_parquet(out)


def _score_streaming(spec: Any, data: Path, out: Path, reason_codes: int,
                     score_column: str) -> None:
    from scorecard.streaming import score_parquet

    done = score_parquet(spec, data, out, reason_codes=reason_codes, score_column=score_column)
    if not done["n_rows"]:
        echo(f"scored 0 rows; wrote {out}")
        return
    echo(f"scored {done['n_rows']} rows: score min {done['min']}, median {done['median']:g}, "
         f"max {done['max']}; wrote {out}")


def export(
    model: Annotated[Path, typer.Argument(help="Scorecard spec written by `scorecard fit`.")],
    fmt: Annotated[str, typer.Option("--format", help="csv, xlsx, sql, pmml or python.")],
    out: Annotated[Path, typer.Option(help="File to write.")],
    dialect: Annotated[str, typer.Option(help="SQL dialect: ansi, sqlite or postgres.")] = "ansi",
    table: Annotated[str, typer.Option(help="Table the SQL selects from.")] = "applications",
    score_column: Annotated[str, typer.Option(help="Name of the score column (SQL, PMML, "
                                              "Python).")] = "score",
    point: Annotated[Optional[int], typer.Option(help=POINT_HELP)] = None,
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
    model: Annotated[Path, typer.Argument(help="Scorecard spec written by `scorecard fit`.")],
    data: Annotated[Path, typer.Argument(help="Labelled CSV or parquet file (hold-out rows).")],
    level: Annotated[float, typer.Option(help="Confidence level of the intervals.")] = 0.95,
    n_bands: Annotated[int, typer.Option(help="Score bands for calibration and IV.")] = 10,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of text.")] = False,
) -> None:
    """Validation metrics on labelled rows; the target column and bad value come from the spec.

    AUC with DeLong SE and interval, Gini, KS, log loss, Brier, calibration by score band with
    the Hosmer-Lemeshow test (df = bands: the rows are assumed hold-out), score IV with SE.
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
    pct = f"{result['level']:.0%}"
    a, g, iv = result["auc"], result["gini"], result["score_iv"]
    hl = result["calibration"]["hosmer_lemeshow"]
    lines = [
        f"{spec['name']} on {data}: {result['n']} rows, {result['n_bads']} bads "
        f"({result['bad_rate']:.2%})",
        f"AUC       {a['value']:.4f}  SE {a['se']:.4f}  {pct} CI {_fmt_ci(a['ci'])} (DeLong)",
        f"Gini      {g['value']:.4f}  SE {g['se']:.4f}  {pct} CI {_fmt_ci(g['ci'])}",
        f"KS        {result['ks']['statistic']:.4f}  at score {result['ks']['threshold']:g}",
        f"log loss  {result['log_loss']:.4f}",
        f"Brier     {result['brier']:.4f}",
        f"HL test   chi2 {_num(hl['statistic'], '.3f')}  df {hl['df']}  "
        f"p {_num(hl['p_value'], '.4g')} "
        f"({hl['n_bands']} score bands)",
        f"score IV  {_num(iv['value'])}  SE {_num(iv['se'])}  {pct} CI {_fmt_ci(iv['ci'])} "
        f"({iv['ci_method']})",
        "",
        "calibration by score band:",
    ]
    echo("\n".join(lines))
    header = (f"{'band':>4} {'scores':>15} {'n':>7} {'bads':>6} {'expected':>9} {'rate':>7} "
              f"{'mean_pd':>8}")
    echo(header)
    for row in result["calibration"]["table"]:
        scores = f"{row['lower']:g}-{row['upper']:g}"
        echo(f"{row['band']:>4} {scores:>15} {row['n']:>7} {row['observed_bads']:>6} "
                   f"{row['expected_bads']:>9.1f} {row['observed_rate']:>7.3f} "
                   f"{row['mean_pd']:>8.3f}")


def register(app: typer.Typer) -> None:
    """Add the fit, score, export and evaluate commands to the CLI app."""
    app.command("fit")(friendly_errors(fit))
    app.command("score")(friendly_errors(score))
    app.command("export")(friendly_errors(export))
    app.command("evaluate")(friendly_errors(evaluate))
