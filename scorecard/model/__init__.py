"""The scorecard model: the Scorecard estimator (three encodings), points scaling, the spec and
validation metrics with their uncertainty.

`Scorecard` and the spec helpers load on first use, so importing the metrics (or the spec, as
the exports do) does not import scikit-learn or XGBoost.
"""

from scorecard.model.metrics import (
    AUCResult,
    KSResult,
    auc,
    auc_hanley_mcneil_se,
    brier,
    calibration_table,
    evaluate,
    ks,
    ks_curve,
    log_loss,
    roc_curve,
    score_iv,
)
from scorecard.model.scaling import CardPoints, PointsScaling, round_half_up, scale_points

_LAZY = {
    "CoefficientSignWarning": "scorecard.model.encodings",
    "Scorecard": "scorecard.model.scorecard",
    "ScorecardWarning": "scorecard.model.encodings",
    "evaluate_spec": "scorecard.model.scoring",
    "exact_scores": "scorecard.model.scoring",
    "load_scorecard": "scorecard.model.scorecard",
    "spec_probability_of_default": "scorecard.model.scoring",
    "training_data_sha256": "scorecard.model.scorecard",
}

__all__ = [
    "AUCResult",
    "CardPoints",
    "CoefficientSignWarning",
    "KSResult",
    "PointsScaling",
    "Scorecard",
    "ScorecardWarning",
    "auc",
    "auc_hanley_mcneil_se",
    "brier",
    "calibration_table",
    "evaluate",
    "evaluate_spec",
    "exact_scores",
    "ks",
    "ks_curve",
    "load_scorecard",
    "log_loss",
    "roc_curve",
    "round_half_up",
    "scale_points",
    "score_iv",
    "spec_probability_of_default",
    "training_data_sha256",
]


def __getattr__(name: str):
    """Import the estimator on first use (it needs scikit-learn, XGBoost and the binning)."""
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'scorecard.model' has no attribute {name!r}")
