"""The MkDocs plugin of the 政府信息公开 platform: the build's one registration point.

``mkdocs.yml`` says ``plugins: [zfxxgk]`` (entry point in pyproject.toml). One
``Build`` object per build holds all of its state; each MkDocs event runs the
stages that belong to it, in this order:

1. catalogue  (on_config)     catalog/ loaded and checked; nav = the column tree
2. intake     (on_files)      every file of content/ classified, documents validated
3. publication(on_files)      the gate decides what is published; only that stays in Files
4. pages      (on_files, on_page_*)  documents placed at wj/<索引号>/, listings and data pages added;
                                    (on_nav) a forked child renders a share of them (pages/pool.py)
5. outputs    (on_page_content … on_post_build)  sanitize, page furniture, search index, QR, feeds, sitemap,
                                                  editor, Content-Security-Policy, precompressed copies
6. audit      (on_post_build, last)  leak audit of the written site, compliance report
7. publish    (on_shutdown)   the staging directory swapped in only if everything passed
"""
from __future__ import annotations

import ctypes
import gc
import os
import time
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from urllib.parse import unquote

from mkdocs.commands.build import _populate_page, get_context
from mkdocs.config import base
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority, get_plugin_logger
from mkdocs.structure.files import File, InclusionLevel
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import get_toc

from zfxxgk.audit import compliance, inspection, privacy
from zfxxgk.audit import leaks as audit
from zfxxgk.catalog.problems import Problem
from zfxxgk.catalog.terms import CatalogueError
from zfxxgk.outputs import (accessibility, buildlog, csp, feeds, opendata, pagemeta, precompress, qr, search_index,
                            shipping, sitemap)
from zfxxgk.outputs import webeditor
from zfxxgk.outputs.sanitize import sanitize
import zfxxgk
from zfxxgk.intake.relations import build_date
from zfxxgk.pages import cache, citizens, layout, pagetitle, pool
from zfxxgk.pages.spool import Slice, Spool
from zfxxgk.pages.site import PageInfo, PageKind, Site
from zfxxgk.publication import stamp, swap

log = get_plugin_logger("zfxxgk")
buildlog.install()   # MkDocs' own lines in Chinese from the first one on (configuration warnings come early)
SEARCH_SRC = "search/index.md"
LISTING_KINDS = (PageKind.COLUMN, PageKind.LISTING)   # pages of listings: reused from the cache when their rows are
REUSED_TEMPLATE = "zf-reused.html"   # renders nothing: a reused page's HTML comes from the build cache
SPOOL_DIR = Path(".cache") / "zfxxgk-spool"   # pages' HTML between MkDocs' two passes (pages/spool.py)


class ZfxxgkConfig(base.Config):
    pass


@dataclass
class Build:
    """Everything one build knows; made anew in on_config."""
    command: str | None
    site: Site
    staging: str | None = None         # where this build writes; swapped in on success
    target: str | None = None          # the published site directory
    ok: bool = False
    fixed: list[search_index.Entry] = field(default_factory=list)
    search: search_index.Background | None = None
    search_wanted: set[str] = field(default_factory=set)               # URLs of the index's entries
    search_sent: set[str] = field(default_factory=set)                 # texts the index's worker has been given
    placed_early: set[str] = field(default_factory=set)                # pages from the cache placed at on_nav, on_env
    synonyms: list[list[str]] = field(default_factory=list)          # catalog/synonyms.yml
    kinds: list[str] = field(default_factory=list)                   # catalog/doc_kinds.yml
    spool: Spool | None = None                                       # pages' HTML between the read and write passes
    texts: dict[str, Slice] = field(default_factory=dict)            # page URL -> where its sanitized body is (the index's text)
    cleaned: dict[str, str] = field(default_factory=dict)           # src -> sanitized body, until it is spooled
    qr: qr.Background | None = None
    sitemap: sitemap.SitemapEntries = field(default_factory=sitemap.SitemapEntries)
    inline: csp.Inline = field(default_factory=csp.Inline)           # the theme's hashable inline scripts
    ways: citizens.WaysIn = field(default_factory=citizens.WaysIn)   # 依申请公开, 留言, 纠错 entries
    with_policy: set[Path] = field(default_factory=set)              # pages that got their CSP in on_post_page
    cache: cache.PageCache | None = None                             # document pages of the last build (pages/cache.py)
    verifier: cache.Verifier | None = None                           # checks the cached pages' files from on_config
    published_files: list[tuple[str, int]] | None = None            # the site as the leak audit listed it (for the stamp)
    reuse: dict[str, cache.Entry] = field(default_factory=dict)      # src -> a page taken from the cache
    keys: dict[str, str] = field(default_factory=dict)               # src -> page key of each document and listing page
    traces: dict[str, tuple[list, list[str]]] = field(default_factory=dict)   # src -> (gate trace, warnings)
    shown: dict[int, object] = field(default_factory=dict)           # cache.generated_key's digests of this build
    children: list[pool.Child] = field(default_factory=list)         # forked renderers of document pages (pages/pool.py)
    pooled: set[str] = field(default_factory=set)                    # srcs a child renders: blank here until on_env
    in_child: bool = False                                           # this process is such a child
    qr_urls: list[str] = field(default_factory=list)                 # document pages whose QR code the worker makes
    rendered_here: int = 0                                           # document pages main renders beside the children
    owner: dict[str, pool.Child] = field(default_factory=dict)       # src -> the child that renders it
    nav: object = None                                               # MkDocs' files, nav and Jinja env, kept for _pooled_page
    files: object = None
    env: object = None

    @property
    def previewing(self) -> bool:
        """``mkdocs serve`` and ``zfxxgk preview`` add a new live-reload script to each page as they
        serve it (no hash can allow it): local previews go without the policy; what is published has it."""
        return self.command == "serve"


class ZfxxgkPlugin(BasePlugin[ZfxxgkConfig]):
    supports_multiple_instances = False

    def __init__(self) -> None:
        self.command: str | None = None
        self.build: Build | None = None

    # --- 1. catalogue ----------------------------------------------------------------
    def on_startup(self, *, command: str, dirty: bool) -> None:
        self.command = command
        buildlog.install()

    def on_config(self, config):
        gc.unfreeze()                    # `mkdocs serve` rebuilds in one process: free the last build
        try:
            site = Site.from_config(config)
        except CatalogueError as exc:
            raise PluginError(str(exc)) from None
        self.build = b = Build(self.command, site, spool=Spool(site.config_dir / SPOOL_DIR))
        buildlog.PLACED.srcs.clear()
        config.nav = layout.nav(site.catalogue)
        if b.command in ("build", "gh-deploy"):   # serve builds into its own temporary directory
            b.target = config.site_dir
            b.staging = config.site_dir = swap.staging_dir(config.site_dir)
            stamp.forget_stamp(site.config_dir)    # a build that fails leaves no stamp behind
            b.verifier = cache.Verifier.start(site.config_dir)
        if not config.site_url:
            log.warning("mkdocs.yml 未设置 site_url（本站对外网址，如 https://www.example.gov.cn/zfxxgk/）："
                        "二维码、订阅源、站点地图和网站域名标签需要完整网址。")
        for problem in accessibility.footer_problems(site.catalogue.settings.footer):
            log.warning(problem.format())
        _report(csp.settings_problems(site.catalogue.settings), "网站服务器设置检查")
        b.inline = csp.theme_inline(config.theme.dirs, config.theme.custom_dir)
        for problem in b.inline.problems:
            log.warning(problem.format())
        return config

    # --- 2–4. intake, publication, pages -------------------------------------------------
    def on_files(self, files, config):
        b = self.build
        corpus = b.site.load()
        _report(corpus.problems.items, "文件校验")
        files = b.site.adjust_files(files, config)
        _settle()
        log.info(b.site.summary())
        self._add_search_page(files, config)
        self._add_ways_in(files, config)
        self._safety_checks()
        self._plan_reuse(config)
        site_url = _site_url(config)
        rendered = [d for d in corpus.published if d.src not in b.reuse]   # a reused page has its QR code
        b.qr_urls = [site_url + d.url for d in rendered] if site_url else []
        shipping.drop_unused(files, search_plugin="search" in config.plugins)   # only what the site uses
        if b.cache is not None and self._processes(len(rendered)) < 2:
            self._start_search(config)    # no children will be forked (an edit): the index's worker starts now
        return files

    def _plan_reuse(self, config) -> None:
        """Which document pages the build cache can give unchanged (mkdocs build only; serve renders all)."""
        b, site = self.build, self.build.site
        if b.command not in ("build", "gh-deploy"):
            return
        data = [site.docs_dir / src for src in sorted(site.gate.survey.data)]   # 决策目录, 年报: shown on many pages
        digest = cache.site_digest(site.config_dir, Path(zfxxgk.__file__).parent, build_date(site.catalogue.settings),
                                   config.site_url or "", data)
        b.cache = cache.PageCache(site.config_dir, digest, linking=_links_are_safe(config), verifier=b.verifier)
        b.verifier = None
        for doc in site.corpus.published:
            b.keys[doc.src] = cache.page_key(doc.source_digest, doc.url, doc.validity,
                                             doc.column_obj.path, site.extras.doc_context(doc))
        for src, entry in b.cache.reusable_all({d.src: b.keys[d.src] for d in site.corpus.published}).items():
            if site.gate.replays(entry.trace, site.paths):
                b.reuse[src] = entry
        b.cache.check_ahead(src for src, info in site.pages.items() if info.kind in LISTING_KINDS)
        if not b.cache.full:
            log.info(f"增量构建：{len(b.reuse)} 篇文件的页面沿用上次构建，"
                     f"{len(site.corpus.published) - len(b.reuse)} 篇重新生成（{cache.FULL_BUILD_ENV}=1 强制完整构建）")

    @event_priority(-100)   # after any other plugin changed the nav: the children render with the final one
    def on_nav(self, nav, config, files):
        """Fork the children that render a share of the document pages (pages/pool.py), then start
        the QR worker for the pages rendered here (a child makes its own pages' codes)."""
        b = self.build
        self._start_pool(nav, config, files)
        if b.pooled:
            site_url, theirs = _site_url(config), {b.site.info(src).doc.url for src in b.pooled}
            b.qr_urls = [u for u in b.qr_urls if u[len(site_url):] not in theirs]
        b.qr = qr.Background(b.qr_urls)
        if not b.pooled:        # no child competes for the other core: the index's worker takes texts as they come
            self._start_search(config)
        self._place_early(files)
        return nav

    def _place_early(self, files) -> None:
        """The pages the cache gives go into the site now, by another process (after the children's
        fork), while this one renders the rest; their on_post_page only records them. Called at
        on_nav for the documents' pages, and at on_env for the listings' (decided in on_page_markdown)."""
        b = self.build
        if b.cache is None or not b.reuse:
            return
        built = {f.src_uri: f for f in files.documentation_pages(inclusion=InclusionLevel.is_included)}
        early = {src: entry for src, entry in b.reuse.items() if src in built and src not in b.placed_early}
        b.cache.place_all([(entry, built[src].abs_dest_path) for src, entry in early.items()])
        b.placed_early |= set(early)

    def _start_search(self, config) -> None:
        """The search index's worker on a large site (after the children's fork: pages/pool.py)."""
        b = self.build
        if b.search is None and len(b.site.corpus.published) >= search_index.BACKGROUND_MIN:
            entries = self._search_entries()
            b.search = search_index.Background(entries, config.site_dir, b.synonyms, b.kinds, self._search_memo())
            b.search_wanted = {e.url for e in entries}

    def _text(self, url: str, where: Slice | None) -> None:
        """A page's sanitized body is at ``where``: for the index, and for its worker if it is running."""
        b = self.build
        b.texts[url] = where
        if b.search is not None and where is not None and url in b.search_wanted and url not in b.search_sent:
            b.search.send(url, where)       # listings and other generated pages are not indexed
            b.search_sent.add(url)

    def _start_pool(self, nav, config, files) -> None:
        b, site = self.build, self.build.site
        if b.cache is None or b.search is not None:   # serve and the preview render in one process; and
            return                                      # no fork once the index's worker runs (on_files)
        todo = [f.src_uri for f in files.documentation_pages(inclusion=InclusionLevel.is_included)
                if f.src_uri not in b.reuse and (info := site.info(f.src_uri)) is not None and info.doc is not None]
        count = self._processes(len(todo))
        b.nav, b.files = nav, files
        for share in pool.child_shares(todo, count):
            if share:
                child = pool.Child(share, partial(self._render_in_child, nav, config, files))
                b.children.append(child)
                b.pooled.update(share)
                b.owner.update(dict.fromkeys(share, child))
        b.rendered_here = len(todo) - len(b.pooled)

    def _processes(self, todo: int) -> int:
        """How many processes render ``todo`` document pages (catalog/site.yml build settings)."""
        settings = self.build.site.catalogue.settings.build
        return pool.processes(settings.workers, todo, settings.pool_min, os.cpu_count())

    def _render_in_child(self, nav, config, files, srcs: list[str], send) -> pool.Rendered:
        """In a forked child: convert these document pages, ``send`` what on_env needs of them, then
        render them into the cache's staging directory."""
        gc.freeze()                     # what the parent made lives on here unchanged: never scanned
        b, site = self.build, self.build.site
        capture = pool.Capture()
        capture.install()
        b.in_child, b.children, b.pooled, b.owner = True, [], set(), {}
        b.qr = qr.Background([])        # QR codes made here (the worker is the parent's, started after the fork)
        b.spool, b.texts, b.cleaned = Spool(site.config_dir / SPOOL_DIR), {}, {}   # main's file is main's alone
        try:
            return self._child_pages(nav, config, files, srcs, send, capture)
        finally:
            b.spool.close(keep=True)    # main reads the search texts from it, and removes it

    def _child_pages(self, nav, config, files, srcs: list[str], send, capture: pool.Capture) -> pool.Rendered:
        b, site = self.build, self.build.site
        known, gate_seconds = len(site.gate.problems), site.gate.seconds   # what main had found before the fork
        pages = []
        for src in srcs:
            capture.page = src
            file = files.get_file_from_path(src)
            page = file.page if file.page is not None else Page(None, file, config)
            _populate_page(page, config, files)
            pages.append(page)
        capture.page = ""
        send(pool.Converted(
            pages={p.file.src_uri: (b.texts[p.file.url], site.gate.assets_in(b.traces[p.file.src_uri][0]))
                   for p in pages},
            records=capture.records, problems=list(site.gate.problems[known:]),
            gate_seconds=site.gate.seconds - gate_seconds,
            anchors={p.file.src_uri: pool.anchors_of(p) for p in pages}))
        capture.records = {}
        env = config.plugins.on_env(config.theme.get_env(), config=config, files=files)
        doc_files = files.documentation_pages(inclusion=InclusionLevel.is_included)
        for page in pages:
            capture.page = page.file.src_uri
            _render_page(page, config, doc_files, nav, env)
        return pool.Rendered(entries={src: b.cache.new[src] for src in srcs}, records=capture.records)

    def _join_pool(self, config, files) -> None:
        """At on_env: what each child sends of its pages after their Markdown, taken in page order as a
        reused page's; a child that failed before that is stopped and its pages converted here."""
        b, site = self.build, self.build.site
        if not b.children:
            return
        started = time.perf_counter()
        alone = started - min(child.started for child in b.children)
        results = [(child, child.converted()) for child in b.children]
        waited = time.perf_counter() - started
        failed = {src for child, result in results if result is None for src in child.pages}
        b.pooled.difference_update(failed)
        b.children = [child for child, result in results if result is not None]
        converted, records, anchors = {}, {}, {}
        for _, result in results:
            if result is not None:
                converted.update(result.pages)
                records.update(result.records)
                anchors.update(result.anchors)
                site.gate.problems.extend(result.problems)
                site.gate.seconds += result.gate_seconds
        for _, result in results:
            if result is not None:
                pool.replay(result.records.get("", []))
        if failed:
            log.info(f"并行生成：{len(failed)} 篇文件页面的子进程意外退出，改在主进程生成，结果相同")
        log.info(f"并行生成：文件页面 {b.rendered_here + len(failed)} 篇由主进程生成，"
                 f"{len(converted)} 篇由 {len(results)} 个子进程生成"
                 f"（Markdown 转换：子进程用时 {max((r.seconds for _, r in results if r is not None), default=0):.1f} 秒，"
                 f"主进程同期 {alone:.1f} 秒，等候 {waited:.1f} 秒）")
        for file in files.documentation_pages(inclusion=InclusionLevel.is_included):
            src = file.src_uri
            if src in failed:
                _populate_page(file.page, config, files)
            elif (done := converted.get(src)) is not None:
                text, assets = done
                site.gate.approve(assets)
                b.texts[file.url] = text          # in the child's spool file: main removes it with its own
                b.spool.adopt(text.path)
                pool.replay(records.get(src, []))
                pool.set_anchors(file.page, anchors[src], files)

    def _pooled_page(self, page, config) -> str:
        """A child's page, at its on_post_page in main: its HTML as the child stored it, taken as a
        reused page. If the child failed after its first message, main renders the page now: the
        Markdown again, silently (what it logged was logged at on_env), then its templates."""
        b, src = self.build, page.file.src_uri
        child, started = b.owner[src], time.perf_counter()
        rendered = child.rendered()
        if child in b.children:         # the first of its pages: the child is done (or failed) now
            b.children.remove(child)
            if rendered is None:
                log.info(f"并行生成：子进程在生成模板时意外退出，其 {len(child.pages)} 篇文件页面改在主进程生成，结果相同")
            else:
                log.info(f"并行生成：生成模板：子进程共用时 {rendered.seconds:.1f} 秒，"
                         f"主进程等候 {time.perf_counter() - started:.1f} 秒")
        if rendered is not None:
            b.reuse[src] = entry = rendered.entries[src]
            pool.replay(rendered.records.get(src, []))
            return self._place(page, entry)
        b.pooled.discard(src)
        with pool.muted():
            _populate_page(page, config, b.files)
        doc_files = b.files.documentation_pages(inclusion=InclusionLevel.is_included)
        return _render_page(page, config, doc_files, b.nav, b.env)

    def _add_search_page(self, files, config) -> None:
        site = self.build.site
        if files.get_file_from_path(SEARCH_SRC) is None:
            files.append(File.generated(config, SEARCH_SRC, content="---\nhide: [toc]\n---\n",
                                        inclusion=InclusionLevel.NOT_IN_NAV))
        site.pages[SEARCH_SRC] = PageInfo(PageKind.SEARCH, "search.html", "检索")
        self.build.fixed = search_index.fixed_pages(files, site)
        catalog = site.config_dir / "catalog"
        (self.build.synonyms, problems), (self.build.kinds, more) = \
            search_index.load_synonyms(catalog), search_index.load_kinds(catalog)
        _report(problems + more, "检索用的目录文件检查")

    def _add_ways_in(self, files, config) -> None:
        """Citizens' ways in (catalog/site.yml citizens); the 申请表 is published beside the 指南."""
        b, site = self.build, self.build.site
        guide = next((c for c in site.catalogue.all_columns if c.type == citizens.GUIDE_TYPE), None)
        b.ways, problems = citizens.load(site.settings, site.config_dir / "catalog", guide.url if guide else "")
        _report(problems, "公众参与入口配置", ordered=True)   # in the order of catalog/site.yml
        if b.ways.form is not None:   # an ASCII name: MkDocs does not percent-decode the URL
            files.append(File.generated(config, unquote(b.ways.form.url), abs_src_path=str(b.ways.form.source),
                                        inclusion=InclusionLevel.NOT_IN_NAV))

    def _safety_checks(self) -> None:
        site = self.build.site
        published, withheld = site.corpus.published, site.corpus.withheld
        limit_kb = site.catalogue.settings.safety.max_document_kb
        _report([Problem(d.path, None, None, f"正文过大（{len(d.body.encode('utf-8')) // 1024} KB），上限 {limit_kb} KB；"
                                             f"请将大型附件另存为 PDF 等文件作为附件发布，或拆分文件")
                 for d in site.corpus.documents if len(d.body.encode("utf-8")) > limit_kb * 1024], "输入检查")
        _report(audit.pointer_problems(published, withheld), "不发布文件检查")

    def on_pre_page(self, page, config, files):
        page.render = partial(_render, page)   # blank pages skip MkDocs' Markdown parser (see _render)
        return page

    def on_page_read_source(self, page, config):
        info = self.build.site.info(page.file.src_uri)
        if info is not None and info.doc is not None:
            if page.file.src_uri in self.build.reuse or page.file.src_uri in self.build.pooled:
                return ""          # its page comes from the build cache or a child: nothing to convert
            return info.doc.body   # already read and validated; MkDocs must not re-parse our front matter
        return None

    def on_page_markdown(self, markdown, page, config, files):
        page.meta = self.build.site.page_meta(page.file.src_uri, page.meta)
        self._plan_listing_reuse(page, config)
        if page.file.src_uri in self.build.reuse or page.file.src_uri in self.build.pooled:
            page.meta["template"] = REUSED_TEMPLATE
        return markdown

    def _plan_listing_reuse(self, page, config) -> None:
        """A page of a listing whose key (cache.generated_key: its rows, pager, neighbours, the whole
        context) is the last build's is taken from the cache. The key looked up here is made from
        the context on_page_context would give; the key stored is made from the context the page was
        rendered with: if the two could ever differ, that is a miss, never a wrong page."""
        b, src = self.build, page.file.src_uri
        info = b.site.info(src)
        if b.cache is None or info is None or info.kind not in LISTING_KINDS:
            return
        if b.cache.full:        # nothing to look up: on_page_context makes the key the page is stored with
            b.keys[src] = ""
            return
        key = b.keys[src] = self._listing_key(page, self._context(page, config))
        entry = b.cache.reusable(src, key)
        if entry is not None and not entry.trace and not entry.assets:
            b.reuse[src] = entry

    def _listing_key(self, page, zf: dict) -> str:
        parts = {"url": page.url, "canonical": page.canonical_url, "title": pagetitle.safe(page.title),
                 "meta": page.meta, "inclusion": str(page.file.inclusion),
                 "neighbours": [self._neighbour(p) for p in (page.previous_page, page.next_page)],
                 "ancestors": [str(a.title) for a in page.ancestors]}
        return cache.generated_key(parts, zf, self.build.shown)

    def _neighbour(self, page) -> tuple[str, str] | None:
        """The footer's previous or next page: its URL and the title it gets from the site (a page
        not read yet has none of its own; a hand-written page's own, which may then be a miss)."""
        if page is None:
            return None
        info = self.build.site.info(page.file.src_uri)
        return page.url, info.title if info is not None and info.title else str(page.title)

    # --- 5. outputs ------------------------------------------------------------------------
    @event_priority(100)   # before any other plugin decorates the page: only editors' input is sanitized
    def _sanitize_content(self, html, page, config, files):
        """The raw-HTML policy (nh3), the gate's reading of what the page references, then furniture."""
        b, site, src = self.build, self.build.site, page.file.src_uri
        if (entry := b.reuse.get(src)) is not None:     # as its rendering in the last build did
            site.gate.approve(entry.assets)
            self._text(page.file.url, b.cache.body_slice(entry))
            for warning in entry.warnings:
                log.warning(warning)
            return ""
        if src in b.pooled:     # a child renders it: its place in the search texts' order kept (see _join_pool)
            b.texts[page.file.url] = None
            return ""
        info = site.info(src)
        doc = info.doc if info is not None else None
        shown = doc.path if doc is not None else f"{os.path.basename(config.docs_dir)}/{src}"
        warnings, trace = [], []
        cleaned, removed = sanitize(html)
        if removed:
            warnings.append(Problem(shown, None, None, f"已移除正文中不允许的 HTML：{'、'.join(removed)}；"
                                                       f"允许的 HTML 见 hooks/zfxxgk/outputs/sanitize.py 开头的说明",
                                    "warning").format())
        cleaned = site.gate.page_html(src, page.file.dest_uri, cleaned, site.paths, shown,
                                      (doc.body, doc.body_line) if doc is not None else None, trace)
        b.cleaned[src] = cleaned     # the index's text: sanitized output, never Markdown (spooled below)
        warnings += [problem.format() for problem in accessibility.alt_problems(cleaned, shown, doc)]
        for warning in warnings:
            log.warning(warning)
        if src in b.keys:   # documents and listings, for the build cache
            b.traces[src] = (trace, warnings)
        return accessibility.wrap_tables(cleaned)

    @event_priority(-100)   # after every other plugin: the page's HTML waits on disk until its template is rendered
    def _spool_content(self, html, page, config, files):
        b, src = self.build, page.file.src_uri
        cleaned = b.cleaned.pop(src, None)
        if b.spool.closed:      # after the build (zfxxgk preview re-renders a page): in memory, as MkDocs keeps it
            return html
        if cleaned is not None:
            b.spool.put(("text", page.file.url), cleaned)
            self._text(page.file.url, b.spool.slice(("text", page.file.url)))
        page.markdown = ""      # converted: nothing reads the Markdown again ("", not None: MkDocs then has no title)
        if not html:
            return html
        if html == cleaned:
            b.spool.alias(("page", src), ("text", page.file.url))
        else:
            b.spool.put(("page", src), html)
        return ""

    on_page_content = CombinedEvent(_sanitize_content, _spool_content)

    def on_env(self, env, config, files):
        b = self.build
        site = b.site
        if b.in_child:          # a child renders its pages with the templates as main has them
            return self._template_env(env)
        self._join_pool(config, files)
        if site.gate.problems:
            for problem in sorted(set(site.gate.problems)):
                log.error(problem.format())
            raise PluginError(f"不发布文件检查未通过：共 {len(set(site.gate.problems))} 个错误（见上文），站点未更新。")
        self._place_early(files)    # the listings' pages the cache gives
        dropped = site.prune_assets(files)
        log.info(f"发布审批：content/ 中 {len(site.gate.survey.documents)} 篇文件、{len(site.gate.survey.pages)} 个页面、"
                 f"{len(site.gate.survey.assets)} 个附件或图片（发布 {len(site.gate.approved)} 个，未被引用 {len(dropped)} 个），"
                 f"用时 {site.gate.seconds:.2f} 秒")
        self._privacy()
        if not b.previewing:    # the last reader of the published bodies was the privacy check (the preview re-reads them)
            site.corpus.release_bodies()
            _trim()
        if b.cache is not None and not b.cache.full:
            listings = [src for src, info in site.pages.items() if info.kind in LISTING_KINDS]
            reused = sum(src in b.reuse for src in listings)
            log.info(f"增量构建：列表页面 {reused} 个沿用上次构建，{len(listings) - reused} 个重新生成")
        _settle()
        b.env = self._template_env(env)
        self._start_search(config)      # index in a second process meanwhile, if not started at on_nav
        if b.search is not None:
            for url, where in b.texts.items():
                self._text(url, where)      # the children's pages, or all pages if started now
            b.search.end_input()
        return env

    def _template_env(self, env):
        env.bytecode_cache = cache.template_cache(self.build.site.config_dir)   # compiled templates kept between builds
        layout.Fragments(env)    # zf_fragment: page-independent parts rendered once
        return env

    def _search_memo(self) -> tuple[str | None, str, bool] | None:
        return self.build.cache.search_memo if self.build.cache is not None else None

    def _search_entries(self) -> list[search_index.Entry]:
        return [search_index.entry_of(d) for d in self.build.site.corpus.published] + self.build.fixed

    def _privacy(self) -> None:
        """Personal information in everything the gate published (all files approved once every page was read)."""
        site, gate, started, cached = self.build.site, self.build.site.gate, time.perf_counter(), self.build.cache
        memo = audit.Memo(cached.digest, cached.clean_ids(cache.PRIVACY_FILE)) if cached is not None else None
        problems = privacy.check_published(site.corpus.published, sorted(gate.survey.pages), sorted(gate.survey.data),
                                           site.docs_dir, site.catalogue,
                                           assets=sorted(src for src in gate.survey.assets if gate.is_approved(src)),
                                           cache=site.config_dir / ".cache" / "zfxxgk-attachment-text", memo=memo)
        skipped = ""
        if memo is not None:   # for the next build (kept only if this one succeeds)
            cached.store_clean_ids(cache.PRIVACY_FILE, memo.clean_now)
            if unchanged := len(memo.clean_now & memo.clean):
                skipped = f"（其中 {unchanged} 篇与上次相同、不再重复检查）"
        log.info(f"个人信息检查：已发布文件 {len(site.corpus.published)} 篇{skipped}及其附件、手写页面与数据文件，"
                 f"用时 {time.perf_counter() - started:.2f} 秒")
        _report(problems, "个人信息检查")

    def on_template_context(self, context, template_name, config):
        """Templates without a page (404.html): the site-wide part of the context the banner and footer read."""
        context.setdefault("zf", {"site": self.build.site.settings})
        return context

    @event_priority(100)   # before any other plugin reads the page's HTML
    def on_page_context(self, context, page, config, nav):
        site = self.build.site
        if ("page", page.file.src_uri) in self.build.spool:
            page.content = self.build.spool.take(("page", page.file.src_uri))
        page.title = pagetitle.safe(page.title)
        info = site.info(page.file.src_uri)
        newest = site.corpus.published[0].published if site.corpus.published else None
        self.build.sitemap.add(page.url, info, newest)
        if page.file.src_uri in self.build.reuse or page.file.src_uri in self.build.pooled:
            return context      # rendered from the cache or by a child: only the sitemap needs it
        context["zf"] = zf = self._context(page, config)   # the one context our templates read
        if info is not None and info.kind in LISTING_KINDS and page.file.src_uri in self.build.keys:
            self.build.keys[page.file.src_uri] = self._listing_key(page, zf)   # what it is rendered with
        return context

    def _context(self, page, config) -> dict:
        site, site_url = self.build.site, _site_url(config)
        zf = site.context(page.file.src_uri)
        self._ways_context(zf, page)
        if page.file.src_uri == SEARCH_SRC:   # the no-JavaScript way in: the static catalogue listings
            zf["browse"] = [i for i in site.indexes if i.entries and any(l.count for l, _ in i.entries)]
        self._head_context(zf, site_url, site_url + page.url)
        return zf

    def _head_context(self, zf: dict, site_url: str, url: str) -> None:
        """The 47号 meta tags, the Atom feeds and a document's QR code (partials zf-head, zf-qr)."""
        info = zf["info"]
        doc = info.doc
        column = info.column or (doc.column_obj if doc else None)
        alternates = [("政府信息公开 最新文件", feeds.FEED_FILE)]
        if column is not None:
            alternates.append((f"{column.title} 最新文件", feeds.column_feed_path(column)))
        zf["meta"] = pagemeta.tags(self.build.site.catalogue.settings, site_url, info.kind, column, doc, url)
        zf["feeds"] = alternates if site_url else []
        zf["qr"] = self.build.qr.get(url) if doc is not None and site_url and self.build.qr is not None else ""

    def _ways_context(self, zf: dict, page) -> None:
        ways, info = self.build.ways, zf["info"]
        if not ways.any:
            return
        zf["ways"] = ways
        zf["ways_panel"] = info.kind == "home" or (
            info.kind == "column" and info.column is not None and info.column.type == citizens.GUIDE_TYPE
            and info.listing_page is not None and info.listing_page.number == 1)
        title = info.doc.title if info.doc else pagetitle.safe(page.title) or ""   # as on_page_context sets it
        zf["ways_links"] = ways.for_page(page.canonical_url or page.url, title)
        consultations = self.build.site.extras.consultations   # 意见征集 beside 留言 and 纠错 in the panel
        zf["consultations_url"] = consultations.url if consultations is not None else ""

    def on_post_page(self, output, page, config):
        b, src = self.build, page.file.src_uri
        page.content = None     # written now: its HTML need not stay in memory (pages/spool.py)
        if src in b.pooled:
            return self._pooled_page(page, config)
        if (entry := b.reuse.get(src)) is not None:
            return self._place(page, entry)
        output = shipping.drop_generator(accessibility.fix_html(output))
        if b.previewing:
            return output
        b.with_policy.add(Path(page.file.abs_dest_path))
        output = self._with_policy(output, page.file.dest_uri)
        if b.cache is not None and src in b.traces:   # for the next build
            trace, warnings = b.traces.pop(src)
            b.cache.store(src, b.keys[src], output, b.texts[page.file.url].read(), b.site.gate.assets_in(trace),
                          trace, warnings)
        return output

    def _place(self, page, entry: cache.Entry) -> str:
        """A page from the build cache (or a child's) goes into the site as the cache's file, linked;
        MkDocs, given no output, writes nothing (and is kept from calling the page skipped)."""
        b = self.build
        b.with_policy.add(Path(page.file.abs_dest_path))
        b.cache.keep(page.file.src_uri, entry)
        if page.file.src_uri not in b.placed_early:
            b.cache.place(entry, page.file.abs_dest_path)
        buildlog.PLACED.srcs.add(page.file.src_uri)
        return ""

    def _with_policy(self, output: str, where: str) -> str:
        """The page with its Content-Security-Policy first in <head> (hashes from its final HTML)."""
        marked = csp.add_meta(output, self.build.site.catalogue.settings, self.build.inline)
        if marked is None:
            log.warning(f"{where}：页面没有 <head>，未加内容安全策略（Content-Security-Policy）")
            return output
        return marked

    @event_priority(100)    # before any other plugin's post-build step
    def _pages_in_place(self, config):
        """Every page from the cache is in the site (the documents' and listings' pages placed by a
        process since on_nav and on_env, the children's by a thread: PageCache.place_all, place)
        before any post-build step reads it."""
        if self.build.cache is not None:
            self.build.cache.placed()

    @event_priority(-100)   # after any other plugin's post-build writer: the audit sees the whole output
    def _post_build(self, config):
        b = self.build
        for child in b.children:    # none left: each is reaped at the first of its pages
            child.stop()
        self._furniture(config)     # what does not need the search index first: its worker may still run
        shipping.strip_map_comments(Path(config.site_dir))
        shipping.drop_generator_file(Path(config.site_dir) / "404.html")   # theme pages skip on_post_page
        self._web_editor(config)
        self._open_data(config)
        self._late_policy(config)
        self._compliance()
        self._search_index(config)  # its worker's files: data, no pages (the policy is not theirs)
        self._precompress(config)
        self._audit(Path(config.site_dir))    # 6. audit: last, over everything written
        b.ok = True

    on_post_build = CombinedEvent(_pages_in_place, _post_build)

    def _search_index(self, config) -> None:
        b, start = self.build, time.perf_counter()
        entries = self._search_entries()
        stats = None
        if b.search is not None:
            stats, b.search = b.search.result(), None
            if stats is None:
                log.info("检索索引后台进程意外退出（可能内存不足），改在主进程生成")
            elif stats.digest != search_index.digest(entries):   # the worker must have indexed what the build published
                raise PluginError("检索索引与本次构建发布的文件不一致，请重新构建")
        if stats is None:
            indexer = search_index.Indexer(entries, config.site_dir, b.synonyms, b.kinds, self._search_memo())
            for url, where in b.texts.items():
                indexer.add_page(url, where)
            stats = indexer.finish()
        b.texts.clear()
        b.spool.close()
        log.info(f"检索索引：{stats.entries} 条{_reuse_note(stats)}，{stats.files} 个文件，"
                 f"{stats.bytes / 1e6:.1f} MB，用时 {time.perf_counter() - start:.1f} 秒")

    def _furniture(self, config) -> None:
        b = self.build
        if b.qr is not None:
            b.qr.close()
            if b.qr.worker_failed:
                log.info("二维码后台进程意外退出（可能内存不足），其余二维码已在主进程生成，结果相同")
        accessibility.fix_static_page(os.path.join(config.site_dir, "404.html"))   # theme pages skip on_post_page
        site, site_url = b.site, _site_url(config)
        if not site_url:
            return
        count = feeds.write_all(config.site_dir, site.catalogue, site.corpus.published, site_url,
                                site.catalogue.settings.agency, site.agency_docs)
        sitemap.write(config.site_dir, b.sitemap, site_url)
        log.info(f"订阅源 {count} 个，站点地图 {len(b.sitemap.lastmod)} 个页面")

    def _web_editor(self, config) -> None:
        """Sveltia CMS, only when catalog/site.yml enables it: at /admin/ or in a directory of its own."""
        site = self.build.site
        settings = webeditor.settings(site.catalogue)
        if not settings["enabled"]:
            return
        package = webeditor.dist_dir(site.config_dir)
        if package is None:
            log.warning("网页编辑器已启用（catalog/site.yml 的 web_editor.enabled），但未安装 Sveltia CMS：请先在站点目录运行 npm ci")
            return
        docs_dir = Path(config.docs_dir).resolve().relative_to(site.config_dir.resolve()).as_posix()
        dest = (site.config_dir / settings["output_dir"]) if settings["output_dir"] else Path(config.site_dir) / settings["path"]
        try:
            webeditor.write_admin(dest, site.catalogue, package, docs_dir)
        except webeditor.EditorSettingsError as exc:
            raise PluginError(str(exc)) from None
        shown = settings["output_dir"] or f"站点的 /{settings['path']}/"
        log.info(f"网页编辑器（Sveltia CMS）已生成：{shown}")

    def _open_data(self, config) -> None:
        """The published catalogue as JSON/CSV, DCAT-AP 3, the 年报 tables (before the audit reads them):
        for the platform at data/, and for each other agency in its 专栏 (zl/<slug>/data/)."""
        site, url = self.build.site, _site_url(config)
        scope = opendata.Scope(site.catalogue.settings.agency, url)
        today, attachments = site.extras.relations.today, site.extras.attachments
        schema = opendata.schema_text(site.config_dir / "catalog")
        memo = opendata.Memo(url)   # a document's record and CSV row made once for all scopes
        out = opendata.files(site.corpus.published, site.extras.reports, site.catalogue, scope, today, attachments,
                             schema, memo)
        for agency in site.catalogue.agencies[1:]:
            reports = [r for r in site.extras.reports if r.owner is agency]
            out.update(opendata.files(site.agency_docs[agency.slug], reports, site.catalogue,
                                      opendata.Scope(agency.name, url, agency.url), today, attachments, schema, memo))
        opendata.write(Path(config.site_dir), out)
        log.info(f"开放数据：{len(site.corpus.published)} 篇文件的目录（JSON、CSV）、DCAT 数据目录、"
                 f"年报统计表 {len(site.extras.reports)} 份，共 {len(out)} 个文件，见 /{scope.data_dir}"
                 f"{'及各机构专栏的 data/' if len(site.catalogue.agencies) > 1 else ''}")

    def _late_policy(self, config) -> None:
        """The policy on pages written after on_post_page (404.html, other plugins' pages)."""
        b = self.build
        if b.previewing:
            return
        for path in csp.unmarked_pages(config.site_dir, b.with_policy):
            output = path.read_text(encoding="utf-8")
            if not csp.has_meta(output):
                path.write_text(self._with_policy(output, path.relative_to(config.site_dir).as_posix()),
                                encoding="utf-8")

    def _precompress(self, config) -> None:
        """The opt-in precompressed copies for the web server, of every file (read by the audit too)."""
        b = self.build
        if b.previewing:
            return
        if b.site.catalogue.settings.server.precompress:
            memo = precompress.Memo(*b.cache.compressed) if b.cache is not None else None
            count, reused = precompress.write_all(config.site_dir, memo)
            log.info(f"预压缩：写出 .gz 文件 {count} 个（server.precompress）"
                     + (f"，其中 {reused} 个沿用上次构建的压缩结果" if reused else ""))

    def _audit(self, site_dir: Path) -> None:
        site, started = self.build.site, time.perf_counter()
        published, withheld, gate = site.corpus.published, site.corpus.withheld, site.gate
        workers = site.catalogue.settings.safety.audit_workers or os.cpu_count() or 1
        kept_back = sorted({src for src in gate.survey.assets if not gate.is_approved(src)} | gate.survey.data |
                           {d.src for d in withheld})
        copied = [site.docs_dir / src for src in sorted(gate.survey.assets) if gate.is_approved(src)]
        assets = audit.asset_hashes([site.docs_dir / src for src in kept_back], site.config_dir, exclude=copied)
        cached = self.build.cache
        memo = audit.Memo(cached.digest, cached.clean_ids(cache.AUDIT_FILE)) if cached is not None else None
        result = audit.audit_output(site_dir, withheld, audit.published_sources(published, site.docs_dir, gate.survey.pages),
                                    assets, workers, set(kept_back), gate.site_url, memo)
        if memo is not None:   # for the next build (kept only if this one succeeds)
            cached.store_clean_ids(cache.AUDIT_FILE, memo.clean_now)
        self.build.published_files = result.listing     # the stamp's listing: nothing writes to the site after this
        seconds = time.perf_counter() - started
        if result.leaks:
            for leak in result.leaks[:50]:
                log.error("错误 " + leak.format())
            raise PluginError(f"泄露审计未通过：输出中发现不发布文件的痕迹 {len(result.leaks)} 处（见上文），站点未更新。")
        skipped = f"，其中 {result.unchanged} 个与上次相同、不再重复检查" if result.unchanged else ""
        log.info(f"泄露审计：检查输出文件 {result.files} 个（{result.bytes / 1e6:.1f} MB{skipped}），"
                 f"不发布文件 {len(withheld)} 篇，未发现痕迹，用时 {seconds:.2f} 秒")

    def _compliance(self) -> None:
        site = self.build.site
        rel_path, strict = site.catalogue.settings.compliance.report, site.catalogue.settings.compliance.strict
        pages = inspection.page_columns(site.catalogue, site.docs_dir, {p.column for p in site.extras.pages()})
        report = compliance.compute(site.corpus, site.catalogue, pages=pages, reports=site.extras.reports,
                                    decisions=site.extras.decisions)
        compliance.write(report, site.config_dir, rel_path)
        emit = log.warning if strict and report.findings else log.info
        for line in report.summary(rel_path):
            (log.warning if getattr(line, "warning", False) else emit)(line)   # a year without holiday data warns

    # --- 7. publish ------------------------------------------------------------------------
    def on_build_error(self, *, error: Exception) -> None:
        b = self.build
        if b is None:
            return
        b.ok = False
        if b.verifier is not None:     # the build failed before the cache was opened
            b.verifier.stop()
            b.verifier = None
        if b.cache is not None:
            try:
                b.cache.placed()    # no thread goes on writing into a site that is discarded
            except OSError:
                pass
        b.texts.clear()
        b.spool.close()
        for child in b.children:
            child.stop()
        b.children = []
        for worker in (b.search, b.qr):
            if worker is not None:
                worker.close()
        if b.staging:
            swap.discard(b.staging)
        if b.cache is not None:
            b.cache.discard()

    def on_shutdown(self) -> None:
        b = self.build
        if b is not None and b.staging:
            (swap.swap_in(b.staging, b.target) if b.ok else swap.discard(b.staging))
            if b.ok:   # 7. the published site is stamped as made by the whole pipeline
                stamp.write_stamp(b.site.config_dir, Path(b.target), b.published_files)
        if b is not None and b.cache is not None:   # the next build's cache: only from a build that succeeded
            if b.ok:
                b.cache.commit()
            else:
                b.cache.discard()


def _report(problems: list[Problem], what: str, ordered: bool = False) -> None:
    """Log every problem (sorted unless ``ordered``, one line each); errors stop the build with the site untouched."""
    for problem in problems if ordered else sorted(problems, key=lambda p: (p.file, p.line or 0, p.field or "", p.message)):
        (log.error if problem.severity == "error" else log.warning)(problem.format())
    if errors := [p for p in problems if p.severity == "error"]:
        raise PluginError(f"{what}未通过：共 {len(errors)} 个错误（见上文），站点未更新。")


def _links_are_safe(config) -> bool:
    """Whether the build cache may share its files with the site (pages/cache.py PageCache.place):
    only when this plugin is the site's one plugin, so that no other post-build writer (a hook, a
    minifier) can rewrite a shared file in place and so change the published site."""
    return list(config.plugins.keys()) == ["zfxxgk"]


def _reuse_note(stats: search_index.Stats) -> str:
    """What the search index took from the last build, for the log line."""
    if not stats.reused:
        return ""
    patched = f"，{stats.patched} 条的改动补入上次的倒排分片" if stats.patched >= 0 else ""
    return f"（{stats.reused} 条的分词沿用上次构建{patched}）"


def _site_url(config) -> str:
    url = config.site_url or ""
    return url if not url or url.endswith("/") else url + "/"


def _render(page: Page, config, files) -> None:
    """MkDocs' ``Page.render``, except that a page whose Markdown is blank gets no Markdown parser.

    MkDocs builds a new parser with every extension for every page (some 2 ms each): for
    the listings and data pages (generated with no source) and the pages taken from the
    build cache (read as "") that is most of an incremental build's Markdown time. For a
    blank source Python-Markdown returns "" before any extension runs; the rest is what
    ``Page.render`` then sets: an empty table of contents, no title, no anchors.
    """
    if page.markdown is None or page.markdown.strip():
        Page.render(page, config, files)
        return
    page.content = ""
    page.toc = get_toc([])
    page._title_from_render = None
    page.present_anchor_ids = set()
    page.links_to_anchors = {}


def _render_page(page: Page, config, doc_files, nav, env) -> str:
    """MkDocs' ``_build_page`` without writing the page: in a child, our on_post_page stores it in
    the build cache's staging directory, from where main writes it."""
    config._current_page = page
    try:
        page.active = True
        context = get_context(nav, doc_files, config, page)
        template = env.get_template(page.meta.get("template", "main.html"))
        context = config.plugins.on_page_context(context, page=page, config=config, nav=nav)
        output = template.render(context)
        return config.plugins.on_post_page(output, page=page, config=config)
    finally:
        page.active = False
        config._current_page = None


def _trim() -> None:
    """Hand the heap's free pages back to the system (glibc): freed bodies lie between live objects,
    where the allocator would otherwise keep them out of every later use but its own."""
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):    # not glibc: nothing to trim
        pass


def _settle() -> None:
    """Exempt everything alive now (the corpus, then the read pages) from garbage collection.

    They live until the build ends, yet CPython's collector re-scans them on every
    full collection: at 10,000 documents that was a third of the build time.
    """
    gc.collect()
    gc.freeze()
