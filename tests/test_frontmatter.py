"""Front matter (hooks/zfxxgk/intake/frontmatter.py): the parse memo that lets a second load of
unchanged documents skip YAML, and never gives anything but what parsing gives."""
from __future__ import annotations

from pathlib import Path

import msgspec

from conftest import ROOT
from zfxxgk.catalog import terms as catalogue
from zfxxgk.intake.documents import load_corpus
from zfxxgk.intake.frontmatter import MEMO_DIR, ParseMemo, split

CAT = catalogue.load(ROOT / "catalog")

DOC = """---
title: 示例县人民政府关于{n}号事项的通知
index_no: 000000001/2024-{n:05d}
publisher: 示例县人民政府
category: 综合政务/政务公开
column: 法定主动公开内容/法规文件/其他文件
published: 2024-03-{n:02d}
attribute: 主动公开
keywords: [政务公开, 第{n}号]
tags: [政务公开]
---

正文。
"""


def project(tmp_path: Path, count: int = 3) -> Path:
    docs = tmp_path / "content" / "documents"
    docs.mkdir(parents=True)
    for n in range(1, count + 1):
        (docs / f"d{n}.md").write_text(DOC.format(n=n), encoding="utf-8")
    return tmp_path


def shown(tmp_path: Path) -> list[tuple]:
    corpus = load_corpus(tmp_path / "content", CAT, tmp_path)
    assert not corpus.problems
    return [(d.src, d.title, d.index_no, d.published, d.keywords) for d in corpus.documents]


def memo_file(tmp_path: Path) -> Path:
    return tmp_path / ".cache" / MEMO_DIR / "memo.msgpack"


def test_a_second_load_reads_unchanged_front_matter_from_the_memo(tmp_path):
    root = project(tmp_path)
    first = shown(root)
    version, blocks = msgspec.msgpack.decode(memo_file(root).read_bytes())
    assert len(blocks) == 3
    assert shown(root) == first
    # What the memo holds for a block is what a load gives for it: a planted title shows.
    for key, data in blocks.items():
        entries = msgspec.msgpack.decode(data)
        if "第2号" in str(entries):
            blocks[key] = msgspec.msgpack.encode([[k, "来自备忘的标题" if k == "title" else v, line]
                                                  for k, v, line in entries])
    memo_file(root).write_bytes(msgspec.msgpack.encode((version, blocks)))
    assert sorted(t for _, t, *_ in shown(root)) == sorted(["示例县人民政府关于1号事项的通知", "来自备忘的标题",
                                                            "示例县人民政府关于3号事项的通知"])


def test_a_memo_of_another_parser_or_a_damaged_one_is_not_read(tmp_path):
    root = project(tmp_path)
    first = shown(root)
    version, blocks = msgspec.msgpack.decode(memo_file(root).read_bytes())
    planted = {k: msgspec.msgpack.encode([["title", "来自旧解析器", 2]]) for k in blocks}
    memo_file(root).write_bytes(msgspec.msgpack.encode(("another parser", planted)))
    assert shown(root) == first
    memo_file(root).write_bytes(memo_file(root).read_bytes()[:-9])
    assert shown(root) == first
    assert len(msgspec.msgpack.decode(memo_file(root).read_bytes())[1]) == 3    # written anew


def test_only_values_that_come_back_alike_are_kept(tmp_path):
    """A YAML set would come back from msgpack as a list, so that block is parsed every time;
    booleans stay booleans and numbers numbers."""
    memo = ParseMemo(tmp_path / "memo")
    text = "---\ntitle: 甲\nflags: [true, 1, 1.5, null]\n---\n正文\n"
    raw, problems = split("a.md", text.encode("utf-8"), memo)
    assert not problems and len(memo.new) == 1
    again, _ = split("a.md", text.encode("utf-8"), memo)
    assert [(e.key, e.value, e.line) for e in again.entries] == [("title", "甲", 2), ("flags", [True, 1, 1.5, None], 3)]
    assert [type(v) for v in again.entries[1].value] == [bool, int, float, type(None)]
    odd = "---\ntitle: 乙\nset: !!set {a, b}\n---\n正文\n"
    raw, problems = split("b.md", odd.encode("utf-8"), memo)
    assert raw.entries[1].value == {"a", "b"} and len(memo.new) == 1


def test_the_front_matter_ends_at_the_first_fence_line_and_the_body_starts_after_it():
    """A fence may carry trailing blanks, ``...`` closes too, a later --- belongs to the body, and a
    closing fence on the last line leaves an empty body; body_line counts from 1."""
    raw, problems = split("a.md", "---  \r\ntitle: 甲\r\n...\r\n\r\n正文\r\n---\r\n尾".encode())
    assert not problems and [(e.key, e.value) for e in raw.entries] == [("title", "甲")]
    assert (raw.body, raw.body_line) == ("\n正文\n---\n尾", 4)
    raw, problems = split("b.md", "---\ntitle: 乙\n---\t".encode())
    assert not problems and (raw.body, raw.body_line) == ("", 4)
    raw, problems = split("c.md", "---\n---\n正文".encode())
    assert (raw.body, raw.body_line) == ("正文", 3) and [e.key for e in raw.entries] == []
    assert split("d.md", "---\ntitle: 丁\n正文".encode())[0] is None         # never closed
    assert split("e.md", "title: 戊\n---\n".encode())[0] is None             # never opened
