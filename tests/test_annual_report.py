"""政府信息公开工作年度报告 (国办公开办函〔2021〕30号) from content/zfxxgknb/<year>.yml.

Section 二's 规章 and 行政规范性文件 rows are counted from the documents; the
format's arithmetic is checked and a wrong figure fails the build.
"""
from __future__ import annotations

from _relations_helpers import error_lines, links, page_text
from conftest import ROOT

PAGE = "zfxxgknb/2023/index.html"
YAML = "content/zfxxgknb/2023.yml"


def test_report_has_the_six_sections_in_order(example_site):
    text = page_text(example_site.site / PAGE)
    assert text.startswith("当前位置：政府信息公开 › 政府信息公开年报 示例县人民政府2023年政府信息公开工作年度报告 发布日期：2024-01-26")
    headings = ["一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
                "四、政府信息公开行政复议、行政诉讼情况", "五、存在的主要问题及改进情况", "六、其他需要报告的事项"]
    assert [text.index(h) for h in headings] == sorted(text.index(h) for h in headings)
    assert "（一）主动公开 2023 年，县政府在政府信息公开专栏主动公开" in text


def test_regulation_rows_are_counted_from_document_metadata(example_site):
    text = page_text(example_site.site / PAGE)
    # 2023: 示政规〔2023〕1号 issued, 示政规〔2021〕3号 abolished by it; in force at year end: it and 示政办规〔2022〕2号.
    assert "信息内容 本年制发件数 本年废止件数 现行有效件数 规章 0 0 0 行政规范性文件 1 1 2" in text
    assert "行政许可 1286" in text and "行政事业性收费 56.8" in text


def test_application_table_totals_and_review_row(example_site):
    text = page_text(example_site.site / PAGE)
    assert "一、本年新收政府信息公开申请数量 12 3 0 0 1 0 16" in text
    assert "（七）总计 12 3 0 0 1 0 16 四、结转下年度继续办理 1 0 0 0 0 0 1" in text
    assert "总计 1 0 0 0 1 0 0 0 0 0 0 0 0 0 0" in text      # 行政复议 维持 1 + the two 诉讼 groups


def test_report_lands_in_the_annual_report_column(example_site):
    assert ("../zfxxgknb/2023/", "示例县人民政府2023年政府信息公开工作年度报告") in links(
        example_site.site / "zfxxgknb/index.html")


def test_broken_arithmetic_fails_with_clear_messages(make_project):
    project = make_project()
    text = (ROOT / YAML).read_text(encoding="utf-8")
    text = text.replace("上年现行有效件数: {规章: 0, 行政规范性文件: 2}", "上年现行有效件数: {规章: 0, 行政规范性文件: 3}")
    text = text.replace("  结转下年度继续办理: [1, 0, 0, 0, 0, 0]", "  结转下年度继续办理: [2, 0, 0, 0, 0, 0]")
    text = text.replace("存在的主要问题及改进情况:", "存在的问题:")
    project.write(YAML, text)
    result = project.build()
    assert result.returncode != 0
    lines = [l for l in error_lines(result.output) if "zfxxgknb" in l]
    yaml_lines = text.split("\n")
    at = {key: next(i for i, l in enumerate(yaml_lines, 1) if l.startswith(key)) for key in
          ("上年现行有效件数", "依申请公开", "存在的问题", "发布日期")}
    assert lines == [
        f"错误 content/zfxxgknb/2023.yml:{at['发布日期']}: 缺少「存在的主要问题及改进情况」（年报第五部分，须填写）",
        f"错误 content/zfxxgknb/2023.yml:{at['上年现行有效件数']}: 行政规范性文件：现行有效件数 2 ≠ 上年现行有效件数 3 + "
        f"本年制发件数 1 − 本年废止件数 1 = 3；请核对上年年报数字和文件的有效性、修订/废止信息",
        f"错误 content/zfxxgknb/2023.yml:{at['依申请公开'] + 1}: 依申请公开“自然人”一列不平衡：一、本年新收 12 + 二、上年结转 1 = 13，"
        f"应等于 三、（七）总计 12 + 四、结转下年度 2 = 14（勾稽关系：一 + 二 = 三（七）+ 四）",
        f"错误 content/zfxxgknb/2023.yml:{at['存在的问题']}: 未知项「存在的问题」；允许：年度、机关、发布机构、发布日期、上年现行有效件数、"
        f"总体情况、主动公开、依申请公开、行政复议和行政诉讼、存在的主要问题及改进情况、其他需要报告的事项"
        f"；您是否要写「存在的主要问题及改进情况」？",
    ]


# --- the format is catalogue data (catalog/annual_report.yml) -------------------------------
FORMAT = "catalog/annual_report.yml"


def _line_of(text: str, start: str) -> int:
    """1-based line of the first line of ``text`` that starts with ``start``."""
    return next(i for i, line in enumerate(text.split("\n"), 1) if line.startswith(start))


def test_a_label_changed_in_the_catalogue_is_the_label_on_the_page(make_project):
    project = make_project()
    text = (ROOT / FORMAT).read_text(encoding="utf-8")
    text = text.replace("{key: 予以公开, label: （一）予以公开}", "{key: 予以公开, label: （一）予以公开（全部公开）}")
    text = text.replace("applicants: [自然人, 商业企业", "applicants: [公民个人, 商业企业")
    text = text.replace("heading: 四、政府信息公开行政复议、行政诉讼情况", "heading: 四、行政复议和行政诉讼情况")
    text = text.replace("litigation: 行政诉讼 ", "litigation: 行政诉讼案件 ")
    project.write(FORMAT, text)
    result = project.build("--strict")
    assert result.ok, result.output
    page = page_text(result.site / PAGE)
    # content/zfxxgknb/2023.yml, unchanged: 予以公开: [6, 2, 0, 0, 1, 0]; the total column is 9.
    assert "三、本年度办理结果 （一）予以公开（全部公开） 6 2 0 0 1 0 9 （二）部分公开" in page
    assert "申请人情况 公民个人 法人或其他组织 总计 商业企业 科研机构" in page
    assert "自然人" not in page
    # the heading, then the table's caption (for screen readers), then its head
    assert "四、行政复议和行政诉讼情况 行政复议和行政诉讼情况 行政复议 行政诉讼案件 未经复议直接起诉 复议后起诉 结果维持" in page
    assert "政府信息公开行政复议" not in page


def _without(text: str, line: str) -> str:
    assert line in text
    return text.replace(line, "", 1)


def test_a_malformed_format_file_stops_the_build_naming_file_line_and_key(make_project):
    original = (ROOT / FORMAT).read_text(encoding="utf-8")
    cases = [
        # a missing key: reported at the mapping that lacks it
        (_without(original, "  total: 总计\n"),
         f"{FORMAT}:{_line_of(original, 'applications:')}：「applications.total」缺失"),
        # a wrong type: a text where a list is due
        (original.replace("  rows: [行政复议, 未经复议直接起诉, 复议后起诉]", "  rows: 行政复议"),
         f"{FORMAT}:{_line_of(original, '  rows: [行政复议')}：「review.rows」应为列表，发现文字"),
        (original.replace("{key: 行政许可, caption: 第二十条第（五）项, row: 行政许可",
                          "{key: 行政许可, caption: 5, row: 行政许可"),
         f"{FORMAT}:{_line_of(original, '  - {key: 行政许可')}：「active[0].caption」应为文字，发现整数"),
        # a top-level key the code reads (issues: 存在的主要问题及改进情况) left out
        (_without(original, "  - {key: issues, label: 存在的主要问题及改进情况, section: 五, heading: 五、存在的主要问题及改进情况, required: true}\n"),
         f"{FORMAT}：keys 缺少 key: issues"),
        (original.replace("decimal: true}", "decimal: true, unit: 万元}"),
         f"{FORMAT}:{_line_of(original, '  - {key: 行政事业性收费')}：未知项「active[3].unit」"),
    ]
    project = make_project()
    for broken, message in cases:
        project.write(FORMAT, broken)
        result = project.build()
        assert not result.ok, message
        assert message in result.output, result.output[-2000:]
        assert "Traceback" not in result.output
