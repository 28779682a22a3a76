"""政务公开事项标准目录: catalog/items.yml as a table page; documents name their item."""
from __future__ import annotations

from _relations_helpers import doc, error_lines, links, page_text
from conftest import ROOT

PAGE = "fdzdgknr/bzml/index.html"


def test_catalogue_table_has_the_seven_elements_and_links_documents(example_site):
    text = page_text(example_site.site / PAGE)
    assert "序号 事项名称 公开依据 公开内容 公开主体 公开时限 公开渠道和载体 公开对象 相关文件" in text
    assert "政策解读 《国务院办公厅关于全面推进政务公开工作的实施细则》（国办发〔2016〕80号）" in text
    assert "4 临时救助" in text and "暂无" in text
    row_links = [h for h, _ in links(example_site.site / PAGE) if "/wj/" in h]
    assert row_links[:4] == ["../../wj/000000001-2023-00008/", "../../wj/000000002-2022-00045/",
                             "../../wj/000000001-2021-00031/", "../../wj/000000001-2019-00012/"]


def test_the_platform_column_links_the_catalogue(example_site):
    assert ("../fdzdgknr/bzml/", "政务公开事项标准目录") in links(example_site.site / "fdzdgknr/index.html")


def test_unknown_item_and_incomplete_catalogue_are_errors(make_project):
    project = make_project(with_content=False)
    project.write("content/documents/a.md", doc("000000001/2023-00001", "标准目录事项: 行政规范文件"))
    items = (ROOT / "catalog/items.yml").read_text(encoding="utf-8")
    project.write("catalog/items.yml", items + "- 事项名称: 新事项\n  公开对象: 所有人\n  公开频次: 每年\n")
    first = items.count("\n") + 1
    result = project.build()
    assert result.returncode != 0
    lines = error_lines(result.output)
    assert ("错误 catalog/items.yml:%d: 第 5 项：未知字段「公开频次」；允许：事项名称、公开依据、公开内容、"
            "公开主体、公开时限、公开渠道和载体、公开对象、公开方式；您是否要写「公开时限」？" % (first + 2)) in lines
    assert f"错误 catalog/items.yml:{first}: [basis] 第 5 项缺少「公开依据」（basis）" in lines
    assert f"错误 catalog/items.yml:{first + 1}: [audience] 第 5 项：「公开对象」“所有人”无效；允许：全社会、特定群体" in lines
    assert lines[-1] == ("错误 content/documents/a.md:10: [item] 「标准目录事项」“行政规范文件”不在政务公开事项标准目录"
                         "（catalog/items.yml）中；您是否要写「行政规范性文件」？")
