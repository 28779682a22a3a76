"""The site model: what the hooks publish, and what each page's template receives.

``Site`` loads the catalogues and the documents, decides which files MkDocs
may see (withheld documents and their files never enter ``Files``), adds the
generated listing pages, and answers the template context of every page.
"""
from __future__ import annotations

import html
import os
from enum import StrEnum
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files, InclusionLevel

from zfxxgk.catalog import agencies as agencies_mod
from zfxxgk.catalog import terms as catalogue_mod
from zfxxgk.catalog import urls
from zfxxgk.pages import generated as extras_mod
from zfxxgk.pages import citizens, layout
from zfxxgk.pages import listings as listings_mod
from zfxxgk.catalog.settings import SiteSettings
from zfxxgk.catalog.terms import Catalogue, Column
from zfxxgk.intake.documents import Corpus, load_corpus
from zfxxgk.pages.listings import GroupIndex, Listing, ListingPage
from zfxxgk.intake.model import Document
from zfxxgk.publication.gate import Gate, SitePaths
from zfxxgk.intake import expiry

# Fields of the gov.cn-style metadata table, in its order: two label/value pairs a line,
# the title on a line of its own. The TABLE_OPTIONAL fields print only when set.
TABLE_FIELDS = ("index_no", "category", "publisher", "written", "title", "doc_no", "published", "keywords", "validity",
                "attribute", "valid_until", "unified_no")
TABLE_WIDE = ("title",)
TABLE_OPTIONAL = ("valid_until", "unified_no")
AGENCIES_TITLE = "机构专栏"


class PageKind(StrEnum):
    """What a page is; templates compare ``zf.info.kind`` with these values."""
    HOME = "home"
    DOCUMENT = "document"
    COLUMN = "column"             # a column's listing (its first page is the column page)
    LISTING = "listing"           # by publisher, theme, year, tag or validity
    INDEX = "index"               # the index of one listing kind (all publishers, all years ...)
    GENERATED = "generated"       # data pages: 决策目录 year, 年报, 标准目录, 意见征集
    AGENCY = "agency"
    AGENCIES = "agencies"
    SEARCH = "search"
    PAGE = "page"                 # hand-written Markdown


@dataclass
class PageInfo:
    kind: PageKind
    template: str | None = None
    title: str | None = None
    doc: Document | None = None
    listing_page: ListingPage | None = None
    group_index: GroupIndex | None = None
    column: Column | None = None
    data: Any = None                       # generated pages: the decision year, report, item catalogue


@dataclass
class Site:
    config_dir: Path
    docs_dir: Path
    catalogue: Catalogue
    corpus: Corpus = field(default_factory=Corpus)
    listings: list[Listing] = field(default_factory=list)
    indexes: list[GroupIndex] = field(default_factory=list)
    pages: dict[str, PageInfo] = field(default_factory=dict)
    extras: "extras_mod.Extras | None" = None   # relations, attachments, generated data pages
    gate: Gate | None = None                     # decides what under content/ is published
    paths: SitePaths = field(default_factory=SitePaths)

    @classmethod
    def from_config(cls, config: MkDocsConfig) -> "Site":
        config_dir = Path(config.config_file_path).parent
        return cls(config_dir, Path(config.docs_dir), catalogue_mod.load(config_dir / "catalog"),
                   site_url=config.site_url or "")

    site_url: str = ""

    @property
    def settings(self) -> SiteSettings:
        return self.catalogue.settings

    def load(self) -> Corpus:
        """Classify content/ (the gate), validate the documents, decide what is published."""
        self.gate = Gate(self.docs_dir, self.catalogue, self.config_dir, self.site_url)
        survey = self.gate.classify()
        self.corpus = load_corpus(self.docs_dir, self.catalogue, self.config_dir, files=survey.documents, surveyed=True)
        self.corpus.problems.extend(survey.problems)
        self.extras = extras_mod.load(self.docs_dir, self.catalogue, self.corpus)   # sets validity as of today
        self.gate.decide(self.corpus.documents, self.corpus.published)
        self.gate.approve_attachments(self.corpus.published)
        self.listings, self.indexes = listings_mod.build(self.catalogue, self.corpus.published)
        return self.corpus

    def summary(self) -> str:
        withheld = self.corpus.withheld
        counts = "，".join(f"{a} {sum(d.attribute == a for d in withheld)} 篇"
                          for a in self.catalogue.attributes if not self.catalogue.publishable(a))
        return f"政府信息公开：发布 {len(self.corpus.published)} 篇文件；按公开属性不发布 {len(withheld)} 篇（{counts}）"

    # --- files -------------------------------------------------------------
    def adjust_files(self, files: Files, config: MkDocsConfig) -> Files:
        """Keep of content/ only what the gate admits; place document pages; add listings."""
        docs_dir = os.path.abspath(self.docs_dir)
        self.paths = SitePaths()
        for file in list(files):
            if not file.abs_src_path or not os.path.abspath(file.abs_src_path).startswith(docs_dir + os.sep):
                continue   # theme files and generated pages
            kind = self.gate.kind(file.src_uri)
            if kind is None or (kind == "asset") == file.is_documentation_page():
                files.remove(file)
                continue
            if kind == "document":
                doc = self.gate.published[self.gate._key(file.src_uri)]
                self._place(file, doc.url)
                self.pages[file.src_uri] = PageInfo(PageKind.DOCUMENT, "document.html", doc.title, doc=doc)
            self.paths.add(file.src_uri, file.dest_uri)
        self._add_listing_pages(files, config)
        self._add_generated_pages(files, config)
        self._add_agency_pages(files, config)
        if files.get_file_from_path("index.md") is None:
            files.append(File.generated(config, "index.md", content=""))
        self.pages.setdefault("index.md", PageInfo(PageKind.HOME, "home.html", layout.HOME_TITLE))
        self.pages["index.md"].kind, self.pages["index.md"].template = PageKind.HOME, "home.html"
        return files

    @staticmethod
    def _place(file: File, url: str) -> None:
        file.dest_uri = url + "index.html"
        file.url = url
        file.abs_dest_path = os.path.normpath(os.path.join(file.dest_dir, file.dest_uri))
        file.inclusion = InclusionLevel.NOT_IN_NAV

    def prune_assets(self, files: Files) -> list[str]:
        """Remove every file of content/ no published page uses (before MkDocs copies anything)."""
        dropped = []
        for file in list(files):
            if self.gate.kind(file.src_uri) == "asset" and file.abs_src_path and \
                    not self.gate.is_approved(file.src_uri) and self.paths.dest_of.get(file.src_uri) is not None:
                files.remove(file)
                dropped.append(file.src_uri)
        return dropped

    def _add_listing_pages(self, files: Files, config: MkDocsConfig) -> None:
        page_size = self.catalogue.settings.page_size
        for listing in self.listings:
            for page in listings_mod.paginate(listing, page_size):
                kind = PageKind.COLUMN if listing.kind == "column" else PageKind.LISTING
                info = PageInfo(kind, "listing.html", page.title, listing_page=page, column=listing.column)
                existing = files.get_file_from_path(page.src_uri)
                if existing is None:
                    files.append(File.generated(config, page.src_uri, content="",
                                                inclusion=self._inclusion(listing, page)))
                else:
                    info.template, info.title = "column.html", None   # hand-written column page + listing
                self.pages[page.src_uri] = info
        for index in self.indexes:
            files.append(File.generated(config, index.src_uri, content="", inclusion=InclusionLevel.NOT_IN_NAV))
            self.pages[index.src_uri] = PageInfo(PageKind.INDEX, "group-index.html", index.title, group_index=index)

    def _add_generated_pages(self, files: Files, config: MkDocsConfig) -> None:
        for page in self.extras.pages():
            files.append(File.generated(config, page.src_uri, content="", inclusion=InclusionLevel.NOT_IN_NAV))
            self.pages[page.src_uri] = PageInfo(PageKind.GENERATED, page.template, page.title,
                                                column=self.catalogue.column_by_path[page.column], data=page.data)

    def _add_agency_pages(self, files: Files, config: MkDocsConfig) -> None:
        """Each agency's 专栏 home (zl/<slug>/) and the platform's directory of agencies (zl/)."""
        if len(self.catalogue.agencies) == 1:
            return   # a single-agency site: its 专栏 is the site itself
        pages = [(urls.AGENCY_INDEX + "index.md", PageInfo(PageKind.AGENCIES, "agencies.html", AGENCIES_TITLE))]
        pages += [(a.url + "index.md", PageInfo(PageKind.AGENCY, "agency.html", f"{a.name} 政府信息公开", data=a))
                  for a in self.catalogue.agencies if not a.primary]
        for src, info in pages:
            files.append(File.generated(config, src, content="", inclusion=InclusionLevel.NOT_IN_NAV))
            self.pages[src] = info

    def _inclusion(self, listing: Listing, page: ListingPage) -> InclusionLevel:
        """The nav is the 本级政府's column tree; other agencies' columns are reached from their 专栏."""
        in_nav = listing.kind == "column" and page.number == 1 and listing.column.agency == self.catalogue.primary.slug
        return InclusionLevel.UNDEFINED if in_nav else InclusionLevel.NOT_IN_NAV

    # --- pages ---------------------------------------------------------------
    def info(self, src_uri: str) -> PageInfo | None:
        return self.pages.get(src_uri)

    def page_meta(self, src_uri: str, meta: dict[str, Any]) -> dict[str, Any]:
        """Front matter MkDocs and Material see: our title and template, escaped.

        Material prints ``page.meta.title`` and ``page.meta.description`` into
        HTML unescaped, so they are escaped here, once, for every page.
        """
        info = self.pages.get(src_uri)
        out = dict(meta)
        if info is not None:
            out = {k: v for k, v in meta.items() if k in ("title", "description", "hide")}   # the site picks templates
            if info.title:
                out["title"] = info.title
            if info.template:
                out["template"] = info.template
            if info.doc is not None and info.doc.summary:
                out["description"] = info.doc.summary
        for key in ("title", "description"):
            if key in out:
                out[key] = html.escape(str(out[key]), quote=True)
        return out

    def context(self, src_uri: str) -> dict[str, Any]:
        info = self.pages.get(src_uri) or PageInfo(PageKind.PAGE)
        column = info.column or (info.doc.column_obj if info.doc else None)
        agency = self._agency_of(info, column)
        ctx: dict[str, Any] = {
            "info": info, "site": self.settings, "catalogue": self.catalogue, "agency": agency,
            "crumbs": layout.column_crumbs(column, agency), "columns": agency.columns,
        }
        if column is not None and column.type == citizens.GUIDE_TYPE:   # the 指南 prints where to apply (条例 art.12)
            ctx["contact"] = agency.contact.rows()
        if info.doc is not None:
            ctx["rows"] = self.metadata_rows(info.doc)
            ctx["meta_lines"] = metadata_lines(ctx["rows"])
            ctx["marker"] = self.catalogue.marker(info.doc.attribute)
            ctx.update(self.extras.doc_context(info.doc))
        if info.listing_page is not None:   # 规范性文件 listings show the 统一编号
            ctx["unified_no_column"] = expiry.normative_column(info.listing_page.listing.column)
        if info.kind == PageKind.COLUMN and column is not None:
            ctx["subcolumns"] = [self._listing("column", c.path) for c in column.children]
            ctx["subcolumns"] += [l for l in self.listings if l.kind == "validity" and l.column is column]
            ctx["pages"] = self.extras.column_links(column.path)
        if info.kind in (PageKind.HOME, PageKind.AGENCY):
            ctx["top_listings"] = [self._listing("column", c.path) for c in agency.columns]
        if info.kind == PageKind.HOME:
            ctx["latest"] = self.corpus.published[: self.catalogue.settings.home_latest]
            ctx["indexes"] = self.indexes
        if info.kind == PageKind.AGENCY:
            ctx["latest"] = self.agency_docs[agency.slug][: self.catalogue.settings.home_latest]
            ctx["pages"] = [p for p in self.extras.pages() if p.url.startswith(agency.url)]
        if info.kind in (PageKind.HOME, PageKind.AGENCIES) and len(self.catalogue.agencies) > 1:
            ctx["directory"], ctx["directory_url"] = self.directory(), urls.AGENCY_INDEX
        return ctx

    def _agency_of(self, info: PageInfo, column: Column | None):
        """Whose 专栏 a page is in: its column's agency, an agency page's own, else the 本级政府's."""
        if info.kind == PageKind.AGENCY:
            return info.data
        if column is not None:
            return self.catalogue.agency_by_slug[column.agency]
        return self.catalogue.primary

    @cached_property
    def agency_docs(self) -> dict[str, list[Document]]:
        """Each agency's published documents, newest first (joint ones in each issuer's)."""
        out: dict[str, list[Document]] = {a.slug: [] for a in self.catalogue.agencies}
        for doc in self.corpus.published:
            for agency in doc.agencies:
                out[agency.slug].append(doc)
        return out

    def directory(self) -> list[tuple[str, list[AgencyEntry]]]:
        """The platform's agencies by kind (catalog/agencies.py KINDS), each with its count and latest date."""
        out = []
        for kind in agencies_mod.KINDS:
            entries = [AgencyEntry(a, len(docs := self.agency_docs[a.slug]), docs[0].published if docs else None)
                       for a in self.catalogue.agencies if a.kind == kind]
            if entries:
                out.append((kind, entries))
        return out

    def _listing(self, kind: str, key: str) -> Listing:
        return self.listing_by_key[(kind, key)]

    @cached_property
    def listing_by_key(self) -> dict[tuple[str, str], Listing]:
        return {(l.kind, l.key): l for l in self.listings}

    def metadata_rows(self, doc: Document) -> list[MetaRow]:
        """Labelled rows of the metadata table; empty values print as blank cells, unset optional ones not at all."""
        rows = []
        for key in TABLE_FIELDS:
            value = doc.validity if key == "validity" else doc.meta.get(key, "")   # as of the build date
            if isinstance(value, list):
                value = "、".join(value)
            elif hasattr(value, "isoformat"):
                value = value.isoformat()
            if key in TABLE_OPTIONAL and not value:
                continue
            rows.append(MetaRow(key, self.catalogue.field_by_key[key].name, str(value)))
        return rows


@dataclass(frozen=True)
class AgencyEntry:
    """One line of the directory of agencies."""
    agency: agencies_mod.Agency
    count: int
    latest: Any   # date of its newest document, None when it has none


@dataclass(frozen=True)
class MetaRow:
    key: str      # canonical field key (catalog/fields.yml)
    label: str    # the field's Chinese name
    text: str


def metadata_lines(rows: list[MetaRow]) -> list[list[MetaRow]]:
    """The table's lines in the gov.cn layout: pairs of rows, a wide field alone on its line."""
    lines: list[list[MetaRow]] = []
    for row in rows:
        if row.key in TABLE_WIDE or not lines or len(lines[-1]) == 2 or lines[-1][0].key in TABLE_WIDE:
            lines.append([row])
        else:
            lines[-1].append(row)
    return lines
