"""The Build flow's state and actions, apart from its widgets (app/views/build.py draws them).

One BuildState lives in st.session_state[KEY]. Every action that builds, saves or schedules
starts with auth.require_editor, so a viewer is refused even when the function is called
directly; failures the user can fix are InputError (shown as a message, never a traceback).
"""

from __future__ import annotations

import math
import os
import re
import tempfile
import warnings
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from sklearn.model_selection import train_test_split

import actions
import auth
from state import HOLDOUT_SHARE, SPLIT_SEED
from scorecard.binning import BinningProcess
from scorecard.binning.editing import edited_process
from scorecard.datasets import DATASETS
from scorecard.exceptions import InputError
from scorecard.fairness.analysis import bin_group_counts
from scorecard.fairness.disparity import model_fairness
from scorecard.fairness.groups import protected_attribute
from scorecard.io import read_table, write_atomic
from scorecard.model.scorecard import Scorecard
from scorecard.stats import information_value
from scorecard.scheduling.runner import create_monitor
from scorecard.storage import Monitor, MonitorStore, ScheduleRecord
from scorecard.storage.database import default_url
from scorecard.validation import binary_target

KEY = "build"
UPLOAD_MB_ENV, ROWS_ENV = "SCORECARD_MAX_UPLOAD_MB", "SCORECARD_MAX_ROWS"
MIN_ROWS = 50
FILES_ENV = "SCORECARD_FILES"

Progress = Callable[[str, float], None]


@dataclass(frozen=True)
class Roles:
    """What each column is for: the target and its bad value, protected attributes (never model
    inputs; used for fairness), excluded columns and special values per column."""

    target: str
    bad_value: object = None
    protected: tuple[str, ...] = ()
    excluded: tuple[str, ...] = ()
    special_values: Mapping[str, tuple[float, ...]] = field(default_factory=dict)

    def characteristics(self, columns: Sequence[str]) -> list[str]:
        dropped = {self.target, *self.protected, *self.excluded}
        return [c for c in columns if c not in dropped]


@dataclass
class BuildState:
    """Everything the flow has made so far; each step clears what depends on it."""

    source: str | None = None
    frame: pd.DataFrame | None = None
    roles: Roles | None = None
    train: np.ndarray | None = None  # row positions
    test: np.ndarray | None = None
    process: BinningProcess | None = None
    card: Scorecard | None = None
    metrics: dict | None = None
    fairness: list[dict] = field(default_factory=list)
    warnings: tuple[str, ...] = ()  # raised by the last fit or edit (shown on the page)
    holdout_iv: pd.DataFrame | None = None
    model_id: int | None = None
    reference_path: str | None = None
    monitor: Monitor | None = None
    schedule: ScheduleRecord | None = None

    def reset_after_data(self) -> None:
        self.roles = self.train = self.test = self.process = None
        self.reset_after_binning()

    def reset_after_binning(self) -> None:
        self.card = self.metrics = self.holdout_iv = None
        self.fairness = []
        self.model_id = self.reference_path = self.monitor = self.schedule = None


def state_of(session: Any) -> BuildState:
    """The flow's state in a session-state mapping (created on first use)."""
    if not isinstance(session.get(KEY), BuildState):
        session[KEY] = BuildState()
    return session[KEY]


# -- data ---------------------------------------------------------------------------------------


def _limit(env: str, default: float) -> float:
    text = os.environ.get(env)
    try:
        value = float(text) if text else default
    except ValueError:
        value = math.nan
    if not value > 0:
        raise InputError(f"{env}={text!r} must be a positive number.")
    return value


def max_upload_mb() -> float:
    """Largest upload in MB: $SCORECARD_MAX_UPLOAD_MB, default 200 (Streamlit's own limit too)."""
    return _limit(UPLOAD_MB_ENV, 200.0)


def max_rows() -> int:
    """Most rows an upload may have: $SCORECARD_MAX_ROWS, default 2,000,000."""
    return int(_limit(ROWS_ENV, 2_000_000))



def read_upload(state: BuildState, name: str, data: bytes) -> pd.DataFrame:
    """Read an uploaded CSV or parquet file (size and row limits) into the flow's data."""
    auth.require_editor("Uploading data")
    suffix = Path(name).suffix.lower()
    if suffix not in (".csv", ".parquet", ".pq"):
        raise InputError(f"{name!r} is not a CSV or parquet file: upload a .csv or .parquet file.")
    size_mb, limit = len(data) / 2**20, max_upload_mb()
    if size_mb > limit:
        raise InputError(f"{name!r} is {size_mb:,.1f} MB; the limit is {limit:,.1f} MB "
                         f"({UPLOAD_MB_ENV}). Upload a sample, or the same rows as parquet.")
    if not data:
        raise InputError(f"{name!r} is empty.")
    with tempfile.TemporaryDirectory(prefix="scorecard-upload-") as folder:
        path = Path(folder) / f"upload{suffix}"
        path.write_bytes(data)
        try:
            frame = read_table(path)
        except InputError as exc:
            raise InputError(str(exc).replace(repr(str(path)), repr(name))) from None
    _check_rows(frame, name)
    _set_data(state, name, frame)
    return frame


def load_bundled(state: BuildState, name: str) -> pd.DataFrame:
    """One of the bundled datasets (scorecard.datasets) as the flow's data."""
    auth.require_editor("Loading data")
    if name not in DATASETS:
        raise InputError(f"no bundled dataset {name!r}; choose one of {', '.join(DATASETS)}.")
    frame = DATASETS[name].load()
    _set_data(state, name, frame)
    return frame


def _check_rows(frame: pd.DataFrame, name: str) -> None:
    limit = max_rows()
    if len(frame) > limit:
        raise InputError(f"{name!r} has {len(frame):,} rows; the limit is {limit:,} "
                         f"({ROWS_ENV}). Upload a sample.")
    if len(frame) < MIN_ROWS:
        raise InputError(f"{name!r} has {len(frame)} rows; a scorecard needs at least "
                         f"{MIN_ROWS} (and a hold-out of {HOLDOUT_SHARE:.0%}).")
    if frame.shape[1] < 2:
        raise InputError(f"{name!r} has {frame.shape[1]} column: a target and at least one "
                         "characteristic are needed.")


def _set_data(state: BuildState, name: str, frame: pd.DataFrame) -> None:
    state.source, state.frame = name, frame
    state.reset_after_data()


def suggested_roles(state: BuildState) -> Roles | None:
    """The registry's roles when the data is a bundled dataset; None otherwise."""
    info = DATASETS.get(state.source or "")
    if info is None:
        return None
    others = tuple(c for c in info.exclude if c != info.target and c not in info.protected)
    return Roles(info.target, info.bad_value, tuple(info.protected), others,
                 {k: tuple(v) for k, v in info.special_values.items()})


def parse_special_values(text: str, frame: pd.DataFrame) -> dict[str, tuple[float, ...]]:
    """'col=-999,-998; other=-1' -> {col: (-999.0, -998.0), other: (-1.0,)}, checked against frame."""
    out: dict[str, tuple[float, ...]] = {}
    for part in filter(None, (p.strip() for p in re.split(r"[;\n]", text or ""))):
        column, sep, values = part.partition("=")
        column = column.strip()
        if not sep or not column:
            raise InputError(f"special values {part!r}: write COLUMN=VALUE[,VALUE...].")
        if column not in frame.columns:
            raise InputError(f"special values name column {column!r}, which is not in the data.")
        try:
            numbers = tuple(float(v) for v in values.split(",") if v.strip())
        except ValueError:
            raise InputError(f"special values of {column!r}: {values.strip()!r} are not numbers "
                             "(special values are numeric codes such as -999).") from None
        if not numbers:
            raise InputError(f"special values of {column!r}: give at least one number.")
        out[column] = numbers
    return out


def check_roles(frame: pd.DataFrame, roles: Roles) -> list[str]:
    """The characteristics the roles leave; InputError for a target or role that cannot work."""
    if roles.target not in frame.columns:
        raise InputError(f"target {roles.target!r} is not a column of the data.")
    clash = set(roles.protected) & set(roles.excluded)
    if clash:
        raise InputError(f"column(s) {', '.join(map(repr, sorted(clash)))} are both protected "
                         "and excluded: protected attributes are excluded from the model anyway.")
    if roles.target in roles.protected or roles.target in roles.excluded:
        raise InputError(f"the target {roles.target!r} cannot also be protected or excluded.")
    binary_target(frame[roles.target], name=roles.target, bad_value=roles.bad_value)
    candidates = roles.characteristics(list(frame.columns))
    if not candidates:
        raise InputError("no characteristic left: un-exclude at least one column.")
    for column in roles.special_values:
        if column not in candidates:
            raise InputError(f"special values given for {column!r}, which is not a characteristic "
                             "(it is the target, protected or excluded).")
    return candidates


# -- fitting ------------------------------------------------------------------------------------


def fit(state: BuildState, roles: Roles, progress: Progress | None = None) -> None:
    """Split 70/30 (stratified), bin every characteristic, fit the scorecard, evaluate it."""
    auth.require_editor("Fitting a scorecard")
    frame = _data(state)
    step = progress or (lambda _label, _fraction: None)
    candidates = check_roles(frame, roles)
    label = binary_target(frame[roles.target], name=roles.target, bad_value=roles.bad_value)
    step("Splitting 70% training / 30% hold-out rows", 0.05)
    rows = np.arange(len(frame))
    try:
        train, test = train_test_split(rows, test_size=HOLDOUT_SHARE, random_state=SPLIT_SEED,
                                       stratify=label)
    except ValueError as exc:
        raise InputError(f"cannot split the rows into training and hold-out: {exc} (too few "
                         "goods or bads).") from None
    state.reset_after_data()
    state.roles, state.train, state.test = roles, np.sort(train), np.sort(test)
    step(f"Binning {len(candidates)} characteristics on {len(train):,} rows", 0.15)
    process = BinningProcess(columns=candidates, special_values=dict(roles.special_values) or None)
    X, y = _training(state)
    with _recorded(state):
        state.process = process.fit(X, y)
        _fit_card(state, step)


def edit(state: BuildState, column: str, change: Mapping[str, Any] | None,
         progress: Progress | None = None) -> None:
    """Refit `column`'s bins with `change` (scorecard.binning.editing; None resets it), then
    refit the scorecard on the edited binning."""
    auth.require_editor("Editing bins")
    if state.process is None:
        raise InputError("fit the binning first.")
    step = progress or (lambda _label, _fraction: None)
    step(f"Rebinning {column!r}", 0.2)
    X, y = _training(state)
    with _recorded(state):
        state.process = edited_process(state.process, X, y, {column: change})
        _fit_card(state, step)


def _fit_card(state: BuildState, step: Progress) -> None:
    state.reset_after_binning()
    roles, frame = state.roles, _data(state)
    X, _ = _training(state)
    y_raw = frame[roles.target].iloc[state.train]
    step("Fitting the scorecard (WoE logistic regression, points)", 0.5)
    card = Scorecard(state.process, target_name=roles.target, bad_value=roles.bad_value,
                     name=f"{Path(state.source or 'data').stem} scorecard").fit(X, y_raw)
    step("Evaluating on the hold-out rows", 0.8)
    test = frame.iloc[state.test]
    state.card = card
    state.metrics = card.evaluate(test[state.process.columns_], test[roles.target])
    score = card.score(test[state.process.columns_])
    label = binary_target(test[roles.target], name=roles.target, bad_value=roles.bad_value)
    state.holdout_iv = holdout_iv(state.process, test, label)
    state.fairness = [model_fairness(score, label, protected_attribute(test, column,
                                                                       target=roles.target))
                      for column in roles.protected]
    step("Done", 1.0)


@contextmanager
def _recorded(state: BuildState) -> Iterator[None]:
    """Keep the warnings of a fit in the state (each once, in order) for the page to show."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            yield
        finally:
            state.warnings = tuple(dict.fromkeys(str(w.message) for w in caught))


def holdout_iv(process: BinningProcess, rows: pd.DataFrame, label: np.ndarray) -> pd.DataFrame:
    """Each selected characteristic's IV on rows the bins were not chosen on (its bins frozen):
    the honest counterpart of the training IV, whose intervals are optimistic."""
    bins = process.transform(rows, metric="bin")
    out = []
    for j, name in enumerate(process.selected_):
        n_bins = process.binning_tables_[name].n_bins
        counts = bin_group_counts(bins[:, j], n_bins, label, 2)
        iv = information_value(counts[0], counts[1])
        out.append({"name": name, "iv_holdout": iv.value, "iv_holdout_se": iv.se,
                    "iv_holdout_ci_low": iv.ci[0], "iv_holdout_ci_high": iv.ci[1]})
    return pd.DataFrame(out, columns=["name", "iv_holdout", "iv_holdout_se", "iv_holdout_ci_low",
                                      "iv_holdout_ci_high"])


def _data(state: BuildState) -> pd.DataFrame:
    if state.frame is None:
        raise InputError("no data yet: upload a file or pick a bundled dataset.")
    return state.frame


def _training(state: BuildState) -> tuple[pd.DataFrame, np.ndarray]:
    frame, roles = _data(state), state.roles
    rows = frame.iloc[state.train]
    columns = roles.characteristics(list(frame.columns))
    return rows[columns], binary_target(rows[roles.target], name=roles.target,
                                        bad_value=roles.bad_value)


# -- store --------------------------------------------------------------------------------------


def files_folder() -> Path:
    """Where the flow keeps monitors' reference samples: $SCORECARD_FILES, else beside an SQLite
    store, else ./var/models."""
    given = os.environ.get(FILES_ENV)
    if given:
        return Path(given)
    url = default_url()
    if url.startswith("sqlite:///") and not url.endswith(":memory:"):
        return Path(url[len("sqlite:///"):]).parent / "models"
    return Path("var/models").resolve()


def save_model(state: BuildState, store: MonitorStore) -> int:
    """Store the fitted card's spec (once per spec hash) and write its reference sample: the
    whole uploaded data, as parquet, for a monitor's drift reports."""
    auth.require_editor("Saving a model")
    if state.card is None:
        raise InputError("fit a scorecard before saving it.")
    spec = state.card.spec_
    model_id = store.save_model(spec)
    folder = files_folder() / f"model-{model_id}-{spec['integrity']['sha256'][:12]}"
    reference = folder / "reference.parquet"
    if not reference.exists():
        folder.mkdir(parents=True, exist_ok=True)
        write_atomic(reference, lambda tmp: _data(state).to_parquet(tmp, index=False))
    (folder / "incoming").mkdir(exist_ok=True)
    state.model_id, state.reference_path = model_id, str(reference)
    return model_id


def incoming_folder(state: BuildState) -> Path | None:
    """The folder made for a saved model's new periods (one file per period)."""
    return None if state.reference_path is None else Path(state.reference_path).parent / "incoming"


def add_monitor(state: BuildState, store: MonitorStore, name: str, *, source: str,
                period_column: str | None = None, watch: float | None = None,
                material: float | None = None) -> Monitor:
    """A monitor of the saved model: reference = the data it was built on, `source` = where new
    applications arrive (a folder with one file per period, or a file/SQL with a period column)."""
    auth.require_editor("Creating a monitor")
    if state.model_id is None or state.card is None:
        raise InputError("save the model before creating its monitor.")
    if not str(source).strip():
        raise InputError("give the monitor's source: a file or folder path, or "
                         "sql:<SQLAlchemy URL>::<query>.")
    thresholds = {k: v for k, v in (("watch", watch), ("material", material)) if v is not None}
    state.monitor = create_monitor(store, name.strip(), state.card.spec_,
                                   reference=state.reference_path, source=source,
                                   period_column=period_column or None,
                                   thresholds=thresholds or None)
    return state.monitor


def add_schedule(state: BuildState, cron: str, timezone: str = "UTC") -> ScheduleRecord:
    """Schedule the flow's monitor (the Schedules page's action: validated, editor only)."""
    auth.require_editor("Scheduling a monitor")
    if state.monitor is None:
        raise InputError("create the monitor before scheduling it.")
    state.schedule = actions.set_schedule(state.monitor.name, cron.strip(), timezone.strip())
    return state.schedule
