"""The persistent embedded store: rdflib over Oxigraph (``oxrdflib``), replaced atomically.

A store is a folder::

    STORE/
      citykg-store.json   which data folder is current, when and from what it was built
      data-<stamp>/       an Oxigraph (RocksDB) database, never written after its build
      build.lock          held by the build in progress

A build writes a new ``data-*`` folder and then replaces ``citykg-store.json`` in one
``os.replace``; until that moment readers, and a failed build, see the previous store. Readers
open the current data folder read-only, so any number of them (and ``oxigraph
serve-read-only``) can share it.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import json
import os
import re
import shutil
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import IO, Any

import pyoxigraph as ox
from oxrdflib import OxigraphStore
from platformdirs import user_data_path
from rdflib import Dataset

from citykg import __version__
from citykg.defaults import STORE_ENV
from citykg.errors import BuildLockedError, StoreError, StoreVersionError, shown
from citykg.ontology import bind_prefixes

__all__ = [
    "STORE_ENV",
    "STORE_FORMAT",
    "StoreInfo",
    "build_lock",
    "default_store_path",
    "is_store_part",
    "new_data_folder",
    "open_dataset",
    "publish",
    "read_info",
    "reading",
    "resolve_store_path",
]

#: The layout version this citykg writes and reads.
STORE_FORMAT = 1
INFO_FILE = "citykg-store.json"
#: Holds one empty file per data folder, which readers lock shared while they read it.
READERS_FOLDER = "readers"
LOCK_FILE = "build.lock"


@dataclass
class StoreInfo:
    """What ``citykg-store.json`` says about a store."""

    format: int
    data: str
    built: str
    citykg: str
    triples: int
    sources: list[dict[str, Any]] = field(default_factory=list)
    validated: bool = True


def default_store_path() -> Path:
    """The store used when neither ``--store`` nor ``CITYKG_STORE`` says otherwise.

    It lives in the user's data folder (``~/.local/share/citykg/store`` on Linux), so that every
    command finds it from any working directory.
    """
    return user_data_path("citykg") / "store"


def resolve_store_path(path: str | Path | None = None) -> Path:
    """The store folder: ``path`` if given, else ``$CITYKG_STORE``, else the default."""
    if path:
        return Path(path).expanduser()
    if os.environ.get(STORE_ENV):
        return Path(os.environ[STORE_ENV]).expanduser()
    return default_store_path()


def is_store_part(path: Path) -> bool:
    """Whether ``path`` (a folder's entry) is a file citykg itself keeps in a store folder.

    A build that was killed leaves its lock and an unfinished ``data-*`` folder; a folder that
    holds only those is a store that was never finished, not someone else's folder.
    """
    return path.name in (INFO_FILE, LOCK_FILE, INFO_FILE + ".tmp", READERS_FOLDER) or (
        path.name.startswith("data-")
    )


def read_info(path: Path) -> StoreInfo:
    """Read a store's ``citykg-store.json``; :class:`StoreError` if there is no usable store."""
    info_file = path / INFO_FILE
    if not info_file.exists():
        if path.is_dir() and not all(is_store_part(p) for p in path.iterdir()):
            raise StoreError(
                "is not a citykg store",
                "Point --store at a store made by 'citykg build'.",
                file=path,
            )
        raise StoreError("no store has been built here", "Run 'citykg build' first.", file=path)
    try:
        raw = json.loads(info_file.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise StoreError(
            f"the store's {INFO_FILE} is unreadable ({exc})",
            "Rebuild with 'citykg build'.",
            file=path,
        ) from None
    if not isinstance(raw, dict) or raw.get("format") != STORE_FORMAT:
        version = raw.get("format") if isinstance(raw, dict) else None
        raise StoreVersionError(
            f"the store has layout version {shown(version)}, this citykg reads {STORE_FORMAT}",
            "Delete the folder or choose another --store, then run 'citykg build'.",
            file=path,
        )
    try:
        return StoreInfo(**{k: raw[k] for k in StoreInfo.__dataclass_fields__ if k in raw})
    except TypeError as exc:
        raise StoreError(
            f"the store's {INFO_FILE} is incomplete ({exc})",
            "Rebuild with 'citykg build'.",
            file=path,
        ) from None


def _current_data(path: Path) -> tuple[Path, IO[str] | None]:
    """The store's current data folder, with a shared lock that keeps builds from removing it."""
    for _ in range(3):
        info = read_info(path)
        data = path / info.data
        readers = _hold_for_reading(data)
        if data.is_dir():
            break
        # A build replaced and removed this data between reading the info and the lock.
        if readers is not None:
            readers.close()
    return data, readers


@contextlib.contextmanager
def reading(path: Path) -> Iterator[Path]:
    """The store's current data folder, which no build removes while the block runs.

    For readers that are not :func:`open_dataset`, such as a server given the folder itself.
    """
    data, readers = _current_data(path)
    try:
        yield data
    finally:
        if readers is not None:
            readers.close()


def open_dataset(path: Path) -> Dataset:
    """Open the store at ``path`` for reading, as an rdflib Dataset over Oxigraph.

    The default graph is the union of all named graphs, so queries see every source.
    """
    data, readers = _current_data(path)
    try:
        inner = ox.Store.read_only(str(data))
    except OSError as exc:
        raise StoreError(
            f"the store's data cannot be opened ({exc})", "Rebuild with 'citykg build'.", file=path
        ) from None
    except RuntimeError as exc:
        # RocksDB's own checks: a truncated table or MANIFEST file ("Corruption: ...").
        raise StoreError(
            f"the store's data is damaged ({damage(exc)})",
            "Rebuild with 'citykg build'.",
            file=path,
        ) from None
    dataset = Dataset(store=OxigraphStore(store=inner), default_union=True)
    # The shared lock lives as long as the dataset: builds leave the data alone until then.
    dataset.citykg_readers = readers  # type: ignore[attr-defined]
    return bind_prefixes(dataset)  # type: ignore[return-value]


def damage(exc: BaseException) -> str:
    """The first sentence of what RocksDB said about a damaged database, without the paths.

    Examples
    --------
    >>> damage(RuntimeError("Corruption: Sst file size mismatch: /s/d/000010.sst  The file"))
    'Corruption: Sst file size mismatch'
    """
    text = " ".join(str(exc).split())
    head, colon, rest = text.partition(": ")
    # Cut before paths and numbers, which differ from one copy of the store to another.
    detail = re.split(r": | The file | in \S*/| between | \d", rest, maxsplit=1)[0]
    return (f"{head}: {detail}" if colon else head).rstrip(" .:")[:200]


def damaged(exc: BaseException) -> StoreError:
    """The :class:`StoreError` for RocksDB's report of a damaged table found while reading,
    naming the store the table is in.

    Examples
    --------
    >>> print(damaged(RuntimeError("Corruption: block checksum mismatch: stored = 2 in "
    ...                            "/s/store/data-1/000038.sst offset 0")))
    /s/store: the store's data is damaged (Corruption: block checksum mismatch). Rebuild with \
'citykg build'.
    """
    found = re.search(r"(\S+)/data-[^/\s]+/", str(exc))
    return StoreError(
        f"the store's data is damaged ({damage(exc)})",
        "Rebuild with 'citykg build'.",
        file=found.group(1) if found else None,
    )


def _readers_file(data: Path) -> Path:
    return data.parent / READERS_FOLDER / data.name


def _hold_for_reading(data: Path) -> IO[str] | None:
    """Take a shared lock that tells builds this data folder is being read."""
    try:
        handle = open(_readers_file(data))  # noqa: SIM115 - held by the dataset
    except OSError:
        return None  # a store made before readers were tracked
    fcntl.flock(handle, fcntl.LOCK_SH)
    return handle


def _being_read(data: Path) -> bool:
    readers = _readers_file(data)
    if not readers.exists():
        return False
    with open(readers) as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
    return False


@contextlib.contextmanager
def build_lock(path: Path, *, wait: bool = False) -> Iterator[None]:
    """Hold the store's build lock; :class:`BuildLockedError` if another build holds it."""
    try:
        path.mkdir(parents=True, exist_ok=True)
        handle = open(path / LOCK_FILE, "a+")  # noqa: SIM115 - held for the whole block
    except OSError as exc:
        raise StoreError(
            f"cannot write to the store folder ({exc.strerror})",
            "Choose a writable --store.",
            file=path,
        ) from None
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
        except BlockingIOError:
            raise BuildLockedError(
                "another citykg build is writing this store",
                "Wait for it to finish, or build with --wait.",
                file=path,
            ) from None
        yield
    finally:
        handle.close()


def new_data_folder(path: Path) -> Path:
    """A fresh, empty data folder name inside the store (not created yet)."""
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S%f")
    return path / f"data-{stamp}-{os.getpid()}"


def publish(
    path: Path, data: Path, *, triples: int, sources: list[dict[str, Any]], validated: bool
) -> StoreInfo:
    """Make ``data`` the store's current data, atomically, and remove stale data folders.

    The folder that was current until now is kept, and so is any older one a reader still has
    open (readers hold a shared lock on ``readers/data-*``); the rest, and leftovers of failed
    builds, are removed. Call with the build lock held.
    """
    previous: str | None = None
    with contextlib.suppress(StoreError):
        previous = read_info(path).data
    info = StoreInfo(
        format=STORE_FORMAT,
        data=data.name,
        built=dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat(),
        citykg=__version__,
        triples=triples,
        sources=sources,
        validated=validated,
    )
    _readers_file(data).parent.mkdir(exist_ok=True)
    _readers_file(data).touch()
    tmp = path / (INFO_FILE + ".tmp")
    tmp.write_text(json.dumps(asdict(info), indent=2, sort_keys=True) + "\n", encoding="utf-8")
    os.replace(tmp, path / INFO_FILE)
    for stale in path.glob("data-*"):
        if not stale.is_dir() or stale.name in (data.name, previous) or _being_read(stale):
            continue
        shutil.rmtree(stale, ignore_errors=True)
        _readers_file(stale).unlink(missing_ok=True)
    return info
