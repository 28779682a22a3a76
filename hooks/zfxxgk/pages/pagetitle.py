"""Page titles as HTML-safe text: Material prints titles unescaped (nav, header, ``<title>``)."""
from __future__ import annotations

import html

from markupsafe import Markup


def plain(title: str | None) -> str:
    """The text a title shows: tags stripped, character references decoded."""
    return Markup(str(title or "")).striptags()


def safe(title: str | None) -> str:
    """``title`` escaped exactly once, whether it came escaped (rendered headings) or raw (catalogues)."""
    return html.escape(plain(title), quote=True)
