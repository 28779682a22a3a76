"""The static search index (hooks/zfxxgk/search_index.py, hooks/search.py): what the build
writes, what it must never contain, and how well the browser's engine ranks over it."""
from __future__ import annotations

import json
import zlib
from pathlib import Path

import pytest

from bench.search_bench import node_queries, page_text
from zfxxgk.outputs.search_tokens import exact_key, shard_of

# The withheld example documents (依申请公开 and 不予公开): their titles, numbers and a
# phrase only their bodies contain.
WITHHELD = ["冠县人民政府办公室关于申请追加政务公开体验区运营经费的请示", "冠政办呈〔2021〕12号",
            "113715250044422281/2021-26757202", "政务公开体验区全年运营经费18.6万元",
            "冠县人民政府办公室关于同意县行政审批服务局延长政府信息公开查阅点开放时间的复函",
            "冠政办函〔2021〕47号", "113715250044422281/2021-26757181", "每周六上午增设开放时段"]


@pytest.fixture(scope="module")
def data(example_site) -> Path:
    return example_site.site / "search" / "data"


@pytest.fixture(scope="module")
def meta(data) -> dict:
    return json.loads((data / "meta.json").read_text(encoding="utf-8"))


def rows(data: Path) -> list[list]:
    out = []
    for n in range(len(list((data / "r").glob("*.json")))):
        out += json.loads((data / "r" / f"{n}.json").read_text(encoding="utf-8"))
    return out


def test_the_build_writes_the_search_page_and_its_index(example_site, data):
    page = (example_site.site / "search" / "index.html").read_text(encoding="utf-8")
    assert 'id="zf-search"' in page and "zf-search-core.js" in page
    assert (data / "meta.json").is_file() and list((data / "b").glob("*.json")) and list((data / "r").glob("*.json"))


def test_withheld_documents_are_absent_from_every_index_file(data):
    for path in sorted(data.rglob("*")):
        if path.is_file():
            text = path.read_text(encoding="utf-8")
            for needle in WITHHELD:
                assert needle not in text, f"{needle} in {path}"


def test_withheld_documents_have_no_exact_key_and_no_row(data, meta):
    for number in ("冠政办呈〔2021〕12号", "冠政办函〔2021〕47号", "113715250044422281/2021-26757202"):
        key = exact_key(number)
        shard = data / "k" / f"{shard_of(key, meta['shards']['k'])}.json"
        assert not shard.exists() or key not in json.loads(shard.read_text(encoding="utf-8"))
    titles = {r[0] for r in rows(data)}
    assert not titles & set(WITHHELD)


def test_every_token_sits_in_the_shard_the_browser_computes(data, meta):
    for path in (data / "b").glob("*.json"):
        for token in json.loads(path.read_text(encoding="utf-8")):
            assert shard_of(token, meta["shards"]["b"]) == int(path.stem), token


def test_material_search_stays_off(example_site):
    assert not (example_site.site / "search" / "search_index.json").exists()


def test_rows_carry_what_a_result_shows(data, meta):
    by_title = {r[0]: r for r in rows(data)}
    row = by_title["冠县人民政府办公室关于印发2021年冠县政务公开工作要点的通知"]
    assert row[1:5] == ["冠政办发〔2021〕9号", "113715250044422281/2021-26757114", row[3], "2021-06-28"]
    assert row[3].startswith("wj/")
    assert "冠县人民政府办公室" in meta["labels"]["pub"] and "失效" in meta["labels"]["val"]


def test_fixed_pages_are_indexed_after_the_documents(data, meta):
    fixed = rows(data)[meta["docs"]:]
    assert "政府信息公开指南" in {r[0] for r in fixed}
    assert all(r[4] == "" for r in fixed)


def test_exact_key_files_point_at_the_document(data, meta):
    key = exact_key("冠政办发[2021]9号")
    ids = json.loads((data / "k" / f"{shard_of(key, meta['shards']['k'])}.json").read_text(encoding="utf-8"))[key]
    assert [rows(data)[i][0] for i in ids] == ["冠县人民政府办公室关于印发2021年冠县政务公开工作要点的通知"]


def test_the_index_is_deterministic(example_site, tmp_path):
    from zfxxgk.catalog import terms as catalogue
    from zfxxgk.outputs import search_index
    from zfxxgk.intake.documents import load_corpus
    root = example_site.site.parent
    corpus = load_corpus(root / "content", catalogue.load(root / "catalog"), root)
    trees = []
    for run in ("a", "b"):
        search_index.build([search_index.entry_of(d, page_text(d.body)) for d in corpus.published], tmp_path / run)
        base = tmp_path / run / search_index.DATA_DIR
        trees.append({p.relative_to(base): p.read_bytes() for p in sorted(base.rglob("*")) if p.is_file()})
    assert trees[0] == trees[1]


def test_engine_answers_example_queries_in_node(data):
    res = node_queries(data, ["冠政办发2021年9号", "政务公开体验区", "不存在的词语组合甲乙丙"])
    assert res[0]["hits"][0]["title"] == "冠县人民政府办公室关于印发2021年冠县政务公开工作要点的通知"
    assert [h["title"] for h in res[1]["hits"]] == ["冠县人民政府办公室关于印发2021年冠县政务公开工作要点的通知"]
    assert res[2]["total"] == 0


def _example_entries():
    """The example site's published documents as the hook sees them: entries plus each page's sanitized HTML."""
    import markdown as md
    from conftest import ROOT
    from zfxxgk.catalog import terms as catalogue
    from zfxxgk.intake import documents
    from zfxxgk.pages import generated as extras
    from zfxxgk.outputs import search_index
    from zfxxgk.outputs.sanitize import sanitize
    cat = catalogue.load(ROOT / "catalog")
    corpus = documents.load_corpus(ROOT / "content", cat, ROOT)
    extras.load(ROOT / "content", cat, corpus)
    entries = [search_index.entry_of(d) for d in corpus.published]
    entries.append(search_index.Entry("政府信息公开指南", "zfxxgkzn/", ""))
    pages = [(d.url, sanitize(md.markdown(d.body, extensions=["tables"]))[0]) for d in corpus.published]
    return entries, pages + [("zfxxgkzn/", "<p>指南正文</p>"), ("jg/", "<p>不是检索条目的页面</p>")]


def _tree(base: Path) -> dict:
    return {p.relative_to(base): p.read_bytes() for p in sorted(base.rglob("*")) if p.is_file()}


def test_the_background_worker_writes_the_same_index_as_the_build(tmp_path):
    """Large sites index in a second process from the pages' HTML as they are rendered, in any order,
    read from where the build spooled it: the files are byte-identical to the inline build's."""
    from zfxxgk.outputs import search_index
    from zfxxgk.pages.spool import Spool
    entries, pages = _example_entries()
    inline = search_index.Indexer(entries, tmp_path / "a")
    for url, markup in pages:
        inline.add_html(url, markup)
    stats = inline.finish()
    spool = Spool(tmp_path / "spool")
    worker = search_index.Background(entries, str(tmp_path / "b"))
    for url, markup in reversed(pages):
        spool.put(url, markup)
        worker.send(url, spool.slice(url))
    result = worker.result()
    spool.close()
    assert result.digest == stats.digest and result.files == stats.files > 0
    assert _tree(tmp_path / "a") == _tree(tmp_path / "b")


def _memo_build(entries, pages, out, memo):
    from zfxxgk.outputs import search_index
    indexer = search_index.Indexer(entries, out, memo=memo)
    for url, markup in pages:
        indexer.add_html(url, markup)
    return indexer.finish()


def test_pages_kept_from_the_last_build_give_the_same_index(tmp_path):
    """An incremental build takes unchanged pages' tokens and text slices from the last build
    (PageMemo): the files are byte-identical to an index made from scratch, also with one page
    edited, and the slices are the memo's own files, linked."""
    entries, pages = _example_entries()
    first = _memo_build(entries, pages, tmp_path / "first", (None, str(tmp_path / "memo1")))
    records = list((tmp_path / "memo1" / "records").iterdir())
    assert first.reused == 0 and first.patched == -1 and len(records) == len(entries)
    edited = [(url, markup + "<p>补充说明：第二次修改。</p>" if n == 2 else markup) for n, (url, markup) in enumerate(pages)]
    again = _memo_build(entries, edited, tmp_path / "again", (str(tmp_path / "memo1"), str(tmp_path / "memo2")))
    fresh = _memo_build(entries, edited, tmp_path / "fresh", None)
    assert again.reused == len(entries) - 1          # all but the edited page
    assert again.patched == 1                        # its postings patched into the last build's shards
    assert _tree(tmp_path / "again") == _tree(tmp_path / "fresh")
    assert (again.files, again.bytes) == (fresh.files, fresh.bytes)
    assert len(list((tmp_path / "memo2" / "records").iterdir())) == len(entries)   # the next build's memo is whole
    a_slice = tmp_path / "again" / "search" / "data" / "x" / "0" / "0-0.txt"
    assert a_slice.stat().st_nlink == 3              # one file, named in both sites and in the memo
    assert not (tmp_path / "memo1" / "files").exists()   # the memo's files and records moved on, into this build's
    assert not (tmp_path / "memo1" / "records").exists()
    kept = list((tmp_path / "memo2" / "files").iterdir())
    assert kept and all(f.stat().st_nlink >= 2 for f in kept)   # each is in this build's site
    now = {f.read_bytes() for f in (tmp_path / "again").rglob("*") if f.is_file()}
    replaced = [f for f in (tmp_path / "first").rglob("*") if f.is_file() and f.read_bytes() not in now]
    assert replaced and all(f.stat().st_nlink == 1 for f in replaced)   # the last build's only: removed from the memo


def _record_of(memo: Path, entries, pages, n: int) -> Path:
    from zfxxgk.outputs import search_index
    return memo / "records" / search_index.memo_key(entries[n], pages[n][1])


def test_a_damaged_memo_record_or_slice_is_indexed_again(tmp_path):
    """The postings layout vouches for an unchanged page's record, so a damaged record is found when it
    is read: as a changed page's old postings (here page 0, edited; one of its slices was damaged too), then, since that
    page's shards cannot be patched, as every kept page's tokens for a full inversion. Pages 1 and 2 are
    then tokenized again from their text; the index is the same as one made from scratch."""
    entries, pages = _example_entries()
    _memo_build(entries, pages, tmp_path / "first", (None, str(tmp_path / "memo1")))
    records = [_record_of(tmp_path / "memo1", entries, pages, n) for n in range(3)]
    records[0].write_bytes(records[0].read_bytes()[:-7])      # cut short
    data = bytearray(records[1].read_bytes())
    data[len(data) // 2] ^= 0xFF                              # one byte flipped
    records[1].write_bytes(bytes(data))
    records[2].write_bytes(zlib.compress(b"\x93\x01\x02\x03"))  # well-formed, not a record
    first_slice = (tmp_path / "first" / "search" / "data" / "x" / "0" / "0-0.txt").stat().st_ino
    a_slice = next(p for p in (tmp_path / "memo1" / "files").iterdir() if p.stat().st_ino == first_slice)
    a_slice.unlink()                                          # not the first site's file any more
    a_slice.write_text("改过的片段", encoding="utf-8")          # bytes that are not its name
    first_meta = (tmp_path / "first" / "search" / "data" / "meta.json").stat().st_ino
    meta = next(p for p in (tmp_path / "memo1" / "files").iterdir() if p.stat().st_ino == first_meta)
    meta.unlink()
    meta.write_text("{}", encoding="utf-8")                   # so is a file that is no page's slice
    edited = [(url, markup + "<p>补充说明。</p>" if n == 0 else markup) for n, (url, markup) in enumerate(pages)]
    again = _memo_build(entries, edited, tmp_path / "again", (str(tmp_path / "memo1"), str(tmp_path / "memo2")))
    fresh = _memo_build(entries, edited, tmp_path / "fresh", None)
    assert again.reused == len(entries) - 3 and again.patched == -1
    assert _tree(tmp_path / "again") == _tree(tmp_path / "fresh")
    assert (again.files, again.bytes) == (fresh.files, fresh.bytes)
    assert "改过的片段" not in "".join(p.read_text(encoding="utf-8") for p in (tmp_path / "again").rglob("*.txt"))


def test_an_unchanged_page_with_a_damaged_slice_and_record_is_tokenized_again_and_patched(tmp_path):
    """Page 0 is unchanged but its slice and its record are damaged: it is tokenized again from its
    text, its record written anew under the same key (the same inputs: the postings the last shards
    hold for it are the ones it has now), and the shards are patched; the index is the one made from scratch."""
    entries, pages = _example_entries()
    _memo_build(entries, pages, tmp_path / "first", (None, str(tmp_path / "memo1")))
    record = _record_of(tmp_path / "memo1", entries, pages, 0)
    record.write_bytes(record.read_bytes()[:-7])              # cut short
    first_slice = (tmp_path / "first" / "search" / "data" / "x" / "0" / "0-0.txt").stat().st_ino
    a_slice = next(p for p in (tmp_path / "memo1" / "files").iterdir() if p.stat().st_ino == first_slice)
    a_slice.unlink()
    a_slice.write_text("改过的片段", encoding="utf-8")
    again = _memo_build(entries, pages, tmp_path / "again", (str(tmp_path / "memo1"), str(tmp_path / "memo2")))
    fresh = _memo_build(entries, pages, tmp_path / "fresh", None)
    assert again.reused == len(entries) - 1 and again.patched == 1
    assert _tree(tmp_path / "again") == _tree(tmp_path / "fresh")
    assert (again.files, again.bytes) == (fresh.files, fresh.bytes)
    _memo_build(entries, pages, tmp_path / "anew", (None, str(tmp_path / "memo3")))    # a memo made from scratch
    assert _record_of(tmp_path / "memo2", entries, pages, 0).read_bytes() == \
        _record_of(tmp_path / "memo3", entries, pages, 0).read_bytes()
    assert "改过的片段" not in "".join(p.read_text(encoding="utf-8") for p in (tmp_path / "again").rglob("*.txt"))


def _synthetic(n: int, seed: int):
    """``n`` dated documents of words drawn from a small vocabulary (so tokens recur), 公开 in the first
    79: over 30 % of 260 documents, a common token, one document short of not being one."""
    import datetime as dt
    import random
    from zfxxgk.outputs import search_index
    rng = random.Random(seed)
    words = ["政务", "信息", "预算", "决算", "救助", "低保", "教育", "医保", "道路", "水利", "乡村振兴", "Wi-Fi", "2024年"]
    entries, pages = [], []
    for i in range(n):
        title = f"示例县{rng.choice(words)}{rng.choice(words)}通知{i}"
        entries.append(search_index.Entry(title, f"wj/{i}/", "", doc_no=f"示政发〔2024〕{i}号",
                                          date=dt.date(2024, 12, 31) - dt.timedelta(days=i), keywords=[rng.choice(words)]))
        body = "".join(rng.choice(words) for _ in range(rng.randint(5, 40)))
        pages.append((f"wj/{i}/", f"<p>{'公开' if i < 79 else ''}{body}</p>"))
    return entries, pages


def test_postings_of_changed_pages_are_patched_into_the_last_build_s_shards(tmp_path):
    """Edits that keep every page at its id (bodies, titles, keywords) patch the last build's postings
    shards: after each of a seeded series of edits the index is byte-identical to one made from
    scratch, common tokens included (公开 stops being one when one of its 79 pages loses it)."""
    import dataclasses
    import random
    entries, pages = _synthetic(260, seed=7)
    rng = random.Random(11)
    memo, n = None, 0
    for step in range(6):
        out, new_memo = tmp_path / f"s{step}", str(tmp_path / f"memo{step}")
        stats = _memo_build(entries, pages, out, (memo, new_memo))
        fresh = _memo_build(entries, pages, tmp_path / f"f{step}", None)
        assert _tree(out) == _tree(tmp_path / f"f{step}"), step
        assert stats.patched == (-1 if step == 0 else n), step
        meta = json.loads((out / "search/data/meta.json").read_text(encoding="utf-8"))
        assert ("公开" in meta["common"]) == (step <= 1), step
        assert (stats.files, stats.bytes) == (fresh.files, fresh.bytes)
        memo, n = new_memo, 1 + step % 3
        for i in rng.sample(range(8, 260), n - 1) + [5]:   # page 5 loses 公开 in the second edit
            url, markup = pages[i]
            if step == 1 and i == 5:
                markup = markup.replace("公开", "")
            elif step % 2:
                markup = markup.replace("</p>", "教育救助新增条款Zhongguo</p>")
            else:
                entries[i] = dataclasses.replace(entries[i], title=entries[i].title + "（修订）", keywords=["低保"])
            pages[i] = (url, markup)
        if step == 2:       # page 7: a token only its keywords have, then (next step) in its text too:
            entries[7] = dataclasses.replace(entries[7], keywords=["桥梁"])     # same token, another value;
            n += 1
        elif step == 3:     # and 300 characters before its text move every token to a later bucket
            pages[7] = (pages[7][0], pages[7][1].replace("<p>", "<p>桥梁" + "公示" * 150, 1))
            n += 1


def test_new_or_reordered_pages_are_inverted_anew(tmp_path):
    """A page added (all ids after it move) or a date changed (the order changes): the postings are
    inverted from every page's tokens, the same files as from scratch."""
    import dataclasses
    import datetime as dt
    from zfxxgk.outputs import search_index
    entries, pages = _synthetic(60, seed=3)
    _memo_build(entries, pages, tmp_path / "a", (None, str(tmp_path / "m1")))
    entries.insert(0, search_index.Entry("新增的通知", "wj/new/", "", date=dt.date(2025, 1, 1)))
    pages.insert(0, ("wj/new/", "<p>新增文件正文</p>"))
    added = _memo_build(entries, pages, tmp_path / "b", (str(tmp_path / "m1"), str(tmp_path / "m2")))
    assert added.patched == -1 and added.reused == 60
    assert _tree(tmp_path / "b") == _tree(_fresh(entries, pages, tmp_path / "fb"))
    entries[1], entries[2] = dataclasses.replace(entries[2], date=entries[1].date), dataclasses.replace(entries[1], date=entries[2].date)
    pages[1], pages[2] = pages[2], pages[1]
    moved = _memo_build(entries, pages, tmp_path / "c", (str(tmp_path / "m2"), str(tmp_path / "m3")))
    assert moved.patched == -1 and moved.reused == 61
    assert _tree(tmp_path / "c") == _tree(_fresh(entries, pages, tmp_path / "fc"))


def _fresh(entries, pages, out: Path) -> Path:
    _memo_build(entries, pages, out, None)
    return out


def test_a_damaged_shard_of_the_last_build_means_a_full_inversion(tmp_path):
    entries, pages = _synthetic(40, seed=5)
    _memo_build(entries, pages, tmp_path / "a", (None, str(tmp_path / "m1")))
    for shard in (tmp_path / "a/search/data/b").iterdir():
        if shard.read_text(encoding="utf-8") != "{}":
            inode = shard.stat().st_ino
            break
    stored = next(p for p in (tmp_path / "m1/files").iterdir() if p.stat().st_ino == inode)
    stored.unlink()
    stored.write_text('{"假":[1024]}', encoding="utf-8")
    pages[3] = (pages[3][0], pages[3][1].replace("</p>", "补充</p>"))
    again = _memo_build(entries, pages, tmp_path / "b", (str(tmp_path / "m1"), str(tmp_path / "m2")))
    fresh = _memo_build(entries, pages, tmp_path / "f", None)
    assert again.patched == -1
    assert _tree(tmp_path / "b") == _tree(tmp_path / "f")
    assert (again.files, again.bytes) == (fresh.files, fresh.bytes)


def test_a_page_that_never_rendered_is_indexed_by_its_metadata(tmp_path):
    from zfxxgk.outputs import search_index
    entries, _ = _example_entries()
    stats = search_index.Indexer(entries, tmp_path).finish()
    assert stats.entries == len(entries)
    assert node_queries(tmp_path / search_index.DATA_DIR, ["冠政办发〔2021〕9号"])[0]["hits"][0]["title"] == \
        "冠县人民政府办公室关于印发2021年冠县政务公开工作要点的通知"


def test_a_dead_index_worker_gives_no_stats_so_the_build_indexes_inline(tmp_path):
    import os
    import signal
    import time
    from zfxxgk.outputs import search_index
    entries, _ = _example_entries()
    worker = search_index.Background(entries, str(tmp_path))
    deadline = time.monotonic() + 30
    while not worker.worker.pids() and time.monotonic() < deadline:
        time.sleep(0.05)
    for pid in worker.worker.pids():
        os.kill(pid, signal.SIGKILL)
    assert worker.result() is None


NOTE = "内部备注：此段待领导签批后删除"
LEAKY_BODY = f"""
<!-- {NOTE} -->

本通知所称<span class="zf-x">政务公开示范点</span>由县政府办公室认定，办理流程见[办事指南](https://www.example.gov.cn/bszn/)。

<!--
多行备注：联系人电话待核实
-->
"""


def test_the_index_holds_the_published_text_never_comments_or_markup(make_project):
    """Editors' HTML comments stay out of the index (issue 11): the text comes from the sanitized page."""
    project = make_project()
    doc = project.content / "documents" / "2021" / "guanxian-2021-9.md"
    doc.write_text(doc.read_text(encoding="utf-8") + LEAKY_BODY, encoding="utf-8")
    result = project.build("--strict")
    assert result.ok, result.output
    data = result.site / "search" / "data"
    texts = {p: p.read_text(encoding="utf-8") for p in data.rglob("*") if p.is_file()}
    for path, text in texts.items():
        for needle in (NOTE, "内部备注", "联系人电话待核实", "<!--", "-->", "<span", "zf-x", "](", "bszn"):
            assert needle not in text, f"{needle} in {path}"
    slices = "".join(t for p, t in texts.items() if p.suffix == ".txt")
    assert "本通知所称政务公开示范点由县政府办公室认定，办理流程见办事指南。" in slices
    found = node_queries(data, ["政务公开示范点", "待领导签批"])
    assert found[0]["hits"][0]["title"] == "冠县人民政府办公室关于印发2021年冠县政务公开工作要点的通知"
    assert found[1]["total"] == 0


@pytest.mark.parametrize("markup, text", [
    ("<p>甲</p><!-- 备注 --><p>乙</p>", "甲\n乙"),
    ('<p title="a>b">正文<br>第二行</p>', "正文\n第二行"),
    ("<p>一<!-- 未闭合的备注", "一"),
    ("<p>&lt;b&gt;不是标记&lt;/b&gt; &amp; 符号</p>", "＜b＞不是标记＜/b＞ & 符号"),
    ("<td>单元格</td><td>相邻</td>", "单元格\n相邻"),
    ("<p>前<script>alert(1)</script>后</p>", "前\n后"),
])
def test_page_text_is_what_a_reader_sees(markup, text):
    from zfxxgk.outputs.search_index import html_text
    assert html_text(markup) == text


def test_the_relevance_index_sees_rendered_text_like_the_build():
    assert page_text("# 标题\n\n正文<!-- 备注 -->，见[链接](a.md)。\n\n| 甲 | 乙 |\n|---|---|\n| 1 | 2 |") == \
        "标题\n正文，见链接。\n甲\n乙\n1\n2"


def test_every_page_but_the_search_page_loads_the_type_ahead(example_site):
    site = example_site.site
    assert "zf-suggest.js" not in (site / "search" / "index.html").read_text(encoding="utf-8")
    for page in ("index.html", "zfxxgkzn/index.html", "fdzdgknr/index.html"):
        assert "zf-suggest.js" in (site / page).read_text(encoding="utf-8")


# --- catalogue files of the search: synonyms and 公文种类 ------------------------------
@pytest.mark.parametrize("title, kind", [
    ("冠县人民政府办公室关于印发2021年冠县政务公开工作要点的通知", "通知"),
    ("示例县人民政府关于印发《示例县临时救助办法》的通知", "通知"),          # the 办法 inside 《》 does not count
    ("最高人民法院关于人民法院执行工作若干问题的规定（试行）", "规定"),
    ("中华人民共和国海商法", "法"),
    ("关于徐泾镇2023年政务公开工作要点", "要点"),
    ("国务院关于同意设立某某的批复", "批复"),
    ("《示例县临时救助办法》问答", "其他"),
    ("冠县人民政府办公室政务公开工作专题会议纪要（示例）", "纪要"),
])
def test_the_kind_of_a_document_comes_from_its_title(title, kind):
    from zfxxgk.outputs.search_index import doc_kind, load_kinds
    from conftest import ROOT
    kinds, problems = load_kinds(ROOT / "catalog")
    assert not problems and {"通知", "意见", "办法", "批复", "纪要", "函"} <= set(kinds)
    assert doc_kind(title, kinds) == kind


@pytest.mark.parametrize("doc_no, prefix", [("冠政办发〔2021〕9号", "冠政办发"), ("国办发[2019]54号", "国办发"),
                                            ("徐府(2023)32号", "徐府"), ("津规资办发【2020】253号", "津规资办发"),
                                            ("主席令第十二号", ""), ("", "")])
def test_the_issuing_office_code_is_what_precedes_the_year_in_the_doc_number(doc_no, prefix):
    from zfxxgk.outputs.search_index import doc_no_prefix
    assert doc_no_prefix(doc_no) == prefix


@pytest.mark.parametrize("text, message", [
    ("- 低保\n", "第 1 组同义词"),
    ("- [低保]\n", "第 1 组同义词"),
    ("低保: 最低生活保障\n", "同义词表须为列表"),
    ("- [低保, 最低生活保障\n", "YAML 格式错误"),
])
def test_a_bad_synonym_list_is_a_clear_error(tmp_path, text, message):
    from zfxxgk.outputs.search_index import load_synonyms
    (tmp_path / "synonyms.yml").write_text(text, encoding="utf-8")
    groups, problems = load_synonyms(tmp_path)
    assert groups == [] and len(problems) == 1
    line = problems[0].format()
    assert line.startswith("错误 catalog/synonyms.yml") and message in line


def test_a_bad_kinds_list_stops_the_build_with_one_line(make_project):
    project = make_project()
    project.write("catalog/doc_kinds.yml", "通知: 1\n")
    result = project.build()
    assert not result.ok and "Traceback" not in result.output
    assert "错误 catalog/doc_kinds.yml: [doc_kinds] 公文种类表须为文字列表" in result.output


def test_synonyms_and_kinds_reach_the_index(data, meta):
    assert ["低保", "最低生活保障"] in meta["syn"]
    assert "通知" in meta["labels"]["kind"] and "冠政办发" in meta["labels"]["org"]
    assert len(meta["facets"]["kind"]) == len(meta["facets"]["org"]) == len(meta["written"]) == meta["docs"]


# --- type-ahead completions -------------------------------------------------------------------
def _completion_site(tmp_path: Path) -> Path:
    import datetime as dt
    from zfxxgk.outputs.search_index import Entry, build
    keywords = [["临时救助"]] * 3 + [["临时占用"]] * 2 + [[f"临时工作{n}"] for n in range(1, 8)]
    entries = [Entry(f"第{n}号文件", f"wj/{n}/", "正文", date=dt.date(2024, 1, 1), keywords=k)
               for n, k in enumerate(keywords)]
    build(entries, tmp_path)
    return tmp_path / "search" / "data"


def test_completions_list_the_most_common_terms_of_a_start_and_split_a_cut_list(tmp_path):
    data = _completion_site(tmp_path)
    lists = {}
    for path in (data / "c").glob("*.json"):
        lists |= json.loads(path.read_text(encoding="utf-8"))
    # Nine terms begin with 临时: the eight most common are kept and the list says it was cut, so
    # each three-character start has its own list; below 临时工 (seven terms, not cut) nothing more.
    assert lists["临时"] == [1, [["临时救助", 3], ["临时占用", 2]] + [[f"临时工作{n}", 1] for n in range(1, 7)]]
    assert lists["临时救"] == [0, [["临时救助", 3]]] and lists["临时占"] == [0, [["临时占用", 2]]]
    assert lists["临时工"] == [0, [[f"临时工作{n}", 1] for n in range(1, 8)]]
    assert "临时工作" not in lists and "临时救助" not in lists
    assert lists["第0"] == [0, [["第0号文件", 1]]]          # short titles are terms too


def test_the_browser_completes_from_the_list_of_the_longest_start_it_needs(tmp_path):
    import subprocess
    data = _completion_site(tmp_path)
    script = """
const Z = require(process.argv[1]), fs = require("fs"), path = require("path");
const e = new Z.Engine(async (p, asText) => { const s = fs.readFileSync(path.join(process.argv[2], p), "utf8");
                                                 return asText ? s : JSON.parse(s); });
(async () => { const out = [];
  for (const q of ["临", "临时", "臨時工作", "临时工作7", "临时工作8", "临时 救"]) out.push((await e.complete(q, 3)).map(t => t[0]));
  process.stdout.write(JSON.stringify(out)); })();"""
    core = Path(__file__).resolve().parent.parent / "overrides" / "assets" / "javascripts" / "zf-search-core.js"
    out = json.loads(subprocess.run(["node", "-e", script, str(core), str(data)], capture_output=True, text=True,
                                    check=True).stdout)
    assert out == [[], ["临时救助", "临时占用", "临时工作1"], ["临时工作1", "临时工作2", "临时工作3"],
                   [], [], ["临时救助"]]


# --- the phrase check, the folds, the rounds of requests --------------------------------
NODE_TRACE = """
const Z = require(process.argv[1]), fs = require("fs"), path = require("path");
// Every request with the number of responses already delivered when it was made: requests made
// with the same number belong to one round trip.
const log = [];
let delivered = 0;
const e = new Z.Engine((p, asText) => {
  log.push([p, delivered]);
  return new Promise((resolve, reject) => setTimeout(() => {
    delivered++;
    try {                              // a missing file fails as a 404 would
      const s = fs.readFileSync(path.join(process.argv[2], p), "utf8");
      resolve(asText ? s : JSON.parse(s));
    } catch (err) { reject(err); }
  }, 1));
});
(async () => { const out = [], m = await e.meta();
  for (const q of JSON.parse(fs.readFileSync(0, "utf8"))) {
    log.length = 0;
    delivered = 0;
    const r = await e.search({q: q, filters: {}}, 10);
    out.push({titles: r.hits.map(h => h.title), requests: log.slice(),
              shards: Array.from(q).map(c => "t/" + Z.shardOf(c, m.shards.t) + ".json")});
  }
  process.stdout.write(JSON.stringify(out)); })();"""


def traced(data: Path, queries: list[str]) -> list[dict]:
    import subprocess
    core = Path(__file__).resolve().parent.parent / "overrides" / "assets" / "javascripts" / "zf-search-core.js"
    return json.loads(subprocess.run(["node", "-e", NODE_TRACE, str(core), str(data)], input=json.dumps(queries),
                                     capture_output=True, text=True, check=True).stdout)


def _copies_site(tmp_path: Path) -> Path:
    """Eight verbatim copies of a rule whose title holds most of the query's words and whose body has
    them all, scattered; one notice that has the phrase itself, in the middle of its text."""
    import datetime as dt
    from zfxxgk.outputs.search_index import Entry, build
    scattered = "对移送工作作出规定。送的时间另定。目的案由另定。案件登记另行规定。附件材料另附。" * 3
    copies = [Entry(f"关于移送案件材料的规定（汇编{n}）", f"gd/{n}/", scattered, date=dt.date(2020, 1, 1 + n))
              for n in range(8)]
    notice = Entry("某县人民政府办公室通知", "tz/", "各乡镇：" + "做好年度工作。" * 40 + "应当将移送的案件材料一并提交。"
                   + "按期报送。" * 40, date=dt.date(2019, 5, 5))
    build(copies + [notice], tmp_path)
    return tmp_path / "search" / "data"


def test_a_phrase_behind_verbatim_copies_of_another_text_still_ranks_its_document_first(tmp_path):
    """The copies score higher (their titles hold four of the six words) and fill the leading places; the
    phrase check takes one of them for all eight, so it reaches the notice, which has the phrase."""
    [answer] = traced(_copies_site(tmp_path), ["移送的案件材料"])
    assert answer["titles"][0] == "某县人民政府办公室通知"
    assert answer["titles"][1:] == [f"关于移送案件材料的规定（汇编{n}）" for n in range(8)]


def test_a_query_loads_its_rows_and_text_slices_in_one_round(tmp_path):
    [answer] = traced(_copies_site(tmp_path), ["移送的案件材料"])
    rounds = {}
    for path, delivered in answer["requests"]:
        rounds.setdefault(path.split("/")[0], set()).add(delivered)
    postings = len([p for p, _ in answer["requests"] if p.startswith("b/")])
    assert rounds["b"] == {0}                                   # the postings first,
    assert min(rounds["r"]) == min(rounds["x"]) == postings     # then the rows and the slices together;
    assert len(rounds["x"]) == 2    # no copy had the phrase: one more round reaches the notice behind them


def test_a_query_of_simplified_characters_loads_no_fold_shard_and_a_traditional_one_its_own(tmp_path):
    simplified, traditional = traced(_copies_site(tmp_path), ["移送案件", "移送案件材料書"])
    assert not [p for p, _ in simplified["requests"] if p.startswith("t/")]
    folds = {p for p, _ in traditional["requests"] if p.startswith("t/")}
    assert folds == {traditional["shards"][-1]}          # 書 (书) only
    assert traditional["titles"][0].startswith("关于移送案件材料的规定")


def test_meta_lists_the_characters_that_have_a_simplified_form():
    from zfxxgk.outputs.search_index import _foldable
    gaps = _foldable({"開": "开", "務": "务", "書": "书"})
    points, total = [], 0
    for c in gaps:
        total += ord(c) - 0x30
        points.append(chr(total))
    assert points == ["務", "書", "開"]          # in code point order


def test_every_shard_the_browser_may_ask_for_exists_even_empty(tmp_path):
    """A query's token may hash to a shard no token of a small site falls in: a missing file would be
    a 404, which the page reports as a failed index."""
    data = _copies_site(tmp_path)
    meta = json.loads((data / "meta.json").read_text(encoding="utf-8"))
    for folder, shards in meta["shards"].items():
        names = {p.name for p in (data / folder).iterdir()}
        assert names == {f"{h}.json" for h in range(shards)}, folder
