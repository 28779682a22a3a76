"""扫一扫在手机打开当前页面: the inline SVG QR code decodes back to the page's URL."""
from __future__ import annotations

import base64
import re

import numpy as np
import pytest
import zxingcpp

from _furniture_helpers import SITE_URL, corpus_of
from zfxxgk.outputs import qr

# Draw the inline SVG on a canvas at 2x and return its grey levels, base64 (no image library needed).
RASTER_JS = """async (svg) => {
  const el = new DOMParser().parseFromString(svg, "text/html").querySelector("svg");
  el.setAttribute("xmlns", "http://www.w3.org/2000/svg");
  const img = new Image();
  img.src = "data:image/svg+xml;charset=utf-8," + encodeURIComponent(new XMLSerializer().serializeToString(el));
  await img.decode();
  const s = 2, c = document.createElement("canvas");
  c.width = img.width * s; c.height = img.height * s;
  const g = c.getContext("2d");
  g.fillStyle = "#fff"; g.fillRect(0, 0, c.width, c.height);
  g.imageSmoothingEnabled = false;
  g.drawImage(img, 0, 0, c.width, c.height);
  const d = g.getImageData(0, 0, c.width, c.height).data;
  let bin = "";
  for (let i = 0; i < d.length; i += 4) bin += String.fromCharCode(d[i]);
  return {w: c.width, h: c.height, grey: btoa(bin)};
}"""


def decode(page, svg: str) -> str:
    page.set_content("<!doctype html><title>qr</title>")
    raster = page.evaluate(RASTER_JS, svg)
    image = np.frombuffer(base64.b64decode(raster["grey"]), dtype=np.uint8).reshape(raster["h"], raster["w"])
    found = zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)
    assert found, "no QR code found in the SVG"
    return found[0].text


def test_document_pages_carry_a_qr_code_of_their_own_url(example_site, page):
    cat, corpus = corpus_of(example_site.site.parent)
    for doc in corpus.published[:3]:
        html = (example_site.site / doc.url / "index.html").read_text(encoding="utf-8")
        figure = re.search(r'<figure class="zf-qr">.*?</figure>', html, re.S)
        assert figure, doc.url
        svg = re.search(r"<svg\b.*?</svg>", figure[0], re.S)[0]
        assert decode(page, svg) == SITE_URL + doc.url
        assert "扫一扫在手机打开当前页面" in figure[0]
        assert f'role="img" aria-label="本页二维码，内容为本页网址：{SITE_URL + doc.url}"' in svg
        assert f">{SITE_URL + doc.url}</a>" in figure[0], "the URL is printed as the text alternative"


def test_only_document_pages_have_a_qr_code(example_site):
    assert "zf-qr" not in (example_site.site / "index.html").read_text(encoding="utf-8")
    assert "zf-qr" not in (example_site.site / "zfxxgknb" / "index.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("url", [SITE_URL + "wj/x1234567890abc/", "https://a.gov.cn/zfxxgk/wj/00001-2024-00001/?a=1&b=<2>"])
def test_qr_svg_is_escaped_and_decodes(page, url):
    svg = qr.svg(url)
    assert "<2>" not in svg
    assert decode(page, svg) == url


def test_background_worker_makes_the_same_figures_as_inline():
    """Large sites encode QR codes in a second process; the markup is identical."""
    from zfxxgk.outputs import qr
    urls = [f"https://www.example.gov.cn/zfxxgk/wj/000000001-2021-{i:05d}/" for i in range(qr.Background.CHUNK + 3)]
    worker = qr.Background(urls)
    try:
        assert worker.worker is not None
        for url in (urls[0], urls[-1], urls[qr.Background.CHUNK]):
            assert worker.get(url) == qr.figure(url)
        assert worker.get("https://www.example.gov.cn/zfxxgk/other/") == qr.figure("https://www.example.gov.cn/zfxxgk/other/")
    finally:
        worker.close()


def test_a_dead_worker_costs_time_not_the_build():
    """If the QR process is killed (the kernel's out-of-memory killer, say), the rest are made here, identically."""
    import os
    import signal
    from zfxxgk.outputs import qr
    urls = [f"https://www.example.gov.cn/zfxxgk/wj/000000001-2021-{i:05d}/" for i in range(3 * qr.Background.CHUNK)]
    worker = qr.Background(urls)
    try:
        assert worker.get(urls[0]) == qr.figure(urls[0])          # the worker is up
        for pid in worker.worker.pids():
            os.kill(pid, signal.SIGKILL)
        assert worker.get(urls[-1]) == qr.figure(urls[-1])
        assert worker.worker_failed
    finally:
        worker.close()
