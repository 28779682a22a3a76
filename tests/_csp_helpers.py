"""Reading a page's Content-Security-Policy back, and a Chromium page that records violations.

Shared by tests/test_csp.py, test_csp_browser.py and test_serverconf.py.
"""
from __future__ import annotations

import base64
import hashlib
from html.parser import HTMLParser
from pathlib import Path


class Page(HTMLParser):
    """The first element inside <head>, the CSP meta tags, and the text of every inline script."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.in_head = False
        self.first_in_head: tuple[str, dict] | None = None
        self.policies: list[str] = []
        self.scripts: list[str] = []
        self.blocked: list[str] = []     # what the policy would refuse: on… handlers, javascript: URLs
        self._script: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "head":
            self.in_head = True
        elif self.in_head and self.first_in_head is None:
            self.first_in_head = (tag, a)
        self.blocked += [f"<{tag} {k}>" for k, v in attrs if k.startswith("on") or (
            k in ("href", "src", "action", "formaction") and (v or "").strip().lower().startswith("javascript:"))]
        if tag == "meta" and (a.get("http-equiv") or "").lower() == "content-security-policy":
            self.policies.append(a["content"])
        # Scripts the browser runs (a type="text/plain" placeholder, as for Material's deferred bundle, is data).
        if tag == "script" and "src" not in a and (a.get("type") or "").strip().lower() in (
                "", "text/javascript", "application/javascript", "module"):
            self._script = []

    def handle_data(self, data):
        if self._script is not None:
            self._script.append(data)

    def handle_endtag(self, tag):
        if tag == "script" and self._script is not None:
            self.scripts.append("".join(self._script))
            self._script = None


def parse(source: Path | str) -> Page:
    """The built page at a path, or HTML given as a string."""
    page = Page()
    page.feed(source.read_text(encoding="utf-8") if isinstance(source, Path) else source)
    return page


def sha(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


def directive(policy: str, name: str) -> list[str]:
    for part in policy.split(";"):
        words = part.split()
        if words and words[0] == name:
            return words[1:]
    return []


LISTEN = """window.__violations = [];
document.addEventListener("securitypolicyviolation", e => window.__violations.push(
  {directive: e.violatedDirective, blocked: e.blockedURI, sample: e.sample}), true);"""


class Watched:
    """A page whose CSP violations, CSP console messages and uncaught errors are recorded."""

    def __init__(self, browser) -> None:
        self.context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
        self.context.add_init_script(LISTEN)
        self.page = self.context.new_page()
        self.console: list[str] = []
        self.errors: list[str] = []
        self.page.on("console", lambda m: self.console.append(m.text) if "Content Security Policy" in m.text
                     or "Content-Security-Policy" in m.text else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))

    def violations(self) -> list[dict]:
        return self.page.evaluate("window.__violations")

    def assert_clean(self, where: str) -> None:
        assert self.violations() == [], where
        assert self.console == [], where
        assert self.errors == [], where
