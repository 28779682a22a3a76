"""Personal information and classification marks in everything published (条例 art.14–15).

Scans published documents (body, front matter values), hand-written pages, the
editors' YAML data (decision catalogues, annual reports) and the text of
published attachments (PDF, DOCX, XLSX through ``attachment_text``) for:

* 居民身份证号码, errors: 18 digits with a valid GB 11643 check digit, province
  code and birth date; 15-digit first-generation numbers (province code +
  YYMMDD + 3 digits, valid date). Written contiguous or grouped as a clerk types
  them (370102 19900307 1234, 3701-0219-9003-0712-34), in full-width digits
  (３７０１…Ｘ) or with full-width spaces and dashes;
* bank card numbers passing the Luhn check in a 16–19 digit run (error);
* mobile phone numbers (warning; a warning fails ``mkdocs build --strict``);
* classification marks on documents (error).

A number a document lists in ``public_numbers`` (可公开号码) is allowed there and
in its attachments, and a hand-written page may list its own; nothing else is
waived. Office landlines (0xxx-xxxxxxx), 文号, 索引号 and dates do not match.
Messages show the match masked (3701**********1234), never the full number.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import posixpath
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable, Iterator

import msgspec

from zfxxgk.audit.leaks import Memo
from zfxxgk.catalog import yamlfile
from zfxxgk.catalog.problems import Problem
from zfxxgk.intake import attachment_text, frontmatter
from zfxxgk.intake.model import Document

if TYPE_CHECKING:
    from zfxxgk.catalog.terms import Catalogue


_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
# GB/T 2260 province-level codes: the first two digits of every 居民身份证号码.
_PROVINCES = frozenset({"11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37",
                        "41", "42", "43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64",
                        "65", "71", "81", "82", "83"})
# What a clerk types instead of ASCII: full-width digits and X, other spaces and dashes. Each maps to
# one ASCII character, so an offset into the normalised text is an offset into the original.
_WIDE_DIGITS = "０１２３４５６７８９"
_SPACES = "\u3000\u00a0\u2002\u2003\u2009\u202f"
_DASHES = "－‐‑‒–—―−"
_WIDE = {**{w: str(i) for i, w in enumerate(_WIDE_DIGITS)}, "Ｘ": "X", "ｘ": "x", **{s: " " for s in _SPACES}}
_NORMALISE_DIGITS = str.maketrans(_WIDE)   # for cards and phones: a dash before them keeps its meaning
_NORMALISE = str.maketrans({**_WIDE, **{d: "-" for d in _DASHES}})
_TO_NORMALISE = re.compile(f"[{_WIDE_DIGITS}Ｘｘ{_SPACES}{_DASHES}]")   # str.translate costs ~1 µs a CJK character


def _normalised(text: str, table: dict[int, str]) -> str:
    return text.translate(table) if _TO_NORMALISE.search(text) else text
# A run of digit groups, each separated by spaces or a hyphen: "370102 19900307 1234", "3701-0219-…";
# an ID number is made of whole consecutive groups (see _id_at). The check digit X may stand alone.
_GROUP_RUN = re.compile(r"(?<![0-9])[0-9]+[Xx]?(?:(?: {1,3}| ?- ?)(?:[0-9]+[Xx]?|[Xx]))*")
_GROUP = re.compile(r"[0-9]+[Xx]?|[Xx]")
# Words naming a 15-digit number that is not an ID (营业执照注册号, IMEI, 订单号 ...).
_CODE_BEFORE = re.compile(r"注册号|执照|代码|编码|编号|串号|IMEI|订单|单号|流水号|发票|账号", re.I)
_CARD = re.compile(r"(?<![0-9-])[0-9]{4}(?:[ -]?[0-9]{4}){3}(?:[ -]?[0-9]{1,3})?(?![0-9])")
_MOBILE = re.compile(r"(?<![0-9-])(?:\+?86[ -]?)?(1[3-9][0-9](?:[ -]?[0-9]{4}){2})(?![0-9])")
# Marks as printed on a document: 密级★ (not when quoted in running text), and
# 内部资料 / 此件不公开 standing on their own line or in brackets (both are
# also ordinary words, e.g. 内部资料性出版物, 明确标识“此件不公开”).
_MARK = re.compile(r"(?<![“\"「『‘])(绝密|机密|秘密)\s*★"
                   r"|^[ \t（(【\[]*(?:内部资料|此件不公开)[ \t）)】\]]*$|[（(【]此件不公开[）)】]", re.M)
# Front matter keys that identify the document itself, not a person.
IDENTIFIER_KEYS = ("index_no", "unified_no", "doc_no", "public_numbers")
PUBLIC_NUMBERS = "public_numbers"


def _birth_date(year: int, digits: str) -> dt.date | None:
    """MMDD after the year as a date no later than today, or None."""
    try:
        born = dt.date(year, int(digits[:2]), int(digits[2:4]))
    except ValueError:
        return None
    return born if 1900 <= born.year and born <= dt.date.today() else None


def id_number_valid(number: str) -> bool:
    """18-digit 居民身份证号码: province code, plausible birth date and GB 11643 check digit."""
    if len(number) != 18 or not number[:17].isdigit() or number[:2] not in _PROVINCES:
        return False
    if _birth_date(int(number[6:10]), number[10:14]) is None:
        return False
    total = sum(int(d) * w for d, w in zip(number[:17], _ID_WEIGHTS))
    return _ID_CHECK[total % 11] == number[17].upper()


def id15_valid(number: str) -> bool:
    """15-digit first-generation number: province code + area + YYMMDD (born 19YY) + 3 digits."""
    return (len(number) == 15 and number.isdigit() and number[:2] in _PROVINCES
            and _birth_date(1900 + int(number[6:8]), number[8:12]) is not None)


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
    return re.sub(r"[^0-9Xx]", "", str(text).translate(_NORMALISE)).upper()


# Runs of 11+ digits (ASCII or full-width) and separators: most texts have none.
_ELEVEN_DIGITS = re.compile(f"[0-9{_WIDE_DIGITS}][0-9{_WIDE_DIGITS} \\-{_SPACES}{_DASHES}]{{9,}}[0-9{_WIDE_DIGITS}XxＸｘ]")
_MARK_WORDS = ("★", "内部资料", "此件不公开")


def id_numbers(text: str) -> Iterator[tuple[int, int, str]]:
    """(start, end, digits) of each ID number (18 or 15 digits) in ASCII-normalised ``text``."""
    for run in _GROUP_RUN.finditer(text):
        if run.end() - run.start() < 15:
            continue   # fewer than 15 digits
        groups = [(m.start() + run.start(), m.end() + run.start()) for m in _GROUP.finditer(run[0])]
        first = 0
        while first < len(groups):
            # A number starts with a province code (its first group has 3+ digits, see _id_at).
            at = groups[first][0]
            found = _id_at(text, groups, first) if text[at:at + 2] in _PROVINCES else None
            if found is None:
                first += 1
                continue
            yield found
            first = next((i for i, g in enumerate(groups) if g[0] >= found[1]), len(groups))


def _id_at(text: str, groups: list[tuple[int, int]], first: int) -> tuple[int, int, str] | None:
    """The valid ID number made of whole groups from ``first`` on, if any.

    Groups before the last have at least 3 digits (how clerks group: 6-8-4,
    6-4-4-4, 4-4-4-4-2; a table row of small counts does not qualify). An
    18-digit number may mix separators, its check digit being strong evidence;
    a 15-digit one has none, so it is one group, or 6-6-3 with one separator
    standing alone (not three numbers of a table row), and not a registration
    or other code named just before it.
    """
    digits, sizes, seps, best = "", [], set(), None
    for i in range(first, len(groups)):
        if sizes and sizes[-1] < 3:
            break
        if i > first:
            seps.add(text[groups[i - 1][1]:groups[i][0]])
        start, end = groups[first][0], groups[i][1]
        digits += text[groups[i][0]:end]
        sizes.append(end - groups[i][0])
        if len(digits) > 18 or (digits[-1] in "Xx" and len(digits) != 18):
            break
        if end < len(text) and text[end].isascii() and text[end].isalpha():
            continue   # glued to letters: a code, not an ID number
        if len(digits) == 18 and id_number_valid(digits):
            best = (start, end, digits.upper())
        elif len(digits) == 15 and (sizes == [15] or (sizes == [6, 6, 3] and len(seps) == 1 and first == 0
                                                      and i == len(groups) - 1)) \
                and id15_valid(digits) and not _CODE_BEFORE.search(text, max(0, start - 12), start):
            best = (start, end, digits)
    return best


def scan_text(text: str, allowed: frozenset[str] = frozenset()) -> Iterator[tuple[int, str, str, str]]:
    """(offset, kind, shown, severity) for each finding in ``text``; kind: id | id15 | card | mobile."""
    for window in _ELEVEN_DIGITS.finditer(text):
        # Every finding lies in a run of 11+ digits and separators; the full patterns (look-behinds
        # at every position) cost ~0.1 µs a character, so they only see these runs and a little context.
        lo, hi = max(0, window.start() - 4), min(len(text), window.end() + 2)
        for offset, kind, shown, severity in _scan_window(text[lo:hi], allowed):
            yield lo + offset, kind, shown, severity


def _scan_window(text: str, allowed: frozenset[str]) -> Iterator[tuple[int, str, str, str]]:
    ids: list[tuple[int, int]] = []
    for start, end, digits in id_numbers(_normalised(text, _NORMALISE)):
        ids.append((start, end))
        if digits not in allowed:
            yield start, "id" if len(digits) == 18 else "id15", mask(digits), "error"

    def inside_id(m: re.Match) -> bool:
        return any(a < m.end() and m.start() < b for a, b in ids)

    text = _normalised(text, _NORMALISE_DIGITS)
    for m in _CARD.finditer(text):
        digits = _digits(m[0])
        if 16 <= len(digits) <= 19 and luhn_valid(digits) and digits not in allowed and not inside_id(m):
            yield m.start(), "card", mask(m[0]), "error"
    for m in _MOBILE.finditer(text):
        if _digits(m[1]) not in allowed and not inside_id(m):
            yield m.start(1), "mobile", mask(m[1]), "warning"


def scan_marks(text: str) -> Iterator[tuple[int, str]]:
    if not any(word in text for word in _MARK_WORDS):
        return
    for m in _MARK.finditer(text):
        yield m.start(), m[0]


_WAIVER = "；如确属可公开的号码（如单位公开电话），请在元数据「可公开号码」(public_numbers) 中逐个列出"
KIND_TEXT = {
    "id": "疑似居民身份证号码（校验位有效）",
    "id15": "疑似居民身份证号码（15 位第一代，出生日期有效）",
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
    waiver = _WAIVER
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


def document_id(doc: Document, salt: str) -> str:
    """Everything ``check_document`` reads of a document: its path, lines, metadata and body (the
    code and the catalogues are in the salt: the build cache's site digest). The body stands in as
    the digest of the file it was split from (``source_digest``): hashing it again cost more than
    half the time the memo saved."""
    body = doc.source_digest or doc.body
    return hashlib.sha256(_ID_JSON.encode([salt, doc.path, doc.lines, doc.body_line, doc.meta, body])).hexdigest()


_ID_JSON = msgspec.json.Encoder(enc_hook=repr)


def _checked(doc: Document, memo: Memo | None) -> list[Problem]:
    if memo is None:
        return check_document(doc)
    ident = document_id(doc, memo.salt)
    if ident in memo.clean:
        memo.clean_now.add(ident)
        return []
    problems = check_document(doc)
    if not problems:
        memo.clean_now.add(ident)
    return problems


# --- everything else that reaches the site -----------------------------------------


def check_published(published: Iterable[Document], pages: Iterable[str], data_files: Iterable[str],
                    docs_dir: Path, cat: "Catalogue | None" = None, assets: Iterable[str] = (),
                    cache: Path | None = None, memo: Memo | None = None) -> list[Problem]:
    """Personal information in everything that reaches the site.

    ``published``: the published documents (body, front matter, marks; their
    attachments' text). ``pages``: hand-written Markdown pages, ``data_files``:
    the editors' YAML data, ``assets``: any other published file (only PDF, DOCX
    and XLSX have text to scan); all three as paths relative to ``docs_dir``.
    ``cat`` gives the spellings of 可公开号码 for pages and the attachment limits
    (``safety:`` in catalog/site.yml); ``cache``, a directory where the text of
    unchanged attachments is kept between builds; ``memo``, the documents the last build found clean
    (by ``document_id``: they are not scanned again; the ones clean now go into ``memo.clean_now``).
    """
    docs = list(published)
    root = Path(docs_dir)
    problems = [p for doc in docs for p in _checked(doc, memo)]
    labels = _public_number_keys(cat)
    problems += [p for src in sorted(set(pages)) for p in check_page(root, src, labels)]
    problems += [p for src in sorted(set(data_files)) for p in check_data_file(root, src)]
    limits, more = attachment_text.Limits.from_settings(cat.settings.safety.attachment_limits() if cat else {})
    problems += more + check_attachments(docs, root, assets, limits, cache)
    return problems


def _shown(docs_dir: Path, src: str) -> str:
    return f"{docs_dir.name}/{src}"


def _public_number_keys(cat: "Catalogue | None") -> frozenset[str]:
    if cat is None:
        return frozenset({PUBLIC_NUMBERS})
    return frozenset(label for label, key in cat.key_for_label.items() if key == PUBLIC_NUMBERS)


def _problems_in(text: str, allowed: frozenset[str], make) -> list[Problem]:
    return [make(offset, f"{KIND_TEXT[kind]} {shown}", severity) for offset, kind, shown, severity
            in scan_text(text, allowed)]


def check_page(docs_dir: Path, src: str, public_keys: frozenset[str] = frozenset({PUBLIC_NUMBERS})) -> list[Problem]:
    """A hand-written page, front matter included; it may list its own 可公开号码."""
    shown = _shown(docs_dir, src)
    try:
        data = (docs_dir / src).read_bytes()
    except OSError as exc:
        return [Problem(shown, None, None, f"无法读取页面（{exc.strerror or exc}），无法检查其中是否含有个人信息")]
    text, problems = frontmatter.decode(shown, data)
    if text is None:
        return problems
    allowed = frozenset()
    if text.startswith(frontmatter.FENCE + "\n") and any(key in text for key in public_keys):
        raw, _ = frontmatter.split(shown, data)   # front matter problems are MkDocs' and the gate's to report
        for entry in raw.entries if raw else ():
            if entry.key in public_keys:
                values = entry.value if isinstance(entry.value, list) else re.split(r"[,，、;；]", str(entry.value))
                allowed = frozenset(d for v in values if (d := _digits(v)))
    return _problems_in(text, allowed, lambda offset, what, severity: Problem(
        shown, _line_of(text, offset) + 1, None, f"页面中有{what}；发布的页面不得公开个人信息{_WAIVER}", severity))


def check_data_file(docs_dir: Path, src: str) -> list[Problem]:
    """Every value of an editors' YAML data file, at the line of its key."""
    shown = _shown(docs_dir, src)
    raw, problems = yamlfile.load(docs_dir / src, shown)
    if problems:   # the file's own loader reports it and the build stops there
        return []
    out: list[Problem] = []
    for key, line, text in _yaml_strings(raw, None, None):
        out += _problems_in(text, frozenset(), lambda offset, what, severity: Problem(
            shown, line, key, f"数据中有{what}；发布的数据不得公开个人信息，请删除该号码", severity))
    return out


def _yaml_strings(value: Any, key: str | None, line: int | None) -> Iterator[tuple[str | None, int | None, str]]:
    """(key, line of the key, text) of every scalar below ``value``; list items take their key's."""
    if isinstance(value, dict):
        lines = getattr(value, "lines", {})
        for k, v in value.items():
            yield from _yaml_strings(v, str(k), lines.get(str(k), line))
    elif isinstance(value, list):
        for item in value:
            yield from _yaml_strings(item, key, getattr(item, "line", None) or line)
    elif value is not None:
        yield key, line, value.isoformat() if hasattr(value, "isoformat") else str(value)


def check_attachments(docs: list[Document], docs_dir: Path, assets: Iterable[str] = (),
                      limits: attachment_text.Limits = attachment_text.Limits(),
                      cache: Path | None = None) -> list[Problem]:
    """The text of every published PDF, DOCX and XLSX: documents' attachments and ``assets``."""
    owners: dict[str, list[Document]] = {}
    for doc in docs:
        for entry in doc.meta.get("attachments", []):
            target = str(entry.get("file", "")).replace("\\", "/")
            owners.setdefault(posixpath.normpath(posixpath.join(posixpath.dirname(doc.src), target)), []).append(doc)
    root = docs_dir.resolve()
    out: list[Problem] = []
    for src in sorted(set(owners) | set(assets)):
        path = (docs_dir / src).resolve()
        if posixpath.splitext(src)[1].lower().lstrip(".") not in attachment_text.EXTRACTABLE \
                or not path.is_relative_to(root) or not path.is_file():
            continue   # other types carry no extractable text; missing files are attachments.check's
        out += _check_file(path, _shown(docs_dir, src), owners.get(src, []), limits, cache)
    return out


def _check_file(path: Path, shown: str, owners: list[Document], limits: attachment_text.Limits,
                cache: Path | None) -> list[Problem]:
    chunks, problems = attachment_text.extract(path, shown, limits, cache)
    allowed = frozenset().union(*(allowed_numbers(d) for d in owners))
    of = f"（附件所属文件：{'、'.join(sorted({d.path for d in owners}))}）" if owners else ""
    for chunk in chunks:
        problems += _problems_in(chunk.text, allowed, lambda offset, what, severity: Problem(
            shown, None, None, f"附件（{chunk.where}）中有{what}{of}；已发布的附件不得公开个人信息{_WAIVER}", severity))
    return problems
