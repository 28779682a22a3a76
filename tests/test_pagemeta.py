"""The 47号 page meta tags, lang="zh-CN", and the footer items every page must list."""
from __future__ import annotations

import re

import yaml

from _furniture_helpers import SITE_URL, corpus_of, head

SITE_TAGS = {"SiteName": "示例县人民政府", "SiteDomain": "www.example.gov.cn", "SiteIDCode": "0000000000"}


def one(parser, name):
    values = parser.meta.get(name, [])
    assert len(values) == 1, f"{name}: {values}"
    return values[0]


def test_every_page_has_the_site_tags_and_chinese_language(example_site):
    for page in example_site.site.rglob("index.html"):
        parsed = head(page)
        assert parsed.lang == "zh-CN", page
        for name, value in SITE_TAGS.items():
            assert one(parsed, name) == value, page
    assert head(example_site.site / "404.html").lang == "zh-CN"


def test_column_pages_name_their_column_and_type(example_site):
    nb = head(example_site.site / "zfxxgknb" / "index.html")
    assert one(nb, "ColumnName") == "政府信息公开年报"
    assert one(nb, "ColumnType") == "信息公开年报"
    sub = head(example_site.site / "fdzdgknr" / "fgwj" / "gz" / "index.html")
    assert one(sub, "ColumnName") == "规章" and one(sub, "ColumnType") == "政策文件"
    home = head(example_site.site / "index.html")
    assert "ColumnName" not in home.meta and "ArticleTitle" not in home.meta


def test_document_pages_carry_the_article_tags(example_site):
    cat, corpus = corpus_of(example_site.site.parent)
    for doc in corpus.published:
        parsed = head(example_site.site / doc.url / "index.html")
        assert one(parsed, "ArticleTitle") == doc.title
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}", one(parsed, "PubDate"))
        assert one(parsed, "PubDate").startswith(doc.published.isoformat())
        assert one(parsed, "ContentSource") == doc.publisher
        assert one(parsed, "Keywords") == ",".join(doc.keywords)
        assert one(parsed, "Description") == (doc.summary or doc.title)
        assert one(parsed, "Url") == SITE_URL + doc.url
        assert one(parsed, "ColumnName") == doc.column_obj.title


def test_the_seed_documents_article_tags_by_hand(example_site):
    """冠政办发〔2021〕9号 as its front matter says (content/documents/2021/guanxian-2021-9.md)."""
    parsed = head(example_site.site / "wj/113715250044422281-2021-26757114/index.html")
    assert one(parsed, "ArticleTitle") == "冠县人民政府办公室关于印发2021年冠县政务公开工作要点的通知"
    assert one(parsed, "PubDate").startswith("2021-06-28 ")
    assert one(parsed, "ContentSource") == "冠县人民政府办公室"
    assert one(parsed, "ColumnName") == "其他文件"
    assert one(parsed, "Url") == SITE_URL + "wj/113715250044422281-2021-26757114/"


def test_footer_lists_the_47_items_with_links(example_site):
    html = (example_site.site / "index.html").read_text(encoding="utf-8")
    footer = html[html.index('<footer class="md-footer zf-footer">'):]
    for text in ("主办单位：示例县人民政府办公室", "网站标识码：0000000000", "示ICP备00000000号", "示公网安备00000000000000号"):
        assert text in footer
    assert 'href="https://beian.mps.gov.cn/' in footer
    assert 'alt="党政机关网站标识"' in footer and "zf-party-mark.svg" in footer


def test_missing_footer_values_warn_and_the_mark_image_is_configurable(make_project):
    project = make_project()
    site_yml = project.root / "catalog" / "site.yml"
    settings = yaml.safe_load(site_yml.read_text(encoding="utf-8"))
    settings["footer"].update(sponsor="", site_code="12345", party_mark_image="assets/images/mark.png")
    site_yml.write_text(yaml.safe_dump(settings, allow_unicode=True), encoding="utf-8")
    result = project.build()
    assert result.ok, result.output
    assert "[footer.sponsor]" in result.output and "主办单位" in result.output
    assert "[footer.site_code]" in result.output and "10 位" in result.output
    assert 'src="assets/images/mark.png"' in (project.site / "index.html").read_text(encoding="utf-8")
    assert "警告      -  zfxxgk: 警告 catalog/site.yml: [footer.sponsor]" in result.output   # --strict fails on it
