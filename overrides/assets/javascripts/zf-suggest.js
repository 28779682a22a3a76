/* Results as she types, on every page: the banner box shows the first matches in a list
   under it (a combobox: arrow keys move, Enter opens, Escape closes); Enter on the typed
   text, or the list's last line, opens the full /search/ page with facets. Above the
   documents: "您是不是要找" when the typed words find little (a title or keyword one
   character or one pinyin syllable away), then the titles and keywords that begin with
   what she typed; either opens the search page for that term. The search
   code and the index are fetched only when the box gets focus, so a page costs nothing
   more to a citizen who does not search. On /search/ itself zf-search.js owns the box.
   Every text from the index is inserted as a text node, never as HTML. */
(function () {
  "use strict";
  var input = document.getElementById("zf-q");
  if (!input || document.getElementById("zf-search") || !window.fetch || !window.URL) return;
  var form = input.form, SHOW = 5, TERMS = 3, DEBOUNCE = 40;
  var searchUrl = new URL(form.getAttribute("action"), location.href);
  var indexUrl = new URL(form.getAttribute("data-index"), location.href);
  var rootUrl = new URL(form.getAttribute("data-root"), location.href);
  var list = node("ul", "zf-suggest"), status = node("p", "zf-visually-hidden");
  list.id = "zf-suggest";
  list.hidden = true;
  list.setAttribute("role", "listbox");
  list.setAttribute("aria-label", "检索结果");
  status.setAttribute("role", "status");
  form.appendChild(list);
  form.appendChild(status);
  input.setAttribute("role", "combobox");
  input.setAttribute("aria-autocomplete", "list");
  input.setAttribute("aria-controls", list.id);
  input.setAttribute("aria-expanded", "false");
  var loading = null, seq = 0, timer = 0, active = -1;

  function node(tag, cls, text) {
    var n = document.createElement(tag);
    if (cls) n.className = cls;
    if (text != null) n.textContent = text;
    return n;
  }

  function engine() {
    if (!loading) {
      loading = new Promise(function (resolve, reject) {
        if (window.ZfSearch) return resolve();
        var s = document.createElement("script");
        s.src = form.getAttribute("data-core");
        s.onload = resolve;
        s.onerror = reject;
        document.head.appendChild(s);
      }).then(function () {
        var e = window.ZfSearch.httpEngine(indexUrl);
        e.meta();   // the first file every query needs
        return e;
      });
      loading.catch(function () { loading = null; });
    }
    return loading;
  }

  function options() { return list.querySelectorAll("[role=option]"); }

  /** Mark option k active (-1: none). */
  function select(k) {
    var all = options();
    active = k;
    Array.prototype.forEach.call(all, function (o, i) { o.setAttribute("aria-selected", String(i === active)); });
    if (active < 0) input.removeAttribute("aria-activedescendant");
    else input.setAttribute("aria-activedescendant", all[active].id);
  }

  function close() {
    list.hidden = true;
    input.setAttribute("aria-expanded", "false");
    select(-1);
  }

  /** One option: text only (a link inside an option would be nested interactive content);
      a click or Enter follows its data-href. */
  function option(k, href, title, detail, badge) {
    var li = node("li", "zf-suggest__item");
    li.id = "zf-suggest-" + k;
    li.setAttribute("role", "option");
    li.setAttribute("data-href", href);
    li.appendChild(node("span", "zf-suggest__title", title));
    if (badge) li.appendChild(node("span", "zf-badge zf-badge--void", badge));
    if (detail) li.appendChild(node("span", "zf-suggest__meta", detail));
    return li;
  }

  function searchHref(q) {
    var url = new URL(searchUrl);
    url.searchParams.set("q", q);
    return url.href;
  }

  /** A term to search for: a correction ("您是不是要找：") or a completion ("检索词"). */
  function termOption(k, term, correction) {
    var li = node("li", "zf-suggest__item zf-suggest__term" + (correction ? " zf-suggest__term--fix" : ""));
    li.id = "zf-suggest-" + k;
    li.setAttribute("role", "option");
    li.setAttribute("data-href", searchHref(term));
    if (correction) li.appendChild(node("span", "zf-suggest__kind", "您是不是要找："));
    li.appendChild(node("span", "zf-suggest__word", term));
    if (!correction) li.appendChild(node("span", "zf-suggest__kind zf-suggest__kind--after", "检索词"));
    return li;
  }

  function render(r, terms, q) {
    var chosen = active >= 0 ? options()[active].getAttribute("data-href") : null;   // kept if still listed
    list.textContent = "";
    var k = 0;
    (r.suggest || []).slice(0, 2).forEach(function (t) { list.appendChild(termOption(k++, t, true)); });
    var shown = new Set((r.suggest || []).concat(r.hits.map(function (hit) { return window.ZfSearch.plain(hit.title); })));
    terms.forEach(function (t) {   // a term that is the title of a document listed below would say it twice
      if (k < TERMS && !shown.has(t[0]) && !shown.has(window.ZfSearch.plain(t[0]))) list.appendChild(termOption(k++, t[0], false));
    });
    r.hits.forEach(function (hit) {
      var detail = [hit.docNo, hit.publisher, hit.date].filter(Boolean).join(" · ");
      list.appendChild(option(k++, new URL(hit.url, rootUrl).href, hit.title, detail, hit.void ? hit.validity : ""));
    });
    var more = r.total ? "查看全部 " + r.total + " 条结果，按发布机构、主题分类、年份筛选" : "未找到相关文件，请减少或更换关键词";
    var last = option(k, searchHref(q), more, "", "");
    last.classList.add("zf-suggest__all");
    list.appendChild(last);
    var fix = r.suggest && r.suggest.length ? "；您是不是要找：" + r.suggest.slice(0, 2).join("、") : "";
    status.textContent = (r.total ? "找到 " + r.total + " 条结果" : "未找到相关文件") + fix + (r.total || fix ? "，按下方向键浏览" : "");
    list.hidden = false;
    input.setAttribute("aria-expanded", "true");
    var again = Array.prototype.findIndex.call(options(), function (o) { return o.getAttribute("data-href") === chosen; });
    select(chosen ? again : -1);   // a late answer to an earlier keystroke does not undo her arrow key
  }

  function run() {
    var mine = ++seq, q = input.value.trim();
    if (!q) { close(); status.textContent = ""; return; }
    engine().then(function (e) {
      return Promise.all([e.search({q: q, filters: {}, titlesOnly: true, suggest: true}, SHOW), e.complete(q, TERMS + SHOW)]);
    }).then(function (both) {
      if (mine === seq && document.activeElement === input) render(both[0], both[1], q);
    }).catch(function () { if (mine === seq) close(); });   // the form still leads to /search/
  }

  input.addEventListener("focus", function () { engine(); });
  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(run, DEBOUNCE);
  });
  input.addEventListener("keydown", function (e) {
    var open = !list.hidden;
    if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      if (!open) { run(); return; }
      e.preventDefault();
      var n = options().length, step = e.key === "ArrowDown" ? 1 : -1;
      select(active < 0 ? (step > 0 ? 0 : n - 1) : (active + step + n) % n);
    } else if (e.key === "Enter" && open && active >= 0) {
      e.preventDefault();
      location.href = options()[active].getAttribute("data-href");
    } else if (e.key === "Escape" && open) {
      e.preventDefault();
      close();
    }
  });
  list.addEventListener("mousedown", function (e) { e.preventDefault(); });   // keep the focus in the box
  list.addEventListener("click", function (e) {
    var li = e.target.closest && e.target.closest("[role=option]");
    if (li) location.href = li.getAttribute("data-href");
  });
  document.addEventListener("click", function (e) { if (!form.contains(e.target)) close(); });
  form.addEventListener("focusout", function (e) { if (!form.contains(e.relatedTarget)) close(); });
})();
