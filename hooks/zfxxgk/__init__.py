"""The 政府信息公开 platform, one MkDocs plugin (plugin.py) and its stages, in build order:

catalog/      the catalogues in catalog/: terms, settings, URL shapes, the YAML reader, the calendar
intake/       documents read and validated, complete (URL, relations, 有效性 as of the build date)
publication/  the gate: what under content/ is published, what each page references; the atomic swap
pages/        the site model: document pages, listings, data pages (决策目录, 标准目录, 年报)
outputs/      what is written besides pages: sanitizing, search index, feeds, sitemap, QR, page meta, editor
audit/        after the build: leak audit, personal information, deadlines, compliance report
tools/        editors' commands (new, check, report, preview) and index numbers
"""
