"""The raw-HTML policy for editor-written pages, enforced by nh3 (the Ammonia sanitizer).

Applied to every Markdown page's rendered body in ``on_page_content``, so it
also covers what attr_list ``{: ...}`` adds. There is no fast path: every page
goes through nh3, which parses like a browser (html5ever) and serializes
canonically, so markup a regex would misread (``<img/src=…>``, unquoted
attributes, character references) cannot slip through.

* Allowed elements: text structure (p, br, hr, h1–h6, blockquote, pre, code,
  ul/ol/li, dl/dt/dd, div, span, em, strong, b, i, u, s, del, ins, sub, sup,
  small, mark, abbr, figure, figcaption), links (a), images (img) and tables
  (table, caption, colgroup, col, thead, tbody, tfoot, tr, th, td).
* Allowed attributes: id, class, title, lang, dir, role and aria-* on any allowed element;
  href/rel on a; src, alt, width, height on img; colspan, rowspan, scope,
  headers on th/td; span on col/colgroup; start, type on ol; ``style`` only as
  the ``text-align`` that Markdown tables write.
* Links and images may be relative, ``http(s):``, ``mailto:`` or ``tel:``; any
  other scheme (``javascript:``, ``data:``, ``vbscript:`` …) is removed.
* script, style, iframe, object, embed, form, svg, math, template and similar
  elements are removed with their content; other unknown elements are removed
  but their text is kept; event handlers (on…) and every other attribute are
  removed. HTML comments (editors' notes) are removed silently.

Every other removal is reported to the editor as a warning (which fails
``--strict``). The report is a courtesy computed from the input; what is
published is always nh3's output.
"""
from __future__ import annotations

import re
from html.parser import HTMLParser

import nh3

ALLOWED_TAGS = frozenset(
    "p br hr h1 h2 h3 h4 h5 h6 blockquote pre code ul ol li dl dt dd div span em strong b i u s del ins "
    "sub sup small mark abbr figure figcaption a img table caption colgroup col thead tbody tfoot tr th td".split())
DROP_WITH_CONTENT = frozenset(
    "script style iframe frame frameset object embed applet noscript noembed template svg math form "
    "textarea select button title head base link meta xmp plaintext".split())
GLOBAL_ATTRS = frozenset("id class title lang dir role".split())
ARIA_ATTRS = frozenset(
    "aria-label aria-labelledby aria-describedby aria-hidden aria-level aria-current aria-live "
    "aria-details aria-roledescription aria-colcount aria-colindex aria-rowcount aria-rowindex".split())
TAG_ATTRS = {
    "a": frozenset({"href", "rel"}),
    "img": frozenset({"src", "alt", "width", "height"}),
    "th": frozenset({"colspan", "rowspan", "scope", "headers", "style"}),
    "td": frozenset({"colspan", "rowspan", "scope", "headers", "style"}),
    "col": frozenset({"span"}), "colgroup": frozenset({"span"}),
    "ol": frozenset({"start", "type"}),
}
SAFE_SCHEMES = frozenset({"http", "https", "mailto", "tel"})
STYLE_PROPERTIES = frozenset({"text-align"})
_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*):")
_CONTROL = re.compile(r"[\x00-\x20\x7f]+")
_STYLE_OK = re.compile(r"\s*text-align:\s*(left|right|center)\s*;?\s*")

_ATTRIBUTES = {"*": set(GLOBAL_ATTRS | ARIA_ATTRS)} | {tag: set(attrs) for tag, attrs in TAG_ATTRS.items()}
# nh3 refuses a tag in both lists; the content-dropping list only names tags that are not allowed.
_CLEAN_CONTENT = set(DROP_WITH_CONTENT - ALLOWED_TAGS)


def clean(markup: str) -> str:
    """The allowed part of ``markup``, serialized canonically (attributes double-quoted)."""
    return nh3.clean(markup, tags=set(ALLOWED_TAGS), clean_content_tags=_CLEAN_CONTENT,
                     attributes=_ATTRIBUTES, url_schemes=set(SAFE_SCHEMES), link_rel=None,
                     strip_comments=True, filter_style_properties=set(STYLE_PROPERTIES))


def sanitize(markup: str) -> tuple[str, list[str]]:
    """The allowed part of ``markup`` and what was removed (empty when nothing worth reporting was)."""
    cleaned = clean(markup)
    # Markdown's own output usually comes back unchanged: then nothing was removed, and the
    # report's second parse (twice nh3's time) is skipped.
    return cleaned, [] if cleaned == markup else removed_parts(markup)


def safe_url(value: str) -> bool:
    m = _SCHEME.match(_CONTROL.sub("", value))
    return m is None or m[1].lower() in SAFE_SCHEMES


class _Reporter(HTMLParser):
    """Names what the policy removes, for the editor's warning (not used for the output)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.removed: list[str] = []

    def _note(self, what: str) -> None:
        if what not in self.removed:
            self.removed.append(what)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in ALLOWED_TAGS:
            self._note(f"<{tag}>")
            return
        allowed = GLOBAL_ATTRS | ARIA_ATTRS | TAG_ATTRS.get(tag, frozenset())
        for name, value in attrs:
            value = value or ""
            if name not in allowed:
                self._note(f"事件属性 {name}" if name.startswith("on") else f"{name} 属性")
            elif name in ("href", "src") and not safe_url(value):
                self._note(f"{(_SCHEME.match(_CONTROL.sub('', value)) or ['?'])[0]} 链接")
            elif name == "style" and not _STYLE_OK.fullmatch(value):
                self._note("style 属性")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def handle_decl(self, decl: str) -> None:
        self._note("<!声明>")

    def handle_pi(self, data: str) -> None:
        self._note("<?处理指令>")

    def unknown_decl(self, data: str) -> None:
        self._note("<![…]>")


def removed_parts(markup: str) -> list[str]:
    if "<" not in markup:
        return []
    reporter = _Reporter()
    reporter.feed(markup)
    reporter.close()
    return reporter.removed
