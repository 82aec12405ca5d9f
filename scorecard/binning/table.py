"""The binning table of one characteristic: a frozen result that also drives its transform.

One row per bin in the engine's layout (numeric intervals or category groups, then the missing
bin, then one bin per special value): counts, shares, event rate, WoE (good over bad) with its
delta-method SE and the IV contribution; plus the characteristic's IV with SE, interval and
p-value, the trend and the constraints used, and everything a transform needs (edges or the
category map, special values, the WoE per bin). It serialises to plain JSON and back exactly.

The IV's p-value and interval assume bins fixed in advance. Bins chosen by supervised binning
on the same rows make them optimistic (STATISTICS.md section 4): compute them on hold-out rows,
or read them as a ranking rather than as calibrated inference.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import MISSING, dataclass, field, fields
from types import MappingProxyType
from typing import Any

import numpy as np
import pandas as pd

from scorecard import stats
from scorecard.engine.edges import LARGEST
from scorecard.exceptions import SpecError
from scorecard.options import UNSEEN_POLICIES
from scorecard.stats import JeffreysResult
from scorecard.stats.woe import woe_columns

__all__ = ["BinningTable", "UNSEEN_POLICIES", "numeric_bin_labels"]

FORMAT_VERSION = 1
BIN_KINDS = ("interval", "categories", "missing", "special")
UNSEEN_LABEL = "Unseen"

_PER_BIN = ("share", "event_rate", "woe", "woe_se", "iv_contrib")


def _frozen(values: object, dtype: type) -> np.ndarray:
    array = np.array(values, dtype=dtype)
    array.setflags(write=False)
    return array


def _json_float(value: float) -> float | None:
    """JSON has no NaN or infinity: those become null (and NaN again on the way back)."""
    value = float(value)
    return value if math.isfinite(value) else None


def _from_json_float(value: object) -> float:
    return math.nan if value is None else float(value)  # type: ignore[arg-type]


def numeric_bin_labels(edges: np.ndarray, special_values: Sequence[float]) -> list[str]:
    """Human-readable labels for the engine's numeric bin layout."""
    bounds = ["-inf", *("inf" if e >= LARGEST else f"{e:.6g}" for e in edges), "inf"]
    labels = [f"[{lo}, {hi})" for lo, hi in zip(bounds[:-1], bounds[1:])]
    if len(edges) and edges[-1] >= LARGEST:  # the bin of +inf values (engine.edges.LARGEST)
        labels[-1] = "[inf, inf]"
    labels.append("Missing")
    labels.extend(f"Special {v:g}" for v in special_values)
    return labels


def single_bin_iv(goods: float, bads: float, level: float, k: int) -> JeffreysResult:
    """The IV of a characteristic with fewer than two non-empty bins: exactly 0, with no test.

    One bin carries no information whatever the data, so the IV is 0 with SE 0; there are no
    degrees of freedom, so the p-value is NaN (no test, ``p_method`` "none") and the interval
    is [0, 0].
    """
    n_eff = goods * bads / (goods + bads) if goods + bads > 0 else 0.0
    return JeffreysResult(
        value=0.0, se=0.0, bias=0.0, value_corrected=0.0, n_eff=n_eff, df=0, statistic=0.0,
        p_value=math.nan, ci_wald=(0.0, 0.0), ci_ncx2=(0.0, 0.0), ci=(0.0, 0.0),
        ci_method="none", kl_pq=0.0, kl_qp=0.0, js=0.0, alpha=0.0, level=level,
        reference="sample", k=k, n_p=float(goods), n_q=float(bads), estimate=0.0,
        p_method="none",
    )


def _jeffreys_to_dict(result: JeffreysResult) -> dict[str, Any]:
    out = result.to_dict()
    for key, value in out.items():
        if isinstance(value, float):
            out[key] = _json_float(value)
        elif isinstance(value, list):
            out[key] = [_json_float(v) if isinstance(v, float) else v for v in value]
    return out


def _jeffreys_from_dict(data: Mapping[str, Any]) -> JeffreysResult:
    kwargs: dict[str, Any] = {}
    for f in fields(JeffreysResult):
        if f.name not in data and f.default is not MISSING:
            continue  # stored before the field existed: keep its default
        value = data[f.name]
        if isinstance(value, list):
            convert = int if f.name == "dropped_bins" else _from_json_float
            value = tuple(convert(v) for v in value)
        elif value is None:
            value = math.nan
        kwargs[f.name] = value
    return JeffreysResult(**kwargs)


@dataclass(frozen=True, eq=False)
class BinningTable:
    """Frozen binning table of one characteristic; see the module docstring.

    Per bin (arrays in bin order): ``labels``, ``kinds`` (interval, categories, missing,
    special), ``goods``, ``bads`` (int64 counts or float64 weight sums), ``share``,
    ``event_rate``, ``woe``, ``woe_se``, ``iv_contrib``. Bins empty on both sides have NaN WoE
    and SE; they carry no information and transform to WoE 0 (see `transform_woe`).

    ``iv_result`` holds the characteristic's IV with SE, bias, both intervals, the recommended
    interval and its method, and the p-value of "no information" (chi-square). They assume bins
    fixed in advance; after supervised binning on the same rows they are optimistic.

    ``splits`` (numeric: final interior edges) or ``categories`` (categorical: category -> bin)
    and ``special_values``, ``missing_bin``, ``unseen`` and ``unseen_bin`` define the transform.
    """

    name: str
    dtype: str
    labels: tuple[str, ...]
    kinds: tuple[str, ...]
    goods: np.ndarray
    bads: np.ndarray
    share: np.ndarray
    event_rate: np.ndarray
    woe: np.ndarray
    woe_se: np.ndarray
    iv_contrib: np.ndarray
    alpha: float
    iv_result: JeffreysResult
    trend: str | None
    status: str
    constraints: Mapping[str, Any]
    missing_bin: int
    splits: np.ndarray | None = None
    categories: Mapping[str, int] | None = None
    special_values: tuple[Any, ...] = ()
    unseen: str = "missing"
    unseen_bin: int = -1
    notes: tuple[str, ...] = field(default_factory=tuple)

    # ------------------------------------------------------------------ construction

    @classmethod
    def from_counts(
        cls,
        *,
        name: str,
        dtype: str,
        labels: Sequence[str],
        kinds: Sequence[str],
        counts: np.ndarray,
        level: float,
        trend: str | None,
        status: str,
        constraints: Mapping[str, Any],
        missing_bin: int,
        splits: np.ndarray | None = None,
        categories: Mapping[str, int] | None = None,
        special_values: Sequence[Any] = (),
        unseen: str = "missing",
        unseen_bin: int = -1,
        notes: Sequence[str] = (),
    ) -> BinningTable:
        """Compute the per-bin statistics and the IV from a (n_bins, 2) goods/bads count table."""
        counts = np.asarray(counts)
        goods, bads = counts[:, 0], counts[:, 1]
        frame = woe_columns(goods, bads)
        non_empty = int(np.count_nonzero(goods + bads))
        if non_empty >= 2:
            iv_result = stats.information_value(goods, bads, level=level)
        else:
            iv_result = single_bin_iv(float(goods.sum()), float(bads.sum()), level, non_empty)
        count_dtype = np.int64 if counts.dtype.kind in "iub" else np.float64
        return cls(
            name=str(name),
            dtype=dtype,
            labels=tuple(str(label) for label in labels),
            kinds=tuple(kinds),
            goods=_frozen(goods, count_dtype),
            bads=_frozen(bads, count_dtype),
            **{key: _frozen(np.asarray(frame[key]), np.float64) for key in _PER_BIN},
            alpha=float(frame["alpha"]),
            iv_result=iv_result,
            trend=trend,
            status=status,
            constraints=MappingProxyType(dict(constraints)),
            missing_bin=int(missing_bin),
            splits=None if splits is None else _frozen(splits, np.float64),
            categories=None if categories is None else MappingProxyType(dict(categories)),
            special_values=tuple(special_values),
            unseen=unseen,
            unseen_bin=int(unseen_bin),
            notes=tuple(notes),
        )

    def __reduce__(self):
        # Pickle (e.g. joblib, multiprocessing) through the JSON-safe dict: nothing else is stored.
        return (type(self).from_dict, (self.to_dict(),))

    # ------------------------------------------------------------------ views

    @property
    def n_bins(self) -> int:
        """Number of bins in the layout, empty ones included."""
        return len(self.labels)

    @property
    def n_nonempty_bins(self) -> int:
        return int(np.count_nonzero(self.goods + self.bads))

    @property
    def total(self) -> np.ndarray:
        return self.goods + self.bads

    @property
    def iv(self) -> float:
        return self.iv_result.value

    @property
    def iv_se(self) -> float:
        return self.iv_result.se

    @property
    def iv_ci(self) -> tuple[float, float]:
        return self.iv_result.ci

    @property
    def ci_method(self) -> str:
        return self.iv_result.ci_method

    @property
    def p_value(self) -> float:
        return self.iv_result.p_value

    @property
    def transform_woe(self) -> np.ndarray:
        """WoE per bin as used by transform: empty bins (NaN WoE) map to 0, the average risk."""
        return np.where(np.isnan(self.woe), 0.0, self.woe)

    def to_frame(self) -> pd.DataFrame:
        """One row per bin plus a final "Totals" row; ``attrs`` holds the IV and its uncertainty."""
        total = self.total
        frame = pd.DataFrame(
            {
                "bin": np.arange(self.n_bins, dtype=np.int64),
                "label": list(self.labels),
                "kind": list(self.kinds),
                "goods": self.goods,
                "bads": self.bads,
                "total": total,
                "share": self.share,
                "event_rate": self.event_rate,
                "woe": self.woe,
                "woe_se": self.woe_se,
                "iv_contrib": self.iv_contrib,
            }
        )
        frame.attrs.update(
            {
                "name": self.name,
                "iv": self.iv,
                "iv_se": self.iv_se,
                "iv_ci": self.iv_ci,
                "ci_method": self.ci_method,
                "p_value": self.p_value,
                "alpha": self.alpha,
                "trend": self.trend,
                "woe_sign": stats.WOE_SIGN,
            }
        )
        return frame

    # ------------------------------------------------------------------ JSON

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-safe values (NaN as null); `from_dict` rebuilds an identical table."""
        counts_are_int = self.goods.dtype == np.int64
        count = int if counts_are_int else float
        return {
            "format_version": FORMAT_VERSION,
            "name": self.name,
            "dtype": self.dtype,
            "labels": list(self.labels),
            "kinds": list(self.kinds),
            "counts_dtype": "int64" if counts_are_int else "float64",
            "goods": [count(v) for v in self.goods],
            "bads": [count(v) for v in self.bads],
            **{key: [_json_float(v) for v in getattr(self, key)] for key in _PER_BIN},
            "alpha": self.alpha,
            "iv_result": _jeffreys_to_dict(self.iv_result),
            "trend": self.trend,
            "status": self.status,
            "constraints": dict(self.constraints),
            "missing_bin": self.missing_bin,
            "splits": None if self.splits is None else [float(v) for v in self.splits],
            "categories": None if self.categories is None else dict(self.categories),
            "special_values": [
                v.item() if isinstance(v, np.generic) else v for v in self.special_values
            ],
            "unseen": self.unseen,
            "unseen_bin": self.unseen_bin,
            "notes": list(self.notes),
            "woe_sign": stats.WOE_SIGN,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> BinningTable:
        """Rebuild a table from `to_dict` output; SpecError if it is malformed."""
        try:
            if data.get("format_version") != FORMAT_VERSION:
                raise SpecError(
                    f"binning table format_version {data.get('format_version')!r} is not "
                    f"supported (expected {FORMAT_VERSION})."
                )
            count_dtype = np.int64 if data["counts_dtype"] == "int64" else np.float64
            labels = tuple(str(v) for v in data["labels"])
            n_bins = len(labels)
            arrays = {
                key: _frozen([_from_json_float(v) for v in data[key]], np.float64)
                for key in _PER_BIN
            }
            goods = _frozen(data["goods"], count_dtype)
            bads = _frozen(data["bads"], count_dtype)
            kinds = tuple(str(v) for v in data["kinds"])
            if any(a.shape != (n_bins,) for a in (goods, bads, *arrays.values())) or (
                len(kinds) != n_bins
            ):
                raise SpecError("binning table arrays do not all have one entry per bin.")
            if any(kind not in BIN_KINDS for kind in kinds):
                raise SpecError(f"binning table has an unknown bin kind in {kinds}.")
            if data["dtype"] not in ("numeric", "categorical"):
                raise SpecError(f"binning table dtype {data['dtype']!r} is unknown.")
            if data["unseen"] not in UNSEEN_POLICIES:
                raise SpecError(f"binning table unseen policy {data['unseen']!r} is unknown.")
            splits = data["splits"]
            categories = data["categories"]
            return cls(
                name=str(data["name"]),
                dtype=str(data["dtype"]),
                labels=labels,
                kinds=kinds,
                goods=goods,
                bads=bads,
                **arrays,
                alpha=float(data["alpha"]),
                iv_result=_jeffreys_from_dict(data["iv_result"]),
                trend=data["trend"],
                status=str(data["status"]),
                constraints=MappingProxyType(dict(data["constraints"])),
                missing_bin=int(data["missing_bin"]),
                splits=None if splits is None else _frozen(splits, np.float64),
                categories=None
                if categories is None
                else MappingProxyType({str(k): int(v) for k, v in categories.items()}),
                special_values=tuple(data["special_values"]),
                unseen=str(data["unseen"]),
                unseen_bin=int(data["unseen_bin"]),
                notes=tuple(str(v) for v in data["notes"]),
            )
        except SpecError:
            raise
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise SpecError(f"malformed binning table: {type(exc).__name__}: {exc}") from None
