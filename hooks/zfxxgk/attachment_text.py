"""The text of published attachments (PDF, DOCX, XLSX), for the privacy scan.

Each file becomes ``Chunk`` values (where, text): a PDF page ("第 2 页"), a Word
paragraph or table cell ("第 3 段", "表 1 第 2 行第 3 列", "页眉 第 1 段"; tracked
deletions and hidden text too, they are in the published file), a spreadsheet
cell ("Sheet1!B3"). Extraction is bounded (file size, unzipped size, pages,
cells, characters): a broken, encrypted or oversized file yields a Chinese
``Problem`` naming the file and what happened, never a traceback. Other types
(.doc, .wps, .xls, .ofd, images, .zip) carry no extractable text here.
"""
from __future__ import annotations

import contextlib
import logging
import unicodedata
import warnings
import zipfile
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any, Callable, Iterator

from .problems import Problem

EXTRACTABLE = ("pdf", "docx", "xlsx")


@dataclass(frozen=True)
class Limits:
    """Per-file bounds; ``safety:`` in catalog/site.yml may override any of them (attachment_<name>)."""

    max_mb: int = 50               # file size on disk
    max_unzipped_mb: int = 300     # DOCX/XLSX: total uncompressed size of the zip members
    max_pages: int = 500           # PDF pages read
    max_cells: int = 2_000_000     # XLSX cells visited (empty ones count)
    max_chars: int = 5_000_000     # characters kept per file

    @classmethod
    def from_settings(cls, safety: dict[str, Any] | None) -> "Limits":
        safety = safety or {}
        return cls(**{f.name: int(safety[f"attachment_{f.name}"]) for f in fields(cls)
                      if f"attachment_{f.name}" in safety})


@dataclass(frozen=True)
class Chunk:
    where: str     # 第 2 页 | Sheet1!B3 | 第 3 段 | 表 1 第 2 行第 3 列
    text: str


class _Stop(Exception):
    """A bound was reached: keep what was read, report the message as a warning."""


def extract(path: Path, shown: str, limits: Limits = Limits()) -> tuple[list[Chunk], list[Problem]]:
    """Chunks of ``path``'s text and the problems met; ``shown`` names the file in messages."""
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
    chunks: list[Chunk] = []
    budget = [limits.max_chars]

    def keep(where: str, text: str) -> None:
        if text.strip():
            text = text[:budget[0]]
            budget[0] -= len(text)
            chunks.append(Chunk(where, text))
            if budget[0] <= 0:
                raise _Stop(f"文字超过 {limits.max_chars:,} 字，只检查了前 {limits.max_chars:,} 字")

    reader = {"pdf": _pdf, "docx": _docx, "xlsx": _xlsx}[ext]
    try:
        with _quiet():
            reader(path, limits, keep)
    except _Stop as stop:
        return chunks, [_problem(shown, f"{stop}；其余部分未检查，请拆分附件后再发布", "warning")]
    except _Unreadable as exc:
        return chunks, [_problem(shown, str(exc))]
    except Exception as exc:   # a hostile file may break a library anywhere: report, never a traceback
        return chunks, [_problem(shown, f"附件无法解析（{type(exc).__name__}: {str(exc)[:200]}），"
                                        f"可能已损坏或不是真正的 .{ext} 文件；无法确认其中不含个人信息，请另存后再发布")]
    return chunks, []


class _Unreadable(Exception):
    """The file cannot be read at all (encrypted, zip bomb): an error with this Chinese message."""


def _problem(shown: str, message: str, severity: str = "error") -> Problem:
    return Problem(shown, None, None, message, severity)  # type: ignore[arg-type]


@contextlib.contextmanager
def _quiet() -> Iterator[None]:
    """The libraries log and warn about every oddity of a file; the scan reports what matters itself."""
    loggers = [logging.getLogger(name) for name in ("pypdf", "openpyxl", "docx")]
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

# Fonts embedded by Chromium and office suites often map 示, 行, 人 ... to the look-alike
# Kangxi radicals (U+2F00–U+2FDF, U+2E80–U+2EFF); messages and the mark scan want the ideographs.
_RADICALS = str.maketrans({chr(c): unicodedata.normalize("NFKC", chr(c))
                           for c in [*range(0x2E80, 0x2F00), *range(0x2F00, 0x2FE0)]
                           if unicodedata.normalize("NFKC", chr(c)) != chr(c)})


def _pdf(path: Path, limits: Limits, keep: Callable[[str, str], None]) -> None:
    from pypdf import PdfReader
    from pypdf.errors import DependencyError

    reader = PdfReader(path)
    if reader.is_encrypted:
        try:
            opened = reader.decrypt("")   # files with an owner password only open without one
        except DependencyError:
            opened = 0
        if not opened:
            raise _Unreadable("附件已加密（需要密码才能打开），无法检查其中是否含有个人信息；请发布未加密的版本")
    total = len(reader.pages)
    for number, page in enumerate(reader.pages, start=1):
        if number > limits.max_pages:
            raise _Stop(f"共 {total} 页，只检查了前 {limits.max_pages} 页")
        keep(f"第 {number} 页", (page.extract_text() or "").translate(_RADICALS))


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
        return value if len(value) >= 11 else None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    if isinstance(value, float):
        if not value.is_integer():
            return None
        value = int(value)
    return str(value) if abs(value) >= 10 ** 10 else None
