"""The catalogues in ``catalog/``: fields, attributes, columns, themes, publishers, tags, site,
the formats of the decision catalogue and the annual report.

Everything the rest of the package knows about the site's vocabulary comes from
here; nothing else hard-codes a field list, an attribute value or a column.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

from zfxxgk.catalog import agencies, urls
from zfxxgk.catalog.calendar import CalendarError, WorkCalendar
from zfxxgk.catalog.columns import CatalogueError, Column, SLUG, checked_slug, columns_of, required as _get  # noqa: F401 (re-exported)
from zfxxgk.catalog.problems import Problem
from zfxxgk.catalog import report_schema
from zfxxgk.catalog import settings as site_settings
from zfxxgk.catalog import yamlfile


@dataclass(frozen=True)
class FieldSpec:
    key: str
    name: str
    labels: tuple[str, ...]
    type: str
    required: bool | str
    values: tuple[str, ...] = ()


@dataclass(frozen=True)
class Validity:
    """有效性 terms (catalog/validity.yml)."""
    values: tuple[str, ...]             # every value, in the editors' order
    in_force: tuple[str, ...]           # values of a document that still applies
    after: dict[str, str]               # 修订/废止 kind -> the value the replaced document takes
    expired: str                        # the value a passed 有效期至 gives

    @property
    def void(self) -> tuple[str, ...]:
        return tuple(v for v in self.values if v not in self.in_force)

    @property
    def current(self) -> str:
        """The value that says "in force" (有效)."""
        return self.in_force[0]


def _validity(raw: Any) -> Validity:
    where = "catalog/validity.yml"
    items = raw if isinstance(raw, list) else []
    values = tuple(str(_get(v, "value", where)) for v in items)
    in_force = tuple(str(v["value"]) for v in items if v.get("in_force"))
    after = {str(v["after"]): str(v["value"]) for v in items if v.get("after")}
    expired = [str(v["value"]) for v in items if v.get("expired")]
    if not in_force or len(expired) != 1 or set(after) != {"修订", "废止"}:
        raise CatalogueError(f"{where}：须有至少一个 in_force: true 的值、恰好一个 expired: true 的值，"
                             f"并为「修订」「废止」各标注一个 after")
    return Validity(values, in_force, after, expired[0])


@dataclass(frozen=True)
class DecisionTerm:
    key: str
    label: str
    spellings: tuple[str, ...]            # the label and every other accepted key
    required: bool = False
    always: bool = False                  # a stage listed as 待公开 until filled


@dataclass(frozen=True)
class DecisionSchema:
    """What an item of the 重大行政决策事项目录 holds (catalog/decisions.yml)."""
    fields: tuple[DecisionTerm, ...]
    statuses: tuple[str, ...]
    stages: tuple[DecisionTerm, ...]
    adoption_days: int
    catalogue: tuple[DecisionTerm, ...] = ()     # the year file's top-level keys (发布日期, 说明, 事项)
    deadline: tuple[int, int] = (3, 31)          # (month, day) the year's catalogue is due

    def stage(self, key: str) -> DecisionTerm:
        return next(s for s in self.stages if s.key == key)


def _decision_schema(raw: Any) -> DecisionSchema:
    where = "catalog/decisions.yml"

    def terms(items: Any) -> tuple[DecisionTerm, ...]:
        out = []
        for item in items or []:
            label = str(_get(item, "label", where))
            out.append(DecisionTerm(str(_get(item, "key", where)), label,
                                    (label, *(str(s) for s in item.get("spellings", []) or [])),
                                    bool(item.get("required", False)), bool(item.get("always", False))))
        return tuple(out)
    raw = raw if isinstance(raw, dict) else {}
    schema = DecisionSchema(terms(raw.get("fields")), tuple(str(s) for s in raw.get("statuses", []) or []),
                            terms(raw.get("stages")), int(raw.get("adoption_days", 10)),
                            terms(raw.get("catalogue")), _month_day(raw.get("deadline"), where))
    if not {"result", "adoption"} <= {s.key for s in schema.stages} or "name" not in {f.key for f in schema.fields}:
        raise CatalogueError(f"{where}：须有 name 字段和 adoption、result 两个环节")
    if not {"published", "items"} <= {t.key for t in schema.catalogue}:
        raise CatalogueError(f"{where}：catalogue 须有 published（发布日期）和 items（事项）两个键")
    return schema


def _month_day(raw: Any, where: str) -> tuple[int, int]:
    try:
        month, day = int(raw["month"]), int(raw["day"])
        dt.date(2024, month, day)   # a leap year: 2月29日 is a possible day
    except (TypeError, KeyError, ValueError):
        raise CatalogueError(f"{where}：deadline 须写作 {{month: 3, day: 31}}，得到 {raw!r}") from None
    return month, day


@dataclass(frozen=True)
class Theme:
    code: str            # "02" or "02/01"
    name: str            # "综合政务" or "综合政务/政务公开"
    label: str           # the last level's name

    @property
    def url(self) -> str:
        return urls.THEME.format(code=self.code)


@dataclass(frozen=True)
class IndexScheme:
    pattern: re.Pattern[str]
    format: str
    example: str


@dataclass(frozen=True)
class Publisher:
    name: str
    slug: str
    aliases: tuple[str, ...]
    scheme: IndexScheme

    @property
    def url(self) -> str:
        return urls.PUBLISHER.format(slug=self.slug)


@dataclass(frozen=True)
class Tag:
    name: str
    slug: str

    @property
    def url(self) -> str:
        return urls.TAG.format(slug=self.slug)


def _load_yaml(path: Path) -> Any:
    """A catalogue file, or CatalogueError naming the file and line (catalogues are the maintainer's input)."""
    if not path.is_file():
        raise CatalogueError(f"目录文件缺失：{path}")
    value, problems = yamlfile.load(path, f"catalog/{path.name}")
    if problems:
        raise CatalogueError("目录文件有误：" + problems[0].format().removeprefix("错误 "))
    return value


def _scheme(raw: dict[str, Any], where: str) -> IndexScheme:
    try:
        return IndexScheme(re.compile(raw["pattern"]), raw.get("format", ""), str(raw.get("example", "")))
    except (KeyError, TypeError, re.error) as exc:
        raise CatalogueError(f"{where}：索引号规则（index_no.pattern）无效：{exc}") from None


class Catalogue:
    """All catalogues of one site, loaded from a ``catalog/`` directory."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self.site: dict[str, Any] = _load_yaml(self.root / "site.yml") or {}
        self.validity = _validity(_load_yaml(self.root / "validity.yml"))
        self.decisions = _decision_schema(_load_yaml(self.root / "decisions.yml"))
        self.annual_report = report_schema.load(_load_yaml(self.root / "annual_report.yml"))   # the 年报 format
        self.fields = [FieldSpec(f["key"], f["name"], tuple(f.get("labels", [])), f["type"],
                                 f.get("required", False),
                                 self.validity.values if f.get("values_from") == "validity.yml" else tuple(f.get("values", [])))
                       for f in _load_yaml(self.root / "fields.yml")]
        self.attributes: dict[str, dict[str, Any]] = _load_yaml(self.root / "attributes.yml")
        self.column_tree = _load_yaml(self.root / "columns.yml")
        columns_of(self.column_tree)   # checked once here, so that every agency's tree is well formed
        self.themes = self._load_themes(_load_yaml(self.root / "themes.yml"))
        self.publishers = self._load_publishers(_load_yaml(self.root / "publishers.yml"))
        self.tags = [Tag(str(_get(t, "name", "catalog/tags.yml")),
                         checked_slug(_get(t, "slug", f"catalog/tags.yml「{t.get('name') if isinstance(t, dict) else t}」"),
                                      f"catalog/tags.yml「{t['name']}」"))
                     for t in (_load_yaml(self.root / "tags.yml") or [])]
        try:
            self.settings = site_settings.load(self.site)
        except site_settings.SettingsError as exc:
            raise CatalogueError(str(exc)) from None
        scheme = self.settings.index_no
        self.default_scheme = _scheme({"pattern": scheme.pattern, "format": scheme.format, "example": scheme.example},
                                      "catalog/site.yml")
        self.calendar = _calendar(self.root / "calendar")
        self.agencies = agencies.load(self.root / agencies.FILE, self)
        self.primary = self.agencies[0]
        self.columns = self.primary.columns

    @cached_property
    def agency_by_slug(self) -> dict[str, agencies.Agency]:
        return {a.slug: a for a in self.agencies}

    @cached_property
    def agency_of_publisher(self) -> dict[str, agencies.Agency]:
        """发布机构 name -> the agency it issues for."""
        return {name: a for a in self.agencies for name in a.publishers}

    # --- fields -----------------------------------------------------------
    @cached_property
    def field_by_key(self) -> dict[str, FieldSpec]:
        return {f.key: f for f in self.fields}

    @cached_property
    def key_for_label(self) -> dict[str, str]:
        """Every accepted spelling of a key (canonical or Chinese label) -> canonical key."""
        out: dict[str, str] = {}
        for f in self.fields:
            out[f.key] = f.key
            for label in f.labels:
                out[label] = f.key
        return out

    def publishable(self, attribute: str) -> bool:
        return bool(self.attributes.get(attribute, {}).get("publish", False))

    def marker(self, attribute: str) -> str:
        return str(self.attributes.get(attribute, {}).get("marker", "") or "")

    # --- columns ----------------------------------------------------------
    @cached_property
    def all_columns(self) -> list[Column]:
        """Every column of every agency's tree, the 本级政府's first."""
        return [c for agency in self.agencies for top in agency.columns for c in top.walk()]

    @property
    def column_lookup(self) -> dict[str, Column | None]:
        """Spellings of a column of the 本级政府's tree -> column (see Agency.column_lookup)."""
        return self.primary.column_lookup

    @cached_property
    def column_spellings(self) -> frozenset[str]:
        """Every spelling of a column that some agency's tree knows (checked once per document at intake)."""
        return frozenset(s for a in self.agencies for s in a.column_lookup)

    @cached_property
    def column_by_path(self) -> dict[str, Column]:
        """Site path (Column.path) -> column, in every agency's tree."""
        return {c.path: c for c in self.all_columns}

    def column_with_role(self, role: str) -> Column:
        """The 本级政府's column that holds the pages of ``role`` (catalog/columns.yml ``role:``)."""
        return self.primary.column_with_role(role)

    def columns_of_kind(self, kind: str) -> list[Column]:
        """Columns of ``kind`` in every agency's tree."""
        return [c for c in self.all_columns if c.kind == kind]

    def column(self, path: str) -> Column:
        return self.column_lookup[path]  # type: ignore[return-value]

    # --- themes -----------------------------------------------------------
    def _load_themes(self, raw: list[dict[str, Any]]) -> list[Theme]:
        out = []
        for top in raw:
            where = "catalog/themes.yml"
            code = checked_slug(_get(top, "code", where), f"{where}「{top.get('name')}」")
            out.append(Theme(code, str(_get(top, "name", where)), str(top["name"])))
            for sub in top.get("children", []) or []:
                sub_code = checked_slug(_get(sub, "code", where), f"{where}「{top['name']}/{sub.get('name')}」")
                out.append(Theme(f"{code}/{sub_code}", f"{top['name']}/{_get(sub, 'name', where)}", str(sub["name"])))
        return out

    @cached_property
    def theme_by_name(self) -> dict[str, Theme]:
        return {t.name: t for t in self.themes}

    def theme_has_children(self, name: str) -> bool:
        return any(t.name.startswith(name + "/") for t in self.themes)

    # --- publishers and tags ----------------------------------------------
    def _load_publishers(self, raw: list[dict[str, Any]]) -> list[Publisher]:
        out = []
        for p in raw or []:
            scheme = _scheme(p["index_no"], f"catalog/publishers.yml「{p.get('name')}」") \
                if isinstance(p, dict) and p.get("index_no") else None
            name = str(_get(p, "name", "catalog/publishers.yml"))
            slug = checked_slug(_get(p, "slug", f"catalog/publishers.yml「{name}」"), f"catalog/publishers.yml「{name}」")
            out.append(Publisher(name, slug, tuple(str(a) for a in p.get("aliases", []) or []), scheme))  # type: ignore[arg-type]
        return out

    @cached_property
    def publisher_lookup(self) -> dict[str, Publisher]:
        out: dict[str, Publisher] = {}
        for p in self.publishers:
            if p.scheme is None:
                object.__setattr__(p, "scheme", self.default_scheme)
            out[p.name] = p
            for alias in p.aliases:
                out[alias] = p
        return out

    @cached_property
    def tag_by_name(self) -> dict[str, Tag]:
        return {t.name: t for t in self.tags}


def _calendar(directory: Path) -> WorkCalendar:
    """The working-day calendar with the years of catalog/calendar/ (catalog/calendar.py)."""
    try:
        return WorkCalendar.load(directory)
    except CalendarError as exc:
        raise CatalogueError(str(exc)) from None


def load(root: Path | str) -> Catalogue:
    return Catalogue(Path(root))


def catalogue_problem(message: str) -> Problem:
    return Problem("catalog/", None, None, message)
