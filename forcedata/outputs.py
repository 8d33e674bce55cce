"""Every file the command lines write goes through here: checked before any work is done,
written whole or not at all, and every failure said in one line naming the path and the reason.

- The folder must exist (or ``mkdir=True``, the commands' ``--mkdir``); a folder where the file
  should go, a parent that is a file, and a read-only file are refused before anything is drawn.
- A regular file is written to a temporary file beside it and renamed over it at the end: a full
  disk or an interrupted run leaves the old file (or none), never half a file.
- A device or a pipe (``/dev/stdout``, ``/dev/full``) is written in place; its OS error is said.
- ``run_quietly`` runs a command line's ``main``: an ``OutputError`` is one line on standard error
  and exit 2; a reader that closed the pipe (``| head``) ends the run quietly.
"""

from __future__ import annotations

import os
import secrets
import stat
import sys
from pathlib import Path
from typing import Callable

from forcedata.problems import printable

BROKEN_PIPE_EXIT = 141  # NOTE: 128 + SIGPIPE, as the shell reports any tool stopped by `| head`


class OutputError(Exception):
    """A file that cannot be written: ``str()`` is one line naming the path, the reason and the fix."""

    def __init__(self, path: Path | str, reason: str, fix: str = ""):
        self.path, self.reason, self.fix = Path(path), reason, fix
        super().__init__(f"cannot write {printable(str(path))}: {reason}" + (f" — {fix}" if fix else ""))


def check_target(path: Path | str, *, mkdir: bool = False) -> None:
    """Refuse, before any work is done, a file that cannot be written at ``path``.

    Args:
        path: the file to write.
        mkdir: create a missing folder (with its parents) instead of refusing.

    Raises:
        OutputError: ``path`` is a folder, its folder is missing (without ``mkdir``) or a file,
            or the file or its folder cannot be written.
    """
    path = Path(path)
    try:
        info = path.stat()
    except FileNotFoundError:
        info = None
    except OSError as err:  # NOTE: e.g. a parent that is a file: ENOTDIR
        _refuse_parent(path, mkdir, err)
        return
    if info is not None and stat.S_ISDIR(info.st_mode):
        raise OutputError(path, "it is a folder", f"give a file name in it, e.g. {printable(str(path / 'chart.png'))}")
    if info is not None and stat.S_ISREG(info.st_mode) and not info.st_mode & 0o222:
        # NOTE: checked by its mode, so a read-only file stays so even for root
        raise OutputError(path, "the file is read-only", "make it writable (chmod u+w) or choose another name")
    folder = check_folder(path.parent, mkdir=mkdir, for_file=path)
    if info is None and not os.access(folder, os.W_OK | os.X_OK):
        raise OutputError(path, f"{os.strerror(13)} (folder {printable(str(folder))})",
                          "choose a folder you can write to")


def check_folder(folder: Path | str, *, mkdir: bool = False, for_file: Path | None = None) -> Path:
    """``folder`` if it exists as a folder (created first with ``mkdir``); else OutputError.

    Args:
        folder: the folder to write in.
        mkdir: create it (with its parents) when it does not exist.
        for_file: the file to be written in it, named in the message instead of the folder.
    """
    folder = Path(folder)
    shown = for_file or folder
    if folder.is_dir():
        return folder
    for part in (folder, *folder.parents):  # NOTE: name the part of the path that is a file
        if (part.exists() or part.is_symlink()) and not part.is_dir():
            what = "it is" if part == shown else f"{printable(str(part))} is"
            raise OutputError(shown, f"{what} a file, not a folder", "choose another path")
    if not mkdir:
        what = f"the folder {printable(str(folder))}" if for_file else "the folder"
        raise OutputError(shown, f"{what} does not exist", "create it, or add --mkdir")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise OutputError(shown, f"cannot create the folder {printable(str(folder))}: {err.strerror}",
                          "choose another path") from None
    return folder


def _refuse_parent(path: Path, mkdir: bool, err: OSError) -> None:
    check_folder(path.parent, mkdir=mkdir, for_file=path)  # NOTE: names a parent that is a file
    raise OutputError(path, err.strerror or str(err), "choose another path")


def write_file(path: Path | str, data: bytes, *, mkdir: bool = False, overwrite: bool = True) -> None:
    """Write ``data`` to ``path`` whole, or not at all.

    Args:
        path: the file (checked first with ``check_target``).
        data: everything it holds.
        mkdir: create a missing folder.
        overwrite: False refuses a file that exists already.

    Raises:
        OutputError: one line naming the path and the OS reason; no partial file is left behind.
    """
    path = Path(path)
    check_target(path, mkdir=mkdir)
    try:
        info = path.stat()
    except OSError:
        info = None
    if info is not None and not overwrite:
        raise OutputError(path, "it exists already", "not overwriting it: remove it first or choose another name")
    if info is not None and not stat.S_ISREG(info.st_mode):  # a device or a pipe: written in place
        try:
            with open(path, "wb") as handle:
                handle.write(data)
        except OSError as err:
            raise OutputError(path, err.strerror or str(err)) from None
        return
    partial = path.with_name(f".{path.name}.{secrets.token_hex(4)}.part")
    try:
        # NOTE: O_EXCL: never follows or reuses a name someone else made; mode 0o666 less the umask,
        # as open() would give; an existing file keeps its own mode
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        if info is not None:
            os.chmod(partial, stat.S_IMODE(info.st_mode))
        if not overwrite:
            os.link(partial, path)  # NOTE: fails if the name appeared meanwhile; never replaces
            os.unlink(partial)
        else:
            os.replace(partial, path)
    except OSError as err:
        partial.unlink(missing_ok=True)
        raise OutputError(path, err.strerror or str(err)) from None
    except BaseException:  # NOTE: Ctrl-C or a broken pipe mid-write: no half file is left either
        partial.unlink(missing_ok=True)
        raise


def write_text(path: Path | str, text: str, **options) -> None:
    """``write_file`` for UTF-8 text."""
    write_file(path, text.encode("utf-8"), **options)


def run_quietly(main: Callable[[], int]) -> int:
    """Run a command line's ``main`` and return its exit code: an ``OutputError`` is printed as
    one line (exit 2); a standard output closed by its reader (``| head``) ends the run with no
    message (exit 141, as for any tool stopped by SIGPIPE)."""
    try:
        code = main()
        sys.stdout.flush()  # NOTE: inside the guard: a closed pipe shows up on the last flush
        return code
    except OutputError as err:
        print(err, file=sys.stderr)
        return 2
    except BrokenPipeError:
        # NOTE: Python flushes stdout again at exit: point it at /dev/null so that flush is silent
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return BROKEN_PIPE_EXIT
