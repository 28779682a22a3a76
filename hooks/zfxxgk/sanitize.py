"""Allow-list sanitizer for the HTML of editor-written pages.

Raw-HTML policy for editors (applied to every Markdown page's rendered body in
``on_page_content``, so it also covers what attr_list ``{: ...}`` adds):

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

Every other removal is reported to the editor as a warning (which fails ``--strict``).
Pages without anything suspicious take a regex fast path and are not re-parsed.
"""
from __future__ import annotations

import html
import re
from html.parser import HTMLParser

ALLOWED_TAGS = frozenset(
    "p br hr h1 h2 h3 h4 h5 h6 blockquote pre code ul ol li dl dt dd div span em strong b i u s del ins "
    "sub sup small mark abbr figure figcaption a img table caption colgroup col thead tbody tfoot tr th td".split())
DROP_WITH_CONTENT = frozenset(
    "script style iframe frame frameset object embed applet noscript noembed template svg math form "
    "textarea select button title head base link meta xmp plaintext".split())
VOID = frozenset("br hr img col".split())
GLOBAL_ATTRS = frozenset("id class title lang dir role".split())
TAG_ATTRS = {
    "a": frozenset({"href", "rel"}),
    "img": frozenset({"src", "alt", "width", "height"}),
    "th": frozenset({"colspan", "rowspan", "scope", "headers", "style"}),
    "td": frozenset({"colspan", "rowspan", "scope", "headers", "style"}),
    "col": frozenset({"span"}), "colgroup": frozenset({"span"}),
    "ol": frozenset({"start", "type"}),
}
URL_ATTRS = frozenset({"href", "src"})
SAFE_SCHEMES = ("http", "https", "mailto", "tel")
_STYLE_OK = re.compile(r"\s*text-align:\s*(left|right|center)\s*;?\s*")
_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*):")
_CONTROL = re.compile(r"[\x00-\x20\x7f]+")

_ATTR_NAMES = "|".join(sorted(GLOBAL_ATTRS | {a for s in TAG_ATTRS.values() for a in s} - {"style"})) + "|aria-[a-z]+"
# The fast path (no re-parse) needs: every tag in the allow-list (no comment),
# every attribute an allowed one written name="value" without character
# references, style only as Markdown's text-align, URLs without a scheme other
# than the safe ones. Anything else takes the full parse.
_BAD_TAG = re.compile(r"<(?!/?(?:" + "|".join(sorted(ALLOWED_TAGS, key=len, reverse=True)) + r")[\s/>])")
_TAG_WITH_ATTRS = re.compile(r"<[a-zA-Z][^>]*\s[^>]*>")
_OK_ATTR = re.compile(r"\s(?:(?:" + _ATTR_NAMES + r")=\"[^\"<>&]*\"|style=\"text-align: ?(?:left|right|center);?\")")
_ODD_URL = re.compile(r"\b(?:href|src)\s*=\s*\"(?!(?:https?|mailto|tel):)[^\"]*[:&]")


def suspicious(markup: str) -> bool:
    if _BAD_TAG.search(markup):
        return True
    tags = "".join(_TAG_WITH_ATTRS.findall(markup))
    return "=" in _OK_ATTR.sub("", tags) or bool(_ODD_URL.search(tags))


def safe_url(value: str) -> bool:
    cleaned = _CONTROL.sub("", value)
    m = _SCHEME.match(cleaned)
    return m is None or m[1].lower() in SAFE_SCHEMES


class _Sanitizer(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.removed: list[str] = []
        self.dropping: list[str] = []     # open elements whose content is dropped
        self.changed = False              # something removed silently (comments)

    def _note(self, what: str) -> None:
        if what not in self.removed:
            self.removed.append(what)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.dropping:
            if tag in DROP_WITH_CONTENT and tag not in VOID:
                self.dropping.append(tag)
            return
        if tag in DROP_WITH_CONTENT:
            self._note(f"<{tag}>")
            if tag not in ("base", "link", "meta"):
                self.dropping.append(tag)
            return
        if tag not in ALLOWED_TAGS:
            self._note(f"<{tag}>")
            return
        self.out.append(f"<{tag}{self._attrs(tag, attrs)}>")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in VOID and tag in DROP_WITH_CONTENT and self.dropping and self.dropping[-1] == tag:
            self.dropping.pop()

    def _attrs(self, tag: str, attrs: list[tuple[str, str | None]]) -> str:
        allowed = GLOBAL_ATTRS | TAG_ATTRS.get(tag, frozenset())
        parts = []
        for name, value in attrs:
            value = value or ""
            if name not in allowed and not re.fullmatch(r"aria-[a-z]+", name):
                self._note(f"{name} 属性" if not name.startswith("on") else f"事件属性 {name}")
            elif name in URL_ATTRS and not safe_url(value):
                self._note(f"{(_SCHEME.match(_CONTROL.sub('', value)) or ['?'])[0]} 链接")
            elif name == "style" and not _STYLE_OK.fullmatch(value):
                self._note("style 属性")
            else:
                parts.append(f' {name}="{html.escape(value, quote=True)}"')
        return "".join(parts)

    def handle_endtag(self, tag: str) -> None:
        if self.dropping:
            if tag == self.dropping[-1]:
                self.dropping.pop()
            return
        if tag in ALLOWED_TAGS and tag not in VOID:
            self.out.append(f"</{tag}>")

    def handle_data(self, data: str) -> None:
        if not self.dropping:
            self.out.append(html.escape(data, quote=False))

    def handle_comment(self, data: str) -> None:
        self.changed = True   # editors' notes to themselves: never published, not worth a warning

    def handle_decl(self, decl: str) -> None:
        self._note("<!声明>")

    def handle_pi(self, data: str) -> None:
        self._note("<?处理指令>")

    def unknown_decl(self, data: str) -> None:
        self._note("<![…]>")


def sanitize(markup: str) -> tuple[str, list[str]]:
    """The allowed part of ``markup`` and what was removed (empty when nothing was)."""
    if not suspicious(markup):
        return markup, []
    parser = _Sanitizer()
    parser.feed(markup)
    parser.close()
    if not parser.removed and not parser.changed:
        return markup, []   # suspicious-looking but allowed: keep Markdown's own output byte for byte
    return "".join(parser.out), parser.removed
