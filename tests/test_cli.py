"""``python -m zfxxgk``: new, check and report, their help and exit codes.

``check`` must say exactly what the build says, and catch a 索引号 that
duplicates a file it was not asked to check.
"""
from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
import sys

import pytest

from conftest import ROOT

GUANXIAN = "冠县人民政府办公室"


def zf(project, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(ROOT / "hooks"), PYTHONDONTWRITEBYTECODE="1")
    return subprocess.run([sys.executable, "-m", "zfxxgk", *args], cwd=project.root, env=env,
                          capture_output=True, text=True, input=stdin, timeout=120)


def doc(index_no: str, title: str = "测试文件", extra: str = "") -> str:
    return (f"---\n标题: {title}\n索引号: {index_no}\n发布机构: {GUANXIAN}\n主题分类: 综合政务/政务公开\n"
            f"公开目录: 法定主动公开内容/法规文件/其他文件\n发布日期: 2024-03-01\n公开属性: 主动公开\n{extra}---\n\n正文\n")


@pytest.fixture
def project(make_project):
    return make_project()


@pytest.mark.parametrize("command", [[], ["new"], ["check"], ["report"]])
def test_every_command_has_help_in_chinese_and_english(project, command):
    result = zf(project, *command, "--help")
    assert result.returncode == 0
    assert re.search(r"[\u4e00-\u9fff]{2,}", result.stdout) and re.search(r"\b[a-z]+ [a-z]+ [a-z]+\b", result.stdout)
    assert "显示本帮助并退出 / show this help message and exit" in result.stdout


def test_no_command_is_a_usage_error(project):
    assert zf(project).returncode == 2


def test_check_passes_the_example_site(project):
    result = zf(project, "check")
    assert result.returncode == 0, result.stderr
    assert "校验通过" in result.stdout


def test_check_reports_the_builds_messages_and_fails(project):
    bad = project.write("content/documents/bad.md", doc("113715250044422281/2024-00000001", extra="公开属性: 公开\n")
                        .replace("发布日期: 2024-03-01", "发布日期: 2024年2月30日"))
    checked = zf(project, "check", str(bad.relative_to(project.root)))
    assert checked.returncode == 1
    lines = [l for l in checked.stderr.splitlines() if l.startswith("错误 ")]
    assert any("content/documents/bad.md:7: [published]" in l for l in lines)
    built = project.build()
    assert not built.ok
    for line in lines:
        assert line in built.output


def test_check_of_one_file_catches_a_duplicate_in_a_file_not_checked(project):
    taken = "113715250044422281/2021-26757114"        # the example site's 冠政办发〔2021〕9号
    new = project.write("content/documents/zzz-new.md", doc(taken).replace("2024-03-01", "2021-03-01"))
    result = zf(project, "check", str(new))
    assert result.returncode == 1
    assert "content/documents/zzz-new.md:3: [index_no]" in result.stderr
    assert "与 content/documents/2021/guanxian-2021-9.md 重复" in result.stderr
    assert "python -m zfxxgk new" in result.stderr
    # The build says the same.
    built = project.build()
    line = next(l for l in result.stderr.splitlines() if "重复" in l)
    assert line in built.output


def test_check_ignores_files_that_are_not_documents(project):
    assert zf(project, "check", "mkdocs.yml", "content/index.md").returncode == 0


def test_check_of_a_missing_file_fails(project):
    result = zf(project, "check", "content/documents/none.md")
    assert result.returncode == 1 and "文件不存在" in result.stderr


def test_new_writes_a_document_with_the_next_number_that_passes_check(project):
    result = zf(project, "new", "-y", "--publisher", "冠县政府", "--column", "规章", "--category", "综合政务/政务公开",
                "--title", "关于印发《测试办法》的通知: 第二版", "--date", "2021-11-02")
    assert result.returncode == 0, result.stderr
    path = project.root / "content/documents/2021/113715250044422281-2021-26757237.md"
    text = path.read_text(encoding="utf-8")
    assert "索引号: 113715250044422281/2021-26757237" in text        # one past the withheld 26757236
    assert "发布日期: 2021-11-02" in text
    assert "公开属性: 主动公开  # 可选：主动公开、删减后公开、依申请公开、不予公开" in text
    assert "有效性: 有效" in text                                         # 规章 requires 有效性
    assert zf(project, "check", str(path)).returncode == 0
    again = zf(project, "new", "-y", "-p", GUANXIAN, "-c", "规章", "-k", "综合政务/政务公开", "-t", "又一件",
               "--date", "2021-12-01")
    assert "113715250044422281/2021-26757238" in again.stdout


def test_new_defaults_to_today(project):
    result = zf(project, "new", "-y", "-p", "上海市青浦区徐泾镇人民政府", "-c", "法定主动公开内容/其他法定公开信息/政务公开",
                "-k", "综合政务/政务公开", "-t", "今天的文件")
    assert result.returncode == 0, result.stderr
    year = dt.date.today().year
    assert f"QE5320000-{year}-" in result.stdout
    written = next((project.content / "documents" / str(year)).glob("qe5320000-*.md"))
    assert f"发布日期: {dt.date.today().isoformat()}" in written.read_text(encoding="utf-8")


def test_new_asks_when_run_interactively_and_refuses_missing_arguments_otherwise(project):
    result = zf(project, "new", "-p", GUANXIAN, "-c", "规章", "-k", "综合政务/政务公开")   # no title, no terminal
    assert result.returncode == 2 and "缺少参数" in result.stderr


def test_new_rejects_an_unknown_publisher(project):
    result = zf(project, "new", "-y", "-p", "不存在的局", "-c", "规章", "-k", "综合政务/政务公开", "-t", "x")
    assert result.returncode == 1 and "不在 catalog/publishers.yml 中" in result.stderr


def test_outside_a_site_every_command_fails(tmp_path):
    env = dict(os.environ, PYTHONPATH=str(ROOT / "hooks"))
    result = subprocess.run([sys.executable, "-m", "zfxxgk", "check"], cwd=tmp_path, env=env,
                            capture_output=True, text=True)
    assert result.returncode == 1 and "未找到站点目录" in result.stderr


def test_report_prints_the_compliance_report_without_a_build(project):
    result = zf(project, "report")
    assert result.stdout.startswith("# 政府信息公开时限合规报告")
    # The example platform's agencies lack some years' 年报 (catalog/agencies.yml): findings, exit status 1.
    assert result.returncode == 1 and "开远市人民政府办公室 缺少 2017 年度报告（期限 2018-01-31" in result.stdout
    assert not project.site.exists()


def test_report_fails_on_findings_and_writes_json(project):
    project.write("content/documents/late.md", doc("113715250044422281/2024-00000001", extra="成文日期: 2024-01-02\n")
                  .replace("2024-03-01", "2024-09-02"))
    result = zf(project, "report", "--format", "json", "--output", "reports/r.json")
    assert result.returncode == 1
    import json
    data = json.loads((project.root / "reports/r.json").read_text(encoding="utf-8"))
    assert any(f["file"] == "content/documents/late.md" for f in data["findings"])
