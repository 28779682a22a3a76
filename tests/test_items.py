"""政务公开事项标准目录: catalog/items.yml (its own field table, then the items) as one page, a collapsible
section per 领域 with the 二级事项 under their 一级事项 and their 公开层级; documents name their item."""
from __future__ import annotations

import re

from _relations_helpers import doc, error_lines, links, page_text
from conftest import ROOT

PAGE = "fdzdgknr/bzml/index.html"


def test_areas_are_collapsible_sections_with_groups_and_levels(example_site):
    source = (example_site.site / PAGE).read_text(encoding="utf-8")
    assert re.findall(r'<details class="zf-area" id="(ly-\d+)"( open)?>', source) == [("ly-1", " open"), ("ly-2", "")]
    assert re.findall(r'<h2 class="zf-area__title">([^<]+) <span class="zf-count">(\d+) 项', source) == [
        ("政务公开基本信息", "3"), ("社会救助", "3")]
    assert re.findall(r'<h3 class="zf-area__group" id="[^"]+">一级事项：([^<]+)</h3>', source) == [
        "法规文件", "重大行政决策", "临时救助", "最低生活保障"]
    text = page_text(example_site.site / PAGE)
    assert text.count("二级事项 公开内容 公开依据 公开时限 公开主体 公开渠道和载体 公开对象 公开方式 公开层级 相关文件") == 4
    assert ("临时救助对象审核确认结果 救助对象姓名（隐去身份证号等个人信息）、所在村（居）、救助金额 "
            "《社会救助暂行办法》（国务院令第649号）第四十七条 审核确认后次月公示，公示期7天 各乡镇人民政府 村（居）务公开栏 "
            "特定群体 主动公开 乡级 暂无") in text
    assert "政策解读 重要政策文件的文字解读" in text and "全社会 主动公开 县级 乡级" in text


def test_rows_link_the_documents_that_name_them(example_site):
    row_links = [h for h, _ in links(example_site.site / PAGE) if "/wj/" in h]
    assert row_links[:4] == ["../../wj/000000001-2023-00008/", "../../wj/000000002-2022-00045/",
                             "../../wj/000000001-2021-00031/", "../../wj/000000001-2019-00012/"]


def test_the_platform_column_links_the_catalogue(example_site):
    assert ("../fdzdgknr/bzml/", "政务公开事项标准目录") in links(example_site.site / "fdzdgknr/index.html")


def test_the_field_table_is_data(make_project):
    """A site adds a column by adding a field to catalog/items.yml; nothing in Python names the columns."""
    project = make_project()
    path = project.root / "catalog/items.yml"
    text = path.read_text(encoding="utf-8")
    text = text.replace("  - {key: level, label: 公开层级", "  - {key: frequency, label: 更新频率}\n  - {key: level, label: 公开层级")
    path.write_text(text.replace("    公开层级: [乡级]\n", "    公开层级: [乡级]\n    更新频率: 每月\n"), encoding="utf-8")
    result = project.build("--strict")
    assert result.ok, result.output
    text = page_text(result.site / PAGE)
    assert "公开方式 更新频率 公开层级 相关文件" in text and "特定群体 主动公开 每月 乡级 暂无" in text


def test_unknown_item_and_incomplete_catalogue_are_errors(make_project):
    project = make_project(with_content=False)
    project.write("content/documents/a.md", doc("000000001/2023-00001", "标准目录事项: 行政规范文件"))
    items = (ROOT / "catalog/items.yml").read_text(encoding="utf-8")
    project.write("catalog/items.yml", items + "  - 领域: 社会救助\n    二级事项: 新事项\n    公开对象: 所有人\n"
                                               "    公开频次: 每年\n    公开层级: [县级, 村级]\n")
    first = items.count("\n") + 1
    result = project.build()
    assert result.returncode != 0
    lines = error_lines(result.output)
    assert ("错误 catalog/items.yml:%d: 第 7 项：未知字段「公开频次」；允许：领域、一级事项、二级事项、公开内容、公开依据、"
            "公开时限、公开主体、公开渠道和载体、公开对象、公开方式、公开层级；您是否要写「公开时限」？" % (first + 3)) in lines
    assert f"错误 catalog/items.yml:{first}: [group] 第 7 项缺少「一级事项」（group）" in lines
    assert f"错误 catalog/items.yml:{first}: [basis] 第 7 项缺少「公开依据」（basis）" in lines
    assert f"错误 catalog/items.yml:{first + 2}: [audience] 第 7 项：「公开对象」“所有人”无效；允许：全社会、特定群体" in lines
    assert any(line.startswith(f"错误 catalog/items.yml:{first + 4}: [level] 第 7 项：「公开层级」“村级”无效；允许：县级、乡级")
               for line in lines)
    assert lines[-1] == ("错误 content/documents/a.md:10: [item] 「标准目录事项」“行政规范文件”不在政务公开事项标准目录"
                         "（catalog/items.yml）中；您是否要写「行政规范性文件」？")


def test_a_catalogue_without_the_grouping_fields_is_an_error(make_project):
    project = make_project()
    path = project.root / "catalog/items.yml"
    path.write_text(path.read_text(encoding="utf-8").replace("  - {key: area, label: 领域, required: true}\n", ""),
                    encoding="utf-8")
    result = project.build()
    assert not result.ok
    assert any(line.startswith("错误 catalog/items.yml") and "fields 须包含键 area（领域、一级事项、二级事项）" in line
               for line in error_lines(result.output))
