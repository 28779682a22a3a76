"""The Decap CMS web editor at ``/admin/``: its config.yml generated from ``catalog/``.

Every field of catalog/fields.yml becomes a form field, keyed by the field's
Chinese label as ``python -m zfxxgk new`` writes it; enumerations become
selects; 解读对象 and 修订/废止 are relations to other documents by 索引号.
Decap's JavaScript comes from npm (``npm ci`` puts it in node_modules/);
nothing of it is committed. The backend (Gitea/Forgejo, GitLab, ...) is set in
catalog/site.yml under ``web_editor``; see docs/web-editor.md.
"""
from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any

import yaml

from zfxxgk.catalog.terms import Catalogue, FieldSpec
from zfxxgk.catalog.urls import ADMIN as ADMIN_DIR, DOCUMENTS_DIR
from zfxxgk.intake.metadata import RELATION_KINDS

DIST = Path("node_modules") / "decap-cms" / "dist"
COLLECTION = "documents"
DATE = {"widget": "datetime", "format": "YYYY-MM-DD", "date_format": "YYYY-MM-DD", "time_format": False,
        "picker_utc": True}
LONG_TEXT = {"summary"}            # text fields edited in a multi-line box
DEFAULT_BACKEND = {"name": "proxy", "proxy_url": "http://localhost:8081/api/v1", "branch": "main"}

INDEX_HTML = """<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex, nofollow">
<title>政府信息公开 内容管理</title>
<link href="config.yml" type="text/yaml" rel="cms-config-url">
</head>
<body>
<script src="decap-cms.js"></script>
</body>
</html>
"""


def key_of(spec: FieldSpec) -> str:
    """The front-matter key the web editor writes: the first Chinese label usable as a Decap name."""
    return next((label for label in spec.labels if re.fullmatch(r"[^/.\s]+", label)), spec.key)


def js_pattern(python_pattern: str) -> str:
    """A Python regex as a JavaScript one: named groups dropped (JS spells them differently)."""
    return re.sub(r"\(\?P<\w+>", "(", python_pattern)


def index_no_field(cat: Catalogue, spec: FieldSpec) -> dict[str, Any]:
    patterns = sorted({js_pattern(p.scheme.pattern.pattern).strip("^$") for p in cat.publisher_lookup.values()})
    examples = "；".join(f"{p.name}：{p.scheme.example}" for p in cat.publishers)
    return {"widget": "string", "pattern": [f"^(?:{'|'.join(patterns)})$", "索引号不符合发布机构的编号规则"],
            "hint": f"每个索引号只能用一次（含已删除、不公开的文件）。示例——{examples}"}


def relation(cat: Catalogue) -> dict[str, Any]:
    """A select of existing documents, stored as their 索引号."""
    index_key = key_of(cat.field_by_key["index_no"])
    title_key = key_of(cat.field_by_key["title"])
    return {"widget": "relation", "collection": COLLECTION, "value_field": index_key,
            "search_fields": [index_key, title_key], "display_fields": [title_key, index_key]}


def widget(cat: Catalogue, spec: FieldSpec) -> dict[str, Any]:
    """Decap widget options for one catalogue field, by its type."""
    leaf_themes = [t.name for t in cat.themes if "/" in t.name or not cat.theme_has_children(t.name)]
    by_type: dict[str, dict[str, Any]] = {
        "text": {"widget": "text" if spec.key in LONG_TEXT else "string"},
        "index_no": index_no_field(cat, spec),
        "publisher": {"widget": "select", "options": [p.name for p in cat.publishers]},
        "category": {"widget": "select", "options": leaf_themes},
        "column": {"widget": "select", "options": [c.title_path for c in cat.all_columns]},
        "date": dict(DATE),
        "enum": {"widget": "select", "options": list(spec.values)},
        "words": {"widget": "list", "hint": "每行一个主题词"},
        "tags": {"widget": "select", "multiple": True, "options": [t.name for t in cat.tags]},
        "relations": {"widget": "list", "default": [], "fields": [
            {"name": "索引号", "label": "索引号", **relation(cat)},
            {"name": "类型", "label": "类型", "widget": "select", "options": list(RELATION_KINDS),
             "default": RELATION_KINDS[0]}]},
        "files": {"widget": "list", "default": [], "fields": [
            {"name": "文件", "label": "文件", "widget": "file"},
            {"name": "名称", "label": "名称", "widget": "string", "required": False}]},
    }
    if spec.key == "interprets":   # 解读对象: the 索引号 of the interpreted document
        return {**relation(cat), "hint": "被解读文件的索引号"}
    if spec.type not in by_type:
        raise ValueError(f"catalog/fields.yml：字段 {spec.key} 的类型 {spec.type} 在网页编辑器中没有对应控件")
    return by_type[spec.type]


def fields(cat: Catalogue) -> list[dict[str, Any]]:
    out = []
    for spec in cat.fields:
        field = {"name": key_of(spec), "label": spec.name, **widget(cat, spec), "required": spec.required is True}
        if spec.key == "attribute":
            field["default"] = next(iter(cat.attributes))
        if spec.required == "columns":
            cols = "、".join(c.title for c in cat.all_columns if c.requires_validity)
            field["hint"] = f"栏目「{cols}」中的文件必须填写"
        out.append(field)
    out.append({"name": "body", "label": "正文", "widget": "markdown"})
    return out


def _summary(cat: Catalogue) -> str:
    """索引号 and title in the entry list, whichever spelling (label or canonical key) a file uses."""
    def any_spelling(key: str) -> str:
        spec = cat.field_by_key[key]
        return "".join(f"{{{{{name}}}}}" for name in dict.fromkeys([key_of(spec), spec.key]))
    return f"{any_spelling('index_no')}　{any_spelling('title')}"


def config(cat: Catalogue, docs_dir: str = "content") -> dict[str, Any]:
    """The whole config.yml, deterministic (no dates, catalogue order)."""
    settings = cat.settings.web_editor
    index_key = key_of(cat.field_by_key["index_no"])
    out: dict[str, Any] = {
        "backend": settings.backend or DEFAULT_BACKEND,
        "locale": "zh_Hans",
        "media_folder": f"{docs_dir}/{DOCUMENTS_DIR}/files",
        "public_folder": "files",
        "slug": {"encoding": "ascii", "clean_accents": True, "sanitize_replacement": "-"},
        "collections": [{
            "name": COLLECTION, "label": "政府信息公开文件", "label_singular": "文件",
            "folder": f"{docs_dir}/{DOCUMENTS_DIR}", "path": "{{year}}/{{slug}}", "extension": "md",
            "format": "frontmatter", "create": True, "identifier_field": key_of(cat.field_by_key["title"]),
            "slug": f"{{{{{index_key}}}}}", "summary": _summary(cat),
            "media_folder": "", "public_folder": "",
            "fields": fields(cat),
        }],
    }
    if settings.local_backend:
        local = settings.local_backend
        out["local_backend"] = {"url": local} if isinstance(local, str) else True
    return out


def dist_dir(project_root: Path) -> Path | None:
    """Decap's built files from npm, or None when ``npm ci`` has not been run."""
    dist = project_root / DIST
    return dist if (dist / "decap-cms.js").is_file() else None


def write_admin(site_dir: Path, cat: Catalogue, dist: Path, docs_dir: str = "content") -> Path:
    """Write /admin/: the page, config.yml and Decap's scripts (not its source maps)."""
    admin = Path(site_dir) / ADMIN_DIR
    admin.mkdir(parents=True, exist_ok=True)
    (admin / "index.html").write_text(INDEX_HTML, encoding="utf-8")
    text = "# 由 catalog/ 生成，请勿手改 / generated from catalog/ by hooks/zfxxgk/decap.py\n" + \
        yaml.safe_dump(config(cat, docs_dir), allow_unicode=True, sort_keys=False, width=1000)
    (admin / "config.yml").write_text(text, encoding="utf-8")
    for script in sorted(dist.glob("*decap-cms.js")):
        shutil.copyfile(script, admin / script.name)
    return admin
