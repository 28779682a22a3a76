"""The publication gate's share of a full build.

Builds a project of N real documents (bench/corpus.py) once and reads the
build's own log: the time the gate spent classifying content/ and resolving
every page's references (「发布审批」), the leak audit (「泄露审计」) and the
whole build. Prints each and its share of the build.

    python bench/gate_bench.py --n 10000
"""
from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent / "tests")]

from conftest import copy_project  # noqa: E402
from corpus import make_corpus  # noqa: E402

FIGURES = {"gate": r"发布审批：.*用时 ([\d.]+) 秒", "audit": r"泄露审计：.*用时 ([\d.]+) 秒"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=10000)
    parser.add_argument("--work", type=Path, default=None, help="keep the project here")
    args = parser.parse_args()
    root = args.work or Path(tempfile.mkdtemp(prefix="gate-bench-"))
    project = root / f"gate-{args.n}"
    if not project.exists():
        project.mkdir(parents=True)
        copy_project(project, with_content=False)
        (project / "content" / "index.md").write_text("---\ntitle: 政府信息公开\n---\n", encoding="utf-8")
        made = make_corpus(project, args.n)
        print(f"corpus: {made} documents in {project}")
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    start = time.monotonic()
    proc = subprocess.run([sys.executable, "-m", "mkdocs", "build"], cwd=project, capture_output=True, text=True, env=env)
    total = time.monotonic() - start
    if proc.returncode:
        sys.exit(proc.stderr[-3000:])
    print(f"documents: {args.n}   build: {total:.1f} s")
    for name, pattern in FIGURES.items():
        seconds = float(re.search(pattern, proc.stderr)[1])
        print(f"{name:>6}: {seconds:.2f} s = {100 * seconds / total:.1f}% of the build")


if __name__ == "__main__":
    main()
