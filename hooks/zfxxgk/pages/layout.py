"""The national platform layout: the nav (column tree only) and breadcrumbs.

Document pages never enter the nav (a nav of 1,000 documents made every page
371 KB); the nav is the column tree from catalog/columns.yml.
"""
from __future__ import annotations

import html
from dataclasses import dataclass, field
from typing import Any

from jinja2 import Environment

from zfxxgk.catalog.terms import Catalogue, Column

HOME_TITLE = "政府信息公开"


@dataclass(frozen=True)
class Crumb:
    title: str
    url: str          # site-relative, "" for the home page


def column_nav(column: Column) -> dict:
    # Material prints nav titles unescaped: a catalogue title is text, so escape it here, once.
    title = html.escape(column.title, quote=True)
    if not column.children:
        return {title: column.url + "index.md"}
    return {title: [column.url + "index.md"] + [column_nav(c) for c in column.children]}


def nav(catalogue: Catalogue) -> list:
    """MkDocs ``nav`` config: home, then the column tree (sections use their index page)."""
    return [{HOME_TITLE: "index.md"}] + [column_nav(c) for c in catalogue.columns]


def column_crumbs(column: Column | None, agency=None) -> list[Crumb]:
    """Home, the agency's 专栏 when it is not the 本级政府's, then the column path."""
    crumbs = [Crumb(HOME_TITLE, "")]
    if agency is not None and not agency.primary:
        crumbs.append(Crumb(agency.short, agency.url))
    if column is not None:
        crumbs += [Crumb(c.title, c.url) for c in column.ancestors()]
    return crumbs


# Rendering Material's nav partial costs ~9 ms a page. A page outside the nav
# (every document and listing page) gets the same nav HTML as any other page at
# the same directory depth (links are relative, nothing is active), so render
# it once per depth.
_NAV_WRAPPER = ('{% import "partials/language.html" as lang with context %}'
                '{% set features = config.theme.features or [] %}{% include "partials/nav.html" %}')


@dataclass
class NavCache:
    env: Environment
    html: dict[int, str] = field(default_factory=dict)

    def for_page(self, page: Any, context: dict[str, Any]) -> str | None:
        """Cached primary-nav HTML for a page outside the nav, else None (render normally)."""
        if not page.file.inclusion.is_not_in_nav():
            return None
        depth = page.url.count("/")
        if depth not in self.html:
            self.html[depth] = self.env.from_string(_NAV_WRAPPER).render(context)
        return self.html[depth]
