"""Catalogue listings (hooks/zfxxgk/pages/listings.py): which documents each static list shows."""
from __future__ import annotations

from types import SimpleNamespace as NS

from zfxxgk.pages.listings import validity_listings


def column(path: str, title: str, requires_validity: bool = False) -> NS:
    return NS(path=path, title=title, url=f"{path}/", requires_validity=requires_validity)


GFXWJ = column("fdzdgknr/fgwj/gfxwj", "行政规范性文件", requires_validity=True)
GZ = column("fdzdgknr/fgwj/gz", "规章", requires_validity=True)
GFXWJ_SUB = column("fdzdgknr/fgwj/gfxwj/fzgg", "发展改革")
GFXWJ_LOOKALIKE = column("fdzdgknr/fgwj/gfxwjx", "名称相近的栏目")   # not below gfxwj
ZL = column("zl/sxmzj/fdzdgknr/fgwj/gfxwj", "行政规范性文件", requires_validity=True)
CATALOGUE = NS(all_columns=[GFXWJ, GFXWJ_SUB, GFXWJ_LOOKALIKE, GZ, ZL],
               validity=NS(in_force={"有效"}, void={"废止", "失效"}))


def doc(name: str, validity: str, *columns: NS) -> NS:
    return NS(name=name, validity=validity, columns=list(columns))


def test_validity_lists_hold_the_documents_of_the_column_and_below_in_order_each_once():
    docs = [doc("a", "有效", GFXWJ_SUB), doc("b", "废止", GFXWJ), doc("c", "有效", GFXWJ_LOOKALIKE),
            doc("d", "有效", GFXWJ, GFXWJ_SUB, ZL), doc("e", "失效", GZ), doc("f", "有效", ZL)]
    lists = {l.key: [d.name for d in l.documents] for l in validity_listings(CATALOGUE, docs)}
    assert lists == {
        "fdzdgknr/fgwj/gfxwj/xxyx": ["a", "d"],
        "fdzdgknr/fgwj/gfxwj/fzhsx": ["b"],
        "fdzdgknr/fgwj/gz/xxyx": [],
        "fdzdgknr/fgwj/gz/fzhsx": ["e"],
        "zl/sxmzj/fdzdgknr/fgwj/gfxwj/xxyx": ["d", "f"],
        "zl/sxmzj/fdzdgknr/fgwj/gfxwj/fzhsx": [],
    }


def test_validity_lists_are_titled_and_placed_under_their_column():
    current, void = validity_listings(CATALOGUE, [])[:2]
    assert (current.title, current.base_url) == ("行政规范性文件（现行有效）", "fdzdgknr/fgwj/gfxwj/xxyx/")
    assert (void.title, void.base_url) == ("行政规范性文件（废止和失效）", "fdzdgknr/fgwj/gfxwj/fzhsx/")
