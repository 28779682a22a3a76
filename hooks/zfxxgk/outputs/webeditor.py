"""The web editor (Sveltia CMS): its config.yml, in Decap's format, generated from ``catalog/``.

Built only when catalog/site.yml sets ``web_editor.enabled: true``; the citizen
site then gets ``/admin/`` (``web_editor.path``), or the editor is written to a
directory of its own (``web_editor.output_dir``) to be deployed on another path
or host. Every field of catalog/fields.yml becomes a form field, keyed by the
field's Chinese label as ``python -m zfxxgk new`` writes it; enumerations become
selects; 解读对象 and 修订/废止 are relations to other documents by 索引号.

Why Sveltia and not Decap CMS (which reads the same config): Decap's string
widget commits a pinyin IME's composition letters into the title ("zhe政府…",
tests/test_webeditor_browser.py; decap-cms issues 4837, 6287), and Decap put
5.9 MB into every site. Sveltia's JavaScript comes from npm (``npm ci``);
nothing of it is committed. Its Chinese UI text and icon font are served from
the editor's own directory instead of unpkg.com and cdn.jsdelivr.net, so the
editor works on an intranet.
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

PACKAGE = Path("node_modules") / "@sveltia" / "cms"
SCRIPT = "sveltia-cms.js"
LOCALE = "zh-CN.json"
ICON_FONT = Path("node_modules") / "@fontsource-variable" / "material-symbols-outlined" / "files" / \
    "material-symbols-outlined-latin-wght-normal.woff2"
# Sveltia 0.221 fetches its UI translations from unpkg.com and its icon font from cdn.jsdelivr.net;
# these make it read both from the editor's own directory (an intranet has neither host).
_REMOTE_LOCALES = "USe=`${iP}@${rP}/locales`"
_LOCAL_LOCALES = "USe=new URL(`locales`,document.currentScript?.src??location.href).href"
_REMOTE_ICONS = "url(https://cdn.jsdelivr.net/fontsource/fonts/material-symbols-outlined:vf@5.3.7/latin-wght-normal.woff2)"
_LOCAL_ICONS = "url(fonts/material-symbols-outlined.woff2)"
COLLECTION = "documents"
DATE = {"widget": "datetime", "format": "YYYY-MM-DD", "date_format": "YYYY-MM-DD", "time_format": False,
        "picker_utc": True}
LONG_TEXT = {"summary"}            # text fields edited in a multi-line box
BACKENDS = ("github", "gitlab", "gitea", "test-repo")   # test-repo: in the browser only, for trying the form

INDEX_HTML = """<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex, nofollow">
<title>政府信息公开 内容管理</title>
<link href="config.yml" type="application/yaml" rel="cms-config-url">
</head>
<body>
<script src="sveltia-cms.js"></script>
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
        "publishers": {"widget": "select", "multiple": True, "required": False,
                       "options": [p.name for p in cat.publishers]},
        "category": {"widget": "select", "options": leaf_themes},
        # A column is named by its title path; which agency's tree it is in follows the 发布机构.
        "column": {"widget": "select", "options": sorted({c.title_path for c in cat.all_columns},
                                                         key=[c.title_path for c in cat.all_columns].index)},
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
            cols = "、".join(dict.fromkeys(c.title for c in cat.all_columns if c.requires_validity))
            field["hint"] = f"栏目「{cols}」中的文件必须填写"
        out.append(field)
    out.append({"name": "body", "label": "正文", "widget": "markdown"})
    return out


def _summary(cat: Catalogue) -> str:
    """索引号 and title in the entry list (Sveltia accepts only the form's own field names here)."""
    return f"{{{{{key_of(cat.field_by_key['index_no'])}}}}}　{{{{{key_of(cat.field_by_key['title'])}}}}}"


class EditorSettingsError(ValueError):
    """catalog/site.yml's web_editor section is unusable; the message says what to write."""


def settings(cat: Catalogue) -> dict[str, Any]:
    """``web_editor`` of catalog/site.yml with its defaults: off, at /admin/ inside the site."""
    raw = cat.settings.web_editor
    return {"enabled": raw.enabled is True, "path": str(raw.path or ADMIN_DIR).strip("/"),
            "output_dir": raw.output_dir, "backend": raw.backend}


def _backend(cat: Catalogue) -> dict[str, Any]:
    backend = settings(cat)["backend"]
    if not isinstance(backend, dict) or backend.get("name") not in BACKENDS:
        found = backend.get("name") if isinstance(backend, dict) else backend
        raise EditorSettingsError(
            f"catalog/site.yml：[web_editor.backend] 网页编辑器已启用，但代码托管后端“{found or '未设置'}”不可用；"
            f"允许的 name：github、gitlab、gitea（Gitea 与 Forgejo）、test-repo（仅试用，不保存），写法见 docs/web-editor.md")
    return dict(backend)


def config(cat: Catalogue, docs_dir: str = "content") -> dict[str, Any]:
    """The whole config.yml, deterministic (no dates, catalogue order)."""
    index_key = key_of(cat.field_by_key["index_no"])
    out: dict[str, Any] = {
        "backend": _backend(cat),
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
            "view_filters": agency_filters(cat),
            "fields": fields(cat),
        }],
    }
    return out


def agency_filters(cat: Catalogue) -> list[dict[str, Any]]:
    """One filter of the entry list per agency (catalog/agencies.yml): an editor of one 部门 or 乡镇
    picks hers and sees only the documents its 发布机构 issued."""
    key = key_of(cat.field_by_key["publisher"])
    out = []
    for agency in cat.agencies if len(cat.agencies) > 1 else []:
        names = [n for p in agency.publishers for n in (p, *cat.publisher_lookup[p].aliases)]
        out.append({"label": agency.short, "field": key, "in": names})
    return out


def dist_dir(project_root: Path) -> Path | None:
    """Sveltia's npm package, or None when ``npm ci`` has not been run (the icon font included)."""
    package = project_root / PACKAGE
    ready = all(p.is_file() for p in (package / "dist" / SCRIPT, package / "locales" / LOCALE, project_root / ICON_FONT))
    return package if ready else None


def local_script(script: str) -> str:
    """Sveltia's script reading its UI translations and icon font beside itself (the pinned version's strings)."""
    for remote, local in ((_REMOTE_LOCALES, _LOCAL_LOCALES), (_REMOTE_ICONS, _LOCAL_ICONS)):
        if script.count(remote) != 1:
            raise EditorSettingsError(f"node_modules/@sveltia/cms/dist/{SCRIPT}：找不到 {remote[:40]}…（版本与 package.json 不符？）；"
                                      "请运行 npm ci")
        script = script.replace(remote, local)
    return script


def write_admin(dest: Path, cat: Catalogue, package: Path, docs_dir: str = "content") -> Path:
    """Write the editor into ``dest``: the page, config.yml, Sveltia's script and its Chinese UI text."""
    dest = Path(dest)
    (dest / "locales").mkdir(parents=True, exist_ok=True)
    (dest / "fonts").mkdir(exist_ok=True)
    text = "# 由 catalog/ 生成，请勿手改 / generated from catalog/ by hooks/zfxxgk/decap.py\n" + \
        yaml.safe_dump(config(cat, docs_dir), allow_unicode=True, sort_keys=False, width=1000)
    (dest / "index.html").write_text(INDEX_HTML, encoding="utf-8")
    (dest / "config.yml").write_text(text, encoding="utf-8")
    script = (package / "dist" / SCRIPT).read_text(encoding="utf-8")
    (dest / SCRIPT).write_text(local_script(script), encoding="utf-8")
    shutil.copyfile(package / "locales" / LOCALE, dest / "locales" / LOCALE)
    project_root = package.parents[2]   # <root>/node_modules/@sveltia/cms
    shutil.copyfile(project_root / ICON_FONT, dest / "fonts" / "material-symbols-outlined.woff2")
    return dest
