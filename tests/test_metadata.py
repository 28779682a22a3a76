"""Front-matter validation: every rule, with the bad input and the exact message editors see."""
from __future__ import annotations

from pathlib import Path

import pytest

from conftest import ROOT
from zfxxgk.catalog import terms as catalogue
from zfxxgk.intake.documents import load_corpus

CAT = catalogue.load(ROOT / "catalog")

GOOD = """---
title: 冠县人民政府办公室关于印发2021年冠县政务公开工作要点的通知
index_no: 113715250044422281/2021-26757114
publisher: 冠县人民政府办公室
category: 综合政务/政务公开
column: 法定主动公开内容/法规文件/其他文件
published: 2021-06-28
written: 2021-06-28
doc_no: 冠政办发〔2021〕9号
attribute: 主动公开
validity: 有效
keywords: 政务公开、工作要点
tags: [政务公开]
---

正文。
"""


def check(tmp_path: Path, text: str | bytes, name: str = "a.md") -> tuple[list, list[str]]:
    """Validate one file in a fresh content/documents/; return (documents, formatted problems)."""
    docs = tmp_path / "content" / "documents"
    docs.mkdir(parents=True, exist_ok=True)
    path = docs / name
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    corpus = load_corpus(tmp_path / "content", CAT, tmp_path)
    return corpus.documents, [p.format() for p in corpus.problems.sorted()]


def replace(old: str, new: str) -> str:
    assert old in GOOD
    return GOOD.replace(old, new)


def test_a_complete_document_is_valid(tmp_path):
    docs, problems = check(tmp_path, GOOD)
    assert problems == []
    doc = docs[0]
    assert doc.title.startswith("冠县人民政府办公室")
    assert doc.published.isoformat() == "2021-06-28"
    assert doc.keywords == ["政务公开", "工作要点"]
    assert doc.column_obj.title == "其他文件"
    assert doc.url == "wj/113715250044422281-2021-26757114/"


def test_chinese_labels_and_canonical_keys_mix(tmp_path):
    text = replace("title:", "标题:").replace("publisher: 冠县人民政府办公室", "发文机关: 冠县政府") \
        .replace("published:", "发布日期:").replace("doc_no:", "发文字号:").replace("column:", "栏目:")
    docs, problems = check(tmp_path, text)
    assert problems == []
    assert docs[0].publisher == "冠县人民政府办公室"   # alias resolved to the catalogue name
    assert docs[0].doc_no == "冠政办发〔2021〕9号"


@pytest.mark.parametrize("written", ["2021-06-28", "2021/6/28", "2021年6月28日"])
def test_dates_accept_three_forms_and_show_iso(tmp_path, written):
    docs, problems = check(tmp_path, replace("published: 2021-06-28", f"published: {written}"))
    assert problems == []
    assert docs[0].published.isoformat() == "2021-06-28"


def test_bad_date_names_file_line_field_found_and_allowed(tmp_path):
    _, problems = check(tmp_path, replace("published: 2021-06-28", "published: 2021-13-28"))
    assert problems == ["错误 content/documents/a.md:7: [published] 「发布日期」“2021-13-28” 不是有效日期；"
                        "允许的写法：2021-06-28、2021/6/28、2021年6月28日"]


def test_written_after_published_is_an_error(tmp_path):
    _, problems = check(tmp_path, replace("written: 2021-06-28", "written: 2021-07-01"))
    assert problems == ["错误 content/documents/a.md:8: [written] 「成文日期」成文日期 2021-07-01 晚于发布日期 2021-06-28；"
                        "成文日期不得晚于发布日期"]


def test_missing_required_field(tmp_path):
    _, problems = check(tmp_path, replace("attribute: 主动公开\n", ""))
    assert problems == ["错误 content/documents/a.md: [attribute] 「公开属性」缺少必填字段（可写作 attribute 或 公开属性）"]


def test_unknown_key_suggests_the_nearest(tmp_path):
    _, problems = check(tmp_path, replace("doc_no:", "doc_num:"))
    assert problems == ["错误 content/documents/a.md:9: 未知字段「doc_num」；您是否要写「doc_no」？；允许的字段见 catalog/fields.yml"]


def test_same_field_twice_via_key_and_label(tmp_path):
    _, problems = check(tmp_path, replace("validity: 有效\n", "validity: 有效\n有效性: 失效\n"))
    assert problems == ["错误 content/documents/a.md:12: [validity] 「有效性」字段重复：第 11 行已给出（validity 与其中文名只能写一次）"]


def test_attribute_must_be_one_of_four(tmp_path):
    _, problems = check(tmp_path, replace("attribute: 主动公开", "attribute: 公开"))
    assert problems == ["错误 content/documents/a.md:10: [attribute] 「公开属性」“公开” 不是允许的值；"
                        "允许：主动公开、删减后公开、依申请公开、不予公开；您是否要写「主动公开」？"]


def test_unknown_publisher(tmp_path):
    _, problems = check(tmp_path, replace("publisher: 冠县人民政府办公室", "publisher: 冠县人民政府办"))
    assert problems == ["错误 content/documents/a.md:4: [publisher] 「发布机构」发布机构 “冠县人民政府办” 不在机构目录"
                        "（catalog/publishers.yml）中；您是否要写「冠县人民政府办公室」？"]


@pytest.mark.parametrize("category", ["综合政务/政务公开", "综合政务\\政务公开", "其他"])
def test_category_two_levels_with_either_separator(tmp_path, category):
    docs, problems = check(tmp_path, replace("category: 综合政务/政务公开", f"category: '{category}'"))
    assert problems == []


def test_category_must_exist(tmp_path):
    _, problems = check(tmp_path, replace("category: 综合政务/政务公开", "category: 综合政务/政务公示"))
    assert problems == ["错误 content/documents/a.md:5: [category] 「主题分类」主题分类 “综合政务/政务公示” 不在主题分类目录"
                        "（catalog/themes.yml）中；请写成「一级/二级」；您是否要写「综合政务/政务公开」？"]


def test_category_needs_second_level_when_the_theme_has_one(tmp_path):
    _, problems = check(tmp_path, replace("category: 综合政务/政务公开", "category: 综合政务"))
    assert problems == ["错误 content/documents/a.md:5: [category] 「主题分类」主题分类 “综合政务” 只有一级；"
                        "请写成「一级/二级」，如「综合政务/政务公开」"]


@pytest.mark.parametrize("column", ["法定主动公开内容/法规文件/其他文件", "其他文件", "fdzdgknr/fgwj/qtwj"])
def test_column_by_title_path_unique_title_or_slug_path(tmp_path, column):
    docs, problems = check(tmp_path, replace("column: 法定主动公开内容/法规文件/其他文件", f"column: {column}"))
    assert problems == [] and docs[0].column_obj.rel == "fdzdgknr/fgwj/qtwj"
    assert docs[0].column_obj.path == "zl/gxrmzfbgs/fdzdgknr/fgwj/qtwj"   # in its agency's 专栏 (冠县人民政府办公室)


def test_unknown_column(tmp_path):
    _, problems = check(tmp_path, replace("column: 法定主动公开内容/法规文件/其他文件", "column: 规范性文件"))
    assert problems[0].startswith("错误 content/documents/a.md:6: [column] 「公开目录」栏目 “规范性文件” 不在栏目目录")
    assert "您是否要写" in problems[0]


def test_validity_required_in_rules_columns(tmp_path):
    text = replace("column: 法定主动公开内容/法规文件/其他文件", "column: 行政规范性文件").replace("validity: 有效\n", "")
    _, problems = check(tmp_path, text)
    assert problems == ["错误 content/documents/a.md:6: [validity] 「有效性」栏目「行政规范性文件」中的文件必须填写有效性"
                        "（validity / 有效性），允许：有效、失效、废止"]


def test_index_no_must_match_the_publishers_scheme(tmp_path):
    _, problems = check(tmp_path, replace("index_no: 113715250044422281/2021-26757114", "index_no: 2021-9"))
    assert problems == ["错误 content/documents/a.md:3: [index_no] 「索引号」“2021-9” 不符合「冠县人民政府办公室」的索引号规则 "
                        "^113715250044422281/(?P<year>\\d{4})-(?P<seq>\\d{8})$，示例：113715250044422281/2021-26757114"]


def test_index_no_year_must_match_a_date(tmp_path):
    _, problems = check(tmp_path, replace("2021-26757114", "2019-26757114"))
    assert problems == ["错误 content/documents/a.md:3: [index_no] 「索引号」“113715250044422281/2019-26757114” 中的年份 2019 "
                        "与发布日期或成文日期的年份（2021）不一致"]


def test_unknown_tag_suggests(tmp_path):
    _, problems = check(tmp_path, replace("tags: [政务公开]", "tags: [政务公示]"))
    assert problems == ["错误 content/documents/a.md:13: [tags] 「标签」标签 “政务公示” 不在标签目录（catalog/tags.yml）中；"
                        "您是否要写「政务公开」？"]


def test_later_keys_are_accepted_with_a_type_check(tmp_path):
    extra = ("interprets: 113715250044422281/2021-26757113\nreplaces: [{index_no: 113715250044422281/2021-26757112, kind: 废止}]\n"
             "valid_until: 2026-06-30\nunified_no: GXFG-2021-001\n---")
    docs, problems = check(tmp_path, GOOD.replace("---\n\n正文", extra + "\n\n正文", 1))
    # The values fit their types; what is left is intake's cross-file check (the targets are not in this corpus).
    assert [p.split(": ", 1)[1].split("“")[0] for p in problems] == ["[interprets] 「解读对象」索引号",
                                                                    "[replaces] 「修订/废止」所列索引号"]
    assert all("在全站文件中不存在" in p for p in problems)
    _, problems = check(tmp_path, replace("tags: [政务公开]", "tags: [政务公开]\nvalid_until: 明年"))
    assert problems == ["错误 content/documents/a.md:14: [valid_until] 「有效期至」“明年” 不是有效日期；"
                        "允许的写法：2021-06-28、2021/6/28、2021年6月28日"]


def test_every_problem_in_every_file_is_reported_at_once(tmp_path):
    bad = replace("published: 2021-06-28", "published: 昨天").replace("attribute: 主动公开", "attribute: 秘密")
    check(tmp_path, bad, "one.md")
    _, problems = check(tmp_path, replace("publisher: 冠县人民政府办公室", "publisher: 不存在的机关"), "two.md")
    assert len(problems) == 3
    assert {p.split(":")[0] for p in problems} == {"错误 content/documents/one.md", "错误 content/documents/two.md"}


def test_duplicate_index_no_names_both_files(tmp_path):
    check(tmp_path, GOOD, "first.md")
    _, problems = check(tmp_path, GOOD, "second.md")
    assert len(problems) == 1
    assert problems[0].startswith("错误 content/documents/second.md:3: [index_no] 「索引号」索引号“113715250044422281/2021-26757114”"
                                  "与 content/documents/first.md 重复；索引号在全站必须唯一")


class TestFileFormat:
    def test_bom_and_crlf_are_handled(self, tmp_path):
        docs, problems = check(tmp_path, b"\xef\xbb\xbf" + GOOD.replace("\n", "\r\n").encode("utf-8"))
        assert problems == [] and docs[0].title.endswith("通知")

    def test_non_utf8_file(self, tmp_path):
        _, problems = check(tmp_path, GOOD.encode("gbk"))
        assert len(problems) == 1
        assert problems[0].startswith("错误 content/documents/a.md:2: 文件不是 UTF-8 编码")
        assert "请以 UTF-8 编码另存此文件" in problems[0]

    def test_missing_front_matter(self, tmp_path):
        _, problems = check(tmp_path, "正文而已。\n")
        assert problems == ["错误 content/documents/a.md:1: 缺少前置元数据块：文件须以单独一行 --- 开头，其后为元数据，再以 --- 结束"]

    def test_unterminated_front_matter(self, tmp_path):
        _, problems = check(tmp_path, "---\ntitle: 标题\n")
        assert problems == ["错误 content/documents/a.md:1: 前置元数据块没有结束：未找到结束行 ---"]

    def test_broken_yaml_gives_the_line(self, tmp_path):
        _, problems = check(tmp_path, replace("doc_no: 冠政办发〔2021〕9号", "doc_no: [冠政办发〔2021〕9号"))
        assert len(problems) == 1
        assert problems[0].startswith("错误 content/documents/a.md:10: 元数据 YAML 格式错误")

    def test_front_matter_that_is_not_a_mapping(self, tmp_path):
        _, problems = check(tmp_path, "---\n- a\n- b\n---\n正文\n")
        assert problems == ["错误 content/documents/a.md:2: 元数据须为「键: 值」形式的映射"]
