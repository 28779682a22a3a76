/* 无障碍浏览 / 适老化模式 toolbar: text size, elder mode, high contrast, large cursor,
   read-aloud (Web Speech API) and a plain-text view. Choices persist in localStorage
   and apply at once (the inline script in partials/zf-head.html applies them before paint). */
(function () {
  "use strict";
  /* Body text at each size step, of normal text (zf-a11y.css sets the root size of each). */
  var KEY = "zf-a11y", MAX = 4;
  var SIZES = { normal: ["100%", "125%", "150%", "175%", "200%"], elder: ["150%", "165%", "180%", "195%", "210%"] };
  function sizeLabel() { return SIZES[state.elder ? "elder" : "normal"][state.size || 0]; }
  var TOGGLES = ["elder", "contrast", "cursor", "plain"];
  var root = document.documentElement;
  var state = load();

  function load() {
    try { return JSON.parse(localStorage.getItem(KEY) || "{}") || {}; } catch (e) { return {}; }
  }
  function save() {
    try { localStorage.setItem(KEY, JSON.stringify(state)); } catch (e) { /* private mode: still applies */ }
  }
  function all(sel) { return Array.prototype.slice.call(document.querySelectorAll(sel)); }
  function say(text) { all("[data-zf-status]").forEach(function (el) { el.textContent = text; }); }

  function apply() {
    for (var i = 1; i <= MAX; i++) root.classList.toggle("zf-size-" + i, state.size === i);
    TOGGLES.forEach(function (k) { root.classList.toggle("zf-" + k, !!state[k]); });
    all("[data-zf-toggle]").forEach(function (b) {
      b.setAttribute("aria-pressed", state[b.getAttribute("data-zf-toggle")] ? "true" : "false");
    });
    all("[data-zf-toggle=elder]").forEach(function (b) { b.textContent = state.elder ? "关闭适老化模式" : "打开适老化模式"; });
    all("[data-zf-size]").forEach(function (o) { o.textContent = sizeLabel(); });
    /* aria-disabled, not disabled: the pressed button keeps the focus at either end. */
    all("[data-zf-act=smaller]").forEach(function (b) { b.setAttribute("aria-disabled", state.size ? "false" : "true"); });
    all("[data-zf-act=larger]").forEach(function (b) { b.setAttribute("aria-disabled", (state.size || 0) >= MAX ? "true" : "false"); });
    all("[data-zf-panel]").forEach(function (b) {
      var panel = document.getElementById(b.getAttribute("aria-controls"));
      b.setAttribute("aria-expanded", state.panel ? "true" : "false");
      if (panel) panel.hidden = !state.panel;
    });
  }

  /* Read-aloud (Web Speech API): the selection, else the page's main text block by block,
     the metadata table as "索引号：…。" pairs, without URLs, hidden or decorative text; in
     short utterances (Chromium stops long ones), with a local Chinese voice when there is one.
     When the device has no (Chinese) voice the panel says so instead of failing silently. */
  var speaking = false, paused = false;
  var SKIP = "script,style,noscript,svg,img,[hidden],[aria-hidden=true],.zf-visually-hidden,.zf-share,.zf-crumbs,.headerlink";
  var BLOCK = /^(P|H[1-6]|LI|DT|DD|TD|TH|TR|CAPTION|TABLE|FIGCAPTION|BLOCKQUOTE|PRE|DIV|SECTION|ARTICLE|ASIDE|NAV|UL|OL|DL|FORM|FIGURE)$/;
  var URLS = /(?:https?:\/\/|www\.)[^\s，。；、）)]+/g;
  var END = /[。！？；.!?;：:]$/;
  function clean(text) { return text.replace(URLS, "").replace(/\s+/g, " ").trim(); }
  function sentence(text) { return END.test(text) ? text : text + "。"; }
  function metaPairs(table) {
    return Array.prototype.map.call(table.querySelectorAll("th"), function (th) {
      var td = th.nextElementSibling;
      return clean(th.textContent) + "：" + sentence(clean(td ? td.textContent : "") || "无");
    });
  }
  function textBlocks(root) {
    var blocks = [], line = "";
    function flush() { var t = clean(line); if (t) blocks.push(sentence(t)); line = ""; }
    function walk(node) {
      if (node.nodeType === 3) { line += node.nodeValue; return; }
      if (node.nodeType !== 1 || node.matches(SKIP) || getComputedStyle(node).display === "none") return;
      if (node.matches("table.zf-meta")) { flush(); blocks.push.apply(blocks, metaPairs(node)); return; }
      var block = BLOCK.test(node.tagName);
      if (block) flush();
      for (var c = node.firstChild; c; c = c.nextSibling) walk(c);
      if (block) flush();
    }
    walk(root); flush();
    return blocks;
  }
  function chunks(blocks) {
    var out = [];
    blocks.forEach(function (b) { out.push.apply(out, b.match(/[^。！？；.!?;]{1,180}[。！？；.!?;]?/g) || []); });
    return out.filter(function (p) { return p.trim(); });
  }
  function pickVoice(voices) {
    var zh = voices.filter(function (v) { return /^zh([-_](CN|Hans))?/i.test(v.lang) && !/^zh[-_](HK|TW|MO)/i.test(v.lang); });
    zh.sort(function (a, b) { return (b.localService ? 1 : 0) - (a.localService ? 1 : 0); });
    return zh[0] || null;
  }
  function withVoices(synth, then) {   /* Chromium lists the voices a moment after the page loads */
    var voices = synth.getVoices(), done = false;
    if (voices.length) { then(voices); return; }
    function go() { if (!done) { done = true; then(synth.getVoices()); } }
    if (synth.addEventListener) synth.addEventListener("voiceschanged", go);
    setTimeout(go, 1500);
  }
  function setReading(on) {
    speaking = on; paused = false;
    all("[data-zf-act=read]").forEach(function (b) {
      b.setAttribute("aria-pressed", on ? "true" : "false");
      b.textContent = on ? "停止朗读" : "语音朗读";
    });
    all("[data-zf-act=pause]").forEach(function (b) {
      b.hidden = !on; b.setAttribute("aria-pressed", "false"); b.textContent = "暂停朗读";
    });
  }
  function pause() {
    var synth = window.speechSynthesis;
    if (!synth || !speaking) return;
    paused = !paused;
    if (paused) synth.pause(); else synth.resume();
    all("[data-zf-act=pause]").forEach(function (b) {
      b.setAttribute("aria-pressed", paused ? "true" : "false"); b.textContent = paused ? "继续朗读" : "暂停朗读";
    });
    say(paused ? "已暂停朗读" : "继续朗读");
  }
  function read() {
    var synth = window.speechSynthesis;
    if (!synth) { say("此浏览器不支持语音朗读"); return; }
    if (speaking) { synth.cancel(); setReading(false); say("已停止朗读"); return; }
    var sel = String(window.getSelection ? window.getSelection() : "").trim();
    var main = document.getElementById("zf-main") || document.querySelector("main") || document.body;
    var parts = chunks(sel ? [clean(sel)] : textBlocks(main));
    if (!parts.length) return;
    say("正在查找本机的中文语音……");
    withVoices(synth, function (voices) {
      if (!voices.length) { say("无法朗读：本机没有安装任何语音。请在系统设置中添加中文（普通话）语音后再试。"); return; }
      var voice = pickVoice(voices);
      if (!voice) { say("无法朗读：本机没有中文语音。请在系统设置中添加中文（普通话）语音后再试。"); return; }
      synth.cancel();
      parts.forEach(function (p, i) {
        var u = new SpeechSynthesisUtterance(p);
        u.lang = "zh-CN";
        try { u.voice = voice; } catch (e) { /* a voice list not from this browser */ }
        u.rate = state.elder ? 0.8 : 1;
        u.onerror = function (ev) {
          if (ev.error === "interrupted" || ev.error === "canceled" || !speaking) return;
          synth.cancel(); setReading(false); say("朗读出错（" + ev.error + "），已停止。");
        };
        if (i === parts.length - 1) u.onend = function () { if (speaking) { setReading(false); say("朗读完毕"); } };
        synth.speak(u);
      });
      setReading(true);
      say((sel ? "正在朗读所选文字" : "正在朗读本页") + "（语音：" + voice.name + (voice.localService ? "，本机" : "，在线") + "）");
    });
  }

  function act(name) {
    if ((name === "smaller" && !state.size) || (name === "larger" && (state.size || 0) >= MAX)) {
      say(name === "larger" ? "已是最大字号" : "已是默认字号"); return;
    }
    if (name === "smaller") state.size = Math.max(0, (state.size || 0) - 1);
    else if (name === "larger") state.size = Math.min(MAX, (state.size || 0) + 1);
    else if (name === "reset") { var panel = state.panel; state = { panel: panel }; }
    else if (name === "read") { read(); return; }
    else if (name === "pause") { pause(); return; }
    save(); apply(); remarkScrollBoxes();
    if (name !== "reset") say("字号 " + sizeLabel()); else say("已恢复默认显示");
  }

  document.addEventListener("click", function (ev) {
    var b = ev.target.closest && ev.target.closest("[data-zf-toggle],[data-zf-act],[data-zf-panel]");
    if (!b) return;
    if (b.hasAttribute("data-zf-panel")) { state.panel = !state.panel; save(); apply(); return; }
    var key = b.getAttribute("data-zf-toggle");
    if (key) {
      state[key] = !state[key];
      save(); apply(); remarkScrollBoxes();
      say(b.textContent + (state[key] ? " 已开启" : " 已关闭"));
      return;
    }
    act(b.getAttribute("data-zf-act"));
  });
  /* Table boxes (named regions, see accessibility.py): a keyboard stop with a visible cue
     only when the table is wider than its box; otherwise one Tab stop less. */
  function markScrollBoxes() {
    all(".zf-table-wrap").forEach(function (box) {
      var scrolls = box.scrollWidth > box.clientWidth + 1;
      box.classList.toggle("zf-table-wrap--scrolls", scrolls);
      if (scrolls) box.setAttribute("tabindex", "0");
      else if (box !== document.activeElement) box.removeAttribute("tabindex");
    });
  }
  var boxFrame = 0;
  function remarkScrollBoxes() {
    if (!boxFrame) boxFrame = requestAnimationFrame(function () { boxFrame = 0; markScrollBoxes(); });
  }
  window.addEventListener("resize", remarkScrollBoxes);
  /* Material's drawer slides off screen when closed, its links still in the Tab order:
     inert while closed on narrow screens, so focus never lands out of sight. Material can
     close it without a change event (Escape, a link), hence the checks on key and click. */
  var drawer = document.getElementById("__drawer"), sidebar = document.querySelector(".md-sidebar--primary");
  var narrow = window.matchMedia ? window.matchMedia("(max-width: 76.234375em)") : null;
  function syncDrawer() {
    if (drawer && sidebar && narrow) sidebar.inert = narrow.matches && !drawer.checked;
  }
  if (drawer && sidebar && narrow) {
    drawer.addEventListener("change", syncDrawer);
    if (narrow.addEventListener) narrow.addEventListener("change", syncDrawer);
    ["click", "keyup"].forEach(function (type) {
      document.addEventListener(type, function () { setTimeout(syncDrawer, 0); }, true);
    });
    syncDrawer();
  }
  /* Material's bundle, held back by main.html: loaded at the first sign of a reader. It
     starts on DOMContentLoaded, which has passed by then, so that event is sent again. */
  var later = all("script[data-zf-later]"), started = false;
  function startMaterial() {
    if (started) return;
    started = true;
    later.forEach(function (held) {
      var s = document.createElement("script");
      s.src = held.getAttribute("data-src");
      s.onload = function () { document.dispatchEvent(new Event("DOMContentLoaded")); };
      document.body.appendChild(s);
    });
  }
  if (later.length) ["pointerdown", "keydown", "touchstart", "wheel"].forEach(function (type) {
    window.addEventListener(type, startMaterial, { once: true, passive: true, capture: true });
  });
  /* Another tab changed the choices: follow them. */
  window.addEventListener("storage", function (ev) { if (ev.key === KEY) { state = load(); apply(); remarkScrollBoxes(); } });
  if (!window.speechSynthesis) all("[data-zf-act=read]").forEach(function (b) {
    b.disabled = true; b.title = "此浏览器不支持语音朗读";
  });
  window.addEventListener("pagehide", function () { if (speaking && window.speechSynthesis) window.speechSynthesis.cancel(); });
  apply();
  /* After the first paint, when the layout is done (measuring then costs nothing), and again
     whenever a box or its table changes size (text size, late images, a rotated phone). */
  requestAnimationFrame(function () {
    setTimeout(function () {
      markScrollBoxes();
      if (window.ResizeObserver) {
        var watch = new ResizeObserver(remarkScrollBoxes);
        all(".zf-table-wrap").forEach(function (box) {
          watch.observe(box);
          if (box.firstElementChild) watch.observe(box.firstElementChild);
        });
      }
    }, 0);
  });
})();
