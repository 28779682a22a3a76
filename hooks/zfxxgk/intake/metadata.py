"""Validate one document's front matter against the catalogues.

``validate(raw, src, catalogue)`` returns a ``Document`` (or None) and the
problems found. Each field type in ``catalog/fields.yml`` has a checker here;
messages are Chinese first and carry the canonical key.
"""
from __future__ import annotations

import datetime as dt
import difflib
import re
from typing import Any, Callable

from zfxxgk.catalog.agencies import Agency
from zfxxgk.catalog.columns import Column
from zfxxgk.catalog.terms import Catalogue, FieldSpec
from zfxxgk.intake.frontmatter import Entry, RawDocument
from zfxxgk.intake.model import Document
from zfxxgk.catalog.problems import Problem

DATE_FORMS = "2021-06-28、2021/6/28、2021年6月28日"
_DATE_RES = (
    re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$"),
    re.compile(r"^(\d{4})/(\d{1,2})/(\d{1,2})$"),
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日$"),
)
_WORD_SPLIT = re.compile(r"[、，,；;\s]+")
RELATION_KINDS = ("修订", "废止")
MAX_TEXT = 2000          # a title or summary longer than this is an input mistake


class FieldError(Exception):
    """A value does not fit its field; the message says what is allowed."""


def show(value: Any) -> str:
    """A found value as editors see it, shortened for one message line."""
    text = value.isoformat() if isinstance(value, (dt.date, dt.datetime)) else str(value)
    return "“" + (text if len(text) <= 60 else text[:57] + "…") + "”"


def suggest(word: str, candidates: list[str]) -> str:
    match = difflib.get_close_matches(word, candidates, n=1, cutoff=0.5)
    return f"；您是否要写「{match[0]}」？" if match else ""


# --- per-type normalisers ---------------------------------------------------
def as_text(value: Any) -> str:
    if isinstance(value, bool) or isinstance(value, (list, dict)) or value is None:
        raise FieldError(f"应为一段文字，得到 {show(value)}")
    text = str(value).strip()
    if len(text) > MAX_TEXT:
        raise FieldError(f"文字过长（{len(text)} 字），上限 {MAX_TEXT} 字")
    return text


def as_date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    for pattern in _DATE_RES:
        if m := pattern.match(text):
            try:
                return dt.date(int(m[1]), int(m[2]), int(m[3]))
            except ValueError:
                break
    raise FieldError(f"{show(value)} 不是有效日期；允许的写法：{DATE_FORMS}")


def as_words(value: Any) -> list[str]:
    if isinstance(value, list):
        return [as_text(v) for v in value if str(v).strip()]
    return [w for w in _WORD_SPLIT.split(as_text(value)) if w]


def as_relations(value: Any) -> list[dict[str, str]]:
    items = value if isinstance(value, list) else [value]
    out = []
    for item in items:
        if isinstance(item, dict):
            index_no = item.get("index_no", item.get("索引号"))
            kind = item.get("kind", item.get("类型", "修订"))
        else:
            index_no, kind = item, "修订"
        if kind not in RELATION_KINDS:
            raise FieldError(f"关系类型 {show(kind)} 无效；允许：{'、'.join(RELATION_KINDS)}")
        out.append({"index_no": as_text(index_no), "kind": str(kind)})
    return out


def as_files(value: Any) -> list[dict[str, str]]:
    items = value if isinstance(value, list) else [value]
    out = []
    for item in items:
        transcript = ""
        if isinstance(item, dict):
            name, title = item.get("file", item.get("文件")), item.get("title", item.get("名称", ""))
            transcript = item.get("transcript", item.get("文字稿", "")) or ""
        else:
            name, title = item, ""
        entry = {"file": _relative_file(name), "title": as_text(title) if title else ""}
        if transcript:   # the 文字稿 of an audio or video attachment (intake/attachments.py)
            entry["transcript"] = _relative_file(transcript)
        out.append(entry)
    return out


def _relative_file(value: Any) -> str:
    name = as_text(value)
    if re.search(r"[\x00-\x1f\x7f]", name):
        raise FieldError(f"附件文件名 {show(name.encode('unicode_escape').decode('ascii'))} 含有控制字符（如换行、NUL），"
                         f"请改用普通文件名")
    if name.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", name) or ".." in re.split(r"[\\/]", name):
        raise FieldError(f"附件路径 {show(name)} 不允许：须为文档所在目录内的相对路径")
    return name


# --- the validator ------------------------------------------------------------
class Validator:
    """Checks one document at a time against one catalogue."""

    def __init__(self, catalogue: Catalogue) -> None:
        self.cat = catalogue
        self.checkers: dict[str, Callable[[Any], Any]] = {
            "text": as_text, "index_no": as_text, "date": as_date, "words": as_words,
            "relations": as_relations, "files": as_files,
            "publisher": self.check_publisher, "publishers": self.check_publishers, "category": self.check_category,
            "column": self.check_column, "enum": as_text, "tags": self.check_tags,
        }

    def check_publisher(self, value: Any) -> str:
        name = as_text(value)
        if publisher := self.cat.publisher_lookup.get(name):
            return publisher.name
        names = [p.name for p in self.cat.publishers]
        raise FieldError(f"发布机构 {show(name)} 不在机构目录（catalog/publishers.yml）中{suggest(name, names)}")

    def check_publishers(self, value: Any) -> list[str]:
        """Further issuers of a jointly issued document (联合发文): catalogue names, each once."""
        names = [self.check_publisher(v) for v in as_words(value)]
        return sorted(set(names), key=names.index)

    def check_category(self, value: Any) -> str:
        name = re.sub(r"\s*[/\\]\s*", "/", as_text(value))
        theme = self.cat.theme_by_name.get(name)
        if theme and (name.count("/") == 1 or not self.cat.theme_has_children(name)):
            return theme.name
        if theme:
            raise FieldError(f"主题分类 {show(name)} 只有一级；请写成「一级/二级」，如「{name}/"
                             f"{next(t.label for t in self.cat.themes if t.name.startswith(name + '/'))}」")
        names = [t.name for t in self.cat.themes if "/" in t.name or not self.cat.theme_has_children(t.name)]
        raise FieldError(f"主题分类 {show(name)} 不在主题分类目录（catalog/themes.yml）中；"
                         f"请写成「一级/二级」{suggest(name, names)}")

    def check_column(self, value: Any) -> str:
        """A spelling some agency's tree knows; which column it is depends on the 发布机构 (_file_in_column)."""
        name = as_text(value).strip("/")
        if name in self.cat.column_spellings:
            return name
        spellings = sorted({s for a in self.cat.agencies for s, c in a.column_lookup.items() if c and "/" not in s}
                           | {c.title_path for c in self.cat.all_columns})
        raise FieldError(f"栏目 {show(name)} 不在栏目目录（catalog/columns.yml）中{suggest(name, spellings)}")

    def column_in(self, agency, name: str) -> Column:
        """The column ``name`` names in ``agency``'s tree, or FieldError saying what that tree has."""
        lookup = agency.column_lookup
        if (col := lookup.get(name)) is not None:
            return col
        if name in lookup:
            paths = [c.title_path for c in agency.all_columns if c.title == name]
            raise FieldError(f"栏目 {show(name)} 有多个同名栏目，请写完整路径：{'、'.join(paths)}")
        spellings = [c.title_path for c in agency.all_columns]
        raise FieldError(f"栏目 {show(name)} 不在「{agency.name}」的栏目中（catalog/agencies.yml 调整了该机构的栏目）"
                         f"{suggest(name, spellings)}")

    def check_tags(self, value: Any) -> list[str]:
        tags = as_words(value)
        unknown = [t for t in tags if t not in self.cat.tag_by_name]
        if unknown:
            names = [t.name for t in self.cat.tags]
            hints = "".join(suggest(t, names) for t in unknown[:3])
            more = f" 等 {len(unknown)} 个" if len(unknown) > 5 else ""   # a runaway list stays one readable line
            raise FieldError(f"标签 {'、'.join(show(t) for t in unknown[:5])}{more} 不在标签目录（catalog/tags.yml）中{hints}")
        return sorted(set(tags), key=tags.index)

    def check_enum(self, spec: FieldSpec, value: Any) -> str:
        text = as_text(value)
        if text not in spec.values:
            raise FieldError(f"{show(text)} 不是允许的值；允许：{'、'.join(spec.values)}{suggest(text, list(spec.values))}")
        return text

    # ------------------------------------------------------------------
    def validate(self, raw: RawDocument, src: str) -> tuple[Document | None, list[Problem]]:
        problems: list[Problem] = []

        def problem(key: str | None, line: int | None, message: str) -> None:
            prefix = f"「{self.cat.field_by_key[key].name}」" if key in self.cat.field_by_key else ""
            problems.append(Problem(raw.path, line, key, prefix + message))

        values, lines = self._collect(raw.entries, problem)
        meta: dict[str, Any] = {}
        for key, value in values.items():
            spec = self.cat.field_by_key[key]
            try:
                meta[key] = self.check_enum(spec, value) if spec.type == "enum" else self.checkers[spec.type](value)
            except FieldError as exc:
                problem(key, lines[key], str(exc))
        for spec in self.cat.fields:
            if spec.required is True and (spec.key not in meta or meta[spec.key] in ("", [])) and spec.key not in {p.field for p in problems}:
                problem(spec.key, None, f"缺少必填字段（可写作 {spec.key} 或 {'、'.join(spec.labels)}）")
        self._cross_checks(meta, lines, problem)
        if any(p.severity == "error" for p in problems):
            return None, problems
        return self._document(raw, src, meta, lines), problems

    def _collect(self, entries: list[Entry], problem) -> tuple[dict[str, Any], dict[str, int]]:
        values: dict[str, Any] = {}
        lines: dict[str, int] = {}
        spellings = list(self.cat.key_for_label)
        for entry in entries:
            key = self.cat.key_for_label.get(entry.key.strip())
            if key is None:
                problem(None, entry.line, f"未知字段「{entry.key}」{suggest(entry.key, spellings)}；"
                                          f"允许的字段见 catalog/fields.yml")
                continue
            if key in values:
                problem(key, entry.line, f"字段重复：第 {lines[key]} 行已给出（{key} 与其中文名只能写一次）")
                continue
            values[key], lines[key] = entry.value, entry.line
        return values, lines

    def _cross_checks(self, meta: dict[str, Any], lines: dict[str, int], problem) -> None:
        if "written" in meta and "published" in meta and meta["written"] > meta["published"]:
            problem("written", lines.get("written"),
                    f"成文日期 {meta['written']} 晚于发布日期 {meta['published']}；成文日期不得晚于发布日期")
        self._check_consultation(meta, lines, problem)
        column = self._file_in_column(meta, lines, problem)
        if column and column.requires_validity and not meta.get("validity"):
            values = "、".join(self.cat.field_by_key["validity"].values)
            problem("validity", lines.get("column"),
                    f"栏目「{column.title}」中的文件必须填写有效性（validity / 有效性），允许：{values}")
        if "index_no" in meta and "publisher" in meta:
            self._check_index_no(meta, lines, problem)

    @staticmethod
    def _check_consultation(meta: dict[str, Any], lines: dict[str, int], problem) -> None:
        """征集开始 and 征集截止 come together, in order (a one-sided period has no state)."""
        start, end = meta.get("consultation_start"), meta.get("consultation_end")
        if (start is None) != (end is None):
            given, missing = ("consultation_start", "征集截止") if end is None else ("consultation_end", "征集开始")
            problem(given, lines.get(given), f"须与「{missing}」同时填写（意见征集的起止日期）")
        elif start is not None and end < start:
            problem("consultation_end", lines.get("consultation_end"),
                    f"{end} 早于征集开始 {start}；征集截止不得早于征集开始")

    def _file_in_column(self, meta: dict[str, Any], lines: dict[str, int], problem) -> Column | None:
        """The column in the lead issuer's agency; meta["column"] becomes its slug path in that tree."""
        if "column" not in meta or "publisher" not in meta:
            return None
        try:
            column = self.column_in(self.cat.agency_of_publisher[meta["publisher"]], meta["column"])
        except FieldError as exc:
            problem("column", lines.get("column"), str(exc))
            return None
        meta["column"] = column.rel
        return column

    def _check_index_no(self, meta: dict[str, Any], lines: dict[str, int], problem) -> None:
        publisher = self.cat.publisher_lookup[meta["publisher"]]
        m = publisher.scheme.pattern.fullmatch(meta["index_no"])
        if not m:
            problem("index_no", lines.get("index_no"),
                    f"{show(meta['index_no'])} 不符合「{publisher.name}」的索引号规则 "
                    f"{publisher.scheme.pattern.pattern}，示例：{publisher.scheme.example}")
            return
        year = m.groupdict().get("year")
        years = {str(d.year) for d in (meta.get("published"), meta.get("written")) if d}
        if year and years and year not in years:
            problem("index_no", lines.get("index_no"),
                    f"{show(meta['index_no'])} 中的年份 {year} 与发布日期或成文日期的年份（{'、'.join(sorted(years))}）不一致")

    def _document(self, raw: RawDocument, src: str, meta: dict[str, Any], lines: dict[str, int]) -> Document:
        agencies = self._agencies(meta)
        columns = tuple(_same_column(a, meta["column"]) for a in agencies)
        return Document(
            src=src, path=raw.path, meta=meta, lines=lines, body=raw.body, body_line=raw.body_line,
            publishable=self.cat.publishable(meta["attribute"]),
            column_obj=columns[0], agencies=agencies, columns=columns,
            publisher_obj=self.cat.publisher_lookup[meta["publisher"]],
            theme=self.cat.theme_by_name[meta["category"]],
            tag_objs=[self.cat.tag_by_name[t] for t in meta.get("tags", [])],
        )

    def _agencies(self, meta: dict[str, Any]) -> tuple[Agency, ...]:
        """The issuing agencies, the lead issuer's first, each once (several bodies may issue for one agency)."""
        out: list[Agency] = []
        for name in [meta["publisher"], *meta.get("co_publishers", [])]:
            agency = self.cat.agency_of_publisher[name]
            if agency not in out:
                out.append(agency)
        return tuple(out)


def _same_column(agency: Agency, rel: str) -> Column:
    """The lead issuer's column in a co-issuer's tree, or its nearest ancestor there (a 乡镇 has no 规章)."""
    while rel:
        if (col := agency.column_lookup.get(rel)) is not None and col.rel == rel:
            return col
        rel = rel.rpartition("/")[0]
    raise AssertionError("every agency keeps the four first-level columns")
