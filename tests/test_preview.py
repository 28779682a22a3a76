"""The fast preview: one full build, then a saved document re-renders only what it changes.

The re-rendered page is the page a full build makes; the listing pages that
show the document follow; the open browser page reloads itself.
"""
from __future__ import annotations

import logging
import time
from pathlib import Path

import pytest

from zfxxgk.tools.preview import Preview


DOC = "content/documents/2021/guanxian-2021-9.md"
TITLE = "冠县人民政府办公室关于印发2021年冠县政务公开工作要点的通知"


@pytest.fixture
def preview(make_project, monkeypatch):
    monkeypatch.setenv("NO_MKDOCS_2_WARNING", "1")
    logging.getLogger("mkdocs").setLevel(logging.ERROR)
    project = make_project()
    p = Preview(project.root, project.root / ".preview")
    p.full_build()
    yield p
    p.stop()


def edit(p: Preview, old: str, new: str) -> Path:
    path = p.root / DOC
    path.write_text(path.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")
    return path


def page_html(p: Preview, url: str) -> str:
    return (p.serving / url / "index.html").read_text(encoding="utf-8")


def test_a_saved_title_reaches_the_page_its_table_and_its_listings(preview):
    doc = preview.site.corpus.by_src()["documents/2021/guanxian-2021-9.md"]
    result = preview.update(edit(preview, TITLE, TITLE + "（修改稿）"))
    assert result["kind"] == "partial" and result["seconds"] < 5
    assert doc.url in result["pages"] and "nian/2021/" in result["pages"] and "./" in result["pages"]
    html = page_html(preview, doc.url)
    assert "修改稿" in html and html.count("修改稿") >= 2          # heading and metadata table
    assert "修改稿" in page_html(preview, "nian/2021")
    assert "修改稿" in page_html(preview, "jg/gxrmzfbgs")


def test_the_re_rendered_page_is_the_page_a_full_build_makes(preview):
    doc = preview.site.corpus.by_src()["documents/2021/guanxian-2021-9.md"]
    preview.update(edit(preview, "各乡镇人民政府", "各乡镇人民政府（预览）"))
    partial = {url: page_html(preview, url) for url in preview.last["pages"] if url != "./"}
    preview.full_build()                                            # into the other directory
    for url, html in partial.items():
        assert html == page_html(preview, url), url
    assert "各乡镇人民政府（预览）" in partial[doc.url]


def test_an_invalid_save_keeps_the_last_good_page(preview):
    doc = preview.site.corpus.by_src()["documents/2021/guanxian-2021-9.md"]
    before = page_html(preview, doc.url)
    result = preview.update(edit(preview, "发布日期: 2021年6月28日", "发布日期: 2021年6月31日"))
    assert result["kind"] == "invalid" and any("[published]" in p for p in result["problems"])
    assert page_html(preview, doc.url) == before


def test_moving_a_document_to_another_column_rebuilds_everything(preview):
    result = preview.update(edit(preview, "公开目录: 法定主动公开内容/法规文件/其他文件",
                                 "公开目录: 法定主动公开内容/其他法定公开信息/政务公开"))
    assert result["kind"] == "full" and result["moved"] == ["column"]
    doc = preview.site.corpus.by_src()["documents/2021/guanxian-2021-9.md"]
    assert TITLE in page_html(preview, "zl/gxrmzfbgs/fdzdgknr/qtfdxx/zwgk")     # 冠县人民政府办公室's 专栏
    assert doc.column_obj.path == "zl/gxrmzfbgs/fdzdgknr/qtfdxx/zwgk"


def test_the_open_page_reloads_itself_after_a_save(preview, page):
    server = preview.serve("127.0.0.1", 0)
    preview.watch()
    doc = preview.site.corpus.by_src()["documents/2021/guanxian-2021-9.md"]
    page.goto(f"http://127.0.0.1:{server.server_address[1]}/{doc.url}")
    page.wait_for_timeout(600)
    started = time.monotonic()
    edit(preview, TITLE, TITLE + "（自动刷新）")
    # polled while the reload replaces the document: between the two, there is no body
    page.wait_for_function("() => document.body !== null && document.body.innerText.includes('自动刷新')", timeout=10000)
    assert time.monotonic() - started < 5
    server.shutdown()
