"""Two engines, one site: MkDocs 1.6.1 and ProperDocs build the same bytes; an engine that skips hooks is refused."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from conftest import copy_project


def _env() -> dict[str, str]:
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", DISABLE_MKDOCS_2_WARNING="true", PYTHONDONTWRITEBYTECODE="1")
    env.pop("ZFXXGK_LOG", None)
    return env


def _run(cwd: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, *args], cwd=cwd, env=_env(), capture_output=True, text=True, timeout=900)


def _tree(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*") if p.is_file()}


def test_properdocs_builds_the_example_site_byte_identical_to_mkdocs(example_site, tmp_path):
    project = copy_project(tmp_path / "properdocs")
    built = _run(project.root, "-m", "properdocs", "build", "--strict", "-f", "mkdocs.yml")
    assert built.returncode == 0, built.stdout + built.stderr
    assert "信息      -  站点生成完毕，用时" in built.stderr, "the Chinese build log works under ProperDocs too"
    mkdocs_site, properdocs_site = _tree(example_site.site), _tree(project.site)
    assert sorted(mkdocs_site) == sorted(properdocs_site)
    different = [rel for rel in mkdocs_site if mkdocs_site[rel] != properdocs_site[rel]]
    assert different == []
    stamp = (project.root / ".cache" / "zfxxgk" / "pipeline.json").read_text(encoding="utf-8")
    assert '"engine": "properdocs 1.6.7"' in stamp


def test_the_pages_do_not_name_the_engine(example_site):
    index = (example_site.site / "index.html").read_text(encoding="utf-8")
    assert 'name="generator"' not in index and "mkdocs-1.6.1" not in index
    assert 'name="generator"' not in (example_site.site / "404.html").read_text(encoding="utf-8")


def test_a_site_not_made_by_the_pipeline_is_refused_before_publishing(tmp_path):
    project = copy_project(tmp_path / "nohooks")
    # MkDocs itself stops at our templates without the plugin (overrides/main.html); an engine with lenient
    # templates that ignores hooks (as Zensical does) still writes a site/: any such directory stands for it.
    bare = _run(project.root, "-m", "mkdocs", "build", "-f", str(_hookless(project.root)))
    assert bare.returncode != 0 and "'zfxxgk_plugin_missing' is undefined" in bare.stderr
    project.write("site/index.html", "<h1>示例县人民政府 政府信息公开</h1>")
    gate = _run(project.root, "-m", "zfxxgk.publication.stamp", "site")
    assert gate.returncode == 1
    assert "site 不是本平台的构建流程生成的：没有构建记录 .cache/zfxxgk/pipeline.json" in gate.stderr, gate.stderr
    assert "忽略 hooks 的构建引擎（如 Zensical、MkDocs 2.0）" in gate.stderr

    assert _run(project.root, "-m", "mkdocs", "build", "--strict").returncode == 0
    gate = _run(project.root, "-m", "zfxxgk.publication.stamp", "site")
    assert gate.returncode == 0 and "由本平台的构建流程生成" in gate.stdout, gate.stderr

    # The stamp describes that output only: a site rewritten afterwards no longer matches.
    project.write("site/index.html", "<h1>示例县人民政府 政府信息公开</h1>")
    gate = _run(project.root, "-m", "zfxxgk.publication.stamp", "site")
    assert gate.returncode == 1 and "与最近一次完整构建（mkdocs 1.6.1）的输出不一致" in gate.stderr, gate.stderr


def _hookless(root: Path) -> Path:
    config = root / "mkdocs-nohooks.yml"
    text = (root / "mkdocs.yml").read_text(encoding="utf-8")
    # An engine that skips unknown plugins (as Zensical does) builds without the platform's plugin.
    config.write_text(text.replace("plugins:\n  - zfxxgk\n", "plugins: []\n").replace("site_dir: site", "site_dir: site-nohooks"),
                      encoding="utf-8")
    assert "zfxxgk" not in config.read_text(encoding="utf-8").split("plugins:")[1].split("\n")[0]
    return config


def test_a_failed_build_leaves_no_stamp(make_project):
    project = make_project()
    assert project.build("--strict").ok
    stamp = project.root / ".cache" / "zfxxgk" / "pipeline.json"
    assert stamp.is_file()
    index = project.content / "index.md"
    index.write_text(index.read_text(encoding="utf-8") + "\n[附件](nothere.md)\n", encoding="utf-8")
    assert not project.build("--strict").ok
    assert not stamp.exists()


def test_the_stamp_digests_the_leak_audits_listing_as_it_would_walk_the_site(tmp_path):
    """The build stamps the site from the leak audit's listing (no second walk): a folder's files
    by name, then its folders by name; links to folders are not followed; the same digest."""
    from zfxxgk.audit.leaks import output_files
    from zfxxgk.publication.stamp import digest, digest_of
    for rel, text in {"b.txt": "bb", "ab.txt": "a", "a/z.txt": "zzz", "a/b/c.txt": "", "a-b/d.txt": "dddd"}.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(text, encoding="utf-8")
    (tmp_path / "link").symlink_to(tmp_path / "a", target_is_directory=True)
    listing = [("ab.txt", 1), ("b.txt", 2), ("a/z.txt", 3), ("a/b/c.txt", 0), ("a-b/d.txt", 4)]
    assert output_files(tmp_path) == listing
    assert digest_of(listing) == digest(tmp_path)
    assert digest_of(listing[:-1]) != digest(tmp_path)
