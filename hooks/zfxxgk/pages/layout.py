"""The national platform layout: the nav (column tree only) and breadcrumbs.

Document pages never enter the nav (a nav of 1,000 documents made every page
371 KB); the nav is the column tree from catalog/columns.yml.
"""
from __future__ import annotations

import html
import os
from dataclasses import dataclass, field
from typing import Any, Callable

from jinja2 import Environment, pass_context

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


# Much of every page is the same on every page: Material's tabs, nav, <script id="__config">,
# stylesheets and scripts, our footer (6.0 s of CPU rendered per page at 1,000 documents, 0.8 s
# reused). Each is rendered once and reused wherever it would come out the same. What can differ
# between two pages is (a) the relative links, which the ``url`` filter makes from the page's own
# URL (two pages at one depth can get different links: "../../../" from fdzdgknr/fgwj/page/2/ is
# fdzdgknr/, from nian/2019/page/2/ it is nian/), (b) base_url, (c) the template (a child
# template may override a block inside) and (d) for the tabs and the nav, the active item, set
# only on pages in the nav. So a fragment is reused only on pages outside the nav (when it shows
# the nav), keyed by the template, base_url and the links its first rendering asked the ``url``
# filter for, each made relative to this page. A fragment that asks for other links on another
# page depends on the page in some other way: it is then rendered for every page.
# ZFXXGK_FRAGMENTS=0 renders every fragment on every page (bench/identical.py compares the two).


@dataclass
class Fragments:
    env: Environment
    html: dict[tuple, str] = field(default_factory=dict)
    links: dict[str, tuple[str, ...] | None] = field(default_factory=dict)   # None: not reusable
    reuse: bool = field(default_factory=lambda: os.environ.get("ZFXXGK_FRAGMENTS", "1") != "0")
    _asked: list[str] | None = None    # the url filter's arguments while a fragment renders

    def __post_init__(self) -> None:
        url = self.env.filters["url"]

        @pass_context
        def recording_url(context: Any, value: Any) -> str:
            if self._asked is not None:
                self._asked.append(str(value))
            return url(context, value)

        self._url = url
        self.env.filters["url"] = recording_url
        self.env.globals["zf_fragment"] = self.fragment

    @pass_context
    def fragment(self, context: Any, name: str, shows_nav: bool = False, caller: Callable[[], str] = str) -> str:
        """The body of ``{% call zf_fragment(name) %}…{% endcall %}``, reused from an earlier page
        when it is bound to come out the same."""
        page = context.get("page")
        if (not self.reuse or page is None or self.links.get(name, ()) is None or self._asked is not None
                or (shows_nav and not page.file.inclusion.is_not_in_nav())):
            return caller()
        known = self.links.get(name)
        if known is not None and (key := self._key(context, name, known)) in self.html:
            return self.html[key]
        self._asked = []
        try:
            out = caller()
        finally:
            asked, self._asked = tuple(self._asked), None
        if known is None:
            self.links[name] = known = asked
        if asked != known:               # other links on this page: not the same everywhere
            self.links[name] = None
            return out
        self.html[self._key(context, name, asked)] = out
        return out

    def _key(self, context: Any, name: str, links: tuple[str, ...]) -> tuple:
        return (name, context.name, context.get("base_url"), *(self._url(context, link) for link in links))
