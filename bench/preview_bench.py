"""How fast a saved change to one document shows in the browser with ``python -m zfxxgk preview``.

Builds an N-document project from the real corpus (bench/corpus.py, default
10,000), runs the preview (one full build), opens a document page in headless
Chromium, saves a change to that document's title and body, and measures until
the open page shows it (the page reloads itself). Also checks the metadata table
and a listing page that shows the document. Prints one line per save and a summary.

    python bench/preview_bench.py            # 10,000 documents
    python bench/preview_bench.py --n 1000
"""
from __future__ import annotations

import argparse
import logging
import os
import shutil
import statistics
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "hooks"))
sys.path.insert(0, str(ROOT / "bench"))

import corpus  # noqa: E402
from zfxxgk.tools.preview import Preview  # noqa: E402


PARTS = ("mkdocs.yml", "catalog", "overrides", "hooks", "content")
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")


def make_project(dest: Path, n: int) -> None:
    dest.mkdir(parents=True, exist_ok=True)
    for part in PARTS:
        src = ROOT / part
        if src.is_dir():
            shutil.copytree(src, dest / part, ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
        else:
            shutil.copy2(src, dest / part)
    # The annual reports count the example site's 规章; the bench corpus would break their sums.
    for report in (dest / "content" / "zfxxgknb").glob("*.yml"):
        report.unlink()
    corpus.make_corpus(dest, n)


def save_change(path: Path, marker: str) -> None:
    """What an editor does: change the title and a sentence of the body, save."""
    text = path.read_text(encoding="utf-8")
    head, body = text.split("\n---\n", 1)
    lines = head.split("\n")
    lines = [f"{line.rstrip()}（{marker}）" if line.startswith("title:") else line for line in lines]
    path.write_text("\n".join(lines) + "\n---\n" + f"\n本段为预览测试 {marker}。\n" + body, encoding="utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=10000, help="documents in the corpus")
    parser.add_argument("--saves", type=int, default=3, help="documents changed, one after another")
    parser.add_argument("--port", type=int, default=0, help="preview port (0: any free port)")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    os.environ["NO_MKDOCS_2_WARNING"] = "1"
    from playwright.sync_api import sync_playwright

    work = Path(tempfile.mkdtemp(prefix="preview-bench-"))
    try:
        started = time.perf_counter()
        make_project(work / "project", args.n)
        print(f"corpus: {args.n} documents written in {time.perf_counter() - started:.1f} s", flush=True)
        preview = Preview(work / "project", work / "preview")
        full = preview.full_build()
        print(f"first full build: {full:.1f} s", flush=True)
        preview.watch()
        server = preview.serve("127.0.0.1", args.port)
        base = f"http://127.0.0.1:{server.server_address[1]}/"
        published = preview.site.corpus.published
        picks = [published[i * len(published) // (args.saves + 1)] for i in range(1, args.saves + 1)]
        figures = []
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            for i, doc in enumerate(picks, 1):
                page.goto(base + doc.url)
                page.wait_for_timeout(600)                # the reload script has read the version
                marker = f"预览测试{i}"
                t0 = time.perf_counter()
                save_change(work / "project" / doc.path, marker)
                page.wait_for_function("m => document.body.innerText.includes(m)", arg=marker, timeout=60000)
                seconds = time.perf_counter() - t0
                table = page.locator("table").first.inner_text()
                assert marker in table, "metadata table not updated"
                listings = [u for u in preview.last.get("pages", []) if u != doc.url]
                html = urllib.request.urlopen(base + listings[0]).read().decode("utf-8") if listings else ""
                assert marker in html, "listing page not updated"
                figures.append(seconds)
                print(f"save {i}: {doc.path} visible in the browser after {seconds:.2f} s "
                      f"(re-rendered {len(preview.last.get('pages', []))} pages in "
                      f"{preview.last.get('seconds', 0):.2f} s; metadata table and {listings[0]} updated)",
                      flush=True)
            browser.close()
        server.shutdown()
        preview.stop()
        print(f"SUMMARY: {args.n} documents, full build {full:.1f} s; save-to-browser "
              f"median {statistics.median(figures):.2f} s, max {max(figures):.2f} s (target < 5 s)")
        return 0 if max(figures) < 5 else 1
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
