"""The Decap CMS configuration generated from catalog/ (no browser; see test_decap_browser.py)."""
from __future__ import annotations

import re

import yaml

from conftest import ROOT
from zfxxgk.catalog import terms as catalogue_mod
from zfxxgk.outputs import webeditor as decap
from zfxxgk.intake.metadata import RELATION_KINDS

CAT = catalogue_mod.load(ROOT / "catalog")


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
    assert fields["公开目录"]["options"] == [c.title_path for c in CAT.all_columns]
    assert "综合政务/政务公开" in fields["主题分类"]["options"] and "综合政务" not in fields["主题分类"]["options"]
    assert fields["标签"]["options"] == [t.name for t in CAT.tags] and fields["标签"]["multiple"] is True


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


def test_config_is_deterministic_and_points_at_the_documents(tmp_path):
    dist = tmp_path / "dist"
    dist.mkdir()
    (dist / "decap-cms.js").write_text("/* stand-in */", encoding="utf-8")
    (dist / "decap-cms.js.map").write_text("{}", encoding="utf-8")
    a = decap.write_admin(tmp_path / "a", CAT, dist)
    b = decap.write_admin(tmp_path / "b", CAT, dist)
    assert (a / "config.yml").read_bytes() == (b / "config.yml").read_bytes()
    assert sorted(p.name for p in a.iterdir()) == ["config.yml", "decap-cms.js", "index.html"]
    conf = yaml.safe_load((a / "config.yml").read_text(encoding="utf-8"))
    assert conf["collections"][0]["folder"] == "content/documents" and conf["local_backend"] is True
    assert 'rel="cms-config-url"' in (a / "index.html").read_text(encoding="utf-8")


def test_a_build_without_npm_ci_has_no_admin_page(example_site):
    assert example_site.ok and not (example_site.site / "admin").exists()
    assert "未安装 decap-cms" in example_site.output
