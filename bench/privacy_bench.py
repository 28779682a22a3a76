"""Cost of the privacy scan: the text of N documents, and N attachments of each type.

Documents: a corpus of ``--docs`` real laws (bench/corpus.py) is validated, then
``privacy.check_published`` is timed over it (bodies, front matter, marks, the
hand-written pages and the editors' data of the example site), without attachments.

Attachments: ``--attachments`` files of each type, made as offices make them
(a 2-page 行政处罚决定书 printed to PDF by Chromium, a DOCX notice with a table, an
XLSX register of 200 rows), plus one ``--long-pages`` page PDF; each type is
scanned once cold (first file: library import), then warm without a cache and
from the cache (what every later build pays for an unchanged file). With ``--build``
a full ``mkdocs build`` of the same corpus is timed once for the ratio.

    python bench/privacy_bench.py --docs 10000 --attachments 50 [--build]
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path[:0] = [str(HERE), str(ROOT / "tests"), str(ROOT / "hooks")]

from _attachment_helpers import make_docx, make_xlsx, print_pdf  # noqa: E402
from conftest import CHROMIUM, CHROMIUM_ARGS, copy_project  # noqa: E402
from corpus import make_corpus  # noqa: E402
from zfxxgk.audit import privacy  # noqa: E402
from zfxxgk.catalog import terms as catalogue  # noqa: E402
from zfxxgk.intake.documents import load_corpus  # noqa: E402
from zfxxgk.pages.generated import load as load_extras  # noqa: E402

PARAGRAPH = ("经查，当事人于2024年3月5日在其经营场所销售超过保质期的食品，货值金额1,280.00元，违法所得356.50元。"
             "上述事实有现场检查笔录、询问笔录、进货票据等证据为证。依据《中华人民共和国食品安全法》第一百二十四条第一款第（五）项，"
             "本局决定对当事人作出如下行政处罚：没收违法所得356.50元，罚款人民币50,000.00元。联系电话：0635-5123456。")


def pdf_html(pages: int) -> str:
    body = "".join(f'<div style="break-after: page"><h2>第{i + 1}部分</h2>' + f"<p>{PARAGRAPH}</p>" * 6 + "</div>"
                   for i in range(pages))
    return (f'<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"></head>'
            f'<body style="font-family: \'Noto Serif CJK SC\', serif"><h1>行政处罚决定书</h1>{body}</body></html>')


def make_attachments(out: Path, n: int, long_pages: int) -> dict[str, list[str]]:
    from playwright.sync_api import sync_playwright

    out.mkdir(parents=True, exist_ok=True)
    made: dict[str, list[str]] = {"pdf": [], "docx": [], "xlsx": [], "long-pdf": []}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        template = print_pdf(browser, pdf_html(2), out / "template.pdf").read_bytes()
        print_pdf(browser, pdf_html(long_pages), out / "long.pdf")
        browser.close()
    made["long-pdf"].append("long.pdf")
    for i in range(n):
        (out / f"cf-{i}.pdf").write_bytes(template)   # same bytes: no cache exists, each file is parsed anew
        made["pdf"].append(f"cf-{i}.pdf")
        make_docx(out / f"tz-{i}.docx", [PARAGRAPH] * 8,
                  table=[["序号", "单位", "电话"]] + [[str(r), "示例县民政局", "0635-5123456"] for r in range(20)])
        made["docx"].append(f"tz-{i}.docx")
        make_xlsx(out / f"mc-{i}.xlsx", {"Sheet1": {f"{col}{r}": value for r in range(1, 201) for col, value in
                                                    (("A", r), ("B", "示例县某某有限公司"), ("C", "2024-03-05"),
                                                     ("D", "0635-5123456"), ("E", 1280.5), ("F", "示市监罚〔2024〕17号"))}})
        made["xlsx"].append(f"mc-{i}.xlsx")
    return made


def time_attachments(docs_dir: Path, made: dict[str, list[str]], cache: Path) -> None:
    print("attachments (extract + scan, one process; 'cached' = a later build, the text kept by content hash):")
    for kind, names in made.items():
        srcs = [f"att/{name}" for name in names]
        started = time.perf_counter()
        first = privacy.check_attachments([], docs_dir, srcs[:1])
        cold = time.perf_counter() - started
        rest = srcs[1:] or srcs
        started = time.perf_counter()
        problems = privacy.check_attachments([], docs_dir, rest)
        per = (time.perf_counter() - started) / len(rest) * 1000
        privacy.check_attachments([], docs_dir, rest, cache=cache)
        started = time.perf_counter()
        problems += privacy.check_attachments([], docs_dir, rest, cache=cache)
        hit = (time.perf_counter() - started) / len(rest) * 1000
        assert first == [] and problems == [], [p.format() for p in first + problems]
        print(f"  {kind:9s} n={len(srcs):4d}  first file {cold * 1000:7.1f} ms   then {per:7.1f} ms/file "
              f"(1,000 files: {per:5.1f} s)   cached {hit:5.2f} ms/file (1,000 files: {hit:4.2f} s)")


def time_documents(project: Path, n: int) -> float:
    docs_dir = project / "content"
    started = time.perf_counter()
    make_corpus(project, n)
    made = time.perf_counter() - started
    cat = catalogue.load(project / "catalog")
    started = time.perf_counter()
    corpus = load_corpus(docs_dir, cat, project)
    extras = load_extras(docs_dir, cat, corpus)
    loaded = time.perf_counter() - started
    pages = privacy.pages_outside_documents(docs_dir)
    started = time.perf_counter()
    old = [p for d in corpus.published for p in privacy.check_document(d)]
    documents_only = time.perf_counter() - started
    started = time.perf_counter()
    problems = privacy.check_published(corpus.published, pages, extras.data_files, docs_dir, cat)
    everything = time.perf_counter() - started
    print(f"documents: {len(corpus.published):,} published (corpus written in {made:.1f} s, validated in {loaded:.1f} s)")
    print(f"  check_document over all documents          {documents_only:6.2f} s  ({documents_only / len(corpus.published) * 1e6:5.0f} µs/doc)")
    print(f"  check_published (+ {len(pages)} pages, {len(extras.data_files)} data files, example attachment) "
          f"{everything:6.2f} s  ({everything / len(corpus.published) * 1e6:5.0f} µs/doc)")
    print(f"  findings: {len(problems)} (documents only: {len(old)})")
    # The laws carry no phone number, so most skip the full patterns; a notice has a contact line.
    bodies = [d.body + "\n联系人：王某，电话：0635-5123456，手机：13800001111\n" for d in corpus.published]
    started = time.perf_counter()
    found = sum(1 for body in bodies for _ in privacy.scan_text(body))
    with_phones = time.perf_counter() - started
    print(f"  scan_text of every body + a contact line  {with_phones:6.2f} s  "
          f"({with_phones / len(bodies) * 1e6:5.0f} µs/doc, {found:,} mobile warnings)")
    return everything


def time_build(project: Path) -> float:
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", PYTHONPATH=str(ROOT / "hooks"))
    started = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict"], cwd=project, env=env,
                          capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if proc.returncode:
        print(proc.stdout[-2000:] + proc.stderr[-3000:])
        raise SystemExit("build failed")
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--docs", type=int, default=10000)
    parser.add_argument("--attachments", type=int, default=50, help="files of each type")
    parser.add_argument("--long-pages", type=int, default=50)
    parser.add_argument("--build", action="store_true", help="also time one full mkdocs build of the corpus")
    args = parser.parse_args()
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs (shared machine: figures are indicative)")
    with tempfile.TemporaryDirectory() as tmp:
        project = copy_project(Path(tmp) / "project").root
        scan = time_documents(project, args.docs)
        att = Path(tmp) / "content-att"
        made = make_attachments(att / "att", args.attachments, args.long_pages)
        time_attachments(att, made, Path(tmp) / "cache")
        if args.build:
            build = time_build(project)
            print(f"full build (mkdocs build --strict, {args.docs:,} documents, scan included): {build:.1f} s; "
                  f"privacy scan of documents = {scan / build * 100:.1f} % of it")


if __name__ == "__main__":
    main()
