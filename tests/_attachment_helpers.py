"""Real attachments made the way offices make them: Chromium's print-to-PDF, python-docx, openpyxl.

Also fictional ID numbers with their GB 11643 check digit, computed here
independently of the code under test.
"""
from __future__ import annotations

from pathlib import Path

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def with_check_digit(first17: str) -> str:
    return first17 + "10X98765432"[sum(int(d) * w for d, w in zip(first17, WEIGHTS)) % 11]


ID_18 = with_check_digit("37010219900307123")      # 370102199003071238, fictional
ID_15 = "370102900307123"                          # first generation: born 1990-03-07

PENALTY_HTML = """<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">
<style>body {{ font-family: 'Noto Serif CJK SC', serif; font-size: 16pt; }}
.page {{ break-after: page; }}</style></head><body>
<div class="page"><h1>示例县市场监督管理局<br>行政处罚决定书</h1>
<p>示市监罚〔2024〕17号</p><p>当事人：张某某，男，汉族。</p></div>
<div class="page"><p>{second_page}</p><p>经查，当事人于2024年3月5日销售过期食品……</p></div>
</body></html>"""


def print_pdf(browser, html: str, path: Path) -> Path:
    """``html`` printed to ``path`` by real Chromium (page.pdf), as a browser's 另存为 PDF does."""
    page = browser.new_page()
    try:
        page.set_content(html)
        page.pdf(path=str(path), format="A4")
    finally:
        page.close()
    return path


def penalty_pdf(browser, path: Path, second_page: str) -> Path:
    """A two-page 行政处罚决定书; ``second_page`` is the first paragraph of page 2."""
    return print_pdf(browser, PENALTY_HTML.format(second_page=second_page), path)


def make_docx(path: Path, paragraphs: list[str], table: list[list[str]] | None = None,
              header: str | None = None) -> Path:
    import docx

    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    if table:
        grid = document.add_table(rows=len(table), cols=len(table[0]))
        for r, row in enumerate(table):
            for c, text in enumerate(row):
                grid.cell(r, c).text = text
    if header is not None:
        document.sections[0].header.paragraphs[0].text = header
    document.save(str(path))
    return path


def make_xlsx(path: Path, sheets: dict[str, dict[str, object]]) -> Path:
    """``sheets``: sheet title -> {cell coordinate: value}."""
    import openpyxl

    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, cells in sheets.items():
        sheet = book.create_sheet(title)
        for coordinate, value in cells.items():
            sheet[coordinate] = value
    book.save(path)
    return path
