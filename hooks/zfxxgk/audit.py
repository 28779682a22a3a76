"""Withheld documents, defence in depth.

Before the build: files anywhere in ``content/`` that only withheld documents
use are kept out of ``Files``; files that resolve outside ``content/``
(symlinks) are refused; published documents that link to, interpret or
replace a withheld document are errors.

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

import ahocorasick_rs

from .documents import DOCUMENTS_DIR, slug
from .model import Document
from .problems import Problem

TEXT_EXTENSIONS = frozenset(
    ".html .htm .xml .json .js .mjs .txt .csv .tsv .svg .css .md .webmanifest .rss .atom .ics .yml .yaml".split())
_LINK = re.compile(r"\]\(\s*<?([^)\s>]+)|(?:src|href)\s*=\s*[\"']([^\"']+)")
_SENTENCE_END = re.compile(r"[。！？；!?;\n]+")
_MARKUP = re.compile(r"[*_`<>\[\]|#&\\]")
MIN_SENTENCE = 16       # characters; shorter sentences are too common to fingerprint
SENTENCES_PER_DOC = 4
MIN_FIELD = 6           # shorter titles / numbers are not distinctive enough to search for
MAX_NEEDLE = 24         # longer texts are searched by their middle 24 characters (as distinctive, far cheaper)
KIND_TEXT = {"title": "标题", "index_no": "索引号", "doc_no": "文号", "sentence": "正文语句", "url": "网址",
             "asset": "附件或图片（按内容比对）"}


def variants(text: str) -> set[str]:
    """The forms ``text`` takes in HTML, XML, JSON and URLs."""
    out = {text, html.escape(text, quote=False), html.escape(text),
           html.escape(text, quote=False).replace('"', "&#34;").replace("'", "&#39;"),
           json.dumps(text)[1:-1], json.dumps(text, ensure_ascii=False)[1:-1]}
    return {v for v in out if v}


# --- references between documents and files ------------------------------------
def link_targets(doc: Document) -> list[str]:
    """Raw targets of the document's attachments, Markdown links, images and HTML src/href."""
    return [a["file"] for a in doc.meta.get("attachments", [])] + \
        [m[0] or m[1] for m in _LINK.findall(doc.body)]


def resolve(base_src: str, target: str) -> str | None:
    """A link target as a path relative to content/, or None if external or escaping content/."""
    target = target.split("#")[0].split("?")[0].strip()
    if not target or "://" in target or target.startswith(("/", "mailto:", "data:", "tel:", "javascript:")):
        return None
    path = posixpath.normpath(posixpath.join(posixpath.dirname(base_src), target))
    return None if path.startswith("../") or path == ".." else path


def referenced_files(docs: Iterable[Document]) -> set[str]:
    out: set[str] = set()
    for doc in docs:
        out.update(p for t in link_targets(doc) if (p := resolve(doc.src, t)))
    return out


def page_references(docs_dir: Path) -> set[str]:
    """Files referenced by the Markdown pages outside content/documents/ (the fixed pages)."""
    out: set[str] = set()
    for path in sorted(docs_dir.rglob("*.md")):
        src = path.relative_to(docs_dir).as_posix()
        if src.startswith(DOCUMENTS_DIR + "/") or not path.is_file():
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        out.update(p for m in _LINK.findall(text) if (p := resolve(src, m[0] or m[1])))
    return out


def withheld_only_files(published: list[Document], withheld: list[Document], docs_dir: Path) -> set[str]:
    """Files (relative to content/) that withheld documents use and nothing published does."""
    return referenced_files(withheld) - referenced_files(published) - page_references(docs_dir)


def outside_docs_dir(abs_path: str, docs_dir: Path) -> bool:
    return not Path(os.path.realpath(abs_path)).is_relative_to(docs_dir.resolve())


def pointer_problems(published: list[Document], withheld: list[Document]) -> list[Problem]:
    """Published documents that link to, interpret or replace a withheld document."""
    if not withheld:
        return []
    by_src = {d.src: d for d in withheld}
    by_slug = {slug(d.index_no): d for d in withheld}
    by_ref: dict[str, Document] = {}
    for d in withheld:
        for ref in (d.index_no, d.doc_no, d.title):
            if ref:
                by_ref.setdefault(ref, d)
    problems = []
    for doc in published:
        for target in link_targets(doc):
            path = resolve(doc.src, target)
            hit = by_src.get(path) if path else None
            hit = hit or next((by_slug[s] for s in re.findall(r"wj/([0-9a-z-]+)", target) if s in by_slug), None)
            if hit:
                problems.append(_pointer(doc, None, f"正文链接“{target}”", hit))
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
        parts = [("title", doc.title), ("index_no", doc.index_no), ("doc_no", doc.doc_no),
                 ("url", slug(doc.index_no))] + [("sentence", t) for t in sentences(doc.body)]
        for kind, text in parts:
            text = excerpt(text) if kind in ("sentence", "title") else text
            if len(text) >= MIN_FIELD:
                for form in variants(text):
                    needles.setdefault(form, (text, Needle(kind, doc.path, doc.attribute)))
    return needles


def asset_hashes(paths: Iterable[Path], root: Path | None = None) -> dict[tuple[int, str], str]:
    """(size, sha256) -> file (shown relative to ``root``) for each existing file."""
    out = {}
    for path in sorted(paths):
        if path.is_file():
            data = path.read_bytes()
            shown = path.relative_to(root).as_posix() if root and path.is_relative_to(root) else path.as_posix()
            out[(len(data), hashlib.sha256(data).hexdigest())] = shown
    return out


# --- the audit -------------------------------------------------------------------
@dataclass
class Leak:
    output: str          # path relative to the output directory
    needle: Needle

    def format(self) -> str:
        if self.needle.kind == "asset":
            return f"输出文件 {self.output} 与仅供不发布文件使用的 {self.needle.doc} 内容相同（按内容比对）"
        return (f"输出文件 {self.output} 含有不发布文件 {self.needle.doc}（{self.needle.attribute}）的"
                f"{KIND_TEXT[self.needle.kind]}")


@dataclass
class Audit:
    files: int = 0
    bytes: int = 0
    leaks: list[Leak] = field(default_factory=list)
    explained: int = 0   # text matches that published sources also contain


class Matcher:
    """Aho-Corasick over UTF-8 bytes: finds which of the words occur in a text or file."""

    def __init__(self, words: Iterable[str]) -> None:
        self.words = sorted(set(words))
        self.auto = ahocorasick_rs.BytesAhoCorasick([w.encode("utf-8") for w in self.words]) if self.words else None

    def found(self, data: bytes) -> set[str]:
        if self.auto is None:
            return set()
        return {self.words[i] for i, _, _ in self.auto.find_matches_as_indexes(data, overlapping=True)}


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


def output_files(root: Path) -> list[Path]:
    out = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames.sort()
        out.extend(Path(dirpath) / n for n in sorted(filenames))
    return out


_matcher: Matcher | None = None   # inherited by forked scan workers (no pickling of the automaton)


def _scan(paths: list[Path]) -> list[tuple[Path, set[str]]]:
    out = []
    for path in paths:
        if (data := searchable(path)) is not None and (found := _matcher.found(data)):
            out.append((path, found))
    return out


def _scan_all(paths: list[Path], workers: int) -> list[tuple[Path, set[str]]]:
    """Scan in ``workers`` forked processes (the build is idle meanwhile), or in this one."""
    if workers <= 1 or len(paths) < 500 or "fork" not in multiprocessing.get_all_start_methods():
        return _scan(paths)
    chunks = [paths[i::workers * 4] for i in range(workers * 4)]
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        return [hit for part in pool.imap(_scan, chunks) for hit in part]


def audit_output(site_dir: Path, withheld: list[Document], published_text: Iterable[str],
                 assets: dict[tuple[int, str], str], workers: int = 1) -> Audit:
    """Search every file under ``site_dir`` for traces of the withheld documents.

    ``published_text`` yields the source text of everything published; it is read
    only when something matched, to tell a shared sentence from a leak.
    ``assets``: (size, sha256) of files only withheld documents use.
    """
    global _matcher
    result = Audit()
    needles = fingerprints(withheld)
    _matcher = Matcher(needles)
    slugs = {slug(d.index_no): d for d in withheld}
    sizes = {size for size, _ in assets}
    paths = output_files(site_dir)
    for path in paths:
        rel = path.relative_to(site_dir).as_posix()
        result.files += 1
        for part in rel.split("/"):
            if part in slugs:
                result.leaks.append(Leak(rel, Needle("url", slugs[part].path, slugs[part].attribute)))
        size = path.stat().st_size
        result.bytes += size
        if size in sizes and (src := assets.get((size, hashlib.sha256(path.read_bytes()).hexdigest()))):
            result.leaks.append(Leak(rel, Needle("asset", src, "")))
    hits: dict[str, set[str]] = {}      # fingerprint as written -> output files
    if _matcher.auto is not None:
        for path, forms in _scan_all(paths, workers):
            for form in forms:
                hits.setdefault(needles[form][0], set()).add(path.relative_to(site_dir).as_posix())
    _matcher = None
    if hits:
        explained = _explained(set(hits), published_text)
        result.explained = len(explained)
        needle_of = {text: needle for text, needle in reversed(list(needles.values()))}
        for text in sorted(set(hits) - explained):
            result.leaks.extend(Leak(rel, needle_of[text]) for rel in sorted(hits[text]))
    result.leaks.sort(key=lambda l: (l.output, l.needle.doc, l.needle.kind))
    return result


def _explained(texts: set[str], published_text: Iterable[str]) -> set[str]:
    matcher = Matcher(texts)
    found: set[str] = set()
    for text in published_text:
        found |= matcher.found(text.encode("utf-8"))
        if len(found) == len(texts):
            break
    return found


def published_sources(published: list[Document], docs_dir: Path) -> Iterable[str]:
    """Source text of published documents and fixed pages, as editors wrote it."""
    for doc in published:
        yield "\n".join(str(v) for v in doc.meta.values()) + "\n" + doc.body
    for path in sorted(docs_dir.rglob("*.md")):
        if not path.relative_to(docs_dir).as_posix().startswith(DOCUMENTS_DIR + "/") and path.is_file():
            yield path.read_text(encoding="utf-8", errors="replace")
