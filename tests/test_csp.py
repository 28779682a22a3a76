"""The Content-Security-Policy the build writes into every page (hooks/zfxxgk/outputs/csp.py, wired in plugin.py).

The policy is read back from the built HTML with the standard library's HTML
parser and the hashes recomputed here with hashlib; the browser side is in
tests/test_csp_browser.py, the server header in tests/test_serverconf.py.
"""
from __future__ import annotations

import gzip
import re
from pathlib import Path

import pytest

from _csp_helpers import directive, parse, sha
from zfxxgk.catalog.settings import SiteSettings
from zfxxgk.outputs import csp

ROOT = Path(__file__).resolve().parent.parent
MATERIAL_TEMPLATES = Path(__import__("material").__file__).parent / "templates"
# Everything but the hashes, written out by hand.
EXPECTED = ("default-src 'self'; script-src 'self' {hashes}; style-src 'self' 'unsafe-inline'; "
            "style-src-elem 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'")


def pages_of(site: Path) -> list[Path]:
    return sorted(p for p in site.rglob("*.html") if p.relative_to(site).parts[0] != "admin")


def test_every_page_starts_its_head_with_the_policy(example_site):
    pages = pages_of(example_site.site)
    assert len(pages) > 80 and example_site.site / "404.html" in pages
    for path in pages:
        page = parse(path)
        assert page.first_in_head and page.first_in_head[0] == "meta", path
        assert page.first_in_head[1].get("http-equiv") == "Content-Security-Policy", path
        assert len(page.policies) == 1, path
        raw = path.read_bytes()
        assert b"<meta charset" in raw[:1024], f"{path}: the charset must stay in the first 1024 bytes"


def test_each_page_allows_exactly_the_inline_scripts_it_contains(example_site):
    for path in pages_of(example_site.site):
        page = parse(path)
        hashes = sorted({sha(s) for s in page.scripts})
        assert hashes, path                                 # Material's and the toolbar's scripts at least
        assert page.policies[0] == EXPECTED.format(hashes=" ".join(hashes)), path


def test_the_home_page_runs_materials_scope_script_and_the_toolbars_saved_choices(example_site):
    page = parse(example_site.site / "index.html")
    assert any(s.startswith("__md_scope=new URL(document.currentScript") for s in page.scripts)
    assert any("zf-a11y" in s for s in page.scripts)
    # One fixed text on every page: the scope comes from a data- attribute.
    deep = parse(example_site.site / "fdzdgknr" / "fgwj" / "gz" / "index.html")
    assert sorted(map(sha, page.scripts)) == sorted(map(sha, deep.scripts))


def test_no_page_allows_inline_handlers_other_origins_or_eval(example_site):
    for path in pages_of(example_site.site):
        policy = parse(path).policies[0]
        sources = directive(policy, "script-src")
        assert sources[0] == "'self'" and all(s.startswith("'sha256-") for s in sources[1:]), path
        assert "unsafe-eval" not in policy and directive(policy, "default-src") == ["'self'"]
        assert directive(policy, "object-src") == ["'none'"]
        assert "frame-ancestors" not in policy          # ignored in a meta tag, with a console error


def test_no_template_relies_on_what_the_policy_refuses(example_site):
    # An onclick= or a javascript: link in a template would silently stop working.
    for path in pages_of(example_site.site):
        assert parse(path).blocked == [], path


def test_a_page_another_hook_writes_after_the_pages_gets_its_policy_too(make_project):
    project = make_project(with_content=False)
    project.write("hooks/late.py", "import os\n\ndef on_post_build(config):\n"
                  "    os.makedirs(os.path.join(config.site_dir, 'late'))\n"
                  "    with open(os.path.join(config.site_dir, 'late', 'index.html'), 'w') as fh:\n"
                  "        fh.write('<!doctype html><html><head><title>late</title></head><body>x</body></html>')\n")
    config = project.root / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        "plugins:\n  - zfxxgk\n", "plugins:\n  - zfxxgk\nhooks:\n  - hooks/late.py\n"), encoding="utf-8")
    result = project.build()
    assert result.ok, result.output
    page = parse(result.site / "late" / "index.html")
    assert page.first_in_head[1].get("http-equiv") == "Content-Security-Policy"
    assert directive(page.policies[0], "script-src") == ["'self'"]
    assert len(parse(result.site / "404.html").policies) == 1     # exactly once


# --- the policy's source: the theme's literal scripts, never the page's content ------------
@pytest.fixture(scope="module")
def theme() -> csp.Inline:
    return csp.theme_inline([ROOT / "overrides", MATERIAL_TEMPLATES], ROOT / "overrides")


def test_a_script_that_reached_the_content_gets_no_hash(theme):
    toolbar = next(t for t in theme.scripts.values() if "zf-a11y" in t)
    html = (f"<!doctype html><html><head><script>{toolbar}</script></head><body>"
            "<script>window.__pwned=2</script><p onclick=\"x()\">p</p></body></html>")
    marked = csp.add_meta(html, SiteSettings(), theme)
    policy = parse(marked).policies[0]
    assert directive(policy, "script-src") == ["'self'", sha(toolbar)]
    assert sha("window.__pwned=2") not in marked
    assert parse(marked).blocked == ["<p onclick>"]   # the helper sees it; the policy refuses it


def test_the_sites_own_template_wins_and_template_comments_are_not_scripts(tmp_path):
    own, theme_dir = tmp_path / "overrides", tmp_path / "material"
    (own / "partials").mkdir(parents=True)
    (theme_dir / "partials").mkdir(parents=True)
    (theme_dir / "partials" / "x.html").write_text("<script>material()</script>", encoding="utf-8")
    (own / "partials" / "x.html").write_text(
        "{# was <script>var a = {{ page.url }}; #}\n<script>ours()</script>", encoding="utf-8")
    inline = csp.theme_inline([own, theme_dir], own)
    assert list(inline.scripts.values()) == ["ours()"] and inline.problems == []


def test_a_page_without_head_is_reported_not_guessed(theme):
    assert csp.add_meta("<p>no head</p>", SiteSettings(), theme) is None


def test_hashes_follow_the_html_parsers_line_breaks():
    # The browser hashes the script text after HTML parsing turned CR LF into LF.
    assert csp.sha256_source("a\r\nb") == sha("a\nb")
    assert csp.sha256_source("甲") == sha("甲")


def test_a_template_script_with_a_template_expression_fails_the_strict_build(make_project):
    project = make_project()
    main = project.root / "overrides" / "main.html"
    main.write_text(main.read_text(encoding="utf-8").replace(
        "{% block footer %}", '{% block footer %}<script>var page = "{{ page.url }}";</script>', 1), encoding="utf-8")
    result = project.build("--strict")
    assert not result.ok
    assert "警告 overrides/main.html: 内联脚本中含有模板变量" in result.output
    assert "data- 属性" in result.output


# --- settings ------------------------------------------------------------------------
def set_server(project, text: str) -> None:
    site_yml = project.root / "catalog" / "site.yml"
    body = site_yml.read_text(encoding="utf-8")
    body = re.sub(r"^server:\n(?:  .*\n|\s*#.*\n)*", "", body, flags=re.M)
    site_yml.write_text(body + text, encoding="utf-8")


def test_an_external_party_mark_image_is_allowed_by_its_origin_only(make_project):
    project = make_project()
    site_yml = project.root / "catalog" / "site.yml"
    site_yml.write_text(site_yml.read_text(encoding="utf-8").replace(
        "party_mark_image: ''", "party_mark_image: 'https://dcs.conac.cn/image/red.png'"), encoding="utf-8")
    result = project.build("--strict")
    assert result.ok, result.output
    policy = parse(result.site / "index.html").policies[0]
    assert directive(policy, "img-src") == ["'self'", "data:", "https://dcs.conac.cn"]


@pytest.mark.parametrize("bad", ["'*'", "https://portal.example.gov.cn; script-src *", "javascript:alert(1)"])
def test_a_bad_frame_ancestor_stops_the_build_with_a_message(make_project, bad):
    project = make_project(with_content=False)
    set_server(project, f"server:\n  frame_ancestors: [\"{bad}\"]\n")
    result = project.build()
    assert not result.ok
    assert "错误 catalog/site.yml: [server.frame_ancestors[0]]" in result.output
    assert "允许的写法：https://www.example.gov.cn" in result.output
    assert "Traceback" not in result.output


# --- precompression -------------------------------------------------------------------
def test_precompressed_copies_are_exact_and_deterministic(make_project):
    project = make_project()
    set_server(project, "server:\n  precompress: true\n")
    result = project.build("--strict")
    assert result.ok, result.output
    assert "预压缩：写出 .gz 文件" in result.output
    site = result.site
    for rel in ("index.html", "404.html", "search/index.html", "assets/javascripts/zf-a11y.js", "sitemap.xml"):
        packed = (site / (rel + ".gz")).read_bytes()
        assert packed[4:8] == b"\0\0\0\0", f"{rel}.gz: no time stamp"
        assert gzip.decompress(packed) == (site / rel).read_bytes(), rel
    gz = sorted(site.rglob("*.gz"))
    assert all((p.with_suffix("")).stat().st_size >= 512 for p in gz)
    assert not any(p.name.endswith((".png.gz", ".pdf.gz", ".gz.gz")) for p in gz)
    first = {p.relative_to(site): p.read_bytes() for p in gz}
    again = project.build("--strict")
    assert {p.relative_to(site): p.read_bytes() for p in sorted(again.site.rglob("*.gz"))} == first


def test_without_the_setting_no_copies_are_written(example_site):
    assert not list(example_site.site.rglob("*.gz"))
