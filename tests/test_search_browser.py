"""The citizens' search in real headless Chromium, over the example site served on localhost."""
from __future__ import annotations

import re
from urllib.parse import parse_qs, quote, urlencode, urlparse

import pytest

GUANXIAN = "冠县人民政府办公室关于印发2021年冠县政务公开工作要点的通知"


@pytest.fixture(scope="module")
def base(example_site, serve) -> str:
    return serve(example_site.site)


def results(page) -> list[str]:
    return page.locator(".zf-hit__title a").all_inner_texts()


def wait_done(page, previous: str | None = None) -> None:
    page.wait_for_function("p => { const b = document.getElementById('zf-search');"
                           " return b.dataset.done && b.dataset.done !== p; }", arg=previous, timeout=15000)


def done_mark(page) -> str | None:
    return page.get_attribute("#zf-search", "data-done")


def test_the_banner_box_on_any_page_leads_to_results(page, base):
    page.goto(base)
    page.fill("#zf-q", "冠政办发[2021]9号")
    page.press("#zf-q", "Enter")
    page.wait_for_url("**/search/?q=*")
    wait_done(page)
    assert results(page)[0] == GUANXIAN
    hit = page.locator(".zf-hit").first
    assert "冠政办发〔2021〕9号" in hit.inner_text() and "2021-06-28" in hit.inner_text()
    assert hit.locator(".zf-badge").inner_text() == "失效"


def type_in_box(page, q: str) -> None:
    """Types q key by key, then waits for the list's answer to the whole of q, not to a prefix."""
    page.locator("#zf-q").press_sequentially(q, delay=20)
    page.wait_for_function("q => { const a = document.querySelector('#zf-suggest .zf-suggest__all');"
                           " return !!a && new URL(a.dataset.href).searchParams.get('q') === q; }", arg=q)


def suggestions(page) -> list[str]:
    page.wait_for_selector("#zf-suggest:not([hidden])")
    return page.locator("#zf-suggest .zf-suggest__title").all_inner_texts()


def test_on_any_page_results_appear_under_the_box_as_she_types(page, base):
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(base + "zfxxgkzn/")
    assert not [u for u in requests if "/search/data/" in u or "zf-search-core" in u]   # nothing until she searches
    type_in_box(page, "冠政办发[2021]9号")
    page.wait_for_function("() => document.querySelector('#zf-suggest .zf-suggest__title')?.textContent"
                           f" === {GUANXIAN!r}")
    first = page.locator("#zf-suggest [role=option]").first
    assert "冠政办发〔2021〕9号" in first.inner_text() and "2021-06-28" in first.inner_text()
    assert first.locator(".zf-badge").inner_text() == "失效"
    assert page.get_attribute("#zf-q", "aria-expanded") == "true"
    assert "找到" in page.locator("#zf-suggest ~ [role=status]").inner_text()
    more = page.locator("#zf-suggest .zf-suggest__all")
    assert more.inner_text().startswith("查看全部") and "/search/?q=" in more.get_attribute("data-href")
    more.click()                                 # a tap on the last line opens the full search page
    page.wait_for_url("**/search/?q=*")
    wait_done(page)
    assert results(page)[0] == GUANXIAN


def test_the_list_under_the_box_works_from_the_keyboard(page, base):
    page.goto(base + "zfxxgkzd/")
    page.focus("#zf-q")
    page.keyboard.type("政务公开工作要点")
    titles = suggestions(page)
    assert 1 < len(titles) <= 6 and "关于徐泾镇2023年政务公开工作要点" in titles
    page.keyboard.press("Escape")
    assert page.get_attribute("#zf-q", "aria-expanded") == "false" and page.locator("#zf-suggest").is_hidden()
    page.keyboard.press("ArrowDown")            # reopens the list
    suggestions(page)
    page.keyboard.press("ArrowDown")
    assert page.get_attribute("#zf-q", "aria-activedescendant") == "zf-suggest-0"
    assert page.get_attribute("#zf-suggest-0", "aria-selected") == "true"
    page.keyboard.press("ArrowUp")              # wraps to the last line: the full search page
    assert page.locator("[aria-selected=true]").get_attribute("class").endswith("zf-suggest__all")
    page.keyboard.press("ArrowDown")            # and round again to the first result
    chosen = page.locator("#zf-suggest-0 .zf-suggest__title").inner_text()
    page.keyboard.press("Enter")
    page.wait_for_url("**/wj/**")
    assert chosen in page.locator("h1").first.inner_text()


def test_results_appear_as_she_types_and_the_url_follows(page, base):
    page.goto(base + "search/")
    page.wait_for_selector("#zf-status:not(:empty)")
    page.locator("#zf-q").press_sequentially("政务公开体验区", delay=20)
    # the list follows every keystroke: wait for the answer to the whole phrase (政务公开体 already finds it)
    page.wait_for_function("() => new URLSearchParams(location.search).get('q') === '政务公开体验区'"
                           " && [...document.querySelectorAll('.zf-hit__snippet mark')].some(m => m.textContent === '政务公开体验区')")
    page.wait_for_function("() => document.querySelectorAll('.zf-hit').length === 1")
    assert results(page) == [GUANXIAN]       # the withheld 请示 about the same 体验区 never appears
    assert parse_qs(urlparse(page.url).query)["q"] == ["政务公开体验区"]
    page.wait_for_selector(".zf-hit__snippet mark")
    assert page.locator(".zf-hit__snippet mark").first.inner_text() == "政务公开体验区"
    assert "找到 1 条结果" in page.locator("#zf-status").inner_text()
    assert page.get_attribute("#zf-status", "role") == "status"


def test_facets_narrow_the_list_and_a_shared_url_shows_the_same_list(page, base, browser):
    page.goto(base + "search/?q=" + quote("政务公开"))
    wait_done(page)
    everything = results(page)
    mark = done_mark(page)
    page.locator("#zf-facets input[name=pub][value=冠县人民政府办公室]").check()
    wait_done(page, mark)
    narrowed = results(page)
    assert narrowed and len(narrowed) < len(everything) and all(t.startswith("冠县") for t in narrowed)
    query = parse_qs(urlparse(page.url).query)
    assert query["pub"] == ["冠县人民政府办公室"]
    friend = browser.new_page()
    friend.goto(page.url)
    wait_done(friend)
    assert results(friend) == narrowed
    assert friend.locator("#zf-facets input[name=pub][value=冠县人民政府办公室]").is_checked()
    friend.close()


def test_sort_by_date_and_the_back_button(page, base):
    page.goto(base + "search/?q=" + quote("政务公开"))
    wait_done(page)
    by_relevance = results(page)
    mark = done_mark(page)
    page.select_option("#zf-sort", "date")
    wait_done(page, mark)
    dates = [d[-10:] for d in page.locator(".zf-hit__meta").all_inner_texts() if "发布日期" in d]
    assert dates == sorted(dates, reverse=True)
    assert "sort=date" in page.url
    mark = done_mark(page)
    page.go_back()
    wait_done(page, mark)
    assert results(page) == by_relevance and "sort=date" not in page.url


def test_following_a_result_opens_the_document(page, base):
    page.goto(base + "search/?q=" + quote("冠政办发〔2021〕9号"))
    wait_done(page)
    page.locator(".zf-hit__title a").first.click()
    page.wait_for_load_state()
    assert "/wj/" in page.url
    assert GUANXIAN in page.locator("h1").first.inner_text()


def test_everything_works_from_the_keyboard(page, base):
    page.goto(base + "search/")
    page.wait_for_selector("#zf-status:not(:empty)")
    page.focus("#zf-q")
    page.keyboard.type("工作要点")
    page.keyboard.press("Enter")
    wait_done(page)
    mark = done_mark(page)
    for _ in range(30):    # Tab to the first facet checkbox and tick it with the space bar
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.type") == "checkbox":
            break
    page.keyboard.press("Space")
    wait_done(page, mark)
    assert "q=" in page.url and "kind=" in page.url           # 公文种类 is the first facet
    page.locator(".zf-hit__title a").first.focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/wj/**")


def test_search_works_under_a_sub_path(example_site, serve, page):
    base = serve(example_site.site, prefix="/zfxxgk/")
    page.goto(base)
    page.fill("#zf-q", "徐府(2023)32号")
    page.press("#zf-q", "Enter")
    page.wait_for_url("**/zfxxgk/search/?q=*")
    wait_done(page)
    assert results(page)[0] == "关于徐泾镇2023年政务公开工作要点"
    assert "/zfxxgk/wj/" in page.locator(".zf-hit__title a").first.get_attribute("href")


def test_without_javascript_the_page_offers_the_catalogue(browser, base):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(base + "search/?q=" + quote("政务公开"))
    links = page.locator(".zf-search__browse a")
    texts = links.all_inner_texts()
    assert "法定主动公开内容" in texts and "按发布机构浏览" in texts and "按年份浏览" in texts
    page.locator(".zf-search__browse a", has_text="按年份浏览").click()
    assert "/nian/" in page.url
    context.close()


def test_no_results_says_so(page, base):
    page.goto(base + "search/?q=" + quote("甲乙丙丁戊己"))
    wait_done(page)
    assert results(page) == []
    assert "未找到" in page.locator("#zf-status").inner_text()


# --- phrases anywhere -------------------------------------------------------------
PHRASE = "临时占用城市绿化用地"
LONG_TITLE = "示例县城市绿化管理办法"
SCATTERED_TITLE = "示例县绿化用地临时占用审批规定"


def _doc(title: str, seq: int, body: str) -> str:
    return f"""---
title: {title}
index_no: 000000003/2022-{seq:05d}
publisher: 示例县民政局
category: 城乡建设、环境保护/城乡建设（含住房）
column: 法定主动公开内容/法规文件/其他文件
published: 2022-03-0{seq % 9 + 1}
attribute: 主动公开
---

{body}
"""


def long_law() -> str:
    """A long regulation whose phrase sits near character 15,000, after every one of its bigrams
    has already appeared elsewhere (so the postings' first positions say nothing about it)."""
    early = "第一条 临时措施由县政府决定。同时占有的，应当登记。使用城区道路的，全市绿地管理部门应当审核，绿化用水和建设用地分别计量。"
    filler = "".join(f"\n\n第{n}条 本县各有关单位应当按照职责分工做好相关工作，具体办法另行规定。" for n in range(2, 420))
    return early + filler + f"\n\n第四百二十条 未经批准{PHRASE}的，由主管部门责令限期归还。"


@pytest.fixture(scope="module")
def phrase_base(tmp_path_factory, serve) -> str:
    from conftest import copy_project
    project = copy_project(tmp_path_factory.mktemp("phrase"))
    project.write("content/documents/2022/phrase-long.md", _doc(LONG_TITLE, 101, long_law()))
    project.write("content/documents/2022/phrase-scattered.md", _doc(
        SCATTERED_TITLE, 102, "临时措施；同时占有；占用道路；使用城区；城市道路；全市绿地；绿化工作；绿化用水；用地审批。"))
    result = project.build("--strict")
    assert result.ok, result.output
    assert long_law().index(PHRASE) > 14000
    return serve(result.site)


def test_a_phrase_from_the_middle_of_a_long_document_ranks_it_first(page, phrase_base):
    page.goto(phrase_base + "search/?q=" + quote(PHRASE))
    wait_done(page)
    titles = results(page)
    assert titles[:2] == [LONG_TITLE, SCATTERED_TITLE]
    page.wait_for_selector(".zf-hit__snippet mark")
    assert page.locator(".zf-hit__snippet mark").first.inner_text() == PHRASE   # the snippet shows where


# --- advanced search: scope, 发布日期 range, sort by 成文日期, 公文种类 and 发文机关代字 ----------------------
def hit_dates(page) -> list[str]:
    return [re.search(r"发布日期：(\S+)", t)[1] for t in page.locator(".zf-hit__meta").all_inner_texts()]


def facet_counts(page, name: str) -> dict[str, int]:
    out = {}
    for label in page.locator(f"#zf-facets input[name={name}]").all():
        text = label.locator("xpath=..").inner_text().strip()
        m = re.fullmatch(r"(.+?)\s+\((\d+)\)", text)
        out[m[1]] = int(m[2])
    return out


TITLE_2020_2021 = ["冠县人民政府办公室政务公开工作专题会议纪要（示例）", GUANXIAN,
                   "天津市规划资源局关于印发2020年政务公开工作要点的通知",
                   "昌宁县投资促进局全面推进政务公开标准化规范化工作实施方案"]


def test_advanced_search_state_lives_in_the_url_and_round_trips(page, base, browser):
    url = base + "search/?" + urlencode({"q": "政务公开", "in": "title", "from": "2020-01-01", "to": "2021-12-31",
                                         "sort": "written"})
    page.goto(url)
    wait_done(page)
    assert results(page) == TITLE_2020_2021          # newest 成文日期 first: 10-13, 06-28, 09-18 (2020), 07-10
    assert page.locator("#zf-advanced").get_attribute("open") is not None
    assert page.input_value("#zf-scope") == "title" and page.input_value("#zf-sort") == "written"
    assert page.input_value("#zf-from") == "2020-01-01" and page.input_value("#zf-to") == "2021-12-31"
    assert "成文日期：2021-10-13" in page.locator(".zf-hit__meta").first.inner_text()
    friend = browser.new_page()
    friend.goto(page.url)
    wait_done(friend)
    assert results(friend) == TITLE_2020_2021 and friend.input_value("#zf-scope") == "title"
    friend.close()


def test_each_advanced_choice_is_a_step_back_undoes(page, base):
    page.goto(base + "search/?q=" + quote("政务公开"))
    wait_done(page)
    everything = results(page)
    mark = done_mark(page)
    page.click("#zf-advanced summary")
    page.select_option("#zf-scope", "title")
    wait_done(page, mark)
    in_titles = results(page)
    assert all("政务公开" in t for t in in_titles) and len(in_titles) < len(everything)
    assert parse_qs(urlparse(page.url).query)["in"] == ["title"]
    mark = done_mark(page)
    page.fill("#zf-from", "2021-01-01")
    page.dispatch_event("#zf-from", "change")
    wait_done(page, mark)
    assert all(d >= "2021-01-01" for d in hit_dates(page)) and len(results(page)) < len(in_titles)
    mark = done_mark(page)
    page.go_back()
    wait_done(page, mark)
    assert results(page) == in_titles and page.input_value("#zf-from") == ""
    mark = done_mark(page)
    page.go_back()
    wait_done(page, mark)
    assert results(page) == everything and page.input_value("#zf-scope") == ""


def test_doc_number_scope_finds_by_prefix_and_unified_number_is_an_exact_key(page, base):
    page.goto(base + "search/?" + urlencode({"q": "冠政办发", "in": "no"}))
    wait_done(page)
    assert results(page) == [GUANXIAN]              # the withheld 冠政办呈/冠政办函 never count
    page.goto(base + "search/?q=" + quote("SXGF-2023-0001"))
    wait_done(page)
    assert results(page)[0] == "示例县人民政府关于印发《示例县临时救助办法》的通知"
    page.goto(base + "search/?q=" + quote("sxgf 2023 1"))
    wait_done(page)
    assert results(page)[0] == "示例县人民政府关于印发《示例县临时救助办法》的通知"


def test_facets_count_documents_by_kind_and_by_doc_number_prefix(page, base):
    page.goto(base + "search/?" + urlencode({"q": "政务公开", "in": "title"}))
    wait_done(page)
    # 开远, 昌宁 and the 纪要 have no 文号; 天津 津规资办发, 冠县 冠政办发, 徐泾镇 徐府, 城关镇 城政发.
    assert facet_counts(page, "org") == {"未注明": 3, "津规资办发": 1, "冠政办发": 1, "徐府": 1, "城政发": 1}
    page.goto(base + "search/?" + urlencode({"q": "临时救助办法", "in": "title"}))
    wait_done(page)
    # 公告 (征求意见), 通知 (印发), 意见 (采纳情况的说明: 意见 is the last kind outside 《》), 政策解读 and 问答.
    assert facet_counts(page, "kind") == {"其他": 2, "公告": 1, "通知": 1, "意见": 1}
    mark = done_mark(page)
    page.get_by_role("checkbox", name="通知").check()
    wait_done(page, mark)
    assert results(page) == ["示例县人民政府关于印发《示例县临时救助办法》的通知"]
    assert parse_qs(urlparse(page.url).query)["kind"] == ["通知"]


# --- tolerance ----------------------------------------------------------------------
def test_a_typo_query_suggests_the_right_title(page, base):
    page.goto(base + "search/?q=" + quote("示例县临时求助办法"))
    wait_done(page)
    suggestion = page.locator("#zf-didyoumean a").first
    assert page.locator("#zf-didyoumean").inner_text().startswith("您是不是要找")
    assert suggestion.inner_text() == "示例县临时救助办法"
    mark = done_mark(page)
    suggestion.click()
    wait_done(page, mark)
    assert parse_qs(urlparse(page.url).query)["q"] == ["示例县临时救助办法"]
    assert page.input_value("#zf-q") == "示例县临时救助办法"
    assert "示例县人民政府关于印发《示例县临时救助办法》的通知" in results(page)[:3]
    assert page.locator("#zf-didyoumean").is_hidden()
    page.goto(base + "search/?q=" + quote("临时求助"))       # scattered matches only: offer the keyword
    wait_done(page)
    assert page.locator("#zf-didyoumean a").first.inner_text() == "临时救助"


@pytest.mark.parametrize("typed, title", [("2023年政務公開工作要點", "关于徐泾镇2023年政务公开工作要点"),
                                          ("zhuantihuiyijiyao", "冠县人民政府办公室政务公开工作专题会议纪要（示例）"),
                                          ("zwgkgzzthyjy", "冠县人民政府办公室政务公开工作专题会议纪要（示例）")])
def test_traditional_characters_pinyin_and_initials_find_the_title(page, base, typed, title):
    page.goto(base + "search/?q=" + quote(typed))
    wait_done(page)
    assert results(page)[0] == title


def test_a_synonym_finds_the_other_wording(page, base):
    page.goto(base + "search/?q=" + quote("最低生活保障标准"))    # the 图解 writes 低保标准
    wait_done(page)
    assert "图解：《示例县城乡居民临时救助实施办法（2021年修订）》" in results(page)


# --- suggestions in the list under the box ----------------------------------------------------
RELIEF_NOTICE = "示例县人民政府关于印发《示例县临时救助办法》的通知"


def terms_offered(page) -> list[str]:
    page.wait_for_selector("#zf-suggest:not([hidden])")
    return page.locator("#zf-suggest .zf-suggest__term .zf-suggest__word").all_inner_texts()


def test_the_list_under_the_box_completes_titles_and_keywords_she_begins_to_type(page, base):
    page.goto(base + "zfxxgkzn/")
    type_in_box(page, "示例县临")
    page.wait_for_function("() => document.querySelectorAll('#zf-suggest .zf-suggest__term').length === 2")
    # The 《》 names beginning with 示例县临, the one in three documents before the one in two. Its
    # 政策解读 and 问答 are titles of documents listed below them, so they are not offered as terms.
    assert terms_offered(page) == ["示例县临时救助办法", "示例县临时救助办法（征求意见稿）"]
    assert "《示例县临时救助办法》问答" in suggestions(page)
    options = page.locator("#zf-suggest [role=option]")
    assert options.nth(0).get_attribute("id") == "zf-suggest-0" and "检索词" in options.nth(0).inner_text()
    page.keyboard.press("ArrowDown")
    assert page.get_attribute("#zf-q", "aria-activedescendant") == "zf-suggest-0"
    page.keyboard.press("Enter")                 # Enter on a term searches for it
    page.wait_for_url("**/search/?q=*")
    wait_done(page)
    assert parse_qs(urlparse(page.url).query)["q"] == ["示例县临时救助办法"]
    assert page.input_value("#zf-q") == "示例县临时救助办法"
    assert RELIEF_NOTICE in results(page)[:3]
    page.go_back()
    page.wait_for_url("**/zfxxgkzn/")


def test_a_typo_in_the_box_suggests_the_right_title_first(page, base):
    page.goto(base + "zfxxgkzd/")
    type_in_box(page, "示例县临时求助办法")
    page.wait_for_selector("#zf-suggest .zf-suggest__term--fix")
    first = page.locator("#zf-suggest [role=option]").first
    assert first.inner_text().replace("\n", "") == "您是不是要找：示例县临时救助办法"
    assert "您是不是要找：示例县临时救助办法" in page.locator("#zf-suggest ~ [role=status]").inner_text()
    first.click()
    page.wait_for_url("**/search/?q=*")
    wait_done(page)
    assert parse_qs(urlparse(page.url).query)["q"] == ["示例县临时救助办法"]
    assert RELIEF_NOTICE in results(page)[:3]


def test_a_query_that_finds_nothing_still_offers_the_correction(page, base):
    page.goto(base + "zfxxgkzd/")
    type_in_box(page, "临时求助")
    page.wait_for_selector("#zf-suggest .zf-suggest__term--fix")
    texts = [t.replace("\n", "") for t in page.locator("#zf-suggest [role=option]").all_inner_texts()]
    assert texts == ["您是不是要找：临时救助", "未找到相关文件，请减少或更换关键词"]
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Escape")               # closes the list, the typed words stay
    assert page.locator("#zf-suggest").is_hidden() and page.input_value("#zf-q") == "临时求助"
    page.keyboard.press("ArrowDown")            # reopens it
    terms_offered(page)
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    page.wait_for_url("**/search/?q=*")
    wait_done(page)
    assert parse_qs(urlparse(page.url).query)["q"] == ["临时救助"]
    assert RELIEF_NOTICE in results(page)


def test_a_term_equal_to_what_she_typed_is_not_offered(page, base):
    page.goto(base + "zfxxgkzd/")
    type_in_box(page, "政务公开")   # 政务公开 is the only keyword beginning so
    suggestions(page)
    assert terms_offered(page) == []


# --- agency scope (?agency=<slug>) and the 机构 facet -------------------------------------------
# Documents mentioning 临时救助: six issued by 示例县民政局, three by 示例县人民政府, and the 城关镇's
# 2025 工作要点, issued jointly by 示例县城关镇人民政府 and 示例县民政局 (content/documents/).
MZJ_RELIEF = {"《示例县临时救助办法》政策解读", "《示例县临时救助办法》问答",
              "《示例县临时救助办法（征求意见稿）》公开征求意见采纳情况的说明", "《示例县城乡居民临时救助实施办法》政策解读",
              "图解：《示例县城乡居民临时救助实施办法（2021年修订）》",
              "示例县民政局关于公开征求《示例县临时救助办法（征求意见稿）》意见的公告"}
JOINT = "城关镇2025年政务公开工作要点"


def test_an_agency_page_links_to_the_search_scoped_to_its_documents(page, base):
    page.goto(base + "zl/sxmzj/")
    page.get_by_role("link", name="在本机构文件中检索").click()
    page.wait_for_url("**/search/?agency=sxmzj")
    page.wait_for_selector("#zf-agency-scope:not([hidden])")
    assert page.inner_text("#zf-agency-scope").startswith("检索范围：示例县民政局 的文件")
    page.locator("#zf-q").press_sequentially("临时救助", delay=20)
    page.wait_for_function("() => document.querySelectorAll('.zf-hit').length === 7")
    assert set(results(page)) == MZJ_RELIEF | {JOINT}        # the 县政府's three are left out
    query = parse_qs(urlparse(page.url).query)
    assert query["q"] == ["临时救助"] and query["agency"] == ["sxmzj"]
    assert page.locator("#zf-facets input[name=agency][value=sxmzj]").is_checked()


def test_the_agency_facet_counts_a_joint_document_in_each_issuer_and_back_undoes_the_scope(page, base):
    page.goto(base + "search/?" + urlencode({"q": "临时救助", "agency": "sxmzj"}))
    wait_done(page)
    scoped = results(page)
    # Each agency's count ignores the agency choice itself: the joint document counts for both issuers.
    assert facet_counts(page, "agency") == {"示例县民政局": 7, "示例县人民政府": 3, "示例县城关镇人民政府": 1}
    mark = done_mark(page)
    page.get_by_role("button", name="改为检索全部机构").click()
    wait_done(page, mark)
    everything = results(page)
    assert "agency" not in parse_qs(urlparse(page.url).query) and page.locator("#zf-agency-scope").is_hidden()
    assert RELIEF_NOTICE in everything and len(everything) > len(scoped)
    mark = done_mark(page)
    page.go_back()
    wait_done(page, mark)
    assert results(page) == scoped and parse_qs(urlparse(page.url).query)["agency"] == ["sxmzj"]
    assert page.inner_text("#zf-agency-scope").startswith("检索范围：示例县民政局")
    mark = done_mark(page)
    page.locator("#zf-facets input[name=agency][value=cgz]").check()   # two agencies: either issuer's documents
    wait_done(page, mark)
    assert set(results(page)) == MZJ_RELIEF | {JOINT}
    assert sorted(parse_qs(urlparse(page.url).query)["agency"]) == ["cgz", "sxmzj"]
    page.goto(base + "search/?" + urlencode({"q": "临时救助", "agency": "cgz"}))
    wait_done(page)
    assert results(page) == [JOINT]
