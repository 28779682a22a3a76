"""Citizens' ways in (zfxxgk.citizens): 依申请公开, 留言 and 纠错 on the home, the 指南 and document pages."""
from __future__ import annotations

import os
import sys
from urllib.parse import unquote

sys.path.insert(0, os.path.dirname(__file__))  # the zfxxgk package lives beside this file

from mkdocs.exceptions import PluginError  # noqa: E402
from mkdocs.plugins import get_plugin_logger  # noqa: E402
from mkdocs.structure.files import File, InclusionLevel  # noqa: E402

from zfxxgk import citizens  # noqa: E402
from zfxxgk.state import current  # noqa: E402

log = get_plugin_logger("zfxxgk")
_ways = citizens.WaysIn()


def on_files(files, config):
    global _ways
    site = current.site
    guide = next((c for c in site.catalogue.all_columns if c.type == citizens.GUIDE_TYPE), None)
    _ways, problems = citizens.load(site.settings, site.config_dir / "catalog", guide.url if guide else "")
    for problem in problems:
        (log.error if problem.severity == "error" else log.warning)(problem.format())
    if errors := [p for p in problems if p.severity == "error"]:
        raise PluginError(f"公众参与入口配置有误：共 {len(errors)} 个错误（见上文），站点未更新。")
    if _ways.form is not None:   # published beside the 指南 (the URL is not percent-decoded by MkDocs: ASCII names)
        files.append(File.generated(config, unquote(_ways.form.url), abs_src_path=str(_ways.form.source),
                                    inclusion=InclusionLevel.NOT_IN_NAV))
    return files


def on_page_context(context, page, config, nav):
    zf = context.get("zf")
    if zf is None or not _ways.any:
        return context
    info = zf["info"]
    zf["ways"] = _ways
    zf["ways_panel"] = info.kind == "home" or (
        info.kind == "column" and info.column is not None and info.column.type == citizens.GUIDE_TYPE
        and info.listing_page is not None and info.listing_page.number == 1)
    zf["ways_links"] = _ways.for_page(page.canonical_url or page.url, info.doc.title if info.doc else page.title or "")
    return context
