"""The publication gate: nothing the gate has not approved reaches the output, in any form.

One hostile build carries every trick that must build and leak nothing
(withheld documents filed anywhere, their files referenced in every link form,
markup in catalogues and headings, false-positive traps); the tricks that must
fail the build are built one by one. Expectations are written by hand.
"""
from __future__ import annotations

import gzip
import html
import os
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote

import pytest
from hypothesis import given, settings, strategies as st

from _attachment_helpers import make_docx
from conftest import copy_project

PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000"
                    "1f15c4890000000d49444154789c6360f8cfc0f01f0005000201e2d1b6e50000000049454e44ae426082")
PAYLOAD = "window.__pwned=1"


def front(title: str, index_no: str, attribute: str = "主动公开", publisher: str = "示例县人民政府",
          extra: str = "", attribute_key: str = "公开属性") -> str:
    return (f"---\n标题: {title}\n索引号: {index_no}\n发布机构: {publisher}\n主题分类: 综合政务/政务公开\n"
            f"公开目录: 法定主动公开内容/法规文件/其他文件\n发布日期: 2023-03-01\n{attribute_key}: {attribute}\n{extra}---\n")


# Withheld documents of the hostile build: (path under content/, title, 索引号, a sentence of its body).
WITHHELD = [
    ("fdzdgknr/ysq-in-column.md", "示例县关于在栏目目录中误放的依申请公开复函", "000000001/2023-00901",
     "本复函误放在法定主动公开内容栏目的文件夹中但仍然不得以任何形式发布。"),
    ("Documents/2023/case-folder.md", "示例县关于大小写不同文件夹中的不予公开请示", "000000001/2023-00902",
     "这份请示放在名称只差大小写的文件夹里面同样不得以任何形式发布出去。"),
    ("zfxxgkzd/index.md", "示例县关于栏目首页位置的不予公开内部报告", "000000001/2023-00903",
     "这份内部报告占用了栏目首页的位置但它是不予公开的文件必须被拦截。"),
    ("documents/2023/files-secret.md", "示例县关于附件和图片只供不发布文件使用的请示", "000000001/2023-00904",
     "这份请示引用的图片和附件都只属于不发布文件因此一个字节也不得复制。"),
    ("documents/2023/xujing-prefix.md", "徐泾镇关于索引号前缀相同的不予公开请示", "QE5320000-2023-12",
     "徐泾镇这份不予公开请示的索引号恰好是另一份公开文件索引号的前缀。"),
]
SECRET_FILES = ["documents/2023/fj/secret ref.png", "documents/2023/fj/secret%pct.png", "documents/2023/fj/secret-raw.png",
                "documents/2023/fj/secret-angle one.png", "documents/2023/fj/secret-att.pdf"]
WITHHELD_FILES_BODY = """
![引用式][r]　![百分号](fj/secret%25pct.png)　<img src=fj/secret-raw.png alt=x>　![尖括号](<fj/secret-angle one.png>)

[r]: fj/secret%20ref.png
"""
# The published document uses its own files in the same four forms: all must be copied and work.
PUBLIC_FILES = ["documents/2023/pub/ref img.png", "documents/2023/pub/pct img.png", "documents/2023/pub/raw.png",
                "documents/2023/pub/angle img.png"]
PUBLIC_BODY = """
公开文件的正文。

![引用式][p]　![百分号](pub/pct%20img.png)　<img src=pub/raw.png alt=原始>　![尖括号](<pub/angle img.png>)

[p]: pub/ref%20img.png

<img/src="x"/onerror="window.__pwned=1"> <a/href=javascript:window.__pwned=1>点</a> <p/onclick=window.__pwned=1>段</p>
<!-- 内部备注：此处数据待核实，不得公开 -->

<div/onmouseover="window.__pwned=1">悬停</div>

<p>行内 <img src=x onerror="window.__pwned=1"> <a href="jav&#x61;script:window.__pwned=1">链接</a></p>
"""
MARKUP = '<img src=x onerror="window.__pwned=1">'


def _hostile_project(root: Path):
    project = copy_project(root)
    for src, title, index_no, sentence in WITHHELD:
        publisher = "上海市青浦区徐泾镇人民政府" if index_no.startswith("QE") else "示例县人民政府"
        attribute = "依申请公开" if "ysq" in src else "不予公开"
        body = f"\n{sentence}\n" + (WITHHELD_FILES_BODY if "files-secret" in src else "")
        extra = "附件: [fj/secret-att.pdf, fj2/blank-form.docx]\n" if "files-secret" in src else ""
        project.write(f"content/{src}", front(title, index_no, attribute, publisher, extra) + body)
    for src in SECRET_FILES:
        (project.content / src).parent.mkdir(parents=True, exist_ok=True)
        (project.content / src).write_bytes(PNG + src.encode())
    for src in PUBLIC_FILES:
        (project.content / src).parent.mkdir(parents=True, exist_ok=True)
        (project.content / src).write_bytes(PNG + src.encode() + b"public")
    (project.content / "documents/2023/fj2").mkdir(parents=True)
    form = make_docx(project.content / "documents/2023/fj2/blank-form.docx", ["政府信息公开申请表", "申请人姓名：", "联系电话："])
    (project.content / "documents/2023/pubfj").mkdir(parents=True)
    (project.content / "documents/2023/pubfj/blank-form.docx").write_bytes(form.read_bytes())   # the same bytes
    project.write("content/documents/2023/public-files.md",
                  front("示例县关于公开文件使用各种链接写法的通知", "000000001/2023-00905",
                        extra="附件: [pubfj/blank-form.docx]\n") + PUBLIC_BODY)
    project.write("content/documents/2023/xujing-public.md",
                  front("徐泾镇关于索引号较长的公开通知", "QE5320000-2023-123", publisher="上海市青浦区徐泾镇人民政府")
                  + "\n公开通知正文。\n")
    project.write("content/zfxxgkzn/contact.md", "# 联系方式 &lt;/title&gt;&lt;img src=x onerror=window.__pwned=1&gt;\n\n电话\n")
    project.write("content/zfxxgkzn/hours.md", "---\ntitle: '办公时间</title><img src=x onerror=window.__pwned=1>'\n---\n\n周一至周五\n")
    for name, old, new in (("columns.yml", "title: 政府信息公开制度", f"title: '政府信息公开制度{MARKUP}'"),
                           ("tags.yml", "{name: 政务公开, slug: zwgk}", f"{{name: '政务公开{MARKUP}', slug: zwgk}}"),
                           ("site.yml", "agency: 示例县人民政府", f"agency: '示例县人民政府{MARKUP}'"),
                           ("site.yml", "pages: []", "pages: [zfxxgkzn/contact.md, zfxxgkzn/hours.md]")):
        path = project.root / "catalog" / name
        text = path.read_text(encoding="utf-8")
        assert old in text, (name, old)
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
    for path in project.content.rglob("*.md"):   # documents tagged 政务公开 keep their tag
        text = path.read_text(encoding="utf-8")
        if "政务公开]" in text or "政务公开," in text:
            path.write_text(re.sub(r"(标签|tags): \[([^\]]*)\]", lambda m: m[0].replace("政务公开", f"'政务公开{MARKUP}'"),
                                   text), encoding="utf-8")
    return project


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    project = _hostile_project(tmp_path_factory.mktemp("gate"))
    result = project.build()
    assert result.ok, result.output
    return result


def _output_texts(site: Path):
    """Every output file's text in the forms a reader could find a trace in."""
    for path in site.rglob("*"):
        if not path.is_file():
            continue
        data = path.read_bytes()
        if path.suffix == ".gz":
            data = gzip.decompress(data)
        text = data.decode("utf-8", errors="ignore")
        yield path, text
        yield path, html.unescape(text)
        yield path, unquote(text)


def test_withheld_documents_leave_no_trace_anywhere(hostile):
    needles = []
    for src, title, index_no, sentence in WITHHELD:
        needles += [title, index_no, sentence[:20], Path(src).name]
    needles.append(re.sub(r"[^0-9a-z]+", "-", "000000001/2023-00901".lower()))
    needles += [Path(f).name for f in SECRET_FILES]
    # Whole words: the published QE5320000-2023-123 legitimately contains the withheld QE5320000-2023-12.
    patterns = [re.compile(r"(?<![0-9A-Za-z-])" + re.escape(n) + r"(?![0-9A-Za-z-])") for n in needles]
    for path, text in _output_texts(hostile.site):
        for pattern in patterns:
            assert not pattern.search(text), (pattern.pattern, path)
    names = {p.name for p in hostile.site.rglob("*")}
    assert not names & {Path(f).name for f in SECRET_FILES + [w[0] for w in WITHHELD]}


def test_the_index_number_prefix_of_a_published_one_is_no_false_alarm(hostile):
    assert "泄露审计：" in hostile.output and "未发现痕迹" in hostile.output
    page = (hostile.site / "wj/qe5320000-2023-123/index.html").read_text(encoding="utf-8")
    assert "QE5320000-2023-123" in page


def test_a_blank_form_both_use_is_published_with_the_published_document(hostile):
    published = hostile.site / "documents/2023/pubfj/blank-form.docx"
    assert published.read_bytes() == (hostile.site.parent / "content/documents/2023/fj2/blank-form.docx").read_bytes()
    assert not (hostile.site / "documents/2023/fj2").exists()


def _img_sources(page: Path) -> list[str]:
    return re.findall(r'<img[^>]*\ssrc="([^"]+)"', page.read_text(encoding="utf-8"))


def test_every_link_form_of_a_published_image_is_copied_and_resolves(hostile):
    page = hostile.site / "wj/000000001-2023-00905/index.html"
    srcs = [s for s in _img_sources(page) if "pub/" in s]
    assert len(srcs) == 4, srcs
    for src in srcs:
        target = Path(os.path.normpath(page.parent / unquote(src)))
        assert target.is_file(), (src, target)
    assert {str(Path(f).name) for f in PUBLIC_FILES} <= {p.name for p in hostile.site.rglob("*.png")}


def test_editors_comments_are_not_published(hostile):
    for path, text in _output_texts(hostile.site):
        assert "此处数据待核实" not in text, path


class _Live(HTMLParser):
    """Markup that would run: an on… attribute, a javascript: URL, a script mentioning the payload."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []
        self.in_script = False

    def handle_starttag(self, tag, attrs):
        self.in_script = tag == "script"
        for name, value in attrs:
            value = re.sub(r"[\x00-\x20]", "", value or "").lower()
            if name.startswith("on") or (name in ("href", "src") and value.startswith("javascript:")):
                self.found.append(f"<{tag} {name}={value}>")

    def handle_data(self, data):
        if self.in_script and "__pwned" in data:
            self.found.append("<script>" + data[:40])


def test_catalogue_and_heading_markup_is_text_everywhere(hostile):
    for path in hostile.site.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        live = _Live()
        live.feed(text)
        assert live.found == [], path
        for title in re.findall(r"<title>(.*?)</title>", text, flags=re.S):
            assert "<" not in title, (path, title)


def test_the_editor_is_told_what_the_sanitizer_removed(hostile):
    assert "public-files.md: 已移除正文中不允许的 HTML" in hostile.output
    assert "javascript: 链接" in hostile.output and "事件属性 onerror" in hostile.output


def test_no_payload_runs_in_chromium(hostile, serve, browser):
    base = serve(hostile.site)
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    page = context.new_page()
    for url in ("", "zfxxgkzn/", "zfxxgkzn/contact/", "zfxxgkzn/hours/", "zfxxgkzd/", "wj/000000001-2023-00905/",
                "bq/zwgk/", "bq/", "fdzdgknr/"):
        page.goto(base + url)
        page.wait_for_load_state("load")
        page.mouse.move(300, 300)
        page.mouse.move(600, 500)
        assert page.evaluate("window.__pwned") is None, url
    page.goto(base + "wj/000000001-2023-00905/")
    for link in page.locator("article a").all():
        href = link.get_attribute("href") or ""
        assert not href.lower().startswith("javascript"), href
    context.close()


def test_markup_in_titles_shows_as_text(hostile, serve, browser):
    base = serve(hostile.site)
    context = browser.new_context(locale="zh-CN")
    page = context.new_page()
    page.goto(base + "zfxxgkzn/contact/")
    assert page.title().startswith("联系方式 </title><img src=x onerror=window.__pwned=1> - ")
    page.goto(base + "zfxxgkzn/hours/")
    assert page.title().startswith("办公时间</title><img src=x onerror=window.__pwned=1> - ")
    assert page.evaluate("window.__pwned") is None
    page.goto(base)
    assert page.get_by_text("政府信息公开制度" + MARKUP).count() >= 1   # the column title, shown as typed
    assert page.get_by_text("示例县人民政府" + MARKUP).count() >= 1      # the agency in the banner
    context.close()


# --- tricks that must fail the build, with the editor told why --------------------------------------
def _secret(attribute_key: str = "公开属性", attribute: str = "依申请公开") -> str:
    return front("示例县关于不得发布的请示", "000000001/2023-00999", attribute, attribute_key=attribute_key) + \
        "\n这一句话属于不得发布的请示正文内容并且足够长可以被找到。\n"


def _symlink(target: str, link: str):
    def make(project):
        (project.content / link).parent.mkdir(parents=True, exist_ok=True)
        os.symlink(target, project.content / link)
    return make


def _write(rel: str, text: str | bytes):
    def make(project):
        path = project.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    return make


def _replace(rel: str, old: str, new: str):
    def make(project):
        path = project.root / rel
        text = path.read_text(encoding="utf-8")
        assert old in text
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return make


def _both(*steps):
    def make(project):
        for step in steps:
            step(project)
    return make


FAILING = {
    "markdown through a file symlink": (
        _both(_write("content/documents/2023/secret.md", _secret()),
              _symlink("../documents/2023/secret.md", "fdzdgknr/secret-link.md")),
        "content/fdzdgknr/secret-link.md: Markdown 文件不能通过符号链接发布"),
    "markdown through a directory symlink": (
        _both(_write("content/documents/2023/secret.md", _secret()), _symlink("documents/2023", "alias")),
        "content/alias/secret.md: Markdown 文件不能通过符号链接发布"),
    "upper-case .MD": (_write("content/documents/2023/secret.MD", _secret()), "扩展名须为小写 .md"),
    ".markdown": (_write("content/fdzdgknr/secret.markdown", _secret()), "扩展名须为小写 .md"),
    "a stray page": (_write("content/zfxxgkzn/extra.md", "# 另一页\n\n正文\n"), "content/zfxxgkzn/extra.md:1: 无法归类的文件"),
    "traditional key": (_write("content/zfxxgkzn/trad.md", _secret("公開屬性")), "content/zfxxgkzn/trad.md"),
    "english key in a column folder": (_write("content/fdzdgknr/en.md", _secret("Attribute")), "content/fdzdgknr/en.md"),
    "template in a page": (_replace("content/index.md", "title: 政府信息公开", "title: 政府信息公开\ntemplate: x.html"),
                           "[template] 页面的前置元数据只允许"),
    "GBK page": (_write("content/zfxxgkzn/index.md", "# 指南\n\n政府信息公开指南\n".encode("gbk")), "不是 UTF-8 编码"),
    "alias bomb": (_write("content/documents/2023/bomb.md",
                          "---\na: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
                          "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n---\n正文\n"),
                   "content/documents/2023/bomb.md:2: 元数据不允许使用 YAML 锚点和别名"),
    "deep nesting": (_write("content/documents/2023/deep.md", "---\n标题: " + "[" * 20000 + "]" * 20000 + "\n---\n正文\n"),
                     "YAML 嵌套超过 32 层"),
    "tag without slug": (_replace("catalog/tags.yml", "{name: 政务公开, slug: zwgk}", "{name: 政务公开}"),
                         "catalog/tags.yml「政务公开」：缺少「slug」"),
    "column slug climbing out": (_replace("catalog/columns.yml", "slug: zfxxgkzd", "slug: ../../x"), "slug「../../x」无效"),
    "reserved column slug": (_replace("catalog/columns.yml", "slug: zfxxgkzd", "slug: search"), "slug「search」是站点保留的网址"),
    "autolink to a withheld page": (
        _both(_write("content/documents/2023/secret.md", _secret()),
              _write("content/documents/2023/pointer.md", front("示例县指向不发布文件的通知", "000000001/2023-00998")
                     + "\n见 <https://www.example.gov.cn/zfxxgk/wj/000000001-2023-00999/>\n")),
        "pointer.md:11: 正文链接“https://www.example.gov.cn/zfxxgk/wj/000000001-2023-00999/”指向不发布的文件"),
    "unquoted href to a withheld file": (
        _both(_write("content/documents/2023/secret.md", _secret()),
              _write("content/documents/2023/pointer.md", front("示例县指向不发布文件的通知", "000000001/2023-00998")
                     + "\n<a href=secret.md>原件</a>\n")),
        "正文链接“secret.md”指向不发布的文件 content/documents/2023/secret.md"),
    "NUL byte in an attachment name": (
        _write("content/documents/2023/nul.md", front("示例县关于附件名含控制字符的通知", "000000001/2023-00997",
                                                       extra='附件: ["fj/a\\0b.pdf"]\n') + "\n正文\n"),
        "content/documents/2023/nul.md:9: [attachments]"),
}


@pytest.mark.parametrize("case", sorted(FAILING))
def test_tricks_fail_the_build_with_a_chinese_message(tmp_path, case):
    make, message = FAILING[case]
    project = copy_project(tmp_path / "p")
    make(project)
    result = project.build()
    assert not result.ok, result.output
    assert message in result.output, result.output[-3000:]
    assert "Traceback" not in result.output and not project.site.exists()
    assert "这一句话属于不得发布的请示" not in "".join(
        p.read_text(encoding="utf-8", errors="ignore") for p in tmp_path.rglob("*.html"))


# --- the gate's classification on its own, many spellings ------------------------------------------
ATTRIBUTE_SPELLINGS = ["公开属性", "公開屬性", "公开 属性", "公开属性 ", "attribute", "Attribute", "ATTRIBUTE", "ａｔｔｒｉｂｕｔｅ",
                       "公开方式", "信息属性", "属性", "公开", "publicity attribute"]


@settings(max_examples=60, deadline=None)
@given(key=st.sampled_from(ATTRIBUTE_SPELLINGS), folder=st.sampled_from(["fdzdgknr", "zfxxgkzn", "Documents/2023", "misc/a"]),
       name=st.sampled_from(["x.md", "index.md", "ABC-1.md"]),
       value=st.sampled_from(["依申请公开", "不予公开", "不公开", "依申请"]))
def test_anything_naming_an_attribute_is_a_document_or_refused(tmp_path_factory, key, folder, name, value):
    from zfxxgk.catalog import terms as catalogue
    from zfxxgk.publication.gate import Gate
    from conftest import ROOT
    root = tmp_path_factory.mktemp("g")
    content = root / "content"
    (content / folder).mkdir(parents=True)
    (content / folder / name).write_text(f"---\ntitle: 页面\n{key}: {value}\n---\n正文\n", encoding="utf-8")
    gate = Gate(content, catalogue.load(ROOT / "catalog"), root)
    survey = gate.classify()
    src = f"{folder}/{name}"
    assert src not in survey.pages
    assert (content / folder / name) in survey.documents or survey.problems



def test_a_report_titled_with_year_9999_builds_without_a_traceback(tmp_path):
    project = copy_project(tmp_path / "p")
    project.write("content/documents/2023/nb-9999.md", front(
        "示例县人民政府9999年政府信息公开工作年度报告", "000000001/2023-00996").replace(
        "法定主动公开内容/法规文件/其他文件", "政府信息公开年报") + "\n年报正文。\n")
    result = project.build()
    assert result.ok, result.output
    assert "Traceback" not in result.output


def test_new_refuses_a_title_with_a_line_break(tmp_path):
    import subprocess
    import sys
    project = copy_project(tmp_path / "p")
    env = dict(os.environ, PYTHONPATH=str(Path(__file__).resolve().parent.parent / "hooks"))
    out = subprocess.run([sys.executable, "-m", "zfxxgk", "new", "--column", "工作计划", "--publisher", "冠县人民政府办公室",
                          "--category", "综合政务/政务公开", "--title", "第一行\n第二行"],
                         cwd=project.root, env=env, capture_output=True, text=True)
    assert out.returncode != 0 and "标题不能包含换行" in out.stderr + out.stdout
    assert not list(project.content.rglob("*第一行*"))


def test_markup_in_catalogues_leaves_every_xml_and_json_output_well_formed(hostile):
    import json
    import xml.etree.ElementTree as ET
    checked = 0
    for path in hostile.site.rglob("*"):
        if path.suffix == ".xml":
            ET.parse(path)
            checked += 1
        elif path.suffix == ".json":
            json.loads(path.read_text(encoding="utf-8"))
            checked += 1
    assert checked > 10
    feed = (hostile.site / "feed.xml").read_text(encoding="utf-8")
    assert "示例县人民政府&lt;img src=x onerror=" in feed


def test_the_gate_walks_every_file_with_its_real_path_following_folder_links_once(tmp_path):
    """Files by name, then folders by name; a link to a file resolved, a file under a linked folder
    where that folder really is; a folder reached twice (a loop) walked once."""
    from zfxxgk.publication.gate import _walk
    outside, content = tmp_path.resolve() / "outside", tmp_path.resolve() / "content"
    (outside / "od").mkdir(parents=True)
    (outside / "o.md").write_text("o")
    (outside / "od" / "f.md").write_text("f")
    (content / "a" / "b").mkdir(parents=True)
    (content / "a" / "b" / "x.md").write_text("x")
    (content / "z.md").write_text("z")
    (content / "link.md").symlink_to(outside / "o.md")
    (content / "dl").symlink_to(outside / "od")
    (content / "a" / "up").symlink_to(content)                  # a loop back to the top
    walked = [(p.relative_to(content).as_posix(), real) for p, real in _walk(content)]
    assert walked == [("link.md", str(outside / "o.md")), ("z.md", str(content / "z.md")),
                      ("a/b/x.md", str(content / "a/b/x.md")), ("dl/f.md", str(outside / "od/f.md"))]
