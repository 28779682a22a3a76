"""The publication gate: the one place that decides what under ``content/`` reaches the site.

Every file under ``content/`` is classified before MkDocs sees it, whatever
its folder, letter case or link:

* a **document**: any Markdown file under ``documents/``, and any other
  Markdown file whose front matter names a document field or anything like
  公开属性 (any spelling). It is validated as a document; only a valid one whose
  公开属性 publishes becomes a page.
* a **page**: only what the site declares as one (the home page, a column's
  ``index.md``, ``pages:`` in catalog/site.yml), with no front matter beyond
  ``title``, ``description`` and ``hide``.
* **data**: the editors' YAML (decision catalogues, annual reports): read by the
  build, never copied.
* an **asset**: any other file, copied only if the rendered, sanitized HTML of a
  published page references it, or a published document lists it as an attachment.

Anything the gate cannot classify (a stray Markdown file, ``.MD``, Markdown
reached through a symlink, a file resolving outside ``content/``, bytes that are
not UTF-8) is a build error, never a page. Everything downstream asks the gate;
what it has not approved is removed from MkDocs' ``Files`` before anything is
written.
"""
from __future__ import annotations

import os
import time
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable
from urllib.parse import quote

from zfxxgk.publication import references
from zfxxgk.catalog.terms import Catalogue
from zfxxgk.catalog import urls
from zfxxgk.intake.documents import shown_path, slug
from zfxxgk.intake.frontmatter import split
from zfxxgk.intake.model import Document
from zfxxgk.catalog.problems import Problem

MARKDOWN_SUFFIXES = (".md", ".markdown", ".mdown", ".mkdn", ".mkd")   # what MkDocs would render as pages
PAGE_KEYS = frozenset({"title", "description", "hide"})
_ATTRIBUTE_HINTS = ("属性", "屬性", "attribute", "公开", "公開")


def _norm(text: str) -> str:
    """A key as compared: NFKC, case-folded, without white space or punctuation."""
    text = unicodedata.normalize("NFKC", str(text)).casefold()
    return "".join(ch for ch in text if ch.isalnum())


@dataclass
class Survey:
    """Every file under content/, classified."""
    documents: list[Path] = field(default_factory=list)
    pages: set[str] = field(default_factory=set)
    data: set[str] = field(default_factory=set)
    assets: set[str] = field(default_factory=set)
    problems: list[Problem] = field(default_factory=list)


@dataclass
class Gate:
    docs_dir: Path
    catalogue: Catalogue
    project_root: Path
    site_url: str = ""
    survey: Survey = field(default_factory=Survey)
    published: dict[str, Document] = field(default_factory=dict)    # src -> document
    withheld: dict[str, Document] = field(default_factory=dict)
    approved: set[str] = field(default_factory=set)                 # assets a published page uses
    problems: list[Problem] = field(default_factory=list)           # found while reading pages
    ignore_case: bool = False
    seconds: float = 0.0                                            # time spent deciding (for the build log)
    _withheld_urls: tuple[int, dict[str, Document]] | None = None

    # --- classify ------------------------------------------------------------------
    def classify(self) -> Survey:
        started = time.perf_counter()
        try:
            return self._classify()
        finally:
            self.seconds += time.perf_counter() - started

    def _classify(self) -> Survey:
        self.ignore_case = _fs_ignores_case(self.docs_dir)
        self.real_docs = self.docs_dir.resolve()   # once, not per file (100,000 lstat chains)
        declared = {self._key(p) for p in self.declared_pages()}
        data = {self._key(f"{folder}/{p.name}") for agency in self.catalogue.agencies
                for folder in (agency.folder(urls.DECISIONS_DIR), agency.folder(urls.REPORTS_DIR))
                for p in sorted((self.docs_dir / folder).glob("*.yml"))}
        survey = Survey()
        for path, real in _walk(self.docs_dir):
            src = path.relative_to(self.docs_dir).as_posix()
            if any(part.startswith(".") for part in src.split("/")):
                continue   # MkDocs never reads dot-files; nothing to publish or refuse
            self._classify_one(path, Path(real), src, declared, data, survey)
        survey.documents.sort()
        self.survey = survey
        return survey

    def declared_pages(self) -> list[str]:
        pages = ["index.md"] + [c.url + "index.md" for c in self.catalogue.all_columns]
        return pages + list(self.catalogue.settings.pages)

    def _classify_one(self, path: Path, real: Path, src: str, declared: set[str], data: set[str],
                      survey: Survey) -> None:
        shown = shown_path(path, self.project_root)
        if not real.is_relative_to(self.real_docs):
            survey.problems.append(Problem(shown, None, None, f"文件解析到 content/ 之外（{real}），可能是符号链接；"
                                                              f"只能发布 content/ 内的文件"))
            return
        suffix = os.path.splitext(src)[1]
        if suffix.lower() not in MARKDOWN_SUFFIXES:
            if self._key(src) in data:
                survey.data.add(src)
            else:
                survey.assets.add(src)
            return
        if suffix != ".md":
            survey.problems.append(Problem(shown, None, None, f"Markdown 文件的扩展名须为小写 .md，发现“{suffix}”；"
                                                              f"请改名为 {os.path.splitext(path.name)[0]}.md"))
            return
        if real != Path(os.path.abspath(path)):
            survey.problems.append(Problem(shown, None, None, f"Markdown 文件不能通过符号链接发布（指向 {real}）；"
                                                              f"请把文件直接放在 content/ 中"))
            return
        self._classify_markdown(path, src, shown, self._key(src) in declared, survey)

    def _classify_markdown(self, path: Path, src: str, shown: str, declared: bool, survey: Survey) -> None:
        if src.startswith(urls.DOCUMENTS_DIR + "/"):
            survey.documents.append(path)   # validated as a document, whatever it contains (read there)
            return
        try:
            data = path.read_bytes()
        except OSError as exc:
            survey.problems.append(Problem(shown, None, None, f"无法读取文件：{exc.strerror or exc}"))
            return
        keys, problems = self._front_matter_keys(shown, data)
        if problems:
            survey.problems.extend(problems)
        elif self._names_document_field(keys):
            survey.documents.append(path)
        elif not declared:
            survey.problems.append(Problem(
                shown, 1, None, "无法归类的文件：既不是公开文件（前置元数据中没有「公开属性」等文件要素），"
                                "也不是站点声明的页面（首页、栏目的 index.md，或 catalog/site.yml 的 pages）；"
                                "公开文件请放在 content/documents/ 下，页面请在 catalog/site.yml 的 pages 中声明"))
        elif extra := sorted(k for k in keys if k not in PAGE_KEYS):
            survey.problems.append(Problem(
                shown, 1, extra[0], f"页面的前置元数据只允许 {'、'.join(sorted(PAGE_KEYS))}，发现「{extra[0]}」"))
        else:
            survey.pages.add(src)

    @staticmethod
    def _front_matter_keys(shown: str, data: bytes) -> tuple[list[str], list[Problem]]:
        """Keys of the front matter (none without a block); problems if the file cannot be read safely."""
        head = data.lstrip(b"\xef\xbb\xbf")
        if not head.startswith(b"---"):
            try:
                data.decode("utf-8")
            except UnicodeDecodeError as exc:
                line = data[: exc.start].count(b"\n") + 1
                return [], [Problem(shown, line, None, f"文件不是 UTF-8 编码（第 {exc.start + 1} 字节无法解码）；"
                                                       f"请以 UTF-8 编码另存此文件")]
            return [], []
        raw, problems = split(shown, data)
        if raw is None:
            return [], problems
        return [str(e.key) for e in raw.entries], problems

    def _names_document_field(self, keys: Iterable[str]) -> bool:
        known = {_norm(k) for k in self.catalogue.key_for_label} - {_norm(k) for k in PAGE_KEYS}
        for key in keys:
            norm = _norm(key)
            if norm in known or any(h in norm for h in _ATTRIBUTE_HINTS):
                return True
        return False

    # --- decide ----------------------------------------------------------------------
    def decide(self, documents: list[Document], published: list[Document]) -> None:
        """After validation: the published documents are exactly ``published``; every other one is withheld."""
        self.published = {self._key(d.src): d for d in published}
        self.withheld = {self._key(d.src): d for d in documents if self._key(d.src) not in self.published}
        self.approved = set()
        self.problems = []

    def withheld_by_url(self) -> dict[str, Document]:
        """Withheld documents by the URL they would have had (computed once the gate has decided)."""
        if self._withheld_urls is None or self._withheld_urls[0] != len(self.withheld):
            self._withheld_urls = (len(self.withheld), {urls.DOCUMENT.format(slug=slug(d.index_no)).rstrip("/"): d
                                                        for d in self.withheld.values()})
        return self._withheld_urls[1]

    def kind(self, src: str) -> str | None:
        """What a file from content/ is allowed to be in ``Files``: document, page, asset, or None (drop)."""
        key = self._key(src)
        if key in self.published:
            return "document"
        if src in self.survey.pages:
            return "page"
        if src in self.survey.assets:
            return "asset"
        return None

    def approve_attachments(self, docs: Iterable[Document]) -> None:
        for doc in docs:
            base = os.path.dirname(doc.src)
            for item in doc.meta.get("attachments", []) or []:
                for name in (item["file"], item.get("transcript")):   # an audio/video file's 文字稿 too
                    if name:
                        self.approved.add(self._key(os.path.normpath(os.path.join(base, str(name))).replace(os.sep, "/")))

    def is_approved(self, src: str) -> bool:
        return self._key(src) in self.approved

    # --- pages' HTML -------------------------------------------------------------------
    def page_html(self, page_src: str, page_dest: str, markup: str, paths: "SitePaths",
                  shown: str, source: tuple[str, int] | None = None, trace: list | None = None) -> str:
        """Resolve every reference of a page's sanitized HTML: approve the assets it uses,
        point raw-HTML links written relative to the source at the published file, and
        record an error for any reference to a withheld document. ``trace`` receives what
        each looked-up path resolved to (pages/cache.py replays it before reusing the page)."""
        started = time.perf_counter()
        try:
            return self._page_html(page_src, page_dest, markup, paths, shown, source, trace)
        finally:
            self.seconds += time.perf_counter() - started

    def _page_html(self, page_src: str, page_dest: str, markup: str, paths: "SitePaths",
                   shown: str, source: tuple[str, int] | None, trace: list | None) -> str:
        site = references.Site(self.site_url)
        withheld_urls = self.withheld_by_url()

        def resolve(ref: references.Ref) -> str | None:
            for i, path in enumerate(references.candidates(ref.url, page_src, page_dest, site)):
                outcome = self._outcome(path, i, paths, withheld_urls)
                if trace is not None:
                    trace.append([path, i, outcome])
                if outcome.startswith("withheld:"):
                    hit = self._withheld_target(path, withheld_urls)
                    self.problems.append(Problem(shown, _line_of(ref.url, source), None,
                                                 f"正文链接“{ref.url}”指向不发布的文件 {hit.path}（公开属性：{hit.attribute}）；"
                                                 f"已发布的文件不得链接或关联不发布的文件，请删除该链接"))
                    return "#"
                if not outcome:
                    continue
                src = outcome.split("\0")[0]
                if src in self.survey.assets:
                    self.approved.add(self._key(src))
                if i > 0:   # written relative to the source file: point it where the file is published
                    return references.relative_url(paths.dest_of[src], page_dest)
                return None
            return None

        return references.rewrite(markup, resolve)

    def _outcome(self, path: str, i: int, paths: "SitePaths", withheld_urls: dict[str, Document]) -> str:
        """What a looked-up path is in this build: a withheld document, a published file and where, or nothing."""
        if (hit := self._withheld_target(path, withheld_urls)) is not None:
            return "withheld:" + hit.src
        src = paths.src_of.get(path) if i == 0 else (path if path in paths.dest_of else None)
        return f"{src}\0{paths.dest_of.get(src, '')}" if src is not None else ""

    def replays(self, trace: list, paths: "SitePaths") -> bool:
        """Whether every path a cached page looked up resolves as it did when the page was rendered."""
        withheld_urls = self.withheld_by_url()
        return all(self._outcome(path, i, paths, withheld_urls) == outcome for path, i, outcome in trace)

    def approve(self, assets: list[str]) -> None:
        """The assets a reused page uses (pages/cache.py), approved as its rendering would."""
        if assets:      # most pages use none: 100,000 empty updates took 0.7 s
            self.approved.update(self._key(src) for src in assets if src in self.survey.assets)

    def assets_in(self, trace: list) -> list[str]:
        """The assets among what a page's links resolved to."""
        found = (outcome.split("\0")[0] for _, _, outcome in trace if outcome and not outcome.startswith("withheld:"))
        return sorted({src for src in found if src in self.survey.assets})

    def _withheld_target(self, path: str, withheld_urls: dict[str, Document]) -> Document | None:
        key = self._key(path.rstrip("/"))
        if (doc := self.withheld.get(key)) is not None:
            return doc
        parts = path.strip("/").split("/")
        return withheld_urls.get("/".join(parts[:2])) if len(parts) >= 2 else None

    def _key(self, path: str) -> str:
        return path.casefold() if self.ignore_case else path


@dataclass
class SitePaths:
    """Where each file of content/ is written, and back (site paths without the site prefix)."""
    dest_of: dict[str, str] = field(default_factory=dict)    # src -> its URL path ("wj/x/", "documents/a b.pdf")
    src_of: dict[str, str] = field(default_factory=dict)     # every spelling of a URL path -> src

    def add(self, src: str, dest_uri: str) -> None:
        url = dest_uri[: -len("index.html")] if dest_uri.endswith("index.html") else dest_uri
        self.dest_of[src] = url
        for spelling in {dest_uri, url, url.rstrip("/")}:
            self.src_of[spelling] = src


def _line_of(url: str, source: tuple[str, int] | None) -> int | None:
    """The line of the body (text, first line number) where ``url`` is written, else the body's first line."""
    if source is None:
        return None
    body, first = source
    at = next((i for form in (url, quote(url, safe="/:#?&=%")) if (i := body.find(form)) >= 0), -1)
    return first + body[:at].count("\n") if at >= 0 else first


def _walk(root: Path) -> list[tuple[Path, str]]:
    """Every file below ``root`` with its real path, following directory links once (MkDocs follows
    them too), in ``os.walk``'s order (a folder's files by name, then its folders by name). A file
    that is no link is where its folder really is: only links are resolved (``realpath`` of every
    file, an lstat per part of its path, took 2.2 s at 100,000 documents)."""
    out: list[tuple[Path, str]] = []
    _walk_into(os.fspath(root), out, set())
    return out


def _walk_into(folder: str, out: list[tuple[Path, str]], seen: set[str]) -> None:
    real = os.path.realpath(folder)
    if real in seen:
        return
    seen.add(real)
    try:
        with os.scandir(folder) as scan:
            entries = sorted(scan, key=lambda e: e.name)
    except OSError:
        return
    folders = []
    for entry in entries:
        try:
            is_folder = entry.is_dir()
        except OSError:
            is_folder = False
        if is_folder:
            folders.append(entry.path)
        else:
            out.append((Path(entry.path), os.path.realpath(entry.path) if entry.is_symlink()
                        else os.path.join(real, entry.name)))
    for path in folders:
        _walk_into(path, out, seen)


def _fs_ignores_case(path: Path) -> bool:
    """Whether the file system at ``path`` treats names that differ in case as one."""
    swapped = Path(str(path).swapcase())
    try:
        return swapped != path and swapped.exists() and os.path.samefile(path, swapped)
    except OSError:
        return False
