"""Full-build benchmark: this project's build against a plain Material build.

For each N, makes a corpus of N real documents (bench/corpus.py), then times
``mkdocs build`` of (a) the project with every hook and (b) plain Material on
the same Markdown (no hooks, documents outside the nav, search plugin off).
Prints wall time, CPU time (all processes), documents/second and peak memory
(the largest process, and all processes together sampled every 0.2 s: resident
sizes summed, and PSS, which counts a page forked children share once), the
ratio to plain, and how the time grows with N.

``--agencies 1,60`` builds the project once per agency count (bench/corpus.py
spread_agencies: the publishers, and so the documents, spread over the
agencies) and prints each count's ratio to the first.

``--edit`` then edits one document of each of this project's builds and builds again with the
build cache the full build wrote, the site folder removed first as on a pipeline's fresh runner
that restores only ``.cache/`` (the one-document edit of issue 16's budgets), and prints it as
``<name> edit``.

``--base DIR`` builds each project also with another checkout's code (DIR: its
``hooks`` directory, e.g. of ``git worktree add /tmp/base <rev>``), in turn with
this one's, and prints this code's ratio to it. Every build is a full build
(``ZFXXGK_FULL_BUILD=1``: the build cache of the run before is not used).

    python bench/build_bench.py --sizes 1000,10000 --runs 3
    python bench/build_bench.py --sizes 10000 --agencies 1,60
    python bench/build_bench.py --sizes 100000 --agencies 60 --no-plain --edit
    python bench/build_bench.py --sizes 3000 --agencies 60 --no-plain --base /tmp/base/hooks --runs 2
"""
from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent / "tests")]

from conftest import copy_project  # noqa: E402
from corpus import make_corpus, spread_agencies  # noqa: E402
from incremental_bench import edit_one  # noqa: E402

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
           "u = resource.getrusage(resource.RUSAGE_CHILDREN); "
           "print('MAXRSS', u.ru_maxrss, 'CPU', u.ru_utime + u.ru_stime, file=sys.stderr); sys.exit(rc)")


@dataclass
class Run:
    wall: float        # seconds
    cpu: float         # user + system seconds of every process of the build
    peak: float        # MB, the largest single process
    total: float       # MB, all processes of the build together (sampled)
    pss: float = 0.0   # MB, the same with each shared page counted once (proportional set size, sampled)


def _tree_rss(root: int) -> tuple[int, int]:
    """Resident kB of ``root`` and all its descendants (Linux /proc): summed, and as PSS (a page that
    forked children share with their parent, copy-on-write, counted once, not once per process)."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/status", encoding="ascii", errors="replace") as f:
                fields = dict(line.split(":", 1) for line in f if ":" in line)
        except OSError:
            continue
        pid = int(entry.name)
        children.setdefault(int(fields["PPid"]), []).append(pid)
        rss[pid] = int(fields.get("VmRSS", "0 kB").split()[0])
    total, pss, todo = 0, 0, [root]
    while todo:
        pid = todo.pop()
        total += rss.get(pid, 0)
        pss += _pss(pid)
        todo += children.get(pid, [])
    return total, pss


def _pss(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup", encoding="ascii", errors="replace") as f:
            return next((int(line.split()[1]) for line in f if line.startswith("Pss:")), 0)
    except OSError:
        return 0


def timed_build(project: Path, hooks: str | None = None, full: bool = True) -> Run:
    """Wall, CPU and memory of one ``mkdocs build`` into an empty site folder (with the code in ``hooks``
    if given): a full build, or with ``full=False`` one that uses the build cache (restored: the
    cache folder is where the last build left it, as a pipeline's cache step puts it back)."""
    # The last site is moved aside and deleted after the build, not before it: in CI there is no site
    # folder at all. Deleting 60,000 files just before made the build's first folders slow on this
    # VM's disk (ext4 without a journal skips recently freed inodes when it makes a folder: perf
    # showed recently_deleted() in ext4_mkdir), which no pipeline build meets.
    old_site = project / f"site.removed-{os.getpid()}"
    if (project / "site").exists():
        (project / "site").rename(old_site)
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    env.pop("ZFXXGK_FULL_BUILD", None)
    if full:
        env["ZFXXGK_FULL_BUILD"] = "1"
    if hooks:
        env["PYTHONPATH"] = hooks
    start = time.monotonic()
    proc = subprocess.Popen([sys.executable, "-c", MEASURE, sys.executable, "-m", "mkdocs", "build", "-q"],
                            cwd=project, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=env)
    total = pss = 0
    stderr: list[str] = []
    reader = threading.Thread(target=lambda: stderr.extend(proc.stderr))
    reader.start()
    while proc.poll() is None:
        rss, proportional = _tree_rss(proc.pid)
        total, pss = max(total, rss), max(pss, proportional)
        time.sleep(0.2)
    reader.join()
    elapsed = time.monotonic() - start
    shutil.rmtree(old_site, ignore_errors=True)
    if proc.returncode:
        sys.exit(f"build failed in {project}:\n{''.join(stderr)[-3000:]}")
    words = next(l.split() for l in stderr if l.startswith("MAXRSS"))
    return Run(elapsed, float(words[3]), int(words[1]) / 1024, total / 1024, pss / 1024)


def median_run(runs: list[Run]) -> Run:
    return Run(*(statistics.median(getattr(r, f) for r in runs) for f in ("wall", "cpu", "peak", "total", "pss")))


def show(n: int, name: str, r: Run) -> None:
    print(f"N={n:>6} {name:18} {r.wall:7.1f} s wall {r.cpu:7.1f} s CPU  {n / r.wall:7.1f} docs/s  "
          f"peak {r.peak:6.0f} MB (one process), {r.total:6.0f} MB (all), {r.pss:6.0f} MB (all, PSS)", flush=True)


def make_projects(root: Path, n: int) -> tuple[Path, Path]:
    ours = root / f"ours-{n}"
    ours.mkdir()
    copy_project(ours, with_content=False)
    (ours / "content" / "index.md").write_text("---\ntitle: 政府信息公开\n---\n", encoding="utf-8")
    make_corpus(ours, n)
    spread_agencies(ours, 1)
    plain = root / f"plain-{n}"
    plain.mkdir()
    shutil.copytree(ours / "content", plain / "content")
    (plain / "mkdocs.yml").write_text(PLAIN_CONFIG, encoding="utf-8")
    return ours, plain


def with_agencies(ours: Path, count: int) -> Path:
    """A copy of the project whose documents are spread over ``count`` agencies."""
    project = ours.with_name(f"{ours.name}-{count}ag")
    shutil.copytree(ours, project)
    load = spread_agencies(project, count)
    print(f"{project.name}: {count} agencies, documents per agency {min(load)}–{max(load)}", flush=True)
    return project


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000")
    parser.add_argument("--agencies", help="agency counts to build, e.g. 1,60 (default: one agency)")
    parser.add_argument("--runs", type=int, default=1, help="builds per configuration; the median is reported")
    parser.add_argument("--keep", help="directory to keep the generated projects in")
    parser.add_argument("--no-plain", action="store_true",
                        help="skip plain Material (at 100,000 documents it takes longer than ours)")
    parser.add_argument("--base", help="another checkout's hooks directory: each project is built with it too")
    parser.add_argument("--edit", action="store_true",
                        help="after each full build of ours, a one-document edit built with the cache")
    args = parser.parse_args()
    root = Path(args.keep or tempfile.mkdtemp(prefix="zf-bench-"))
    root.mkdir(parents=True, exist_ok=True)
    counts = [int(c) for c in args.agencies.split(",")] if args.agencies else []
    results: dict[int, dict[str, Run]] = {}
    for n in (int(s) for s in args.sizes.split(",")):
        ours, plain = make_projects(root, n)
        configs = [] if args.no_plain else [("plain", plain, None)]
        mine = str(HERE.parent / "hooks")   # this checkout's code, whatever the installed package points at
        ours_configs = [(f"agencies={c}", with_agencies(ours, c), mine) for c in counts] or [("ours", ours, mine)]
        configs += [c for name, project, hooks in ours_configs
                    for c in [(name, project, hooks)] + ([(f"{name} base", project, args.base)] if args.base else [])]
        names = [name for name, _, _ in configs]
        names += [f"{name} edit" for name, _, hooks in configs if args.edit and hooks is not None]
        runs: dict[str, list[Run]] = {name: [] for name in names}
        for run in range(args.runs):    # in turn, so that a change in the machine's load touches every configuration
            for name, project, hooks in configs:
                print(f"load average {os.getloadavg()[0]:.1f}", flush=True)
                runs[name].append(timed_build(project, hooks))
                show(n, f"{name} (run {len(runs[name])})", runs[name][-1])   # a long run shows progress
                if f"{name} edit" in runs:
                    edit_one(project, run)
                    runs[f"{name} edit"].append(timed_build(project, hooks, full=False))
                    show(n, f"{name} edit (run {run + 1})", runs[f"{name} edit"][-1])
        results[n] = {name: median_run(runs[name]) for name in names}
        for name in names:
            show(n, name, results[n][name])
        for name, _, _ in ours_configs if args.base else []:
            r, b = results[n][name], results[n][f"{name} base"]
            print(f"N={n:>6} {name}, this code / base: wall {r.wall / b.wall:.2f}, CPU {r.cpu / b.cpu:.2f}, "
                  f"peak memory {r.peak / b.peak:.2f} (one process), {r.total / b.total:.2f} (all)", flush=True)
        base = ours_configs[0][0]
        for name, _, _ in ours_configs if "plain" in results[n] else []:
            r, p = results[n][name], results[n]["plain"]
            print(f"N={n:>6} {name}/plain: wall {r.wall / p.wall:.2f}, CPU {r.cpu / p.cpu:.2f}", flush=True)
        for name, _, _ in ours_configs[1:]:
            r, b = results[n][name], results[n][base]
            print(f"N={n:>6} {name}/{base}: wall {r.wall / b.wall:.2f}, CPU {r.cpu / b.cpu:.2f}, "
                  f"peak memory {r.peak / b.peak:.2f} (one process), {r.total / b.total:.2f} (all)", flush=True)
    sizes = sorted(results)
    for small, big in zip(sizes, sizes[1:]):
        for name in results[big]:
            print(f"growth {name}: t({big})/t({small}) = {results[big][name].wall / results[small][name].wall:.2f} "
                  f"(N ratio {big / small:.0f})")
    if not args.keep:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
