"""A demo store: a card fitted on the synthetic book's first months, then 24 monthly periods of
monitoring with an injected drift event, so the dashboard has history out of the box.

`python -m scorecard.scheduling.demo` (run by `make run`) does nothing if the store already has
the demo monitor. The event: from EVENT_MONTH on, a third of applicants arrive with far lower
account balances and more recent inquiries (on top of the generator's slow drift).

It also stores the fairness front the dashboard's Fairness page opens with (German credit, its
default settings; `sample_front`), so that page reads it instead of tracing it (about 15 s) on
its first visit. A stored front is used only for the exact settings and package version it
was made with (`sample_front_params`).
"""

from __future__ import annotations

import argparse
import json
import sys
import warnings
from pathlib import Path

import numpy as np

from scorecard import __version__
from scorecard.datasets import DATASETS, make_applications
from scorecard.exceptions import ScorecardError
from scorecard.fairness.front import FRONT_VERSION, ParetoFront
from scorecard.fairness.groups import GERMAN_CREDIT_SEX
from scorecard.model.spec import save_spec
from scorecard.scheduling.runner import RunSummary, create_monitor, run_monitor
from scorecard.storage import MonitorStore, ResultStore

NAME = "demo"
PERIOD = "application_month"
DEVELOPMENT_MONTHS, MONITORED_MONTHS = 3, 24
START = "2023-01"
EVENT_MONTH = "2024-10"


def build_demo(store: MonitorStore, folder: Path, *, rows: int = 60_000, seed: int = 7,
               name: str = NAME) -> RunSummary | None:
    """Write the demo files under `folder`, create monitor `name` and run it; None if it exists."""
    if name in store.monitor_names():
        return None
    from scorecard import BinningProcess
    from scorecard.model.scorecard import Scorecard

    folder.mkdir(parents=True, exist_ok=True)
    book = make_applications(rows, seed=seed, n_months=DEVELOPMENT_MONTHS + MONITORED_MONTHS,
                             start=START)
    months = sorted(book[PERIOD].unique())
    development = book[book[PERIOD] < months[DEVELOPMENT_MONTHS]]
    current = book[book[PERIOD] >= months[DEVELOPMENT_MONTHS]].copy()
    rng = np.random.default_rng(seed)
    hit = (current[PERIOD] >= EVENT_MONTH).to_numpy() & (rng.random(len(current)) < 1 / 3)
    current.loc[hit, "account_balance"] *= 0.2
    current.loc[hit, "recent_inquiries"] += 3
    features = development.drop(columns=["default", PERIOD, "protected"])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        card = Scorecard(BinningProcess(special_values={"delinquency_history": [-999.0]}),
                         name="demo card").fit(features, development["default"])
    model = save_spec(card.to_spec(), folder / "model.json")
    development.to_parquet(folder / "reference.parquet")
    current.to_parquet(folder / "current.parquet")
    create_monitor(store, name, model, reference=str(folder / "reference.parquet"),
                   source=str(folder / "current.parquet"), period_column=PERIOD)
    store.set_schedule(name, "0 6 1 * *", "UTC")
    return run_monitor(store, name, trigger="demo", send=False)


# -- fairness fronts of the bundled sample datasets ------------------------------------------------

FRONT_KIND = "fairness_front"
HOLDOUT_SHARE, SPLIT_SEED = 0.3, 0
FRONT_DATASET = "german_credit"
FRONT_DEFAULTS = {"eps_grid": 8, "confidence": 0.5, "score_level": True}
"""The Fairness page's default settings: the front stored with the demo."""
SAMPLE_GROUPS = {"german_credit": {"personal_status_and_sex": GERMAN_CREDIT_SEX}}
"""Protected values mapped to groups per dataset (German credit: sex from personal status)."""


def sample_front_params(name: str, protected: tuple[str, ...], eps_grid: int, confidence: float,
                        score_level: bool) -> dict:
    """What a front of bundled dataset `name` depends on (its stored params)."""
    return {"protected": list(protected), "eps_grid": int(eps_grid),
            "confidence": float(confidence), "score_level": bool(score_level),
            "holdout": HOLDOUT_SHARE, "seed": SPLIT_SEED, "front_version": FRONT_VERSION,
            "package_version": __version__}


def sample_front(name: str, protected: tuple[str, ...], eps_grid: int, confidence: float,
                 score_level: bool) -> ParetoFront:
    """The performance-fairness front of bundled dataset `name` on a stratified 70/30 split."""
    from scorecard.fairness.front import fairness_front
    from scorecard.fairness.penalized import DEFAULT_PENALTIES

    info = DATASETS[name]
    exclude = [c for c in info.exclude if c != info.target and c not in info.protected]
    return fairness_front(
        info.load(), info.target, list(protected), bad_value=info.bad_value,
        groups=SAMPLE_GROUPS.get(name), exclude=exclude,
        special_values=dict(info.special_values) or None, holdout=HOLDOUT_SHARE,
        seed=SPLIT_SEED, eps_grid=eps_grid, confidence=None if confidence == 0.5 else confidence,
        penalties=DEFAULT_PENALTIES if score_level else None)


def stored_sample_front(store: ResultStore, name: str, protected: tuple[str, ...], eps_grid: int,
                        confidence: float, score_level: bool) -> ParetoFront | None:
    """The stored front of exactly these settings and this package version, else None."""
    params = sample_front_params(name, protected, eps_grid, confidence, score_level)
    for report in store.list(FRONT_KIND):
        if report.subject == name and report.params == params:
            return front_of(store.get(report.id).payload)
    return None


def front_of(payload: dict) -> ParetoFront:
    """The front held in a stored result's payload (checked as a front document)."""
    return ParetoFront.from_json(json.dumps(payload))


def store_sample_front(store: ResultStore, name: str = FRONT_DATASET,
                       protected: tuple[str, ...] | None = None, **settings) -> int:
    """Trace and store the front of `name` (the Fairness page's defaults unless `settings`
    say otherwise); returns its id, without tracing again when it is stored already."""
    protected = tuple(protected or DATASETS[name].protected[:1])
    chosen = {**FRONT_DEFAULTS, **settings}
    params = sample_front_params(name, protected, **chosen)
    for report in store.list(FRONT_KIND):
        if report.subject == name and report.params == params:
            return report.id
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        front = sample_front(name, protected, **chosen)
    return store.save(FRONT_KIND, name, params, front.to_dict())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--folder", type=Path, default=Path("var/demo"), help="where the files go")
    parser.add_argument("--rows", type=int, default=60_000, help="rows of the synthetic book")
    parser.add_argument("--no-front", action="store_true",
                        help="do not store the Fairness page's default front")
    args = parser.parse_args(argv)
    try:
        store = MonitorStore()
        summary = build_demo(store, args.folder, rows=args.rows)
        if not args.no_front:  # traced once (~15 s), then found in the store
            front_id = store_sample_front(ResultStore(database=store.db))
            print(f"Fairness page's default front: stored result #{front_id}", file=sys.stderr)
    except ScorecardError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if summary is None:
        print(f"demo monitor {NAME!r} already in {store.db.display_url}", file=sys.stderr)
    else:
        statuses = [s for _, s in summary.written]
        print(f"demo monitor {NAME!r}: {len(statuses)} periods stored in "
              f"{store.db.display_url} ({statuses.count('material')} material)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
