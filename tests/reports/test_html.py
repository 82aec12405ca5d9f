"""The offline HTML drift report: content, escaping, offline-ness, bad input."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from scorecard.exceptions import InputError
from scorecard.monitoring import drift_reports
from scorecard.reports import drift_html


class _Collector(HTMLParser):
    """Tags, attributes and whether every opened element was closed."""

    VOID = {"meta", "br", "img", "input", "link", "hr"}

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.attrs: list[tuple[str, str | None]] = []
        self.stack: list[str] = []
        self.errors: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attrs.extend(attrs)
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.tags.append(tag)
        self.attrs.extend(attrs)

    def handle_endtag(self, tag):
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"unexpected </{tag}> (open: {self.stack[-3:]})")
        else:
            self.stack.pop()


@pytest.fixture(scope="module")
def history(spec, book, development):
    months = sorted(book["application_month"].unique())
    reps = drift_reports(spec, development, book, period_column="application_month",
                         periods=[*months, "2024-01"])
    return [(p, r.to_dict()) for p, r in reps.items()]


def parse(page: str) -> _Collector:
    collector = _Collector()
    collector.feed(page)
    collector.close()
    return collector


def test_page_is_self_contained_and_well_formed(history):
    page = drift_html(history, title="Book <drift> & co")
    tree = parse(page)
    assert not tree.errors and not tree.stack
    assert "script" not in tree.tags and "link" not in tree.tags and "img" not in tree.tags
    assert not re.search(r"(?i)(src|href)\s*=|url\(|@import|https?://", page)
    assert "<title>Book &lt;drift&gt; &amp; co</title>" in page


def test_page_shows_history_latest_table_and_drill_down(history, spec):
    page = drift_html(history)
    names = [ch["name"] for ch in spec["characteristics"]]
    # One PSI-over-time chart per characteristic plus the score.
    assert page.count('aria-label="PSI over time:') == len(names) + 1
    for name in names:
        assert f"<summary>{name} &mdash;" in page
    # The chart of a drifting characteristic has one point per non-empty period and an interval band.
    chart = page.split('aria-label="PSI over time: account_balance"')[1].split("</svg>")[0]
    assert chart.count("<circle") == len(history) - 1  # the last period is empty
    assert "<polygon" in chart and chart.count("stroke-dasharray") == 2
    # The latest period is the empty one: the summary says so and no table is drawn.
    assert "has no rows" in page


def test_summary_names_drifted_characteristics(history):
    page = drift_html(history[:-1])
    latest = history[-2][1]
    summary = page.split('<div class="summary">')[1].split("</div>")[0]
    flagged = [r for r in latest["characteristics"] if r["status"] != "stable"]
    assert flagged, "the synthetic book drifts by its last month"
    for r in flagged:
        assert r["name"] in summary
    assert f"{latest['n_current']:,} rows" in summary
    assert "AUC" in summary  # outcomes are known
    # Bad rates now and at development in the drill-down.
    assert "bad rate at development" in page


def test_empty_history_and_bad_input():
    assert "No drift reports yet" in drift_html([])
    with pytest.raises(InputError, match="history"):
        drift_html("not a history")
    with pytest.raises(InputError, match=r"history\[0\] is not a drift report"):
        drift_html([("2024-01", {"psi": 1})])
