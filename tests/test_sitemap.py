"""sitemap.xml lists every published page with its 发布日期 as lastmod; robots.txt points to it."""
from __future__ import annotations

import xml.etree.ElementTree as ET

from _furniture_helpers import SITE_URL, corpus_of

NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def sitemap(site):
    root = ET.parse(site / "sitemap.xml").getroot()
    return {u.findtext(NS + "loc"): u.findtext(NS + "lastmod") for u in root.findall(NS + "url")}


def test_every_built_page_is_listed(example_site):
    rels = [p.parent.relative_to(example_site.site).as_posix() for p in example_site.site.rglob("index.html")]
    pages = {SITE_URL + ("" if rel == "." else rel + "/") for rel in rels}
    assert set(sitemap(example_site.site)) == pages


def test_documents_carry_their_publication_date(example_site):
    cat, corpus = corpus_of(example_site.site.parent)
    entries = sitemap(example_site.site)
    for doc in corpus.published:
        assert entries[SITE_URL + doc.url] == doc.published.isoformat()
    assert entries[SITE_URL] == corpus.published[0].published.isoformat()


def test_withheld_documents_are_not_listed(example_site):
    cat, corpus = corpus_of(example_site.site.parent)
    text = (example_site.site / "sitemap.xml").read_text(encoding="utf-8")
    for doc in corpus.withheld:
        assert doc.url not in text


def test_robots_txt_names_the_sitemap(example_site):
    robots = (example_site.site / "robots.txt").read_text(encoding="utf-8")
    assert "User-agent: *" in robots
    assert f"Sitemap: {SITE_URL}sitemap.xml" in robots


def test_no_timestamped_gzip_copy(example_site):
    assert not (example_site.site / "sitemap.xml.gz").exists()


def test_a_second_build_writes_identical_sitemap_and_feeds(example_site, make_project):
    def outputs(site):
        files = sorted(site.rglob("feed.xml")) + [site / "sitemap.xml", site / "robots.txt"]
        return {f.relative_to(site): f.read_bytes() for f in files}
    project = make_project()
    assert project.build().ok
    assert outputs(project.site) == outputs(example_site.site)
