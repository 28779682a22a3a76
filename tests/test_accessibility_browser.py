"""Accessibility in real Chromium: axe-core (every rule, experimental ones included) on every
page type in the normal, elder and high-contrast modes; the keyboard; the toolbar; phone layout;
print; screenshots.

axe-core comes from npm (package.json pins it; ``npm ci``), or set AXE_JS to an axe.min.js.
"""
from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
AXE_JS = Path(os.environ.get("AXE_JS", ROOT / "node_modules" / "axe-core" / "axe.min.js"))
AXE_VERSION = "4.14.1"
SHOTS = ROOT / "artifacts" / "screenshots"
PREFIX = "/zfxxgk/"   # the site_url's path: the 404 page links its assets from there
MODES = {"normal": {}, "elder": {"elder": True}, "contrast": {"contrast": True, "elder": True}}
WIDTHS = (360, 1280)
# Each page type of the example site, found by what only it contains.
PAGE_MARKERS = {
    "home": ("index.html", None), "column": ("fdzdgknr/index.html", None),
    "listing": ("nian/*/index.html", None), "document": ("wj/*/index.html", 'class="zf-meta"'),
    "tags": ("bq/index.html", None), "tag": ("bq/*/index.html", None),
    "search": ("search/index.html", None), "decisions": ("**/index.html", "zf-decisions"),
    "items": ("**/index.html", "zf-list zf-items"), "nianbao": ("zfxxgknb/*/index.html", "zf-report__table"),
    "agency": ("zl/sxmzj/index.html", None), "agency_guide": ("zl/sxmzj/zfxxgkzn/index.html", "zf-contact__list"),
    "404": ("404.html", None),
}
SEARCH_QUERY = "?q=政务公开"


def find_pages(site_dir: Path) -> dict[str, str]:
    pages = {}
    for name, (pattern, marker) in PAGE_MARKERS.items():
        found = next((f for f in sorted(site_dir.glob(pattern))
                      if marker is None or marker in f.read_text(encoding="utf-8")), None)
        assert found is not None, f"the example site has no {name} page ({pattern}, {marker})"
        rel = found.relative_to(site_dir).as_posix()
        pages[name] = rel if rel.endswith("404.html") else rel.removesuffix("index.html")
    pages["search"] += SEARCH_QUERY
    return pages


@pytest.fixture(scope="module")
def site(example_site, serve):
    site_dir = example_site.site
    return serve(site_dir, prefix=PREFIX), find_pages(site_dir), site_dir


@pytest.fixture(scope="module")
def axe_source():
    if not AXE_JS.exists():
        pytest.fail(f"axe-core missing at {AXE_JS}: npm ci in {ROOT}")
    source = AXE_JS.read_text(encoding="utf-8")
    assert f"axe v{AXE_VERSION}" in source[:200], "the axe-core pinned in package.json"
    return source


def open_page(browser, base, path, mode="normal", width=1280, panel=None):
    """A new browser context on a page; ``mode`` and the toolbar ``panel`` are the starting
    choices (later choices made on the page are kept)."""
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="zh-CN", bypass_csp=True)   # axe is injected inline
    start = dict(MODES[mode], panel=mode != "normal" if panel is None else panel)
    context.add_init_script(
        f"if (!sessionStorage.zfTest) {{ sessionStorage.zfTest = 1; "
        f"localStorage.setItem('zf-a11y', {json.dumps(json.dumps(start))}); }}")
    page = context.new_page()
    page.goto(base + path)
    settle(page)
    return context, page


def settle(page) -> None:
    """Wait until the layout is final: web fonts loaded, then zf-a11y.js's measuring of the
    table boxes (after the first paint, again on every resize) has run."""
    page.evaluate("document.fonts.ready.then(() => new Promise(done => requestAnimationFrame("
                  "() => requestAnimationFrame(() => setTimeout(done, 50)))))")


def goto(page, base, name, pages) -> None:
    page.goto(base + pages[name])
    if name == "search":
        page.wait_for_selector("#zf-results li")
    settle(page)


def serious_violations(page, axe_source: str, label: str) -> list[tuple]:
    """axe-core with every rule on (best practices, AAA and experimental ones too) on the page
    as it is now: (rule, impact, first targets) of each serious or critical violation; the
    others are printed, not failed."""
    if not page.evaluate("!!window.axe"):
        page.add_script_tag(content=axe_source)
    violations = page.evaluate("""async () => {
        const rules = {};
        for (const r of axe.getRules()) rules[r.ruleId] = {enabled: true};
        return (await axe.run(document, {rules, resultTypes: ['violations']})).violations; }""")
    for v in violations:
        print(f"[{label}] {v['impact']}: {v['id']} ({len(v['nodes'])}) {v['help']} {[n['target'] for n in v['nodes']][:3]}")
    return [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:5]) for v in violations
            if v["impact"] in ("serious", "critical")]


def test_every_rule_of_the_pinned_axe_runs(browser, site, axe_source):
    """The experimental rules, the AAA ones and label-content-name-mismatch are on."""
    base, pages, _ = site
    context, page = open_page(browser, base, pages["home"])
    try:
        page.add_script_tag(content=axe_source)
        assert page.evaluate("axe.version") == AXE_VERSION
        tags = page.evaluate("""async () => { const rules = {};
            for (const r of axe.getRules()) rules[r.ruleId] = {enabled: true};
            const res = await axe.run(document, {rules});
            return [...res.passes, ...res.violations, ...res.incomplete, ...res.inapplicable].map(r => r.id); }""")
        for rule in ("label-content-name-mismatch", "color-contrast-enhanced", "landmark-unique",
                     "scrollable-region-focusable", "table-fake-caption", "target-size"):
            assert rule in tags
    finally:
        context.close()


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("mode", list(MODES))
def test_axe_finds_no_serious_or_critical_violation(browser, site, axe_source, mode, width):
    """Every page type, toolbar panel closed and open."""
    base, pages, _ = site
    bad = []
    for panel in (False, True):
        context, page = open_page(browser, base, pages["404"], mode, width, panel)
        try:
            for name in pages:
                goto(page, base, name, pages)
                if mode != "normal":
                    assert page.evaluate(f"document.documentElement.classList.contains('zf-{mode}')")
                assert page.is_visible("#zf-a11y-panel") == panel
                label = f"{name}/{mode}/{width}/{'open' if panel else 'closed'}"
                bad += [(label, *v) for v in serious_violations(page, axe_source, label)]
        finally:
            context.close()
    assert not bad, bad


def test_no_landmark_shares_its_name_at_phone_width(browser, site, axe_source):
    """Material's sections in the (closed) drawer are named; table boxes are named after their tables."""
    base, pages, _ = site
    context, page = open_page(browser, base, pages["home"], width=360)
    try:
        for name in ("home", "document", "nianbao"):
            goto(page, base, name, pages)
            page.add_script_tag(content=axe_source)
            result = page.evaluate("axe.run(document, {runOnly: ['landmark-unique']})")
            assert result["violations"] == [], (name, result["violations"])
    finally:
        context.close()


@pytest.mark.parametrize("mode", ["normal", "contrast"])
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


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("mode", ["normal", "elder"])
def test_no_horizontal_scroll_at_phone_width_and_screenshots(browser, site, width, mode):
    base, pages, site_dir = site
    SHOTS.mkdir(parents=True, exist_ok=True)
    context, page = open_page(browser, base, pages["404"], mode, width, panel=False)
    overflows = {}
    try:
        for name in pages:
            goto(page, base, name, pages)
            overflows[name] = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
            page.screenshot(path=str(SHOTS / f"{name}-{width}-{mode}.png"), full_page=True)
    finally:
        context.close()
    assert all(v <= 0 for v in overflows.values()), f"sideways scrolling at {width}px ({mode}): {overflows}"


def test_the_size_buttons_are_named_by_what_they_show(browser, site):
    """WCAG 2.5.3: a voice-control user says what she sees ("点击 A+")."""
    base, pages, _ = site
    context, page = open_page(browser, base, pages["home"], panel=True)
    try:
        for shown, meaning in (("A+", "放大字号"), ("A−", "缩小字号")):
            button = page.get_by_role("button", name=shown)
            assert button.count() == 1
            name = page.evaluate("b => b.textContent", button.element_handle())
            assert name.startswith(shown) and meaning in name
    finally:
        context.close()


TABLE_BOXES = """() => [...document.querySelectorAll('.zf-table-wrap')].map(b => ({
    label: b.getAttribute('aria-label'), role: b.getAttribute('role'), tab: b.getAttribute('tabindex'),
    scrolls: b.scrollWidth > b.clientWidth + 1,
    cue: getComputedStyle(b, '::before').content}))"""


def test_a_table_wider_than_its_box_is_a_named_keyboard_stop_with_a_visible_cue(browser, site):
    base, pages, _ = site
    for width, mode in ((360, "elder"), (1280, "normal")):
        context, page = open_page(browser, base, pages["nianbao"], mode, width)
        try:
            boxes = page.evaluate(TABLE_BOXES)
            assert len(boxes) >= 4
            labels = [b["label"] for b in boxes]
            assert len(set(labels)) == len(labels) and all(b["role"] == "region" for b in boxes), labels
            assert "第二十条第（一）项" in labels
            for b in boxes:
                assert (b["tab"] == "0") == b["scrolls"], b
                assert ("左右滑动" in b["cue"]) == b["scrolls"], b
            if width == 360:
                assert any(b["scrolls"] for b in boxes), "the review table (15 columns) scrolls on a phone"
                wide = page.locator(".zf-table-wrap--scrolls").first
                wide.focus()
                page.keyboard.press("ArrowRight")
                page.keyboard.press("ArrowRight")
                # The browser may scroll smoothly: on a busy machine the box moves a few frames later.
                scrolled = wide.evaluate("""b => new Promise(done => { const start = performance.now();
                    (function look() { if (b.scrollLeft > 0 || performance.now() - start > 3000) done(b.scrollLeft);
                                       else requestAnimationFrame(look); })(); })""")
                assert scrolled > 0, "arrow keys scroll the focused box"
        finally:
            context.close()


def test_template_and_markdown_tables_get_the_same_named_box(site):
    _, pages, site_dir = site
    html = (site_dir / pages["document"] / "index.html").read_text(encoding="utf-8")
    assert '<div class="zf-table-wrap" role="region" tabindex="0" aria-label="文件信息">' in html
    guide = (site_dir / "zfxxgkzn" / "index.html").read_text(encoding="utf-8")   # a Markdown table
    assert '<div class="zf-table-wrap" role="region" tabindex="0" aria-label="表格"><table>' in guide


# Every text in a table cell whose box (one line of it) lies outside what the reader can see:
# beyond the viewport or beyond an ancestor that clips or scrolls sideways. Visually hidden
# text (clipped on purpose, for screen readers) is left out.
HIDDEN = """el => { for (let a = el; a; a = a.parentElement) {
      const s = getComputedStyle(a); if (s.clip !== 'auto' || s.display === 'none') return true; } return false; }"""
CELL_TEXT_OUT_OF_VIEW = """() => {
  const hidden = """ + HIDDEN + """;
  const out = [], width = document.documentElement.clientWidth;
  const walker = document.createTreeWalker(document.getElementById('zf-main'), NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const el = n.parentElement;
    if (!n.textContent.trim() || !el.closest('td, th, caption') || hidden(el)) continue;
    let left = 0, right = width, box = null;
    for (let a = el; a && a !== document.body; a = a.parentElement) {
      if (getComputedStyle(a).overflowX === 'visible') continue;
      const r = a.getBoundingClientRect();
      left = Math.max(left, r.left); right = Math.min(right, r.right); box = box || a;
    }
    const range = document.createRange(); range.selectNodeContents(n);
    for (const r of range.getClientRects())
      if (r.width && (r.left < left - 1 || r.right > right + 1)) {
        out.push({text: n.textContent.trim().slice(0, 24), table: el.closest('table').className,
                  scrollBox: !!box && box.matches('.zf-table-wrap--scrolls[tabindex="0"][role=region]')});
        break;
      }
  }
  return out; }"""

# Cells narrower than three characters of their own text (a column squeezed to a character or two).
SQUEEZED_CELLS = """() => { const hidden = """ + HIDDEN + """;
  return [...document.querySelectorAll('#zf-main td, #zf-main th')].filter(c => {
    const s = getComputedStyle(c), text = c.textContent.trim();
    return text.length > 3 && !hidden(c) && c.getBoundingClientRect().width
      - parseFloat(s.paddingLeft) - parseFloat(s.paddingRight) < 3 * parseFloat(s.fontSize);
  }).map(c => c.textContent.trim().slice(0, 24)); }"""



@pytest.mark.parametrize("width,mode", [(360, "normal"), (360, "elder"), (1280, "elder"), (1280, "normal")])
def test_every_cell_shows_its_whole_text_or_sits_in_a_marked_scroll_box(browser, site, width, mode):
    """Listings, the metadata table and decisions fit (the 标准目录 too, where it turns into cards);
    a table that must scroll (the annual report's, a wide Markdown table, the 标准目录's nine
    columns beside a sidebar) is a named keyboard stop with its cue."""
    base, pages, _ = site
    context, page = open_page(browser, base, pages["home"], mode, width, panel=False)
    problems = {}
    try:
        for name in pages:
            goto(page, base, name, pages)
            out = page.evaluate(CELL_TEXT_OUT_OF_VIEW)
            bad = [o for o in out if not o["scrollBox"] or re.search(r"\bzf-(list|meta)\b(?!.*zf-items)", o["table"])]
            squeezed = page.evaluate(SQUEEZED_CELLS)
            if bad or squeezed:
                problems[name] = (bad[:5], squeezed[:5])
    finally:
        context.close()
    assert not problems, problems


@pytest.mark.parametrize("mode", ["normal", "elder"])
def test_each_listing_row_on_a_phone_shows_title_number_and_the_full_date(browser, site, mode):
    base, pages, _ = site
    context, page = open_page(browser, base, pages["listing"], mode, 360, panel=False)
    try:
        for name in ("home", "listing", "tag"):
            goto(page, base, name, pages)
            rows = page.evaluate("""() => [...document.querySelectorAll('table.zf-list tbody tr')].map(tr => {
                const shown = sel => { const c = tr.querySelector(sel); if (!c || !c.checkVisibility()) return null;
                    const label = getComputedStyle(c, '::before').content.match(/^"([^"]*)"/);
                    return (label ? label[1] : '') + c.innerText.trim(); };
                return {title: shown('.zf-list__title a'), docno: shown('.zf-list__docno'), date: shown('.zf-list__date'),
                        idx: shown('.zf-list__idx'), hasDocno: !!tr.querySelector('.zf-list__docno').textContent.trim()}; })""")
            assert rows, name
            for r in rows:
                assert r["title"] and r["idx"], r
                assert r["date"] and re.fullmatch(r"发布日期：\d{4}-\d{2}-\d{2}", r["date"]), r
                assert (r["docno"] or "").startswith("文号：") == r["hasDocno"], r
            assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
    finally:
        context.close()


def test_metadata_labels_fill_their_wrapped_rows_on_a_phone(browser, site):
    base, pages, _ = site
    for mode in ("normal", "elder"):
        context, page = open_page(browser, base, pages["document"], mode, 360, panel=False)
        try:
            pairs = page.evaluate("""() => [...document.querySelectorAll('.zf-meta th')].map(th => {
                const td = th.nextElementSibling, a = th.getBoundingClientRect(), b = td.getBoundingClientRect();
                return [th.textContent, Math.round(a.top), Math.round(b.top), Math.round(a.height), Math.round(b.height),
                        Math.round(a.left), Math.round(b.right)]; })""")
            wrapped = 0
            for label, th_top, td_top, th_h, td_h, left, right in pairs:
                assert th_top == td_top and th_h == td_h, (mode, label, "the label is as tall as its value")
                assert left >= 0 and right <= 360, (mode, label)
                wrapped += td_h > th_h * 0 and td_h > 40
            assert wrapped, "some value wraps to a second line (the title does)"
        finally:
            context.close()


# Each visible text's font size, with a short description of where it is.
TEXT_SIZES = """() => { const hidden = """ + HIDDEN + """;
  const out = [], walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const el = n.parentElement;
    if (!n.textContent.trim() || el.closest('script, style, noscript, svg') || hidden(el)
        || !el.checkVisibility({visibilityProperty: true, opacityProperty: true})) continue;
    out.push([parseFloat(getComputedStyle(el).fontSize), el.tagName.toLowerCase() + '.' + [...el.classList].join('.'),
              n.textContent.trim().slice(0, 16)]);
  }
  return out; }"""


@pytest.mark.parametrize("width", WIDTHS)
def test_elder_mode_sets_every_text_at_18pt_or_more(browser, site, width):
    """Main content and furniture: badges, counts, captions, table headers, the search page's
    snippets, meta and facets, the toolbar, Material's navigation."""
    base, pages, _ = site
    context, page = open_page(browser, base, pages["home"], "elder", width, panel=True)
    small = {}
    try:
        for name in pages:
            goto(page, base, name, pages)
            found = [t for t in page.evaluate(TEXT_SIZES) if t[0] < 23.9]
            if found:
                small[name] = sorted({(size, where): text for size, where, text in found}.items())[:12]
    finally:
        context.close()
    assert not small, small


@pytest.mark.parametrize("mode", ["normal", "elder", "contrast"])
def test_the_terms_offered_under_the_box_pass_axe_and_are_18pt_in_elder_mode(browser, site, axe_source, mode):
    """Completions (检索词) and the correction (您是不是要找) in the list under the box, on a phone."""
    base, pages, _ = site
    context, page = open_page(browser, base, pages["column"], mode, 360)
    bad, small, seen = [], [], set()
    try:
        for typed in ("示例县临", "临时求助"):
            page.fill("#zf-q", "")
            page.locator("#zf-q").press_sequentially(typed, delay=20)
            page.wait_for_selector("#zf-suggest:not([hidden]) .zf-suggest__term")
            page.keyboard.press("ArrowDown")
            settle(page)
            SHOTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(SHOTS / f"suggest-terms-360-{mode}-{typed}.png"))
            assert page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth") <= 0
            bad += serious_violations(page, axe_source, f"suggest-terms/{mode}/{typed}")
            sizes = page.evaluate(TEXT_SIZES)
            seen |= {text for _, where, text in sizes if "zf-suggest__kind" in where}
            small += [t for t in sizes if t[0] < 23.9] if mode != "normal" else []
    finally:
        context.close()
    assert seen == {"检索词", "您是不是要找："}
    assert not bad, bad
    assert not small, small


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("mode", ["elder", "contrast"])
def test_the_search_scoped_to_an_agency_passes_axe_and_is_18pt_in_elder_mode(browser, site, axe_source, mode, width):
    """The scope line (检索范围 and its button) and the 机构 facet of ?agency=."""
    base, pages, _ = site
    context, page = open_page(browser, base, "search/?q=临时救助&agency=sxmzj", mode, width)
    try:
        page.wait_for_selector("#zf-results li")
        settle(page)
        page.screenshot(path=str(SHOTS / f"search-agency-{width}-{mode}.png"), full_page=True)
        sizes = page.evaluate(TEXT_SIZES)
        assert any("zf-search__scope" in where for _, where, _ in sizes)
        small = [t for t in sizes if t[0] < 23.9]
        bad = serious_violations(page, axe_source, f"search-agency/{mode}/{width}")
    finally:
        context.close()
    assert not bad, bad
    assert not small, small


SIZE_STEPS = 5


def body_size(page) -> float:
    return page.evaluate("parseFloat(getComputedStyle(document.querySelector('.zf-doc__body p')).fontSize)")


def test_each_size_step_enlarges_the_text_in_both_modes_up_to_twice_normal(browser, site):
    base, pages, _ = site
    context, page = open_page(browser, base, pages["document"], "normal", 360, panel=True)
    try:
        normal = body_size(page)
        for mode in ("normal", "elder"):
            if mode == "elder":
                page.click("[data-zf-toggle=elder]")
            sizes, labels = [body_size(page)], [page.text_content("[data-zf-size]")]
            for _ in range(SIZE_STEPS - 1):
                page.click("[data-zf-act=larger]")
                sizes.append(body_size(page))
                labels.append(page.text_content("[data-zf-size]"))
            for smaller, larger in zip(sizes, sizes[1:]):
                assert larger >= smaller * 1.07, (mode, sizes)
            assert sizes[-1] >= 2 * normal, (mode, sizes, normal)
            assert [round(s / normal * 100) for s in sizes] == [int(l.rstrip("%")) for l in labels], (sizes, labels)
            for _ in range(SIZE_STEPS - 1):
                page.click("[data-zf-act=smaller]")
            assert body_size(page) == sizes[0]
        assert sizes[0] >= 24
    finally:
        context.close()


@pytest.mark.parametrize("mode", ["normal", "elder"])
def test_no_page_scrolls_sideways_at_any_size_step_on_a_phone_or_at_320px(browser, site, mode):
    """WCAG 1.4.10 reflow: 320 CSS px; 360 px at every size step."""
    base, pages, _ = site
    wide = {}
    for width, steps in ((360, range(SIZE_STEPS)), (320, (0, SIZE_STEPS - 1))):
        for step in steps:
            context = browser.new_context(viewport={"width": width, "height": 800}, locale="zh-CN")
            context.add_init_script(f"localStorage.setItem('zf-a11y', {json.dumps(json.dumps(dict(MODES[mode], size=step)))})")
            page = context.new_page()
            try:
                for name in pages:
                    goto(page, base, name, pages)
                    over = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
                    if over > 0:
                        wide[(width, step, name)] = over
            finally:
                context.close()
    assert not wide, wide


# Where the focus is now: its description and whether it can be seen (on screen, not hidden,
# not covered by the sticky header), with a focus ring.
FOCUS = """() => {
  const e = document.activeElement;
  if (!e || e === document.body || e === document.documentElement) return null;
  const r = e.getBoundingClientRect(), s = getComputedStyle(e), vw = innerWidth, vh = innerHeight;
  const left = Math.max(r.left, 0), right = Math.min(r.right, vw), top = Math.max(r.top, 0), bottom = Math.min(r.bottom, vh);
  const onScreen = right - left >= 1 && bottom - top >= 1;
  const hit = onScreen ? document.elementFromPoint((left + right) / 2, (top + bottom) / 2) : null;
  return {what: e.tagName + ' ' + (e.getAttribute('aria-label') || e.textContent).trim().slice(0, 20),
          onScreen, uncovered: !!hit && (e.contains(hit) || hit.contains(e)),
          visible: e.checkVisibility({visibilityProperty: true, opacityProperty: true}),
          ring: s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2}; }"""


def tab_walk(page, key: str, limit: int = 200) -> list[dict]:
    """Every focus stop from the top (Tab) or the bottom (Shift+Tab) until the focus leaves the page."""
    stops = []
    for _ in range(limit):
        page.keyboard.press(key)
        stop = page.evaluate(FOCUS)
        if stop is None:
            break
        stops.append(stop)
    return stops


@pytest.mark.parametrize("mode", ["normal", "elder"])
def test_a_full_tab_walk_on_a_phone_never_lands_out_of_sight(browser, site, mode):
    """Material's closed drawer is inert; each stop is on screen, visible, not under the sticky
    header and ringed; Shift+Tab from the end the same."""
    base, pages, _ = site
    context, page = open_page(browser, base, pages["home"], mode, 360, panel=True)
    lost = {}
    try:
        for name in ("home", "document", "listing", "search", "nianbao"):
            goto(page, base, name, pages)
            forward = tab_walk(page, "Tab")
            assert len(forward) > 10, (name, forward)
            page.evaluate("document.activeElement && document.activeElement.blur(); window.scrollTo(0, document.body.scrollHeight)")
            page.focus("footer a") if page.locator("footer a").count() else None
            backward = tab_walk(page, "Shift+Tab")
            bad = [s for s in forward + backward if not (s["onScreen"] and s["uncovered"] and s["visible"] and s["ring"])]
            if bad:
                lost[name] = [" ".join([s["what"]] + [k for k in ("onScreen", "uncovered", "visible", "ring") if not s[k]])
                              for s in bad[:6]]
            assert page.evaluate("document.querySelector('.md-sidebar--primary').inert"), "the closed drawer is inert"
    finally:
        context.close()
    assert not lost, lost


def test_the_drawer_opened_on_a_phone_takes_the_focus_and_closes_inert_again(browser, site):
    base, pages, _ = site
    context, page = open_page(browser, base, pages["document"], "normal", 360)
    try:
        page.click("label.md-header__button[for=__drawer]")
        page.wait_for_function("!document.querySelector('.md-sidebar--primary').inert")
        page.locator(".md-sidebar--primary a").first.focus()
        assert page.evaluate(FOCUS)["onScreen"]
        page.click("label.md-overlay", position={"x": 350, "y": 450})
        page.wait_for_function("document.querySelector('.md-sidebar--primary').inert")
    finally:
        context.close()


def test_the_size_buttons_keep_the_focus_at_either_end(browser, site):
    base, pages, _ = site
    context, page = open_page(browser, base, pages["document"], "normal", 360, panel=True)
    try:
        page.focus("[data-zf-act=larger]")
        for _ in range(SIZE_STEPS + 1):   # one press past the largest size
            page.keyboard.press("Enter")
        assert page.evaluate("document.activeElement.dataset.zfAct") == "larger"
        assert page.get_attribute("[data-zf-act=larger]", "aria-disabled") == "true"
        assert page.text_content("[data-zf-status]") == "已是最大字号"
        assert page.evaluate(FOCUS)["onScreen"]
        page.focus("[data-zf-act=smaller]")
        for _ in range(SIZE_STEPS + 1):
            page.keyboard.press("Enter")
        assert page.evaluate("document.activeElement.dataset.zfAct") == "smaller"
        assert page.get_attribute("[data-zf-act=smaller]", "aria-disabled") == "true"
    finally:
        context.close()


def test_the_404_page_speaks_chinese_and_leads_home(browser, site):
    base, pages, _ = site
    context, page = open_page(browser, base, pages["404"], width=360)
    try:
        assert page.text_content("#zf-main h1").strip() == "页面不存在"
        page.click("text=返回政府信息公开首页")
        assert page.url == base
    finally:
        context.close()


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


def start_reading(page) -> None:
    page.click("[data-zf-panel]")
    page.click("[data-zf-act=read]")


def test_read_aloud_without_any_voice_says_so_in_the_panel(browser, site):
    """Headless Chromium has speechSynthesis but no voice: the panel tells the reader why
    nothing is heard instead of claiming to read."""
    base, pages, _ = site
    context, page = open_page(browser, base, pages["document"])
    try:
        if not page.evaluate("'speechSynthesis' in window"):
            pytest.skip("this Chromium build has no speechSynthesis")
        if page.evaluate("speechSynthesis.getVoices().length"):
            pytest.skip("this machine has voices installed")
        start_reading(page)
        status = page.locator("[data-zf-status]")
        page.wait_for_function("document.querySelector('[data-zf-status]').textContent.startsWith('无法朗读')")
        assert status.is_visible()
        assert "本机没有安装任何语音" in status.text_content()
        assert page.get_attribute("[data-zf-act=read]", "aria-pressed") == "false"
        assert not page.is_visible("[data-zf-act=pause]")
    finally:
        context.close()


# The device's voices and speech engine (not part of the site), replaced by a recorder.
VOICES = """(voices) => {
  speechSynthesis.getVoices = () => voices;
  window.__spoken = []; window.__calls = [];
  speechSynthesis.speak = u => window.__spoken.push(u.text);
  for (const name of ['pause', 'resume', 'cancel']) speechSynthesis[name] = () => window.__calls.push(name);
}"""
ZH_REMOTE = {"name": "在线普通话", "lang": "zh-CN", "localService": False, "voiceURI": "remote", "default": True}
ZH_LOCAL = {"name": "本机普通话", "lang": "zh-CN", "localService": True, "voiceURI": "local", "default": False}
EN_LOCAL = {"name": "English", "lang": "en-US", "localService": True, "voiceURI": "en", "default": False}


def test_read_aloud_reads_metadata_pairs_skips_urls_and_decoration_with_a_local_voice(browser, site):
    base, pages, _ = site
    context, page = open_page(browser, base, pages["document"])
    try:
        page.evaluate(VOICES, [ZH_REMOTE, EN_LOCAL, ZH_LOCAL])
        start_reading(page)
        page.wait_for_function("window.__spoken.length > 0")
        assert page.text_content("[data-zf-status]") == "正在朗读本页（语音：本机普通话，本机）"
        spoken = page.evaluate("window.__spoken")
        index_no = page.text_content(".zf-meta tr:first-child td").strip()
        first = spoken.index(f"索引号：{index_no}。")   # after the validity notice, if any
        rows = [th.strip() for th in page.locator(".zf-meta th").all_text_contents()]
        assert rows[:10] == ["索引号", "主题分类", "发布机构", "成文日期", "标题", "文号", "发布日期", "主题词", "有效性", "公开属性"]
        labels = [s.split("：")[0] for s in spoken[first:first + len(rows)]]
        assert labels == rows
        title = page.text_content(".zf-doc__title").strip()
        assert f"标题：{title}。" in spoken
        assert any(title in s for s in spoken[first + len(rows):]), "the heading after the table"
        assert not [s for s in spoken if "http" in s or "www." in s], "no URL spelt out"
        assert not [s for s in spoken if "扫一扫" in s or "当前位置" in s or "›" in s], "no QR caption, crumbs or separators"
        assert all(len(s) <= 181 for s in spoken)
        page.click("[data-zf-act=pause]")
        assert page.text_content("[data-zf-act=pause]") == "继续朗读"
        page.click("[data-zf-act=pause]")
        assert page.text_content("[data-zf-act=pause]") == "暂停朗读"
        page.click("[data-zf-act=read]")   # 停止朗读
        assert page.evaluate("window.__calls")[-3:] == ["pause", "resume", "cancel"]
        assert page.get_attribute("[data-zf-act=read]", "aria-pressed") == "false"
        assert not page.is_visible("[data-zf-act=pause]")
        assert page.text_content("[data-zf-status]") == "已停止朗读"
    finally:
        context.close()


def test_read_aloud_without_a_chinese_voice_says_so(browser, site):
    base, pages, _ = site
    context, page = open_page(browser, base, pages["document"])
    try:
        page.evaluate(VOICES, [EN_LOCAL])
        start_reading(page)
        assert "本机没有中文语音" in page.text_content("[data-zf-status]")
        assert page.evaluate("window.__spoken") == []
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
