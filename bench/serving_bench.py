"""What hooks/serving.py costs: the CSP meta tag on every page, and the opt-in precompression.

Builds N real documents (bench/corpus.py) once, then times, over the built
site, ``csp.add_meta`` on every page (what on_post_page does) and
``precompress.write_all`` (what server.precompress: true adds), against the
build's own wall time.

    python bench/serving_bench.py --size 1000
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent / "tests"), str(HERE.parent / "hooks")]

from conftest import copy_project  # noqa: E402
from corpus import make_corpus  # noqa: E402
from zfxxgk.outputs import csp, precompress  # noqa: E402
from zfxxgk.catalog.terms import load as load_catalogue  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--size", type=int, default=1000)
    n = ap.parse_args().size
    with tempfile.TemporaryDirectory() as tmp:
        project = copy_project(Path(tmp) / "project")
        make_corpus(project.root, n)
        started = time.perf_counter()
        result = project.build()
        build = time.perf_counter() - started
        assert result.ok, result.output[-3000:]
        site = result.site
        pages = sorted(p for p in site.rglob("*.html") if "admin" not in p.relative_to(site).parts)
        texts = [p.read_text(encoding="utf-8") for p in pages]
        settings = load_catalogue(project.root / "catalog").site
        import material
        started = time.perf_counter()
        inline = csp.theme_inline([project.root / "overrides", Path(material.__file__).parent / "templates"],
                                  project.root / "overrides")
        theme = time.perf_counter() - started
        started = time.perf_counter()
        for text in texts:
            csp.add_meta(text, settings, inline)
        meta = time.perf_counter() - started
        started = time.perf_counter()
        count, _ = precompress.write_all(site)
        gz = time.perf_counter() - started
        size = sum(p.stat().st_size for p in site.rglob("*") if p.is_file() and not p.name.endswith(".gz"))
    print(f"documents {n}, pages {len(pages)}, build {build:.1f} s (shared 2-core machine)")
    print(f"theme scan      {theme * 1000:.0f} ms once per build")
    print(f"CSP meta tags   {meta:.2f} s = {meta / len(pages) * 1e6:.0f} us/page = {meta / build:.1%} of the build")
    print(f"precompression  {gz:.2f} s for {count} files of {size / 1e6:.0f} MB = {gz / build:.1%} of the build")


if __name__ == "__main__":
    main()
