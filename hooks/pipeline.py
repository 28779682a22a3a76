"""MkDocs hook, listed last: stamp the published site as made by the full pipeline (see ``zfxxgk.pipeline``)."""
from __future__ import annotations

import os
import sys
from pathlib import Path

sys.path.insert(0, os.path.dirname(__file__))  # the zfxxgk package lives beside this file

from mkdocs.plugins import event_priority  # noqa: E402

from zfxxgk import pipeline  # noqa: E402
from zfxxgk.state import current  # noqa: E402

_project: Path | None = None


def on_config(config):
    global _project
    _project = Path(config.config_file_path).parent
    if current.command in ("build", "gh-deploy"):
        pipeline.forget_stamp(_project)   # a build that fails leaves no stamp behind
    return config


@event_priority(-100)   # after disclosure.py swapped the staging directory in
def on_shutdown():
    if _project is not None and current.ok and current.target and current.command in ("build", "gh-deploy"):
        pipeline.write_stamp(_project, Path(current.target))
