"""Shared fixtures: real builds of real content, a static server, headless Chromium.

``make_project`` copies the project (config, catalogues, templates, hooks and
content) into a temporary directory so a test can change content and build
without touching the working tree. ``example_site`` is the example site built
once per test session.
"""
from __future__ import annotations

import filecmp
import functools
import http.server
import os
import shutil
import subprocess
import sys
import threading
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
CORPUS = SHARED / "corpus" / "lawrefbook-laws" / "docs"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
PROJECT_PARTS = ("mkdocs.yml", "catalog", "overrides", "hooks", "content")

sys.path.insert(0, str(ROOT / "hooks"))


@dataclass
class BuildResult:
    returncode: int
    output: str            # stdout + stderr
    site: Path

    @property
    def ok(self) -> bool:
        return self.returncode == 0


@dataclass
class Project:
    root: Path

    @property
    def content(self) -> Path:
        return self.root / "content"

    @property
    def site(self) -> Path:
        return self.root / "site"

    def write(self, rel: str, text: str) -> Path:
        path = self.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return path

    def build(self, *args: str, timeout: int = 900) -> BuildResult:
        env = dict(os.environ, NO_MKDOCS_2_WARNING="1", PYTHONDONTWRITEBYTECODE="1")
        proc = subprocess.run([sys.executable, "-m", "mkdocs", "build", *args], cwd=self.root,
                              capture_output=True, text=True, env=env, timeout=timeout)
        return BuildResult(proc.returncode, proc.stdout + proc.stderr, self.site)


def differences(a: Path, b: Path) -> list[str]:
    """Every file that is in one of two output trees only, or differs byte for byte."""
    out = []
    cmp = filecmp.dircmp(a, b)
    out += [f"only in {a}: {n}" for n in cmp.left_only] + [f"only in {b}: {n}" for n in cmp.right_only]
    for name in cmp.common_files:
        if (a / name).read_bytes() != (b / name).read_bytes():
            out.append(f"differs: {a / name}")
    for name in cmp.common_dirs:
        out += differences(a / name, b / name)
    return out


def copy_project(dest: Path, with_content: bool = True) -> Project:
    dest.mkdir(parents=True, exist_ok=True)
    for part in PROJECT_PARTS:
        src = ROOT / part
        if part == "content" and not with_content:
            (dest / "content").mkdir(parents=True, exist_ok=True)
            continue
        if src.is_dir():
            shutil.copytree(src, dest / part, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(src, dest / part)
    return Project(dest)


@pytest.fixture
def make_project(tmp_path):
    """Factory: a fresh copy of the project; ``with_content=False`` starts with an empty content/."""
    def make(with_content: bool = True) -> Project:
        return copy_project(tmp_path / "project", with_content)
    return make


@pytest.fixture(scope="session")
def example_site(tmp_path_factory) -> BuildResult:
    """The example site, built once with ``mkdocs build --strict``."""
    project = copy_project(tmp_path_factory.mktemp("example"))
    result = project.build("--strict")
    assert result.ok, result.output
    return result


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:  # keep test output clean
        pass


@pytest.fixture(scope="session")
def serve():
    """Serve a directory on 127.0.0.1; ``serve(dir, prefix="/zfxxgk/")`` mounts it under a sub-path."""
    servers = []

    def start(directory: Path, prefix: str = "/") -> str:
        root = Path(directory)
        if prefix != "/":   # mount under a sub-path by serving a parent with a link named like the prefix
            parent = root.parent / f"{root.name}.mount"
            mount = parent / prefix.strip("/")
            if not mount.exists():
                mount.parent.mkdir(parents=True, exist_ok=True)
                mount.symlink_to(root.resolve(), target_is_directory=True)
            root = parent
        handler = functools.partial(_QuietHandler, directory=str(root))
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_address[1]}{prefix}"

    yield start
    for server in servers:
        server.shutdown()


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium driven by Playwright (no browser download)."""
    playwright = pytest.importorskip("playwright.sync_api")
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: apt-get install -y chromium fonts-noto-cjk")
    with playwright.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    pg = context.new_page()
    yield pg
    context.close()
