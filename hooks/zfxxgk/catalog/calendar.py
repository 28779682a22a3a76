"""Working days from the official calendar, extendable by the site.

Working days follow the State Council's holiday arrangements, including the
adjusted working weekends (调休): a year comes from the site's
``catalog/calendar/<year>.yml`` when that file exists (catalog/workcalendar.py),
otherwise from the ``chinese_calendar`` package. A year known to neither
raises ``YearNotCovered``, whose message names the year and the file to add,
never a silent guess.

Why chinese_calendar and not the ``holidays`` package: both give the right
2024–2026 调休 days (tests/test_deadlines.py), but ``holidays`` answers for a
year whose arrangement is not published yet with the festivals alone (no
调休), so a deadline there would be silently wrong.
"""
from __future__ import annotations

import datetime as dt
from bisect import bisect_right
from functools import lru_cache
from pathlib import Path

import chinese_calendar
from chinese_calendar.constants import holidays, workdays

from zfxxgk.catalog import workcalendar

_site_years: dict[int, workcalendar.Arrangement] = {}


class CalendarError(Exception):
    """A file of catalog/calendar/ is malformed; the message lists every problem."""


def use_calendar(directory: Path | None) -> None:
    """Take the years of ``directory`` (catalog/calendar/) from now on; None: chinese_calendar only."""
    global _site_years
    years, problems = workcalendar.load_dir(directory)
    if problems:
        raise CalendarError("\n".join(p.format() for p in problems))
    _site_years = years
    _table.cache_clear()


def _library_version() -> str:
    return getattr(chinese_calendar, "__version__", "")


def year_hint(year: int) -> str:
    """What to do about a year without holiday data."""
    first, last = covered_years()
    return (f"{year} 年的节假日安排未知：已安装的 chinese_calendar {_library_version()} 收录 {first}–{last} 年，"
            f"{workcalendar.SHOWN_DIR}/ 中没有 {year}.yml；请按国务院办公厅 {year} 年节假日安排的通知添加 "
            f"{workcalendar.SHOWN_DIR}/{year}.yml（格式见 {workcalendar.SHOWN_DIR}/2026.yml），或升级 chinese_calendar")


class YearNotCovered(Exception):
    """Neither chinese_calendar nor catalog/calendar/ has holiday data for a year."""

    def __init__(self, year: int) -> None:
        super().__init__(f"无法计算 {year} 年的工作日：{year_hint(year)}")
        self.year = year


@lru_cache(maxsize=1)
def covered_years() -> tuple[int, int]:
    """The first and last year the installed chinese_calendar covers."""
    years = {d.year for d in holidays} | {d.year for d in workdays}
    return min(years), max(years)


def known_years() -> set[int]:
    """Every year with holiday data: chinese_calendar's and the site's catalog/calendar/ files."""
    first, last = covered_years()
    return set(range(first, last + 1)) | set(_site_years)


def _is_workday(day: dt.date) -> bool:
    site = _site_years.get(day.year)
    return site.is_workday(day) if site is not None else chinese_calendar.is_workday(day)


def is_working_day(day: dt.date) -> bool:
    """Whether ``day`` is a working day (YearNotCovered for a year without data)."""
    _check_years(day, day)
    return _is_workday(day)


@lru_cache(maxsize=1)
def _table() -> tuple[dt.date, list[int]]:
    """Cumulative working-day counts for every day from the first to the last known year (O(1) per question)."""
    known = known_years()
    start, end = dt.date(min(known), 1, 1), dt.date(max(known), 12, 31)
    cum, total = [], 0
    for i in range((end - start).days + 1):
        day = start + dt.timedelta(days=i)
        total += day.year in known and _is_workday(day)
        cum.append(total)
    return start, cum


def _check_years(first: dt.date, last: dt.date) -> None:
    known = known_years()
    for year in range(first.year, last.year + 1):
        if year not in known:
            raise YearNotCovered(year)


def _cum(day: dt.date) -> int:
    _check_years(day, day)
    start, cum = _table()
    return cum[(day - start).days]


def working_days_between(start: dt.date, end: dt.date) -> int:
    """Working days after ``start`` up to and including ``end`` (0 when end <= start)."""
    if end <= start:
        return 0
    _check_years(start, end)
    return _cum(end) - _cum(start)


def add_working_days(start: dt.date, days: int) -> dt.date:
    """The ``days``-th working day after ``start``."""
    target = _cum(start) + days
    base, cum = _table()
    i = bisect_right(cum, target - 1)
    if i >= len(cum):
        raise YearNotCovered(max(known_years()) + 1)
    end = base + dt.timedelta(days=i)
    _check_years(start, end)
    return end


def version() -> str:
    """The installed calendar data's version, for messages."""
    return _library_version()
