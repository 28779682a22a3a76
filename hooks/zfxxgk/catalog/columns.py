"""The column tree (catalog/columns.yml): columns, their slugs, and one tree per agency.

The catalogues' common error type and slug rule live here too: every other catalogue
module builds on them.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from zfxxgk.catalog import urls


class CatalogueError(Exception):
    """A catalogue file is missing or malformed (the site maintainer's input)."""


SLUG = re.compile(r"[a-z0-9][a-z0-9-]{0,63}")


def checked_slug(value: Any, where: str, top_level: bool = False) -> str:
    """A catalogue slug: lower-case ASCII, no path separators; never a reserved first segment."""
    slug = str(value if value is not None else "")
    if not SLUG.fullmatch(slug):
        raise CatalogueError(f"{where}：slug「{slug}」无效；只能用小写字母、数字和连字符（-），"
                             f"以字母或数字开头，不超过 64 个字符，例如 zwgk")
    if top_level and slug in urls.RESERVED_TOP:
        raise CatalogueError(f"{where}：slug「{slug}」是站点保留的网址（{'、'.join(sorted(urls.RESERVED_TOP))}），请换一个")
    return slug


def required(raw: Any, key: str, where: str) -> Any:
    """A required catalogue entry, or a Chinese error naming the file and the key."""
    if not isinstance(raw, dict):
        raise CatalogueError(f"{where}：每一项须为「键: 值」映射，发现：{str(raw)[:60]}")
    if raw.get(key) in (None, ""):
        raise CatalogueError(f"{where}：缺少「{key}」")
    return raw[key]


@dataclass(eq=False)   # one object per column: compared by identity, not by walking the tree
class Column:
    slug: str
    title: str
    path: str                          # site path: the agency's URL prefix + rel, e.g. "zl/sxmzj/fdzdgknr"
    titles: tuple[str, ...]            # title path, e.g. ("法定主动公开内容", "法规文件", "规章")
    parent: "Column | None" = None
    children: list["Column"] = field(default_factory=list)
    requires_validity: bool = False
    type: str = ""
    description: str = ""
    kind: str = ""                     # 规章 | 行政规范性文件 | "" (see catalog/columns.yml)
    role: str = ""                     # decisions | annual_reports | "" (see catalog/columns.yml)
    agency: str = ""                   # slug of the agency whose 专栏 holds the column
    rel: str = ""                      # slug path inside the agency's tree, e.g. "fdzdgknr/fgwj/gz"

    @property
    def title_path(self) -> str:
        return "/".join(self.titles)

    @property
    def url(self) -> str:
        return self.path + "/"

    def ancestors(self) -> list["Column"]:
        """From the first-level column down to this one."""
        chain, node = [], self
        while node is not None:
            chain.append(node)
            node = node.parent
        return chain[::-1]

    def walk(self):
        yield self
        for child in self.children:
            yield from child.walk()


def columns_of(raw: Any, prefix: str = "", agency: str = "") -> list[Column]:
    """A column tree (catalog/columns.yml's shape) whose URLs start with ``prefix``."""
    def build(node: dict[str, Any], parent: Column | None) -> Column:
        where = f"catalog/columns.yml 栏目「{node.get('title') if isinstance(node, dict) else node}」"
        title = str(required(node, "title", where))
        slug = checked_slug(required(node, "slug", where), where, top_level=parent is None)
        rel = f"{parent.rel}/{slug}" if parent else slug
        col = Column(
            slug=slug, title=title, path=prefix + rel,
            titles=(parent.titles if parent else ()) + (str(node["title"]),),
            parent=parent, requires_validity=bool(node.get("requires_validity", False)),
            type=str(node.get("type", "") or (parent.type if parent else "")),
            description=str(node.get("description", "")),
            kind=str(node.get("kind", "")), role=str(node.get("role", "") or ""),
            agency=agency, rel=rel,
        )
        col.children = [build(child, col) for child in node.get("children", []) or []]
        return col
    if not isinstance(raw, list):
        raise CatalogueError("catalog/columns.yml：须为栏目列表（每项以“- slug: …”开头）")
    return [build(node, None) for node in raw]
