"""Turn the real lawrefbook corpus into disclosure documents, as an editor would.

The corpus (../shared/corpus/lawrefbook-laws) lacks 索引号, 成文日期 and a
column; this assigns them deterministically, adds the corpus' issuing bodies
to the project's publisher catalogue, and repeats the real bodies with varied
metadata to reach any N. Used by the tests and the benchmarks.
"""
from __future__ import annotations

import datetime as dt
import re
import zlib
from pathlib import Path

import yaml

CORPUS = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus" / "lawrefbook-laws" / "docs"
FALLBACK_PUBLISHER = "国务院"

COLUMN_BY_CATEGORY = {
    "部门规章": "法定主动公开内容/法规文件/规章",
    "地方性法规": "法定主动公开内容/法规文件/规章",
    "行政法规": "法定主动公开内容/法规文件/行政规范性文件",
}
THEME_BY_WORD = [  # first match on the title wins
    ("税", "财政、金融、审计/税务"), ("预算|财政|会计", "财政、金融、审计/财政"), ("银行|金融|保险", "财政、金融、审计/银行"),
    ("审计", "财政、金融、审计/审计"), ("教育|学校|学位|教师", "科技、教育/教育"), ("科学|科技|专利|著作权|商标", "科技、教育/知识产权"),
    ("环境|污染|生态", "城乡建设、环境保护/环境监测、保护与治理"), ("土地|矿产", "国土资源、能源/土地"),
    ("水", "农业、林业、水利/水利"), ("农|畜牧|渔", "农业、林业、水利/农业、畜牧业、渔业"), ("森林|林业|草原", "农业、林业、水利/林业"),
    ("卫生|医|药|疫", "卫生、体育/卫生"), ("体育", "卫生、体育/体育"), ("劳动|就业|工资", "劳动、人事、监察/劳动就业"),
    ("社会保险|社会保障|养老", "劳动、人事、监察/社会保障"), ("公路|道路|交通", "工业、交通/公路"), ("铁路", "工业、交通/铁路"),
    ("民航|航空", "工业、交通/民航"), ("邮政", "工业、交通/邮政"), ("安全生产|消防", "市场监管、安全生产监管/安全生产监管"),
    ("食品", "市场监管、安全生产监管/食品药品监管"), ("标准|计量|质量", "市场监管、安全生产监管/质量监督"),
    ("城市|城乡|建筑|住房|物业", "城乡建设、环境保护/城乡建设（含住房）"), ("文物", "文化、广电、新闻出版/文物"),
    ("文化|图书馆|博物馆", "文化、广电、新闻出版/文化"), ("广播|电影|电视", "文化、广电、新闻出版/广播、电影、电视"),
    ("出版", "文化、广电、新闻出版/新闻出版"), ("治安|警察|公安|枪支|交通安全", "公安、安全、司法/公安"),
    ("宗教", "民族、宗教/宗教事务"), ("民族", "民族、宗教/民族事务"), ("救灾|减灾|防震", "民政、扶贫、救灾/减灾救灾"),
    ("国防|兵役|军事", "国防/国防建设"), ("海关|进出口", "商贸、海关、旅游/海关"), ("旅游", "商贸、海关、旅游/旅游"),
    ("统计", "国民经济管理、国有资产监管/统计"), ("价格|物价", "国民经济管理、国有资产监管/物价"),
    ("国有资产", "国民经济管理、国有资产监管/国有资产监管"), ("信访", "综合政务/信访"), ("保密", "综合政务/保密工作"),
    ("政府信息公开|政务公开", "综合政务/政务公开"), ("应急|突发", "综合政务/应急管理"),
]
_FM = re.compile(r"^---\n(.*?)\n---\n(.*)$", re.S)


def read_corpus(limit: int | None = None) -> list[tuple[dict, str]]:
    """(front matter, body) of each corpus file, in file order."""
    out = []
    for path in sorted(CORPUS.glob("lrb-*.md"))[:limit]:
        m = _FM.match(path.read_text(encoding="utf-8"))
        out.append((yaml.safe_load(m[1]), m[2]))
    return out


def theme_for(title: str, category: str) -> str:
    for words, theme in THEME_BY_WORD:
        if re.search(words, title):
            return theme
    return "公安、安全、司法/司法" if category == "司法解释" else "综合政务/其他"


def org_code(publisher: str) -> str:
    return f"{zlib.crc32(publisher.encode('utf-8')) % 10**9:09d}"


def add_publishers(project: Path, names: list[str]) -> None:
    """Append the corpus' issuing bodies to the project's publisher catalogue (default 索引号 scheme)."""
    path = project / "catalog" / "publishers.yml"
    existing = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    known = {p["name"] for p in existing} | {a for p in existing for a in p.get("aliases", [])}
    extra = [{"name": n, "slug": f"p{org_code(n)}",
              "index_no": {"pattern": rf"^{org_code(n)}/(?P<year>\d{{4}})-(?P<seq>\d{{5,8}})$",
                           "format": f"{org_code(n)}/{{year}}-{{seq:05d}}", "example": f"{org_code(n)}/2020-00001"}}
             for n in sorted(set(names)) if n not in known]
    path.write_text(yaml.safe_dump(existing + extra, allow_unicode=True, sort_keys=False), encoding="utf-8")
    agencies = _agencies(project)
    if agencies and extra:   # every publisher belongs to an agency: the new ones to the 本级政府
        primary = next(a for a in agencies if a.get("kind") == GOVERNMENT)
        primary["publishers"] = list(primary.get("publishers") or []) + [e["name"] for e in extra]
        _write_agencies(project, agencies)


GOVERNMENT = "本级政府"
OTHER_KINDS = ("政府部门", "乡镇（街道）")


def _agencies(project: Path) -> list[dict]:
    path = project / "catalog" / "agencies.yml"
    return (yaml.safe_load(path.read_text(encoding="utf-8")) or []) if path.is_file() else []


def _write_agencies(project: Path, agencies: list[dict]) -> None:
    (project / "catalog" / "agencies.yml").write_text(yaml.safe_dump(agencies, allow_unicode=True, sort_keys=False),
                                                      encoding="utf-8")


def spread_agencies(project: Path, n: int) -> list[int]:
    """Make catalog/agencies.yml a platform of ``n`` agencies: the project's 本级政府 and n - 1
    departments and townships, every publisher of catalog/publishers.yml given to one of them so
    that the documents under content/documents/ spread as evenly as whole publishers allow.
    Returns the number of documents of each agency."""
    publishers = [p["name"] for p in yaml.safe_load((project / "catalog" / "publishers.yml").read_text(encoding="utf-8"))]
    if len(publishers) < n:
        raise ValueError(f"{n} agencies need at least {n} publishers, the project has {len(publishers)}")
    docs = dict.fromkeys(publishers, 0)
    for path in (project / "content" / "documents").rglob("*.md"):
        with path.open(encoding="utf-8") as f:
            name = next((line[len("publisher: "):].strip() for line in f if line.startswith("publisher: ")), None)
        if name in docs:
            docs[name] += 1
    primary = next((a for a in _agencies(project) if a.get("kind") == GOVERNMENT), None) \
        or {"name": "示例县人民政府", "short": "县政府", "slug": "sxrmzf", "kind": GOVERNMENT}
    agencies = [dict(primary, publishers=[])] + [
        {"name": f"示例县第{k}机构", "short": f"机构{k}", "slug": f"jg{k:02d}", "kind": OTHER_KINDS[k % 2], "publishers": []}
        for k in range(1, n)]
    load = [0] * n
    for name in sorted(publishers, key=lambda p: (-docs[p], p)):   # largest first, to the least loaded
        k = min(range(n), key=lambda i: (load[i], i))
        agencies[k]["publishers"].append(name)
        load[k] += docs[name]
    _write_agencies(project, agencies)
    return load


def make_corpus(project: Path, n: int | None = None, subdir: str = "lrb") -> int:
    """Write ``n`` documents (default: the whole corpus once) into ``project/content/documents/<subdir>/``."""
    source = read_corpus()
    n = n or len(source)
    out = project / "content" / "documents" / subdir
    out.mkdir(parents=True, exist_ok=True)
    publishers: list[str] = []
    serial: dict[tuple[str, int], int] = {}
    for i in range(n):
        j = i % len(source)
        meta, body = source[j]
        round_ = i // len(source)
        publisher = meta.get("publisher") or FALLBACK_PUBLISHER
        published = meta.get("published") or dt.date(2000 + j % 20, 1 + j % 12, 1 + j % 28)   # an undated original's copies too
        if round_:   # copies are older than the original, so an original never loses a tie to its copy
            published = published.replace(year=published.year - round_, day=min(published.day, 28))
        key = (publisher, published.year)
        serial[key] = serial.get(key, 0) + 1
        publishers.append(publisher)
        fm = {
            "title": meta["title"] + (f"（汇编{round_ + 1}）" if round_ else ""),
            "index_no": f"{org_code(publisher)}/{published.year}-{serial[key]:05d}",
            "publisher": publisher,
            "category": theme_for(meta["title"], meta["category"]),
            "column": COLUMN_BY_CATEGORY.get(meta["category"], "法定主动公开内容/法规文件/其他文件"),
            "published": published,
            "attribute": "主动公开",
            "validity": meta.get("validity", "有效"),
        }
        if meta.get("doc_no"):
            fm["doc_no"] = meta["doc_no"]
        text = "---\n" + yaml.safe_dump(fm, allow_unicode=True, sort_keys=False) + "---\n\n" + body
        (out / f"lrb-{i + 1:06d}.md").write_text(text, encoding="utf-8")
    add_publishers(project, publishers)
    return n
