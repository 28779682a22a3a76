"""``python -m zfxxgk new-agency``: add a 部门 or 乡镇 to the platform, no code.

Appends the agency to catalog/agencies.yml (and its issuing body to catalog/publishers.yml
when new), writes its 指南 page under content/zl/<slug>/, and loads the catalogue once to
prove the result builds; on any catalogue error every file is restored as it was.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from zfxxgk.catalog import agencies, urls
from zfxxgk.catalog import terms as catalogue_mod
from zfxxgk.catalog.terms import Catalogue, CatalogueError, checked_slug


@dataclass(frozen=True)
class NewAgency:
    name: str
    slug: str
    kind: str
    short: str = ""
    publisher: str = ""          # the 发布机构 issuing for it; default: the agency's own name
    index_prefix: str = ""       # its 索引号 prefix (e.g. an organisation code); default: the site's scheme


def _q(text: str) -> str:
    """A YAML scalar (JSON strings are valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


def publisher_entry(new: NewAgency, slug: str) -> str:
    lines = [f"- name: {_q(new.publisher or new.name)}", f"  slug: {slug}"]
    if new.index_prefix:
        lines += ["  index_no:",
                  f"    pattern: {_q('^' + new.index_prefix + '/(?P<year>[0-9]{4})-(?P<seq>[0-9]{5})$')}",
                  f"    format: {_q(new.index_prefix + '/{year}-{seq:05d}')}",
                  f"    example: {_q(new.index_prefix + '/2025-00001')}"]
    return "\n".join(lines) + "\n"


def agency_entry(new: NewAgency) -> str:
    return "\n".join([f"- name: {_q(new.name)}", f"  short: {_q(new.short or new.name)}", f"  slug: {new.slug}",
                      f"  kind: {_q(new.kind)}", f"  publishers: [{_q(new.publisher or new.name)}]",
                      "  contact: {office: \"\", address: \"\", hours: \"\", phone: \"\"}   # 请填写：受理机构、地址、办公时间、电话",
                      ""])


def primary_entry(cat: Catalogue) -> str:
    """The 本级政府 that owned every publisher while the site had no agencies.yml."""
    return "\n".join([f"- name: {_q(cat.settings.agency)}", f"  slug: {cat.primary.slug}", f"  kind: {agencies.GOVERNMENT}",
                      f"  publishers: [{', '.join(_q(p.name) for p in cat.publishers)}]", ""])


def guide_page(new: NewAgency) -> str:
    return (f"---\ntitle: 政府信息公开指南\n---\n\n"
            f"本指南适用于{new.name}的政府信息公开工作。受理机构、办公地址、办公时间和联系电话见上方"
            f"“政府信息公开受理机构”（catalog/agencies.yml 中本机构的 contact）。\n\n"
            f"## 一、主动公开\n\n（请填写：公开范围、公开方式和公开时限。）\n\n"
            f"## 二、依申请公开\n\n（请填写：申请方式、办理程序和答复期限。）\n\n"
            f"## 三、监督和救济\n\n（请填写：投诉举报渠道、行政复议和行政诉讼。）\n")


def create(root: Path, new: NewAgency) -> list[Path]:
    """Write the agency's catalogue entries and pages; CatalogueError (files restored) when they would not build."""
    catalog = root / "catalog"
    cat = catalogue_mod.load(catalog)
    checked_slug(new.slug, f"新机构「{new.name}」")
    if new.kind not in agencies.KINDS or new.kind == agencies.GOVERNMENT:
        raise CatalogueError(f"机构类型“{new.kind}”无效；新增机构允许：{'、'.join(agencies.KINDS[1:])}")
    guide = root / "content" / urls.AGENCIES_DIR / new.slug / "zfxxgkzn" / "index.md"
    if guide.exists():
        raise CatalogueError(f"{guide.relative_to(root)} 已存在：slug “{new.slug}”已被使用")
    saved = {p: (p.read_text(encoding="utf-8") if p.exists() else None)
             for p in (catalog / "publishers.yml", catalog / agencies.FILE)}
    try:
        if (new.publisher or new.name) not in cat.publisher_lookup:
            _append(catalog / "publishers.yml", publisher_entry(new, new.slug))
        agencies_file = catalog / agencies.FILE
        if not agencies_file.exists():
            agencies_file.write_text("# 平台的机构（说明见 README「多机构平台」）\n" + primary_entry(cat), encoding="utf-8")
        _append(agencies_file, agency_entry(new))
        guide.parent.mkdir(parents=True, exist_ok=True)
        guide.write_text(guide_page(new), encoding="utf-8")
        catalogue_mod.load(catalog)   # the platform still loads: the new entries are well formed
    except CatalogueError:
        _restore(saved, guide)
        raise
    return [catalog / agencies.FILE, guide]


def _append(path: Path, text: str) -> None:
    before = path.read_text(encoding="utf-8") if path.exists() else ""
    path.write_text(before + ("" if before.endswith("\n") or not before else "\n") + text, encoding="utf-8")


def _restore(saved: dict[Path, str | None], guide: Path) -> None:
    for path, text in saved.items():
        if text is None:
            path.unlink(missing_ok=True)
        else:
            path.write_text(text, encoding="utf-8")
    guide.unlink(missing_ok=True)
    for folder in (guide.parent, guide.parent.parent):
        if folder.is_dir() and not any(folder.iterdir()):
            folder.rmdir()
