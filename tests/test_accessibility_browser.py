"""Accessibility in real Chromium: axe-core on every page type in the normal, elder and
high-contrast modes; the keyboard; the toolbar; phone layout; print; screenshots.

axe-core comes from npm: ``npm install --no-save --no-package-lock --prefix . axe-core@4.10.3``
(or set AXE_JS to an axe.min.js).
"""
from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from _furniture_helpers import corpus_of

ROOT = Path(__file__).resolve().parent.parent
AXE_JS = Path(os.environ.get("AXE_JS", ROOT / "node_modules" / "axe-core" / "axe.min.js"))
SHOTS = ROOT / "artifacts" / "screenshots"
MODES = {"normal": {}, "elder": {"elder": True, "panel": True}, "contrast": {"contrast": True, "elder": True, "panel": True}}
AXE_MODES = ["normal", "contrast"]   # "contrast" is the elder mode with the high-contrast scheme
WIDTHS = (360, 1280)


@pytest.fixture(scope="module")
def site(example_site, serve):
    cat, corpus = corpus_of(example_site.site.parent)
    doc = corpus.published[0]
    pages = {"home": "", "column": "fdzdgknr/", "listing": f"nian/{doc.year}/", "document": doc.url,
             "nianbao": "zfxxgknb/", "search": "search/?q=政务公开"}
    return serve(example_site.site), pages, example_site.site


@pytest.fixture(scope="module")
def axe_source():
    if not AXE_JS.exists():
        pytest.fail(f"axe-core missing at {AXE_JS}: npm install --no-save --no-package-lock --prefix {ROOT} axe-core@4.10.3")
    return AXE_JS.read_text(encoding="utf-8")


def open_page(browser, base, path, mode="normal", width=1280):
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="zh-CN")
    context.add_init_script(  # the starting mode; later choices made on the page are kept
        f"if (!sessionStorage.zfTest) {{ sessionStorage.zfTest = 1; "
        f"localStorage.setItem('zf-a11y', {json.dumps(json.dumps(MODES[mode]))}); }}")
    page = context.new_page()
    page.goto(base + path)
    return context, page


PAGE_NAMES = ["home", "column", "listing", "document", "search", "nianbao"]


def present(site_dir: Path, pages: dict[str, str]) -> list[str]:
    """The page types built so far (the search page belongs to a separate issue)."""
    names = [n for n in PAGE_NAMES if n != "search" or (site_dir / "search" / "index.html").exists()]
    if "search" not in names:
        print("SKIPPED search page: search/index.html is not built yet (the site search is a separate issue)")
    return names


def serious_violations(page, axe_source: str, label: str) -> list[tuple]:
    """axe-core on the page as it is now: (rule, impact, first targets) of each serious or critical
    violation; the others are printed, not failed."""
    page.add_script_tag(content=axe_source)
    violations = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")["violations"]
    for v in violations:
        print(f"[{label}] {v['impact']}: {v['id']} ({len(v['nodes'])}) {v['help']} {[n['target'] for n in v['nodes']][:3]}")
    return [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:5]) for v in violations
            if v["impact"] in ("serious", "critical")]


@pytest.mark.parametrize("mode", AXE_MODES)
def test_axe_finds_no_serious_or_critical_violation(browser, site, axe_source, mode):
    base, pages, site_dir = site
    context, page = open_page(browser, base, "404.html", mode)
    bad = []
    try:
        for name in present(site_dir, pages):
            page.goto(base + pages[name])
            if mode != "normal":
                assert page.evaluate(f"document.documentElement.classList.contains('zf-{mode}')")
            bad += [(name, *v) for v in serious_violations(page, axe_source, f"{name}/{mode}")]
    finally:
        context.close()
    assert not bad, bad


@pytest.mark.parametrize("mode", AXE_MODES)
def test_the_result_list_under_the_box_passes_axe_and_fits_a_phone(browser, site, axe_source, mode):
    base, pages, _ = site
    context, page = open_page(browser, base, pages["column"], mode, 360)
    try:
        page.locator("#zf-q").press_sequentially("政务公开", delay=20)
        page.wait_for_selector("#zf-suggest:not([hidden]) [role=option]")
        page.keyboard.press("ArrowDown")
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / f"suggest-360-{mode}.png"))
        assert page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth") <= 0
        bad = serious_violations(page, axe_source, f"suggest/{mode}")
    finally:
        context.close()
    assert not bad, bad


@pytest.mark.parametrize("width,mode", [(360, "normal"), (360, "elder"), (1280, "normal")])
def test_no_horizontal_scroll_at_phone_width_and_screenshots(browser, site, width, mode):
    base, pages, site_dir = site
    SHOTS.mkdir(parents=True, exist_ok=True)
    context, page = open_page(browser, base, "404.html", mode, width)
    overflows = {}
    try:
        for name in present(site_dir, pages):
            page.goto(base + pages[name])
            overflows[name] = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
            page.screenshot(path=str(SHOTS / f"{name}-{width}-{mode}.png"), full_page=True)
    finally:
        context.close()
    assert all(v <= 0 for v in overflows.values()), f"sideways scrolling at {width}px ({mode}): {overflows}"


def test_skip_link_is_the_first_tab_stop_and_jumps_to_the_content(browser, site):
    base, pages, _ = site
    context, page = open_page(browser, base, pages["document"])
    try:
        page.keyboard.press("Tab")
        focused = page.evaluate("[document.activeElement.classList.contains('zf-skip'), document.activeElement.textContent]")
        assert focused == [True, "跳到正文"]
        box = page.locator(".zf-skip").bounding_box()
        assert box and box["y"] >= 0 and box["height"] > 10, "the skip link is visible when focused"
        ring = page.evaluate("getComputedStyle(document.activeElement).outlineStyle + ' ' + getComputedStyle(document.activeElement).outlineWidth")
        assert ring.startswith("solid") and float(ring.split()[1].rstrip("px")) >= 2
        page.keyboard.press("Enter")
        assert page.evaluate("document.activeElement.id") == "zf-main"
        page.keyboard.press("Tab")
        assert page.evaluate("document.getElementById('zf-main').contains(document.activeElement)")
    finally:
        context.close()


def test_every_link_on_a_page_shows_a_focus_ring(browser, site):
    base, pages, _ = site
    context, page = open_page(browser, base, pages["column"])
    try:
        for _ in range(12):
            page.keyboard.press("Tab")
            style = page.evaluate("""() => { const s = getComputedStyle(document.activeElement);
                return [document.activeElement.tagName, s.outlineStyle, parseFloat(s.outlineWidth)]; }""")
            assert style[1] != "none" and style[2] >= 2, style
    finally:
        context.close()


def test_toolbar_works_by_keyboard_without_reload_and_persists(browser, site):
    base, pages, _ = site
    context, page = open_page(browser, base, pages["document"])
    try:
        page.evaluate("window.__noReload = true")
        page.focus("[data-zf-panel]")
        page.keyboard.press("Enter")
        assert page.get_attribute("[data-zf-panel]", "aria-expanded") == "true"
        assert page.is_visible("#zf-a11y-panel")
        body = ".zf-doc__body p"
        before = page.evaluate(f"parseFloat(getComputedStyle(document.querySelector('{body}')).fontSize)")
        page.focus("[data-zf-act=larger]")
        page.keyboard.press("Enter")
        page.keyboard.press("Enter")
        after = page.evaluate(f"parseFloat(getComputedStyle(document.querySelector('{body}')).fontSize)")
        assert after > before * 1.15
        page.focus("[data-zf-toggle=contrast]")
        page.keyboard.press("Space")
        assert page.get_attribute("[data-zf-toggle=contrast]", "aria-pressed") == "true"
        assert page.evaluate("getComputedStyle(document.body).backgroundColor") == "rgb(0, 0, 0)"
        page.click("[data-zf-toggle=cursor]")
        assert "url(" in page.evaluate("getComputedStyle(document.querySelector('p')).cursor")
        page.click("[data-zf-toggle=plain]")
        assert not page.is_visible(".md-header") and page.is_visible(".zf-doc__body")
        assert page.evaluate("window.__noReload") is True, "choices apply without reloading"
        page.goto(base + pages["home"])   # another page: the choices follow
        classes = page.evaluate("document.documentElement.className")
        for cls in ("zf-size-2", "zf-contrast", "zf-cursor", "zf-plain"):
            assert cls in classes
        page.click("[data-zf-act=reset]")
        assert "zf-contrast" not in page.evaluate("document.documentElement.className")
    finally:
        context.close()


def test_elder_mode_text_is_at_least_18pt_with_generous_line_spacing(browser, site):
    base, pages, _ = site
    for width in WIDTHS:
        context, page = open_page(browser, base, pages["home"], "normal", width)
        try:
            page.click("[data-zf-toggle=elder]")
            assert page.text_content("[data-zf-toggle=elder]") == "关闭适老化模式"
            for path, body in ((pages["home"], ".md-typeset > p"), (pages["document"], ".zf-doc__body p")):
                page.goto(base + path)
                size, line = page.evaluate("""(body) => { const s = getComputedStyle(document.querySelector(body));
                    return [parseFloat(s.fontSize), parseFloat(s.lineHeight)]; }""", body)
                assert size >= 24, f"{path}: {size}px < 18pt"
                assert line / size >= 1.3
        finally:
            context.close()


def test_read_aloud_speaks_the_page_text_in_chinese(browser, site):
    base, pages, _ = site
    context, page = open_page(browser, base, pages["document"])
    context.add_init_script("""window.__spoken = [];
      if (window.speechSynthesis) { const speak = speechSynthesis.speak.bind(speechSynthesis);
        speechSynthesis.speak = u => { window.__spoken.push([u.lang, u.text]); speak(u); }; }""")
    try:
        page.reload()
        if not page.evaluate("'speechSynthesis' in window"):
            pytest.skip("this Chromium build has no speechSynthesis")
        page.click("[data-zf-panel]")
        page.click("[data-zf-act=read]")
        spoken = page.evaluate("window.__spoken")
        assert spoken and all(lang == "zh-CN" for lang, _ in spoken)
        title = page.text_content(".zf-doc__title").strip()
        assert title in "".join(text for _, text in spoken)
        # Without a voice installed Chromium ends at once; with one, a second press stops it.
        page.wait_for_function("""speechSynthesis.speaking ||
            document.querySelector('[data-zf-act=read]').getAttribute('aria-pressed') === 'false'""")
        if page.evaluate("speechSynthesis.speaking"):
            page.click("[data-zf-act=read]")
        # Either the stop press or the end of speech (onend, which may come a moment later) releases the button.
        page.wait_for_function("document.querySelector('[data-zf-act=read]').getAttribute('aria-pressed') === 'false'",
                               timeout=10_000)
    finally:
        context.close()


def test_print_shows_a_clean_official_page(browser, site):
    base, pages, _ = site
    context, page = open_page(browser, base, pages["document"])
    try:
        page.emulate_media(media="print")
        for hidden in (".zf-toolbar", ".md-header", ".md-sidebar--primary", ".zf-crumbs", ".zf-share", ".zf-banner__search"):
            assert not page.is_visible(hidden), hidden
        for shown in (".zf-meta", ".zf-doc__title", ".zf-doc__body"):
            assert page.is_visible(shown), shown
        assert len(page.pdf(format="A4")) > 1000
    finally:
        context.close()


def test_the_four_columns_are_reachable_on_a_phone(browser, site):
    base, pages, _ = site
    context, page = open_page(browser, base, pages["document"], width=360)
    try:
        links = page.locator(".zf-colbar a")
        assert links.count() == 4
        for i in range(4):
            assert links.nth(i).is_visible()
    finally:
        context.close()
