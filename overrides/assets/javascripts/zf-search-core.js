/* 政府信息公开 search engine: tokenizer, exact keys and the query over the static
   index written by hooks/zfxxgk/search_index.py. The tokenizer and keys mirror
   hooks/zfxxgk/search_tokens.py line for line (tests compare them); no DOM here,
   so Node runs the same code in the relevance test. */
(function (root, factory) {
  if (typeof module === "object" && module.exports) module.exports = factory();
  else root.ZfSearch = factory();
})(this, function () {
  "use strict";

  // --- search_tokens.py ------------------------------------------------------
  var HAN_RANGES = [[0x3007, 0x3007], [0x3400, 0x4DBF], [0x4E00, 0x9FFF], [0xF900, 0xFAFF], [0x20000, 0x3134F]];
  var HAN = HAN_RANGES.map(function (r) {
    return "\\u{" + r[0].toString(16) + "}-\\u{" + r[1].toString(16) + "}";
  }).join("");
  var FULLWIDTH_ALNUM = "\\u{ff10}-\\u{ff19}\\u{ff21}-\\u{ff3a}\\u{ff41}-\\u{ff5a}";
  var RUN = new RegExp("[" + HAN + "]+|[0-9A-Za-z" + FULLWIDTH_ALNUM + "]+", "gu");
  var ALNUM_START = new RegExp("^[0-9A-Za-z" + FULLWIDTH_ALNUM + "]", "u");
  var FOLDABLE = new RegExp("[A-Z" + FULLWIDTH_ALNUM + "]", "gu");
  var KEEP = new RegExp("[^0-9a-z" + HAN + "]+", "gu");
  var YEAR_MARK = /((?:19|20)\d\d)年/gu;
  var NTH = /第(?=\d)/gu;
  var YEAR_SEQ = /^(.*?\D)((?:19|20)\d\d)0*(\d+)$/u;
  var SEQ = /^(.*?\D)0*(\d+)$/u;

  function fold(text) {
    return text.replace(FOLDABLE, function (c) {
      var code = c.charCodeAt(0);
      if (code < 0x80) return String.fromCharCode(code + 32);
      if (code >= 0xFF21 && code <= 0xFF3A) return String.fromCharCode(code - 0xFEE0 + 32);
      return String.fromCharCode(code - 0xFEE0);
    });
  }

  function tokens(text) {
    var out = [];
    var runs = text.match(RUN) || [];
    for (var i = 0; i < runs.length; i++) {
      var run = runs[i];
      if (ALNUM_START.test(run)) { out.push(fold(run)); continue; }
      var chars = Array.from(run);
      if (chars.length === 1) { out.push(run); continue; }
      for (var j = 0; j + 1 < chars.length; j++) out.push(chars[j] + chars[j + 1]);
    }
    return out;
  }

  function exactKey(text) {
    var key = fold(text).replace(KEEP, "");
    key = key.replace(YEAR_MARK, "$1").replace(NTH, "");
    if (key.slice(-1) === "号") key = key.slice(0, -1);
    var m = YEAR_SEQ.exec(key);
    if (m) return m[1] + m[2] + "-" + m[3];
    m = SEQ.exec(key);
    if (m) return m[1] + m[2];
    return key;
  }

  function shardOf(token, shards) {
    var h = 0x811C9DC5;
    for (var ch of token) h = Math.imul(h ^ ch.codePointAt(0), 0x01000193) >>> 0;
    return h % shards;
  }

  // --- the query ---------------------------------------------------------------
  var TITLE_BIT = 256, VALUE_SPAN = 512, FACETS = ["pub", "cat", "col", "year", "val"];

  /** load(path, asText) -> Promise of parsed JSON (or text) below the index directory. */
  function Engine(load) {
    this.load = load;
    this.cache = new Map();
    this.metaPromise = null;
  }

  /** The browser's engine: index files fetched from below indexUrl (a URL). */
  function httpEngine(indexUrl) {
    return new Engine(function (path, asText) {
      return fetch(new URL(path, indexUrl)).then(function (r) {
        if (!r.ok) throw new Error(r.status + " " + path);
        return asText ? r.text() : r.json();
      });
    });
  }

  Engine.prototype.get = function (path, asText) {
    if (!this.cache.has(path)) this.cache.set(path, this.load(path, !!asText));
    return this.cache.get(path);
  };

  Engine.prototype.meta = function () {
    var self = this;
    if (!this.metaPromise) this.metaPromise = this.get("meta.json").then(function (m) { return self.decodeMeta(m); });
    return this.metaPromise;
  };

  Engine.prototype.decodeMeta = function (m) {
    var date = new Array(m.docs), year = new Array(m.docs), day = 0;
    for (var i = 0; i < m.docs; i++) {
      day += m.dates[i];
      date[i] = day;
      year[i] = new Date(day * 86400000).getUTCFullYear();
    }
    var years = Array.from(new Set(year)).sort(function (a, b) { return b - a; });
    var yearIndex = new Map(years.map(function (y, k) { return [y, k]; }));
    m.facets.year = year.map(function (y) { return yearIndex.get(y); });
    m.labels.year = years.map(String);
    m.date = date;
    m.commonSet = new Set(m.common);
    return m;
  };

  /** Most query tokens whose first occurrences fall within two adjacent position buckets. */
  function nearby(buckets) {
    buckets.sort(function (a, b) { return a - b; });
    var best = 0;
    for (var i = 0, j = 0; j < buckets.length; j++) {
      while (buckets[j] - buckets[i] > 1) i++;
      best = Math.max(best, j - i + 1);
    }
    return best;
  }

  /** Candidates of query q: [{id, score, bucket}] ranked by relevance: exact key, whole title, then
      body matches weighted by rarity (idf) and by how close together the query's tokens first appear. */
  Engine.prototype.match = async function (q) {
    var meta = await this.meta();
    var toks = Array.from(new Set(tokens(q)));
    if (!toks.length) return [];
    var key = exactKey(q), self = this;
    var use = toks.filter(function (t) { return !meta.commonSet.has(t); });
    if (!use.length) use = toks;
    var exact = new Set();
    if (key && /[0-9]/.test(key)) {   // a 文号 or 索引号: look the key up first
      exact = new Set((await this.get("k/" + shardOf(key, meta.shards.k) + ".json"))[key] || []);
      var words = use.filter(function (t) { return !/^[0-9]+$/.test(t) && Array.from(t).length > 1; });
      if (exact.size) use = words;   // the numbers' long postings add nothing then
    }
    var shards = await Promise.all(use.map(function (t) { return self.get("b/" + shardOf(t, meta.shards.b) + ".json"); }));
    var lists = use.map(function (t, k) { return shards[k][t] || []; });
    var order = use.map(function (_, k) { return k; }).sort(function (a, b) { return lists[a].length - lists[b].length; });
    var n = meta.entries, hits = new Map();
    order.forEach(function (k) {
      var list = lists[k], idf = Math.log(1 + n / Math.max(1, list.length)), id = 0;
      for (var i = 0; i < list.length; i++) {
        id += Math.floor(list[i] / VALUE_SPAN);
        var v = list[i] % VALUE_SPAN, h = hits.get(id);
        if (!h) { h = {id: id, matched: 0, title: 0, score: 0, bucket: v & 255, buckets: []}; hits.set(id, h); }
        h.matched += 1;
        h.score += idf;
        h.buckets.push(v & 255);
        if (v & TITLE_BIT) { h.title += 1; h.score += idf; }
      }
    });
    var need = use.length, all = Array.from(hits.values());
    var found = all.filter(function (h) { return h.matched >= need; });
    if (!found.length) {
      need = Math.max(1, Math.ceil(use.length * 0.6));
      found = all.filter(function (h) { return h.matched >= need; });
    }
    var qlen = Array.from(q.replace(KEEP, "")).length;
    var inFound = new Set(found.map(function (h) { return h.id; }));
    exact.forEach(function (id) {
      if (!inFound.has(id)) found.push(hits.get(id) || {id: id, matched: 0, title: 0, score: 0, bucket: 0, buckets: []});
    });
    found.forEach(function (h) {
      if (use.length > 1) h.score *= 1 + nearby(h.buckets) / use.length;
      if (exact.has(h.id)) h.score += 1e6;
      if (h.title >= use.length) {   // every token in the title: the closer its length to the query's, the better
        var tlen = Math.max(1, meta.tlen[h.id]);
        h.score += 1e4 * (1 + (qlen <= tlen ? qlen / tlen : 0.5 * tlen / qlen));
      }
    });
    found.sort(function (a, b) { return b.score - a.score || a.id - b.id; });
    if (use.length > 1 && !exact.size) await this.verifyPhrases(q, found, meta);
    return found;
  };

  /** The query's runs that a phrase match must contain verbatim (folded): Han runs of two or more
      characters and Latin/digit words. */
  function phrases(q) {
    return (q.match(RUN) || []).map(fold).filter(function (r) { return Array.from(r).length > 1; });
  }

  var VERIFY = 6, TITLE_PHRASE_BONUS = 6e4, PHRASE_BONUS = 3e4;

  /** Text of slices k and k+1 of a document, joined (slices overlap by one character); "" when absent. */
  Engine.prototype.sliceText = function (meta, id, k) {
    var path = "x/" + Math.floor(id / meta.block) + "/" + id + "-" + k + ".txt";
    return this.get(path, true).catch(function () { return ""; });
  };

  /** Phrases anywhere: the postings only say where each token first appears, so the leading
      candidates that contain every token are checked against their title and text. The phrase cannot start
      before the last of those first appearances, so the check begins at that slice and reads one more
      when it is not there. Documents containing the exact phrase go first. */
  Engine.prototype.verifyPhrases = async function (q, found, meta) {
    var runs = phrases(q), self = this;
    if (!runs.length) return;
    var longest = Math.max.apply(null, runs.map(function (r) { return r.length; }));
    var top = found.filter(function (h) { return h.id < meta.entries && h.buckets.length; }).slice(0, VERIFY);
    function has(text) {
      var low = fold(text);
      return runs.every(function (r) { return low.indexOf(r) >= 0; });
    }
    async function check(h, k) {
      var text = await self.sliceText(meta, h.id, k);
      if (!text) return false;
      if (has(text)) { h.phrase = true; h.slice = k; return false; }
      return true;   // present but without the phrase: the next slice may have it
    }
    var rows = await this.rows(top.map(function (h) { return h.id; }));   // the first page shows them anyway
    top.forEach(function (h, n) { if (has(rows[n][0])) h.titlePhrase = true; });
    var first = top.map(function (h) {
      return Math.max(0, Math.floor((Math.max.apply(null, h.buckets) * meta.bucket - longest) / meta.chunk));
    });
    var more = await Promise.all(top.map(function (h, n) { return check(h, first[n]); }));
    if (!top.some(function (h) { return h.phrase || h.titlePhrase; })) {
      await Promise.all(top.map(function (h, n) { return more[n] ? check(h, first[n] + 1) : false; }));
    }
    var any = false;
    top.forEach(function (h) {   // the phrase in the title beats it in the body: a body may quote other titles
      var bonus = h.titlePhrase ? TITLE_PHRASE_BONUS : h.phrase ? PHRASE_BONUS : 0;
      if (bonus) { h.score += bonus; any = true; }
    });
    if (any) found.sort(function (a, b) { return b.score - a.score || a.id - b.id; });
  };

  function facetValue(meta, facet, id) {
    return id < meta.docs ? meta.facets[facet][id] : -1;
  }

  /** Apply facet filters (facet -> Set of labels) and count values per facet over the other filters. */
  Engine.prototype.facet = function (meta, found, filters) {
    var wanted = {};
    FACETS.forEach(function (f) {
      var labels = filters[f];
      if (labels && labels.size) {
        wanted[f] = new Set();
        meta.labels[f].forEach(function (label, code) { if (labels.has(label)) wanted[f].add(code); });
      }
    });
    var active = Object.keys(wanted);
    var counts = {};
    FACETS.forEach(function (f) { counts[f] = new Map(); });
    var kept = [];
    found.forEach(function (h) {
      var miss = null, misses = 0;
      for (var i = 0; i < active.length; i++) {
        if (!wanted[active[i]].has(facetValue(meta, active[i], h.id))) { miss = active[i]; misses++; }
      }
      if (!misses) kept.push(h);
      if (h.id >= meta.docs || misses > 1) return;
      FACETS.forEach(function (f) {
        if (misses && miss !== f) return;
        var code = meta.facets[f][h.id];
        counts[f].set(code, (counts[f].get(code) || 0) + 1);
      });
    });
    return {kept: kept, counts: counts};
  };

  /** The full answer for a search state {q, sort, page, filters}. */
  Engine.prototype.search = async function (state, pageSize) {
    var meta = await this.meta();
    var found = await this.match(state.q || "");
    var f = this.facet(meta, found, state.filters || {});
    var kept = f.kept;
    if (state.sort === "date") {
      kept = kept.slice().sort(function (a, b) {
        var da = a.id < meta.docs ? meta.date[a.id] : -1e9, db = b.id < meta.docs ? meta.date[b.id] : -1e9;
        return db - da || a.id - b.id;
      });
    }
    var pages = Math.max(1, Math.ceil(kept.length / pageSize));
    var page = Math.min(Math.max(1, state.page || 1), pages);
    var shown = kept.slice((page - 1) * pageSize, page * pageSize);
    var rows = await this.rows(shown.map(function (h) { return h.id; }));
    return {meta: meta, total: kept.length, page: page, pages: pages, counts: f.counts, hits: shown.map(function (h, k) {
      var r = rows[k], doc = h.id < meta.docs, validity = doc ? meta.labels.val[meta.facets.val[h.id]] : "";
      return {id: h.id, slice: h.slice != null ? h.slice : Math.floor(h.bucket * meta.bucket / meta.chunk), title: r[0], docNo: r[1], indexNo: r[2], url: r[3], date: r[4], summary: r[5],
              publisher: doc ? meta.labels.pub[meta.facets.pub[h.id]] : "", validity: validity, void: meta.void.indexOf(validity) >= 0,
              page: !doc};
    })};
  };

  Engine.prototype.rows = async function (ids) {
    var self = this, meta = await this.meta();
    var blocks = await Promise.all(ids.map(function (id) { return self.get("r/" + Math.floor(id / meta.block) + ".json"); }));
    return ids.map(function (id, k) { return blocks[k][id % meta.block]; });
  };

  /** Terms to highlight: each run of the query, or its tokens when the run itself is absent. */
  function terms(q, text) {
    var low = fold(text), out = [];
    (q.match(RUN) || []).forEach(function (run) {
      var r = fold(run);
      if (low.indexOf(r) >= 0) out.push(r);
      else tokens(run).forEach(function (t) { if (low.indexOf(t) >= 0) out.push(t); });
    });
    var long = out.filter(function (t) { return Array.from(t).length > 1; });
    return Array.from(new Set(long.length ? long : out)).sort(function (a, b) { return b.length - a.length; });
  }

  /** A window of text around the first matched term: [{text, mark}] parts (no HTML). */
  function snippet(q, text, width) {
    width = width || 110;
    var found = terms(q, text), low = fold(text), first = -1;
    found.forEach(function (t) { var p = low.indexOf(t); if (p >= 0 && (first < 0 || p < first)) first = p; });
    if (first < 0) return null;
    var start = Math.max(0, first - 30), end = Math.min(text.length, start + width);
    var parts = [], pos = start;
    if (start > 0) parts.push({text: "…", mark: false});
    while (pos < end) {
      var next = -1, len = 0;
      found.forEach(function (t) {
        var p = low.indexOf(t, pos);
        if (p >= 0 && p < end && (next < 0 || p < next || (p === next && t.length > len))) { next = p; len = t.length; }
      });
      if (next < 0) { parts.push({text: text.slice(pos, end), mark: false}); break; }
      if (next > pos) parts.push({text: text.slice(pos, next), mark: false});
      parts.push({text: text.slice(next, next + len), mark: true});
      pos = next + len;
    }
    if (end < text.length) parts.push({text: "…", mark: false});
    return parts;
  }

  /** Snippet of a hit: from the slice where its rarest token first appears, else its summary. */
  Engine.prototype.snippet = async function (q, hit) {
    var meta = await this.meta(), text = "";
    try {
      text = await this.get("x/" + Math.floor(hit.id / meta.block) + "/" + hit.id + "-" + hit.slice + ".txt", true);
    } catch (e) { text = ""; }
    return snippet(q, text) || snippet(q, hit.summary || "") ||
      [{text: (hit.summary || text).slice(0, 110), mark: false}];
  };

  return {tokens: tokens, exactKey: exactKey, fold: fold, shardOf: shardOf, Engine: Engine, httpEngine: httpEngine,
          highlight: snippet, FACETS: FACETS};
});
