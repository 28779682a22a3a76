"""The raw-HTML policy for editors: an allow-list applied to every page body."""
from __future__ import annotations

import json
import re
from urllib.parse import quote

import pytest

from zfxxgk.outputs.sanitize import sanitize


@pytest.mark.parametrize("hostile, kept, removed", [
    ('<script>alert(1)</script><p>正文</p>', "<p>正文</p>", "<script>"),
    ('<p onclick="alert(1)">正文</p>', "<p>正文</p>", "事件属性 onclick"),
    ('<img src=x onerror=alert(1)>', '<img src="x">', "事件属性 onerror"),
    ('<a href="javascript:alert(1)">链接</a>', "<a>链接</a>", "javascript: 链接"),
    ('<a href="jav&#x61;script:alert(1)">链接</a>', "<a>链接</a>", "javascript: 链接"),
    ('<a href="  JaVaScRiPt:alert(1)">链接</a>', "<a>链接</a>", "JaVaScRiPt: 链接"),
    ('<a href="java\nscript:alert(1)">链接</a>', "<a>链接</a>", "javascript: 链接"),
    ('<img src="data:image/svg+xml;base64,PHN2Zz4=">', "<img>", "data: 链接"),
    ('<iframe src="https://example.com"></iframe>后文', "后文", "<iframe>"),
    ('<style>body{display:none}</style>后文', "后文", "<style>"),
    ('<svg><script>alert(1)</script></svg>后文', "后文", "<svg>"),
    ('<p style="background:url(javascript:alert(1))">正文</p>', "<p>正文</p>", "style 属性"),
    ('<form action="x"><input name="a"></form>后文', "后文", "<form>"),
    ('<font color="red">正文</font>', "正文", "<font>"),
    ('<object data="x.swf"></object>后文', "后文", "<object>"),
])
def test_hostile_html_is_removed_and_reported(hostile, kept, removed):
    cleaned, notes = sanitize(hostile)
    assert cleaned == kept
    assert removed in notes


@pytest.mark.parametrize("allowed, canonical", [
    ('<table><thead><tr><th scope="col" colspan="2">工作任务</th></tr></thead>'
     '<tbody><tr><th scope="rowgroup" rowspan="21">公开</th><td>内容</td></tr></tbody></table>', None),
    ('<table><tr><td style="text-align: center;">居中</td></tr></table>',
     '<table><tbody><tr><td style="text-align:center">居中</td></tr></tbody></table>'),
    ('<p><a href="https://www.gov.cn/zhengce/">中国政府网</a> <a href="mailto:gk@example.gov.cn">邮件</a> '
     '<a href="tel:0635-5123456">电话</a> <a href="../wj/abc/#fj">相对链接</a></p>', None),
    ('<h2 id="yi">一、总体情况</h2><ul><li><strong>重点</strong>：<em>强调</em><sup>1</sup></li></ul>', None),
    ('<div class="admonition note" role="note" aria-label="注"><p class="admonition-title">注</p></div>', None),
    ('<img src="fujian/tu.png" alt="示意图" width="300">', None),
    ('<p>第一行<br />第二行</p><hr />', '<p>第一行<br>第二行</p><hr>'),
])
def test_allowed_html_keeps_every_element_and_attribute(allowed, canonical):
    """Allowed markup survives whole, in nh3's canonical serialization (void tags without a slash)."""
    assert sanitize(allowed) == (canonical or allowed, [])


@pytest.mark.parametrize("hostile, kept", [
    # No white space between tag name and attribute: browsers accept "/" as the separator.
    ('<img/src=x/onerror=alert(1)>', '<img src="x/onerror=alert(1)">'),
    ('<img/src="x"/onerror="alert(1)">', '<img src="x">'),
    ('<a/href="javascript:alert(1)">链接</a>', '<a>链接</a>'),
    ('<a/href=javascript:alert(1)>链接</a>', '<a>链接</a>'),
    ('<p/onclick=alert(1)>正文</p>', '<p>正文</p>'),
    ('<svg/onload=alert(1)></svg>后文', '后文'),
    ('<a href=&#106;avascript:alert(1)>链接</a>', '<a>链接</a>'),
    ('<a href="&#x6A;&#x61;vascript&colon;alert(1)">链接</a>', '<a>链接</a>'),
    ('<details open ontoggle=alert(1)>正文</details>', '正文'),
    ('<math><mi xlink:href="javascript:alert(1)">x</mi></math>后文', '后文'),
    # mXSS classic: the browser closes <noscript> inside the attribute; the handler is still removed.
    ('<noscript><p title="</noscript><img src=x onerror=alert(1)>">', '<img src="x">"&gt;'),
])
def test_browser_syntax_that_a_regex_would_misread_is_cleaned(hostile, kept):
    assert sanitize(hostile)[0] == kept


@pytest.mark.parametrize("markup, kept, removed", [
    # 音视频解读: local files only, always with controls (intake/attachments.py asks for the 文字稿).
    ('<video src="jd/a.mp4" poster="jd/a.png" width="640"><track kind="captions" src="jd/a.vtt" srclang="zh" '
     'label="中文字幕" default></video>',
     '<video src="jd/a.mp4" poster="jd/a.png" width="640" controls=""><track kind="captions" src="jd/a.vtt" '
     'srclang="zh" label="中文字幕" default=""></video>', None),
    ('<audio src="a.mp3"><source src="a.webm" type="audio/webm"></audio>',
     '<audio src="a.mp3" controls=""><source src="a.webm" type="audio/webm"></audio>', None),
    ('<video src="https://video.example.com/a.mp4"></video>', '<video controls=""></video>',
     "<video> 的外部地址 src（音视频只能播放本站文件）"),
    ('<VIDEO SRC="//cdn.example.com/a.mp4"></VIDEO>', '<video controls=""></video>',
     "<video> 的外部地址 src（音视频只能播放本站文件）"),
    ('<audio src="/zfxxgk/a.mp3"></audio>', '<audio controls=""></audio>', "<audio> 的外部地址 src（音视频只能播放本站文件）"),
    ('<video><source src="data:video/mp4;base64,AAAA"></video>', '<video controls=""><source></video>', "data: 链接"),
    ('<video><track src="https://evil.example/t.vtt"></video>', '<video controls=""><track></video>',
     "<track> 的外部地址 src（音视频只能播放本站文件）"),
    ('<video src="a.mp4" autoplay onplay="alert(1)"></video>', '<video src="a.mp4" controls=""></video>', "事件属性 onplay"),
])
def test_media_play_only_local_files_with_controls(markup, kept, removed):
    cleaned, notes = sanitize(markup)
    assert cleaned == kept
    assert (removed in notes) if removed else notes == []


def test_comments_are_removed_silently():
    assert sanitize("<!-- 内部备注：待领导审核 --><p>正文</p>") == ("<p>正文</p>", [])
    cleaned, _ = sanitize("<!--[if IE]><script>alert(1)</script><![endif]--><p>正文</p>")
    assert cleaned == "<p>正文</p>"


def test_text_is_re_escaped_after_the_full_parse():
    cleaned, _ = sanitize('<p onclick="x">a &lt;b&gt; &amp; c</p>')
    assert cleaned == "<p>a &lt;b&gt; &amp; c</p>"


def test_the_example_sites_raw_html_table_survives(example_site):
    page = (example_site.site / "wj" / "113715250044422281-2021-26757114" / "index.html").read_text(encoding="utf-8")
    assert 'rowspan="21"' in page and 'colspan="2"' in page and 'scope="rowgroup"' in page
    assert "已移除正文中不允许的 HTML" not in example_site.output


HOSTILE_FRONT = {
    "标题": '"<script>alert(1)</script>关于\\"><img src=x onerror=alert(2)>的通知"',
    "内容概述": "</title><script>alert(3)</script>概述",
    "主题词": '["\\"><img src=x onerror=alert(4)>", 政务公开]',
}
HOSTILE_BODY = ("[点我](javascript:alert(5)) <img src=x onerror=alert(6)>\n\n<script>alert(7)</script>\n\n"
                "段落\n{: onmouseover=\"alert(8)\" }\n\n<a href=\"jav&#x61;script:alert(9)\">链接</a>\n\n")


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory):
    from conftest import copy_project
    project = copy_project(tmp_path_factory.mktemp("hostile"))
    path = project.content / "documents" / "2021" / "guanxian-2021-9.md"
    text = path.read_text(encoding="utf-8")
    for key, value in HOSTILE_FRONT.items():
        text = re.sub(rf"^{key}: .*$", f"{key}: {value}", text, count=1, flags=re.M)
    text = text.replace("冠政办发〔2021〕9号\n\n各乡镇", "冠政办发〔2021〕9号\n\n" + HOSTILE_BODY + "各乡镇", 1)
    path.write_text(text, encoding="utf-8")
    result = project.build()
    assert result.ok, result.output
    return result


def test_hostile_body_html_is_reported_to_the_editor(hostile_site):
    assert "guanxian-2021-9.md: 已移除正文中不允许的 HTML" in hostile_site.output
    for what in ("javascript: 链接", "事件属性 onerror", "<script>", "事件属性 onmouseover"):
        assert what in hostile_site.output


def test_no_output_file_carries_executable_markup(hostile_site):
    """No <script> with alert, no on* handler, no javascript: URL in any HTML/XML/JSON output."""
    from html.parser import HTMLParser

    class Finder(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.bad: list[str] = []
            self.script = False

        def handle_starttag(self, tag, attrs):
            self.script = tag == "script"
            for name, value in attrs:
                value = (value or "").strip().lower()
                if name.startswith("on") or (name in ("href", "src") and value.startswith("javascript:")):
                    self.bad.append(f"<{tag} {name}={value}>")

        def handle_data(self, data):
            if self.script and "alert(" in data:
                self.bad.append("<script>" + data[:40])

    for path in hostile_site.site.rglob("*"):
        if path.suffix in (".html", ".xml"):
            finder = Finder()
            finder.feed(path.read_text(encoding="utf-8"))
            assert finder.bad == [], path
        elif path.suffix == ".json":   # data, not markup: valid JSON; the browser test shows it is rendered as text
            json.loads(path.read_text(encoding="utf-8"))


def test_no_script_runs_in_chromium(hostile_site, serve, browser):
    base = serve(hostile_site.site)
    context = browser.new_context(viewport={"width": 360, "height": 800}, locale="zh-CN")
    page = context.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    for url in ("wj/113715250044422281-2021-26757114/", "fdzdgknr/fgwj/qtwj/", "", "bq/zwgk/",
                "search/?q=" + quote("冠政办发〔2021〕9号")):
        page.goto(base + url)
        page.wait_for_load_state("networkidle")
        page.mouse.move(180, 400)
    page.goto(base + "search/?q=" + quote("冠政办发〔2021〕9号"))
    page.wait_for_selector(".zf-hit__title a")
    hit = page.locator(".zf-hit__title a").first.inner_text()
    page.goto(base + "wj/113715250044422281-2021-26757114/")
    title, heading = page.title(), page.locator("h1").first.inner_text()
    context.close()
    assert dialogs == []
    for shown in (title, heading, hit):   # the hostile title is shown as text, not run
        assert "<script>alert(1)</script>" in shown
