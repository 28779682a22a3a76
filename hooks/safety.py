"""Nothing leaks, nothing late: the safety checks of the 政府信息公开 platform.

* on_files: refuse oversized documents and files resolving outside content/;
  scan published documents for personal information and classification marks;
  published documents must not point at withheld ones; files only withheld
  documents use are kept out of the site.
* on_page_content: the raw-HTML allow-list (zfxxgk.sanitize) on every page.
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

from zfxxgk import audit, compliance, privacy  # noqa: E402
from zfxxgk.problems import Problem  # noqa: E402
from zfxxgk.sanitize import sanitize  # noqa: E402
from zfxxgk.state import current  # noqa: E402

log = get_plugin_logger("zfxxgk")
DEFAULT_MAX_DOCUMENT_KB = 2048
_withheld_assets: list[Path] = []


def _report(problems: list[Problem], what: str) -> None:
    for problem in sorted(problems, key=lambda p: (p.file, p.line or 0, p.message)):
        (log.error if problem.severity == "error" else log.warning)(problem.format())
    if errors := [p for p in problems if p.severity == "error"]:
        raise PluginError(f"{what}未通过：共 {len(errors)} 个错误（见上文），站点未更新。")


def _size_problems(docs, limit_kb: int) -> list[Problem]:
    return [Problem(d.path, None, None, f"正文过大（{len(d.body.encode('utf-8')) // 1024} KB），上限 {limit_kb} KB；"
                                        f"请将大型附件另存为 PDF 等文件作为附件发布，或拆分文件")
            for d in docs if len(d.body.encode("utf-8")) > limit_kb * 1024]


def _symlink_problems(files, docs_dir: Path, project_root: Path) -> list[Problem]:
    out = []
    inside = os.path.abspath(docs_dir) + os.sep
    for file in files:   # theme files live outside content/ by design; only content/ paths can be symlinks out
        src = file.abs_src_path
        if src and os.path.abspath(src).startswith(inside) and audit.outside_docs_dir(src, docs_dir):
            shown = os.path.relpath(file.abs_src_path, project_root)
            out.append(Problem(shown, None, None, f"文件解析到 content/ 之外（{os.path.realpath(file.abs_src_path)}），"
                                                  f"可能是符号链接；只能发布 content/ 内的文件"))
    return out


def on_files(files, config):
    site = current.site
    published, withheld = site.corpus.published, site.corpus.withheld
    limits = (site.settings.get("safety") or {})
    limit_kb = int(limits.get("max_document_kb", DEFAULT_MAX_DOCUMENT_KB))
    _report(_size_problems(site.corpus.documents, limit_kb) + _symlink_problems(files, site.docs_dir, site.config_dir),
            "输入检查")
    problems = [p for d in published for p in privacy.check_document(d)]
    problems += audit.pointer_problems(published, withheld)
    _report(problems, "个人信息与不发布文件检查")
    only_withheld = audit.withheld_only_files(published, withheld, site.docs_dir)
    _withheld_assets[:] = [site.docs_dir / src for src in sorted(only_withheld)]
    for src in only_withheld:
        if (file := files.get_file_from_path(src)) is not None and not file.is_documentation_page():
            files.remove(file)
    return files


@event_priority(100)   # before other hooks decorate the page: only editors' input is sanitized
def on_page_content(html, page, config, files):
    cleaned, removed = sanitize(html)
    if removed:
        where = f"{os.path.basename(config.docs_dir)}/{page.file.src_uri}"
        log.warning(Problem(where, None, None, f"已移除正文中不允许的 HTML：{'、'.join(removed)}；"
                                               f"允许的 HTML 见 hooks/zfxxgk/sanitize.py 开头的说明",
                            "warning").format())
    return cleaned


@event_priority(-100)   # after every other post-build writer (search indexes, feeds, sitemap ...)
def on_post_build(config):
    site = current.site
    _audit(site, Path(config.site_dir))
    _compliance(site)


def _audit(site, site_dir: Path) -> None:
    started = time.perf_counter()
    published, withheld = site.corpus.published, site.corpus.withheld
    workers = int((site.settings.get("safety") or {}).get("audit_workers", os.cpu_count() or 1))
    result = audit.audit_output(site_dir, withheld, audit.published_sources(published, site.docs_dir),
                                audit.asset_hashes(_withheld_assets, site.config_dir), workers)
    seconds = time.perf_counter() - started
    if result.leaks:
        for leak in result.leaks[:50]:
            log.error("错误 " + leak.format())
        raise PluginError(f"泄露审计未通过：输出中发现不发布文件的痕迹 {len(result.leaks)} 处（见上文），站点未更新。")
    log.info(f"泄露审计：检查输出文件 {result.files} 个（{result.bytes / 1e6:.1f} MB），"
             f"不发布文件 {len(withheld)} 篇，未发现痕迹，用时 {seconds:.2f} 秒")


def _compliance(site) -> None:
    rel_path, strict = compliance.settings(site.settings)
    report = compliance.compute(site.corpus)
    compliance.write(report, site.config_dir, rel_path)
    lines = report.summary(rel_path)
    emit = log.warning if strict and report.findings else log.info
    for line in lines:
        (log.warning if getattr(line, "warning", False) else emit)(line)   # a year without holiday data warns
