"""附件: files kept beside a document and listed on its page with type and size.

Every valid document's attachments are checked (a missing file or a disallowed
type is an error, also for withheld documents); only published documents'
attachments are listed. ``Site.adjust_files`` copies only files referenced by
published documents, so a withheld document's attachments never reach the site.

音视频解读: an mp4/webm (video) or mp3 (audio) attachment is played on the page
and needs its 文字稿 (``transcript``: a .vtt caption file, also given to the
player as captions, or a .txt transcript) beside it: readers who cannot hear or
play it read the text (GB/T 37668, WCAG 1.2). A media file the body plays with
``<video>``/``<audio>`` must be such an attachment too.
"""
from __future__ import annotations

import dataclasses
import html
import posixpath
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, unquote

from zfxxgk.intake.model import Document
from zfxxgk.catalog.problems import Problem

# Allowed extensions and the type name shown to citizens.
TYPES = {
    "pdf": "PDF", "ofd": "OFD", "doc": "Word", "docx": "Word", "wps": "WPS",
    "xls": "Excel", "xlsx": "Excel", "zip": "ZIP",
    "png": "图片", "jpg": "图片", "jpeg": "图片", "gif": "图片",
    "mp4": "视频", "webm": "视频", "mp3": "音频",
}
MEDIA = {"mp4": "video", "webm": "video", "mp3": "audio"}     # played on the page with controls
TRANSCRIPTS = ("vtt", "txt")                                   # 文字稿: WebVTT captions or plain text
TRANSCRIPT_MAX_KB = 512
_BODY_MEDIA = re.compile(r"<(?:video|audio|source)\b[^>]*?\ssrc\s*=\s*[\"']?([^\"'\s>]+)", re.I)
_VTT_TIMING = re.compile(r"-->")
_TAG = re.compile(r"<[^>]*>")


@dataclass(frozen=True)
class Transcript:
    url: str           # site-relative, percent-encoded
    ext: str           # vtt | txt
    paragraphs: tuple[str, ...]


@dataclass(frozen=True)
class Attachment:
    title: str
    name: str          # file name
    url: str           # site-relative, percent-encoded
    ext: str
    size: int          # bytes
    transcript: Transcript | None = None
    in_body: bool = False   # the body plays it itself: the page adds only its 文字稿

    @property
    def media(self) -> str:
        """video | audio for a file the page plays, else ""."""
        return MEDIA.get(self.ext, "")

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
                transcript, problem = _transcript(doc, entry, ext, root)
                if problem:
                    problems.append(_problem(doc, problem))
                items.append(Attachment(title, posixpath.basename(src), quote(src), ext, path.stat().st_size, transcript))
        played, more = _body_media(doc, items)
        problems += more
        items = [dataclasses.replace(a, in_body=True) if a.url in played else a for a in items]
        if items and doc.publishable:
            found[doc.index_no] = items
    return found, problems


def _transcript(doc: Document, entry: dict[str, str], ext: str, root: Path) -> tuple[Transcript | None, str]:
    """The 文字稿 of a media attachment, or what is wrong (a media file without one is an error)."""
    name = entry.get("transcript", "")
    if ext not in MEDIA:
        return None, (f"“{entry['file']}”不是音视频文件，不需要文字稿（transcript）" if name else "")
    if not name:
        return None, (f"音视频文件“{entry['file']}”缺少文字稿：请在该附件下写 transcript（文字稿），"
                      f"填同目录的字幕文件（.vtt）或文字稿（.txt），供听障读者和无法播放的读者阅读")
    src = posixpath.normpath(posixpath.join(posixpath.dirname(doc.src), name.replace("\\", "/")))
    t_ext = posixpath.splitext(src)[1].lower().lstrip(".")
    path = (root / src).resolve()
    if t_ext not in TRANSCRIPTS:
        return None, f"“{entry['file']}”的文字稿“{name}”须为 .vtt 字幕或 .txt 文字稿"
    if not path.is_relative_to(root) or not path.is_file():
        return None, f"“{entry['file']}”的文字稿“{name}”不存在（应位于 {posixpath.join(posixpath.dirname(doc.path), name)}）"
    if path.stat().st_size > TRANSCRIPT_MAX_KB * 1024:
        return None, f"“{entry['file']}”的文字稿“{name}”超过 {TRANSCRIPT_MAX_KB} KB"
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        return None, f"“{entry['file']}”的文字稿“{name}”不是 UTF-8 编码的文字"
    paragraphs = _vtt_text(text) if t_ext == "vtt" else _txt_paragraphs(text)
    if not paragraphs:
        return None, f"“{entry['file']}”的文字稿“{name}”没有文字"
    return Transcript(quote(src), t_ext, tuple(paragraphs)), ""


def _txt_paragraphs(text: str) -> list[str]:
    return [" ".join(line.strip() for line in block.splitlines()) for block in re.split(r"\n\s*\n", text) if block.strip()]


def _vtt_text(text: str) -> list[str]:
    """The cues' text of a WebVTT file, one paragraph a cue (voice and styling tags dropped)."""
    out = []
    for block in re.split(r"\n\s*\n", text.replace("\r\n", "\n")):
        lines = block.strip().splitlines()
        timing = next((i for i, line in enumerate(lines) if _VTT_TIMING.search(line)), None)
        if timing is None:
            continue   # the WEBVTT header, NOTE and STYLE blocks
        cue = " ".join(_TAG.sub("", line).strip() for line in lines[timing + 1:]).strip()
        if cue:
            out.append(html.unescape(cue))
    return out


def _body_media(doc: Document, items: list[Attachment]) -> tuple[set[str], list[Problem]]:
    """The media the body plays (their URLs), each listed in 附件 with its 文字稿 (else a problem)."""
    listed = {a.url for a in items if a.transcript is not None}
    played: set[str] = set()
    out = []
    for match in _BODY_MEDIA.finditer(doc.body):
        target = match[1]
        ext = posixpath.splitext(target.split("?")[0].split("#")[0])[1].lower().lstrip(".")
        if ext not in MEDIA or "://" in target or target.startswith("/"):
            continue   # remote media are removed by the sanitizer (reported there)
        src = posixpath.normpath(posixpath.join(posixpath.dirname(doc.src), unquote(target)))
        if quote(src) not in listed and quote(src) not in played:
            out.append(Problem(doc.path, doc.body_line + doc.body[:match.start()].count("\n"), "attachments",
                               f"正文播放的音视频“{target}”须列入「附件」并写明文字稿（transcript：.vtt 字幕或 .txt 文字稿）"))
        played.add(quote(src))
    return played, out
