"""Personal information and classification marks in published documents (条例 art.14–15)."""
from __future__ import annotations

import pytest

from _safety_helpers import one_doc
from zfxxgk import privacy

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

    def test_luhn_invalid_is_not_flagged(self):
        assert list(privacy.scan_text("流水号 6222021234567890127")) == []

    @pytest.mark.parametrize("digits", ["622202123456789", "62220212345678901234"])
    def test_outside_16_to_19_digits_is_not_flagged(self, digits):
        assert [k for _, k, _, _ in privacy.scan_text(digits)] == []


class TestPhones:
    def test_mobile_is_a_warning_and_masked(self, tmp_path):
        [problem] = privacy.check_document(one_doc(tmp_path, f"联系人：张三，{MOBILE}\n"))
        assert problem.severity == "warning" and "139****5678" in problem.message and MOBILE not in problem.message

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
