"""The statutory-deadline compliance report for editors.

``compute(corpus)`` needs no build (the ``report`` command calls it with a
loaded ``Site``'s corpus); the build prints ``summary`` and writes the report
outside the published site, to ``reports/compliance.txt`` by default
(``compliance.report`` in catalog/site.yml). Deadline findings fail
``mkdocs build --strict`` only when ``compliance.strict: true`` is set there
(old documents are often late).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from typing import Iterable

from zfxxgk.audit import deadlines, inspection
from zfxxgk.audit.deadlines import Finding, Note, check_all, check_decision_catalogues
from zfxxgk.catalog.calendar import WorkCalendar
from zfxxgk.catalog.terms import Catalogue
from zfxxgk.intake import expiry
from zfxxgk.intake.documents import Corpus
from zfxxgk.intake.relations import build_date

DEFAULT_REPORT = "reports/compliance.txt"
SHOWN = 5   # findings printed at the end of the build


@dataclass
class Report:
    findings: list[Finding] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    documents: int = 0
    # Warnings ahead of a date or an inspection (有效期将届满, 空白栏目, 栏目更新不及时): listed and
    # counted, but neither the exit status of `report` nor `compliance.strict` depends on them.
    warnings: list[Finding] = field(default_factory=list)
    agencies: list[str] = field(default_factory=list)   # one line per agency of a platform: its counts

    def counts(self, which: list[Finding] | None = None) -> dict[str, int]:
        out: dict[str, int] = {}
        for f in self.findings if which is None else which:
            out[f.rule] = out.get(f.rule, 0) + 1
        return dict(sorted(out.items()))

    def text(self) -> str:
        """The report file: a header, then one line per finding (file, rule, message), then the warnings."""
        lines = [f"# 政府信息公开时限合规报告：检查已发布文件 {self.documents} 篇，发现 {len(self.findings)} 项",
                 *(f"# {rule}：{n} 项" for rule, n in self.counts().items()),
                 *(f"# 说明：{note}" for note in self.notes),
                 *(f"# 机构 {line}" for line in self.agencies)]
        if self.warnings:
            lines.append(f"# 提示（有效期与网站检查）：{len(self.warnings)} 项")
            lines += [f"# 提示 {rule}：{n} 项" for rule, n in self.counts(self.warnings).items()]
        return "\n".join(lines + [f.format() for f in self.findings + self.warnings]) + "\n"

    def summary(self, path: str | None = None) -> list[str]:
        """What the build prints: counts, the first findings, where the full report is."""
        if not self.findings:
            head = [f"时限合规检查：{self.documents} 篇已发布文件未发现逾期或缺项"]
        else:
            counts = "，".join(f"{rule} {n} 项" for rule, n in self.counts().items())
            head = [f"时限合规检查：发现 {len(self.findings)} 项（{counts}）；前 {min(SHOWN, len(self.findings))} 项："]
            head += ["  " + f.format().replace("\t", " ") for f in self.findings[:SHOWN]]
        head += [Note(f"时限合规检查说明：{note}", getattr(note, "warning", False)) for note in self.notes]
        if self.warnings:
            counts = "，".join(f"{rule} {n} 项" for rule, n in self.counts(self.warnings).items())
            head.append(f"有效期与网站检查提示：{len(self.warnings)} 项（{counts}）")
        if path:
            head.append(f"完整报告：{path}")
        return head


def compute(corpus: Corpus, catalogue: Catalogue | None = None, today: dt.date | None = None,
            pages: set[str] | None = None, reports: Iterable = (), decisions: Iterable = ()) -> Report:
    """The statutory deadlines; with the catalogue also what depends on the build date (expiry, stale
    columns, missing 重大行政决策事项目录 of ``decisions``, the loaded years) and, given the column paths
    that have pages of their own (``inspection.page_columns``), empty columns."""
    findings, notes = check_all(corpus.published, catalogue.calendar if catalogue is not None else WorkCalendar())
    warnings: list[Finding] = []
    if catalogue is not None:
        today = today or build_date(catalogue.settings)
        seen = deadlines.reports_seen(corpus.published, reports)
        findings = sorted(findings + deadlines.check_reports(seen))
        warnings += deadlines.missing_reports(seen, corpus.published, catalogue.agencies, today)
        late, missing = check_decision_catalogues(list(decisions), today, catalogue.decisions.deadline)
        findings, warnings = sorted(findings + late), warnings + missing
        warnings += sorted(expiry_findings(corpus, today, catalogue.settings.compliance.expiry_warning_days))
        warnings += inspection.stale_columns(catalogue, corpus.published, today,
                                             catalogue.settings.inspection.stale_months)
        if pages is not None:
            warnings += inspection.empty_columns(catalogue, corpus.published, pages)
    report = Report(findings, notes, len(corpus.published), warnings)   # columns in the catalogue's order
    if catalogue is not None and len(catalogue.agencies) > 1:
        report.agencies = agency_lines(report, catalogue)
    return report


def agency_lines(report: Report, catalogue: Catalogue) -> list[str]:
    """Per agency of the platform, in catalogue order: its findings and warnings (a 部门's editor finds hers)."""
    counts = {a.slug: [0, 0] for a in catalogue.agencies}
    for i, found in enumerate((report.findings, report.warnings)):
        for f in found:
            counts[f.agency if f.agency in counts else catalogue.primary.slug][i] += 1
    return [f"{catalogue.agency_by_slug[slug].name}：发现 {n} 项，提示 {w} 项" for slug, (n, w) in counts.items()]


def expiry_findings(corpus: Corpus, today: dt.date, days: int) -> list[Finding]:
    return [Finding.of(doc, "valid_until", "有效期将届满",
                    f"行政规范性文件有效期至 {doc.meta['valid_until']}，距构建日期 {today} 还有 {left} 天"
                    f"（提前 {days} 天提示）；请评估：需继续施行的应修订或重新制发，否则到期后自动显示为失效")
            for doc, left in expiry.expiring(corpus.published, today, days)]


def write(report: Report, project_root: Path, rel_path: str) -> Path:
    path = project_root / rel_path
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(report.text(), encoding="utf-8")
    return path
