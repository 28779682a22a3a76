"""附件: files kept beside a document and listed on its page with type and size.

Every valid document's attachments are checked (a missing file or a disallowed
type is an error, also for withheld documents); only published documents'
attachments are listed. ``Site.adjust_files`` copies only files referenced by
published documents, so a withheld document's attachments never reach the site.
"""
from __future__ import annotations

import posixpath
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from zfxxgk.intake.model import Document
from zfxxgk.catalog.problems import Problem

# Allowed extensions and the type name shown to citizens.
TYPES = {
    "pdf": "PDF", "ofd": "OFD", "doc": "Word", "docx": "Word", "wps": "WPS",
    "xls": "Excel", "xlsx": "Excel", "zip": "ZIP",
    "png": "图片", "jpg": "图片", "jpeg": "图片", "gif": "图片",
}


@dataclass(frozen=True)
class Attachment:
    title: str
    name: str          # file name
    url: str           # site-relative, percent-encoded
    ext: str
    size: int          # bytes

    @property
    def type(self) -> str:
        return f"{TYPES[self.ext]}（.{self.ext}）"

    @property
    def size_text(self) -> str:
        if self.size >= 1024 * 1024:
            return f"{self.size / 1024 / 1024:.1f} MB"
        return f"{max(self.size, 1) / 1024:.1f} KB"


def _problem(doc: Document, message: str) -> Problem:
    return Problem(doc.path, doc.lines.get("attachments"), "attachments", "「附件」" + message)


def check(documents: list[Document], docs_dir: Path) -> tuple[dict[str, list[Attachment]], list[Problem]]:
    """Attachments of published documents by 索引号, and the problems of all documents."""
    root = Path(docs_dir).resolve()
    found: dict[str, list[Attachment]] = {}
    problems: list[Problem] = []
    for doc in documents:
        items = []
        for entry in doc.meta.get("attachments", []):
            src = posixpath.normpath(posixpath.join(posixpath.dirname(doc.src), entry["file"].replace("\\", "/")))
            shown = posixpath.join(posixpath.dirname(doc.path), entry["file"])
            ext = posixpath.splitext(src)[1].lower().lstrip(".")
            path = (root / src).resolve()
            if ext not in TYPES:
                problems.append(_problem(doc, f"“{entry['file']}”的文件类型{'“.' + ext + '”' if ext else '（无扩展名）'}不允许；"
                                              f"允许：{'、'.join(TYPES)}"))
            elif not path.is_relative_to(root) or not path.is_file():
                problems.append(_problem(doc, f"文件“{entry['file']}”不存在（应位于 {shown}）；"
                                              f"附件须与文档放在同一目录或其子目录中"))
            else:
                title = entry["title"] or posixpath.basename(src)
                items.append(Attachment(title, posixpath.basename(src), quote(src), ext, path.stat().st_size))
        if items and doc.publishable:
            found[doc.index_no] = items
    return found, problems
