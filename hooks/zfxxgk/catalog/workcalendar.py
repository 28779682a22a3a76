"""A site's own holiday arrangements: ``catalog/calendar/<year>.yml``, one file per year.

The working-day calendar (deadlines.py) takes a year from here when the file
exists, otherwise from ``chinese_calendar``. The format (see the shipped
``catalog/calendar/2026.yml``)::

    source: 国办发明电〔2025〕7号          # the State Council's notice (optional, shown nowhere)
    holidays:                              # 放假: festival -> first and last day off, weekends included
      春节: 2026-02-15 至 2026-02-23
      端午节: 2026-06-19 至 2026-06-21      # or one date for a single day
    workdays: [2026-02-14, 2026-02-28]     # 调休上班: the Saturdays and Sundays worked instead

A day is a working day when it is listed under ``workdays``, or when it is a
Monday to Friday not inside a ``holidays`` range.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from zfxxgk.catalog import yamlfile
from zfxxgk.catalog.problems import Problem

SHOWN_DIR = "catalog/calendar"
KEYS = {"holidays": "holidays", "放假": "holidays", "workdays": "workdays", "调休上班": "workdays",
        "source": "source", "依据": "source"}
_RANGE = re.compile(r"^\s*(\S+)\s*(?:至|到|~|～|—|–|\.\.)\s*(\S+)\s*$")
_WEEKDAYS = "一二三四五六日"


@dataclass(frozen=True)
class Arrangement:
    """One year's holidays (every day off, weekends inside ranges included) and adjusted working weekends."""

    year: int
    holidays: frozenset[dt.date]
    workdays: frozenset[dt.date]
    path: str

    def is_workday(self, day: dt.date) -> bool:
        return day in self.workdays or (day.weekday() < 5 and day not in self.holidays)


def _date(value: Any, year: int, where: tuple[str, int | None], key: str) -> tuple[dt.date | None, list[Problem]]:
    day = yamlfile.as_date(value)
    if day is None:
        return None, [Problem(*where, key, f"“{value}” 不是日期；允许的写法：{year}-10-01")]
    if day.year != year:
        return None, [Problem(*where, key, f"日期 {day} 不在 {year} 年；每个文件只写文件名所示年份的安排")]
    return day, []


def _holidays(data: Any, year: int, shown: str, line: int) -> tuple[set[dt.date], list[Problem]]:
    days: set[dt.date] = set()
    problems: list[Problem] = []
    if not isinstance(data, dict):
        return days, [Problem(shown, line, "holidays", "「放假」应为“节日: 起止日期”的列表，例如 春节: "
                                                       f"{year}-02-15 至 {year}-02-23")]
    for name, value in data.items():
        where = (shown, data.line_of(name) if hasattr(data, "line_of") else line)
        m = _RANGE.match(str(value)) if not isinstance(value, dt.date) else None
        first, p1 = _date(m[1] if m else value, year, where, "holidays")
        last, p2 = _date(m[2], year, where, "holidays") if m else (first, [])
        problems += p1 + p2
        if first is None or last is None:
            continue
        if last < first:
            problems.append(Problem(*where, "holidays", f"{name}：结束日期 {last} 早于开始日期 {first}"))
            continue
        days |= {first + dt.timedelta(days=i) for i in range((last - first).days + 1)}
    return days, problems


def _workdays(data: Any, year: int, shown: str, line: int, holidays: set[dt.date]) -> tuple[set[dt.date], list[Problem]]:
    if not isinstance(data, list):
        return set(), [Problem(shown, line, "workdays", f"「调休上班」应为日期列表，例如 [{year}-02-14, {year}-02-28]")]
    days, problems = set(), []
    for value in data:
        day, found = _date(value, year, (shown, line), "workdays")
        problems += found
        if day is None:
            continue
        if day.weekday() < 5:
            problems.append(Problem(shown, line, "workdays", f"{day} 是星期{_WEEKDAYS[day.weekday()]}，本来就上班；"
                                                             "「调休上班」只写调整为上班的星期六、星期日"))
        elif day in holidays:
            problems.append(Problem(shown, line, "workdays", f"{day} 同时在「放假」和「调休上班」中"))
        else:
            days.add(day)
    return days, problems


def load_year(path: Path, shown: str) -> tuple[Arrangement | None, list[Problem]]:
    """One ``<year>.yml``; problems name the file, line and key."""
    if not re.fullmatch(r"\d{4}", path.stem):
        return None, [Problem(shown, None, None, "文件名应为四位年份，例如 2027.yml")]
    year = int(path.stem)
    data, problems = yamlfile.load(path, shown)
    if problems:
        return None, problems
    if not isinstance(data, dict):
        return None, [Problem(shown, 1, None, "应为含 holidays（放假）与 workdays（调休上班）的映射；格式见 catalog/calendar/2026.yml")]
    values: dict[str, Any] = {}
    for key, value in data.items():
        canonical = KEYS.get(key)
        if canonical is None:
            problems.append(Problem(shown, data.line_of(key), None, f"未知的键「{key}」；允许的键：holidays（放假）、"
                                                                    "workdays（调休上班）、source（依据）"))
        else:
            values[canonical] = (value, data.line_of(key))
    if "holidays" not in values:
        problems.append(Problem(shown, 1, "holidays", "缺少「放假」（holidays）"))
    (hol_value, hol_line), (work_value, work_line) = values.get("holidays", ({}, 1)), values.get("workdays", ([], 1))
    holidays, found = _holidays(hol_value, year, shown, hol_line)
    problems += found
    workdays, found = _workdays(work_value, year, shown, work_line, holidays)
    problems += found
    if problems:
        return None, problems
    return Arrangement(year, frozenset(holidays), frozenset(workdays), shown), []


def load_dir(directory: Path | None) -> tuple[dict[int, Arrangement], list[Problem]]:
    """Every ``<year>.yml`` of ``directory`` (none when it does not exist)."""
    years: dict[int, Arrangement] = {}
    problems: list[Problem] = []
    if directory is None or not directory.is_dir():
        return years, problems
    for path in sorted(directory.glob("*.y*ml")):
        arrangement, found = load_year(path, f"{SHOWN_DIR}/{path.name}")
        problems += found
        if arrangement is not None:
            years[arrangement.year] = arrangement
    return years, problems
