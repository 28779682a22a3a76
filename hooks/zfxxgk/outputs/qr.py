"""扫一扫在手机打开当前页面: the page URL as an inline SVG QR code, made at build time.

Per-page cost matters at 10,000 documents: a fixed mask keeps segno from
scoring all eight (20 ms -> 2 ms a page; any mask gives a valid symbol),
boost_error=False skips trying higher error levels, and the SVG path is
written directly from the module matrix (one run of dark modules per segment).
"""
from __future__ import annotations

from html import escape

import segno

from zfxxgk.outputs.worker import Worker

CAPTION = "扫一扫在手机打开当前页面"
QUIET = 4          # quiet zone in modules, as the QR standard asks


def _path(matrix) -> str:
    """SVG path of the dark modules: one horizontal stroke per run, offset by the quiet zone."""
    out = []
    for y, row in enumerate(matrix):
        x, n = 0, len(row)
        while x < n:
            if row[x]:
                start = x
                while x < n and row[x]:
                    x += 1
                out.append(f"M{start + QUIET} {y + QUIET}.5h{x - start}")
            else:
                x += 1
    return "".join(out)


def svg(url: str, scale: int = 3) -> str:
    """Inline ``<svg>`` of the QR code of ``url``, labelled for assistive technology."""
    code = segno.make(url, error="m", micro=False, mask=0, boost_error=False)
    size = len(code.matrix) + 2 * QUIET
    label = escape(f"本页二维码，内容为本页网址：{url}", quote=True)
    return (f'<svg role="img" aria-label="{label}" class="zf-qr__code" width="{size * scale}" height="{size * scale}" '
            f'viewBox="0 0 {size} {size}"><path fill="#fff" d="M0 0h{size}v{size}H0z"/>'
            f'<path stroke="#000" shape-rendering="crispEdges" d="{_path(code.matrix)}"/></svg>')


def figure(url: str) -> str:
    """The QR code with its caption and the URL as the text alternative."""
    href = escape(url, quote=True)
    return (f'<figure class="zf-qr">{svg(url)}<figcaption><span class="zf-qr__caption">{CAPTION}</span>'
            f'<span class="zf-qr__url">本页网址：<a href="{href}">{escape(url)}</a></span></figcaption></figure>')


def figures(urls: list[str]) -> list[str]:
    """``figure`` of each URL (runs in the worker process)."""
    return [figure(url) for url in urls]


class Background:
    """QR figures for every document page, made in a second process while MkDocs reads
    and renders pages in this one (QR encoding is ~3 ms a page in pure Python: 30 s at
    10,000 documents on one core). The output is the same as calling ``figure``."""

    CHUNK = 500

    def __init__(self, urls: list[str]) -> None:
        self._done: dict[str, str] = {}
        self._futures: list = []
        self.worker_failed = False
        self.worker: Worker | None = None
        if len(urls) < self.CHUNK:          # small sites: not worth a process
            self._done = dict(zip(urls, figures(urls)))
            return
        self.worker = Worker()
        self._futures = [(chunk, self.worker.submit(figures, chunk))
                         for chunk in (urls[i:i + self.CHUNK] for i in range(0, len(urls), self.CHUNK))]

    def get(self, url: str) -> str:
        if url not in self._done:
            while self._futures and url not in self._done:
                chunk, future = self._futures.pop(0)
                if (made := Worker.result(future)) is None:   # the worker died: go on in this process
                    self.worker_failed = True
                    self._futures.clear()
                else:
                    self._done.update(zip(chunk, made))
            if url not in self._done:           # a URL not announced up front, left by a dead worker, or asked again
                self._done[url] = figure(url)
        return self._done.pop(url)          # asked once per page: not kept for the rest of the build

    def close(self) -> None:
        if self.worker is not None:
            self.worker.close()
            self.worker = None
