"""The web editor's configuration (Decap's format, read by Sveltia CMS) generated from catalog/, and when it is built.

The browser side (Chinese input through an IME) is tests/test_webeditor_browser.py.
"""
from __future__ import annotations

import re

import yaml

from conftest import ROOT
from zfxxgk.catalog import terms as catalogue_mod
from zfxxgk.catalog.settings import WebEditor
from zfxxgk.outputs import webeditor as decap
from zfxxgk.intake.metadata import RELATION_KINDS

CAT = catalogue_mod.load(ROOT / "catalog")
CAT.settings.web_editor = WebEditor(enabled=True, backend={"name": "gitea", "repo": "zfxxgk/site",
                                                           "base_url": "https://git.example.gov.cn"})
ENABLED = '\nweb_editor:\n  enabled: true\n  backend: {name: test-repo}\n'


def form() -> dict[str, dict]:
    return {f["name"]: f for f in decap.config(CAT)["collections"][0]["fields"]}


def test_every_catalogue_field_is_a_form_field_with_its_chinese_name():
    fields = form()
    for spec in CAT.fields:
        field = fields[decap.key_of(spec)]
        assert field["label"] == spec.name
        assert field["required"] is (spec.required is True)
        assert CAT.key_for_label[decap.key_of(spec)] == spec.key     # the build reads what the editor writes
    assert fields["body"]["widget"] == "markdown"


def test_enumerations_are_selects_with_the_catalogue_values():
    fields = form()
    assert fields["公开属性"]["options"] == list(CAT.attributes) and fields["公开属性"]["default"] == "主动公开"
    assert fields["有效性"]["options"] == list(CAT.field_by_key["validity"].values)
    assert fields["发布机构"]["options"] == [p.name for p in CAT.publishers]
    columns = fields["公开目录"]["options"]
    assert len(columns) == len(set(columns))                         # every agency's tree, each column once
    assert columns[:3] == ["政府信息公开指南", "政府信息公开制度", "法定主动公开内容"]
    assert "法定主动公开内容/法规文件/规章" in columns and "法定主动公开内容/社会救助" in columns   # 民政局's own
    assert "综合政务/政务公开" in fields["主题分类"]["options"] and "综合政务" not in fields["主题分类"]["options"]
    assert fields["标签"]["options"] == [t.name for t in CAT.tags] and fields["标签"]["multiple"] is True


def test_each_agency_is_a_filter_of_the_entry_list_by_its_publishers():
    filters = decap.config(CAT)["collections"][0]["view_filters"]
    assert filters[0] == {"label": "县政府", "field": "发布机构",
                          "in": ["示例县人民政府", "示例县政府", "示例县人民政府办公室", "示例县政府办公室"]}
    assert {"label": "城关镇", "field": "发布机构", "in": ["示例县城关镇人民政府", "城关镇人民政府"]} in filters
    assert len(filters) == 8
    assert "联合发文机关" in form() and form()["联合发文机关"]["multiple"] is True


def test_interpreted_and_replaced_documents_are_relations_by_index_no():
    fields = form()
    interprets = fields[decap.key_of(CAT.field_by_key["interprets"])]
    assert interprets["widget"] == "relation" and interprets["value_field"] == "索引号"
    assert interprets["collection"] == "documents"
    replaces = fields[decap.key_of(CAT.field_by_key["replaces"])]
    sub = {f["name"]: f for f in replaces["fields"]}
    assert sub["索引号"]["widget"] == "relation" and sub["类型"]["options"] == list(RELATION_KINDS)


def test_the_index_no_pattern_accepts_every_publishers_example():
    pattern = re.compile(form()["索引号"]["pattern"][0])
    for publisher in CAT.publisher_lookup.values():
        assert pattern.fullmatch(publisher.scheme.example), publisher.name
    assert not pattern.fullmatch("随便写的号")


def test_the_editor_is_the_page_its_config_the_script_and_its_chinese_text(tmp_path):
    package = decap.dist_dir(ROOT)
    assert package is not None, "node_modules/@sveltia/cms missing: run `npm ci` in the repository"
    a = decap.write_admin(tmp_path / "a", CAT, package)
    b = decap.write_admin(tmp_path / "b", CAT, package)
    assert (a / "config.yml").read_bytes() == (b / "config.yml").read_bytes()
    assert sorted(p.relative_to(a).as_posix() for p in a.rglob("*") if p.is_file()) == [
        "config.yml", "fonts/material-symbols-outlined.woff2", "index.html", "locales/zh-CN.json", "sveltia-cms.js"]
    conf = yaml.safe_load((a / "config.yml").read_text(encoding="utf-8"))
    assert conf["collections"][0]["folder"] == "content/documents"
    assert conf["backend"] == {"name": "gitea", "repo": "zfxxgk/site", "base_url": "https://git.example.gov.cn"}
    assert conf["collections"][0]["summary"] == "{{索引号}}　{{标题}}"
    assert 'rel="cms-config-url"' in (a / "index.html").read_text(encoding="utf-8")
    script = (a / "sveltia-cms.js").read_text(encoding="utf-8")
    assert "unpkg.com/@sveltia/cms@${rP}/locales" not in script.replace("${iP}", "unpkg.com/@sveltia/cms")
    assert "`locales`,document.currentScript" in script
    assert "cdn.jsdelivr.net/fontsource/fonts/material-symbols" not in script and "url(fonts/material-symbols-outlined.woff2)" in script


def test_the_citizen_site_has_no_editor_by_default(example_site):
    assert not (example_site.site / "admin").exists()
    assert not [p for p in example_site.site.rglob("*") if "sveltia" in p.name or "decap" in p.name]
    assert "网页编辑器" not in example_site.output


def _linked(project) -> None:
    (project.root / "node_modules").symlink_to(ROOT / "node_modules", target_is_directory=True)


def test_enabled_the_editor_is_at_admin_of_the_site(make_project):
    project = make_project()
    _linked(project)
    with (project.root / "catalog" / "site.yml").open("a", encoding="utf-8") as fh:
        fh.write(ENABLED)
    built = project.build("--strict")
    assert built.ok, built.output
    assert (project.site / "admin" / "index.html").is_file() and (project.site / "admin" / "locales" / "zh-CN.json").is_file()
    assert "网页编辑器（Sveltia CMS）已生成：站点的 /admin/" in built.output


def test_the_editor_can_be_written_apart_for_another_path_or_host(make_project):
    project = make_project()
    _linked(project)
    with (project.root / "catalog" / "site.yml").open("a", encoding="utf-8") as fh:
        fh.write(ENABLED + "  output_dir: editor-site\n")
    built = project.build("--strict")
    assert built.ok, built.output
    assert (project.root / "editor-site" / "index.html").is_file() and (project.root / "editor-site" / "sveltia-cms.js").is_file()
    assert not (project.site / "admin").exists()


def test_enabled_without_a_backend_is_a_clear_error(make_project):
    project = make_project()
    _linked(project)
    with (project.root / "catalog" / "site.yml").open("a", encoding="utf-8") as fh:
        fh.write("\nweb_editor:\n  enabled: true\n")
    built = project.build("--strict")
    assert not built.ok
    assert "catalog/site.yml：[web_editor.backend] 网页编辑器已启用，但代码托管后端“未设置”不可用" in built.output
    assert "Traceback" not in built.output
