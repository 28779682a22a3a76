"""The YAML reader of the build: catalogues (catalog/*.yml) and editors' data files
(decision catalogues, annual reports, the item catalogue). Front matter is composed
by intake/frontmatter.py with the same bounds check, to keep every key's entry.

Mappings load as ``LineDict`` so every later check can name the line of the key
it complains about; a broken file becomes a Chinese problem, never a traceback.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import yaml

from zfxxgk.catalog.problems import Problem

MAX_DEPTH = 32            # editors' files nest 3-4 levels; deeper is a mistake or an attack
MAX_EVENTS = 1_000_000    # a 100 MB annual report is not an annual report
_PARSER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def bounds_problem(text: str) -> tuple[int | None, str] | None:
    """(line, Chinese message) if ``text`` uses YAML anchors/aliases or nests too deep, else None.

    Checked on the event stream (libyaml, iterative) before anything composes or
    expands the document: an alias bomb or a 10,000-level list never reaches
    the recursive composer.
    """
    depth = events = 0
    try:
        for event in yaml.parse(text, Loader=_PARSER):
            events += 1
            line = event.start_mark.line + 1 if event.start_mark else None
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
                return line, "不允许使用 YAML 锚点和别名（& 和 *）；请直接写出每个值"
            if isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
                depth += 1
                if depth > MAX_DEPTH:
                    return line, f"YAML 嵌套超过 {MAX_DEPTH} 层；请检查缩进和方括号"
            elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
                depth -= 1
            if events > MAX_EVENTS:
                return line, f"YAML 内容过多（超过 {MAX_EVENTS} 项）"
    except yaml.YAMLError:
        return None   # the real parse reports syntax errors with their line
    return None


class LineDict(dict):
    """A YAML mapping that remembers the line of each key (1-based)."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.line: int = 0
        self.lines: dict[str, int] = {}

    def line_of(self, key: str) -> int:
        return self.lines.get(key, self.line)


class _Loader(_PARSER):   # libyaml parses, the constructor below keeps each key's line
    pass


def _mapping(loader: _Loader, node: yaml.MappingNode) -> LineDict:
    loader.flatten_mapping(node)
    out = LineDict()
    out.line, out.lines = node.start_mark.line + 1, {}
    for key_node, value_node in node.value:
        key = str(loader.construct_object(key_node, deep=True)).strip()
        out[key] = loader.construct_object(value_node, deep=True)
        out.lines[key] = key_node.start_mark.line + 1
    return out


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping)


def load(path: Path, shown: str) -> tuple[Any, list[Problem]]:
    """Parse ``path``; ``shown`` is the path used in messages."""
    try:
        text = path.read_bytes().decode("utf-8").removeprefix("\ufeff")
    except OSError as exc:
        return None, [Problem(shown, None, None, f"无法读取文件：{exc.strerror or exc}")]
    except UnicodeDecodeError:
        return None, [Problem(shown, None, None, "文件不是 UTF-8 编码；请以 UTF-8 编码另存此文件")]
    if (bad := bounds_problem(text)) is not None:
        return None, [Problem(shown, bad[0], None, bad[1])]
    try:
        return yaml.load(text, Loader=_Loader), []
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        return None, [Problem(shown, mark.line + 1 if mark else None, None,
                              f"YAML 格式错误：{exc.problem or exc}；请检查冒号、引号和缩进")]
    except yaml.YAMLError as exc:
        return None, [Problem(shown, None, None, f"YAML 格式错误：{exc}")]


def as_date(value: Any) -> dt.date | None:
    """A YAML date (or ISO text) as ``date``; None when it is not one."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        return None
