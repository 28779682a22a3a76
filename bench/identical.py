"""Byte-identical guard: two builds of the same project must write the same bytes.

Builds one project twice and compares every file either build wrote (the whole
``site/`` and what the build writes beside it, such as the compliance report)
byte for byte, and the two builds' logs (only timings and the
project's path may differ). Nothing is ignored: the build is deterministic (the build date
is the only clock it reads, so both builds must run on the same day).

Build A uses the code (``hooks/`` and ``overrides/``) of ``--base`` (a git ref,
default: this working tree), build B this working tree, uncommitted changes
included; both get the same project files (mkdocs.yml, catalog/, content/ of
this working tree) so only the code differs. ``--env-b NAME=VALUE`` sets an
environment variable for build B only (e.g. a serial/parallel switch).

    python bench/identical.py                          # determinism: this tree twice
    python bench/identical.py --base main --docs 1000  # an optimisation against main, 1,000 documents
    python bench/identical.py --docs 3000 --agencies 60 --env-b ZFXXGK_FRAGMENTS=0
"""
from __future__ import annotations

import argparse
import difflib
import filecmp
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path[:0] = [str(HERE), str(ROOT / "tests")]

from corpus import make_corpus, spread_agencies  # noqa: E402

INPUT_PARTS = ("mkdocs.yml", "catalog", "content")   # the same for both builds
CODE_PARTS = ("hooks", "overrides")                   # from each build's own tree
_TIMING = re.compile(r"\d+(\.\d+)? 秒")                # the log's timings; everything else must match
SKIPPED_DIRS = {".cache"}                             # the build's caches and its stamp (stamp: digest of site/)


def code_tree(ref: str | None, dest: Path) -> Path:
    """A directory holding ``hooks/`` and ``overrides/`` of ``ref`` (None: this working tree)."""
    if ref is None:
        return ROOT
    dest.mkdir(parents=True)
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", ref, *CODE_PARTS], check=True, capture_output=True)
    subprocess.run(["tar", "-x", "-C", str(dest)], input=archive.stdout, check=True)
    return dest


def make_project(dest: Path, code: Path, docs: int | None, agencies: int | None) -> Path:
    dest.mkdir(parents=True)
    for part in INPUT_PARTS + CODE_PARTS:
        src = (code if part in CODE_PARTS else ROOT) / part
        if part == "content" and docs is not None:
            (dest / "content").mkdir()
            (dest / "content" / "index.md").write_text("---\ntitle: 政府信息公开\n---\n", encoding="utf-8")
        elif src.is_dir():
            shutil.copytree(src, dest / part, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(src, dest / part)
    if docs is not None:
        make_corpus(dest, docs)
    if agencies is not None:
        spread_agencies(dest, agencies)
    return dest


def build(project: Path, env_extra: dict[str, str]) -> tuple[float, float, list[str]]:
    """Run ``mkdocs build``; (wall seconds, time the build started, its log). Exits on failure."""
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", PYTHONPATH=str(project / "hooks"), **env_extra)
    started = time.time()
    proc = subprocess.run([sys.executable, "-m", "mkdocs", "build"], cwd=project, env=env,
                          capture_output=True, text=True)
    if proc.returncode:
        sys.exit(f"build failed in {project}:\n{proc.stderr[-3000:]}")
    return time.time() - started, started, [_TIMING.sub("… 秒", line.replace(str(project), "<project>"))
                                        for line in proc.stderr.splitlines()]


def written(project: Path, since: float) -> set[str]:
    """Every file under site/, and every other file the build wrote (modified after ``since``)."""
    out = set()
    for root, dirs, names in os.walk(project):
        rel_root = Path(root).relative_to(project)
        dirs[:] = [d for d in dirs if not (rel_root == Path(".") and (d in SKIPPED_DIRS or d in CODE_PARTS))]
        for name in names:
            path = Path(root) / name
            rel = path.relative_to(project).as_posix()
            if rel.startswith("site/") or path.stat().st_mtime >= since - 1:
                out.add(rel)
    return {r for r in out if not r.startswith(("content/", "catalog/")) and r != "mkdocs.yml"}


def show_difference(a: Path, b: Path, rel: str) -> None:
    try:
        ta, tb = a.read_text(encoding="utf-8"), b.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        print(f"  {rel}: binary, {a.stat().st_size} vs {b.stat().st_size} bytes")
        return
    lines = list(difflib.unified_diff(ta.splitlines(), tb.splitlines(), "A/" + rel, "B/" + rel, n=1, lineterm=""))
    for line in lines[:20]:
        print("  " + line[:300])
    if len(lines) > 20:
        print(f"  … {len(lines) - 20} more diff lines")


def compare(a: Path, since_a: float, b: Path, since_b: float, shown: int) -> int:
    """Print the differences; the number of differing or missing files."""
    files_a, files_b = written(a, since_a), written(b, since_b)
    only_a, only_b = sorted(files_a - files_b), sorted(files_b - files_a)
    for rel in only_a[:shown]:
        print(f"only in A: {rel}")
    for rel in only_b[:shown]:
        print(f"only in B: {rel}")
    differing = [rel for rel in sorted(files_a & files_b) if not filecmp.cmp(a / rel, b / rel, shallow=False)]
    for rel in differing[:shown]:
        show_difference(a / rel, b / rel, rel)
    total = sum((a / rel).stat().st_size for rel in files_a & files_b)
    print(f"compared {len(files_a & files_b)} files ({total / 1e6:.1f} MB): {len(differing)} differ, "
          f"{len(only_a)} only in A, {len(only_b)} only in B")
    return len(differing) + len(only_a) + len(only_b)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", help="git ref whose hooks/ and overrides/ build A (default: this working tree)")
    parser.add_argument("--docs", type=int, help="a synthetic corpus of N documents (bench/corpus.py) "
                                                 "instead of the example site's content/")
    parser.add_argument("--agencies", type=int, help="spread the publishers over N agencies (bench/corpus.py)")
    parser.add_argument("--env-b", action="append", default=[], metavar="NAME=VALUE",
                        help="environment variable for build B only (repeatable)")
    parser.add_argument("--show", type=int, default=10, help="differing files to show")
    parser.add_argument("--keep", help="directory to keep both projects in")
    args = parser.parse_args()
    root = Path(args.keep or tempfile.mkdtemp(prefix="zf-identical-"))
    root.mkdir(parents=True, exist_ok=True)
    env_b = dict(item.split("=", 1) for item in args.env_b)
    a = make_project(root / "a", code_tree(args.base, root / "base-code"), args.docs, args.agencies)
    b = make_project(root / "b", ROOT, args.docs, args.agencies)
    wall_a, since_a, log_a = build(a, {})
    wall_b, since_b, log_b = build(b, env_b)
    print(f"A ({args.base or 'working tree'}): {wall_a:.1f} s; B (working tree{', ' if env_b else ''}"
          f"{' '.join(args.env_b)}): {wall_b:.1f} s")
    bad = compare(a, since_a, b, since_b, args.show)
    log_diff = list(difflib.unified_diff(log_a, log_b, "A: log", "B: log", n=0, lineterm=""))
    for line in log_diff[:2 * args.show]:
        print("  " + line[:300])
    print(f"build logs ({len(log_a)} and {len(log_b)} lines): {'the same' if not log_diff else 'differ'}")
    bad += bool(log_diff)
    if not args.keep:
        shutil.rmtree(root, ignore_errors=True)
    print("IDENTICAL" if bad == 0 else "DIFFERENT")
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
