"""The citizens' search against Pagefind (npm ``pagefind``, pinned in package.json) on one built site.

    python bench/pagefind_bench.py --n 2466 [--work /tmp/pagefind-bench] [--reuse]

Builds the benchmark corpus (bench/corpus.py: the real laws plus the example
site) with ``mkdocs build``, then indexes the same built site with Pagefind
(document pages only: the bench marks their <article> with data-pagefind-body in
its copy of the site). Both engines answer the same relevance set
(tests/data/relevance.yml) in headless Chromium: ours through the real /search/
page, Pagefind through its JavaScript API on a minimal page that lists the
first five results (title from ``data()``, as its UI does). Prints per engine:
top-1 and top-5, gzip bytes from an empty cache to the first result list for
typical queries, keystroke-to-results time (median, p90), index build time
and peak memory (max RSS of the indexing process).

Index build of ours: search_index.Indexer over the pages' sanitized HTML
(rendered beforehand, as MkDocs does before the index sees it), in its own
process; Pagefind: its CLI over the built site. The machine may be shared:
times are indicative.

Measured at N=2466 (the real laws plus the example site; 2,483 published pages),
105 queries, on the 2-core machine shared with six other jobs (load average
12-15), Pagefind 1.6.0, 2026-11-30:

| engine | top-1 | top-5 | first query, gzip KB (all / search files): 安全生产; 冠政办发〔2021〕9号; 个人信息保护; 政务公开工作要点; 中华人民共和国 | keystroke→results median / p90 ms | index build s | peak MB |
|---|---|---|---|---|---|---|
| ours | 100% (105) | 100% (105) | 180/106; 145/71; 160/86; 182/108; 230/156 | 210 / 471 | 123.4 | 242 |
| pagefind | 43% (45) | 64% (67) | 263/262; 347/346; 290/290; 301/300; 339/338 | 372 / 954 | 451.4 | 3871 |

"all" for ours includes the search page with Material's CSS and JavaScript; the
Pagefind page is a bare harness, so its "all" is nearly only Pagefind's files.

Measured at N=10000 (the laws, their verbatim copies "（汇编N）" and the example site as of
before the agencies; 10,017 documents), 105 queries, 2026-11-30, load average 9-14 on the
2 cores (three other agents' builds and tests running), Pagefind 1.6.0:
``python bench/search_bench.py --n 10000 --work /tmp/sb`` (the build), then
``python bench/pagefind_bench.py --n 10000 --work /tmp/sb --reuse``. Ours as of the byte
fixes (row blocks of 16, 3,000-character slices, smaller postings and typo shards, packed
meta.json): ``python bench/search_bench.py --n 10000 --work <copy> --reuse --reindex``.

| engine | top-1 | top-5 | first query, gzip KB (all / search files): 安全生产; 冠政办发〔2021〕9号; 个人信息保护; 政务公开工作要点; 中华人民共和国 | keystroke→results median / p90 ms | index build s | peak MB |
|---|---|---|---|---|---|---|
| ours, before the byte fixes | 98% (103) | 98% (103) | 182/136; 132/87; 152/106; 167/121; 223/177 | 173 / 435 | 434.9 | 435 |
| ours, after (search_bench) | 98% (103) | not measured | 123/77; 114/68; 123/77; 132/87; 141/96 | 189 / 421 | 352.2 | 435 |
| pagefind | 36% (38) | 52% (55) | 470/469; 451/450; 532/531; 498/498; 915/915 | 249 / 1550 | 1470.9 | 15660 |
"""
from __future__ import annotations

import argparse
import json
import re
import shutil
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "hooks"), str(ROOT / "tests"), str(ROOT)]

from bench.corpus import make_corpus  # noqa: E402
from bench.search_bench import (TYPICAL, first_query_bytes, is_first, max_rss_run, our_index, relevance_set, transferred,  # noqa: E402
                                serve, tree_size)
from conftest import CHROMIUM, CHROMIUM_ARGS, copy_project  # noqa: E402

PAGEFIND = ROOT / "node_modules" / ".bin" / "pagefind"
TOP = 5

HARNESS = """<!doctype html>
<html lang="zh"><head><meta charset="utf-8"><title>Pagefind</title></head>
<body><input id="q" aria-label="检索"><ol id="results"></ol>
<script type="module">
const pf = await import("/pagefind/pagefind.js");
let seq = 0, typedAt = 0;
async function run(q) {
  const mine = ++seq;
  const r = await pf.search(q);
  if (mine !== seq || !r) return;
  const data = await Promise.all(r.results.slice(0, %d).map(x => x.data()));
  if (mine !== seq) return;
  const ol = document.getElementById("results");
  ol.textContent = "";
  for (const d of data) {
    const li = document.createElement("li");
    li.textContent = d.meta.title || "";
    li.dataset.url = d.url;
    li.dataset.excerpt = d.excerpt;
    ol.appendChild(li);
  }
  document.body.dataset.total = String(r.results.length);
  if (typedAt) { document.body.dataset.ms = String(Math.round(performance.now() - typedAt)); typedAt = 0; }
  document.body.dataset.done = String(mine);
}
const input = document.getElementById("q");
input.addEventListener("input", () => { typedAt = performance.now(); run(input.value); });
const q = new URLSearchParams(location.search).get("q");
if (q) { input.value = q; run(q); }
document.body.dataset.ready = "1";
</script></body></html>
""" % TOP

_ARTICLE = re.compile(r'<article class="md-content__inner')


def build_site(work: Path, n: int, reuse: bool) -> tuple[Path, float]:
    site = work / "site"
    if reuse and site.is_dir():
        return site, float("nan")
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    project = copy_project(work)
    make_corpus(work, n)
    for report in (work / "content" / "zfxxgknb").glob("*.yml"):
        report.unlink()   # the 年报 tables count real documents; the synthetic corpus does not fit them
    start = time.perf_counter()
    result = project.build(timeout=7200)
    if not result.ok:
        sys.exit(result.output[-3000:])
    return site, time.perf_counter() - start


def pagefind_site(site: Path, work: Path) -> tuple[Path, float, int]:
    """A copy of the site whose document pages are marked for Pagefind, indexed by its CLI."""
    copy = work / "site-pagefind"
    if not copy.is_dir():
        shutil.copytree(site, copy, symlinks=True)
        for page in (copy / "wj").glob("*/index.html"):
            html = page.read_text(encoding="utf-8")
            page.write_text(_ARTICLE.sub('<article data-pagefind-body class="md-content__inner', html, count=1),
                            encoding="utf-8")
        (copy / "pagefind-bench").mkdir()
        (copy / "pagefind-bench" / "index.html").write_text(HARNESS, encoding="utf-8")
    shutil.rmtree(copy / "pagefind", ignore_errors=True)
    wall, rss, out = max_rss_run([str(PAGEFIND), "--site", str(copy)])
    print("  pagefind:", " ".join(out.split()[-12:]), flush=True)
    return copy, wall, rss


def titles_by_url(site: Path) -> dict[str, tuple[str, str]]:
    out = {}
    for path in sorted((site / "search" / "data" / "r").glob("*.json")):
        for row in json.loads(path.read_text(encoding="utf-8")):
            out[row[3].strip("/")] = (row[0], row[4])
    return out


def pagefind_bytes(browser, base: str, site: Path, q: str) -> tuple[int, int]:
    """gzip bytes (everything, Pagefind's files) from an empty cache to the first five results."""
    context = browser.new_context()
    page = context.new_page()
    urls: list[str] = []
    page.on("requestfinished", lambda r: urls.append(r.url))
    page.goto(base + "pagefind-bench/?q=" + quote(q))
    page.wait_for_selector("body[data-done]", timeout=60000)
    total, pagefind = transferred(site, urls, ("pagefind/",))
    context.close()
    return total, pagefind


def relevance(browser, base: str, items: list[dict], engine: str, urls: dict) -> tuple[int, int, list[float]]:
    """(top-1, top-5, keystroke-to-results ms) over the relevance set, typed into one page."""
    page = browser.new_page()
    if engine == "ours":
        page.goto(base + "search/")
        page.wait_for_selector("#zf-status:not(:empty)")
        box, done, read = "#zf-q", "#zf-search[data-ms]", """() => Array.from(document.querySelectorAll('.zf-hit')).slice(0, 5)
            .map(li => ({url: li.querySelector('.zf-hit__title a').getAttribute('href')}))"""
        reset = "document.getElementById('zf-search').removeAttribute('data-ms')"
        ms = "document.getElementById('zf-search').dataset.ms"
    else:
        page.goto(base + "pagefind-bench/")
        page.wait_for_selector("body[data-ready]")
        box, done, read = "#q", "body[data-ms]", """() => Array.from(document.querySelectorAll('#results li'))
            .map(li => ({url: li.dataset.url}))"""
        reset = "document.body.removeAttribute('data-ms')"
        ms = "document.body.dataset.ms"
    first = five = 0
    times = []
    for item in items:
        page.evaluate(reset)
        page.fill(box, item["q"])
        page.wait_for_selector(done, timeout=60000)
        times.append(float(page.evaluate(ms)))
        hits = []
        for h in page.evaluate(read):
            key = re.sub(r"^(?:https?://[^/]+)?/", "", h["url"]).strip("/")
            title, date = urls.get(key, ("?", ""))
            hits.append({"title": title, "date": date})
        first += is_first(item, hits[:1])
        five += any(is_first(item, [h]) for h in hits[:TOP])
    page.close()
    return first, five, times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=2466)
    parser.add_argument("--work", type=Path, default=Path("/tmp/pagefind-bench"))
    parser.add_argument("--reuse", action="store_true", help="reuse an existing build in --work")
    args = parser.parse_args()
    if not PAGEFIND.exists():
        sys.exit("pagefind is missing: npm ci")
    work = args.work / f"n{args.n}"
    site, build_s = build_site(work, args.n, args.reuse)
    print(f"N={args.n}: full mkdocs build {build_s:.0f} s")
    our_s, our_rss = our_index(work)
    files, raw, packed = tree_size(site / "search" / "data")
    print(f"ours: index {our_s:.1f} s, peak {our_rss / 1024:.0f} MB; {files} files, {packed / 1e6:.1f} MB gzip")
    pf_site, pf_s, pf_rss = pagefind_site(site, work)
    files, raw, packed = tree_size(pf_site / "pagefind")
    print(f"pagefind: index {pf_s:.1f} s, peak {pf_rss / 1024:.0f} MB; {files} files, {packed / 1e6:.1f} MB gzip")

    from playwright.sync_api import sync_playwright
    items = relevance_set()
    urls = titles_by_url(site)
    server, base = serve(pf_site)
    rows = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for engine in ("ours", "pagefind"):
            sizes = []
            for q in TYPICAL:
                if engine == "ours":
                    r = first_query_bytes(browser, base, pf_site, q)
                    sizes.append((r["gzip_total"], r["gzip_search"]))
                else:
                    sizes.append(pagefind_bytes(browser, base, pf_site, q))
            first, five, times = relevance(browser, base, items, engine, urls)
            rows[engine] = (first, five, times, sizes)
        browser.close()
    server.shutdown()
    n = len(items)
    print(f"\nrelevance set: {n} queries; N={args.n}; machine shared (2 cores, other jobs running)")
    print("| engine | top-1 | top-5 | first query, gzip KB (all / search files), " + ", ".join(TYPICAL) +
          " | keystroke→results median / p90 ms | index build s | peak MB |")
    print("|---|---|---|---|---|---|---|")
    for engine, (first, five, times, sizes) in rows.items():
        kb = "; ".join(f"{a / 1024:.0f}/{b / 1024:.0f}" for a, b in sizes)
        build, rss = (our_s, our_rss) if engine == "ours" else (pf_s, pf_rss)
        print(f"| {engine} | {100 * first / n:.0f}% ({first}) | {100 * five / n:.0f}% ({five}) | {kb} | "
              f"{statistics.median(times):.0f} / {sorted(times)[int(len(times) * 0.9)]:.0f} | {build:.1f} | {rss / 1024:.0f} |")


if __name__ == "__main__":
    main()
