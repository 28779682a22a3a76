"""``python -m zfxxgk``: the editors' command line (new, check, report).

Runs without building the site. ``check`` uses the build's own validator
(``documents.load_file``/``load_corpus``, ``check_unique``, ``Problem.format``)
so its messages are the build's messages. Exit codes: 0 fine, 1 problems
found, 2 wrong usage (argparse).
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import sys
import time
from pathlib import Path
from typing import Sequence

from zfxxgk.intake import attachments
from zfxxgk.catalog import terms as catalogue_mod
from zfxxgk.catalog.terms import Catalogue, CatalogueError, Publisher
from zfxxgk.intake.documents import DOCUMENTS_DIR, check_unique, load_corpus, slug
from zfxxgk.tools.index_numbers import IndexEntry, next_index_no, scan_files, used_values
from zfxxgk.intake.metadata import RELATION_KINDS
from zfxxgk.catalog.problems import Problem

OK, PROBLEMS, USAGE = 0, 1, 2
CACHE = Path(".cache/zfxxgk/index_numbers.json")   # 索引号 per file, by size and mtime (.cache/ is gitignored)

DESCRIPTION = """政府信息公开专栏的编辑命令（无需构建站点）。
Editors' commands for the 政府信息公开 site (no site build needed).

  new     新建一篇文件，自动分配下一个索引号 / create a document with the next free 索引号
  check   校验文件元数据，消息与构建一致 / validate documents with the build's messages
  report  公开合规报告 / the disclosure compliance report
  preview 大型站点快速预览 / fast preview for large sites
  server-config 网站服务器配置（nginx、Caddy）/ web server configuration
  new-agency 新增部门或乡镇的专栏 / add an agency's 专栏 to the platform

退出码 / exit status: 0 无问题 no problems, 1 发现问题 problems found, 2 用法错误 usage error."""


class Formatter(argparse.RawDescriptionHelpFormatter):
    pass


HELP = "显示本帮助并退出 / show this help message and exit"


def _help(p: argparse.ArgumentParser) -> argparse.ArgumentParser:
    p.add_argument("-h", "--help", action="help", help=HELP)
    return p


# --- project ------------------------------------------------------------------
def find_root(start: Path) -> Path:
    """The nearest directory at or above ``start`` holding mkdocs.yml and catalog/."""
    for folder in (start, *start.parents):
        if (folder / "mkdocs.yml").is_file() and (folder / "catalog").is_dir():
            return folder
    raise CatalogueError(f"未找到站点目录：{start} 及其上级目录中没有 mkdocs.yml 和 catalog/；"
                         f"请在站点仓库中运行，或用 --root 指定 / no mkdocs.yml + catalog/ found")


def docs_dir_of(root: Path) -> Path:
    """``docs_dir`` of mkdocs.yml (read by regex: the config may hold tags plain YAML rejects)."""
    text = (root / "mkdocs.yml").read_text(encoding="utf-8")
    m = re.search(r"^docs_dir:\s*['\"]?([^'\"#\s]+)", text, re.M)
    return root / (m[1] if m else "docs")


def site_dir_of(root: Path) -> Path:
    """``site_dir`` of mkdocs.yml (default ``site``)."""
    text = (root / "mkdocs.yml").read_text(encoding="utf-8")
    m = re.search(r"^site_dir:\s*['\"]?([^'\"#\s]+)", text, re.M)
    return root / (m[1] if m else "site")


class Project:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.docs_dir = docs_dir_of(root)
        self.catalogue: Catalogue = catalogue_mod.load(root / "catalog")


def emit(problems: Sequence[Problem]) -> None:
    for problem in problems:
        print(problem.format(), file=sys.stderr)


# --- check --------------------------------------------------------------------
def check_files(project: Project, paths: list[Path]) -> list[Problem]:
    """The build's problems for ``paths`` (all documents when empty), sorted like the build."""
    if not paths:   # everything the build checks before it renders, in the build's order
        from zfxxgk.pages import generated as extras   # cross-file rules: only needed when checking everything

        corpus = load_corpus(project.docs_dir, project.catalogue, project.root)
        extras.load(project.docs_dir, project.catalogue, corpus)
        return corpus.problems.sorted()
    docs_root = (project.docs_dir / DOCUMENTS_DIR).resolve()
    chosen, problems = [], []
    for path in paths:
        real = path.resolve()
        if not real.is_relative_to(docs_root) or path.suffix != ".md":
            continue   # not a document (pre-commit may pass any staged file)
        if not path.is_file():
            problems.append(Problem(_shown(path, project.root), None, None, "文件不存在 / file not found"))
            continue
        chosen.append(project.docs_dir / real.relative_to(project.docs_dir.resolve()))
    corpus = load_corpus(project.docs_dir, project.catalogue, project.root, files=chosen)
    problems += [p for p in corpus.problems.items if not _is_unique_problem(p)]   # redone below, with the others
    problems += attachments.check(corpus.documents, project.docs_dir)[1]           # per-file checks of the build
    others = scan_files(project.docs_dir, project.root, project.catalogue, skip={os.path.abspath(p) for p in chosen},
                        cache=project.root / CACHE)
    problems += unique_problems(corpus.documents, others)
    return sorted(set(problems), key=lambda p: (p.file, p.line or 0, p.field or "", p.message))


def _is_unique_problem(problem: Problem) -> bool:
    return problem.field == "index_no" and "索引号在全站必须唯一" in problem.message


def unique_problems(checked: list, others: list[IndexEntry]) -> list[Problem]:
    """``check_unique`` over the checked documents and every other file sharing a URL with one."""
    wanted = {slug(d.index_no) for d in checked}
    group = list(checked) + [e for e in others if slug(e.index_no) in wanted]
    return check_unique(group)


def cmd_check(args: argparse.Namespace) -> int:
    project = Project(args.root)
    started = time.perf_counter()
    problems = check_files(project, [Path(f) for f in args.files])
    emit(problems)
    errors = [p for p in problems if p.severity == "error"]
    what = f"{len(args.files)} 个文件" if args.files else "全部文件"
    if errors:
        print(f"校验未通过：{what}中共 {len(errors)} 个错误 / check failed: {len(errors)} error(s)", file=sys.stderr)
        return PROBLEMS
    if not args.quiet:
        print(f"校验通过：{what}，用时 {time.perf_counter() - started:.2f} 秒 / check passed")
    return OK


# --- new ----------------------------------------------------------------------
def ask(prompt: str, choices: list[str] | None = None) -> str:
    """Ask on the terminal; a number picks from ``choices``."""
    if choices:
        for i, choice in enumerate(choices, 1):
            print(f"  {i:>3}. {choice}", file=sys.stderr)
    answer = input(f"{prompt}: ").strip()
    if choices and answer.isdigit() and 1 <= int(answer) <= len(choices):
        return choices[int(answer) - 1]
    return answer


def yaml_scalar(value: str) -> str:
    """A value that YAML reads back as the same string."""
    if re.fullmatch(r"[^\s:#\[\]{},&*!|>'\"%@`-][^:#]*", value) and not re.search(r"\s$", value):
        return value
    return json.dumps(value, ensure_ascii=False)


def new_document(project: Project, publisher: Publisher, column: str, title: str, category: str,
                 date: dt.date, index_no: str) -> str:
    """The text of a new document with complete front matter in Chinese labels."""
    cat = project.catalogue
    name = {f.key: f.name for f in cat.fields}
    attributes = "、".join(cat.attributes)
    col = cat.column_lookup[column]
    lines = [
        "---",
        f"{name['title']}: {yaml_scalar(title)}",
        f"{name['index_no']}: {yaml_scalar(index_no)}  # 由 python -m zfxxgk new 分配，请勿改用他人已用的号",
        f"{name['publisher']}: {yaml_scalar(publisher.name)}",
        f"{name['category']}: {yaml_scalar(category)}",
        f"{name['column']}: {yaml_scalar(col.title_path)}",
        f"{name['published']}: {date.isoformat()}",
        f"{name['written']}: {date.isoformat()}",
        f"{name['doc_no']}: \"\"  # 文号，无则留空",
        f"{name['attribute']}: 主动公开  # 可选：{attributes}",
    ]
    validity = cat.field_by_key["validity"]
    if col.requires_validity:
        lines.append(f"{validity.name}: {validity.values[0]}  # 可选：{'、'.join(validity.values)}")
    else:
        lines.append(f"# {validity.name}: {validity.values[0]}  # 政策文件填写；可选：{'、'.join(validity.values)}")
    lines += [
        f"{name['keywords']}: []",
        f"{name['summary']}: \"\"",
        f"# {name['tags']}: []  # 可选标签见 catalog/tags.yml",
        f"# {name['interprets']}: 被解读文件的索引号",
        f"# {name['replaces']}: [{{索引号: 被修订或废止文件的索引号, 类型: {'/'.join(RELATION_KINDS)}}}]",
        "---",
        "",
        "（在此处撰写正文。）",
        "",
    ]
    return "\n".join(lines)


def _pick(value: str | None, prompt: str, choices: list[str], interactive: bool) -> str:
    if value:
        return value
    if not interactive:
        raise UsageError(f"缺少参数：{prompt}（非交互运行时必须给出）/ missing argument: {prompt}")
    return ask(prompt, choices)


class UsageError(Exception):
    pass


def cmd_new(args: argparse.Namespace) -> int:
    project = Project(args.root)
    cat = project.catalogue
    interactive = sys.stdin.isatty() and not args.yes
    try:
        publisher_name = _pick(args.publisher, "发布机构 publisher", [p.name for p in cat.publishers], interactive)
        column = _pick(args.column, "公开目录 column", [c.title_path for c in cat.all_columns], interactive)
        category = _pick(args.category, "主题分类 category",
                         [t.name for t in cat.themes if "/" in t.name or not cat.theme_has_children(t.name)],
                         interactive)
        title = _pick(args.title, "标题 title", [], interactive)
    except UsageError as exc:
        print(exc, file=sys.stderr)
        return USAGE
    publisher = cat.publisher_lookup.get(publisher_name)
    problems = []
    if re.search(r"[\x00-\x1f\x7f\u2028\u2029]", title):
        problems.append("标题不能包含换行、制表符等控制字符；请写成一行")
    if publisher is None:
        problems.append(f"发布机构“{publisher_name}”不在 catalog/publishers.yml 中；可选："
                        + "、".join(p.name for p in cat.publishers))
    col = cat.column_lookup.get(column.strip("/"))
    if col is None:
        problems.append(f"公开目录“{column}”不在 catalog/columns.yml 中或有重名，请写完整路径")
    if problems:
        print("\n".join(problems), file=sys.stderr)
        return PROBLEMS
    date = args.date or dt.date.today()
    try:
        index_no = next_index_no(publisher, date.year, used_values(project.root, project.docs_dir, cat))
    except ValueError as exc:
        print(exc, file=sys.stderr)
        return PROBLEMS
    path = Path(args.output) if args.output else \
        project.docs_dir / DOCUMENTS_DIR / str(date.year) / f"{slug(index_no)}.md"
    if path.exists():
        print(f"文件已存在，未覆盖：{path} / file exists, not overwritten", file=sys.stderr)
        return PROBLEMS
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(new_document(project, publisher, col.title_path, title, category, date, index_no),
                    encoding="utf-8")
    print(f"已新建 {_shown(path, project.root)}，索引号 {index_no} / created")
    problems_found = check_files(project, [path])
    emit(problems_found)
    return PROBLEMS if any(p.severity == "error" for p in problems_found) else OK


# --- report -------------------------------------------------------------------
def cmd_report(args: argparse.Namespace) -> int:
    """The compliance report of issue 5 (``zfxxgk.compliance.compute``), without a build.

    Exit 1 when a document is invalid or the report has findings.
    """
    from zfxxgk.audit import compliance   # imported here: the report is the only command that needs the rules

    project = Project(args.root)
    if args.output and (folder := _published_folder(project, Path(args.output))) is not None:
        print(f"报告不得写入会发布的目录 {_shown(folder, project.root)}/：{args.output}；请写到 reports/ 等站点以外的目录 "
              f"/ a report must not be written into a published folder", file=sys.stderr)
        return USAGE
    corpus = load_corpus(project.docs_dir, project.catalogue, project.root)
    reported = corpus.problems.sorted()
    emit(reported)
    if args.withheld:
        return _report_withheld(args, project, corpus)
    from zfxxgk.pages import generated as extras
    from zfxxgk.audit import inspection

    loaded = extras.load(project.docs_dir, project.catalogue, corpus)
    generated = {p.column for p in loaded.pages()}
    emit([p for p in corpus.problems.sorted() if p not in reported])   # the cross-file problems extras found
    pages = inspection.page_columns(project.catalogue, project.docs_dir, generated)
    report = compliance.compute(corpus, project.catalogue, pages=pages, reports=loaded.reports)
    if args.format == "json":
        text = json.dumps({"documents": report.documents, "counts": report.counts(), "notes": report.notes,
                           "findings": [{"file": f.file, "line": f.line, "rule": f.rule, "message": f.message}
                                        for f in report.findings],
                           "warnings": [{"file": f.file, "line": f.line, "rule": f.rule, "message": f.message}
                                        for f in report.warnings]}, ensure_ascii=False, indent=2) + "\n"
    else:
        text = report.text()
    if args.output:
        Path(args.output).parent.mkdir(parents=True, exist_ok=True)
        Path(args.output).write_text(text, encoding="utf-8")
        print("\n".join(report.summary(args.output)))
    else:
        sys.stdout.write(text)
    return PROBLEMS if corpus.problems.errors or report.findings else OK


def _published_folder(project: Project, output: Path) -> Path | None:
    from zfxxgk.tools.withheld import inside

    return inside(output if output.is_absolute() else Path.cwd() / output, [project.docs_dir, site_dir_of(project.root)])


def _report_withheld(args: argparse.Namespace, project: Project, corpus) -> int:
    """Every 依申请公开/不予公开 document with its reason, age and review mark; never into the site."""
    from zfxxgk.tools import withheld
    from zfxxgk.intake.relations import build_date

    today = build_date(project.catalogue.settings)
    items = withheld.entries(corpus.withheld, today)
    text = withheld.as_json(items, today) if args.format == "json" else withheld.text(items, today)
    if args.output:
        Path(args.output).parent.mkdir(parents=True, exist_ok=True)
        Path(args.output).write_text(text, encoding="utf-8")
        due = sum(e.review_due for e in items)
        print(f"不公开文件 {len(items)} 篇，满一年需复核 {due} 篇；清单：{args.output}（内部材料，不得发布）")
    else:
        sys.stdout.write(text)
    return PROBLEMS if corpus.problems.errors else OK


# --- preview ------------------------------------------------------------------
def cmd_preview(args: argparse.Namespace) -> int:
    from zfxxgk.tools import preview   # imports MkDocs: only this command needs it

    preview.run(args.root, args.host, args.port)
    return OK


# --- server-config ------------------------------------------------------------
def cmd_server_config(args: argparse.Namespace) -> int:
    from zfxxgk.outputs import serverconf   # imports MkDocs: only this command needs it

    target = serverconf.load(args.root)
    write = serverconf.nginx if args.server == "nginx" else serverconf.caddy
    sys.stdout.write(write(target, args.web_root))
    return OK


# --- parser -------------------------------------------------------------------
def parse_date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"日期应写作 2024-05-01 / date must be YYYY-MM-DD: {text}") from None


def parser() -> argparse.ArgumentParser:
    top = _help(argparse.ArgumentParser(prog="python -m zfxxgk", description=DESCRIPTION,
                                       formatter_class=Formatter, add_help=False))
    top.add_argument("--root", type=Path, default=None,
                     help="站点目录（默认：向上查找 mkdocs.yml）/ site directory (default: found upwards from here)")
    sub = top.add_subparsers(dest="command", metavar="{new,check,report,preview,server-config,new-agency}")

    new = sub.add_parser("new", formatter_class=Formatter, add_help=False, help="新建文件 / create a new document",
                         description="新建一篇文件：写出完整的元数据，索引号取该机构当年下一个从未用过的号\n"
                                     "（含不予公开、依申请公开和 git 历史中已删除的文件）。\n"
                                     "Create a document with complete front matter and the next 索引号 never used\n"
                                     "for the publisher and year (withheld and deleted documents included).")
    new.add_argument("--publisher", "-p", help="发布机构 / publisher (catalog/publishers.yml)")
    new.add_argument("--column", "-c", help="公开目录，如 法定主动公开内容/法规文件/规章 / column")
    new.add_argument("--category", "-k", help="主题分类「一级/二级」/ theme, e.g. 综合政务/政务公开")
    new.add_argument("--title", "-t", help="标题 / title")
    new.add_argument("--date", type=parse_date, help="发布日期，默认今天 / publication date, default today")
    new.add_argument("--output", "-o", help="输出文件，默认 content/documents/<年>/… / output file")
    new.add_argument("--yes", "-y", action="store_true", help="不提问，缺参数即报错 / never prompt")
    _help(new).set_defaults(run=cmd_new)

    check = sub.add_parser("check", formatter_class=Formatter, add_help=False, help="校验文件 / validate documents",
                           description="校验给定文件（不给则校验全部）的元数据与索引号唯一性，消息与构建相同。\n"
                                       "Validate the given documents (or all) exactly as the build does.")
    check.add_argument("files", nargs="*", help="要校验的文件 / files to check")
    check.add_argument("--quiet", "-q", action="store_true", help="通过时不输出 / silent on success")
    _help(check).set_defaults(run=cmd_check)

    report = sub.add_parser("report", formatter_class=Formatter, add_help=False, help="合规报告 / compliance report",
                            description="公开合规报告（无需构建）；--withheld 输出不公开文件年度评估清单。\n"
                                        "The disclosure compliance report, without a build; --withheld lists the\n"
                                        "withheld documents for the yearly review.")
    report.add_argument("--format", choices=("text", "json"), default="text", help="输出格式 / output format")
    report.add_argument("--output", "-o", help="写入文件（不得在 content/ 或 site/ 内）/ write to a file (not in content/ or site/)")
    report.add_argument("--withheld", action="store_true",
                        help="不公开文件年度评估清单：依申请公开、不予公开文件的理由、时长、满一年需复核（内部材料）"
                             " / withheld documents with reason, age and review mark (internal)")
    _help(report).set_defaults(run=cmd_report)

    serve = sub.add_parser("preview", formatter_class=Formatter, add_help=False, help="快速预览 / fast preview",
                           description="大型站点的快速预览：首次全量构建后，保存一篇文件只重新生成该文件页面\n"
                                       "及列出它的列表页，浏览器自动刷新。\n"
                                       "Fast preview: after one full build, a saved document re-renders only its\n"
                                       "own page and the listing pages that show it; the browser reloads itself.")
    serve.add_argument("--host", default="127.0.0.1", help="监听地址 / address (default 127.0.0.1)")
    serve.add_argument("--port", type=int, default=8000, help="端口 / port (default 8000)")
    _help(serve).set_defaults(run=cmd_preview)

    conf = sub.add_parser("server-config", formatter_class=Formatter, add_help=False,
                          help="网站服务器配置 / web server configuration",
                          description="输出 nginx 或 Caddy 的站点配置：与页面相同的内容安全策略及其他安全响应头、\n"
                                      "缓存、预压缩文件、子路径与 404 页面（说明见 docs/publishing.md）。\n"
                                      "Print the nginx or Caddy configuration that serves the built site with the\n"
                                      "pages' own Content-Security-Policy and the other security headers.")
    conf.add_argument("server", choices=("nginx", "caddy"), help="服务器 / server")
    conf.add_argument("--web-root", default="/var/www",
                      help="网站根目录，site/ 复制到其下的站点子路径（默认 /var/www）/ document root")
    _help(conf).set_defaults(run=cmd_server_config)
    agency = sub.add_parser("new-agency", formatter_class=Formatter, add_help=False,
                            help="新增机构专栏 / add an agency's 专栏",
                            description="在平台上新增一个部门或乡镇（街道）的专栏：写入 catalog/agencies.yml（及新的\n"
                                        "发布机构），生成其政府信息公开指南页 content/zl/<slug>/zfxxgkzn/index.md。\n"
                                        "Add a department's or township's 专栏 to the platform: catalogue entries and\n"
                                        "its 指南 page; nothing is written if the catalogue would not load.")
    agency.add_argument("--name", required=True, help="机构全称 / full name, e.g. 示例县教育局")
    agency.add_argument("--slug", required=True, help="网址名（小写字母、数字、-）/ URL slug, e.g. sxjyj")
    agency.add_argument("--kind", required=True, help="机构类型：政府部门、乡镇（街道）、其他 / kind")
    agency.add_argument("--short", default="", help="简称 / short name, e.g. 县教育局")
    agency.add_argument("--publisher", default="", help="发布机构名称，默认与机构全称相同 / issuing body")
    agency.add_argument("--index-prefix", default="", help="索引号前缀（如组织机构代码）/ 索引号 prefix")
    _help(agency).set_defaults(run=cmd_new_agency)
    return top


def cmd_new_agency(args) -> int:
    from zfxxgk.tools import scaffold
    new = scaffold.NewAgency(args.name, args.slug, args.kind, args.short, args.publisher, args.index_prefix)
    for path in scaffold.create(args.root, new):
        print(f"已写入 {_shown(path, args.root)}")
    print(f"请补充 catalog/agencies.yml 中「{args.name}」的联系信息（contact）和指南正文，然后构建站点；"
          f"专栏网址：/zl/{args.slug}/")
    return OK


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    if not getattr(args, "run", None):
        parser().print_help()
        return USAGE
    try:
        args.root = (args.root or find_root(Path.cwd())).resolve()
        return args.run(args)
    except CatalogueError as exc:
        print(f"错误 {exc}", file=sys.stderr)
        return PROBLEMS
    except KeyboardInterrupt:
        return USAGE


def _shown(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()
