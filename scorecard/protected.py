"""Column names that look like protected attributes, and the warning when one enters a model.

Credit law (ECOA/Regulation B in the US, the EU's anti-discrimination directives) forbids
scoring on sex, age, race, religion, marital status, national origin and the like; a model fitted
on such a column is usually a mistake. The check reads names only (a leaf: no data, no layers), so
it catches the obvious cases, never proxies: `scorecard fairness` measures those.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterable

from scorecard.exceptions import InputError

__all__ = ["ProtectedAttributeWarning", "protected_kind", "warn_protected"]


class ProtectedAttributeWarning(UserWarning):
    """A characteristic whose name looks like a protected attribute entered a model."""


# token (lower case) -> the protected ground it suggests
_TOKENS = {
    "sex": "sex", "gender": "sex", "female": "sex", "male": "sex",
    "age": "age", "dob": "age", "birth": "age", "birthday": "age", "birthdate": "age",
    "race": "race", "racial": "race", "ethnicity": "ethnicity", "ethnic": "ethnicity",
    "religion": "religion", "religious": "religion",
    "marital": "marital status", "married": "marital status",
    "foreign": "national origin", "nationality": "national origin",
    "citizenship": "national origin", "citizen": "national origin",
    "immigrant": "national origin", "immigration": "national origin",
    "disability": "disability", "disabled": "disability", "pregnant": "pregnancy",
    "pregnancy": "pregnancy",
    "protected": "protected attribute",
}
_PAIRS = {("personal", "status"): "sex and marital status",
          ("national", "origin"): "national origin", ("country", "of", "birth"): "national origin",
          ("sexual", "orientation"): "sexual orientation"}
_WORDS = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+")


def _tokens(name: str) -> list[str]:
    """Words of a column name: snake_case, kebab-case, camelCase and spaces split alike."""
    return [w.lower() for w in _WORDS.findall(str(name))]


def protected_kind(name: object) -> str | None:
    """The protected ground a column name suggests ("age" for age_in_years), else None.

    Whole words only: `mortgage` and `usage` are not ages, `account_age` is (better one warning
    too many than a model on age without a word)."""
    words = _tokens(str(name))
    for pair, kind in _PAIRS.items():
        if any(tuple(words[i:i + len(pair)]) == pair for i in range(len(words))):
            return kind
    for word in words:
        if word in _TOKENS:
            return _TOKENS[word]
    return None


def warn_protected(characteristics: Iterable[object], allowed: Iterable[object] = (),
                   *, columns: Iterable[object] | None = None, stacklevel: int = 3) -> list[str]:
    """Warn once for each characteristic named like a protected attribute and not `allowed`;
    returns their names. `allowed` names must be among `columns` when given (a typo would
    otherwise pass unnoticed)."""
    if isinstance(allowed, str):
        allowed = [allowed]
    allowed = {str(a) for a in allowed}
    if columns is not None:
        unknown = sorted(allowed - {str(c) for c in columns})
        if unknown:
            raise InputError(f"allow_protected names column(s) {', '.join(map(repr, unknown))} "
                             "that are not in the data.")
    flagged = []
    for name in characteristics:
        kind = protected_kind(name)
        if kind is None or str(name) in allowed:
            continue
        flagged.append(str(name))
        warnings.warn(
            f"characteristic {str(name)!r} looks like a protected attribute ({kind}) and is in "
            "the model; most credit markets prohibit or restrict scoring on it. Exclude it "
            f"(`--exclude {name}`), or if it is meant to be there, say so with "
            f"allow_protected=[{str(name)!r}] (CLI: `--allow-protected {name}`).",
            ProtectedAttributeWarning, stacklevel=stacklevel,
        )
    return flagged
