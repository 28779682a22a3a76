"""The build log in Simplified Chinese: MkDocs' own lines, translated through its logging.

MkDocs prints through the ``mkdocs`` logger's stream handler (``INFO    -  …``)
and, for an aborted build, through ``click.echo`` in ``Abort.show``. ``install``
puts a ``logging.Filter`` on that logger's handlers which rewrites the level
name and the message of every record it recognises (patterns below, one per
MkDocs message); a message it does not know passes unchanged. ``Abort.show`` is
wrapped to translate the abort line the same way.

Developers who want MkDocs' English set ``ZFXXGK_LOG=en`` in the environment.
"""
from __future__ import annotations

import logging
import os
import re
from typing import Callable

import click
from mkdocs import exceptions

ENV = "ZFXXGK_LOG"          # ZFXXGK_LOG=en keeps MkDocs' English lines
LEVELS = {"DEBUG": "调试", "INFO": "信息", "WARNING": "警告", "ERROR": "错误", "CRITICAL": "严重"}

_KINDS = {"warnings": "个警告", "errors": "个错误", "criticals": "个严重错误"}


def _counts(text: str) -> str:
    """'3 warnings, 1 errors' -> '3 个警告、1 个错误'."""
    parts = []
    for part in text.split(", "):
        n, _, kind = part.partition(" ")
        parts.append(f"{n} {_KINDS.get(kind, kind)}")
    return "、".join(parts)


Rule = tuple[re.Pattern[str], "str | Callable[[re.Match[str]], str]"]


def _rules(*pairs: tuple[str, "str | Callable[[re.Match[str]], str]"]) -> list[Rule]:
    return [(re.compile(pattern, re.S), repl) for pattern, repl in pairs]


# Every message MkDocs 1.6 (and ProperDocs 1.6) itself logs during build, serve and gh-deploy.
RULES: list[Rule] = _rules(
    (r"Cleaning site directory", "清理站点目录"),
    (r"The configuration file '(.*?)' should be renamed to 'properdocs.yml', OR it should be passed explicitly.*",
     r"配置文件「\1」：ProperDocs 建议改名为 properdocs.yml，或用 -f \1 明确指定"),
    (r"Building documentation to directory: (.*)", r"生成站点到目录：\1"),
    (r"Building documentation\.\.\.", "正在生成站点……"),
    (r"Documentation built in ([\d.]+) seconds", r"站点生成完毕，用时 \1 秒"),
    (r"Template skipped: '(.*)' generated empty output\.", r"跳过模板「\1」：输出为空"),
    (r"Template skipped: '(.*)' not found in theme directories\.", r"跳过模板「\1」：主题目录中没有该模板"),
    (r"Template skipped: '(.*)' not found in docs_dir\.", r"跳过模板「\1」：文档目录中没有该模板"),
    (r"Error reading template '(.*?)': (.*)", r"读取模板「\1」出错：\2"),
    (r"Page skipped: '(.*)'\. Generated empty output\.", r"跳过页面「\1」：输出为空"),
    (r"File not found: (.*)", r"找不到文件：\1"),
    (r"Encoding error reading file: (.*)", r"读取文件时编码错误（须为 UTF-8）：\1"),
    (r"The directory contains stale files\. Use --clean to remove them\.", "目录中有过期文件，使用 --clean 清除"),
    (r"A 'dirty' build is being performed.*", "正在进行 dirty 构建（只重建改动的文件）：导航和站内链接可能不准确，仅供开发预览"),
    (r"Excluding '(.*?)' from the site because it conflicts with '(.*?)'\.", r"「\1」与「\2」冲突，已从站点中排除"),
    (r"Doc file '(.*?)' contains a link '(.*?)', but the target '(.*?)' is not found among documentation files\.(?: Did you mean '(.*?)'\?)?",
     lambda m: f"文件 {m[1]} 中的链接「{m[2]}」指向的「{m[3]}」不在文档中" + (f"；是否应为「{m[4]}」？" if m[4] else "")),
    (r"Doc file '(.*?)' contains a link '(.*?)', but the target is not found among documentation files\.(?: Did you mean '(.*?)'\?)?",
     lambda m: f"文件 {m[1]} 中的链接「{m[2]}」指向的文件不在文档中" + (f"；是否应为「{m[3]}」？" if m[3] else "")),
    (r"Doc file '(.*?)' contains an unrecognized relative link '(.*?)', it was left as is\.(?: Did you mean '(.*?)'\?)?",
     lambda m: f"文件 {m[1]} 中的相对链接「{m[2]}」无法识别，已原样保留" + (f"；是否应为「{m[3]}」？" if m[3] else "")),
    (r"Doc file '(.*?)' contains an absolute link '(.*?)', it was left as is\.(?: Did you mean '(.*?)'\?)?",
     lambda m: f"文件 {m[1]} 中的绝对链接「{m[2]}」已原样保留" + (f"；是否应为「{m[3]}」？" if m[3] else "")),
    (r"Doc file '(.*?)' contains a link '(.*?)', but there is no such anchor on this page\.(.*)",
     r"文件 \1 中的链接「\2」指向本页不存在的锚点"),
    (r"Doc file '(.*?)' contains a link '(.*?)', but the doc '(.*?)' does not contain an anchor '(.*?)'\.",
     r"文件 \1 中的链接「\2」：文件 \3 中没有锚点「\4」"),
    (r"Doc file '(.*?)' contains a link to '(.*?)' which is excluded from the built site\.",
     r"文件 \1 链接到不生成的「\2」"),
    (r"The following pages exist in the docs directory, but are not included in the \"nav\" configuration:\n(.*)",
     r"以下页面在文档目录中，但不在导航（nav）配置里：\n\1"),
    (r"A reference to '(.*?)' is included in the 'nav' configuration, which is not found in the documentation files\.",
     r"导航（nav）配置引用的「\1」不在文档中"),
    (r"A reference to '(.*?)' is included in the 'nav' configuration, but this file is excluded from the built site\.",
     r"导航（nav）配置引用的「\1」不会生成"),
    (r"An absolute path to '(.*?)' is included in the 'nav' configuration, which presumably points to an external resource\.",
     r"导航（nav）配置中有绝对路径「\1」，视为外部链接"),
    (r"Config value '(.*?)': (.*)", r"配置项「\1」：\2"),
    (r"Path '(.*?)' uses OS-specific separator '\\'\..*", r"路径「\1」使用了反斜杠，请改为 /"),
    (r"The following pages are being built only for the preview but will be excluded from `mkdocs build` per `draft_docs` config:\n(.*)",
     r"以下草稿页面只在预览中生成，正式构建不生成（draft_docs 配置）：\n\1"),
    (r"Serving on (\S+) and opening it in a browser", r"预览地址 \1（已在浏览器中打开）"),
    (r"Serving on (\S+)", r"预览地址 \1"),
    (r"Watching paths for changes: (.*)", r"监视以下路径的改动：\1"),
    (r"Detected file changes", "检测到文件改动"),
    (r"Reloading browsers", "刷新浏览器"),
    (r"Browser connected: (.*)", r"浏览器已连接：\1"),
    (r"Shutting down\.\.\.", "正在停止预览……"),
    (r"Error reading page '(.*?)':(.*)", lambda m: f"读取页面「{m[1]}」出错" + (f"：{m[2].strip()}" if m[2].strip() else "")),
    (r"Error building page '(.*?)':(.*)", lambda m: f"生成页面「{m[1]}」出错" + (f"：{m[2].strip()}" if m[2].strip() else "")),
    # Abort lines (printed by click, not logging: see install_abort).
    (r"Aborted with (.*) in strict mode!", lambda m: f"严格模式（--strict）下有 {_counts(m[1])}，构建中止！"),
    (r"Aborted with a BuildError!", "构建出错，已中止！"),
    (r"Aborted with a configuration error!", "配置有错误，构建中止！"),
    (r"Aborted with (\d+) configuration warnings in 'strict' mode!", r"严格模式（--strict）下有 \1 个配置警告，构建中止！"),
    (r"Deployment Aborted!", "部署已中止！"),
    (r"Your documentation should shortly be available at: (.*)", r"站点即将在此地址可用：\1"),
    (r"Your documentation should be available shortly\.", "站点即将可用"),
)


def english() -> bool:
    """True when the developer asked for MkDocs' English lines."""
    return os.environ.get(ENV, "").strip().lower() in ("en", "english")


_CLOCK = re.compile(r"(\[\d\d:\d\d:\d\d\] )?(.*)", re.S)   # the dev server stamps its lines with the time


def translate(message: str) -> str:
    """The Chinese of a known MkDocs message; an unknown message unchanged."""
    clock, text = _CLOCK.fullmatch(message).groups()
    for pattern, repl in RULES:
        m = pattern.fullmatch(text)
        if m:
            return (clock or "") + (repl(m) if callable(repl) else m.expand(repl))
    return message


class ChineseFilter(logging.Filter):
    """Rewrites a record's level name and known message into Chinese; never drops a record."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "zfxxgk_translated", False):
            return True
        try:
            message = record.getMessage()
        except Exception:   # a broken record is MkDocs' to report, unchanged
            return True
        record.msg, record.args = translate(message), ()
        record.levelname = LEVELS.get(record.levelname, record.levelname)
        record.zfxxgk_translated = True
        return True


_SKIPPED = "Page skipped: '"


class PlacedPages(logging.Filter):
    """Pages the plugin put into the site itself (a link to the build cache's file, pages/cache.py
    PageCache.place): MkDocs, given no output for them, would report each one as skipped."""

    def __init__(self) -> None:
        super().__init__()
        self.srcs: set[str] = set()

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.msg if isinstance(record.msg, str) else ""
        return not (message.startswith(_SKIPPED) and message[len(_SKIPPED):].split("'", 1)[0] in self.srcs)


PLACED = PlacedPages()


def _show_in_chinese(self: exceptions.Abort, *args, **kwargs) -> None:
    click.echo("\n" + translate(self.format_message()))


def install() -> None:
    """Translate the ``mkdocs`` logger's output from now on (idempotent; a no-op with ZFXXGK_LOG=en),
    and keep it from calling placed pages skipped (in English too)."""
    for name in ("mkdocs.commands.build", "properdocs.commands.build"):
        if PLACED not in logging.getLogger(name).filters:
            logging.getLogger(name).addFilter(PLACED)
    if english():
        return
    # MkDocs' CLI puts its handler on "mkdocs"; ProperDocs' on "properdocs" (the parent of "mkdocs" there).
    handlers = logging.getLogger("mkdocs").handlers + logging.getLogger("properdocs").handlers
    handlers = handlers or logging.getLogger().handlers
    for handler in handlers:
        if not any(type(f).__name__ == ChineseFilter.__name__ for f in handler.filters):
            handler.addFilter(ChineseFilter())
    if getattr(exceptions.Abort.show, "__name__", "") != _show_in_chinese.__name__:
        exceptions.Abort.show = _show_in_chinese
