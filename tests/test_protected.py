"""Names like protected attributes are recognised, and a card that takes one says so."""

import warnings

import numpy as np
import pandas as pd
import pytest

from scorecard.datasets import DATASETS
from scorecard.exceptions import InputError
from scorecard.model.scorecard import Scorecard
from scorecard.protected import ProtectedAttributeWarning, protected_kind, warn_protected


@pytest.mark.parametrize("name", sorted(DATASETS))
def test_the_datasets_protected_columns_and_only_those_are_recognised(name):
    info = DATASETS[name]
    frame = info.loader(2000, seed=0) if name == "synthetic" else info.load()
    flagged = {c for c in frame.columns if protected_kind(c)}
    assert flagged == set(info.protected)


@pytest.mark.parametrize(("name", "kind"), [
    ("personal_status_and_sex", "sex and marital status"), ("age_in_years", "age"),
    ("foreign_worker", "national origin"), ("Marital", "marital status"),
    ("applicantGender", "sex"), ("DATE_OF_BIRTH", "age"), ("Ethnicity", "ethnicity"),
    ("country-of-birth", "national origin"), ("race", "race"),
])
def test_names_are_read_word_by_word(name, kind):
    assert protected_kind(name) == kind


@pytest.mark.parametrize("name", ["mortgage_amount", "usage", "percentage", "Status", "Home",
                                  "average_balance", "storage", "credit_history", "racetrack"])
def test_words_inside_other_words_do_not_count(name):
    assert protected_kind(name) is None


def _frame(n=3000, seed=0):
    rng = np.random.default_rng(seed)
    risk = rng.normal(size=n)
    frame = pd.DataFrame({"income": risk + rng.normal(size=n),
                          "age": 40 + 8 * risk + rng.normal(scale=5, size=n),
                          "debt_ratio": -risk + rng.normal(size=n)})
    y = (rng.random(n) < 1 / (1 + np.exp(1.5 + risk))).astype(int)
    return frame, y


def test_a_card_on_a_protected_column_warns_with_its_name_and_the_way_out():
    X, y = _frame()
    with pytest.warns(ProtectedAttributeWarning) as caught:
        card = Scorecard().fit(X, y)
    assert "age" in card.characteristics_
    messages = [str(w.message) for w in caught if w.category is ProtectedAttributeWarning]
    assert len(messages) == 1
    assert "'age'" in messages[0] and "(age)" in messages[0]
    assert "allow_protected=['age']" in messages[0] and "--exclude age" in messages[0]


def test_allow_protected_silences_that_column_only_and_must_name_a_column():
    X, y = _frame()
    with warnings.catch_warnings():
        warnings.simplefilter("error", ProtectedAttributeWarning)
        card = Scorecard(allow_protected=["age"]).fit(X, y)
    assert card.spec_["characteristics"]  # the card was built
    with pytest.raises(InputError, match="'agee'"):
        Scorecard(allow_protected=["agee"]).fit(X, y)
    with pytest.warns(ProtectedAttributeWarning, match="'sex'"):
        assert warn_protected(["sex", "age", "income"], ["age"]) == ["sex"]
