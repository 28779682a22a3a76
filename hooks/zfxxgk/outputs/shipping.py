"""Ship only what the site uses: Material's search assets and source maps stay out of the output.

Material copies its lunr language files, the search worker and the source maps
of its bundles into every site. The platform has its own search (Material's
``search`` plugin is off), and source maps only serve a theme developer, so
those files are dropped from MkDocs' ``Files`` before they are copied, and the
``sourceMappingURL`` comments that would point at them are removed.

Material's ``<meta name="generator">`` is removed too: it names the engine and
its version, so MkDocs and ProperDocs would write different pages for the same
site (tests/test_engines.py wants one output), and it tells a scanner which
versions the site runs.
"""
from __future__ import annotations

import os
import re
from fnmatch import fnmatch
from pathlib import Path

SEARCH_ASSETS = ("assets/javascripts/lunr/*", "assets/javascripts/workers/*")
SOURCE_MAPS = ("*.map",)
_GENERATOR = re.compile(r'\n?[ \t]*<meta name="generator" content="[^"<>]*">')
_MAP_COMMENT = re.compile(rb"\n?(?://# sourceMappingURL=[^\n]*|/\*# sourceMappingURL=[^*]*\*/)\s*$")


def unused(src_uri: str, search_plugin: bool) -> bool:
    """True for a theme file the site does not use."""
    patterns = SOURCE_MAPS + (() if search_plugin else SEARCH_ASSETS)
    return any(fnmatch(src_uri, p) for p in patterns)


def drop_unused(files, search_plugin: bool) -> list[str]:
    """Remove unused theme files from MkDocs' ``Files``; return their paths."""
    dropped = [f for f in files if f.generated_by is None and not f.is_documentation_page() and unused(f.src_uri, search_plugin)]
    for f in dropped:
        files.remove(f)
    return [f.src_uri for f in dropped]


def strip_map_comments(site_dir: Path) -> int:
    """Remove the trailing sourceMappingURL comment of every script and style sheet; count the files changed."""
    changed = 0
    scripts = [Path(folder, name) for folder, _, names in os.walk(site_dir) for name in names
               if name.endswith((".js", ".css"))]     # one walk: two rglob calls took three times as long
    for path in sorted(scripts):
        data = path.read_bytes()
        stripped = _MAP_COMMENT.sub(b"\n", data, count=1) if b"sourceMappingURL=" in data[-400:] else data
        if stripped != data:
            path.write_bytes(stripped)
            changed += 1
    return changed


def drop_generator(html: str) -> str:
    """The page without Material's generator meta tag."""
    return _GENERATOR.sub("", html, count=1)


def drop_generator_file(path: Path) -> None:
    """Same for a page MkDocs writes without ``on_post_page`` (the theme's 404.html)."""
    if path.is_file():
        text = path.read_text(encoding="utf-8")
        if (stripped := drop_generator(text)) != text:
            path.write_text(stripped, encoding="utf-8")
