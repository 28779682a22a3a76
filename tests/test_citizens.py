"""Citizens' ways in (catalog/site.yml ``citizens``): 依申请公开, 留言 and 纠错 on the home, the 指南
and every document page; each missing entry is a build warning, a bad one an error; all output escaped.
"""
from __future__ import annotations

import re

import yaml

from _relations_helpers import error_lines, links, page_text

DOC = "wj/000000001-2023-00008"
DOC_URL = "https://www.example.gov.cn/zfxxgk/wj/000000001-2023-00008/"
CORRECTION = "https://www.example.gov.cn/jiucuo/?url=" + DOC_URL.replace(":", "%3A").replace("/", "%2F")


def page(site, url: str):
    return site / url / "index.html"


def edit_citizens(project, change) -> None:
    path = project.root / "catalog/site.yml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def test_the_home_and_the_guide_show_every_way_in(example_site):
    for url in ("", "zfxxgkzn"):
        text = page_text(page(example_site.site, url))
        panel = text[text.index("依申请公开与互动交流"):]
        assert "网上提交申请" in panel
        assert "信函申请：示例县人民路1号 示例县人民政府办公室政府信息公开受理点（邮编 000000）" in panel
        assert "下载示例县政府信息公开申请表 Word（.docx）" in panel
        assert "办理进度查询：网上提交的申请，凭申请编号在网上申请系统查询办理进度" in panel
        assert "我要留言" in panel and "我要纠错" in panel
        hrefs = dict((t, h) for h, t in links(page(example_site.site, url)))
        assert hrefs["网上提交申请"] == "https://www.example.gov.cn/ysqgk/"
        assert hrefs["查询办理进度"] == "https://www.example.gov.cn/ysqgk/cx/"
        assert hrefs["我要留言"] == "https://www.example.gov.cn/hdjl/"
        assert hrefs["下载示例县政府信息公开申请表"].endswith("/zfxxgkzn/ysqgk-sqb.docx")
    assert (example_site.site / "zfxxgkzn/ysqgk-sqb.docx").read_bytes()[:2] == b"PK"   # the form is published


def test_a_document_page_has_leave_a_message_and_report_an_error(example_site):
    hrefs = [(h, t) for h, t in links(page(example_site.site, DOC)) if t in ("我要留言", "我要纠错")]
    assert hrefs == [("https://www.example.gov.cn/hdjl/", "我要留言"), (CORRECTION, "我要纠错")]


def test_listings_have_no_panel(example_site):
    assert "依申请公开与互动交流" not in page_text(page(example_site.site, "fdzdgknr"))
    assert "依申请公开与互动交流" not in page_text(page(example_site.site, "nian/2023"))


def test_each_missing_entry_is_a_warning_and_fails_the_strict_build(make_project):
    project = make_project()
    edit_citizens(project, lambda d: d.pop("citizens"))
    result = project.build()
    assert result.ok, result.output
    assert [line for line in error_lines(result.output) if "citizens" in line] == [
        "警告 catalog/site.yml: [citizens.application.online_url] 未配置依申请公开的网上申请网址（online_url）或邮寄地址"
        "（post_address）；公众将看不到这一入口",
        "警告 catalog/site.yml: [citizens.application.form] 未配置依申请公开申请表（form，catalog/files/ 中的文件）；公众将看不到这一入口",
        "警告 catalog/site.yml: [citizens.application.progress] 未说明依申请公开办理进度的查询方式（progress 或 progress_url）；"
        "公众将看不到这一入口",
        "警告 catalog/site.yml: [citizens.message_url] 未配置留言（政民互动）网址（message_url）；公众将看不到这一入口",
        "警告 catalog/site.yml: [citizens.correction_url] 未配置纠错网址（correction_url）；公众将看不到这一入口",
    ]
    assert "依申请公开与互动交流" not in page_text(page(result.site, ""))
    assert "我要纠错" not in page_text(page(result.site, DOC))
    assert not project.build("--strict").ok


def test_only_the_missing_one_is_warned_and_the_others_still_show(make_project):
    project = make_project()
    edit_citizens(project, lambda d: d["citizens"].pop("correction_url"))
    result = project.build()
    assert [line for line in error_lines(result.output) if "citizens" in line] == [
        "警告 catalog/site.yml: [citizens.correction_url] 未配置纠错网址（correction_url）；公众将看不到这一入口"]
    assert [t for _, t in links(page(result.site, DOC)) if t.startswith("我要")] == ["我要留言"]


def test_a_script_url_is_an_error_and_text_is_escaped(make_project):
    project = make_project()

    def hostile(d):
        d["citizens"]["message_url"] = "javascript:alert(1)"
        d["citizens"]["application"]["form"] = "../content/documents/2023/fujian/sx-lsjz-sqspb.pdf"
    edit_citizens(project, hostile)
    result = project.build()
    assert not result.ok
    assert [line for line in error_lines(result.output) if "citizens" in line] == [
        "错误 catalog/site.yml: [citizens.application.form] 申请表文件“../content/documents/2023/fujian/sx-lsjz-sqspb.pdf”"
        "不存在；请把文件放在 catalog/files/ 中，文件名用 ASCII，此处只写文件名（如 ysqgk-sqb.docx）",
        "错误 catalog/site.yml: [citizens.message_url] 网址“javascript:alert(1)”无效；须以 https:// 或 http:// 开头的完整网址"
        "（可含 {url}、{title} 占位符）",
    ]
    edit_citizens(project, lambda d: d["citizens"].update(
        message_url="https://www.example.gov.cn/hdjl/?t={title}",
        application=dict(d["citizens"]["application"], form="ysqgk-sqb.docx",
                         post_address='<script>alert("x")</script>收发室')))
    result = project.build("--strict")
    assert result.ok, result.output
    home = page(result.site, "").read_text(encoding="utf-8")
    assert "<script>alert(" not in home and "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;收发室" in home
    message = next(h for h, t in links(page(result.site, DOC)) if t == "我要留言")
    assert message.startswith("https://www.example.gov.cn/hdjl/?t=%E7%A4%BA%E4%BE%8B") and re.fullmatch(r"[\x21-\x7e]+", message)
