"""The built example site: document pages, metadata tables, listings, layout, atomicity, determinism.

Every check reads the real output of ``mkdocs build --strict`` on the real example content.
"""
from __future__ import annotations

import hashlib
import html
import re
from pathlib import Path

import pytest

from conftest import ROOT
from zfxxgk.catalog import terms as catalogue
from zfxxgk.intake.documents import load_corpus

CAT = catalogue.load(ROOT / "catalog")
CORPUS = load_corpus(ROOT / "content", CAT, ROOT)
TEXT_SUFFIXES = {".html", ".xml", ".json", ".txt", ".js", ".css", ".svg", ".md", ".atom", ".webmanifest"}


def read(site: Path, url: str) -> str:
    return (site / url / "index.html").read_text(encoding="utf-8")


def text_of(fragment: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", fragment)).strip()


def metadata_table(page: str) -> dict[str, str]:
    table = re.search(r'<table class="zf-meta">(.*?)</table>', page, re.S)
    assert table, "document page has no metadata table"
    cells = re.findall(r"<th[^>]*>(.*?)</th>\s*<td[^>]*>(.*?)</td>", table[1], re.S)
    return {text_of(k): text_of(v) for k, v in cells}


def listing_titles(page: str) -> list[str]:
    body = re.search(r'<table class="zf-list zf-cards">(.*?)</table>', page, re.S)
    return [text_of(t) for t in re.findall(r'<td class="zf-list__title"><a [^>]*>(.*?)</a>', body[1], re.S)] if body else []


def all_text_files(site: Path):
    for path in sorted(site.rglob("*")):
        if path.is_file() and (path.suffix in TEXT_SUFFIXES or path.suffix == ""):
            yield path, path.read_text(encoding="utf-8", errors="replace")


def test_example_corpus_is_valid_and_has_withheld_examples():
    assert CORPUS.problems.errors == []
    assert len(CORPUS.published) >= 5
    assert {d.attribute for d in CORPUS.withheld} == {"依申请公开", "不予公开"}


def test_every_published_document_has_its_page_and_metadata_table(example_site):
    for doc in CORPUS.published:
        table = metadata_table(read(example_site.site, doc.url))
        assert table["索引号"] == doc.index_no
        assert table["标题"] == doc.title
        assert table["发布机构"] == doc.publisher
        assert table["主题分类"] == doc.category
        assert table["发布日期"] == doc.published.isoformat()
        assert table["成文日期"] == (doc.written.isoformat() if doc.written else "")
        assert table["文号"] == doc.doc_no
        assert table["主题词"] == "、".join(doc.keywords)
        assert table["公开属性"] == doc.attribute
        optional = [name for key, name in (("valid_until", "有效期至"), ("unified_no", "统一编号")) if doc.meta.get(key)]
        assert list(table) == ["索引号", "主题分类", "发布机构", "成文日期", "标题", "文号", "发布日期", "主题词", "有效性",
                               "公开属性", *optional]


def test_seed_document_shows_its_real_metadata(example_site):
    page = read(example_site.site, "wj/113715250044422281-2021-26757114")
    table = metadata_table(page)
    assert table == {
        "索引号": "113715250044422281/2021-26757114", "主题分类": "综合政务/政务公开", "发布机构": "冠县人民政府办公室",
        "成文日期": "2021-06-28", "标题": "冠县人民政府办公室关于印发2021年冠县政务公开工作要点的通知",
        "文号": "冠政办发〔2021〕9号", "发布日期": "2021-06-28", "主题词": table["主题词"], "有效性": "失效",
        "公开属性": "主动公开"}
    # 失效 is said prominently, before the table and the body
    notice = page.index('class="zf-validity-notice"')
    assert notice < page.index('class="zf-meta"') and "本文件已失效" in text_of(page[notice:notice + 300])


def test_redacted_document_carries_the_marker(example_site):
    redacted = [d for d in CORPUS.published if d.attribute == "删减后公开"]
    assert redacted
    for doc in redacted:
        assert "此件删减后公开" in read(example_site.site, doc.url)


def test_withheld_documents_appear_nowhere_in_the_output(example_site):
    """Titles, 索引号, 文号 and body sentences of 依申请公开/不予公开 documents are in no output file."""
    needles = []
    for doc in CORPUS.withheld:
        sentences = [s for s in re.split(r"[。；\n]", doc.body) if len(s.strip()) >= 12]
        needles += [doc.title, doc.index_no, doc.url.rstrip("/")] + ([doc.doc_no] if doc.doc_no else []) + sentences
    assert len(needles) > 10
    for path, text in all_text_files(example_site.site):
        for needle in needles:
            assert needle.strip() not in text, f"{needle!r} leaked into {path}"
    for doc in CORPUS.withheld:
        assert not (example_site.site / doc.url).exists()


def test_column_listing_is_recursive_newest_first(example_site):
    column = CAT.column("fdzdgknr/fgwj")
    expected = [d.title for d in CORPUS.published if column in d.column_obj.ancestors()]
    titles = listing_titles(read(example_site.site, "fdzdgknr/fgwj"))
    assert titles == expected[:20] and expected
    dates = [d.published for d in CORPUS.published if column in d.column_obj.ancestors()]
    assert dates == sorted(dates, reverse=True)


@pytest.mark.parametrize("kind,key", [("publisher", "gxrmzfbgs"), ("year", "2021"), ("theme", "02/01")])
def test_listings_by_publisher_year_and_theme(example_site, kind, key):
    select = {"publisher": lambda d: d.publisher_obj.slug == key, "year": lambda d: str(d.year) == key,
              "theme": lambda d: d.theme.code == key or d.theme.code.startswith(key + "/")}[kind]
    url = {"publisher": f"jg/{key}", "year": f"nian/{key}", "theme": f"zt/{key}"}[kind]
    expected = [d.title for d in CORPUS.published if select(d)]
    assert expected and listing_titles(read(example_site.site, url)) == expected[:20]


# Expectations written by hand from the example content's front matter (content/documents/),
# so a loader bug cannot make the page and its expectation wrong together.
HAND_WRITTEN_LISTINGS = {
    "fdzdgknr/fgwj/gfxwj/": [   # 行政规范性文件, newest first
        "示例县人民政府关于印发《示例县临时救助办法》的通知",                                  # 2023-02-20
        "示例县人民政府办公室关于做好2023年度城乡居民基本医疗保险参保缴费工作的通知",          # 2022-09-26
        "示例县人民政府关于印发《示例县城乡居民临时救助实施办法（2021年修订）》的通知",        # 2021-05-20
        "示例县人民政府关于印发《示例县城乡居民临时救助实施办法》的通知",                      # 2019-03-15
    ],
    "zl/gxrmzfbgs/fdzdgknr/fgwj/qtwj/": [    # 冠县's 其他文件: the 依申请公开 复函 of 2021-08-23 is not listed
        "冠县人民政府办公室关于印发2021年冠县政务公开工作要点的通知",                          # 2021-06-28
    ],
    "zl/kyszfbgs/fdzdgknr/fgwj/qtwj/": [     # 开远市's, in its own 专栏
        "开远市人民政府办公室关于印发开远市开展基层政务公开标准化规范化试点工作方案的通知",    # 2017-09-29
    ],
    "fdzdgknr/fgwj/qtwj/": [],               # the 县政府 has no 其他文件
    "jg/gxrmzfbgs/": [          # 冠县人民政府办公室: the 不予公开 请示 of 2021-09-08 is not listed
        "冠县人民政府办公室政务公开工作专题会议纪要（示例）",                                  # 2021-10-15, 删减后公开
        "冠县人民政府办公室关于印发2021年冠县政务公开工作要点的通知",                          # 2021-06-28
    ],
}


@pytest.mark.parametrize("url", sorted(HAND_WRITTEN_LISTINGS))
def test_listings_match_the_hand_written_expectation(example_site, url):
    assert listing_titles(read(example_site.site, url)) == HAND_WRITTEN_LISTINGS[url]


def test_home_lists_the_newest_first_by_hand(example_site):
    latest = listing_titles(read(example_site.site, ""))
    assert latest[:2] == ["城关镇2025年政务公开工作要点",                                       # 2025-03-12
                          "关于徐泾镇2023年政务公开工作要点"]                                   # 2023-06-07
    assert "政府信息公开：发布 18 篇文件；按公开属性不发布 2 篇（依申请公开 1 篇，不予公开 1 篇）" in example_site.output


def test_home_shows_agency_four_columns_latest_and_search(example_site):
    page = read(example_site.site, ".")
    assert CAT.site["agency"] in page and "政府信息公开" in page
    columns = re.search(r'<nav class="zf-columns".*?</nav>', page, re.S)[0]
    assert [text_of(t) for t in re.findall(r'<span class="zf-columns__title">(.*?)</span>', columns)] == \
        ["政府信息公开指南", "政府信息公开制度", "法定主动公开内容", "政府信息公开年报"]
    latest = re.search(r'<section class="zf-latest".*?</section>', page, re.S)[0]
    assert listing_titles(latest) == [d.title for d in CORPUS.published[:10]]
    assert re.search(r'<form[^>]+role="search"[^>]+action="[^"]*search/"', page)


def test_guide_page_has_what_the_regulation_requires(example_site):
    page = text_of(read(example_site.site, "zfxxgkzn"))
    for item in ("分类", "编排体系", "获取方式", "办公地址", "办公时间", "联系电话", "传真", "电子邮箱"):
        assert item in page, item


def test_documents_are_not_in_the_nav(example_site):
    page = read(example_site.site, CORPUS.published[0].url)
    nav = re.search(r'md-sidebar--primary.*?md-sidebar--secondary', page, re.S)[0]
    for doc in CORPUS.published:
        assert doc.title not in nav
    for col in CAT.columns:
        assert col.title in nav


def test_urls_are_ascii_and_paths_hold_no_chinese(example_site):
    for path in example_site.site.rglob("*"):
        assert path.relative_to(example_site.site).as_posix().isascii(), path


def test_pagination_is_static_and_complete(make_project):
    project = make_project(with_content=False)
    project.write("content/index.md", "---\ntitle: 政府信息公开\n---\n")
    for i in range(1, 46):
        project.write(f"content/documents/d{i:02d}.md", f"""---
title: 测试文件第{i}号
index_no: 000014348/2020-{i:05d}
publisher: 开远市政府办公室
category: 综合政务/政务公开
column: 工作计划
published: 2020-01-{(i % 28) + 1:02d}
attribute: 主动公开
---
正文{i}。
""")
    result = project.build("--strict")
    assert result.ok, result.output
    base = "zl/kyszfbgs/fdzdgknr/qtfdxx/gzjh"    # 开远市政府办公室's 专栏 (catalog/agencies.yml)
    pages = [listing_titles(read(project.site, url)) for url in (base, f"{base}/page/2", f"{base}/page/3")]
    assert [len(p) for p in pages] == [20, 20, 5]
    assert len(set(sum(pages, []))) == 45
    first = read(project.site, base)
    assert 'page/2/' in first
    assert not (project.site / base / "page" / "4").exists()


def test_bad_input_fails_the_build_in_chinese_and_keeps_the_previous_site(make_project):
    project = make_project()
    assert project.build().ok
    before = {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in project.site.rglob("*") if p.is_file()}
    doc = project.content / "documents" / "2021" / "guanxian-2021-9.md"
    doc.write_text(doc.read_text(encoding="utf-8").replace("发布日期: 2021年6月28日", "发布日期: 2021年6月31日"), encoding="utf-8")
    result = project.build()
    assert result.returncode != 0
    assert "错误 content/documents/2021/guanxian-2021-9.md:9: [published] 「发布日期」“2021年6月31日” 不是有效日期" in result.output
    assert "文件校验未通过" in result.output and "Traceback" not in result.output
    after = {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in project.site.rglob("*") if p.is_file()}
    assert after == before
    assert not (project.root / "site.staging").exists()


def test_build_summary_counts_published_and_withheld(example_site):
    assert f"发布 {len(CORPUS.published)} 篇文件；按公开属性不发布 {len(CORPUS.withheld)} 篇" in example_site.output


def test_builds_are_byte_identical(make_project, example_site):
    project = make_project()
    assert project.build("--strict").ok
    ours = {p.relative_to(project.site): p.read_bytes() for p in project.site.rglob("*") if p.is_file()}
    theirs = {p.relative_to(example_site.site): p.read_bytes() for p in example_site.site.rglob("*") if p.is_file()}
    assert sorted(ours) == sorted(theirs)
    assert [k for k in ours if ours[k] != theirs[k]] == []
