"""Documents in relation: the validity lifecycle (修订/废止, 有效期至) and policy interpretations.

``resolve`` reads ``replaces`` / ``interprets`` / ``valid_until`` of every valid
document once (O(n) with dicts), reports the cross-document errors naming both
files, and sets each document's validity as of the build date, so listings,
badges and the annual report count a document as 失效 without an edit.
"""
from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field

from zfxxgk.catalog.settings import SiteSettings
from zfxxgk.catalog.terms import Catalogue, CatalogueError, Validity
from zfxxgk.intake.metadata import FieldError, as_date
from zfxxgk.intake.model import Document
from zfxxgk.catalog.problems import Problem

CHINA = dt.timezone(dt.timedelta(hours=8))   # "today" is the date in Beijing time


def build_date(settings: SiteSettings) -> dt.date:
    """"Today": catalog/site.yml ``build_date``, else SOURCE_DATE_EPOCH, else the clock."""
    if settings.build_date:
        try:
            return as_date(settings.build_date)
        except FieldError as exc:
            raise CatalogueError(f"catalog/site.yml：build_date（构建日期）{exc}") from None
    if epoch := os.environ.get("SOURCE_DATE_EPOCH", "").strip():
        try:
            return dt.datetime.fromtimestamp(int(epoch), CHINA).date()
        except (ValueError, OverflowError, OSError):
            raise CatalogueError(f"环境变量 SOURCE_DATE_EPOCH 应为整数秒数，得到“{epoch}”") from None
    return dt.datetime.now(CHINA).date()


@dataclass(frozen=True)
class Link:
    kind: str          # 修订 | 废止
    doc: Document      # the document at the other end


@dataclass
class DocRelations:
    """What one document's page shows about its relations (published documents only)."""
    replaced_by: Link | None = None        # the document that revised or abolished this one
    replaced_kind: str = ""                 # 修订 | 废止, also when the replacer is not published
    in_force: Document | None = None       # the version now in force, when not the direct replacer
    history: list[tuple[Document, str, bool]] = field(default_factory=list)   # (version, how it ended, void), oldest first
    replaces: list[Link] = field(default_factory=list)
    interpretations: list[Document] = field(default_factory=list)
    interprets: Document | None = None
    expired_on: dt.date | None = None      # 有效期至 passed


@dataclass
class Relations:
    today: dt.date
    replaced_by: dict[str, Link] = field(default_factory=dict)          # index_no -> newer document
    replaces: dict[str, list[Link]] = field(default_factory=dict)       # index_no -> older documents
    interpretations: dict[str, list[Document]] = field(default_factory=dict)
    interprets: dict[str, Document] = field(default_factory=dict)       # interpretation -> policy

    def void_date(self, doc: Document) -> dt.date | None:
        """When the document stopped being in force, if the metadata says."""
        if (link := self.replaced_by.get(doc.index_no)) is not None:
            return link.doc.published
        if (until := doc.meta.get("valid_until")) is not None and until < self.today:
            return until + dt.timedelta(days=1)
        return None

    def forward(self, doc: Document) -> list[Link]:
        """doc -> its replacer -> that one's replacer ... (cycles were cut in ``resolve``)."""
        chain, node = [], doc
        while (link := self.replaced_by.get(node.index_no)) is not None:
            chain.append(link)
            node = link.doc
        return chain

    def backward(self, doc: Document) -> list[Document]:
        """Older versions while the lineage is linear (a batch 废止 decision ends it)."""
        chain, node = [], doc
        while len(older := self.replaces.get(node.index_no, [])) == 1:
            node = older[0].doc
            chain.append(node)
        return chain[::-1]

    def view(self, doc: Document) -> DocRelations:
        out = DocRelations()
        link = self.replaced_by.get(doc.index_no)
        if link is not None:
            out.replaced_kind = link.kind
            if link.doc.publishable:
                out.replaced_by = link
            chain = self.forward(doc)
            head = chain[-1].doc      # the newest version; A -> B -> C points A to C
            if len(chain) > 1 and head.publishable and head.in_force:
                out.in_force = head
        lineage = self.backward(doc) + [doc] + [l.doc for l in self.forward(doc)]
        if len(lineage) > 1:
            out.history = [(d, self._ended(d), self.ended_void(d)) for d in lineage if d.publishable]
        out.replaces = [l for l in self.replaces.get(doc.index_no, []) if l.doc.publishable]
        out.interpretations = self.interpretations.get(doc.index_no, [])
        out.interprets = self.interprets.get(doc.index_no)
        until = doc.meta.get("valid_until")
        if until is not None and until < self.today and link is None:
            out.expired_on = until
        return out

    def complete(self, doc: Document, terms: Validity) -> None:
        """Set the document's 有效性 as of the build date (also for one re-read on its own, as preview does)."""
        doc.validity_now = effective_validity(doc, self.replaced_by.get(doc.index_no), self.today, terms)
        doc.in_force = doc.validity_now not in terms.void

    def _ended(self, doc: Document) -> str:
        link = self.replaced_by.get(doc.index_no)
        return f"已{link.kind}" if link else (doc.validity or "")

    def ended_void(self, doc: Document) -> bool:
        return doc.index_no in self.replaced_by or doc.void


def _problem(cat: Catalogue, doc: Document, key: str, message: str) -> Problem:
    name = cat.field_by_key[key].name if key in cat.field_by_key else key
    return Problem(doc.path, doc.lines.get(key), key, f"「{name}」{message}")


def resolve(documents: list[Document], cat: Catalogue, today: dt.date) -> tuple[Relations, list[Problem]]:
    """Link every document, report cross-document errors, set validity as of ``today``."""
    rel = Relations(today)
    problems: list[Problem] = []
    docs = sorted(documents, key=lambda d: d.path)
    by_no = {d.index_no: d for d in docs}
    problems += _link_replacements(rel, docs, by_no, cat)
    problems += _cut_cycles(rel, docs, cat)
    problems += _check_replaced_validity(rel, docs, cat)
    problems += _link_interpretations(rel, docs, by_no, cat)
    for links in rel.replaces.values():
        links.sort(key=lambda l: l.doc.sort_key())
    for found in rel.interpretations.values():
        found.sort(key=lambda d: (d.published, d.index_no))
    for doc in docs:
        rel.complete(doc, cat.validity)
    return rel, problems


def effective_validity(doc: Document, replaced_by: Link | None, today: dt.date, terms: Validity) -> str:
    """有效性 as of ``today``: a passed 有效期至 makes a document 失效 without an edit."""
    value = doc.meta.get("validity", "")
    if not value and replaced_by is not None:
        value = terms.after[replaced_by.kind]
    until = doc.meta.get("valid_until")
    if (value in terms.in_force or not value) and until is not None and until < today:
        return terms.expired
    return value


def _link_replacements(rel: Relations, docs: list[Document], by_no: dict[str, Document],
                       cat: Catalogue) -> list[Problem]:
    problems = []
    for doc in docs:
        for item in doc.meta.get("replaces", []):
            number, kind = item["index_no"], item["kind"]
            target = by_no.get(number)
            if target is None:
                problems.append(_problem(cat, doc, "replaces", f"所列索引号“{number}”在全站文件中不存在；"
                                                               f"请核对被{kind}文件的索引号"))
            elif target is doc:
                problems.append(_problem(cat, doc, "replaces", f"所列索引号“{number}”是本文件自己；文件不能{kind}自身"))
            elif (first := rel.replaced_by.get(number)) is not None:
                problems.append(_problem(cat, doc, "replaces",
                                         f"所列索引号“{number}”（{target.path}）已被 {first.doc.path} {first.kind}；"
                                         f"一个文件只能被一个文件修订或废止"))
            else:
                rel.replaced_by[number] = Link(kind, doc)
                rel.replaces.setdefault(doc.index_no, []).append(Link(kind, target))
    return problems


def _cut_cycles(rel: Relations, docs: list[Document], cat: Catalogue) -> list[Problem]:
    """Each document has at most one replacer, so cycles are found by walking forward once."""
    problems, done = [], set()
    for start in docs:
        path, on_path, node = [], set(), start
        while node.index_no not in done and id(node) not in on_path:
            path.append(node)
            on_path.add(id(node))
            if (link := rel.replaced_by.get(node.index_no)) is None:
                break
            node = link.doc
        else:
            if id(node) in on_path:   # walked back onto this path: a cycle from ``node``
                cycle = path[path.index(node):]
                shown = " → ".join(d.path for d in cycle + [node])
                first = min(cycle, key=lambda d: d.path)
                problems.append(_problem(cat, first, "replaces", f"修订/废止关系形成循环：{shown}；"
                                                                 f"文件不能直接或间接修订、废止自身"))
                for d in cycle:
                    by = rel.replaced_by.pop(d.index_no).doc
                    rel.replaces[by.index_no] = [l for l in rel.replaces[by.index_no] if l.doc is not d]
        done.update(d.index_no for d in path)
    return problems


def _check_replaced_validity(rel: Relations, docs: list[Document], cat: Catalogue) -> list[Problem]:
    problems = []
    for doc in docs:
        link = rel.replaced_by.get(doc.index_no)
        if link is not None and doc.meta.get("validity") in cat.validity.in_force:
            problems.append(_problem(cat, doc, "validity",
                                     f"为“{doc.meta['validity']}”，但本文件已被 {link.doc.path}（索引号 {link.doc.index_no}）{link.kind}；"
                                     f"请改为“{cat.validity.after[link.kind]}”"))
    return problems


def _link_interpretations(rel: Relations, docs: list[Document], by_no: dict[str, Document],
                          cat: Catalogue) -> list[Problem]:
    problems = []
    for doc in docs:
        number = doc.meta.get("interprets")
        if not number:
            if doc.meta.get("form"):
                problems.append(_problem(cat, doc, "form", "只用于政策解读；请同时填写「解读对象」（interprets）"))
            continue
        target = by_no.get(number)
        if target is None:
            problems.append(_problem(cat, doc, "interprets", f"索引号“{number}”在全站文件中不存在；请核对被解读文件的索引号"))
        elif target is doc:
            problems.append(_problem(cat, doc, "interprets", f"索引号“{number}”是本文件自己；解读须指向另一份文件"))
        elif doc.publishable and not target.publishable:
            problems.append(_problem(cat, doc, "interprets",
                                     f"“{number}”（{target.path}）的公开属性为“{target.attribute}”，不在网站发布；"
                                     f"解读只能指向已发布的文件"))
        elif doc.publishable:
            rel.interpretations.setdefault(target.index_no, []).append(doc)
            rel.interprets[doc.index_no] = target
    return problems
