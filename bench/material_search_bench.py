"""For comparison: the relevance set against Material's built-in search (with jieba).

    python bench/material_search_bench.py --n 2466 [--work /tmp/material-search] [--query-timeout 15] [--reuse]

Takes the same corpus as bench/search_bench.py (the example site plus N
documents of bench/corpus.py), writes each published document as a plain
Material page (title, a metadata table with 索引号/文号/发布机构/发布日期 as our
pages show it, then the body) and builds it with Material's search plugin in
the configuration Material documents for Chinese: jieba installed (it segments
at build time), theme language zh (its separator splits on the zero-width
spaces jieba inserts). The site is served on localhost and each query of
tests/data/relevance.yml is typed into Material's search box in headless
Chromium, as a citizen would type it (no spaces), and again pre-cut by jieba
with spaces (the best case: a citizen who types words apart as jieba would).

Our engine answers the same set over the same documents in Node (the browser's
zf-search-core.js), so the two figures are side by side. Also printed: the
size of Material's index and the bytes and time until its first result.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import unquote, urlparse

import yaml
from playwright.sync_api import TimeoutError as PlaywrightTimeout, sync_playwright

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "hooks"), str(ROOT / "tests"), str(ROOT)]

from bench.corpus import make_corpus  # noqa: E402
from bench.search_bench import page_text, gz, is_first, node_queries, relevance_set, serve  # noqa: E402
from conftest import CHROMIUM, CHROMIUM_ARGS, copy_project  # noqa: E402

MATERIAL_CONFIG = """site_name: 政府信息公开
docs_dir: docs
site_dir: site
theme: {name: material, language: zh, font: false}
plugins: [search]
nav: [index.md]
not_in_nav: |
  /d/**
"""
DOC_URL = re.compile(r"(?:^|/)d/(\d+)/")
WAITING = ("正在初始化搜索引擎", "键入以开始搜索", "")


def published_documents(project: Path) -> list:
    from zfxxgk.catalog import terms as catalogue
    from zfxxgk.pages import generated as extras
    from zfxxgk.intake.documents import load_corpus
    corpus = load_corpus(project / "content", catalogue.load(project / "catalog"), project)
    extras.load(project / "content", catalogue.load(project / "catalog"), corpus)
    return list(corpus.published)


def material_page(doc) -> str:
    rows = [("索引号", doc.index_no), ("文号", doc.doc_no), ("发布机构", doc.publisher),
            ("发布日期", doc.published.isoformat())]
    table = "| 项目 | 内容 |\n| --- | --- |\n" + "".join(f"| {k} | {v} |\n" for k, v in rows if v)
    return "---\n" + yaml.safe_dump({"title": doc.title}, allow_unicode=True) + "---\n\n" + table + "\n" + doc.body


def build_material(work: Path, docs: list) -> tuple[float, Path]:
    site_root = work / "material"
    shutil.rmtree(site_root, ignore_errors=True)
    (site_root / "docs" / "d").mkdir(parents=True)
    (site_root / "mkdocs.yml").write_text(MATERIAL_CONFIG, encoding="utf-8")
    (site_root / "docs" / "index.md").write_text("# 政府信息公开\n", encoding="utf-8")
    for i, doc in enumerate(docs):
        (site_root / "docs" / "d" / f"{i}.md").write_text(material_page(doc), encoding="utf-8")
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q"], cwd=site_root, check=True,
                   env=dict(os.environ, NO_MKDOCS_2_WARNING="1"))
    return time.perf_counter() - start, site_root / "site"


def jieba_spaced(q: str) -> str:
    import jieba
    return " ".join(w for w in jieba.cut(q) if w.strip())


def material_answers(base: str, queries: list[str], timeout_s: float,
                     query_timeout_s: float) -> tuple[list[tuple[str | None, float]], float]:
    """(first result's URL, milliseconds to the answer) for each query typed into Material's search
    box, and the seconds from opening the page until the engine was ready for the first query."""
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.set_default_timeout(timeout_s * 1000)
        start = time.perf_counter()
        page.goto(base)
        box = page.locator("input.md-search__input")
        box.click()
        page.wait_for_function(f"() => document.querySelector('.md-search-result__meta').textContent.trim()"
                               f" === {json.dumps(WAITING[1])}", polling=200)   # ready, box empty
        ready = time.perf_counter() - start
        out = []
        for q in queries:
            box.fill("")
            box.press("End")               # Material reads the box on keyup
            page.wait_for_function(f"() => document.querySelector('.md-search-result__meta').textContent.trim()"
                                   f" === {json.dumps(WAITING[1])}", polling=50)
            box.fill(q)
            start_q = time.perf_counter()
            box.press("End")
            out.append((first_result(page, query_timeout_s), 1000 * (time.perf_counter() - start_q)))
        browser.close()
    return out, ready


def first_result(page, timeout_s: float) -> str | None:
    """The first result's URL once Material has answered; "" when it found nothing; None when the
    box still shows its placeholder after ``timeout_s`` (too slow, or its worker threw on the query:
    some typings, such as 000014348-2017-06603, are lunr query syntax)."""
    try:
        page.wait_for_function(f"() => !{json.dumps(WAITING)}.includes("
                               "document.querySelector('.md-search-result__meta').textContent.trim())",
                               polling=50, timeout=timeout_s * 1000)
    except PlaywrightTimeout:
        return None
    link = page.locator(".md-search-result__item a.md-search-result__link").first
    return (link.get_attribute("href") or "") if link.count() else ""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=2466)
    parser.add_argument("--work", type=Path, default=Path("/tmp/material-search"))
    parser.add_argument("--timeout", type=float, default=900, help="seconds to wait for Material's engine")
    parser.add_argument("--query-timeout", type=float, default=15, help="seconds to wait for one answer")
    parser.add_argument("--reuse", action="store_true", help="reuse the corpus and Material build in --work")
    args = parser.parse_args()
    work = args.work / f"n{args.n}"
    reuse = args.reuse and (work / "material" / "site").is_dir()
    if not reuse:
        shutil.rmtree(work, ignore_errors=True)
        work.mkdir(parents=True)
        copy_project(work)
        make_corpus(work, args.n)
    docs = published_documents(work)
    items = relevance_set()
    expected = [(d.title, d.published.isoformat()) for d in docs]

    from zfxxgk.outputs import search_index
    search_index.build([search_index.entry_of(d, page_text(d.body)) for d in docs], work / "ours",
                       search_index.load_synonyms(work / "catalog")[0], search_index.load_kinds(work / "catalog")[0])
    ours = node_queries(work / "ours" / search_index.DATA_DIR, [i["q"] for i in items])
    ours_first = sum(is_first(i, r["hits"]) for i, r in zip(items, ours))

    build_s, site = (float("nan"), work / "material" / "site") if reuse else build_material(work, docs)
    index = site / "search" / "search_index.json"
    print(f"N={args.n}: {len(docs)} published documents")
    print(f"Material build with jieba: {build_s:.0f} s; search_index.json {index.stat().st_size / 1e6:.1f} MB raw, "
          f"{gz(index) / 1e6:.1f} MB gzip (downloaded whole before the first result)")
    server, base = serve(site)
    try:
        for label, queries in (("as typed", [i["q"] for i in items]),
                               ("cut by jieba, with spaces", [jieba_spaced(i["q"]) for i in items])):
            try:
                answers, ready = material_answers(base, queries, args.timeout, args.query_timeout)
            except Exception as exc:   # a timeout or a crashed tab is the result at this size
                print(f"Material, queries {label}: no answer ({type(exc).__name__}: {str(exc).splitlines()[0]})")
                continue
            urls = [u for u, _ in answers]
            answered_ms = [ms for u, ms in answers if u is not None]
            first = 0
            for item, url in zip(items, urls):
                m = DOC_URL.search(unquote(urlparse(url).path)) if url else None
                doc = int(m[1]) if m else None
                hit = [{"title": expected[doc][0], "date": expected[doc][1]}] if doc is not None else []
                first += is_first(item, hit)
            empty, silent = sum(u == "" for u in urls), sum(u is None for u in urls)
            print(f"Material, queries {label}: {first}/{len(items)} = {100 * first / len(items):.0f}% ranked first; "
                  f"{empty} found nothing; {silent} no answer within {args.query_timeout:.0f} s; "
                  f"engine ready after {ready:.1f} s; answer after the last keystroke: median "
                  f"{statistics.median(answered_ms) if answered_ms else float('nan'):.0f} ms")
    finally:
        server.shutdown()
    print(f"ours (zf-search-core.js over the same documents): {ours_first}/{len(items)} = "
          f"{100 * ours_first / len(items):.0f}% ranked first")


if __name__ == "__main__":
    main()
