"""Nothing leaks, nothing late: the safety checks of the 政府信息公开 platform.

* on_files: refuse oversized documents; published documents must not name a
  withheld one in their relations. (What is published at all, links and files
  included, is the publication gate's decision: zfxxgk.publication.)
* on_env (after the gate has approved every file): scan everything published
  (documents, declared pages, editors' YAML data, attachments' text) for personal
  information, documents for classification marks.
* on_post_build (last of all post-build writers): the leak audit of the output
  directory (fails the build, so the previous site stays published), then the
  statutory-deadline compliance report.
"""
from __future__ import annotations

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, os.path.dirname(__file__))  # the zfxxgk package lives beside this file

from mkdocs.exceptions import PluginError  # noqa: E402
from mkdocs.plugins import event_priority, get_plugin_logger  # noqa: E402

from zfxxgk import audit, compliance, inspection, privacy  # noqa: E402
from zfxxgk.problems import Problem  # noqa: E402
from zfxxgk.state import current  # noqa: E402

log = get_plugin_logger("zfxxgk")
DEFAULT_MAX_DOCUMENT_KB = 2048


def _report(problems: list[Problem], what: str) -> None:
    for problem in sorted(problems, key=lambda p: (p.file, p.line or 0, p.message)):
        (log.error if problem.severity == "error" else log.warning)(problem.format())
    if errors := [p for p in problems if p.severity == "error"]:
        raise PluginError(f"{what}未通过：共 {len(errors)} 个错误（见上文），站点未更新。")


def _size_problems(docs, limit_kb: int) -> list[Problem]:
    return [Problem(d.path, None, None, f"正文过大（{len(d.body.encode('utf-8')) // 1024} KB），上限 {limit_kb} KB；"
                                        f"请将大型附件另存为 PDF 等文件作为附件发布，或拆分文件")
            for d in docs if len(d.body.encode("utf-8")) > limit_kb * 1024]


def on_files(files, config):
    site = current.site
    published, withheld = site.corpus.published, site.corpus.withheld
    limits = (site.settings.get("safety") or {})
    limit_kb = int(limits.get("max_document_kb", DEFAULT_MAX_DOCUMENT_KB))
    _report(_size_problems(site.corpus.documents, limit_kb), "输入检查")
    _report(audit.pointer_problems(published, withheld), "不发布文件检查")
    return files


def on_env(env, config, files):
    """Privacy of everything the gate published (files approved once every page was read)."""
    site = current.site
    gate = site.gate
    started = time.perf_counter()
    problems = privacy.check_published(site.corpus.published, sorted(gate.survey.pages), sorted(gate.survey.data),
                                       site.docs_dir, site.catalogue,
                                       assets=sorted(src for src in gate.survey.assets if gate.is_approved(src)),
                                       cache=site.config_dir / ".cache" / "zfxxgk-attachment-text")
    log.info(f"个人信息检查：已发布文件 {len(site.corpus.published)} 篇及其附件、手写页面与数据文件，"
             f"用时 {time.perf_counter() - started:.2f} 秒")
    _report(problems, "个人信息检查")
    return env


@event_priority(-100)   # after every other post-build writer (search indexes, feeds, sitemap ...)
def on_post_build(config):
    site = current.site
    _audit(site, Path(config.site_dir))
    _compliance(site)


def _audit(site, site_dir: Path) -> None:
    started = time.perf_counter()
    published, withheld = site.corpus.published, site.corpus.withheld
    workers = int((site.settings.get("safety") or {}).get("audit_workers", os.cpu_count() or 1))
    gate = site.gate
    kept_back = sorted({src for src in gate.survey.assets if not gate.is_approved(src)} | gate.survey.data |
                       {d.src for d in withheld})
    copied = [site.docs_dir / src for src in sorted(gate.survey.assets) if gate.is_approved(src)]
    assets = audit.asset_hashes([site.docs_dir / src for src in kept_back], site.config_dir, exclude=copied)
    result = audit.audit_output(site_dir, withheld, audit.published_sources(published, site.docs_dir, gate.survey.pages),
                                assets, workers, set(kept_back), gate.site_url)
    seconds = time.perf_counter() - started
    if result.leaks:
        for leak in result.leaks[:50]:
            log.error("错误 " + leak.format())
        raise PluginError(f"泄露审计未通过：输出中发现不发布文件的痕迹 {len(result.leaks)} 处（见上文），站点未更新。")
    log.info(f"泄露审计：检查输出文件 {result.files} 个（{result.bytes / 1e6:.1f} MB），"
             f"不发布文件 {len(withheld)} 篇，未发现痕迹，用时 {seconds:.2f} 秒")


def _compliance(site) -> None:
    rel_path, strict = compliance.settings(site.settings)
    pages = inspection.page_columns(site.catalogue, site.docs_dir, {p.column for p in site.extras.pages()})
    report = compliance.compute(site.corpus, site.catalogue, pages=pages)
    compliance.write(report, site.config_dir, rel_path)
    lines = report.summary(rel_path)
    emit = log.warning if strict and report.findings else log.info
    for line in lines:
        (log.warning if getattr(line, "warning", False) else emit)(line)   # a year without holiday data warns
