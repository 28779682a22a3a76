"""政务公开事项标准目录: catalog/items.yml rendered as one table page.

Each item gives 事项名称, 公开依据, 公开内容, 公开主体, 公开时限, 公开渠道和载体,
公开对象 (as 开远 and 冠县 describe their catalogues). A document names its item
with ``item`` (标准目录事项); the item's row links to the published documents.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from zfxxgk.catalog import urls, yamlfile
from zfxxgk.catalog.terms import Catalogue
from zfxxgk.intake.metadata import suggest
from zfxxgk.intake.model import Document
from zfxxgk.catalog.problems import Problem

FILE = "items.yml"
URL = urls.ITEMS
TITLE = "政务公开事项标准目录"
# key -> (label shown and accepted, required)
FIELDS: dict[str, tuple[str, bool]] = {
    "name": ("事项名称", True), "basis": ("公开依据", True), "content": ("公开内容", True),
    "subject": ("公开主体", True), "deadline": ("公开时限", True), "channels": ("公开渠道和载体", True),
    "audience": ("公开对象", True), "mode": ("公开方式", False),
}
AUDIENCES = ("全社会", "特定群体")
MODES = ("主动公开", "依申请公开")
ROW_LIMIT = 5     # documents linked per row; the count shows the rest


@dataclass
class Item:
    values: dict[str, str]
    documents: list[Document] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.values["name"]

    def __getattr__(self, key: str) -> str:
        if key in FIELDS:
            return self.values.get(key, "")
        raise AttributeError(key)


@dataclass
class ItemCatalogue:
    items: list[Item] = field(default_factory=list)
    url: str = URL
    title: str = TITLE
    labels: dict[str, str] = field(default_factory=lambda: {k: v[0] for k, v in FIELDS.items()})
    row_limit: int = ROW_LIMIT


def _text(value: Any) -> str:
    if isinstance(value, list):
        return "、".join(str(v).strip() for v in value if str(v).strip())
    return "" if value is None else str(value).strip()


def load(cat: Catalogue, documents: list[Document]) -> tuple[ItemCatalogue | None, list[Problem]]:
    """The item catalogue (None when catalog/items.yml is absent) with its documents."""
    path = Path(cat.root) / FILE
    if not path.is_file():
        return None, [Problem(d.path, d.lines.get("item"), "item", "「标准目录事项」已填写，但站点没有政务公开事项标准目录"
                                                                   "（catalog/items.yml）") for d in documents if d.meta.get("item")]
    shown = f"catalog/{FILE}"
    raw, problems = yamlfile.load(path, shown)
    if raw is None:
        return None, problems
    if not isinstance(raw, list):
        return None, [Problem(shown, 1, None, "政务公开事项标准目录须为事项列表（每项以“- 事项名称: …”开头）")]
    catalogue = ItemCatalogue()
    for number, entry in enumerate(raw, 1):
        item, more = _item(shown, number, entry)
        problems += more
        if item is not None:
            if any(i.name == item.name for i in catalogue.items):
                problems.append(Problem(shown, entry.line, "name", f"第 {number} 项：事项名称“{item.name}”重复"))
            catalogue.items.append(item)
    problems += _link_documents(catalogue, documents)
    return catalogue, problems


def _item(shown: str, number: int, entry: Any) -> tuple[Item | None, list[Problem]]:
    if not isinstance(entry, yamlfile.LineDict):
        return None, [Problem(shown, None, None, f"第 {number} 项须为「键: 值」映射")]
    keys = {k: k for k in FIELDS} | {label: k for k, (label, _) in FIELDS.items()}
    values, problems = {}, []
    for written, value in entry.items():
        if (key := keys.get(written)) is None:
            problems.append(Problem(shown, entry.line_of(written), None,
                                    f"第 {number} 项：未知字段「{written}」；允许：{'、'.join(label for label, _ in FIELDS.values())}"
                                    f"{suggest(written, [label for label, _ in FIELDS.values()])}"))
        else:
            values[key] = _text(value)
    for key, (label, required) in FIELDS.items():
        if required and not values.get(key):
            problems.append(Problem(shown, entry.line, key, f"第 {number} 项缺少「{label}」（{key}）"))
    for key, allowed in (("audience", AUDIENCES), ("mode", MODES)):
        if values.get(key) and values[key] not in allowed:
            problems.append(Problem(shown, entry.line_of(FIELDS[key][0]) if FIELDS[key][0] in entry else entry.line_of(key),
                                    key, f"第 {number} 项：「{FIELDS[key][0]}」“{values[key]}”无效；允许：{'、'.join(allowed)}"))
    return (Item(values) if values.get("name") else None), problems


def _link_documents(catalogue: ItemCatalogue, documents: list[Document]) -> list[Problem]:
    by_name = {i.name: i for i in catalogue.items}
    problems = []
    for doc in documents:   # newest first
        if not (name := doc.meta.get("item")):
            continue
        if (item := by_name.get(name)) is None:
            problems.append(Problem(doc.path, doc.lines.get("item"), "item",
                                    f"「标准目录事项」“{name}”不在政务公开事项标准目录（catalog/{FILE}）中"
                                    f"{suggest(name, list(by_name))}"))
        elif doc.publishable:
            item.documents.append(doc)
    return problems
