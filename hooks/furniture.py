"""MkDocs hooks of the page furniture: 47号 meta tags, QR code, feeds, sitemap, accessibility.

Thin: each event delegates to a module of ``zfxxgk``. Reads only what
hooks/disclosure.py published in ``zfxxgk.state.current.site`` (published
documents only), so withheld documents reach none of these outputs.
"""
from __future__ import annotations

import os
import sys

sys.path.insert(0, os.path.dirname(__file__))  # the zfxxgk package lives beside this file

from mkdocs.plugins import event_priority, get_plugin_logger  # noqa: E402

from zfxxgk import accessibility, feeds, pagemeta, qr, sitemap  # noqa: E402
from zfxxgk.state import current  # noqa: E402

log = get_plugin_logger("zfxxgk")
_entries = sitemap.SitemapEntries()
_qr: qr.Background | None = None


def _site_url(config) -> str:
    url = config.site_url or ""
    return url if not url or url.endswith("/") else url + "/"


def on_config(config):
    global _entries
    _entries = sitemap.SitemapEntries()
    if not config.site_url:
        log.warning("mkdocs.yml 未设置 site_url（本站对外网址，如 https://www.example.gov.cn/zfxxgk/）："
                    "二维码、订阅源、站点地图和网站域名标签需要完整网址。")
    for problem in accessibility.footer_problems(current.site.settings):
        log.warning(problem.format())
    return config


def on_page_content(html, page, config, files):
    info = current.site.info(page.file.src_uri)
    doc = info.doc if info is not None else None
    path = doc.path if doc is not None else f"{os.path.basename(config.docs_dir)}/{page.file.src_uri}"
    for problem in accessibility.alt_problems(html, path, doc):
        log.warning(problem.format())
    return accessibility.wrap_tables(html)


@event_priority(-50)   # after disclosure.py has placed the document pages
def on_files(files, config):
    global _qr
    site_url = _site_url(config)
    urls = [site_url + d.url for d in current.site.corpus.published] if site_url else []
    _qr = qr.Background(urls)
    return files


def on_build_error(error):
    if _qr is not None:
        _qr.close()


def on_page_context(context, page, config, nav):
    site, site_url = current.site, _site_url(config)
    info = site.info(page.file.src_uri)
    doc = info.doc if info is not None else None
    column = (info.column or (doc.column_obj if doc else None)) if info is not None else None
    url = site_url + page.url
    alternates = [("政府信息公开 最新文件", feeds.FEED_FILE)]
    if column is not None:
        alternates.append((f"{column.title} 最新文件", feeds.column_feed_path(column)))
    context["zfx"] = {
        "meta": pagemeta.tags(site.settings, site_url, info.kind if info else "page", column, doc, url),
        "feeds": alternates if site_url else [],
        "qr": _qr.get(url) if doc is not None and site_url and _qr is not None else "",
    }
    newest = site.corpus.published[0].published if site.corpus.published else None
    _entries.add(page.url, info, newest)
    return context


def on_post_page(output, page, config):
    return accessibility.fix_html(output)


def on_post_build(config):
    if _qr is not None:
        _qr.close()
        if _qr.worker_failed:
            log.info("二维码后台进程意外退出（可能内存不足），其余二维码已在主进程生成，结果相同")
    accessibility.fix_static_page(os.path.join(config.site_dir, "404.html"))   # theme pages skip on_post_page
    site, site_url = current.site, _site_url(config)
    if not site_url:
        return
    published = site.corpus.published
    count = feeds.write_all(config.site_dir, site.catalogue, published, site_url, str(site.settings.get("agency", "")))
    sitemap.write(config.site_dir, _entries, site_url)
    log.info(f"订阅源 {count} 个，站点地图 {len(_entries.lastmod)} 个页面")
