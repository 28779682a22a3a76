"""The Content-Security-Policy in real Chromium: the site works under it, and a sanitizer miss cannot run.

Every page type of the example site (served under /zfxxgk/ like site_url) is
opened with a listener for ``securitypolicyviolation`` installed before any page
script; the console and uncaught errors are recorded too. Then script is
injected into a built page, as a sanitizer miss would leave it, and must not run.
"""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from _csp_helpers import Watched

PREFIX = "/zfxxgk/"
PAGES = {   # page type -> path under the site root (each with its own template)
    "home": "",
    "column listing": "fdzdgknr/fgwj/",
    "document": "wj/113715250044422281-2021-26757114/",
    "tag": "bq/zdxzjc/",
    "publisher index": "jg/",
    "decision catalogue": "fdzdgknr/zdxzjc/2023/",
    "standard items": "fdzdgknr/bzml/",
    "annual report": "zfxxgknb/2023/",
    "search": "search/",
    "not found": "404.html",
}


@pytest.fixture
def watched(browser):
    w = Watched(browser)
    yield w
    w.context.close()


@pytest.fixture(scope="module")
def base(example_site, serve) -> str:
    return serve(example_site.site, prefix=PREFIX)


@pytest.mark.parametrize("name", PAGES)
def test_every_page_type_runs_under_its_policy_without_a_violation(watched, base, name):
    response = watched.page.goto(base + PAGES[name])
    assert response.ok
    policy = watched.page.get_attribute('head > meta[http-equiv="Content-Security-Policy"]', "content")
    assert "script-src 'self' 'sha256-" in policy and "unsafe-inline'; style-src-elem" in policy
    watched.page.wait_for_load_state("networkidle")
    # Material's script ran (it marks the page) and so did the accessibility head script.
    assert watched.page.evaluate("document.documentElement.classList.contains('zf-js')")
    assert watched.page.evaluate("typeof __md_get === 'function' && __md_scope.pathname") == PREFIX
    watched.assert_clean(name)


def test_the_search_page_finds_what_is_typed(watched, base):
    watched.page.goto(base + "search/")
    watched.page.wait_for_selector("#zf-status:not(:empty)")
    watched.page.locator("#zf-q").press_sequentially("政务公开体验区", delay=20)
    watched.page.wait_for_function("() => document.querySelectorAll('.zf-hit').length === 1")
    watched.page.wait_for_selector(".zf-hit__snippet mark")
    assert "q=" in watched.page.url
    watched.assert_clean("search page with a query")


def test_the_type_ahead_lists_documents_under_the_box(watched, base):
    watched.page.goto(base + "zfxxgkzn/")
    watched.page.locator("#zf-q").press_sequentially("冠政办发[2021]9号", delay=20)
    watched.page.wait_for_function("() => document.querySelector('#zf-suggest .zf-suggest__title')?.textContent"
                                   ".includes('政务公开工作要点')")
    watched.page.keyboard.press("ArrowDown")
    watched.page.keyboard.press("Enter")
    watched.page.wait_for_url("**/wj/**")
    watched.assert_clean("type-ahead")


def test_the_accessibility_toolbar_and_read_aloud_work(watched, base):
    page = watched.page
    page.goto(base + PAGES["document"])
    page.click("[data-zf-panel]")
    assert page.is_visible("#zf-a11y-panel")
    page.click("[data-zf-toggle=contrast]")
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") == "rgb(0, 0, 0)"
    page.click("[data-zf-act=larger]")
    page.click("[data-zf-act=read]")          # speechSynthesis: no network, nothing for the policy to block
    page.reload()                             # the saved choices are applied by the hashed head script
    assert "zf-contrast" in page.evaluate("document.documentElement.className")
    page.click("[data-zf-act=reset]")
    watched.assert_clean("toolbar")


# --- a sanitizer miss ------------------------------------------------------------
# Each payload alone, what makes it fire, and the directive that must block it.
PAYLOADS = {
    "event handler": ('<img src=x onerror="window.__pwned=1">', None, "script-src-attr"),
    "inline script": ("<script>window.__pwned=2</script>", None, "script-src-elem"),
    "javascript: link": ('<a id=x href="javascript:window.__pwned=3">x</a>', "click", "script-src-elem"),
    "script from another origin": ('<script src="{other}evil.js"></script>', None, "script-src-elem"),
    "script inside svg": ("<svg><script>window.__pwned=5</script></svg>", None, "script-src-elem"),
    "handler on hover": ('<div id=x onmouseover="window.__pwned=6">hover</div>', "hover", "script-src-attr"),
    "plugin object": ('<object data="{other}evil.js" type="text/html"></object>', None, "object-src"),
    "base element": ('<base href="{other}">', None, "base-uri"),
    "form to another site": ('<form action="{other}steal" method="post"><button id=x>send</button></form>',
                             "click", "form-action"),
}


@pytest.fixture(scope="module")
def tamper(example_site, serve, tmp_path_factory):
    """Serve a copy of the built site whose document page carries what a sanitizer missed."""
    evil = tmp_path_factory.mktemp("evil")
    (evil / "evil.js").write_text("window.__pwned = 4;\n", encoding="utf-8")
    other = serve(evil)                                  # another port: another origin

    def make(payload: str) -> str:
        site = tmp_path_factory.mktemp("tampered") / "site"
        shutil.copytree(example_site.site, site)
        page_file = Path(site, PAGES["document"], "index.html")
        html = page_file.read_text(encoding="utf-8")
        marker = '<div class="zf-doc__body'
        assert marker in html
        page_file.write_text(html.replace(marker, payload.format(other=other) + marker, 1), encoding="utf-8")
        return serve(site, prefix=PREFIX) + PAGES["document"]
    return make, other


@pytest.mark.parametrize("name", PAYLOADS)
def test_script_injected_into_a_built_page_never_runs(watched, tamper, name):
    payload, trigger, directive = PAYLOADS[name]
    make, other = tamper
    watched.page.goto(make(payload))
    watched.page.wait_for_load_state("networkidle")
    if trigger:
        getattr(watched.page, trigger)("#x", no_wait_after=True)
    watched.page.wait_for_timeout(200)
    assert watched.page.evaluate("typeof window.__pwned") == "undefined"
    blocked = watched.violations()
    assert [v["directive"] for v in blocked] == [directive], blocked
    assert (blocked[0]["blocked"].startswith(other.rstrip("/")) if "{other}" in payload else blocked[0]["blocked"] == "inline"), blocked
    # The rest of the page still works: Material's and the toolbar's scripts ran.
    assert watched.page.evaluate("typeof __md_get === 'function'")
    assert watched.page.evaluate("document.documentElement.classList.contains('zf-js')")
    assert watched.errors == []
