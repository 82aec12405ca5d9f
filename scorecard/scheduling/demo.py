"""A demo store: a card fitted on the synthetic book's first months, then 24 monthly periods of
monitoring with an injected drift event, so the dashboard has history out of the box.

`python -m scorecard.scheduling.demo` (run by `make run`) does nothing if the store already has
the demo monitor. The event: from EVENT_MONTH on, a third of applicants arrive with far lower
account balances and more recent inquiries (on top of the generator's slow drift).
"""

from __future__ import annotations

import argparse
import sys
import warnings
from pathlib import Path

import numpy as np

from scorecard.datasets import make_applications
from scorecard.exceptions import ScorecardError
from scorecard.model.spec import save_spec
from scorecard.scheduling.runner import RunSummary, create_monitor, run_monitor
from scorecard.storage import MonitorStore

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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--folder", type=Path, default=Path("var/demo"), help="where the files go")
    parser.add_argument("--rows", type=int, default=60_000, help="rows of the synthetic book")
    args = parser.parse_args(argv)
    try:
        store = MonitorStore()
        summary = build_demo(store, args.folder, rows=args.rows)
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
