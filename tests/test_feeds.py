"""Atom feeds: the whole site and each column, latest 50 published documents, valid RFC 4287."""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from _furniture_helpers import SITE_URL, corpus_of, head
from zfxxgk.outputs import feeds

A = "{http://www.w3.org/2005/Atom}"
RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")


def parse(path):
    root = ET.parse(path).getroot()
    assert root.tag == A + "feed"
    return root


def assert_valid_atom(root):
    """The RFC 4287 must-haves: feed id/title/updated/author/self link; entry id/title/updated/alternate link."""
    assert root.findtext(A + "id", "").startswith(SITE_URL)
    assert root.findtext(A + "title")
    assert RFC3339.match(root.findtext(A + "updated", ""))
    assert root.find(A + "author/" + A + "name").text
    assert any(l.get("rel") == "self" for l in root.findall(A + "link"))
    ids = []
    for entry in root.findall(A + "entry"):
        ids.append(entry.findtext(A + "id"))
        assert entry.findtext(A + "title")
        assert RFC3339.match(entry.findtext(A + "updated", ""))
        assert entry.find(A + "link").get("href", "").startswith(SITE_URL)
    assert len(ids) == len(set(ids)), "entry ids must be unique"


def test_site_feed_lists_published_documents_newest_first(example_site):
    cat, corpus = corpus_of(example_site.site.parent)
    root = parse(example_site.site / "feed.xml")
    assert_valid_atom(root)
    titles = [e.findtext(A + "title") for e in root.findall(A + "entry")]
    assert titles == [d.title for d in corpus.published][:feeds.LATEST]
    dates = [e.findtext(A + "updated") for e in root.findall(A + "entry")]
    assert dates == sorted(dates, reverse=True)
    assert root.findtext(A + "updated") == dates[0]


def test_the_site_feed_by_hand(example_site):
    """Written from the example content's front matter: 18 published documents, the newest two first."""
    root = parse(example_site.site / "feed.xml")
    entries = root.findall(A + "entry")
    assert len(entries) == 18
    assert [e.findtext(A + "title") for e in entries[:2]] == ["城关镇2025年政务公开工作要点", "关于徐泾镇2023年政务公开工作要点"]
    assert entries[0].findtext(A + "updated").startswith("2025-03-12T")
    assert "冠县人民政府办公室关于申请追加政务公开体验区运营经费的请示" not in (example_site.site / "feed.xml").read_text(
        encoding="utf-8")


def test_every_column_has_a_valid_feed_of_its_own_documents(example_site):
    cat, corpus = corpus_of(example_site.site.parent)
    for column in cat.all_columns:
        root = parse(example_site.site / column.url / "feed.xml")
        assert_valid_atom(root)
        terms = [c.get("term") for c in root.findall(f"{A}entry/{A}category")]
        expected = [d.column_obj.title_path for d in corpus.published   # a joint document: in each issuer's 专栏
                    if column in d.filed_in()][:feeds.LATEST]
        assert terms == expected, column.path


def test_withheld_documents_are_in_no_feed(example_site):
    cat, corpus = corpus_of(example_site.site.parent)
    assert corpus.withheld, "the example site must contain withheld documents for this test to mean anything"
    text = "".join(p.read_text(encoding="utf-8") for p in example_site.site.rglob("feed.xml"))
    for doc in corpus.withheld:
        assert doc.title not in text and doc.index_no not in text


def test_a_feed_keeps_only_the_latest_fifty():
    from pathlib import Path
    cat, corpus = corpus_of(Path(__file__).resolve().parent.parent)
    many = sorted(corpus.published * 20, key=lambda d: d.sort_key())
    site_feed = feeds.feeds(cat, many, "示例县人民政府", {})[0]   # the site feed alone: no agency's documents
    assert len(site_feed.documents) == 50
    root = ET.fromstring(feeds.render(site_feed, SITE_URL, "示例县人民政府", "2020-01-01T00:00:00+08:00"))
    assert len(root.findall(A + "entry")) == 50


def test_pages_link_their_feeds(example_site):
    # rel="alternate feed": feed readers see "alternate"; Material's exact [rel=alternate] language
    # switcher does not, so it never downloads sitemap.xml on every page load.
    def alternates(rel_path):
        return [l["href"] for l in head(example_site.site / rel_path).links
                if "alternate" in l.get("rel", "").split() and l.get("type") == "application/atom+xml"]
    assert alternates("index.html") == ["feed.xml"]
    assert alternates("zfxxgknb/index.html") == ["../feed.xml", "feed.xml"]
    cat, corpus = corpus_of(example_site.site.parent)
    doc = corpus.published[0]
    links = alternates(doc.url + "index.html")
    assert links[0] == "../../feed.xml" and links[1].endswith(doc.column_obj.url + "feed.xml")
