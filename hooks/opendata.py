"""Open data (zfxxgk.opendata): the published catalogue as JSON/CSV, DCAT-AP 3, the 年报 tables as CSV.

Written after the pages, before the leak audit (hooks/safety.py runs last), so
the audit checks these files like every other output file.
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

sys.path.insert(0, os.path.dirname(__file__))  # the zfxxgk package lives beside this file

from mkdocs.plugins import get_plugin_logger  # noqa: E402

from zfxxgk import opendata  # noqa: E402
from zfxxgk.state import current  # noqa: E402

log = get_plugin_logger("zfxxgk")


def on_post_build(config):
    site = current.site
    url = config.site_url or ""
    scope = opendata.Scope(str(site.settings.get("agency", "")), url if not url or url.endswith("/") else url + "/")
    out = opendata.files(site.corpus.published, site.extras.reports, site.catalogue, scope,
                         site.extras.relations.today, site.extras.attachments,
                         opendata.schema_text(site.config_dir / "catalog"))
    opendata.write(Path(config.site_dir), out)
    log.info(f"开放数据：{len(site.corpus.published)} 篇文件的目录（JSON、CSV）、DCAT 数据目录、"
             f"年报统计表 {len(site.extras.reports)} 份，共 {len(out)} 个文件，见 /{scope.data_dir}")
