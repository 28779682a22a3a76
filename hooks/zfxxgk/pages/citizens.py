"""Citizens' ways in: 依申请公开, 留言/政民互动 and 纠错, configured in catalog/site.yml ``citizens``.

A static site hosts no forms, but every real platform links them (昌宁 2020,
冠县 2021, 徐泾 2023): the online application system or the post address, the
申请表 to download, how to check progress, the 留言 and 纠错 pages. ``load``
reads the settings once; each missing entry is a warning, a URL that is not
http(s) or a 申请表 that is not a file of content/ is an error. The panel shows
on the platform home and the 指南, the 我要留言 / 我要纠错 links on every
document page. Pure data: the templates escape every value.
"""
from __future__ import annotations

import posixpath
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

from zfxxgk.catalog.settings import Form, SiteSettings
from zfxxgk.intake.attachments import TYPES
from zfxxgk.catalog.problems import Problem

SHOWN = "catalog/site.yml"
GUIDE_TYPE = "信息公开指南"      # the 指南 column's type (catalog/columns.yml)
PLACEHOLDERS = ("{url}", "{title}")   # filled per page, percent-encoded
FILES_DIR = "files"              # catalog/files/: the 申请表 and other files of the agency itself


@dataclass(frozen=True)
class FormFile:
    title: str
    url: str            # site-relative, percent-encoded
    ext: str
    size: int
    source: Path        # the file in catalog/files/

    @property
    def type(self) -> str:
        return f"{TYPES[self.ext]}（.{self.ext}）"


@dataclass(frozen=True)
class WaysIn:
    online_url: str = ""        # 依申请公开 online application
    post_address: str = ""      # 依申请公开 by post
    form: FormFile | None = None
    progress: str = ""          # how to check progress
    progress_url: str = ""
    message_url: str = ""       # 留言 / 政民互动
    correction_url: str = ""    # 纠错

    @property
    def any(self) -> bool:
        return any((self.online_url, self.post_address, self.form, self.progress, self.progress_url,
                    self.message_url, self.correction_url))

    def for_page(self, url: str, title: str) -> dict[str, str]:
        """The 我要留言 / 我要纠错 links of one page, placeholders filled."""
        return {"message": fill(self.message_url, url, title), "correction": fill(self.correction_url, url, title)}


def fill(template: str, url: str, title: str) -> str:
    return template.replace("{url}", quote(url, safe="")).replace("{title}", quote(title, safe=""))


def _web_url(value: Any, key: str, problems: list[Problem]) -> str:
    text = str(value or "").strip()
    if not text:
        return ""
    probe = text
    for placeholder in PLACEHOLDERS:
        probe = probe.replace(placeholder, "x")
    parts = urlsplit(probe)
    if parts.scheme not in ("http", "https") or not parts.netloc or any(c in probe for c in " <>\"'"):
        problems.append(Problem(SHOWN, None, f"citizens.{key}",
                                f"网址“{text}”无效；须以 https:// 或 http:// 开头的完整网址（可含 {{url}}、{{title}} 占位符）"))
        return ""
    return text


def _form(value: Form | str | None, catalog_dir: Path, folder: str, problems: list[Problem]) -> FormFile | None:
    """The 申请表 lives in catalog/files/ (the agency's own material, like the footer) and is published in ``folder``."""
    if not value:
        return None
    entry = Form(file=value) if isinstance(value, str) else value
    name = entry.file.strip()
    ext = posixpath.splitext(name)[1].lower().lstrip(".")
    root = (catalog_dir / FILES_DIR).resolve()
    path = (root / name).resolve()
    if ext not in TYPES:
        problems.append(Problem(SHOWN, None, "citizens.application.form",
                                f"申请表“{name}”的文件类型不允许；允许：{'、'.join(TYPES)}"))
    elif "/" in name or "\\" in name or not name.isascii() or not path.is_relative_to(root) or not path.is_file():
        problems.append(Problem(SHOWN, None, "citizens.application.form",
                                f"申请表文件“{name}”不存在；请把文件放在 catalog/{FILES_DIR}/ 中，文件名用 ASCII，"
                                f"此处只写文件名（如 ysqgk-sqb.docx）"))
    else:
        return FormFile(entry.title or "政府信息公开申请表", quote(folder + name), ext, path.stat().st_size,
                        path)
    return None


MISSING = (  # (test, key, what is missing)
    (lambda w: w.online_url or w.post_address, "citizens.application.online_url",
     "未配置依申请公开的网上申请网址（online_url）或邮寄地址（post_address）"),
    (lambda w: w.form, "citizens.application.form", f"未配置依申请公开申请表（form，catalog/{FILES_DIR}/ 中的文件）"),
    (lambda w: w.progress or w.progress_url, "citizens.application.progress",
     "未说明依申请公开办理进度的查询方式（progress 或 progress_url）"),
    (lambda w: w.message_url, "citizens.message_url", "未配置留言（政民互动）网址（message_url）"),
    (lambda w: w.correction_url, "citizens.correction_url", "未配置纠错网址（correction_url）"),
)


def load(settings: SiteSettings, catalog_dir: Path, folder: str) -> tuple[WaysIn, list[Problem]]:
    """The ways in of catalog/site.yml; the 申请表 is published in the site-relative ``folder`` (the 指南's)."""
    conf = settings.citizens
    app = conf.application
    problems: list[Problem] = []
    ways = WaysIn(
        online_url=_web_url(app.online_url, "application.online_url", problems),
        post_address=app.post_address.strip(),
        form=_form(app.form, catalog_dir, folder, problems),
        progress=app.progress.strip(),
        progress_url=_web_url(app.progress_url, "application.progress_url", problems),
        message_url=_web_url(conf.message_url, "message_url", problems),
        correction_url=_web_url(conf.correction_url, "correction_url", problems),
    )
    configured = {p.field for p in problems}   # a bad value is already an error, not also "missing"
    for test, key, message in MISSING:
        if not test(ways) and key not in configured:
            problems.append(Problem(SHOWN, None, key, message + "；公众将看不到这一入口", "warning"))
    return ways, problems
