"""Build-time accessibility: image alt text, scrollable tables, page language, footer items.

Problems are reported to editors in Chinese (``Problem``) as build warnings.
"""
from __future__ import annotations

from html import escape, unescape
import os
import posixpath
import re

from zfxxgk.catalog.settings import Footer
from zfxxgk.intake.model import Document
from zfxxgk.catalog.problems import Problem

LANG = "zh-CN"
MAIN_ID = "zf-main"
_IMG = re.compile(r"<img\b[^>]*>", re.I)
_ALT = re.compile(r"""\balt\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", re.I)
_SRC = re.compile(r"""\bsrc\s*=\s*["']?([^"'\s>]+)""", re.I)
_TABLE_OPEN = re.compile(r"<table\b")
# A table box as templates and Markdown write it; fix_html makes each a named region.
TABLE_BOX = '<div class="zf-table-wrap">'
_BOX = re.compile(re.escape(TABLE_BOX) + r"""(\s*<table\b[^>]*>\s*(?:<caption\b[^>]*>(.*?)</caption>)?)""", re.S)
_TAG = re.compile(r"<[^>]*>")

# 国办发〔2017〕47号: the footer must list these (catalog/site.yml, footer: key -> name).
REQUIRED_FOOTER = {"sponsor": "主办单位", "contact": "联系方式", "site_code": "网站标识码",
                   "icp": "ICP备案号", "police": "公安机关备案号"}


def images_without_alt(html: str) -> list[str]:
    """``src`` of every ``<img>`` whose alt text is missing or blank."""
    out = []
    for tag in _IMG.findall(html):
        alt = _ALT.search(tag)
        if alt is None or not "".join(g or "" for g in alt.groups()).strip():
            src = _SRC.search(tag)
            out.append(src[1] if src else "")
    return out


def _source_of(doc: Document | None, src: str) -> tuple[int | None, str]:
    """Line and spelling of an image in the editor's Markdown (MkDocs has rewritten ``src`` by now)."""
    name = posixpath.basename(src.split("?")[0].split("#")[0])
    if doc is None or not name:
        return None, name or src
    for offset, line in enumerate(doc.body.splitlines()):
        if name in line:
            found = re.search(r"""[^\s(<"'=]*""" + re.escape(name), line)
            return doc.body_line + offset, found[0] if found else name
    return None, name


def alt_problems(html: str, path: str, doc: Document | None) -> list[Problem]:
    problems = []
    for src in images_without_alt(html):
        line, target = _source_of(doc, src)
        problems.append(Problem(path, line, None,
                                f"图片「{target}」缺少替代文本（alt），读屏软件无法读出；"
                                f"请写作 ![图片内容的文字说明]({target})。", "warning"))
    return problems


def wrap_tables(html: str) -> str:
    """Let every Markdown table scroll inside its own box on phones (made a region by fix_html)."""
    if "<table" not in html:
        return html
    return _TABLE_OPEN.sub(TABLE_BOX + "<table", html).replace("</table>", "</table></div>")


def name_table_boxes(output: str) -> str:
    """Every table box, from a template or Markdown, becomes a keyboard-reachable region
    (a box that scrolls must be reachable without a mouse, WCAG 2.1.1) named after its
    table's caption; names repeat on no page (landmarks are told apart by name)."""
    seen: dict[str, int] = {}

    def named(m: re.Match) -> str:
        text = " ".join(unescape(_TAG.sub("", m[2] or "")).split()) or "表格"
        seen[text] = seen.get(text, 0) + 1
        if seen[text] > 1:
            text = f"{text}（{seen[text]}）"
        return f'<div class="zf-table-wrap" role="region" tabindex="0" aria-label="{escape(text)}">{m[1]}'
    return _BOX.sub(named, output) if TABLE_BOX in output else output


def fix_html(output: str) -> str:
    """``lang="zh-CN"`` (Material writes "zh"), an id on the content for the skip link,
    table boxes as named regions."""
    output = name_table_boxes(output.replace('<html lang="zh"', f'<html lang="{LANG}"', 1))
    return output.replace('<article class="md-content__inner md-typeset">',
                          f'<article id="{MAIN_ID}" tabindex="-1" class="md-content__inner md-typeset">', 1)


def fix_static_page(path: str) -> None:
    if os.path.exists(path):
        with open(path, encoding="utf-8") as fh:
            html = fh.read()
        with open(path, "w", encoding="utf-8") as fh:
            fh.write(fix_html(html))


def footer_problems(footer: Footer) -> list[Problem]:
    out = [Problem("catalog/site.yml", None, f"footer.{key}",
                   f"页面底部缺少「{name}」（国办发〔2017〕47号要求全站页面底部列明）；请在 footer.{key} 填写。",
                   "warning")
           for key, name in REQUIRED_FOOTER.items() if not getattr(footer, key).strip()]
    code = footer.site_code.strip()
    if code and not re.fullmatch(r"[0-9A-Za-z]{10}", code):
        out.append(Problem("catalog/site.yml", None, "footer.site_code",
                           f"网站标识码「{code}」应为 10 位字母或数字（如 4300000077、bm01000001）。", "warning"))
    if footer.police.strip() and not footer.police_url.strip():
        out.append(Problem("catalog/site.yml", None, "footer.police_url",
                           "公安机关备案号缺少链接；请在 footer.police_url 填写全国互联网安全管理服务平台的备案查询地址。",
                           "warning"))
    return out
