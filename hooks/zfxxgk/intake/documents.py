"""Load and validate every document under ``content/documents/``.

Produces the ``Corpus``: valid documents (published and withheld), with URLs
assigned, plus every problem found in every file and across files.
"""
from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from zfxxgk.catalog import urls
from zfxxgk.catalog.terms import Catalogue
from zfxxgk.intake import relations
from zfxxgk.intake.relations import Relations
from zfxxgk.intake.frontmatter import MEMO_DIR, ParseMemo, split
from zfxxgk.intake.metadata import Validator
from zfxxgk.intake.model import Document
from zfxxgk.catalog.problems import Problem, Problems

DOCUMENTS_DIR = urls.DOCUMENTS_DIR


@dataclass
class Corpus:
    documents: list[Document] = field(default_factory=list)   # valid ones, newest first
    problems: Problems = field(default_factory=Problems)
    relations: Relations | None = None                          # 修订/废止 and 解读 between the documents

    _split: tuple[int, list[Document], list[Document]] | None = field(default=None, repr=False)

    def _published_and_withheld(self) -> tuple[list[Document], list[Document]]:
        # Templates ask for these on every page: compute once per corpus state, not per call.
        if self._split is None or self._split[0] != len(self.documents):
            self._split = (len(self.documents), [d for d in self.documents if d.publishable],
                           [d for d in self.documents if not d.publishable])
        return self._split[1], self._split[2]

    @property
    def published(self) -> list[Document]:
        return self._published_and_withheld()[0]

    @property
    def withheld(self) -> list[Document]:
        return self._published_and_withheld()[1]

    def release_bodies(self) -> None:
        """Drop the published documents' Markdown bodies once the checks that read them have run; the
        withheld ones' stay, the leak audit looks for their sentences in the output."""
        for doc in self.published:
            doc.release_body()

    def by_src(self) -> dict[str, Document]:
        return {d.src: d for d in self.documents}

    def by_index_no(self) -> dict[str, Document]:
        return {d.index_no: d for d in self.documents}


def slug(index_no: str) -> str:
    """ASCII URL segment from a 索引号; stable while the 索引号 is."""
    text = re.sub(r"[^0-9A-Za-z]+", "-", index_no).strip("-").lower()
    if not text or not index_no.isascii():
        text = "x" + hashlib.sha1(index_no.encode("utf-8")).hexdigest()[:12]
    return text


def document_files(docs_dir: Path) -> list[Path]:
    """Every Markdown file below content/documents/, in a stable order."""
    root = docs_dir / DOCUMENTS_DIR
    if not root.is_dir():
        return []
    out = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames.sort()
        out.extend(Path(dirpath) / name for name in sorted(filenames) if name.endswith(".md"))
    return out


def load_file(path: Path, docs_dir: Path, project_root: Path, validator: Validator,
              real_docs: Path | None = None, inside: bool = False,
              memo: ParseMemo | None = None) -> tuple[Document | None, list[Problem]]:
    """One document (``real_docs``: ``docs_dir`` resolved, when the caller has it; ``inside``: the
    caller has found the file to be no symbolic link and inside it, publication/gate.py; ``memo``:
    front matter parsed before)."""
    shown = shown_path(path, project_root)
    src = path.relative_to(docs_dir).as_posix()
    real = path if inside else Path(os.path.realpath(path))
    if not inside and not real.is_relative_to(real_docs or docs_dir.resolve()):
        return None, [Problem(shown, None, None, f"文件是指向 content/ 之外的符号链接（{real}），不予处理")]
    try:
        data = path.read_bytes()
    except OSError as exc:
        return None, [Problem(shown, None, None, f"无法读取文件：{exc.strerror}")]
    raw, problems = split(shown, data, memo)
    if raw is None:
        return None, problems
    doc, more = validator.validate(raw, src)
    if doc is not None:
        doc.url = urls.DOCUMENT.format(slug=slug(doc.index_no))
        doc.source_digest = hashlib.sha256(data).hexdigest()
    return doc, problems + more


def load_corpus(docs_dir: Path, catalogue: Catalogue, project_root: Path | None = None,
                files: list[Path] | None = None, surveyed: bool = False) -> Corpus:
    """Validate ``files`` (default: every document) and the rules that span files; ``surveyed``:
    the files are the publication gate's documents, each found to be inside ``docs_dir`` and no link.

    The documents come back complete: URL set, relations resolved, 有效性 as of the
    build date; later stages read them and never patch them.
    """
    docs_dir = Path(docs_dir)
    project_root = Path(project_root or docs_dir.parent)
    validator = Validator(catalogue)
    corpus = Corpus()
    real_docs = docs_dir.resolve()
    memo = ParseMemo(project_root / ".cache" / MEMO_DIR)
    for path in files if files is not None else document_files(docs_dir):
        doc, problems = load_file(path, docs_dir, project_root, validator, real_docs, inside=surveyed, memo=memo)
        corpus.problems.extend(problems)
        if doc is not None:
            corpus.documents.append(doc)
    if files is None or surveyed:   # every document: a subset's memo would forget the others
        memo.save()
    corpus.problems.extend(check_unique(corpus.documents))
    corpus.documents.sort(key=Document.sort_key)
    corpus._split = None
    corpus.relations, problems = relations.resolve(corpus.documents, catalogue, relations.build_date(catalogue.settings))
    corpus.problems.extend(problems)
    return corpus


def check_unique(documents: list[Document]) -> list[Problem]:
    """索引号 is unique in the site, and so is the URL made from it."""
    problems = []
    seen: dict[str, Document] = {}
    for doc in sorted(documents, key=lambda d: d.path):
        key = slug(doc.index_no)
        if (first := seen.get(key)) is None:
            seen[key] = doc
            continue
        same = first.index_no == doc.index_no
        what = f"索引号“{doc.index_no}”与 {first.path} 重复" if same else \
            f"索引号“{doc.index_no}”与 {first.path} 的“{first.index_no}”生成相同网址"
        problems.append(Problem(doc.path, doc.lines.get("index_no"), "index_no",
                                f"「索引号」{what}；索引号在全站必须唯一。若两人同时新建了文件，"
                                f"请为后提交的文件改用下一个未用的索引号（python -m zfxxgk new 会自动分配）"))
    return problems


def shown_path(path: Path, root: Path) -> str:
    """A path as editors see it in messages: relative to the project root when inside it."""
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()
