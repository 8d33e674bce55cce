"""Validation problems: one located, actionable message per thing wrong in a data file."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


def format_path(path: tuple) -> str:
    """Render a YAML path like ``observations.land.mbt[0].source``.

    NOTE: list positions render as ``[i]``; integer mapping keys (the years of a series,
    always >= 1000) render as ``.2024``.
    """
    out = ""
    for part in path:
        if isinstance(part, int) and not isinstance(part, bool) and part < 1000:
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out


@dataclass(frozen=True)
class Problem:
    """Something wrong in a data file, with where it is and how to fix it."""

    file: str
    line: int
    path: str
    message: str
    fix: str = ""

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}: "
        field = f"{self.path}: " if self.path else ""
        fix = f" — {self.fix}" if self.fix else ""
        return f"{where}{field}{self.message}{fix}"


def brief(value: object, width: int = 60) -> str:
    """``repr(value)`` cut to about ``width`` characters: a message never echoes a whole
    hostile value (a 5 MB list, a 60 kB line) into the terminal or the app's banner."""
    text = repr(value)
    return text if len(text) <= width else text[: width - 1] + "…"


def printable(text: str) -> str:
    """``text`` with control characters and undecodable bytes escaped (``\\n``, ``\\x1b``,
    ``\\udcff``): a file name never breaks a message's line or colours a terminal."""
    return text if text.isprintable() else repr(text)[1:-1]


def display_path(path: Path) -> str:
    """A path relative to the working directory when it lies below it, else as given."""
    try:
        return printable(str(path.resolve().relative_to(Path.cwd().resolve())))
    except ValueError:
        return printable(str(path))
