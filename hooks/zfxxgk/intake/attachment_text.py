"""The text of published attachments (PDF, DOCX, XLSX), for the privacy scan.

PDF through PDFium (pypdfium2), DOCX through python-docx's XML, XLSX through
openpyxl (read-only). Each file becomes ``Chunk`` values (where, text): a PDF page ("第 2 页"), a Word
paragraph or table cell ("第 3 段", "表 1 第 2 行第 3 列", "页眉 第 1 段"; tracked
deletions and hidden text too, they are in the published file), a spreadsheet
cell ("Sheet1!B3"). Extraction is bounded (file size, unzipped size, pages,
cells, characters): a broken, encrypted or oversized file yields a Chinese
``Problem`` naming the file and what happened, never a traceback. Other types
(.doc, .wps, .xls, .ofd, images, .zip) carry no extractable text here.
Results may be cached by content hash, so an unchanged attachment is parsed once.
"""
from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import re
import unicodedata
import warnings
import zipfile
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any, Callable, Iterator

from zfxxgk.catalog.problems import Problem

EXTRACTABLE = ("pdf", "docx", "xlsx", "txt", "vtt")   # txt, vtt: the 文字稿 of audio and video 解读


@dataclass(frozen=True)
class Limits:
    """Per-file bounds; ``safety:`` in catalog/site.yml may override any of them (attachment_<name>)."""

    max_mb: int = 50               # file size on disk
    max_unzipped_mb: int = 300     # DOCX/XLSX: total uncompressed size of the zip members
    max_pages: int = 500           # PDF pages read
    max_cells: int = 2_000_000     # XLSX cells visited (empty ones count)
    max_chars: int = 5_000_000     # characters kept per file

    @classmethod
    def from_settings(cls, safety: dict[str, Any] | None) -> tuple["Limits", list[Problem]]:
        """The limits set under ``safety:``; a value that is not a positive whole number keeps the default."""
        values, problems = {}, []
        for f in fields(cls):
            key = f"attachment_{f.name}"
            if key not in (safety or {}):
                continue
            value = safety[key]
            if isinstance(value, int) and not isinstance(value, bool) and value > 0:
                values[f.name] = value
            else:
                problems.append(Problem("catalog/site.yml", None, f"safety.{key}",
                                        f"附件检查上限“{value}”不是正整数；请填写正整数，如 {f.default}"))
        return cls(**values), problems


@dataclass(frozen=True)
class Chunk:
    where: str     # 第 2 页 | Sheet1!B3 | 第 3 段 | 表 1 第 2 行第 3 列
    text: str


class _Stop(Exception):
    """A bound was reached: keep what was read, report the message as a warning."""


def extract(path: Path, shown: str, limits: Limits = Limits(),
            cache: Path | None = None) -> tuple[list[Chunk], list[Problem]]:
    """Chunks of ``path``'s text and the problems met; ``shown`` names the file in messages.

    With ``cache`` (a directory), the result is kept under the hash of the file's
    bytes, the limits and the extractors' versions, so an unchanged attachment is
    parsed once, not at every build (the scan itself always runs on the text).
    """
    ext = path.suffix.lower().lstrip(".")
    if ext not in EXTRACTABLE:
        return [], []
    try:
        size = path.stat().st_size
    except OSError as exc:
        return [], [_problem(shown, f"无法读取附件（{exc.strerror or exc}）")]
    if size > limits.max_mb * 1024 * 1024:
        return [], [_problem(shown, f"附件过大（{size / 1024 / 1024:.1f} MB），超过检查上限 {limits.max_mb} MB，"
                                    f"无法确认其中不含个人信息；请压缩或拆分后再发布")]
    entry = _cache_entry(cache, path, limits) if cache is not None else None
    if entry is not None and (hit := _cache_read(entry)) is not None:
        chunks, found = hit
    else:
        chunks, found = _extract(path, ext, limits)
        if entry is not None:
            _cache_write(entry, chunks, found)
    return chunks, [_problem(shown, message, severity) for message, severity in found]


def _extract(path: Path, ext: str, limits: Limits) -> tuple[list[Chunk], list[tuple[str, str]]]:
    """Chunks and (message, severity) of the problems; never raises."""
    chunks: list[Chunk] = []
    budget = [limits.max_chars]

    def keep(where: str, text: str) -> None:
        if text.strip():
            text = text[:budget[0]]
            budget[0] -= len(text)
            chunks.append(Chunk(where, text))
            if budget[0] <= 0:
                raise _Stop(f"文字超过 {limits.max_chars:,} 字，只检查了前 {limits.max_chars:,} 字")

    reader = {"pdf": _pdf, "docx": _docx, "xlsx": _xlsx, "txt": _plain, "vtt": _plain}[ext]
    try:
        with _quiet():
            reader(path, limits, keep)
    except _Stop as stop:
        return chunks, [(f"{stop}；其余部分未检查，请拆分附件后再发布", "warning")]
    except _Unreadable as exc:
        return chunks, [(str(exc), "error")]
    except Exception as exc:   # a hostile file may break a library anywhere: report, never a traceback
        return chunks, [(_unparsable(ext, f"{type(exc).__name__}: {str(exc)[:200]}"), "error")]
    return chunks, []


def _unparsable(ext: str, detail: str) -> str:
    return (f"附件无法解析（{detail}），可能已损坏或不是真正的 .{ext} 文件；"
            f"无法确认其中不含个人信息，请另存后再发布")


# --- cache -----------------------------------------------------------------

def _versions() -> str:
    from importlib.metadata import PackageNotFoundError, version
    out = [CACHE_FORMAT]
    for name in ("pypdfium2", "python-docx", "openpyxl"):
        try:
            out.append(f"{name}={version(name)}")
        except PackageNotFoundError:
            out.append(f"{name}=?")
    return " ".join(out)


CACHE_FORMAT = "zfxxgk-attachment-text/1"   # bump when chunking or normalisation changes
_VERSIONS: list[str] = []


def _cache_entry(cache: Path, path: Path, limits: Limits) -> Path | None:
    if not _VERSIONS:
        _VERSIONS.append(_versions())
    digest = hashlib.sha256(f"{_VERSIONS[0]}|{limits}|".encode())
    try:
        with path.open("rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
    except OSError:
        return None
    name = digest.hexdigest()
    return cache / name[:2] / f"{name}.json"


def _cache_read(entry: Path) -> tuple[list[Chunk], list[tuple[str, str]]] | None:
    try:
        data = json.loads(entry.read_text(encoding="utf-8"))
        return [Chunk(w, t) for w, t in data["chunks"]], [(m, s) for m, s in data["problems"]]
    except (OSError, ValueError, KeyError, TypeError):
        return None   # missing or damaged: extract again


def _cache_write(entry: Path, chunks: list[Chunk], problems: list[tuple[str, str]]) -> None:
    try:
        entry.parent.mkdir(parents=True, exist_ok=True)
        tmp = entry.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(json.dumps({"chunks": [[c.where, c.text] for c in chunks], "problems": problems},
                                  ensure_ascii=False), encoding="utf-8")
        os.replace(tmp, entry)
    except OSError:
        pass   # a read-only checkout still builds, only slower


class _Unreadable(Exception):
    """The file cannot be read at all (encrypted, zip bomb): an error with this Chinese message."""


def _problem(shown: str, message: str, severity: str = "error") -> Problem:
    return Problem(shown, None, None, message, severity)  # type: ignore[arg-type]


@contextlib.contextmanager
def _quiet() -> Iterator[None]:
    """The libraries log and warn about every oddity of a file; the scan reports what matters itself."""
    loggers = [logging.getLogger(name) for name in ("pypdfium2", "openpyxl", "docx")]
    levels = [lg.level for lg in loggers]
    for lg in loggers:
        lg.setLevel(logging.CRITICAL)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            yield
    finally:
        for lg, level in zip(loggers, levels):
            lg.setLevel(level)


# --- PDF -----------------------------------------------------------------

# Some embedded fonts map 示, 行, 人 ... to the look-alike Kangxi radicals (U+2F00–U+2FDF,
# U+2E80–U+2EFF); the text should read as written.
_RADICALS = str.maketrans({chr(c): unicodedata.normalize("NFKC", chr(c))
                           for c in [*range(0x2E80, 0x2F00), *range(0x2F00, 0x2FE0)]
                           if unicodedata.normalize("NFKC", chr(c)) != chr(c)})
_ANY_RADICAL = re.compile("[\u2e80-\u2fdf]")


def _ideographs(text: str) -> str:
    return text.translate(_RADICALS) if _ANY_RADICAL.search(text) else text   # translate: ~1 µs a character


def _plain(path: Path, limits: Limits, keep: Callable[[str, str], None]) -> None:
    """A UTF-8 text file (a transcript or a WebVTT caption file), one chunk a line."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise _Unreadable("文字稿不是 UTF-8 编码的文字，无法检查其中是否含有个人信息；请另存为 UTF-8") from None
    for number, line in enumerate(text.splitlines(), start=1):
        keep(f"第 {number} 行", line)


def _pdf(path: Path, limits: Limits, keep: Callable[[str, str], None]) -> None:
    """PDFium (Chrome's PDF engine, through pypdfium2): ~15x faster than pure-Python pypdf on CJK pages."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    try:
        pdf = pdfium.PdfDocument(path.read_bytes())
    except pdfium.PdfiumError as exc:
        if exc.err_code in (raw.FPDF_ERR_PASSWORD, raw.FPDF_ERR_SECURITY):
            raise _Unreadable("附件已加密（需要密码才能打开），无法检查其中是否含有个人信息；请发布未加密的版本") from None
        raise _Unreadable(_unparsable("pdf", "PDF 格式错误" if exc.err_code == raw.FPDF_ERR_FORMAT
                                      else f"PDFium 错误代码 {exc.err_code}")) from None
    try:
        total = len(pdf)
        for number in range(1, total + 1):
            if number > limits.max_pages:
                raise _Stop(f"共 {total} 页，只检查了前 {limits.max_pages} 页")
            page = pdf[number - 1]
            textpage = page.get_textpage()
            text = textpage.get_text_range()
            textpage.close()
            page.close()
            keep(f"第 {number} 页", _ideographs(text.replace("\r\n", "\n").replace("\r", "\n")))
    finally:
        pdf.close()


# --- zip-based Office files ------------------------------------------------

def _check_zip(path: Path, limits: Limits) -> None:
    try:
        with zipfile.ZipFile(path) as archive:
            unzipped = sum(info.file_size for info in archive.infolist())
            encrypted = "EncryptedPackage" in archive.namelist()
    except zipfile.BadZipFile:
        raise _Unreadable("附件不是有效的 Office Open XML 文件（可能已损坏、已加密，或是改了扩展名的旧版 .doc/.xls），"
                          "无法检查其中是否含有个人信息；请用办公软件另存为 .docx/.xlsx 或 PDF 后再发布") from None
    if encrypted:
        raise _Unreadable("附件已加密，无法检查其中是否含有个人信息；请发布未加密的版本")
    if unzipped > limits.max_unzipped_mb * 1024 * 1024:
        raise _Unreadable(f"附件解压后过大（{unzipped / 1024 / 1024:.0f} MB），超过检查上限 {limits.max_unzipped_mb} MB，"
                          f"无法确认其中不含个人信息")


# --- DOCX ------------------------------------------------------------------

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_PARTS = {"header": "页眉", "footer": "页脚", "footnotes": "脚注", "endnotes": "尾注", "comments": "批注"}


def _docx(path: Path, limits: Limits, keep: Callable[[str, str], None]) -> None:
    import docx
    from docx.oxml import parse_xml

    _check_zip(path, limits)
    document = docx.Document(str(path))
    _docx_body(document.element.body, keep)
    for rel in document.part.rels.values():
        kind = rel.reltype.rsplit("/", 1)[-1]
        if kind in _PARTS and not rel.is_external:
            element = parse_xml(rel.target_part.blob)
            for number, para in enumerate(element.iter(_W + "p"), start=1):
                keep(f"{_PARTS[kind]} 第 {number} 段", _para_text(para))


def _docx_body(body: Any, keep: Callable[[str, str], None]) -> None:
    paragraphs = tables = 0
    for block in _blocks(body):
        if block.tag == _W + "tbl":
            tables += 1
            for r, row in enumerate(block.iter(_W + "tr"), start=1):
                for c, cell in enumerate(row.findall(_W + "tc"), start=1):
                    keep(f"表 {tables} 第 {r} 行第 {c} 列", "\n".join(_para_text(p) for p in cell.iter(_W + "p")))
        else:
            paragraphs += 1
            keep(f"第 {paragraphs} 段", _para_text(block))


def _blocks(parent: Any) -> Iterator[Any]:
    """Top-level paragraphs and tables, looking through content controls (w:sdt)."""
    for child in parent:
        if child.tag in (_W + "p", _W + "tbl"):
            yield child
        elif child.tag == _W + "sdt":
            content = child.find(_W + "sdtContent")
            if content is not None:
                yield from _blocks(content)


def _para_text(para: Any) -> str:
    out = []
    for el in para.iter(_W + "t", _W + "delText", _W + "tab", _W + "br", _W + "cr"):
        if el.tag in (_W + "t", _W + "delText"):
            out.append(el.text or "")
        else:
            out.append("\t" if el.tag == _W + "tab" else "\n")
    return "".join(out)


# --- XLSX ------------------------------------------------------------------

def _xlsx(path: Path, limits: Limits, keep: Callable[[str, str], None]) -> None:
    import openpyxl
    from openpyxl.utils import get_column_letter

    _check_zip(path, limits)
    book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    visited = 0
    try:
        for sheet in book.worksheets:
            sheet.reset_dimensions()   # a declared A1:XFD1048576 must not make us walk empty cells
            for r, row in enumerate(sheet.iter_rows(values_only=True), start=1):
                visited += len(row) + 1
                if visited > limits.max_cells:
                    raise _Stop(f"单元格超过 {limits.max_cells:,} 个，只检查了前面部分（至「{sheet.title}」第 {r} 行）")
                for c, value in enumerate(row, start=1):
                    if (text := _cell_text(value)) is not None:
                        keep(f"{sheet.title}!{get_column_letter(c)}{r}", text)
    finally:
        book.close()


def _cell_text(value: Any) -> str | None:
    """The text of a cell that may hold a number of 11 or more digits; None for the rest."""
    if isinstance(value, str):
        return value if len(value) >= 11 and sum(c.isdigit() for c in value) >= 11 else None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    if isinstance(value, float):
        if not value.is_integer():
            return None
        value = int(value)
    return str(value) if abs(value) >= 10 ** 10 else None
