"""政府信息公开工作年度报告 in the national format of 国办公开办函〔2021〕30号.

The editor fills content/zfxxgknb/<year>.yml (the prose sections and the
tables the site cannot know); section 二's 规章 and 行政规范性文件 rows are
counted from the metadata of the documents of the report's 发布机构 (default:
the agency itself). The format's own arithmetic is checked:
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
from zfxxgk.catalog.terms import Catalogue
from zfxxgk.intake.metadata import suggest
from zfxxgk.intake.model import Document
from zfxxgk.catalog.problems import Problem
from zfxxgk.intake.relations import Relations

DIR = urls.REPORTS_DIR                # content/zfxxgknb/<year>.yml -> /<annual_reports column>/<year>/
OVERVIEW_PARTS = ("主动公开", "依申请公开", "政府信息管理", "平台建设", "监督保障")
COUNTED = ("规章", "行政规范性文件")     # rows computed from metadata: columns of that kind (catalog/columns.yml)
ACTIVE = {  # section 二, editor-filled: key -> (table caption, row label, column label)
    "行政许可": ("第二十条第（五）项", "行政许可", "本年处理决定数量"),
    "行政处罚": ("第二十条第（六）项", "行政处罚", "本年处理决定数量"),
    "行政强制": ("第二十条第（六）项", "行政强制", "本年处理决定数量"),
    "行政事业性收费": ("第二十条第（八）项", "行政事业性收费", "本年收费金额（单位：万元）"),
}
APPLICANTS = ("自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他")
# Section 三: (key, label, sub-rows as (key, label)); 三's (七)总计 is computed.
RESULTS: tuple[tuple[str, str, tuple[tuple[str, str], ...]], ...] = (
    ("予以公开", "（一）予以公开", ()),
    ("部分公开", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", ()),
    ("不予公开", "（三）不予公开", (
        ("属于国家秘密", "1．属于国家秘密"), ("其他法律行政法规禁止公开", "2．其他法律行政法规禁止公开"),
        ("危及“三安全一稳定”", "3．危及“三安全一稳定”"), ("保护第三方合法权益", "4．保护第三方合法权益"),
        ("属于三类内部事务信息", "5．属于三类内部事务信息"), ("属于四类过程性信息", "6．属于四类过程性信息"),
        ("属于行政执法案卷", "7．属于行政执法案卷"), ("属于行政查询事项", "8．属于行政查询事项"))),
    ("无法提供", "（四）无法提供", (
        ("本机关不掌握相关政府信息", "1．本机关不掌握相关政府信息"),
        ("没有现成信息需要另行制作", "2．没有现成信息需要另行制作"),
        ("补正后申请内容仍不明确", "3．补正后申请内容仍不明确"))),
    ("不予处理", "（五）不予处理", (
        ("信访举报投诉类申请", "1．信访举报投诉类申请"), ("重复申请", "2．重复申请"),
        ("要求提供公开出版物", "3．要求提供公开出版物"), ("无正当理由大量反复申请", "4．无正当理由大量反复申请"),
        ("要求行政机关确认或重新出具已获取信息", "5．要求行政机关确认或重新出具已获取信息"))),
    ("其他处理", "（六）其他处理", (
        ("逾期不补正", "1．申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"),
        ("逾期未缴费", "2．申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"),
        ("其他", "3．其他"))),
)
NEW, CARRIED, NEXT = "本年新收申请数量", "上年结转申请数量", "结转下年度继续办理"
REVIEW_ROWS = ("行政复议", "未经复议直接起诉", "复议后起诉")
REVIEW_COLS = ("结果维持", "结果纠正", "其他结果", "尚未审结")
TOP_KEYS = ("年度", "机关", "发布机构", "发布日期", "上年现行有效件数", "总体情况", "主动公开", "依申请公开",
            "行政复议和行政诉讼", "存在的主要问题及改进情况", "其他需要报告的事项")


@dataclass
class Row:
    label: str
    level: int                      # 0 heading row, 1 row, 2 sub-row
    numbers: list[int] | None       # 7 numbers (6 applicants + 总计); None for a heading row


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
    review: list[int] = field(default_factory=list)                          # 15 numbers
    issues: list[str] = field(default_factory=list)
    other: list[str] = field(default_factory=list)
    applicants: tuple[str, ...] = APPLICANTS
    review_cols: tuple[str, ...] = REVIEW_COLS
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

    def __init__(self, shown: str, raw: yamlfile.LineDict) -> None:
        self.shown, self.raw, self.problems = shown, raw, []

    def error(self, line: int | None, message: str) -> None:
        self.problems.append(Problem(self.shown, line, None, message))

    def paragraphs(self, key: str, required: bool) -> list[str]:
        value = self.raw.get(key)
        if value in (None, "") and required:
            self.error(self.raw.line, f"缺少「{key}」（年报第{'一' if key == '总体情况' else '五'}部分，须填写）")
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

    def mapping(self, key: str) -> yamlfile.LineDict:
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
    r = _Report(shown, raw)
    r.unknown(raw, list(TOP_KEYS), "")
    if raw.get("年度") not in (None, year):
        r.error(raw.line_of("年度"), f"「年度」{raw['年度']} 与文件名 {year}.yml 不一致")
    report = AnnualReport(year, str(raw.get("机关") or agency.name), src, yamlfile.as_date(raw.get("发布日期")),
                          owner=agency)
    overview = raw.get("总体情况")
    if isinstance(overview, yamlfile.LineDict):
        r.unknown(overview, list(OVERVIEW_PARTS), "「总体情况」")
        report.overview = [(f"（{'一二三四五'[i]}）{part}", [p.strip() for p in re.split(r"\n\s*\n", str(overview[part])) if p.strip()])
                           for i, part in enumerate(OVERVIEW_PARTS) if overview.get(part)]
    else:
        report.overview = [("", r.paragraphs("总体情况", True))]
    counted = _publishers(r, cat, agency)
    report.counted = _counted(r, year, cat, [d for d in published if d.publisher in counted], rel)
    active = r.mapping("主动公开")
    r.unknown(active, list(ACTIVE), "「主动公开」")
    report.active = [(caption, row, column, r.number(active.get(key), f"主动公开/{key}", active.line_of(key),
                                                     decimal=key == "行政事业性收费"))
                     for key, (caption, row, column) in ACTIVE.items()]
    report.applications = _applications(r)
    report.review = _review(r)
    report.issues = r.paragraphs("存在的主要问题及改进情况", True)
    report.other = r.paragraphs("其他需要报告的事项", False)
    return report, r.problems


def _publishers(r: _Report, cat: Catalogue, agency: Agency) -> set[str]:
    """Whose 规章 and 规范性文件 the report counts: 发布机构 (default: the agency's own, catalog/agencies.yml)."""
    value = r.raw.get("发布机构") or list(agency.publishers)
    names = value if isinstance(value, list) else [value]
    out = set()
    for name in (str(n).strip() for n in names):
        if (publisher := cat.publisher_lookup.get(name)) is None:
            r.error(r.raw.line_of("发布机构"), f"「发布机构」“{name}”不在机构目录（catalog/publishers.yml）中"
                                             f"{suggest(name, [p.name for p in cat.publishers])}")
        else:
            out.add(publisher.name)
    return out


def _counted(r: _Report, year: int, cat: Catalogue, published: list[Document], rel: Relations) -> list[CountedRow]:
    """规章 and 行政规范性文件: 本年制发, 本年废止, 现行有效 (at the end of the year) from metadata."""
    last = r.mapping("上年现行有效件数")
    r.unknown(last, list(COUNTED), "「上年现行有效件数」")
    rows = []
    for title in COUNTED:
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
            before = r.number(last[title], f"上年现行有效件数/{title}", last.line_of(title))
            if before + issued - voided != in_force:
                r.error(last.line_of(title),
                        f"{title}：现行有效件数 {in_force} ≠ 上年现行有效件数 {before} + 本年制发件数 {issued} − "
                        f"本年废止件数 {voided} = {before + issued - voided}；请核对上年年报数字和文件的有效性、修订/废止信息")
        rows.append(CountedRow(title, issued, voided, in_force))
    return rows


def _applications(r: _Report) -> list[Row]:
    data = r.mapping("依申请公开")
    allowed = [NEW, CARRIED] + [key for key, _, _ in RESULTS] + [NEXT]
    r.unknown(data, allowed, "「依申请公开」")

    def row(mapping: yamlfile.LineDict, key: str, where: str) -> list[int]:
        nums = r.numbers(mapping.get(key), where, mapping.line_of(key), len(APPLICANTS))
        return nums + [sum(nums)]

    new, carried = row(data, NEW, NEW), row(data, CARRIED, CARRIED)
    rows = [Row("一、本年新收政府信息公开申请数量", 0, new), Row("二、上年结转政府信息公开申请数量", 0, carried),
            Row("三、本年度办理结果", 0, None)]
    total = [0] * (len(APPLICANTS) + 1)
    for key, label, subs in RESULTS:
        if not subs:
            nums = row(data, key, key)
            rows.append(Row(label, 1, nums))
            total = [a + b for a, b in zip(total, nums)]
            continue
        group = data.get(key)
        group = group if isinstance(group, yamlfile.LineDict) else yamlfile.LineDict()
        if key in data and not isinstance(data.get(key), (yamlfile.LineDict, type(None))):
            r.error(data.line_of(key), f"「{key}」应按情形分项填写，如“{subs[0][0]}: [0, 0, 0, 0, 0, 0]”")
        r.unknown(group, [k for k, _ in subs], f"「{key}」")
        rows.append(Row(label, 1, None))
        for sub_key, sub_label in subs:
            nums = row(group, sub_key, f"{key}/{sub_key}")
            rows.append(Row(sub_label, 2, nums))
            total = [a + b for a, b in zip(total, nums)]
    rows.append(Row("（七）总计", 1, total))
    following = row(data, NEXT, NEXT)
    rows.append(Row("四、结转下年度继续办理", 0, following))
    for i, name in enumerate(APPLICANTS + ("总计",)):
        if new[i] + carried[i] != total[i] + following[i]:
            r.error(data.line or r.raw.line_of("依申请公开"),
                    f"依申请公开“{name}”一列不平衡：一、本年新收 {new[i]} + 二、上年结转 {carried[i]} = "
                    f"{new[i] + carried[i]}，应等于 三、（七）总计 {total[i]} + 四、结转下年度 {following[i]} = "
                    f"{total[i] + following[i]}（勾稽关系：一 + 二 = 三（七）+ 四）")
            break
    return rows


def _review(r: _Report) -> list[int]:
    data = r.mapping("行政复议和行政诉讼")
    r.unknown(data, list(REVIEW_ROWS), "「行政复议和行政诉讼」")
    out = []
    for key in REVIEW_ROWS:
        nums = r.numbers(data.get(key), f"行政复议和行政诉讼/{key}", data.line_of(key), len(REVIEW_COLS))
        out += nums + [sum(nums)]
    return out
