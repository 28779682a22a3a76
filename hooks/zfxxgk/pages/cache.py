"""The build cache: a document page whose inputs did not change is reused, not rendered again.

A document's page depends on the site as a whole (code, templates, catalogues, mkdocs.yml,
tool versions, the build date, the site URL: the *site digest*), on the document itself
(its file, its place, its relations and attachments: the *page key*) and on what its links
point at (recorded while it was rendered as the gate's *trace*, replayed against this
build's files). When all three match the last successful build, the page's final HTML,
its text for the search index, the assets it uses and the warnings it gave are taken
from the cache; anything else is rendered as in a full build. A changed site digest, a
missing or unreadable cache, or ``ZFXXGK_FULL_BUILD=1`` means a full build; a cache file
that does not match its recorded hash is a miss. The cache is written only when the build
succeeded, into a fresh directory swapped in at the end, so a failed build leaves the last
good cache in place. Only the pages' folder (files named by the sha256 of their bytes) moves
into the fresh directory at the start, by one rename, and back if the build fails: a page kept
is then already where the next build looks, and files no page names any more are removed when
the new cache is committed.

Everything else (listings, data pages, feeds, the search index, the audits) is computed in
every build, from what the cache gives where it can (the search index's tokens and files,
search_index.PageMemo; the leak audit's clean files), so the output of an incremental
build is the output of a full build (tests/test_build_cache.py checks it byte for byte
over a sequence of edits). The leak
audit keeps, beside the pages, the ids of the output files it found clean
(``clean_ids``/``store_clean_ids``, see zfxxgk.audit.leaks.Memo): an id covers the file's
bytes and everything searched for, so a file is skipped only when searching it again
could not give another answer.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import os
import queue
import shutil
import subprocess
import sys
import tempfile
import threading
from concurrent.futures import ThreadPoolExecutor
from importlib import metadata
from pathlib import Path
from typing import Any, Iterable

import jinja2
import msgspec

from zfxxgk.pages.spool import Slice

CACHE_DIR = Path(".cache") / "zfxxgk-build"
FULL_BUILD_ENV = "ZFXXGK_FULL_BUILD"        # set to 1: ignore the cache (it is rewritten after the build)
FORMAT = 1
PACKAGES = ("mkdocs", "mkdocs-material", "markdown", "pymdown-extensions", "nh3", "jinja2", "msgspec",
            "numpy", "opencc", "pypinyin")   # the last three tokenize for the search index (its PageMemo)
SITE_INPUTS = ("mkdocs.yml", "catalog", "overrides")   # under the project root; the package's code is added
AUDIT_FILE = "audit-clean.json"        # output files the leak audit found clean (audit.leaks.Memo)
PRIVACY_FILE = "privacy-clean.json"     # documents the personal-information check found clean (audit.privacy)
VERIFY_THREADS = 4                      # threads checking the cached pages' files when no Verifier could
SEARCH_MEMO = "search"                  # the search index's tokens and files (search_index.PageMemo)
SEARCH_FILES = "files"                  # its files and its pages' records, in SEARCH_MEMO: they move
SEARCH_RECORDS = "records"              # with the cache, as the pages do
TEMPLATE_CACHE_DIR = Path(".cache") / "zfxxgk-templates"
_KEY_JSON = msgspec.json.Encoder(enc_hook=str, order="sorted")   # keys' digests: sorted keys, so a value always gives the same bytes


class Entry(msgspec.Struct, frozen=True):
    key: str                       # the page key it was rendered with
    sha: str                       # sha256 of the stored HTML
    body_sha: str                  # and of the stored search text
    assets: list[str]              # files of content/ the page uses (the gate approves them again)
    trace: list[list[Any]]         # the gate's reading of the page's links: [path, candidate index, outcome]
    warnings: list[str]            # what the page's rendering logged as warnings (logged again)
    body_size: int = -1            # bytes of the search text (-1: unknown, read from the file)


class Manifest(msgspec.Struct):
    format: int
    site: str                      # the site digest
    pages: dict[str, Entry]        # src_uri -> entry


def site_digest(root: Path, package_dir: Path, build_date: dt.date, site_url: str, data: list[Path]) -> str:
    """Everything every page depends on: a change of any of it rebuilds every page (``data``: the
    editors' data files, 决策目录 and 年报, which document pages link to)."""
    h = hashlib.sha256(f"{FORMAT}\0{sys.version}\0{build_date.isoformat()}\0{site_url}\n".encode())
    for name in PACKAGES:
        try:
            h.update(f"{name}=={metadata.version(name)}\n".encode())
        except metadata.PackageNotFoundError:
            h.update(f"{name} absent\n".encode())
    paths = [root / p for p in SITE_INPUTS] + [package_dir] + list(data)
    for path in paths:
        for file in sorted(_files(path)):
            shown = file.relative_to(root) if file.is_relative_to(root) else file.relative_to(path.parent)
            h.update(f"{shown.as_posix()}\0".encode())
            h.update(hashlib.sha256(file.read_bytes()).digest())
    return h.hexdigest()


def _files(path: Path) -> list[Path]:
    if path.is_file():
        return [path]
    return [p for p in path.rglob("*") if p.is_file() and "__pycache__" not in p.parts]


def page_key(source_digest: str, *parts: Any) -> str:
    """The document's file (its digest) and everything else its page shows (place, relations, attachments)."""
    h = hashlib.sha256(source_digest.encode())
    h.update(_KEY_JSON.encode(_plain(parts)))
    return h.hexdigest()


def _plain(value: Any) -> Any:
    """Documents as what a page can show of them; dataclasses, lists and dicts walked."""
    if hasattr(value, "meta") and hasattr(value, "index_no") and hasattr(value, "url"):   # a related Document
        return {"url": value.url, "meta": _plain(value.meta), "validity": value.validity}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        items = [_plain(v) for v in value]
        return sorted(items, key=repr) if isinstance(value, (set, frozenset)) else items
    if isinstance(value, Path):
        return value.as_posix()
    if isinstance(value, float):
        return repr(value)          # JSON would write nan and inf as null, like None
    return value


SHOWN_ELSEWHERE = frozenset({"site", "catalogue"})   # settings and catalogue: in the site digest


def generated_key(page: dict[str, Any], zf: dict[str, Any], memo: dict[int, Any]) -> str:
    """A listing page's key: what MkDocs knows of the page (``page``: its URL, title, meta, neighbours)
    and the whole context our templates read (``zf``), documents and listings as what a page can
    show of them; columns and agencies by name (the catalogue is in the site digest).
    ``memo`` (one per build) digests each document and listing once, however many pages show it
    (it holds the object too: an id is never reused while it is in the memo)."""
    shown = {k: _shown(v, memo) for k, v in sorted(zf.items()) if k not in SHOWN_ELSEWHERE}
    h = hashlib.sha256(b"generated\0")
    h.update(_KEY_JSON.encode([_shown(page, memo), shown]))
    return h.hexdigest()


_SCALARS = (str, int, float, bool, type(None))
_ROLES: dict[type, str] = {}     # what a value is to a key, decided once per type (``_role``)
_FIELDS: dict[type, tuple[str, ...]] = {}   # a dataclass's field names (``_field_names``)


def _role(value: Any) -> str:
    """Duck-typed (this module imports no model): a Column is a tree, an Agency has a slug and columns,
    a Document metadata and a URL, a Listing documents and a base URL."""
    kind = type(value)
    if (role := _ROLES.get(kind)) is not None:
        return role
    if isinstance(value, type):     # a class: its properties are not an instance's values
        role = "other"
    elif hasattr(value, "children") and hasattr(value, "titles") and hasattr(value, "path"):
        role = "column"
    elif hasattr(value, "slug") and hasattr(value, "primary") and hasattr(value, "columns"):
        role = "agency"
    elif hasattr(value, "meta") and hasattr(value, "index_no") and hasattr(value, "url"):
        role = "document"
    elif hasattr(value, "documents") and hasattr(value, "base_url"):
        role = "listing"
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        role = "dataclass"
    elif isinstance(value, dict):
        role = "dict"
    elif isinstance(value, (list, tuple)):
        role = "list"
    elif isinstance(value, (set, frozenset)):
        role = "set"
    elif isinstance(value, Path):
        role = "path"
    else:
        role = "other"
    _ROLES[kind] = role
    return role


def _shown(value: Any, memo: dict[int, Any]) -> Any:
    kind = type(value)
    if kind is str or kind is int or value is None:     # the most frequent first: no isinstance, no role
        return value
    if (held := memo.get(id(value))) is not None:       # a document or listing digested before (held: its id is its own)
        return held[1]
    if isinstance(value, float):
        return repr(value)          # JSON would write nan and inf as null, like None
    if isinstance(value, _SCALARS):
        return value
    role = _role(value)
    if role in ("document", "listing"):
        held = memo[id(value)] = (value, _digest_of(_once(value, role, memo)))
        return held[1]
    if role == "list":
        return [_shown(v, memo) for v in value]
    if role == "dict":
        return {str(k): _shown(v, memo) for k, v in value.items()}
    if role == "dataclass":
        return {name: _shown(getattr(value, name), memo) for name in _field_names(value)}
    if role == "column":
        return f"column {value.path}"
    if role == "agency":
        return f"agency {value.slug}"
    if role == "set":
        return sorted((_shown(v, memo) for v in value), key=repr)
    if role == "path":
        return value.as_posix()
    return str(value)


def _once(value: Any, role: str, memo: dict[int, Any]) -> Any:
    """What ``_shown`` digests of a value it digests once a build."""
    if role == "document":
        return _plain(value) | {"title": value.title}
    return {name: _shown(getattr(value, name), memo) for name in _field_names(value)}   # a listing


def _field_names(value: Any) -> tuple[str, ...]:
    """A dataclass's field names, read once per type (``dataclasses.fields`` filters them anew each call)."""
    kind = type(value)
    if (names := _FIELDS.get(kind)) is None:
        names = _FIELDS[kind] = tuple(f.name for f in dataclasses.fields(value))
    return names


def _digest_of(value: Any) -> str:
    return hashlib.sha256(_KEY_JSON.encode(value)).hexdigest()


class PageCache:
    """One build's view of the cache: what may be reused, and what this build writes for the next."""

    def __init__(self, root: Path, digest: str, linking: bool = False, verifier: "Verifier | None" = None) -> None:
        self.dir = root / CACHE_DIR
        self.digest = digest
        self.linking = linking     # files may be shared with the site (see ``place``)
        self.old: dict[str, Entry] = {} if os.environ.get(FULL_BUILD_ENV) == "1" else self._load()
        self.verifier = verifier if self.old else None    # started at on_config (``Verifier``)
        self._verified: set[str] | None = None
        if verifier is not None and self.verifier is None:
            verifier.stop()
        self.new: dict[str, Entry] = {}
        self.intact: dict[str, bool] = {}     # pages whose last entry's files were checked ahead (check_ahead)
        self.staging = self.dir.with_name(self.dir.name + ".new")
        shutil.rmtree(self.staging, ignore_errors=True)
        self.staging.mkdir(parents=True)
        self.pages = self.staging / "pages"     # the last build's pages and this one's (see the module's doc)
        try:
            (self.dir / "pages").rename(self.pages)
        except OSError:                          # no cache yet, or lost with a build that was killed
            self.pages.mkdir()
        self._placing: Placer | None = None
        self._early: PlacingProcess | None = None

    def _load(self) -> dict[str, Entry]:
        try:
            manifest = msgspec.json.decode((self.dir / "manifest.json").read_bytes(), type=Manifest)
        except (OSError, msgspec.DecodeError, msgspec.ValidationError):
            return {}
        return manifest.pages if manifest.format == FORMAT and manifest.site == self.digest else {}

    @property
    def full(self) -> bool:
        return not self.old

    def reusable(self, src: str, key: str) -> Entry | None:
        """The last build's entry for a page with this key whose files are intact, else None."""
        entry = self.old.get(src)
        if entry is None or entry.key != key:
            return None
        intact = self.intact.get(src)
        return entry if (self._files_intact(entry) if intact is None else intact) else None

    def reusable_all(self, keys: dict[str, str]) -> dict[str, Entry]:
        """``reusable`` for many pages: the entries whose key matches, their files read and checked by
        a few threads at once (reading and sha256 run without the GIL; one thread took 12 s at
        100,000 documents)."""
        wanted = [(src, e) for src, key in keys.items() if (e := self.old.get(src)) is not None and e.key == key]
        flags = self._check(wanted)
        return {src: e for (src, e), ok in zip(wanted, flags) if ok}     # in the order given

    def check_ahead(self, srcs: Iterable[str]) -> None:
        """The files of these pages' last entries checked now, by a few threads: pages whose keys are
        made one by one later (the listings', in on_page_markdown), for which ``reusable`` then only
        compares keys (one thread checking them in turn took 7.6 s at 100,000 documents)."""
        wanted = [(src, e) for src in srcs if (e := self.old.get(src)) is not None]
        self.intact.update((src, ok) for (src, _), ok in zip(wanted, self._check(wanted)))

    def _check(self, wanted: list[tuple[str, Entry]]) -> list[bool]:
        if not wanted:
            return []
        if (verified := self._verified_names()) is not None:
            return [e.sha in verified and e.body_sha in verified for _, e in wanted]
        parts = [wanted[k::VERIFY_THREADS] for k in range(VERIFY_THREADS)]
        with ThreadPoolExecutor(VERIFY_THREADS) as threads:   # all joined before the pool forks (on_nav)
            intact = list(threads.map(self._intact, parts))
        flags = [False] * len(wanted)
        for k, good in enumerate(intact):
            flags[k::VERIFY_THREADS] = good
        return flags

    def _verified_names(self) -> set[str] | None:
        """The names of the pages' files the Verifier found intact (None without one, or if it failed)."""
        if self.verifier is not None:
            self._verified, self.verifier = self.verifier.intact(), None
        return self._verified

    def _stop_verifier(self) -> None:
        if self.verifier is not None:
            self.verifier.stop()
            self.verifier = None

    def _intact(self, part: list[tuple[str, Entry]]) -> list[bool]:
        return [self._files_intact(e) for _, e in part]

    def _files_intact(self, entry: Entry) -> bool:
        return self._read(self.pages, entry.sha) is not None and self._read(self.pages, entry.body_sha) is not None

    @staticmethod
    def _read(folder: Path, sha: str) -> bytes | None:
        try:
            data = (folder / sha).read_bytes()
        except OSError:
            return None
        return data if hashlib.sha256(data).hexdigest() == sha else None

    def body_slice(self, entry: Entry) -> Slice:
        """Where the reused page's search text is (read by the index's process, not here)."""
        path = f"{self.pages}{os.sep}{entry.body_sha}"     # a string: a Path per page took 1.2 s at 100,000 documents
        return Slice(path, 0, entry.body_size if entry.body_size >= 0 else os.stat(path).st_size, entry.body_sha)

    def clean_ids(self, name: str) -> set[str]:
        """Ids of what the last build's audit ``name`` (AUDIT_FILE, PRIVACY_FILE) found clean (empty if unreadable)."""
        if self.full:
            return set()
        try:
            ids = msgspec.json.decode((self.dir / name).read_bytes(), type=list[str])
        except (OSError, msgspec.DecodeError, msgspec.ValidationError):
            return set()
        return set(ids)

    def store_clean_ids(self, name: str, ids: set[str]) -> None:
        (self.staging / name).write_bytes(msgspec.json.encode(sorted(ids)))

    @property
    def search_memo(self) -> tuple[str | None, str, bool]:
        """The search index's memo (search_index.PageMemo): the last build's folder (None after a full
        build), this build's, and whether its files may be linked into the site (``place``)."""
        return (None if self.full else str(self.dir / SEARCH_MEMO)), str(self.staging / SEARCH_MEMO), self.linking

    @property
    def compressed(self) -> tuple[Path, Path]:
        """Where the last build's precompressed copies are (none after a full build) and where this build's go."""
        return (self.staging / "gz-none") if self.full else (self.dir / "gz"), self.staging / "gz"

    def keep(self, src: str, entry: Entry) -> None:
        """A reused page goes on into the next cache as it is (its files are in ``pages`` already)."""
        self.new[src] = entry

    def place(self, entry: Entry, dest: str) -> None:
        """Put a page kept for the next build (``keep``) at ``dest`` in the site; done by the time
        ``placed`` returns.

        With ``linking``, a link to the cache's file, not a copy (writing 10,000 unchanged pages
        again was a sixth of a one-document edit at 10,000 documents). The site and the cache then
        share the file, and through the cache the next build's site shares it with this one: a
        program that rewrote it in place would change the published site. Nothing of ours does
        (``store`` writes new files only; the site is replaced whole, publication/swap.py), but
        another plugin's post-build writer could: the plugin sets ``linking`` only when it is the
        site's one plugin (plugin.py ``_links_are_safe``). Otherwise the file is copied."""
        self._placer().put(self.pages / entry.sha, Path(dest), self.linking)

    def place_all(self, pages: list[tuple[Entry, str]]) -> None:
        """``place`` for many pages known early (the documents' pages at on_nav, the listings' at
        on_env): a second process makes their folders and links while this one builds the rest."""
        if pages:
            if self._early is None:
                self._early = PlacingProcess(self.linking)
            self._early.add([(self.pages / e.sha, Path(dest)) for e, dest in pages],
                            self.staging / f"placements-{len(self._early.lists)}")

    def placed(self) -> None:
        """Wait until every page ``place`` and ``place_all`` were given is where it goes; raise the first error."""
        early, self._early = self._early, None
        placing, self._placing = self._placing, None
        errors = []
        for placer in (early, placing):
            try:
                if placer is not None:
                    placer.join()
            except OSError as error:
                errors.append(error)
        if errors:
            raise errors[0]

    def _placer(self) -> "Placer":
        if self._placing is None:
            self._placing = Placer()
        return self._placing

    def store(self, src: str, key: str, html: str, body: str, assets: list[str], trace: list[list[Any]],
              warnings: list[str]) -> None:
        """A page rendered in this build, for the next one (written now: nothing is kept in memory)."""
        shas, size = [], 0
        for text in (html, body):
            data = text.encode("utf-8")
            sha = hashlib.sha256(data).hexdigest()
            if not holds(self.pages / sha, data):    # a file there is never written again: it may be in a site
                _replace(self.pages / sha, data)       # (a damaged one gets a new file under its name)
            shas.append(sha)
            size = len(data)
        self.new[src] = Entry(key, shas[0], shas[1], sorted(assets), trace, warnings, size)

    def commit(self) -> None:
        """After a successful build: the new cache replaces the old one."""
        self._stop_verifier()
        manifest = Manifest(FORMAT, self.digest, dict(sorted(self.new.items())))
        named = {sha for e in self.new.values() for sha in (e.sha, e.body_sha)}
        for entry in os.scandir(self.pages):     # pages no longer built, and older versions
            if entry.name not in named:
                os.unlink(entry.path)
        (self.staging / "manifest.json").write_bytes(msgspec.json.encode(manifest))
        old = self.dir.with_name(self.dir.name + ".old")
        shutil.rmtree(old, ignore_errors=True)
        if self.dir.exists():
            self.dir.rename(old)
        self.staging.rename(self.dir)
        shutil.rmtree(old, ignore_errors=True)   # not left to a detached process: the pipelines save .cache/ next

    def discard(self) -> None:
        """After a failed build: the pages' and the search index's files go back (the last manifest and
        postings layout name files in them, and files added meanwhile do no harm), the rest of the new
        cache is dropped."""
        self._stop_verifier()
        moves = [(self.pages, self.dir / "pages")] + [(self.staging / SEARCH_MEMO / f, self.dir / SEARCH_MEMO / f)
                                                      for f in (SEARCH_FILES, SEARCH_RECORDS)]
        for moved, home in moves:
            try:
                if home.parent.is_dir() and not home.exists():
                    moved.rename(home)
            except OSError:
                pass                             # then the next build makes them again
        shutil.rmtree(self.staging, ignore_errors=True)


_VERIFY = """
import hashlib, os, sys
folder = int(sys.argv[1])
for name in sorted(os.listdir(folder)):
    try:
        fd = os.open(name, os.O_RDONLY, dir_fd=folder)
    except OSError:
        continue
    try:
        with open(fd, "rb") as file:
            intact = hashlib.file_digest(file, "sha256").hexdigest() == name
    except OSError:
        continue
    if intact:
        sys.stdout.write(name + "\\n")
"""


class Verifier:
    """The cached pages' files checked against their names (the sha256 of their bytes) by another
    process, started at on_config: it hashes while this one reads the corpus (at 100,000 documents
    four threads here took 8.5 s, the corpus 10 s), and ``intact`` then only waits for its list.

    It reads the folder through a descriptor opened here, so the folder may be renamed meanwhile
    (PageCache moves it into the new cache). Its list goes to a file: a pipe would stall it until
    read. Only files whose bytes match their name are listed: a damaged or missing one is a miss."""

    def __init__(self, folder: Path) -> None:
        self.fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
        self.out = tempfile.TemporaryFile()
        self.process = subprocess.Popen([sys.executable, "-I", "-S", "-c", _VERIFY, str(self.fd)],
                                        pass_fds=(self.fd,), stdin=subprocess.DEVNULL, stdout=self.out,
                                        stderr=subprocess.DEVNULL)

    @classmethod
    def start(cls, root: Path) -> "Verifier | None":
        """For a build that may use the cache: none for a forced full build or without cached pages."""
        if os.environ.get(FULL_BUILD_ENV) == "1":
            return None
        try:
            return cls(root / CACHE_DIR / "pages")
        except OSError:
            return None

    def intact(self) -> set[str] | None:
        """The names of the intact files, once the process is done (None if it failed)."""
        returncode = self.process.wait()
        self._close()
        if returncode:
            return None
        self.out.seek(0)
        names = set(self.out.read().decode("ascii", "replace").split())
        self.out.close()
        return names

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        self._close()
        self.out.close()

    def _close(self) -> None:
        if self.fd >= 0:
            os.close(self.fd)
            self.fd = -1


class Placer:
    """Files shared (``share``) in a second thread, in the order given. A page placed from the cache
    costs a folder and a link, system calls that wait on the disk: at 10,000 documents they were a
    fifth of a one-document edit, and here they overlap MkDocs' own work on the next pages."""

    def __init__(self) -> None:
        self.queue: queue.SimpleQueue = queue.SimpleQueue()
        self.error: OSError | None = None
        self.thread = threading.Thread(target=self._run, name="zfxxgk-place", daemon=True)
        self.thread.start()

    def put(self, source: Path, dest: Path, linking: bool) -> None:
        self.queue.put((source, dest, linking))

    def _run(self) -> None:
        while (item := self.queue.get()) is not None:
            if self.error is None:
                try:
                    share(*item)
                except OSError as error:
                    self.error = error

    def join(self) -> None:
        self.queue.put(None)
        self.thread.join()
        if self.error is not None:
            raise self.error


class PlacingProcess:
    """Files shared (``share``) by another process, from lists written here: its system calls wait on
    the disk, and a thread here would get the GIL back only every switch interval while this process
    runs Python. One process for all lists, in turn (two placing at once, making folders side by
    side, slowed each other down). The first error stops it; ``join`` raises it."""

    def __init__(self, linking: bool) -> None:
        package_root = str(Path(__file__).resolve().parents[2])
        env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [package_root, os.environ.get("PYTHONPATH")])))
        self.lists: list[Path] = []
        self.process = subprocess.Popen(
            [sys.executable, "-c", "import sys; from zfxxgk.pages.cache import place_listed; "
                                   "place_listed(sys.stdin, sys.argv[1] == '1')", "01"[linking]],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env)

    def add(self, pairs: list[tuple[Path, Path]], listing: Path) -> None:
        """Place these (source, destination) pairs after those given before (written to ``listing``)."""
        listing.write_bytes(b"\0".join(os.fsencode(p) for pair in pairs for p in pair))
        self.lists.append(listing)
        try:
            self.process.stdin.write(os.fsencode(listing) + b"\n")
            self.process.stdin.flush()
        except BrokenPipeError:     # it stopped at an error: join says which
            pass

    def join(self) -> None:
        output, _ = self.process.communicate()
        for listing in self.lists:
            listing.unlink(missing_ok=True)
        if self.process.returncode:
            raise OSError(f"页面放入站点失败：{output.decode('utf-8', 'replace').strip()[-500:]}")


def place_listed(lists: Iterable[str], linking: bool) -> None:
    """The placing process (PlacingProcess): one list file's name a line, each of source and
    destination paths, NUL-separated."""
    for listing in lists:
        names = Path(listing.rstrip("\n")).read_bytes().split(b"\0")
        for source, dest in zip(names[0::2], names[1::2]):
            try:
                share(Path(os.fsdecode(source)), Path(os.fsdecode(dest)), linking)
            except OSError as error:
                print(error, flush=True)
                sys.exit(1)


def holds(path: Path, data: bytes) -> bool:
    """Whether ``path`` has these bytes (compared, not hashed: the caller has them)."""
    try:
        return path.stat().st_size == len(data) and path.read_bytes() == data
    except OSError:
        return False


def _replace(path: Path, data: bytes) -> None:
    """``path`` names a new file of ``data`` (written under another name, then renamed): whatever file
    had the name, and any site linked to it, keeps its bytes."""
    part = path.with_name(f"{path.name}.{os.getpid()}.part")
    part.write_bytes(data)
    os.replace(part, path)


def share(source: Path, dest: Path, linking: bool) -> None:
    """``dest`` gets ``source``'s bytes: a hard link when ``linking`` (and on one file system), else a copy.

    The link or copy is tried first; the folder is made, or an old ``dest`` removed, only when the
    system says so: asking first cost a failing mkdir and a stat per file, 5 of the 21 s of a
    one-document edit at 10,000 documents on this VM's disk."""
    for _ in range(4):
        try:
            if linking:
                os.link(source, dest)
            else:
                _remove(dest)       # never written through: it may be another name of a cache file
                shutil.copyfile(source, dest)
            return
        except FileExistsError:
            os.unlink(dest)
        except FileNotFoundError:
            if dest.parent.is_dir():
                raise               # the source is missing
            dest.parent.mkdir(parents=True, exist_ok=True)
        except OSError:             # another file system: copy
            if not linking:
                raise
            linking = False
    raise FileExistsError(dest)     # something keeps making dest between our attempts


def _remove(path: Path) -> None:
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass


def template_cache(root: Path) -> jinja2.FileSystemBytecodeCache:
    """Compiled Jinja templates between builds (some 50 templates, compiled anew by every build).

    Jinja keys each by the template's name and file, and uses it only when the template's
    source has the recorded checksum and Python's bytecode is the same version; anything
    else (a missing, damaged or stale file) is compiled again from the source."""
    folder = root / TEMPLATE_CACHE_DIR
    folder.mkdir(parents=True, exist_ok=True)
    return _TemplateCache(str(folder))


class _TemplateCache(jinja2.FileSystemBytecodeCache):
    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        try:
            super().load_bytecode(bucket)
        except Exception:   # Jinja reads a damaged file's checksum with pickle, which may raise anything
            bucket.reset()

