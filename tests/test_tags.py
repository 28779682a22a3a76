"""Tags (标签化管理): catalog/tags.yml; a paginated page per tag, an index with counts."""
from __future__ import annotations

from _relations_helpers import doc, error_lines, links, page_text


def test_tag_index_lists_every_tag_with_its_count(example_site):
    text = page_text(example_site.site / "bq/index.html")
    assert "按标签浏览" in text
    assert "民生保障 （7）" in text and "政策解读 （7）" in text and "乡村振兴 （0）" in text


def test_tag_page_lists_its_documents_newest_first(example_site):
    hrefs = [h for h, _ in links(example_site.site / "bq/msbz/index.html") if "/wj/" in h]
    assert hrefs == ["../../wj/000000001-2023-00008/", "../../wj/000000003-2023-00006/",
                     "../../wj/000000003-2023-00007/", "../../wj/000000003-2022-00041/",
                     "../../wj/000000002-2022-00045/", "../../wj/000000001-2021-00031/",
                     "../../wj/000000001-2019-00012/"]
    assert "共 7 篇" in page_text(example_site.site / "bq/msbz/index.html")


def test_tag_pages_are_paginated_like_the_other_listings(make_project):
    project = make_project(with_content=False)
    for n in range(1, 6):
        project.write(f"content/documents/{n}.md", doc(f"000000001/2023-{n:05d}", "标签: [民生保障]"))
    settings = (project.root / "catalog/site.yml").read_text(encoding="utf-8").replace("page_size: 20", "page_size: 2")
    project.write("catalog/site.yml", settings)
    result = project.build("--strict")
    assert result.ok, result.output
    assert "共 5 篇，第 3/3 页" in page_text(result.site / "bq/msbz/page/3/index.html")
    assert ("../../../../bq/msbz/page/2/", "上一页") in links(result.site / "bq/msbz/page/3/index.html")


def test_unknown_tag_is_an_error_with_a_suggestion(make_project):
    project = make_project(with_content=False)
    project.write("content/documents/a.md", doc("000000001/2023-00001", "标签: [民生保险, 政务公开]"))
    result = project.build()
    assert result.returncode != 0
    assert error_lines(result.output) == [
        "错误 content/documents/a.md:10: [tags] 「标签」标签 “民生保险” 不在标签目录（catalog/tags.yml）中；您是否要写「民生保障」？"]
