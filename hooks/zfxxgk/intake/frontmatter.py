"""Split a document file into its YAML front matter (with line numbers) and body.

Tolerates what editors' tools produce (a UTF-8 BOM, CRLF line ends) and turns
everything else (non-UTF-8 bytes, a missing or unterminated block, broken YAML,
a block that is not a mapping, a key given twice) into problems, never a traceback.
"""
from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import msgspec
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
    return (text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text), []   # one scan when there is none


def split(path: str, data: bytes, memo: "ParseMemo | None" = None) -> tuple[RawDocument | None, list[Problem]]:
    text, problems = decode(path, data)
    if text is None:
        return None, problems
    first = text.find("\n")
    if (text if first < 0 else text[:first]).rstrip() != FENCE:
        return None, [Problem(path, 1, None, "缺少前置元数据块：文件须以单独一行 --- 开头，其后为元数据，再以 --- 结束")]
    fence = _closing_fence(text, first)
    if fence is None:
        return None, [Problem(path, 1, None, "前置元数据块没有结束：未找到结束行 ---")]
    end, start, after = fence
    yaml_text = text[first + 1:start - 1]     # the lines between the fences
    body = text[after:]
    entries = memo.get(yaml_text) if memo is not None else None
    problems: list[Problem] = []
    if entries is None:
        entries, problems = _parse_mapping(path, yaml_text, line_offset=1)
        if entries is None:
            return None, problems
        if memo is not None and not problems:
            memo.put(yaml_text, entries)
    return RawDocument(path, entries, body, end + 2), problems


def _closing_fence(text: str, first: int) -> tuple[int, int, int] | None:
    """The line that closes the front matter opened by the line ending at ``first``: its number
    (0-based), where it starts and where the body after it starts. Line by line from the top:
    splitting the whole document into lines was a fifth of reading it."""
    if first < 0:
        return None
    number, start = 1, first + 1
    while True:
        newline = text.find("\n", start)
        line = text[start:] if newline < 0 else text[start:newline]
        if line.rstrip() in (FENCE, "..."):
            return number, start, len(text) if newline < 0 else newline + 1
        if newline < 0:
            return None
        number, start = number + 1, newline + 1


MEMO_DIR = "zfxxgk-frontmatter"     # under the project's .cache/


class ParseMemo:
    """Front matter parsed by the last run, by the sha256 of its YAML text, so that an unchanged
    document's is not parsed again (a tenth of loading 100,000 documents). Only blocks that parsed
    without a problem are kept, and only values that come back from msgpack equal and of the same
    types (a YAML set does not). The memo names the parser's code and PyYAML's version: another
    parser is another memo. A file that cannot be read as a whole memo is an empty one."""

    def __init__(self, folder: Path) -> None:
        self.file = folder / "memo.msgpack"
        self.version = _parser_version()
        self.old: dict[str, bytes] = {}
        self.new: dict[str, bytes] = {}
        try:
            version, old = msgspec.msgpack.decode(self.file.read_bytes(), type=tuple[str, dict[str, bytes]])
        except (OSError, ValueError, msgspec.DecodeError):
            return
        if version == self.version:
            self.old = old

    def get(self, yaml_text: str) -> list[Entry] | None:
        key = hashlib.sha256(yaml_text.encode("utf-8")).hexdigest()
        data = self.new.get(key) or self.old.get(key)
        if data is None:
            return None
        try:
            entries = [Entry(k, v, line) for k, v, line in msgspec.msgpack.decode(data)]
        except (ValueError, TypeError, msgspec.DecodeError):
            return None
        self.new[key] = data
        return entries

    def put(self, yaml_text: str, entries: list[Entry]) -> None:
        plain = [[e.key, e.value, e.line] for e in entries]
        try:
            data = msgspec.msgpack.encode(plain)
            same = _same(msgspec.msgpack.decode(data), plain)
        except (TypeError, ValueError, OverflowError, msgspec.DecodeError):
            return
        if same:
            self.new[hashlib.sha256(yaml_text.encode("utf-8")).hexdigest()] = data

    def save(self) -> None:
        """This run's blocks, for the next run (written whole under another name, then renamed)."""
        try:
            self.file.parent.mkdir(parents=True, exist_ok=True)
            part = self.file.with_name(f"{self.file.name}.{os.getpid()}.part")
            part.write_bytes(msgspec.msgpack.encode((self.version, dict(sorted(self.new.items())))))
            os.replace(part, self.file)
        except OSError:
            pass                    # a read-only checkout: the next run parses again


def _same(a: Any, b: Any) -> bool:
    """Equal and of the same types all the way down (True == 1 in Python, not in the memo)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b))
    if isinstance(a, dict):
        return list(a) == list(b) and all(_same(a[k], b[k]) for k in a)
    return a == b


def _parser_version() -> str:
    from zfxxgk.catalog import yamlfile
    h = hashlib.sha256(f"{yaml.__version__}\0{_Loader.__name__}\0".encode())
    for module in (__file__, yamlfile.__file__):
        h.update(Path(module).read_bytes())
    return h.hexdigest()


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
