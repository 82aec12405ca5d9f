"""The scorecard model: validation metrics (more to come: encodings, points scaling, spec)."""

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

__all__ = [
    "AUCResult",
    "KSResult",
    "auc",
    "auc_hanley_mcneil_se",
    "brier",
    "calibration_table",
    "evaluate",
    "ks",
    "ks_curve",
    "log_loss",
    "roc_curve",
    "score_iv",
]
