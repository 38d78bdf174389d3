"""Working days in England, calendar months and elapsed hours, on real 2020-2026 dates.

The bank holidays below are written out by hand from gov.uk/bank-holidays (England and
Wales), so the tests check the ``holidays`` package as well as the arithmetic on top of it.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pathways.cases.workdays import (
    add_working_days,
    day_index,
    hour_index,
    is_working_day,
    month_day_index,
    working_day_index,
    working_days_between,
)

# Bank holidays in England that fall on a weekday (substitute days included), per gov.uk.
GOV_UK_ENGLAND = {
    2021: ["01-01", "04-02", "04-05", "05-03", "05-31", "08-30", "12-27", "12-28"],
    2022: ["01-03", "04-15", "04-18", "05-02", "06-02", "06-03", "08-29", "09-19", "12-26", "12-27"],
    2023: ["01-02", "04-07", "04-10", "05-01", "05-08", "05-29", "08-28", "12-25", "12-26"],
    2024: ["01-01", "03-29", "04-01", "05-06", "05-27", "08-26", "12-25", "12-26"],
    2025: ["01-01", "04-18", "04-21", "05-05", "05-26", "08-25", "12-25", "12-26"],
    2026: ["01-01", "04-03", "04-06", "05-04", "05-25", "08-31", "12-25", "12-28"],
}


def d(text: str) -> date:
    return date.fromisoformat(text)


def brute_force_between(start: date, end: date) -> int:
    """Working days after start up to and including end, counted one day at a time."""
    if end < start:
        return -brute_force_between(end, start)
    return sum(is_working_day(start + timedelta(days=k)) for k in range(1, (end - start).days + 1))


# ---------------------------------------------------------------- is_working_day


@pytest.mark.parametrize("year", sorted(GOV_UK_ENGLAND))
def test_weekday_bank_holidays_match_gov_uk(year: int) -> None:
    expected = {d(f"{year}-{md}") for md in GOV_UK_ENGLAND[year]}
    days = [date(year, 1, 1) + timedelta(days=k) for k in range(366)]
    found = {day for day in days if day.year == year and day.weekday() < 5 and not is_working_day(day)}
    assert found == expected


@pytest.mark.parametrize(
    ("day", "why"),
    [
        ("2025-07-19", "Saturday"),
        ("2025-07-20", "Sunday"),
        ("2022-04-15", "Good Friday 2022"),
        ("2023-04-07", "Good Friday 2023"),
        ("2025-04-18", "Good Friday 2025"),
        ("2022-04-18", "Easter Monday 2022"),
        ("2024-04-01", "Easter Monday 2024"),
        ("2026-04-06", "Easter Monday 2026"),
        ("2023-05-01", "early May bank holiday 2023"),
        ("2025-05-05", "early May bank holiday 2025"),
        ("2022-06-02", "spring bank holiday moved for the Platinum Jubilee"),
        ("2022-06-03", "Platinum Jubilee bank holiday"),
        ("2024-05-27", "spring bank holiday 2024"),
        ("2023-08-28", "summer bank holiday 2023"),
        ("2026-08-31", "summer bank holiday 2026"),
        ("2022-12-26", "Boxing Day 2022"),
        ("2022-12-27", "Christmas Day 2022 substitute (25th a Sunday)"),
        ("2021-12-27", "Christmas Day 2021 substitute (25th a Saturday)"),
        ("2021-12-28", "Boxing Day 2021 substitute (26th a Sunday)"),
        ("2026-12-28", "Boxing Day 2026 substitute (26th a Saturday)"),
        ("2022-01-03", "New Year's Day 2022 substitute"),
        ("2022-09-19", "State funeral of Queen Elizabeth II"),
        ("2023-05-08", "Coronation of King Charles III"),
    ],
)
def test_non_working_days(day: str, why: str) -> None:
    assert not is_working_day(d(day)), why


@pytest.mark.parametrize(
    ("day", "why"),
    [
        ("2025-07-18", "ordinary Friday"),
        ("2022-12-28", "first weekday after Christmas 2022"),
        ("2021-12-29", "first weekday after Christmas 2021"),
        ("2022-09-20", "day after the Queen's funeral"),
        ("2023-05-09", "day after the coronation"),
        ("2024-05-08", "8 May is not a holiday in other years"),
        ("2022-09-16", "Friday before the Queen's funeral"),
        ("2025-04-17", "Maundy Thursday"),
        ("2025-03-17", "St Patrick's Day is a holiday in Northern Ireland only"),
        ("2025-08-04", "Scottish summer bank holiday is not an England one"),
        ("2025-01-02", "2 January is a holiday in Scotland only"),
        ("2025-11-28", "ordinary weekday"),
    ],
)
def test_working_days(day: str, why: str) -> None:
    assert is_working_day(d(day)), why


# ---------------------------------------------------------------- working_days_between


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        ("2023-05-05", "2023-05-12", 4),  # Fri -> Fri over the coronation Monday
        ("2025-07-18", "2025-07-25", 5),  # Fri -> Fri, ordinary week
        ("2025-07-18", "2025-07-21", 1),  # Fri -> Mon
        ("2025-07-19", "2025-07-20", 0),  # Sat -> Sun
        ("2025-07-18", "2025-07-20", 0),  # Fri -> Sun
        ("2022-09-16", "2022-09-20", 1),  # over the Queen's funeral
        ("2022-09-16", "2022-09-23", 4),
        ("2022-12-23", "2022-12-28", 1),  # Christmas 2022 with the 27th substitute
        ("2022-12-23", "2023-01-03", 4),  # to the new year: 28, 29, 30 Dec, 3 Jan (2 Jan substitute)
        ("2021-12-24", "2021-12-29", 1),  # Christmas 2021: 27th and 28th substitutes
        ("2025-04-17", "2025-04-22", 1),  # Easter 2025: Good Friday and Easter Monday
        ("2024-03-28", "2024-04-02", 1),  # Easter 2024
        ("2022-06-01", "2022-06-06", 1),  # Platinum Jubilee Thu + Fri
        ("2025-05-02", "2025-05-09", 4),  # early May bank holiday 2025
        ("2025-05-23", "2025-05-30", 4),  # spring bank holiday 2025
        ("2025-08-22", "2025-08-29", 4),  # summer bank holiday 2025
        ("2024-12-24", "2025-01-02", 4),  # 27, 30, 31 Dec and 2 Jan; 25, 26 Dec and 1 Jan off
        ("2025-01-01", "2025-12-31", 253),  # 261 weekdays less 8 bank holidays
        ("2025-07-22", "2025-07-22", 0),
        ("2025-12-25", "2025-12-25", 0),
    ],
)
def test_working_days_between(start: str, end: str, expected: int) -> None:
    assert working_days_between(d(start), d(end)) == expected
    assert working_days_between(d(end), d(start)) == -expected
    assert brute_force_between(d(start), d(end)) == expected


def test_five_working_days_from_a_friday_is_the_next_friday() -> None:
    # "within N working days of A": the docstring's example.
    assert working_days_between(d("2025-07-18"), d("2025-07-25")) == 5
    assert add_working_days(d("2025-07-18"), 5) == d("2025-07-25")


def test_negative_span() -> None:
    assert working_days_between(d("2023-05-12"), d("2023-05-05")) == -4


def test_working_day_index_refuses_unsupported_years() -> None:
    with pytest.raises(ValueError, match="1999"):
        working_day_index(d("1999-12-31"))
    with pytest.raises(ValueError, match="2041"):
        working_day_index(d("2041-01-01"))


# ---------------------------------------------------------------- add_working_days


@pytest.mark.parametrize(
    ("start", "count", "expected"),
    [
        ("2023-05-05", 1, "2023-05-09"),  # coronation Monday skipped
        ("2023-05-05", 4, "2023-05-12"),
        ("2022-12-23", 1, "2022-12-28"),
        ("2022-09-16", 1, "2022-09-20"),
        ("2025-04-17", 1, "2025-04-22"),
        ("2025-07-19", 0, "2025-07-21"),  # 0 on a Saturday: next working day
        ("2025-07-18", 0, "2025-07-18"),  # 0 on a working day: that day
        ("2021-12-25", 0, "2021-12-29"),
    ],
)
def test_add_working_days(start: str, count: int, expected: str) -> None:
    assert add_working_days(d(start), count) == d(expected)


DATES = st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 12, 31))


@settings(max_examples=300, deadline=None)
@given(start=DATES, count=st.integers(min_value=1, max_value=400))
def test_add_working_days_is_inverse_of_between(start: date, count: int) -> None:
    end = add_working_days(start, count)
    assert is_working_day(end)
    assert working_days_between(start, end) == count
    # and it is the first such day: the day before is one working day short
    assert working_days_between(start, end - timedelta(days=1)) == count - 1


@settings(max_examples=500, deadline=None)
@given(a=DATES, b=DATES)
def test_between_equals_brute_force_count(a: date, b: date) -> None:
    assert working_days_between(a, b) == brute_force_between(a, b)


@settings(max_examples=200, deadline=None)
@given(a=DATES, b=DATES, c=DATES)
def test_between_is_additive(a: date, b: date, c: date) -> None:
    assert working_days_between(a, b) + working_days_between(b, c) == working_days_between(a, c)


def test_day_index_counts_calendar_days() -> None:
    assert day_index(d("2025-03-01")) - day_index(d("2025-02-01")) == 28
    assert day_index(d("2024-03-01")) - day_index(d("2024-02-01")) == 29


# ---------------------------------------------------------------- hours across clock changes


@pytest.mark.parametrize(
    ("start", "end", "hours"),
    [
        # 30 March 2025: clocks go forward at 01:00 GMT, so 00:00 -> 04:00 is 3 hours
        ("2025-03-30T00:00", "2025-03-30T04:00", 3),
        ("2025-03-29T12:00", "2025-03-30T12:00", 23),
        # 26 October 2025: clocks go back at 02:00 BST, so 00:00 -> 04:00 is 5 hours
        ("2025-10-26T00:00", "2025-10-26T04:00", 5),
        ("2025-10-25T12:00", "2025-10-26T12:00", 25),
        # 2024 changes: 31 March and 27 October
        ("2024-03-30T22:00", "2024-03-31T22:00", 23),
        ("2024-10-26T22:00", "2024-10-27T22:00", 25),
        # no change
        ("2025-07-17T09:15", "2025-07-17T11:15", 2),
        ("2025-01-10T23:00", "2025-01-11T01:00", 2),
    ],
)
def test_hour_index_counts_elapsed_hours(start: str, end: str, hours: int) -> None:
    elapsed = hour_index(datetime.fromisoformat(end)) - hour_index(datetime.fromisoformat(start))
    assert elapsed == pytest.approx(hours)


def test_hour_index_reads_aware_times_as_instants() -> None:
    naive_uk = hour_index(datetime(2025, 7, 17, 9, 0))  # BST: 08:00 UTC
    assert hour_index(datetime(2025, 7, 17, 8, 0, tzinfo=UTC)) == pytest.approx(naive_uk)
    assert hour_index(datetime(2025, 7, 17, 10, 0, tzinfo=timezone(timedelta(hours=2)))) == pytest.approx(naive_uk)
    winter = hour_index(datetime(2025, 1, 17, 9, 0))  # GMT: 09:00 UTC
    assert hour_index(datetime(2025, 1, 17, 9, 0, tzinfo=UTC)) == pytest.approx(winter)


def test_hour_index_starts_at_uk_midnight_of_the_epoch() -> None:
    assert hour_index(datetime(2000, 1, 3, 0, 0)) == 0
    assert hour_index(datetime(2000, 1, 4, 6, 30)) == pytest.approx(30.5)


# ---------------------------------------------------------------- months


@pytest.mark.parametrize(
    ("start", "end", "full_months"),
    [
        ("2025-01-15", "2025-04-15", 3),  # 3 months after 15 Jan is 15 Apr
        ("2025-01-15", "2025-04-14", 2),  # a day short
        ("2024-11-15", "2025-02-15", 3),  # across the year end
        ("2024-11-15", "2025-02-14", 2),
        ("2025-03-01", "2025-03-31", 0),
        ("2025-02-28", "2025-03-28", 1),
    ],
)
def test_month_day_index(start: str, end: str, full_months: int) -> None:
    # "at least N months after" is a difference of at least 31 * N
    difference = month_day_index(d(end)) - month_day_index(d(start))
    assert difference // 31 == full_months
    assert (difference >= 31 * 3) == (full_months >= 3)
