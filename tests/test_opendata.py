"""Open data: /data/documents.json and .csv validate against the documented schema, /data/catalog.jsonld
is a DCAT catalogue in JSON-LD, the 年报 tables are CSV, and withheld documents are in none of them.
"""
from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator
from pyld import jsonld

from conftest import ROOT
from test_site import CORPUS

SCHEMA = json.loads((ROOT / "catalog/open-data.schema.json").read_text(encoding="utf-8"))
SITE_URL = "https://www.example.gov.cn/zfxxgk/"
DCAT = "http://www.w3.org/ns/dcat#"
HEADER = ["title", "index_no", "publisher", "co_publishers", "category", "column", "published", "written", "doc_no", "attribute",
          "validity", "keywords", "summary", "tags", "interprets", "replaces", "valid_until", "unified_no",
          "attachments", "form", "item", "consultation_start", "consultation_end", "validity_now", "url"]


def data(site: Path, name: str) -> str:
    return (site / "data" / name).read_text(encoding="utf-8")


def csv_rows(text: str) -> list[list[str]]:
    assert text.startswith("\ufeff"), "CSV starts with a BOM so spreadsheets read UTF-8"
    return list(csv.reader(io.StringIO(text[1:])))


def by_index(site: Path) -> dict[str, dict]:
    return {d["index_no"]: d for d in json.loads(data(site, "documents.json"))["documents"]}


# --- the catalogue as JSON and CSV ---------------------------------------------------------
def test_documents_json_validates_against_the_documented_schema(example_site):
    document = json.loads(data(example_site.site, "documents.json"))
    validator = Draft202012Validator(SCHEMA, format_checker=Draft202012Validator.FORMAT_CHECKER)
    assert list(validator.iter_errors(document)) == []
    assert document["agency"] == "示例县人民政府"
    assert document["schema"] == SITE_URL + "data/documents.schema.json"
    assert data(example_site.site, "documents.schema.json") == (ROOT / "catalog/open-data.schema.json").read_text()


def test_the_export_holds_exactly_the_published_documents(example_site):
    assert set(by_index(example_site.site)) == {d.index_no for d in CORPUS.published}
    assert json.loads(data(example_site.site, "documents.json"))["count"] == len(CORPUS.published)


def test_a_normative_document_carries_every_field_its_url_and_attachment(example_site):
    record = by_index(example_site.site)["000000001/2023-00008"]
    assert record["title"] == "示例县人民政府关于印发《示例县临时救助办法》的通知"
    assert record["doc_no"] == "示政规〔2023〕1号" and record["unified_no"] == "SXGF-2023-0001"
    assert record["column"] == "法定主动公开内容/法规文件/行政规范性文件"
    assert record["published"] == "2023-02-20" and record["written"] == "2023-02-16"
    assert record["valid_until"] == "2028-02-29" and record["validity"] == "有效" and record["validity_now"] == "有效"
    assert record["replaces"] == [{"index_no": "000000001/2021-00031", "kind": "废止"}]
    assert record["keywords"] == ["临时救助", "社会救助", "急难救助"]
    assert record["url"] == SITE_URL + "wj/000000001-2023-00008/"
    assert record["attachments"] == [{"title": "示例县临时救助申请审批表",
                                      "url": SITE_URL + "documents/2023/fujian/sx-lsjz-sqspb.pdf"}]
    assert (example_site.site / "documents/2023/fujian/sx-lsjz-sqspb.pdf").is_file()


def test_csv_has_the_same_records_as_json(example_site):
    rows = csv_rows(data(example_site.site, "documents.csv"))
    assert rows[0] == HEADER
    records = by_index(example_site.site)
    assert len(rows) - 1 == len(records)
    row = dict(zip(HEADER, next(r for r in rows if r[1] == "000000001/2023-00008")))
    assert row["keywords"] == "临时救助；社会救助；急难救助"
    assert row["replaces"] == "000000001/2021-00031:废止"
    assert row["interprets"] == "" and row["validity_now"] == "有效"
    for r in rows[1:]:
        record = records[r[1]]
        assert r[0] == record["title"] and r[-1] == record["url"] and r[6] == record["published"]


def test_validity_is_as_of_the_build_date(make_project):
    project = make_project()
    with (project.root / "catalog/site.yml").open("a", encoding="utf-8") as f:
        f.write("\nbuild_date: 2023-07-01\n")
    result = project.build("--strict")
    assert result.ok, result.output
    document = json.loads(data(result.site, "documents.json"))
    assert document["as_of"] == "2023-07-01"
    record = {d["index_no"]: d for d in document["documents"]}["000000002/2022-00045"]   # 有效期至 2023-12-31
    assert (record["validity"], record["validity_now"]) == ("有效", "有效")


def test_on_a_later_date_the_passed_valid_until_reads_void(example_site):
    record = by_index(example_site.site)["000000002/2022-00045"]
    assert (record["validity"], record["validity_now"], record["valid_until"]) == ("有效", "失效", "2023-12-31")


# --- withheld documents -----------------------------------------------------------------------
def test_withheld_documents_are_in_no_data_file(example_site):
    texts = [p.read_text(encoding="utf-8") for p in (example_site.site / "data").rglob("*") if p.is_file()]
    assert len(CORPUS.withheld) == 2
    for doc in CORPUS.withheld:
        for needle in (doc.title, doc.index_no):
            assert not any(needle in t for t in texts), needle


def test_a_withheld_document_added_to_a_site_stays_out_and_csv_cells_cannot_be_formulas(make_project):
    project = make_project()
    head = ("---\n发布机构: 示例县人民政府\n主题分类: 综合政务/政务公开\n公开目录: 工作计划\n"
            "发布日期: 2024-03-01\n")
    project.write("content/documents/2024/secret.md", head + "标题: 绝密的二〇二四年内部计划\n"
                  "索引号: 000000001/2024-00091\n公开属性: 不予公开\n---\n\n正文。\n")
    project.write("content/documents/2024/formula.md", head + "标题: \"=HYPERLINK(\\\"http://x\\\")工作计划\"\n"
                  "索引号: 000000001/2024-00092\n公开属性: 主动公开\n---\n\n正文。\n")
    result = project.build("--strict")
    assert result.ok, result.output
    for path in (result.site / "data").rglob("*"):
        if path.is_file():
            text = path.read_text(encoding="utf-8")
            assert "绝密的二〇二四年内部计划" not in text and "000000001/2024-00091" not in text, path
    row = next(r for r in csv_rows(data(result.site, "documents.csv")) if r[1] == "000000001/2024-00092")
    assert row[0] == "'=HYPERLINK(\"http://x\")工作计划"
    assert by_index(result.site)["000000001/2024-00092"]["title"] == "=HYPERLINK(\"http://x\")工作计划"


# --- DCAT-AP 3 ------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def dcat(example_site):
    return json.loads(data(example_site.site, "catalog.jsonld"))


def test_the_catalogue_parses_as_json_ld_with_dcat_catalog_and_datasets(dcat):
    assert dcat["@context"]["dcat"] == DCAT
    expanded = jsonld.expand(dcat)
    assert expanded[0]["@type"] == [DCAT + "Catalog"]
    datasets = expanded[0][DCAT + "dataset"]
    assert [d["@type"] for d in datasets] == [[DCAT + "Dataset"]] * 9   # the catalogue, 8 agencies' 年报
    quads = jsonld.to_rdf(dcat, {"format": "application/n-quads"})
    assert (f"<{SITE_URL}data/catalog.jsonld> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <{DCAT}Catalog> ."
            in quads)
    assert f"<{SITE_URL}data/catalog.jsonld> <{DCAT}dataset> <{SITE_URL}data/documents> ." in quads


def test_every_distribution_is_a_file_of_the_site(example_site, dcat):
    expanded = jsonld.expand(dcat)[0]
    urls = [dist[DCAT + "downloadURL"][0]["@id"] for ds in expanded[DCAT + "dataset"] for dist in ds[DCAT + "distribution"]]
    tables = ("fuyi-susong", "yishenqing", "zhudong-chuli", "zhudong-zhiding")
    agencies = ("sxmzj", "cnxtzcjj", "tjsghzyj", "kyszfbgs", "gxrmzfbgs", "xjz", "cgz")   # catalog/agencies.yml order
    assert urls == [SITE_URL + "data/documents.json", SITE_URL + "data/documents.csv",
                    *(SITE_URL + f"data/nb/2023/{n}.csv" for n in tables),
                    *(SITE_URL + f"data/nb/{a}/2025/{n}.csv" for a in agencies for n in tables)]
    for url in urls:
        assert (example_site.site / url.removeprefix(SITE_URL)).is_file(), url
    mandatory = ("http://purl.org/dc/terms/title", "http://purl.org/dc/terms/description")
    for node in [expanded, *expanded[DCAT + "dataset"]]:
        assert all(node[k][0]["@language"] == "zh" for k in mandatory)


# --- the 年报 tables ---------------------------------------------------------------------------
def test_annual_report_tables_are_csv_with_the_reports_numbers(example_site):
    applications = csv_rows(data(example_site.site, "nb/2023/yishenqing.csv"))
    assert applications[0] == ["项目", "自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"]
    assert ["一、本年新收政府信息公开申请数量", "12", "3", "0", "0", "1", "0", "16"] in applications
    assert ["（七）总计", "12", "3", "0", "0", "1", "0", "16"] in applications
    counted = csv_rows(data(example_site.site, "nb/2023/zhudong-zhiding.csv"))
    assert counted == [["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"], ["规章", "0", "0", "0"],
                       ["行政规范性文件", "1", "1", "2"]]
    active = csv_rows(data(example_site.site, "nb/2023/zhudong-chuli.csv"))
    assert ["第二十条第（八）项", "行政事业性收费", "本年收费金额（单位：万元）", "56.8"] in active
    review = csv_rows(data(example_site.site, "nb/2023/fuyi-susong.csv"))
    assert review[0][:5] == ["行政复议：结果维持", "行政复议：结果纠正", "行政复议：其他结果", "行政复议：尚未审结", "行政复议：总计"]
    assert review[1][:5] == ["1", "0", "0", "0", "1"]


def test_the_documentation_describes_every_field_of_the_schema():
    text = (ROOT / "docs/open-data.md").read_text(encoding="utf-8")
    for key in SCHEMA["$defs"]["document"]["properties"]:
        assert f"| `{key}` |" in text, key
    assert SCHEMA["$defs"]["document"]["required"] == HEADER


def test_records_made_once_for_all_scopes_are_each_scopes_own():
    """One Memo for the platform and an agency: each scope's records and CSV are what they are
    without it; a 解读 whose document is outside the agency's scope is dropped there, kept in the
    platform's (so the two scopes do not share that record)."""
    import datetime as dt
    from _furniture_helpers import corpus_of
    from zfxxgk.outputs import opendata
    cat, corpus = corpus_of(ROOT)
    published = corpus.published
    reader = next(d for d in published if d.meta.get("interprets") == "000000001/2023-00008")
    agency_docs = [d for d in published if d is reader or d.index_no != "000000001/2023-00008"][:12]
    assert reader in agency_docs and reader.meta["interprets"] not in {d.index_no for d in agency_docs}
    platform = opendata.Scope("示例县人民政府", SITE_URL)
    agency = opendata.Scope("示例县第一机构", SITE_URL, "zl/jg01/")
    today, memo = dt.date(2026, 6, 1), opendata.Memo(SITE_URL)
    with_memo = {name: opendata.files(docs, [], cat, scope, today, {}, "{}", memo)
                 for name, docs, scope in (("platform", published, platform), ("agency", agency_docs, agency))}
    assert with_memo["platform"] == opendata.files(published, [], cat, platform, today, {}, "{}")
    assert with_memo["agency"] == opendata.files(agency_docs, [], cat, agency, today, {}, "{}")
    platform_row, agency_row = (next(d for d in json.loads(out[path])["documents"] if d["index_no"] == reader.index_no)
                                for out, path in ((with_memo["platform"], "data/documents.json"),
                                                  (with_memo["agency"], "zl/jg01/data/documents.json")))
    assert platform_row["interprets"] == "000000001/2023-00008" and agency_row["interprets"] is None
