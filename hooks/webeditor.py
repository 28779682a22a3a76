"""MkDocs hook: the Sveltia CMS web editor, only when catalog/site.yml enables it (see ``zfxxgk.decap``).

Off by default: the citizen site then contains no editor file. Enabled, the
editor goes to ``/admin/`` of the site (``web_editor.path``) or to a directory
of its own (``web_editor.output_dir``) for a separate path or host.
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

sys.path.insert(0, os.path.dirname(__file__))  # the zfxxgk package lives beside this file

from mkdocs.exceptions import PluginError  # noqa: E402
from mkdocs.plugins import get_plugin_logger  # noqa: E402

from zfxxgk import decap  # noqa: E402
from zfxxgk.state import current  # noqa: E402

log = get_plugin_logger("zfxxgk")


def on_post_build(config):
    site = current.site
    if site is None or not (settings := decap.settings(site.catalogue))["enabled"]:
        return
    package = decap.dist_dir(site.config_dir)
    if package is None:
        log.warning("网页编辑器已启用（catalog/site.yml 的 web_editor.enabled），但未安装 Sveltia CMS：请先在站点目录运行 npm ci")
        return
    docs_dir = Path(config.docs_dir).resolve().relative_to(site.config_dir.resolve()).as_posix()
    dest = (site.config_dir / settings["output_dir"]) if settings["output_dir"] else Path(config.site_dir) / settings["path"]
    try:
        decap.write_admin(dest, site.catalogue, package, docs_dir)
    except decap.EditorSettingsError as exc:
        raise PluginError(str(exc)) from None
    shown = settings["output_dir"] or f"站点的 /{settings['path']}/"
    log.info(f"网页编辑器（Sveltia CMS）已生成：{shown}")
