"""Opt-in precompression: a ``.gz`` beside every text file, for nginx ``gzip_static`` and Caddy ``precompressed``.

On (``server.precompress: true`` in catalog/site.yml) only for a self-hosted web
server: GitHub and GitLab Pages compress by themselves. The copies are
byte-for-byte deterministic (no timestamp, no file name in the header), so two
builds of the same content stay identical; the leak audit reads them too. With the
build cache (``Memo``), a file whose bytes an earlier build compressed is not compressed again.
"""
from __future__ import annotations

import gzip
import hashlib
import os
import zlib
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import partial
from pathlib import Path

EXTENSIONS = (".html", ".css", ".js", ".json", ".xml", ".svg", ".txt")
MIN_BYTES = 512            # smaller files gain nothing over the response headers' size
SKIP_DIRS = ("admin",)     # the web editor is served as npm ships it


def candidates(site_dir: Path) -> list[Path]:
    out = []
    for folder, dirs, files in os.walk(site_dir):
        if Path(folder) == site_dir:
            dirs[:] = [d for d in dirs if d not in SKIP_DIRS]
        out += [Path(folder, f) for f in files if f.endswith(EXTENSIONS)]
    return sorted(out)


@dataclass(frozen=True)
class Memo:
    """Compressed copies of earlier builds by the sha256 of what was compressed (the build cache's
    ``gz/``): ``old`` is read, ``new`` gets every copy this build used, for the next one. An entry is
    used only if it decompresses to the very bytes being compressed; anything else is compressed again."""
    old: Path
    new: Path


def _packed(data: bytes, memo: Memo | None) -> tuple[bytes, bool]:
    """The gzip copy of ``data``, and whether an earlier build's was used."""
    if memo is None:
        return gzip.compress(data, compresslevel=6, mtime=0), False   # 9 is 2.4x slower for 1% less
    name, reused = hashlib.sha256(data).hexdigest(), True
    try:
        packed = (memo.old / name).read_bytes()
        if gzip.decompress(packed) != data:
            raise ValueError(name)
    except (OSError, EOFError, ValueError, zlib.error, gzip.BadGzipFile):
        packed, reused = gzip.compress(data, compresslevel=6, mtime=0), False
    (memo.new / name).write_bytes(packed)
    return packed, reused


def _compress(path: Path, memo: Memo | None = None) -> tuple[int, int]:
    data = path.read_bytes()
    if len(data) < MIN_BYTES:
        return 0, 0
    packed, reused = _packed(data, memo)
    if len(packed) >= len(data):
        return 0, 0
    path.with_name(path.name + ".gz").write_bytes(packed)
    return 1, int(reused)


def write_all(site_dir: str | Path, memo: Memo | None = None) -> tuple[int, int]:
    """Write the ``.gz`` copies (zlib releases the GIL: one thread per core): how many, and how many of
    them an earlier build had compressed (``memo``)."""
    files = candidates(Path(site_dir))
    if memo is not None:
        memo.new.mkdir(parents=True, exist_ok=True)
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        counts = list(pool.map(partial(_compress, memo=memo), files, chunksize=64))
    return sum(c for c, _ in counts), sum(r for _, r in counts)
