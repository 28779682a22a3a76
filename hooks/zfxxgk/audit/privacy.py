"""Personal information and classification marks in published documents (条例 art.14–15).

Scans a published document's body, front matter values and attachment names for
18-digit 居民身份证号码 with a valid check digit and birth date (error), bank
card numbers passing the Luhn check in a 16–19 digit run (error), mobile phone
numbers (warning; a warning fails ``mkdocs build --strict``) and classification
marks (error). A number the document lists in ``public_numbers`` (可公开号码) is
allowed; nothing else is waived. Office landlines (0xxx-xxxxxxx) do not match.
Messages show the match masked (3701**********1234), never the full number.
"""
from __future__ import annotations

import datetime as dt
import re
from typing import Any, Iterable, Iterator

from zfxxgk.intake.model import Document
from zfxxgk.catalog.problems import Problem

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
# A digit run not glued to other digits (or to a landline's area code "0xxx-").
_ID = re.compile(r"(?<![0-9])[1-9][0-9]{16}[0-9Xx](?![0-9A-Za-z])")
_CARD = re.compile(r"(?<![0-9-])[0-9]{4}(?:[ -]?[0-9]{4}){3}(?:[ -]?[0-9]{1,3})?(?![0-9])")
_MOBILE = re.compile(r"(?<![0-9-])(?:\+?86[ -]?)?(1[3-9][0-9](?:[ -]?[0-9]{4}){2})(?![0-9])")
# Marks as printed on a document: 密级★ (not when quoted in running text), and
# 内部资料 / 此件不公开 standing on their own line or in brackets (both are
# also ordinary words, e.g. 内部资料性出版物, 明确标识“此件不公开”).
_MARK = re.compile(r"(?<![“\"「『‘])(绝密|机密|秘密)\s*★"
                   r"|^[ \t（(【\[]*(?:内部资料|此件不公开)[ \t）)】\]]*$|[（(【]此件不公开[）)】]", re.M)
# Front matter keys that identify the document itself, not a person.
IDENTIFIER_KEYS = ("index_no", "unified_no", "doc_no", "public_numbers")


def id_number_valid(number: str) -> bool:
    """18-digit 居民身份证号码: GB 11643 check digit and a plausible birth date."""
    if len(number) != 18 or not number[:17].isdigit():
        return False
    total = sum(int(d) * w for d, w in zip(number[:17], _ID_WEIGHTS))
    if _ID_CHECK[total % 11] != number[17].upper():
        return False
    try:
        born = dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return False
    return born.year >= 1900


def luhn_valid(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        n = int(ch)
        if i % 2:
            n = n * 2 - 9 if n > 4 else n * 2
        total += n
    return total % 10 == 0


def mask(number: str) -> str:
    """Keep the first 4 and last 4 characters (3 and 4 for a mobile number)."""
    digits = re.sub(r"[^0-9Xx]", "", number)
    head = 3 if len(digits) <= 11 else 4
    return digits[:head] + "*" * (len(digits) - head - 4) + digits[-4:]


def _digits(text: str) -> str:
    return re.sub(r"[^0-9Xx]", "", str(text)).upper()


# Cheap prefilters: most documents have no 11-digit run and no mark at all, and the
# full patterns (with look-behinds) cost ~0.2 ms per scan on a long law.
_ELEVEN_DIGITS = re.compile(r"[0-9][0-9 -]{9,}[0-9Xx]")
_MARK_WORDS = ("★", "内部资料", "此件不公开")


def scan_text(text: str, allowed: frozenset[str] = frozenset()) -> Iterator[tuple[int, str, str, str]]:
    """(offset, kind, shown, severity) for each finding in ``text``; kind: id | card | mobile | mark."""
    if not _ELEVEN_DIGITS.search(text):
        return
    ids: list[tuple[int, int]] = []
    for m in _ID.finditer(text):
        if id_number_valid(m[0]) and _digits(m[0]) not in allowed:
            ids.append(m.span())
            yield m.start(), "id", mask(m[0]), "error"
    for m in _CARD.finditer(text):
        digits = _digits(m[0])
        if 16 <= len(digits) <= 19 and luhn_valid(digits) and digits not in allowed \
                and not any(a <= m.start() < b for a, b in ids):
            yield m.start(), "card", mask(m[0]), "error"
    for m in _MOBILE.finditer(text):
        if _digits(m[1]) not in allowed:
            yield m.start(1), "mobile", mask(m[1]), "warning"


def scan_marks(text: str) -> Iterator[tuple[int, str]]:
    if not any(word in text for word in _MARK_WORDS):
        return
    for m in _MARK.finditer(text):
        yield m.start(), m[0]


KIND_TEXT = {
    "id": "疑似居民身份证号码（校验位有效）",
    "card": "疑似银行卡号（通过 Luhn 校验）",
    "mobile": "疑似手机号码",
}


def _line_of(text: str, offset: int) -> int:
    return text.count("\n", 0, offset)


def _meta_texts(doc: Document) -> Iterable[tuple[str, str]]:
    """(key, text) of every front matter value that may carry personal information."""
    for key, value in doc.meta.items():
        if key in IDENTIFIER_KEYS:
            continue
        yield key, _flatten(value)


def _flatten(value: Any) -> str:
    if isinstance(value, dict):
        return "\n".join(_flatten(v) for v in value.values())
    if isinstance(value, list):
        return "\n".join(_flatten(v) for v in value)
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


def allowed_numbers(doc: Document) -> frozenset[str]:
    return frozenset(_digits(n) for n in doc.meta.get("public_numbers", []) if _digits(n))


def check_document(doc: Document) -> list[Problem]:
    """Personal information in a published document, and classification marks on it."""
    allowed = allowed_numbers(doc)
    problems: list[Problem] = []
    waiver = "；如确属可公开的号码（如单位公开电话），请在元数据「可公开号码」(public_numbers) 中逐个列出"
    for key, text in _meta_texts(doc):
        for _, kind, shown, severity in scan_text(text, allowed):
            problems.append(Problem(doc.path, doc.lines.get(key), key,
                                    f"元数据中有{KIND_TEXT[kind]} {shown}；已发布文件不得公开个人信息{waiver}", severity))
    for offset, kind, shown, severity in scan_text(doc.body, allowed):
        line = doc.body_line + _line_of(doc.body, offset)
        problems.append(Problem(doc.path, line, None,
                                f"正文中有{KIND_TEXT[kind]} {shown}；已发布文件不得公开个人信息{waiver}", severity))
    for key, text in (("title", doc.title), ("summary", doc.summary), ("", doc.body)):
        for offset, mark in scan_marks(text):
            line = doc.body_line + _line_of(text, offset) if not key else doc.lines.get(key)
            problems.append(Problem(doc.path, line, key or None,
                                    f"发现密级或不公开标志“{mark}”，但公开属性为「{doc.attribute}」；"
                                    f"涉密或标注不公开的文件不得发布，请核实公开属性或删除该标志"))
    return problems
