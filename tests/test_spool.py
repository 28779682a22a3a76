"""Pages' HTML on disk between MkDocs' read and write passes (hooks/zfxxgk/pages/spool.py)."""
from __future__ import annotations

import os
import subprocess
import sys

import pytest

from zfxxgk.pages.spool import Spool

BODY = "<p>第一条　为了规范政府信息公开工作，制定本办法。</p><table><tr><td>表</td></tr></table>"


def test_every_text_reads_back_exactly_as_it_was_put(tmp_path):
    spool = Spool(tmp_path)
    texts = {"a": BODY, "b": "", "c": "半个代理对\udc80也原样", "d": "x" * 70_000}
    for key, text in texts.items():
        spool.put(key, text)
    assert {key: spool.get(key) for key in texts} == texts
    assert spool.slice("a").read() == BODY          # as the search index's process reads it


def test_a_page_read_back_for_its_template_is_forgotten(tmp_path):
    spool = Spool(tmp_path)
    spool.put(("text", "wj/1/"), BODY)
    spool.alias(("page", "documents/1.md"), ("text", "wj/1/"))
    assert spool.take(("page", "documents/1.md")) == BODY
    assert ("page", "documents/1.md") not in spool
    assert spool.get(("text", "wj/1/")) == BODY      # the index's text stays until the index is made


def test_closing_removes_the_file(tmp_path):
    spool = Spool(tmp_path)
    spool.put("a", BODY)
    assert os.path.exists(spool.path)
    spool.close()
    assert spool.closed and not os.path.exists(spool.path)
    spool.close()                                    # twice is harmless (a failed build, then shutdown)


def test_a_killed_build_s_file_is_removed_by_the_next_build_and_a_running_one_s_is_not(tmp_path):
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    orphan = tmp_path / f"pages-{dead.stdout.strip()}-x.spool"
    running = tmp_path / f"pages-{os.getppid()}-y.spool"
    orphan.write_bytes(b"old")
    running.write_bytes(b"in use")
    Spool(tmp_path).close()
    assert not orphan.exists() and running.exists()


def test_a_truncated_file_is_an_error_not_a_shorter_page(tmp_path):
    spool = Spool(tmp_path)
    spool.put("a", BODY)
    os.truncate(spool.path, 10)
    with pytest.raises(OSError, match="截断"):
        spool.get("a")


def test_a_child_s_file_is_kept_for_the_process_that_reads_it_and_removed_with_that_one_s(tmp_path):
    child, main = Spool(tmp_path), Spool(tmp_path)
    child.put("wj/1/", BODY)
    where = child.slice("wj/1/")
    child.close(keep=True)               # a forked renderer is done; main still reads its texts
    main.adopt(where.path)
    assert where.read() == BODY
    main.close()
    assert list(tmp_path.iterdir()) == []
