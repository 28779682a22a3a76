"""The national platform layout: the nav (column tree only) and breadcrumbs.

Document pages never enter the nav (a nav of 1,000 documents made every page
371 KB); the nav is the column tree from catalog/columns.yml.
"""
from __future__ import annotations

from dataclasses import dataclass

from .catalogue import Catalogue, Column

HOME_TITLE = "政府信息公开"


@dataclass(frozen=True)
class Crumb:
    title: str
    url: str          # site-relative, "" for the home page


def column_nav(column: Column) -> dict:
    if not column.children:
        return {column.title: column.url + "index.md"}
    return {column.title: [column.url + "index.md"] + [column_nav(c) for c in column.children]}


def nav(catalogue: Catalogue) -> list:
    """MkDocs ``nav`` config: home, then the column tree (sections use their index page)."""
    return [{HOME_TITLE: "index.md"}] + [column_nav(c) for c in catalogue.columns]


def column_crumbs(column: Column | None) -> list[Crumb]:
    crumbs = [Crumb(HOME_TITLE, "")]
    if column is not None:
        crumbs += [Crumb(c.title, c.url) for c in column.ancestors()]
    return crumbs
