"""A fast preview for large sites: one full build, then re-render only what a save changes.

``mkdocs serve`` rebuilds the whole site on every save (tens of seconds at
10,000 documents). This keeps one in-process MkDocs build alive and, when a
document file is saved, re-validates that file, updates the document in place
(so every listing, relation and index that holds it sees the new values) and
re-renders, through the same hooks and Material templates, the document's page,
the listing pages it appears on and the home page. The browser reloads itself.
A save that adds, deletes or moves a file, changes a catalogue or mkdocs.yml,
or moves a document to another listing or position (column, publisher, theme,
date, tags, 公开属性, 索引号) triggers a full rebuild in the background;
until then the document's own page is already correct.

Run: ``python -m zfxxgk preview`` (http://127.0.0.1:8000/).
"""
from __future__ import annotations

import functools
import http.server
import logging
import os
import queue
import threading
import time
from pathlib import Path
from typing import Any

from zfxxgk.intake.documents import DOCUMENTS_DIR, load_file
from zfxxgk.intake.metadata import Validator
from zfxxgk.intake.model import Document

VERSION_PATH = "/__zfxxgk_preview__/version"
RELOAD_SCRIPT = (
    "<script>(function(){var v=null;function poll(){fetch('" + VERSION_PATH + "',{cache:'no-store'})"
    ".then(function(r){return r.text()}).then(function(t){if(v!==null&&t!==v){location.reload()}v=t})"
    ".catch(function(){}).finally(function(){setTimeout(poll,400)})}poll()})();</script>"
)
# Fields that decide where a document is listed and in which order: a change needs a full build.
PLACEMENT = ("index_no", "published", "column", "publisher", "category", "tags", "attribute")

log = logging.getLogger("mkdocs.plugins.zfxxgk.tools.preview")


class _Capture:
    """A plugin added to the build's own plugins: keeps files, nav and env for partial re-renders."""

    def __init__(self, owner: "Preview") -> None:
        self.owner = owner

    def on_nav(self, nav, config, files):
        self.owner.files, self.owner.nav = files, nav
        return nav

    def on_env(self, env, config, files):
        self.owner.env = env
        return env


class Preview:
    def __init__(self, root: Path, site_dir: Path) -> None:
        self.root = Path(root).resolve()
        # Full builds alternate between two directories so the one being served is never half-written.
        self.dirs = (Path(site_dir).resolve() / "a", Path(site_dir).resolve() / "b")
        self.serving = self.dirs[0]
        self.version = 0
        self.lock = threading.Lock()        # one build or re-render at a time
        self.files = self.nav = self.env = self.config = None
        self.last: dict[str, Any] = {}      # what the last update did, for the benchmark and the log

    @property
    def site(self):
        """The site of the last build, from the build's own plugin (reached through the configuration)."""
        return self.config.plugins["zfxxgk"].build.site

    # --- building -------------------------------------------------------------
    def full_build(self) -> float:
        from mkdocs.commands.build import build
        from mkdocs.config import load_config

        started = time.perf_counter()
        with self.lock:
            target = self.dirs[1] if self.version and self.serving == self.dirs[0] else self.dirs[0]
            config = load_config(str(self.root / "mkdocs.yml"), site_dir=str(target))
            config.plugins["zfxxgk-preview"] = _Capture(self)  # type: ignore[assignment]
            config.plugins["zfxxgk"].command = "serve"    # build in place, as mkdocs serve does (no staging swap)
            build(config)
            self.config, self.serving = config, target
            self.version += 1
        seconds = time.perf_counter() - started
        self.last = {"kind": "full", "seconds": seconds}
        return seconds

    def update(self, path: Path) -> dict[str, Any]:
        """Re-render what a saved document changes; fall back to a full build when placement moved."""
        started = time.perf_counter()
        with self.lock:
            result = self._update(Path(path).resolve())
        if result.get("kind") == "full":
            self.full_build()
            result["seconds"] = time.perf_counter() - started
            self.last = result
            return result
        result["seconds"] = time.perf_counter() - started
        self.last = result
        return result

    def _update(self, path: Path) -> dict[str, Any]:
        site = self.site
        docs_dir = Path(self.config.docs_dir).resolve()
        src = path.relative_to(docs_dir).as_posix()
        info = site.info(src)
        old: Document | None = info.doc if info else None
        if old is None or not path.is_file():
            return {"kind": "full", "reason": "新增、删除或未发布的文件"}
        doc, problems = load_file(docs_dir / src, docs_dir, self.root, Validator(site.catalogue))
        for problem in problems:
            log.warning(problem.format())
        if doc is None:
            return {"kind": "invalid", "problems": [p.format() for p in problems]}
        if not doc.publishable:
            return {"kind": "full", "reason": "公开属性改为不发布"}
        site.corpus.relations.complete(doc, site.catalogue.validity)     # 有效性 as of the build date, as intake does
        moved = [k for k in PLACEMENT if old.meta.get(k) != doc.meta.get(k)]
        old.__dict__.update(doc.__dict__)          # every listing and index holding ``old`` sees the new values
        info.title = old.title
        pages = [info] + self._listing_pages(old) + [site.info("index.md")]
        rendered = self._render([p for p in pages if p is not None])
        self.version += 1
        result = {"kind": "partial", "pages": rendered}
        if moved:
            result.update(kind="full", moved=moved)
        return result

    def _listing_pages(self, doc: Document) -> list:
        return [info for info in self.site.pages.values()
                if info.listing_page is not None and any(row is doc for row in info.listing_page.rows)]

    def _render(self, infos: list) -> list[str]:
        from mkdocs.commands.build import _build_page, _populate_page

        wanted = {id(i) for i in infos}
        doc_files = self.files.documentation_pages()
        done = []
        for src, info in self.site.pages.items():
            if id(info) not in wanted or (file := self.files.get_file_from_path(src)) is None or file.page is None:
                continue
            _populate_page(file.page, self.config, self.files)
            _build_page(file.page, self.config, doc_files, self.nav, self.env)
            done.append(file.url)
        return done

    # --- watching and serving ----------------------------------------------------
    def watch(self) -> None:
        """Poll-free watching with watchdog (a MkDocs dependency); saves are handled in order."""
        from watchdog.events import FileSystemEventHandler
        from watchdog.observers import Observer

        changes: queue.Queue[tuple[str, str]] = queue.Queue()

        class Handler(FileSystemEventHandler):
            def on_any_event(self, event):
                if not event.is_directory and event.event_type in ("modified", "created", "deleted", "moved", "closed"):
                    changes.put((event.event_type, event.src_path))

        observer = Observer()
        observer.schedule(Handler(), str(self.config.docs_dir), recursive=True)
        observer.schedule(Handler(), str(self.root / "catalog"), recursive=True)
        observer.start()
        self.observer = observer
        threading.Thread(target=self._worker, args=(changes,), daemon=True).start()

    def stop(self) -> None:
        if observer := getattr(self, "observer", None):
            observer.stop()
            observer.join(timeout=5)

    def _worker(self, changes: "queue.Queue[tuple[str, str]]") -> None:
        docs = str(Path(self.config.docs_dir).resolve() / DOCUMENTS_DIR) + os.sep
        while True:
            batch = {changes.get()}
            time.sleep(0.05)                      # editors' tools write a file in several steps
            while not changes.empty():
                batch.add(changes.get())
            paths = {p for _, p in batch}
            kinds = {k for k, _ in batch}
            try:
                if kinds <= {"modified", "closed"} and all(p.startswith(docs) and p.endswith(".md") for p in paths):
                    for p in sorted(paths):
                        if not self._changed(p):
                            continue       # the same save seen twice (modified, then closed)
                        result = self.update(Path(p))
                        log.info(f"预览已更新 {Path(p).name}：{result['kind']}，{result['seconds']:.2f} 秒")
                else:
                    log.info(f"预览全量重建（{len(paths)} 个文件变动）：{self.full_build():.1f} 秒")
            except Exception as exc:   # a broken save must not stop the preview
                log.error(f"预览更新失败：{exc}")

    def _changed(self, path: str) -> bool:
        try:
            st = os.stat(path)
        except OSError:
            return True
        stamp = (st.st_mtime_ns, st.st_size)
        seen = getattr(self, "_stamps", {})
        self._stamps = seen
        if seen.get(path) == stamp:
            return False
        seen[path] = stamp
        return True

    def serve(self, host: str = "127.0.0.1", port: int = 8000) -> http.server.ThreadingHTTPServer:
        handler = functools.partial(_Handler, self)
        server = http.server.ThreadingHTTPServer((host, port), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        return server


class _Handler(http.server.SimpleHTTPRequestHandler):
    def __init__(self, preview: Preview, *args, **kwargs) -> None:
        self.preview = preview
        super().__init__(*args, directory=str(preview.serving), **kwargs)

    def log_message(self, *args) -> None:
        pass

    def do_GET(self) -> None:
        if self.path == VERSION_PATH:
            return self._send(str(self.preview.version).encode(), "text/plain")
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        if path.suffix == ".html" and path.is_file():
            html = path.read_bytes().replace(b"</body>", RELOAD_SCRIPT.encode() + b"</body>", 1)
            return self._send(html, "text/html; charset=utf-8")
        return super().do_GET()

    def _send(self, body: bytes, ctype: str) -> None:
        self.send_response(200)
        self.send_header("Content-Type", ctype)
        self.send_header("Cache-Control", "no-store")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def run(root: Path, host: str, port: int, site_dir: Path | None = None) -> None:
    """Build once, then serve and re-render on every save until interrupted."""
    logging.basicConfig(level=logging.INFO, format="%(levelname)-7s -  %(message)s")
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    preview = Preview(root, site_dir or root / ".cache" / "preview" / "site")
    print("首次全量构建中…… / first full build ...", flush=True)
    print(f"全量构建用时 {preview.full_build():.1f} 秒", flush=True)
    preview.watch()
    preview.serve(host, port)
    print(f"预览地址 / preview at http://{host}:{port}/  （Ctrl+C 退出）", flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass
