"""Timestamps as case records write them: ISO 8601 dates and date-times, UK dates.

An event may be dated (``2025-03-03``) or timed (``2025-03-03T10:15``, with or without a
UTC offset); UK exports often write ``03/03/2025 10:15``. Hour limits are only checked
where both events are timed, so a date is never given an invented time.

>>> parse_timestamp("03/03/2025")
datetime.date(2025, 3, 3)
>>> parse_timestamp("2025-03-03T10:15")
datetime.datetime(2025, 3, 3, 10, 15)

Like :meth:`datetime.date.fromisoformat`, the parser raises ``ValueError`` for text it
cannot read; the readers turn that into a :class:`~pathways.errors.RowError` naming the row.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

from pathways.cases import workdays

__all__ = ["check_date", "parse_timestamp", "sort_key"]

_DATE_ONLY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_UK_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?$")


def parse_timestamp(value: str) -> datetime | date:
    """An ISO 8601 date or date-time, or a UK dd/mm/yyyy date (with an optional hh:mm)."""
    text = value.strip()
    if not text:
        raise ValueError("empty timestamp")
    uk = _UK_DATE.match(text)
    if uk:
        day, month, year, hour, minute, second = uk.groups()
        if hour is None:
            return date(int(year), int(month), int(day))
        return datetime(int(year), int(month), int(day), int(hour), int(minute), int(second or 0))
    if _DATE_ONLY.match(text):
        return date.fromisoformat(text)
    if len(text) >= 11 and text[4] == "-" and text[10] in "T ":
        return datetime.fromisoformat(text.replace("Z", "+00:00"))
    raise ValueError(f"not an ISO 8601 date or date-time: {text[:40]!r}")


def check_date(moment: datetime | date, today: date) -> None:
    """Refuse a date outside the calendar's years or after today (ValueError saying which)."""
    day = moment.date() if isinstance(moment, datetime) else moment
    if not workdays.FIRST_YEAR <= day.year <= workdays.LAST_YEAR:
        raise ValueError(f"{day.isoformat()} is outside {workdays.FIRST_YEAR}-{workdays.LAST_YEAR}")
    if day > today:
        raise ValueError(f"{day.isoformat()} is in the future")


def sort_key(when: datetime | date) -> datetime:
    """The instant to order events by: a UK clock time on the UK clock (so the two passes
    through the hour the clocks go back keep their order), a date alone at its UK midnight.

    >>> first, second = datetime(2025, 10, 26, 1, 40), datetime(2025, 10, 26, 1, 10, fold=1)
    >>> sort_key(first) < sort_key(second)
    True
    """
    moment = when if isinstance(when, datetime) else datetime.combine(when, datetime.min.time())
    return workdays.uk_local(moment).astimezone(UTC)
