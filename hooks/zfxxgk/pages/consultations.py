"""意见征集: documents with a 征集开始/征集截止 period, their state on the build date, one platform page.

A document (any column) with ``consultation_start`` and ``consultation_end`` is a
公开征求意见. Its state is computed from the build date only (未开始 before the
first day, 征集中 up to and including the last day, 已截止 after it), so a daily
scheduled build turns it on the day and a build for a given date is always the
same. When the 重大行政决策事项目录 names it as an item's 意见征集 stage, it links
to that item (back to the decision) and to the item's 意见采纳情况.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cached_property

from zfxxgk.catalog import urls
from zfxxgk.intake.model import Document
from zfxxgk.pages.decisions import Decision, DecisionYear

TITLE = "意见征集"
# State key -> the badge text (the CSS modifier is the key).
STATES = {"upcoming": "未开始", "open": "征集中", "closed": "已截止"}
ORDER = ("open", "upcoming", "closed")        # sections of the page


def state(start: dt.date, end: dt.date, today: dt.date) -> str:
    if today < start:
        return "upcoming"
    return "open" if today <= end else "closed"


@dataclass(frozen=True)
class DecisionLink:
    """The catalogue item a consultation belongs to, as its pages show it (plain values: the build
    cache keys a document page by what it shows, pages/cache.py)."""
    url: str                              # the year page with the item's anchor
    title: str

    @classmethod
    def of(cls, year: DecisionYear, item: Decision) -> "DecisionLink":
        return cls(f"{year.url}#{item.anchor}", f"{year.title}：{item.values.get('name', '')}")


@dataclass
class Consultation:
    doc: Document
    start: dt.date
    end: dt.date
    state: str                            # a key of STATES
    decision: DecisionLink | None = None
    adoption: Document | None = None      # the item's 意见采纳情况, when published

    @property
    def label(self) -> str:
        return STATES[self.state]


@dataclass
class ConsultationPage:
    today: dt.date
    entries: list[Consultation] = field(default_factory=list)
    column: str = ""                      # the decisions column: breadcrumbs and the column's page links here
    url: str = urls.CONSULTATIONS
    title: str = TITLE

    def section(self, key: str) -> list[Consultation]:
        found = [c for c in self.entries if c.state == key]
        if key == "closed":   # the latest closed first; open and upcoming by the nearest date
            return sorted(found, key=lambda c: (c.end, c.doc.index_no), reverse=True)
        return sorted(found, key=lambda c: (c.end if key == "open" else c.start, c.doc.index_no))

    @cached_property
    def by_index_no(self) -> dict[str, Consultation]:
        return {c.doc.index_no: c for c in self.entries}

    @property
    def sections(self) -> list[tuple[str, str, list[Consultation]]]:
        return [(key, STATES[key], self.section(key)) for key in ORDER]


def _links(years: list[DecisionYear]) -> dict[str, tuple[DecisionLink, Document | None]]:
    """索引号 of each catalogue item's 意见征集 document -> the item and its 意见采纳情况 document."""
    out: dict[str, tuple[DecisionLink, Document | None]] = {}
    for year in sorted(years, key=lambda y: y.year):
        for item in year.items:
            stages = {s.key: s for s in item.stages}
            consultation, adoption = stages.get("consultation"), stages.get("adoption")
            if consultation is not None and consultation.doc is not None:
                out.setdefault(consultation.doc.index_no,
                               (DecisionLink.of(year, item), adoption.doc if adoption is not None else None))
    return out


def build(published: list[Document], years: list[DecisionYear], today: dt.date,
          column: str = "") -> ConsultationPage | None:
    """The page of every published document with a 征集 period, or None when there is none."""
    links = _links(years)
    entries = []
    for doc in published:
        start, end = doc.meta.get("consultation_start"), doc.meta.get("consultation_end")
        if start is None or end is None:
            continue
        decision, adoption = links.get(doc.index_no, (None, None))
        entries.append(Consultation(doc, start, end, state(start, end, today), decision, adoption))
    if not entries:
        return None
    return ConsultationPage(today, entries, column)


def by_document(page: ConsultationPage | None) -> dict[str, Consultation]:
    return page.by_index_no if page is not None else {}
