"""Shared helpers of the page-furniture tests: the example corpus and HTML parsing."""
from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

from zfxxgk.catalog import terms as catalogue_mod
from zfxxgk.intake.documents import load_corpus

SITE_URL = "https://www.example.gov.cn/zfxxgk/"


def corpus_of(project_root: Path):
    cat = catalogue_mod.load(project_root / "catalog")
    return cat, load_corpus(project_root / "content", cat, project_root)


class HeadParser(HTMLParser):
    """The <html lang>, named <meta> tags and <link> tags of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.lang: str | None = None
        self.meta: dict[str, list[str]] = {}
        self.links: list[dict[str, str]] = []

    def handle_starttag(self, tag, attrs):
        a = {k: v or "" for k, v in attrs}
        if tag == "html":
            self.lang = a.get("lang")
        elif tag == "meta" and "name" in a:
            self.meta.setdefault(a["name"], []).append(a.get("content", ""))
        elif tag == "link":
            self.links.append(a)


def head(path: Path) -> HeadParser:
    parser = HeadParser()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser
