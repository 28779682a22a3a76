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

from zfxxgk.catalog.calendar import WorkCalendar, YearNotCovered
from zfxxgk.catalog import urls, yamlfile
from zfxxgk.catalog.agencies import Agency
from zfxxgk.catalog.terms import DecisionSchema, DecisionTerm
from zfxxgk.intake.metadata import FieldError, as_date, suggest
from zfxxgk.intake.model import Document
from zfxxgk.catalog.problems import Problem

DIR = urls.DECISIONS_DIR             # content/zdxzjc/<year>.yml
_URL = re.compile(r"^https?://\S+$")


@dataclass(frozen=True)
class Stage:
    label: str
    doc: Document | None = None
    url: str = ""
    key: str = ""                          # catalog/decisions.yml stage key (consultation, adoption, …)

    @property
    def pending(self) -> bool:
        return self.doc is None and not self.url


@dataclass
class Decision:
    values: dict[str, str]
    stages: list[Stage]
    number: int = 0                        # position in the year's catalogue, from 1

    @property
    def anchor(self) -> str:
        """The item's id on the year page (the 意见征集 page links back to it)."""
        return f"sx-{self.number}"


@dataclass
class DecisionYear:
    year: int
    src: str                               # content-relative path of the YAML file
    published: dt.date | None = None
    intro: str = ""
    items: list[Decision] = field(default_factory=list)
    column: str = ""                       # slug path of the column with role "decisions"
    shown: str = ""                        # the file as messages name it (content/zdxzjc/2023.yml)
    consultations: dict[str, Any] = field(default_factory=dict)   # 索引号 -> its 意见征集 state (pages.consultations)
    published_line: int | None = None
    owner: Agency | None = None            # the agency whose folder holds it (catalog/agencies.yml)

    @property
    def url(self) -> str:
        return urls.YEAR_PAGE.format(column=self.column, year=self.year)

    @property
    def title(self) -> str:
        return f"{self.year}年度重大行政决策事项目录"


def files(docs_dir: Path, folder: str = DIR) -> list[Path]:
    """The year files of one agency's folder (content/zdxzjc, content/zl/<slug>/zdxzjc)."""
    root = Path(docs_dir) / folder
    return sorted(root.glob("*.yml")) if root.is_dir() else []


def load(docs_dir: Path, by_no: dict[str, Document], schema: DecisionSchema, cal: WorkCalendar,
         folder: str = DIR) -> tuple[list[DecisionYear], list[Problem]]:
    """Every year's catalogue in ``folder``, newest first, and the problems found (``by_no``: every
    document by its 索引号, made once for all agencies)."""
    years, problems = [], []
    for path in files(docs_dir, folder):
        shown = f"{Path(docs_dir).name}/{folder}/{path.name}"
        year, more = _year(path, shown, by_no, schema, cal)
        problems += more
        if year is not None:
            year.src = path.relative_to(docs_dir).as_posix()
            years.append(year)
    return sorted(years, key=lambda y: -y.year), problems


def _year(path: Path, shown: str, by_no: dict[str, Document],
          schema: DecisionSchema, cal: WorkCalendar) -> tuple[DecisionYear | None, list[Problem]]:
    if not re.fullmatch(r"\d{4}", path.stem):
        return None, [Problem(shown, None, None, "重大行政决策事项目录文件须以年份命名，如 2023.yml")]
    raw, problems = yamlfile.load(path, shown)
    if raw is None:
        return None, problems
    if not isinstance(raw, yamlfile.LineDict):
        return None, problems + [Problem(shown, 1, None, "须包含「事项」列表（每项以“- 事项名称: …”开头）")]
    top, lines, more = _top_level(raw, shown, schema)
    problems += more
    if not isinstance(top.get("items"), list):
        return None, problems + [Problem(shown, lines.get("items", 1), None, "须包含「事项」列表（每项以“- 事项名称: …”开头）")]
    out = DecisionYear(int(path.stem), path.relative_to(path.parents[1]).as_posix(), top.get("published"),
                       str(top.get("intro", "") or "").strip(), shown=shown, published_line=lines.get("published"))
    for number, entry in enumerate(top["items"], 1):
        item, more = _item(shown, number, entry, by_no, schema, cal)
        problems += more
        if item is not None:
            out.items.append(item)
    return out, problems


def _top_level(raw: yamlfile.LineDict, shown: str,
               schema: DecisionSchema) -> tuple[dict[str, Any], dict[str, int], list[Problem]]:
    """The year file's own keys (catalog/decisions.yml ``catalogue``), by canonical key, with their lines."""
    spellings = {s: t.key for t in schema.catalogue for s in t.spellings}
    values: dict[str, Any] = {}
    lines: dict[str, int] = {}
    problems: list[Problem] = []
    for written, value in raw.items():
        key = spellings.get(written)
        if key is None:
            allowed = "、".join(t.label for t in schema.catalogue)
            problems.append(Problem(shown, raw.line_of(written), None,
                                    f"未知的目录字段「{written}」；允许：{allowed}{suggest(str(written), list(spellings))}"))
            continue
        values[key], lines[key] = value, raw.line_of(written)
    for term in schema.catalogue:
        if term.required and values.get(term.key) in (None, ""):
            why = "（公布目录的日期，用于核对每年 3 月 31 日前公布的期限）" if term.key == "published" else ""
            problems.append(Problem(shown, 1, term.key, f"缺少「{term.label}」{why}"))
    if values.get("published") not in (None, ""):
        try:
            values["published"] = as_date(values["published"])
        except FieldError as exc:
            problems.append(Problem(shown, lines["published"], "published", f"「发布日期」{exc}"))
            values["published"] = None
    return values, lines, problems


def _item(shown: str, number: int, entry: Any, by_no: dict[str, Document],
          schema: DecisionSchema, cal: WorkCalendar) -> tuple[Decision | None, list[Problem]]:
    if not isinstance(entry, yamlfile.LineDict):
        return None, [Problem(shown, None, None, f"第 {number} 项须为「键: 值」映射")]
    terms = schema.fields + schema.stages
    spellings = {s: t.key for t in terms for s in t.spellings}
    values: dict[str, Any] = {}
    problems: list[Problem] = []
    for written, value in entry.items():
        if (key := spellings.get(written)) is None:
            allowed = "、".join(t.label for t in terms)
            problems.append(Problem(shown, entry.line_of(written), None,
                                    f"第 {number} 项：未知字段「{written}」；允许：{allowed}{suggest(written, list(spellings))}"))
        else:
            values[key] = "" if value is None else str(value).strip()
            values.setdefault("_lines", {})[key] = entry.line_of(written)
    lines = values.pop("_lines", {})
    name = values.get("name") or f"第 {number} 项"
    for field_ in schema.fields:
        if field_.required and not values.get(field_.key):
            problems.append(Problem(shown, entry.line, field_.key, f"事项“{name}”缺少「{field_.label}」"))
    if values.get("status") and values["status"] not in schema.statuses:
        problems.append(Problem(shown, lines.get("status"), "status",
                                f"事项“{name}”的「状态」“{values['status']}”无效；允许：{'、'.join(schema.statuses)}"
                                f"{suggest(values['status'], list(schema.statuses))}"))
    stages = []
    for term in schema.stages:
        stage, problem = _stage(term, values.get(term.key, ""), by_no)
        if problem:
            problems.append(Problem(shown, lines.get(term.key), term.key, f"事项“{name}”的「{term.label}」{problem}"))
        if term.always or not stage.pending:
            stages.append(stage)
    problems += _adoption_deadline(shown, name, stages, lines.get("adoption"), schema, cal)
    return Decision({k: v for k, v in values.items() if k in {f.key for f in schema.fields}}, stages, number), problems


def _stage(term: DecisionTerm, value: str, by_no: dict[str, Document]) -> tuple[Stage, str]:
    """A stage and, when it points nowhere, what is wrong."""
    label, key = term.label, term.key
    if not value:
        return Stage(label, key=key), ""
    if _URL.match(value):
        return Stage(label, url=value, key=key), ""
    doc = by_no.get(value)
    if doc is None:
        how = "网址须以 http:// 或 https:// 开头" if "/" in value and "." in value.split("/")[0] else "请核对索引号"
        return Stage(label, key=key), f"指向索引号“{value}”，全站没有这个文件；{how}；尚未公开的环节请留空"
    if not doc.publishable:
        return Stage(label, key=key), f"指向“{value}”（{doc.path}），其公开属性为“{doc.attribute}”，不在网站发布"
    return Stage(label, doc=doc, key=key), ""


def _adoption_deadline(shown: str, name: str, stages: list[Stage], line: int | None,
                       schema: DecisionSchema, cal: WorkCalendar) -> list[Problem]:
    """意见采纳情况 is published within ``adoption_days`` working days after the decision result."""
    found = {s.label: s.doc for s in stages if s.doc is not None}
    result, adoption = found.get(schema.stage("result").label), found.get(schema.stage("adoption").label)
    if result is None or adoption is None:
        return []
    days = schema.adoption_days
    deadline = add_workdays(cal, result.published, days)
    if adoption.published <= deadline:
        return []
    return [Problem(shown, line, "adoption",
                    f"事项“{name}”的「意见采纳情况」发布于 {adoption.published}，晚于决策结果发布（{result.published}）后 "
                    f"{days} 个工作日（{deadline}）", "warning")]


def add_workdays(cal: WorkCalendar, start: dt.date, days: int) -> dt.date:
    """``days`` working days after ``start``, from the one working-day calendar (catalog/calendar.py);
    weekdays only for a year the installed holiday data does not cover."""
    try:
        return cal.add_working_days(start, days)
    except YearNotCovered:
        day, left = start, days
        while left:
            day += dt.timedelta(days=1)
            left -= day.weekday() < 5
        return day
