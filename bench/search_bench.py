"""Benchmark of the citizens' search on the N-document benchmark corpus.

    python bench/search_bench.py --n 10000 [--work /tmp/search-bench]

Builds the corpus (bench/corpus.py) in a copy of the project, runs the full
``mkdocs build``, serves the site on localhost and queries it in headless
Chromium. Prints: full build time and the search index's share of it; the
total size of the index (raw and gzip); the gzip bytes a browser with an empty
cache transfers to show the first result list for typical queries (everything:
page, CSS, JS, index); the median time from keystroke to rendered results
over the relevance set (tests/data/relevance.yml); and the share of that set
whose expected document is ranked first; the gzip bytes from an empty cache
to the list under the banner box (type-ahead) for a few typed queries.

The helpers (relevance set, the Node query runner, the relevance index over
example site + real corpus) are shared with tests/test_search_index.py.
"""
from __future__ import annotations

import argparse
import datetime as dt
import functools
import gzip
import http.server
import json
import pickle
import re
import shutil
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import quote, unquote, urlparse

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "hooks"), str(ROOT / "tests"), str(ROOT)]

from bench.corpus import make_corpus  # noqa: E402
from bench.webserver import nginx  # noqa: E402
from conftest import CHROMIUM, CHROMIUM_ARGS, copy_project  # noqa: E402

CORE_JS = ROOT / "overrides" / "assets" / "javascripts" / "zf-search-core.js"
RELEVANCE = ROOT / "tests" / "data" / "relevance.yml"
TYPICAL = ["安全生产", "冠政办发〔2021〕9号", "个人信息保护", "政务公开工作要点", "中华人民共和国"]

NODE_RUNNER = r"""
const Z = require(process.argv[1]), fs = require("fs"), path = require("path");
const dir = process.argv[2];
const engine = new Z.Engine(async (p, asText) => {
  const s = fs.readFileSync(path.join(dir, p), "utf8");
  return asText ? s : JSON.parse(s);
});
(async () => {
  const out = [];
  for (const q of JSON.parse(fs.readFileSync(0, "utf8"))) {
    const r = await engine.search({q: q, filters: {}}, 10);
    out.push({total: r.total, hits: r.hits.slice(0, 3).map(h => ({title: h.title, date: h.date, url: h.url}))});
  }
  process.stdout.write(JSON.stringify(out));
})();
"""


def relevance_set() -> list[dict]:
    out = []
    for item in yaml.safe_load(RELEVANCE.read_text(encoding="utf-8"))["queries"]:
        item = {k: (v.isoformat() if isinstance(v, dt.date) else str(v)) for k, v in item.items()}
        out.append(item)
    return out


def is_first(item: dict, hits: list[dict]) -> bool:
    return bool(hits) and hits[0]["title"] == item["expect"] and \
        ("published" not in item or hits[0]["date"] == item["published"])


_COPY = re.compile(r"（汇编\d+）$")


def is_copy_first(item: dict, hits: list[dict]) -> bool:
    """Beyond the corpus size, make_corpus repeats documents verbatim (title + "（汇编N）", same body
    and 文号, other date): ranking such a copy of the expected document first also counts here."""
    return is_first(item, hits) or bool(hits) and _COPY.sub("", hits[0]["title"]) == item["expect"]


def node_queries(data_dir: Path, queries: list[str]) -> list[dict]:
    """Run the browser's engine (zf-search-core.js) in Node over an index directory."""
    proc = subprocess.run(["node", "-e", NODE_RUNNER, str(CORE_JS), str(data_dir)], input=json.dumps(queries),
                          capture_output=True, text=True, check=True, timeout=600)
    return json.loads(proc.stdout)


def page_text(markdown: str) -> str:
    """A document body's text as the build indexes it: rendered with the site's Markdown
    extensions, sanitized, then reduced to text (search_index.html_text)."""
    import markdown as md
    from zfxxgk.outputs.sanitize import sanitize
    from zfxxgk.outputs.search_index import html_text
    if not hasattr(page_text, "md"):
        config = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
        page_text.md = md.Markdown(extensions=config["markdown_extensions"])
    page_text.md.reset()
    return html_text(sanitize(page_text.md.convert(markdown))[0])


def relevance_index(dest: Path) -> Path:
    """The index of the example site plus the whole real corpus, built in Python (no MkDocs build)."""
    from zfxxgk.catalog import terms as catalogue
    from zfxxgk.outputs import search_index
    from zfxxgk.intake.documents import load_corpus
    project = copy_project(dest)
    make_corpus(project.root)
    corpus = load_corpus(project.content, catalogue.load(project.root / "catalog"), project.root)
    synonyms, _ = search_index.load_synonyms(project.root / "catalog")
    kinds, _ = search_index.load_kinds(project.root / "catalog")
    search_index.build([search_index.entry_of(d, page_text(d.body)) for d in corpus.published], dest / "site",
                       synonyms, kinds)
    return dest / "site" / search_index.DATA_DIR


# --- benchmark ------------------------------------------------------------------
class _Handler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


def serve(directory: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Handler, directory=str(directory)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


def gz(path: Path) -> int:
    return len(gzip.compress(path.read_bytes(), 6))


def transferred(site: Path, urls: list[str], search_parts: tuple[str, ...]) -> tuple[int, int]:
    """gzip bytes of the site's files behind ``urls``: all of them, and those whose path holds one of
    ``search_parts`` (the search's own code and index)."""
    total = search = 0
    for url in urls:
        rel = unquote(urlparse(url).path).lstrip("/")
        path = site / rel / "index.html" if rel.endswith("/") or not rel else site / rel
        if path.is_file():
            size = gz(path)
            total += size
            search += size if any(part in rel for part in search_parts) else 0
    return total, search


def tree_size(directory: Path) -> tuple[int, int, int]:
    files = [p for p in directory.rglob("*") if p.is_file()]
    return len(files), sum(p.stat().st_size for p in files), sum(gz(p) for p in files)


def first_query_bytes(browser, base: str, site: Path, q: str) -> dict:
    """gzip bytes of every response from an empty cache until the result list is drawn."""
    context = browser.new_context()
    page = context.new_page()
    urls: list[str] = []
    page.on("requestfinished", lambda r: urls.append(r.url))
    page.goto(base + "search/?q=" + quote(q))
    page.wait_for_selector("#zf-search[data-done]", timeout=60000)
    page.wait_for_timeout(300)   # snippets
    total, search = transferred(site, urls, ("search/data/", "zf-search"))
    count = page.locator("#zf-status").inner_text()
    context.close()
    return {"q": q, "requests": len(urls), "gzip_total": total, "gzip_search": search, "status": count}


TYPEAHEAD = ["安全生产", "中华人民共和国", "临时求助", "政务公开工作要点"]


def typeahead_bytes(browser, base: str, site: Path, q: str) -> dict:
    """gzip bytes of every response from an empty cache until the list under the banner box shows
    the typed query's suggestions (corrections, completions, documents), on the home page."""
    context = browser.new_context()
    page = context.new_page()
    urls: list[str] = []
    page.on("requestfinished", lambda r: urls.append(r.url))
    page.goto(base)
    page.fill("#zf-q", q)
    page.wait_for_selector("#zf-suggest:not([hidden])", timeout=60000)
    page.wait_for_timeout(300)
    total, search = transferred(site, urls, ("search/data/", "zf-search", "zf-suggest"))
    lines = page.locator("#zf-suggest [role=option]").all_inner_texts()
    context.close()
    return {"q": q, "requests": len(urls), "gzip_total": total, "gzip_search": search,
            "lines": [t.replace("\n", " ")[:40] for t in lines]}


def typing_times(browser, base: str, items: list[dict]) -> tuple[list[float], list[float], int, int, int]:
    """Each query of the set pasted into the search page's box twice, one page for all: keystroke-to-results
    times with its index files not yet loaded (cold; meta.json is) and loaded (warm); hits first, hits first
    as a verbatim copy, hits in the first five."""
    page = browser.new_page()
    page.goto(base + "search/")
    page.wait_for_selector("#zf-status:not(:empty)")
    cold, warm, first, copies, five = [], [], 0, 0, 0
    for item in items:
        for times in (cold, warm):
            page.evaluate("document.getElementById('zf-search').removeAttribute('data-ms')")
            page.fill("#zf-q", item["q"])
            page.wait_for_selector("#zf-search[data-ms]", timeout=60000)
            times.append(float(page.get_attribute("#zf-search", "data-ms")))
            if times is cold:
                hits = page.evaluate("""() => Array.from(document.querySelectorAll('.zf-hit')).slice(0, 5).map(li => ({
                    title: li.querySelector('.zf-hit__title a').textContent,
                    date: (li.textContent.match(/发布日期：(\\d{4}-\\d\\d-\\d\\d)/) || [])[1] || ''}))""")
            page.fill("#zf-q", "")
            page.wait_for_timeout(80)
        five += any(is_first(item, [h]) for h in hits)
        if is_first(item, hits):
            first += 1
        else:
            copies += is_copy_first(item, hits)
            print(f"  not first: {item['q']} -> {hits[:1]} (want {item['expect']} {item.get('published', '')})")
    page.close()
    return cold, warm, first, copies, five


def typed_times(browser, base: str, items: list[dict], delay_ms: int = 150) -> list[float]:
    """Each query typed one character at a time (delay_ms apart) into a fresh search page with an empty
    cache, once it has loaded (meta.json too): for every key, the time until the next result list is
    drawn. A search overtaken by the next key draws nothing, so that key waits for the next one's list."""
    times: list[float] = []
    for item in items:
        context = browser.new_context()
        page = context.new_page()
        page.goto(base + "search/", wait_until="networkidle")    # she types once the page has loaded
        page.evaluate("""() => { window.zfKeys = []; window.zfDrawn = [];
            const box = document.getElementById('zf-search');
            document.getElementById('zf-q').addEventListener('input', () => window.zfKeys.push(performance.now()), true);
            new MutationObserver(() => { if (box.getAttribute('data-ms')) { window.zfDrawn.push(performance.now());
                                                                           box.removeAttribute('data-ms'); } })
              .observe(box, {attributes: true, attributeFilter: ['data-ms']}); }""")
        page.type("#zf-q", item["q"], delay=delay_ms)
        page.wait_for_timeout(1000)
        keys, drawn = page.evaluate("[window.zfKeys, window.zfDrawn]")
        for key in keys:
            later = [t for t in drawn if t >= key]
            times.append(later[0] - key if later else float("inf"))
        context.close()
    return times


def _p90(values: list[float]) -> float:
    return sorted(values)[int(len(values) * 0.9)]


def reindex(work: Path, site: Path) -> None:
    """The index and the search scripts of an existing build, rewritten by this checkout's code (the
    pages' sanitized HTML rendered again as MkDocs does); prints the index time."""
    seconds, rss = our_index(work, "reindex")
    shutil.rmtree(site / "search" / "data")
    shutil.copytree(work / "reindex" / "search" / "data", site / "search" / "data")
    for script in (ROOT / "overrides" / "assets" / "javascripts").glob("zf-*.js"):
        shutil.copy2(script, site / "assets" / "javascripts" / script.name)
    for sheet in (ROOT / "overrides" / "assets" / "stylesheets").glob("zf*.css"):
        shutil.copy2(sheet, site / "assets" / "stylesheets" / sheet.name)
    print(f"re-indexed: {seconds:.1f} s, peak {rss / 1024:.0f} MB")



def max_rss_run(cmd: list[str], **kw) -> tuple[float, int, str]:
    """(wall seconds, peak RSS in KB, output) of one command, from GNU time."""
    start = time.perf_counter()
    proc = subprocess.run(["/usr/bin/time", "-f", "MAXRSS=%M", *cmd], capture_output=True, text=True, **kw)
    wall = time.perf_counter() - start
    if proc.returncode:
        sys.exit(proc.stdout[-2000:] + proc.stderr[-2000:])
    rss = int(re.findall(r"MAXRSS=(\d+)", proc.stderr)[-1])
    return wall, rss, proc.stdout + proc.stderr


OUR_INDEX = """
import pickle, sys, time
sys.path[:0] = [sys.argv[1]]
from zfxxgk.outputs import search_index
entries, pages, synonyms, kinds = pickle.load(open(sys.argv[2], "rb"))
start = time.perf_counter()
indexer = search_index.Indexer(entries, sys.argv[3], synonyms, kinds)
for url, html in pages:
    indexer.add_html(url, html)
stats = indexer.finish()
print(f"INDEX_S={time.perf_counter() - start:.2f} FILES={stats.files}")
"""


def our_index(work: Path, dest: str = "our-index") -> tuple[float, int]:
    """Rebuild our index outside MkDocs from the pages' sanitized HTML into work/dest; (index seconds, peak RSS KB)."""
    import markdown as md
    import yaml
    from zfxxgk.catalog import terms as catalogue
    from zfxxgk.outputs import search_index
    from zfxxgk.intake.documents import load_corpus
    from zfxxgk.outputs.sanitize import sanitize
    corpus = load_corpus(work / "content", catalogue.load(work / "catalog"), work)
    config = yaml.safe_load((work / "mkdocs.yml").read_text(encoding="utf-8"))
    render = md.Markdown(extensions=config["markdown_extensions"])
    pages = []
    for d in corpus.published:
        render.reset()
        pages.append((d.url, sanitize(render.convert(d.body))[0]))
    synonyms, _ = search_index.load_synonyms(work / "catalog")
    kinds, _ = search_index.load_kinds(work / "catalog")
    job = work / f"{dest}.pkl"
    job.write_bytes(pickle.dumps(([search_index.entry_of(d) for d in corpus.published], pages, synonyms, kinds)))
    _, rss, out = max_rss_run([sys.executable, "-c", OUR_INDEX, str(ROOT / "hooks"), str(job), str(work / dest)])
    return float(re.search(r"INDEX_S=([\d.]+)", out)[1]), rss

def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=10000)
    parser.add_argument("--work", type=Path, default=Path("/tmp/search-bench"))
    parser.add_argument("--reuse", action="store_true", help="reuse an existing build in --work")
    parser.add_argument("--reindex", action="store_true",
                        help="with --reuse: rewrite the site's search index and search scripts from this checkout")
    args = parser.parse_args()
    work = args.work / f"n{args.n}"
    site = work / "site"
    if args.reuse and args.reindex and site.is_dir():
        reindex(work, site)
    if not (args.reuse and site.is_dir()):
        shutil.rmtree(work, ignore_errors=True)
        work.mkdir(parents=True)
        project = copy_project(work)
        make_corpus(work, args.n)
        for report in (work / "content" / "zfxxgknb").glob("*.yml"):
            report.unlink()   # the 年报 tables count real documents; the synthetic corpus does not fit them
        start = time.perf_counter()
        result = project.build(timeout=7200)
        build_s = time.perf_counter() - start
        if not result.ok:
            sys.exit(result.output[-3000:])
        m = re.search(r"检索索引：.*用时 ([\d.]+) 秒", result.output)
        index_s = float(m[1]) if m else float("nan")
        print(f"full build: {build_s:.1f} s; search index: {index_s:.1f} s = {100 * index_s / build_s:.1f}% of the build")
    files, raw, packed = tree_size(site / "search" / "data")
    print(f"index: {files} files, {raw / 1e6:.1f} MB raw, {packed / 1e6:.1f} MB gzip")
    from playwright.sync_api import sync_playwright
    server, base = serve(site)
    items = relevance_set()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for q in TYPICAL:
            r = first_query_bytes(browser, base, site, q)
            print(f"first query {q}: {r['gzip_total'] / 1024:.0f} KB gzip in {r['requests']} requests "
                  f"(search code + index {r['gzip_search'] / 1024:.0f} KB); {r['status']}")
        for q in TYPEAHEAD:
            r = typeahead_bytes(browser, base, site, q)
            print(f"type-ahead {q}: {r['gzip_total'] / 1024:.0f} KB gzip in {r['requests']} requests "
                  f"(search code + index {r['gzip_search'] / 1024:.0f} KB); first lines: {r['lines'][:3]}")
        server.shutdown()
        with nginx(work, site) as base:
            cold, warm, first, copies, five = typing_times(browser, base, items)
            typed = typed_times(browser, base, items)
        browser.close()
    print("keystroke to results (nginx with the shipped configuration, HTTP/1.1):")
    for name, times in (("query pasted, its index files not loaded yet", cold),
                        ("query pasted again, files loaded", warm),
                        ("typed key by key into a fresh page, each key to the next list drawn", typed)):
        print(f"  {name}: median {statistics.median(times):.0f} ms, p90 {_p90(times):.0f} ms over {len(times)}")
    print(f"relevance: {first}/{len(items)} = {100 * first / len(items):.0f}% ranked first, "
          f"{five}/{len(items)} = {100 * five / len(items):.0f}% in the first five (Chromium, N={args.n}); "
          f"counting verbatim copies of the expected document first: {100 * (first + copies) / len(items):.0f}%")


if __name__ == "__main__":
    main()
