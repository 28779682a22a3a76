"""索引号 in use and the next free one for a publisher and year.

A 索引号 is never reused: the next number is one past the highest ever used for
that publisher's scheme and year, counting every document file (published or
withheld), every file on any branch and every value ever removed in git history.
Reading is cheap (a regex over the first lines of each file, no YAML, no
validation), so ``check`` can compare one file against 10,000 in well under a second.
"""
from __future__ import annotations

import json
import os
import re
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from zfxxgk.catalog.terms import Catalogue, IndexScheme, Publisher
from zfxxgk.intake.documents import DOCUMENTS_DIR, shown_path

HEAD_BYTES = 8192        # the front matter of a document sits in its first lines


@dataclass(frozen=True)
class IndexEntry:
    """A 索引号 read cheaply from a file; duck-types ``Document`` for ``check_unique``."""

    path: str                               # relative to the project root
    index_no: str
    lines: dict[str, int] = field(default_factory=dict, compare=False, hash=False)


def _names(catalogue: Catalogue) -> list[str]:
    spec = catalogue.field_by_key["index_no"]
    return sorted({spec.key, *spec.labels}, key=len, reverse=True)


def key_pattern(catalogue: Catalogue) -> re.Pattern[str]:
    """A front-matter line giving the 索引号 under any of its spellings."""
    names = "|".join(re.escape(n) for n in _names(catalogue))
    return re.compile(rf"^[\"']?(?:{names})[\"']?\s*:\s*(.*)$")


def _bytes_pattern(catalogue: Catalogue) -> re.Pattern[bytes]:
    names = b"|".join(re.escape(n.encode("utf-8")) for n in _names(catalogue))
    return re.compile(rb"^[\"']?(?:" + names + rb")[\"']?[ \t]*:[ \t]*([^\r\n]*)", re.M)


_FENCE_END = re.compile(rb"^(?:---|\.\.\.)[ \t]*\r?$", re.M)


def clean_value(raw: str) -> str:
    """The scalar of ``key: value  # comment`` without quotes or comment."""
    text = raw.strip()
    if text[:1] in "\"'" and (end := text.find(text[0], 1)) > 0:
        return text[1:end]
    return re.split(r"\s+#", text, maxsplit=1)[0].strip()


def read_index_no(path: str, pattern: re.Pattern[bytes]) -> tuple[str, int] | None:
    """(索引号, line) from a document's front matter, or None; works on bytes, decodes one line."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(HEAD_BYTES)
    except OSError:
        return None
    start = 3 + 3 * head.startswith(b"\xef\xbb\xbf")
    if head[start - 3:start] != b"---":
        return None
    end = _FENCE_END.search(head, start + 1)
    m = pattern.search(head, start, end.start() if end else len(head))
    if m is None:
        return None
    return clean_value(m[1].decode("utf-8", "replace")), head.count(b"\n", 0, m.start()) + 1


def scan_files(docs_dir: Path, project_root: Path, catalogue: Catalogue,
               skip: frozenset[str] | set[str] = frozenset(), cache: Path | None = None) -> list[IndexEntry]:
    """The 索引号 of every document file in the working tree (published or withheld).

    Plain strings, ``os.scandir`` and a bytes regex: 10,000 ``Path`` objects or
    decodes cost more than reading the files. With ``cache`` (a JSON file), a
    file whose size and mtime are unchanged is not read again. ``skip`` holds
    absolute paths (``os.path.abspath``) of files to leave out.
    """
    pattern = _bytes_pattern(catalogue)
    root = os.path.abspath(project_root) + os.sep
    old = _load_cache(cache)
    new: dict[str, list] = {}
    out = []
    for entry in _walk(os.path.join(os.path.abspath(docs_dir), DOCUMENTS_DIR)):
        if entry.path in skip:
            continue
        st = entry.stat()
        stamp = [st.st_mtime_ns, st.st_size]
        hit = old.get(entry.path)
        found = hit[2:] if hit and hit[:2] == stamp else read_index_no(entry.path, pattern)
        new[entry.path] = stamp + list(found or ("", 0))
        if found and found[0]:
            out.append(IndexEntry(entry.path.removeprefix(root).replace(os.sep, "/"), found[0],
                                  {"index_no": found[1]}))
    if cache is not None and new != {k: v for k, v in old.items() if k in new or k not in skip}:
        _save_cache(cache, new)
    return out


def _walk(folder: str):
    """Markdown files below ``folder`` in a stable order, as ``os.DirEntry``."""
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError:
        return
    for entry in entries:
        if entry.is_dir(follow_symlinks=False):
            yield from _walk(entry.path)
        elif entry.name.endswith(".md"):
            yield entry


def _load_cache(cache: Path | None) -> dict[str, list]:
    try:
        return json.loads(cache.read_text(encoding="utf-8")) if cache else {}
    except (OSError, ValueError):
        return {}


def _save_cache(cache: Path, data: dict[str, list]) -> None:
    try:
        cache.parent.mkdir(parents=True, exist_ok=True)
        tmp = cache.with_suffix(".tmp")
        tmp.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        tmp.replace(cache)
    except OSError:
        pass   # a cache that cannot be written only costs time


def _git(project_root: Path, *args: str) -> str:
    try:
        proc = subprocess.run(["git", *args], cwd=project_root, capture_output=True, timeout=120)
    except (OSError, subprocess.TimeoutExpired):
        return ""
    return proc.stdout.decode("utf-8", "replace") if proc.returncode == 0 else ""


def history_values(project_root: Path, docs_dir: Path, catalogue: Catalogue) -> set[str]:
    """Every 索引号 in any commit reachable from any ref, without reading whole histories.

    A value that ever existed is either still in some branch tip (``git grep``
    over the tips) or was removed by some commit (the removed lines of
    ``git log -p``, restricted to deleted and modified files).
    """
    if not _git(project_root, "rev-parse", "--git-dir"):
        return set()
    spec = catalogue.field_by_key["index_no"]
    names = sorted({spec.key, *spec.labels})
    where = shown_path(docs_dir / DOCUMENTS_DIR, project_root)
    key_re = key_pattern(catalogue)
    values: set[str] = set()
    tips = sorted(set(_git(project_root, "for-each-ref", "--format=%(objectname)").split()))
    if tips:
        grep = ["grep", "-h", "-I", "-E", "^[\"']?(" + "|".join(names) + ")[\"']?[[:space:]]*:"]
        for line in _git(project_root, *grep, *tips, "--", where).splitlines():
            line = line.split(":", 1)[1] if line[:40] in tips else line
            if m := key_re.match(line):
                values.add(clean_value(m[1]))
    log = _git(project_root, "log", "--all", "-m", "-p", "-U0", "--no-renames", "--format=",
               "--diff-filter=DM", "--", where)
    for line in log.splitlines():
        if line.startswith("-") and not line.startswith("---") and (m := key_re.match(line[1:])):
            values.add(clean_value(m[1]))
    return values


def used_values(project_root: Path, docs_dir: Path, catalogue: Catalogue) -> set[str]:
    """Every 索引号 in content/ now or anywhere in git history."""
    now = {e.index_no for e in scan_files(docs_dir, project_root, catalogue)}
    return now | history_values(project_root, docs_dir, catalogue)


def sequence_of(scheme: IndexScheme, value: str, year: int) -> int | None:
    """The ``seq`` of ``value`` if it is a number of this scheme (same fixed parts) and year."""
    m = scheme.pattern.fullmatch(value)
    if not m or "seq" not in m.groupdict() or m["seq"] is None:
        return None
    if m.groupdict().get("year") not in (None, str(year)):
        return None
    seq = int(m["seq"])
    mine = scheme.pattern.fullmatch(scheme.format.format(year=year, seq=seq))
    if not mine:
        return None

    def shape(match: re.Match[str]) -> str:   # the number without its seq: publisher code, year
        return match.string[: match.start("seq")] + "\0" + match.string[match.end("seq"):]
    same_shape = shape(m) == shape(mine)
    return seq if same_shape else None


def next_index_no(publisher: Publisher, year: int, used: set[str]) -> str:
    """One past the highest number of this publisher's scheme and year; never a used one."""
    scheme = publisher.scheme
    if not scheme.format or "{seq" not in scheme.format:
        raise ValueError(f"发布机构「{publisher.name}」的索引号规则没有 format（含 {{seq}}），无法自动编号；"
                         f"请在 catalog/publishers.yml 中补充 index_no.format")
    seqs = [s for v in used if (s := sequence_of(scheme, v, year)) is not None]
    seq = max(seqs, default=0) + 1
    while (candidate := scheme.format.format(year=year, seq=seq)) in used:
        seq += 1
    if not scheme.pattern.fullmatch(candidate):
        raise ValueError(f"发布机构「{publisher.name}」的 index_no.format 生成的“{candidate}”"
                         f"不符合其 pattern {scheme.pattern.pattern}；请修正 catalog/publishers.yml")
    return candidate
