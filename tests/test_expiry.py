"""Validity in view: 公开属性, 有效期至 and 统一编号 on document pages and 规范性文件 listings,
and the compliance report's warning for a 规范性文件 whose 有效期 ends within 90 days.

The example site's 示政规〔2023〕1号 (SXGF-2023-0001) is in force until 2028-02-29:
2027-12-01 is 90 days before, 2027-11-30 is 91 days before.
"""
from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest

from _relations_helpers import page_text
from conftest import ROOT
from test_site import metadata_table, read

IN_FORCE = "wj/000000001-2023-00008"                # 有效期至 2028-02-29, 统一编号 SXGF-2023-0001
PASSED = "wj/000000002-2022-00045"                  # 有效期至 2023-12-31, 统一编号 SXGF-2022-0011


def set_build_date(project, day: str) -> None:
    path = project.root / "catalog/site.yml"
    text = re.sub(r"(?m)^build_date: .*\n", "", path.read_text(encoding="utf-8"))
    path.write_text(text + f"\nbuild_date: {day}\n", encoding="utf-8")


def build_at(make_project, day: str, project=None):
    project = project or make_project()
    set_build_date(project, day)
    result = project.build("--strict")
    assert result.ok, result.output
    return project, result


def expiry_lines(project) -> list[str]:
    report = (project.root / "reports/compliance.txt").read_text(encoding="utf-8")
    return [line for line in report.splitlines() if "[有效期将届满]" in line]


# --- the metadata table -------------------------------------------------------------
def test_the_table_shows_attribute_valid_until_and_unified_number(example_site):
    table = metadata_table(read(example_site.site, IN_FORCE))
    assert table["公开属性"] == "主动公开"
    assert table["有效期至"] == "2028-02-29"
    assert table["统一编号"] == "SXGF-2023-0001"
    assert table["有效性"] == "有效"


def test_valid_until_shows_before_and_after_it_passes(example_site):
    assert metadata_table(read(example_site.site, PASSED))["有效期至"] == "2023-12-31"


def test_a_redacted_document_says_so_in_the_table(example_site):
    table = metadata_table(read(example_site.site, "wj/113715250044422281-2021-26757236"))
    assert table["公开属性"] == "删减后公开"


def test_unset_optional_rows_are_left_out_and_the_layout_stays_two_pairs_a_line(example_site):
    page = read(example_site.site, "wj/113715250044422281-2021-26757114")   # no 有效期至, no 统一编号
    assert "有效期至" not in metadata_table(page) and "统一编号" not in metadata_table(page)
    table = re.search(r'<table class="zf-meta">(.*?)</table>', page, re.S)[1]
    lines = [re.findall(r"<th[^>]*>(.*?)</th>", tr) for tr in re.findall(r"<tr>(.*?)</tr>", table, re.S)]
    assert lines == [["索引号", "主题分类"], ["发布机构", "成文日期"], ["标题"], ["文号", "发布日期"],
                     ["主题词", "有效性"], ["公开属性"]]
    assert '<th scope="row">标题</th><td colspan="3">' in table


# --- listings ------------------------------------------------------------------------
def test_normative_listings_have_a_unified_number_column(example_site):
    for url in ("fdzdgknr/fgwj/gfxwj", "fdzdgknr/fgwj/gfxwj/xxyx", "fdzdgknr/fgwj/gfxwj/fzhsx"):
        page = read(example_site.site, url)
        assert '<th scope="col" class="zf-list__unified">统一编号</th>' in page, url
    assert '<td class="zf-list__unified" data-label="统一编号">SXGF-2023-0001</td>' in read(example_site.site, "fdzdgknr/fgwj/gfxwj/xxyx")
    assert '<td class="zf-list__unified" data-label="统一编号">SXGF-2022-0011</td>' in read(example_site.site, "fdzdgknr/fgwj/gfxwj/fzhsx")


def test_other_listings_have_no_unified_number_column(example_site):
    for url in ("fdzdgknr/fgwj", "fdzdgknr/fgwj/gz", "nian/2023", ""):
        assert "统一编号</th>" not in read(example_site.site, url), url


# --- the 90-day warning, on both sides of the boundary -----------------------------------
def test_90_days_before_valid_until_the_report_warns(make_project):
    project, result = build_at(make_project, "2027-12-01")
    assert expiry_lines(project) == [
        "content/documents/2023/shixian-2023-00008.md:16\t[有效期将届满]\t行政规范性文件有效期至 2028-02-29，"
        "距构建日期 2027-12-01 还有 90 天（提前 90 天提示）；请评估：需继续施行的应修订或重新制发，否则到期后自动显示为失效"]
    assert "有效期与网站检查提示：" in result.output and "有效期将届满 1 项" in result.output
    assert metadata_table(read(result.site, IN_FORCE))["有效性"] == "有效"


def test_91_days_before_valid_until_there_is_no_warning(make_project):
    project, _ = build_at(make_project, "2027-11-30")
    assert expiry_lines(project) == []


def test_on_the_last_day_it_warns_and_the_day_after_it_is_void_not_expiring(make_project):
    project, result = build_at(make_project, "2028-02-29")
    assert "还有 0 天" in expiry_lines(project)[0]
    assert "本文件已失效" not in page_text(result.site / IN_FORCE / "index.html")
    project, result = build_at(make_project, "2028-03-01", project)
    assert expiry_lines(project) == []
    assert "本文件已失效（有效期至 2028-02-29）" in page_text(result.site / IN_FORCE / "index.html")


def test_the_warning_period_is_configured_in_the_catalogue(make_project):
    project = make_project()
    path = project.root / "catalog/site.yml"
    path.write_text(path.read_text(encoding="utf-8").replace("expiry_warning_days: 90", "expiry_warning_days: 91"),
                    encoding="utf-8")
    build_at(make_project, "2027-11-30", project)
    assert len(expiry_lines(project)) == 1 and "提前 91 天提示" in expiry_lines(project)[0]


@pytest.mark.parametrize("day, expected", [("2027-12-01", 1), ("2027-11-30", 0)])
def test_the_report_command_agrees_with_the_build(make_project, day, expected):
    project = make_project()
    set_build_date(project, day)
    env = dict(os.environ, PYTHONPATH=str(ROOT / "hooks"))
    out = subprocess.run([sys.executable, "-m", "zfxxgk", "report"], cwd=project.root, env=env,
                         capture_output=True, text=True).stdout
    assert out.count("[有效期将届满]") == expected
