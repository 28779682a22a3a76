"""Open data: the published catalogue as JSON and CSV, a DCAT-AP 3 description, the 年报 tables as CSV.

Every export is a function of a list of *published* documents and a ``Scope``
(the platform today; one agency's 专栏 once agencies exist), never of a global:
the caller passes ``corpus.published`` (or an agency's share of it), so a
withheld document cannot reach a file. The record shape is documented in
docs/open-data.md and fixed by ``catalog/open-data.schema.json``, which is
published beside the data.

Stable URLs, relative to the scope's base (the site root for the platform)::

    data/documents.json   data/documents.csv   data/documents.schema.json
    data/catalog.jsonld   data/nb/<年度>/<表>.csv
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

import msgspec

from zfxxgk.pages.annual_report import AnnualReport
from zfxxgk.intake.attachments import Attachment
from zfxxgk.catalog.report_schema import AnnualReportSchema
from zfxxgk.catalog.terms import Catalogue
from zfxxgk.intake.model import Document

DATA_DIR = "data/"
SCHEMA_FILE = "open-data.schema.json"          # in catalog/
# Fields of catalog/fields.yml that are instructions to the build, not metadata of the document.
NOT_EXPORTED = ("public_numbers", "withheld_reason")
# Computed columns appended after the catalogue's fields.
EXTRA = ("validity_now", "url")
LIST_SEPARATOR = "；"                            # joins list values in CSV cells
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")   # a spreadsheet would run such a cell: prefixed with '
CONTEXT = {
    "dcat": "http://www.w3.org/ns/dcat#",
    "dct": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "vcard": "http://www.w3.org/2006/vcard/ns#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}
LANGUAGE = "http://publications.europa.eu/resource/authority/language/ZHO"
FILE_TYPE = "http://publications.europa.eu/resource/authority/file-type/"
MEDIA_TYPE = "https://www.iana.org/assignments/media-types/"


@dataclass(frozen=True)
class Scope:
    """Whose data: the publishing body's name and where its files live."""
    agency: str          # 示例县人民政府 (the platform) or an agency's name
    site_url: str        # absolute site URL ending with "/", or "" (then URLs stay site-relative)
    base: str = ""       # site-relative folder of the scope's pages: "" for the platform, "zl/<slug>/" for an agency

    @property
    def data_dir(self) -> str:
        return self.base + DATA_DIR

    def absolute(self, site_relative: str) -> str:
        return self.site_url + site_relative

    def report_dir(self, report: AnnualReport) -> str:
        """Where a 年报's tables go: nb/<year>/ in its agency's scope, nb/<slug>/<year>/ in the platform's."""
        return f"{self.data_dir}nb/{report.year if self.base else report.key}/"


def exported_fields(cat: Catalogue) -> list[str]:
    return [f.key for f in cat.fields if f.key not in NOT_EXPORTED] + list(EXTRA)


def record(doc: Document, cat: Catalogue, scope: Scope, attachments: list[Attachment],
           published_numbers: set[str]) -> dict[str, Any]:
    """One document as data: every exported field (absent ones as null or []), URL, validity as of the build."""
    out: dict[str, Any] = {}
    for spec in cat.fields:
        if spec.key in NOT_EXPORTED:
            continue
        value = doc.meta.get(spec.key)
        if spec.key == "column":
            value = doc.column_obj.title_path
        elif spec.key == "attachments":
            value = [{"title": a.title, "url": scope.absolute(a.url)} for a in attachments]
        elif spec.key == "replaces":   # fail closed: only links to published documents
            value = [{"index_no": r["index_no"], "kind": r["kind"]} for r in value or []
                     if r["index_no"] in published_numbers]
        elif spec.key == "interprets" and value not in published_numbers:
            value = None
        elif isinstance(value, dt.date):
            value = value.isoformat()
        elif isinstance(value, list):
            value = [str(v) for v in value]
        elif value in ("", None):
            value = [] if spec.type in ("words", "tags", "files", "relations", "publishers") else None
        out[spec.key] = value
    out["validity_now"] = doc.validity or None
    out["url"] = scope.absolute(doc.url)
    return out


@dataclass
class Memo:
    """Records and CSV rows made once a build for every scope (the platform's and each agency's).
    A document's record is the same in every scope but for the relations it keeps (only those to
    documents of the scope), so it is keyed by the document and which of its relations are kept;
    its URLs are absolute from one site URL (``site_url``: a scope with another one is not served)."""
    site_url: str
    records: dict[tuple[int, tuple[bool, ...]], tuple[Document, dict[str, Any]]] = field(default_factory=dict)
    rows: dict[int, tuple[dict[str, Any], list[str]]] = field(default_factory=dict)


def records(docs: list[Document], cat: Catalogue, scope: Scope,
            attachments: dict[str, list[Attachment]], memo: Memo | None = None) -> list[dict[str, Any]]:
    numbers = {d.index_no for d in docs}
    if memo is None or memo.site_url != scope.site_url:
        return [record(d, cat, scope, attachments.get(d.index_no, []), numbers) for d in docs if d.publishable]
    out = []
    for d in docs:
        if d.publishable:
            key = (id(d), _kept(d, numbers))
            if (held := memo.records.get(key)) is None:   # the document is held too: its id stays its own
                held = memo.records[key] = (d, record(d, cat, scope, attachments.get(d.index_no, []), numbers))
            out.append(held[1])
    return out


def _kept(doc: Document, numbers: set[str]) -> tuple[bool, ...]:
    """Which of the document's relations ``record`` keeps among these published numbers."""
    kept = tuple(r["index_no"] in numbers for r in doc.meta.get("replaces") or [])
    interprets = doc.meta.get("interprets")
    return kept + ((interprets in numbers,) if interprets not in ("", None) else ())


def documents_json(rows: list[dict[str, Any]], scope: Scope, today: dt.date) -> str:
    data = {"agency": scope.agency, "as_of": today.isoformat(), "count": len(rows),
            "schema": scope.absolute(scope.data_dir + "documents.schema.json"), "documents": rows}
    # msgspec writes what json.dumps(ensure_ascii=False, indent=1) writes (floats aside: 1e16, not 1e+16), 7× faster
    return msgspec.json.format(msgspec.json.encode(data), indent=1).decode("utf-8") + "\n"


def csv_cell(value: Any) -> str:
    if value is None:
        return ""
    text = LIST_SEPARATOR.join(_flat(v) for v in value) if isinstance(value, list) else str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def _flat(value: Any) -> str:
    if isinstance(value, dict):   # replaces: 索引号:类型; attachments: 标题:URL
        return ":".join(str(v) for v in value.values())
    return str(value)


def documents_csv(rows: list[dict[str, Any]], cat: Catalogue, memo: Memo | None = None) -> str:
    """UTF-8 with BOM (spreadsheets in China open it correctly), header of canonical keys."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    keys = exported_fields(cat)
    writer.writerow(keys)
    for row in rows:
        writer.writerow(_cells(row, keys) if memo is None else _memo_cells(row, keys, memo))
    return "\ufeff" + buf.getvalue()


def _cells(row: dict[str, Any], keys: list[str]) -> list[str]:
    return [csv_cell(row.get(k)) for k in keys]


def _memo_cells(row: dict[str, Any], keys: list[str], memo: Memo) -> list[str]:
    if (held := memo.rows.get(id(row))) is None:    # the row is held too: its id stays its own
        held = memo.rows[id(row)] = (row, _cells(row, keys))
    return held[1]


# --- the 年报 tables ----------------------------------------------------------------------
def report_tables(report: AnnualReport) -> dict[str, list[list[Any]]]:
    """The computable tables of one 年报 (二 to 四) as rows with a header row."""
    f = report.format
    counted = [[f.counted.header, f.counted.issued, f.counted.voided, f.counted.in_force]]
    counted += [[r.label, r.issued, r.voided, r.in_force] for r in report.counted]
    active = [["条款", f.counted.header, "指标", "数值"]] + [[c, row, col, "" if v is None else v]
                                                         for c, row, col, v in report.active]
    applications = [["项目", *f.applications.applicants, f.applications.total]]
    applications += [[r.label, *(r.numbers or [])] for r in report.applications]
    groups = (f.review.rows[0], *(f"{f.review.litigation}（{row}）" for row in f.review.rows[1:]))
    review = [[f"{g}：{c}" for g in groups for c in (*f.review.columns, f.review.total)], list(report.review)]
    return {"zhudong-zhiding": counted, "zhudong-chuli": active, "yishenqing": applications, "fuyi-susong": review}


def table_titles(f: AnnualReportSchema) -> dict[str, str]:
    """The title of each table file, from the report's headings (catalog/annual_report.yml)."""
    heading = {k.key: k.heading for k in f.keys}
    return {"zhudong-zhiding": f"{heading['active']}（{'、'.join(f.counted.rows)}）",
            "zhudong-chuli": f"{heading['active']}（处理决定与收费）",
            "yishenqing": heading["applications"], "fuyi-susong": heading["review"]}


def table_csv(rows: list[list[Any]]) -> str:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\r\n").writerows(rows)
    return "\ufeff" + buf.getvalue()


def report_files(reports: Iterable[AnnualReport], scope: Scope) -> dict[str, str]:
    """site-relative path -> CSV text of every table of every 年报 of the scope."""
    out = {}
    for report in reports:
        for name, rows in report_tables(report).items():
            out[f"{scope.report_dir(report)}{name}.csv"] = table_csv(rows)
    return out


# --- DCAT-AP 3 ----------------------------------------------------------------------------
def _distribution(scope: Scope, path: str, title: str, kind: str, media: str) -> dict[str, Any]:
    url = {"@id": scope.absolute(path)}
    return {"@id": scope.absolute(path) + "#distribution", "@type": "dcat:Distribution",
            "dct:title": {"@value": title, "@language": "zh"}, "dcat:accessURL": url, "dcat:downloadURL": url,
            "dct:format": {"@id": FILE_TYPE + kind}, "dcat:mediaType": {"@id": MEDIA_TYPE + media}}


def catalog_jsonld(scope: Scope, today: dt.date, count: int, reports: Iterable[AnnualReport],
                   report_paths: dict[str, str]) -> str:
    """The scope's data as a dcat:Catalog of dcat:Datasets, with the DCAT context inline."""
    zh = lambda text: {"@value": text, "@language": "zh"}   # noqa: E731
    date = {"@value": today.isoformat(), "@type": "xsd:date"}
    publisher = {"@id": scope.absolute(scope.base) + "#publisher", "@type": "foaf:Agent", "foaf:name": zh(scope.agency)}
    data = scope.data_dir
    documents = {
        "@id": scope.absolute(data + "documents"), "@type": "dcat:Dataset",
        "dct:title": zh(f"{scope.agency}政府信息公开目录"),
        "dct:description": zh(f"{scope.agency}主动公开的政府信息目录（{count} 篇）：每篇文件的全部元数据、网址及构建日的有效性。"),
        "dct:publisher": publisher, "dct:modified": date, "dct:language": {"@id": LANGUAGE},
        "dcat:keyword": [zh("政府信息公开"), zh("政务公开")], "dcat:landingPage": {"@id": scope.absolute(scope.base)},
        "dct:conformsTo": {"@id": scope.absolute(data + "documents.schema.json")},
        "dcat:distribution": [
            _distribution(scope, data + "documents.json", "JSON", "JSON", "application/json"),
            _distribution(scope, data + "documents.csv", "CSV", "CSV", "text/csv"),
        ],
    }
    datasets = [documents]
    for report in reports:
        prefix = scope.report_dir(report)
        datasets.append({
            "@id": scope.absolute(prefix), "@type": "dcat:Dataset",
            "dct:title": zh(f"{report.title}（统计表）"),
            "dct:description": zh(f"{report.title}第二至第四部分的统计表，国办公开办函〔2021〕30号格式。"),
            "dct:publisher": publisher, "dct:temporal": {"@type": "dct:PeriodOfTime",
                                                          "dcat:startDate": {"@value": f"{report.year}-01-01", "@type": "xsd:date"},
                                                          "dcat:endDate": {"@value": f"{report.year}-12-31", "@type": "xsd:date"}},
            "dcat:landingPage": {"@id": scope.absolute(report.url)},
            "dcat:distribution": [_distribution(scope, path, table_titles(report.format)[path.rsplit("/", 1)[1][:-4]],
                                                "CSV", "text/csv")
                                  for path in sorted(report_paths) if path.startswith(prefix)],
        })
    catalog = {
        "@context": CONTEXT, "@id": scope.absolute(data + "catalog.jsonld"), "@type": "dcat:Catalog",
        "dct:title": zh(f"{scope.agency}政府信息公开开放数据"),
        "dct:description": zh(f"{scope.agency}政府信息公开平台发布的开放数据：公开目录与政府信息公开工作年度报告统计表。"),
        "dct:publisher": publisher, "dct:language": {"@id": LANGUAGE}, "dct:modified": date,
        "foaf:homepage": {"@id": scope.absolute(scope.base)},
        "dcat:dataset": datasets,
    }
    return json.dumps(catalog, ensure_ascii=False, indent=1) + "\n"


# --- all files of a scope -----------------------------------------------------------------
def files(docs: list[Document], reports: list[AnnualReport], cat: Catalogue, scope: Scope, today: dt.date,
          attachments: dict[str, list[Attachment]], schema: str, memo: Memo | None = None) -> dict[str, str]:
    """site-relative path -> text of every open-data file of ``scope``, from published ``docs`` only
    (``memo``: one for all the scopes of a build)."""
    rows = records(docs, cat, scope, attachments, memo)
    out = {scope.data_dir + "documents.json": documents_json(rows, scope, today),
           scope.data_dir + "documents.csv": documents_csv(rows, cat, memo),
           scope.data_dir + "documents.schema.json": schema}
    tables = report_files(reports, scope)
    out.update(tables)
    out[scope.data_dir + "catalog.jsonld"] = catalog_jsonld(scope, today, len(rows), reports, tables)
    return out


def schema_text(catalog_dir: Path) -> str:
    return (catalog_dir / SCHEMA_FILE).read_text(encoding="utf-8")


def write(site_dir: Path, out: dict[str, str]) -> None:
    for rel, text in out.items():
        path = site_dir / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
