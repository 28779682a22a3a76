"""The yearly review of withheld documents: ``python -m zfxxgk report --withheld``.

昌宁 2020 "每年度对未主动公开的政府信息进行评估", 天津 2020 "公开属性重新审定":
every 依申请公开 / 不予公开 document with its 不公开理由 (``withheld_reason``,
the grounds of 条例 art.14-16), its age as of the build date and a 需复核 mark
once a year has passed. The list names withheld documents, so it is written to
the terminal or to a file outside content/ and the site, never published.
"""
from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path

from zfxxgk.intake.model import Document

REVIEW_AFTER_YEARS = 1
NO_REASON = "（未填写）"


@dataclass(frozen=True)
class Entry:
    doc: Document
    since: dt.date       # 成文日期, else 发布日期: when the information was formed
    days: int
    review_due: bool

    @property
    def reason(self) -> str:
        return self.doc.meta.get("withheld_reason", "")


def anniversary(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:   # 29 February
        return day.replace(year=day.year + years, day=28)


def entries(withheld: list[Document], today: dt.date) -> list[Entry]:
    """Review due first, then oldest first."""
    out = []
    for doc in withheld:
        since = doc.written or doc.published
        out.append(Entry(doc, since, (today - since).days, today >= anniversary(since, REVIEW_AFTER_YEARS)))
    return sorted(out, key=lambda e: (not e.review_due, e.since, e.doc.path))


def text(items: list[Entry], today: dt.date) -> str:
    counts: dict[str, int] = {}
    for e in items:
        counts[e.doc.attribute] = counts.get(e.doc.attribute, 0) + 1
    due = sum(e.review_due for e in items)
    lines = [f"# 不公开文件年度评估清单（内部材料，不得发布）：截至 {today}，共 {len(items)} 篇"
             + "".join(f"，{a} {n} 篇" for a, n in sorted(counts.items()))
             + f"；满 {REVIEW_AFTER_YEARS} 年需复核 {due} 篇",
             "# 文件\t索引号\t公开属性\t不公开理由\t成文（发布）日期\t已过天数\t复核\t标题"]
    for e in items:
        lines.append("\t".join((e.doc.path, e.doc.index_no, e.doc.attribute, e.reason or NO_REASON,
                                e.since.isoformat(), f"{e.days} 天", "需复核" if e.review_due else "—", e.doc.title)))
    return "\n".join(lines) + "\n"


def as_json(items: list[Entry], today: dt.date) -> str:
    data = {"as_of": today.isoformat(), "review_after_years": REVIEW_AFTER_YEARS,
            "documents": [{"file": e.doc.path, "index_no": e.doc.index_no, "title": e.doc.title,
                           "attribute": e.doc.attribute, "withheld_reason": e.reason or None,
                           "since": e.since.isoformat(), "days": e.days, "review_due": e.review_due}
                          for e in items]}
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def inside(path: Path, folders: list[Path]) -> Path | None:
    """The published folder ``path`` would land in, if any."""
    real = path.resolve()
    return next((f for f in folders if real.is_relative_to(f.resolve())), None)
