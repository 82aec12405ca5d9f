"""What every estimator of the package shares with scikit-learn: tags, the fitted check and the
parameter check (one copy instead of one per estimator)."""

from __future__ import annotations

from sklearn.utils import ClassifierTags

from scorecard.exceptions import NotFittedError
from scorecard.parameters import check_params

__all__ = ["EstimatorMixin"]


class EstimatorMixin:
    """Mixin before scikit-learn's BaseEstimator. A subclass sets ``_fitted_attribute`` (set by
    fit), ``_parameter_constraints`` and, when its data argument is not X, ``_fit_call``."""

    _fitted_attribute: str = ""
    _fit_call: str = "fit(X, y)"
    _parameter_constraints: dict = {}

    def __sklearn_tags__(self):  # noqa: D105
        tags = super().__sklearn_tags__()
        tags.input_tags.allow_nan = True
        tags.input_tags.string = True
        tags.input_tags.categorical = True
        tags.target_tags.required = True
        # The target must be binary: this is what ClassifierTags(multi_class=False) declares,
        # and it makes scikit-learn's estimator checks pass a binary y.
        tags.classifier_tags = ClassifierTags(multi_class=False)
        return tags

    def __sklearn_is_fitted__(self) -> bool:
        return hasattr(self, self._fitted_attribute)

    def _check_fitted(self) -> None:
        if not hasattr(self, self._fitted_attribute):
            raise NotFittedError(
                f"This {type(self).__name__} is not fitted yet; call {self._fit_call} first."
            )

    def _validate_params(self) -> None:
        """InputError naming the first parameter that breaks ``_parameter_constraints``."""
        check_params(self.get_params(deep=False), self._parameter_constraints,
                     type(self).__name__)
