"""What a page's HTML references: the one link resolver of the build and of the leak audit.

Works on HTML, never on Markdown: on a page body after nh3 (canonical: every
attribute double-quoted, ``<`` in text escaped) and on the written output
pages (our and Material's templates quote every attribute). Every form an
editor may write — inline, reference-style, ``<…>`` with spaces, autolinks,
percent-encoded, raw HTML with unquoted attributes — has become an
``href``/``src`` attribute by then, so one tokenizer sees them all.

A reference is resolved to a site path (``documents/2021/a b.pdf``, ``wj/x/``):
relative to the page's output URL first (what the browser does, and what
MkDocs writes for Markdown links), then relative to the page's source file
(raw HTML written as editors think of it), then as an absolute path or full
URL under the site's own address.
"""
from __future__ import annotations

import html
import posixpath
import re
from dataclasses import dataclass
from typing import Callable, Iterator
from urllib.parse import quote, unquote, urlsplit

URL_ATTRS = ("href", "src", "poster")
_TAG = re.compile(r"<([a-zA-Z][a-zA-Z0-9]*)((?:\s+[^\s\"'>/=]+(?:\s*=\s*(?:\"[^\"]*\"|'[^']*'|[^\s\"'=<>`]+))?)*)\s*/?>")
_ATTR = re.compile(r"([^\s\"'>/=]+)(?:\s*=\s*(?:\"([^\"]*)\"|'([^']*)'|([^\s\"'=<>`]+)))?")


@dataclass(frozen=True)
class Ref:
    start: int          # offset of the attribute value in the HTML
    end: int
    tag: str
    attr: str
    url: str            # as written (character references decoded)


def refs(markup: str) -> Iterator[Ref]:
    """Every URL-valued attribute of every start tag in ``markup``."""
    for tag in _TAG.finditer(markup):
        offset = tag.start(2)
        for attr in _ATTR.finditer(tag[2]):
            name = attr[1].lower()
            if name not in URL_ATTRS:
                continue
            group = next((g for g in (2, 3, 4) if attr.group(g) is not None), None)
            if group is None:
                continue
            yield Ref(offset + attr.start(group), offset + attr.end(group), tag[1].lower(), name,
                      html.unescape(attr.group(group)))


@dataclass(frozen=True)
class Site:
    """How to tell an internal URL: the site's own address and path prefix."""
    url: str = ""              # https://www.example.gov.cn/zfxxgk/ (may be empty)

    @property
    def path(self) -> str:
        return urlsplit(self.url).path or "/"


def _clean(path: str) -> str:
    path = posixpath.normpath(path)
    return "" if path == "." else path


def internal_path(url: str, site: Site) -> tuple[str, bool] | None:
    """(decoded path, absolute?) of an internal URL, or None for external/anchor-only/other schemes."""
    parts = urlsplit(url.strip())
    if parts.scheme or parts.netloc:
        if not site.url or not url.strip().startswith(site.url.rstrip("/")):
            return None
        rest = parts.path[len(site.path):] if parts.path.startswith(site.path) else None
        return (unquote(rest), True) if rest is not None else None
    if not parts.path:
        return None
    path = unquote(parts.path)
    if path.startswith("/"):
        if not path.startswith(site.path):
            return None
        return path[len(site.path):], True
    return path, False


def candidates(url: str, page_src: str, page_dest: str, site: Site) -> list[str]:
    """Site paths ``url`` may mean, most likely first (output-relative, then source-relative)."""
    found = internal_path(url, site)
    if found is None:
        return []
    path, absolute = found
    trailing = path.endswith("/")
    if absolute:
        out = [_clean(path)]
    else:
        out = [_clean(posixpath.join(posixpath.dirname(page_dest), path)),
               _clean(posixpath.join(posixpath.dirname(page_src), path))]
    out = [p + "/" if trailing and p else p for p in out]
    return [p for p in dict.fromkeys(out) if not p.startswith("../") and p != ".."]


def rewrite(markup: str, replace: Callable[[Ref], str | None]) -> str:
    """``markup`` with each reference's value replaced where ``replace`` returns a new URL."""
    out, last = [], 0
    for ref in refs(markup):
        new = replace(ref)
        if new is not None:
            out += [markup[last:ref.start], html.escape(new, quote=True)]
            last = ref.end
    if not out:
        return markup
    out.append(markup[last:])
    return "".join(out)


def relative_url(target_dest: str, page_dest: str) -> str:
    """URL of ``target_dest`` from the page written at ``page_dest`` (both site paths)."""
    base = posixpath.dirname(page_dest) or "."
    rel = posixpath.relpath(target_dest, base)
    rel = rel + "/" if target_dest.endswith("/") and not rel.endswith("/") else rel
    return quote(rel, safe="/")
