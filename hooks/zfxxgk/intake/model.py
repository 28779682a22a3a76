"""The validated document: canonical keys, normalised values, where they came from."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from zfxxgk.catalog.agencies import Agency
from zfxxgk.catalog.terms import Column, Publisher, Theme, Tag


@dataclass
class Document:
    """One disclosed document after validation.

    ``meta`` maps canonical keys to normalised values: dates are ``date``,
    keywords and tags are lists, ``category`` is the theme name ``一级/二级``,
    ``column`` the column's slug path, ``publisher`` the catalogue name.
    """

    src: str                       # path relative to the docs dir (content/), posix
    path: str                      # path for messages, relative to the project root
    meta: dict[str, Any]
    lines: dict[str, int]          # canonical key -> line of that key in the file
    body: str | None               # Markdown body, front matter removed; None once released (release_body)
    body_line: int
    publishable: bool
    column_obj: Column
    publisher_obj: Publisher
    theme: Theme
    tag_objs: list[Tag] = field(default_factory=list)
    agencies: tuple[Agency, ...] = ()   # the issuing agencies, the lead issuer's first (联合发文: several)
    columns: tuple[Column, ...] = ()    # its column in each of those agencies' trees; column_obj is the first
    url: str = ""                  # site-relative URL of the page, e.g. "wj/<slug>/"
    validity_now: str | None = None   # 有效性 as of the build date (relations.resolve); None before
    in_force: bool = True             # by catalog/validity.yml, as of the build date
    source_digest: str = ""           # sha256 of the file as read (the build cache's key: pages/cache.py)

    def release_body(self) -> None:
        """Drop the Markdown body: a build reads it through the checks that end in on_env, and keeping it
        to the end held about 12 KB a document (1.2 GB at 100,000). Later readers read the file again."""
        self.body = None

    # Convenience accessors used by templates and generators.
    @property
    def title(self) -> str:
        return self.meta["title"]

    @property
    def index_no(self) -> str:
        return self.meta["index_no"]

    @property
    def doc_no(self) -> str:
        return self.meta.get("doc_no", "")

    @property
    def published(self) -> dt.date:
        return self.meta["published"]

    @property
    def written(self) -> dt.date | None:
        return self.meta.get("written")

    @property
    def year(self) -> int:
        return self.published.year

    @property
    def attribute(self) -> str:
        return self.meta["attribute"]

    @property
    def validity(self) -> str:
        """有效性 as shown and counted: as of the build date once relations are resolved."""
        return self.validity_now if self.validity_now is not None else self.meta.get("validity", "")

    @property
    def void(self) -> bool:
        """No longer in force (废止 or 失效): labelled so wherever the document is listed."""
        return not self.in_force

    @property
    def agency(self) -> Agency:
        """The lead issuer's agency: whose 专栏 the document is filed in first."""
        return self.agencies[0]

    def filed_in(self) -> list[Column]:
        """Every column that lists the document: its column and their ancestors, in each issuer's 专栏."""
        return list({c: None for column in self.columns for c in column.ancestors()})

    @property
    def publisher(self) -> str:
        return self.meta["publisher"]

    @property
    def category(self) -> str:
        return self.meta["category"]

    @property
    def keywords(self) -> list[str]:
        return self.meta.get("keywords", [])

    @property
    def tags(self) -> list[str]:
        return self.meta.get("tags", [])

    @property
    def summary(self) -> str:
        return self.meta.get("summary", "")

    def sort_key(self) -> tuple:
        """Newest first, then by 索引号 so equal dates order deterministically."""
        return (-self.published.toordinal(), self.index_no)
