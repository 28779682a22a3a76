"""MkDocs hooks of the citizens' search: the /search/ page and its static index.

The page is generated (``search/index.md``, outside the nav) and rendered by
overrides/search.html. The index is written after the build from the
published documents only (``zfxxgk.state.current.site.corpus.published``) and
the fixed pages, with each page's text taken from its rendered, sanitized HTML
(on_page_content); see zfxxgk/search_index.py for the layout and why.
"""
from __future__ import annotations

import os
import sys
import time

sys.path.insert(0, os.path.dirname(__file__))  # the zfxxgk package lives beside this file

from mkdocs.exceptions import PluginError  # noqa: E402
from mkdocs.plugins import event_priority, get_plugin_logger  # noqa: E402
from mkdocs.structure.files import File, InclusionLevel  # noqa: E402

from zfxxgk import search_index  # noqa: E402
from zfxxgk.site import PageInfo  # noqa: E402
from zfxxgk.state import current  # noqa: E402

log = get_plugin_logger("zfxxgk.search")
SEARCH_SRC = "search/index.md"
_fixed: list[search_index.Entry] = []
_background: search_index.Background | None = None
_synonyms: list[list[str]] = []
_kinds: list[str] = []
_pages: dict[str, str] = {}     # page URL -> sanitized body HTML (the same strings MkDocs keeps in page.content)


def on_files(files, config):
    _pages.clear()
    site = current.site
    if files.get_file_from_path(SEARCH_SRC) is None:
        files.append(File.generated(config, SEARCH_SRC, content="---\nhide: [toc]\n---\n",
                                    inclusion=InclusionLevel.NOT_IN_NAV))
    site.pages[SEARCH_SRC] = PageInfo("search", "search.html", "检索")
    _fixed[:] = search_index.fixed_pages(files, site)
    groups, problems = search_index.load_synonyms(site.config_dir / "catalog")
    kinds, more = search_index.load_kinds(site.config_dir / "catalog")
    for problem in problems + more:
        log.error(problem.format())
    if problems or more:
        raise PluginError("检索用的目录文件有误，未发布；请按上面的提示修改 catalog/ 下的文件")
    _synonyms[:], _kinds[:] = groups, kinds
    return files


def on_page_context(context, page, config, nav):
    if page.file.src_uri == SEARCH_SRC:   # the no-JavaScript way in: the static catalogue listings
        context["zf_browse"] = [i for i in current.site.indexes if i.entries and any(l.count for l, _ in i.entries)]
    return context


def _entries(site) -> list[search_index.Entry]:
    return [search_index.entry_of(d) for d in site.corpus.published] + _fixed


def on_env(env, config, files):
    """Large sites: index in a second process while this one renders the templates.
    MkDocs has converted every page's Markdown by now (on_page_content runs before on_env)."""
    global _background
    site = current.site
    if site is not None and len(site.corpus.published) >= search_index.BACKGROUND_MIN:
        entries = _entries(site)
        _background = search_index.Background(entries, config.site_dir, _synonyms, _kinds)
        wanted = {e.url for e in entries}
        for url, html in _pages.items():
            if url in wanted:           # listings and other generated pages are not indexed
                _background.send(url, html)
        _background.end_input()
    return env


@event_priority(90)   # right after safety.py's sanitizer (100), before any hook decorates the page
def on_page_content(html, page, config, files):
    """The index takes its text from the sanitized HTML, never from the Markdown source."""
    _pages[page.file.url] = html
    return html


def on_build_error(error):
    global _background
    _pages.clear()
    if _background is not None:
        _background.close()
        _background = None


def on_post_build(config):
    global _background
    site = current.site
    if site is None:
        return
    start = time.perf_counter()
    entries = _entries(site)
    stats = None
    if _background is not None:
        stats, _background = _background.result(), None
        if stats is None:
            log.info("检索索引后台进程意外退出（可能内存不足），改在主进程生成")
        elif stats.digest != search_index.digest(entries):   # the worker must have indexed what the build published
            raise PluginError("检索索引与本次构建发布的文件不一致，请重新构建")
    if stats is None:
        indexer = search_index.Indexer(entries, config.site_dir, _synonyms, _kinds)
        for url, html in _pages.items():
            indexer.add_html(url, html)
        stats = indexer.finish()
    _pages.clear()
    log.info(f"检索索引：{stats.entries} 条，{stats.files} 个文件，"
             f"{stats.bytes / 1e6:.1f} MB，用时 {time.perf_counter() - start:.1f} 秒")
