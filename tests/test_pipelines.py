"""The publish pipelines and the pre-commit hook.

Each pipeline file parses, runs exactly the commands docs/publishing.md gives
(install from requirements, check, build with --strict), deploys only after
the build succeeded, and those commands succeed here on a clean copy.
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import ROOT

PIPELINES = {
    "github": ROOT / ".github/workflows/publish.yml",
    "gitlab": ROOT / ".gitlab-ci.yml",
    "gitea": ROOT / ".gitea/workflows/publish.yml",
    "forgejo": ROOT / ".forgejo/workflows/publish.yml",
}
BUILD = "mkdocs build --strict"


def documented_commands() -> list[str]:
    text = (ROOT / "docs/publishing.md").read_text(encoding="utf-8")
    block = re.search(r"## 各流水线执行的命令.*?```sh\n(.*?)```", text, re.S)[1]
    return [line.strip() for line in block.splitlines() if line.strip()]


def load(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def run_lines(steps: list) -> list[str]:
    """The shell lines of a list of steps (Actions) or script entries (GitLab)."""
    out = []
    for step in steps:
        text = step.get("run", "") if isinstance(step, dict) else step
        out += [line.strip() for line in text.splitlines() if line.strip()]
    return out


def commands(name: str) -> list[str]:
    data = load(PIPELINES[name])
    if name == "gitlab":
        return run_lines(data["pages"]["script"])
    return [line for job in data["jobs"].values() for line in run_lines(job.get("steps", []))]


def is_subsequence(wanted: list[str], lines: list[str]) -> bool:
    it = iter(lines)
    return all(any(line == w for line in it) for w in wanted)


@pytest.mark.parametrize("name", PIPELINES)
def test_pipeline_runs_the_documented_commands_in_order(name):
    wanted = documented_commands()
    assert wanted[-1] == BUILD and "python -m pip install -r requirements.txt" in wanted
    assert is_subsequence(wanted, commands(name)), commands(name)


@pytest.mark.parametrize("name", PIPELINES)
def test_no_step_may_fail_silently(name):
    text = PIPELINES[name].read_text(encoding="utf-8")
    for escape in ("continue-on-error", "allow_failure", "always()", "|| true", "when: always"):
        assert escape not in text


def test_github_deploys_the_built_site_only_after_the_build_job():
    data = load(PIPELINES["github"])
    triggers = data.get("on", data.get(True))
    assert triggers["push"]["branches"] == ["main"]
    build, deploy = data["jobs"]["build"], data["jobs"]["deploy"]
    uses = [s.get("uses", "") for s in build["steps"]]
    assert any(u.startswith("actions/upload-pages-artifact") for u in uses)
    assert uses.index(next(u for u in uses if u.startswith("actions/upload-pages-artifact"))) > \
        [s.get("run") for s in build["steps"]].index(BUILD)
    assert deploy["needs"] == "build"
    assert deploy["steps"][0]["uses"].startswith("actions/deploy-pages")
    assert data["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}


def test_gitlab_publishes_public_from_the_default_branch_after_the_build():
    job = load(PIPELINES["gitlab"])["pages"]
    script = job["script"]
    assert script.index("rm -rf public && mv site public") > script.index(BUILD)
    assert job["artifacts"]["paths"] == ["public"]
    assert job["rules"] == [{"if": '$CI_PIPELINE_SOURCE == "schedule" && $CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH'},
                            {"if": "$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH"}]


# --- the daily build: expiry changes on the day -------------------------------------------------
DAILY_UTC = "30 16 * * *"          # 00:30 in Beijing (UTC+8)


@pytest.mark.parametrize("name", ["github", "gitea", "forgejo"])
def test_actions_pipelines_build_every_day_just_after_midnight_in_beijing(name):
    data = load(PIPELINES[name])
    triggers = data.get("on", data.get(True))
    assert triggers["schedule"] == [{"cron": DAILY_UTC}]
    assert triggers["push"]["branches"] == ["main"] and "workflow_dispatch" in triggers


def test_gitlab_runs_the_pages_job_for_the_documented_daily_schedule():
    rules = [r["if"] for r in load(PIPELINES["gitlab"])["pages"]["rules"]]
    assert any('$CI_PIPELINE_SOURCE == "schedule"' in r for r in rules)
    docs = (ROOT / "docs/publishing.md").read_text(encoding="utf-8")
    daily = docs[docs.index("## 每日定时构建"):docs.index("## GitHub Actions")]
    assert "`30 0 * * *`" in daily and "`Asia/Shanghai`" in daily and f'`cron: "{DAILY_UTC}"`' in daily


def test_gitea_and_forgejo_copy_the_site_only_after_the_build():
    assert PIPELINES["gitea"].read_bytes() == PIPELINES["forgejo"].read_bytes()
    steps = load(PIPELINES["gitea"])["jobs"]["publish"]["steps"]
    runs = [s.get("run", "") for s in steps]
    build = runs.index(BUILD)
    deploy = next(i for i, r in enumerate(runs) if "rsync -a" in r)
    assert deploy > build and "if" not in steps[deploy]
    assert 'test -n "$DEPLOY_HOST"' in runs[deploy]


def test_the_editors_set_up_installs_what_the_pipelines_install():
    text = (ROOT / "docs/editing.md").read_text(encoding="utf-8")
    setup = re.search(r"## 安装.*?```sh\n(.*?)```", text, re.S)[1]
    lines = [l.split("#")[0].strip() for l in setup.splitlines() if l.strip()]
    assert lines == [c for c in documented_commands() if "install" in c or c == "npm ci"]


def test_the_documented_commands_succeed_on_a_clean_copy(make_project, example_site):
    """Install commands are what this machine already ran; check and the strict build run here."""
    assert example_site.ok                     # `mkdocs build --strict` on a fresh copy (conftest)
    project = make_project()
    env = dict(os.environ, PYTHONPATH=str(ROOT / "hooks"))
    check = subprocess.run([sys.executable, "-m", "zfxxgk", "check"], cwd=project.root, env=env,
                           capture_output=True, text=True)
    assert check.returncode == 0, check.stderr
    assert (ROOT / "package-lock.json").is_file() and (ROOT / "pyproject.toml").is_file()


# --- pre-commit -------------------------------------------------------------------
def test_pre_commit_config_has_a_local_check_hook():
    repos = load(ROOT / ".pre-commit-config.yaml")["repos"]
    hooks = {h["id"]: h for r in repos if r["repo"] == "local" for h in r["hooks"]}
    assert hooks["zfxxgk-check"]["entry"].startswith("python -m zfxxgk check")
    assert re.match(hooks["zfxxgk-check"]["files"], "content/documents/2024/a.md")
    assert hooks["zfxxgk-check-all"]["pass_filenames"] is False


@pytest.mark.skipif(shutil.which("pre-commit") is None, reason="pre-commit is in requirements-test.txt")
def test_pre_commit_refuses_a_commit_with_an_invalid_document(make_project):
    project = make_project()
    shutil.copy2(ROOT / ".pre-commit-config.yaml", project.root)
    env = dict(os.environ, PYTHONPATH=str(ROOT / "hooks"), PRE_COMMIT_HOME=str(project.root.parent / "pc-home"),
               GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@example.org", GIT_COMMITTER_NAME="t",
               GIT_COMMITTER_EMAIL="t@example.org")

    def run(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run(list(args), cwd=project.root, env=env, capture_output=True, text=True)

    run("git", "init", "-q")
    run("git", "add", "-A")
    assert run("git", "commit", "-qm", "site").returncode == 0
    assert run("pre-commit", "install").returncode == 0
    project.write("content/documents/2024/bad.md", "---\n标题: 缺字段\n---\n\n正文\n")
    run("git", "add", "-A")
    refused = run("git", "commit", "-qm", "bad")
    assert refused.returncode != 0
    assert "content/documents/2024/bad.md: [index_no] 「索引号」缺少必填字段" in refused.stdout + refused.stderr
    (project.root / "content/documents/2024/bad.md").unlink()
    (project.root / "content/documents/2024/good.md").write_text(
        (project.content / "documents/2021/guanxian-2021-9.md").read_text(encoding="utf-8")
        .replace("113715250044422281/2021-26757114", "113715250044422281/2021-26757999"), encoding="utf-8")
    run("git", "add", "-A")
    accepted = run("git", "commit", "-qm", "a valid document")
    assert accepted.returncode == 0, accepted.stdout + accepted.stderr


# What the build keeps between runs (pages/cache.py, the attachment text, the compiled templates,
# the parsed front matter).
KEPT = [".cache/zfxxgk-build", ".cache/zfxxgk-attachment-text", ".cache/zfxxgk-templates", ".cache/zfxxgk-frontmatter"]


def cached_paths(name: str) -> list[str]:
    data = load(PIPELINES[name])
    if name == "gitlab":
        return data["cache"]["paths"]
    steps = [s for job in data["jobs"].values() for s in job.get("steps", [])]
    return [line.strip() for s in steps if str(s.get("uses", "")).startswith("actions/cache")
            for line in s["with"]["path"].splitlines() if line.strip()]


@pytest.mark.parametrize("name", PIPELINES)
def test_every_pipeline_keeps_the_build_caches_between_runs(name):
    assert set(KEPT) <= set(cached_paths(name)), cached_paths(name)
