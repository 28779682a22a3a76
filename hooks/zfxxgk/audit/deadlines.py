"""Statutory deadlines in working days (the calendar: catalog/calendar.py).

The rules of 条例 art.26 and 49 and of the 解读/意见采纳 practice, applied to the
published documents; the findings go to the compliance report.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Iterable

from zfxxgk.catalog import calendar, workcalendar
from zfxxgk.catalog.agencies import Agency
from zfxxgk.catalog.calendar import WorkCalendar, YearNotCovered, covered_years, year_hint
from zfxxgk.intake import expiry
from zfxxgk.intake.model import Document

ART26_DAYS = 20          # 条例第二十六条：形成或变更之日起 20 个工作日内公开
INTERPRETATION_DAYS = 3  # 国办发〔2016〕19号：解读在文件公开后 3 个工作日内发布
FEEDBACK_DAYS = 10       # 意见收集采纳情况在决策后 10 个工作日内公开

@dataclass(frozen=True, order=True)
class Finding:
    file: str
    line: int | None
    rule: str           # short rule name, e.g. 条例第二十六条
    message: str
    agency: str = field(default="", compare=False)   # whose it is (slug, catalog/agencies.yml); "" the 本级政府

    @classmethod
    def of(cls, doc: Document, key: str, rule: str, message: str) -> Finding:
        """A finding on a document, at the line of its field ``key``."""
        return cls(doc.path, doc.lines.get(key), rule, message, doc.agency.slug)

    def format(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        return f"{where}\t[{self.rule}]\t{self.message}"


# --- the rules ------------------------------------------------------------------
def _references(docs: Iterable[Document]) -> dict[str, Document]:
    """索引号, 文号 and 标题 -> document, for resolving ``interprets``."""
    out: dict[str, Document] = {}
    for doc in docs:
        for ref in (doc.index_no, doc.doc_no, doc.title):
            if ref:
                out.setdefault(ref, doc)
    return out


_is_normative = expiry.is_normative


def check_art26(cal: WorkCalendar, doc: Document) -> Finding | None:
    if doc.written is None:
        return None
    late = cal.working_days_between(doc.written, doc.published)
    if late <= ART26_DAYS:
        return None
    return Finding.of(doc, "published", "条例第二十六条",
                   f"发布日期 {doc.published} 比成文日期 {doc.written} 晚 {late} 个工作日；"
                   f"应自形成之日起 {ART26_DAYS} 个工作日内公开")


def check_interpretation(cal: WorkCalendar, doc: Document, interpretations: list[Document]) -> Finding | None:
    if not interpretations:
        return Finding.of(doc, "title", "三同步",
                       "行政规范性文件没有政策解读；解读应与文件同步发布（在解读文件中用「解读对象」填写本文件的索引号）")
    first = min(interpretations, key=lambda d: (d.published, d.index_no))
    late = cal.working_days_between(doc.published, first.published)
    if late <= INTERPRETATION_DAYS:
        return None
    return Finding.of(first, "published", "三同步",
                   f"解读发布于 {first.published}，比所解读文件 {doc.path}（发布于 {doc.published}）晚 {late} 个工作日；"
                   f"应在 {INTERPRETATION_DAYS} 个工作日内发布")


def check_feedback(cal: WorkCalendar, decision: Document, feedback: Document) -> Finding | None:
    decided = decision.written or decision.published
    late = cal.working_days_between(decided, feedback.published)
    if late <= FEEDBACK_DAYS:
        return None
    return Finding.of(feedback, "published", "决策意见采纳情况",
                   f"意见采纳情况发布于 {feedback.published}，比决策 {decision.path}（{decided}）晚 {late} 个工作日；"
                   f"应在 {FEEDBACK_DAYS} 个工作日内公开")


def check_validity(doc: Document) -> Finding | None:
    missing = [name for key, name in (("validity", "有效性"), ("valid_until", "有效期至")) if not doc.meta.get(key)]
    if not missing:
        return None
    return Finding.of(doc, "title", "有效性标注",
                   f"行政规范性文件未标注{'、'.join(missing)}（{'、'.join(k for k in ('validity', 'valid_until') if not doc.meta.get(k))}）；"
                   f"规范性文件须显著标注有效性和有效期")


_REPORT_YEAR = re.compile(r"(\d{4})\s*年")


def report_year(doc: Document) -> int:
    """The year a 年报 reports on: named in its title (a year before its publication), else the year before."""
    m = _REPORT_YEAR.search(doc.title)
    year = int(m[1]) if m else 0
    return year if 2008 <= year < doc.published.year else doc.published.year - 1   # 条例 in force since 2008


@dataclass(frozen=True)
class ReportSeen:
    """One agency's 年报 for one year, as published: a data page (content/…/zfxxgknb) or a document."""
    agency: Agency
    year: int
    published: dt.date | None
    file: str
    line: int | None = None


def report_deadline(agency: Agency, year: int) -> dt.date:
    month, day = agency.report_deadline        # 条例第四十九条, by the agency's kind
    return dt.date(year + 1, month, day)


def check_reports(seen: list[ReportSeen]) -> list[Finding]:
    """年报 published after their deadline (a finding: the date is history)."""
    findings = []
    for r in seen:
        deadline = report_deadline(r.agency, r.year)
        if r.published is not None and r.published > deadline:
            findings.append(Finding(r.file, r.line, "条例第四十九条",
                                    f"{r.agency.name} {r.year} 年度报告发布于 {r.published}，"
                                    f"晚于{r.agency.kind}年报期限 {deadline}", r.agency.slug))
    return findings


def missing_reports(seen: list[ReportSeen], published: list[Document], agencies: list[Agency],
                    today: dt.date) -> list[Finding]:
    """Every year without a 年报, from the agency's first document to the last year already due (a
    warning: to act on, but an old gap must not stop today's documents from being published)."""
    have = {(r.agency.slug, r.year) for r in seen}
    first: dict[str, int] = {}
    for doc in published:
        for agency in doc.agencies:
            first[agency.slug] = min(first.get(agency.slug, doc.year), doc.year)
    out = []
    for agency in agencies:
        for year in range(first.get(agency.slug, today.year), today.year):
            if (agency.slug, year) not in have and today > report_deadline(agency, year):
                out.append(Finding(f"（{agency.name}）", None, "缺少年报",
                                   f"{agency.name} 缺少 {year} 年度报告（条例第四十九条，期限 {report_deadline(agency, year)}；"
                                   f"该机构自 {first[agency.slug]} 年起有公开文件）", agency.slug))
    return out


DECISIONS_RULE = "决策事项目录"


def check_decision_catalogues(years: list, today: dt.date,
                              deadline: tuple[int, int]) -> tuple[list[Finding], list[Finding]]:
    """The 重大行政决策事项目录 of a year is published by ``deadline`` (month, day) of that year
    (徐泾 2023 #10). Returns the late catalogues (a fact of the data) and the missing years, from
    the first catalogue's year to the build year once its deadline has passed (they depend on the
    build date, as the column warnings do). ``years``: pages.decisions.DecisionYear."""
    month, day = deadline
    late = [Finding(y.shown, y.published_line, DECISIONS_RULE,
                    f"{y.year} 年度重大行政决策事项目录发布于 {y.published}，晚于 {dt.date(y.year, month, day)}"
                    f"（每年 {month} 月 {day} 日前公布当年目录）", _slug(y.owner))
            for y in years if y.published is not None and y.published > dt.date(y.year, month, day)]
    by_folder: dict[tuple[str, str], set[int]] = {}   # each agency's own folder (content/zdxzjc, content/zl/<slug>/zdxzjc)
    for y in years:
        by_folder.setdefault((y.shown.rpartition("/")[0], _slug(y.owner)), set()).add(y.year)
    missing = [Finding(f"{folder}/{year}.yml", None, DECISIONS_RULE,
                       f"缺少 {year} 年度重大行政决策事项目录：应于 {dt.date(year, month, day)} 前公布，"
                       f"到构建日期 {today} 仍未公布（在 {folder}/{year}.yml 中填写目录，无事项的也应公布）", agency)
               for (folder, agency), have in sorted(by_folder.items())
               for year in range(min(have), today.year + 1)
               if year not in have and today > dt.date(year, month, day)]
    return sorted(late), missing


def _slug(agency: Agency | None) -> str:
    return agency.slug if agency is not None else ""


def reports_seen(published: list[Document], reports: Iterable = ()) -> list[ReportSeen]:
    """Every 年报 of the site: the data pages (pages/annual_report.py) and the 年报 documents."""
    seen = [ReportSeen(r.owner, r.year, r.published, f"content/{r.src}") for r in reports]
    seen += [ReportSeen(d.agency, report_year(d), d.published, d.path, d.lines.get("published"))
             for d in published if d.column_obj.type == "信息公开年报"]
    return seen


def check_all(published: list[Document], cal: WorkCalendar) -> tuple[list[Finding], list[str]]:
    """Findings of the rules that depend on the documents alone (年报: check_reports, which needs the build
    date), and notes on what could not be computed (uncovered years)."""
    findings: list[Finding] = []
    uncovered: dict[int, int] = {}
    refs = _references(published)
    interps: dict[str, list[Document]] = {}
    feedback: list[tuple[Document, Document]] = []
    for doc in published:
        target = refs.get(str(doc.meta.get("interprets", ""))) if doc.meta.get("interprets") else None
        if target is None:
            continue
        if doc.column_obj.type == "重大行政决策" and "采纳" in doc.title:
            feedback.append((target, doc))
        else:
            interps.setdefault(target.src, []).append(doc)

    def run(check, *args) -> None:
        try:
            if (found := check(*args)) is not None:
                findings.append(found)
        except YearNotCovered as exc:
            uncovered[exc.year] = uncovered.get(exc.year, 0) + 1

    for doc in published:
        run(check_art26, cal, doc)
        if _is_normative(doc):
            run(check_interpretation, cal, doc, interps.get(doc.src, []))
            run(check_validity, doc)
    for decision, fb in feedback:
        run(check_feedback, cal, decision, fb)
    notes: list[str] = []
    first, last = covered_years()
    for year, count in sorted(uncovered.items()):
        if year > last:   # a year still to come: the site can add its arrangement; a warning
            notes.append(Note(f"{count} 项期限未能计算：{year_hint(year)}", warning=True))
        else:             # before 2004: no official data to add; a note only
            notes.append(Note(f"{count} 项期限涉及 {year} 年，chinese_calendar {calendar.version()} 只收录 {first}–{last} 年的"
                              f"节假日安排，未能计算（需要时可添加 {workcalendar.SHOWN_DIR}/{year}.yml）"))
    return sorted(findings), notes


class Note(str):
    """A remark of the compliance report; ``warning`` for one the site should act on (a missing year)."""

    warning: bool

    def __new__(cls, text: str, warning: bool = False) -> "Note":
        note = super().__new__(cls, text)
        note.warning = warning
        return note
