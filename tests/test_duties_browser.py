"""The pages of issue 14 in real Chromium: axe-core finds no serious violation and nothing scrolls
sideways at 360 px (metadata rows, the 统一编号 column, citizens' ways in, 政策问答, 意见征集, the
标准目录 by 领域).
"""
from __future__ import annotations

import pytest

from test_accessibility_browser import AXE_JS, serious_violations

PAGES = {
    "home (ways in)": "",
    "guide (ways in)": "zfxxgkzn/",
    "document (rows, 我要留言/纠错)": "wj/000000001-2023-00008/",
    "normative listing (统一编号)": "fdzdgknr/fgwj/gfxwj/xxyx/",
    "policy Q&A": "fdzdgknr/zcjd/zcwd/",
    "consultations": "yjzj/",
    "consultation document (badge, decision links)": "wj/000000003-2022-00041/",
    "decision catalogue (意见征集 state)": "fdzdgknr/zdxzjc/2023/",
    "standard items by area": "fdzdgknr/bzml/",
}


@pytest.fixture(scope="module")
def base(example_site, serve):
    return serve(example_site.site)


@pytest.fixture(scope="module")
def axe_source():
    if not AXE_JS.exists():
        pytest.fail(f"axe-core missing at {AXE_JS}: npm install --no-save --no-package-lock axe-core@4.10.3")
    return AXE_JS.read_text(encoding="utf-8")


@pytest.mark.parametrize("width", [360, 1280])
def test_axe_clean_and_no_sideways_scroll(browser, base, axe_source, width):
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="zh-CN", bypass_csp=True)   # axe is injected inline
    page = context.new_page()
    bad, wide = [], []
    try:
        for name, url in PAGES.items():
            page.goto(base + url)
            bad += [(name, *v) for v in serious_violations(page, axe_source, f"{name}/{width}")]
            if page.evaluate("document.documentElement.scrollWidth") > width:
                wide.append(name)
    finally:
        context.close()
    assert not bad, bad
    assert not wide, wide


def test_a_question_anchor_scrolls_to_its_question(browser, base):
    context = browser.new_context(viewport={"width": 360, "height": 700}, locale="zh-CN")
    page = context.new_page()
    try:
        page.goto(base + "fdzdgknr/zcjd/zcwd/#q-000000003-2023-00007-3")
        box = page.locator("#q-000000003-2023-00007-3").bounding_box()
        assert 0 <= box["y"] < 700
        assert page.locator("dt:target").inner_text().startswith("问申请表在哪里下载？")
    finally:
        context.close()


def test_the_standard_items_use_the_full_width_and_areas_fold(browser, base):
    """At 1280 px the 标准目录's table spans the content grid (it was a third of it beside empty
    sidebars); every 领域 is a <details>: the first open, the others open on a click."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    page = context.new_page()
    try:
        page.goto(base + "fdzdgknr/bzml/")
        table = page.locator("#ly-1 table").first.bounding_box()
        assert table["width"] >= 1100, table
        assert page.locator("#ly-1").evaluate("d => d.open") and not page.locator("#ly-2").evaluate("d => d.open")
        assert not page.locator("#ly-2 table").first.is_visible()
        page.locator("#ly-2 > summary").click()
        assert page.locator("#ly-2 table").first.is_visible()
        assert page.locator("#ly-2 th[scope=row]").all_inner_texts() == ["临时救助", "临时救助对象审核确认结果", "最低生活保障标准"]
    finally:
        context.close()


def test_at_360_px_each_consultation_fact_is_one_readable_line(browser, base):
    """The label above its value: no value squeezed into a column a few characters wide."""
    context = browser.new_context(viewport={"width": 360, "height": 800}, locale="zh-CN")
    page = context.new_page()
    try:
        page.goto(base + "yjzj/")
        for box in page.locator(".zf-consult__facts dd").evaluate_all("els => els.map(e => e.getBoundingClientRect().width)"):
            assert box >= 250, box
    finally:
        context.close()


def test_a_media_interpretation_page_is_axe_clean_and_fits_360_px(browser, serve, make_project, axe_source):
    """音视频解读: the players, their captions track and the 文字稿 (test_media.py builds the same page)."""
    from test_media import BOTH, PAGE, add_media, media_doc
    project = make_project()
    add_media(project)
    project.write("content/documents/2023/jd.md", media_doc("000000003/2023-00060", BOTH))
    result = project.build("--strict")
    assert result.ok, result.output
    url = serve(result.site) + PAGE.removesuffix("index.html")
    for width in (360, 1280):
        context = browser.new_context(viewport={"width": width, "height": 900}, locale="zh-CN", bypass_csp=True)
        page = context.new_page()
        try:
            page.goto(url)
            page.locator(".zf-media__transcript > summary").first.click()
            assert page.locator("video track[kind=captions]").get_attribute("srclang") == "zh"
            assert page.locator(".zf-media__transcript p").first.is_visible()
            assert serious_violations(page, axe_source, f"media/{width}") == []
            assert page.evaluate("document.documentElement.scrollWidth") <= width
            player = page.locator("video").bounding_box()
            assert player["width"] <= width and player["width"] >= min(width - 40, 600)
        finally:
            context.close()
