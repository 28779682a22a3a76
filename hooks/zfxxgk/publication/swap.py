"""Atomic publication: build into a staging directory, swap it in only on success.

A failed build (validation errors, strict-mode warnings, a crash) leaves the
previously published site untouched.
"""
from __future__ import annotations

import shutil
from pathlib import Path


def staging_dir(site_dir: str) -> str:
    return str(Path(site_dir).with_name(Path(site_dir).name + ".staging"))


def discard(staging: str) -> None:
    shutil.rmtree(staging, ignore_errors=True)


def swap_in(staging: str, site_dir: str) -> None:
    """Replace ``site_dir`` by ``staging`` with two renames (the old site is removed last)."""
    site, old = Path(site_dir), Path(site_dir + ".old")
    shutil.rmtree(old, ignore_errors=True)
    if site.exists():
        site.rename(old)
    Path(staging).rename(site)
    shutil.rmtree(old, ignore_errors=True)
