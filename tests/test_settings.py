"""catalog/site.yml through one typed schema: defaults, types and unknown keys, in Chinese."""
from __future__ import annotations

import datetime as dt

import pytest

from zfxxgk.catalog import settings


def test_an_empty_file_gives_every_default():
    s = settings.load(None)
    assert (s.agency, s.page_size, s.home_latest, s.pages) == ("", 20, 10, [])
    assert (s.safety.max_document_kb, s.safety.audit_workers) == (2048, 0)
    assert (s.compliance.report, s.compliance.strict) == ("reports/compliance.txt", False)
    assert s.index_no.pattern == ".+" and s.build_date is None


def test_a_date_written_as_a_yaml_date_is_kept_as_text():
    assert settings.load({"build_date": dt.date(2024, 3, 31)}).build_date == "2024-03-31"


@pytest.mark.parametrize("raw, message", [
    ({"page_size": "二十"}, "catalog/site.yml：「page_size」应为整数，发现文字"),
    ({"footr": {}}, "catalog/site.yml：未知设置「footr」"),
    ({"footer": {"icpp": "x"}}, "catalog/site.yml：未知设置「footer.icpp」"),
    ({"footer": {"icp": 3}}, "catalog/site.yml：「footer.icp」应为文字，发现整数"),
    ({"compliance": {"strict": "是"}}, "catalog/site.yml：「compliance.strict」应为true 或 false，发现文字"),
    ({"pages": "zfxxgkzn/a.md"}, "catalog/site.yml：「pages」应为列表，发现文字"),
])
def test_a_wrong_setting_is_named_with_what_is_allowed(raw, message):
    with pytest.raises(settings.SettingsError) as exc:
        settings.load(raw)
    assert str(exc.value).startswith(message)


def test_a_wrong_setting_fails_the_build_without_a_traceback(make_project):
    project = make_project()
    path = project.root / "catalog/site.yml"
    path.write_text(path.read_text(encoding="utf-8").replace("page_size: 20", "page_size: 二十"), encoding="utf-8")
    result = project.build()
    assert not result.ok and "catalog/site.yml：「page_size」应为整数，发现文字" in result.output
    assert "Traceback" not in result.output
