"""Full-build benchmark: this project's build against a plain Material build.

For each N, makes a corpus of N real documents (bench/corpus.py), then times
``mkdocs build`` of (a) the project with every hook and (b) plain Material on
the same Markdown (no hooks, documents outside the nav, search plugin off).
Prints wall time, documents/second and peak memory, the ratio to plain, and
how the time grows with N.

    python bench/build_bench.py --sizes 1000,10000 --runs 3
"""
from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent / "tests")]

from conftest import copy_project  # noqa: E402
from corpus import make_corpus  # noqa: E402

PLAIN_CONFIG = """site_name: plain
docs_dir: content
site_dir: site
theme: {name: material, language: zh, font: false}
plugins: []
nav: [index.md]
not_in_nav: |
  /documents/**
"""
MEASURE = ("import resource, subprocess, sys; rc = subprocess.call(sys.argv[1:]); "
           "print('MAXRSS', resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, file=sys.stderr); sys.exit(rc)")


def timed_build(project: Path) -> tuple[float, float]:
    """(seconds, peak RSS in MB) of one clean ``mkdocs build``."""
    shutil.rmtree(project / "site", ignore_errors=True)
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    start = time.monotonic()
    proc = subprocess.run([sys.executable, "-c", MEASURE, sys.executable, "-m", "mkdocs", "build", "-q"],
                          cwd=project, capture_output=True, text=True, env=env)
    elapsed = time.monotonic() - start
    if proc.returncode:
        sys.exit(f"build failed in {project}:\n{proc.stderr[-3000:]}")
    rss = next(int(l.split()[1]) for l in proc.stderr.splitlines() if l.startswith("MAXRSS"))
    return elapsed, rss / 1024


def make_projects(root: Path, n: int) -> tuple[Path, Path]:
    ours = root / f"ours-{n}"
    ours.mkdir()
    copy_project(ours, with_content=False)
    (ours / "content" / "index.md").write_text("---\ntitle: 政府信息公开\n---\n", encoding="utf-8")
    make_corpus(ours, n)
    plain = root / f"plain-{n}"
    plain.mkdir()
    shutil.copytree(ours / "content", plain / "content")
    (plain / "mkdocs.yml").write_text(PLAIN_CONFIG, encoding="utf-8")
    return ours, plain


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000")
    parser.add_argument("--runs", type=int, default=1, help="builds per configuration; the median is reported")
    parser.add_argument("--keep", help="directory to keep the generated projects in")
    args = parser.parse_args()
    root = Path(args.keep or tempfile.mkdtemp(prefix="zf-bench-"))
    root.mkdir(parents=True, exist_ok=True)
    results: dict[int, dict[str, tuple[float, float]]] = {}
    for n in (int(s) for s in args.sizes.split(",")):
        ours, plain = make_projects(root, n)
        results[n] = {}
        for name, project in (("plain", plain), ("ours", ours)):
            runs = [timed_build(project) for _ in range(args.runs)]
            t, mem = statistics.median(r[0] for r in runs), max(r[1] for r in runs)
            results[n][name] = (t, mem)
            print(f"N={n:>6} {name:5} {t:7.1f} s  {n / t:7.1f} docs/s  peak {mem:6.0f} MB", flush=True)
        print(f"N={n:>6} ratio ours/plain = {results[n]['ours'][0] / results[n]['plain'][0]:.2f}", flush=True)
    sizes = sorted(results)
    for small, big in zip(sizes, sizes[1:]):
        for name in ("plain", "ours"):
            print(f"growth {name}: t({big})/t({small}) = {results[big][name][0] / results[small][name][0]:.2f} "
                  f"(N ratio {big / small:.0f})")
    if not args.keep:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
