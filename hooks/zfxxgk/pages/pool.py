"""Both cores in a full build: forked children render a share of the document pages.

A document page rendered by a child reaches the main process the way a page of the build
cache does (pages/cache.py): the child renders it completely (Markdown, the sanitizer and
the gate, the templates, our on_post_page) and stores its final HTML, its text for the
search index, the assets it uses and its trace in the cache's staging directory; main
then takes it as a reused page. So a pooled page is written byte for byte as main would
have written it, and the output does not depend on which process rendered which page.

Main goes on with the Markdown of its own share meanwhile; at on_env it waits for the
children. A child that fails in any way (an exception, killed, nothing or garbage sent
back) changes nothing: main renders its pages itself, with the errors a one-process build
gives. The children are forked in on_nav, before the QR worker is started (a forked
child must never share a ProcessPoolExecutor with its parent), and leave with
``os._exit`` (no atexit handler, no flush of the parent's buffers).

What the children log while rendering (MkDocs' own lines and ours, at the levels the
build shows) is captured per page and logged again by main, in page order, through the
same loggers: ``--strict`` counts the warnings as in a one-process build.
"""
from __future__ import annotations

import logging
import os
import pickle
import signal
import time
from dataclasses import dataclass, field
from typing import Any, Callable

from zfxxgk.catalog.problems import Problem

TEST_EXIT_ENV = "ZFXXGK_POOL_TEST_EXIT"   # test hook (tests/test_pool.py): a child reading 1 exits at once, failed
# Share of the documents one child renders. Main converts the Markdown of its share while a
# child does Markdown and templates of its own; each should be done when main reaches on_env:
# (1 - k·c)·Tmd = c·(Tmd + Ttpl) gives c = Tmd / ((k + 1)·Tmd + Ttpl) for k children, where
# Tmd (Markdown, sanitizer, gate) and Ttpl (templates) are measured by bench/build_bench.py.
MARKDOWN_SHARE, TEMPLATE_SHARE = 0.55, 0.45


def processes(workers: int, todo: int, minimum: int, cores: int | None) -> int:
    """How many processes render document pages: 1 (no pool) unless there are ``minimum``
    pages to render and more than one core; ``workers`` 0 means one per core."""
    wanted = workers if workers > 0 else (cores or 1)
    if wanted < 2 or todo < max(minimum, 1) or (cores or 1) < 2 or not hasattr(os, "fork"):   # Windows: no fork
        return 1
    return min(wanted, todo)


def child_shares(pages: list[str], count: int) -> list[list[str]]:
    """The pages each of ``count - 1`` children renders, spread evenly over ``pages`` (in their order);
    main keeps the rest."""
    children = count - 1
    if children < 1:
        return []
    fraction = MARKDOWN_SHARE / (count * MARKDOWN_SHARE + TEMPLATE_SHARE)
    taken = min(len(pages), round(len(pages) * fraction * children))
    shares: list[list[str]] = [[] for _ in range(children)]
    if taken == 0:
        return shares
    step = len(pages) / taken
    for n in range(taken):              # every step-th page, dealt to the children in turn
        shares[n % children].append(pages[int(n * step)])
    return shares


@dataclass
class Result:
    """What a child sends back: per page its cache entry and what it logged; the gate's problems."""
    entries: dict[str, Any] = field(default_factory=dict)                    # src -> cache.Entry
    records: dict[str, list[logging.LogRecord]] = field(default_factory=dict)   # src ("" outside a page) -> records
    problems: list[Problem] = field(default_factory=list)
    gate_seconds: float = 0.0
    seconds: float = 0.0                 # the child's time from its fork to its result
    anchors: dict[str, tuple[list[str], dict[str, dict[str, str]]]] = field(default_factory=dict)   # see anchors_of


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


def replay(records: list[logging.LogRecord]) -> None:
    """Log a child's records again in this process, through the loggers that made them."""
    for record in records:
        logger = logging.getLogger(record.name)
        if logger.isEnabledFor(record.levelno):
            logger.handle(record)


class Child:
    """One forked child rendering ``pages``; ``work`` runs in it and returns its Result."""

    def __init__(self, pages: list[str], work: Callable[[list[str]], Result]) -> None:
        self.pages = pages
        read, write = os.pipe()
        self.started = time.perf_counter()
        self.pid = os.fork()
        if self.pid == 0:                   # the child: never returns
            os.close(read)
            _run_child(write, pages, work)
        os.close(write)
        self._read: int | None = read

    def result(self) -> Result | None:
        """The child's Result, or None if it failed in any way (main then renders its pages)."""
        data = bytearray()
        try:
            while chunk := os.read(self._read, 1 << 20):
                data += chunk
        finally:
            os.close(self._read)
            self._read = None
        _, status = os.waitpid(self.pid, 0)
        if not os.WIFEXITED(status) or os.WEXITSTATUS(status) != 0:
            return None
        try:
            result = pickle.loads(bytes(data))
        except Exception:   # a truncated or damaged message: not trusted
            return None
        if not isinstance(result, Result) or sorted(result.entries) != sorted(self.pages):
            return None
        return result

    def stop(self) -> None:
        """The build failed elsewhere: end the child (if it is still running) and reap it."""
        if self._read is None:
            return
        os.close(self._read)
        self._read = None
        try:
            os.kill(self.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        os.waitpid(self.pid, 0)


def _run_child(write: int, pages: list[str], work: Callable[[list[str]], Result]) -> None:
    code = 1
    try:
        if os.environ.get(TEST_EXIT_ENV) == "1":
            os._exit(1)
        started = time.perf_counter()
        result = work(pages)
        result.seconds = time.perf_counter() - started
        data = pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL)
        view = memoryview(data)
        while view:
            view = view[os.write(write, view):]
        code = 0
    except BaseException:   # whatever it was, main renders these pages again and reports it as it would
        code = 1
    finally:
        os._exit(code)
