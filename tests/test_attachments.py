"""附件: files beside a document, listed on its page with type and size.

A missing file or a disallowed type is an error; a withheld document's
attachments never reach the site.
"""
from __future__ import annotations

from _attachment_helpers import make_xlsx
from _relations_helpers import doc, error_lines, links, page_text
from conftest import ROOT

PDF = "documents/2023/fujian/sx-lsjz-sqspb.pdf"       # attached to 示政规〔2023〕1号


def test_page_lists_attachments_with_type_and_size_and_the_file_is_copied(example_site):
    page = example_site.site / "wj/000000001-2023-00008/index.html"
    size = (ROOT / "content" / PDF).stat().st_size
    assert f"附件 示例县临时救助申请审批表 PDF（.pdf），{size / 1024:.1f} KB" in page_text(page)
    assert (f"../../{PDF}", "示例县临时救助申请审批表") in links(page)
    assert (example_site.site / PDF).read_bytes() == (ROOT / "content" / PDF).read_bytes()


def test_a_missing_file_and_a_disallowed_type_are_errors(make_project):
    project = make_project(with_content=False)
    project.write("content/documents/a.md", doc("000000001/2023-00001", "附件: [表格.pdf, {文件: 工具.exe, 名称: 工具}]"))
    project.write("content/documents/b.md", doc("000000001/2023-00002", "附件: 说明"))
    project.write("content/documents/工具.exe", "MZ")
    result = project.build()
    assert result.returncode != 0
    assert error_lines(result.output) == [
        "错误 content/documents/a.md:10: [attachments] 「附件」“工具.exe”的文件类型“.exe”不允许；"
        "允许：pdf、ofd、doc、docx、wps、xls、xlsx、zip、png、jpg、jpeg、gif、mp4、webm、mp3",
        "错误 content/documents/a.md:10: [attachments] 「附件」文件“表格.pdf”不存在（应位于 content/documents/表格.pdf）；"
        "附件须与文档放在同一目录或其子目录中",
        "错误 content/documents/b.md:10: [attachments] 「附件」“说明”的文件类型（无扩展名）不允许；"
        "允许：pdf、ofd、doc、docx、wps、xls、xlsx、zip、png、jpg、jpeg、gif、mp4、webm、mp3",
    ]


def test_withheld_documents_attachments_are_never_copied(make_project):
    project = make_project(with_content=False)
    project.write("content/documents/open.md", doc("000000001/2023-00001", "附件: [fj/公开表.xlsx]"))
    (project.content / "documents/fj").mkdir(parents=True)
    table = make_xlsx(project.content / "documents/fj/公开表.xlsx", {"Sheet1": {"A1": "公开表"}})   # real: it is scanned
    project.write("content/documents/closed.md", doc("000000001/2023-00002", "附件: [fj/内部请示.docx]",
                                                     attribute="不予公开"))
    project.write("content/documents/fj/内部请示.docx", "PK secret")
    result = project.build("--strict")
    assert result.ok, result.output
    assert (result.site / "documents/fj/公开表.xlsx").exists()
    assert not list(result.site.rglob("内部请示*"))
    size = f"{table.stat().st_size / 1024:.1f} KB"
    assert f"Excel（.xlsx），{size}" in page_text(result.site / "wj/000000001-2023-00001/index.html")
