"""Personal information and classification marks in everything published (条例 art.14–15)."""
from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from _attachment_helpers import ID_15, ID_18, make_docx, make_xlsx, penalty_pdf
from _safety_helpers import one_doc
from conftest import CORPUS
from zfxxgk.audit import privacy

ID_OK = "370102199003071234"       # check digit computed below; a fictional number
CARD_OK = "6222021234567890128"     # passes Luhn
MOBILE = "13912345678"


def _with_check_digit(first17: str) -> str:
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    return first17 + "10X98765432"[sum(int(d) * w for d, w in zip(first17, weights)) % 11]


ID_VALID = _with_check_digit(ID_OK[:17])
ID_BAD_CHECK = ID_VALID[:17] + ("0" if ID_VALID[17] != "0" else "1")


def messages(doc) -> list[str]:
    return [p.format() for p in privacy.check_document(doc)]


class TestIdNumbers:
    def test_valid_check_digit_is_an_error_with_file_line_and_masked_number(self, tmp_path):
        doc = one_doc(tmp_path, f"第一段。\n\n申请人身份证号码：{ID_VALID}。\n")
        [problem] = privacy.check_document(doc)
        assert problem.severity == "error"
        assert problem.line == doc.body_line + 3
        assert "3701**********" + ID_VALID[-4:] in problem.message
        assert ID_VALID not in problem.format()

    def test_wrong_check_digit_is_not_an_id_number(self, tmp_path):
        assert messages(one_doc(tmp_path, f"编号 {ID_BAD_CHECK}\n")) == []

    def test_lowercase_x_check_digit(self):
        number = next(_with_check_digit(f"11010519491231{n:03d}") for n in range(1000)
                      if _with_check_digit(f"11010519491231{n:03d}").endswith("X"))
        assert [k for _, k, _, _ in privacy.scan_text(number.lower())] == ["id"]

    def test_impossible_birth_date_is_not_an_id_number(self):
        assert list(privacy.scan_text(_with_check_digit("37010219901307123"))) == []

    def test_in_front_matter(self, tmp_path):
        doc = one_doc(tmp_path, summary=f"联系人身份证{ID_VALID}")
        [problem] = privacy.check_document(doc)
        assert problem.field == "summary" and problem.line == doc.lines["summary"]


class TestBankCards:
    def test_luhn_valid_run_is_an_error(self, tmp_path):
        [problem] = privacy.check_document(one_doc(tmp_path, f"收款账号：{CARD_OK}\n"))
        assert problem.severity == "error" and "6222***********0128" in problem.message

    def test_grouped_digits(self):
        assert [k for _, k, _, _ in privacy.scan_text("卡号 6222 0212 3456 7890 128")] == ["card"]

    def test_full_width_digits(self):
        assert ids("卡号 ６２２２ ０２１２ ３４５６ ７８９０ １２８") == [("card", "6222***********0128")]

    def test_luhn_invalid_is_not_flagged(self):
        assert list(privacy.scan_text("流水号 6222021234567890127")) == []

    @pytest.mark.parametrize("digits", ["622202123456789", "62220212345678901234"])
    def test_outside_16_to_19_digits_is_not_flagged(self, digits):
        assert [k for _, k, _, _ in privacy.scan_text(digits)] == []


class TestPhones:
    def test_mobile_is_a_warning_and_masked(self, tmp_path):
        [problem] = privacy.check_document(one_doc(tmp_path, f"联系人：张三，{MOBILE}\n"))
        assert problem.severity == "warning" and "139****5678" in problem.message and MOBILE not in problem.message

    @pytest.mark.parametrize("text", ["手机：１３９１２３４５６７８", "联系人：张三——13912345678", "电话 139 1234 5678"])
    def test_full_width_and_after_a_dash(self, text):
        assert ids(text) == [("mobile", "139****5678")]

    @pytest.mark.parametrize("text", ["联系电话：0635-5123456", "电话 0531-88888888", "010-12345678"])
    def test_landlines_are_not_flagged(self, text):
        assert list(privacy.scan_text(text)) == []

    def test_public_numbers_waives_exactly_the_listed_numbers(self, tmp_path):
        doc = one_doc(tmp_path, f"咨询：{MOBILE}；投诉：13800001111\n", public_numbers=f"[{MOBILE}]")
        [problem] = privacy.check_document(doc)
        assert "138****1111" in problem.message

    def test_public_numbers_has_a_chinese_label_and_keeps_grouped_numbers_in_a_list(self, tmp_path):
        doc = one_doc(tmp_path, f"咨询：{MOBILE}\n", 可公开号码='["139 1234 5678"]')
        assert privacy.check_document(doc) == []


class TestClassificationMarks:
    @pytest.mark.parametrize("mark", ["机密★1年", "秘密 ★", "绝密★", "（此件不公开）", "内部资料"])
    def test_marks_on_a_published_document_are_errors(self, tmp_path, mark):
        [problem] = privacy.check_document(one_doc(tmp_path, f"正文。\n\n{mark}\n"))
        assert problem.severity == "error" and "主动公开" in problem.message

    @pytest.mark.parametrize("text", ["宗教内部资料性出版物的管理", "明确标识“此件不公开”等属性", "保守国家秘密"])
    def test_ordinary_words_are_not_marks(self, tmp_path, text):
        assert messages(one_doc(tmp_path, text + "\n")) == []

    def test_mark_in_title(self, tmp_path):
        [problem] = privacy.check_document(one_doc(tmp_path, title="机密★关于做好政务公开工作的通知"))
        assert problem.field == "title"


def test_identifiers_of_the_document_itself_are_not_personal_information(tmp_path):
    doc = one_doc(tmp_path, index_no="000000001/2021-00001", doc_no=f"示政发〔2021〕{CARD_OK}号")
    assert privacy.check_document(doc) == []


def test_a_build_with_a_mobile_number_warns_and_fails_only_in_strict_mode(make_project):
    project = make_project()
    path = project.content / "documents" / "2021" / "guanxian-2021-9.md"
    path.write_text(path.read_text(encoding="utf-8") + f"\n联系人手机：{MOBILE}\n", encoding="utf-8")
    relaxed = project.build()
    assert relaxed.ok, relaxed.output
    assert "139****5678" in relaxed.output and MOBILE not in relaxed.output
    strict = project.build("--strict")
    assert not strict.ok and "严格模式（--strict）下有" in strict.output


def test_a_build_with_an_id_number_fails_and_keeps_the_previous_site(make_project):
    project = make_project()
    assert project.build().ok
    before = sorted(p.relative_to(project.site) for p in project.site.rglob("*"))
    path = project.content / "documents" / "2021" / "guanxian-2021-9.md"
    path.write_text(path.read_text(encoding="utf-8") + f"\n申请人：{ID_VALID}\n", encoding="utf-8")
    result = project.build()
    assert not result.ok
    assert "guanxian-2021-9.md" in result.output and "疑似居民身份证号码" in result.output
    assert ID_VALID not in result.output
    assert sorted(p.relative_to(project.site) for p in project.site.rglob("*")) == before


# --- ID numbers as clerks type them -------------------------------------------------

PROVINCES = ["11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37", "41", "42",
             "43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64", "65", "71", "81", "82"]
SEPARATORS = [" ", "  ", "-", " - ", "\u3000", "－", "—", "\u00a0"]
WIDE = {**{str(i): chr(0xFF10 + i) for i in range(10)}, "X": "Ｘ"}
BEFORE = ["身份证号：", "公民身份号码 ", "当事人张某（", "", "证件号码\n"]
AFTER = ["。", "）", "，住址示例县城关镇", "", "\n第二行"]


def masked(number: str) -> str:
    return number[:4] + "*" * (len(number) - 8) + number[-4:]


def ids(text: str) -> list[tuple[str, str]]:
    return [(kind, shown) for _, kind, shown, _ in privacy.scan_text(text)]


@st.composite
def id_numbers_18(draw) -> str:
    born = draw(st.dates(dt.date(1900, 1, 1), dt.date.today()))
    first17 = f"{draw(st.sampled_from(PROVINCES))}{draw(st.integers(0, 9999)):04d}{born:%Y%m%d}{draw(st.integers(0, 999)):03d}"
    return with_check(first17)


def with_check(first17: str) -> str:
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    return first17 + "10X98765432"[sum(int(d) * w for d, w in zip(first17, weights)) % 11]


@st.composite
def typed(draw, number: str, mixed_separators: bool = True) -> str:
    """``number`` grouped as a clerk might (groups of 3+ digits, the last maybe shorter), maybe full-width."""
    sizes, left = [], len(number)
    while left:
        sizes.append(draw(st.integers(min(3, left), left)))
        left -= sizes[-1]
    one = draw(st.sampled_from(SEPARATORS))
    parts, at = [], 0
    for size in sizes:
        parts.append(number[at:at + size])
        at += size
    text = parts[0]
    for part in parts[1:]:
        text += (draw(st.sampled_from(SEPARATORS)) if mixed_separators else one) + part
    if draw(st.booleans()):
        text = "".join(WIDE.get(c, c) if draw(st.booleans()) else c for c in text)
    return text


class TestIdNumbersAsTyped:
    @settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(data=st.data(), number=id_numbers_18())
    def test_any_valid_18_digit_number_in_any_grouping_or_width_is_caught(self, data, number):
        text = data.draw(st.sampled_from(BEFORE)) + data.draw(typed(number)) + data.draw(st.sampled_from(AFTER))
        assert ids(text) == [("id", masked(number))]

    @settings(max_examples=200, deadline=None)
    @given(data=st.data(), born=st.dates(dt.date(1900, 1, 1), dt.date(1999, 12, 31)),
           province=st.sampled_from(PROVINCES), area=st.integers(0, 9999), seq=st.integers(0, 999))
    def test_any_valid_15_digit_number_whole_or_6_6_3_is_caught(self, data, born, province, area, seq):
        number = f"{province}{area:04d}{born:%y%m%d}{seq:03d}"
        sep = data.draw(st.sampled_from(["", *SEPARATORS]))
        text = number[:6] + sep + number[6:12] + sep + number[12:]
        if data.draw(st.booleans()):
            text = "".join(WIDE.get(c, c) for c in text)
        assert ids("申请人身份证" + text + "。") == [("id15", masked(number))]

    @pytest.mark.parametrize("text", [
        "370102 19900307 1238", "370102-19900307-1238", "3701 0219 9003 0712 38", "370 102 199 003 071 238",
        "３７０１０２１９９００３０７１２３８", "３７０１０２　１９９００３０７　１２３８", "370102－19900307－1238",
        "370102 19900307-1238", "身份证：370102199003071238；电话：13912345678",
    ])
    def test_examples(self, text):
        assert ("id", "3701**********1238") in ids(text)

    def test_x_check_digit_full_width(self):
        number = next(n for n in (with_check(f"11010519491231{i:03d}") for i in range(1000)) if n.endswith("X"))
        assert ids(number[:6] + " " + number[6:14] + " " + number[14:17] + "ｘ") == [("id", masked(number))]

    @pytest.mark.parametrize("text", [
        "370102199003071238123",            # glued to more digits: not an ID number
        "370102199003071238abc",            # glued to letters: a code
        "37 01 02 1990 03 07 123 8",        # groups of 1–2 digits: a table row, not a clerk's grouping
        "990102199003071238",               # 99 is no province
        with_check("37010221990307123"),    # born in the future
        "370102901307123",                  # 15 digits: month 13
        "370102 9003 07123",                # 15 digits grouped other than 6-6-3
        "营业执照注册号：370102900307123",   # a registration number, named
    ])
    def test_near_misses_are_not_id_numbers(self, text):
        assert [k for k, _ in ids(text) if k.startswith("id")] == []


# Things that are not ID numbers and must never be taken for one, however combined.
DOC_NOS = st.builds("{}〔{}〕{}号".format, st.sampled_from(["冠政办发", "示政规", "国发", "鲁政字", "示市监罚"]),
                    st.integers(1949, 2099), st.integers(1, 999))
DATES = st.builds(lambda d, f: d.strftime(f), st.dates(dt.date(1900, 1, 1), dt.date(2099, 12, 31)),
                  st.sampled_from(["%Y-%m-%d", "%Y年%m月%d日", "%Y.%m.%d", "%Y%m%d", "%Y/%m/%d %H:%M", "%Y-%m-%d至%Y-%m-%d"]))
LANDLINES = st.builds("0{}-{}{}".format, st.integers(10, 999), st.integers(2_000_000, 99_999_999),
                      st.sampled_from(["", "-801", "转8001"]))
MOBILES = st.builds("1{}{:09d}".format, st.integers(3, 9), st.integers(0, 999_999_999))
ARTICLES = st.builds("第{}条第{}款第{}项".format, st.integers(1, 300), st.integers(1, 9), st.integers(1, 9))
AMOUNTS = st.one_of(st.builds("{:,.2f}元".format, st.floats(0, 1e12, allow_nan=False)),
                    st.builds("{}万元".format, st.integers(0, 10 ** 12)))
INDEX_NOS = st.one_of(
    st.builds("000000001/{}-{:05d}".format, st.integers(2000, 2099), st.integers(1, 99999)),
    st.builds("74829769-2-/{}-{:07d}".format, st.integers(2000, 2099), st.integers(1, 9_999_999)),
    st.builds("113715250044422281/{}-{:08d}".format, st.integers(2000, 2099), st.integers(1, 99_999_999)),
    st.builds("11120000MB1950318T/{}-{:05d}".format, st.integers(2000, 2099), st.integers(1, 99999)))
NOT_IDS = st.one_of(DOC_NOS, DATES, LANDLINES, MOBILES, ARTICLES, AMOUNTS, INDEX_NOS)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(NOT_IDS, st.sampled_from(["，", "、", "；", "\n", "。", "（", "）"])), min_size=1, max_size=12))
def test_doc_numbers_dates_phones_articles_amounts_and_index_numbers_are_never_id_numbers(tokens):
    text = "".join(token + joiner for token, joiner in tokens)
    assert [k for k, _ in ids(text) if k.startswith("id")] == []


@pytest.mark.parametrize("text", [
    "自然人 12 3 0 0 1 0 16 1 0 0 0 0 0 1 0",                       # an annual-report table row as a PDF extracts it
    "张某 2021-06-28 0635-5123456 1,200.00 2021-07-01 0635-5123457",   # a register's row
    "2019-01-01 2019-12-31 2020-01-01 2020-12-31",                   # date columns
    "0635-5123456 0635-5123457 0635-5123458",                        # a phone list
    "6355 465107 272843 17135599 57893 818100 931010 878 67 2 49",   # 818100 931010 878: 6-6-3 inside a row
    "统一社会信用代码：91371525MA3C8K2X1Q；邮编 252500",
])
def test_rows_of_numbers_joined_by_spaces_are_not_id_numbers(text):
    assert [k for k, _ in ids(text) if k.startswith("id")] == []


def test_the_real_corpus_has_no_finding_at_all():
    """2,466 laws and regulations: full text, front matter included, every kind of finding."""
    files = sorted(Path(CORPUS).glob("lrb-*.md"))
    assert len(files) == 2466
    findings = [(f.name, kind) for f in files for _, kind, _, _ in privacy.scan_text(f.read_text(encoding="utf-8"))]
    assert findings == []


# --- hand-written pages, editors' data, attachments -----------------------------------

def test_a_hand_written_page_names_its_line_and_may_list_its_own_public_numbers(tmp_path):
    docs = tmp_path / "content"
    (docs / "zfxxgkzn").mkdir(parents=True)
    (docs / "zfxxgkzn" / "index.md").write_text(
        "---\ntitle: 指南\n可公开号码: [13800001111]\n---\n\n咨询电话：13800001111\n\n"
        f"经办人身份证：{ID_18[:6]} {ID_18[6:14]} {ID_18[14:]}\n", encoding="utf-8")
    [problem] = privacy.check_page(docs, "zfxxgkzn/index.md", frozenset({"可公开号码", "public_numbers"}))
    assert problem.format().startswith("错误 content/zfxxgkzn/index.md:8: 页面中有疑似居民身份证号码")
    assert "3701**********1238" in problem.message and ID_18 not in problem.format()


def test_a_page_that_is_not_utf8_is_an_error_not_a_traceback(tmp_path):
    (tmp_path / "content").mkdir()
    (tmp_path / "content" / "gbk.md").write_bytes("身份证".encode("gbk"))
    [problem] = privacy.check_page(tmp_path / "content", "gbk.md")
    assert "UTF-8" in problem.message


def test_every_string_of_a_data_file_is_scanned_at_its_key_line(tmp_path):
    docs = tmp_path / "content"
    (docs / "zdxzjc").mkdir(parents=True)
    (docs / "zdxzjc" / "2023.yml").write_text(
        "发布日期: 2023-01-30\n事项:\n  - 事项名称: 甲\n    承办单位: 示例县民政局\n"
        f"  - 事项名称: 乙\n    承办单位: 联系人 {ID_15}\n    备注:\n      - 第一条\n      - 电话 13912345678\n",
        encoding="utf-8")
    problems = privacy.check_data_file(docs, "zdxzjc/2023.yml")
    assert [(p.line, p.field, p.severity) for p in problems] == [(6, "承办单位", "error"), (7, "备注", "warning")]
    assert "3701*******7123" in problems[0].message


def test_attachments_of_a_document_honour_its_public_numbers(tmp_path):
    doc = one_doc(tmp_path, public_numbers="[13912345678]", attachments="[{file: fj/a.xlsx}]")
    make_xlsx(_mkdir(tmp_path / "content/documents/fj") / "a.xlsx", {"名单": {"A1": "13912345678", "B2": ID_18}})
    [problem] = privacy.check_attachments([doc], tmp_path / "content")
    assert problem.file == "content/documents/fj/a.xlsx"
    assert "附件（名单!B2）中有疑似居民身份证号码（校验位有效） 3701**********1238（附件所属文件：content/documents/a.md）" in problem.message


def _mkdir(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    return path


def test_a_published_file_that_no_document_lists_is_scanned_too(tmp_path):
    docs = _mkdir(tmp_path / "content" / "files")
    make_docx(docs / "b.docx", ["名单", f"王某 {ID_18}"])
    [problem] = privacy.check_attachments([], tmp_path / "content", ["files/b.docx"])
    assert problem.format() == (f"错误 content/files/b.docx: 附件（第 2 段）中有疑似居民身份证号码（校验位有效） 3701**********1238"
                                f"；已发布的附件不得公开个人信息{privacy._WAIVER}")


# --- real builds -------------------------------------------------------------------

DOC = "documents/2023/shixian-2023-00008.md"


def attach(project, doc: str, file: str, title: str) -> None:
    path = project.content / doc
    text = path.read_text(encoding="utf-8")
    if "\nattachments:\n" in text:
        text = text.replace("\nattachments:\n", f"\nattachments:\n  - {{file: {file}, title: {title}}}\n", 1)
    else:
        text = text.replace("\n---\n", f"\nattachments:\n  - {{file: {file}, title: {title}}}\n---\n", 1)
    path.write_text(text, encoding="utf-8")


def test_a_penalty_decision_pdf_with_an_id_number_fails_the_build(make_project, browser):
    project = make_project()
    penalty_pdf(browser, project.content / "documents/2023/fujian/cfjds.pdf", f"当事人公民身份号码：{ID_18}。")
    attach(project, DOC, "fujian/cfjds.pdf", "行政处罚决定书")
    result = project.build()
    assert not result.ok
    assert ("错误 content/documents/2023/fujian/cfjds.pdf: 附件（第 2 页）中有疑似居民身份证号码（校验位有效） 3701**********1238"
            f"（附件所属文件：content/{DOC}）") in result.output
    assert ID_18 not in result.output
    assert not project.site.exists()


def test_word_and_excel_attachments_with_personal_information_fail_the_build(make_project):
    project = make_project()
    fj = project.content / "documents/2023/fujian"
    make_docx(fj / "md.docx", ["处罚对象名单", f"李某，身份证 {ID_18[:6]}-{ID_18[6:14]}-{ID_18[14:]}"])
    make_xlsx(fj / "md.xlsx", {"Sheet1": {"A1": "姓名", "B3": ID_15}})
    attach(project, DOC, "fujian/md.docx", "名单")
    attach(project, DOC, "fujian/md.xlsx", "名单表")
    result = project.build()
    assert not result.ok
    assert "错误 content/documents/2023/fujian/md.docx: 附件（第 2 段）中有疑似居民身份证号码（校验位有效） 3701**********1238" in result.output
    assert "错误 content/documents/2023/fujian/md.xlsx: 附件（Sheet1!B3）中有疑似居民身份证号码（15 位第一代" in result.output
    assert ID_18 not in result.output and ID_15 not in result.output


def test_a_hand_written_page_and_the_editors_data_with_id_numbers_fail_the_build(make_project):
    project = make_project()
    guide = project.content / "zfxxgkzn/index.md"
    guide.write_text(guide.read_text(encoding="utf-8") + "\n经办人：３７０１０２　１９９００３０７　１２３８\n", encoding="utf-8")
    guide_line = guide.read_text(encoding="utf-8").count("\n")
    catalogue = project.content / "zdxzjc/2023.yml"
    lines = catalogue.read_text(encoding="utf-8").split("\n")
    unit_line = next(i for i, line in enumerate(lines, 1) if "承办单位: 示例县民政局" in line)
    lines[unit_line - 1] += f"（联系人身份证 {ID_15}）"
    catalogue.write_text("\n".join(lines), encoding="utf-8")
    report = project.content / "zfxxgknb/2023.yml"
    lines = report.read_text(encoding="utf-8").split("\n")
    apply_line = next(i for i, line in enumerate(lines, 1) if line.startswith("  依申请公开:"))
    lines[apply_line - 1] += f"申请人 {ID_18} 的申请已办结。"
    report.write_text("\n".join(lines), encoding="utf-8")
    result = project.build()
    assert not result.ok
    assert f"错误 content/zfxxgkzn/index.md:{guide_line}: 页面中有疑似居民身份证号码（校验位有效） 3701**********1238" in result.output
    assert f"错误 content/zdxzjc/2023.yml:{unit_line}: [承办单位] 数据中有疑似居民身份证号码（15 位" in result.output
    assert f"错误 content/zfxxgknb/2023.yml:{apply_line}: [依申请公开] 数据中有疑似居民身份证号码（校验位有效） 3701**********1238" \
        in result.output
    assert ID_18 not in result.output and ID_15 not in result.output


def test_withheld_documents_attachments_are_not_published_so_not_reported(make_project, browser):
    project = make_project()
    withheld = next(p for p in (project.content / "documents").rglob("*.md")
                    if re.search(r"^(attribute|公开属性): *(依申请公开|不予公开)", p.read_text(encoding="utf-8"), re.M))
    penalty_pdf(browser, withheld.parent / "withheld-cfjds.pdf", f"当事人公民身份号码：{ID_18}。")
    attach(project, withheld.relative_to(project.content).as_posix(), "withheld-cfjds.pdf", "处罚决定书")
    result = project.build("--strict")
    assert result.ok, result.output[-3000:]
    assert "withheld-cfjds.pdf" not in result.output and not list(project.site.rglob("withheld-cfjds.pdf"))
