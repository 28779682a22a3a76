"""Documents in relation: 修订/废止 chains, 有效期至, 现行有效 / 废止和失效 lists, 政策解读.

The example site holds a fictional 行政规范性文件 chain: 示政规〔2019〕2号 is 修订
by 示政规〔2021〕3号, which is 废止 by 示政规〔2023〕1号 (in force, with a 文字解读
and a 问答); 示政办规〔2022〕2号 is marked 有效 but its 有效期至 2023-12-31 has passed.
"""
from __future__ import annotations

import datetime as dt

import pytest

from _relations_helpers import MZJ, doc, error_lines, links, page_text
from zfxxgk.catalog import settings as site_settings
from zfxxgk.catalog.terms import CatalogueError
from zfxxgk.intake.relations import build_date

A, B, C = "wj/000000001-2019-00012", "wj/000000001-2021-00031", "wj/000000001-2023-00008"
D = "wj/000000002-2022-00045"                     # 有效期至 2023-12-31
WENZI, WENDA = "wj/000000003-2023-00006", "wj/000000003-2023-00007"
TITLE_B = "示例县人民政府关于印发《示例县城乡居民临时救助实施办法（2021年修订）》的通知"
TITLE_C = "示例县人民政府关于印发《示例县临时救助办法》的通知"


def page(site, url: str):
    return site / url / "index.html"


# --- the chain in the example site -------------------------------------------------
def test_replaced_document_says_by_whom_at_the_top_and_points_to_the_version_in_force(example_site):
    text = page_text(page(example_site.site, A))
    notice = text[: text.index("索引号")]
    assert f"本文件已被《{TITLE_B}》（示政规〔2021〕3号）修订" in notice
    assert f"现行有效版本：《{TITLE_C}》（示政规〔2023〕1号）" in notice
    hrefs = [h for h, _ in links(page(example_site.site, A))]
    assert f"../../{B}/" in hrefs and f"../../{C}/" in hrefs


def test_every_version_shows_the_whole_chain_oldest_first(example_site):
    for url in (A, B, C):
        text = page_text(page(example_site.site, url))
        history = text[text.index("文件沿革"):]
        positions = [history.index(s) for s in ("示政规〔2019〕2号", "示政规〔2021〕3号", "示政规〔2023〕1号")
                     if s in history]
        assert "（本文件）" in history
        assert "已修订" in history and "已废止" in history
        assert history.index("2019-03-15") < history.index("2021-05-20") < history.index("2023-02-20")
        assert positions == sorted(positions)


def test_abolished_document_names_its_abolisher_and_the_new_one_lists_what_it_replaces(example_site):
    assert f"本文件已被《{TITLE_C}》（示政规〔2023〕1号）废止" in page_text(page(example_site.site, B))
    text = page_text(page(example_site.site, C))
    assert f"本文件修订、废止的文件 废止：《{TITLE_B}》（示政规〔2021〕3号）" in text
    assert "本文件已被" not in text


def test_a_passed_valid_until_shows_and_counts_as_invalid_without_an_edit(example_site):
    text = page_text(page(example_site.site, D))
    assert "本文件已失效（有效期至 2023-12-31），仅供查阅" in text
    assert "有效性 失效" in text


def test_regulation_columns_have_in_force_and_void_lists(example_site):
    column = page_text(example_site.site / "fdzdgknr/fgwj/gfxwj/index.html")
    assert "行政规范性文件（现行有效） （1）" in column and "行政规范性文件（废止和失效） （3）" in column
    assert "规章（现行有效）" in page_text(example_site.site / "fdzdgknr/fgwj/gz/index.html")
    in_force = [h for h, _ in links(example_site.site / "fdzdgknr/fgwj/gfxwj/xxyx/index.html") if h.startswith("../../../../wj/")]
    void = [h for h, _ in links(example_site.site / "fdzdgknr/fgwj/gfxwj/fzhsx/index.html") if h.startswith("../../../../wj/")]
    assert in_force == [f"../../../../{C}/"]
    assert sorted(void) == sorted(f"../../../../{u}/" for u in (A, B, D))


# --- interpretations ----------------------------------------------------------------
def test_policy_lists_its_interpretations_and_each_links_back(example_site):
    text = page_text(page(example_site.site, C))
    assert "相关解读 文字解读 《示例县临时救助办法》政策解读 2023-02-20 问答 《示例县临时救助办法》问答 2023-02-20" in text
    hrefs = [h for h, _ in links(page(example_site.site, C))]
    assert f"../../{WENZI}/" in hrefs and f"../../{WENDA}/" in hrefs
    for url in (WENZI, WENDA):
        assert f"解读文件：《{TITLE_C}》（示政规〔2023〕1号）" in page_text(page(example_site.site, url))
        assert f"../../{C}/" in [h for h, _ in links(page(example_site.site, url))]


def test_policy_interpretation_column_lists_the_interpretations(example_site):
    # The interpretations are the 民政局's: its 专栏's 政策解读 (catalog/agencies.yml)
    hrefs = [h for h, _ in links(example_site.site / "zl/sxmzj/fdzdgknr/zcjd/index.html")]
    assert f"../../../../{WENZI}/" in hrefs and f"../../../../{WENDA}/" in hrefs


# --- "today" ------------------------------------------------------------------------
def test_today_is_the_config_value_then_source_date_epoch_then_the_clock(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1688140800")         # 2023-06-30T16:00Z = 2023-07-01 in Beijing
    assert build_date(site_settings.load({})) == dt.date(2023, 7, 1)
    assert build_date(site_settings.load({"build_date": "2023年6月1日"})) == dt.date(2023, 6, 1)
    assert build_date(site_settings.load({"build_date": dt.date(2024, 3, 31)})) == dt.date(2024, 3, 31)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "soon")
    with pytest.raises(CatalogueError, match="SOURCE_DATE_EPOCH 应为整数秒数"):
        build_date(site_settings.load({}))


def test_before_valid_until_the_document_is_in_force(make_project, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1688140800")         # build as of 2023-07-01
    project = make_project()
    result = project.build("--strict")
    assert result.ok, result.output
    assert "本文件已失效" not in page_text(page(result.site, D))
    in_force = [h for h, _ in links(result.site / "fdzdgknr/fgwj/gfxwj/xxyx/index.html") if "/wj/" in h]
    assert sorted(in_force) == sorted(f"../../../../{u}/" for u in (C, D))


# --- cross-document errors ----------------------------------------------------------------
def test_cross_document_errors_name_both_files_and_fail_the_build(make_project):
    project = make_project(with_content=False)
    d = "content/documents/"
    project.write(d + "unknown.md", doc("000000001/2023-00001", "修订/废止: [000000001/2023-00099]"))
    project.write(d + "cycle-a.md", doc("000000001/2023-00002", "修订/废止: [000000001/2023-00003]", validity="失效"))
    project.write(d + "cycle-b.md", doc("000000001/2023-00003", "修订/废止: [000000001/2023-00002]", validity="失效"))
    project.write(d + "old.md", doc("000000001/2023-00004"))
    project.write(d + "new.md", doc("000000001/2023-00005", "修订/废止: [{索引号: 000000001/2023-00004, 类型: 废止}]"))
    project.write(d + "withheld.md", doc("000000001/2023-00006", attribute="依申请公开"))
    project.write(d + "jd-missing.md", doc("000000003/2023-00001", "解读对象: 000000001/2023-00098",
                                           publisher=MZJ, column="政策解读", validity=None))
    project.write(d + "jd-withheld.md", doc("000000003/2023-00002", "解读对象: 000000001/2023-00006",
                                            publisher=MZJ, column="政策解读", validity=None))
    project.write(d + "form.md", doc("000000003/2023-00003", "解读形式: 问答", publisher=MZJ,
                                     column="政策解读", validity=None))
    result = project.build()
    assert result.returncode != 0
    assert error_lines(result.output) == [
        "错误 content/documents/cycle-a.md:10: [replaces] 「修订/废止」修订/废止关系形成循环："
        "content/documents/cycle-a.md → content/documents/cycle-b.md → content/documents/cycle-a.md；"
        "文件不能直接或间接修订、废止自身",
        "错误 content/documents/form.md:10: [form] 「解读形式」只用于政策解读；请同时填写「解读对象」（interprets）",
        "错误 content/documents/jd-missing.md:10: [interprets] 「解读对象」索引号“000000001/2023-00098”在全站文件中不存在；"
        "请核对被解读文件的索引号",
        "错误 content/documents/jd-withheld.md:10: [interprets] 「解读对象」“000000001/2023-00006”"
        "（content/documents/withheld.md）的公开属性为“依申请公开”，不在网站发布；解读只能指向已发布的文件",
        "错误 content/documents/old.md:9: [validity] 「有效性」为“有效”，但本文件已被 content/documents/new.md"
        "（索引号 000000001/2023-00005）废止；请改为“废止”",
        "错误 content/documents/unknown.md:10: [replaces] 「修订/废止」所列索引号“000000001/2023-00099”在全站文件中不存在；"
        "请核对被修订文件的索引号",
    ]
    assert "文件校验未通过：共 6 个错误" in result.output


def test_a_document_replaced_twice_is_an_error(make_project):
    project = make_project(with_content=False)
    d = "content/documents/"
    project.write(d + "a.md", doc("000000001/2023-00001", validity="失效"))
    project.write(d + "b.md", doc("000000001/2023-00002", "修订/废止: [000000001/2023-00001]"))
    project.write(d + "c.md", doc("000000001/2023-00003", "修订/废止: [000000001/2023-00001]"))
    result = project.build()
    assert result.returncode != 0
    assert error_lines(result.output) == [
        "错误 content/documents/c.md:10: [replaces] 「修订/废止」所列索引号“000000001/2023-00001”（content/documents/a.md）"
        "已被 content/documents/b.md 修订；一个文件只能被一个文件修订或废止"]
