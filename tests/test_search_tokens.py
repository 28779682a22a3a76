"""The search tokenizer and the normalised 文号/索引号 keys (hooks/zfxxgk/search_tokens.py),
and their JavaScript mirror (overrides/assets/javascripts/zf-search-core.js)."""
from __future__ import annotations

import json
import shutil
import subprocess

import pytest
from hypothesis import given, settings, strategies as st

from conftest import ROOT
from zfxxgk.outputs.search_index import Tokenizer
from zfxxgk.outputs.search_tokens import (exact_key, fold, pinyin_tokens, plain, readings, shard_of, syllables, t2s_table,
                                  token_set, tokens, typo_keys)

CORE_JS = ROOT / "overrides" / "assets" / "javascripts" / "zf-search-core.js"

TRICKY = [
    "冠政办发〔2021〕9号", "冠政办发[2021]9号", "冠政办发2021年9号", "冠政办发（２０２１）０９号",
    "国办发﹝2019﹞54号", "津规资办发【2020】253号", "000014348/2017-06603", "11120000MB1950318T/2020-00253",
    "QE5320000-2023-01", "ＡＢＣ１２３abc 中 国人x民", "政务公开工作要点", "a中b", "第1条", "二〇二一年",
    "𠀀𠀁字", "GB/T 9704-2012《党政机关公文格式》", "“放管服”改革", "Ｅ-mail：ｚｆｘｘｇｋ＠ｅｘａｍｐｌｅ．ｇｏｖ．ｃｎ",
    "丽水市第三届人民代表大会常务委员会公告第1号", "  ", "", "ÉCOLE 北京 İstanbul", "\u3000全角空格\u3000",
    "豈更車賈滑", "一", "第十二条　县级以上人民政府", "mixed中文123and英文ABC",
    "政務公開", "國辦發〔2019〕54號", "臨時救助辦法", "乾隆年間的乾燥氣候", "後來麵包髮型",
]


def test_han_runs_become_overlapping_bigrams():
    assert tokens("政务公开") == ["政务", "务公", "公开"]


def test_a_lone_han_character_is_its_own_token():
    assert tokens("第1条") == ["第", "1", "条"]


def test_latin_and_digits_are_words_folded_to_ascii_lower_case():
    assert tokens("ＡＢｃ１２ GB/T 9704") == ["abc12", "gb", "t", "9704"]


def test_punctuation_and_brackets_only_separate():
    assert tokens("冠政办发〔2021〕9号") == ["冠政", "政办", "办发", "2021", "9", "号"]


def test_characters_outside_the_basic_plane_count_as_one():
    assert tokens("𠀀𠀁字") == ["𠀀𠀁", "𠀁字"]


def test_fold_changes_only_latin_letters_and_digits():
    assert fold("ＡＢ１Z（ÉCOLE）") == "ab1z（École）"


@pytest.mark.parametrize("typed", ["冠政办发〔2021〕9号", "冠政办发[2021]9号", "冠政办发2021年9号",
                                   "冠政办发（２０２１）０９号", "冠政办发 2021 9 号", "冠政办发【2021】第9号",
                                   "冠政办发(2021)9"])
def test_every_typing_of_a_doc_number_gives_one_key(typed):
    assert exact_key(typed) == "冠政办发2021-9"


def test_different_doc_numbers_keep_different_keys():
    assert exact_key("冠政办发〔2021〕9号") != exact_key("冠政办发〔2021〕19号")
    assert exact_key("冠政办发〔2021〕9号") != exact_key("冠政发〔2021〕9号")


@pytest.mark.parametrize("typed", ["000014348/2017-06603", "000014348-2017-06603", " 000014348 / 2017 - 06603 "])
def test_index_numbers_ignore_separators_and_spaces(typed):
    assert exact_key(typed) == exact_key("000014348/2017-06603")


def test_numbers_without_a_year_drop_leading_zeros_and_the_ordinal():
    assert exact_key("丽水市第三届人民代表大会常务委员会公告第1号") == exact_key("丽水市第三届人民代表大会常务委员会公告01")


def test_shards_spread_tokens():
    assert {shard_of(t, 16) for t in tokens("中华人民共和国政府信息公开条例")} != {shard_of("中华", 16)}


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("政务公开〔〕[]（）()年号第 \u3000aZ0９Ｚｚ-/.𠀀〇一、，\n")), max_size=40))
def test_the_fast_token_set_equals_the_reference(text):
    assert token_set(text) == set(tokens(text))


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("政务公开〔〕年号 aZ0９Ｚｚ-𠀀〇一，\n")), max_size=40))
def test_the_vectorised_index_tokenizer_equals_the_reference(text):
    tokenizer = Tokenizer()
    codes, _ = tokenizer.first_chunks(text)
    assert {tokenizer.token(int(c)) for c in codes} == set(tokens(text))


def _node(expr: str, strings: list) -> list:
    """``expr`` over each input ``s`` in Node, with the whole traditional → simplified table loaded."""
    node = shutil.which("node")
    if node is None:
        pytest.fail("node is missing: apt-get install -y nodejs")
    script = f"const Z = require({json.dumps(str(CORE_JS))});" \
             f"Z.addFolds({json.dumps(t2s_table(), ensure_ascii=False)});" \
             f"const input = JSON.parse(require('fs').readFileSync(0, 'utf8'));" \
             f"process.stdout.write(JSON.stringify(input.map(s => {expr})));"
    out = subprocess.run([node, "-e", script], input=json.dumps(strings), capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


def test_javascript_tokens_match_python_on_tricky_strings():
    assert _node("Z.tokens(Z.fold(s))", TRICKY) == [tokens(fold(s)) for s in TRICKY]


def test_javascript_fold_matches_python_on_tricky_strings():
    assert _node("Z.fold(s)", TRICKY) == [fold(s) for s in TRICKY]


# --- tolerance ----------------------------------------------------------------------
def test_traditional_characters_fold_to_simplified_one_for_one():
    assert fold("政務公開") == "政务公开"
    assert fold("國辦發〔2019〕54號") == "国办发〔2019〕54号"
    assert exact_key("國辦發〔2019〕54號") == exact_key("国办发〔2019〕54号")
    table = t2s_table()
    assert len(table) > 3000 and all(len(t) == len(s) == 1 and ord(s) <= 0xFFFF for t, s in table.items())


def test_titles_and_keywords_get_pinyin_syllable_bigrams_and_initials():
    found = pinyin_tokens("政务公开")
    assert {"~zhengwu", "~wugong", "~gongkai", "^zwgk"} <= found
    assert "^db" in pinyin_tokens("低保")
    assert {"~chongqing", "~zhongqing"} <= pinyin_tokens("重庆")   # both readings of a polyphonic character
    assert readings("行")[:2] == ("xing", "hang")


def test_typo_keys_are_shared_one_character_or_one_syllable_apart():
    assert "临时助" in typo_keys("临时求助") & typo_keys("临时救助")
    assert "~zhengwugong" in typo_keys("政务公开")
    assert "~zhengwugong" in _node("Z.typoKeys(s)", ["zhengwugongkao"])[0]


@pytest.mark.parametrize("text", ["政务公开", "最低生活保障", "临时救助", "重庆市绿色出行", "冠县人民政府办公室",
                                  "女儿", "长安街", "西安", "方案"])
def test_typed_pinyin_gives_the_tokens_the_index_holds(text):
    """What a citizen types (pypinyin's most common reading, no spaces) becomes tokens that the
    index's pinyin_tokens of the text contains: syllable bigrams or initials."""
    typed = "".join(readings(c)[0] for c in text)
    initials = "".join(readings(c)[0][0] for c in text)
    alternatives = _node("Z.pinyinAlternatives(s)", [typed, initials])
    indexed = pinyin_tokens(text)
    assert any(set(alt["tokens"]) <= indexed for alt in alternatives[0]), alternatives[0]
    assert set(alternatives[1][-1]["tokens"]) <= indexed


def test_javascript_knows_every_syllable_pypinyin_knows():
    assert _node("Z.syllables(s)", ["zhuang"]) == [["zhuang"]]
    known = _node("Z.syllables(s) && Z.syllables(s).length === 1", syllables())
    assert all(known)


def test_javascript_exact_keys_match_python_on_tricky_strings():
    assert _node("Z.exactKey(s)", TRICKY) == [exact_key(s) for s in TRICKY]


def test_completions_match_on_folded_letters_digits_and_han_only():
    assert plain("《示例縣臨時救助辦法》（２０２１年修订）") == "示例县临时救助办法2021年修订"
    assert _node("Z.plain(s)", TRICKY) == [plain(s) for s in TRICKY]


def test_javascript_shards_match_python():
    toks = sorted({t for s in TRICKY for t in tokens(s)} | {exact_key(s) for s in TRICKY})
    assert _node("Z.shardOf(s, 1024)", toks) == [shard_of(t, 1024) for t in toks]
