"""A calendar a site can extend: catalog/calendar/<year>.yml, checked against the State Council's arrangements."""
from __future__ import annotations

import datetime as dt

import pytest

from conftest import ROOT
from zfxxgk.catalog import calendar
from zfxxgk.catalog import workcalendar
from zfxxgk.catalog.calendar import WorkCalendar, YearNotCovered

D = dt.date
OFFICIAL = WorkCalendar()                                    # chinese_calendar's years only
REPOSITORY = WorkCalendar.load(ROOT / "catalog" / "calendar")   # and the shipped catalog/calendar/

# The State Council's arrangements (国办发明电〔2023〕7号, 〔2024〕12号, 〔2025〕7号), typed from the notices:
# the weekends worked (调休上班) and the weekdays off.
ADJUSTED_WORKDAYS = {
    2024: ["2024-02-04", "2024-02-18", "2024-04-07", "2024-04-28", "2024-05-11", "2024-09-14", "2024-09-29", "2024-10-12"],
    2025: ["2025-01-26", "2025-02-08", "2025-04-27", "2025-09-28", "2025-10-11"],
    2026: ["2026-01-04", "2026-02-14", "2026-02-28", "2026-05-09", "2026-09-20", "2026-10-10"],
}
WEEKDAYS_OFF = {
    2024: ["2024-01-01", "2024-02-12", "2024-02-13", "2024-02-14", "2024-02-15", "2024-02-16", "2024-04-04", "2024-04-05",
           "2024-05-01", "2024-05-02", "2024-05-03", "2024-06-10", "2024-09-16", "2024-09-17", "2024-10-01", "2024-10-02",
           "2024-10-03", "2024-10-04", "2024-10-07"],
    2025: ["2025-01-01", "2025-01-28", "2025-01-29", "2025-01-30", "2025-01-31", "2025-02-03", "2025-02-04", "2025-04-04",
           "2025-05-01", "2025-05-02", "2025-05-05", "2025-06-02", "2025-10-01", "2025-10-02", "2025-10-03", "2025-10-06",
           "2025-10-07", "2025-10-08"],
    2026: ["2026-01-01", "2026-01-02", "2026-02-16", "2026-02-17", "2026-02-18", "2026-02-19", "2026-02-20", "2026-02-23",
           "2026-04-06", "2026-05-01", "2026-05-04", "2026-05-05", "2026-06-19", "2026-09-25", "2026-10-01", "2026-10-02",
           "2026-10-05", "2026-10-06", "2026-10-07"],
}

MADE_UP_2027 = """\
source: 测试用的虚构安排
holidays:
  元旦: 2027-01-01 至 2027-01-03
  春节: 2027-02-06 至 2027-02-14
  国庆节: 2027-10-01 至 2027-10-07
workdays: [2027-02-20, 2027-10-09]
"""


def _expected(year: int) -> dict[D, bool]:
    """Working-day status of every day of ``year`` from the two lists above."""
    on = {D.fromisoformat(d) for d in ADJUSTED_WORKDAYS[year]}
    off = {D.fromisoformat(d) for d in WEEKDAYS_OFF[year]}
    days = [D(year, 1, 1) + dt.timedelta(days=i) for i in range(366 if year % 4 == 0 else 365)]
    return {d: d in on or (d.weekday() < 5 and d not in off) for d in days}


@pytest.fixture
def site_calendar(tmp_path):
    """The working-day calendar of a temporary catalog/calendar/ holding ``files``."""
    directory = tmp_path / "calendar"
    directory.mkdir()

    def use(files: dict[str, str]) -> WorkCalendar:
        for name, text in files.items():
            (directory / name).write_text(text, encoding="utf-8")
        return WorkCalendar.load(directory)
    return use


@pytest.mark.parametrize("year", [2024, 2025, 2026])
def test_chinese_calendar_has_every_adjusted_day_of_2024_to_2026(year):
    expected = _expected(year)
    assert {d: OFFICIAL.is_working_day(d) for d in expected} == expected


@pytest.mark.parametrize("year", [2024, 2025, 2026])
def test_the_holidays_package_agrees_on_2024_to_2026(year):
    holidays = pytest.importorskip("holidays")
    cn = holidays.China(years=year)
    expected = _expected(year)
    assert {d: (d in cn.weekend_workdays or (d.weekday() < 5 and d not in cn)) for d in expected} == expected


def test_the_holidays_package_answers_for_an_unpublished_year_without_adjusted_days():
    """Why chinese_calendar stays: for a year whose arrangement is not in the data, it refuses; holidays guesses."""
    holidays = pytest.importorskip("holidays")
    last = calendar.covered_years()[1]
    cn = holidays.China(years=last + 1)
    assert len(cn) > 0 and not [d for d in cn.weekend_workdays if d.year == last + 1]
    with pytest.raises(YearNotCovered):
        OFFICIAL.is_working_day(D(last + 1, 6, 1))


def test_the_shipped_2026_file_matches_the_state_councils_arrangement():
    years, problems = workcalendar.load_dir(ROOT / "catalog" / "calendar")
    assert problems == []
    expected = _expected(2026)
    assert {d: years[2026].is_workday(d) for d in expected} == expected


def test_a_made_up_2027_file_extends_the_calendar(site_calendar):
    with pytest.raises(YearNotCovered) as exc:
        REPOSITORY.working_days_between(D(2026, 12, 30), D(2027, 1, 8))
    assert "2027 年的节假日安排未知" in str(exc.value) and "catalog/calendar/2027.yml" in str(exc.value)

    cal = site_calendar({"2027.yml": MADE_UP_2027})
    # Thu 2026-12-31 is a working day; 2027-01-01..03 off; Mon 01-04 .. Fri 01-08 five more.
    assert cal.working_days_between(D(2026, 12, 30), D(2027, 1, 8)) == 6
    # 春节 2027-02-06..14 off, Saturday 02-20 worked: Fri 02-05 + 3 working days = Wed 02-17 ... then Sat 02-20.
    assert cal.add_working_days(D(2027, 2, 5), 3) == D(2027, 2, 17)
    assert cal.add_working_days(D(2027, 2, 5), 6) == D(2027, 2, 20)
    assert cal.is_working_day(D(2027, 10, 9)) and not cal.is_working_day(D(2027, 10, 4))
    with pytest.raises(YearNotCovered) as exc:
        cal.working_days_between(D(2027, 12, 30), D(2028, 1, 5))
    assert "catalog/calendar/2028.yml" in str(exc.value)


@pytest.mark.parametrize("text, expected", [
    ("holidays:\n  春节: 2027-02-16 至 2027-02-10\n", "结束日期 2027-02-10 早于开始日期 2027-02-16"),
    ("holidays:\n  春节: 2028-02-06\n", "日期 2028-02-06 不在 2027 年"),
    ("holidays:\n  春节: 二月六日\n", "“二月六日” 不是日期"),
    ("holidays: {}\nworkdays: [2027-02-19]\n", "2027-02-19 是星期五，本来就上班"),
    ("holidays: {}\nholiday: []\n", "未知的键「holiday」"),
    ("workdays: []\n", "缺少「放假」（holidays）"),
])
def test_a_malformed_file_is_a_clear_error_naming_file_and_line(tmp_path, text, expected):
    (tmp_path / "2027.yml").write_text(text, encoding="utf-8")
    years, problems = workcalendar.load_dir(tmp_path)
    assert years == {} and len(problems) == 1
    assert problems[0].file == "catalog/calendar/2027.yml" and expected in problems[0].message


def test_a_build_warns_about_a_year_known_to_neither_and_uses_the_file_once_added(make_project):
    project = make_project()
    project.write("content/documents/2027/late.md", """---
标题: 示例县人民政府办公室关于2027年春节值班的通知
索引号: 000000001/2027-00001
发布机构: 示例县人民政府
主题分类: 综合政务/政务公开
公开目录: 法定主动公开内容/法规文件/其他文件
成文日期: 2026-12-30
发布日期: 2027-02-04
公开属性: 主动公开
---

正文
""")
    result = project.build()
    assert result.ok, result.output
    assert ("警告      -  zfxxgk: 时限合规检查说明：1 项期限未能计算：2027 年的节假日安排未知" in result.output
            and "请按国务院办公厅 2027 年节假日安排的通知添加 catalog/calendar/2027.yml" in result.output), result.output

    project.write("catalog/calendar/2027.yml", MADE_UP_2027)
    result = project.build()
    assert result.ok, result.output
    assert "2027 年的节假日安排未知" not in result.output
    # 2026-12-31 and 2027-01-04 .. 02-04 (24 weekdays): 25 working days > 20, late by the made-up calendar.
    report = (project.root / "reports" / "compliance.txt").read_text(encoding="utf-8")
    assert "late.md" in report and "晚 25 个工作日" in report, report


def test_a_broken_calendar_file_stops_the_build_with_its_name(make_project):
    project = make_project()
    project.write("catalog/calendar/2027.yml", "holidays:\n  春节: 2027-02-16 至 2027-02-10\n")
    result = project.build()
    assert not result.ok
    assert "catalog/calendar/2027.yml:2" in result.output and "结束日期 2027-02-10 早于开始日期 2027-02-16" in result.output
    assert "Traceback" not in result.output
