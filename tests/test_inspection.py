"""Website-inspection warnings in the compliance report: 空白栏目, 栏目更新不及时 (政策文件 6 months by
default, catalog/site.yml inspection.stale_months), and 三同步 for a 行政规范性文件 without 解读.

In the example site the newest 行政规范性文件 (and 法规文件) is of 2023-02-20, the newest 其他文件 of
2021-06-28: on 2023-08-20 only 其他文件 is stale, on 2023-08-21 all three are. The example is built as
one agency (without catalog/agencies.yml), so that every document is in the columns checked here;
tests/test_agencies.py checks the report per agency.
"""
from __future__ import annotations

import re
import shutil

from _relations_helpers import GFXWJ, doc

EMPTY = ["fdzdgknr/fgwj/gz", "fdzdgknr/jgzn", "fdzdgknr/ghxx", "fdzdgknr/tjxx", "fdzdgknr/xzxk", "fdzdgknr/xzcf",
         "fdzdgknr/czyjs", "fdzdgknr/xzsyxsf", "fdzdgknr/zfcg", "fdzdgknr/zdjsxm", "fdzdgknr/msbz", "fdzdgknr/yjgl",
         "fdzdgknr/jdjc", "fdzdgknr/gwyzk", "fdzdgknr/qtfdxx/gzzj"]   # in the order of catalog/columns.yml


def build_at(project, day: str, *settings: tuple[str, str]):
    (project.root / "catalog/agencies.yml").unlink(missing_ok=True)   # one agency: every document in these columns
    shutil.rmtree(project.content / "zl", ignore_errors=True)
    path = project.root / "catalog/site.yml"
    text = path.read_text(encoding="utf-8")
    for old, new in settings:
        assert old in text
        text = text.replace(old, new)
    path.write_text(text + f"\nbuild_date: {day}\n", encoding="utf-8")
    result = project.build("--strict")
    assert result.ok, result.output
    return result, (project.root / "reports/compliance.txt").read_text(encoding="utf-8")


def rule_lines(report: str, rule: str) -> list[str]:
    return [line for line in report.splitlines() if f"\t[{rule}]\t" in line]


def empty_paths(report: str) -> list[str]:
    return [re.search(r"（/(.*?)/）", line)[1] for line in rule_lines(report, "空白栏目")]


def stale(title_path: str, url: str, last: str, today: str, months: int = 6) -> str:
    return (f"catalog/columns.yml\t[栏目更新不及时]\t栏目“{title_path}”（/{url}/）最近一次发布在 {last}，到构建日期 {today} "
            f"已超过 {months} 个月未更新（政策文件类栏目的期限，catalog/site.yml 的 inspection.stale_months）")


def test_empty_columns_are_listed_and_columns_with_a_page_are_not(make_project):
    result, report = build_at(make_project(), "2023-08-20")
    assert empty_paths(report) == EMPTY
    assert rule_lines(report, "空白栏目")[0] == (
        "catalog/columns.yml\t[空白栏目]\t栏目“法定主动公开内容/法规文件/规章”（/fdzdgknr/fgwj/gz/）没有任何已发布的文件或页面；"
        "网站检查中空白栏目会被扣分直至单项否决，请发布内容，或在 catalog/columns.yml 中删去该栏目")
    assert "# 提示 空白栏目：15 项" in report
    assert "有效期与网站检查提示：18 项（有效期将届满 0 项" not in result.output   # only rules that occur are counted
    assert "空白栏目 15 项" in result.output


def test_a_document_or_a_written_page_fills_a_column_a_bare_page_does_not(make_project):
    project = make_project()
    project.write("content/documents/2023/gz.md", doc("000000001/2023-00090", column="法定主动公开内容/法规文件/规章"))
    project.write("content/fdzdgknr/jgzn/index.md", "---\ntitle: 机构职能\n---\n\n示例县人民政府办公室负责……\n")
    project.write("content/fdzdgknr/ghxx/index.md", "---\ntitle: 规划信息\n---\n\n")
    _, report = build_at(project, "2023-08-20")
    assert empty_paths(report) == [p for p in EMPTY if p not in ("fdzdgknr/fgwj/gz", "fdzdgknr/jgzn")]


def test_policy_columns_six_months_without_an_update_on_both_sides_of_the_day(make_project):
    project = make_project()
    _, report = build_at(project, "2023-08-20")
    assert rule_lines(report, "栏目更新不及时") == [
        stale("法定主动公开内容/法规文件/其他文件", "fdzdgknr/fgwj/qtwj", "2021-06-28", "2023-08-20")]
    _, report = build_at(project, "2023-08-21")
    assert rule_lines(report, "栏目更新不及时") == [
        stale("法定主动公开内容/法规文件", "fdzdgknr/fgwj", "2023-02-20", "2023-08-21"),
        stale("法定主动公开内容/法规文件/行政规范性文件", "fdzdgknr/fgwj/gfxwj", "2023-02-20", "2023-08-21"),
        stale("法定主动公开内容/法规文件/其他文件", "fdzdgknr/fgwj/qtwj", "2021-06-28", "2023-08-21"),
    ]


def test_the_period_is_configured_per_column_type(make_project):
    _, report = build_at(make_project(), "2023-08-21", ("    政策文件: 6", "    政策文件: 12\n    政策解读: 3"))
    assert rule_lines(report, "栏目更新不及时") == [
        stale("法定主动公开内容/法规文件/其他文件", "fdzdgknr/fgwj/qtwj", "2021-06-28", "2023-08-21", 12),
        "catalog/columns.yml\t[栏目更新不及时]\t栏目“法定主动公开内容/政策解读”（/fdzdgknr/zcjd/）最近一次发布在 2023-02-20，"
        "到构建日期 2023-08-21 已超过 3 个月未更新（政策解读类栏目的期限，catalog/site.yml 的 inspection.stale_months）",
    ]


def test_a_normative_document_without_interpretation_is_reported(make_project):
    project = make_project()
    project.write("content/documents/2023/gf.md", doc("000000001/2023-00091", "有效期至: 2028-01-01", column=GFXWJ,
                                                      title="示例县无解读的规范性文件"))
    _, report = build_at(project, "2023-08-20")
    assert rule_lines(report, "三同步") == [
        "content/documents/2023/gf.md:2\t[三同步]\t行政规范性文件没有政策解读；解读应与文件同步发布"
        "（在解读文件中用「解读对象」填写本文件的索引号）"]


def test_warnings_never_fail_a_strict_compliance_build(make_project):
    result, report = build_at(make_project(), "2023-08-21", ("  strict: false", "  strict: true"))
    assert "发现 0 项" in report and rule_lines(report, "空白栏目")
