"""MkDocs hook: the Decap CMS web editor at /admin/ (config from catalog/, scripts from npm).

Without ``npm ci`` (no node_modules/decap-cms) the site is built without the
editor and the build says so; nothing else changes.
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

sys.path.insert(0, os.path.dirname(__file__))  # the zfxxgk package lives beside this file

from mkdocs.plugins import get_plugin_logger  # noqa: E402

from zfxxgk import decap  # noqa: E402
from zfxxgk.state import current  # noqa: E402

log = get_plugin_logger("zfxxgk")


def on_post_build(config):
    site = current.site
    if site is None:
        return
    dist = decap.dist_dir(site.config_dir)
    if dist is None:
        log.info("网页编辑器（/admin/）未生成：未安装 decap-cms，请先在站点目录运行 npm ci")
        return
    docs_dir = Path(config.docs_dir).resolve().relative_to(site.config_dir.resolve()).as_posix()
    decap.write_admin(Path(config.site_dir), site.catalogue, dist, docs_dir)
