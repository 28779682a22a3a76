"""政务公开事项标准目录: catalog/items.yml rendered as one page, by 领域 and 一级事项.

The file holds its own schema (``fields``: key, label, accepted spellings,
required, allowed values) and the items (``事项``). Each item is a 二级事项 row
(公开内容, 公开依据, 公开时限, 公开主体, 公开渠道和载体, 公开对象, 公开方式,
公开层级 县级/乡级, as the 基层政务公开标准目录 lay them out) filed under its
领域 and 一级事项; the page has one collapsible section per 领域. A document
names its item with ``item`` (标准目录事项); the item's row links to the
published documents.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from zfxxgk.catalog import yamlfile
from zfxxgk.catalog.terms import Catalogue
from zfxxgk.intake.metadata import suggest
from zfxxgk.catalog.agencies import Agency
from zfxxgk.intake.model import Document
from zfxxgk.catalog.problems import Problem

FILE = "items.yml"
SHOWN = f"catalog/{FILE}"
TITLE = "政务公开事项标准目录"
ITEMS_KEY = "事项"
GROUPING = ("area", "group")   # keys the page groups by; every other field is a column
ROW_LIMIT = 5     # documents linked per row; the count shows the rest


@dataclass(frozen=True)
class ItemField:
    key: str
    label: str
    spellings: tuple[str, ...]          # the key, the label and every other accepted spelling
    required: bool = False
    values: tuple[str, ...] = ()        # allowed values; empty: free text
    many: bool = False                  # a list of ``values``


@dataclass
class Item:
    values: dict[str, Any]              # key -> text (or a list of values for ``many`` fields)
    documents: list[Document] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.values["name"]


@dataclass
class Group:
    name: str                           # 一级事项
    items: list[Item] = field(default_factory=list)


@dataclass
class Area:
    name: str                           # 领域
    anchor: str
    groups: list[Group] = field(default_factory=list)

    @property
    def count(self) -> int:
        return sum(len(g.items) for g in self.groups)


@dataclass
class ItemCatalogue:
    fields: tuple[ItemField, ...]
    items: list[Item] = field(default_factory=list)
    url: str = ""                        # urls.ITEMS under the column with role items
    column: str = ""
    owner: Agency | None = None
    title: str = TITLE
    row_limit: int = ROW_LIMIT

    @property
    def columns(self) -> list[ItemField]:
        """The table's columns after the 二级事项 (the row header)."""
        return [f for f in self.fields if f.key not in (*GROUPING, "name")]

    @property
    def labels(self) -> dict[str, str]:
        return {f.key: f.label for f in self.fields}

    @property
    def areas(self) -> list[Area]:
        """领域 and 一级事项 in the order of their first item."""
        areas: dict[str, Area] = {}
        for item in self.items:
            area = areas.setdefault(item.values["area"], Area(item.values["area"], f"ly-{len(areas) + 1}"))
            group = next((g for g in area.groups if g.name == item.values["group"]), None)
            if group is None:
                area.groups.append(group := Group(item.values["group"]))
            group.items.append(item)
        return list(areas.values())


def _text(value: Any) -> str:
    if isinstance(value, list):
        return "、".join(str(v).strip() for v in value if str(v).strip())
    return "" if value is None else str(value).strip()


def _schema(raw: Any) -> tuple[tuple[ItemField, ...], list[Problem]]:
    """The ``fields`` table; it must name area, group and name (the page's structure)."""
    out: list[ItemField] = []
    for entry in raw if isinstance(raw, list) else []:
        if not isinstance(entry, dict) or not entry.get("key") or not entry.get("label"):
            return (), [Problem(SHOWN, getattr(entry, "line", None), None,
                                "fields 的每一项须写 key 和 label，如 {key: basis, label: 公开依据, required: true}")]
        key, label = str(entry["key"]), str(entry["label"])
        out.append(ItemField(key, label, (key, label, *(str(s) for s in entry.get("spellings") or [])),
                             bool(entry.get("required", False)), tuple(str(v) for v in entry.get("values") or []),
                             bool(entry.get("many", False))))
    missing = [k for k in (*GROUPING, "name") if k not in {f.key for f in out}]
    if missing:
        return (), [Problem(SHOWN, getattr(raw, "line", 1) if raw is not None else 1, None,
                            f"fields 须包含键 {'、'.join(missing)}（领域、一级事项、二级事项）")]
    return tuple(out), []


def load(cat: Catalogue, documents: list[Document]) -> tuple[ItemCatalogue | None, list[Problem]]:
    """The item catalogue (None when catalog/items.yml is absent) with its documents."""
    path = Path(cat.root) / FILE
    if not path.is_file():
        return None, [Problem(d.path, d.lines.get("item"), "item", "「标准目录事项」已填写，但站点没有政务公开事项标准目录"
                                                                   f"（{SHOWN}）") for d in documents if d.meta.get("item")]
    raw, problems = yamlfile.load(path, SHOWN)
    if raw is None:
        return None, problems
    if not isinstance(raw, yamlfile.LineDict) or not isinstance(raw.get(ITEMS_KEY), list):
        return None, [Problem(SHOWN, 1, None, f"政务公开事项标准目录须包含 fields（字段表）和「{ITEMS_KEY}」列表"
                                              f"（每项以“- 领域: …”开头）")]
    fields, problems = _schema(raw.get("fields"))
    if not fields:
        return None, problems
    catalogue = ItemCatalogue(fields)
    for number, entry in enumerate(raw[ITEMS_KEY], 1):
        item, more = _item(fields, number, entry)
        problems += more
        if item is not None:
            if any(i.name == item.name for i in catalogue.items):
                problems.append(Problem(SHOWN, entry.line, "name", f"第 {number} 项：二级事项“{item.name}”重复"))
            catalogue.items.append(item)
    problems += _link_documents(catalogue, documents)
    return catalogue, problems


def _item(fields: tuple[ItemField, ...], number: int, entry: Any) -> tuple[Item | None, list[Problem]]:
    if not isinstance(entry, yamlfile.LineDict):
        return None, [Problem(SHOWN, None, None, f"第 {number} 项须为「键: 值」映射")]
    by_spelling = {s: f for f in fields for s in f.spellings}
    labels = [f.label for f in fields]
    values: dict[str, Any] = {}
    problems: list[Problem] = []
    for written, value in entry.items():
        spec = by_spelling.get(written)
        if spec is None:
            problems.append(Problem(SHOWN, entry.line_of(written), None,
                                    f"第 {number} 项：未知字段「{written}」；允许：{'、'.join(labels)}{suggest(written, labels)}"))
            continue
        given = [_text(v) for v in (value if isinstance(value, list) else [value])] if spec.many else [_text(value)]
        given = [g for g in given if g]
        bad = [g for g in given if spec.values and g not in spec.values]
        if bad:
            problems.append(Problem(SHOWN, entry.line_of(written), spec.key,
                                    f"第 {number} 项：「{spec.label}」“{'、'.join(bad)}”无效；允许：{'、'.join(spec.values)}"
                                    f"{suggest(bad[0], list(spec.values))}"))
        values[spec.key] = given if spec.many else _text(value)
    for spec in fields:
        if spec.required and not values.get(spec.key):
            problems.append(Problem(SHOWN, entry.line, spec.key, f"第 {number} 项缺少「{spec.label}」（{spec.key}）"))
    complete = all(values.get(k) for k in (*GROUPING, "name"))
    return (Item(values) if complete else None), problems


def _link_documents(catalogue: ItemCatalogue, documents: list[Document]) -> list[Problem]:
    by_name = {i.name: i for i in catalogue.items}
    problems = []
    for doc in documents:   # newest first
        if not (name := doc.meta.get("item")):
            continue
        if (item := by_name.get(name)) is None:
            problems.append(Problem(doc.path, doc.lines.get("item"), "item",
                                    f"「标准目录事项」“{name}”不在政务公开事项标准目录（{SHOWN}）中"
                                    f"{suggest(name, list(by_name))}"))
        elif doc.publishable:
            item.documents.append(doc)
    return problems
