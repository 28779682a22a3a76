"""The output ships only what the site uses: every file is referenced or a known entry point."""
from __future__ import annotations

from pathlib import Path

from zfxxgk.tools import inventory
from zfxxgk.outputs import shipping

SITE_URL = "https://www.example.gov.cn/zfxxgk/"


def test_the_example_site_has_no_unreferenced_file(example_site, capsys):
    site = example_site.site
    with capsys.disabled():
        print("\n" + inventory.table(site))   # the output's file types and sizes, in the test log
    assert inventory.unreferenced(site, SITE_URL) == []


def test_no_material_search_assets_or_source_maps_when_search_is_off(example_site):
    site = example_site.site
    shipped = inventory.files(site)
    assert not [f for f in shipped if f.endswith(".map")]
    assert not [f for f in shipped if f.startswith(("assets/javascripts/lunr/", "assets/javascripts/workers/"))]
    for path in [*site.rglob("*.js"), *site.rglob("*.css")]:
        assert b"sourceMappingURL" not in path.read_bytes()[-400:], path
    assert (site / "assets" / "javascripts").is_dir(), "Material's own bundle is still shipped"
    assert list((site / "assets" / "javascripts").glob("bundle.*.min.js"))


def test_the_example_site_stays_small(example_site):
    """Besides its pages the site ships little (1.35 MB in 2026-11; the whole site was 11.4 MB when it shipped
    Material's search assets, source maps and /admin/), and a page stays light (27 KB on average, 316 pages)."""
    files = [p for p in example_site.site.rglob("*") if p.is_file()]
    pages = [p.stat().st_size for p in files if p.suffix == ".html"]
    rest = sum(p.stat().st_size for p in files if p.suffix != ".html")
    assert rest < 2_000_000, f"{rest:,} bytes besides the pages"
    assert sum(pages) / len(pages) < 35_000 and max(pages) < 200_000, (sum(pages) / len(pages), max(pages))


def _write(root: Path, rel: str, text: str) -> None:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def test_the_rule_finds_what_nothing_references(tmp_path):
    site = tmp_path / "site"
    _write(site, "index.html", '<link href="assets/a.css" rel="stylesheet"><a href="wj/1/">一</a>'
                               '<script src="/zfxxgk/assets/app.js"></script>')
    _write(site, "assets/a.css", "body{background:url('../img/bg.png')}")
    _write(site, "img/bg.png", "png")
    _write(site, "assets/app.js", 'fetch(base + "data/list.json")')
    _write(site, "data/list.json", "[]")
    _write(site, "wj/1/index.html", '<a href="../../">首页</a>')
    _write(site, "wj/2/index.html", '<a href="./">本页</a>')       # only links to itself
    _write(site, "sitemap.xml", f"<url><loc>{SITE_URL}wj/1/</loc></url>")
    _write(site, "404.html", "")
    _write(site, "robots.txt", f"Sitemap: {SITE_URL}sitemap.xml")
    _write(site, "assets/app.js.map", "{}")
    _write(site, "assets/old.js", "")
    assert inventory.unreferenced(site, SITE_URL) == ["assets/app.js.map", "assets/old.js", "wj/2/index.html"]
    assert inventory.by_type(site)[".html"] == (4, sum(len(t.encode()) for t in (
        '<link href="assets/a.css" rel="stylesheet"><a href="wj/1/">一</a><script src="/zfxxgk/assets/app.js"></script>',
        '<a href="../../">首页</a>', '<a href="./">本页</a>', "")))


def test_search_assets_are_kept_for_a_site_that_turns_material_search_on():
    assert shipping.unused("assets/javascripts/lunr/wordcut.js", search_plugin=False)
    assert not shipping.unused("assets/javascripts/lunr/wordcut.js", search_plugin=True)
    assert shipping.unused("assets/stylesheets/main.57a0d79d.min.css.map", search_plugin=True)
    assert not shipping.unused("assets/javascripts/bundle.a5f9d56c.min.js", search_plugin=False)
