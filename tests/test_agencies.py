"""One platform, many agencies: every 部门 and 乡镇 has its own 专栏 (catalog/agencies.yml).

The expectations below are written from the example content by hand: which documents each
agency issued (their 发布机构 and 联合发文机关), newest first, by 索引号.
"""
from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT

# Each agency's 专栏 URL and its published documents, newest first (equal dates by 索引号).
AGENCY_DOCS = {
    "": ["000000001-2023-00008", "000000002-2022-00045", "000000002-2022-00046", "000000001-2021-00031",
         "000000001-2019-00012"],                                        # 县政府 and its 办公室
    "zl/sxmzj/": ["000000004-2025-00003", "000000003-2023-00009", "000000003-2023-00006", "000000003-2023-00007",
                  "000000003-2022-00041", "000000003-2021-00017", "000000003-2019-00004"],   # 民政局 (one joint)
    "zl/cgz/": ["000000004-2025-00003"],                                 # 城关镇, lead issuer of the joint one
    "zl/xjz/": ["qe5320000-2023-01"],
    "zl/cnxtzcjj/": ["74829769-2-2020-0713001"],
    "zl/tjsghzyj/": ["11120000mb1950318t-2020-00253"],
    "zl/kyszfbgs/": ["000014348-2017-06603"],
    "zl/gxrmzfbgs/": ["113715250044422281-2021-26757236", "113715250044422281-2021-26757114"],
}
# The two withheld documents of 冠县人民政府办公室 (依申请公开, 不予公开).
WITHHELD_TITLES = ("关于同意县行政审批服务局延长政府信息公开查阅点开放时间的复函", "关于申请追加政务公开体验区运营经费的请示")


def doc_links(html: str) -> list[str]:
    """The documents a page lists, in order (each link once)."""
    return list(dict.fromkeys(re.findall(r'href="(?:[^"]*/)?wj/([^/"]+)/"', html)))


def page(site: Path, url: str) -> str:
    return (site / url / "index.html").read_text(encoding="utf-8")


def test_the_platform_has_a_zhuanlan_per_agency_with_the_four_fixed_columns(example_site):
    for url in AGENCY_DOCS:
        for column in ("zfxxgkzn", "zfxxgkzd", "fdzdgknr", "zfxxgknb"):
            assert (example_site.site / url / column / "index.html").is_file(), url + column


def test_each_agencys_active_disclosure_lists_exactly_its_documents_newest_first(example_site):
    for url, expected in AGENCY_DOCS.items():
        listed = doc_links(page(example_site.site, url + "fdzdgknr"))
        assert [d.lower() for d in listed] == [d.lower() for d in expected], url


def test_no_document_appears_in_another_agencys_zhuanlan(example_site):
    for url, expected in AGENCY_DOCS.items():
        if not url:
            continue
        own = {d.lower() for d in expected}
        for html in (example_site.site / url).rglob("index.html"):
            listed = {d.lower() for d in doc_links(html.read_text(encoding="utf-8"))}
            assert listed <= own, (html, listed - own)


def test_a_jointly_issued_document_is_in_each_issuers_zhuanlan_and_once_in_platform_lists(example_site):
    site = example_site.site
    joint = "000000004-2025-00003"
    assert joint in doc_links(page(site, "zl/cgz/fdzdgknr/qtfdxx/gzjh"))
    assert joint in doc_links(page(site, "zl/sxmzj/fdzdgknr/qtfdxx/gzjh"))
    year = page(site, "nian/2025")
    assert year.count(f'wj/{joint}/"') == 1
    document = page(site, f"wj/{joint}")
    assert "城关镇" in document and "当前位置" in document


def test_an_agency_that_removed_a_column_has_no_page_for_it(example_site):
    assert not (example_site.site / "zl/xjz/fdzdgknr/fgwj/gz").exists()       # a 乡镇 has no 规章
    assert (example_site.site / "zl/xjz/fdzdgknr/fgwj/gfxwj/index.html").is_file()
    assert (example_site.site / "zl/sxmzj/fdzdgknr/shjz/index.html").is_file()   # 民政局 added 社会救助
    assert not (example_site.site / "fdzdgknr/shjz").exists()


def test_each_agencys_guide_prints_its_own_contact(example_site):
    guide = page(example_site.site, "zl/sxmzj/zfxxgkzn")
    assert "示例县民政局办公室" in guide and "0000-0000001" in guide and "示例县人民路8号" in guide
    assert "0000-0000002" not in guide                                     # 城关镇's phone
    town = page(example_site.site, "zl/cgz/zfxxgkzn")
    assert "城关镇党政综合办公室" in town and "0000-0000002" in town
    assert "适用于示例县城关镇人民政府的政府信息公开工作" in town


def test_agency_home_names_the_agency_in_heading_crumbs_and_column_bar(example_site):
    home = page(example_site.site, "zl/sxmzj")
    assert "<h1>示例县民政局 政府信息公开</h1>" in home
    assert re.search(r'zf-crumbs.*?政府信息公开</a>.*?县民政局</a>', home, re.S)
    assert 'aria-current="page">县民政局专栏</a>' in home
    assert "search/?agency=sxmzj" in home
    assert "示例县民政局2025年政府信息公开工作年度报告" in home


def test_each_agency_has_its_own_annual_report_page(example_site):
    for slug, name in (("sxmzj", "示例县民政局"), ("xjz", "上海市青浦区徐泾镇人民政府"), ("cgz", "示例县城关镇人民政府")):
        report = page(example_site.site, f"zl/{slug}/zfxxgknb/2025")
        assert f"{name}2025年政府信息公开工作年度报告" in report
        listing = page(example_site.site, f"zl/{slug}/zfxxgknb")
        assert f"zl/{slug}/zfxxgknb/2025/" in listing
    assert (example_site.site / "zfxxgknb/2023/index.html").is_file()    # the 县政府's, at its old URL


def test_platform_home_has_the_directory_of_agencies_by_kind_with_counts(example_site):
    home = page(example_site.site, "")
    directory = home[home.index('id="zf-directory-h"'):]
    kinds = re.findall(r"<h3[^>]*>([^<]+)</h3>", directory)
    assert kinds[:3] == ["本级政府", "政府部门", "乡镇（街道）"]
    assert re.search(r'zl/sxmzj/">示例县民政局</a>\s*<span class="zf-count">7 篇</span>', directory)
    assert re.search(r'zl/cgz/">示例县城关镇人民政府</a>\s*<span class="zf-count">1 篇</span>', directory)
    assert "最近更新 <time datetime=\"2025-03-12\">" in directory
    everyone = page(example_site.site, "zl")
    assert everyone.count('<a href="') >= 8 and "示例县城关镇人民政府" in everyone


def test_per_agency_feeds(example_site):
    feed = (example_site.site / "zl/sxmzj/feed.xml").read_text(encoding="utf-8")
    assert "<title>示例县民政局 政府信息公开</title>" in feed
    assert feed.count("<entry>") == 7


def test_withheld_documents_of_an_agency_leave_no_trace_in_any_zhuanlan(example_site):
    for html in (example_site.site / "zl").rglob("*.html"):
        text = html.read_text(encoding="utf-8")
        for title in WITHHELD_TITLES:
            assert title not in text, html
    county = page(example_site.site, "zl/gxrmzfbgs/fdzdgknr")
    assert len(doc_links(county)) == 2                                     # of its four documents, two are withheld


# --- compliance: the 年报 deadline by agency kind, every missing year ----------------------------
def report_json(project, day: str) -> dict:
    settings = project.root / "catalog" / "site.yml"
    text = re.sub(r"(?m)^build_date: .*\n", "", settings.read_text(encoding="utf-8"))
    settings.write_text(text + f"\nbuild_date: {day}\n", encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "zfxxgk", "report", "--format", "json"], cwd=project.root,
                          capture_output=True, text=True, env={"PYTHONPATH": str(ROOT / "hooks"), "PATH": "/usr/bin:/bin"})
    return json.loads(proc.stdout)


def missing(report: dict) -> list[str]:
    return [f["message"] for f in report["findings"] if "缺少" in f["message"]]


def test_a_departments_report_is_missing_after_31_january_and_a_townships_after_31_march(make_project):
    project = make_project()
    (project.content / "zl/sxmzj/zfxxgknb/2025.yml").unlink()
    (project.content / "zl/cgz/zfxxgknb/2025.yml").unlink()
    on_the_day = missing(report_json(project, "2026-01-31"))
    assert not any("示例县民政局 缺少 2025" in m for m in on_the_day)     # due on 1月31日: not yet late
    february = missing(report_json(project, "2026-02-01"))
    assert "示例县民政局 缺少 2025 年度报告（期限 2026-01-31；该机构自 2019 年起有公开文件）" in february
    assert not any("示例县城关镇人民政府 缺少 2025" in m for m in february)   # a 乡镇: 3月31日
    april = missing(report_json(project, "2026-04-01"))
    assert "示例县城关镇人民政府 缺少 2025 年度报告（期限 2026-03-31；该机构自 2025 年起有公开文件）" in april


def test_every_missing_year_from_the_agencys_first_document_is_reported(make_project):
    found = missing(report_json(make_project(), "2026-06-01"))
    xujing = sorted(m for m in found if m.startswith("上海市青浦区徐泾镇人民政府"))
    assert xujing == ["上海市青浦区徐泾镇人民政府 缺少 2023 年度报告（期限 2024-03-31；该机构自 2023 年起有公开文件）",
                      "上海市青浦区徐泾镇人民政府 缺少 2024 年度报告（期限 2025-03-31；该机构自 2023 年起有公开文件）"]
    assert not any(m.startswith("示例县民政局 缺少 2025") for m in found)   # it has content/zl/sxmzj/zfxxgknb/2025.yml


# --- catalogue errors: Chinese, naming the entry, the build stops ------------------------------
AGENCIES = "catalog/agencies.yml"


def build_with_agencies(make_project, edit) -> str:
    project = make_project()
    path = project.root / AGENCIES
    path.write_text(edit(path.read_text(encoding="utf-8")), encoding="utf-8")
    result = project.build("--strict")
    assert not result.ok and "Traceback" not in result.output
    return result.output


@pytest.mark.parametrize("edit, message", [
    (lambda t: t.replace("kind: 政府部门\n  publishers: [示例县民政局]", "kind: 部门\n  publishers: [示例县民政局]"),
     "catalog/agencies.yml「示例县民政局」：kind（机构类型）“部门”无效；允许：本级政府、政府部门、乡镇（街道）、其他"),
    (lambda t: t.replace("publishers: [昌宁县投资促进局]", "publishers: [昌宁县投资促进局, 示例县民政局]"),
     "发布机构“示例县民政局”同时列在「示例县民政局」和「昌宁县投资促进局」下"),
    (lambda t: t.replace("publishers: [示例县城关镇人民政府]", "publishers: [示例县城关镇人民政府x]"),
     "catalog/agencies.yml「示例县城关镇人民政府」：发布机构“示例县城关镇人民政府x”不在 catalog/publishers.yml 中"),
    (lambda t: t.replace("publishers: [示例县人民政府, 示例县人民政府办公室]", "publishers: [示例县人民政府]"),
     "catalog/agencies.yml：发布机构 示例县人民政府办公室 未归属任何机构"),
    (lambda t: t.replace("kind: 乡镇（街道）\n  publishers: [示例县城关镇人民政府]", "kind: 本级政府\n  publishers: [示例县城关镇人民政府]"),
     "须有且只有一个 kind: 本级政府 的机构（其专栏即平台首页），发现 2 个：示例县人民政府、示例县城关镇人民政府"),
    (lambda t: t.replace("remove: [fdzdgknr/fgwj/gz]            # a county department", "remove: [fdzdgknr]  #"),
     "不能去掉一级栏目“fdzdgknr”"),
    (lambda t: t.replace("slug: cgz", "slug: sxmzj"), "slug“sxmzj”重复（「示例县民政局」与「示例县城关镇人民政府」）"),
])
def test_a_wrong_agency_entry_stops_the_build_with_a_chinese_message(make_project, edit, message):
    assert message in build_with_agencies(make_project, edit)


def test_a_document_filed_in_a_column_its_agency_removed_is_refused(make_project):
    project = make_project()
    doc = project.content / "documents/2023/xujing-2023-32.md"
    text = doc.read_text(encoding="utf-8").replace("公开目录: 法定主动公开内容/其他法定公开信息/工作计划",
                                                   "公开目录: 法定主动公开内容/法规文件/规章")
    doc.write_text(text, encoding="utf-8")
    result = project.build("--strict")
    assert not result.ok
    line = next(i for i, l in enumerate(text.splitlines(), 1) if l.startswith("公开目录"))
    assert (f"content/documents/2023/xujing-2023-32.md:{line}: [column] 「公开目录」栏目 “法定主动公开内容/法规文件/规章” "
            f"不在「上海市青浦区徐泾镇人民政府」的栏目中") in result.output


# --- migration and scaffolding ---------------------------------------------------------------
def test_a_site_without_agencies_yml_is_one_agency_with_its_old_urls(make_project):
    project = make_project()
    (project.root / AGENCIES).unlink()
    shutil.rmtree(project.content / "zl")      # the agencies' own pages go with them
    result = project.build("--strict")
    assert result.ok, result.output
    assert not (result.site / "zl").exists()
    everything = doc_links(page(result.site, "fdzdgknr"))
    assert len(everything) == 18      # every published document, whoever issued it
    assert "机构专栏" not in page(result.site, "")


def test_new_agency_adds_a_zhuanlan_that_builds(make_project):
    project = make_project()
    proc = subprocess.run([sys.executable, "-m", "zfxxgk", "new-agency", "--name", "示例县教育局", "--slug", "sxjyj",
                           "--kind", "政府部门", "--short", "县教育局", "--index-prefix", "000000009"],
                          cwd=project.root, capture_output=True, text=True,
                          env={"PYTHONPATH": str(ROOT / "hooks"), "PATH": "/usr/bin:/bin"})
    assert proc.returncode == 0, proc.stderr
    assert "已写入 content/zl/sxjyj/zfxxgkzn/index.md" in proc.stdout
    result = project.build("--strict")
    assert result.ok, result.output
    assert "<h1>示例县教育局 政府信息公开</h1>" in page(result.site, "zl/sxjyj")
    assert "示例县教育局" in page(result.site, "zl")


def test_each_agency_publishes_its_own_open_data(example_site):
    data = json.loads((example_site.site / "zl/sxmzj/data/documents.json").read_text(encoding="utf-8"))
    assert data["agency"] == "示例县民政局" and data["count"] == 7
    assert {d["index_no"] for d in data["documents"]} >= {"000000004/2025-00003", "000000003/2019-00004"}
    county = json.loads((example_site.site / "zl/gxrmzfbgs/data/documents.json").read_text(encoding="utf-8"))
    assert sorted(d["index_no"] for d in county["documents"]) == ["113715250044422281/2021-26757114",
                                                                   "113715250044422281/2021-26757236"]
    tables = sorted(p.name for p in (example_site.site / "zl/sxmzj/data/nb/2025").iterdir())
    assert tables == ["fuyi-susong.csv", "yishenqing.csv", "zhudong-chuli.csv", "zhudong-zhiding.csv"]
    assert (example_site.site / "data/nb/sxmzj/2025/yishenqing.csv").is_file()   # and in the platform's data
    catalog = json.loads((example_site.site / "zl/sxmzj/data/catalog.jsonld").read_text(encoding="utf-8"))
    assert catalog["dct:publisher"]["foaf:name"]["@value"] == "示例县民政局"
    landing = [d["dcat:landingPage"]["@id"] for d in catalog["dcat:dataset"]]
    assert any(url.endswith("zl/sxmzj/zfxxgknb/2025/") for url in landing)
    platform = json.loads((example_site.site / "data/documents.json").read_text(encoding="utf-8"))
    assert platform["count"] == 18


def test_a_township_keeps_its_own_decision_catalogue(example_site):
    catalogue = page(example_site.site, "zl/cgz/fdzdgknr/zdxzjc/2025")
    assert "2025年度重大行政决策事项目录" in catalogue and "城关镇老旧小区改造三年行动方案" in catalogue
    assert "zl/cgz/fdzdgknr/zdxzjc/2025/" in page(example_site.site, "zl/cgz/fdzdgknr/zdxzjc")
    assert "城关镇老旧小区改造" not in page(example_site.site, "fdzdgknr/zdxzjc/2023")   # not in the 县政府's


def test_the_compliance_report_counts_each_agencys_findings(make_project):
    project = make_project()
    report_json(project, "2026-06-01")          # fixes the build date
    proc = subprocess.run([sys.executable, "-m", "zfxxgk", "report"], cwd=project.root, capture_output=True, text=True,
                          env={"PYTHONPATH": str(ROOT / "hooks"), "PATH": "/usr/bin:/bin"})
    lines = [l for l in proc.stdout.splitlines() if l.startswith("# 机构 ")]
    assert len(lines) == 8 and lines[0].startswith("# 机构 示例县人民政府：")
    assert "# 机构 上海市青浦区徐泾镇人民政府：发现 2 项" in "\n".join(lines)   # its 2023 and 2024 年报
    assert any(l.startswith("# 机构 示例县城关镇人民政府：发现 0 项") for l in lines)
