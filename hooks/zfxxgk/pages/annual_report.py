"""政府信息公开工作年度报告 in the national format of 国办公开办函〔2021〕30号.

The editor fills content/zfxxgknb/<year>.yml (the prose sections and the
tables the site cannot know); section 二's 规章 and 行政规范性文件 rows are
counted from the metadata of the documents of the report's 发布机构 (default:
the agency itself). Every key and label of the format is catalogue data
(catalog/annual_report.yml, ``Catalogue.annual_report``); this module holds
only how the figures are read, summed and checked. The format's own arithmetic is checked:
一+二 = 三(七)+四 in every column of the 依申请公开 table, and 现行有效 = 上年现行有效
+ 本年制发 − 本年废止 when last year's figure is given.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from zfxxgk.catalog import urls, yamlfile
from zfxxgk.catalog.agencies import Agency
from zfxxgk.catalog.problems import Problem
from zfxxgk.catalog.report_schema import AnnualReportSchema, TopKey
from zfxxgk.catalog.terms import Catalogue
from zfxxgk.intake.metadata import suggest
from zfxxgk.intake.model import Document
from zfxxgk.intake.relations import Relations

DIR = urls.REPORTS_DIR                # content/zfxxgknb/<year>.yml -> /<annual_reports column>/<year>/


@dataclass
class Row:
    label: str
    level: int                      # 0 heading row, 1 row, 2 sub-row
    numbers: list[int] | None       # one per applicant column, then their total; None for a heading row


@dataclass
class CountedRow:
    label: str
    issued: int
    voided: int
    in_force: int


@dataclass
class AnnualReport:
    year: int
    agency: str
    src: str
    published: dt.date | None = None
    overview: list[tuple[str, list[str]]] = field(default_factory=list)
    counted: list[CountedRow] = field(default_factory=list)
    active: list[tuple[str, str, str, Any]] = field(default_factory=list)   # caption, row, column, value
    applications: list[Row] = field(default_factory=list)
    review: list[int] = field(default_factory=list)                          # per row: its columns, its total
    issues: list[str] = field(default_factory=list)
    other: list[str] = field(default_factory=list)
    format: AnnualReportSchema | None = None   # the format's labels (catalog/annual_report.yml)
    column: str = ""                       # slug path of the column with role "annual_reports"
    owner: Agency | None = None            # whose report it is (catalog/agencies.yml)

    @property
    def key(self) -> str:
        """The year, under the agency's slug for any but the 本级政府 (open-data paths)."""
        return str(self.year) if self.owner is None or self.owner.primary else f"{self.owner.slug}/{self.year}"

    @property
    def url(self) -> str:
        return urls.YEAR_PAGE.format(column=self.column, year=self.year)

    @property
    def title(self) -> str:
        return f"{self.agency}{self.year}年政府信息公开工作年度报告"


class _Report:
    """Reads one YAML file; collects problems instead of raising."""

    def __init__(self, shown: str, raw: yamlfile.LineDict, schema: AnnualReportSchema) -> None:
        self.shown, self.raw, self.schema, self.problems = shown, raw, schema, []

    def error(self, line: int | None, message: str) -> None:
        self.problems.append(Problem(self.shown, line, None, message))

    def paragraphs(self, term: TopKey) -> list[str]:
        key = term.label
        value = self.raw.get(key)
        if value in (None, "") and term.required:
            self.error(self.raw.line, f"缺少「{key}」（年报第{term.section}部分，须填写）")
        if value in (None, ""):
            return []
        if not isinstance(value, str):
            self.error(self.raw.line_of(key), f"「{key}」应为一段或多段文字")
            return []
        return [p.strip() for p in re.split(r"\n\s*\n", value) if p.strip()]

    def number(self, value: Any, where: str, line: int, decimal: bool = False) -> Any:
        ok = (isinstance(value, (int, float)) if decimal else isinstance(value, int)) and not isinstance(value, bool)
        if value is None:
            return 0
        if not ok or value < 0:
            kind = "非负数" if decimal else "非负整数"
            self.error(line, f"「{where}」应为{kind}，得到“{value}”")
            return 0
        return value

    def numbers(self, value: Any, where: str, line: int, count: int) -> list[int]:
        if value is None:
            return [0] * count
        if not isinstance(value, list) or len(value) != count:
            self.error(line, f"「{where}」应为 {count} 个数字的列表，得到“{value}”")
            return [0] * count
        return [self.number(v, where, line) for v in value]

    def mapping(self, role: str) -> yamlfile.LineDict:
        """The top-level mapping the schema calls ``role``; empty (and a problem) when it is not one."""
        key = self.schema.label(role)
        value = self.raw.get(key)
        if value is None:
            return yamlfile.LineDict()
        if not isinstance(value, yamlfile.LineDict):
            self.error(self.raw.line_of(key), f"「{key}」应为「键: 值」映射")
            return yamlfile.LineDict()
        return value

    def unknown(self, mapping: yamlfile.LineDict, allowed: list[str], where: str) -> None:
        for key in mapping:
            if key not in allowed:
                self.error(mapping.line_of(key), f"{where}未知项「{key}」；允许：{'、'.join(allowed)}{suggest(key, allowed)}")


def files(docs_dir: Path, folder: str = DIR) -> list[Path]:
    """The year files of one agency's folder (content/zfxxgknb, content/zl/<slug>/zfxxgknb)."""
    root = Path(docs_dir) / folder
    return sorted(p for p in root.glob("*.yml")) if root.is_dir() else []


def load(docs_dir: Path, cat: Catalogue, published: list[Document], rel: Relations,
         agency: Agency) -> tuple[list[AnnualReport], list[Problem]]:
    """The agency's reports (content/<its folder>/zfxxgknb/<year>.yml), newest first."""
    folder = agency.folder(DIR)
    reports, problems = [], []
    for path in files(docs_dir, folder):
        shown = f"{Path(docs_dir).name}/{folder}/{path.name}"
        if not re.fullmatch(r"\d{4}", path.stem):
            problems.append(Problem(shown, None, None, "年报数据文件须以年份命名，如 2023.yml"))
            continue
        raw, more = yamlfile.load(path, shown)
        problems += more
        if raw is None:
            continue
        if not isinstance(raw, yamlfile.LineDict):
            problems.append(Problem(shown, 1, None, "年报数据须为「键: 值」映射"))
            continue
        report, more = build(int(path.stem), f"{folder}/{path.name}", shown, raw, cat, published, rel, agency)
        reports.append(report)
        problems += more
    return sorted(reports, key=lambda r: -r.year), problems


def build(year: int, src: str, shown: str, raw: yamlfile.LineDict, cat: Catalogue,
          published: list[Document], rel: Relations, agency: Agency) -> tuple[AnnualReport, list[Problem]]:
    schema = cat.annual_report
    r = _Report(shown, raw, schema)
    r.unknown(raw, [k.label for k in schema.keys], "")
    year_key = schema.label("year")
    if raw.get(year_key) not in (None, year):
        r.error(raw.line_of(year_key), f"「{year_key}」{raw[year_key]} 与文件名 {year}.yml 不一致")
    report = AnnualReport(year, str(raw.get(schema.label("agency")) or agency.name), src,
                          yamlfile.as_date(raw.get(schema.label("published"))), owner=agency,
                          format=schema)
    overview = raw.get(schema.label("overview"))
    if isinstance(overview, yamlfile.LineDict):
        r.unknown(overview, [part.key for part in schema.overview], f"「{schema.label('overview')}」")
        report.overview = [(part.label, [p.strip() for p in re.split(r"\n\s*\n", str(overview[part.key])) if p.strip()])
                           for part in schema.overview if overview.get(part.key)]
    else:
        report.overview = [("", r.paragraphs(schema.key("overview")))]
    counted = _publishers(r, cat, agency)
    report.counted = _counted(r, year, cat, [d for d in published if d.publisher in counted], rel)
    report.active = _active(r)
    report.applications = _applications(r)
    report.review = _review(r)
    report.issues = r.paragraphs(schema.key("issues"))
    report.other = r.paragraphs(schema.key("other"))
    return report, r.problems


def _publishers(r: _Report, cat: Catalogue, agency: Agency) -> set[str]:
    """Whose 规章 and 规范性文件 the report counts: 发布机构 (default: the agency's own, catalog/agencies.yml)."""
    key = r.schema.label("publishers")
    value = r.raw.get(key) or list(agency.publishers)
    names = value if isinstance(value, list) else [value]
    out = set()
    for name in (str(n).strip() for n in names):
        if (publisher := cat.publisher_lookup.get(name)) is None:
            r.error(r.raw.line_of(key), f"「{key}」“{name}”不在机构目录（catalog/publishers.yml）中"
                                        f"{suggest(name, [p.name for p in cat.publishers])}")
        else:
            out.add(publisher.name)
    return out


def _counted(r: _Report, year: int, cat: Catalogue, published: list[Document], rel: Relations) -> list[CountedRow]:
    """规章 and 行政规范性文件: 本年制发, 本年废止, 现行有效 (at the end of the year) from metadata."""
    spec, last_key = r.schema.counted, r.schema.label("last_in_force")
    last = r.mapping("last_in_force")
    r.unknown(last, list(spec.rows), f"「{last_key}」")
    rows = []
    for title in spec.rows:
        columns = cat.columns_of_kind(title)
        docs = [d for d in published if any(c in d.column_obj.ancestors() for c in columns)]
        issued = voided = in_force = 0
        for doc in docs:
            made = (doc.written or doc.published).year
            void = rel.void_date(doc)
            if void is None and doc.void and made <= year:
                r.problems.append(Problem(doc.path, doc.lines.get("validity"), "validity",
                                          f"「有效性」为“{doc.validity}”，但无法确定失效日期（未被其他文件修订或废止，也未填写"
                                          f"「有效期至」），{r.shown} 无法计算{title}件数；请填写「有效期至」，"
                                          f"或在修订/废止它的文件中填写「修订/废止」"))
                continue
            issued += made == year
            voided += void is not None and void.year == year and made <= year
            in_force += made <= year and (void is None or void.year > year)
        if title in last:
            before = r.number(last[title], f"{last_key}/{title}", last.line_of(title))
            if before + issued - voided != in_force:
                r.error(last.line_of(title),
                        f"{title}：{spec.in_force} {in_force} ≠ {last_key} {before} + {spec.issued} {issued} − "
                        f"{spec.voided} {voided} = {before + issued - voided}；请核对上年年报数字和文件的有效性、修订/废止信息")
        rows.append(CountedRow(title, issued, voided, in_force))
    return rows


def _active(r: _Report) -> list[tuple[str, str, str, Any]]:
    """Section 二's editor-filled rows: (table caption, row, column, figure)."""
    items, key = r.schema.active, r.schema.label("active")
    active = r.mapping("active")
    r.unknown(active, [item.key for item in items], f"「{key}」")
    return [(item.caption, item.row, item.column,
             r.number(active.get(item.key), f"{key}/{item.key}", active.line_of(item.key), decimal=item.decimal))
            for item in items]


def _applications(r: _Report) -> list[Row]:
    spec = r.schema.applications
    data = r.mapping("applications")
    r.unknown(data, spec.keys, f"「{r.schema.label('applications')}」")
    width = len(spec.applicants)

    def row(mapping: yamlfile.LineDict, key: str, where: str) -> list[int]:
        nums = r.numbers(mapping.get(key), where, mapping.line_of(key), width)
        return nums + [sum(nums)]

    new, carried = row(data, spec.new.key, spec.new.key), row(data, spec.carried.key, spec.carried.key)
    rows = [Row(spec.new.label, 0, new), Row(spec.carried.label, 0, carried), Row(spec.results, 0, None)]
    total = [0] * (width + 1)
    for outcome in spec.outcomes:
        key, subs = outcome.key, outcome.cases
        if not subs:
            nums = row(data, key, key)
            rows.append(Row(outcome.label, 1, nums))
            total = [a + b for a, b in zip(total, nums)]
            continue
        group = data.get(key)
        group = group if isinstance(group, yamlfile.LineDict) else yamlfile.LineDict()
        if key in data and not isinstance(data.get(key), (yamlfile.LineDict, type(None))):
            zeros = ", ".join(["0"] * width)
            r.error(data.line_of(key), f"「{key}」应按情形分项填写，如“{subs[0].key}: [{zeros}]”")
        r.unknown(group, [case.key for case in subs], f"「{key}」")
        rows.append(Row(outcome.label, 1, None))
        for case in subs:
            nums = row(group, case.key, f"{key}/{case.key}")
            rows.append(Row(case.label, 2, nums))
            total = [a + b for a, b in zip(total, nums)]
    rows.append(Row(spec.outcomes_total.label, 1, total))
    following = row(data, spec.next.key, spec.next.key)
    rows.append(Row(spec.next.label, 0, following))
    _balance(r, data, new, carried, total, following)
    return rows


def _balance(r: _Report, data: yamlfile.LineDict, new: list[int], carried: list[int], total: list[int],
             following: list[int]) -> None:
    """The format's check, column by column: new + carried = total of the results + carried to next year."""
    spec = r.schema.applications
    for i, name in enumerate((*spec.applicants, spec.total)):
        if new[i] + carried[i] != total[i] + following[i]:
            key = r.schema.label("applications")
            r.error(data.line or r.raw.line_of(key),
                    f"{key}“{name}”一列不平衡：{spec.new.short} {new[i]} + {spec.carried.short} {carried[i]} = "
                    f"{new[i] + carried[i]}，应等于 {spec.outcomes_total.short} {total[i]} + {spec.next.short} "
                    f"{following[i]} = {total[i] + following[i]}（勾稽关系：{spec.balance}）")
            break


def _review(r: _Report) -> list[int]:
    spec, key = r.schema.review, r.schema.label("review")
    data = r.mapping("review")
    r.unknown(data, list(spec.rows), f"「{key}」")
    out = []
    for row in spec.rows:
        nums = r.numbers(data.get(row), f"{key}/{row}", data.line_of(row), len(spec.columns))
        out += nums + [sum(nums)]
    return out
