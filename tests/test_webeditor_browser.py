"""The web editor takes Chinese the way an input method types it, in headless Chromium.

A pinyin IME composes the Latin letters in place (``Input.imeSetComposition``
through CDP, one key at a time), then commits the chosen characters
(``Input.insertText``). The title and the body must then hold exactly the
characters: Decap CMS 3.16 failed this in its string widget (the title became
"zhe政府信息公开", the composition's letters committed with the characters),
which is why the editor is Sveltia CMS. Every request to another host is
blocked: the editor, its Chinese UI text and icon font included, is served by the site itself.
"""
from __future__ import annotations

import pytest

from conftest import ROOT

ENABLED = "\nweb_editor:\n  enabled: true\n  backend: {name: test-repo}\n"


def ime(cdp, page, characters: str, pinyin: str) -> None:
    for i in range(1, len(pinyin) + 1):
        cdp.send("Input.imeSetComposition", {"text": pinyin[:i], "selectionStart": i, "selectionEnd": i})
        page.wait_for_timeout(20)
    cdp.send("Input.insertText", {"text": characters})
    page.wait_for_timeout(200)


@pytest.fixture(scope="module")
def editor_site(tmp_path_factory):
    from conftest import copy_project
    if not (ROOT / "node_modules" / "@sveltia" / "cms" / "dist" / "sveltia-cms.js").is_file():
        pytest.fail("node_modules/@sveltia/cms missing: run `npm ci` in the repository")
    project = copy_project(tmp_path_factory.mktemp("editor"))
    (project.root / "node_modules").symlink_to(ROOT / "node_modules", target_is_directory=True)
    with (project.root / "catalog" / "site.yml").open("a", encoding="utf-8") as fh:
        fh.write(ENABLED)
    built = project.build("--strict")
    assert built.ok, built.output
    return project


def test_chinese_typed_through_an_ime_lands_unchanged_in_title_and_body(editor_site, serve, browser, tmp_path):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    elsewhere: list[str] = []
    context.route("**/*", lambda route: route.continue_() if route.request.url.startswith("http://127.0.0.1")
                  else (elsewhere.append(route.request.url), route.abort()))
    page = context.new_page()
    base = serve(editor_site.site) + "admin/"
    page.goto(base)
    page.get_by_role("button", name="使用测试仓库").click()       # Chinese UI from admin/locales/, not unpkg.com
    page.get_by_text("政府信息公开文件").first.wait_for()
    page.goto(base + "#/collections/documents/new")
    cdp = context.new_cdp_session(page)

    title = page.get_by_role("textbox", name="标题")
    title.click()
    ime(cdp, page, "政府信息", "zhengfuxinxi")
    ime(cdp, page, "公开", "gongkai")
    assert title.input_value() == "政府信息公开"

    body = page.locator("[contenteditable='true']").last
    page.mouse.move(300, 500)
    for _ in range(60):                          # the form renders fields as they scroll into view
        if body.count():
            break
        page.mouse.wheel(0, 600)
        page.wait_for_timeout(100)
    body.click()
    ime(cdp, page, "各乡镇", "gexiangzhen")
    ime(cdp, page, "人民政府：", "renminzhengfu")
    assert body.inner_text().strip() == "各乡镇人民政府："
    page.screenshot(path=str(tmp_path / "sveltia-ime.png"), full_page=True)
    assert not [u for u in elsewhere if "/locales/" in u or "material-symbols" in u], elsewhere
    icon = page.locator(".material-symbols-outlined").first
    assert icon.evaluate("e => document.fonts.check('24px \"Material Symbols Outlined\"', e.textContent)")
    assert icon.evaluate("e => e.getBoundingClientRect().width") < 40, "an icon, not its name spelled out"
    context.close()
