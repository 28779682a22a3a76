"""The next 索引号: one past the highest ever used for the publisher's scheme and year.

Never reused: published and withheld files count, and so do numbers that only
survive in git history (deleted files, renumbered files, other branches).
"""
from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from zfxxgk.catalog import terms as catalogue_mod
from zfxxgk.tools.index_numbers import next_index_no, scan_files, sequence_of, used_values

GUANXIAN = "冠县人民政府办公室"          # 113715250044422281/{year}-{seq:08d}
XUJING = "上海市青浦区徐泾镇人民政府"     # QE5320000-{year}-{seq:02d}


def doc(index_no: str, publisher: str = GUANXIAN, attribute: str = "主动公开", label: str = "索引号") -> str:
    year = index_no.split("/")[-1][:4] if "/" in index_no else index_no.split("-")[1]
    return (f"---\n标题: 测试\n{label}: {index_no}\n发布机构: {publisher}\n主题分类: 综合政务/政务公开\n"
            f"公开目录: 法定主动公开内容/法规文件/其他文件\n发布日期: {year}-03-01\n公开属性: {attribute}\n---\n\n正文\n")


@pytest.fixture
def project(make_project):
    return make_project(with_content=False)


def next_for(project, publisher: str, year: int) -> str:
    cat = catalogue_mod.load(project.root / "catalog")
    return next_index_no(cat.publisher_lookup[publisher], year, used_values(project.root, project.content, cat))


def git(root: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.org", *args], cwd=root,
                   check=True, capture_output=True)


def test_first_number_of_a_year_is_one(project):
    assert next_for(project, GUANXIAN, 2024) == "113715250044422281/2024-00000001"
    assert next_for(project, XUJING, 2024) == "QE5320000-2024-01"


def test_gaps_are_not_filled_the_next_is_one_past_the_highest(project):
    project.write("content/documents/a.md", doc("113715250044422281/2024-00000001"))
    project.write("content/documents/b.md", doc("113715250044422281/2024-00000007"))
    assert next_for(project, GUANXIAN, 2024) == "113715250044422281/2024-00000008"


def test_withheld_documents_count(project):
    project.write("content/documents/a.md", doc("113715250044422281/2024-00000003", attribute="不予公开"))
    project.write("content/documents/sub/b.md", doc("113715250044422281/2024-00000004", attribute="依申请公开"))
    assert next_for(project, GUANXIAN, 2024) == "113715250044422281/2024-00000005"


def test_each_publisher_and_year_has_its_own_sequence(project):
    project.write("content/documents/a.md", doc("113715250044422281/2024-00000009"))
    project.write("content/documents/b.md", doc("QE5320000-2024-41", publisher=XUJING, label="index_no"))
    project.write("content/documents/c.md", doc("113715250044422281/2023-00000120"))
    assert next_for(project, GUANXIAN, 2024) == "113715250044422281/2024-00000010"
    assert next_for(project, XUJING, 2024) == "QE5320000-2024-42"
    assert next_for(project, GUANXIAN, 2023) == "113715250044422281/2023-00000121"
    assert next_for(project, GUANXIAN, 2025) == "113715250044422281/2025-00000001"


def test_numbers_only_in_git_history_are_never_reused(project):
    root = project.root
    project.write("content/documents/a.md", doc("113715250044422281/2024-00000005"))
    project.write("content/documents/b.md", doc("113715250044422281/2024-00000006"))
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "two documents")
    git(root, "checkout", "-qb", "other")           # a number that exists only on another branch
    project.write("content/documents/c.md", doc("113715250044422281/2024-00000030"))
    git(root, "add", "-A")
    git(root, "commit", "-qm", "on a branch")
    git(root, "checkout", "-q", "main")
    (root / "content/documents/c.md").unlink(missing_ok=True)
    git(root, "rm", "-q", "content/documents/b.md")  # deleted
    project.write("content/documents/a.md", doc("113715250044422281/2024-00000002"))  # renumbered
    git(root, "commit", "-qam", "delete and renumber")
    cat = catalogue_mod.load(root / "catalog")
    now = {e.index_no for e in scan_files(project.content, root, cat)}
    assert now == {"113715250044422281/2024-00000002"}
    used = used_values(root, project.content, cat)
    assert {"113715250044422281/2024-00000005", "113715250044422281/2024-00000006",
            "113715250044422281/2024-00000030"} <= used
    assert next_for(project, GUANXIAN, 2024) == "113715250044422281/2024-00000031"


def test_numbers_of_other_schemes_sharing_a_pattern_do_not_count():
    cat = catalogue_mod.load(Path(__file__).resolve().parent.parent / "catalog")
    scheme = cat.default_scheme                     # 000000000/{year}-{seq:05d}, pattern [0-9A-Z]{9,18}/...
    assert sequence_of(scheme, "000000000/2024-00012", 2024) == 12
    assert sequence_of(scheme, "123456789/2024-00900", 2024) is None
    assert sequence_of(scheme, "000000000/2023-00012", 2024) is None


def test_scan_reads_quoted_values_comments_and_a_bom(project):
    project.write("content/documents/a.md", "\ufeff" + doc('"113715250044422281/2024-00000011"  # 注释'))
    project.write("content/documents/b.md", doc("113715250044422281/2024-00000012  # 注释", label="index_no"))
    cat = catalogue_mod.load(project.root / "catalog")
    found = {e.index_no: e.lines["index_no"] for e in scan_files(project.content, project.root, cat)}
    assert found == {"113715250044422281/2024-00000011": 3, "113715250044422281/2024-00000012": 3}
