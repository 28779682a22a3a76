"""The layout: the nav and tabs (the column tree) on every page, and the parts of the page that
are rendered once and reused (zfxxgk.pages.layout.Fragments) exactly as if rendered per page."""
from __future__ import annotations

import filecmp
import re
from pathlib import Path
from urllib.parse import urljoin

from conftest import copy_project

LINK = re.compile(r'<a href="([^"]*)"[^>]*class="(md-nav__link|md-tabs__link)[" ]')


def pages(site: Path) -> list[Path]:
    return sorted(p for p in site.rglob("index.html") if (p.parent / "index.html").is_file())


def targets(page: Path, site: Path, kind: str) -> set[str]:
    """Site-absolute URLs of the page's nav (md-nav__link) or tab (md-tabs__link) links
    (not the table of contents' links within the page)."""
    rel = page.parent.relative_to(site).as_posix()
    url = "/" if rel == "." else f"/{rel}/"
    html = page.read_text(encoding="utf-8")
    return {urljoin(url, href) for href, cls in LINK.findall(html) if cls == kind and not href.startswith("#")}


def test_the_nav_and_the_tabs_link_to_the_same_columns_from_every_page(example_site):
    site = example_site.site
    home = targets(site / "index.html", site, "md-nav__link")
    # By hand: the home page's nav has the four columns and sub-columns at their own URLs.
    assert {"/", "/zfxxgkzn/", "/zfxxgkzd/", "/fdzdgknr/", "/fdzdgknr/fgwj/gz/", "/zfxxgknb/"} <= home
    tabs = {"/", "/zfxxgkzn/", "/zfxxgkzd/", "/fdzdgknr/", "/zfxxgknb/"}
    checked = 0
    for page in pages(site):
        where = page.relative_to(site).as_posix()
        if "md-nav__link" not in page.read_text(encoding="utf-8"):
            continue
        # Listing pages deep in a column (fdzdgknr/fgwj/gfxwj/<x>/) once got the nav of
        # another directory at the same depth: every link must still reach the same column.
        assert targets(page, site, "md-nav__link") == home, where
        assert targets(page, site, "md-tabs__link") == tabs, where
        checked += 1
    assert checked > 100


def test_parts_rendered_once_are_byte_identical_to_rendering_every_page(example_site, tmp_path, monkeypatch):
    monkeypatch.setenv("ZFXXGK_FRAGMENTS", "0")     # every fragment rendered on every page
    project = copy_project(tmp_path / "per-page")
    result = project.build("--strict")
    assert result.ok, result.output
    reused, per_page = example_site.site, result.site
    files = sorted(p.relative_to(reused).as_posix() for p in reused.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(per_page).as_posix() for p in per_page.rglob("*") if p.is_file())
    different = [f for f in files if not filecmp.cmp(reused / f, per_page / f, shallow=False)]
    assert different == []
    assert len(files) > 300
