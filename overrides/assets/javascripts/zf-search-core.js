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

  // Traditional -> simplified pairs, one UTF-16 unit each, filled from the index's t/ shards as
  // queries need them (search_tokens.t2s_table is the whole table).
  var T2S = new Map(), T2S_CHARS = null;

  function addFolds(pairs) {
    Object.keys(pairs).forEach(function (t) { T2S.set(t, pairs[t]); });
    T2S_CHARS = T2S.size ? new RegExp("[" + Array.from(T2S.keys()).join("") + "]", "g") : null;
  }

  function fold(text) {
    text = text.replace(FOLDABLE, function (c) {
      var code = c.charCodeAt(0);
      if (code < 0x80) return String.fromCharCode(code + 32);
      if (code >= 0xFF21 && code <= 0xFF3A) return String.fromCharCode(code - 0xFEE0 + 32);
      return String.fromCharCode(code - 0xFEE0);
    });
    return T2S_CHARS ? text.replace(T2S_CHARS, function (c) { return T2S.get(c); }) : text;
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

  function plain(text) {
    return fold(text).replace(KEEP, "");
  }

  // --- pinyin and typos (search_tokens.py builds the index side) -----------------
  var SYLLABLES = new Set("a ai an ang ao ba bai ban bang bao bei ben beng bi bian biang biao bie bin bing bo bong bu ca cai can cang cao ce cei cen ceng cha chai chan chang chao che chen cheng chi chong chou chu chua chuai chuan chuang chui chun chuo ci cong cou cu cuan cui cun cuo da dai dan dang dao de dei den deng di dia dian diao die din ding diu dong dou du duan dui dun duo e ei en eng er fa fan fang fei fen feng fiao fo fou fu ga gai gan gang gao ge gei gen geng gong gou gu gua guai guan guang gui gun guo ha hai han hang hao he hei hen heng hm hng hong hou hu hua huai huan huang hui hun huo ji jia jian jiang jiao jie jin jing jiong jiu ju juan jue jun ka kai kan kang kao ke kei ken keng kong kou ku kua kuai kuan kuang kui kun kuo la lai lan lang lao le lei len leng li lia lian liang liao lie lin ling liu lo long lou lu luan lun luo lv lve m ma mai man mang mao me mei men meng mi mian miao mie min ming miu mo mou mu n na nai nan nang nao ne nei nen neng ng ni nia nian niang niao nie nin ning niu nong nou nu nuan nun nuo nv nve o ou pa pai pan pang pao pei pen peng pi pian piao pie pin ping po pou pu qi qia qian qiang qiao qie qin qing qiong qiu qu quan que qun ran rang rao re ren reng ri rong rou ru rua ruan rui run ruo sa sai san sang sao se sen seng sha shai shan shang shao she shei shen sheng shi shou shu shua shuai shuan shuang shui shun shuo si song sou su suan sui sun suo ta tai tan tang tao te tei teng ti tian tiao tie ting tong tou tu tuan tui tun tuo wa wai wan wang wei wen weng wo wong wu xi xia xian xiang xiao xie xin xing xiong xiu xu xuan xue xun ya yan yang yao ye yi yin ying yo yong you yu yuan yue yun za zai zan zang zao ze zei zen zeng zha zhai zhan zhang zhao zhe zhei zhen zheng zhi zhong zhou zhu zhua zhuai zhuan zhuang zhui zhun zhuo zi zong zou zu zuan zui zun zuo".split(" "));
  var INITIALS = 4, TYPO_TERM_MAX = 24;
  var HAN_ONLY = new RegExp("^[" + HAN + "]+$", "u");

  var SEGMENTINGS = 4;

  /** Typed pinyin split into syllables: up to four ways, fewest syllables first ("xian": xian, xi an). */
  function segmentings(word) {
    var ways = [[[]]];   // ways[i]: splits of word.slice(0, i)
    for (var i = 1; i <= word.length; i++) {
      ways[i] = [];
      for (var j = Math.max(0, i - 6); j < i; j++) {
        if (!ways[j].length || !SYLLABLES.has(word.slice(j, i))) continue;
        ways[j].forEach(function (w) { ways[i].push(w.concat([word.slice(j, i)])); });
      }
      ways[i].sort(function (a, b) { return a.length - b.length; });
      ways[i] = ways[i].slice(0, 3 * SEGMENTINGS);
    }
    return ways[word.length].slice(0, SEGMENTINGS);
  }

  function syllables(word) {
    return segmentings(word)[0] || null;
  }

  /** Query tokens of typed pinyin: syllable bigrams (~zhengwu) for each way to split it, and
      initials (^zwgk), as search_tokens.pinyin_tokens indexes them. */
  function pinyinAlternatives(q) {
    var word = fold(q).replace(/[\s']+/g, "");
    if (!/^[a-z]{2,}$/.test(word)) return [];
    var out = [];
    segmentings(word).forEach(function (syl) {
      if (syl.length > 1) out.push({tokens: syl.slice(1).map(function (x, k) { return "~" + syl[k] + x; }), qlen: syl.length});
    });
    if (word.length >= INITIALS) {
      var grams = [];
      for (var i = 0; i + INITIALS <= word.length; i++) grams.push("^" + word.slice(i, i + INITIALS));
      out.push({tokens: grams, qlen: word.length});
    } else {
      out.push({tokens: ["^" + word], qlen: word.length});
    }
    return out;
  }

  /** The typo keys of a query (search_tokens.typo_keys): itself and with one character, or one
      pinyin syllable, deleted. */
  function typoKeys(q) {
    var keys = new Set(), word = fold(q).replace(/[\s'\u3000]+/g, "");
    var chars = Array.from(word);
    if (chars.length >= 2 && chars.length <= TYPO_TERM_MAX && HAN_ONLY.test(word)) {
      keys.add(word);
      chars.forEach(function (_, i) { keys.add(chars.slice(0, i).concat(chars.slice(i + 1)).join("")); });
    }
    var syl = /^[a-z]+$/.test(word) ? syllables(word) : null;
    if (syl && syl.length >= 2) {
      keys.add("~" + syl.join(""));
      syl.forEach(function (_, i) { keys.add("~" + syl.slice(0, i).concat(syl.slice(i + 1)).join("")); });
    }
    keys.delete("");
    return Array.from(keys);
  }

  function shardOf(token, shards) {
    var h = 0x811C9DC5;
    for (var ch of token) h = Math.imul(h ^ ch.codePointAt(0), 0x01000193) >>> 0;
    return h % shards;
  }

  // --- the query ---------------------------------------------------------------
  var FACETS = ["kind", "org", "agency", "pub", "cat", "col", "year", "val"];
  var SCOPES = ["title", "text", "no"];   // 标题, 全文, 文号; "" is 全部

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

  /** search_index._packed: one character per document, code point minus 0x30. */
  function unpack(v) {
    return typeof v === "string" ? Array.from(v, function (c) { return c.codePointAt(0) - 0x30; }) : v;
  }

  Engine.prototype.decodeMeta = function (m) {
    Object.keys(m.facets).forEach(function (f) { m.facets[f] = unpack(m.facets[f]); });
    m.tlen = unpack(m.tlen);
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
    m.written = m.written.map(function (d, i) { return d < 0 ? null : date[i] - d; });
    m.commonSet = new Set(m.common);
    if (m.foldable != null) {   // gaps between the code points of the characters that have a simplified form
      var point = 0;
      m.foldSet = new Set(unpack(m.foldable).map(function (gap) { point += gap; return String.fromCharCode(point); }));
    }
    m.span = 1 << m.bits.value;
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

  /** Load the traditional -> simplified pairs of the query's characters. */
  Engine.prototype.loadFolds = async function (q, meta) {
    var self = this, han = (q.match(new RegExp("[" + HAN + "]", "gu")) || []).filter(function (c) {
      return !meta.foldSet || meta.foldSet.has(c);   // a character with no simplified form has no pair to load
    });
    var shards = Array.from(new Set(han.map(function (c) { return shardOf(c, meta.shards.t); })));
    var parts = await Promise.all(shards.map(function (h) {
      return self.get("t/" + h + ".json").catch(function () { return {}; });
    }));
    var fresh = {};
    parts.forEach(function (p) { han.forEach(function (c) { if (p[c] && !T2S.has(c)) fresh[c] = p[c]; }); });
    if (Object.keys(fresh).length) addFolds(fresh);
  };

  /** Start loading the postings shards of q's tokens as q stands (matchOne awaits the same requests). */
  Engine.prototype.prefetch = function (q, meta) {
    var self = this, key = exactKey(q), numbered = key && /[0-9]/.test(key);
    Array.from(new Set(tokens(q))).forEach(function (t) {
      if (meta.commonSet.has(t) || numbered && !isWord(t)) return;   // a 文号's numbers: see matchOne
      self.get("b/" + shardOf(t, meta.shards.b) + ".json").catch(function () {});
    });
  };

  /** A token worth its postings beside an exact 文号/索引号 key: not a number, not a lone character. */
  function isWord(t) {
    return !/^[0-9]+$/.test(t) && Array.from(t).length > 1;
  }

  /** The query and its synonym variants (catalog/synonyms.yml): each term of a group found in the
      query replaced by each other term of the group, one replacement at a time. */
  function variants(q, groups) {
    var out = [q];
    (groups || []).forEach(function (group) {
      group.forEach(function (term) {
        if (q.indexOf(term) < 0) return;
        group.forEach(function (other) {
          if (other !== term && q.indexOf(other) < 0) out.push(q.split(term).join(other));
        });
      });
    });
    return Array.from(new Set(out));
  }

  /** Candidates of query q, best first: the query itself, its synonym variants and, for typed
      Latin letters that find nothing, pinyin of titles and keywords. */
  Engine.prototype.match = async function (q, scope, titlesOnly) {
    var meta = await this.meta(), self = this;
    this.prefetch(fold(q), meta);   // one round trip, not two: the folds rarely change a query
    await this.loadFolds(q, meta);
    q = fold(q);
    if (scope === "no") return this.matchNumber(q, meta);
    var lists = await Promise.all(variants(q, meta.syn).map(function (v) { return self.matchOne(v, null, scope, titlesOnly); }));
    if (!lists[0].length && scope !== "text") {
      var spoken = await Promise.all(pinyinAlternatives(q).map(function (alt) { return self.matchOne(q, alt, scope); }));
      lists = lists.concat(spoken);
    }
    if (lists.length === 1) return lists[0];
    var best = new Map();
    lists.forEach(function (list) {
      list.forEach(function (h) { var b = best.get(h.id); if (!b || h.score > b.score) best.set(h.id, h); });
    });
    return Array.from(best.values()).sort(function (a, b) { return b.score - a.score || a.id - b.id; });
  };

  var COMMON_USE = 2;

  /** Up to k of the tokens, evenly spread from the first to the last: a query made only of common
      tokens (中华人民共和国: each in most documents, a long postings list each) is looked up by its first
      and last; the phrase check of the leading candidates then confirms the whole. */
  function spread(toks, k) {
    if (toks.length <= k) return toks;
    var out = [];
    for (var i = 0; i < k; i++) out.push(toks[Math.round(i * (toks.length - 1) / (k - 1))]);
    return out;
  }

  /** Candidates of one (folded) query: [{id, score, bucket}] ranked by relevance: exact key, whole title, then
      body matches weighted by rarity (idf) and by how close together the query's tokens first appear.
      ``alt`` gives the tokens instead ({tokens, qlen}: pinyin), with no exact key and no phrase check. */
  Engine.prototype.matchOne = async function (q, alt, scope, titlesOnly) {
    var meta = await this.meta();
    var toks = alt ? alt.tokens : Array.from(new Set(tokens(q)));
    if (!toks.length) return [];
    var key = alt ? "" : exactKey(q), self = this;
    var use = toks.filter(function (t) { return !meta.commonSet.has(t); });
    if (!use.length) use = spread(toks, COMMON_USE);
    var exact = new Set();
    if (key && /[0-9]/.test(key)) {   // a 文号 or 索引号: look the key up first
      exact = new Set((await this.get("k/" + shardOf(key, meta.shards.k) + ".json"))[key] || []);
      var words = use.filter(isWord);
      if (exact.size) use = words;   // the numbers' long postings add nothing then
    }
    var shards = await Promise.all(use.map(function (t) { return self.get("b/" + shardOf(t, meta.shards.b) + ".json"); }));
    var lists = use.map(function (t, k) { return shards[k][t] || []; });
    var order = use.map(function (_, k) { return k; }).sort(function (a, b) { return lists[a].length - lists[b].length; });
    var n = meta.entries, hits = new Map(), span = meta.span, TITLE_BIT = meta.bits.title;
    var need_bit = scope === "title" ? TITLE_BIT : scope === "text" ? meta.bits.body : 0;
    order.forEach(function (k) {
      var list = lists[k], idf = Math.log(1 + n / Math.max(1, list.length)), id = 0;
      for (var i = 0; i < list.length; i++) {
        id += Math.floor(list[i] / span);
        var v = list[i] % span;
        if (need_bit && !(v & need_bit)) continue;
        var h = hits.get(id);
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
    var qlen = alt ? alt.qlen : Array.from(q.replace(KEEP, "")).length;
    var inFound = new Set(found.map(function (h) { return h.id; }));
    exact.forEach(function (id) {
      if (!inFound.has(id)) found.push(hits.get(id) || {id: id, matched: 0, title: 0, score: 0, bucket: 0, buckets: []});
    });
    found.forEach(function (h) {
      if (use.length > 1) h.score *= 1 + nearby(h.buckets) / use.length;
      if (exact.has(h.id)) h.score += 1e6;
      if (h.title >= use.length && scope !== "text") {   // every token in the title: the closer its length to the query's, the better
        var tlen = Math.max(1, meta.tlen[h.id]);
        h.score += 1e4 * (1 + (qlen <= tlen ? qlen / tlen : 0.5 * tlen / qlen));
      }
    });
    found.sort(function (a, b) { return b.score - a.score || a.id - b.id; });
    // Checked also when common tokens were skipped (安全生产: only 全生 looked up): the phrase ranks, and a
    // query whose phrase no leading result has gets "您是不是要找" (unsure).
    if (toks.length > 1 && !exact.size && !alt) await this.verifyPhrases(q, found, meta, titlesOnly);
    return found;
  };

  /** The query's runs that a phrase match must contain verbatim (folded): Han runs of two or more
      characters and Latin/digit words. */
  function phrases(q) {
    return (q.match(RUN) || []).map(fold).filter(function (r) { return Array.from(r).length > 1; });
  }

  var VERIFY = 6, TWINS_SCAN = 8, ROWS_AHEAD = 10, TITLE_PHRASE_BONUS = 6e4, PHRASE_BONUS = 3e4;

  /** Text of slice k of a document (it ends with the next slice's first characters); "" when absent. */
  Engine.prototype.sliceText = function (meta, id, k) {
    var path = "x/" + Math.floor(id / meta.block) + "/" + id + "-" + k + ".txt";
    return this.get(path, true).catch(function () { return ""; });
  };

  /** Phrases anywhere: the postings only say where each token first appears, so the leading
      candidates that contain every token are checked against their title and text. The phrase cannot start
      before the last of those first appearances, so the check begins at that slice. Copies of one text are
      checked once (twins). When none of the leading texts has the phrase there, one more round reads their
      next slice and the first slice of the texts behind their copies. Documents containing the exact
      phrase go first. */
  Engine.prototype.verifyPhrases = async function (q, found, meta, titlesOnly) {
    var runs = phrases(q), self = this;
    if (!runs.length) return;
    var longest = Math.max.apply(null, runs.map(function (r) { return r.length; }));
    var candidates = found.filter(function (h) { return h.id < meta.entries && h.buckets.length; });
    var groups = twins(candidates, VERIFY), lead = candidates.slice(0, VERIFY);
    var near = groups.filter(function (g) { return lead.indexOf(g[0]) >= 0; });   // the first groups
    function rep(g) { return g[0]; }
    function has(text) {
      var low = fold(text);
      return runs.every(function (r) { return low.indexOf(r) >= 0; });
    }
    function firstSlice(h) {
      return Math.max(0, Math.floor((Math.max.apply(null, h.buckets) * meta.bucket - longest) / meta.chunk));
    }
    async function check(h, k) {
      var text = await self.sliceText(meta, h.id, k);
      if (!text) return false;
      if (has(text)) { h.phrase = true; h.slice = k; return false; }
      return true;   // present but without the phrase: the next slice may have it
    }
    async function verify(reps) {   // one round: their rows (the titles) and their slices together
      var rows = self.rows(reps.map(function (h) { return h.id; }));
      var more = titlesOnly ? Promise.resolve([]) : Promise.all(reps.map(function (h) { return check(h, firstSlice(h)); }));
      (await rows).forEach(function (row, n) { if (has(row[0])) reps[n].titlePhrase = true; });
      return more;
    }
    // The rows of the first result page load in the same round: the page shows them anyway.
    if (!titlesOnly) this.rows(found.slice(0, ROWS_AHEAD).map(function (h) { return h.id; })).catch(function () {});
    var reps = near.map(rep), more = await verify(reps);
    if (!titlesOnly && !reps.some(function (h) { return h.phrase || h.titlePhrase; })) {
      await Promise.all([verify(groups.slice(near.length).map(rep))].concat(
        reps.map(function (h, n) { return more[n] ? check(h, firstSlice(h) + 1) : false; })));
    }
    this.phraseBonus(shareVerdicts(groups), found);
  };

  /** Up to n groups of the leading candidates, each the candidates whose postings for the query are
      identical (same score, same title matches, same first-appearance buckets): copies of one text, a
      document republished word for word (转发). One of each group is checked, so the check reaches n
      different texts instead of n copies of one or two. */
  function twins(candidates, n) {
    var groups = [], bySign = new Map();
    candidates.slice(0, n * TWINS_SCAN).forEach(function (h) {
      var sign = h.score + "|" + h.title + "|" + h.buckets.slice().sort(function (a, b) { return a - b; }).join(",");
      var g = bySign.get(sign);
      if (g) g.push(h);
      else if (groups.length < n) { g = [h]; bySign.set(sign, g); groups.push(g); }
    });
    return groups;
  }

  /** The checked candidate's verdict for its copies; all of them. */
  function shareVerdicts(groups) {
    var all = [];
    groups.forEach(function (g) {
      g.forEach(function (h) {
        if (h !== g[0]) { h.phrase = g[0].phrase; h.titlePhrase = g[0].titlePhrase; if (g[0].slice != null) h.slice = g[0].slice; }
        all.push(h);
      });
    });
    return all;
  }

  Engine.prototype.phraseBonus = function (top, found) {
    var any = false;
    top.forEach(function (h) {   // the phrase in the title beats it in the body: a body may quote other titles
      var bonus = h.titlePhrase ? TITLE_PHRASE_BONUS : h.phrase ? PHRASE_BONUS : 0;
      if (bonus) { h.score += bonus; any = true; }
    });
    if (any) found.sort(function (a, b) { return b.score - a.score || a.id - b.id; });
  };

  /** 文号 scope: the exact 文号/索引号/统一编号 key, else the documents whose 发文机关代字 contains the query. */
  Engine.prototype.matchNumber = async function (q, meta) {
    var key = exactKey(q);
    if (!key) return [];
    var ids = (await this.get("k/" + shardOf(key, meta.shards.k) + ".json"))[key] || [];
    if (!ids.length) {
      var word = q.replace(KEEP, ""), codes = new Set();
      meta.labels.org.forEach(function (label, code) { if (label && fold(label).replace(KEEP, "").indexOf(word) >= 0) codes.add(code); });
      for (var id = 0; id < meta.docs; id++) if (codes.has(meta.facets.org[id])) ids.push(id);
    }
    return ids.map(function (id) { return {id: id, matched: 1, title: 0, score: 1, bucket: 0, buckets: []}; });
  };

  /** The facet's codes of a document: one, or several for the agencies of a jointly issued one. */
  function facetCodes(meta, facet, id) {
    var v = id < meta.docs && meta.facets[facet] ? meta.facets[facet][id] : -1;
    return Array.isArray(v) ? v : [v];
  }

  /** Apply facet filters (facet -> Set of labels) and count values per facet over the other filters. */
  Engine.prototype.facet = function (meta, found, filters) {
    var wanted = {};
    FACETS.forEach(function (f) {
      var labels = filters[f];
      if (labels && labels.size) {
        wanted[f] = new Set();
        (meta.labels[f] || []).forEach(function (label, code) { if (labels.has(label)) wanted[f].add(code); });
      }
    });
    var active = Object.keys(wanted);
    var counts = {};
    FACETS.forEach(function (f) { counts[f] = new Map(); });
    var kept = [];
    found.forEach(function (h) {
      var miss = null, misses = 0;
      for (var i = 0; i < active.length; i++) {
        var set = wanted[active[i]];
        if (!facetCodes(meta, active[i], h.id).some(function (c) { return set.has(c); })) { miss = active[i]; misses++; }
      }
      if (!misses) kept.push(h);
      if (h.id >= meta.docs || misses > 1) return;
      FACETS.forEach(function (f) {   // each value counts the documents the other facets' choices keep
        if ((misses && miss !== f) || !meta.facets[f]) return;
        facetCodes(meta, f, h.id).forEach(function (code) {
          if (code >= 0) counts[f].set(code, (counts[f].get(code) || 0) + 1);
        });
      });
    });
    return {kept: kept, counts: counts};
  };

  /** The full answer for a search state {q, sort, page, filters}. */
  function day(iso) {
    var t = iso ? Date.parse(iso + "T00:00:00Z") : NaN;
    return isNaN(t) ? null : Math.round(t / 86400000);
  }

  /** The full answer for a search state {q, scope, from, to, sort, page, filters, suggest, titlesOnly}; sort is ""
      (relevance), "date" (发布日期) or "written" (成文日期, then 发布日期), newest first; with suggest, a
      weak answer (unsure) comes with "您是不是要找" terms; without it the caller may ask suggest() itself; titlesOnly checks phrases in titles only (the type-ahead:
      it shows no snippets, so reading text slices would cost bytes on every keystroke). */
  Engine.prototype.search = async function (state, pageSize) {
    var meta = await this.meta();
    var found = await this.match(state.q || "", state.scope || "", state.titlesOnly);
    var from = day(state.from), to = day(state.to);
    if (from != null || to != null) {   // 发布日期 range: pages without a date drop out
      found = found.filter(function (h) {
        var d = h.id < meta.docs ? meta.date[h.id] : null;
        return d != null && (from == null || d >= from) && (to == null || d <= to);
      });
    }
    var f = this.facet(meta, found, state.filters || {});
    var kept = f.kept;
    if (state.sort === "date" || state.sort === "written") {
      var key = function (id) {
        if (id >= meta.docs) return -1e9;
        return state.sort === "written" && meta.written[id] != null ? meta.written[id] : meta.date[id];
      };
      kept = kept.slice().sort(function (a, b) { return key(b.id) - key(a.id) || a.id - b.id; });
    }
    var pages = Math.max(1, Math.ceil(kept.length / pageSize));
    var page = Math.min(Math.max(1, state.page || 1), pages);
    var shown = kept.slice((page - 1) * pageSize, page * pageSize);
    var rows = await this.rows(shown.map(function (h) { return h.id; }));
    var unsure = this.unsure(state.q || "", found, kept);
    var suggest = state.suggest && unsure ? await this.suggest(state.q) : [];
    return {meta: meta, total: kept.length, unsure: unsure, suggest: suggest, page: page, pages: pages, counts: f.counts, hits: shown.map(function (h, k) {
      var r = rows[k], doc = h.id < meta.docs, validity = doc ? meta.labels.val[meta.facets.val[h.id]] : "";
      return {id: h.id, slice: h.slice != null ? h.slice : Math.floor(h.bucket * meta.bucket / meta.chunk), title: r[0], docNo: r[1], indexNo: r[2], url: r[3], date: r[4], summary: r[5],
              publisher: doc ? meta.labels.pub[meta.facets.pub[h.id]] : "", validity: validity, void: meta.void.indexOf(validity) >= 0,
              written: doc && meta.written[h.id] != null ? new Date(meta.written[h.id] * 86400000).toISOString().slice(0, 10) : "",
              page: !doc};
    })};
  };

  var SUGGEST_BELOW = 3;

  /** Worth a "您是不是要找": few results, or a Chinese query of three or more characters that no
      leading result contains as written (only scattered parts of it matched). */
  Engine.prototype.unsure = function (q, found, kept) {
    if (!q.trim()) return false;
    if (kept.length < SUGGEST_BELOW) return true;
    var word = fold(q).replace(/[\s\u3000]+/g, "");
    return HAN_ONLY.test(word) && Array.from(word).length >= 3 &&
      !found.slice(0, VERIFY).some(function (h) { return h.phrase || h.titlePhrase; });
  };

  /** "您是不是要找": titles and keywords one character or one pinyin syllable away from the query. */
  Engine.prototype.suggest = async function (q) {
    var meta = await this.meta(), self = this, folded = fold(q).replace(/[\s'\u3000]+/g, "");
    if (!meta.shards.s) return [];
    var keys = typoKeys(q);
    var shards = await Promise.all(keys.map(function (k) {
      return self.get("s/" + shardOf(k, meta.shards.s) + ".json").catch(function () { return {}; });
    }));
    var df = new Map();
    keys.forEach(function (k, n) {
      (shards[n][k] || []).forEach(function (t) { if (t[0] !== folded) df.set(t[0], Math.max(df.get(t[0]) || 0, t[1])); });
    });
    return Array.from(df.keys()).sort(function (a, b) { return df.get(b) - df.get(a) || a.localeCompare(b); }).slice(0, 3);
  };

  /** Type-ahead completions: the most common titles, 《》 names and keywords (the terms "您是不是要找"
      offers) that begin with what she typed, the query itself left out; [[term, documents], ..]. The
      list of a start is read from the index; when it was cut there, the list of the next longer start. */
  Engine.prototype.complete = async function (q, max) {
    var meta = await this.meta();
    if (!meta.shards.c) return [];
    await this.loadFolds(q, meta);
    var key = plain(q), chars = Array.from(key), n = meta.complete.min, entry;
    if (chars.length < n) return [];
    for (;; n++) {
      var start = chars.slice(0, n).join("");
      entry = (await this.get("c/" + shardOf(start, meta.shards.c) + ".json").catch(function () { return {}; }))[start];
      if (!entry) return [];   // below a cut list every start that begins a term has its own
      if (!entry[0] || n >= chars.length || n >= meta.complete.depth) break;
    }
    return entry[1].filter(function (t) {
      var p = plain(t[0]);
      return p !== key && p.slice(0, key.length) === key;
    }).slice(0, max);
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

  return {tokens: tokens, exactKey: exactKey, fold: fold, plain: plain, addFolds: addFolds, shardOf: shardOf, syllables: syllables,
          pinyinAlternatives: pinyinAlternatives, typoKeys: typoKeys, variants: variants, SCOPES: SCOPES, Engine: Engine, httpEngine: httpEngine,
          highlight: snippet, FACETS: FACETS};
});
