"""意见征集: a document with 征集开始/征集截止 shows 未开始 / 征集中 / 已截止 as of the build date, is listed
on the platform page /yjzj/, and links to its decision-catalogue item and that item's 意见采纳情况.

The example's 000000003/2022-00041 takes comments from 2022-12-05 to 2023-01-04 inclusive and is the
意见征集 stage of item 1 of the 2023 catalogue, whose 意见采纳情况 is 000000003/2023-00009.
"""
from __future__ import annotations

import re

from _relations_helpers import MZJ, doc, error_lines, links, page_text

DOC = "wj/000000003-2022-00041/index.html"
PAGE = "yjzj/index.html"
YEAR = "fdzdgknr/zdxzjc/2023/index.html"
TITLE = "示例县民政局关于公开征求《示例县临时救助办法（征求意见稿）》意见的公告"
ADOPTION = "《示例县临时救助办法（征求意见稿）》公开征求意见采纳情况的说明"


def build_at(project, day: str):
    path = project.root / "catalog/site.yml"
    path.write_text(re.sub(r"(?m)^build_date: .*\n", "", path.read_text(encoding="utf-8")) + f"\nbuild_date: {day}\n",
                    encoding="utf-8")
    result = project.build("--strict")
    assert result.ok, result.output
    return result.site


def badges(path) -> list[str]:
    return re.findall(r'zf-consult__state--(\w+)">([^<]+)<', path.read_text(encoding="utf-8"))


def section(site, label: str) -> str:
    text = page_text(site / PAGE)
    start = text.index(f" {label} ", text.index("已截止（"))     # the section heading, after the table of contents
    ends = [text.find(f" {other} ", start + 1) for other in ("征集中", "未开始", "已截止") if other != label]
    return text[start:min([e for e in ends if e > start] or [len(text)])]


def test_the_state_turns_after_the_last_day_on_every_page(make_project):
    project = make_project()
    site = build_at(project, "2023-01-04")                    # the last day: still open
    assert badges(site / DOC) == [("open", "征集中")]
    assert badges(site / PAGE) == [("open", "征集中")]
    assert badges(site / YEAR) == [("open", "征集中")]
    assert "征集中（1） 未开始（0） 已截止（0）" in page_text(site / PAGE)
    assert TITLE in section(site, "征集中") and "暂无已截止的意见征集" in page_text(site / PAGE)
    assert "状态按本页生成日期 2023-01-04 计算" in page_text(site / DOC)
    site = build_at(project, "2023-01-05")
    assert badges(site / DOC) == badges(site / PAGE) == badges(site / YEAR) == [("closed", "已截止")]
    assert "征集中（0） 未开始（0） 已截止（1）" in page_text(site / PAGE)
    site = build_at(project, "2022-12-04")
    assert badges(site / DOC) == [("upcoming", "未开始")]


def test_the_same_build_date_gives_the_same_page(make_project):
    first = make_project()
    build_at(first, "2023-01-05")
    a = (first.site / PAGE).read_bytes()
    build_at(first, "2023-01-05")
    assert (first.site / PAGE).read_bytes() == a


def test_links_to_the_decision_item_and_its_adoption_and_back(example_site):
    site = example_site.site
    text = page_text(site / DOC)
    assert ("征集时间 2022-12-05 至 2023-01-04 所属决策事项 2023年度重大行政决策事项目录：制定《示例县临时救助办法》 "
            f"意见采纳情况 {ADOPTION}") in text
    hrefs = links(site / DOC)
    assert ("../../fdzdgknr/zdxzjc/2023/#sx-1", "2023年度重大行政决策事项目录：制定《示例县临时救助办法》") in hrefs
    assert ("../../wj/000000003-2023-00009/", ADOPTION) in hrefs
    assert ("../../yjzj/", "全部意见征集") in hrefs
    assert 'id="sx-1"' in (site / YEAR).read_text(encoding="utf-8")
    assert "意见征集：" + TITLE + " 已截止（2022-12-05 至 2023-01-04）" in page_text(site / YEAR)
    page = links(site / PAGE)
    assert ("../wj/000000003-2022-00041/", TITLE) in page
    assert ("../fdzdgknr/zdxzjc/2023/#sx-1", "2023年度重大行政决策事项目录：制定《示例县临时救助办法》") in page
    assert ("../wj/000000003-2023-00009/", ADOPTION) in page
    assert ("../../yjzj/", "意见征集") in links(site / "fdzdgknr/zdxzjc/index.html")   # the decisions column links it
    assert ("./yjzj/", "意见征集") in links(site / "index.html")                       # and the home page's 互动交流


def test_a_consultation_outside_the_catalogue_is_listed_without_decision_links(make_project):
    project = make_project()
    project.write("content/documents/2023/zj.md", doc("000000003/2023-00050", "征集开始: 2023-03-01",
                                                      "征求意见截止日期: 2023年3月31日", publisher=MZJ, validity=None,
                                                      column="重大行政决策", title="关于某事项公开征求意见的通知"))
    site = build_at(project, "2023-03-15")
    assert "征集中 关于某事项公开征求意见的通知 征集时间 2023-03-01 至 2023-03-31 发布机构 示例县民政局" in section(site, "征集中")
    text = page_text(site / "wj/000000003-2023-00050/index.html")
    assert "意见征集 征集中 征集时间 2023-03-01 至 2023-03-31 状态按本页生成日期" in text
    assert "所属决策事项" not in text and "意见采纳情况" not in text


def test_one_sided_or_reversed_periods_are_errors(make_project):
    project = make_project(with_content=False)
    project.write("content/documents/a.md", doc("000000003/2023-00001", "征集开始: 2023-03-01", publisher=MZJ,
                                                validity=None, column="重大行政决策"))
    project.write("content/documents/b.md", doc("000000003/2023-00002", "征集开始: 2023-03-10", "征集截止: 2023-03-09",
                                                publisher=MZJ, validity=None, column="重大行政决策"))
    result = project.build()
    assert not result.ok
    assert error_lines(result.output) == [
        "错误 content/documents/a.md:10: [consultation_start] 「征集开始」须与「征集截止」同时填写（意见征集的起止日期）",
        "错误 content/documents/b.md:11: [consultation_end] 「征集截止」2023-03-09 早于征集开始 2023-03-10；征集截止不得早于征集开始",
    ]
