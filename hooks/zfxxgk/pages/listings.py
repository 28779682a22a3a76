"""Catalogue listings: per column (recursive), issuing body, 主题分类, year and tag.

Pure data: which documents go on which static page, newest first, paginated.
Rendering is the templates' job (overrides/listing.html).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from itertools import groupby

from zfxxgk.catalog import urls
from zfxxgk.catalog.terms import Catalogue, Column
from zfxxgk.intake.model import Document


@dataclass
class Listing:
    kind: str                 # column | publisher | theme | year | tag | validity (column: of any agency)
    key: str
    title: str
    base_url: str             # site-relative, ends with "/"
    documents: list[Document]
    description: str = ""
    column: Column | None = None

    @property
    def count(self) -> int:
        return len(self.documents)


@dataclass
class ListingPage:
    listing: Listing
    number: int               # 1-based
    total: int
    rows: list[Document]
    first_row: int            # 1-based position of rows[0] in the listing

    def url_of(self, number: int) -> str:
        return self.listing.base_url if number == 1 else f"{self.listing.base_url}page/{number}/"

    @property
    def url(self) -> str:
        return self.url_of(self.number)

    @property
    def src_uri(self) -> str:
        return self.url + "index.md"

    @property
    def title(self) -> str:
        suffix = f"（第{self.number}页）" if self.number > 1 else ""
        return self.listing.title + suffix

    def pager(self, window: int = 2) -> list[int | None]:
        """Page numbers to show: first, last and a window around this one; None is a gap."""
        wanted = {1, self.total, *range(self.number - window, self.number + window + 1)}
        out: list[int | None] = []
        for n in range(1, self.total + 1):
            if n in wanted:
                out.append(n)
            elif out and out[-1] is not None:
                out.append(None)
        return out


@dataclass
class GroupIndex:
    """An index page of one kind of listing (all issuing bodies, all years ...)."""
    kind: str
    title: str
    url: str
    entries: list[tuple[Listing, int]] = field(default_factory=list)   # (listing, depth)

    @property
    def src_uri(self) -> str:
        return self.url + "index.md"


KIND_INDEX = {  # kind -> (url, title) of its index page
    "publisher": (urls.GROUP_INDEXES["publisher"], "按发布机构浏览"),
    "theme": (urls.GROUP_INDEXES["theme"], "按主题分类浏览"),
    "year": (urls.GROUP_INDEXES["year"], "按年份浏览"),
    "tag": (urls.GROUP_INDEXES["tag"], "按标签浏览"),
}


def paginate(listing: Listing, page_size: int) -> list[ListingPage]:
    docs = listing.documents
    total = max(1, -(-len(docs) // page_size))
    return [ListingPage(listing, n, total, docs[(n - 1) * page_size: n * page_size], (n - 1) * page_size + 1)
            for n in range(1, total + 1)]


def column_listings(catalogue: Catalogue, docs: list[Document]) -> list[Listing]:
    """Every column of every agency, with its documents and those of its sub-columns."""
    by_column: dict[str, list[Document]] = {}
    for doc in docs:   # newest first; each goes to its column and every ancestor, in each issuer's 专栏
        for col in doc.filed_in():
            by_column.setdefault(col.path, []).append(doc)
    return [Listing("column", col.path, col.title, col.url, by_column.get(col.path, []), col.description, col)
            for col in catalogue.all_columns]


def publisher_listings(catalogue: Catalogue, docs: list[Document]) -> list[Listing]:
    groups: dict[str, list[Document]] = {}
    for doc in docs:
        groups.setdefault(doc.publisher, []).append(doc)
    return [Listing("publisher", p.slug, p.name, p.url, groups.get(p.name, [])) for p in catalogue.publishers]


def theme_listings(catalogue: Catalogue, docs: list[Document]) -> list[Listing]:
    groups: dict[str, list[Document]] = {}
    for doc in docs:
        top = doc.theme.name.split("/")[0]
        groups.setdefault(top, []).append(doc)
        if doc.theme.name != top:
            groups.setdefault(doc.theme.name, []).append(doc)
    return [Listing("theme", t.code, t.name.replace("/", " / "), t.url, groups[t.name])
            for t in catalogue.themes if t.name in groups]


def year_listings(docs: list[Document]) -> list[Listing]:
    ordered = sorted(docs, key=lambda d: -d.year)
    return [Listing("year", str(year), f"{year}年", urls.YEAR.format(year=year), [d for d in group])
            for year, group in groupby(ordered, key=lambda d: d.year)]


def tag_listings(catalogue: Catalogue, docs: list[Document]) -> list[Listing]:
    groups: dict[str, list[Document]] = {}
    for doc in docs:
        for tag in doc.tags:
            groups.setdefault(tag, []).append(doc)
    return [Listing("tag", t.slug, t.name, t.url, groups.get(t.name, [])) for t in catalogue.tags]


# The two lists real sites keep for columns whose documents carry 有效性 (规章, 行政规范性文件):
# slug, title, and whether they hold the documents in force.
VALIDITY_LISTS = (("xxyx", "现行有效", True), ("fzhsx", "废止和失效", False))


def validity_listings(catalogue: Catalogue, docs: list[Document]) -> list[Listing]:
    """现行有效 and 废止和失效 under each requires_validity column, by validity as of the build date."""
    out = []
    columns = [col for col in catalogue.all_columns if col.requires_validity]
    under = _documents_under({col.path for col in columns}, docs)
    for col in columns:
        inside = under.get(col.path, [])
        for slug, label, in_force in VALIDITY_LISTS:
            wanted = catalogue.validity.in_force if in_force else catalogue.validity.void
            out.append(Listing("validity", f"{col.path}/{slug}", f"{col.title}（{label}）", f"{col.url}{slug}/",
                               [d for d in inside if d.validity in wanted], column=col))
    return out


def _documents_under(paths: set[str], docs: list[Document]) -> dict[str, list[Document]]:
    """For each column path in ``paths``, the documents filed in it or below, in ``docs``' order: one
    pass over the documents, not one per column (a platform of 60 agencies has 120 such columns)."""
    under: dict[str, list[Document]] = {}
    for doc in docs:
        found = set()
        for column in doc.columns:
            parts = column.path.split("/")
            found.update(p for p in ("/".join(parts[:n]) for n in range(1, len(parts) + 1)) if p in paths)
        for path in found:
            under.setdefault(path, []).append(doc)
    return under


def build(catalogue: Catalogue, published: list[Document]) -> tuple[list[Listing], list[GroupIndex]]:
    """All listings of the published documents (already newest first) and their index pages."""
    listings = (column_listings(catalogue, published) + publisher_listings(catalogue, published)
                + theme_listings(catalogue, published) + year_listings(published)
                + tag_listings(catalogue, published) + validity_listings(catalogue, published))
    indexes = []
    for kind, (url, title) in KIND_INDEX.items():
        entries = [(l, l.key.count("/")) for l in listings if l.kind == kind]
        indexes.append(GroupIndex(kind, title, url, entries))
    return listings, indexes
