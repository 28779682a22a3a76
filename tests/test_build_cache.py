"""The build cache (hooks/zfxxgk/pages/cache.py): an incremental build writes what a full build writes.

A project is built once, then edited one step at a time (add, edit the body, edit the
metadata, withhold and publish again, 废止 another document, delete, rename, change a tag),
in an order and on documents drawn from a fixed seed. After each step the project is built
with its cache and, in a copy without the cache, from scratch; every file of the two sites
must be byte for byte the same, and the cached build must really have reused pages.
"""
from __future__ import annotations

import datetime as dt
import gzip
import json
import os
import random
import re
import shutil
from pathlib import Path

import pytest

from conftest import Project, differences

DOCS = "content/documents/2024"
FIGURE = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000"
                       "1f15c4890000000d4944415478da63f8cfc0f01f0005000201a5d5b8f40000000049454e44ae426082")


def document(n: int, title: str, attribute: str = "主动公开", tags: str = "政务公开", extra: str = "",
             body: str = "") -> str:
    return (f"---\ntitle: {title}\nindex_no: 000000001/2024-{n:05d}\npublisher: 示例县人民政府\n"
            f"category: 综合政务/政务公开\ncolumn: 法定主动公开内容/法规文件/其他文件\n"
            f"published: 2024-03-{n:02d}\nattribute: {attribute}\ntags: [{tags}]\n{extra}---\n\n"
            f"{body or f'第{n}号文件正文。'}\n")


def start(project: Project) -> None:
    """Five documents: the second links to the first's page, the third shows an image."""
    for n in range(1, 6):
        body = {2: "依据[第一号文件](../../wj/000000001-2024-00001/)办理。", 3: "![示意图](fig3.png)\n\n附图说明。"}
        project.write(f"{DOCS}/d{n}.md", document(n, f"示例县测试文件{n}", body=body.get(n, "")))
    (project.root / DOCS / "fig3.png").write_bytes(FIGURE)


def build(project: Project, site: Path, full: bool) -> str:
    """``mkdocs build --strict`` into ``site``; ``full`` ignores the cache (ZFXXGK_FULL_BUILD=1)."""
    os.environ.pop("ZFXXGK_FULL_BUILD", None)
    if full:
        os.environ["ZFXXGK_FULL_BUILD"] = "1"
    try:
        result = project.build("--strict", "-d", str(site))
    finally:
        os.environ.pop("ZFXXGK_FULL_BUILD", None)
    assert result.ok, result.output
    return result.output



class Edits:
    """The edit steps; each picks its document with the seeded generator."""

    def __init__(self, project: Project, rng: random.Random) -> None:
        self.p, self.rng, self.next, self.withheld = project, rng, 6, None

    def files(self) -> list[Path]:
        return sorted((self.p.root / DOCS).glob("*.md")) + sorted((self.p.root / DOCS).glob("*/*.md"))

    def pick(self, *avoid: str) -> Path:
        choices = [f for f in self.files() if not any(a in f.read_text(encoding="utf-8") for a in avoid)]
        return self.rng.choice(choices)

    def replace(self, path: Path, old: str, new: str) -> None:
        text = path.read_text(encoding="utf-8")
        assert old in text, (path, old)
        path.write_text(text.replace(old, new, 1), encoding="utf-8")

    def add(self) -> None:
        self.p.write(f"{DOCS}/d{self.next}.md", document(self.next, f"示例县新增文件{self.next}"))
        self.next += 1

    def edit_body(self) -> None:
        path = self.pick()
        path.write_text(path.read_text(encoding="utf-8") + "\n补充说明：本文件自发布之日起施行。\n", encoding="utf-8")

    def edit_metadata(self) -> None:
        self.replace(self.pick(), "title: 示例县", "title: 修改后的示例县")

    def withhold(self) -> None:
        path = self.pick("2024-00001", "依申请公开")          # the first is linked to: withholding it fails the build
        self.replace(path, "attribute: 主动公开", "attribute: 依申请公开")
        self.withheld = path

    def publish_again(self) -> None:
        if self.withheld is None or not self.withheld.exists():
            return self.withhold()
        self.replace(self.withheld, "attribute: 依申请公开", "attribute: 主动公开")
        self.withheld = None

    def void_another(self) -> None:
        target = self.pick("replaces", "依申请公开")
        number = re.search(r"index_no: (\S+)", target.read_text(encoding="utf-8"))[1]
        source = self.pick("replaces", "依申请公开", number)
        self.replace(source, "---\n\n", f"replaces:\n  - {{index_no: {number}, kind: 废止}}\n---\n\n")

    def delete(self) -> None:
        numbers = re.findall(r"index_no: (\d+/\d+-\d+)\}", "".join(f.read_text(encoding="utf-8") for f in self.files()))
        self.pick("replaces", *numbers).unlink()

    def rename(self) -> None:
        path = self.pick()
        target = path.parent / "moved" / ("r-" + path.name)
        target.parent.mkdir(exist_ok=True)
        if path.name == "d3.md":
            shutil.copy2(path.parent / "fig3.png", target.parent / "fig3.png")
        path.rename(target)
        if self.withheld == path:
            self.withheld = target

    def change_tag(self) -> None:
        self.replace(self.pick(), "tags: [政务公开]", "tags: [营商环境]")


STEPS = ("add", "edit_body", "edit_metadata", "withhold", "publish_again", "void_another", "delete", "rename",
         "change_tag")


def test_an_incremental_build_after_each_edit_writes_what_a_full_build_writes(make_project, tmp_path):
    project = make_project(with_content=False)
    start(project)
    build(project, tmp_path / "first", full=False)
    rng = random.Random(20261130)
    edits = Edits(project, rng)
    order = list(STEPS)
    rng.shuffle(order)
    order.remove("publish_again")
    order.insert(order.index("withhold") + 1 + rng.randrange(len(order) - order.index("withhold")), "publish_again")
    for i, step in enumerate(order):
        getattr(edits, step)()
        log = build(project, tmp_path / f"inc{i}", full=False)
        reused = re.search(r"增量构建：(\d+) 篇文件的页面沿用上次构建，(\d+) 篇重新生成", log)
        assert reused and int(reused[1]) >= 2, (step, log[-2000:])          # the cache was used, not bypassed
        clean = Project(tmp_path / f"clean{i}")
        shutil.copytree(project.root, clean.root, ignore=shutil.ignore_patterns(".cache", "site", "reports"))
        build(clean, tmp_path / f"full{i}", full=True)
        assert differences(tmp_path / f"inc{i}", tmp_path / f"full{i}") == [], (step, order[:i + 1])


def test_a_damaged_cache_is_a_miss_not_a_wrong_page(make_project, tmp_path):
    project = make_project(with_content=False)
    start(project)
    build(project, tmp_path / "first", full=False)
    pages = sorted((project.root / ".cache/zfxxgk-build/pages").iterdir())
    for page in pages:
        page.write_bytes(page.read_bytes().replace("测试文件".encode(), "被篡改的".encode()))
    log = build(project, tmp_path / "second", full=False)
    assert "增量构建：0 篇文件的页面沿用上次构建，5 篇重新生成" in log
    listed = re.search(r"列表页面 (\d+) 个沿用上次构建，(\d+) 个重新生成", log)   # those naming a 测试文件 were damaged
    assert listed and int(listed[2]) > 0, log
    assert differences(tmp_path / "first", tmp_path / "second") == []
    (project.root / ".cache/zfxxgk-build/manifest.json").write_text("{not json", encoding="utf-8")
    log = build(project, tmp_path / "third", full=False)
    assert "增量构建" not in log                                              # no cache: a full build
    assert differences(tmp_path / "first", tmp_path / "third") == []


def test_a_failed_build_leaves_the_cache_whole_and_a_good_one_drops_the_pages_no_longer_built(make_project, tmp_path):
    """The pages' folder moves into the new cache at the start of a build (pages/cache.py): a build
    that fails gives it back, so the next build still reuses every page; a build that succeeds keeps
    only the files its pages name (an edited page's old version and a deleted page's files go)."""
    project = make_project(with_content=False)
    start(project)
    build(project, tmp_path / "first", full=False)
    folder = project.root / ".cache/zfxxgk-build/pages"
    first, files_of = {p.name for p in folder.iterdir()}, _page_files(project)
    project.write(f"{DOCS}/d9.md", document(9, "示例县测试文件9").replace("published: 2024-03-09", "published: 2024-13-40"))
    failed = project.build("--strict", "-d", str(tmp_path / "failed"))
    assert not failed.ok and "d9.md" in failed.output
    assert {p.name for p in folder.iterdir()} == first
    (project.root / DOCS / "d9.md").unlink()
    (project.root / DOCS / "d5.md").unlink()
    d2 = project.root / DOCS / "d2.md"
    d2.write_text(d2.read_text(encoding="utf-8") + "\n补充说明：本文件自发布之日起施行。\n", encoding="utf-8")
    log = build(project, tmp_path / "second", full=False)
    assert "增量构建：3 篇文件的页面沿用上次构建，1 篇重新生成" in log
    now = {p.name for p in folder.iterdir()}
    assert files_of[f"{DOCS}/d1.md"] <= now and files_of[f"{DOCS}/d4.md"] <= now
    assert not files_of[f"{DOCS}/d5.md"] & now and not files_of[f"{DOCS}/d2.md"] & now
    assert now == {sha for shas in _page_files(project).values() for sha in shas}


def _page_files(project: Project) -> dict[str, set[str]]:
    """The cache's files of each page (src relative to content/), from its manifest."""
    manifest = json.loads((project.root / ".cache/zfxxgk-build/manifest.json").read_text(encoding="utf-8"))
    return {f"content/{src}": {e["sha"], e["body_sha"]} for src, e in manifest["pages"].items()}


WITHHELD_TITLE = "示例县内部经费调整请示六"
PLANT_HOOK = f'''
from pathlib import Path

def on_post_build(config):   # a post-build writer that copies a withheld title into a page taken from the cache
    if not (Path(config.config_file_path).parent / "plant-now").exists():
        return
    page = Path(config.site_dir) / "wj/000000001-2024-00001/index.html"
    page.write_text(page.read_text(encoding="utf-8").replace("</article>", "<p>{WITHHELD_TITLE}</p></article>"),
                    encoding="utf-8")
'''


def test_the_leak_audit_skips_only_files_it_found_clean_with_the_same_bytes(make_project, tmp_path):
    """The audit's cache (zfxxgk.audit.leaks.Memo): unchanged clean files are not searched again, but a
    withheld title planted into a page reused from the cache changes that file, and it is caught."""
    project = make_project(with_content=False)
    start(project)
    project.write(f"{DOCS}/d6.md", document(6, WITHHELD_TITLE, attribute="不予公开"))
    project.write("hooks/plant.py", PLANT_HOOK)
    config = project.root / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("plugins:\n  - zfxxgk\n",
                                                                 "plugins:\n  - zfxxgk\nhooks:\n  - hooks/plant.py\n"),
                      encoding="utf-8")
    assert "hooks/plant.py" in config.read_text(encoding="utf-8")
    build(project, tmp_path / "first", full=False)
    log = build(project, tmp_path / "second", full=False)
    assert re.search(r"泄露审计：检查输出文件 (\d+) 个（[\d.]+ MB，其中 \d+ 个与上次相同、不再重复检查）", log), log
    assert differences(tmp_path / "first", tmp_path / "second") == []
    index_files = project.root / ".cache/zfxxgk-build/search/files"    # the search index's memo
    records = project.root / ".cache/zfxxgk-build/search/records"
    before, records_before = {p.name for p in index_files.iterdir()}, {p.name for p in records.iterdir()}
    assert len(before) > 20 and len(records_before) == 5
    project.write("plant-now", "")                 # from now on the hook writes the title into the reused page
    result = project.build("--strict", "-d", str(tmp_path / "third"))
    assert not result.ok
    assert {p.name for p in index_files.iterdir()} == before    # moved into the new cache, and back at the failure
    assert {p.name for p in records.iterdir()} == records_before
    assert "增量构建：5 篇文件的页面沿用上次构建，0 篇重新生成" in result.output   # the page came from the cache
    assert "泄露审计未通过" in result.output
    assert f"输出文件 wj/000000001-2024-00001/index.html 含有不发布文件 {DOCS}/d6.md（不予公开）的标题" in result.output
    # With another post-build writer in the site, pages are copied from the cache, never linked:
    # its rewrite of the new site's page did not reach the site built before.
    assert WITHHELD_TITLE not in (tmp_path / "second/wj/000000001-2024-00001/index.html").read_text(encoding="utf-8")
    assert (tmp_path / "second/wj/000000001-2024-00001/index.html").stat().st_nlink == 1


def test_the_personal_information_check_skips_only_documents_it_found_clean_unchanged(make_project, tmp_path):
    """The check's memo (audit.privacy.document_id): an unchanged clean document is not scanned again;
    one edited to carry a 身份证号 is scanned and stops the incremental build; a damaged memo is empty."""
    project = make_project(with_content=False)
    start(project)
    build(project, tmp_path / "first", full=False)
    log = build(project, tmp_path / "second", full=False)
    assert "个人信息检查：已发布文件 5 篇（其中 5 篇与上次相同、不再重复检查）" in log, log
    clean = project.root / ".cache/zfxxgk-build/privacy-clean.json"
    assert len(re.findall(r'"[0-9a-f]{64}"', clean.read_text(encoding="utf-8"))) == 5
    project.write(f"{DOCS}/d4.md", document(4, "示例县测试文件4", body="申请人身份证号码：370102199003071238。"))
    result = project.build("--strict", "-d", str(tmp_path / "third"))
    assert not result.ok
    assert "增量构建：4 篇文件的页面沿用上次构建，1 篇重新生成" in result.output
    assert f"{DOCS}/d4.md" in result.output and "疑似居民身份证号码" in result.output
    assert not (tmp_path / "third").exists()
    project.write(f"{DOCS}/d4.md", document(4, "示例县测试文件4"))
    clean.write_text("[not json", encoding="utf-8")
    log = build(project, tmp_path / "fourth", full=False)
    assert "个人信息检查：已发布文件 5 篇及其附件" in log, log
    assert differences(tmp_path / "first", tmp_path / "fourth") == []


def test_a_page_from_the_cache_is_linked_into_the_site_when_no_other_plugin_writes_there(make_project, tmp_path):
    """Unchanged pages are not written again: the site gets the cache's file under a second name,
    and MkDocs, which then writes nothing for the page, does not call it skipped."""
    project = make_project(with_content=False)
    start(project)
    build(project, tmp_path / "first", full=False)
    log = build(project, tmp_path / "second", full=False)
    assert "增量构建：5 篇文件的页面沿用上次构建，0 篇重新生成" in log
    assert "跳过页面" not in log and "Page skipped" not in log
    page = tmp_path / "second/wj/000000001-2024-00001/index.html"
    assert page.stat().st_nlink >= 2
    cached = [p for p in (project.root / ".cache/zfxxgk-build/pages").iterdir() if p.stat().st_ino == page.stat().st_ino]
    assert len(cached) == 1
    assert differences(tmp_path / "first", tmp_path / "second") == []


def test_share_links_or_copies_and_never_writes_through_an_old_name(tmp_path):
    """share(): folders are made as needed; a file already at the destination is replaced, and when
    that file is another name of a cache file, the cache file keeps its bytes."""
    from zfxxgk.pages.cache import share
    cache, other = tmp_path / "cache", tmp_path / "other"
    cache.mkdir()
    (cache / "a").write_bytes(b"first")
    (cache / "b").write_bytes(b"second")
    linked = tmp_path / "site/x/y/page.html"
    share(cache / "a", linked, linking=True)
    assert linked.read_bytes() == b"first" and linked.stat().st_ino == (cache / "a").stat().st_ino
    share(cache / "b", linked, linking=True)                 # the old name goes, its file stays
    assert linked.read_bytes() == b"second" and (cache / "a").read_bytes() == b"first"
    share(cache / "a", linked, linking=False)                # a copy over a linked name
    assert linked.read_bytes() == b"first" and (cache / "b").read_bytes() == b"second"
    assert linked.stat().st_nlink == 1
    share(cache / "b", other / "deep/copy.html", linking=False)
    assert (other / "deep/copy.html").read_bytes() == b"second"
    with pytest.raises(FileNotFoundError):
        share(cache / "missing", tmp_path / "site/z.html", linking=True)
    assert not (tmp_path / "site/z.html").exists()


def test_the_cached_pages_files_are_checked_by_another_process_that_lists_only_intact_ones(tmp_path, monkeypatch):
    """Verifier: started before the cache is opened, it names the files whose bytes hash to their
    name, though the folder is renamed meanwhile (PageCache moves it into the new cache)."""
    import hashlib
    from zfxxgk.pages.cache import CACHE_DIR, Verifier
    folder = tmp_path / CACHE_DIR / "pages"
    folder.mkdir(parents=True)
    good, changed = b"<html>page</html>", b"<html>other</html>"
    good_name = hashlib.sha256(good).hexdigest()
    (folder / good_name).write_bytes(good)
    (folder / hashlib.sha256(changed).hexdigest()).write_bytes(changed.replace(b"other", b"otheR"))   # damaged
    (folder / f"{good_name}.123.part").write_bytes(good)                                              # unfinished
    (folder / "subfolder").mkdir()
    verifier = Verifier.start(tmp_path)
    folder.rename(tmp_path / "moved")
    assert verifier.intact() == {good_name}
    monkeypatch.setenv("ZFXXGK_FULL_BUILD", "1")
    assert Verifier.start(tmp_path) is None                       # a forced full build checks nothing
    monkeypatch.delenv("ZFXXGK_FULL_BUILD")
    assert Verifier.start(tmp_path) is None                       # no cached pages


def test_without_the_verifiers_list_the_cache_checks_the_files_itself(tmp_path):
    """A verifier that failed (here: stopped) gives no list: the files are hashed here instead,
    and a damaged one is still a miss."""
    import hashlib
    import msgspec
    from zfxxgk.pages.cache import CACHE_DIR, FORMAT, Entry, Manifest, PageCache, Verifier
    folder = tmp_path / CACHE_DIR / "pages"
    folder.mkdir(parents=True)
    entries = {}
    for name in ("a.md", "b.md"):
        html, body = f"<p>{name}</p>".encode(), f"{name} text".encode()
        for data in (html, body):
            (folder / hashlib.sha256(data).hexdigest()).write_bytes(data)
        entries[name] = Entry("key-" + name, hashlib.sha256(html).hexdigest(), hashlib.sha256(body).hexdigest(),
                              [], [], [])
    (folder / entries["b.md"].sha).write_bytes(b"<p>tampered</p>")
    (tmp_path / CACHE_DIR / "manifest.json").write_bytes(msgspec.json.encode(Manifest(FORMAT, "site", entries)))
    for stop_it in (False, True):
        verifier = Verifier.start(tmp_path)
        if stop_it:
            verifier.stop()
        cache = PageCache(tmp_path, "site", verifier=verifier)
        assert list(cache.reusable_all({"a.md": "key-a.md", "b.md": "key-b.md"})) == ["a.md"]
        cache.discard()                                               # the pages' folder goes back for the next round


def test_pages_are_placed_by_a_second_thread_that_stops_at_its_first_error(tmp_path):
    """Placer: the files given are shared in order; after an error nothing more is written, and
    waiting for it raises that error (the build stops, its site is not published)."""
    from zfxxgk.pages.cache import Placer
    (tmp_path / "a").write_bytes(b"page")
    placer = Placer()
    placer.put(tmp_path / "a", tmp_path / "site/x/a.html", True)
    placer.put(tmp_path / "missing", tmp_path / "site/y.html", True)
    placer.put(tmp_path / "a", tmp_path / "site/z.html", True)
    with pytest.raises(FileNotFoundError):
        placer.join()
    assert (tmp_path / "site/x/a.html").read_bytes() == b"page"
    assert not (tmp_path / "site/y.html").exists() and not (tmp_path / "site/z.html").exists()


def test_pages_known_early_are_placed_by_another_process_list_after_list_stopping_at_its_first_error(tmp_path):
    from zfxxgk.pages.cache import PlacingProcess
    (tmp_path / "a").write_bytes(b"page")
    good = PlacingProcess(linking=True)
    good.add([(tmp_path / "a", tmp_path / "site/wj/1/index.html"),
              (tmp_path / "a", tmp_path / "site/wj/2/index.html")], tmp_path / "list1")
    good.add([(tmp_path / "a", tmp_path / "site/lb/index.html")], tmp_path / "list2")
    good.join()
    assert (tmp_path / "site/wj/2/index.html").read_bytes() == b"page"
    assert (tmp_path / "site/wj/1/index.html").stat().st_ino == (tmp_path / "a").stat().st_ino
    assert (tmp_path / "site/lb/index.html").stat().st_ino == (tmp_path / "a").stat().st_ino
    assert not (tmp_path / "list1").exists() and not (tmp_path / "list2").exists()
    bad = PlacingProcess(linking=False)
    bad.add([(tmp_path / "a", tmp_path / "site/wj/3/index.html"), (tmp_path / "gone", tmp_path / "site/x.html"),
             (tmp_path / "a", tmp_path / "site/wj/4/index.html")], tmp_path / "list3")
    bad.add([(tmp_path / "a", tmp_path / "site/wj/5/index.html")], tmp_path / "list4")
    with pytest.raises(OSError, match="页面放入站点失败.*gone"):
        bad.join()
    assert (tmp_path / "site/wj/3/index.html").stat().st_nlink == 1             # copied
    assert not (tmp_path / "site/x.html").exists() and not (tmp_path / "site/wj/4").exists()
    assert not (tmp_path / "site/wj/5").exists()                                # nothing after the error


def test_a_damaged_audit_cache_means_every_file_is_searched(make_project, tmp_path):
    project = make_project(with_content=False)
    start(project)
    project.write(f"{DOCS}/d6.md", document(6, WITHHELD_TITLE, attribute="不予公开"))
    build(project, tmp_path / "first", full=False)
    memo = project.root / ".cache/zfxxgk-build/audit-clean.json"
    ids = memo.read_text(encoding="utf-8")
    assert len(re.findall(r'"[0-9a-f]{64}"', ids)) > 20
    memo.write_text(re.sub(r'"[0-9a-f]', '"x', ids), encoding="utf-8")   # no id matches any file
    log = build(project, tmp_path / "second", full=False)
    assert "增量构建：5 篇" in log and "个与上次相同、不再重复检查" not in log and "未发现痕迹" in log
    memo.write_text("[not json", encoding="utf-8")
    log = build(project, tmp_path / "third", full=False)
    assert "增量构建：5 篇" in log and "个与上次相同、不再重复检查" not in log and "未发现痕迹" in log
    assert differences(tmp_path / "first", tmp_path / "second") == []
    assert differences(tmp_path / "first", tmp_path / "third") == []


def test_compiled_templates_are_kept_and_a_damaged_or_changed_one_is_compiled_again(make_project, tmp_path):
    project = make_project(with_content=False)
    start(project)
    build(project, tmp_path / "first", full=False)
    compiled = sorted((project.root / ".cache/zfxxgk-templates").iterdir())
    assert len(compiled) > 10
    for path in compiled:
        path.write_bytes(b"damaged" + path.read_bytes()[-40:])
    build(project, tmp_path / "second", full=False)
    assert differences(tmp_path / "first", tmp_path / "second") == []
    template = project.root / "overrides/document.html"
    template.write_text(template.read_text(encoding="utf-8").replace(
        '<article class="zf-doc">', '<article class="zf-doc"><p>模板修改后的提示</p>'), encoding="utf-8")
    build(project, tmp_path / "third", full=False)
    page = (tmp_path / "third/wj/000000001-2024-00001/index.html").read_text(encoding="utf-8")
    assert "<p>模板修改后的提示</p>" in page


def test_listings_are_rendered_again_only_when_what_they_show_changed(make_project, tmp_path):
    """A body edit changes no listing; a new title changes the listings that show the document."""
    project = make_project(with_content=False)
    start(project)
    build(project, tmp_path / "first", full=False)
    d2 = project.root / DOCS / "d2.md"
    d2.write_text(d2.read_text(encoding="utf-8") + "\n补充说明：本文件自发布之日起施行。\n", encoding="utf-8")
    log = build(project, tmp_path / "body", full=False)
    reused = re.search(r"增量构建：列表页面 (\d+) 个沿用上次构建，(\d+) 个重新生成", log)
    assert reused and int(reused[1]) > 10 and reused[2] == "0", log
    d2.write_text(d2.read_text(encoding="utf-8").replace("title: 示例县测试文件2", "title: 示例县更名后的文件"),
                  encoding="utf-8")
    log = build(project, tmp_path / "title", full=False)
    reused = re.search(r"增量构建：列表页面 (\d+) 个沿用上次构建，(\d+) 个重新生成", log)
    assert reused and int(reused[1]) > 10 and int(reused[2]) >= 2, log   # its column and year at least
    listing = (tmp_path / "title/fdzdgknr/fgwj/qtwj/index.html").read_text(encoding="utf-8")
    assert "示例县更名后的文件" in listing and "示例县测试文件2<" not in listing
    clean = Project(tmp_path / "clean")
    shutil.copytree(project.root, clean.root, ignore=shutil.ignore_patterns(".cache", "site", "reports"))
    build(clean, tmp_path / "full", full=True)
    assert differences(tmp_path / "title", tmp_path / "full") == []


def test_a_site_without_documents_is_built_again_from_its_cache(make_project, tmp_path):
    project = make_project(with_content=False)
    build(project, tmp_path / "first", full=False)
    log = build(project, tmp_path / "second", full=False)
    reused = re.search(r"增量构建：列表页面 (\d+) 个沿用上次构建，0 个重新生成", log)
    assert reused and int(reused[1]) > 10, log
    assert differences(tmp_path / "first", tmp_path / "second") == []


def test_precompressed_copies_are_reused_and_a_damaged_one_is_compressed_again(make_project, tmp_path):
    project = make_project(with_content=False)
    start(project)
    settings = project.root / "catalog/site.yml"
    settings.write_text(settings.read_text(encoding="utf-8").replace("precompress: false", "precompress: true"),
                        encoding="utf-8")
    build(project, tmp_path / "first", full=False)
    stored = sorted((project.root / ".cache/zfxxgk-build/gz").iterdir())
    assert len(stored) > 50
    for path in stored[::2]:                                  # half of them damaged: the CRC no longer matches
        path.write_bytes(path.read_bytes()[:-8] + b"damaged!")
    d2 = project.root / DOCS / "d2.md"
    d2.write_text(d2.read_text(encoding="utf-8") + "\n补充说明：本文件自发布之日起施行。\n", encoding="utf-8")
    log = build(project, tmp_path / "second", full=False)
    reused = re.search(r"预压缩：写出 .gz 文件 (\d+) 个（server.precompress），其中 (\d+) 个沿用上次构建的压缩结果", log)
    assert reused and 0 < int(reused[2]) < int(reused[1]), log    # the undamaged ones of unchanged files
    page = tmp_path / "second/wj/000000001-2024-00002/index.html"
    assert "补充说明" in gzip.decompress(page.with_name("index.html.gz").read_bytes()).decode("utf-8")
    clean = Project(tmp_path / "clean")
    shutil.copytree(project.root, clean.root, ignore=shutil.ignore_patterns(".cache", "site", "reports"))
    build(clean, tmp_path / "full", full=True)
    assert differences(tmp_path / "second", tmp_path / "full") == []


def test_a_large_site_indexes_in_the_background_from_the_cache_and_writes_what_a_full_build_writes(
        make_project, tmp_path):
    """From 500 documents on, the search index is built by a worker process from the pages' texts,
    the cached pages' among them; it takes their tokens and index files from the cache
    (search_index.PageMemo) and patches the edited page's postings into the last build's shards;
    the site is what a full build writes."""
    project = make_project(with_content=False)
    for n in range(1, 521):
        text = document(n, f"示例县测试文件{n}", body=f"第{n}号文件正文，涉及第{n % 7}类事项。")
        project.write(f"{DOCS}/d{n}.md", text.replace(f"published: 2024-03-{n:02d}",
                                                      f"published: {dt.date(2024, 1, 1) + dt.timedelta(days=n % 366)}"))
    build(project, tmp_path / "first", full=False)
    path = project.root / DOCS / "d17.md"
    path.write_text(path.read_text(encoding="utf-8") + "\n补充说明：本文件自发布之日起施行。\n", encoding="utf-8")
    log = build(project, tmp_path / "second", full=False)
    assert "增量构建：519 篇文件的页面沿用上次构建，1 篇重新生成" in log
    assert re.search(r"检索索引：\d+ 条（519 条的分词沿用上次构建，1 条的改动补入上次的倒排分片）", log), log
    clean = Project(tmp_path / "clean")
    shutil.copytree(project.root, clean.root, ignore=shutil.ignore_patterns(".cache", "site", "reports"))
    build(clean, tmp_path / "full", full=True)
    assert differences(tmp_path / "second", tmp_path / "full") == []
