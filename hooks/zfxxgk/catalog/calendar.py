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
from functools import cached_property, lru_cache
from pathlib import Path

import chinese_calendar
from chinese_calendar.constants import holidays, workdays

from zfxxgk.catalog import workcalendar

class CalendarError(Exception):
    """A file of catalog/calendar/ is malformed; the message lists every problem."""


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


class WorkCalendar:
    """Working days of chinese_calendar's years and of the site's own (``catalog/calendar/<year>.yml``).

    The catalogue holds one (``Catalogue.calendar``); it is immutable once made."""

    def __init__(self, site_years: dict[int, workcalendar.Arrangement] | None = None) -> None:
        self._site_years = dict(site_years or {})
        first, last = covered_years()
        self.known_years = frozenset(range(first, last + 1)) | frozenset(self._site_years)

    @classmethod
    def load(cls, directory: Path | None) -> WorkCalendar:
        """The years of ``directory`` (catalog/calendar/) over chinese_calendar's; CalendarError lists the problems."""
        years, problems = workcalendar.load_dir(directory)
        if problems:
            raise CalendarError("\n".join(p.format() for p in problems))
        return cls(years)

    def _is_workday(self, day: dt.date) -> bool:
        site = self._site_years.get(day.year)
        return site.is_workday(day) if site is not None else chinese_calendar.is_workday(day)

    @cached_property
    def _table(self) -> tuple[dt.date, list[int]]:
        """Cumulative working-day counts for every day from the first to the last known year (O(1) per
        question); made on the first question, since most commands ask none."""
        start, end = dt.date(min(self.known_years), 1, 1), dt.date(max(self.known_years), 12, 31)
        cum, total = [], 0
        for i in range((end - start).days + 1):
            day = start + dt.timedelta(days=i)
            total += day.year in self.known_years and self._is_workday(day)
            cum.append(total)
        return start, cum

    def _check_years(self, first: dt.date, last: dt.date) -> None:
        for year in range(first.year, last.year + 1):
            if year not in self.known_years:
                raise YearNotCovered(year)

    def _count(self, day: dt.date) -> int:
        self._check_years(day, day)
        start, cum = self._table
        return cum[(day - start).days]

    def is_working_day(self, day: dt.date) -> bool:
        """Whether ``day`` is a working day (YearNotCovered for a year without data)."""
        self._check_years(day, day)
        return self._is_workday(day)

    def working_days_between(self, start: dt.date, end: dt.date) -> int:
        """Working days after ``start`` up to and including ``end`` (0 when end <= start)."""
        if end <= start:
            return 0
        self._check_years(start, end)
        return self._count(end) - self._count(start)

    def add_working_days(self, start: dt.date, days: int) -> dt.date:
        """The ``days``-th working day after ``start``."""
        target = self._count(start) + days
        first, cum = self._table
        i = bisect_right(cum, target - 1)
        if i >= len(cum):
            raise YearNotCovered(max(self.known_years) + 1)
        end = first + dt.timedelta(days=i)
        self._check_years(start, end)
        return end


def version() -> str:
    """The installed calendar data's version, for messages."""
    return _library_version()
