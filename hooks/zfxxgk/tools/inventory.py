"""What the built site ships: file types and sizes, and files nothing references.

The rule: every file in the output is referenced by some HTML, CSS, JS, XML,
JSON or web-manifest file of the output (a link, a script or style source, a
``url()``, a quoted path in a script, a ``<loc>`` in the sitemap), or is an
entry point a client requests without a link (``ENTRY_POINTS``). A file that
only references itself is not referenced.

Run ``python -m zfxxgk.tools.inventory site`` for the table and the unreferenced list.
"""
from __future__ import annotations

import posixpath
import re
import sys
from collections import Counter
from fnmatch import fnmatch
from pathlib import Path
from urllib.parse import unquote, urlsplit

# Requested without a link from another file of the site.
ENTRY_POINTS = (
    "index.html",          # the site's root
    "404.html",            # served by the web server for a missing page
    "robots.txt",          # crawlers
    "sitemap.xml",         # named in robots.txt and submitted to search engines
    "search/data/**",      # search index shards: zf-search-core.js computes their names from the query
    "data/**",             # open data (docs/open-data.md): fetched by programs, described by data/catalog.jsonld
    "zl/*/data/**",        # and each agency's own (zl/<slug>/data/)
)
TEXT_TYPES = {".html", ".css", ".js", ".mjs", ".xml", ".json", ".webmanifest", ".svg", ".txt", ".yml"}

_ATTR = re.compile(r"""(?:href|src|content|action|poster|data-[\w-]+)\s*=\s*["']([^"'<>]+)["']""")
_SRCSET = re.compile(r"""srcset\s*=\s*["']([^"']+)["']""")
_CSS_URL = re.compile(r"""url\(\s*["']?([^"')\s]+)""")
_QUOTED = re.compile(r"""["'`]([^"'`\s<>(){}]+\.[A-Za-z0-9]{2,11})(?:[?#][^"'`\s]*)?["'`]""")
_LOC = re.compile(r"<loc>\s*([^<\s]+)\s*</loc>")
_SITEMAP_LINE = re.compile(r"^Sitemap:\s*(\S+)", re.M)


def files(site: Path) -> list[str]:
    """Every file of the output, as a path relative to the site root."""
    return sorted(p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file())


def by_type(site: Path) -> dict[str, tuple[int, int]]:
    """Extension -> (number of files, bytes), largest first."""
    count: Counter[str] = Counter()
    size: Counter[str] = Counter()
    for rel in files(site):
        ext = posixpath.splitext(rel)[1].lower() or "(none)"
        count[ext] += 1
        size[ext] += (site / rel).stat().st_size
    return {ext: (count[ext], size[ext]) for ext, _ in size.most_common()}


def _tokens(text: str) -> set[str]:
    found = set(_ATTR.findall(text)) | set(_CSS_URL.findall(text)) | set(_QUOTED.findall(text))
    found |= set(_LOC.findall(text)) | set(_SITEMAP_LINE.findall(text))
    for srcset in _SRCSET.findall(text):
        found |= {part.strip().split(" ")[0] for part in srcset.split(",") if part.strip()}
    return found


def _resolve(token: str, base_dir: str, site_url: str, mount: str) -> list[str]:
    """Candidate site-relative paths a reference may mean (a script's paths are relative to the page)."""
    token = token.replace("&amp;", "&").strip()
    if site_url and token.startswith(site_url):
        token = "/" + mount.strip("/") + "/" + token[len(site_url):] if mount.strip("/") else "/" + token[len(site_url):]
    parts = urlsplit(token)
    if parts.scheme or parts.netloc:
        return []
    path = unquote(parts.path)
    if not path:
        return []
    if path.startswith("/"):
        m = "/" + mount.strip("/") + "/" if mount.strip("/") else "/"
        if not path.startswith(m):
            return []
        candidates = [path[len(m):]]
    else:
        candidates = [posixpath.join(base_dir, path), path]
    out = []
    for c in candidates:
        trailing = c.endswith("/") or c == ""
        c = posixpath.normpath(c) if c else "."
        if c.startswith(".."):
            continue
        c = "" if c == "." else c
        out.append(posixpath.join(c, "index.html") if trailing or c == "" else c)
        if not trailing:
            out.append(posixpath.join(c, "index.html"))
    return out


def referenced(site: Path, site_url: str = "") -> set[str]:
    """Files some other file of the output references."""
    mount = urlsplit(site_url).path if site_url else "/"
    existing = set(files(site))
    seen: set[str] = set()
    for rel in existing:
        if posixpath.splitext(rel)[1].lower() not in TEXT_TYPES:
            continue
        text = (site / rel).read_text(encoding="utf-8", errors="replace")
        base_dir = posixpath.dirname(rel)
        for token in _tokens(text):
            for target in _resolve(token, base_dir, site_url, mount):
                if target != rel and target in existing:
                    seen.add(target)
    return seen


def unreferenced(site: Path, site_url: str = "") -> list[str]:
    """Files neither referenced by another output file nor an entry point."""
    seen = referenced(site, site_url)
    return [rel for rel in files(site)
            if rel not in seen and not any(fnmatch(rel, pattern) for pattern in ENTRY_POINTS)]


def table(site: Path) -> str:
    rows = [f"{'类型':<14}{'文件数':>8}{'字节':>12}"]
    total_n = total_b = 0
    for ext, (n, b) in by_type(site).items():
        rows.append(f"{ext:<16}{n:>8}{b:>14,}")
        total_n, total_b = total_n + n, total_b + b
    rows.append(f"{'合计':<14}{total_n:>8}{total_b:>14,}")
    return "\n".join(rows)


def main(argv: list[str]) -> int:
    site = Path(argv[0] if argv else "site")
    site_url = argv[1] if len(argv) > 1 else ""
    print(table(site))
    orphans = unreferenced(site, site_url)
    for rel in orphans:
        print(f"未被引用：{rel}")
    return 1 if orphans else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
