"""Cron expressions with cron's own meaning, as APScheduler 3 triggers.

APScheduler 3 numbers weekdays from Monday = 0, while cron counts from Sunday = 0 (7 is Sunday
too), so numeric weekdays are translated to names here. As in cron, when both day-of-month and
day-of-week are restricted, a day matching either one fires (APScheduler would need both).
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.combining import OrTrigger
from apscheduler.triggers.cron import CronTrigger

from scorecard.exceptions import InputError

DAY_NAMES = ("sun", "mon", "tue", "wed", "thu", "fri", "sat")  # cron numbering: index = number
MACROS = {"@yearly": "0 0 1 1 *", "@annually": "0 0 1 1 *", "@monthly": "0 0 1 * *",
          "@weekly": "0 0 * * 0", "@daily": "0 0 * * *", "@midnight": "0 0 * * *",
          "@hourly": "0 * * * *"}
_ITEM = re.compile(r"^(\*|[a-z0-9]+)(?:-([a-z0-9]+))?(?:/(\d+))?$")


def timezone_of(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, TypeError):
        raise InputError(f"unknown time zone {name!r}; use an IANA name such as UTC or "
                         "Europe/Berlin.") from None


def _weekday(token: str, expr: str) -> int:
    if token.isdigit() and int(token) <= 7:
        return int(token)
    if token[:3] in DAY_NAMES and len(token) == 3:
        return DAY_NAMES.index(token)
    raise InputError(f"cron {expr!r}: day of week {token!r} is not 0-7 (0 and 7 = Sunday) "
                     "or a name sun-sat.")


def cron_weekdays(field: str, expr: str = "") -> str:
    """A cron day-of-week field (0/7 = Sunday) as APScheduler day names: "1-5" -> "mon,...,fri"."""
    days: set[int] = set()
    for item in field.lower().split(","):
        match = _ITEM.match(item)
        if not match:
            raise InputError(f"cron {expr!r}: cannot read day of week {item!r}.")
        first, last, step = match.groups()
        if first == "*":
            if last:
                raise InputError(f"cron {expr!r}: cannot read day of week {item!r}.")
            lo, hi = 0, 6
        else:
            lo = _weekday(first, expr)
            hi = _weekday(last, expr) if last else (6 if step else lo)
        step_n = int(step) if step else 1
        if step_n < 1 or hi < lo:
            raise InputError(f"cron {expr!r}: day-of-week range {item!r} is empty.")
        days.update(d % 7 for d in range(lo, hi + 1, step_n))
    if len(days) == 7:
        return "*"
    return ",".join(DAY_NAMES[d] for d in sorted(days))


def _normalise(expr: str) -> list[str]:
    if not isinstance(expr, str):
        raise InputError(f"a cron expression is text such as '0 6 1 * *', got {expr!r}.")
    text = MACROS.get(expr.strip().lower(), expr.strip())
    fields = text.split()
    if len(fields) != 5:
        raise InputError(f"cron {expr!r} must have 5 fields: minute hour day-of-month month "
                         "day-of-week (e.g. '0 6 1 * *' = 06:00 on the 1st of each month).")
    return fields


def cron_trigger(expr: str, timezone: str = "UTC") -> BaseTrigger:
    """The APScheduler trigger that fires exactly when cron would; InputError if malformed."""
    minute, hour, dom, month, dow = _normalise(expr)
    tz = timezone_of(timezone)
    weekdays = cron_weekdays(dow, expr)
    for label, key, value in (("minute", "minute", minute), ("hour", "hour", hour),
                              ("day-of-month", "day", dom), ("month", "month", month)):
        try:
            CronTrigger(**{key: value}, timezone=tz)
        except ValueError as exc:
            raise InputError(f"cron {expr!r}: {label} field {value!r}: {exc}") from None

    def make(day: str, day_of_week: str) -> CronTrigger:
        try:
            return CronTrigger(minute=minute, hour=hour, day=day, month=month,
                               day_of_week=day_of_week, timezone=tz)
        except ValueError as exc:
            raise InputError(f"cron {expr!r}: {exc}") from None

    if dom.startswith("*") or dow.startswith("*"):
        return make(dom, weekdays)
    return OrTrigger([make(dom, "*"), make("*", weekdays)])


def next_run_times(expr: str, timezone: str = "UTC", *, n: int = 1,
                   after: datetime | None = None) -> list[datetime]:
    """The next `n` fire times strictly after `after` (default: now)."""
    trigger = cron_trigger(expr, timezone)
    now = after or datetime.now(timezone_of(timezone))
    times: list[datetime] = []
    previous = None
    cursor = now + timedelta(microseconds=1)
    while len(times) < n:
        fire = trigger.get_next_fire_time(previous, cursor)
        if fire is None:
            break
        times.append(fire)
        previous, cursor = fire, fire + timedelta(seconds=1)
    return times
