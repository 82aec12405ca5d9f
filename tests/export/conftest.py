"""Fixtures for the export tests: hand-built specs (the PostgreSQL server is in tests/conftest.py)."""

from __future__ import annotations

import shutil
from collections.abc import Sequence
from types import SimpleNamespace
from typing import Any

import pytest

from scorecard.model.spec import seal

CREATED_AT = "2026-11-28T01:00:00+00:00"


# ----------------------------------------------------------------------------------------------
# Spec builders (plain data, exactly the schema_version 1 contract)
# ----------------------------------------------------------------------------------------------


def _info(j: int) -> dict[str, Any]:
    return {"points_exact": j + 0.25, "woe": 0.125 * j - 0.3, "goods": 100 + 7 * j, "bads": 10 + j}


def numeric_characteristic(
    name: str, edges: Sequence[float], specials: Sequence[float], points: Sequence[int]
) -> dict[str, Any]:
    """Bins in the contract's order; ``points`` gives intervals, then missing, then specials."""
    edges = [float(e) for e in edges]
    k = len(edges) + 1
    assert len(points) == k + 1 + len(specials)
    bounds: list[float | None] = [None, *edges, None]
    bins = []
    for j in range(k):
        lo = "-inf" if bounds[j] is None else repr(bounds[j])
        hi = "inf" if bounds[j + 1] is None else repr(bounds[j + 1])
        bins.append({"kind": "interval", "lower": bounds[j], "upper": bounds[j + 1],
                     "label": f"[{lo}, {hi})", "points": int(points[j]), **_info(j)})
    bins.append({"kind": "missing", "label": "Missing", "points": int(points[k]), **_info(k)})
    for i, value in enumerate(specials):
        bins.append({"kind": "special", "value": float(value), "label": f"Special {value!r}",
                     "points": int(points[k + 1 + i]), **_info(k + 1 + i)})
    return {"name": name, "dtype": "numeric", "edges": edges,
            "special_values": [float(s) for s in specials], "bins": bins}


def categorical_characteristic(
    name: str, groups: Sequence[Sequence[str]], points: Sequence[int], *,
    missing_points: int, unseen_points: int, unseen: str = "other",
) -> dict[str, Any]:
    assert len(points) == len(groups)
    bins = [{"kind": "categories", "categories": list(g), "label": ", ".join(g),
             "points": int(p), **_info(j)} for j, (g, p) in enumerate(zip(groups, points))]
    bins.append({"kind": "missing", "label": "Missing", "points": int(missing_points),
                 **_info(len(groups))})
    return {"name": name, "dtype": "categorical", "unseen": unseen, "bins": bins,
            "unseen_points": int(unseen_points)}


def make_spec(
    characteristics: list[dict[str, Any]], *, intercept: int = 0,
    min_score: int | None = None, max_score: int | None = None, name: str = "test card",
    sealed: bool = True,
) -> dict[str, Any]:
    spec = {
        "schema_version": 1,
        "kind": "scorecard",
        "package_version": "0.1.0",
        "created_at": CREATED_AT,
        "name": name,
        "target": {"name": "bad", "bad_value": 1},
        "encoding": "woe-lr",
        "conventions": {
            "woe": "ln(share of goods / share of bads)",
            "smoothing_alpha_default": 0.5,
            "score": "higher score = lower risk",
            "numeric_bins": "[lower, upper): value < edge goes left; NaN -> missing bin; "
                            "special values matched exactly before edges",
        },
        "scaling": {"base_score": 600, "base_odds": 50, "pdo": 20, "factor": 28.8539,
                    "offset": 487.1229, "min_score": min_score, "max_score": max_score,
                    "rounding": "per-bin integer points"},
        "intercept_points": intercept,
        "characteristics": characteristics,
        "model": {"coefficients": [1.0] * len(characteristics), "intercept": -1.2},
        "training": {"n_rows": 1000, "data_sha256": "0" * 64, "metrics": {}},
    }
    return seal(spec) if sealed else spec


def random_numeric(rng: Any, name: str, n_edges: int, n_specials: int, scale: float = 100.0):
    edges = sorted(set((rng.normal(size=n_edges) * scale).tolist()))
    specials = [-999.0, -1.0, 99999.0][:n_specials]
    n_bins = len(edges) + 2 + len(specials)
    return numeric_characteristic(name, edges, specials, rng.integers(-40, 80, n_bins).tolist())


@pytest.fixture(scope="session")
def pmml_evaluator_factory():
    """``make(pmml_text) -> verified jpmml Evaluator``; skips only when Java is absent."""
    if shutil.which("java") is None:
        pytest.skip("java is not on PATH: the PMML check needs a Java runtime")
    from jpmml_evaluator import make_evaluator

    def make(document: str):
        return make_evaluator(document).verify()

    return make


@pytest.fixture(scope="session")
def card() -> SimpleNamespace:
    """The spec builders, for tests (conftest modules are not importable under importlib mode)."""
    return SimpleNamespace(
        numeric=numeric_characteristic,
        categorical=categorical_characteristic,
        make_spec=make_spec,
        random_numeric=random_numeric,
    )
