"""Split a document file into its YAML front matter (with line numbers) and body.

Tolerates what editors' tools produce (a UTF-8 BOM, CRLF line ends) and turns
everything else (non-UTF-8 bytes, a missing or unterminated block, broken YAML,
a block that is not a mapping, a key given twice) into problems, never a traceback.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import yaml

from zfxxgk.catalog.problems import Problem
from zfxxgk.catalog.yamlfile import bounds_problem

try:  # libyaml is much faster and ships in PyYAML's wheels
    _Loader: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover
    _Loader = yaml.SafeLoader

FENCE = "---"


@dataclass(frozen=True)
class Entry:
    key: str          # the key as written (canonical or Chinese label)
    value: Any        # the YAML value (str, int, date, list, dict ...)
    line: int         # 1-based line of the key in the file


@dataclass
class RawDocument:
    path: str
    entries: list[Entry]
    body: str
    body_line: int    # 1-based line where the body starts


def decode(path: str, data: bytes) -> tuple[str | None, list[Problem]]:
    """Bytes -> text with BOM stripped and line ends normalised to LF."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        return None, [Problem(path, line, None,
                              f"文件不是 UTF-8 编码（第 {exc.start + 1} 字节无法解码）；请以 UTF-8 编码另存此文件")]
    text = text.removeprefix("\ufeff")
    return text.replace("\r\n", "\n").replace("\r", "\n"), []


def split(path: str, data: bytes) -> tuple[RawDocument | None, list[Problem]]:
    text, problems = decode(path, data)
    if text is None:
        return None, problems
    lines = text.split("\n")
    if not lines or lines[0].rstrip() != FENCE:
        return None, [Problem(path, 1, None, "缺少前置元数据块：文件须以单独一行 --- 开头，其后为元数据，再以 --- 结束")]
    end = next((i for i in range(1, len(lines)) if lines[i].rstrip() in (FENCE, "...")), None)
    if end is None:
        return None, [Problem(path, 1, None, "前置元数据块没有结束：未找到结束行 ---")]
    yaml_text = "\n".join(lines[1:end])
    body = "\n".join(lines[end + 1:])
    entries, problems = _parse_mapping(path, yaml_text, line_offset=1)
    if entries is None:
        return None, problems
    return RawDocument(path, entries, body, end + 2), problems


class _Constructor(yaml.constructor.SafeConstructor):
    """Keeps YAML timestamps as text: dates are checked by metadata.as_date, so an
    impossible date (2021-13-28) gets the same message as any other bad date."""

    def construct_yaml_timestamp(self, node):  # type: ignore[override]
        return self.construct_scalar(node)


_Constructor.add_constructor("tag:yaml.org,2002:timestamp", _Constructor.construct_yaml_timestamp)


def _parse_mapping(path: str, yaml_text: str, line_offset: int) -> tuple[list[Entry] | None, list[Problem]]:
    if (bad := bounds_problem(yaml_text)) is not None:
        return None, [Problem(path, bad[0] + line_offset if bad[0] else None, None, "元数据" + bad[1])]
    try:
        node = yaml.compose(yaml_text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 + line_offset if mark else None
        return None, [Problem(path, line, None, f"元数据 YAML 格式错误：{exc.problem or exc}；请检查冒号、引号和缩进")]
    except yaml.YAMLError as exc:
        return None, [Problem(path, None, None, f"元数据 YAML 格式错误：{exc}")]
    if node is None:
        return [], []
    if not isinstance(node, yaml.MappingNode):
        return None, [Problem(path, line_offset + 1, None, "元数据须为「键: 值」形式的映射")]
    constructor = _Constructor()
    entries: list[Entry] = []
    problems: list[Problem] = []
    for key_node, value_node in node.value:
        line = key_node.start_mark.line + 1 + line_offset
        try:
            key = constructor.construct_document(key_node)
            value = constructor.construct_document(value_node)
        except yaml.YAMLError as exc:
            problems.append(Problem(path, line, None, f"元数据值无法解析：{exc}"))
            continue
        entries.append(Entry(str(key), value, line))
    return entries, problems
