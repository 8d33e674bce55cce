"""The data folder's one fingerprint: a hash of every file under data/ that the app reads.

The registry (sources.yaml), the catalogue (metrics.yaml), the groups (groups.yaml) and the
entity files (forces/*.yaml) are hashed by content, each record framed by its length, so no two
different trees hash alike (``A.yaml="XB.yamlY"`` is not ``A.yaml="X"`` + ``B.yaml="Y"``). The
data version shown in footnotes and permalinks is its first 10 hexadecimal digits; the compiled
cache (forcedata/cache.py) is keyed by it; the app's change check (components/ui/state.py) reloads
when it changes. An entry of forces/ that is not read (a stray, a link, a folder) counts by its
name and kind, never by what it points to.
"""

from __future__ import annotations

import hashlib
import os
import stat
import struct
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from forcedata.yamlio import max_file_bytes

FORMAT = b"forcedata data fingerprint 1"
REGISTRY_FILES = ("sources.yaml", "metrics.yaml", "groups.yaml")
VERSION_DIGITS = 10
# NOTE: what the loader reads as it is, every time; a link, a special or oversized file, an
# unreadable one take the full path with its checks (never the compiled cache)
PLAIN_KINDS = (b"file", b"missing", b"stray", b"folder")

# NOTE: a file's digest is kept with its status (device, inode, size, mode, mtime, ctime) and
# reused while the status is the same, so the app's change check on every run costs one lstat
# per file, not a read (205 files: ~1.4 ms a run instead of ~10 ms). An edit that restores the mtime
# still changes the ctime, which nobody can set. As in git's "racily clean" rule, a digest taken
# less than RACY_SECONDS after the file's last change is not reused: a second write within the
# file system's timestamp granularity cannot hide behind an unchanged status.
RACY_SECONDS = 2.0
_MEMO_MAX = 20_000
_memo: dict[str, tuple[tuple, bytes]] = {}


@dataclass(frozen=True)
class Fingerprint:
    """The hash of a data folder, and whether every file in it may be cached."""

    digest: str  # sha256, hexadecimal
    plain: bool  # every file read is a regular file within the size cap (else: never cached)

    @property
    def version(self) -> str:
        """The data version: the digest's first 10 hexadecimal digits."""
        return self.digest[:VERSION_DIGITS]


def data_fingerprint(data_dir: Path, entity_paths: Iterable[Path] | None = None) -> Fingerprint:
    """The fingerprint of ``data_dir``: its registry files and every entry of forces/ (or, with
    ``entity_paths``, those entity files instead of forces/).

    Never raises for a missing, unreadable or special file: each is hashed by name and kind.
    """
    digest = hashlib.sha256(FORMAT)
    plain = True
    folder = os.path.abspath(data_dir)
    records = [(name, os.path.join(folder, name), True) for name in REGISTRY_FILES]
    if entity_paths is None:
        forces = os.path.join(folder, "forces")
        # NOTE: the loader reads only *.yaml entries; any other entry counts by its name and kind
        records += [(f"forces/{name}", os.path.join(forces, name), name.endswith(".yaml"))
                    for name in _entries(forces)]
    else:
        records += [(f"entity/{Path(p).name}", os.path.abspath(p), True)
                    for p in sorted(entity_paths, key=lambda p: Path(p).name)]
    cap = max_file_bytes()
    for name, path, read in records:
        kind, content = _file_record(path, cap, read=read)
        plain = plain and kind in PLAIN_KINDS
        for part in (os.fsencode(name), kind, content):
            digest.update(struct.pack(">Q", len(part)) + part)
    return Fingerprint(digest.hexdigest(), plain)


def _entries(folder: str) -> list[str]:
    try:
        return sorted(os.listdir(folder))
    except OSError:
        return []


def _file_record(path: str, cap: int, *, read: bool) -> tuple[bytes, bytes]:
    """(kind, content digest) of one file: kind file, missing, link, folder, special, too-big,
    unreadable, or stray (an entry the loader does not read: its name only)."""
    try:
        info = os.lstat(path)
    except OSError:
        return b"missing", b""
    if not read:
        return b"stray", b""
    if stat.S_ISLNK(info.st_mode):
        return b"link", b""
    if stat.S_ISDIR(info.st_mode):
        return b"folder", b""
    if not stat.S_ISREG(info.st_mode):
        return b"special", b""
    if info.st_size > cap:
        return b"too-big", str(info.st_size).encode()
    status = (info.st_dev, info.st_ino, info.st_size, info.st_mode, info.st_mtime_ns, info.st_ctime_ns)
    known = _memo.get(path)
    if known is not None and known[0] == status:
        return b"file", known[1]
    try:
        # NOTE: no link followed and no wait on a pipe swapped in since the lstat; at most cap + 1 bytes
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
        with os.fdopen(fd, "rb") as fh:
            if not stat.S_ISREG(os.fstat(fd).st_mode):
                return b"special", b""
            content = hashlib.sha256(fh.read(cap + 1)).digest()
    except OSError as err:
        return b"unreadable", str(err.errno).encode()
    changed = max(info.st_mtime_ns, info.st_ctime_ns) / 1e9
    if time.time() - changed > RACY_SECONDS:
        if len(_memo) >= _MEMO_MAX:
            _memo.clear()
        _memo[path] = (status, content)
    else:
        _memo.pop(path, None)
    return b"file", content
