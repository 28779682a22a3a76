"""Proof that the platform's build pipeline made the published site.

An engine that skips ``hooks:`` (Zensical ignores them silently; "MkDocs 2.0"
drops them) would still write a site, but without validation, the publication
gate, the leak audit or the catalogue pages. After a successful build the last
hook writes a stamp outside the site, ``.cache/zfxxgk/pipeline.json``: the
engine and a digest of the published directory (every file's path and size).
``python -m zfxxgk.publication.stamp site`` fails when the stamp is missing or does not
describe the directory, i.e. when the site was not made by a build that ran
the pipeline; the publishing pipelines run it before deploying.
"""
from __future__ import annotations

import hashlib
import json
import os
import sys
from pathlib import Path
from typing import Iterable, Iterator

STAMP = Path(".cache") / "zfxxgk" / "pipeline.json"
ENGINES = ("mkdocs 1.6", "properdocs 1.6")   # engines that run hooks (tests/test_engines.py builds with both)


def digest(site_dir: Path) -> str:
    """sha256 over every file's relative path and size, in sorted order."""
    return digest_of(_files(site_dir))


def digest_of(files: Iterable[tuple[str, int]]) -> str:
    """The digest of a listing of (relative path, size) in the order ``digest`` walks: a folder's
    files by name, then its folders by name (the leak audit lists the site so: the build passes
    its listing instead of walking the site again)."""
    h = hashlib.sha256()
    for rel, size in files:
        h.update(f"{rel}\0{size}\n".encode())
    return h.hexdigest()


def _files(site_dir: Path) -> Iterator[tuple[str, int]]:
    base = os.fspath(site_dir).rstrip(os.sep)
    for root, dirs, names in os.walk(base):     # plain strings: Path objects were most of the time
        dirs.sort()
        prefix = root[len(base) + 1:].replace(os.sep, "/")
        for name in sorted(names):
            yield (f"{prefix}/{name}" if prefix else name), os.stat(os.path.join(root, name)).st_size


def engine() -> str:
    """The running engine's name and version (ProperDocs answers for ``import mkdocs``)."""
    import mkdocs
    name = "properdocs" if mkdocs.__name__ == "properdocs" else "mkdocs"
    return f"{name} {mkdocs.__version__}"


def write_stamp(project: Path, site_dir: Path, files: list[tuple[str, int]] | None = None) -> None:
    """The stamp of ``site_dir``; ``files``: its listing as the build's last step read it, if it has one."""
    path = project / STAMP
    path.parent.mkdir(parents=True, exist_ok=True)
    rel = os.path.relpath(site_dir, project)
    shown = digest_of(files) if files is not None else digest(site_dir)
    path.write_text(json.dumps({"engine": engine(), "site_dir": rel, "digest": shown}, ensure_ascii=False),
                    encoding="utf-8")


def forget_stamp(project: Path) -> None:
    (project / STAMP).unlink(missing_ok=True)


def verify(project: Path, site_dir: Path) -> str | None:
    """None when ``site_dir`` is what the pipeline last published; otherwise the reason, in Chinese."""
    hint = ("可能使用了忽略 hooks 的构建引擎（如 Zensical、MkDocs 2.0），校验、发布闸门和泄露审计都没有运行；"
            "请用 mkdocs build --strict 或 properdocs build --strict 重新构建")
    path = project / STAMP
    if not path.is_file():
        return f"{site_dir} 不是本平台的构建流程生成的：没有构建记录 {STAMP.as_posix()}；{hint}"
    stamp = json.loads(path.read_text(encoding="utf-8"))
    if not site_dir.is_dir() or stamp.get("digest") != digest(site_dir):
        return (f"{site_dir} 与最近一次完整构建（{stamp.get('engine', '?')}）的输出不一致：站点在构建之后被改动，"
                f"或由其他构建命令生成；{hint}")
    return None


def main(argv: list[str]) -> int:
    site = Path(argv[0] if argv else "site")
    problem = verify(Path.cwd(), site)
    if problem:
        print(f"错误 {problem}", file=sys.stderr)
        return 1
    print(f"站点 {site} 由本平台的构建流程生成，可以发布")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
