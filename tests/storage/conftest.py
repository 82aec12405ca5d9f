"""Drift-report-shaped documents and a minimal spec for the store's own tests.

The store treats a report as JSON with the documented keys (status, n_reference, n_current,
characteristics and score with bins); tests of real runs use scorecard.monitoring instead.
"""

from __future__ import annotations

from types import SimpleNamespace

import pytest

SPEC = {"name": "test card", "schema_version": 1, "integrity": {"sha256": "ab" * 32}}


def make_report(status: str = "stable", *, n_current: int = 100, shift: int = 0) -> dict:
    """Two characteristics and the score, with counts that differ by `shift`."""
    def row(name, status_):
        ref = [40, 35, 25]
        cur = [max(0, c + shift * (k - 1)) for k, c in enumerate(ref)]
        return {"name": name, "psi": 0.01 * (1 + shift), "psi_ci_low": 0.0,
                "psi_ci_high": 0.05 * (1 + shift), "p_material_025": 0.5, "status": status_,
                "bins": [{"label": f"bin {k}", "reference_count": r, "current_count": c}
                         for k, (r, c) in enumerate(zip(ref, cur))]}
    return {"report_version": 1, "status": status, "n_reference": 100, "n_current": n_current,
            "characteristics": [row("age", status), row("income", "stable")],
            "score": row("score", "stable")}


@pytest.fixture
def drift():
    return SimpleNamespace(make_report=make_report, spec=SPEC)
