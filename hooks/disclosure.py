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
from mkdocs.plugins import event_priority, get_plugin_logger  # noqa: E402

from zfxxgk import layout, pagetitle, publish  # noqa: E402
from zfxxgk.problems import Problem  # noqa: E402
from zfxxgk.sanitize import sanitize  # noqa: E402
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


@event_priority(100)   # before other hooks decorate the page: only editors' input is sanitized
def on_page_content(html, page, config, files):
    """The raw-HTML policy (nh3), then the gate resolves what the page references."""
    site = current.site
    info = site.info(page.file.src_uri)
    doc = info.doc if info is not None else None
    shown = doc.path if doc is not None else f"{os.path.basename(config.docs_dir)}/{page.file.src_uri}"
    cleaned, removed = sanitize(html)
    if removed:
        log.warning(Problem(shown, None, None, f"已移除正文中不允许的 HTML：{'、'.join(removed)}；"
                                               f"允许的 HTML 见 hooks/zfxxgk/sanitize.py 开头的说明",
                            "warning").format())
    return site.gate.page_html(page.file.src_uri, page.file.dest_uri, cleaned, site.paths, shown,
                               (doc.body, doc.body_line) if doc is not None else None)


def on_env(env, config, files):
    site = current.site
    if site.gate.problems:
        for problem in sorted(set(site.gate.problems)):
            log.error(problem.format())
        raise PluginError(f"不发布文件检查未通过：共 {len(set(site.gate.problems))} 个错误（见上文），站点未更新。")
    dropped = site.prune_assets(files)
    log.info(f"发布审批：content/ 中 {len(site.gate.survey.documents)} 篇文件、{len(site.gate.survey.pages)} 个页面、"
             f"{len(site.gate.survey.assets)} 个附件或图片（发布 {len(site.gate.approved)} 个，未被引用 {len(dropped)} 个），"
             f"用时 {site.gate.seconds:.2f} 秒")
    state.settle()
    site.nav_cache = layout.NavCache(env)
    return env


def on_page_context(context, page, config, nav):
    page.title = pagetitle.safe(page.title)
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
