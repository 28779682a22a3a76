"""Shared helpers of the documents-in-relation tests: minimal documents and page text."""
from __future__ import annotations

import html
import re
from pathlib import Path

GOV = "示例县人民政府"              # 000000001/{year}-{seq:05d}
MZJ = "示例县民政局"                # 000000003/{year}-{seq:05d}
GFXWJ = "法定主动公开内容/法规文件/行政规范性文件"


def doc(index_no: str, *extra: str, title: str = "测试文件", publisher: str = GOV, column: str = GFXWJ,
        attribute: str = "主动公开", validity: str | None = "有效") -> str:
    """A valid document; ``extra`` lines follow the fixed ones (line 9 is 有效性, extras start at 10)."""
    year = index_no.split("/")[1][:4]
    lines = ["---", f"标题: {title}", f"索引号: {index_no}", f"发布机构: {publisher}", "主题分类: 综合政务/政务公开",
             f"公开目录: {column}", f"发布日期: {year}-03-01", f"公开属性: {attribute}",
             f"有效性: {validity}" if validity else "主题词: 测试", *extra, "---", "", "正文。", ""]
    return "\n".join(lines)


def page_text(path: Path) -> str:
    """The visible text of a built page's main content, whitespace collapsed."""
    source = path.read_text(encoding="utf-8")
    main = re.search(r'<article [^>]*class="md-content__inner[^"]*"[^>]*>(.*)</article>', source, re.S)
    text = re.sub(r"</?(?:a|span|strong|time|small|em|b)\b[^>]*>", "", main.group(1) if main else source)
    text = re.sub(r"<[^>]+>", " ", text)
    return re.sub(r"\s+", " ", html.unescape(text)).strip()


def links(path: Path) -> list[tuple[str, str]]:
    """(href, text) of every link in a built page."""
    source = path.read_text(encoding="utf-8")
    return [(html.unescape(h), re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", "", t))).strip())
            for h, t in re.findall(r'<a [^>]*href="([^"]*)"[^>]*>(.*?)</a>', source, re.S)]


def error_lines(output: str) -> list[str]:
    """The problem lines of a build log, without the logger prefix."""
    return [m.group(1) for m in re.finditer(r"(?:错误|警告)\s+-\s+zfxxgk: ((?:错误|警告) .*)", output)]
