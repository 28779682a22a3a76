"""MkDocs hooks of the 政府信息公开 platform: register events, delegate to ``zfxxgk``.

Build order: validate every document (all problems reported, then the build
fails), keep withheld documents out of ``Files``, place document pages at
stable ASCII URLs outside the nav, add the generated listings, and publish the
site atomically (a failed build leaves the previous site untouched).
"""
from __future__ import annotations

import os
import sys

sys.path.insert(0, os.path.dirname(__file__))  # the zfxxgk package lives beside this file

from mkdocs.exceptions import PluginError  # noqa: E402
from mkdocs.plugins import get_plugin_logger  # noqa: E402

from zfxxgk import layout, publish  # noqa: E402
from zfxxgk import state  # noqa: E402
from zfxxgk.state import current  # noqa: E402
from zfxxgk.catalogue import CatalogueError  # noqa: E402
from zfxxgk.site import Site  # noqa: E402

log = get_plugin_logger("zfxxgk")


def on_startup(command: str, dirty: bool) -> None:
    current.command = command


def on_config(config):
    state.release()
    try:
        site = Site.from_config(config)
    except CatalogueError as exc:
        raise PluginError(str(exc)) from None
    current.site, current.ok, current.staging, current.target = site, False, None, None
    config.nav = layout.nav(site.catalogue)
    config.extra["zfxxgk"] = site.settings
    if current.command in ("build", "gh-deploy"):   # serve builds into its own temporary directory
        current.target = config.site_dir
        current.staging = config.site_dir = publish.staging_dir(config.site_dir)
    return config


def on_files(files, config):
    site: Site = current.site
    corpus = site.load()
    for problem in corpus.problems.sorted():
        (log.error if problem.severity == "error" else log.warning)(problem.format())
    if errors := corpus.problems.errors:
        raise PluginError(f"文件校验未通过：共 {len(errors)} 个错误（见上文），站点未更新。")
    files = site.adjust_files(files, config)
    state.settle()
    log.info(site.summary())
    return files


def on_page_read_source(page, config):
    info = current.site.info(page.file.src_uri)
    if info is not None and info.doc is not None:
        return info.doc.body   # already read and validated; MkDocs must not re-parse our front matter
    return None


def on_page_markdown(markdown, page, config, files):
    page.meta = current.site.page_meta(page.file.src_uri, page.meta)
    return markdown


def on_env(env, config, files):
    state.settle()
    current.site.nav_cache = layout.NavCache(env)
    return env


def on_page_context(context, page, config, nav):
    context["zf"] = current.site.context(page.file.src_uri)
    context["zf"]["nav_html"] = current.site.nav_cache.for_page(page, context)
    return context


def on_post_build(config):
    current.ok = True


def on_build_error(error):
    current.ok = False
    if current.staging:
        publish.discard(current.staging)


def on_shutdown():
    if current.staging and current.ok:
        publish.swap_in(current.staging, current.target)
    elif current.staging:
        publish.discard(current.staging)
