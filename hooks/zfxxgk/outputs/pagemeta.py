"""The page meta tags of 《政府网站网页设计规范》 (国办发〔2017〕47号).

Site tags on every page; column tags on column pages (and on the documents of
a column); article tags on document pages. Values go out as (name, content)
pairs; the template escapes them.
"""
from __future__ import annotations

from urllib.parse import urlsplit

from zfxxgk.catalog.settings import SiteSettings
from zfxxgk.catalog.terms import Column
from zfxxgk.intake.model import Document
from zfxxgk.pages.site import PageKind

Meta = list[tuple[str, str]]


def site_domain(site_url: str) -> str:
    return urlsplit(site_url or "").hostname or ""


def site_tags(settings: SiteSettings, site_url: str) -> Meta:
    return [("SiteName", settings.agency.strip()), ("SiteDomain", site_domain(site_url)),
            ("SiteIDCode", settings.footer.site_code)]


def column_tags(column: Column) -> Meta:
    out = [("ColumnName", column.title)]
    if column.description:
        out.append(("ColumnDescription", column.description))
    out.append(("ColumnType", column.type or column.title))
    return out


def article_tags(doc: Document, url: str) -> Meta:
    """ArticleTitle, PubDate (YYYY-MM-DD HH:MM), ContentSource required; the rest optional."""
    return [
        ("ArticleTitle", doc.title),
        ("PubDate", f"{doc.published.isoformat()} 00:00"),
        ("ContentSource", doc.publisher),
        ("Keywords", ",".join(doc.keywords)),
        ("Author", doc.publisher),
        ("Description", doc.summary or doc.title),
        ("Url", url),
    ]


def tags(settings: SiteSettings, site_url: str, kind: PageKind, column: Column | None,
         doc: Document | None, url: str) -> Meta:
    """All 47号 tags of one page."""
    out = site_tags(settings, site_url)
    if column is not None and kind in (PageKind.COLUMN, PageKind.DOCUMENT):
        out += column_tags(column)
    if doc is not None:
        out += article_tags(doc, url)
    return out
