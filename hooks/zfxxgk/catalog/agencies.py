"""The agencies of the platform (catalog/agencies.yml): whose 专栏 each document is filed in.

A county's platform carries the 县政府 (本级政府, whose 专栏 is the site root), every
县直部门 and every 乡镇（街道）, each under the same four fixed columns (国办公开办函〔2019〕61号).
Each agency names the 发布机构 (catalog/publishers.yml) that issue for it and adjusts the
platform's column tree (catalog/columns.yml) by removing and adding sub-columns.

Without agencies.yml the site is one agency: catalog/site.yml ``agency`` with every
publisher and the platform tree, at the site root, so a single-agency site builds and
keeps its URLs unchanged.
"""
from __future__ import annotations

import copy
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any, Protocol

from zfxxgk.catalog import urls, yamlfile
from zfxxgk.catalog.columns import CatalogueError, Column, checked_slug, columns_of


class Catalogue(Protocol):
    """What the agencies need of the catalogue loading them (catalog/terms.py passes itself)."""
    publishers: list[Any]                  # catalog/publishers.yml, each with .name
    publisher_lookup: dict[str, Any]       # every spelling of a publisher -> publisher
    column_tree: list                      # catalog/columns.yml as read
    settings: Any                          # catalog/site.yml (.agency: the single agency's name)

FILE = "agencies.yml"
WHERE = f"catalog/{FILE}"
GOVERNMENT = "本级政府"
# The agency kinds, in the order the platform's directory lists them.
KINDS = (GOVERNMENT, "政府部门", "乡镇（街道）", "其他")
# 条例 art.49: a department reports to its government by 1月31日, a government publishes by 3月31日.
REPORT_DEADLINES = {GOVERNMENT: (3, 31), "政府部门": (1, 31), "乡镇（街道）": (3, 31), "其他": (1, 31)}
# Kinds that keep a 重大行政决策事项目录 (重大行政决策程序暂行条例: 县级以上地方人民政府, and 乡镇 by practice).
DECIDING_KINDS = (GOVERNMENT, "乡镇（街道）")
CONTACT_KEYS = {"office": "受理机构", "address": "办公地址", "postcode": "邮政编码", "hours": "办公时间",
                "phone": "咨询电话", "fax": "传真", "email": "电子邮箱"}


@dataclass(frozen=True)
class Contact:
    """What the agency's 指南 and footer print about where to apply (条例 art.12)."""
    office: str = ""
    address: str = ""
    postcode: str = ""
    hours: str = ""
    phone: str = ""
    fax: str = ""
    email: str = ""

    def rows(self) -> list[tuple[str, str]]:
        """(label, value) of every filled item, in the 指南's order."""
        return [(label, getattr(self, key)) for key, label in CONTACT_KEYS.items() if getattr(self, key)]


@dataclass(eq=False)
class Agency:
    name: str
    short: str
    slug: str
    kind: str
    publishers: tuple[str, ...]          # catalogue names of the 发布机构 issuing for it
    contact: Contact
    primary: bool                        # the 本级政府: its 专栏 is the site root
    columns: list[Column] = field(default_factory=list)

    @property
    def url(self) -> str:
        """Site-relative URL of the agency's 专栏 ("" for the 本级政府: the site root)."""
        return "" if self.primary else urls.AGENCY.format(slug=self.slug)

    @property
    def content_dir(self) -> str:
        """Folder of content/ holding the agency's pages and data files ("" for the 本级政府)."""
        return "" if self.primary else f"{urls.AGENCIES_DIR}/{self.slug}"

    def folder(self, name: str) -> str:
        """A folder of the agency's in content/ (urls.DECISIONS_DIR, urls.REPORTS_DIR)."""
        return f"{self.content_dir}/{name}" if self.content_dir else name

    @property
    def report_deadline(self) -> tuple[int, int]:
        """(month, day) of the year after the report year by which the 年报 is due."""
        return REPORT_DEADLINES[self.kind]

    @property
    def decides(self) -> bool:
        return self.kind in DECIDING_KINDS

    @cached_property
    def all_columns(self) -> list[Column]:
        return [c for top in self.columns for c in top.walk()]

    @cached_property
    def column_lookup(self) -> dict[str, Column | None]:
        """Spellings of a column (slug path, title path, unique title) -> column; None: an ambiguous title."""
        out: dict[str, Column | None] = {}
        for col in self.all_columns:
            out[col.rel] = col
            out[col.title_path] = col
        titles: dict[str, list[Column]] = {}
        for col in self.all_columns:
            titles.setdefault(col.title, []).append(col)
        for title, cols in titles.items():
            out.setdefault(title, cols[0] if len(cols) == 1 else None)
        return out

    def column_with_role(self, role: str) -> Column:
        """The column that holds the pages of ``role`` (catalog/columns.yml ``role:``)."""
        found = [c for c in self.all_columns if c.role == role]
        if len(found) != 1:
            raise CatalogueError(f"catalog/columns.yml（{self.name}）：须有且只有一个栏目标注 role: {role}，"
                                 f"发现 {len(found)} 个")
        return found[0]


def load(path: Path, cat: Catalogue) -> list[Agency]:
    """The platform's agencies, the 本级政府 first; one implicit agency when the file is absent."""
    if not path.is_file():
        return [_implicit(cat)]
    raw, problems = yamlfile.load(path, WHERE)
    if problems:
        raise CatalogueError("目录文件有误：" + problems[0].format().removeprefix("错误 "))
    if not isinstance(raw, list) or not raw:
        raise CatalogueError(f"{WHERE}：须为机构列表（每项以“- name: …”开头）")
    agencies = [_agency(entry, cat) for entry in raw]
    _check_platform(agencies, cat)
    return sorted(agencies, key=lambda a: not a.primary)


def _implicit(cat: Catalogue) -> Agency:
    name = cat.settings.agency
    agency = Agency(name, name, "bj", GOVERNMENT, tuple(p.name for p in cat.publishers), Contact(), True)
    agency.columns = columns_of(cat.column_tree, "", agency.slug)
    return agency


def _agency(entry: Any, cat: Catalogue) -> Agency:
    if not isinstance(entry, dict) or not entry.get("name"):
        raise CatalogueError(f"{WHERE}：每个机构须为「键: 值」映射并有 name（机构全称），发现：{str(entry)[:60]}")
    name = str(entry["name"])
    where = f"{WHERE}「{name}」"
    unknown = set(entry) - {"name", "short", "slug", "kind", "publishers", "contact", "columns"}
    if unknown:
        raise CatalogueError(f"{where}：未知项 {'、'.join(sorted(map(str, unknown)))}；"
                             f"允许：name、short、slug、kind、publishers、contact、columns")
    kind = str(entry.get("kind", ""))
    if kind not in KINDS:
        raise CatalogueError(f"{where}：kind（机构类型）“{kind}”无效；允许：{'、'.join(KINDS)}")
    slug = checked_slug(entry.get("slug"), where)
    agency = Agency(name, str(entry.get("short") or name), slug, kind, _publishers(entry, where, cat),
                    _contact(entry.get("contact"), where), kind == GOVERNMENT)
    tree = _adjusted_tree(cat.column_tree, entry.get("columns"), where)
    agency.columns = columns_of(tree, agency.url, slug)
    return agency


def _publishers(entry: dict, where: str, cat: Catalogue) -> tuple[str, ...]:
    names = entry.get("publishers") or []
    if not isinstance(names, list) or not names:
        raise CatalogueError(f"{where}：publishers 须列出为本机构发文的发布机构（catalog/publishers.yml 中的名称），"
                             f"至少一个")
    out = []
    for name in map(str, names):
        publisher = cat.publisher_lookup.get(name)
        if publisher is None:
            raise CatalogueError(f"{where}：发布机构“{name}”不在 catalog/publishers.yml 中")
        out.append(publisher.name)
    return tuple(out)


def _contact(raw: Any, where: str) -> Contact:
    if raw is None:
        return Contact()
    if not isinstance(raw, dict) or set(raw) - set(CONTACT_KEYS):
        allowed = "、".join(f"{k}（{v}）" for k, v in CONTACT_KEYS.items())
        raise CatalogueError(f"{where}：contact 须为「键: 值」映射；允许：{allowed}")
    return Contact(**{k: str(v) for k, v in raw.items() if v is not None})


def _adjusted_tree(tree: list, change: Any, where: str) -> list:
    """The platform tree with the agency's sub-columns removed and added (the four columns stay)."""
    if change is None:
        return tree
    if not isinstance(change, dict) or set(change) - {"remove", "add"}:
        raise CatalogueError(f"{where}：columns 只能有 remove（去掉的栏目 slug 路径列表）和 add（增加的栏目列表）")
    tree = copy.deepcopy(tree)
    for rel in map(str, change.get("remove") or []):
        _remove(tree, rel, where)
    for node in change.get("add") or []:
        if not isinstance(node, dict) or not node.get("parent"):
            raise CatalogueError(f"{where}：columns.add 的每一项须有 parent（上级栏目的 slug 路径）、slug 和 title")
        parent = _find(tree, str(node["parent"]), where)
        parent.setdefault("children", []).append({k: v for k, v in node.items() if k != "parent"})
    return tree


def _find(tree: list, rel: str, where: str) -> dict:
    nodes, node = tree, None
    for slug in rel.strip("/").split("/"):
        node = next((n for n in nodes if isinstance(n, dict) and n.get("slug") == slug), None)
        if node is None:
            raise CatalogueError(f"{where}：栏目“{rel}”不在 catalog/columns.yml 中")
        nodes = node.get("children") or []
    return node  # type: ignore[return-value]


def _remove(tree: list, rel: str, where: str) -> None:
    parent_rel, _, slug = rel.strip("/").rpartition("/")
    if not parent_rel:
        raise CatalogueError(f"{where}：不能去掉一级栏目“{rel}”（四个一级栏目由国办公开办函〔2019〕61号统一规定）")
    parent = _find(tree, parent_rel, where)
    _find(tree, rel, where)
    parent["children"] = [n for n in parent["children"] if n.get("slug") != slug]


def _check_platform(agencies: list[Agency], cat: Catalogue) -> None:
    governments = [a.name for a in agencies if a.kind == GOVERNMENT]
    if len(governments) != 1:
        raise CatalogueError(f"{WHERE}：须有且只有一个 kind: {GOVERNMENT} 的机构（其专栏即平台首页），"
                             f"发现 {len(governments)} 个{('：' + '、'.join(governments)) if governments else ''}")
    for key in ("name", "slug"):
        seen: dict[str, str] = {}
        for a in agencies:
            value = getattr(a, key)
            if value in seen:
                raise CatalogueError(f"{WHERE}：{key}“{value}”重复（「{seen[value]}」与「{a.name}」）")
            seen[value] = a.name
    owner: dict[str, str] = {}
    for a in agencies:
        for p in a.publishers:
            if p in owner and owner[p] != a.name:
                raise CatalogueError(f"{WHERE}：发布机构“{p}”同时列在「{owner[p]}」和「{a.name}」下；每个发布机构只属于一个机构")
            owner[p] = a.name
    orphans = [p.name for p in cat.publishers if p.name not in owner]
    if orphans:
        raise CatalogueError(f"{WHERE}：发布机构 {'、'.join(orphans)} 未归属任何机构；"
                             f"请把它写进某个机构的 publishers（文件按发布机构归入机构专栏）")
