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
* Audio and video (音视频解读): video, audio, source and track, with controls
  always on; their ``src``/``poster`` only a local file (a relative path: no
  scheme, no leading ``/``), so the gate copies it only for a published page and
  no page plays or tracks anything from another site. The file must also be an
  attachment with its 文字稿 (intake/attachments.py).
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
    "sub sup small mark abbr figure figcaption a img table caption colgroup col thead tbody tfoot tr th td "
    "video audio source track".split())
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
    "video": frozenset({"src", "poster", "controls", "width", "height", "preload", "muted", "loop", "playsinline"}),
    "audio": frozenset({"src", "controls", "preload", "muted", "loop"}),
    "source": frozenset({"src", "type"}),
    "track": frozenset({"src", "kind", "srclang", "label", "default"}),
}
MEDIA_TAGS = frozenset({"video", "audio", "source", "track"})
MEDIA_URL_ATTRS = frozenset({"src", "poster"})
_MEDIA_TAG = re.compile(r"<(?:video|audio|source|track)", re.I)
SAFE_SCHEMES = frozenset({"http", "https", "mailto", "tel"})
STYLE_PROPERTIES = frozenset({"text-align"})
_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*):")
_CONTROL = re.compile(r"[\x00-\x20\x7f]+")
_STYLE_OK = re.compile(r"\s*text-align:\s*(left|right|center)\s*;?\s*")

_ATTRIBUTES = {"*": set(GLOBAL_ATTRS | ARIA_ATTRS)} | {tag: set(attrs) for tag, attrs in TAG_ATTRS.items()}
# nh3 refuses a tag in both lists; the content-dropping list only names tags that are not allowed.
_CLEAN_CONTENT = set(DROP_WITH_CONTENT - ALLOWED_TAGS)


def local_url(value: str) -> bool:
    """A path relative to the page: no scheme, not from the site root or another host."""
    value = _CONTROL.sub("", value)
    return bool(value) and _SCHEME.match(value) is None and not value.startswith(("/", "\\"))


def _media_filter(tag: str, attr: str, value: str) -> str | None:
    if tag in MEDIA_TAGS and attr in MEDIA_URL_ATTRS and not local_url(value):
        return None
    return value


def clean(markup: str) -> str:
    """The allowed part of ``markup``, serialized canonically (attributes double-quoted)."""
    return nh3.clean(markup, tags=set(ALLOWED_TAGS), clean_content_tags=_CLEAN_CONTENT,
                     attributes=_ATTRIBUTES, url_schemes=set(SAFE_SCHEMES), link_rel=None,
                     strip_comments=True, filter_style_properties=set(STYLE_PROPERTIES),
                     # a Python call per attribute is slow: only for markup that has a media element at all
                     attribute_filter=_media_filter if _MEDIA_TAG.search(markup) else None,
                     set_tag_attribute_values={"video": {"controls": ""}, "audio": {"controls": ""}})


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
            elif tag in MEDIA_TAGS and name in MEDIA_URL_ATTRS and not local_url(value):
                self._note(f"<{tag}> 的外部地址 {name}（音视频只能播放本站文件）")
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
