"""Load and validate the data directory: registry, catalogue and entity files -> one Dataset.

Every problem is collected (never just the first) with its file and line. A broken file, or a
broken value, is reported and left out; everything else still loads.
"""

from __future__ import annotations

import contextlib
import gc
import logging
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from forcedata import cache
from forcedata.dataset import Dataset, LoadedEntity
from forcedata.fingerprint import data_fingerprint
from forcedata.frame import build_frame
from forcedata.problems import Problem, brief, display_path, format_path, printable
from forcedata.schema import (
    FIRST_YEAR, EntityHeader, Family, Metric, Scope, Series, Source, Unit, Value, last_year,
)
from forcedata.yamlio import AmbiguousNumber, LineIndex, YamlFileError, line_of, load_yaml

log = logging.getLogger(__name__)

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA_DIR = PROJECT_ROOT / "data"


def data_dir_from_env() -> Path:
    """The data directory: $FORCEDATA_DATA_DIR if set (e.g. to preview a release), else data/."""
    return Path(os.environ.get("FORCEDATA_DATA_DIR") or DEFAULT_DATA_DIR)


class Collector:
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
            errors = err.errors()
            known = [_known_loc(path, e["loc"], self.index) for e in errors]
            for i, (e, loc) in enumerate(zip(errors, known)):
                # NOTE: a mapping where a number or a mapping may go (a series year) failed the
                # number branch too; report what is wrong inside the mapping instead.
                if (e["type"] in ("float_type", "int_type") and isinstance(e.get("input"), dict)
                        and any(j != i and k[:len(loc)] == loc for j, k in enumerate(known))):
                    continue
                # NOTE: a union (number | mapping) fails once per branch; report a place once.
                if loc not in seen:
                    seen.add(loc)
                    self._add_pydantic(path, e)
            return None

    def _add_pydantic(self, base: tuple, err: dict) -> None:
        if err["type"] == "invalid_key":  # an integer where a field name belongs
            at = base + err["loc"][:-1]
            self.problems.append(Problem(self.file, line_of(self.index, at + err["loc"][-1:]), format_path(at),
                                         f"key {brief(err['input'])} is a number, not a field name",
                                         "remove it or fix its spelling (see the file header)"))
            return
        if "[key]" in err["loc"]:  # a mapping key of the wrong kind: a series year such as 1951x
            key_loc = err["loc"][: err["loc"].index("[key]")]
            self.add(base + key_loc, f"{brief(key_loc[-1])} is not a year", "write the year as four digits (1951)")
            return
        loc = base + _known_loc(base, err["loc"], self.index)
        kind, msg, given = err["type"], err["msg"], err.get("input")
        if isinstance(given, AmbiguousNumber) and kind in ("float_type", "int_type"):
            self.add(loc, *given.explain())
        elif kind == "extra_forbidden":
            self.add(loc, "unknown field", "remove it or fix its spelling (see the file header)")
        elif kind == "missing":
            self.add(loc, "required field is missing", f"add '{err['loc'][-1]}:'")
        elif kind in ("float_type", "int_type", "float_parsing", "int_parsing"):
            self.add(loc, f"expected a number, got {brief(err['input'])}",
                     "write the number without quotes, commas or words (660000, not '660,000')")
        elif kind == "bool_type":
            self.add(loc, f"expected true or false, got {brief(given)}", "write true or false (not yes/no/on/off)")
        elif kind in ("string_type", "literal_error") and "expected" in err.get("ctx", {}):
            self.add(loc, f"got {brief(given)}; expected one of {err['ctx']['expected']}", "use one of those words")
        elif kind == "string_type":
            self.add(loc, f"expected text, got {brief(given)}", "put the text in quotes")
        elif kind == "finite_number":
            self.add(loc, f"{brief(given)} is not a finite number", "write the figure itself")
        elif kind == "greater_than_equal":
            self.add(loc, f"must not be negative (got {given!r})", "fix the sign")
        elif kind == "string_too_long":
            self.add(loc, f"is {len(given):,} characters long; at most {err['ctx']['max_length']:,}",
                     "shorten it (a longer explanation belongs in a note)")
        elif kind == "string_too_short":
            self.add(loc, "is empty", "write the text, or leave the field out if it is optional")
        elif kind == "string_pattern_mismatch":
            self.add(loc, f"{brief(err['input'])} is not in the expected form ({err['ctx']['pattern']})",
                     "see the file header for the expected form")
        elif kind == "list_type":
            self.add(loc, f"expected a list, got {brief(given)}", "write one entry per line, each starting with '- '")
        elif kind in ("model_type", "dict_type"):
            what = (_FIELDS_OF.get(err.get("ctx", {}).get("class_name"), "a mapping of fields") if kind == "model_type"
                    else "a mapping")
            self.add(loc, f"expected {what}, got {brief(given)}", "see the file header for the layout")
        elif kind == "value_error":
            # NOTE: schema messages may carry their fix after " — "
            self.add(loc, *msg.removeprefix("Value error, ").split(" — ", 1))
        else:
            self.add(loc, msg)


# NOTE: what a mapping of each kind holds, for "expected ..., got 5"
_FIELDS_OF = {"Value": "a value's fields (value:, as_of:, source:)",
              "SeriesPoint": "a value's fields (value:, as_of:, source:)", "Membership": "a member's fields (id:, date:)"}


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


def _read(path: Path, problems: list[Problem], shown: str) -> tuple[Any, Collector] | None:
    try:
        data, index = load_yaml(path, shown)
    except YamlFileError as err:
        problems.extend(err.problems)
        return None
    except OSError as err:
        problems.append(Problem(shown, 1, "", f"cannot read the file: {err.strerror}"))
        return None
    return data, Collector(shown, index)


@dataclass
class _Registry:
    """A registry-like file's valid items by key, and where each item is in the file."""

    items: dict[str, list]
    col: Collector
    position: dict[tuple[str, str], int] = field(default_factory=dict)  # (key, item id) -> list index
    refused: dict[tuple[str, str], int] = field(default_factory=dict)  # (key, id) -> line, of items left out

    def problem(self, key: str, item_id: str, name: str | None, message: str, fix: str = "") -> Problem:
        """A problem at the line of an item's field (``name``), or of the item itself."""
        at = (key, self.position[(key, item_id)]) + ((name,) if name else ())
        return Problem(self.col.file, line_of(self.col.index, at), format_path(at), message, fix)


def _load_registry(path: Path, item_models: dict[str, type[BaseModel]],
                   problems: list[Problem], shown: str, optional: tuple[str, ...] = ()) -> _Registry | None:
    """Validate a registry-like file (lists of items with ids) item by item: one bad entry
    loses only itself. None when the file cannot be used at all: unreadable, not a mapping, or a
    required list missing (then no value can be checked against it: one error, not one per
    value). A key in ``optional`` may be left out (an empty list)."""
    read = _read(path, problems, shown)
    if read is None:
        return None
    data, col = read
    out = _Registry({key: [] for key in item_models}, col)
    if not isinstance(data, dict):
        col.add((), f"expected a mapping with {', '.join(item_models)}, got {_shape(data)}",
                f"start the file with '{next(iter(item_models))}:' and list the entries under it")
        problems.extend(col.problems)
        return None
    for key in data:
        if key not in item_models:
            col.add((key,), "unknown field", f"expected only {', '.join(item_models)}")
    usable = True
    for key, model in item_models.items():
        raw_items = data.get(key, [] if key in optional else None)
        if not isinstance(raw_items, list):
            col.add((key,), f"expected a list under '{key}:', got {_shape(raw_items)}",
                    "each entry starts with '- id: ...'")
            usable = usable and key in optional
            continue
        first: dict[str, int] = {}
        for i, raw in enumerate(raw_items):
            item = col.validate(model, raw, (key, i))
            if item is None:
                if isinstance(raw, dict) and isinstance(raw.get("id"), str):
                    out.refused.setdefault((key, raw["id"]), line_of(col.index, (key, i)))
                continue
            if item.id in first:
                col.add((key, i, "id"), f"duplicate id '{item.id}' (first at line {first[item.id]})",
                        "give it a new id or merge the two entries")
                continue
            first[item.id] = line_of(col.index, (key, i))
            out.position[(key, item.id)] = i
            out.items[key].append(item)
    problems.extend(col.problems)
    return out if usable else None


def _shape(value: Any) -> str:
    """What a YAML value is, in words: 'a list', 'a number', 'nothing'."""
    return {dict: "a mapping", list: "a list", str: "text", bool: "true/false", int: "a number",
            float: "a number", type(None): "nothing"}.get(type(value), type(value).__name__)


def _load_entity(path: Path, shown: str, sources: dict[str, Source], metrics: dict[str, Metric],
                 bounds: dict[str, float], problems: list[Problem],
                 scopes: dict[str, Scope] | None = None, whole: frozenset[str] = frozenset(),
                 withdrawn: dict[str, str] | None = None) -> LoadedEntity | None:
    read = _read(path, problems, shown)
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
        col.add(("id",), f"id {brief(header.id)} does not match the file name '{printable(path.name)}'",
                f"rename the file to {header.id}.yaml or fix the id")
        header = None
    entity = LoadedEntity(header, col.file) if header is not None else None
    newest = last_year()  # NOTE: once per file, not once per series point (60,000 calls)

    def check_refs(raw: Any, where: tuple) -> bool:
        ok = True
        for attr in ("source", "via"):
            ref = raw.get(attr) if isinstance(raw, dict) else None
            if isinstance(ref, str) and ref not in sources:
                col.add(where + (attr,), f"unknown source {brief(ref)}", "add it to data/sources.yaml or fix the id")
                ok = False
            elif attr == "source" and isinstance(ref, str) and sources[ref].kind == "secondary":
                col.add(where + (attr,), f"'{ref}' is a report quoting others (kind: secondary), not the "
                        "publisher of the figure",
                        f"cite the publisher the page names as source and put via: {ref}; if the page "
                        "names none, make its registry entry kind: primary, tier: aggregator")
                ok = False
        return ok

    def check_scope(raw: Any, where: tuple) -> bool:
        words = raw.get("scope") if isinstance(raw, dict) else None
        if not isinstance(words, list):
            return True  # NOTE: a scope that is not a list is the model's error, reported there
        ok, seen = True, set()
        for j, word in enumerate(words):
            if not isinstance(word, str):
                continue
            if word not in (scopes or {}):
                known = ", ".join(sorted(scopes or {})) or "none listed"
                col.add(where + ("scope", j), f"unknown scope {brief(word)}",
                        f"use a word listed under scopes: in data/metrics.yaml ({known}), or add it there")
                ok = False
            elif word in seen:
                col.add(where + ("scope", j), f"scope {brief(word)} is given twice", "remove the repeat")
                ok = False
            seen.add(word)
        return ok

    def check_bound(metric_id: str, where: tuple, numbers: dict) -> bool:
        limit, unit = bounds[metric_id], metrics[metric_id].unit
        for name, x in numbers.items():
            if x is not None and x > limit:
                shown_x = f"{x:,.0f}" if x < 1e15 else f"{x:.3g}"  # NOTE: 1e40, not 40 digits of float noise
                col.add(where + (name,), f"{shown_x} {unit} is above the plausible maximum of {limit:,.0f} "
                        f"for {metric_id}", "check the number and its unit (data/metrics.yaml lists the maxima)")
                return False
            if x is not None and metric_id in whole and not float(x).is_integer():
                col.add(where + (name,), f"{x:,} {unit} is not a whole number: {metric_id} is a count",
                        "write the count the source prints (a figure in thousands as the full number); "
                        "units counted whole are marked whole: true in data/metrics.yaml")
                return False
        return True

    for section, model in (("observations", Value), ("series", Series)):
        for family, metric, items, where in _walk_section(data.get(section), section, col):
            metric_id = f"{family}.{metric}"
            if metric_id in (withdrawn or {}):
                col.add(where, f"metric {brief(metric_id)} is left out of the catalogue for a problem of its own "
                        f"({withdrawn[metric_id]})", "fix the catalogue first; these values load once it is fixed")
                continue
            if metric_id not in metrics:
                col.add(where, f"unknown metric {brief(metric_id)}", "add it to data/metrics.yaml or fix the name")
                continue
            for i, raw in enumerate(items):
                refs_ok = check_refs(raw, where + (i,))
                refs_ok = check_scope(raw, where + (i,)) and refs_ok
                item = col.validate(model, raw, where + (i,))
                if item is None:
                    continue
                if model is Value:
                    ok = check_bound(metric_id, where + (i,), {"value": item.value, "low": item.low, "high": item.high})
                    if ok and refs_ok and entity is not None:
                        entity.values.append((metric_id, item, line_of(col.index, where + (i,))))
                    continue
                years, ok = {}, True
                for year, point in item.values.items():
                    at = where + (i, "values", year)
                    if not FIRST_YEAR <= year <= newest:
                        col.add(at, f"year {year} is outside {FIRST_YEAR}–{newest}", "fix the year")
                        ok = False
                    number = point if isinstance(point, (int, float)) else point.value
                    ok = check_bound(metric_id, at[:-1], {year: number}) and ok
                    years[year] = line_of(col.index, at)
                if ok and refs_ok and entity is not None:
                    entity.series.append((metric_id, item, years))
    problems.extend(col.problems)
    return entity


def _walk_section(section: Any, name: str, col: Collector):
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
    """The entity files to read: every ``*.yaml`` in ``forces/`` (see ``stray_files``)."""
    return sorted(p for p in (data_dir / "forces").glob("*.yaml") if not p.is_dir())  # a folder is a stray


def stray_files(data_dir: Path) -> list[Path]:
    """Entries of ``forces/`` that are not ``*.yaml`` files: never skipped silently."""
    folder = data_dir / "forces"
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if not p.name.endswith(".yaml") or p.is_dir())


def shown_path(path: Path, data_dir: Path) -> str:
    """How a data file is named in messages: relative to the working directory when it lies
    below it (``data/forces/PAK.yaml``, clickable in a terminal), else relative to the data
    folder (``forces/PAK.yaml``), so no server path ever reaches a visitor."""
    for base in (Path.cwd(), data_dir):
        try:
            return printable(str(Path(os.path.abspath(path)).relative_to(os.path.abspath(base))))
        except ValueError:
            continue
    return display_path(path)


def load_dataset(data_dir: Path | None = None, paths: list[Path] | None = None) -> Dataset:
    """Load the registry, the catalogue and the entity files (all of them, or ``paths``).

    Never raises for bad data: every problem is collected, located and left out. A whole data
    directory is read through the compiled cache (forcedata/cache.py): when no byte of any data
    file, no line of forcedata's code and nothing else validation depends on has changed since the
    last load, the validated Dataset is read back instead of being built again. ``version`` is the
    data's fingerprint (forcedata/fingerprint.py).

    Args:
        data_dir: the folder holding sources.yaml, metrics.yaml and forces/ (default:
            ``data_dir_from_env()``).
        paths: entity files to load instead of every file in ``data_dir/forces``.

    Returns:
        The Dataset; ``problems`` lists everything wrong, and what was wrong is left out.
    """
    data_dir = Path(data_dir) if data_dir else data_dir_from_env()  # NOTE: a str works too
    with _no_cyclic_gc():
        if paths is not None:
            return _load_dataset(data_dir, paths)

        fingerprint = data_fingerprint(data_dir)
        key = cache.cache_key(data_dir, fingerprint)
        cached = cache.read(data_dir, key)
        if cached is not None:
            return cached
        ds = _load_dataset(data_dir, None)
        if data_fingerprint(data_dir) == fingerprint:  # NOTE: no file changed while it was read
            cache.write(data_dir, key, ds)
        return ds


@contextlib.contextmanager
def _no_cyclic_gc():
    """Python's cycle collector paused while a load builds its million objects (none of them in
    a cycle): it would scan them again and again, a quarter of an uncached load and more at 10x
    the data. Reference counting still frees everything; the collector is restored afterwards."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _load_dataset(data_dir: Path, paths: list[Path] | None) -> Dataset:
    problems: list[Problem] = []
    registry = _load_registry(data_dir / "sources.yaml", {"sources": Source}, problems,
                              shown_path(data_dir / "sources.yaml", data_dir))
    catalogue_file = shown_path(data_dir / "metrics.yaml", data_dir)
    catalogue = _load_registry(data_dir / "metrics.yaml",
                               {"families": Family, "units": Unit, "scopes": Scope, "metrics": Metric},
                               problems, catalogue_file, optional=("scopes",))
    sources = {s.id: s for s in registry.items["sources"]} if registry else {}
    listed = catalogue.items if catalogue else {"families": [], "units": [], "scopes": [], "metrics": []}
    scopes = {s.id: s for s in listed["scopes"]}
    families = {f.id: f for f in listed["families"]}
    units = {u.id: u for u in listed["units"]}
    metrics = {m.id: m for m in listed["metrics"]}
    # NOTE: a metric left out of the catalogue is named as such in the entity files that use it
    # (with where its problem is), not as an unknown metric
    withdrawn = {mid: f"{catalogue_file}:{line}" for (key, mid), line in catalogue.refused.items()
                 if key == "metrics"} if catalogue else {}
    if catalogue:
        for metric_id, problem in catalogue_problems(catalogue, families, units, metrics):
            problems.append(problem)
            del metrics[metric_id]
            withdrawn[metric_id] = f"{problem.file}:{problem.line}"
    for listing, key, what in ((registry, "sources", sources), (catalogue, "metrics", metrics)):
        if listing is not None and not what and not any(p.file == listing.col.file for p in problems):
            problems.append(Problem(listing.col.file, line_of(listing.col.index, (key,)), key,
                                    f"lists no {key}", f"add the {key} the entity files cite"))
    bounds = {m.id: min(units[m.unit].max, m.max or float("inf")) for m in metrics.values()}
    whole = frozenset(m.id for m in metrics.values() if units[m.unit].whole)
    files = paths if paths is not None else entity_files(data_dir)
    if paths is None:
        for stray in stray_files(data_dir):
            fix = (f"rename it to {printable(stray.stem)}.yaml" if stray.suffix in (".yml", ".YAML", ".Yaml")
                   else "move it out of the data folder")
            problems.append(Problem(shown_path(stray, data_dir), 1, "",
                                    "is not read: only *.yaml files in forces/ are data files", fix))
    entities: dict[str, LoadedEntity] = {}
    if not sources or not metrics:
        # NOTE: without the registry or the catalogue no value can be checked: one clear error
        # (already reported) instead of one follow-on error per value.
        files_read: list[Path] = []
    else:
        files_read = list(files)
    for path in files_read:
        shown = shown_path(Path(path), data_dir)
        try:
            entity = _load_entity(Path(path), shown, sources, metrics, bounds, problems, scopes, whole, withdrawn)
        except Exception as err:  # NOTE: one file can never take the rest down
            log.exception("unexpected error while loading %s", path)
            problems.append(Problem(shown, 1, "", f"could not be read ({type(err).__name__}); the file is "
                                    "left out", "run `python -m forcedata validate` and report the problem"))
            continue
        if entity is not None:
            entities[entity.header.id] = entity
    frame = build_frame(entities.values(), sources, metrics, families, scopes)
    return Dataset(sources, families, metrics, entities, frame, problems,
                   [shown_path(Path(p), data_dir) for p in files], data_fingerprint(data_dir, paths).version, scopes)


def catalogue_problems(catalogue: _Registry, families: dict, units: dict, metrics: dict
                       ) -> list[tuple[str, Problem]]:
    """What is wrong between the catalogue's parts, each at the line of the field to fix: a
    metric's unknown family or unit, a ``part_of`` naming an unknown metric, itself, or a cycle
    (coverage would count a metric toward the wrong field). (metric id, problem) pairs: each
    metric named is to be left out."""
    out = []
    for m in metrics.values():
        problem = None
        # NOTE: a family or unit refused for its own problem: said once per metric, pointing there
        left_out = [(what, name, catalogue.refused[(key, name)]) for what, key, name
                    in (("family", "families", m.family), ("unit", "units", m.unit)) if (key, name) in catalogue.refused]
        if left_out:
            what, name, line = left_out[0]
            problem = catalogue.problem("metrics", m.id, what, f"its {what} {brief(name)} is left out for a problem "
                                        f"of its own ({catalogue.col.file}:{line})", f"fix the {what} first")
        elif m.family not in families:
            problem = catalogue.problem("metrics", m.id, "family", f"unknown family {brief(m.family)}",
                                        "add it under families:, or fix the spelling")
        elif m.unit not in units:
            problem = catalogue.problem("metrics", m.id, "unit", f"unknown unit {brief(m.unit)}",
                                        "add it under units: with its plausible maximum, or fix the spelling")
        elif m.part_of is not None and m.part_of not in metrics:
            problem = catalogue.problem("metrics", m.id, "part_of", f"names unknown metric {brief(m.part_of)}",
                                        "use the id of the wider metric this one is a subset of")
        elif m.part_of == m.id:
            problem = catalogue.problem("metrics", m.id, "part_of", "names the metric itself",
                                        "use the id of the wider metric, or remove part_of")
        elif m.part_of is not None:
            chain, at = [m.id], m.part_of
            while at in metrics and at not in chain:
                chain.append(at)
                at = metrics[at].part_of
            if at == m.id:
                loop = " → ".join([*chain, m.id])
                problem = catalogue.problem("metrics", m.id, "part_of", f"goes round in a circle: {loop}",
                                            "a metric is part of a wider one, never of itself: remove one "
                                            "part_of of the circle")
        if problem is not None:
            out.append((m.id, problem))
    return out
