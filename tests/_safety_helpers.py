"""Shared by the safety tests (audit, privacy, sanitize, deadlines, hostile input): real documents from real files."""
from __future__ import annotations

from pathlib import Path

from conftest import ROOT
from zfxxgk.catalog import terms as catalogue
from zfxxgk.intake.documents import load_corpus
from zfxxgk.intake.documents import Corpus

CAT = catalogue.load(ROOT / "catalog")

FIELDS = {
    "title": "示例县人民政府办公室关于做好政务公开工作的通知",
    "index_no": "000000001/2021-00001",
    "publisher": "示例县人民政府",
    "category": "综合政务/政务公开",
    "column": "法定主动公开内容/法规文件/其他文件",
    "published": "2021-06-28",
    "attribute": "主动公开",
}


def front(**overrides: object) -> str:
    """A valid front matter block; ``None`` drops a field."""
    fields = {**FIELDS, **overrides}
    lines = [f"{k}: {v}" for k, v in fields.items() if v is not None]
    return "---\n" + "\n".join(lines) + "\n---\n"


def corpus_of(tmp_path: Path, files: dict[str, str], check: bool = True) -> Corpus:
    """Validate ``files`` (name -> text) written below a fresh content/documents/ (``check``: none may fail)."""
    docs = tmp_path / "content" / "documents"
    for name, text in files.items():
        path = docs / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    corpus = load_corpus(tmp_path / "content", CAT, tmp_path)
    assert not check or not corpus.problems.errors, [p.format() for p in corpus.problems.errors]
    return corpus


def one_doc(tmp_path: Path, body: str = "正文。\n", **fields: object):
    return corpus_of(tmp_path, {"a.md": front(**fields) + "\n" + body}).documents[0]
