"""MkDocs hook: what the web server gets — a Content-Security-Policy on every page, precompressed copies.

Thin: the policy lives in ``zfxxgk.csp``, the server configurations that send
the same policy as a header in ``zfxxgk.serverconf``, the ``.gz`` copies in
``zfxxgk.precompress``. Its page handler runs after every other hook's, so the
hashes come from the final HTML.
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

sys.path.insert(0, os.path.dirname(__file__))  # the zfxxgk package lives beside this file

from mkdocs.exceptions import PluginError  # noqa: E402
from mkdocs.plugins import event_priority, get_plugin_logger  # noqa: E402

from zfxxgk import csp, precompress  # noqa: E402
from zfxxgk.state import current  # noqa: E402

log = get_plugin_logger("zfxxgk")
_inline = csp.Inline()
_done: set[Path] = set()    # pages that got their policy in on_post_page


def on_config(config):
    global _inline
    _done.clear()
    problems = csp.settings_problems(current.site.settings)
    for problem in problems:
        log.error(problem.format())
    if problems:
        raise PluginError("catalog/site.yml 的网站服务器设置有误（见上文），站点未更新。")
    _inline = csp.theme_inline(config.theme.dirs, config.theme.custom_dir)
    for problem in _inline.problems:
        log.warning(problem.format())
    return config


def _previewing() -> bool:
    """``mkdocs serve`` and ``python -m zfxxgk preview`` add an inline live-reload script to every
    page as they serve it (a new one each time, so no hash can allow it): their local previews
    go without the policy. What is published always has it."""
    return current.command == "serve"


@event_priority(-100)   # last: the hashes come from the page as every other hook left it
def on_post_page(output, page, config):
    if _previewing():
        return output
    _done.add(Path(page.file.abs_dest_path))
    return _with_meta(output, page.file.dest_uri)


def _with_meta(output: str, where: str) -> str:
    marked = csp.add_meta(output, current.site.settings, _inline)
    if marked is None:
        log.warning(f"{where}：页面没有 <head>，未加内容安全策略（Content-Security-Policy）")
        return output
    return marked


@event_priority(-90)    # after the other post-build writers, before the leak audit (hooks/safety.py, -100)
def on_post_build(config):
    # Theme pages (404.html) skip on_post_page; other hooks may write pages after it.
    for path in [] if _previewing() else csp.unmarked_pages(config.site_dir, _done):
        output = path.read_text(encoding="utf-8")
        if not csp.has_meta(output):
            path.write_text(_with_meta(output, path.relative_to(config.site_dir).as_posix()), encoding="utf-8")
    if precompress.enabled(current.site.settings) and not _previewing():
        count = precompress.write_all(config.site_dir)
        log.info(f"预压缩：写出 .gz 文件 {count} 个（server.precompress）")
