"""MkDocs hook: the output carries only what the site uses (see ``zfxxgk.shipping``)."""
from __future__ import annotations

import os
import sys
from pathlib import Path

sys.path.insert(0, os.path.dirname(__file__))  # the zfxxgk package lives beside this file

from mkdocs.plugins import event_priority  # noqa: E402

from zfxxgk import shipping  # noqa: E402


@event_priority(-100)   # after every hook that adds files
def on_files(files, config):
    shipping.drop_unused(files, search_plugin="search" in config.plugins)
    return files


def on_post_page(output, page, config):
    return shipping.drop_generator(output)


def on_post_build(config):
    shipping.strip_map_comments(Path(config.site_dir))
    shipping.drop_generator_file(Path(config.site_dir) / "404.html")   # theme pages skip on_post_page
