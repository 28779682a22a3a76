"""Lighthouse (mobile) on the built site served locally with gzip: performance, accessibility,
SEO, page weight; the median of --runs runs per page.

    npm install --prefix /tmp/lh lighthouse@12.8.2        # once, outside the repository
    NO_MKDOCS_2_WARNING=1 mkdocs build
    LIGHTHOUSE=/tmp/lh/node_modules/.bin/lighthouse python bench/lighthouse.py [--site site] [--runs 5] [--pages home,document,search] [--check]

Uses Debian's Chromium (CHROME_PATH, default /usr/bin/chromium). Targets (issues 6 and 18):
performance >= 95 on home, document and search (>= 90 elsewhere), accessibility = 100, SEO = 100,
document page <= 150 KB compressed, everything included. Performance varies with the machine's
load: run on a quiet machine.
"""
from __future__ import annotations

import argparse
import gzip
import http.server
import json
import os
import shlex
import statistics
import subprocess
import sys
import tempfile
import threading
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
COMPRESSIBLE = (".html", ".css", ".js", ".svg", ".xml", ".json", ".txt")


class GzipHandler(http.server.SimpleHTTPRequestHandler):
    """A static server that gzips text, as any production web server would."""

    def log_message(self, *args) -> None:
        pass

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            if not self.path.split("?")[0].endswith("/"):
                return super().send_head()   # the base class redirects /dir to /dir/
            path = path / "index.html"
        if path.suffix not in COMPRESSIBLE or "gzip" not in self.headers.get("Accept-Encoding", "") or not path.is_file():
            return super().send_head()
        body = gzip.compress(path.read_bytes(), compresslevel=6, mtime=0)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return _Body(body)


class _Body:
    def __init__(self, data: bytes) -> None:
        self.data = data

    def read(self, *args) -> bytes:
        data, self.data = self.data, b""
        return data

    def close(self) -> None:
        pass


def serve(site: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), partial(GzipHandler, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


def first(site: Path, pattern: str) -> str:
    found = sorted(site.glob(pattern))
    return found[0].parent.relative_to(site).as_posix() + "/" if found else ""


def page_types(site: Path) -> dict[str, str]:
    pages = {"home": "", "column": "fdzdgknr/", "listing": first(site, "nian/*/index.html"),
             "document": first(site, "wj/*/index.html"), "nianbao": "zfxxgknb/"}
    if (site / "search" / "index.html").exists():
        pages["search"] = "search/?q=%E6%94%BF%E5%8A%A1%E5%85%AC%E5%BC%80"
    return pages


def run(lighthouse: list[str], url: str, out: Path) -> dict:
    env = dict(os.environ, CHROME_PATH=os.environ.get("CHROME_PATH", "/usr/bin/chromium"))
    cmd = lighthouse + [url, "--quiet", "--output=json", f"--output-path={out}",
                        "--only-categories=performance,accessibility,seo",
                        "--chrome-flags=--headless=new --no-sandbox --disable-gpu"]
    subprocess.run(cmd, check=True, env=env, timeout=300)
    report = json.loads(out.read_text(encoding="utf-8"))
    cats, audits = report["categories"], report["audits"]
    return {"performance": round(cats["performance"]["score"] * 100),
            "accessibility": round(cats["accessibility"]["score"] * 100),
            "seo": round(cats["seo"]["score"] * 100),
            "kb": audits["total-byte-weight"]["numericValue"] / 1024,
            "lcp_ms": audits["largest-contentful-paint"]["numericValue"],
            "failed": [a for a, r in audits.items() if r.get("score") == 0 and a in
                       {x["id"] for c in ("accessibility", "seo") for x in cats[c]["auditRefs"]}]}


def median_run(lighthouse: list[str], url: str, out: Path, runs: int) -> dict:
    """Each figure's median over the runs (performance varies from run to run)."""
    results = [run(lighthouse, url, out) for _ in range(runs)]
    med = {k: statistics.median(r[k] for r in results) for k in ("performance", "accessibility", "seo", "kb", "lcp_ms")}
    med["failed"] = sorted({a for r in results for a in r["failed"]})
    med["all_performance"] = [r["performance"] for r in results]
    return med


PERFORMANCE_95 = ("home", "document", "search")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--site", type=Path, default=ROOT / "site")
    ap.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    ap.add_argument("--runs", type=int, default=1, help="runs per page; the median is printed")
    ap.add_argument("--pages", default="", help="comma-separated page types (default: all)")
    args = ap.parse_args()
    lighthouse = shlex.split(os.environ.get("LIGHTHOUSE", "npx --yes lighthouse@12.8.2"))
    server, base = serve(args.site)
    ok = True
    wanted = [p for p in args.pages.split(",") if p]
    print(f"median of {args.runs} run(s)")
    print(f"{'page':10} {'perf':>5} {'a11y':>5} {'seo':>5} {'KB(gz)':>8} {'LCP ms':>8}  {'perf runs':20} failed accessibility/SEO audits")
    with tempfile.TemporaryDirectory() as tmp:
        for name, path in page_types(args.site).items():
            if wanted and name not in wanted:
                continue
            r = median_run(lighthouse, base + path, Path(tmp) / f"{name}.json", args.runs)
            runs = ",".join(str(x) for x in r["all_performance"])
            print(f"{name:10} {r['performance']:5g} {r['accessibility']:5g} {r['seo']:5g} {r['kb']:8.1f} {r['lcp_ms']:8.0f}  {runs:20} {' '.join(r['failed'])}")
            ok &= (r["performance"] >= (95 if name in PERFORMANCE_95 else 90) and r["accessibility"] == 100
                   and r["seo"] == 100 and (name != "document" or r["kb"] <= 150))
    server.shutdown()
    return 0 if ok or not args.check else 1


if __name__ == "__main__":
    sys.exit(main())
