"""A second process for work that can run beside the page rendering (QR codes, the search index).

Spawned, not forked, so it shares nothing with the build's state. A worker that
dies (killed for memory, say) is not a failed build: ``result`` says None and
the caller does the work in this process, with the same output.
"""
from __future__ import annotations

import concurrent.futures
import multiprocessing
from concurrent.futures.process import BrokenProcessPool
from typing import Any, Callable

CONTEXT = multiprocessing.get_context("spawn")


class Worker:
    def __init__(self, initializer: Callable[..., None] | None = None, initargs: tuple = ()) -> None:
        self._pool: concurrent.futures.ProcessPoolExecutor | None = concurrent.futures.ProcessPoolExecutor(
            1, mp_context=CONTEXT, initializer=initializer, initargs=initargs)

    def submit(self, fn: Callable[..., Any], *args: Any) -> concurrent.futures.Future:
        assert self._pool is not None, "worker closed"
        return self._pool.submit(fn, *args)

    def pids(self) -> list[int]:
        """The worker's process ids (empty until it has started)."""
        return list(self._pool._processes) if self._pool is not None else []

    @staticmethod
    def result(future: concurrent.futures.Future) -> Any | None:
        """The task's result, or None when the worker process died."""
        try:
            return future.result()
        except BrokenProcessPool:
            return None

    def close(self, wait: bool = False) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=wait, cancel_futures=True)
            self._pool = None
