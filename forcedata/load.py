"""Load and validate the data directory: registry, catalogue and entity files -> one Dataset.

Every problem is collected (never just the first) with its file and line. A broken file, or a
broken value, is reported and left out; everything else still loads.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
from pydantic import BaseModel, ValidationError

from forcedata.frame import build_frame
from forcedata.problems import Problem, display_path, format_path
from forcedata.schema import (
    EntityHeader, Family, Metric, Series, Source, Value,
)
from forcedata.yamlio import LineIndex, YamlFileError, line_of, load_yaml

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA_DIR = PROJECT_ROOT / "data"


def data_dir_from_env() -> Path:
    """The data directory: $FORCEDATA_DATA_DIR if set (e.g. to preview a release), else data/."""
    return Path(os.environ.get("FORCEDATA_DATA_DIR") or DEFAULT_DATA_DIR)


@dataclass(frozen=True)
class LoadedEntity:
    """An entity's header and its valid values, each with the line it was read from."""

    header: EntityHeader
    file: str
    values: list[tuple[str, Value, int]] = field(default_factory=list)  # (metric id, value, line)
    series: list[tuple[str, Series, dict[int, int]]] = field(default_factory=list)  # year -> line


@dataclass(frozen=True)
class Dataset:
    """Everything the app and the command line need, built once from the data directory."""

    sources: dict[str, Source]
    families: dict[str, Family]
    metrics: dict[str, Metric]
    entities: dict[str, LoadedEntity]
    frame: pd.DataFrame
    problems: list[Problem]
    files: list[str]
    version: str

    @property
    def bad_files(self) -> list[str]:
        return sorted({p.file for p in self.problems})


class _Collector:
    """Collects problems for one file, turning pydantic errors into located messages."""

    def __init__(self, file: str, index: LineIndex):
        self.file, self.index, self.problems = file, index, []

    def add(self, path: tuple, message: str, fix: str = "") -> None:
        self.problems.append(Problem(self.file, line_of(self.index, path), format_path(path), message, fix))

    def validate(self, model: type[BaseModel], data: Any, path: tuple) -> Any:
        try:
            return model.model_validate(data)
        except ValidationError as err:
            seen = set()
            for e in err.errors():
                # NOTE: a union (number | mapping) fails once per branch; report a place once.
                loc = _known_loc(path, e["loc"], self.index)
                if loc not in seen:
                    seen.add(loc)
                    self._add_pydantic(path, e)
            return None

    def _add_pydantic(self, base: tuple, err: dict) -> None:
        loc = base + _known_loc(base, err["loc"], self.index)
        kind, msg = err["type"], err["msg"]
        if kind == "extra_forbidden":
            self.add(loc, "unknown field", "remove it or fix its spelling (see the file header)")
        elif kind == "missing":
            self.add(loc, "required field is missing", f"add '{err['loc'][-1]}:'")
        elif kind in ("float_type", "int_type", "float_parsing", "int_parsing"):
            self.add(loc, f"expected a number, got {err['input']!r}",
                     "write the number without quotes, commas or words (660000, not '660,000')")
        elif kind == "greater_than_equal":
            self.add(loc, f"must not be negative (got {err['input']!r})", "fix the sign")
        elif kind == "string_pattern_mismatch":
            self.add(loc, f"{err['input']!r} is not in the expected form ({err['ctx']['pattern']})",
                     "see the file header for the expected form")
        elif kind == "value_error":
            self.add(loc, msg.removeprefix("Value error, "))
        else:
            self.add(loc, msg)


def _known_loc(base: tuple, loc: tuple, index: LineIndex) -> tuple:
    """Drop pydantic's union-branch names ("float", "SeriesPoint") from an error location."""
    out: tuple = ()
    for i, part in enumerate(loc):
        if base + out + (part,) in index or i == len(loc) - 1 and not _is_branch(part):
            out += (part,)
    return out


def _is_branch(part: object) -> bool:
    # pydantic names union branches like "constrained-float" or "function-after[..., SeriesPoint]";
    # field names here are snake_case, so such parts are never fields.
    return isinstance(part, str) and (part[:1].isupper() or "-" in part or "[" in part
                                      or part in ("float", "int", "str"))


def _read(path: Path, problems: list[Problem]) -> tuple[Any, _Collector] | None:
    try:
        data, index = load_yaml(path)
    except YamlFileError as err:
        problems.append(err.problem)
        return None
    except OSError as err:
        problems.append(Problem(display_path(path), 1, "", f"cannot read the file: {err.strerror}"))
        return None
    return data, _Collector(display_path(path), index)


def _load_registry(path: Path, item_models: dict[str, type[BaseModel]],
                   problems: list[Problem]) -> dict[str, list]:
    """Validate a registry-like file (lists of items with ids) item by item: one bad entry
    loses only itself."""
    out: dict[str, list] = {key: [] for key in item_models}
    read = _read(path, problems)
    if read is None:
        return out
    data, col = read
    if not isinstance(data, dict):
        data = {}
        col.add((), f"expected a mapping with {', '.join(item_models)}")
    for key in data:
        if key not in item_models:
            col.add((key,), "unknown field", f"expected only {', '.join(item_models)}")
    for key, model in item_models.items():
        raw_items = data.get(key)
        if not isinstance(raw_items, list):
            col.add((key,), f"expected a list under '{key}:'", "each entry starts with '- id: ...'")
            continue
        first: dict[str, int] = {}
        for i, raw in enumerate(raw_items):
            item = col.validate(model, raw, (key, i))
            if item is None:
                continue
            if item.id in first:
                col.add((key, i, "id"), f"duplicate id '{item.id}' (first at line {first[item.id]})",
                        "give it a new id or merge the two entries")
                continue
            first[item.id] = line_of(col.index, (key, i))
            out[key].append(item)
    problems.extend(col.problems)
    return out


def _load_entity(path: Path, sources: dict[str, Source], metrics: dict[str, Metric],
                 problems: list[Problem]) -> LoadedEntity | None:
    read = _read(path, problems)
    if read is None:
        return None
    data, col = read
    if not isinstance(data, dict):
        col.add((), "expected a mapping with id, name, kind and observations",
                "start from `python -m forcedata new ID`")
        problems.extend(col.problems)
        return None
    header = col.validate(EntityHeader, {k: v for k, v in data.items() if k not in ("observations", "series")}, ())
    if header is not None and header.id != path.stem:
        col.add(("id",), f"id '{header.id}' does not match the file name '{path.name}'",
                f"rename the file to {header.id}.yaml or fix the id")
        header = None
    entity = LoadedEntity(header, col.file) if header is not None else None

    def check_refs(raw: Any, where: tuple) -> bool:
        ok = True
        for attr in ("source", "via"):
            ref = raw.get(attr) if isinstance(raw, dict) else None
            if isinstance(ref, str) and ref not in sources:
                col.add(where + (attr,), f"unknown source '{ref}'", "add it to data/sources.yaml or fix the id")
                ok = False
        return ok

    for section, model in (("observations", Value), ("series", Series)):
        for family, metric, items, where in _walk_section(data.get(section), section, col):
            metric_id = f"{family}.{metric}"
            if metric_id not in metrics:
                col.add(where, f"unknown metric '{metric_id}'", "add it to data/metrics.yaml or fix the name")
                continue
            for i, raw in enumerate(items):
                refs_ok = check_refs(raw, where + (i,))
                item = col.validate(model, raw, where + (i,))
                if item is None or not refs_ok or entity is None:
                    continue
                if model is Value:
                    entity.values.append((metric_id, item, line_of(col.index, where + (i,))))
                else:
                    years = {y: line_of(col.index, where + (i, "values", y)) for y in item.values}
                    entity.series.append((metric_id, item, years))
    problems.extend(col.problems)
    return entity


def _walk_section(section: Any, name: str, col: _Collector):
    """Yield (family, metric, list of raw values, path) from an observations/series mapping."""
    if section is None:
        return
    if not isinstance(section, dict):
        col.add((name,), "expected a mapping of family -> metric -> list")
        return
    for family, metrics in section.items():
        if not isinstance(metrics, dict):
            col.add((name, family), "expected a mapping of metric -> list of values")
            continue
        for metric, items in metrics.items():
            if not isinstance(items, list):
                col.add((name, family, metric), "expected a list of values (each item starts with '- ')")
                continue
            yield family, metric, items, (name, family, metric)


def entity_files(data_dir: Path) -> list[Path]:
    return sorted((data_dir / "forces").glob("*.yaml"))


def load_dataset(data_dir: Path | None = None, paths: list[Path] | None = None) -> Dataset:
    """Load the registry, the catalogue and the entity files (all of them, or ``paths``).

    Args:
        data_dir: the folder holding sources.yaml, metrics.yaml and forces/ (default:
            ``data_dir_from_env()``).
        paths: entity files to load instead of every file in ``data_dir/forces``.

    Returns:
        The Dataset; ``problems`` lists everything wrong, and what was wrong is left out.
    """
    data_dir = data_dir or data_dir_from_env()
    problems: list[Problem] = []
    registry = _load_registry(data_dir / "sources.yaml", {"sources": Source}, problems)
    catalogue = _load_registry(data_dir / "metrics.yaml", {"families": Family, "metrics": Metric}, problems)
    sources = {s.id: s for s in registry["sources"]}
    families = {f.id: f for f in catalogue["families"]}
    metrics = {m.id: m for m in catalogue["metrics"]}
    for m in metrics.values():
        if m.family not in families:
            problems.append(Problem(display_path(data_dir / "metrics.yaml"), 1, f"metrics.{m.id}",
                                    f"unknown family '{m.family}'", "add it under families:"))
    files = paths if paths is not None else entity_files(data_dir)
    entities: dict[str, LoadedEntity] = {}
    for path in files:
        entity = _load_entity(Path(path), sources, metrics, problems)
        if entity is not None:
            entities[entity.header.id] = entity
    frame = build_frame(entities.values(), sources, metrics, families)
    return Dataset(sources, families, metrics, entities, frame, problems,
                   [display_path(Path(p)) for p in files], _version(data_dir, files))


def _version(data_dir: Path, files: list[Path]) -> str:
    """A short content hash of every data file: it changes whenever any value does."""
    digest = hashlib.sha256()
    for path in [data_dir / "sources.yaml", data_dir / "metrics.yaml", *sorted(files)]:
        if Path(path).is_file():
            digest.update(Path(path).name.encode() + Path(path).read_bytes())
    return digest.hexdigest()[:10]
