"""catalog/site.yml through one typed schema: every setting, its type and default, in one place.

A wrong type or an unknown key is a Chinese error naming the key and what is
allowed (an unknown key is usually a typo that would otherwise be ignored).
"""
from __future__ import annotations

import datetime as dt
import re
from typing import Any

import msgspec


class _Struct(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    pass


class IndexNoScheme(_Struct):
    pattern: str = ".+"          # regular expression the whole 索引号 must match
    format: str = ""             # how `zfxxgk new` writes the next one
    example: str = ""


class Footer(_Struct):
    """国办发〔2017〕47号 page furniture."""
    sponsor: str = ""
    contact: str = ""
    site_code: str = ""
    icp: str = ""
    police: str = ""
    police_url: str = ""
    party_mark_image: str = ""
    party_mark_url: str = ""


class Safety(_Struct):
    max_document_kb: int = 2048  # larger document bodies are refused
    audit_workers: int = 0       # leak-audit processes; 0: one per core
    # Bounds of the attachment text scan (intake/attachment_text.py Limits); unset: its default.
    attachment_max_mb: Any = None
    attachment_max_unzipped_mb: Any = None
    attachment_max_pages: Any = None
    attachment_max_cells: Any = None
    attachment_max_chars: Any = None

    def attachment_limits(self) -> dict[str, Any]:
        """The attachment bounds the site set, by their catalog/site.yml keys (checked by Limits)."""
        return {k: v for k in self.__struct_fields__ if k.startswith("attachment_") and (v := getattr(self, k)) is not None}


class Build(_Struct):
    """How `mkdocs build` uses the machine's cores (pages/pool.py)."""
    workers: int = 0             # processes rendering document pages; 0: one per core, 1: no child process
    pool_min: int = 200          # fewer document pages to render than this: one process (forking costs more)


class Compliance(_Struct):
    report: str = "reports/compliance.txt"   # written outside the published site
    strict: bool = False                     # deadline findings fail `mkdocs build --strict`
    expiry_warning_days: int = 90            # a 规范性文件 ending this soon is listed


class Inspection(_Struct):
    """Website-inspection warnings (国办秘函〔2019〕19号): months without a new document, by column type."""
    stale_months: dict[str, int] = msgspec.field(default_factory=lambda: {"政策文件": 6})


class Form(_Struct):
    file: str = ""                           # in catalog/files/
    title: str = ""


class Application(_Struct):
    """依申请公开: how to apply (checked and shown by pages/citizens.py)."""
    online_url: str = ""
    post_address: str = ""
    form: Form | str | None = None            # {file, title}, or the file name alone
    progress: str = ""
    progress_url: str = ""


class Citizens(_Struct):
    application: Application = msgspec.field(default_factory=Application)
    message_url: str = ""                    # 留言 / 政民互动
    correction_url: str = ""                 # 纠错; {url} and {title} are filled per page


class WebEditor(_Struct):
    """Sveltia CMS (docs/web-editor.md), checked by outputs/webeditor.py."""
    enabled: Any = False                      # off: the citizen site contains no editor file
    path: str = "admin"                       # inside the site, or
    output_dir: str | None = None             # a directory of its own, for another path or host
    backend: Any = None                       # {name: github | gitlab | gitea | test-repo, ...}


class Server(_Struct):
    """A self-hosted web server (docs/deploy/, `python -m zfxxgk server-config`)."""
    precompress: bool = False                          # write a .gz beside every text file
    frame_ancestors: list[Any] = msgspec.field(default_factory=list)   # origins allowed to frame pages (checked by outputs/csp.py)


class SiteSettings(_Struct):
    agency: str = ""
    index_no: IndexNoScheme = msgspec.field(default_factory=IndexNoScheme)
    pages: list[str] = msgspec.field(default_factory=list)     # hand-written pages besides the columns'
    page_size: int = 20
    home_latest: int = 10
    build_date: str | None = None            # "today" for validity and deadlines (any 发布日期 form); default: the clock
    footer: Footer = msgspec.field(default_factory=Footer)
    safety: Safety = msgspec.field(default_factory=Safety)
    compliance: Compliance = msgspec.field(default_factory=Compliance)
    web_editor: WebEditor = msgspec.field(default_factory=WebEditor)
    server: Server = msgspec.field(default_factory=Server)
    citizens: Citizens = msgspec.field(default_factory=Citizens)
    inspection: Inspection = msgspec.field(default_factory=Inspection)
    build: Build = msgspec.field(default_factory=Build)


class SettingsError(Exception):
    """catalog/site.yml does not fit the schema."""


_TYPE_NAMES = {"str": "文字", "int": "整数", "bool": "true 或 false", "object": "「键: 值」映射",
               "array": "列表", "date": "日期（如 2024-03-31）", "null": "空"}


def load(raw: Any) -> SiteSettings:
    """The typed settings of a parsed catalog/site.yml (``None`` for an empty file)."""
    raw = dict(raw or {}) if isinstance(raw, dict) else raw
    if isinstance(raw, dict) and isinstance(raw.get("build_date"), dt.date):   # YAML wrote a date: keep it as text
        raw["build_date"] = raw["build_date"].isoformat()
    try:
        return msgspec.convert(raw or {}, SiteSettings, strict=False)
    except msgspec.ValidationError as exc:
        raise SettingsError(f"catalog/site.yml：{_chinese(str(exc))}") from None


def _chinese(message: str) -> str:
    """msgspec's English message, in Chinese with the key path ($.footer.icp -> footer.icp)."""
    where = re.search(r"at `\$\.?([^`]*)`", message)
    key = where[1] if where else ""
    if m := re.match(r"Object contains unknown field `([^`]+)`", message):
        path = f"{key}.{m[1]}" if key else m[1]
        return f"未知设置「{path}」；可用的设置见 hooks/zfxxgk/catalog/settings.py"
    if m := re.match(r"Expected `([^`]+)`, got `([^`]+)`", message):
        want = "、".join(_TYPE_NAMES.get(t.strip(), t.strip()) for t in m[1].split("|"))
        return f"「{key}」应为{want}，发现{_TYPE_NAMES.get(m[2], m[2])}"
    if "Invalid" in message and "date" in message:
        return f"「{key}」应为日期（如 2024-03-31）"
    return f"「{key}」{message}"
