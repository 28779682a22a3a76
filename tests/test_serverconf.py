"""The web server configurations of docs/deploy/, against a real nginx (and Caddy where installed).

The shipped files are exactly what ``python -m zfxxgk server-config`` prints, so
their Content-Security-Policy comes from hooks/zfxxgk/outputs/csp.py like the pages'
meta tags. The servers run the generated configuration (only the listen
address and the web root changed) over the example site built with
``server.precompress: true``, mounted under /zfxxgk/ like site_url.
"""
from __future__ import annotations

import gzip
import http.client
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from _csp_helpers import Watched, directive, parse
from bench.webserver import free_port, nginx_conf, wait_listening
from conftest import copy_project
from zfxxgk.outputs import serverconf

ROOT = Path(__file__).resolve().parent.parent
PREFIX = "/zfxxgk/"
DOCUMENT = "wj/113715250044422281-2021-26757114/"


def cli(*args: str) -> str:
    env = dict(os.environ, PYTHONPATH=str(ROOT / "hooks"), NO_MKDOCS_2_WARNING="1")
    proc = subprocess.run([sys.executable, "-m", "zfxxgk", *args], cwd=ROOT, capture_output=True, text=True,
                          env=env, timeout=120)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


@pytest.mark.parametrize("server, shipped", [("nginx", "nginx.conf"), ("caddy", "Caddyfile")])
def test_the_shipped_configuration_is_the_commands_output(server, shipped):
    assert (ROOT / "docs" / "deploy" / shipped).read_text(encoding="utf-8") == cli("server-config", server), \
        f"docs/deploy/{shipped} is stale: python -m zfxxgk server-config {server} > docs/deploy/{shipped}"


def test_a_bad_setting_never_reaches_a_configuration(make_project):
    project = make_project(with_content=False)
    site_yml = project.root / "catalog" / "site.yml"
    site_yml.write_text(site_yml.read_text(encoding="utf-8").replace(
        "frame_ancestors: []", "frame_ancestors: ['https://a.example; script-src *']"), encoding="utf-8")
    env = dict(os.environ, PYTHONPATH=str(ROOT / "hooks"), NO_MKDOCS_2_WARNING="1")
    proc = subprocess.run([sys.executable, "-m", "zfxxgk", "server-config", "nginx"], cwd=project.root,
                          capture_output=True, text=True, env=env, timeout=120)
    assert proc.returncode == 1 and proc.stdout == ""
    assert "错误 catalog/site.yml: [server.frame_ancestors[0]]" in proc.stderr and "未生成配置" in proc.stderr
    assert "Traceback" not in proc.stderr


def header_policy_line(conf: str) -> str:
    line = next(l for l in conf.splitlines() if "add_header Content-Security-Policy" in l)
    return line.split('"')[1]


def test_the_header_allows_every_pages_inline_scripts_and_adds_frame_ancestors(example_site):
    header = header_policy_line((ROOT / "docs" / "deploy" / "nginx.conf").read_text(encoding="utf-8"))
    assert directive(header, "frame-ancestors") == ["'self'"]
    allowed = set(directive(header, "script-src"))
    for path in sorted(example_site.site.rglob("*.html")):
        meta = parse(path).policies[0]
        assert set(directive(meta, "script-src")) <= allowed, path
        same = [d for d in meta.split("; ") if not d.startswith("script-src")]
        assert [d for d in header.split("; ") if not d.startswith(("script-src", "frame-ancestors"))] == same


# --- real servers --------------------------------------------------------------------
@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The example site with precompressed copies, under <web root>/zfxxgk/."""
    project = copy_project(tmp_path_factory.mktemp("served") / "project")
    site_yml = project.root / "catalog" / "site.yml"
    site_yml.write_text(site_yml.read_text(encoding="utf-8").replace("precompress: false", "precompress: true"),
                        encoding="utf-8")
    result = project.build("--strict")
    assert result.ok, result.output
    web_root = project.root.parent / "www"
    web_root.mkdir()
    (web_root / PREFIX.strip("/")).symlink_to(result.site, target_is_directory=True)
    return project, result.site, web_root


def start(cmd: list[str], port: int, log: Path, env: dict | None = None):
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=open(log, "ab"), env=env)
    try:
        wait_listening(proc, port, log)
    except RuntimeError as error:
        pytest.fail(str(error))
    return proc


def stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


@pytest.fixture(scope="module")
def nginx(built, tmp_path_factory):
    exe = shutil.which("nginx") or "/usr/sbin/nginx"
    if not Path(exe).exists():
        pytest.fail("nginx is missing: apt-get install -y nginx")
    project, site, web_root = built
    port, run = free_port(), tmp_path_factory.mktemp("nginx")
    server = serverconf.nginx(serverconf.load(project.root), str(web_root), f"127.0.0.1:{port}")
    (run / "nginx.conf").write_text(nginx_conf(run, server, f"{run}/access.log"), encoding="utf-8")
    proc = start([exe, "-p", str(run), "-c", str(run / "nginx.conf"), "-e", str(run / "error.log")],
                 port, run / "error.log")
    yield f"127.0.0.1:{port}", site
    stop(proc)


@pytest.fixture(scope="module")
def caddy(built, tmp_path_factory):
    exe = shutil.which("caddy")
    if exe is None:
        pytest.skip("caddy is not installed (apt-get install -y caddy); CI tests nginx only")
    project, site, web_root = built
    port, run = free_port(), tmp_path_factory.mktemp("caddy")
    conf = serverconf.caddy(serverconf.load(project.root), str(web_root), f"http://127.0.0.1:{port}")
    (run / "Caddyfile").write_text("{\n\tadmin off\n}\n" + conf, encoding="utf-8")
    env = dict(os.environ, HOME=str(run), XDG_DATA_HOME=str(run / "data"), XDG_CONFIG_HOME=str(run / "config"))
    proc = start([exe, "run", "--adapter", "caddyfile", "--config", str(run / "Caddyfile")], port, run / "caddy.log", env)
    yield f"127.0.0.1:{port}", site
    stop(proc)


@pytest.fixture(scope="module", params=["nginx", "caddy"])
def server(request):
    return request.getfixturevalue(request.param)


def get(address: str, path: str, gzip_ok: bool = False) -> tuple[int, dict[str, str], bytes]:
    conn = http.client.HTTPConnection(address, timeout=10)
    conn.request("GET", path, headers={"Accept-Encoding": "gzip"} if gzip_ok else {"Accept-Encoding": "identity"})
    response = conn.getresponse()
    body = response.read()
    conn.close()
    return response.status, {k.lower(): v for k, v in response.getheaders()}, body


def test_pages_carry_the_policy_and_the_security_headers(server):
    address, site = server
    status, headers, body = get(address, PREFIX + DOCUMENT)
    assert status == 200 and body == (site / DOCUMENT / "index.html").read_bytes()
    assert headers["content-type"].replace(" ", "").lower() == "text/html;charset=utf-8"
    meta = parse(site / DOCUMENT / "index.html").policies[0]
    policy = headers["content-security-policy"]
    assert set(directive(meta, "script-src")) <= set(directive(policy, "script-src"))
    assert directive(policy, "frame-ancestors") == ["'self'"]
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "strict-origin-when-cross-origin"
    assert headers["x-frame-options"] == "SAMEORIGIN"
    assert "camera=()" in headers["permissions-policy"] and "microphone=()" in headers["permissions-policy"]
    assert "nginx/" not in headers.get("server", "") and "Caddy" not in headers.get("server", "")


def test_pages_are_revalidated_and_fingerprinted_theme_files_kept(server):
    address, site = server
    assert "no-cache" in get(address, PREFIX)[1]["cache-control"]
    assert "no-cache" in get(address, PREFIX + "assets/javascripts/zf-a11y.js")[1]["cache-control"]
    bundle = next((site / "assets" / "javascripts").glob("bundle.*.min.js")).name
    cache = get(address, PREFIX + "assets/javascripts/" + bundle)[1]["cache-control"]
    assert "max-age=31536000" in cache or "max-age=315360000" in cache


def test_a_gzip_client_gets_the_precompressed_file_itself(server):
    address, site = server
    for path, file in ((PREFIX, "index.html"), (PREFIX + "search/", "search/index.html"),
                       (PREFIX + "assets/javascripts/zf-search-core.js", "assets/javascripts/zf-search-core.js")):
        status, headers, body = get(address, path, gzip_ok=True)
        assert status == 200 and headers["content-encoding"] == "gzip", path
        assert body == (site / (file + ".gz")).read_bytes(), f"{path}: not the build's .gz"
        assert gzip.decompress(body) == (site / file).read_bytes()
        assert "accept-encoding" in headers.get("vary", "").lower()


def test_a_missing_page_gets_the_sites_404_page_with_the_policy(server):
    address, site = server
    status, headers, body = get(address, PREFIX + "wj/no-such-document/")
    assert status == 404
    assert body == (site / "404.html").read_bytes()
    assert "script-src 'self' 'sha256-" in headers["content-security-policy"]
    assert headers["x-content-type-options"] == "nosniff"


def test_a_folder_without_its_slash_is_redirected_within_the_sub_path(server):
    address, _ = server
    status, headers, _ = get(address, PREFIX + DOCUMENT.rstrip("/"))
    assert status in (301, 308)
    assert headers["location"].endswith(PREFIX + DOCUMENT)


def test_the_web_editor_gets_its_own_headers(server):
    address, site = server
    admin = site / "admin"
    admin.mkdir(exist_ok=True)                     # Decap CMS is not installed here: a stand-in page
    (admin / "index.html").write_text("<!doctype html><title>编辑器</title>", encoding="utf-8")
    status, headers, _ = get(address, PREFIX + "admin/")
    assert status == 200
    assert headers["content-security-policy"] == "frame-ancestors 'self'"
    assert headers["x-content-type-options"] == "nosniff" and headers["referrer-policy"] == "same-origin"


@pytest.mark.parametrize("path", ["", DOCUMENT, "search/?q=政务公开", "no/such/page/"])
def test_chromium_through_the_server_sees_no_violation(server, browser, path):
    address, _ = server
    watched = Watched(browser)
    try:
        watched.page.goto(f"http://{address}{PREFIX}{path}")
        watched.page.wait_for_load_state("networkidle")
        if path.startswith("search"):
            watched.page.wait_for_selector(".zf-hit")
        assert watched.page.evaluate("typeof __md_get === 'function'")
        assert watched.page.evaluate("document.documentElement.classList.contains('zf-js')")
        watched.assert_clean(path)
    finally:
        watched.context.close()
