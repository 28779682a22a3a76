"""Postings of the static search index: tokens as integer codes, spilled to disk by hash group,
inverted into the shard files ``b/<h>.json``, and patched in place of a full inversion when an
edit changes a few pages (search_index.Indexer decides which; this module does the work).

A posting is ``(id delta) << VALUE_BITS | in_body << 9 | in_title << 8 | bucket`` (the layout
zf-search-core.js reads; search_index's docstring describes the files)."""
from __future__ import annotations

import functools
import re
from pathlib import Path
from typing import Protocol

import numpy as np

from zfxxgk.outputs.search_tokens import FULLWIDTH_ALNUM, HAN_RANGES, _fold_table, fold, shard_of

BUCKET = 256                # characters per position bucket
MAX_BUCKET = 255            # buckets fit 8 bits; later text counts as the last bucket
TITLE_BIT = 256
BODY_BIT = 512              # the token is in the page text (not only in title, 文号, summary, keywords)
VALUE_BITS = 10
POSTINGS_PER_SHARD = 3000   # about 10 KB of JSON per postings shard: a query reads one per token
COMMON_SHARE = 0.3          # tokens in more than this share of documents are "common"
COMMON_MIN_DOCS = 200
OTHER_BASE = 1 << 42
_WORD = re.compile(f"[0-9A-Za-z{FULLWIDTH_ALNUM}]+")


class Writes(Protocol):
    def write(self, rel: str, text: str) -> str:
        """Write a file of the index; its name in the memo (or "")."""


def _codes(text: str) -> np.ndarray:
    return np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32).astype(np.int64)


@functools.cache
def _fold_map() -> np.ndarray:
    """search_tokens.fold as a lookup table over the basic plane (it maps nothing outside it)."""
    table = np.arange(0x10000, dtype=np.int64)
    for src, dst in _fold_table().items():
        table[src] = dst
    return table


def _fold_codes(codes: np.ndarray) -> np.ndarray:
    bmp = codes < 0x10000
    if bmp.all():
        return _fold_map()[codes]
    out = codes.copy()
    out[bmp] = _fold_map()[codes[bmp]]
    return out


def _is_han(codes: np.ndarray) -> np.ndarray:
    out = np.zeros(len(codes), dtype=bool)
    for a, b in HAN_RANGES:
        out |= (codes >= a) & (codes <= b)
    return out


class Tokenizer:
    """search_tokens.tokens() for a whole corpus, vectorised: bigrams become integer codes
    ``a << 21 | b`` (no string per occurrence); lone characters and words get codes above 2**42."""

    def __init__(self) -> None:
        self.vocab: dict[str, int] = {}
        self.names: list[str] = []          # "other" tokens by code - OTHER_BASE

    def other_code(self, token: str) -> int:
        code = self.vocab.get(token)
        if code is None:
            code = self.vocab[token] = OTHER_BASE + len(self.vocab)
            self.names.append(token)
        return code

    def first_chunks(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        """(token codes, position bucket where each first appears), over the folded text."""
        codes = _fold_codes(_codes(text))    # search_tokens.fold, one character for one: positions stay
        han = _is_han(codes)
        after = np.concatenate([han[1:], [False]])
        before = np.concatenate([[False], han[:-1]])
        pos = np.flatnonzero(han & after)                       # bigrams start here
        lone = np.flatnonzero(han & ~after & ~before)           # a lone Han character is its own token
        parts_code = [(codes[pos] << 21) | codes[pos + 1], codes[lone]]
        parts_pos = [pos, lone]
        words = [(self.other_code(fold(m[0])), m.start()) for m in _WORD.finditer(text)]
        if words:
            parts_code.append(np.array([c for c, _ in words], dtype=np.int64))
            parts_pos.append(np.array([p for _, p in words], dtype=np.int64))
        uniq, first = np.unique(np.concatenate(parts_code), return_index=True)
        chunk = np.minimum(np.concatenate(parts_pos)[first] // BUCKET, MAX_BUCKET)
        return uniq, chunk.astype(np.int16)

    def codes_of(self, text: str) -> np.ndarray:
        return self.first_chunks(text)[0]

    def token(self, code: int) -> str:
        if code >= OTHER_BASE:
            return self.names[code - OTHER_BASE]
        if code < 1 << 21:
            return chr(code)
        return chr(code >> 21) + chr(code & 0x1FFFFF)


def pow2(n: float) -> int:
    out = 1
    while out < n:
        out *= 2
    return out


# Postings of a whole corpus do not fit in memory at 10,000 documents (40 M entries,
# 2.6 GB as numpy arrays and strings). They are spilled to disk in GROUPS files by
# token hash as the documents are read, then each group is sorted and written on
# its own. The shard count is a power of two >= GROUPS, so every shard's tokens
# sit in exactly one group (shard % GROUPS == hash % GROUPS).
GROUPS = 64
_RECORD = np.dtype([("code", "<i8"), ("id", "<i4"), ("value", "<i2")])
_FLUSH_RECORDS = 1 << 20


class Spill:
    def __init__(self, folder: Path, tokenizer: "Tokenizer") -> None:
        self.folder, self.tokenizer = folder, tokenizer
        self.pending: list[np.ndarray] = []
        self.pending_size = 0
        self.total = 0
        self.other_hash: dict[int, int] = {}

    def add(self, doc_id: int, code: np.ndarray, value: np.ndarray) -> None:
        rec = np.empty(len(code), dtype=_RECORD)
        rec["code"], rec["id"], rec["value"] = code, doc_id, value
        self.pending.append(rec)
        self.pending_size += len(rec)
        self.total += len(rec)
        if self.pending_size >= _FLUSH_RECORDS:
            self.flush()

    def hashes(self, codes: np.ndarray) -> np.ndarray:
        """FNV-1a of each code's token, as search_tokens.shard_of computes it (before the modulo)."""
        out = _fnv_codes(codes)
        for n in np.flatnonzero(codes >= OTHER_BASE).tolist():
            code = int(codes[n])
            if code not in self.other_hash:
                self.other_hash[code] = shard_of(self.tokenizer.token(code), 1 << 32)
            out[n] = self.other_hash[code]
        return out

    def flush(self) -> None:
        if not self.pending:
            return
        rec = np.concatenate(self.pending)
        self.pending, self.pending_size = [], 0
        group = (self.hashes(rec["code"]) % GROUPS).astype(np.int64)
        order = np.argsort(group, kind="stable")           # stable: document order kept within a group
        rec, group = rec[order], group[order]
        bounds = np.searchsorted(group, np.arange(GROUPS + 1))
        for g in range(GROUPS):
            if bounds[g] < bounds[g + 1]:
                with open(self.folder / f"{g}.bin", "ab") as fh:
                    rec[bounds[g]:bounds[g + 1]].tofile(fh)

    def groups(self):
        self.flush()
        for g in range(GROUPS):
            path = self.folder / f"{g}.bin"
            if path.exists():
                yield np.fromfile(path, dtype=_RECORD)
                path.unlink()


def write_postings(writer: Writes, tokenizer: Tokenizer, spill: Spill, docs: int) -> tuple[int, list[bytes], list[str]]:
    """Invert the spilled postings into shard files, one hash group at a time; returns (shards, the
    files' names in the memo by shard, common tokens)."""
    shards = max(GROUPS, pow2(spill.total / POSTINGS_PER_SHARD))
    limit = COMMON_SHARE * docs
    common: list[str] = []
    files = [b""] * shards
    empty = set(range(shards))
    for rec in spill.groups():
        groups, group_common = _invert(tokenizer, rec, shards, limit if docs >= COMMON_MIN_DOCS else None)
        common += group_common
        for h, group in groups.items():
            files[h] = bytes.fromhex(writer.write(f"b/{h}.json", "{" + ",".join(group) + "}"))
            empty.discard(h)
    for h in sorted(empty):      # the browser may ask for any shard: a missing file would read as a failed index
        files[h] = bytes.fromhex(writer.write(f"b/{h}.json", "{}"))
    return shards, files, sorted(common)


def _invert(tokenizer: Tokenizer, rec: np.ndarray, shards: int, limit: float | None) -> tuple[dict[int, list[str]], list[str]]:
    """Postings lists of one group's records: ``{shard: ['"token":[..]', ...]}`` and its common tokens."""
    order = np.lexsort((rec["id"], rec["code"]))              # pages arrive in any order: ids ascending per token
    code, value, ids = rec["code"][order], rec["value"][order], rec["id"][order]
    starts = np.flatnonzero(np.concatenate([[True], code[1:] != code[:-1]]))
    delta = np.diff(ids, prepend=0)
    delta[starts] = ids[starts]
    enc = (delta.astype(np.int64) << VALUE_BITS) | value
    # One C-level join for the group's postings, then each token's list is a slice of it.
    text = ",".join(map(str, enc.tolist()))
    widths = np.floor(np.log10(np.maximum(enc, 1))).astype(np.int64) + 2   # digits + comma
    offsets = np.concatenate([[0], np.cumsum(widths)]).tolist()
    bounds = starts.tolist() + [len(code)]
    names, hashes = names_and_shards(tokenizer, code[starts], shards)
    counts = np.diff(bounds).tolist()
    groups: dict[int, list[tuple[str, str]]] = {}
    for n, start in enumerate(bounds[:-1]):
        groups.setdefault(hashes[n], []).append((names[n], f'"{names[n]}":[{text[offsets[start]:offsets[bounds[n + 1]] - 1]}]'))
    common = [names[n] for n, c in enumerate(counts) if limit is not None and c > limit]
    # Tokens in name order: word codes depend on the order pages arrived in, the files must not.
    return {h: [part for _, part in sorted(g)] for h, g in sorted(groups.items())}, common


_SHARD_LIST = re.compile(r'"([^"]+)":\[([^\]]*)\]')


def patched_shard(text: str, names: set[str], changed: set[int],
                   lists: dict[str, list[tuple[int, int]]]) -> tuple[str, dict[str, int]]:
    """A postings shard (as _invert writes it) with the ``names``' lists made again: without the
    ``changed`` pages, with their postings in ``lists``. Other tokens' lists are copied as they are.
    Returns the shard and the patched tokens' document counts."""
    found = list(_SHARD_LIST.finditer(text))
    parts, numbers = {m[1]: m[0] for m in found}, {m[1]: m[2] for m in found}
    gone = np.array(sorted(changed), dtype=np.int64)
    counts = {}
    for name in names:
        ids, values = np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
        if name in numbers:     # a common token's list is long: numpy, not tuples
            enc = np.array(numbers[name].split(","), dtype=np.int64)
            ids, values = np.cumsum(enc >> VALUE_BITS), enc & ((1 << VALUE_BITS) - 1)
            keep = ~np.isin(ids, gone)
            ids, values = ids[keep], values[keep]
        if added := lists.get(name):
            ids = np.concatenate([ids, np.array([i for i, _ in added], dtype=np.int64)])
            values = np.concatenate([values, np.array([v for _, v in added], dtype=np.int64)])
            order = np.argsort(ids, kind="stable")
            ids, values = ids[order], values[order]
        parts.pop(name, None)
        if len(ids):
            enc = (np.diff(ids, prepend=0) << VALUE_BITS) | values
            parts[name] = f'"{name}":[' + ",".join(map(str, enc.tolist())) + "]"
            counts[name] = len(ids)
    return "{" + ",".join(parts[n] for n in sorted(parts)) + "}", counts


def _fnv_codes(codes: np.ndarray) -> np.ndarray:
    """32-bit FNV-1a of bigram and single-character codes (other codes are left 0)."""
    first, second = (codes >> 21).astype(np.uint64), (codes & 0x1FFFFF).astype(np.uint64)
    basis = np.uint64(0x811C9DC5)
    bigram = (codes >= 1 << 21) & (codes < OTHER_BASE)
    single = codes < 1 << 21
    out = np.zeros(len(codes), dtype=np.uint64)
    out[bigram] = _fnv_step(_fnv_step(basis, first[bigram]), second[bigram])
    out[single] = _fnv_step(basis, second[single])
    return out


def _fnv_step(h: np.ndarray, c: np.ndarray) -> np.ndarray:
    return ((h ^ c) * 0x01000193) & 0xFFFFFFFF


def names_and_shards(tokenizer: Tokenizer, codes: np.ndarray, shards: int) -> tuple[list[str], list[int]]:
    """Token strings and their shards for distinct codes, vectorised for the Han tokens
    (the same FNV-1a as search_tokens.shard_of, one step per character)."""
    names = np.empty(len(codes), dtype=object)
    first, second = (codes >> 21).astype(np.uint64), (codes & 0x1FFFFF).astype(np.uint64)
    bigram = (codes >= 1 << 21) & (codes < OTHER_BASE)
    single = codes < 1 << 21
    pairs = np.stack([first[bigram], second[bigram]], axis=1).astype("<u4")
    names[bigram] = pairs.view("<U2").ravel()
    names[single] = codes[single].astype("<u4").view("<U1")
    out = (_fnv_codes(codes) % np.uint64(shards)).astype(np.int64)
    for n in np.flatnonzero(codes >= OTHER_BASE).tolist():
        names[n] = tokenizer.token(int(codes[n]))
        out[n] = shard_of(names[n], shards)
    return names.tolist(), out.tolist()
