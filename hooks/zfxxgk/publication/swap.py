"""Atomic publication: build into a staging directory, swap it in only on success.

A failed build (validation errors, strict-mode warnings, a crash) leaves the
previously published site untouched. The site it replaces is renamed away at
once and deleted by a process of its own, which the build does not wait for
(at 10,000 documents deleting it took longer than rendering an edited page).
"""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

_DELETE = "import shutil, sys; shutil.rmtree(sys.argv[1], ignore_errors=True)"


def staging_dir(site_dir: str) -> str:
    return str(Path(site_dir).with_name(Path(site_dir).name + ".staging"))


def discard(staging: str) -> None:
    shutil.rmtree(staging, ignore_errors=True)


def swap_in(staging: str, site_dir: str) -> None:
    """Replace ``site_dir`` by ``staging`` with two renames (the old site is then retired)."""
    site, old = Path(site_dir), Path(site_dir + ".old")
    shutil.rmtree(old, ignore_errors=True)   # normally gone already; else a deletion that was cut short
    if site.exists():
        site.rename(old)
    Path(staging).rename(site)
    retire(old)


def retire(folder: Path) -> None:
    """Delete ``folder``, which nothing reads any more, in a detached process that may outlive this one.

    Its name is fixed (``….old``), and whoever renames something to it removes what is
    left there first, so an unfinished deletion is finished by the next build."""
    if not folder.exists():
        return
    try:
        subprocess.Popen([sys.executable, "-c", _DELETE, str(folder)], start_new_session=True,
                         stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    except OSError:             # no process to be had: delete it here
        shutil.rmtree(folder, ignore_errors=True)
