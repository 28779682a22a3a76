"""The built site served as it is deployed: nginx with the configuration that
``python -m zfxxgk server-config nginx`` writes (docs/deploy/nginx.conf), on a
loopback port, under the site's own path (/zfxxgk/). Browser timings taken
through Python's http.server mostly measure that server: it speaks HTTP/1.0,
a new connection per file.
"""
from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Iterator

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "hooks"))

from zfxxgk.outputs import serverconf  # noqa: E402


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_listening(proc: subprocess.Popen, port: int, log: Path) -> None:
    """Return once the server accepts connections; RuntimeError with its log if it exits or never listens."""
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited {proc.returncode}: {log.read_text(errors='replace') if log.exists() else ''}")
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return
        time.sleep(0.1)
    raise RuntimeError("server did not start listening")


def nginx_conf(run: Path, server: str, access_log: str = "off") -> str:
    """A whole nginx.conf around the project's ``server { }`` block, every file nginx writes below ``run``."""
    temp = " ".join(f"{kind}_temp_path {run}/{kind};" for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    return (f"daemon off;\npid {run}/nginx.pid;\nerror_log {run}/error.log;\n"
            + ("user root;\n" if os.geteuid() == 0 else "")   # the workers must read 0700 temporary directories
            + "events { worker_connections 256; }\n"
            f"http {{\n include /etc/nginx/mime.types;\n default_type application/octet-stream;\n"
            f" access_log {access_log};\n {temp}\n{server}}}\n")


@contextlib.contextmanager
def nginx(project_root: Path, site: Path) -> Iterator[str]:
    """The base URL of ``site`` served by nginx with the project's generated configuration."""
    exe = shutil.which("nginx") or "/usr/sbin/nginx"
    if not Path(exe).exists():
        sys.exit("nginx is missing: apt-get install -y nginx")
    target = serverconf.load(project_root)
    with tempfile.TemporaryDirectory(prefix="zf-nginx-") as tmp:
        run = Path(tmp)
        web_root = run / "www"
        if target.prefix == "/":
            web_root = site.resolve()
        else:
            (web_root / target.prefix.strip("/")).parent.mkdir(parents=True, exist_ok=True)
            (web_root / target.prefix.strip("/")).symlink_to(site.resolve(), target_is_directory=True)
        port = free_port()
        server = serverconf.nginx(target, str(web_root), f"127.0.0.1:{port}")
        (run / "nginx.conf").write_text(nginx_conf(run, server), encoding="utf-8")
        log = run / "error.log"
        proc = subprocess.Popen([exe, "-p", str(run), "-c", str(run / "nginx.conf"), "-e", str(log)],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            wait_listening(proc, port, log)
            yield f"http://127.0.0.1:{port}{target.prefix}"
        finally:
            proc.terminate()
            proc.wait(timeout=10)
