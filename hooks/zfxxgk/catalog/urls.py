"""Every path the site reads from content/ or writes to the output, named once.

URL shapes are format strings of site-relative paths (no leading slash); the
folders are relative to content/. Changing one changes published URLs.
"""
from __future__ import annotations

# --- content/ ---------------------------------------------------------------------
DOCUMENTS_DIR = "documents"          # content/documents/: every Markdown file here is a document
DECISIONS_DIR = "zdxzjc"             # content/zdxzjc/<year>.yml: 重大行政决策事项目录
REPORTS_DIR = "zfxxgknb"             # content/zfxxgknb/<year>.yml: 政府信息公开工作年度报告
AGENCIES_DIR = "zl"                  # content/zl/<agency slug>/: an agency's own pages and data files,
                                     # laid out as the top of content/ is for the 本级政府

# --- the output -------------------------------------------------------------------
DOCUMENT = "wj/{slug}/"              # a document's page, from its 索引号
PUBLISHER = "jg/{slug}/"
THEME = "zt/{code}/"
TAG = "bq/{slug}/"
YEAR = "nian/{year}/"
GROUP_INDEXES = {"publisher": "jg/", "theme": "zt/", "year": "nian/", "tag": "bq/"}
SEARCH_PAGE = "search/index.md"
SEARCH_DATA = "search/data"
ADMIN = "admin"
ITEMS = "{column}/bzml/"             # 政务公开事项标准目录, under the column with role items
QA = "{column}/zcwd/"                # 政策问答, under the column with role qa
CONSULTATIONS = "yjzj/"              # 意见征集: every document with a 征集开始/征集截止 period
YEAR_PAGE = "{column}/{year}/"       # a year's decision catalogue or annual report, under its column
FEED = "feed.xml"
AGENCY = "zl/{slug}/"                # an agency's 专栏 (the 本级政府's is the site root)
AGENCY_INDEX = "zl/"                 # the directory of every agency of the platform

# First path segments the build writes itself: a first-level column may not take one.
RESERVED_TOP = frozenset({DOCUMENT.split("/")[0], *(p.rstrip("/") for p in GROUP_INDEXES.values()),
                          SEARCH_PAGE.split("/")[0], ADMIN, AGENCY_INDEX.rstrip("/"), CONSULTATIONS.rstrip("/"),
                          "assets", DOCUMENTS_DIR, "data",
                          FEED, "sitemap.xml", "robots.txt", "404.html"})


def document_prefix() -> str:
    """``wj``: the first segment of every document page's URL."""
    return DOCUMENT.split("/")[0]
