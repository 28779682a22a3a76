"""Documents in relation and the pages built from editors' data files, for ``Site``.

One place that runs, after the documents are validated and before the listings
are built: the validity lifecycle and interpretations (relations), attachments,
the 重大行政决策事项目录, the 政务公开事项标准目录 and the annual reports. Their
problems join the corpus problems, so one build reports everything at once.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from zfxxgk.pages import annual_report, consultations
from zfxxgk.intake import attachments
from zfxxgk.pages import decisions
from zfxxgk.pages import items
from zfxxgk.catalog import urls
from zfxxgk.catalog.problems import Problem
from zfxxgk.catalog.agencies import Agency
from zfxxgk.catalog.terms import Catalogue, CatalogueError, catalogue_problem
from zfxxgk.intake.documents import Corpus
from zfxxgk.intake.model import Document
from zfxxgk.intake.relations import Relations
from zfxxgk.pages import qa


@dataclass(frozen=True)
class GeneratedPage:
    src_uri: str
    title: str
    template: str
    column: str          # slug path of the column the page belongs to (breadcrumbs, column links)
    data: Any

    @property
    def url(self) -> str:
        return self.src_uri.removesuffix("index.md")


@dataclass
class Extras:
    relations: Relations
    attachments: dict[str, list[attachments.Attachment]] = field(default_factory=dict)
    decisions: list[decisions.DecisionYear] = field(default_factory=list)
    items: items.ItemCatalogue | None = None
    reports: list[annual_report.AnnualReport] = field(default_factory=list)
    qa: qa.QAPage | None = None                           # 政策问答, from the published 问答 解读
    consultations: consultations.ConsultationPage | None = None   # 意见征集, as of the build date
    data_files: set[str] = field(default_factory=set)    # content-relative YAML sources, never published

    def pages(self) -> list[GeneratedPage]:
        out = [GeneratedPage(y.url + "index.md", y.title, "decisions.html", y.column, y) for y in self.decisions]
        if self.items is not None:
            out.append(GeneratedPage(self.items.url + "index.md", self.items.title, "items.html", self.items.column,
                                     self.items))
        out += [GeneratedPage(r.url + "index.md", r.title, "annual-report.html", r.column, r)
                for r in self.reports]
        if self.qa is not None:
            out.append(GeneratedPage(self.qa.url + "index.md", self.qa.title, "qa.html", self.qa.column, self.qa))
        if (c := self.consultations) is not None:
            out.append(GeneratedPage(c.url + "index.md", c.title, "consultations.html", c.column, c))
        return out

    def column_links(self, column: str) -> list[GeneratedPage]:
        """Generated pages shown on a column's page (newest year first)."""
        return [p for p in self.pages() if p.column == column]

    def doc_context(self, doc: Document) -> dict[str, Any]:
        out = {"rel": self.relations.view(doc), "attachments": self.attachments.get(doc.index_no, [])}
        if (c := self.consultations) is not None and (found := consultations.by_document(c).get(doc.index_no)):
            out.update(consultation=found, consultation_page=c.url, consultation_today=c.today)
        return out


def _file_under_role(pages: list, agency: Agency, role: str, url: str = "") -> list[Problem]:
    """Give each page its agency and the agency's column that has ``role`` (and, given the URL shape
    ``url`` of catalog/urls.py, its URL under that column); a tree without one is a problem."""
    try:
        column = agency.column_with_role(role).path if pages else ""
    except CatalogueError as exc:
        return [catalogue_problem(str(exc))]
    for page in pages:
        page.column, page.owner = column, agency
        if url:
            page.url = url.format(column=column)
    return []


def _consultations(cat: Catalogue, corpus: Corpus,
                   years: list[decisions.DecisionYear]) -> consultations.ConsultationPage | None:
    """The 意见征集 page, filed under the decisions column (else the column of its newest document);
    each year page learns the state of its items' 意见征集 documents."""
    page = consultations.build(corpus.published, years, corpus.relations.today)
    if page is None:
        return None
    try:
        page.column = cat.column_with_role("decisions").path
    except CatalogueError:
        page.column = page.entries[0].doc.column_obj.path
    states = consultations.by_document(page)
    for year in years:
        year.consultations = states
    return page


def load(docs_dir: Path, cat: Catalogue, corpus: Corpus) -> Extras:
    """The data pages and attachments of a complete corpus; add every problem to ``corpus.problems``."""
    rel, problems = corpus.relations, []
    extras = Extras(rel)
    extras.attachments, more = attachments.check(corpus.documents, docs_dir)
    problems += more
    by_no = {d.index_no: d for d in corpus.documents}
    for agency in cat.agencies:   # each agency's own 决策目录 and 年报 (content/zl/<slug>/…)
        years, more = decisions.load(docs_dir, by_no, cat.decisions, cat.calendar, agency.folder(decisions.DIR))
        problems += more + _file_under_role(years, agency, "decisions")
        reports, more = annual_report.load(docs_dir, cat, corpus.published, rel, agency)
        problems += more + _file_under_role(reports, agency, "annual_reports")
        extras.decisions += years
        extras.reports += reports
        extras.data_files |= {p.relative_to(docs_dir).as_posix() for p in
                              decisions.files(docs_dir, agency.folder(decisions.DIR))
                              + annual_report.files(docs_dir, agency.folder(annual_report.DIR))}
    extras.items, more = items.load(cat, corpus.documents)
    problems += more + _file_under_role([extras.items] if extras.items else [], cat.primary, "items", urls.ITEMS)
    extras.qa = qa.build(corpus.published, rel)
    problems += _file_under_role([extras.qa] if extras.qa else [], cat.primary, "qa", urls.QA)
    extras.consultations = _consultations(cat, corpus, extras.decisions)
    corpus.problems.extend(problems)
    return extras
