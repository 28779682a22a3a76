"""政策问答 (/fdzdgknr/zcjd/zcwd/): every question of every 问答-form 解读 on one page, grouped by
主题分类 and interpreted document, an anchor per question; withheld 解读 never gathered.
"""
from __future__ import annotations

import re

from _relations_helpers import GFXWJ, MZJ, doc, links, page_text

QA = "fdzdgknr/zcjd/zcwd"


def qa_page(site):
    return site / QA / "index.html"


def anchors(site) -> list[str]:
    return re.findall(r'<dt id="([^"]+)"', qa_page(site).read_text(encoding="utf-8"))


def test_the_example_questions_by_theme_then_document(example_site):
    text = page_text(qa_page(example_site.site))
    toc = "每个问题可单独链接。 劳动、人事、监察 / 社会保障 民政、扶贫、救灾 / 社会福利 "
    body = text[text.index(toc) + len(toc):]
    assert body.index("劳动、人事、监察 / 社会保障") < body.index("2023 年度个人缴费多少？") \
        < body.index("民政、扶贫、救灾 / 社会福利") < body.index("遇到急难情况，到哪里申请临时救助？")
    assert "共 5 个问题" in text
    assert "问多长时间能拿到救助？ # 答 急难型救助由乡镇人民政府在 24 小时内先行救助，事后补齐手续。" in text
    assert "本件为示例站点虚构的演示文件" not in text   # the closing note is not an answer


def test_every_question_has_a_stable_anchor_and_a_link_to_itself(example_site):
    assert anchors(example_site.site) == [
        "q-000000002-2022-00046-1", "q-000000002-2022-00046-2",
        "q-000000003-2023-00007-1", "q-000000003-2023-00007-2", "q-000000003-2023-00007-3"]
    hrefs = [h for h, _ in links(qa_page(example_site.site))]
    assert all(f"#{a}" in hrefs for a in anchors(example_site.site))


def test_each_group_links_the_policy_and_the_interpretation(example_site):
    hrefs = dict((t, h) for h, t in links(qa_page(example_site.site)))
    assert hrefs["示例县人民政府关于印发《示例县临时救助办法》的通知"] == "../../../wj/000000001-2023-00008/"
    assert hrefs["《示例县临时救助办法》问答"] == "../../../wj/000000003-2023-00007/"


def test_the_interpretation_column_links_the_page(example_site):
    assert ("../../fdzdgknr/zcjd/zcwd/", "政策问答") in links(example_site.site / "fdzdgknr/zcjd/index.html")


def test_heading_questions_multi_paragraph_answers_escaping_and_withheld(make_project):
    project = make_project(with_content=False)
    d = "content/documents/"
    project.write(d + "policy.md", doc("000000001/2024-00001", title="示例县某办法", column=GFXWJ))
    project.write(d + "qa.md", doc("000000003/2024-00001", "解读对象: 000000001/2024-00001", "解读形式: 问答",
                                   publisher=MZJ, column="政策解读", validity=None, title="某办法问答").replace(
        "正文。", "### 1. 问：谁可以申请<script>alert(1)</script>？\n\n答：户籍居民。\n\n也包括常住居民。\n\n"
                 "### 2. 问：在哪里办？\n\n答：乡镇政府。\n"))
    project.write(d + "secret.md", doc("000000003/2024-00002", "解读对象: 000000001/2024-00001", "解读形式: 问答",
                                       publisher=MZJ, column="政策解读", validity=None, attribute="不予公开",
                                       title="内部问答").replace("正文。", "**问：内部口径是什么？**\n\n答：不公开。\n"))
    project.write(d + "text.md", doc("000000003/2024-00003", "解读对象: 000000001/2024-00001", "解读形式: 文字解读",
                                     publisher=MZJ, column="政策解读", validity=None, title="文字解读").replace(
        "正文。", "**问：这不是问答形式吗？**\n\n答：不是。\n"))
    result = project.build()
    assert result.ok, result.output
    source = qa_page(result.site).read_text(encoding="utf-8")
    assert "<script>alert(1)" not in source and "谁可以申请&lt;script&gt;alert(1)&lt;/script&gt;？" in source
    text = page_text(qa_page(result.site))
    assert "问谁可以申请<script>alert(1)</script>？ # 答 户籍居民。 也包括常住居民。" in text
    assert "问在哪里办？ # 答 乡镇政府。" in text
    assert "内部口径" not in text and "这不是问答形式吗" not in text
    assert anchors(result.site) == ["q-000000003-2024-00001-1", "q-000000003-2024-00001-2"]


def test_no_questions_no_page(make_project):
    project = make_project(with_content=False)
    project.write("content/documents/policy.md", doc("000000001/2024-00001", column=GFXWJ))
    result = project.build()
    assert result.ok, result.output
    assert not qa_page(result.site).exists()


def test_the_page_follows_the_column_with_role_qa(make_project):
    """The page is filed under the column catalog/columns.yml marks ``role: qa``, never under a slug."""
    project = make_project()
    columns = project.root / "catalog" / "columns.yml"
    text = columns.read_text(encoding="utf-8")
    columns.write_text(text.replace("    - slug: zcjd\n", "    - slug: jiedu\n"), encoding="utf-8")   # renamed
    result = project.build()
    assert result.ok, result.output
    assert not qa_page(result.site).exists()
    moved = result.site / "fdzdgknr/jiedu/zcwd/index.html"
    assert re.findall(r'<dt id="([^"]+)"', moved.read_text(encoding="utf-8"))[:1] == ["q-000000002-2022-00046-1"]

    columns.write_text(re.sub(r"\n +role: qa .*", "", text), encoding="utf-8")   # no column has the role
    result = project.build()
    assert not result.ok
    assert "catalog/columns.yml（示例县人民政府）：须有且只有一个栏目标注 role: qa，发现 0 个" in result.output
    assert "Traceback" not in result.output
