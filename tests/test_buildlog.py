"""The build log reaches editors in Simplified Chinese; ZFXXGK_LOG=en restores MkDocs' English."""
from __future__ import annotations

import os
import queue
import re
import socket
import subprocess
import sys
import threading
import time

from zfxxgk.outputs.buildlog import translate

# MkDocs' own lines an editor would otherwise see (mkdocs/commands/build.py, serve.py, livereload).
ENGLISH = ("Cleaning site directory", "Building documentation", "Documentation built in", "Template skipped",
           "Aborted with", "in strict mode", "Doc file", "Serving on", "INFO    -", "WARNING -", "ERROR   -")


def _run(project, *args: str, english: bool = False) -> subprocess.CompletedProcess:
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", PYTHONDONTWRITEBYTECODE="1")
    env.pop("ZFXXGK_LOG", None)
    if english:
        env["ZFXXGK_LOG"] = "en"
    return subprocess.run([sys.executable, "-m", "mkdocs", *args], cwd=project.root, env=env,
                          capture_output=True, text=True, timeout=600)


def _broken_link(project) -> None:
    index = project.content / "index.md"
    index.write_text(index.read_text(encoding="utf-8") + "\n[附件](nothere.md)\n", encoding="utf-8")


def test_a_real_build_prints_mkdocs_lines_in_chinese(example_site):
    out = example_site.output
    for line in ("信息      -  清理站点目录", "信息      -  生成站点到目录：", "信息      -  跳过模板「sitemap.xml」：输出为空",
                 "信息      -  站点生成完毕，用时 "):
        assert line in out, out
    for english in ENGLISH:
        assert english not in out, f"{english!r} still in the log:\n{out}"


def test_strict_abort_and_link_warning_are_chinese_and_english_on_request(make_project):
    project = make_project()
    _broken_link(project)
    chinese = _run(project, "build", "--strict")
    assert chinese.returncode == 1
    out = chinese.stdout + chinese.stderr
    assert "警告      -  文件 index.md 中的链接「nothere.md」指向的文件不在文档中" in out, out
    assert "严格模式（--strict）下有 1 个警告，构建中止！" in out, out
    for english in ENGLISH:
        assert english not in out, f"{english!r} still in the log:\n{out}"

    english = _run(project, "build", "--strict", english=True)
    assert english.returncode == 1
    out = english.stdout + english.stderr
    assert "WARNING -  Doc file 'index.md' contains a link 'nothere.md', but the target is not found" in out, out
    assert "Aborted with 1 warnings in strict mode!" in out
    assert "INFO    -  Cleaning site directory" in out
    assert "严格模式" not in out and "清理站点目录" not in out


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_serve_prints_its_address_in_chinese(make_project):
    project = make_project()
    port = _free_port()
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", PYTHONDONTWRITEBYTECODE="1")
    env.pop("ZFXXGK_LOG", None)
    proc = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "--no-livereload", "-a", f"127.0.0.1:{port}"],
                            cwd=project.root, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=lambda: [lines.put(line) for line in proc.stdout], daemon=True).start()
    seen: list[str] = []
    try:
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline and not any("预览地址" in line for line in seen):
            try:
                seen.append(lines.get(timeout=1))
            except queue.Empty:
                if proc.poll() is not None:
                    break
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    out = "".join(seen)
    assert re.search(rf"信息      -  \[\d\d:\d\d:\d\d\] 预览地址 http://127.0.0.1:{port}/zfxxgk/", out), out
    assert "信息      -  正在生成站点……" in out
    for english in ENGLISH:
        assert english not in out, f"{english!r} still in the log:\n{out}"


def test_a_message_mkdocs_does_not_define_passes_unchanged():
    assert translate("zfxxgk: 订阅源 28 个") == "zfxxgk: 订阅源 28 个"
    assert translate("Something new in MkDocs 1.7") == "Something new in MkDocs 1.7"


def test_strict_counts_name_each_kind():
    assert translate("Aborted with 2 warnings, 1 errors in strict mode!") == "严格模式（--strict）下有 2 个警告、1 个错误，构建中止！"
    assert translate("Documentation built in 12.34 seconds") == "站点生成完毕，用时 12.34 秒"
