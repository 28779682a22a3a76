"""Publishing the built site (hooks/zfxxgk/publication/swap.py): swapped in whole, the old one retired."""
from __future__ import annotations

import time
from pathlib import Path

from zfxxgk.publication import swap


def tree(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): p.read_text() for p in sorted(folder.rglob("*")) if p.is_file()}


def site_with(folder: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text)


def gone(folder: Path, within: float = 60.0) -> bool:
    """The detached deletion is not waited for by the build; the test waits for it."""
    deadline = time.monotonic() + within
    while folder.exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    return not folder.exists()


def test_the_new_site_replaces_the_old_one_whole_and_the_old_one_is_deleted_afterwards(tmp_path):
    site, staging = tmp_path / "site", Path(swap.staging_dir(str(tmp_path / "site")))
    site_with(site, {"index.html": "旧首页", "wj/a/index.html": "已删除的文件", **{f"wj/{n}/index.html": "旧" for n in range(300)}})
    site_with(staging, {"index.html": "新首页", "wj/b/index.html": "新文件"})
    swap.swap_in(str(staging), str(site))
    assert tree(site) == {"index.html": "新首页", "wj/b/index.html": "新文件"}
    assert not staging.exists()
    assert gone(tmp_path / "site.old")


def test_what_an_unfinished_deletion_left_is_removed_before_the_next_swap(tmp_path):
    site, staging = tmp_path / "site", Path(swap.staging_dir(str(tmp_path / "site")))
    site_with(tmp_path / "site.old", {"stale/index.html": "上上次的站点"})   # a deletion cut short
    site_with(site, {"index.html": "旧首页"})
    site_with(staging, {"index.html": "新首页"})
    swap.swap_in(str(staging), str(site))
    assert tree(site) == {"index.html": "新首页"}
    assert gone(tmp_path / "site.old")
    assert tree(tmp_path) == {"site/index.html": "新首页"}


def test_the_first_publication_has_nothing_to_retire(tmp_path):
    site, staging = tmp_path / "site", Path(swap.staging_dir(str(tmp_path / "site")))
    site_with(staging, {"index.html": "首页"})
    swap.swap_in(str(staging), str(site))
    assert tree(tmp_path) == {"site/index.html": "首页"}
