"""Validity kept in view: which documents are 行政规范性文件 and which of them expire soon.

The 有效期至 of a 行政规范性文件 must be visible and acted on before it passes
(天津 2020 "都应明确标注有效期限"); the compliance report names every one that
ends within ``compliance.expiry_warning_days`` (catalog/site.yml, default 90)
of the build date, so the editors review or extend it in time.
"""
from __future__ import annotations

import datetime as dt
from typing import Iterable

from zfxxgk.catalog.terms import Column
from zfxxgk.intake.model import Document

NORMATIVE_KIND = "行政规范性文件"   # the kind of column (catalog/columns.yml) holding 规范性文件


def normative_column(column: Column | None) -> bool:
    """The column or one of its ancestors holds 行政规范性文件."""
    return column is not None and any(c.kind == NORMATIVE_KIND for c in column.ancestors())


def is_normative(doc: Document) -> bool:
    return normative_column(doc.column_obj)


def expiring(docs: Iterable[Document], today: dt.date, days: int) -> list[tuple[Document, int]]:
    """(document, days left) of every 规范性文件 in force whose 有效期至 is today or within ``days``."""
    out = []
    for doc in docs:
        until = doc.meta.get("valid_until")
        if until is None or not is_normative(doc) or doc.void:   # void as of the build date, replaced meanwhile too
            continue
        left = (until - today).days
        if 0 <= left <= days:
            out.append((doc, left))
    return out
