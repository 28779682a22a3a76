"""The current build, shared by the hook files (each hook file is loaded as its own module)."""
from __future__ import annotations

import gc
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .site import Site


@dataclass
class BuildState:
    command: str | None = None      # "build", "serve", "gh-deploy"; None when build() is called directly
    site: "Site | None" = None
    staging: str | None = None      # where this build writes; swapped in on success
    target: str | None = None       # the published site directory
    ok: bool = False


current = BuildState()


def settle() -> None:
    """Exempt everything alive now (the corpus, then the read pages) from garbage collection.

    They live until the build ends, yet CPython's collector re-scans them on every
    full collection: at 10,000 documents that was a third of the build time.
    """
    gc.collect()
    gc.freeze()


def release() -> None:
    """Let the previous build's objects be collected again (``mkdocs serve`` rebuilds in one process)."""
    gc.unfreeze()
