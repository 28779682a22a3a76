"""政策问答: every question of every 问答-form 解读 on one page, by 主题分类 and interpreted document.

徐泾 2023 #5-#6 asks for "常见问题解答清单，在同一页面发布". A question is a
paragraph (or heading) of a 解读 whose ``form`` is 问答 that starts with "问："
(emphasis or heading marks around it allowed); its answer is every paragraph up
to the next question. Each question has a stable anchor built from the 解读's
索引号 and its position (``q-<索引号 slug>-<n>``), so a link to a question
survives edits elsewhere. Built from a list of published documents, so an
agency's 专栏 can have its own page later.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from zfxxgk.intake.documents import slug
from zfxxgk.catalog.agencies import Agency
from zfxxgk.intake.model import Document
from zfxxgk.intake.relations import Relations

TITLE = "政策问答"
FORM = "问答"
_QUESTION = re.compile(r"^(?:#{1,6}\s*)?(?:[*_]{1,3})?\s*(?:\d+[.、．]\s*)?问\s*[：:]\s*(.+?)\s*(?:[*_]{1,3})?\s*$")
_ANSWER = re.compile(r"^(?:[*_]{1,3})?\s*答\s*[：:]\s*(?:[*_]{1,3})?\s*")
_NOTE = re.compile(r"^[（(].*[）)]$")      # a closing editorial note such as （本件为……）
_INLINE = re.compile(r"(\*\*|__|[*_`])")


@dataclass
class Question:
    anchor: str
    text: str
    answer: list[str]          # plain-text paragraphs (the template escapes them)


@dataclass
class Interpretation:
    doc: Document              # the 问答 解读
    questions: list[Question]


@dataclass
class Policy:
    doc: Document              # the interpreted document
    interpretations: list[Interpretation] = field(default_factory=list)

    @property
    def count(self) -> int:
        return sum(len(i.questions) for i in self.interpretations)


@dataclass
class Theme:
    name: str                  # 主题分类 of the interpreted documents
    anchor: str
    policies: list[Policy] = field(default_factory=list)


@dataclass
class QAPage:
    themes: list[Theme]
    url: str = ""                        # urls.QA under the column with role qa
    column: str = ""
    owner: Agency | None = None
    title: str = TITLE

    @property
    def count(self) -> int:
        return sum(p.count for t in self.themes for p in t.policies)


def _plain(text: str) -> str:
    return _INLINE.sub("", text).strip()


def questions(doc: Document) -> list[Question]:
    """The question/answer pairs of a 问答 解读's Markdown body."""
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", doc.body) if p.strip()]
    out: list[Question] = []
    for para in paragraphs:
        first = para.splitlines()[0].strip()
        if (m := _QUESTION.match(first)) and len(para.splitlines()) == 1:
            out.append(Question(f"q-{slug(doc.index_no)}-{len(out) + 1}", _plain(m[1]), []))
        elif out:
            out[-1].answer.append(_plain(_ANSWER.sub("", " ".join(l.strip() for l in para.splitlines()))))
    if out and len(out[-1].answer) > 1 and _NOTE.match(out[-1].answer[-1]):
        out[-1].answer.pop()
    return out


def build(published: list[Document], rel: Relations) -> QAPage | None:
    """The page, or None when no published 问答 解读 has a question."""
    policies: dict[str, Policy] = {}
    for doc in sorted(published, key=lambda d: (d.published, d.index_no)):
        target = rel.interprets.get(doc.index_no)
        if doc.meta.get("form") != FORM or target is None or not doc.publishable or not target.publishable:
            continue
        found = questions(doc)
        if found:
            policies.setdefault(target.index_no, Policy(target)).interpretations.append(Interpretation(doc, found))
    if not policies:
        return None
    themes: dict[str, Theme] = {}
    for policy in sorted(policies.values(), key=lambda p: p.doc.sort_key()):
        theme = policy.doc.theme
        themes.setdefault(theme.name, Theme(theme.name, "zt-" + theme.code.replace("/", "-"))).policies.append(policy)
    return QAPage(sorted(themes.values(), key=lambda t: t.anchor))
