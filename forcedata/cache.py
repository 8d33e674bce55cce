"""The compiled load cache: a validated Dataset kept so that the next load of the same files
skips parsing and validation.

Two files per data folder, neither of which can run code when read: the tidy frame as Arrow IPC
(``dataset-<folder>.arrow``) and everything else as JSON (``dataset-<folder>.json``). Both carry
the key: the data's fingerprint (forcedata/fingerprint.py), forcedata's own code, and the
versions of Python, pandas, numpy, pyarrow, pydantic and PyYAML, plus everything else a load
depends on (the working directory, the size cap, next year). The JSON's first line holds the key
alone, so a stale file is recognised before the rest of it is parsed.

The folder must belong to the user running the app and be writable by nobody else: a folder
that is group- or world-writable or owned by another user is refused with a warning (the load
then simply takes the full path). A cache file that cannot be read back is ignored with a
warning and written again.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import stat
import sys
import threading
from dataclasses import asdict
from pathlib import Path
from typing import Any, Callable, Iterator

import numpy as np
import pandas as pd
import pyarrow as pa
import pydantic
import yaml

from forcedata.dataset import Dataset, LoadedEntity
from forcedata.fingerprint import Fingerprint
from forcedata.problems import Problem
from forcedata.schema import EntityHeader, Family, Metric, Scope, Series, SeriesPoint, Source, Value, last_year
from forcedata.yamlio import max_file_bytes

log = logging.getLogger(__name__)

PROJECT_ROOT = Path(__file__).resolve().parent.parent

CACHE_FORMAT = 2  # NOTE: the Arrow IPC + JSON layout
CACHE_KEEP = 8  # NOTE: at most this many cached data folders; the oldest go first
KEY_FIELD = b"forcedata.cache_key"


def cache_dir() -> Path | None:
    """Where validated Datasets are kept: $FORCEDATA_CACHE_DIR ("off" or "" disables the cache),
    else .cache/forcedata in the project (git-ignored)."""
    value = os.environ.get("FORCEDATA_CACHE_DIR")
    if value is None:
        return PROJECT_ROOT / ".cache" / "forcedata"
    return None if value.strip().lower() in ("", "off", "0", "no") else Path(value)


_CODE_DIGEST: list[str] = []


def _code_digest() -> str:
    """A hash of forcedata's own source: a code change invalidates every cached Dataset."""
    if not _CODE_DIGEST:
        digest = hashlib.sha256()
        for path in sorted(Path(__file__).resolve().parent.rglob("*.py")):
            data = path.read_bytes()
            digest.update(f"{path.name}\0{len(data)}\0".encode() + data)
        _CODE_DIGEST.append(digest.hexdigest())
    return _CODE_DIGEST[0]


def cache_key(data_dir: Path, fingerprint: Fingerprint) -> str | None:
    """The key of a load of ``data_dir`` whose files have ``fingerprint``; None when the load
    must not be cached (the cache is off, or a file is a link, special or oversized: those take
    the full path, with its checks, every time)."""
    if cache_dir() is None or not fingerprint.plain:
        return None
    parts = (CACHE_FORMAT, fingerprint.digest, _code_digest(), last_year(), max_file_bytes(), os.getcwd(),
             os.path.abspath(data_dir), sys.version, pd.__version__, np.__version__, pa.__version__,
             pydantic.VERSION, yaml.__version__, yaml.__with_libyaml__)
    digest = hashlib.sha256()
    for part in parts:
        text = str(part).encode("utf-8", "surrogateescape")  # NOTE: a path need not be UTF-8
        digest.update(len(text).to_bytes(8, "big") + text)
    return digest.hexdigest()


# --- the folder: ours alone ----------------------------------------------------------------------


class CacheRefused(Exception):
    """The cache folder could be written by someone else: it is not used."""


@contextlib.contextmanager
def _folder(create: bool) -> Iterator[int | None]:
    """A descriptor of the cache folder once it is known to be ours alone (None: no folder yet).

    NOTE: the checks are made on the open descriptor, and every file is opened relative to it,
    so the folder cannot be swapped for another between the check and the use.
    """
    folder = cache_dir()
    if folder is None:
        yield None
        return
    path = os.path.realpath(folder)
    if create:
        with contextlib.suppress(FileExistsError):
            os.makedirs(path, mode=0o700)
    try:
        fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW)
    except FileNotFoundError:
        yield None
        return
    try:
        info = os.fstat(fd)
        if info.st_uid != os.geteuid():
            raise CacheRefused(f"compiled cache folder {folder} is owned by another user (uid {info.st_uid}); "
                               "point FORCEDATA_CACHE_DIR at a folder of your own, or set it to 'off'")
        if info.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
            raise CacheRefused(f"compiled cache folder {folder} is writable by others "
                               f"(mode {stat.filemode(info.st_mode)}); run `chmod go-w {folder}` or point "
                               "FORCEDATA_CACHE_DIR at a folder only you can write")
        yield fd
    finally:
        os.close(fd)


def _names(data_dir: Path) -> tuple[str, str]:
    stem = "dataset-" + hashlib.sha256(os.fsencode(os.path.abspath(data_dir))).hexdigest()[:16]
    return stem + ".json", stem + ".arrow"


# --- read ------------------------------------------------------------------------------------------


def read(data_dir: Path, key: str | None) -> Dataset | None:
    """The cached Dataset of ``data_dir`` if its key is ``key``; None otherwise (no cache, a stale
    one, a refused folder or an unreadable file: the last two with a warning)."""
    if key is None:
        return None
    json_name, arrow_name = _names(data_dir)
    try:
        with _folder(create=False) as fd:
            if fd is None:
                return None
            try:
                with _open(json_name, fd, "rb") as fh:
                    header = json.loads(fh.readline())
                    if header.get("key") != key:
                        return None  # NOTE: stale: the rest is not even parsed
                    document = json.loads(fh.read())
            except FileNotFoundError:
                return None
            with _open(arrow_name, fd, "rb") as fh:
                table = pa.ipc.open_file(pa.py_buffer(fh.read())).read_all()
    except CacheRefused as err:
        log.warning("%s; loading without it", err)
        return None
    except Exception as err:  # noqa: BLE001 - any damage to a cache file only costs a rebuild
        log.warning("compiled cache for %s is unreadable (%s: %s); rebuilding it",
                    data_dir, type(err).__name__, str(err)[:200])
        return None
    if (table.schema.metadata or {}).get(KEY_FIELD) != key.encode():
        return None  # NOTE: the pair of a concurrent writer of another version: a miss, not damage
    try:
        return _dataset(document, _frame(table, document["frame"]))
    except Exception as err:  # noqa: BLE001
        log.warning("compiled cache for %s does not hold a dataset (%s: %s); rebuilding it",
                    data_dir, type(err).__name__, str(err)[:200])
        return None


def _open(name: str, fd: int, mode: str):
    """A regular file of the folder, read-only; never a link, and never a wait on a pipe."""
    handle = os.open(name, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK, dir_fd=fd)
    if not stat.S_ISREG(os.fstat(handle).st_mode):
        os.close(handle)
        raise OSError(f"{name} is not a regular file")
    return os.fdopen(handle, mode)


def _frame(table: pa.Table, about: dict) -> pd.DataFrame:
    frame = table.to_pandas()
    # NOTE: Arrow gives a categorical column's categories back as text ("str"); the frame's
    # own are plain Python objects (frame._shared_text): restored so the two frames are equal.
    for column in about["object_categories"]:
        values = frame[column]
        frame[column] = pd.Categorical.from_codes(
            values.cat.codes, categories=pd.Index(list(values.cat.categories), dtype=object))
    if list(frame.columns) != about["columns"]:
        raise ValueError("the frame's columns are not those written")
    return frame


def _dataset(doc: dict, frame: pd.DataFrame) -> Dataset:
    value, series, point = _builder(Value), _builder(Series), _builder(SeriesPoint)
    header = _builder(EntityHeader)
    entities = {}
    # NOTE: equal points share one frozen instance: two thirds of them are the same "not known" year
    shared: dict[tuple, SeriesPoint] = {}

    def one_point(fields: dict) -> SeriesPoint:
        key = tuple(fields.items())
        made = shared.get(key)
        if made is None:
            made = shared[key] = point(fields)
        return made

    for eid, ent in doc["entities"].items():
        values = [(metric, value(v), line) for metric, v, line in ent["values"]]
        blocks = []
        for metric, fields, years, points, lines in ent["series"]:
            fields["values"] = dict(zip(years, [one_point(p) if isinstance(p, dict) else p for p in points]))
            blocks.append((metric, series(fields), dict(zip(years, lines))))
        entities[eid] = LoadedEntity(header(ent["header"]), ent["file"], values, blocks)
    return Dataset(
        sources=_models(Source, doc["sources"]),
        families=_models(Family, doc["families"]),
        metrics=_models(Metric, doc["metrics"]),
        entities=entities,
        frame=frame,
        problems=[Problem(**p) for p in doc["problems"]],
        files=list(doc["files"]),
        version=doc["version"],
        scopes=_models(Scope, doc["scopes"]),
    )


def _models(model: type[pydantic.BaseModel], items: dict[str, dict]) -> dict:
    build = _builder(model)
    return {k: build(v) for k, v in items.items()}


_MISSING = object()


def _builder(model: type[pydantic.BaseModel]) -> Callable[[dict], Any]:
    """A function making ``model`` from the fields it was validated with when written, without
    validating them again: what ``model_construct`` does, for models without aliases, extra
    fields, private attributes or post-init hooks (checked here), at a fraction of its cost
    (24,000 series points: ~30 ms instead of ~250 ms). Unknown or missing fields raise KeyError.
    """
    fields = model.model_fields
    if (model.model_config.get("extra") == "allow" or model.__pydantic_post_init__
            or model.__private_attributes__ or any(f.alias or f.validation_alias for f in fields.values())):
        raise TypeError(f"{model.__name__} needs model_construct")  # NOTE: none of ours does
    template = {name: (_MISSING if f.is_required() else f.get_default(call_default_factory=True))
                for name, f in fields.items()}
    mutable = [name for name, v in template.items() if isinstance(v, (list, dict, set))]
    required = [name for name, v in template.items() if v is _MISSING]
    size, new, setattr_ = len(template), model.__new__, object.__setattr__

    def build(values: dict) -> Any:
        merged = {**template, **values}
        for name in mutable:
            if name not in values:
                merged[name] = type(merged[name])()  # NOTE: a default list of its own, as pydantic gives
        if len(merged) != size or (required and not all(name in values for name in required)):
            raise KeyError(f"{model.__name__}: fields {sorted(values)} are not the model's")
        obj = new(model)
        setattr_(obj, "__dict__", merged)
        setattr_(obj, "__pydantic_fields_set__", set(values))
        setattr_(obj, "__pydantic_extra__", None)
        setattr_(obj, "__pydantic_private__", None)
        return obj

    return build


# --- write -----------------------------------------------------------------------------------------


def write(data_dir: Path, key: str | None, ds: Dataset) -> None:
    """Keep ``ds`` as the cached load of ``data_dir`` under ``key`` (nothing when ``key`` is None).
    A refused folder is reported; a read-only disk only costs speed."""
    if key is None:
        return
    json_name, arrow_name = _names(data_dir)
    try:
        frame_file, json_file = _files(ds, key)
    except Exception as err:  # noqa: BLE001 - a frame Arrow cannot hold only costs the cache
        log.warning("compiled cache for %s not written (%s: %s)", data_dir, type(err).__name__, str(err)[:200])
        return
    try:
        with _folder(create=True) as fd:
            # NOTE: the frame first, then the JSON that names its key: a reader sees the old pair,
            # the new pair, or a mismatch it treats as a miss
            _replace(fd, arrow_name, frame_file)
            _replace(fd, json_name, json_file)
            _prune(fd)
    except CacheRefused as err:
        log.warning("%s; the load is not cached", err)
    except OSError as err:  # NOTE: a read-only disk only costs speed
        log.info("dataset cache not written: %s", err)


def _files(ds: Dataset, key: str) -> tuple[bytes, bytes]:
    """The Arrow IPC file of the frame and the JSON file of the rest, each carrying ``key``."""
    object_categories = [c for c in ds.frame.columns if isinstance(ds.frame[c].dtype, pd.CategoricalDtype)
                         and ds.frame[c].cat.categories.dtype == object]
    table = pa.Table.from_pandas(ds.frame, preserve_index=False)
    table = table.replace_schema_metadata({**(table.schema.metadata or {}), KEY_FIELD: key.encode()})
    sink = pa.BufferOutputStream()
    # NOTE: uncompressed: read back in about half the time of lz4 (12-15 ms against 21-50 ms for
    # the bundled data's 32 MB); the file is read whole, never memory-mapped (a file truncated
    # under a mapping would crash the reader)
    with pa.ipc.new_file(sink, table.schema) as writer:
        writer.write_table(table)
    document = _document(ds, {"columns": list(ds.frame.columns), "object_categories": object_categories})
    header = json.dumps({"format": CACHE_FORMAT, "key": key}).encode() + b"\n"
    return sink.getvalue().to_pybytes(), header + json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode()


def _document(ds: Dataset, frame: dict) -> dict:
    dump = _dump
    return {
        "version": ds.version,
        "files": ds.files,
        "problems": [asdict(p) for p in ds.problems],
        "sources": {k: dump(v) for k, v in ds.sources.items()},
        "families": {k: dump(v) for k, v in ds.families.items()},
        "metrics": {k: dump(v) for k, v in ds.metrics.items()},
        "scopes": {k: dump(v) for k, v in ds.scopes.items()},
        "entities": {eid: {
            "header": dump(ent.header), "file": ent.file,
            "values": [[metric, dump(v), line] for metric, v, line in ent.values],
            "series": [_series_record(metric, s, lines, dump) for metric, s, lines in ent.series],
        } for eid, ent in ds.entities.items()},
        "frame": frame,
    }


def _series_record(metric: str, s: Series, lines: dict[int, int], dump) -> list:
    """[metric, fields, years, points, lines]: years as numbers, not as the text keys of a JSON
    object, and each plain number as it is."""
    fields = dump(s)
    del fields["values"]
    years = list(s.values)
    points = [p if isinstance(p, (int, float)) else dump(p) for p in s.values.values()]
    return [metric, fields, years, points, [lines[y] for y in years]]


def _dump(model: pydantic.BaseModel) -> dict:
    """The fields the file gave (``model_dump(exclude_unset=True)``, without its cost per call):
    read back, the model has the same fields set, so it equals the one validated. Every field of
    the data models is text, a number, a boolean, None or a list of text; anything else fails
    json.dumps, and the load is then simply not cached."""
    values = model.__dict__
    return {name: values[name] for name in model.model_fields_set}


def _replace(fd: int, name: str, data: bytes) -> None:
    """Write ``name`` in the folder atomically: a reader sees the old file or the new one."""
    tmp = f".tmp-{os.getpid()}-{threading.get_ident()}-{name}"
    out = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW, 0o600, dir_fd=fd)
    try:
        with os.fdopen(out, "wb") as fh:
            fh.write(data)
        os.replace(tmp, name, src_dir_fd=fd, dst_dir_fd=fd)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp, dir_fd=fd)
        raise


def _prune(fd: int) -> None:
    """Keep the CACHE_KEEP most recently written data folders' files."""
    stems: dict[str, float] = {}
    for name in os.listdir(fd):
        if name.startswith("dataset-") and name.endswith((".json", ".arrow")):
            stem = name.rsplit(".", 1)[0]
            mtime = os.stat(name, dir_fd=fd, follow_symlinks=False).st_mtime
            stems[stem] = max(stems.get(stem, 0.0), mtime)
    for stem in sorted(stems, key=stems.get, reverse=True)[CACHE_KEEP:]:
        for suffix in (".json", ".arrow"):
            with contextlib.suppress(FileNotFoundError):
                os.unlink(stem + suffix, dir_fd=fd)
