"""The text of attachments: real PDF (Chromium), DOCX (python-docx), XLSX (openpyxl); bounded, never a traceback."""
from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from _attachment_helpers import ID_15, ID_18, make_docx, make_xlsx, penalty_pdf
from zfxxgk.intake.attachment_text import Limits, extract


def where_of(chunks, needle: str) -> list[str]:
    return [c.where for c in chunks if needle in c.text]


@pytest.fixture(scope="module")
def penalty(browser, tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("pdf") / "cfjds.pdf"
    return penalty_pdf(browser, path, f"当事人公民身份号码：{ID_18}，住所：示例县城关镇。")


class TestPdf:
    def test_each_page_is_a_chunk_and_the_number_is_on_page_2(self, penalty):
        chunks, problems = extract(penalty, "content/x/cfjds.pdf")
        assert problems == []
        assert [c.where for c in chunks] == ["第 1 页", "第 2 页"]
        assert where_of(chunks, ID_18) == ["第 2 页"]
        assert "示市监罚〔2024〕17号" in chunks[0].text

    def test_page_limit_keeps_the_first_pages_and_warns(self, penalty):
        chunks, [problem] = extract(penalty, "content/x/cfjds.pdf", Limits(max_pages=1))
        assert [c.where for c in chunks] == ["第 1 页"]
        assert problem.severity == "warning" and "共 2 页，只检查了前 1 页" in problem.message
        assert problem.file == "content/x/cfjds.pdf"

    def test_a_file_larger_than_the_limit_is_an_error_and_not_read(self, penalty):
        chunks, [problem] = extract(penalty, "content/x/cfjds.pdf", Limits(max_mb=0))
        assert chunks == [] and problem.severity == "error" and "附件过大" in problem.message

    def test_character_limit(self, penalty):
        chunks, [problem] = extract(penalty, "a.pdf", Limits(max_chars=10))
        assert sum(len(c.text) for c in chunks) == 10
        assert problem.severity == "warning" and "只检查了前 10 字" in problem.message

    def test_password_protected_pdf_is_an_error(self, penalty, tmp_path):
        from pypdf import PdfReader, PdfWriter
        writer = PdfWriter(clone_from=PdfReader(penalty))
        writer.encrypt(user_password="mima", owner_password="guanli", algorithm="RC4-128")
        locked = tmp_path / "locked.pdf"
        writer.write(locked)
        chunks, [problem] = extract(locked, "content/locked.pdf")
        assert chunks == [] and problem.severity == "error" and "已加密" in problem.message

    def test_owner_password_only_still_opens(self, penalty, tmp_path):
        from pypdf import PdfReader, PdfWriter
        writer = PdfWriter(clone_from=PdfReader(penalty))
        writer.encrypt(user_password="", owner_password="guanli", algorithm="RC4-128")
        restricted = tmp_path / "restricted.pdf"
        writer.write(restricted)
        chunks, problems = extract(restricted, "content/restricted.pdf")
        assert problems == [] and where_of(chunks, ID_18) == ["第 2 页"]

    @pytest.mark.parametrize("data", [b"", b"not a pdf at all", b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog /Pages 9 0 R"])
    def test_broken_files_are_an_error_in_chinese(self, tmp_path, data):
        path = tmp_path / "broken.pdf"
        path.write_bytes(data)
        chunks, [problem] = extract(path, "content/broken.pdf")
        assert chunks == [] and problem.severity == "error"
        assert problem.format().startswith("错误 content/broken.pdf: 附件无法解析")

    def test_a_truncated_pdf_never_raises(self, penalty, tmp_path):
        path = tmp_path / "cut.pdf"
        path.write_bytes(penalty.read_bytes()[: penalty.stat().st_size // 2])
        chunks, problems = extract(path, "content/cut.pdf")
        assert chunks or problems     # pypdf may recover pages; either way a result, not a traceback
        assert all(p.file == "content/cut.pdf" for p in problems)


class TestDocx:
    def test_paragraphs_table_cells_and_header(self, tmp_path):
        path = make_docx(tmp_path / "a.docx", ["行政处罚决定书", f"当事人身份证号：{ID_18}"],
                         table=[["姓名", "证件号码", "电话"], ["张某", ID_15, "13912345678"]],
                         header=f"经办人 {ID_18}")
        chunks, problems = extract(path, "a.docx")
        assert problems == []
        assert where_of(chunks, ID_18) == ["第 2 段", "页眉 第 1 段"]
        assert where_of(chunks, ID_15) == ["表 1 第 2 行第 2 列"]
        assert where_of(chunks, "13912345678") == ["表 1 第 2 行第 3 列"]

    def test_tracked_deletions_are_in_the_published_file_and_are_read(self, tmp_path):
        import docx
        from docx.oxml import parse_xml
        path = make_docx(tmp_path / "b.docx", ["当事人："])
        document = docx.Document(str(path))
        w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
        document.paragraphs[0]._p.append(parse_xml(
            f'<w:del {w} w:id="1" w:author="x" w:date="2024-01-01T00:00:00Z"><w:r><w:delText>{ID_18}</w:delText></w:r></w:del>'))
        document.save(str(path))
        chunks, _ = extract(path, "b.docx")
        assert where_of(chunks, ID_18) == ["第 1 段"]

    def test_not_a_zip_is_an_error_naming_the_old_formats(self, tmp_path):
        path = tmp_path / "old.docx"
        path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512)   # an OLE2 .doc renamed
        chunks, [problem] = extract(path, "content/old.docx")
        assert chunks == [] and problem.severity == "error" and ".docx/.xlsx" in problem.message

    def test_unzipped_size_is_bounded_before_parsing(self, tmp_path):
        path = make_docx(tmp_path / "bomb.docx", ["正文"])
        with zipfile.ZipFile(path, "a", compression=zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("word/media/zeros.bin", b"\0" * (3 * 1024 * 1024))
        assert path.stat().st_size < 100 * 1024
        chunks, [problem] = extract(path, "bomb.docx", Limits(max_unzipped_mb=2))
        assert chunks == [] and "解压后过大" in problem.message


class TestXlsx:
    def test_cells_are_named_sheet_and_coordinate(self, tmp_path):
        path = make_xlsx(tmp_path / "a.xlsx", {
            "Sheet1": {"A1": "姓名", "B3": f"身份证 {ID_18}", "C4": int(ID_15), "D5": 12},
            "隐藏": {"A2": "13912345678"},
        })
        chunks, problems = extract(path, "a.xlsx")
        assert problems == []
        assert where_of(chunks, ID_18) == ["Sheet1!B3"]
        assert where_of(chunks, ID_15) == ["Sheet1!C4"]       # a number typed as a number
        assert where_of(chunks, "13912345678") == ["隐藏!A2"]

    def test_a_hidden_sheet_is_read_too(self, tmp_path):
        import openpyxl
        path = make_xlsx(tmp_path / "h.xlsx", {"公开": {"A1": "名单"}, "底稿": {"B2": ID_18}})
        book = openpyxl.load_workbook(path)
        book["底稿"].sheet_state = "hidden"
        book.save(path)
        chunks, _ = extract(path, "h.xlsx")
        assert where_of(chunks, ID_18) == ["底稿!B2"]

    def test_cell_limit_warns(self, tmp_path):
        path = make_xlsx(tmp_path / "big.xlsx", {"S": {f"A{r}": f"{r:011d}" for r in range(1, 101)}})
        chunks, [problem] = extract(path, "big.xlsx", Limits(max_cells=50))
        assert 0 < len(chunks) < 100
        assert problem.severity == "warning" and "单元格超过 50 个" in problem.message

    def test_a_far_away_cell_does_not_make_the_scan_walk_a_million_rows_of_columns(self, tmp_path):
        path = make_xlsx(tmp_path / "far.xlsx", {"S": {"A1": ID_18, "XFD1048576": ID_15}})
        chunks, problems = extract(path, "far.xlsx")
        assert problems == [] and [c.where for c in chunks] == ["S!A1", "S!XFD1048576"]


def test_other_types_have_no_text_here(tmp_path):
    path = tmp_path / "scan.jpg"
    path.write_bytes(b"\xff\xd8\xff")
    assert extract(path, "scan.jpg") == ([], [])


def test_limits_from_the_safety_settings():
    assert Limits.from_settings({"attachment_max_pages": 3, "max_document_kb": 9}) == (Limits(max_pages=3), [])
    assert Limits.from_settings(None) == (Limits(), [])


@pytest.mark.parametrize("value", ["many", -1, 0, 2.5, True, None])
def test_a_bad_limit_keeps_the_default_and_says_so(value):
    limits, [problem] = Limits.from_settings({"attachment_max_pages": value})
    assert limits == Limits()
    assert problem.format() == (f"错误 catalog/site.yml: [safety.attachment_max_pages] 附件检查上限“{value}”不是正整数；"
                                f"请填写正整数，如 500")


class TestCache:
    def test_an_unchanged_file_is_read_from_the_cache_a_changed_one_is_not(self, tmp_path):
        cache = tmp_path / "cache"
        path = make_docx(tmp_path / "a.docx", ["名单", f"张某 {ID_18}"])
        first = extract(path, "a.docx", cache=cache)
        [entry] = list(cache.rglob("*.json"))
        assert ID_18 in entry.read_text(encoding="utf-8")
        assert extract(path, "a.docx", cache=cache) == first
        make_docx(path, ["名单", f"李某 {ID_15}"])
        chunks, _ = extract(path, "a.docx", cache=cache)
        assert where_of(chunks, ID_15) == ["第 2 段"] and where_of(chunks, ID_18) == []

    def test_problems_are_cached_with_the_file_name_of_each_call(self, tmp_path):
        cache = tmp_path / "cache"
        path = tmp_path / "broken.pdf"
        path.write_bytes(b"not a pdf")
        extract(path, "content/a/broken.pdf", cache=cache)
        _, [problem] = extract(path, "content/b/broken.pdf", cache=cache)
        assert problem.file == "content/b/broken.pdf" and "附件无法解析（PDF 格式错误）" in problem.message

    def test_a_damaged_cache_entry_is_ignored(self, tmp_path):
        cache = tmp_path / "cache"
        path = make_xlsx(tmp_path / "a.xlsx", {"S": {"B3": ID_18}})
        extract(path, "a.xlsx", cache=cache)
        for entry in cache.rglob("*.json"):
            entry.write_text("{not json", encoding="utf-8")
        chunks, problems = extract(path, "a.xlsx", cache=cache)
        assert problems == [] and where_of(chunks, ID_18) == ["S!B3"]

    def test_other_limits_are_another_entry(self, tmp_path, penalty):
        cache = tmp_path / "cache"
        extract(penalty, "a.pdf", cache=cache)
        chunks, [problem] = extract(penalty, "a.pdf", Limits(max_pages=1), cache=cache)
        assert [c.where for c in chunks] == ["第 1 页"] and problem.severity == "warning"
