"""Working days from the official calendar (chinese_calendar).

Working days follow the State Council's holiday arrangements, including the
adjusted working weekends (调休), as maintained in the ``chinese_calendar``
package. Years the installed package does not cover raise ``YearNotCovered``
with a message saying which years are covered, never a silent guess.
"""
from __future__ import annotations

import datetime as dt
from bisect import bisect_right
from functools import lru_cache

import chinese_calendar
from chinese_calendar.constants import holidays, workdays


class YearNotCovered(Exception):
    """The installed chinese_calendar has no holiday data for a year."""

    def __init__(self, year: int) -> None:
        first, last = covered_years()
        version = getattr(chinese_calendar, "__version__", "")
        super().__init__(f"chinese_calendar {version} 仅收录 {first}–{last} 年的节假日安排，无法计算 {year} 年的工作日；"
                         f"请升级 chinese_calendar（pip install -U chinese_calendar）")
        self.year = year


@lru_cache(maxsize=1)
def covered_years() -> tuple[int, int]:
    years = {d.year for d in holidays} | {d.year for d in workdays}
    return min(years), max(years)


@lru_cache(maxsize=1)
def _table() -> tuple[dt.date, list[int]]:
    """Cumulative working-day counts for every covered day (O(1) per question afterwards)."""
    first, last = covered_years()
    start, end = dt.date(first, 1, 1), dt.date(last, 12, 31)
    cum, total = [], 0
    for i in range((end - start).days + 1):
        total += chinese_calendar.is_workday(start + dt.timedelta(days=i))
        cum.append(total)
    return start, cum


def _cum(day: dt.date) -> int:
    first, last = covered_years()
    if not first <= day.year <= last:
        raise YearNotCovered(day.year)
    start, cum = _table()
    return cum[(day - start).days]


def working_days_between(start: dt.date, end: dt.date) -> int:
    """Working days after ``start`` up to and including ``end`` (0 when end <= start)."""
    if end <= start:
        return 0
    return _cum(end) - _cum(start)


def add_working_days(start: dt.date, days: int) -> dt.date:
    """The ``days``-th working day after ``start``."""
    target = _cum(start) + days
    base, cum = _table()
    i = bisect_right(cum, target - 1)
    if i >= len(cum):
        raise YearNotCovered(covered_years()[1] + 1)
    return base + dt.timedelta(days=i)


def version() -> str:
    """The installed calendar data's version, for messages."""
    return getattr(chinese_calendar, "__version__", "")
