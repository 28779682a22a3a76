"""The statutory-deadline compliance report for editors.

``compute(corpus)`` needs no build (the ``report`` command calls it with a
loaded ``Site``'s corpus); the build prints ``summary`` and writes the report
outside the published site, to ``reports/compliance.txt`` by default
(``compliance.report`` in catalog/site.yml). Deadline findings fail
``mkdocs build --strict`` only when ``compliance.strict: true`` is set there
(old documents are often late).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .deadlines import Finding, Note, check_all
from .documents import Corpus

DEFAULT_REPORT = "reports/compliance.txt"
SHOWN = 5   # findings printed at the end of the build


@dataclass
class Report:
    findings: list[Finding] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    documents: int = 0

    def counts(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for f in self.findings:
            out[f.rule] = out.get(f.rule, 0) + 1
        return dict(sorted(out.items()))

    def text(self) -> str:
        """The report file: a header, then one line per finding (file, rule, message)."""
        lines = [f"# 政府信息公开时限合规报告：检查已发布文件 {self.documents} 篇，发现 {len(self.findings)} 项",
                 *(f"# {rule}：{n} 项" for rule, n in self.counts().items()),
                 *(f"# 说明：{note}" for note in self.notes)]
        return "\n".join(lines + [f.format() for f in self.findings]) + "\n"

    def summary(self, path: str | None = None) -> list[str]:
        """What the build prints: counts, the first findings, where the full report is."""
        if not self.findings:
            head = [f"时限合规检查：{self.documents} 篇已发布文件未发现逾期或缺项"]
        else:
            counts = "，".join(f"{rule} {n} 项" for rule, n in self.counts().items())
            head = [f"时限合规检查：发现 {len(self.findings)} 项（{counts}）；前 {min(SHOWN, len(self.findings))} 项："]
            head += ["  " + f.format().replace("\t", " ") for f in self.findings[:SHOWN]]
        head += [Note(f"时限合规检查说明：{note}", getattr(note, "warning", False)) for note in self.notes]
        if path:
            head.append(f"完整报告：{path}")
        return head


def compute(corpus: Corpus) -> Report:
    findings, notes = check_all(corpus.published)
    return Report(findings, notes, len(corpus.published))


def settings(site_settings: dict[str, Any]) -> tuple[str, bool]:
    """(report path relative to the project, whether findings fail --strict)."""
    conf = site_settings.get("compliance") or {}
    return str(conf.get("report", DEFAULT_REPORT)), bool(conf.get("strict", False))


def write(report: Report, project_root: Path, rel_path: str) -> Path:
    path = project_root / rel_path
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(report.text(), encoding="utf-8")
    return path
