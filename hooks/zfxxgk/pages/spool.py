"""Page HTML kept on disk between MkDocs' read pass and its write pass.

MkDocs converts every page (read pass) before it renders any template (write pass), and
keeps each page's HTML on the page object in between. At 100,000 documents that is every
document's body in memory at once, held a second time for the search index. The build
instead writes each page's HTML here as soon as it is converted, keeps only where it is,
and reads it back when the page's template is rendered (and the search index's process
reads it from the file itself). One file, appended to; removed when the build ends.
"""
from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

ENCODING, ERRORS = "utf-8", "surrogatepass"   # any str round-trips exactly


@dataclass(frozen=True)
class Slice:
    """Where one text is: small enough to send to another process instead of the text."""
    path: str
    offset: int
    length: int
    digest: str = ""     # sha256 of its bytes when known (a page from the build cache: its file's name)

    def read(self) -> str:
        fd = os.open(self.path, os.O_RDONLY)
        try:
            return _read(fd, self.offset, self.length)
        finally:
            os.close(fd)


class Spool:
    """Texts by key in one temporary file under ``folder``."""

    def __init__(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        _remove_orphans(folder)
        self._fd, self.path = tempfile.mkstemp(prefix=f"pages-{os.getpid()}-", suffix=".spool", dir=folder)
        self._end = 0
        self._where: dict[object, tuple[int, int]] = {}
        self._adopted: set[str] = set()

    def put(self, key: object, text: str) -> None:
        data = text.encode(ENCODING, ERRORS)
        os.pwrite(self._fd, data, self._end)
        self._where[key] = (self._end, len(data))
        self._end += len(data)

    def alias(self, key: object, same_as: object) -> None:
        """``key`` has the text already stored under ``same_as`` (stored once)."""
        self._where[key] = self._where[same_as]

    @property
    def closed(self) -> bool:
        return self._fd < 0

    def __contains__(self, key: object) -> bool:
        return key in self._where

    def get(self, key: object) -> str:
        return _read(self._fd, *self._where[key])

    def take(self, key: object) -> str:
        """The text, forgotten here (a page's HTML is read back once)."""
        return _read(self._fd, *self._where.pop(key))

    def slice(self, key: object) -> Slice:
        return Slice(self.path, *self._where[key])

    def keys(self) -> list[object]:
        return list(self._where)

    def adopt(self, path: str) -> None:
        """Another process's spool file whose texts this one reads (pages/pool.py): removed with this one."""
        self._adopted.add(path)

    def close(self, keep: bool = False) -> None:
        """Done with the file; ``keep`` leaves it for the process that adopted it."""
        if self._fd >= 0:
            os.close(self._fd)
            self._fd = -1
            self._where.clear()
            for path in sorted(self._adopted) + ([] if keep else [self.path]):
                try:
                    os.unlink(path)
                except FileNotFoundError:
                    pass


def _remove_orphans(folder: Path) -> None:
    """Spool files of builds that were killed (their process is gone); a running build's stay."""
    for path in folder.glob("pages-*-*.spool"):
        try:
            os.kill(int(path.name.split("-")[1]), 0)
        except ProcessLookupError:
            path.unlink(missing_ok=True)
        except (ValueError, PermissionError):
            continue


def _read(fd: int, offset: int, length: int) -> str:
    data = os.pread(fd, length, offset)
    while len(data) < length:   # pread may return less than asked for
        more = os.pread(fd, length - len(data), offset + len(data))
        if not more:
            raise OSError(f"页面暂存文件被截断（偏移 {offset}，应有 {length} 字节）")
        data += more
    return data.decode(ENCODING, ERRORS)
