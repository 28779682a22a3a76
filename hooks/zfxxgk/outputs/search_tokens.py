"""Search tokens and exact keys, shared by the index builder and the browser.

The browser mirrors this module line for line in
``overrides/assets/javascripts/zf-search-core.js``; a test runs both over the
same tricky strings, so change them together.

Tokens: Chinese is not segmented (a segmenter in Python and another in the
browser disagree, and jieba costs about 6 s per 1,000 documents). Every run
of Han characters becomes its overlapping character bigrams (a lone character
stays a unigram); every run of Latin letters and digits, full-width folded to
ASCII and lower-cased, is one token. Everything else separates tokens.

Folding: full-width Latin letters and digits to ASCII, A-Z to a-z, and traditional Han
characters to simplified ones, one character for one (OpenCC's t2s, character by
character, so positions do not move). The browser fetches the traditional → simplified
pairs it needs from the index (``t/<h>.json``, by the character's shard).

Tolerance tokens, index side only (the browser builds the query side): pinyin of
titles and keywords as syllable bigrams (``~zhengwu``) and initials 4-grams
(``^zwgk``, plus the whole initials of two- and three-character runs, ``^db``);
and typo keys of short terms (a term with one character, or one pinyin syllable,
deleted) for "您是不是要找" suggestions.

Exact keys: a 文号 or 索引号 reduced to its letters, digits and Han
characters, so 冠政办发〔2021〕9号, 冠政办发[2021]9号, 冠政办发（2021）09号 and
冠政办发2021年9号 all give ``冠政办发2021-9``.
"""
from __future__ import annotations

import functools
import operator
import re

HAN_RANGES = ((0x3007, 0x3007), (0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF), (0x20000, 0x3134F))
HAN = "".join(f"{chr(a)}-{chr(b)}" for a, b in HAN_RANGES)
FULLWIDTH_ALNUM = "\uff10-\uff19\uff21-\uff3a\uff41-\uff5a"
_RUN = re.compile(f"[{HAN}]+|[0-9A-Za-z{FULLWIDTH_ALNUM}]+")
_FOLD = {c: c - 0xFEE0 for r in ((0xFF10, 0xFF19), (0xFF41, 0xFF5A)) for c in range(r[0], r[1] + 1)}
_FOLD |= {c: c - 0xFEE0 + 32 for c in range(0xFF21, 0xFF3B)} | {c: c + 32 for c in range(0x41, 0x5B)}
_KEEP = re.compile(f"[^0-9a-z{HAN}]+")
_YEAR_MARK = re.compile(r"((?:19|20)\d\d)年")
_NTH = re.compile(r"第(?=\d)")
_YEAR_SEQ = re.compile(r"^(.*?\D)((?:19|20)\d\d)0*(\d+)$")
_SEQ = re.compile(r"^(.*?\D)0*(\d+)$")


def fold(text: str) -> str:
    """Full-width Latin letters and digits to ASCII; A-Z to a-z; traditional Han characters to simplified."""
    return text.translate(_fold_table())


@functools.cache
def _fold_table() -> dict[int, int]:
    return {**{ord(t): ord(s) for t, s in t2s_table().items()}, **_FOLD}


@functools.cache
def t2s_table() -> dict[str, str]:
    """Traditional → simplified, character for character (both in the basic plane, one UTF-16 unit),
    from OpenCC's t2s applied to each Han character alone."""
    import opencc
    convert = opencc.OpenCC("t2s").convert
    out = {}
    for a, b in HAN_RANGES:
        for cp in range(a, min(b, 0xFFFF) + 1):
            simple = convert(chr(cp))
            if simple != chr(cp) and len(simple) == 1 and ord(simple) <= 0xFFFF:
                out[chr(cp)] = simple
    return out


def tokens(text: str) -> list[str]:
    """Bigram/word tokens of ``text`` in order, repeats kept."""
    out: list[str] = []
    for run in _RUN.findall(text):
        if run[0] in _ALNUM_START:
            out.append(fold(run))
        elif len(run) == 1:
            out.append(run)
        else:
            out.extend(map(operator.add, run, run[1:]))
    return out


_HAN_ONE = re.compile(f"(?<![{HAN}])[{HAN}](?![{HAN}])")
_WORD = re.compile(f"[0-9A-Za-z{FULLWIDTH_ALNUM}]+")
_HAN_CHAR = re.compile(f"[{HAN}]{{2}}")
_PAIRS_HAN: set[str] = set()     # adjacent pairs seen so far, split by whether both are Han
_PAIRS_OTHER: set[str] = set()


def token_set(text: str) -> set[str]:
    """``set(tokens(text))``, computed with set operations in C: every adjacent pair of Han
    characters is a bigram, so pair the whole text and keep the Han pairs (classified once)."""
    pairs = set(map(operator.add, text, text[1:]))
    for pair in pairs - _PAIRS_HAN - _PAIRS_OTHER:
        (_PAIRS_HAN if _HAN_CHAR.fullmatch(pair) else _PAIRS_OTHER).add(pair)
    out = pairs & _PAIRS_HAN
    out.update(_HAN_ONE.findall(text))
    out.update(map(fold, set(_WORD.findall(text))))
    return out


_ALNUM_START = frozenset("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                         + "".join(chr(c) for c in _FOLD))


def exact_key(text: str) -> str:
    """Normalised 文号/索引号: brackets, spaces, punctuation, 年, 第, 号 and leading zeros of the number dropped."""
    key = _KEEP.sub("", fold(text))
    key = _NTH.sub("", _YEAR_MARK.sub(r"\1", key))
    if key.endswith("号"):
        key = key[:-1]
    if m := _YEAR_SEQ.match(key):
        return f"{m[1]}{m[2]}-{m[3]}"
    if m := _SEQ.match(key):
        return m[1] + m[2]
    return key


def plain(text: str) -> str:
    """The folded letters, digits and Han characters of ``text``: type-ahead completions match on it."""
    return _KEEP.sub("", fold(text))


def shard_of(token: str, shards: int) -> int:
    """FNV-1a (32 bit) over code points, modulo ``shards``; the browser computes the same."""
    h = 0x811C9DC5
    for ch in token:
        h = ((h ^ ord(ch)) * 0x01000193) & 0xFFFFFFFF
    return h % shards


# --- tolerance: pinyin and typos (index side) ------------------------------------
_HAN_RUN = re.compile(f"[{HAN}]+")
PINYIN_READINGS = 2          # readings of a polyphonic character indexed (重庆: zhongqing and chongqing)
INITIALS = 4                 # initials n-gram length
TYPO_TERM_MAX = 24           # longer terms get no typo keys
PINYIN_TERM_MAX = 8


@functools.cache
def readings(ch: str) -> tuple[str, ...]:
    """Toneless pinyin readings of a Han character, most common first (pypinyin's dictionary)."""
    from pypinyin import Style, pinyin_dict
    from pypinyin.style import convert
    raw = pinyin_dict.pinyin_dict.get(ord(ch), "")
    out: list[str] = []
    for reading in raw.split(",") if raw else []:
        plain = convert(reading, Style.NORMAL, strict=True)
        if plain.isascii() and plain.isalpha() and plain not in out:
            out.append(plain)
    return tuple(out)


def pinyin_tokens(text: str) -> set[str]:
    """Pinyin tokens of a title or keyword: ``~`` + two syllables for each character bigram (first two
    readings of each), ``^`` + initials of each 4-character window, and of whole 2-3 character runs."""
    out: set[str] = set()
    for run in _HAN_RUN.findall(fold(text)):
        reads = [readings(c)[:PINYIN_READINGS] for c in run]
        if not all(reads):
            continue
        for a, b in zip(reads, reads[1:]):
            out.update(f"~{x}{y}" for x in a for y in b)
        letters = "".join(r[0][0] for r in reads)
        out.update("^" + letters[i:i + INITIALS] for i in range(len(letters) - INITIALS + 1))
        if 2 <= len(letters) < INITIALS:
            out.add("^" + letters)
    return out


def typo_keys(term: str) -> set[str]:
    """The term and the term with any one character deleted: two strings one substitution, insertion
    or deletion apart share a key. Pinyin keys (``~``) do the same over syllables (first readings)."""
    keys = {term} | {term[:i] + term[i + 1:] for i in range(len(term))}
    if len(term) <= PINYIN_TERM_MAX and all(readings(c) for c in term):
        syl = [readings(c)[0] for c in term]
        keys |= {"~" + "".join(syl)} | {"~" + "".join(syl[:i] + syl[i + 1:]) for i in range(len(syl))}
    return {k for k in keys if k and k != "~"}


def syllables() -> list[str]:
    """Every toneless syllable pypinyin knows (the browser's list for segmenting typed pinyin)."""
    from pypinyin import pinyin_dict
    return sorted({r for cp in pinyin_dict.pinyin_dict for r in readings(chr(cp))})
