"""Withheld documents, defence in depth.

Before the build: published documents that interpret or replace a withheld
document are errors (links in their text are the gate's: zfxxgk.publication).

After the build (``audit_output``): every file in the output directory, whatever
wrote it, is searched for the fingerprints of every withheld document — title,
索引号, 文号, a sample of distinctive body sentences, its URL slug, and its
attachments and images by content hash. Each text fingerprint is searched in
the forms a writer may give it: as written, HTML/XML-escaped (both quote
styles), JSON-escaped (``\\uXXXX``); ``.gz`` files are searched
decompressed. A text match that published sources also contain (a law
cited by title, a shared sentence) is not a leak. Matching is one Aho-Corasick
pass over each file's bytes (ahocorasick_rs), linear in the size of the output,
spread over forked worker processes while the build waits.

An output file the last successful build's audit found clean is not searched
again when neither it nor what is searched for changed (``Memo``): its id is a
hash of the search (every fingerprint form, the withheld documents' site paths,
the site address, the code: ``Memo.salt``), its path and its bytes, so a changed
byte or a changed fingerprint means it is searched again.
"""
from __future__ import annotations

import gzip
import hashlib
import html
import json
import multiprocessing
import os
import posixpath
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable
from urllib.parse import quote

import ahocorasick_rs

from zfxxgk.publication import references
from zfxxgk.catalog import urls
from zfxxgk.intake.documents import slug
from zfxxgk.intake.model import Document
from zfxxgk.catalog.problems import Problem

TEXT_EXTENSIONS = frozenset(
    ".html .htm .xml .json .js .mjs .txt .csv .tsv .svg .css .md .webmanifest .rss .atom .ics .yml .yaml".split())
_SENTENCE_END = re.compile(r"[。！？；!?;\n]+")
_MARKUP = re.compile(r"[*_`<>\[\]|#&\\]")
MIN_SENTENCE = 16       # characters; shorter sentences are too common to fingerprint
SENTENCES_PER_DOC = 4
MIN_FIELD = 6           # shorter titles / numbers are not distinctive enough to search for
MAX_NEEDLE = 24         # longer texts are searched by their middle 24 characters (as distinctive, far cheaper)
KIND_TEXT = {"title": "标题", "index_no": "索引号", "doc_no": "文号", "sentence": "正文语句", "url": "网址",
             "file": "文件名", "asset": "附件或图片（按内容比对）", "copied": "文件（未经发布审批而被复制）",
             "link": "链接"}
# Needles matched only as whole words: a withheld xj-2023-12 must not match a published xj-2023-123.
WHOLE_WORD = frozenset({"index_no", "url", "file", "doc_no"})
_WORD_BYTES = frozenset(b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_")


def variants(text: str) -> set[str]:
    """The forms ``text`` takes in HTML, XML, JSON and URLs."""
    out = {text, html.escape(text, quote=False), html.escape(text),
           html.escape(text, quote=False).replace('"', "&#34;").replace("'", "&#39;"),
           json.dumps(text)[1:-1], json.dumps(text, ensure_ascii=False)[1:-1],
           quote(text, safe="/"), quote(text, safe="/").lower()}
    return {v for v in out if v}


# --- relations between documents ------------------------------------------------
def pointer_problems(published: list[Document], withheld: list[Document]) -> list[Problem]:
    """Published documents that interpret or replace a withheld document."""
    if not withheld:
        return []
    by_ref: dict[str, Document] = {}
    for d in withheld:
        for ref in (d.index_no, d.doc_no, d.title):
            if ref:
                by_ref.setdefault(ref, d)
    problems = []
    for doc in published:
        if (value := doc.meta.get("interprets")) and (hit := by_ref.get(str(value))):
            problems.append(_pointer(doc, "interprets", "「解读对象」", hit))
        for rel in doc.meta.get("replaces", []):
            if hit := by_ref.get(rel["index_no"]):
                problems.append(_pointer(doc, "replaces", "「修订/废止」", hit))
    return problems


def _pointer(doc: Document, key: str | None, what: str, target: Document) -> Problem:
    line = doc.lines.get(key) if key else doc.body_line
    return Problem(doc.path, line, key,
                   f"{what}指向不发布的文件 {target.path}（公开属性：{target.attribute}）；"
                   f"已发布的文件不得链接或关联不发布的文件，请删除该链接或关联")


# --- fingerprints --------------------------------------------------------------
@dataclass(frozen=True)
class Needle:
    kind: str           # title | index_no | doc_no | sentence | url
    doc: str            # the withheld document's path (for messages)
    attribute: str


def sentences(body: str) -> list[str]:
    """Up to SENTENCES_PER_DOC of the longest plain sentences (no markup), in a stable order."""
    found = {t.strip() for t in _SENTENCE_END.split(body) if not _MARKUP.search(t)}
    ranked = sorted((t for t in found if len(t) >= MIN_SENTENCE), key=lambda t: (-len(t), t))
    return ranked[:SENTENCES_PER_DOC]


def excerpt(text: str) -> str:
    start = max(0, (len(text) - MAX_NEEDLE) // 2)
    return text[start:start + MAX_NEEDLE]


def fingerprints(withheld: list[Document]) -> dict[str, tuple[str, Needle]]:
    """Searched form -> (fingerprint as written, what it identifies)."""
    needles: dict[str, tuple[str, Needle]] = {}
    for doc in withheld:
        name = posixpath.basename(doc.src)
        parts = [("title", doc.title), ("index_no", doc.index_no), ("doc_no", doc.doc_no),
                 ("url", slug(doc.index_no)), ("file", name)] + \
            [("sentence", t) for t in sentences(doc.body)]
        for kind, text in parts:
            text = excerpt(text) if kind in ("sentence", "title") else text
            if len(text) >= MIN_FIELD:
                for form in variants(text):
                    needles.setdefault(form, (text, Needle(kind, doc.path, doc.attribute)))
    return needles


def _digest(path: Path) -> tuple[int, str] | None:
    try:
        data = path.read_bytes()
    except OSError:
        return None
    return len(data), hashlib.sha256(data).hexdigest()


def asset_hashes(paths: Iterable[Path], root: Path | None = None,
                 exclude: Iterable[Path] = ()) -> dict[tuple[int, str], str]:
    """(size, sha256) -> file (shown relative to ``root``) for each existing file, except
    contents that a published file in ``exclude`` also has (a blank form both use)."""
    published = {d for p in exclude if (d := _digest(p)) is not None}
    out = {}
    for path in sorted(paths):
        if path.is_file() and (digest := _digest(path)) is not None and digest not in published:
            shown = path.relative_to(root).as_posix() if root and path.is_relative_to(root) else path.as_posix()
            out[digest] = shown
    return out


# --- the audit -------------------------------------------------------------------
@dataclass
class Leak:
    output: str          # path relative to the output directory
    needle: Needle

    def format(self) -> str:
        if self.needle.kind == "asset":
            return f"输出文件 {self.output} 与未发布的 {self.needle.doc} 内容相同（按内容比对）"
        if self.needle.kind == "copied":
            return f"输出文件 {self.output} 是未经发布审批的 {self.needle.doc}"
        if self.needle.kind == "link":
            return f"输出文件 {self.output} 链接到不发布文件 {self.needle.doc}（{self.needle.attribute}）"
        return (f"输出文件 {self.output} 含有不发布文件 {self.needle.doc}（{self.needle.attribute}）的"
                f"{KIND_TEXT[self.needle.kind]}")


@dataclass
class Audit:
    files: int = 0
    bytes: int = 0
    leaks: list[Leak] = field(default_factory=list)
    explained: int = 0   # text matches that published sources also contain
    unchanged: int = 0   # files not searched again: found clean before, same bytes, same fingerprints (Memo)
    listing: list[tuple[str, int]] = field(default_factory=list)   # every output file read: path, size (output_files)


class Matcher:
    """Aho-Corasick over UTF-8 bytes: finds which of the words occur in a text or file.

    Words in ``whole`` match only where the neighbouring bytes do not continue them
    (letters, digits, - and _), so one identifier never matches inside a longer one.
    """

    def __init__(self, words: Iterable[str], whole: Iterable[str] = ()) -> None:
        self.words = sorted(set(words))
        self.encoded = [w.encode("utf-8") for w in self.words]
        whole = set(whole)
        self.whole = [w in whole for w in self.words]
        self.auto = ahocorasick_rs.BytesAhoCorasick(self.encoded) if self.words else None

    def found(self, data: bytes) -> set[str]:
        if self.auto is None:
            return set()
        out = set()
        for i, start, end in self.auto.find_matches_as_indexes(data, overlapping=True):
            if self.whole[i] and not self._alone(data, start, end, self.encoded[i]):
                continue
            out.add(self.words[i])
        return out

    @staticmethod
    def _alone(data: bytes, start: int, end: int, word: bytes) -> bool:
        before = start > 0 and word[0] in _WORD_BYTES and data[start - 1] in _WORD_BYTES
        after = end < len(data) and word[-1] in _WORD_BYTES and data[end] in _WORD_BYTES
        return not (before or after)


def searchable(path: Path) -> bytes | None:
    """The bytes of an output file worth searching (``.gz`` decompressed), or None for binary files."""
    name = path.name.lower()
    if name.endswith(".gz"):
        name = name[:-3]
    if os.path.splitext(name)[1] not in TEXT_EXTENSIONS:
        return None
    data = path.read_bytes()
    if path.name.lower().endswith(".gz"):
        try:
            return gzip.decompress(data)
        except (OSError, EOFError):
            return None
    return data


def output_files(root: Path) -> list[tuple[str, int]]:
    """Every file under ``root``: its path relative to it and its size, in sorted order (one
    ``scandir`` per folder: at 100,000 documents ``os.walk`` and a ``stat`` per Path took 9 s)."""
    out: list[tuple[str, int]] = []
    _walk_into(str(root), "", out)
    return out


def _walk_into(folder: str, prefix: str, out: list[tuple[str, int]]) -> None:
    with os.scandir(folder) as entries:
        items = sorted(entries, key=lambda e: e.name)
    folders = []
    for entry in items:          # a folder's files first, then its folders, links to folders not followed (as os.walk)
        if entry.is_dir():
            if not entry.is_symlink():
                folders.append(entry)
        else:
            out.append((prefix + entry.name, entry.stat().st_size))
    for entry in folders:
        _walk_into(entry.path, f"{prefix}{entry.name}/", out)


@dataclass
class Memo:
    """What an earlier audit found clean, by id, and what this audit finds clean: output files here
    (``file_id``), documents in the personal-information check (privacy.document_id).

    ``salt`` stands for what the search depends on besides its fingerprints, site paths and
    address: the build passes its cache's site digest (the code, tool versions, settings)."""
    salt: str
    clean: set[str] = field(default_factory=set)       # from the last successful build
    clean_now: set[str] = field(default_factory=set)   # clean in this audit (for the next build)


def search_key(salt: str, forms: Iterable[str], whole: Iterable[str], targets: Iterable[str],
               site: references.Site) -> bytes:
    """Everything a file's search result depends on except the file itself."""
    h = hashlib.sha256(json.dumps([salt, sorted(forms), sorted(whole), sorted(targets), site.url],
                                  ensure_ascii=False).encode("utf-8"))
    return h.digest()


def file_id(key: bytes, rel: str, data: bytes) -> str:
    """One file's bytes at one output path, searched for one set of fingerprints."""
    h = hashlib.sha256(key)
    h.update(rel.encode("utf-8") + b"\0")
    h.update(data)
    return h.hexdigest()


@dataclass
class _Scan:
    """What forked scan workers inherit (no pickling of the automaton)."""
    matcher: Matcher
    root: Path
    targets: dict[str, Needle]          # withheld documents' site paths (source and URL) -> needle
    site: references.Site
    key: bytes = b""                    # search_key, when a Memo is used
    clean: frozenset[str] = frozenset()  # file ids known clean


_scan_state: _Scan | None = None


def _links_to_withheld(data: bytes, rel: str) -> set[str]:
    """Withheld documents an output page's links resolve to (the build's own resolver)."""
    state = _scan_state
    out = set()
    for ref in references.refs(data.decode("utf-8", errors="replace")):
        for path in references.candidates(ref.url, rel, rel, state.site)[:1]:
            parts = path.strip("/").split("/")
            for key in (path.rstrip("/"), "/".join(parts[:2])):
                if key in state.targets:
                    out.add(key)
    return out


_Hits = list[tuple[Path, set[str], set[str]]]


def _scan(paths: list[Path]) -> tuple[_Hits, list[str]]:
    """Files with a fingerprint or a link to a withheld document; ids of the clean ones (with a Memo)."""
    state, out, clean = _scan_state, [], []
    for path in paths:
        if (data := searchable(path)) is None:
            continue
        rel = path.relative_to(state.root).as_posix()
        ident = file_id(state.key, rel, data) if state.key else ""
        if ident and ident in state.clean:
            clean.append(ident)
            continue
        found = state.matcher.found(data)
        links = _links_to_withheld(data, rel) if path.suffix == ".html" and state.targets else set()
        if found or links:
            out.append((path, found, links))
        elif ident:
            clean.append(ident)
    return out, clean


def _scan_all(paths: list[Path], workers: int) -> tuple[_Hits, list[str]]:
    """Scan in ``workers`` forked processes (the build is idle meanwhile), or in this one."""
    if workers <= 1 or len(paths) < 500 or "fork" not in multiprocessing.get_all_start_methods():
        return _scan(paths)
    chunks = [paths[i::workers * 4] for i in range(workers * 4)]
    hits, clean = [], []
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        for part, ids in pool.imap(_scan, chunks):
            hits += part
            clean += ids
    return hits, clean


def audit_output(site_dir: Path, withheld: list[Document], published_text: Iterable[str],
                 assets: dict[tuple[int, str], str], workers: int = 1, kept_back: Iterable[str] = (),
                 site_url: str = "", memo: Memo | None = None) -> Audit:
    """Search every file under ``site_dir`` for traces of the withheld documents.

    ``published_text`` yields the source text of everything published; it is read
    only when something matched, to tell a shared sentence from a leak.
    ``assets``: (size, sha256) of files of content/ the gate did not publish.
    ``kept_back``: their paths (relative to content/): none may appear in the output.
    ``memo``: files found clean before are not searched again (their ids go into ``memo.clean_now``).
    """
    global _scan_state
    result = Audit()
    needles = fingerprints(withheld)
    whole = [form for form, (_, needle) in needles.items() if needle.kind in WHOLE_WORD]
    targets = {}
    for d in withheld:
        needle = Needle("link", d.path, d.attribute)
        targets[d.src] = targets[urls.DOCUMENT.format(slug=slug(d.index_no)).rstrip("/")] = needle
    site = references.Site(site_url)
    _scan_state = _Scan(Matcher(needles, whole), site_dir, targets, site)
    if memo is not None:
        _scan_state.key = search_key(memo.salt, needles, whole, targets, site)
        _scan_state.clean = frozenset(memo.clean)
    slugs = {slug(d.index_no): d for d in withheld}
    sizes = {size for size, _ in assets}
    kept_back = set(kept_back)
    files = result.listing = output_files(site_dir)
    for rel, size in files:
        result.files += 1
        for part in rel.split("/"):
            if part in slugs:
                result.leaks.append(Leak(rel, Needle("url", slugs[part].path, slugs[part].attribute)))
        if rel in kept_back:
            result.leaks.append(Leak(rel, Needle("copied", "content/" + rel, "")))
        result.bytes += size
        if size in sizes and (src := assets.get((size, hashlib.sha256((site_dir / rel).read_bytes()).hexdigest()))):
            result.leaks.append(Leak(rel, Needle("asset", src, "")))
    hits: dict[str, set[str]] = {}      # fingerprint as written -> output files
    if needles or targets:
        found, clean = _scan_all([site_dir / rel for rel, _ in files], workers)
        if memo is not None:
            memo.clean_now = set(clean)
            result.unchanged = len(memo.clean_now & memo.clean)
        for path, forms, links in found:
            rel = path.relative_to(site_dir).as_posix()
            for form in forms:
                hits.setdefault(needles[form][0], set()).add(rel)
            result.leaks.extend(Leak(rel, targets[key]) for key in sorted(links))
    _scan_state = None
    if hits:
        explained = _explained(set(hits), published_text, {needles[f][0] for f in whole})
        result.explained = len(explained)
        needle_of = {text: needle for text, needle in reversed(list(needles.values()))}
        for text in sorted(set(hits) - explained):
            result.leaks.extend(Leak(rel, needle_of[text]) for rel in sorted(hits[text]))
    result.leaks.sort(key=lambda l: (l.output, l.needle.doc, l.needle.kind))
    return result


def _explained(texts: set[str], published_text: Iterable[str], whole: set[str]) -> set[str]:
    matcher = Matcher(texts, whole & texts)
    found: set[str] = set()
    for text in published_text:
        found |= matcher.found(text.encode("utf-8"))
        if len(found) == len(texts):
            break
    return found


def published_sources(published: list[Document], docs_dir: Path, pages: Iterable[str] = ()) -> Iterable[str]:
    """Source text of published documents and the site's declared pages, as editors wrote it, read
    from their files (the build has released the documents' bodies by now)."""
    for src in [d.src for d in published] + sorted(pages):
        yield (docs_dir / src).read_text(encoding="utf-8", errors="replace")
