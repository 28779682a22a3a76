"""catalog/annual_report.yml: the format of the 政府信息公开工作年度报告 (国办公开办函〔2021〕30号).

The keys an editor writes in content/zfxxgknb/<year>.yml, the labels of the
report's tables and the names its arithmetic checks use, read through one typed
schema. A wrong type, a missing or unknown key is a Chinese CatalogueError naming
the file, the line and the key path.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

import msgspec

from zfxxgk.catalog.columns import CatalogueError

FILE = "catalog/annual_report.yml"
# The names pages/annual_report.py reads the year file's top-level keys by (the labels are data).
ROLES = ("year", "agency", "publishers", "published", "last_in_force", "overview", "active", "applications",
         "review", "issues", "other")


class _Struct(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    pass


class TopKey(_Struct):
    key: str                   # the code's name (ROLES)
    label: str                 # what the editor writes
    section: str = ""          # 一 … 六
    heading: str = ""          # the part's heading on the page (一、总体情况)
    required: bool = False     # a prose part that must be filled


class Row(_Struct):
    key: str                   # what the editor writes
    label: str                 # what the page shows


class Outcome(_Struct):
    key: str
    label: str
    cases: tuple[Row, ...] = ()   # filled case by case when given


class ActiveItem(_Struct):
    key: str
    caption: str
    row: str
    column: str
    decimal: bool = False


class Counted(_Struct):
    caption: str               # the table's caption (第二十条第（一）项)
    header: str                # the row header of part 二's tables (信息内容)
    rows: tuple[str, ...]      # column kinds of catalog/columns.yml, counted from metadata
    issued: str
    voided: str
    in_force: str


class CheckedRow(_Struct):
    key: str
    label: str
    short: str                 # its name in the balance message


class Total(_Struct):
    label: str
    short: str


class Applications(_Struct):
    note: str                  # the head cell: the table's arithmetic in words
    applicant_group: str       # 申请人情况, over every applicant column
    organisations: str         # 法人或其他组织, over every applicant column but the first
    applicants: tuple[str, ...]
    total: str
    new: CheckedRow
    carried: CheckedRow
    results: str
    outcomes: tuple[Outcome, ...]
    outcomes_total: Total
    next: CheckedRow
    balance: str

    @property
    def keys(self) -> list[str]:
        """The keys allowed under 依申请公开, in the format's order."""
        return [self.new.key, self.carried.key, *(o.key for o in self.outcomes), self.next.key]


class Review(_Struct):
    litigation: str            # 行政诉讼, over the rows after the first
    rows: tuple[str, ...]
    total: str                 # each row's computed total
    columns: tuple[str, ...]


class AnnualReportSchema(_Struct):
    """What a year file of the annual report holds and how its tables are labelled."""
    keys: tuple[TopKey, ...]
    overview: tuple[Row, ...]
    counted: Counted
    active: tuple[ActiveItem, ...]
    applications: Applications
    review: Review

    def key(self, name: str) -> TopKey:
        """The top-level key the code calls ``name`` (one of ROLES)."""
        return next(k for k in self.keys if k.key == name)

    def label(self, name: str) -> str:
        return self.key(name).label


def load(raw: Any) -> AnnualReportSchema:
    """The typed schema of a parsed catalog/annual_report.yml, or CatalogueError."""
    try:
        schema = msgspec.convert(raw if raw is not None else {}, AnnualReportSchema, strict=True)
    except msgspec.ValidationError as exc:
        raise CatalogueError(_chinese(str(exc), raw)) from None
    _check(schema)
    return schema


def _check(schema: AnnualReportSchema) -> None:
    """What the types cannot say: every role once, no empty table, no key twice where keys share a mapping."""
    roles = [k.key for k in schema.keys]
    for role in ROLES:
        if role not in roles:
            raise CatalogueError(f"{FILE}：keys 缺少 key: {role}（须有：{'、'.join(ROLES)}）")
    for role in roles:
        if role not in ROLES:
            raise CatalogueError(f"{FILE}：keys 中未知的 key「{role}」；允许：{'、'.join(ROLES)}")
    apps = schema.applications
    for where, items in (("applications.applicants", apps.applicants), ("applications.outcomes", apps.outcomes),
                         ("review.rows", schema.review.rows), ("review.columns", schema.review.columns)):
        if not items:
            raise CatalogueError(f"{FILE}：「{where}」不能为空")
    _unique("keys", roles)
    _unique("keys", [k.label for k in schema.keys])
    _unique("overview", [r.key for r in schema.overview])
    _unique("counted.rows", schema.counted.rows)
    _unique("active", [a.key for a in schema.active])
    _unique("applications", apps.keys)
    for outcome in apps.outcomes:
        _unique(f"applications.outcomes「{outcome.key}」.cases", [c.key for c in outcome.cases])
    _unique("review.rows", schema.review.rows)


def _unique(where: str, values: Iterable[str]) -> None:
    seen: set[str] = set()
    for value in values:
        if value in seen:
            raise CatalogueError(f"{FILE}：「{where}」中“{value}”出现了两次")
        seen.add(value)


_TYPE_NAMES = {"str": "文字", "int": "整数", "float": "数字", "bool": "true 或 false", "object": "「键: 值」映射",
               "array": "列表", "null": "空", "date": "日期"}


def _chinese(message: str, raw: Any) -> str:
    """msgspec's English message in Chinese, with the key path and, when known, its line."""
    at = re.search(r" - at `\$([^`]*)`", message)
    path = (at[1] if at else "").lstrip(".")
    message = message[:at.start()] if at else message
    line = _line(raw, path)
    where = f"{FILE}:{line}" if line else FILE
    if m := re.match(r"Object missing required field `([^`]+)`", message):
        return f"{where}：「{_join(path, m[1])}」缺失"
    if m := re.match(r"Object contains unknown field `([^`]+)`", message):
        return f"{where}：未知项「{_join(path, m[1])}」"
    if m := re.match(r"Expected `([^`]+)`, got `([^`]+)`", message):
        want = "、".join(_TYPE_NAMES.get(t.strip(), t.strip()) for t in m[1].split("|"))
        return f"{where}：「{path or '（整个文件）'}」应为{want}，发现{_TYPE_NAMES.get(m[2], m[2])}"
    return f"{where}：「{path}」{message}"


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def _line(raw: Any, path: str) -> int | None:
    """The line of a msgspec key path (``applications.outcomes[2].label``) in the YAML the loader read."""
    node, line = raw, getattr(raw, "line", None)
    for name, index in re.findall(r"([^.\[\]]+)|\[(\d+)\]", path):
        if name and isinstance(node, dict):
            line = node.line_of(name) if hasattr(node, "line_of") else line
            node = node.get(name)
        elif index and isinstance(node, list) and int(index) < len(node):
            node = node[int(index)]
            line = getattr(node, "line", line)
        else:
            break
    return line or None
