"""Hostile and huge input: any input gives a clean build or clear messages, never a traceback.

Hypothesis example counts are bounded (see ``settings``) so the file runs in well
under a minute; ``pytest -s`` prints how many cases ran.
"""
from __future__ import annotations

import datetime as dt
import os
import tempfile
import time
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings, strategies as st

from _safety_helpers import CAT, FIELDS, front
from conftest import copy_project
from zfxxgk.audit import privacy
from zfxxgk.intake.documents import load_corpus
from zfxxgk.outputs.sanitize import sanitize


keys = st.sampled_from(sorted(CAT.key_for_label)) | st.text(min_size=1, max_size=8)
scalars = (st.text(max_size=40) | st.integers() | st.booleans() | st.none() | st.floats(allow_nan=False)
           | st.dates(dt.date(1, 1, 1), dt.date(9999, 12, 31)))
values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner, max_size=3),
                      max_leaves=8)
FRAGMENTS = ["<script>alert(1)</script>", "</p>", "<a href='javascript:x'>", "\n{: onclick=x }", "\n", "\n# ", "|", "---",
             "370102199003071234", "机密★", "<table><tr><td rowspan=2>", "[x](../../etc/passwd)", "![i](data:x)"]
bodies = st.lists(st.text(max_size=20) | st.sampled_from(FRAGMENTS), max_size=15).map("".join)


def _validate(files: dict[str, bytes]):
    with tempfile.TemporaryDirectory() as tmp:
        docs = Path(tmp) / "content" / "documents"
        docs.mkdir(parents=True)
        for name, data in files.items():
            (docs / name).write_bytes(data)
        return load_corpus(Path(tmp) / "content", CAT, Path(tmp))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(meta=st.dictionaries(keys, values, max_size=12), base=st.booleans(), body=bodies)
def test_validator_never_raises_and_explains_every_rejection(meta, base, body):
    fields = {**(FIELDS if base else {}), **meta}
    try:
        text = "---\n" + yaml.safe_dump(fields, allow_unicode=True) + "---\n" + body
    except yaml.YAMLError:
        return
    corpus = _validate({"a.md": text.encode("utf-8")})
    if not corpus.documents:
        assert corpus.problems.errors
    for problem in corpus.problems.items:
        assert problem.file == "content/documents/a.md" and problem.message
    for doc in corpus.documents:   # the other per-document checks take any valid document
        privacy.check_document(doc)
        sanitize(doc.body)


@settings(max_examples=200, deadline=None)
@given(data=st.binary(max_size=400))
def test_arbitrary_bytes_are_problems_not_tracebacks(data):
    corpus = _validate({"a.md": data, "b.md": b"---\n" + data})
    # Random bytes never make a valid document: each file is refused with at least one
    # error naming it, in one line, and nothing is published.
    assert corpus.documents == []
    for name in ("a.md", "b.md"):
        mine = [p for p in corpus.problems.errors if p.file == f"content/documents/{name}"]
        assert mine and all("\n" not in p.format() for p in mine), (name, data)


@settings(max_examples=300, deadline=None)
@given(markup=st.lists(st.sampled_from(list("<>/=\"' abcdeghilmnoprstv:&#;x1!-")) | st.sampled_from(
    ["script", "onerror", "javascript:", "href", "src", "<img", "<a ", "<svg", "<!--", "style"]), max_size=80).map("".join))
def test_sanitized_html_keeps_no_script_handler_or_javascript_url(markup):
    from html.parser import HTMLParser
    cleaned, _ = sanitize(markup)

    class Check(HTMLParser):
        def handle_starttag(self, tag, attrs):
            assert tag not in ("script", "svg", "iframe", "style"), cleaned
            for name, value in attrs:
                assert not name.startswith("on"), cleaned
                assert not (value or "").replace(" ", "").lower().startswith("javascript:"), cleaned

    Check().feed(cleaned)


@settings(max_examples=3, deadline=None, suppress_health_check=list(HealthCheck))
@given(title=st.text(min_size=1, max_size=30).filter(lambda t: t.strip()), tag=st.text(min_size=1, max_size=10),
       body=bodies)
def test_real_builds_are_clean_or_explained(title, tag, body):
    with tempfile.TemporaryDirectory() as tmp:
        project = copy_project(Path(tmp))
        doc = front(index_no="000000001/2021-00099", title=yaml.safe_dump(title).split("\n...")[0].strip(),
                    tags=yaml.safe_dump([tag], default_flow_style=True).strip())
        (project.content / "documents" / "h.md").write_text(doc + "\n" + body, encoding="utf-8")
        result = project.build(timeout=300)
        assert "Traceback" not in result.output
        assert result.ok or "错误" in result.output, result.output


# --- paths -----------------------------------------------------------------------
@pytest.mark.parametrize("attachment", ["../../etc/passwd", "/etc/passwd", "..\\..\\secret.pdf", "C:/x.pdf"])
def test_attachment_paths_cannot_leave_the_document_folder(attachment):
    text = front(附件=yaml.safe_dump([attachment], default_flow_style=True).strip()) + "\n正文\n"
    corpus = _validate({"a.md": text.encode("utf-8")})
    assert not corpus.documents and any("附件路径" in p.message for p in corpus.problems.items)


@pytest.mark.parametrize("link, message", [
    ("files/hostname.txt", "content/files/hostname.txt: 文件解析到 content/ 之外"),
    ("documents/link.md", "content/documents/link.md: 文件解析到 content/ 之外"),
])
def test_symlinks_out_of_content_are_refused(make_project, link, message):
    project = make_project()
    (project.content / link).parent.mkdir(exist_ok=True)
    os.symlink("/etc/hostname", project.content / link)
    result = project.build()
    assert not result.ok and message in result.output
    assert not project.site.exists()


def test_a_body_link_climbing_out_of_content_copies_nothing(make_project):
    project = make_project()
    path = project.content / "documents/2021/guanxian-2021-9.md"
    path.write_text(path.read_text(encoding="utf-8") + "\n[口令](../../../../../../etc/passwd)\n", encoding="utf-8")
    result = project.build()
    assert result.ok, result.output
    assert not any(p.name == "passwd" for p in project.site.rglob("*"))


# --- huge inputs -----------------------------------------------------------------
def test_a_20_mb_document_is_refused_quickly(make_project):
    project = make_project()
    paragraph = "为进一步做好政务公开工作，现将有关事项通知如下。" * 20 + "\n\n"
    body = paragraph * (20 * 2**20 // len(paragraph.encode("utf-8")))
    (project.content / "documents" / "huge.md").write_text(front(index_no="000000001/2021-00098") + body, encoding="utf-8")
    started = time.monotonic()
    result = project.build()
    assert time.monotonic() - started < 120
    assert not result.ok and "huge.md: 正文过大" in result.output and "上限 2048 KB" in result.output


def test_ten_thousand_tags_are_refused_with_a_message(make_project):
    project = make_project()
    tags = yaml.safe_dump([f"标签{i}" for i in range(10_000)], allow_unicode=True, default_flow_style=True).strip()
    (project.content / "documents" / "tags.md").write_text(
        front(index_no="000000001/2021-00097", tags=tags) + "\n正文\n", encoding="utf-8")
    started = time.monotonic()
    result = project.build()
    assert time.monotonic() - started < 120
    assert not result.ok and "tags.md" in result.output and "[tags]" in result.output
    assert "等 10000 个 不在标签目录" in result.output
    assert max(len(line) for line in result.output.splitlines()) < 500   # one readable line, not 10,000 tags
    assert "Traceback" not in result.output


def test_a_100_level_heading_tree_builds_in_bounded_time(make_project):
    project = make_project()
    headings = "".join(f"{'#' * min(level, 6)} 第{level}级标题\n\n{'> ' * level}第{level}层引用\n\n"
                       f"{'    ' * (level % 30)}- 第{level}层列表\n\n" for level in range(1, 101))
    (project.content / "documents" / "deep.md").write_text(
        front(index_no="000000001/2021-00096") + "\n" + headings, encoding="utf-8")
    started = time.monotonic()
    result = project.build()
    assert time.monotonic() - started < 120
    assert result.ok and "Traceback" not in result.output, result.output
    assert (project.site / "wj" / "000000001-2021-00096" / "index.html").exists()
