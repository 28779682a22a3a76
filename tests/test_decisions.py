"""重大行政决策事项目录: content/zdxzjc/<year>.yml, one catalogue page per year.

Each stage links a published document (by 索引号) or an external URL; a stage not
yet reached shows as pending; a stage pointing nowhere is an error.
"""
from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from _relations_helpers import MZJ, doc, error_lines, links, page_text

PAGE = "fdzdgknr/zdxzjc/2023/index.html"


def test_catalogue_page_links_each_stage_to_its_document(example_site):
    hrefs = links(example_site.site / PAGE)
    assert ("../../../wj/000000003-2022-00041/", "示例县民政局关于公开征求《示例县临时救助办法（征求意见稿）》意见的公告") in hrefs
    assert ("../../../wj/000000003-2023-00009/", "《示例县临时救助办法（征求意见稿）》公开征求意见采纳情况的说明") in hrefs
    assert ("../../../wj/000000001-2023-00008/", "示例县人民政府关于印发《示例县临时救助办法》的通知") in hrefs
    assert ("https://www.example.com/sxzf/cwhy/2023-15.html", "https://www.example.com/sxzf/cwhy/2023-15.html") in hrefs


def test_items_show_unit_due_date_status_and_pending_stages(example_site):
    text = page_text(example_site.site / PAGE)
    assert "2023年度重大行政决策事项目录 发布日期：2023-01-30" in text
    assert ("2 编制《示例县养老服务设施布局专项规划（2023—2035年）》 示例县民政局、示例县自然资源局 2023年10月 进行中 "
            "决策草案：待公开 起草说明/解读：待公开") in text
    assert "3 调整示例县城区公共停车场收费标准 示例县发展和改革局 2023年12月 未启动" in text


def test_column_page_links_the_years_and_the_yaml_is_not_published(example_site):
    assert ("../../fdzdgknr/zdxzjc/2023/", "2023年度重大行政决策事项目录") in links(example_site.site / "fdzdgknr/zdxzjc/index.html")
    assert not list(example_site.site.rglob("2023.yml"))     # content/zdxzjc/ and content/zfxxgknb/ data


def test_stages_pointing_nowhere_are_errors(make_project):
    project = make_project(with_content=False)
    project.write("content/documents/a.md", doc("000000003/2023-00001", publisher=MZJ, validity=None,
                                                column="重大行政决策"))
    project.write("content/documents/b.md", doc("000000003/2023-00002", publisher=MZJ, validity=None,
                                                column="重大行政决策", attribute="不予公开"))
    project.write("content/zdxzjc/2023.yml", "\n".join([
        "事项:",
        "  - 事项名称: 甲事项",
        "    承办单位: 示例县民政局",
        "    计划完成时间: 2023年6月",
        "    状态: 已完成了",
        "    决策草案: 000000003/2023-00001",
        "    意见征集: 000000003/2023-00099",
        "    决策结果: 000000003/2023-00002",
        "    会议审议: www.example.com/x",
        "    决策日期: 2023-06-01",
        "  - 事项名称: 乙事项",
        "  - 事项名称: 丙事项",
        "    承办单位: 示例县民政局",
        "    计划完成时间: 2023年3月",
        "    状态: 已完成",
        "    意见采纳情况: 000000003/2023-00003",
        "    决策结果: 000000003/2023-00001",
        ""]))
    late = doc("000000003/2023-00003", publisher=MZJ, validity=None, column="重大行政决策")
    project.write("content/documents/c.md", late.replace("发布日期: 2023-03-01", "发布日期: 2023-04-03"))
    result = project.build()
    assert result.returncode != 0
    assert error_lines(result.output) == [
        "错误 content/zdxzjc/2023.yml:1: [published] 缺少「发布日期」（公布目录的日期，用于核对每年 3 月 31 日前公布的期限）",
        "错误 content/zdxzjc/2023.yml:5: [status] 事项“甲事项”的「状态」“已完成了”无效；允许：未启动、进行中、已完成、已调整；"
        "您是否要写「已完成」？",
        "错误 content/zdxzjc/2023.yml:7: [consultation] 事项“甲事项”的「意见征集」指向索引号“000000003/2023-00099”，"
        "全站没有这个文件；请核对索引号；尚未公开的环节请留空",
        "错误 content/zdxzjc/2023.yml:8: [result] 事项“甲事项”的「决策结果」指向“000000003/2023-00002”"
        "（content/documents/b.md），其公开属性为“不予公开”，不在网站发布",
        "错误 content/zdxzjc/2023.yml:9: [meeting] 事项“甲事项”的「会议审议」指向索引号“www.example.com/x”，"
        "全站没有这个文件；网址须以 http:// 或 https:// 开头；尚未公开的环节请留空",
        "错误 content/zdxzjc/2023.yml:10: 第 1 项：未知字段「决策日期」；允许：事项名称、承办单位、计划完成时间、状态、说明、"
        "决策草案、起草说明/解读、制订背景、意见征集、听证、意见采纳情况、专家论证、风险评估、合法性审查、公众代表列席、会议审议、决策结果、效果评估；您是否要写「决策草案」？",
        "错误 content/zdxzjc/2023.yml:11: [department] 事项“乙事项”缺少「承办单位」",
        "错误 content/zdxzjc/2023.yml:11: [due] 事项“乙事项”缺少「计划完成时间」",
        "错误 content/zdxzjc/2023.yml:11: [status] 事项“乙事项”缺少「状态」",
        "警告 content/zdxzjc/2023.yml:16: [adoption] 事项“丙事项”的「意见采纳情况」发布于 2023-04-03，"
        "晚于决策结果发布（2023-03-01）后 10 个工作日（2023-03-15）",
    ]


def test_the_full_national_set_of_stages_is_accepted_and_shown_once_filled(make_project):
    """听证, 专家论证, 风险评估, 合法性审查, 公众代表列席, 集体讨论决定, 效果评估 (catalog/decisions.yml)."""
    project = make_project()
    path = project.content / "zdxzjc/2023.yml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "    会议审议: https://www.example.com/sxzf/cwhy/2023-15.html\n",
        "    听证: https://www.example.com/tz/1.html\n    专家论证: https://www.example.com/zj/1.html\n"
        "    风险评估: https://www.example.com/fx/1.html\n    合法性审查: https://www.example.com/hf/1.html\n"
        "    公众代表列席: https://www.example.com/lx/1.html\n"
        "    集体讨论决定: https://www.example.com/sxzf/cwhy/2023-15.html\n"
        "    效果评估: https://www.example.com/pg/1.html\n"), encoding="utf-8")
    result = project.build("--strict")
    assert result.ok, result.output
    text = page_text(result.site / PAGE)
    first = text[text.index("制定《示例县临时救助办法》"):text.index("编制《示例县养老服务设施")]
    order = ["意见征集：", "听证：", "意见采纳情况：", "专家论证：", "风险评估：", "合法性审查：", "公众代表列席：",
             "会议审议：", "决策结果：", "效果评估："]
    assert [first.index(label) for label in order] == sorted(first.index(label) for label in order)
    second = text[text.index("编制《示例县养老服务设施"):text.index("调整示例县城区公共停车场收费标准")]
    assert "听证" not in second and "效果评估" not in second      # not filled: not listed
    assert "会议审议：待公开" in second                             # always listed


def test_an_unknown_stage_names_the_allowed_ones(make_project):
    project = make_project()
    path = project.content / "zdxzjc/2023.yml"
    path.write_text(path.read_text(encoding="utf-8").replace("    会议审议:", "    会议审查:", 1), encoding="utf-8")
    result = project.build()
    assert not result.ok
    assert "content/zdxzjc/2023.yml:15: 第 1 项：未知字段「会议审查」；允许：事项名称、承办单位" in result.output
    assert "听证、意见采纳情况、专家论证、风险评估、合法性审查、公众代表列席、会议审议、决策结果、效果评估" in result.output


# --- 3月31日: the year's catalogue is published by 31 March of that year (徐泾 2023 #10) --------------
def build_at(project, day: str):
    """Build as of ``day`` (catalog/site.yml build_date); the compliance report's text."""
    path = project.root / "catalog/site.yml"
    path.write_text(re.sub(r"(?m)^build_date: .*\n", "", path.read_text(encoding="utf-8")) + f"\nbuild_date: {day}\n",
                    encoding="utf-8")
    result = project.build("--strict")
    assert result.ok, result.output
    return (project.root / "reports/compliance.txt").read_text(encoding="utf-8")


def catalogue_lines(report: str) -> list[str]:
    return [line for line in report.splitlines() if "\t[决策事项目录]\t" in line]


def test_a_missing_year_is_reported_from_the_first_of_april(make_project):
    project = make_project()    # the example's only catalogue: 2023, published 2023-01-30
    assert catalogue_lines(build_at(project, "2024-03-31")) == []
    report = build_at(project, "2024-04-01")
    assert catalogue_lines(report) == [
        "content/zdxzjc/2024.yml\t[决策事项目录]\t缺少 2024 年度重大行政决策事项目录：应于 2024-03-31 前公布，"
        "到构建日期 2024-04-01 仍未公布（在 content/zdxzjc/2024.yml 中填写目录，无事项的也应公布）"]
    assert "# 提示 决策事项目录：1 项" in report and "# 决策事项目录：" not in report   # a warning, not a finding
    # each agency from its own first catalogue: 城关镇's starts in 2025 (content/zl/cgz/zdxzjc/2025.yml)
    assert [line.split("\t")[0] for line in catalogue_lines(build_at(project, "2025-04-01"))] == [
        "content/zdxzjc/2024.yml", "content/zdxzjc/2025.yml"]
    assert [line.split("\t")[0] for line in catalogue_lines(build_at(project, "2026-04-01"))] == [
        "content/zdxzjc/2024.yml", "content/zdxzjc/2025.yml", "content/zdxzjc/2026.yml", "content/zl/cgz/zdxzjc/2026.yml"]


def test_a_catalogue_published_after_31_march_is_a_finding(make_project):
    project = make_project()
    path = project.content / "zdxzjc/2023.yml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("发布日期: 2023-01-30", "发布日期: 2023-03-31"), encoding="utf-8")
    assert catalogue_lines(build_at(project, "2023-08-20")) == []
    path.write_text(text.replace("发布日期: 2023-01-30", "发布日期: 2023年4月1日"), encoding="utf-8")
    report = build_at(project, "2023-08-20")
    assert catalogue_lines(report) == [
        "content/zdxzjc/2023.yml:3\t[决策事项目录]\t2023 年度重大行政决策事项目录发布于 2023-04-01，晚于 2023-03-31"
        "（每年 3 月 31 日前公布当年目录）"]
    assert "# 决策事项目录：1 项" in report and "# 提示 决策事项目录" not in report   # a finding (strict can fail on it)
    env = dict(os.environ, PYTHONPATH=str(Path(__file__).parents[1] / "hooks"))
    out = subprocess.run([sys.executable, "-m", "zfxxgk", "report"], cwd=project.root, env=env,
                         capture_output=True, text=True)
    assert out.returncode == 1 and catalogue_lines(out.stdout) == catalogue_lines(report)


def test_the_publication_date_is_required_and_checked(make_project):
    project = make_project()
    path = project.content / "zdxzjc/2023.yml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("发布日期: 2023-01-30", "发布日期: 2023年2月30日").replace("说明:", "简介:"),
                    encoding="utf-8")
    result = project.build()
    assert not result.ok
    assert error_lines(result.output) == [
        "错误 content/zdxzjc/2023.yml:3: [published] 「发布日期」“2023年2月30日” 不是有效日期；"
        "允许的写法：2021-06-28、2021/6/28、2021年6月28日",
        "错误 content/zdxzjc/2023.yml:4: 未知的目录字段「简介」；允许：发布日期、说明、事项"]
    path.write_text(text.replace("发布日期: 2023-01-30\n", ""), encoding="utf-8")
    result = project.build()
    assert error_lines(result.output) == [
        "错误 content/zdxzjc/2023.yml:1: [published] 缺少「发布日期」（公布目录的日期，用于核对每年 3 月 31 日前公布的期限）"]
