"""Brief files (pure): a YAML list of comparisons for one slide deck, checked with every problem
located as ``FILE:LINE: field: message — fix``.

    title: Border brief, November 2026
    comparisons:
      - entities: [PAK, AFG]
        families: [personnel, air]   # optional: every family with a figure when left out
      - entities: [PAK, x-ttp]
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from components.exports.deck import Comparison
from forcedata.dataset import Dataset
from forcedata.problems import Problem, display_path, format_path
from forcedata.yamlio import YamlFileError, line_of, load_yaml

MAX_ENTITIES = 6
TOP_KEYS = ("title", "comparisons")
COMPARISON_KEYS = ("entities", "families")


@dataclass(frozen=True)
class Brief:
    title: str
    comparisons: list[Comparison]


class BriefError(Exception):
    """A brief that cannot be built; ``problems`` lists every thing wrong in it."""

    def __init__(self, problems: list[Problem]):
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems


def load_brief(path: Path, ds: Dataset) -> Brief:
    """Read and check a brief file against the dataset's entity ids and families.

    Raises:
        BriefError: with every problem found (unknown ids or families, wrong types, bad YAML).
    """
    try:
        data, index = load_yaml(Path(path))
    except YamlFileError as err:
        raise BriefError(err.problems) from None
    shown = display_path(Path(path))
    problems: list[Problem] = []

    def add(where: tuple, message: str, fix: str) -> None:
        problems.append(Problem(shown, line_of(index, where), format_path(where), message, fix))

    if not isinstance(data, dict):
        add((), f"a brief is a mapping, not {_kind(data)}",
            "start with 'title:' and 'comparisons:' (see the README, For briefers)")
        raise BriefError(problems)
    for key in data:
        if key not in TOP_KEYS:
            add((key,), f"unknown field '{_short(key)}'", f"use only {', '.join(TOP_KEYS)}")
    title = data.get("title", "")
    if not isinstance(title, str):
        add(("title",), f"must be text, not {_kind(title)}", "write the title on one line, quoted if need be")
        title = ""
    comparisons = data.get("comparisons")
    if not isinstance(comparisons, list) or not comparisons:
        add(("comparisons",), "missing or empty" if not comparisons else f"must be a list, not {_kind(comparisons)}",
            "add a list of comparisons, each with '- entities: [PAK, AFG]'")
        raise BriefError(problems)
    by_key = {k.lower(): k for k in ds.entities}
    broken = {b.lower(): b for b in ds.broken_ids}
    families = sorted(ds.families.values(), key=lambda f: f.order)
    family_ids = {f.id for f in families}
    out = []
    for i, item in enumerate(comparisons):
        here = ("comparisons", i)
        if not isinstance(item, dict):
            add(here, f"must be a mapping, not {_kind(item)}", "write '- entities: [PAK, AFG]'")
            continue
        for key in item:
            if key not in COMPARISON_KEYS:
                add(here + (key,), f"unknown field '{_short(key)}'", f"use only {', '.join(COMPARISON_KEYS)}")
        ids = _id_list(item.get("entities"), here + ("entities",), add, required=True)
        resolved = []
        for where, e in ids:
            if e.lower() in by_key:
                resolved.append(by_key[e.lower()])
            elif e.lower() in broken:
                bad = next((f for f in ds.bad_files if Path(f).stem == broken[e.lower()]), broken[e.lower()])
                add(where, f"the data file of '{_short(e)}' ({bad}) has errors, so it cannot be drawn",
                    "fix that file first (python -m forcedata validate lists its problems), or leave the id out")
            else:
                add(where, f"unknown entity id '{_short(e)}'",
                    "use an id from data/forces/ (ISO 3166-1 alpha-3 such as PAK, or x-ttp); "
                    "the Sources page lists them")
        resolved = list(dict.fromkeys(resolved))
        if ids and not 1 <= len(ids) <= MAX_ENTITIES:
            add(here + ("entities",), f"{len(ids)} entities", f"give 1 to {MAX_ENTITIES}")
        wanted = _id_list(item.get("families"), here + ("families",), add, required=False)
        for where, f in wanted:
            if f not in family_ids:
                add(where, f"unknown family '{_short(f)}'", "use one of " + ", ".join(f.id for f in families))
        out.append(Comparison(tuple(resolved), tuple(f for _, f in wanted) or None))
    if problems:
        raise BriefError(sorted(problems, key=lambda p: p.line))
    return Brief(title, out)


def _id_list(value: object, where: tuple, add, *, required: bool) -> list[tuple[tuple, str]]:
    """(path, id) for each id of a list (a comma-separated text is read as one too); wrong types,
    and an empty list where ids are required, are reported."""
    if value is None:
        if required:
            add(where, "missing", "add e.g. 'entities: [PAK, AFG]'")
        return []
    if isinstance(value, str):
        out = [(where, p.strip()) for p in value.split(",") if p.strip()]
    elif isinstance(value, list):
        out = []
        for j, v in enumerate(value):
            if isinstance(v, str) and v.strip():
                out.append((where + (j,), v.strip()))
            else:
                add(where + (j,), f"must be an id (text), not {_kind(v)}", "write the id, e.g. PAK")
    else:
        add(where, f"must be a list, not {_kind(value)}", "write e.g. [PAK, AFG]")
        return []
    if required and not out and not (isinstance(value, list) and value):
        # NOTE: an empty list would give a deck a title slide comparing nothing
        add(where, "is empty", "give 1 to 6 ids, e.g. [PAK, AFG], or remove the comparison")
    return out


def _kind(value: object) -> str:
    return {dict: "a mapping", list: "a list", bool: "true/false", int: "a number", float: "a number",
            type(None): "empty", str: "text"}.get(type(value), type(value).__name__)


def _short(value: object, width: int = 40) -> str:
    """A value quoted in a message, cut to ``width`` characters and kept on one line."""
    text = " ".join(str(value).split())
    return text if len(text) <= width else text[: width - 1] + "…"
