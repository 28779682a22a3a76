"""The pages of issue 14 in real Chromium: axe-core finds no serious violation and nothing scrolls
sideways at 360 px (metadata rows, the 统一编号 column, citizens' ways in, 政策问答).
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
