"""Both cores in a full build (hooks/zfxxgk/pages/pool.py): a forked child renders a share of
the document pages, and the site is byte for byte the site one process builds.

catalog/site.yml's ``build: {workers, pool_min}`` forces the pool on for the small example
site (pool_min: 1) or off (workers: 1). Every build here is a full build (ZFXXGK_FULL_BUILD=1).
"""
from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from conftest import Project, copy_project, differences
from zfxxgk.pages import pool

DOCS = "content/documents/2024"
POOL_ON = "build:\n  workers: 2\n  pool_min: 1\n"
POOL_OFF = "build:\n  workers: 1\n"
SPLIT = re.compile(r"并行生成：文件页面 (\d+) 篇由主进程生成，(\d+) 篇由 1 个子进程生成")
DIED = "并行生成：{} 篇文件页面的子进程意外退出，改在主进程生成，结果相同"
DIED_LATER = "并行生成：子进程在生成模板时意外退出，其 {} 篇文件页面改在主进程生成，结果相同"


def test_each_process_renders_an_equal_share_the_children_the_last_pages_and_only_when_worth_it():
    pages = [f"p{i}" for i in range(10)]
    assert pool.child_shares(pages, 2) == [["p5", "p6", "p7", "p8", "p9"]]     # main reaches them last
    assert pool.child_shares(pages, 3) == [["p3", "p4", "p5", "p6"], ["p7", "p8", "p9"]]
    assert pool.child_shares(pages, 1) == []
    assert pool.processes(0, 500, 200, 2) == 2          # 0: one process per core
    assert pool.processes(1, 500, 200, 2) == 1          # 1: no child
    assert pool.processes(0, 199, 200, 2) == 1          # too few pages to render
    assert pool.processes(0, 500, 200, 1) == 1          # one core
    assert pool.processes(2, 500, 200, None) == 1       # cores unknown


def document(n: int, title: str, body: str, attribute: str = "主动公开") -> str:
    return (f"---\ntitle: {title}\nindex_no: 000000001/2024-{n:05d}\npublisher: 示例县人民政府\n"
            f"category: 综合政务/政务公开\ncolumn: 法定主动公开内容/法规文件/其他文件\n"
            f"published: 2024-03-{n:02d}\nattribute: {attribute}\ntags: [政务公开]\n---\n\n{body}\n")


def with_pool(project: Project, setting: str) -> None:
    """catalog/site.yml with its ``build:`` section set (the example has none)."""
    path = project.root / "catalog/site.yml"
    text = path.read_text(encoding="utf-8")
    text = re.sub(r"\nbuild:\n(  .*\n)*", "\n", text)
    path.write_text(text.rstrip("\n") + "\n" + setting, encoding="utf-8")


def full_build(project: Project, site: Path, *args: str, **env: str):
    saved = dict(os.environ)
    os.environ.update({"ZFXXGK_FULL_BUILD": "1", **env})
    try:
        return project.build(*args, "-d", str(site))
    finally:
        os.environ.clear()
        os.environ.update(saved)



def page_lines(output: str) -> list[str]:
    """What the build said about pages (warnings and MkDocs' link checks), in a comparable order."""
    return sorted(line for line in output.splitlines() if "已移除正文中不允许的 HTML" in line or "不存在的锚点" in line)


@pytest.fixture(scope="module")
def example(tmp_path_factory) -> Project:
    """The example project with three more documents, each removed HTML (our warning) and a link to a
    missing anchor (MkDocs' line); being among the last documents, the child renders them."""
    project = copy_project(tmp_path_factory.mktemp("pool") / "project")
    for n in (1, 2, 3):
        project.write(f"{DOCS}/pool-{n}.md", document(n, f"示例县并行测试文件{n}",
                                                      f"第{n}号文件正文，见[附表](#附表)。\n\n<iframe src=\"https://example.com/\"></iframe>"))
    settings = project.root / "catalog/site.yml"
    settings.write_text(settings.read_text(encoding="utf-8").replace("precompress: false", "precompress: true"),
                        encoding="utf-8")
    return project


@pytest.fixture(scope="module")
def one_process(example, tmp_path_factory):
    """The reference: the same project built by one process."""
    with_pool(example, POOL_OFF)
    site = tmp_path_factory.mktemp("one") / "site"
    result = full_build(example, site)
    assert result.ok, result.output
    assert "并行生成" not in result.output
    return site, result.output


def test_a_child_renders_part_of_the_document_pages_and_the_site_is_the_one_process_site(example, one_process, tmp_path):
    site, output = one_process
    with_pool(example, POOL_ON)
    result = full_build(example, tmp_path / "site")
    assert result.ok, result.output
    split = SPLIT.search(result.output)
    assert split, result.output
    assert int(split[1]) + int(split[2]) == 21 and int(split[2]) >= 1     # 18 published documents and 3 more
    assert differences(tmp_path / "site", site) == []
    assert len(list(site.rglob("*.html.gz"))) > 100                        # the precompressed copies compared too
    lines = page_lines(result.output)
    assert lines == page_lines(output)             # the child's pages' lines are logged, once, by main
    assert len([line for line in lines if "已移除正文中不允许的 HTML：<iframe>" in line]) == 3
    assert len([line for line in lines if "中的链接「#附表」指向本页不存在的锚点" in line]) == 3


def test_a_child_that_dies_leaves_its_pages_to_main_and_the_site_is_the_same(example, one_process, tmp_path):
    site, output = one_process
    with_pool(example, POOL_ON)
    result = full_build(example, tmp_path / "site", ZFXXGK_POOL_TEST_EXIT="1")   # the child exits at once, failed
    assert result.ok, result.output
    split = SPLIT.search(result.output)
    assert split and split[2] == "0" and split[1] == "21", result.output
    assert re.search(DIED.format(r"\d+"), result.output), result.output
    assert differences(tmp_path / "site", site) == []
    assert page_lines(result.output) == page_lines(output)


def test_a_child_that_dies_after_the_markdown_leaves_its_templates_to_main_and_the_site_is_the_same(
        example, one_process, tmp_path):
    site, output = one_process
    with_pool(example, POOL_ON)
    result = full_build(example, tmp_path / "site", ZFXXGK_POOL_TEST_EXIT="2")   # the child exits after its first message
    assert result.ok, result.output
    split = SPLIT.search(result.output)
    assert split and int(split[2]) >= 1, result.output
    assert DIED_LATER.format(split[2]) in result.output
    assert differences(tmp_path / "site", site) == []
    assert page_lines(result.output) == page_lines(output)                # each line once: at on_env, not again


def test_a_link_to_a_withheld_document_fails_the_build_as_in_one_process(make_project, tmp_path):
    """The gate's problems found in the child travel back: every page links to a withheld document."""
    project = make_project(with_content=False)
    for n in range(1, 7):
        project.write(f"{DOCS}/d{n}.md", document(n, f"示例县测试文件{n}",
                                                  "依据[第九号文件](../../wj/000000001-2024-00009/)办理。"))
    project.write(f"{DOCS}/d9.md", document(9, "示例县内部请示", "内部请示正文。", attribute="依申请公开"))
    outputs = {}
    for name, setting in (("pool", POOL_ON), ("one", POOL_OFF)):
        with_pool(project, setting)
        result = full_build(project, tmp_path / name, "--strict")
        assert not result.ok
        outputs[name] = result.output
    assert re.search(r"并行生成：文件页面 \d+ 篇由主进程生成，[1-9]\d* 篇由 1 个子进程生成", outputs["pool"]), outputs["pool"]
    errors = {name: [line for line in out.splitlines() if "指向不发布的文件" in line or "未通过" in line]
              for name, out in outputs.items()}
    assert errors["pool"] == errors["one"]
    assert "不发布文件检查未通过：共 6 个错误（见上文），站点未更新。" in outputs["pool"]
    for n in range(1, 7):
        assert (f"错误 {DOCS}/d{n}.md:12: 正文链接“../../wj/000000001-2024-00009/”指向不发布的文件 {DOCS}/d9.md"
                f"（公开属性：依申请公开）；已发布的文件不得链接或关联不发布的文件，请删除该链接") in outputs["pool"]
