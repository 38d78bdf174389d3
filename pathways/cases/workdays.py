"""Counting time as the policies do: working days in England, calendar days, hours, months.

A working day is Monday to Friday, not a bank holiday in England (England and Wales bank
holidays, one-off ones included, from the ``holidays`` package). "Within N working days
of A" is read as: the number of working days after A's date up to and including B's date
is at most N, so a Friday decision and an action the next Friday is 5 working days.

Each event of a case gets integer indexes (working-day, calendar-day, month and hour
indexes), so every timescale check is a subtraction; the same indexes serve the SHACL
shapes and the Python checks.
"""

from __future__ import annotations

from bisect import bisect_right
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays

EPOCH = date(2000, 1, 3)  # a Monday; indexes count from here
FIRST_YEAR, LAST_YEAR = 2000, 2040


@lru_cache(maxsize=1)
def england_bank_holidays() -> frozenset[date]:
    """Bank holidays in England from 2000 to 2040, one-off ones included."""
    calendar = holidays.country_holidays("GB", subdiv="ENG", years=range(FIRST_YEAR, LAST_YEAR + 1))
    return frozenset(calendar.keys())


def is_working_day(day: date) -> bool:
    """Monday to Friday and not an England bank holiday."""
    return day.weekday() < 5 and day not in england_bank_holidays()


@lru_cache(maxsize=1)
def _non_working_weekdays() -> list[int]:
    """Day indexes of bank holidays that fall on weekdays, sorted (for fast counting)."""
    return sorted((d - EPOCH).days for d in england_bank_holidays() if d.weekday() < 5)


def day_index(day: date) -> int:
    """Calendar days since the epoch."""
    return (day - EPOCH).days


def working_day_index(day: date) -> int:
    """Working days from the epoch up to and including ``day``.

    The difference of two indexes is the number of working days after the first date up
    to and including the second: the policies' "within N working days of".
    """
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise ValueError(f"{day.isoformat()} is outside the supported years {FIRST_YEAR}-{LAST_YEAR}")
    days = day_index(day)
    weeks, rest = divmod(days + 1, 7)
    weekdays = weeks * 5 + min(rest, 5)
    return weekdays - bisect_right(_non_working_weekdays(), days)


def working_days_between(start: date, end: date) -> int:
    """Working days after ``start`` up to and including ``end`` (negative if end is earlier)."""
    return working_day_index(end) - working_day_index(start)


def add_working_days(start: date, count: int) -> date:
    """The date ``count`` working days after ``start`` (count >= 0; 0 gives the next working day
    on or after start)."""
    day = start
    if count == 0:
        while not is_working_day(day):
            day += timedelta(days=1)
        return day
    remaining = count
    while remaining:
        day += timedelta(days=1)
        if is_working_day(day):
            remaining -= 1
    return day


def month_day_index(day: date) -> int:
    """Months since year 0 times 31 plus the day of the month: ``N`` calendar months after
    a date is a difference of at least ``31 * N`` (month ends are read as the same day)."""
    return (day.year * 12 + day.month - 1) * 31 + day.day


UK = ZoneInfo("Europe/London")


def uk_local(moment: datetime) -> datetime:
    """A time as UK clock time: naive times are taken as UK time already."""
    return moment.replace(tzinfo=UK) if moment.tzinfo is None else moment.astimezone(UK)


def hour_index(moment: datetime) -> float:
    """Elapsed hours since the epoch (UK midnight), across clock changes."""
    start = datetime.combine(EPOCH, datetime.min.time(), tzinfo=UK).astimezone(UTC)
    return (uk_local(moment).astimezone(UTC) - start).total_seconds() / 3600
