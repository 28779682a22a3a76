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

  /* Read-aloud: the selection, else the page's main text, in short utterances
     (Chromium stops long ones). */
  var speaking = false;
  function chunks(text) {
    var parts = text.replace(/\s+/g, " ").match(/[^。！？；.!?;]{1,180}[。！？；.!?;]?/g) || [];
    return parts.filter(function (p) { return p.trim(); });
  }
  function setReading(on) {
    speaking = on;
    all("[data-zf-act=read]").forEach(function (b) {
      b.setAttribute("aria-pressed", on ? "true" : "false");
      b.textContent = on ? "停止朗读" : "语音朗读";
    });
  }
  function read() {
    var synth = window.speechSynthesis;
    if (!synth) { say("此浏览器不支持语音朗读"); return; }
    if (speaking) { synth.cancel(); setReading(false); say("已停止朗读"); return; }
    var sel = String(window.getSelection ? window.getSelection() : "").trim();
    var main = document.getElementById("zf-main") || document.querySelector("main") || document.body;
    var parts = chunks(sel || main.innerText || "");
    if (!parts.length) return;
    synth.cancel();
    parts.forEach(function (p, i) {
      var u = new SpeechSynthesisUtterance(p);
      u.lang = "zh-CN";
      u.rate = state.elder ? 0.8 : 1;
      if (i === parts.length - 1) u.onend = u.onerror = function () { setReading(false); };
      synth.speak(u);
    });
    setReading(true);
    say(sel ? "正在朗读所选文字" : "正在朗读本页");
  }

  function act(name) {
    if ((name === "smaller" && !state.size) || (name === "larger" && (state.size || 0) >= MAX)) {
      say(name === "larger" ? "已是最大字号" : "已是默认字号"); return;
    }
    if (name === "smaller") state.size = Math.max(0, (state.size || 0) - 1);
    else if (name === "larger") state.size = Math.min(MAX, (state.size || 0) + 1);
    else if (name === "reset") { var panel = state.panel; state = { panel: panel }; }
    else if (name === "read") { read(); return; }
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
  /* Another tab changed the choices: follow them. */
  window.addEventListener("storage", function (ev) { if (ev.key === KEY) { state = load(); apply(); remarkScrollBoxes(); } });
  if (!window.speechSynthesis) all("[data-zf-act=read]").forEach(function (b) {
    b.disabled = true; b.title = "此浏览器不支持语音朗读";
  });
  window.addEventListener("pagehide", function () { if (speaking && window.speechSynthesis) window.speechSynthesis.cancel(); });
  apply();
  markScrollBoxes();
})();
