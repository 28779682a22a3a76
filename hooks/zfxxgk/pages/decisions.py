"""重大行政决策事项目录: one YAML file per year in content/zdxzjc/, one catalogue page per year.

Each item (事项名称, 承办单位, 计划完成时间, 状态) links each stage of the decision
to a published document (by 索引号) or an external URL; a stage not yet reached
is left empty and shows as pending. A stage pointing nowhere is an error.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from zfxxgk.catalog import calendar
from zfxxgk.catalog import urls, yamlfile
from zfxxgk.intake.metadata import suggest
from zfxxgk.intake.model import Document
from zfxxgk.catalog.problems import Problem

DIR = urls.DECISIONS_DIR             # content/zdxzjc/<year>.yml
# key -> (label, accepted spellings); the stages in the order of the decision procedure.
ITEM_FIELDS = {
    "name": ("事项名称", ("事项名称", "name")),
    "department": ("承办单位", ("承办单位", "department")),
    "due": ("计划完成时间", ("计划完成时间", "due")),
    "status": ("状态", ("状态", "status")),
    "note": ("说明", ("说明", "调整说明", "note")),
}
STAGES = {
    "draft": ("决策草案", ("决策草案", "draft")),
    "explanation": ("起草说明/解读", ("起草说明/解读", "起草说明", "草案解读", "解读", "explanation")),
    "background": ("制订背景", ("制订背景", "制定背景", "background")),
    "consultation": ("意见征集", ("意见征集", "consultation")),
    "adoption": ("意见采纳情况", ("意见采纳情况", "意见采纳", "adoption")),
    "meeting": ("会议审议", ("会议审议", "meeting")),
    "result": ("决策结果", ("决策结果", "result")),
}
REQUIRED = ("name", "department", "due", "status")
STATUSES = ("未启动", "进行中", "已完成", "已调整")
ADOPTION_DAYS = 10     # 意见采纳情况 within 10 working days of the decision (徐泾, 冠县)
_URL = re.compile(r"^https?://\S+$")


@dataclass(frozen=True)
class Stage:
    label: str
    doc: Document | None = None
    url: str = ""

    @property
    def pending(self) -> bool:
        return self.doc is None and not self.url


@dataclass
class Decision:
    values: dict[str, str]
    stages: list[Stage]


@dataclass
class DecisionYear:
    year: int
    src: str                               # content-relative path of the YAML file
    published: dt.date | None = None
    intro: str = ""
    items: list[Decision] = field(default_factory=list)
    column: str = ""                       # slug path of the column with role "decisions"

    @property
    def url(self) -> str:
        return urls.YEAR_PAGE.format(column=self.column, year=self.year)

    @property
    def title(self) -> str:
        return f"{self.year}年度重大行政决策事项目录"


def files(docs_dir: Path) -> list[Path]:
    root = Path(docs_dir) / DIR
    return sorted(root.glob("*.yml")) if root.is_dir() else []


def load(docs_dir: Path, documents: list[Document]) -> tuple[list[DecisionYear], list[Problem]]:
    """Every year's catalogue, newest first, and the problems found."""
    by_no = {d.index_no: d for d in documents}
    years, problems = [], []
    for path in files(docs_dir):
        shown = f"{Path(docs_dir).name}/{DIR}/{path.name}"
        year, more = _year(path, shown, by_no)
        problems += more
        if year is not None:
            years.append(year)
    return sorted(years, key=lambda y: -y.year), problems


def _year(path: Path, shown: str, by_no: dict[str, Document]) -> tuple[DecisionYear | None, list[Problem]]:
    if not re.fullmatch(r"\d{4}", path.stem):
        return None, [Problem(shown, None, None, "重大行政决策事项目录文件须以年份命名，如 2023.yml")]
    raw, problems = yamlfile.load(path, shown)
    if raw is None:
        return None, problems
    if not isinstance(raw, yamlfile.LineDict) or not isinstance(raw.get("事项", raw.get("items")), list):
        return None, problems + [Problem(shown, 1, None, "须包含「事项」列表（每项以“- 事项名称: …”开头）")]
    out = DecisionYear(int(path.stem), path.relative_to(path.parents[1]).as_posix(),
                       yamlfile.as_date(raw.get("发布日期", raw.get("published"))),
                       str(raw.get("说明", raw.get("intro", "")) or "").strip())
    items_key = "事项" if "事项" in raw else "items"
    for number, entry in enumerate(raw[items_key], 1):
        item, more = _item(shown, number, entry, by_no)
        problems += more
        if item is not None:
            out.items.append(item)
    return out, problems


def _item(shown: str, number: int, entry: Any, by_no: dict[str, Document]) -> tuple[Decision | None, list[Problem]]:
    if not isinstance(entry, yamlfile.LineDict):
        return None, [Problem(shown, None, None, f"第 {number} 项须为「键: 值」映射")]
    spellings = {s: k for k, (_, ss) in (ITEM_FIELDS | STAGES).items() for s in ss}
    values: dict[str, Any] = {}
    problems: list[Problem] = []
    for written, value in entry.items():
        if (key := spellings.get(written)) is None:
            allowed = "、".join(label for label, _ in (ITEM_FIELDS | STAGES).values())
            problems.append(Problem(shown, entry.line_of(written), None,
                                    f"第 {number} 项：未知字段「{written}」；允许：{allowed}{suggest(written, list(spellings))}"))
        else:
            values[key] = "" if value is None else str(value).strip()
            values.setdefault("_lines", {})[key] = entry.line_of(written)
    lines = values.pop("_lines", {})
    name = values.get("name") or f"第 {number} 项"
    for key in REQUIRED:
        if not values.get(key):
            problems.append(Problem(shown, entry.line, key, f"事项“{name}”缺少「{ITEM_FIELDS[key][0]}」"))
    if values.get("status") and values["status"] not in STATUSES:
        problems.append(Problem(shown, lines.get("status"), "status",
                                f"事项“{name}”的「状态」“{values['status']}”无效；允许：{'、'.join(STATUSES)}"
                                f"{suggest(values['status'], list(STATUSES))}"))
    stages = []
    for key, (label, _) in STAGES.items():
        stage, problem = _stage(label, values.get(key, ""), by_no)
        if problem:
            problems.append(Problem(shown, lines.get(key), key, f"事项“{name}”的「{label}」{problem}"))
        stages.append(stage)
    problems += _adoption_deadline(shown, name, stages, lines.get("adoption"))
    return Decision({k: v for k, v in values.items() if k in ITEM_FIELDS}, stages), problems


def _stage(label: str, value: str, by_no: dict[str, Document]) -> tuple[Stage, str]:
    """A stage and, when it points nowhere, what is wrong."""
    if not value:
        return Stage(label), ""
    if _URL.match(value):
        return Stage(label, url=value), ""
    doc = by_no.get(value)
    if doc is None:
        how = "网址须以 http:// 或 https:// 开头" if "/" in value and "." in value.split("/")[0] else "请核对索引号"
        return Stage(label), f"指向索引号“{value}”，全站没有这个文件；{how}；尚未公开的环节请留空"
    if not doc.publishable:
        return Stage(label), f"指向“{value}”（{doc.path}），其公开属性为“{doc.attribute}”，不在网站发布"
    return Stage(label, doc=doc), ""


def _adoption_deadline(shown: str, name: str, stages: list[Stage], line: int | None) -> list[Problem]:
    """意见采纳情况 is published within 10 working days after the decision result."""
    found = {s.label: s.doc for s in stages if s.doc is not None}
    result, adoption = found.get(STAGES["result"][0]), found.get(STAGES["adoption"][0])
    if result is None or adoption is None:
        return []
    deadline = add_workdays(result.published, ADOPTION_DAYS)
    if adoption.published <= deadline:
        return []
    return [Problem(shown, line, "adoption",
                    f"事项“{name}”的「意见采纳情况」发布于 {adoption.published}，晚于决策结果发布（{result.published}）后 "
                    f"{ADOPTION_DAYS} 个工作日（{deadline}）", "warning")]


def add_workdays(start: dt.date, days: int) -> dt.date:
    """``days`` working days after ``start``, from the one working-day calendar (catalog/calendar.py);
    weekdays only for a year the installed holiday data does not cover."""
    try:
        return calendar.add_working_days(start, days)
    except calendar.YearNotCovered:
        day, left = start, days
        while left:
            day += dt.timedelta(days=1)
            left -= day.weekday() < 5
        return day
