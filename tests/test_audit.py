"""Withheld documents, defence in depth: nothing of a 不予公开/依申请公开 document reaches any output."""
from __future__ import annotations

import gzip
import hashlib
import html
import json
import re
from pathlib import Path

import pytest

from _safety_helpers import corpus_of, front
from zfxxgk.audit import leaks as audit

WITHHELD = "content/documents/2021/guanxian-2021-bygk-example.md"
WITHHELD_TITLE = "冠县人民政府办公室关于申请追加政务公开体验区运营经费的请示"
WITHHELD_INDEX = "113715250044422281/2021-26757202"
WITHHELD_SLUG = "113715250044422281-2021-26757202"
WITHHELD_SENTENCE = ("经测算，体验区全年运营需经费共计18.6万元，其中自助查询终端和电子信息屏维护费6.2万元，"
                     "政府公报及政策解读材料印制费4.8万元，值守人员劳务费7.6万元。")
PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000"
                    "1f15c4890000000d49444154789c6360f8cfc0f01f0005000201e2d1b6e50000000049454e44ae426082")
PDF = b"%PDF-1.4\n% withheld attachment\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


# --- the audit on its own (no build) --------------------------------------------
@pytest.fixture
def corpus(tmp_path):
    return corpus_of(tmp_path, {
        "secret.md": front(title='示例县人民政府关于R&D经费"内部"调整的请示', index_no="000000001/2021-00009",
                           doc_no="示政呈〔2021〕7号", attribute="不予公开")
        + "\n请示内容：拟将研发经费中的设备购置部分调整用于人员培训和外聘专家咨询。\n\n公共的一句话出现在两个文件里面并且足够长。\n",
        "public.md": front() + "\n公共的一句话出现在两个文件里面并且足够长。\n",
    })


def run_audit(corpus, site: Path):
    return audit.audit_output(site, corpus.withheld, audit.published_sources(corpus.published, site.parent / "content"), {})


@pytest.mark.parametrize("name, content", [
    ("page.html", "<h1>示例县人民政府关于R&amp;D经费&#34;内部&#34;调整的请示</h1>"),
    ("page3.html", "<title>示例县人民政府关于R&amp;D经费&quot;内部&quot;调整的请示</title>"),
    ("search.json", json.dumps({"t": "拟将研发经费中的设备购置部分调整用于人员培训和外聘专家咨询"})),
    ("feed.xml", "<entry><id>000000001/2021-00009</id></entry>"),
    ("page2.html", '<a href="../wj/000000001-2021-00009/">x</a>'),
    ("x/index.html", "<p>文号：示政呈〔2021〕7号</p>"),
])
def test_each_fingerprint_is_found_in_any_output_file(tmp_path, corpus, name, content):
    site = tmp_path / "site"
    (site / name).parent.mkdir(parents=True, exist_ok=True)
    (site / name).write_text(content, encoding="utf-8")
    [leak] = run_audit(corpus, site).leaks
    assert leak.output == name and leak.needle.doc.endswith("secret.md")


def test_compressed_outputs_are_searched(tmp_path, corpus):
    site = tmp_path / "site"
    site.mkdir()
    (site / "sitemap.xml.gz").write_bytes(gzip.compress("<loc>wj/000000001-2021-00009/</loc>".encode()))
    assert [l.output for l in run_audit(corpus, site).leaks] == ["sitemap.xml.gz"]


def test_a_withheld_url_as_output_path_is_a_leak(tmp_path, corpus):
    page = tmp_path / "site" / "wj" / "000000001-2021-00009" / "index.html"
    page.parent.mkdir(parents=True)
    page.write_text("<p>空</p>", encoding="utf-8")
    assert {l.needle.kind for l in run_audit(corpus, tmp_path / "site").leaks} == {"url"}


def test_text_that_published_documents_also_contain_is_not_a_leak(tmp_path, corpus):
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("<p>公共的一句话出现在两个文件里面并且足够长。</p>", encoding="utf-8")
    corpus.release_bodies()      # as the build does in on_env: the published text is read from the files
    result = run_audit(corpus, site)
    assert result.leaks == [] and result.explained == 1


def test_assets_are_matched_by_content_not_by_name(tmp_path, corpus):
    site, secret = tmp_path / "site", tmp_path / "content" / "documents" / "tu.png"
    secret.write_bytes(PNG)
    site.mkdir()
    (site / "renamed.png").write_bytes(PNG)
    (site / "other.png").write_bytes(PNG + b"\0")
    result = audit.audit_output(site, corpus.withheld, [], audit.asset_hashes([secret]))
    assert [(l.output, l.needle.kind) for l in result.leaks] == [("renamed.png", "asset")]


def audit_with(corpus, site: Path, memo: audit.Memo):
    return audit.audit_output(site, corpus.withheld, audit.published_sources(corpus.published, site.parent / "content"),
                              {}, memo=memo)


def test_files_found_clean_are_searched_again_once_a_byte_changes(tmp_path, corpus):
    site = tmp_path / "site"
    site.mkdir()
    for n in range(3):
        (site / f"p{n}.html").write_text(f"<p>第{n}页</p>", encoding="utf-8")
    first = audit.Memo("code v1")
    assert audit_with(corpus, site, first).leaks == [] and len(first.clean_now) == 3
    again = audit.Memo("code v1", first.clean_now)
    assert audit_with(corpus, site, again).unchanged == 3
    (site / "p1.html").write_text("<p>第1页</p><p>000000001/2021-00009</p>", encoding="utf-8")
    planted = audit.Memo("code v1", again.clean_now)
    result = audit_with(corpus, site, planted)
    assert [(l.output, l.needle.kind) for l in result.leaks] == [("p1.html", "index_no")] and result.unchanged == 2
    assert len(planted.clean_now) == 2          # a file with a finding is never remembered as clean


def test_an_unchanged_file_is_searched_again_when_what_is_withheld_changes(tmp_path, corpus):
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("<h1>示例县人民政府关于年度预算调整的请示</h1>", encoding="utf-8")
    memo = audit.Memo("code v1")
    assert audit_with(corpus, site, memo).leaks == []
    now_withheld = corpus_of(tmp_path / "later", {
        "budget.md": front(title="示例县人民政府关于年度预算调整的请示", index_no="000000001/2021-00010",
                           attribute="依申请公开") + "\n正文。\n",
    })
    result = audit_with(now_withheld, site, audit.Memo("code v1", memo.clean_now))
    assert [(l.output, l.needle.kind) for l in result.leaks] == [("index.html", "title")] and result.unchanged == 0
    other_code = audit.Memo("code v2", memo.clean_now)      # the build passes its site digest: new code searches anew
    assert audit_with(corpus, site, other_code).unchanged == 0


def test_published_documents_may_not_interpret_or_replace_withheld_ones(tmp_path):
    """Relations in metadata; links in the text are the publication gate's (tests/test_publication.py).
    Intake refuses a 解读 of a withheld document too (intake/relations.py): both say so."""
    corpus = corpus_of(tmp_path, check=False, files={
        "secret.md": front(index_no="000000001/2021-00009", attribute="依申请公开") + "\n正文\n",
        "interp.md": front(index_no="000000001/2021-00010", interprets="000000001/2021-00009") + "\n解读\n",
        "new.md": front(index_no="000000001/2021-00011", replaces="[000000001/2021-00009]") + "\n[原件](secret.md)\n",
    })
    problems = audit.pointer_problems(corpus.published, corpus.withheld)
    assert sorted((Path(p.file).name, p.field or "") for p in problems) == [
        ("interp.md", "interprets"), ("new.md", "replaces")]
    assert [(Path(p.file).name, p.field) for p in corpus.problems.errors] == [("interp.md", "interprets")]
    assert all("依申请公开" in p.message and "secret.md" in p.message for p in problems)


# --- real builds ------------------------------------------------------------------------
def test_the_example_site_is_audited_and_clean(example_site):
    assert "泄露审计：检查输出文件" in example_site.output and "未发现痕迹" in example_site.output
    for path in example_site.site.rglob("*"):
        if path.is_file() and path.suffix in (".html", ".xml", ".json", ".txt", ".js"):
            text = html.unescape(path.read_text(encoding="utf-8", errors="replace"))
            assert WITHHELD_TITLE not in text and WITHHELD_INDEX not in text, path
            assert WITHHELD_SLUG not in text and "冠政办呈〔2021〕12号" not in text, path


PLANT_HOOK = '''
import gzip, json, shutil
from pathlib import Path

def on_post_build(config):   # a buggy post-build writer, as a colleague's feature might be
    site = Path(config.site_dir)
    page = next(site.glob("wj/*/index.html"))
    page.write_text(page.read_text(encoding="utf-8").replace("</article>", "<p>{sentence}</p></article>"), encoding="utf-8")
    (site / "assets" / "leak").mkdir(parents=True)
    shutil.copy(Path(config.docs_dir) / "documents/2021/bygk-tu.png", site / "assets/leak/logo.png")
    shutil.copy(Path(config.docs_dir) / "files/bygk-shuoming.pdf", site / "assets/leak/download.pdf")
    (site / "assets/leak/index.json").write_text(json.dumps({{"title": "{title}"}}), encoding="utf-8")
    (site / "assets/leak/map.xml.gz").write_bytes(gzip.compress("{index_no}".encode()))
'''


@pytest.fixture(scope="module")
def leak_project(tmp_path_factory):
    """The example project, the withheld 请示 given an image, a PDF and a file outside documents/."""
    from conftest import copy_project
    project = copy_project(tmp_path_factory.mktemp("leak"))
    (project.content / "documents/2021/bygk-tu.png").write_bytes(PNG)
    (project.content / "documents/2021/bygk-fujian.pdf").write_bytes(PDF)
    (project.content / "files").mkdir()
    (project.content / "files/bygk-shuoming.pdf").write_bytes(PDF + b"% outside documents/\n")
    path = project.root / WITHHELD
    path.write_text(path.read_text(encoding="utf-8") + "\n![体验区平面图](bygk-tu.png)\n\n"
                    "[经费明细](bygk-fujian.pdf)　[说明](../../files/bygk-shuoming.pdf)\n", encoding="utf-8")
    first = project.build()
    assert first.ok, first.output
    return project, first


def _digests(site: Path) -> set[str]:
    return {hashlib.sha256(p.read_bytes()).hexdigest() for p in site.rglob("*") if p.is_file()}


def test_files_only_withheld_documents_use_are_not_copied(leak_project):
    project, _ = leak_project
    names = {p.name for p in project.site.rglob("*")}
    assert not names & {"bygk-tu.png", "bygk-fujian.pdf", "bygk-shuoming.pdf"}
    assert not _digests(project.site) & {hashlib.sha256(d).hexdigest() for d in (PNG, PDF)}


def test_a_planted_sentence_image_and_pdf_fail_the_build_and_keep_the_previous_site(leak_project):
    project, _ = leak_project
    before = {p.relative_to(project.site): p.read_bytes() for p in project.site.rglob("*") if p.is_file()}
    (project.root / "hooks" / "plant.py").write_text(PLANT_HOOK.format(
        sentence=WITHHELD_SENTENCE, title=WITHHELD_TITLE, index_no=WITHHELD_INDEX), encoding="utf-8")
    config = project.root / "mkdocs.yml"
    original = config.read_text(encoding="utf-8")
    config.write_text(original.replace("plugins:\n  - zfxxgk\n", "plugins:\n  - zfxxgk\nhooks:\n  - hooks/plant.py\n"),
                      encoding="utf-8")
    assert "hooks/plant.py" in config.read_text(encoding="utf-8")
    try:
        result = project.build()
    finally:
        config.write_text(original, encoding="utf-8")
    assert not result.ok
    assert "泄露审计未通过" in result.output
    for expected in ("的正文语句", "assets/leak/logo.png 与未发布的 content/documents/2021/bygk-tu.png 内容相同",
                     "assets/leak/download.pdf 与未发布的 content/files/bygk-shuoming.pdf 内容相同",
                     "assets/leak/index.json 含有不发布文件 " + WITHHELD, "assets/leak/map.xml.gz 含有不发布文件 " + WITHHELD):
        assert expected in result.output, expected
    after = {p.relative_to(project.site): p.read_bytes() for p in project.site.rglob("*") if p.is_file()}
    assert after == before, "the previously published site must stay untouched"
    assert not (project.root / "site.staging").exists()


def test_withdrawing_a_document_removes_every_trace_and_pointers_are_errors(make_project):
    project = make_project()
    leaf = project.content / "documents/2021/guanxian-2021-9.md"
    leaf.write_text(leaf.read_text(encoding="utf-8").replace("公开属性: 主动公开", "公开属性: 不予公开"), encoding="utf-8")
    result = project.build()
    assert result.ok, result.output
    assert not (project.site / "wj/113715250044422281-2021-26757114").exists()
    assert "未发现痕迹" in result.output          # title, 索引号, 文号, sentences, URL: nowhere in the output
    policy = project.content / "documents/2023/shixian-2023-00008.md"
    policy.write_text(policy.read_text(encoding="utf-8").replace("attribute: 主动公开", "attribute: 不予公开"), encoding="utf-8")
    result = project.build()
    assert not result.ok
    # the interpretations now point at a withheld document: an error to fix, not a silent dead link
    for interpretation in ("shixian-2023-00006.md", "shixian-2023-00007.md"):
        assert re.search(interpretation + r":\d+: \[interprets\] 「解读对象」.*不予公开", result.output), result.output
