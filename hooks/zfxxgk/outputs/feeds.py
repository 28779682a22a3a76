"""Atom feeds (RFC 4287): the whole site and each column, latest 50 published documents.

Only ``corpus.published`` is read, so withheld documents never reach a feed.
Dates come from 发布日期 (China Standard Time), so builds are reproducible.
"""
from __future__ import annotations

import datetime as dt
import os
import xml.etree.ElementTree as ET
from dataclasses import dataclass

from zfxxgk.catalog.terms import Catalogue, Column
from zfxxgk.intake.model import Document

ATOM = "http://www.w3.org/2005/Atom"
FEED_FILE = "feed.xml"
LATEST = 50
CST = dt.timezone(dt.timedelta(hours=8))

ET.register_namespace("", ATOM)


@dataclass(frozen=True)
class Feed:
    path: str                  # site-relative path of the feed file
    title: str
    page_url: str              # site-relative URL of the HTML page the feed mirrors
    documents: list[Document]


def column_feed_path(column: Column) -> str:
    return column.url + FEED_FILE


def feeds(catalogue: Catalogue, published: list[Document], agency: str,
          by_agency: dict[str, list[Document]]) -> list[Feed]:
    """The site feed, one per agency's 专栏 (``by_agency``: Site.agency_docs, newest first) and one per
    column (a column's feed includes its sub-columns)."""
    out = [Feed(FEED_FILE, f"{agency} 政府信息公开", "", published[:LATEST])]
    for a in catalogue.agencies[1:]:
        out.append(Feed(a.url + FEED_FILE, f"{a.name} 政府信息公开", a.url, by_agency.get(a.slug, [])[:LATEST]))
    by_column: dict[str, list[Document]] = {}
    for doc in published:       # newest first, so the first LATEST of each column are the latest
        for col in doc.filed_in():
            bucket = by_column.setdefault(col.path, [])
            if len(bucket) < LATEST:
                bucket.append(doc)
    for col in catalogue.all_columns:
        owner = catalogue.agency_by_slug[col.agency]
        name = agency if owner.primary else owner.name
        out.append(Feed(column_feed_path(col), f"{name} 政府信息公开 - {' / '.join(col.titles)}",
                        col.url, by_column.get(col.path, [])))
    return out


def timestamp(day: dt.date) -> str:
    return dt.datetime.combine(day, dt.time(), CST).isoformat()


def fallback_updated() -> str:
    """For a site with no document at all: SOURCE_DATE_EPOCH, else the epoch."""
    epoch = int(os.environ.get("SOURCE_DATE_EPOCH", "0") or 0)
    return dt.datetime.fromtimestamp(epoch, dt.timezone.utc).isoformat()


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    el = ET.SubElement(parent, f"{{{ATOM}}}{tag}", attrs)
    if text is not None:
        el.text = text
    return el


def _entry(feed_el: ET.Element, doc: Document, site_url: str) -> None:
    entry = _sub(feed_el, "entry")
    url = site_url + doc.url
    _sub(entry, "id", url)
    _sub(entry, "title", doc.title)
    _sub(entry, "link", href=url, rel="alternate", type="text/html")
    _sub(entry, "published", timestamp(doc.published))
    _sub(entry, "updated", timestamp(doc.published))
    author = _sub(entry, "author")
    _sub(author, "name", doc.publisher)
    _sub(entry, "category", term=doc.column_obj.title_path, label=doc.column_obj.title)
    facts = [f"索引号：{doc.index_no}"] + ([f"文号：{doc.doc_no}"] if doc.doc_no else []) + [f"发布机构：{doc.publisher}"]
    summary = "；".join(facts) + (f"。{doc.summary}" if doc.summary else "")
    _sub(entry, "summary", summary, type="text")


def render(feed: Feed, site_url: str, agency: str, site_updated: str) -> bytes:
    """One feed as UTF-8 Atom XML; ``site_url`` ends with "/"."""
    root = ET.Element(f"{{{ATOM}}}feed", {"xml:lang": "zh-CN"})
    _sub(root, "id", site_url + feed.path)
    _sub(root, "title", feed.title)
    _sub(root, "updated", timestamp(feed.documents[0].published) if feed.documents else site_updated)
    _sub(root, "link", href=site_url + feed.path, rel="self", type="application/atom+xml")
    _sub(root, "link", href=site_url + feed.page_url, rel="alternate", type="text/html")
    author = _sub(root, "author")
    _sub(author, "name", agency)
    _sub(root, "generator", "政府信息公开平台")
    for doc in feed.documents:
        _entry(root, doc, site_url)
    ET.indent(root)
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="utf-8", xml_declaration=False) + b"\n"


def write_all(site_dir: str, catalogue: Catalogue, published: list[Document], site_url: str, agency: str,
              by_agency: dict[str, list[Document]]) -> int:
    site_updated = timestamp(published[0].published) if published else fallback_updated()
    all_feeds = feeds(catalogue, published, agency, by_agency)
    for feed in all_feeds:
        path = os.path.join(site_dir, *feed.path.split("/"))
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as fh:
            fh.write(render(feed, site_url, agency, site_updated))
    return len(all_feeds)
