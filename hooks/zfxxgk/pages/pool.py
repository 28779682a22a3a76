"""Both cores in a full build: forked children render a share of the document pages.

A document page rendered by a child reaches the main process the way a page of the build
cache does (pages/cache.py): the child renders it completely (Markdown, the sanitizer and
the gate, the templates, our on_post_page) and stores its final HTML, its text for the
search index, the assets it uses and its trace in the cache's staging directory; main
then takes it as a reused page. So a pooled page is written byte for byte as main would
have written it, and the output does not depend on which process rendered which page.

Two messages come back through a pipe. The first, when the child has converted its pages'
Markdown: what on_env needs of every page (the text for the search index, the assets the
gate approves, the gate's problems, what was logged, the anchors MkDocs checks). Main,
having converted the Markdown of its own share meanwhile, reads it at on_env. Then both
render templates: main its own pages, the child its share, the last pages in MkDocs' order,
so that main reaches them when the child is done; the second message (the cache entries of
the finished pages) is read at the first of them. A child that fails before its first
message changes nothing: main renders its pages itself, with the errors a one-process build
gives; one that fails after it leaves its pages' templates to main (see the plugin's
``_pooled_page``). The children are forked in on_nav, before the QR worker is started (a
forked child must never share a ProcessPoolExecutor with its parent), and leave with
``os._exit`` (no atexit handler, no flush of the parent's buffers).

What the children log (MkDocs' own lines and ours, at the levels the build shows) is
captured per page and logged again by main, in page order, through the same loggers:
``--strict`` counts the warnings as in a one-process build.
"""
from __future__ import annotations

import contextlib
import logging
import os
import pickle
import signal
import time
from dataclasses import dataclass, field
from typing import Any, Callable, Iterator

from zfxxgk.catalog.problems import Problem
from zfxxgk.pages.spool import Slice

TEST_EXIT_ENV = "ZFXXGK_POOL_TEST_EXIT"   # test hook (tests/test_pool.py): a child reading 1 fails at once, 2 after its first message
# The documents are shared equally among the processes (the children's the last ones in MkDocs'
# order). Main has the listings and on_env's checks besides; with 2 processes, the build log's
# waits (main for the child's Markdown, then for its templates) stayed under 2 s at 1,000 documents.


def processes(workers: int, todo: int, minimum: int, cores: int | None) -> int:
    """How many processes render document pages: 1 (no pool) unless there are ``minimum``
    pages to render and more than one core; ``workers`` 0 means one per core."""
    wanted = workers if workers > 0 else (cores or 1)
    if wanted < 2 or todo < max(minimum, 1) or (cores or 1) < 2 or not hasattr(os, "fork"):   # Windows: no fork
        return 1
    return min(wanted, todo)


def child_shares(pages: list[str], count: int) -> list[list[str]]:
    """The pages each of ``count - 1`` children renders: an equal share each, the last of ``pages`` (in
    their order: main renders templates in that order and needs a child's pages last), one run per child."""
    children = count - 1
    if children < 1:
        return []
    taken = round(len(pages) * children / count)
    tail = pages[len(pages) - taken:]
    bounds = [round(i * taken / children) for i in range(children + 1)]
    return [tail[a:b] for a, b in zip(bounds, bounds[1:])]


@dataclass
class Converted:
    """The first message: a child's pages after their Markdown, as on_env needs them."""
    pages: dict[str, tuple[Slice, list[str]]] = field(default_factory=dict)   # src -> (where its search text is, assets)
    records: dict[str, list[logging.LogRecord]] = field(default_factory=dict)   # src ("" outside a page) -> records
    problems: list[Problem] = field(default_factory=list)
    gate_seconds: float = 0.0
    seconds: float = 0.0                 # the child's time from its fork to this message
    anchors: dict[str, tuple[list[str], dict[str, dict[str, str]]]] = field(default_factory=dict)   # see anchors_of


@dataclass
class Rendered:
    """The second message: the cache entries of a child's finished pages and what their templates logged."""
    entries: dict[str, Any] = field(default_factory=dict)                       # src -> cache.Entry
    records: dict[str, list[logging.LogRecord]] = field(default_factory=dict)
    seconds: float = 0.0                 # the child's time from its fork to this message


def anchors_of(page: Any) -> tuple[list[str], dict[str, dict[str, str]]]:
    """A rendered page's anchors and its links to anchors (by the linked file's src), which MkDocs
    checks after every page is built (``Page.validate_anchor_links``)."""
    links = {target.src_uri: dict(found) for target, found in (page.links_to_anchors or {}).items()}
    return sorted(page.present_anchor_ids or ()), links


def set_anchors(page: Any, anchors: tuple[list[str], dict[str, dict[str, str]]], files: Any) -> None:
    """``anchors_of`` a child's page, given to main's Page of it (blank here) for MkDocs' check."""
    present, links = anchors
    page.present_anchor_ids = set(present)
    page.links_to_anchors = {files.get_file_from_path(src): found for src, found in links.items()}


class Capture(logging.Handler):
    """Every record a child logs, kept for main instead of printed (MkDocs' logger and the root's)."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.page = ""
        self.records: dict[str, list[logging.LogRecord]] = {}

    def install(self) -> None:
        for logger in (logging.getLogger("mkdocs"), logging.getLogger()):
            for handler in list(logger.handlers):
                logger.removeHandler(handler)
            logger.addHandler(self)

    def emit(self, record: logging.LogRecord) -> None:
        record.msg, record.args = record.getMessage(), None       # plain text: it crosses a pipe
        if record.exc_info:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
            record.exc_info = None
        self.records.setdefault(self.page, []).append(record)


@contextlib.contextmanager
def muted() -> Iterator[None]:
    """Nothing logged meanwhile is shown (main converting again a page whose lines were logged)."""
    loggers = (logging.getLogger("mkdocs"), logging.getLogger())
    saved = [list(logger.handlers) for logger in loggers]
    quiet = logging.NullHandler()
    try:
        for logger in loggers:
            logger.handlers = [quiet]
        yield
    finally:
        for logger, handlers in zip(loggers, saved):
            logger.handlers = handlers


def replay(records: list[logging.LogRecord]) -> None:
    """Log a child's records again in this process, through the loggers that made them."""
    for record in records:
        logger = logging.getLogger(record.name)
        if logger.isEnabledFor(record.levelno):
            logger.handle(record)


class Child:
    """One forked child rendering ``pages``: ``work(pages, send)`` runs in it, sends the Converted
    message and returns the Rendered one."""

    def __init__(self, pages: list[str], work: Callable[[list[str], Callable[[Any], None]], Rendered]) -> None:
        self.pages = pages
        self._rendered: Rendered | None = None
        read, write = os.pipe()
        self.started = time.perf_counter()
        self.pid = os.fork()
        if self.pid == 0:                   # the child: never returns
            os.close(read)
            _run_child(write, pages, work)
        os.close(write)
        self._read: int | None = read

    def converted(self) -> Converted | None:
        """The first message, or None if the child failed before it (it is then stopped)."""
        message = self._receive()
        if not isinstance(message, Converted) or sorted(message.pages) != sorted(self.pages):
            self.stop()
            return None
        return message

    def rendered(self) -> Rendered | None:
        """The second message (read once), or None if the child failed before it; the child is reaped."""
        if self._rendered is None and self._read is not None:
            message = self._receive()
            ok = self._wait() and isinstance(message, Rendered) and sorted(message.entries) == sorted(self.pages)
            self._rendered = message if ok else None
        return self._rendered

    def _receive(self) -> Any:
        if self._read is None:
            return None
        head = self._exactly(8)
        data = self._exactly(int.from_bytes(head, "big")) if head is not None else None
        try:
            return pickle.loads(data) if data is not None else None
        except Exception:   # a damaged message: not trusted
            return None

    def _exactly(self, size: int) -> bytes | None:
        data = bytearray()
        while len(data) < size:
            chunk = os.read(self._read, min(size - len(data), 1 << 20))
            if not chunk:
                return None
            data += chunk
        return bytes(data)

    def _wait(self) -> bool:
        os.close(self._read)
        self._read = None
        _, status = os.waitpid(self.pid, 0)
        return os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0

    def stop(self) -> None:
        """End the child (if it is still running) and reap it: it failed, or the build did."""
        if self._read is None:
            return
        try:
            os.kill(self.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self._wait()


def _run_child(write: int, pages: list[str], work: Callable[[list[str], Callable[[Any], None]], Rendered]) -> None:
    code = 1
    try:
        if os.environ.get(TEST_EXIT_ENV) == "1":
            os._exit(1)
        started = time.perf_counter()

        def send(message: Any) -> None:
            message.seconds = time.perf_counter() - started
            data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
            view = memoryview(len(data).to_bytes(8, "big") + data)
            while view:
                view = view[os.write(write, view):]
            if os.environ.get(TEST_EXIT_ENV) == "2" and isinstance(message, Converted):
                os._exit(1)

        send(work(pages, send))
        code = 0
    except BaseException:   # whatever it was, main renders these pages itself and reports it as it would
        code = 1
    finally:
        os._exit(code)
