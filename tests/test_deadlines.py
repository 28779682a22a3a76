"""Statutory deadlines in working days (official calendar with 调休) and the compliance report."""
from __future__ import annotations

import datetime as dt

import pytest

from _safety_helpers import CAT, corpus_of, front
from zfxxgk.audit import compliance
from zfxxgk.audit.deadlines import check_all, check_reports, missing_reports, reports_seen
from zfxxgk.catalog.calendar import WorkCalendar, YearNotCovered, covered_years

D = dt.date
OFFICIAL = WorkCalendar()   # chinese_calendar's years only


class TestWorkingDays:
    def test_national_day_holidays_and_the_adjusted_saturday(self):
        # 2021-10-01..07 holidays; Saturday 2021-10-09 was a working day (调休).
        assert OFFICIAL.working_days_between(D(2021, 9, 30), D(2021, 10, 7)) == 0
        assert OFFICIAL.working_days_between(D(2021, 9, 30), D(2021, 10, 8)) == 1
        assert OFFICIAL.working_days_between(D(2021, 9, 30), D(2021, 10, 9)) == 2
        assert OFFICIAL.add_working_days(D(2021, 9, 30), 2) == D(2021, 10, 9)

    def test_an_ordinary_week(self):
        assert OFFICIAL.working_days_between(D(2021, 6, 4), D(2021, 6, 11)) == 5

    def test_a_year_the_calendar_does_not_cover_is_a_clear_message(self):
        first, last = covered_years()
        with pytest.raises(YearNotCovered) as exc:
            OFFICIAL.working_days_between(D(last, 12, 1), D(last + 1, 1, 5))
        assert f"{first}–{last}" in str(exc.value) and str(last + 1) in str(exc.value)


def findings(tmp_path, files: dict[str, str]):
    return check_all(corpus_of(tmp_path, files).published, OFFICIAL)


def rules(result) -> list[tuple[str, str]]:
    return [(f.file.rsplit("/", 1)[-1], f.rule) for f in result[0]]


class TestArticle26:
    def test_more_than_20_working_days_after_writing_is_late(self, tmp_path):
        # Saturday 2021-05-08 was a working day (调休): 2021-06-02 is the 20th working day after 05-06.
        late = front(written="2021-05-06", published="2021-06-03") + "\n正文\n"
        ok = front(index_no="000000001/2021-00002", written="2021-05-06", published="2021-06-02") + "\n正文\n"
        result = findings(tmp_path, {"late.md": late, "ok.md": ok})
        assert rules(result) == [("late.md", "条例第二十六条")]
        assert "晚 21 个工作日" in result[0][0].message

    def test_uncovered_years_are_reported_once_not_guessed(self, tmp_path):
        old = front(index_no="000000001/2003-00001", written="2003-01-06", published="2003-03-03") + "\n正文\n"
        found, notes = findings(tmp_path, {"old.md": old})
        assert found == [] and len(notes) == 1 and "2003" in notes[0] and "chinese_calendar" in notes[0]


NORMATIVE = dict(column="法定主动公开内容/法规文件/行政规范性文件", validity="有效", valid_until="2026-06-30",
                 index_no="000000001/2021-00010", doc_no="示政规〔2021〕1号", published="2021-06-01")


class TestThreeSynchronies:
    def interp(self, published: str, no: str = "00011") -> str:
        return front(title="解读", index_no=f"000000001/2021-{no}", column="法定主动公开内容/政策解读",
                     interprets="000000001/2021-00010", published=published) + "\n解读\n"

    def test_no_interpretation(self, tmp_path):
        assert rules(findings(tmp_path, {"p.md": front(**NORMATIVE) + "\n正文\n"})) == [("p.md", "三同步")]

    def test_interpretation_within_3_working_days(self, tmp_path):
        files = {"p.md": front(**NORMATIVE) + "\n正文\n", "i.md": self.interp("2021-06-04")}
        assert rules(findings(tmp_path, files)) == []

    def test_interpretation_after_3_working_days(self, tmp_path):
        files = {"p.md": front(**NORMATIVE) + "\n正文\n", "i.md": self.interp("2021-06-07")}
        assert rules(findings(tmp_path, files)) == [("i.md", "三同步")]


class TestValidityMarking:
    def test_missing_valid_until(self, tmp_path):
        fields = {**NORMATIVE, "valid_until": None}
        files = {"p.md": front(**fields) + "\n正文\n",
                 "i.md": TestThreeSynchronies().interp("2021-06-01")}
        result = findings(tmp_path, files)
        assert rules(result) == [("p.md", "有效性标注")] and "有效期至" in result[0][0].message


class TestDecisionFeedback:
    def files(self, published: str) -> dict[str, str]:
        decision = front(title="关于实施老旧小区改造的决定", index_no="000000001/2021-00020",
                         column="法定主动公开内容/重大行政决策", written="2021-06-01", published="2021-06-01")
        feedback = front(title="老旧小区改造意见采纳情况", index_no="000000001/2021-00021",
                         column="法定主动公开内容/重大行政决策", interprets="000000001/2021-00020", published=published)
        return {"d.md": decision + "\n决定\n", "f.md": feedback + "\n采纳\n"}

    def test_within_10_working_days(self, tmp_path):
        assert rules(findings(tmp_path, self.files("2021-06-16"))) == []

    def test_after_10_working_days(self, tmp_path):
        assert rules(findings(tmp_path, self.files("2021-06-17"))) == [("f.md", "决策意见采纳情况")]


class TestAnnualReports:
    def report(self, year: int, published: str, publisher: str, no: int) -> str:
        index = {"示例县人民政府": "000000001", "示例县民政局": "000000003"}[publisher]
        return front(title=f"{publisher}{year}年政府信息公开工作年度报告", publisher=publisher, column="政府信息公开年报",
                     index_no=f"{index}/{published[:4]}-{no:05d}", published=published) + "\n年报\n"

    def checked(self, tmp_path, files: dict[str, str], today: dt.date):
        """The 年报 rule (by the issuing agency's kind, catalog/agencies.yml): late ones, and missing years as of ``today``."""
        published = corpus_of(tmp_path, files).published
        seen = reports_seen(published)
        return check_reports(seen) + missing_reports(seen, published, CAT.agencies, today)

    def test_government_by_march_31_department_by_january_31(self, tmp_path):
        files = {"g-ok.md": self.report(2021, "2022-03-31", "示例县人民政府", 1),
                 "g-late.md": self.report(2022, "2023-04-01", "示例县人民政府", 2),
                 "d-ok.md": self.report(2021, "2022-01-31", "示例县民政局", 3),
                 "d-late.md": self.report(2022, "2023-02-01", "示例县民政局", 4)}
        found = self.checked(tmp_path, files, D(2023, 4, 1))
        assert sorted((f.file.rsplit("/", 1)[-1], f.rule) for f in found) == \
            [("d-late.md", "条例第四十九条"), ("g-late.md", "条例第四十九条")]
        assert "示例县民政局 2022 年度报告发布于 2023-02-01，晚于政府部门年报期限 2023-01-31" in \
            [f.message for f in found]

    def test_a_missing_year_once_its_deadline_has_passed(self, tmp_path):
        files = {"a.md": self.report(2020, "2021-01-20", "示例县民政局", 1),
                 "b.md": self.report(2022, "2023-01-20", "示例县民政局", 2)}
        found = [f.message for f in self.checked(tmp_path, files, D(2023, 1, 31))]
        assert found == ["示例县民政局 缺少 2021 年度报告（条例第四十九条，期限 2022-01-31；该机构自 2021 年起有公开文件）"]
        later = [f.message for f in self.checked(tmp_path, files, D(2024, 2, 1))]
        assert "示例县民政局 缺少 2023 年度报告（条例第四十九条，期限 2024-01-31；该机构自 2021 年起有公开文件）" in later


def test_the_report_text_has_one_line_per_finding_with_file_and_rule(tmp_path):
    corpus = corpus_of(tmp_path, {"p.md": front(**NORMATIVE) + "\n正文\n"})
    report = compliance.compute(corpus)
    path = compliance.write(report, tmp_path, "reports/compliance.txt")
    lines = [l for l in path.read_text(encoding="utf-8").splitlines() if not l.startswith("#")]
    assert lines == ["content/documents/p.md:2\t[三同步]\t行政规范性文件没有政策解读；解读应与文件同步发布"
                     "（在解读文件中用「解读对象」填写本文件的索引号）"]


def test_the_build_prints_and_writes_the_report_and_strict_fails_only_when_configured(make_project):
    project = make_project()
    late = project.content / "documents/2021/guanxian-2021-9.md"
    late.write_text(late.read_text(encoding="utf-8").replace("发布日期: 2021年6月28日", "发布日期: 2021年8月2日"),
                    encoding="utf-8")
    result = project.build("--strict")
    assert result.ok, result.output
    assert "时限合规检查：发现" in result.output and "条例第二十六条 1 项" in result.output
    report = project.root / "reports" / "compliance.txt"
    assert "guanxian-2021-9.md" in report.read_text(encoding="utf-8")
    assert not (project.site / "reports").exists()
    site_yml = project.root / "catalog" / "site.yml"
    site_yml.write_text(site_yml.read_text(encoding="utf-8").replace("  strict: false", "  strict: true"), encoding="utf-8")
    assert not project.build("--strict").ok
