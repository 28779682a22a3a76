"""The static search index: written at build time, queried by zf-search-core.js.

Why this layout, and not one lunr index (measured, see bench/search_bench.py):
a lunr.py index is a single file that the browser must download whole before
the first result. Titles and 文号 alone are 0.76 MB per 1,000 documents and full
text 4.9 MB (ecosystem.md §4), so at 10,000 documents even a titles-only lunr
index breaks the 300 KB budget, and the body index is tens of MB. Character-
bigram postings sharded by token hash let a query fetch only the shards of its
own tokens. Measured in Chromium from an empty cache, page, Material's CSS/JS,
search code and index together, gzip: a typical first query moves 114-141 KB
on the 10,000-document benchmark (141 KB for 中华人民共和国, which is in 84% of
the documents; bench/pagefind_bench.py has the table); the 100,000-document
figures (267-308 KB, 498 KB for 中华人民共和国) predate the smaller shards.
Material's own index for the same 10,000 documents is one 519 MB file (62 MB
gzip) that the browser indexes whole before its first answer (187 s here).
The same tokenizer runs in Python and in the browser (search_tokens.py), so
nothing is trimmed or segmented differently on the two sides.

Files under ``search/data/`` (``N`` documents, ids 0..N-1 newest first, then
the fixed pages):

- ``meta.json``: shard counts, facet labels, per-document facet codes (packed one character each)
  (including 公文种类 from the title, 发文机关代字 from the 文号 and the issuing agencies'
  slugs, a list for a jointly issued document, with their names) and dates
  (发布日期 delta-coded, 成文日期 as days before it), title lengths, synonym
  groups (catalog/synonyms.yml), and the very common tokens a query skips when
  it has rarer ones. Loaded first.
- ``b/<h>.json``: postings ``{token: [..]}`` for the tokens hashing to ``h``;
  each entry is ``(id delta) << 10 | in_body << 9 | in_title << 8 | bucket`` where ``bucket``
  is the 256-character stretch of the text where the token first appears.
  Buckets rank documents whose query bigrams sit together (a phrase) above
  documents where they are scattered, and name the one 3,000-character slice
  the snippet needs (one small file, not the whole document). Titles and
  keywords also post pinyin tokens (``~zhengwu``, ``^zwgk``). Phrases anywhere:
  the browser checks its leading candidates against their title and the text
  slice where the phrase can first start (zf-search-core.js verifyPhrases); the
  slices read are the ones the first page's snippets need anyway.
- ``t/<h>.json``: traditional → simplified character pairs, by the traditional
  character's shard (search_tokens.t2s_table); the browser folds a query with them.
- ``s/<h>.json``: typo keys (search_tokens.typo_keys) of keywords, 《》 names and
  short titles → ``[[term, documents], ..]``, for "您是不是要找" suggestions.
- ``c/<h>.json``: type-ahead completions: the first characters of a term (search_tokens.plain, from
  COMPLETE_MIN on) → ``[more, [[term, documents], ..]]``, the COMPLETE_KEEP most common terms that
  begin so; ``more`` says the list was cut, and then each one-character-longer start has its own
  list. A keystroke reads at most one new shard: the list of the longest start it needs.
- ``k/<h>.json``: exact keys of 文号, 索引号 and 统一编号 (search_tokens.exact_key) to ids.
- ``r/<n>.json``: display rows of ids ``16n .. 16n+15``.
- ``x/<n>/<id>-<slice>.txt``: 3,000-character slices of the page's text, for
  snippets.

The text is taken from the page's rendered and sanitized HTML (``html_text``),
never from the Markdown source: an editor's HTML comment, a removed element or
markup never reaches the index. The hook hands each page's HTML over as MkDocs
renders it (``Indexer.add_html``); on a large site a second process tokenizes
it meanwhile (``Background``).

Only what the caller passes is indexed: the hook passes published documents,
never the withheld ones.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import html
import json
import os
import re
import shutil
import tempfile
import zlib
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import msgspec
import numpy as np

from zfxxgk.catalog import urls
from zfxxgk.outputs import worker
from zfxxgk.pages.cache import SEARCH_FILES, SEARCH_RECORDS, holds, share
from zfxxgk.pages.spool import Slice
from zfxxgk.outputs.search_postings import (BODY_BIT, BUCKET, COMMON_MIN_DOCS, COMMON_SHARE, GROUPS, OTHER_BASE,
                                            POSTINGS_PER_SHARD, TITLE_BIT, VALUE_BITS, Spill, Tokenizer, names_and_shards,
                                            patched_shard, pow2, write_postings)
from zfxxgk.outputs.search_tokens import (TYPO_TERM_MAX, exact_key, fold, pinyin_tokens, plain, shard_of, t2s_table,
                                          typo_keys)

DATA_DIR = urls.SEARCH_DATA
BLOCK = 16                  # rows per display shard: a first page reads up to ten of them, one per result
CHUNK = 3000                # characters per snippet slice (one file each): a snippet reads one
OVERLAP = 48                # a slice also holds the next one's first characters, so a phrase across the seam is found
MAX_CHUNK = 63              # later text belongs to the last slice
KEYS_PER_SHARD = 400


@dataclass
class Entry:
    """One searchable page: a published document or a fixed page (no date, no facets)."""
    title: str
    url: str
    body: str                          # plain text of the rendered, sanitized page (html_text)
    doc_no: str = ""
    index_no: str = ""
    date: dt.date | None = None
    summary: str = ""
    publisher: str = ""
    category: str = ""
    column: str = ""
    validity: str = ""
    keywords: list[str] = field(default_factory=list)
    written: dt.date | None = None     # 成文日期
    unified_no: str = ""               # 统一编号, an exact key like 文号
    void: bool = False                 # no longer in force (catalog/validity.yml): shown with a badge
    agencies: list[tuple[str, str]] = field(default_factory=list)   # (slug, name) of the issuing agencies, lead first


@dataclass
class Stats:
    entries: int
    files: int
    bytes: int
    body_shards: int
    digest: str = ""          # of what was indexed (see digest()), to check a worker saw what the build saw
    reused: int = 0           # entries whose tokens and slices came from the last build (PageMemo)
    patched: int = -1         # pages whose postings were patched into the last build's shards; -1: all inverted


def digest(entries: list["Entry"]) -> str:
    return hashlib.sha256("\n".join(f"{e.url}\t{e.title}\t{e.validity}" for e in entries).encode("utf-8")).hexdigest()


def entry_of(doc, text: str = "") -> Entry:
    """The index entry of a published document; ``text`` is its page's text (html_text), added later when empty."""
    return Entry(doc.title, doc.url, text, doc.doc_no, doc.index_no, doc.published, doc.summary,
                 doc.publisher, doc.category, doc.column_obj.title_path, doc.validity, list(doc.keywords),
                 doc.written, str(doc.meta.get("unified_no") or ""), doc.void,
                 [(a.slug, a.name) for a in doc.agencies])


# --- page text from sanitized HTML -----------------------------------------------
# The input is the sanitizer's output (no comments, scripts or unknown elements);
# comments and script/style are still dropped here so that a sanitizer change can
# never put them in the index. Attribute values may contain ">", hence the quotes.
_ATTRS = r"""(?:[^>"']|"[^"]*"|'[^']*')*"""
_COMMENT = re.compile(r"<!--.*?(?:-->|$)|<!\[CDATA\[.*?(?:\]\]>|$)", re.S)
_HIDDEN = re.compile(r"<(script|style|template|textarea|noscript)\b" + _ATTRS + r">.*?(?:</\1\s*>|$)", re.S | re.I)
_BLOCK = re.compile(r"</?(?:p|div|h[1-6]|li|ul|ol|dl|dt|dd|tr|td|th|table|thead|tbody|tfoot|caption|blockquote|pre|"
                    r"figure|figcaption|hr|br|section|article|details|summary)\b" + _ATTRS + ">", re.I)
_TAG = re.compile(r"</?[A-Za-z!?]" + _ATTRS + ">")
_SPACES = re.compile(r"[^\S\n]+")
_LINES = re.compile(r"\s*\n\s*")


def html_text(markup: str) -> str:
    """The text a reader sees in a page body: tags dropped (block elements end a line), entities decoded."""
    text = _COMMENT.sub("", markup)
    text = _HIDDEN.sub("\n", text)
    text = _TAG.sub("", _BLOCK.sub("\n", text))
    text = html.unescape(text).replace("<", "＜").replace(">", "＞")   # no "<" can pass for markup in a slice
    return _LINES.sub("\n", _SPACES.sub(" ", text)).strip()


def slices(text: str) -> list[str]:
    """Snippet slices: slice k starts at character k*CHUNK and overlaps the next by OVERLAP characters."""
    last = min(MAX_CHUNK, max(0, (len(text) - 1) // CHUNK))
    return [text[k * CHUNK:(k + 1) * CHUNK + OVERLAP if k < last else len(text)] for k in range(last + 1)]


def _label_codes(values: list[str]) -> tuple[list[str], list[int]]:
    labels = sorted(set(values))
    index = {v: i for i, v in enumerate(labels)}
    return labels, [index[v] for v in values]


class Writer:
    def __init__(self, out: Path, memo: "PageMemo | None" = None) -> None:
        self.out, self.memo, self.files, self.bytes = out, memo, 0, 0

    def write(self, rel: str, text: str) -> str:
        """Write a file of the index; with a memo, as the memo's file of these bytes (named by their
        sha256, returned), shared into the site (PageMemo)."""
        data = text.encode("utf-8")
        if self.memo is not None:
            return self.share(rel, self.memo.stored(data), len(data))
        path = self.out / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        self.files += 1
        self.bytes += len(data)
        return ""

    def share(self, rel: str, file: Path, size: int | None = None) -> str:
        """The memo's ``file`` at ``rel`` in the site; its name."""
        share(file, self.out / rel, self.memo.linking)
        self.files += 1
        self.bytes += file.stat().st_size if size is None else size
        return file.name

    def json(self, rel: str, value) -> None:
        self.write(rel, json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True))


SYNONYMS = "synonyms.yml"
KINDS = "doc_kinds.yml"


def load_kinds(catalog_dir: Path) -> tuple[list[str], list]:
    """catalog/doc_kinds.yml: the 公文种类 names a title is classified by."""
    from zfxxgk.catalog.yamlfile import load
    from zfxxgk.catalog.problems import Problem
    path = Path(catalog_dir) / KINDS
    if not path.exists():
        return [], []
    raw, problems = load(path, f"catalog/{KINDS}")
    if problems:
        return [], problems
    if not isinstance(raw, list) or not all(isinstance(k, str) and k.strip() for k in raw):
        return [], [Problem(f"catalog/{KINDS}", None, "doc_kinds",
                            f"公文种类表须为文字列表，如 - 通知；发现：{str(raw)[:60]}")]
    return [k.strip() for k in raw], []


def load_synonyms(catalog_dir: Path) -> tuple[list[list[str]], list]:
    """catalog/synonyms.yml: a list of groups, each a list of two or more terms a search treats alike."""
    from zfxxgk.catalog.yamlfile import load
    from zfxxgk.catalog.problems import Problem
    path = Path(catalog_dir) / SYNONYMS
    shown = f"catalog/{SYNONYMS}"
    if not path.exists():
        return [], []
    raw, problems = load(path, shown)
    if problems:
        return [], problems
    groups, problems = [], []
    for n, group in enumerate(raw or [], 1):
        terms = [str(t).strip() for t in group] if isinstance(group, list) else []
        if len(terms) < 2 or not all(terms) or any(isinstance(t, (dict, list)) for t in group):
            problems.append(Problem(shown, None, "synonyms",
                                    f"第 {n} 组同义词“{group}”无效；每组写作由两个或更多词语组成的列表，如 [低保, 最低生活保障]"))
            continue
        groups.append(terms)
    if raw is not None and not isinstance(raw, list):
        return [], [Problem(shown, None, "synonyms", "同义词表须为列表，每项是一组同义词，如 - [低保, 最低生活保障]")]
    return groups, problems


def build(entries: list[Entry], site_dir: str | os.PathLike, synonyms: list[list[str]] = (),
          kinds: list[str] = ()) -> Stats:
    """Write the index of ``entries`` (documents newest first, then fixed pages; bodies as text) below ``site_dir``."""
    indexer = Indexer(entries, site_dir, synonyms, kinds)
    for i, entry in enumerate(entries):
        indexer.add_text(i, entry.body)
    return indexer.finish()


class Indexer:
    """One index build: the entries' metadata first, then each page's text in any order
    (as MkDocs renders the pages), then ``finish``. The files do not depend on that order."""

    def __init__(self, entries: list[Entry], site_dir: str | os.PathLike, synonyms: list[list[str]] = (),
                 kinds: list[str] = (), memo: tuple[str | None, str, bool] | None = None) -> None:
        self.memo = PageMemo(*memo) if memo is not None else None
        self.synonyms = [[fold(t) for t in group] for group in synonyms]
        self.kinds = list(kinds)
        self.entries = [dataclasses.replace(e) for e in entries]
        self.ids = {e.url: i for i, e in enumerate(entries)}
        self.out = Path(site_dir) / DATA_DIR
        shutil.rmtree(self.out, ignore_errors=True)
        self.writer = Writer(self.out, self.memo)
        self.tokenizer = Tokenizer()
        self._tmp = tempfile.TemporaryDirectory(prefix="zf-postings-")
        self.spill = Spill(Path(self._tmp.name), self.tokenizer)
        self.done: set[int] = set()
        n = len(entries)
        self.layout = _Layout([e.url for e in entries], [b""] * n, [0] * n, [[] for _ in range(n)])
        self.last = self.memo.last_layout() if self.memo is not None else None
        if self.last is not None and (self.last.urls != self.layout.urls or self.last.format != LAYOUT_FORMAT):
            self.last = None        # other pages, or pages in another order: every id may differ
        self.fresh: dict[int, tuple[np.ndarray, np.ndarray]] = {}   # patching: tokens of pages changed since
        self.kept: dict[int, Callable[[], str]] = {}                # patching: unchanged pages, their text if needed

    def add_page(self, url: str, where) -> None:
        """A rendered page's sanitized body HTML by where it is (``where.read()``): an unchanged page's
        HTML is read again only if the postings cannot be patched (``finish``)."""
        i = self.ids.get(url)
        if i is None:
            return
        if where.digest and self.memo is not None:   # a page from the build cache: read only if it must be tokenized
            self._add(i, "", lambda: html_text(where.read()), page=where.digest)
            return
        markup = where.read()
        self._add(i, markup, lambda: html_text(markup), lambda: html_text(where.read()))

    def add_html(self, url: str, markup: str) -> None:
        """A rendered page's sanitized body HTML; pages that are not entries are ignored."""
        i = self.ids.get(url)
        if i is not None:
            self._add(i, markup, lambda: html_text(markup))

    def add_text(self, i: int, text: str) -> None:
        self._add(i, "text\0" + text, lambda: text)

    def _add(self, i: int, source: str, text_of, again=None, page: str = "") -> None:
        """``again``: reads the page's text once more (after ``text_of``'s markup is gone); ``page``:
        the sha256 of ``source`` when known (then ``source`` is not needed)."""
        if i in self.done:          # a page rendered twice (mkdocs serve) keeps its first text
            return
        self.done.add(i)
        entry = self.entries[i]
        key = memo_key(entry, source, page) if self.memo is not None else ""
        if self.last is not None and bytes.fromhex(key) == self.last.keys[i]:
            files = self.memo.carry_page(key, [name.hex() for name in self.last.slices[i]])
            if files is not None:   # unchanged since the last build: its postings are in the last build's files
                self._share_slices(i, files)
                self.kept[i] = again or text_of
                self._record(i, key, self.last.counts[i], files)
                return
        if (kept := self.memo.recall(key, self.tokenizer) if key else None) is not None:
            code, value, files = kept
            self._share_slices(i, files)
        else:
            text = text_of()
            code, value = self._tokens(i, text)
            files = [self.writer.write(f"x/{i // BLOCK}/{i}-{k}.txt", part) for k, part in enumerate(slices(text))]
            if self.memo is not None:
                self.memo.remember(key, code, value, files, self.tokenizer)
        entry.body = ""             # tokenized and sliced: the rest of the index needs no page text
        self._record(i, key, len(code), files)
        if self.last is None:
            self.spill.add(i, code, value)
            return
        self.fresh[i] = code, value
        if len(self.fresh) > max(PATCH_MIN, len(self.entries) // PATCH_SHARE):
            self._stop_patching()   # so many changes that inverting everything is the shorter way

    def _share_slices(self, i: int, files: list[Path]) -> None:
        for k, file in enumerate(files):
            self.writer.share(f"x/{i // BLOCK}/{i}-{k}.txt", file)

    def _tokens(self, i: int, text: str) -> tuple[np.ndarray, np.ndarray]:
        """Entry ``i``'s tokens with ``text`` as its body (the entry keeps no page text after)."""
        entry = self.entries[i]
        entry.body = text
        try:
            return _entry_tokens(self.tokenizer, entry)
        finally:
            entry.body = ""

    def _record(self, i: int, key: str, count: int, files: list) -> None:
        if key:
            self.layout.keys[i] = bytes.fromhex(key)
            self.layout.slices[i] = [bytes.fromhex(Path(f).name) for f in files]
        self.layout.counts[i] = count

    def _stop_patching(self) -> None:
        """Back to inverting every page's postings: the pages kept so far are read from their records
        (or, damaged, tokenized again from their text)."""
        last, self.last = self.last, None
        for i, (code, value) in sorted(self.fresh.items()):
            self.spill.add(i, code, value)
        for i, text_of in sorted(self.kept.items()):
            if (kept := self.memo.recall(last.keys[i].hex(), self.tokenizer)) is not None:
                code, value, _ = kept
            else:
                code, value = self._tokens(i, text_of())
                self.memo.remember(last.keys[i].hex(), code, value, [n.hex() for n in last.slices[i]], self.tokenizer)
            self.spill.add(i, code, value)
        self.fresh, self.kept = {}, {}

    def finish(self) -> Stats:
        """Write postings, keys, rows and meta; entries whose page never arrived are indexed by their metadata."""
        for i in range(len(self.entries)):
            if i not in self.done:
                self.add_text(i, "")
        entries, writer = self.entries, self.writer
        keys: defaultdict[str, list[int]] = defaultdict(list)
        for i, entry in enumerate(entries):
            for key in sorted({exact_key(v) for v in (entry.doc_no, entry.index_no, entry.unified_no) if v}):
                keys[key].append(i)
        docs = [e for e in entries if e.date is not None]
        changed = len(self.fresh) if self.last is not None else -1
        try:
            patched = self._patch_postings(len(docs)) if self.last is not None else None
            if patched is None:
                if self.last is not None:
                    self._stop_patching()
                changed = -1
                patched = write_postings(writer, self.tokenizer, self.spill, len(docs))
            self.layout.docs = len(docs)
            self.layout.shards, self.layout.files, self.layout.common = patched
            body_shards, common = patched[0], patched[2]
        finally:
            self._tmp.cleanup()
        key_shards = pow2(len(keys) / KEYS_PER_SHARD)
        _write_grouped(writer, "k", dict(keys), key_shards)
        folds = t2s_table()
        _write_grouped(writer, "t", folds, T2S_SHARDS)
        typos = _typo_index(entries)
        typo_shards = pow2(len(typos) / TYPO_KEYS_PER_SHARD)
        _write_grouped(writer, "s", typos, typo_shards)
        completions = _completion_index(entries)
        complete_shards = pow2(sum(len(json.dumps(v, ensure_ascii=False).encode()) for v in completions.values())
                                / COMPLETE_SHARD_BYTES)
        _write_grouped(writer, "c", completions, complete_shards)
        for start in range(0, len(entries), BLOCK):
            writer.json(f"r/{start // BLOCK}.json", [_row(e) for e in entries[start:start + BLOCK]])
        meta = _meta(entries, docs, common, body_shards, key_shards, self.kinds)
        meta["shards"] |= {"t": T2S_SHARDS, "s": typo_shards, "c": complete_shards}
        meta["complete"] = {"min": COMPLETE_MIN, "depth": COMPLETE_DEPTH}
        meta["foldable"] = _foldable(folds)
        meta["syn"] = self.synonyms
        writer.json("meta.json", meta)
        if self.memo is not None:
            self.memo.keep_layout(self.layout)
            self.memo.prune()
        return Stats(len(entries), writer.files, writer.bytes, body_shards, digest(entries),
                     self.memo.hits + len(self.kept) if self.memo is not None else 0, changed)

    def _patch_postings(self, docs: int) -> tuple[int, list[bytes], list[str]] | None:
        """The postings shards as the last build's, with the changed pages' postings taken out and put
        in again: only the tokens whose posting of a changed page is new, gone or has another value
        get their lists made anew, and only their shards are written. None when that would not give what a full inversion gives
        (another shard count or document count) or a file of the last build is missing or damaged."""
        last, tokenizer = self.last, self.tokenizer
        total = sum(self.layout.counts)
        shards = max(GROUPS, pow2(total / POSTINGS_PER_SHARD))
        if shards != last.shards or docs != last.docs:
            return None
        lists: defaultdict[str, list[tuple[int, int]]] = defaultdict(list)    # token -> changed pages' (id, value)
        touched: set[str] = set()   # tokens whose posting of a changed page is new, gone or has another value
        for i, (code, value) in self.fresh.items():
            old = _decode_record(self.memo.record(last.keys[i].hex()), tokenizer) if last.keys[i] else None
            if old is None:
                return None
            before = dict(zip(names_and_shards(tokenizer, old[0], shards)[0], old[1].tolist()))
            after = dict(zip(names_and_shards(tokenizer, code, shards)[0], value.tolist()))
            touched.update(n for n in before.keys() | after.keys() if before.get(n) != after.get(n))
            for name, v in after.items():
                lists[name].append((i, v))
        dirty: defaultdict[int, set[str]] = defaultdict(set)
        for name in touched:
            dirty[shard_of(name, shards)].add(name)
        limit = COMMON_SHARE * docs if docs >= COMMON_MIN_DOCS else None
        files, common = [], [t for t in last.common if t not in touched]
        for h, old_name in enumerate(last.files):
            source = self.memo.carry(old_name.hex(), keep=h not in dirty)
            if source is None:
                return None         # before anything is in the site: a full inversion writes it all
            if h in dirty:
                text, counts = patched_shard(source.read_text(encoding="utf-8"), dirty[h], set(self.fresh), lists)
                common += [t for t, c in counts.items() if limit is not None and c > limit]
                source = self.memo.stored(text.encode("utf-8"))
            files.append(source)
        for h, file in enumerate(files):
            self.writer.share(f"b/{h}.json", file)
        return shards, [bytes.fromhex(f.name) for f in files], sorted(common)

    def close(self) -> None:
        self._tmp.cleanup()


MEMO_FORMAT = 2
FILES = SEARCH_FILES       # the memo's index files, named by their bytes' sha256
RECORDS = SEARCH_RECORDS   # the memo's page records, named by the page's memo key


class PageMemo:
    """What the last build made of the index, so that an unchanged page is not tokenized again and
    no unchanged file is written again: at 10,000 documents tokenizing was a third of the index's
    time in a one-document edit, and creating its 35,000 files (24,000 text slices, 8,192 postings
    shards) most of the rest. ``old`` is the last build's folder (None: a full build), ``new`` this
    build's; both are in the build cache (pages/cache.py keeps and swaps them).

    Every file of the index is written into the memo under the sha256 of its bytes, then linked into
    the site when ``linking`` (the rule of pages/cache.py PageCache.place), else copied; a file the
    last build had is kept (its folder moved into this build's memo, ``_move_files``) and checked
    against its name, not written. A page's record is named by the digest of everything
    it is made of: the page's HTML (or text) and the metadata _entry_tokens reads; the code and the
    packages that tokenize are in the build cache's site digest, and any change there is a full
    build. It holds the tokens ("other" tokens, words and pinyin, as strings: their codes are each
    build's own) and the names of the page's slices. A record that cannot be read back whole (zlib
    checks its bytes) or a file whose bytes are not its name is a miss: made as in a full build."""

    def __init__(self, old: str | None, new: str, linking: bool = True) -> None:
        self.old, self.new, self.linking = (Path(old) if old else None), Path(new), linking
        self.checked: set[str] = set()   # files of this memo whose bytes this build wrote or checked
        self.records: set[str] = set()   # records this build wrote or kept
        self._move_files()
        for folder in (FILES, RECORDS):
            (self.new / folder).mkdir(parents=True, exist_ok=True)
        self.hits = 0

    def _move_files(self) -> None:
        """The last build's files and records move into this build's memo, a rename each (the build
        cache moves them back if the build fails, pages/cache.py PageCache.discard): what is kept is
        checked where it is, not linked again, and the last memo has nothing left to delete (95,000
        files and 100,000 records at 100,000 documents)."""
        if self.old is None:
            return
        for folder in (FILES, RECORDS):
            try:
                if not (self.new / folder).exists():
                    self.new.mkdir(parents=True, exist_ok=True)
                    os.rename(self.old / folder, self.new / folder)
            except OSError:
                pass        # none (a damaged cache): they are made anew

    def recall(self, key: str, tokenizer: "Tokenizer") -> tuple[np.ndarray, np.ndarray, list[Path]] | None:
        """The last build's tokens of the page, and its slice files (carried into this build's memo)."""
        if self.old is None or (record := _decode_record(self.record(key), tokenizer)) is None:
            return None
        code, value, names = record
        files = self.carry_page(key, names)
        if files is not None:
            self.hits += 1
            return code, value, files
        return None

    def carry_page(self, key: str, names: list[str]) -> list[Path] | None:
        """The page's record and slice files carried into this build's memo (without reading the record:
        the postings layout vouches for it); the slices, or None if one is missing or damaged."""
        files = [self.carry(name) for name in names]
        if None in files or not self._keep_record(key):
            return None
        return files

    def record(self, key: str) -> Path:
        """Where the last build's record of that key is (moved here, or still in the last memo)."""
        moved = self.new / RECORDS / key
        return moved if self.old is None or moved.exists() else self.old / RECORDS / key

    def _keep_record(self, key: str) -> bool:
        if key not in self.records:
            if not (self.new / RECORDS / key).exists() and self._carry(Path(RECORDS) / key) is None:
                return False
            self.records.add(key)
        return True

    def carry(self, name: str, keep: bool = True) -> Path | None:
        """The last build's file of that name (its bytes' sha256), if they still are; with ``keep``
        false, only to be read (a shard about to be patched): ``prune`` then removes it."""
        if self.old is None:
            return None
        file = self.new / FILES / name
        if name in self.checked:
            return file
        try:
            good = hashlib.sha256(file.read_bytes()).hexdigest() == name
        except OSError:     # not moved here: from the last build's folder, if it is still there
            carried = self._carry(Path(FILES) / name, verify=name)
            if carried is not None and keep:
                self.checked.add(name)
            return carried
        if good and keep:
            self.checked.add(name)
        return file if good else None

    def remember(self, key: str, code: np.ndarray, value: np.ndarray, slice_names: list[str],
                 tokenizer: "Tokenizer") -> None:
        """Store a page's tokens and the names of its slices (written by ``stored``) for the next build."""
        _write_whole(self.new / RECORDS / key, _encode_record(code, value, slice_names, tokenizer))
        self.records.add(key)

    def last_layout(self) -> "_Layout | None":
        """What the last build's postings shards were made of (``_Layout``), if it is whole."""
        if self.old is None:
            return None
        try:
            layout = msgspec.msgpack.decode(zlib.decompress((self.old / LAYOUT).read_bytes()), type=_Layout)
        except (OSError, ValueError, zlib.error, msgspec.DecodeError):
            return None
        n = len(layout.urls)
        whole = len(layout.keys) == len(layout.counts) == len(layout.slices) == n and len(layout.files) == layout.shards
        return layout if whole else None

    def keep_layout(self, layout: "_Layout") -> None:
        (self.new / LAYOUT).parent.mkdir(parents=True, exist_ok=True)
        _write_whole(self.new / LAYOUT, zlib.compress(msgspec.msgpack.encode(layout), 1))

    def stored(self, data: bytes) -> Path:
        """The memo's file of these bytes: this build's, the last build's kept, or written now."""
        name = hashlib.sha256(data).hexdigest()
        file = self.new / FILES / name
        if name not in self.checked:
            if not holds(file, data):
                _write_whole(file, data)    # a new name: a damaged file is replaced, never written through
            self.checked.add(name)
        return file

    def prune(self) -> int:
        """Files and records this build neither wrote nor kept (pages gone or changed, shards patched,
        damaged files) are removed: the memo stays the size of one index. The number removed."""
        removed = 0
        for folder, kept in ((FILES, self.checked), (RECORDS, self.records)):
            for entry in os.scandir(self.new / folder):
                if entry.name not in kept:
                    os.unlink(entry.path)
                    removed += 1
        return removed

    def _carry(self, rel: Path, verify: str = "") -> Path | None:
        target = self.new / rel
        if target.exists():
            return target
        source = self.old / rel
        try:
            if verify and hashlib.sha256(source.read_bytes()).hexdigest() != verify:
                return None
            share(source, target, linking=True)   # the memo's own files are never written in place
        except OSError:
            return None
        return target


LAYOUT = "postings/layout"
LAYOUT_FORMAT = 1
PATCH_MIN = 50              # changed pages the postings are always patched for ...
PATCH_SHARE = 50            # ... or up to this share (1/50) of the pages; more are inverted anew


class _Layout(msgspec.Struct):
    """What an index's postings shards were made of, by page id: the page's memo key, its token
    count and slice names; then the shards' files in the memo and the common tokens. The next build
    patches those shards (Indexer._patch_postings) when its pages are the same in the same order."""
    urls: list[str]
    keys: list[bytes]
    counts: list[int]
    slices: list[list[bytes]]
    docs: int = 0
    shards: int = 0
    files: list[bytes] = []
    common: list[str] = []
    format: int = LAYOUT_FORMAT


def _write_whole(path: Path, data: bytes) -> None:
    """Written under another name, then renamed: a process killed meanwhile (the worker, for memory)
    leaves no short file under a name that says what its bytes are."""
    part = path.with_name(f"{path.name}.{os.getpid()}.part")
    part.write_bytes(data)
    os.replace(part, path)


def memo_key(entry: Entry, source: str, page: str = "") -> str:
    """``source``: the page's HTML, or its text marked as such (hashed apart: JSON-escaping whole pages
    was a tenth of the index's time in an edit at 100,000 documents); ``page``: its sha256 if known
    (a page from the build cache: its file's name; reading and hashing 100,000 was 5 s there)."""
    page = page or hashlib.sha256(source.encode("utf-8", "surrogatepass")).hexdigest()
    parts = [MEMO_FORMAT, page, entry.title, entry.summary, entry.doc_no, entry.publisher, entry.keywords]
    return hashlib.sha256(json.dumps(parts, ensure_ascii=False).encode("utf-8")).hexdigest()


def _encode_record(code: np.ndarray, value: np.ndarray, slice_names: list[str], tokenizer: "Tokenizer") -> bytes:
    """Bigram and character codes sorted and delta-coded (small numbers: zlib packs them), then the words;
    zlib's checksum covers it all."""
    other = code >= OTHER_BASE
    order = np.argsort(code[~other], kind="stable")
    base, base_value = code[~other][order], value[~other][order]
    packed = np.diff(base, prepend=0).astype("<i8").tobytes() + base_value.astype("<i2").tobytes()
    words = [tokenizer.token(c) for c in code[other].tolist()]
    return zlib.compress(msgspec.msgpack.encode([len(base), packed, words, value[other].tolist(), slice_names]), 1)


def _decode_record(path: Path, tokenizer: "Tokenizer") -> tuple[np.ndarray, np.ndarray, list[str]] | None:
    try:
        count, raw, words, word_values, names = msgspec.msgpack.decode(zlib.decompress(path.read_bytes()))
    except (OSError, ValueError, TypeError, zlib.error, msgspec.DecodeError):
        return None
    if (not isinstance(count, int) or not isinstance(raw, bytes) or len(raw) != count * 10
            or len(words) != len(word_values) or not all(isinstance(n, str) and len(n) == 64 for n in names)):
        return None
    base = np.cumsum(np.frombuffer(raw, dtype="<i8", count=count))
    base_value = np.frombuffer(raw, dtype="<i2", offset=count * 8)
    code = np.concatenate([base, np.array([tokenizer.other_code(w) for w in words], dtype=np.int64)])
    return code, np.concatenate([base_value, np.array(word_values, dtype=np.int16)]), names


def _entry_tokens(tokenizer: Tokenizer, entry: Entry) -> tuple[np.ndarray, np.ndarray]:
    """Codes of the entry's tokens and their value: first bucket, plus TITLE_BIT for title tokens.
    Summary, 文号, publisher and keywords count as bucket 0 when the body lacks them."""
    code, chunk = tokenizer.first_chunks(entry.body)
    extra = tokenizer.codes_of(" ".join([entry.summary, entry.doc_no, entry.publisher, *entry.keywords]))
    title = tokenizer.codes_of(entry.title)
    spoken = pinyin_tokens(entry.title).union(*map(pinyin_tokens, entry.keywords))
    if spoken:                      # pinyin of the title and keywords counts as title
        title = np.union1d(title, np.array(sorted(map(tokenizer.other_code, spoken)), dtype=np.int64))
    extra = np.setdiff1d(np.union1d(extra, title), code)
    code = np.concatenate([code, extra])
    value = np.concatenate([chunk | BODY_BIT, np.zeros(len(extra), dtype=np.int16)])
    value[np.isin(code, title)] |= TITLE_BIT
    return code, value


def _write_grouped(writer: Writer, folder: str, mapping: dict, shards: int) -> None:
    groups: list[dict] = [dict() for _ in range(shards)]
    for key, value in mapping.items():
        groups[shard_of(key, shards)][key] = value
    for h, group in enumerate(groups):     # empty ones too: the browser may ask for any shard
        writer.json(f"{folder}/{h}.json", group)


T2S_SHARDS = 64
TYPO_KEYS_PER_SHARD = 100     # a query reads one shard per typo key (one per character): keep them small
TYPO_SUGGESTIONS = 4           # terms kept per typo key, most frequent first
_BOOK_TITLE = re.compile(r"《([^《》]{2,40})》")


def suggestion_terms(e: Entry) -> set[str]:
    """What a "您是不是要找" suggestion may offer: keywords, the names in 《》 in the title, short titles."""
    terms = {fold(k).strip() for k in e.keywords} | {fold(m) for m in _BOOK_TITLE.findall(e.title)}
    if len(e.title) <= TYPO_TERM_MAX:
        terms.add(fold(e.title))
    return {t for t in terms if 2 <= len(t) <= TYPO_TERM_MAX}


def _typo_index(entries: list[Entry]) -> dict[str, list[list]]:
    """Typo key -> [[term, documents with it], ...], the most common terms first."""
    df: defaultdict[str, int] = defaultdict(int)
    for e in entries:
        for term in suggestion_terms(e):
            df[term] += 1
    out: defaultdict[str, list[list]] = defaultdict(list)
    for term in sorted(df, key=lambda t: (-df[t], t)):
        for key in sorted(typo_keys(term)):
            if len(out[key]) < TYPO_SUGGESTIONS:
                out[key].append([term, df[term]])
    return dict(out)


COMPLETE_MIN = 2              # characters typed before completions are offered
COMPLETE_KEEP = 8             # terms per start, most common first
COMPLETE_DEPTH = 12           # no longer starts get their own list
COMPLETE_SHARD_BYTES = 6000   # about 2 KB gzip: what one keystroke may add


def _completion_index(entries: list[Entry]) -> dict[str, list]:
    """Start of a term (plain characters) -> [more, [[term, documents], ..]]: the terms offered as the
    citizen types (the same terms as "您是不是要找"). A start gets its own list only when the list
    of the start one character shorter was cut, so a rare start costs nothing."""
    df: defaultdict[str, int] = defaultdict(int)
    for e in entries:
        for term in suggestion_terms(e):
            df[term] += 1
    starts: defaultdict[str, list[str]] = defaultdict(list)
    for term in sorted(df, key=lambda t: (-df[t], t)):
        key = plain(term)
        for n in range(COMPLETE_MIN, min(len(key), COMPLETE_DEPTH) + 1):
            starts[key[:n]].append(term)
    out: dict[str, list] = {}
    for start in sorted(starts, key=len):
        if len(start) > COMPLETE_MIN and not (start[:-1] in out and out[start[:-1]][0]):
            continue
        terms = starts[start]
        out[start] = [int(len(terms) > COMPLETE_KEEP), [[t, df[t]] for t in terms[:COMPLETE_KEEP]]]
    return out


def _row(e: Entry) -> list:
    return [e.title, e.doc_no, e.index_no, e.url, e.date.isoformat() if e.date else "", e.summary]


OTHER_KIND = "其他"
_TITLE_TAIL = re.compile(r"(?:[（(][^（）()]*[）)]|[\s》」”\"])+$")
_DOC_NO_PREFIX = re.compile(r"^(.+?)\s*[〔［\[【(（﹝]?\s*(?:19|20)\d\d")


def doc_kind(title: str, kinds: list[str]) -> str:
    """公文种类 of a title, outside the names in 《》 (关于印发《……办法》的通知 is a 通知): the kind it ends
    with (after trailing parentheses such as （试行）), else the kind that appears last in it, else 其他."""
    core = _TITLE_TAIL.sub("", _BOOK_TITLE.sub("", title))
    ending = [k for k in kinds if core.endswith(k)]
    if ending:
        return max(ending, key=len)
    last = max(((core.rfind(k) + len(k), len(k), k) for k in kinds if k in core), default=None)
    return last[2] if last else OTHER_KIND


def doc_no_prefix(doc_no: str) -> str:
    """发文机关代字 of a 文号: what precedes its year (冠政办发〔2021〕9号 → 冠政办发); "" without a year."""
    m = _DOC_NO_PREFIX.match(fold(doc_no).strip())
    return m[1].strip(" 　[〔［【(（﹝") if m else ""


def _meta(entries: list[Entry], docs: list[Entry], common: list[str], body_shards: int, key_shards: int,
          kinds: list[str] = ()) -> dict:
    pub, pub_codes = _label_codes([e.publisher for e in docs])
    kind, kind_codes = _label_codes([doc_kind(e.title, kinds) for e in docs])
    org, org_codes = _label_codes([doc_no_prefix(e.doc_no) for e in docs])
    cat, cat_codes = _label_codes([e.category for e in docs])
    col, col_codes = _label_codes([e.column for e in docs])
    val, val_codes = _label_codes([e.validity for e in docs])
    agency, agency_codes = _agency_codes(docs)
    ordinals = [e.date.toordinal() for e in docs]
    dates = [o - ordinals[i - 1] if i else o - dt.date(1970, 1, 1).toordinal() for i, o in enumerate(ordinals)]
    return {
        "v": 1, "docs": len(docs), "entries": len(entries),
        "shards": {"b": body_shards, "k": key_shards}, "block": BLOCK, "chunk": CHUNK, "bucket": BUCKET,
        "bits": {"value": VALUE_BITS, "title": TITLE_BIT, "body": BODY_BIT},
        "common": common,
        "labels": {"pub": pub, "cat": cat, "col": col, "val": val, "kind": kind, "org": org, "agency": agency},
        "names": {"agency": [dict(a for e in docs for a in e.agencies)[slug] for slug in agency]},
        "void": sorted({e.validity for e in docs if e.void}),   # 有效性 labels shown as a badge
        "facets": {"pub": _packed(pub_codes), "cat": _packed(cat_codes), "col": _packed(col_codes),
                   "val": _packed(val_codes), "kind": _packed(kind_codes), "org": _packed(org_codes),
                   "agency": agency_codes},
        "dates": dates,                                   # days since 1970-01-01, then deltas
        "written": [(e.date - e.written).days if e.written else -1 for e in docs],   # days before 发布日期; -1: none
        "tlen": _packed([len(e.title) for e in entries]),
    }


PACK_BASE = 0x30


def _foldable(folds: dict[str, str]) -> str:
    """The characters that have a simplified form, as the gaps between their code points, one character
    each (as _packed): 1.8 KB gzip in meta.json, and a query of simplified characters then loads no t/ shard."""
    points = sorted(map(ord, folds))
    return _packed([b - a for a, b in zip([0, *points], points)])


def _packed(codes: list[int]) -> str | list[int]:
    """Per-document small numbers as one character each (0 is "0"): a third of their JSON, and the
    first query reads meta.json whole (zf-search-core.js decodeMeta unpacks them). Numbers that
    would reach the surrogates stay a list."""
    if codes and (min(codes) < 0 or max(codes) >= 0xD800 - PACK_BASE):
        return codes
    return "".join(chr(PACK_BASE + c) for c in codes)


def _agency_codes(docs: list[Entry]) -> tuple[list[str], list]:
    """Agency slugs (the ?agency= of the search page's URL) and each document's code; a jointly
    issued document (联合发文) has the list of its agencies' codes and counts in each."""
    labels = sorted({slug for e in docs for slug, _ in e.agencies})
    index = {slug: i for i, slug in enumerate(labels)}
    codes = [[index[slug] for slug, _ in e.agencies] for e in docs]
    return labels, [c[0] if len(c) == 1 else c if c else -1 for c in codes]


_HEADING = re.compile(r"^#\s+(.+)$", re.M)


def fixed_pages(files, site) -> list[Entry]:
    """The hand-written pages (指南, 制度, 年报 ...): the pages the publication gate declared, without text yet."""
    from mkdocs.utils.meta import get_data     # MkDocs' own front-matter reader, as for the page itself
    out = []
    for file in sorted(files.documentation_pages(), key=lambda f: f.src_uri):
        if site.gate.kind(file.src_uri) != "page" or file.generated_by is not None:
            continue
        body, meta = get_data(file.content_string)
        if not body.strip():
            continue
        info = site.pages.get(file.src_uri)
        heading = _HEADING.search(body)
        title = meta.get("title") or (info.title if info else None) or (heading[1] if heading else file.name)
        out.append(Entry(str(title), file.url, ""))     # the text comes from the rendered page (add_html)
    return out


# --- building in a second process -------------------------------------------
# On a large site the index (about 3 s per 1,000 documents) is built by a second
# process while MkDocs renders the page templates in this one. The entries'
# metadata and each page's sanitized body HTML (MkDocs has converted all Markdown
# before on_env) are queued to it; it extracts the text and tokenizes it. So the
# worker indexes exactly the HTML the build publishes and renders nothing itself.
BACKGROUND_MIN = 500
_queue = None


def _init_worker(queue) -> None:
    global _queue
    _queue = queue


def _work(entries: list[Entry], site_dir: str, synonyms: list[list[str]], kinds: list[str],
          memo: tuple[str | None, str, bool] | None) -> Stats:
    indexer = Indexer(entries, site_dir, synonyms, kinds, memo)
    try:
        while (item := _queue.get()) is not None:
            indexer.add_page(*item)
        return indexer.finish()
    finally:
        indexer.close()


class Background:
    """The index built by a worker process from the pages' HTML sent to it; ``result()`` waits for it."""

    def __init__(self, entries: list[Entry], site_dir: str, synonyms: list[list[str]] = (),
                 kinds: list[str] = (), memo: tuple[str | None, str, bool] | None = None) -> None:
        self._queue = worker.CONTEXT.Queue()
        self.worker = worker.Worker(initializer=_init_worker, initargs=(self._queue,))
        self._future = self.worker.submit(_work, entries, site_dir, list(synonyms), list(kinds), memo)
        self._open = True

    def send(self, url: str, where: Slice) -> None:
        """A page's sanitized body, by where it is on disk (the text itself is not sent through the queue)."""
        if self._open and not self._future.done():
            self._queue.put((url, where))

    def end_input(self) -> None:
        """No more pages: the worker writes the index now, while this process renders templates."""
        if self._open:
            self._open = False
            self._queue.put(None)

    def result(self) -> Stats | None:
        """The worker's stats; None when the worker died (killed for memory?): build inline then."""
        try:
            self.end_input()
            return worker.Worker.result(self._future)
        finally:
            self.close()

    def close(self) -> None:
        if not self._future.done():
            self.end_input()
        self.worker.close(wait=True)
        self._queue.close()
        self._queue.cancel_join_thread()
