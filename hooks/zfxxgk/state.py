"""The current build, shared by the hook files (each hook file is loaded as its own module)."""
from __future__ import annotations

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
