"""Build-time accessibility: images without alt text warn; Markdown tables scroll in their own box."""
from __future__ import annotations

import re

DOC = """---
标题: 关于无障碍测试的通知
索引号: 74829769-2-/2020-0799001
发布机构: 昌宁县投资促进局
主题分类: 综合政务/政务公开
公开目录: 法定主动公开内容/其他法定公开信息/工作计划
发布日期: 2020-07-20
成文日期: 2020-07-18
公开属性: 主动公开
有效性: 有效
---

正文第一段。

![](tu1.png)

![办公地点示意图](tu2.png)

| 序号 | 事项 | 责任单位 |
| --- | --- | --- |
| 1 | 一项很长很长的工作任务说明 | 县投资促进局 |
"""


def test_image_without_alt_text_is_a_warning_with_file_and_line(make_project):
    project = make_project()
    project.write("content/documents/2020/a11y.md", DOC)
    for name in ("tu1.png", "tu2.png"):
        (project.content / "documents" / "2020" / name).write_bytes(b"\x89PNG\r\n\x1a\n")
    result = project.build()
    assert result.ok, result.output
    warnings = [l for l in result.output.splitlines() if "替代文本" in l]
    assert len(warnings) == 1, result.output
    assert warnings[0].startswith("警告      -"), "reported through MkDocs, so --strict fails the build"
    assert "content/documents/2020/a11y.md:15" in warnings[0] and "tu1.png" in warnings[0]

    html = next(p for p in project.site.glob("wj/*/index.html")
                if "关于无障碍测试的通知" in p.read_text(encoding="utf-8")).read_text(encoding="utf-8")
    body = html[html.index('class="zf-doc__body"'):]
    wrapped = re.search(r'<div class="zf-table-wrap" role="region" tabindex="0" aria-label="[^"]+">\s*<table>', body)
    assert wrapped, "a Markdown table in a document is wrapped in its own scroll box"
    assert body.count("<table") == body.count('class="zf-table-wrap"')


def test_the_example_site_has_no_image_without_alt(example_site):
    assert "替代文本" not in example_site.output


def test_every_page_of_the_example_site_has_a_description(example_site):
    """Search engines show it under the link (Lighthouse SEO): the document's 内容概述, else
    the site and page names."""
    missing = []
    for page in example_site.site.rglob("*.html"):
        if "admin" in page.parts:
            continue
        found = re.findall(r'<meta name="description" content="([^"]*)">', page.read_text(encoding="utf-8"))
        if len(found) != 1 or len(found[0]) < 8:
            missing.append((str(page.relative_to(example_site.site)), found))
    assert not missing, missing[:10]
    home = (example_site.site / "index.html").read_text(encoding="utf-8")
    assert '<meta name="description" content="示例县人民政府政府信息公开：政府信息公开指南、' in home
