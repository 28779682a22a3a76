"""The README stays true: its field table covers catalog/fields.yml, its commands exist."""
from __future__ import annotations

import re

import yaml

from conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_front_matter_table_lists_every_field_with_its_labels():
    for field in yaml.safe_load((ROOT / "catalog" / "fields.yml").read_text(encoding="utf-8")):
        row = re.search(rf"^\| `{field['key']}` \| (.*?) \|", README, re.M)
        assert row, f"README's front-matter table lacks {field['key']}"
        assert row[1] == "、".join(field["labels"])


def test_the_two_commands_are_there_and_ci_runs_the_test_command():
    blocks = re.findall(r"```sh\n(.*?)\n\s*```", README, re.S)
    assert any("mkdocs serve" in b and "pip install -r requirements.txt" in b for b in blocks)
    assert any(b.strip() == "bash .ci/run" for b in blocks)
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert 'apt-get install -y -qq "${missing[@]}"' in ci and "pip install -q -r requirements-test.txt" in ci
    for package in ("chromium", "fonts-noto-cjk", "python3-venv", "nodejs", "npm", "nginx"):
        assert f"missing+=({package})" in ci, f"CI installs {package} when the machine lacks it"
    assert "python3 -m venv .venv" in ci and ". .venv/bin/activate" in ci, "CI installs into its own environment (PEP 668)"
    assert "pyenv" not in ci.replace("no pyenv", "")
    assert ci.rstrip().splitlines()[-1].startswith("python3 -m pytest")
