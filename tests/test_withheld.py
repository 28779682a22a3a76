"""``python -m zfxxgk report --withheld``: the yearly review list of 依申请公开 / 不予公开 documents,
with 不公开理由, age and a 需复核 mark once a year has passed; never inside the site.

The example site's two withheld documents: 冠政办函〔2021〕47号 (依申请公开, 内部事务信息, written
2021-08-20) and 冠政办呈〔2021〕12号 (不予公开, 过程性信息, written 2021-09-06).
"""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys

import pytest

from conftest import ROOT

YSQ = ("content/documents/2021/guanxian-2021-ysqgk-example.md", "113715250044422281/2021-26757181", "依申请公开",
       "内部事务信息", "2021-08-20", "冠县人民政府办公室关于同意县行政审批服务局延长政府信息公开查阅点开放时间的复函")
BYGK = ("content/documents/2021/guanxian-2021-bygk-example.md", "113715250044422281/2021-26757202", "不予公开",
        "过程性信息", "2021-09-06", "冠县人民政府办公室关于申请追加政务公开体验区运营经费的请示")


def run(project, *args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(ROOT / "hooks"))
    return subprocess.run([sys.executable, "-m", "zfxxgk", *args], cwd=project.root, env=env,
                          capture_output=True, text=True)


def at(project, day: str):
    with (project.root / "catalog/site.yml").open("a", encoding="utf-8") as f:
        f.write(f"\nbuild_date: {day}\n")
    return project


def line(doc: tuple, days: int, mark: str) -> str:
    path, index_no, attribute, reason, since, title = doc
    return "\t".join((path, index_no, attribute, reason, since, f"{days} 天", mark, title))


def test_a_year_after_it_was_written_a_document_is_due_for_review(make_project):
    out = run(at(make_project(), "2022-08-20"), "report", "--withheld")
    assert out.returncode == 0, out.stderr
    assert out.stdout.splitlines() == [
        "# 不公开文件年度评估清单（内部材料，不得发布）：截至 2022-08-20，共 2 篇，不予公开 1 篇，依申请公开 1 篇；满 1 年需复核 1 篇",
        "# 文件\t索引号\t公开属性\t不公开理由\t成文（发布）日期\t已过天数\t复核\t标题",
        line(YSQ, 365, "需复核"),
        line(BYGK, 348, "—"),
    ]


def test_the_day_before_nothing_is_due(make_project):
    out = run(at(make_project(), "2022-08-19"), "report", "--withheld")
    assert out.stdout.splitlines()[2:] == [line(YSQ, 364, "—"), line(BYGK, 347, "—")]
    assert "满 1 年需复核 0 篇" in out.stdout


def test_json_output_and_a_missing_reason(make_project):
    project = at(make_project(), "2023-01-01")
    path = project.root / YSQ[0]
    path.write_text(path.read_text(encoding="utf-8").replace("withheld_reason: 内部事务信息\n", ""), encoding="utf-8")
    assert "（未填写）" in run(project, "report", "--withheld").stdout
    data = json.loads(run(project, "report", "--withheld", "--format", "json").stdout)
    assert data["as_of"] == "2023-01-01"
    assert [(d["index_no"], d["withheld_reason"], d["review_due"]) for d in data["documents"]] == [
        (YSQ[1], None, True), (BYGK[1], "过程性信息", True)]


def test_an_unknown_reason_is_refused_with_the_allowed_grounds(make_project):
    project = make_project()
    path = project.root / BYGK[0]
    path.write_text(path.read_text(encoding="utf-8").replace("不公开理由: 过程性信息", "不公开理由: 太忙"), encoding="utf-8")
    out = run(project, "check")
    assert out.returncode == 1
    assert "[withheld_reason]" in out.stderr and "太忙" in out.stderr
    assert "国家秘密、法律法规禁止公开、危及三安全一稳定、商业秘密、个人隐私、内部事务信息、过程性信息、行政执法案卷、其他" in out.stderr


@pytest.mark.parametrize("target", ["site/withheld.txt", "content/withheld.txt", "content/documents/2021/x.txt"])
def test_the_list_is_never_written_where_it_would_be_published(make_project, target):
    project = make_project()
    out = run(project, "report", "--withheld", "-o", target)
    assert out.returncode == 2 and "报告不得写入会发布的目录" in out.stderr
    assert not (project.root / target).exists()


def test_written_outside_the_site_and_the_built_site_has_none_of_it(make_project):
    project = make_project()
    out = run(project, "report", "--withheld", "-o", "reports/withheld.txt")
    assert out.returncode == 0 and "清单：reports/withheld.txt（内部材料，不得发布）" in out.stdout
    assert "内部事务信息" in (project.root / "reports/withheld.txt").read_text(encoding="utf-8")
    result = project.build("--strict")
    assert result.ok, result.output
    for path in result.site.rglob("*"):
        if path.is_file() and path.suffix in (".html", ".json", ".csv", ".jsonld", ".xml", ".txt", ".js"):
            text = path.read_text(encoding="utf-8", errors="replace")
            assert "不公开文件年度评估清单" not in text and "withheld_reason" not in text, path
            assert not re.search(r"不公开理由", text), path
    assert not any("withheld" in p.name for p in result.site.rglob("*"))
