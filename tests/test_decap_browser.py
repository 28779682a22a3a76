"""The web editor in headless Chromium against Decap's local backend (decap-server).

An editor opens /admin/ of a real build, fills the form, publishes, and the
document file appears in content/documents/ and passes ``python -m zfxxgk check``.
Needs ``npm ci`` (decap-cms and decap-server come from npm).
"""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time

import pytest

from conftest import ROOT

NODE_MODULES = ROOT / "node_modules"
SERVER = NODE_MODULES / "decap-server" / "dist" / "index.js"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def editor_site(make_project):
    """A built project whose web editor talks to a decap-server on this machine."""
    if not (NODE_MODULES / "decap-cms" / "dist" / "decap-cms.js").is_file() or not SERVER.is_file():
        pytest.fail("decap-cms / decap-server missing: run `npm ci` in the repository")
    project = make_project()
    (project.root / "node_modules").symlink_to(NODE_MODULES, target_is_directory=True)
    port = free_port()
    with (project.root / "catalog" / "site.yml").open("a", encoding="utf-8") as fh:
        fh.write(f'\nweb_editor:\n  local_backend: "http://127.0.0.1:{port}/api/v1"\n')
    built = project.build("--strict")
    assert built.ok, built.output
    env = dict(os.environ, PORT=str(port), GIT_REPO_DIRECTORY=str(project.root), MODE="fs", BIND_HOST="127.0.0.1")
    server = subprocess.Popen(["node", str(SERVER)], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                              text=True)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                break
        time.sleep(0.2)
    else:
        server.kill()
        pytest.fail("decap-server did not start")
    yield project
    server.terminate()
    server.wait(timeout=10)


def choose(page, label: str, text: str) -> None:
    """Pick an option of a Decap select or relation widget by typing it."""
    page.locator(f"[id^='{label}-field-']").first.click()
    page.keyboard.type(text)
    page.locator("[class*='-option']", has_text=text).first.wait_for(timeout=15000)
    page.keyboard.press("Enter")


def test_create_a_document_in_the_web_editor(editor_site, serve, page, tmp_path):
    project = editor_site
    before = set((project.content / "documents").rglob("*.md"))
    base = serve(project.site)
    page.goto(base + "admin/")
    page.get_by_role("button", name="登录").click()
    page.get_by_text("政府信息公开文件").first.wait_for()
    page.goto(base + "admin/#/collections/documents/new")
    page.locator("[id^='标题-field-']").fill("示例县关于网页编辑器测试的通知")
    page.locator("[id^='索引号-field-']").fill("113715250044422281/2024-00000001")
    choose(page, "发布机构", "冠县人民政府办公室")
    choose(page, "主题分类", "综合政务/政务公开")
    choose(page, "公开目录", "法定主动公开内容/法规文件/其他文件")
    page.locator("[id^='发布日期-field-']").fill("2024-05-06")
    choose(page, "解读对象", "26757114")           # relation: an existing document, by 索引号
    page.locator("[data-slate-editor]").first.click()
    page.keyboard.type("各乡镇人民政府：现将有关事项通知如下。")
    page.screenshot(path=str(tmp_path / "decap-form.png"), full_page=True)
    page.get_by_role("button", name="发布").first.click()
    page.get_by_text("立即发布").click()

    deadline = time.monotonic() + 20
    while not (new := set((project.content / "documents").rglob("*.md")) - before) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert len(new) == 1, "the editor wrote no file"
    path = new.pop()
    text = path.read_text(encoding="utf-8")
    assert "索引号: 113715250044422281/2024-00000001" in text
    assert "解读对象: 113715250044422281/2021-26757114" in text
    assert "公开属性: 主动公开" in text and "各乡镇人民政府" in text
    env = dict(os.environ, PYTHONPATH=str(ROOT / "hooks"))
    check = subprocess.run([sys.executable, "-m", "zfxxgk", "check", str(path)], cwd=project.root, env=env,
                           capture_output=True, text=True)
    assert check.returncode == 0, check.stderr + text
