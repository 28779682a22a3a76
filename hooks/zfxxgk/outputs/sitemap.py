"""sitemap.xml (every published page, 发布日期 as lastmod) and robots.txt.

Pages are recorded as MkDocs renders them, so a withheld document (never in
``Files``) cannot appear. The output is sorted and carries no build time.
"""
from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from xml.sax.saxutils import escape

from zfxxgk.pages.site import PageInfo, PageKind

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"


@dataclass
class SitemapEntries:
    lastmod: dict[str, dt.date | None] = field(default_factory=dict)    # site-relative URL -> lastmod

    def add(self, url: str, info: PageInfo | None, newest: dt.date | None) -> None:
        self.lastmod[url] = page_lastmod(info, newest)


def page_lastmod(info: PageInfo | None, newest: dt.date | None) -> dt.date | None:
    """发布日期 of a document; the newest 发布日期 shown on a listing, index or the home page."""
    if info is None:
        return None
    if info.doc is not None:
        return info.doc.published
    if info.listing_page is not None:
        rows = info.listing_page.rows
        return rows[0].published if rows else None
    if info.group_index is not None:
        dates = [l.documents[0].published for l, _ in info.group_index.entries if l.documents]
        return max(dates) if dates else None
    return newest if info.kind == PageKind.HOME else None


def render_sitemap(entries: SitemapEntries, site_url: str) -> str:
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', f'<urlset xmlns="{SITEMAP_NS}">']
    for url in sorted(entries.lastmod):
        day = entries.lastmod[url]
        mod = f"<lastmod>{day.isoformat()}</lastmod>" if day else ""
        lines.append(f"  <url><loc>{escape(site_url + url)}</loc>{mod}</url>")
    lines.append("</urlset>")
    return "\n".join(lines) + "\n"


def render_robots(site_url: str) -> str:
    return f"User-agent: *\nAllow: /\n\nSitemap: {site_url}sitemap.xml\n"


def write(site_dir: str, entries: SitemapEntries, site_url: str) -> None:
    with open(os.path.join(site_dir, "sitemap.xml"), "w", encoding="utf-8", newline="\n") as fh:
        fh.write(render_sitemap(entries, site_url))
    with open(os.path.join(site_dir, "robots.txt"), "w", encoding="utf-8", newline="\n") as fh:
        fh.write(render_robots(site_url))
    stale = os.path.join(site_dir, "sitemap.xml.gz")   # MkDocs' own, with a build timestamp
    if os.path.exists(stale):
        os.remove(stale)
