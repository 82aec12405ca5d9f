"""Cron expressions fire when cron would: weekday numbers (0/7 = Sunday) and day-of-month OR."""

from datetime import datetime, timedelta, timezone

import pytest

from scorecard.exceptions import InputError
from scorecard.scheduling.cron import cron_trigger, next_run_times

START = datetime(2026, 11, 29, 12, 0, tzinfo=timezone.utc)  # a Sunday


def cron_weekday(moment: datetime) -> int:
    """Cron's numbering, from the calendar: Sunday = 0 ... Saturday = 6."""
    return moment.isoweekday() % 7


@pytest.mark.parametrize("number", range(8))
def test_every_weekday_number_means_what_it_means_in_cron(number):
    times = next_run_times(f"0 6 * * {number}", n=3, after=START)
    assert [cron_weekday(t) for t in times] == [number % 7] * 3
    assert [(t.hour, t.minute) for t in times] == [(6, 0)] * 3
    assert times[0] - START < timedelta(days=7) and times[1] - times[0] == timedelta(days=7)


@pytest.mark.parametrize("name, number", [("sun", 0), ("mon", 1), ("tue", 2), ("wed", 3),
                                          ("thu", 4), ("fri", 5), ("sat", 6)])
def test_weekday_names(name, number):
    assert cron_weekday(next_run_times(f"30 8 * * {name.upper()}", after=START)[0]) == number


@pytest.mark.parametrize("field, expected", [
    ("1-5", {1, 2, 3, 4, 5}), ("5-7", {5, 6, 0}), ("0,6", {0, 6}), ("*/2", {0, 2, 4, 6}),
    ("mon-fri", {1, 2, 3, 4, 5}), ("1-5/2", {1, 3, 5}),
])
def test_weekday_ranges_lists_and_steps(field, expected):
    times = next_run_times(f"0 6 * * {field}", n=21, after=START)
    assert {cron_weekday(t) for t in times} == expected


def test_day_of_month_or_day_of_week_as_in_cron():
    """'0 6 13 * 5' fires on every 13th and on every Friday (not only on Friday the 13th)."""
    times = next_run_times("0 6 13 * 5", n=40, after=START)
    days = {t.date() for t in times}
    expected = {d.date() for d in (START + timedelta(days=k) for k in range(1, 400))
                if d.day == 13 or cron_weekday(d) == 5}
    assert days == {d for d in expected if d <= max(days)}
    one_field = next_run_times("0 6 * * 5", n=5, after=START)
    assert all(cron_weekday(t) == 5 for t in one_field)


def test_monthly_and_macros_and_time_zone():
    assert [t.day for t in next_run_times("0 6 1 * *", n=3, after=START)] == [1, 1, 1]
    assert next_run_times("@monthly", after=START)[0] == datetime(2026, 12, 1, tzinfo=timezone.utc)
    berlin = next_run_times("0 6 * * *", "Europe/Berlin", after=START)[0]
    assert berlin.astimezone(timezone.utc).hour == 5  # 06:00 CET = 05:00 UTC in winter


@pytest.mark.parametrize("expr, message", [
    ("0 6 * *", "5 fields"), ("0 6 * * 8", "day of week '8'"), ("0 25 * * *", "hour"),
    ("0 6 * * foo", "day of week"), ("0 6 * * 5-1", "empty"), (None, "cron expression is text"),
])
def test_bad_expressions_are_clear_errors(expr, message):
    with pytest.raises(InputError, match=message):
        cron_trigger(expr)


def test_unknown_time_zone():
    with pytest.raises(InputError, match="unknown time zone 'Mars/Base'"):
        cron_trigger("0 6 * * *", "Mars/Base")
