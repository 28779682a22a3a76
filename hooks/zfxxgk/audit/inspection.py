"""What the national website inspection would fail, warned in the compliance report before it does.

国办秘函〔2019〕19号 (政府网站与政务新媒体检查指标) fails a site for 空白栏目 (a
column with no content) and marks it down for 栏目更新不及时 (政策文件类栏目
more than 6 months without an update). The build knows both: a column is empty
when neither it nor any sub-column has a published document, a hand-written
page or a generated page (年报, 目录); it is stale when its newest published
document is older than the period set for its type in catalog/site.yml
``inspection.stale_months`` (default 政策文件: 6). 解读 missing for a 行政规范性文件
(三同步) is the compliance report's existing rule.
"""
from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Iterable

from zfxxgk.catalog.terms import Catalogue, Column
from zfxxgk.audit.deadlines import Finding
from zfxxgk.intake.model import Document

SHOWN = "catalog/columns.yml"


def add_months(day: dt.date, months: int) -> dt.date:
    year, month = divmod(day.month - 1 + months, 12)
    year, month = day.year + year, month + 1
    for last in (31, 30, 29, 28):
        try:
            return dt.date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable")


def page_columns(cat: Catalogue, docs_dir: Path, generated: Iterable[str]) -> set[str]:
    """Column paths with a page of their own: a hand-written index.md with a body, or a generated page."""
    out = set(generated)
    for col in cat.all_columns:
        path = docs_dir / col.path / "index.md"
        if path.is_file() and _has_body(path):
            out.add(col.path)
    return out


_FRONT_MATTER = re.compile(r"\A\ufeff?---\s*\n.*?\n(?:---|\.\.\.)\s*(?:\n|\Z)", re.S)


def _has_body(path: Path) -> bool:
    text = path.read_text(encoding="utf-8", errors="replace")
    return bool(_FRONT_MATTER.sub("", text, count=1).strip())


def latest_by_column(published: list[Document]) -> dict[str, dt.date]:
    out: dict[str, dt.date] = {}
    for doc in published:
        for col in doc.filed_in():
            if col.path not in out or doc.published > out[col.path]:
                out[col.path] = doc.published
    return out


def _with_content(cat: Catalogue, latest: dict[str, dt.date], pages: set[str]) -> set[str]:
    """Columns holding something themselves or in a sub-column."""
    out = set(latest)
    for col in cat.all_columns:
        if col.path in pages:
            out.update(c.path for c in col.ancestors())
    return out


def _where(col: Column) -> str:
    return f"栏目“{col.title_path}”（/{col.url}）"


def empty_columns(cat: Catalogue, published: list[Document], pages: set[str]) -> list[Finding]:
    filled = _with_content(cat, latest_by_column(published), pages)
    return [Finding(SHOWN, None, "空白栏目",
                    f"{_where(col)}没有任何已发布的文件或页面；网站检查中空白栏目会被扣分直至单项否决，"
                    f"请发布内容，或在 catalog/columns.yml 中删去该栏目", col.agency)
            for col in cat.all_columns if col.path not in filled]


def stale_columns(cat: Catalogue, published: list[Document], today: dt.date,
                  months: dict[str, int]) -> list[Finding]:
    latest = latest_by_column(published)
    out = []
    for col in cat.all_columns:
        period = months.get(col.type)
        last = latest.get(col.path)
        if period is None or last is None or today <= add_months(last, period):
            continue
        out.append(Finding(SHOWN, None, "栏目更新不及时",
                           f"{_where(col)}最近一次发布在 {last}，到构建日期 {today} 已超过 {period} 个月未更新"
                           f"（{col.type}类栏目的期限，catalog/site.yml 的 inspection.stale_months）", col.agency))
    return out


def findings(cat: Catalogue, published: list[Document], pages: set[str], today: dt.date) -> list[Finding]:
    return empty_columns(cat, published, pages) + stale_columns(cat, published, today, cat.settings.inspection.stale_months)
