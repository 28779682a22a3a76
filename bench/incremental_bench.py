"""Incremental publishing (hooks/zfxxgk/pages/cache.py): a one-document edit against a full build.

    python bench/incremental_bench.py --n 1000 --work /tmp/ib

Builds a project of N documents from the law corpus from scratch (ZFXXGK_FULL_BUILD=1: the
cache is ignored, and written), then edits one document's body and builds with the cache;
--runs times. Prints each run, the wall and CPU seconds of each kind (median, CPU of all
processes) and their ratio, measured in the same run, with the load average.
"""
from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import make_corpus  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
PARTS = ("mkdocs.yml", "catalog", "overrides", "content")


def project(work: Path, n: int) -> Path:
    root = work / f"p{n}"
    if not (root / "mkdocs.yml").exists():
        root.mkdir(parents=True, exist_ok=True)
        for part in PARTS:
            src = ROOT / part
            if src.is_dir():
                shutil.copytree(src, root / part)
            else:
                shutil.copy2(src, root / part)
        make_corpus(root, n)
    return root


def build(root: Path, full: bool) -> tuple[float, float, str]:
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", PYTHONPATH=str(ROOT / "hooks"))
    env.pop("ZFXXGK_FULL_BUILD", None)
    if full:
        env["ZFXXGK_FULL_BUILD"] = "1"
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q"], cwd=root, env=env,
                          capture_output=True, text=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode:
        sys.exit(proc.stdout + proc.stderr)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime), proc.stderr


def edit_one(root: Path, run: int) -> None:
    docs = sorted((root / "content" / "documents").rglob("*.md"))
    doc = docs[(run * 7919) % len(docs)]
    doc.write_text(doc.read_text(encoding="utf-8") + f"\n第{run}次修改：补充说明。\n", encoding="utf-8")


def main() -> None:
    args = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    args.add_argument("--n", type=int, default=1000)
    args.add_argument("--runs", type=int, default=3)
    args.add_argument("--work", type=Path, default=Path("/tmp/zfxxgk-incremental"))
    a = args.parse_args()
    root = project(a.work, a.n)
    full, inc = [], []
    load_before = os.getloadavg()[0]
    for run in range(a.runs):
        full.append(build(root, full=True)[:2])   # from scratch (writes the cache the edit then uses)
        edit_one(root, run)
        inc.append(build(root, full=False)[:2])   # the one edit, with the cache
        print(f"run {run + 1}: full wall {full[-1][0]:.1f} s cpu {full[-1][1]:.1f} s; "
              f"edit wall {inc[-1][0]:.1f} s cpu {inc[-1][1]:.1f} s; load average {os.getloadavg()[0]:.1f}", flush=True)
    fw, fc = statistics.median(w for w, _ in full), statistics.median(c for _, c in full)
    iw, ic = statistics.median(w for w, _ in inc), statistics.median(c for _, c in inc)
    print(f"documents {a.n}, runs {a.runs}, load average {load_before:.1f} before, {os.getloadavg()[0]:.1f} after")
    print(f"full build         wall {fw:7.1f} s   cpu {fc:7.1f} s")
    print(f"one-document edit  wall {iw:7.1f} s   cpu {ic:7.1f} s")
    print(f"ratio edit/full    wall {iw / fw:7.2f}     cpu {ic / fc:7.2f}")


if __name__ == "__main__":
    main()
