"""Content-Security-Policy: one policy for every page's meta tag and the web server's header.

Scripts run only from this site's own files or, inline, by sha256 hash, and the
only inline scripts and styles that get a hash are those the theme's templates
hold as literal text (``theme_inline``). So an inline script or event handler
that reached a page through its content (a sanitizer miss) can never run: its
hash is in no policy, ``'unsafe-inline'`` is never given to scripts, and
``javascript:`` URLs count as inline script. A template script whose text holds
a template expression changes from page to page and cannot be hashed before the
build: keep the text fixed and put the changing value in a ``data-`` attribute
(as overrides/partials/javascripts/base.html does for Material's ``__md_scope``).

Each page's meta tag lists the hashes of the template scripts that page really
contains (``page_policy``); the server header (``header_policy``) lists all of
them and adds ``frame-ancestors``, which a meta tag cannot carry.
"""
from __future__ import annotations

import base64
import hashlib
import html
import os
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any, Iterable, Sequence
from urllib.parse import urlsplit

from zfxxgk.catalog.problems import Problem
from zfxxgk.catalog.settings import SiteSettings

# What the site loads, directive by directive (checked in Chromium by tests/test_csp_browser.py):
#   scripts: Material's bundle and search worker, zf-*.js, all from assets/; inline only by hash.
#   styles: stylesheets from assets/; style *attributes* stay allowed because Markdown tables
#     align cells with style="text-align: …" (kept by the sanitizer), but <style> elements need
#     a hash (style-src-elem; browsers without CSP 3 fall back to style-src).
#   images: site files, and data: URIs that Material's stylesheet uses for its icons.
#   connections: the search index under search/data/ (fetch) on this origin.
BASE: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("default-src", ("'self'",)),
    ("script-src", ("'self'",)),
    ("style-src", ("'self'", "'unsafe-inline'")),
    ("style-src-elem", ("'self'",)),
    ("img-src", ("'self'", "data:")),
    ("object-src", ("'none'",)),
    ("base-uri", ("'none'",)),
    ("form-action", ("'self'",)),
)
META_HTTP_EQUIV = "Content-Security-Policy"
SETTINGS_KEY = "server"           # catalog/site.yml: server.frame_ancestors, server.precompress (catalog/settings.py)
_TEMPLATE_EXPR = ("{{", "{%", "{#")
_EXECUTABLE_TYPES = {"", "text/javascript", "application/javascript", "module", "importmap",
                     "application/ecmascript", "text/ecmascript", "speculationrules"}
_ORIGIN = re.compile(r"https?://[A-Za-z0-9.-]+(?::\d{1,5})?")
_HEAD = re.compile(r"<head(?:\s[^>]*)?>", re.I)
_JINJA_COMMENT = re.compile(r"\{#.*?#\}", re.S)


def sha256_source(text: str) -> str:
    """The CSP hash source of an inline element's text (HTML parsing turns CR LF into LF first)."""
    data = text.replace("\r\n", "\n").replace("\r", "\n").encode("utf-8")
    return "'sha256-" + base64.b64encode(hashlib.sha256(data).digest()).decode("ascii") + "'"


@dataclass
class Inline:
    """The literal inline scripts and styles of a theme, by hash, and the templates' mistakes."""
    scripts: dict[str, str] = field(default_factory=dict)      # hash source -> text
    styles: dict[str, str] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)


class _InlineParser(HTMLParser):
    """Collects (tag, type attribute, text) of every <script> without src and every <style>."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.found: list[tuple[str, str, str]] = []
        self._open: tuple[str, str] | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if (tag == "script" and "src" not in a) or tag == "style":
            self._open, self._text = (tag, (a.get("type") or "").strip().lower()), []

    def handle_data(self, data: str) -> None:
        if self._open:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if self._open and tag == self._open[0]:
            self.found.append((*self._open, "".join(self._text)))
            self._open = None


def inline_elements(markup: str) -> list[tuple[str, str, str]]:
    """``(tag, type, text)`` of the inline scripts and styles in HTML (or a template's source)."""
    parser = _InlineParser()
    parser.feed(markup)
    parser.close()
    return parser.found


def effective_templates(dirs: Sequence[str | Path]) -> dict[str, Path]:
    """Template name -> file, the first theme directory winning as in Jinja's loader."""
    chosen: dict[str, Path] = {}
    for folder in dirs:
        root = Path(folder)
        for path in sorted(root.rglob("*.html")) if root.is_dir() else ():
            chosen.setdefault(path.relative_to(root).as_posix(), path)
    return chosen


def theme_inline(dirs: Sequence[str | Path], own: str | Path | None = None) -> Inline:
    """The literal inline scripts and styles of the theme ``dirs`` (``own``: the site's overrides).

    A script with a template expression in its text in the site's own templates is
    a problem (it would be blocked); Material's such scripts belong to features the
    site does not use.
    """
    found = Inline()
    own_dir = Path(own).resolve() if own else None
    for name, path in effective_templates(dirs).items():
        source = _JINJA_COMMENT.sub("", path.read_text(encoding="utf-8"))   # never rendered
        if "<script" not in source and "<style" not in source:
            continue
        for tag, kind, text in inline_elements(source):
            literal = not any(mark in text for mark in _TEMPLATE_EXPR)
            if literal and text.strip():
                (found.scripts if tag == "script" else found.styles)[sha256_source(text)] = text
            elif not literal and tag == "script" and kind in _EXECUTABLE_TYPES \
                    and own_dir is not None and own_dir in path.resolve().parents:
                found.problems.append(Problem(
                    f"{own_dir.name}/{name}", None, None,
                    "内联脚本中含有模板变量，每页内容不同，无法预先计算哈希，浏览器会按内容安全策略阻止它；"
                    "请让脚本内容保持固定，把变化的值放在 data- 属性中（见 hooks/zfxxgk/outputs/csp.py 开头的说明）",
                    "warning"))
    return found


def present(markup: str, inline: Inline) -> tuple[list[str], list[str]]:
    """Hashes of the theme's inline scripts and styles that appear, whole, in a page."""
    scripts = [h for h, text in inline.scripts.items() if f">{text}</script>" in markup]
    styles = [h for h, text in inline.styles.items() if f">{text}</style>" in markup]
    return sorted(scripts), sorted(styles)


# --- settings -----------------------------------------------------------------
def origin_of(url: str) -> str | None:
    """``scheme://host[:port]`` of an absolute http(s) URL, or None for a site-relative one."""
    parts = urlsplit(url.strip())
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    origin = f"{parts.scheme.lower()}://{parts.netloc.lower()}"
    return origin if _ORIGIN.fullmatch(origin) else None


def settings_problems(settings: SiteSettings) -> list[Problem]:
    out = []
    for i, value in enumerate(frame_ancestors(settings)):
        if not isinstance(value, str) or not _ORIGIN.fullmatch(value.strip()):
            out.append(Problem("catalog/site.yml", None, f"{SETTINGS_KEY}.frame_ancestors[{i}]",
                               f"“{value}”不是网站来源（origin）；允许的写法：https://www.example.gov.cn", "error"))
    mark = settings.footer.party_mark_image
    if "://" in mark and origin_of(mark) is None:
        out.append(Problem("catalog/site.yml", None, "footer.party_mark_image",
                           f"“{mark}”不是有效的图片网址；允许：站内路径，或 http(s)://主机名/路径", "error"))
    return out


def frame_ancestors(settings: SiteSettings) -> list[Any]:
    return settings.server.frame_ancestors


def _extra_sources(settings: SiteSettings) -> dict[str, tuple[str, ...]]:
    """Origins the site's settings make pages load from (the 党政机关网站标识 image)."""
    mark = settings.footer.party_mark_image
    origin = origin_of(mark) if mark else None
    return {"img-src": (origin,)} if origin else {}


# --- policies -----------------------------------------------------------------
def _join(directives: Iterable[tuple[str, Sequence[str]]]) -> str:
    return "; ".join(f"{name} {' '.join(sources)}" for name, sources in directives)


def _directives(settings: SiteSettings, scripts: Sequence[str], styles: Sequence[str]) -> list[tuple[str, tuple[str, ...]]]:
    extra = {"script-src": tuple(scripts), "style-src-elem": tuple(styles), **_extra_sources(settings)}
    return [(name, sources + extra.get(name, ())) for name, sources in BASE]


def page_policy(settings: SiteSettings, scripts: Sequence[str], styles: Sequence[str] = ()) -> str:
    """The policy of one page's meta tag, allowing the given inline hashes."""
    return _join(_directives(settings, scripts, styles))


def header_policy(settings: SiteSettings, inline: Inline) -> str:
    """The server's header: every template hash, plus ``frame-ancestors`` (ignored in a meta tag)."""
    ancestors = ("'self'", *(str(v).strip() for v in frame_ancestors(settings)))
    return _join([*_directives(settings, sorted(inline.scripts), sorted(inline.styles)),
                  ("frame-ancestors", ancestors)])


def meta_tag(policy: str) -> str:
    content = html.escape(policy, quote=False).replace('"', "&quot;")   # single quotes stay readable
    return f'<meta http-equiv="{META_HTTP_EQUIV}" content="{content}">'


def add_meta(markup: str, settings: SiteSettings, inline: Inline) -> str | None:
    """The page with its policy as the first element of <head>; None when the page has no <head>."""
    head = _HEAD.search(markup)
    if head is None:
        return None
    policy = page_policy(settings, *present(markup, inline))
    return markup[: head.end()] + meta_tag(policy) + markup[head.end():]


def has_meta(markup: str) -> bool:
    head = _HEAD.search(markup)
    return head is not None and markup.startswith(f'<meta http-equiv="{META_HTTP_EQUIV}"', head.end())


def unmarked_pages(site_dir: str | Path, done: set[Path], skip_dirs: Sequence[str] = ("admin",)) -> list[Path]:
    """HTML files written without passing on_post_page (404.html, post-build writers), by name only."""
    root, out = Path(site_dir), []
    for folder, dirs, files in os.walk(root):
        if Path(folder) == root:
            dirs[:] = [d for d in dirs if d not in skip_dirs]
        out += [p for f in files if f.endswith(".html") and (p := Path(folder, f)) not in done]
    return sorted(out)
