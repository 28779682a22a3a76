/* The /search/ page: state in the URL (?q= plus facets, sort, page), results as the
   citizen types in the banner box, facets, paging, snippets. Every text from the index
   is inserted as a text node, never as HTML. */
(function () {
  "use strict";
  var box = document.getElementById("zf-search");
  var input = document.getElementById("zf-q");
  if (!box || !input || !window.ZfSearch || !window.fetch) return;
  var Z = window.ZfSearch, PAGE = 10, DEBOUNCE = 30;
  var indexUrl = new URL(box.getAttribute("data-index"), location.href);
  var rootUrl = new URL(box.getAttribute("data-root"), location.href);
  var engine = Z.httpEngine(indexUrl);
  var LABELS = {kind: "公文种类", org: "发文机关代字", agency: "机构", pub: "发布机构", cat: "主题分类", col: "公开目录", year: "发布年份", val: "有效性"};
  var SORTS = ["date", "written"], ISO = /^\d{4}-\d\d-\d\d$/;
  var el = {
    status: document.getElementById("zf-status"), results: document.getElementById("zf-results"),
    facets: document.getElementById("zf-facets"), pages: document.getElementById("zf-pages"),
    sort: document.getElementById("zf-sort"), bar: box.querySelector(".zf-search__bar"),
    advanced: document.getElementById("zf-advanced"), scope: document.getElementById("zf-scope"),
    from: document.getElementById("zf-from"), to: document.getElementById("zf-to"),
    mean: document.getElementById("zf-didyoumean"), agencyScope: document.getElementById("zf-agency-scope")
  };
  var seq = 0, timer = 0, typedAt = 0;

  function readState() {
    var p = new URLSearchParams(location.search), filters = {};
    Z.FACETS.forEach(function (f) { var v = p.getAll(f); if (v.length) filters[f] = new Set(v); });
    var date = function (k) { var v = p.get(k) || ""; return ISO.test(v) ? v : ""; };
    return {q: p.get("q") || "", sort: SORTS.indexOf(p.get("sort")) >= 0 ? p.get("sort") : "",
            scope: Z.SCOPES.indexOf(p.get("in")) >= 0 ? p.get("in") : "", from: date("from"), to: date("to"),
            page: parseInt(p.get("page"), 10) || 1, filters: filters};
  }

  function writeState(state, push) {
    var p = new URLSearchParams();
    if (state.q) p.set("q", state.q);
    Z.FACETS.forEach(function (f) {
      if (state.filters[f]) Array.from(state.filters[f]).sort().forEach(function (v) { p.append(f, v); });
    });
    if (state.scope) p.set("in", state.scope);
    if (state.from) p.set("from", state.from);
    if (state.to) p.set("to", state.to);
    if (state.sort) p.set("sort", state.sort);
    if (state.page > 1) p.set("page", String(state.page));
    var url = location.pathname + (p.toString() ? "?" + p.toString() : "");
    if (url !== location.pathname + location.search) history[push ? "pushState" : "replaceState"](null, "", url);
  }

  var state = readState();

  function node(tag, cls, text) {
    var n = document.createElement(tag);
    if (cls) n.className = cls;
    if (text != null) n.textContent = text;
    return n;
  }

  function renderHit(hit, q) {
    var li = node("li", "zf-hit");
    var h = node("h2", "zf-hit__title");
    var a = node("a", null, hit.title);
    a.href = new URL(hit.url, rootUrl).href;
    h.appendChild(a);
    if (hit.void) {
      h.appendChild(document.createTextNode(" "));
      h.appendChild(node("span", "zf-badge zf-badge--void", hit.validity));
    }
    li.appendChild(h);
    var meta = node("p", "zf-hit__meta");
    if (hit.page) meta.appendChild(node("span", null, "栏目页面"));
    [["文号", hit.docNo], ["发布机构", hit.publisher], ["成文日期", state.sort === "written" ? hit.written : ""],
     ["发布日期", hit.date]].forEach(function (f) {
      if (!f[1]) return;
      var s = node("span", "zf-hit__field");
      s.appendChild(node("span", "zf-hit__label", f[0] + "："));
      s.appendChild(document.createTextNode(f[1]));
      meta.appendChild(s);
    });
    li.appendChild(meta);
    var snip = node("p", "zf-hit__snippet", hit.summary ? hit.summary.slice(0, 110) : "");
    li.appendChild(snip);
    li.zfLoad = function () {
      engine.snippet(q, hit).then(function (parts) {
        snip.textContent = "";
        parts.forEach(function (p) { snip.appendChild(p.mark ? node("mark", null, p.text) : document.createTextNode(p.text)); });
      });
    };
    return li;
  }

  /** What a facet value is called on the page: an agency by its name (its slug is in the URL). */
  function shownLabel(meta, f, label) {
    if (f !== "agency") return label || "未注明";
    var code = (meta.labels.agency || []).indexOf(label);
    return code >= 0 ? meta.names.agency[code] : label;
  }

  /** ?agency=: the search is limited to some agencies' documents (an agency's 专栏 links here so);
      said above the results even before a query, with a button to search every agency. */
  function renderScope(meta) {
    var chosen = Array.from(state.filters.agency || []);
    if (!el.agencyScope) return;   // a page from an older template
    el.agencyScope.textContent = "";
    el.agencyScope.hidden = !chosen.length;
    if (!chosen.length) return;
    el.agencyScope.appendChild(document.createTextNode("检索范围：" + chosen.map(function (s) { return shownLabel(meta, "agency", s); }).join("、") + " 的文件 "));
    var all = node("button", "zf-search__scope-all", "改为检索全部机构");
    all.type = "button";
    el.agencyScope.appendChild(all);
  }

  function renderFacets(r) {
    el.facets.textContent = "";
    Z.FACETS.forEach(function (f) {
      if (!r.meta.labels[f] || (f === "agency" && r.meta.labels.agency.length < 2)) return;   // one agency: nothing to choose
      var counts = r.counts[f], chosen = state.filters[f] || new Set();
      var items = Array.from(counts.entries()).map(function (e) { return {label: r.meta.labels[f][e[0]], n: e[1]}; });
      chosen.forEach(function (label) {
        if (!items.some(function (i) { return i.label === label; })) items.push({label: label, n: 0});
      });
      if (!items.length) return;
      items.sort(f === "year" ? function (a, b) { return b.label.localeCompare(a.label); }
                              : function (a, b) { return b.n - a.n || shownLabel(r.meta, f, a.label).localeCompare(shownLabel(r.meta, f, b.label), "zh"); });
      var set = node("fieldset", "zf-facet");
      set.appendChild(node("legend", null, LABELS[f]));
      items.slice(0, Math.max(12, chosen.size)).forEach(function (item) {
        var label = node("label", "zf-facet__item"), box = node("input");
        box.type = "checkbox"; box.name = f; box.value = item.label; box.checked = chosen.has(item.label);
        label.appendChild(box);
        label.appendChild(document.createTextNode(" " + shownLabel(r.meta, f, item.label) + " "));
        label.appendChild(node("span", "zf-count", "(" + item.n + ")"));
        set.appendChild(label);
      });
      el.facets.appendChild(set);
    });
    el.facets.hidden = !el.facets.firstChild;
  }

  function showState() {
    el.sort.value = state.sort;
    el.scope.value = state.scope;
    el.from.value = state.from;
    el.to.value = state.to;
    if (state.scope || state.from || state.to) el.advanced.open = true;
  }

  /** 您是不是要找: each suggestion is a link to its own search (a real URL: works in a new tab too). */
  function renderSuggestions(terms) {
    el.mean.textContent = "";
    el.mean.hidden = !terms.length;
    if (!terms.length) return;
    el.mean.appendChild(document.createTextNode("您是不是要找："));
    terms.forEach(function (t, k) {
      if (k) el.mean.appendChild(document.createTextNode("、"));
      var a = node("a", "zf-didyoumean__term", t);
      var p = new URLSearchParams(location.search);
      p.set("q", t);
      p.delete("page");
      a.href = location.pathname + "?" + p.toString();
      a.setAttribute("data-q", t);
      el.mean.appendChild(a);
    });
  }

  function renderPages(r) {
    el.pages.textContent = "";
    el.pages.hidden = r.pages < 2;
    for (var n = 1; n <= r.pages; n++) {
      if (n > 2 && n < r.pages - 1 && Math.abs(n - r.page) > 2) { if (el.pages.lastChild.textContent !== "…") el.pages.appendChild(node("span", null, "…")); continue; }
      if (n === r.page) { var cur = node("span", "zf-pager__current", String(n)); cur.setAttribute("aria-current", "page"); el.pages.appendChild(cur); continue; }
      var b = node("button", "zf-pager__button", String(n));
      b.type = "button"; b.setAttribute("data-page", String(n)); b.setAttribute("aria-label", "第" + n + "页");
      el.pages.appendChild(b);
    }
  }

  // Snippets need a slice of the document text: fetch it only for results on screen.
  var seen = window.IntersectionObserver && new IntersectionObserver(function (entries) {
    entries.forEach(function (e) { if (e.isIntersecting) { seen.unobserve(e.target); e.target.zfLoad(); } });
  }, {rootMargin: "200px"});

  function loadSnippets() {
    Array.from(el.results.children).forEach(function (li) { if (seen) seen.observe(li); else li.zfLoad(); });
  }

  function run() {
    var mine = ++seq, q = state.q.trim();
    document.title = (q ? q + " - " : "") + "检索 - " + document.title.split(" - ").pop();
    if (!q) {
      el.results.textContent = ""; el.facets.hidden = true; el.pages.hidden = true; el.bar.hidden = true; el.mean.hidden = true;
      showState();
      el.status.textContent = "请在上方检索框输入标题、文号、索引号或关键词。";
      return engine.meta().then(function (meta) { if (mine === seq) renderScope(meta); }, function () {});
    }
    // The results are drawn first; "您是不是要找" follows when its lists have loaded (one more round).
    return engine.search(state, PAGE).then(function (r) {
      if (mine !== seq) return;
      el.results.textContent = "";
      r.hits.forEach(function (hit) { el.results.appendChild(renderHit(hit, q)); });
      loadSnippets();
      el.results.setAttribute("start", String((r.page - 1) * PAGE + 1));
      el.status.textContent = r.total ? "找到 " + r.total + " 条结果" + (r.pages > 1 ? "，第 " + r.page + "/" + r.pages + " 页" : "")
                                      : "未找到与“" + q + "”相关的文件，请减少或更换关键词。";
      el.bar.hidden = !r.total;
      showState();
      renderScope(r.meta);
      renderSuggestions([]);
      renderFacets(r);
      renderPages(r);
      if (typedAt) { box.setAttribute("data-ms", String(Math.round(performance.now() - typedAt))); typedAt = 0; }
      return (r.unsure ? engine.suggest(q) : Promise.resolve([])).then(function (terms) {
        if (mine !== seq) return;
        renderSuggestions(terms);
        box.setAttribute("data-done", String(mine));
      });
    }).catch(function () {
      if (mine === seq) el.status.textContent = "检索索引加载失败，请稍后重试，或通过下方目录浏览。";
    });
  }

  function update(change, push) {
    for (var k in change) state[k] = change[k];
    writeState(state, push);
    return run();
  }

  input.value = state.q;
  var lastInput = 0;
  input.addEventListener("input", function () {
    var idle = performance.now() - lastInput > DEBOUNCE;
    typedAt = lastInput = performance.now();
    clearTimeout(timer);
    // The first key after a pause (or a pasted query) searches at once; keys typed in quick
    // succession wait until she pauses for DEBOUNCE ms, so a burst costs one search, not one a key.
    if (idle) update({q: input.value, page: 1}, false);
    else timer = setTimeout(function () { update({q: input.value, page: 1}, false); }, DEBOUNCE);
  });
  input.form.addEventListener("submit", function (e) {
    e.preventDefault();
    clearTimeout(timer);
    update({q: input.value, page: 1}, true);
  });
  el.sort.addEventListener("change", function () { update({sort: el.sort.value, page: 1}, true); });
  el.scope.addEventListener("change", function () { update({scope: el.scope.value, page: 1}, true); });
  [el.from, el.to].forEach(function (input) {
    input.addEventListener("change", function () {
      if (input.value && !ISO.test(input.value)) return;
      update({from: el.from.value, to: el.to.value, page: 1}, true);
    });
  });
  el.mean.addEventListener("click", function (e) {
    var q = e.target.getAttribute && e.target.getAttribute("data-q");
    if (!q) return;
    e.preventDefault();
    input.value = q;
    update({q: q, page: 1}, true);
  });
  if (el.agencyScope) el.agencyScope.addEventListener("click", function (e) {
    if (!e.target.closest || !e.target.closest("button")) return;
    var filters = Object.assign({}, state.filters);
    delete filters.agency;
    update({filters: filters, page: 1}, true);
    input.focus();
  });
  el.facets.addEventListener("change", function (e) {
    var f = e.target.name, set = new Set(state.filters[f] || []);
    if (e.target.checked) set.add(e.target.value); else set.delete(e.target.value);
    var filters = Object.assign({}, state.filters);
    if (set.size) filters[f] = set; else delete filters[f];
    update({filters: filters, page: 1}, true);
  });
  el.pages.addEventListener("click", function (e) {
    var n = e.target.getAttribute && e.target.getAttribute("data-page");
    if (n) update({page: parseInt(n, 10)}, true).then(function () { el.status.focus && el.results.scrollIntoView(); });
  });
  window.addEventListener("popstate", function () { state = readState(); input.value = state.q; showState(); run(); });
  run();
})();
