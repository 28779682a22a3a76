"""MkDocs hook: MkDocs' own build-log lines in Simplified Chinese (``ZFXXGK_LOG=en`` keeps English).

Listed first in mkdocs.yml so the translation is in place when the hooks are
loaded, before the build logs anything; see ``zfxxgk.buildlog``.
"""
from __future__ import annotations

import os
import sys

sys.path.insert(0, os.path.dirname(__file__))  # the zfxxgk package lives beside this file

from zfxxgk import buildlog  # noqa: E402

buildlog.install()   # at load time: configuration warnings come before on_startup


def on_startup(command: str, dirty: bool) -> None:
    buildlog.install()
