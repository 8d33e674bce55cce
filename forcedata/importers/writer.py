"""Shared writer for the importers: puts one source's values into the entity files.

An importer owns exactly the items that cite its source id (series blocks, or observation
values) under the metrics it imports, and nothing else. The writer replaces those items in
place with ruamel.yaml's round-trip mode, so comments, key order, quoting and every other
value in the file stay as they were. A file whose owned items already equal the import is not
touched at all, so a second run on the same input changes no byte.

Before anything is written, every new or changed file is validated (from a temporary copy);
if a problem is found nothing is written.
"""

from __future__ import annotations

import csv

import io
import tempfile
from dataclasses import dataclass, field, replace
from decimal import Decimal
from pathlib import Path
from typing import Any, Iterable

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import FoldedScalarString

from forcedata.display import stored_label, value_label
from forcedata.importers.countries import display_name
from forcedata.load import load_dataset
from forcedata.yamlio import YamlFileError, load_yaml

HEADER = """\
# yaml-language-server: $schema=../../schema/entity.schema.json
#
# Force data for one country or actor. Every value cites a source in data/sources.yaml.
# The fields are explained in data/forces/PAK.yaml and in the README ("Data model").
# Attribution: a value's source is the publisher whose figure it is only when the page read
# names it (then that page is the via); a page that names no source is itself the source
# (tier: aggregator), however well its numbers match IISS. See data/sources.yaml's header.
# Values citing an edition that `python -m forcedata import` reads (SIPRI, CIA World Factbook,
# Correlates of War: see MAINTAINING.md) are rewritten by it: add your own values beside them.
"""

# Key order for items the writer creates (existing items keep their own order).
VALUE_KEYS = ["value", "low", "high", "qualifier", "status", "condition", "uncertain", "as_of",
              "source", "via", "locator", "quote", "caption", "note"]
SERIES_KEYS = ["source", "via", "qualifier", "locator", "note", "values"]
FOLD_AT = 88  # long texts are written as folded (>-) blocks, wrapped near this column


class ImportRejected(Exception):
    """The input is not what the importer expects (or cannot be mapped): nothing is written."""


class UnknownNames(ImportRejected):
    """Country names in a release that map to no entity id (``names``: name -> where it was read);
    ``found`` holds the ids the release's other names gave and ``metrics`` what the importer
    writes, for the hint of which alias to add (editions.alias_hint)."""

    def __init__(self, message: str, names: dict[str, str], found: set[str], section: str, metrics: list[str]):
        super().__init__(message)
        self.names, self.found, self.section, self.metrics = names, found, section, metrics


def read_csv(path: Path, columns: list[str], expected: str) -> list[dict]:
    """Rows of a UTF-8 CSV release file that must have ``columns``; ImportRejected otherwise.

    Args:
        expected: what the file should be, for the message ("the COW NMC abridged file").
    """
    try:
        with open(path, newline="", encoding="utf-8-sig") as fh:
            reader = csv.DictReader(fh)
            header = reader.fieldnames or []
            rows = list(reader)
    except (OSError, UnicodeDecodeError) as err:
        raise ImportRejected(f"{path}: cannot read as a UTF-8 CSV file ({err})") from None
    missing = [c for c in columns if c not in header]
    if missing:
        raise ImportRejected(f"{path}: missing column(s) {', '.join(missing)}; expected {expected} "
                             f"with {', '.join(columns)} (got: {', '.join(header) or 'nothing'})")
    return rows

@dataclass
class ImportResult:
    """What an importer read: the items it owns, per entity, and what it left out.

    ``items`` maps an entity id to a list of (metric id, item): a series block (a dict with
    locator, note, values) when ``section`` is "series", else an observation value. An importer
    reads a release, not an edition: its items carry no source until ``cite`` gives them the
    registry's edition (forcedata/importers/editions.py picks it).
    """

    section: str  # "series" | "observations"
    metrics: list[str]
    items: dict[str, list[tuple[str, dict]]]
    skipped: list[str] = field(default_factory=list)
    create_missing: bool = True
    stated_edition: str | None = None  # what the release says it is, where it says (see editions.py)
    source: str = ""  # the edition cited, once ``cite`` has run
    via: str | None = None
    supersedes: tuple[str, ...] = ()  # earlier editions whose items this import replaces

    def cite(self, source: str, via: str | None = None, supersedes: Iterable[str] = ()) -> ImportResult:
        """The same import with every item citing ``source`` (and ``via``), the fields put where
        the hand-written files have them; items citing a ``supersedes`` edition are replaced too."""
        order = VALUE_KEYS if self.section == "observations" else SERIES_KEYS
        cited = {"source": source, **({"via": via} if via else {})}
        items = {eid: [(metric, _with_fields(item, cited, order)) for metric, item in lst]
                 for eid, lst in self.items.items()}
        return replace(self, items=items, source=source, via=via, supersedes=tuple(supersedes))

    @property
    def owned(self) -> set[str]:
        """The source ids whose items under ``metrics`` this import owns."""
        return {self.source, *self.supersedes}


def _with_fields(item: dict, extra: dict, order: list[str]) -> dict:
    """``item`` with ``extra``'s keys inserted where ``order`` puts them."""
    rank = {k: i for i, k in enumerate(order)}
    pending = sorted(extra, key=lambda k: rank[k])
    out: dict = {}
    for key, value in item.items():
        if key in extra:
            raise ValueError(f"an importer's item already has {key!r}")
        while pending and rank[pending[0]] < rank.get(key, len(order)):
            k = pending.pop(0)
            out[k] = extra[k]
        out[key] = value
    for k in pending:
        out[k] = extra[k]
    return out


@dataclass
class EntityChange:
    entity: str
    file: Path
    created: bool
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    fields: list[str] = field(default_factory=list)  # provenance fields updated (locator, note)
    text: str = ""


# --- YAML round trip ---------------------------------------------------------------------------


def _represent_float(representer, data: float):
    """Floats in plain decimal notation: PyYAML (the loader) reads 1e-05 as text, not a number."""
    text = format(Decimal(repr(data)), "f")
    if "." not in text:
        text += ".0"
    return representer.represent_scalar("tag:yaml.org,2002:float", text)


def make_yaml() -> YAML:
    """A round-trip YAML instance set up like the hand-written files (2-space maps, '- ' lists)."""
    y = YAML()
    y.preserve_quotes = True
    y.indent(mapping=2, sequence=4, offset=2)
    y.width = 4096
    y.representer.add_representer(float, _represent_float)
    return y


def dump(y: YAML, doc: Any) -> str:
    out = io.StringIO()
    y.dump(doc, out)
    return out.getvalue()


def plain(node: Any) -> Any:
    """A ruamel node as plain Python data (for comparisons)."""
    if isinstance(node, dict):
        return {k: plain(v) for k, v in node.items()}
    if isinstance(node, list):
        return [plain(v) for v in node]
    if isinstance(node, bool) or node is None:
        return node
    if isinstance(node, int):
        return int(node)
    if isinstance(node, float):
        return float(node)
    if isinstance(node, str):
        return str(node)
    return node


def text_scalar(text: str, indent: int) -> str:
    """Long text as a folded block wrapped near FOLD_AT columns; short text as it is.

    NOTE: a fold is only placed at a single space between two words, so reading the block
    back gives exactly the original text (double spaces in a source's text survive).
    """
    width = FOLD_AT - indent
    if len(text) <= width or "\n" in text or text != text.strip():
        return text
    folds, line_start = [], 0
    last_ok = None
    for i, ch in enumerate(text):
        if ch == " " and 0 < i < len(text) - 1 and text[i - 1] != " " and text[i + 1] != " ":
            if i - line_start > width and last_ok is not None:
                folds.append(last_ok)
                line_start = last_ok + 1
            last_ok = i
    if len(text) - line_start > width and last_ok is not None and last_ok > line_start:
        folds.append(last_ok)
    if not folds:
        return text
    s = FoldedScalarString(text)
    s.fold_pos = folds
    return s


def to_node(value: Any, indent: int, flow: bool = False) -> Any:
    """Plain data -> ruamel node: long strings folded; the points of a series' ``values``
    (year -> {status: not_known}) in flow style, with their strings left plain."""
    if isinstance(value, dict):
        m = CommentedMap()
        for k, v in value.items():
            m[k] = to_node(v, indent + 2, flow=flow or k == "values")
        if flow and indent >= 0:
            for v in m.values():
                if isinstance(v, CommentedMap):
                    v.fa.set_flow_style()
        return m
    if isinstance(value, list):
        seq = CommentedSeq()
        seq.extend(to_node(v, indent + 4, flow) for v in value)
        return seq
    if isinstance(value, str) and not flow:
        return text_scalar(value, indent)
    return value


def number(x: float) -> int | float:
    """An integral float as int (278.0 -> 278), so files read '278' as the source prints it."""
    return int(x) if float(x).is_integer() else x


def round_sig(x: float, digits: int) -> int | float:
    """x rounded to ``digits`` significant digits (the importers' documented storage rule)."""
    return number(float(f"{x:.{digits}g}"))


# --- applying an import to one file ------------------------------------------------------------


def _insert_key(m: CommentedMap, key: str, value: Any, order: list[str]) -> None:
    """Insert ``key`` after the last existing key that precedes it in ``order``."""
    pos = 0
    rank = order.index(key) if key in order else len(order)
    for i, k in enumerate(m):
        if (order.index(k) if k in order else len(order)) <= rank:
            pos = i + 1
    m.insert(pos, key, value)


def _describe(value: Any) -> str:
    """A YAML value or series point as the presentation module writes it (every digit kept)."""
    v = plain(value)
    if isinstance(v, dict):
        return stored_label(v)
    return value_label({"value": v}, exact=True) if isinstance(v, (int, float)) else str(v)


def _update_map(m: CommentedMap, new: dict, order: list[str], indent: int, change: EntityChange,
                label: str, series_values: bool = False) -> None:
    for key in [k for k in m if k not in new]:
        if series_values:
            change.removed.append(f"{label} {key}: {_describe(m[key])}")
        del m[key]
    if series_values:
        # years in ascending order; new years slot in where they belong
        for year, val in new.items():
            if year in m:
                if plain(m[year]) != val:
                    change.changed.append(f"{label} {year}: {_describe(m[year])} -> {_describe(val)}")
                    m[year] = _flow(to_node(val, indent, flow=True))
                continue
            pos = sum(1 for k in m if isinstance(k, int) and k < year)
            m.insert(pos, year, _flow(to_node(val, indent, flow=True)))
            change.added.append(f"{label} {year}: {_describe(val)}")
        return
    for key, val in new.items():
        if key not in m:
            _insert_key(m, key, to_node(val, indent + 2), order)
        elif key == "values" and isinstance(val, dict):
            _update_map(m[key], val, [], indent + 2, change, label, series_values=True)
        elif plain(m[key]) != val:
            if not series_values and "source" in m and "values" in m:
                was = f" (was {plain(m[key])})" if key in ("source", "via") else ""
                change.fields.append(f"{label}: {key} {'now ' + str(val) + was if was else 'updated'}")
            m[key] = to_node(val, indent + 2)


def _flow(node: Any) -> Any:
    if isinstance(node, CommentedMap):
        node.fa.set_flow_style()
    return node


def _section_insert(doc: CommentedMap, section: str) -> CommentedMap:
    if section not in doc:
        pos = len(doc)
        if section == "observations" and "series" in doc:
            pos = list(doc).index("series")
        doc.insert(pos, section, CommentedMap())
    elif doc[section] is None:
        doc[section] = CommentedMap()
    return doc[section]


def apply_items(doc: CommentedMap, result: ImportResult, items: list[tuple[str, dict]],
                change: EntityChange) -> None:
    """Make the items citing ``result.source`` under ``result.metrics`` equal ``items``."""
    wanted: dict[str, list[dict]] = {}
    for metric, item in items:
        wanted.setdefault(metric, []).append(item)
    section = doc.get(result.section)
    for metric in result.metrics:
        family, name = metric.split(".")
        desired = wanted.get(metric, [])
        lst = None
        if isinstance(section, dict) and isinstance(section.get(family), dict):
            lst = section[family].get(name)
        owned = [i for i, it in enumerate(lst or []) if isinstance(it, dict) and it.get("source") in result.owned]
        if not owned and not desired:
            continue
        if lst is None:
            section = _section_insert(doc, result.section)
            if not isinstance(section.get(family), dict):
                section[family] = CommentedMap()
            section[family][name] = lst = CommentedSeq()
        indent = 6  # section > family > metric > "- "
        for i, item in zip(owned, desired):
            label = _label(metric, item, result.section)
            if result.section == "observations":
                old = plain(lst[i])
                if old != item:
                    change.changed.append(f"{label}: {_describe(old)} -> {_describe(item)}")
                _update_map(lst[i], item, VALUE_KEYS, indent, change, label)
            else:
                _update_map(lst[i], item, SERIES_KEYS, indent, change, label)
        for i in reversed(owned[len(desired):]):
            gone = plain(lst[i])
            label = _label(metric, gone, result.section)
            if result.section == "observations":
                change.removed.append(f"{label}: {_describe(gone)}")
            else:
                change.removed.extend(f"{label} {y}: {_describe(v)}" for y, v in gone.get("values", {}).items())
            del lst[i]
        for item in desired[len(owned):]:
            label = _label(metric, item, result.section)
            if result.section == "observations":
                change.added.append(f"{label}: {_describe(item)}")
            else:
                change.added.extend(f"{label} {y}: {_describe(v)}" for y, v in item["values"].items())
            lst.append(to_node(item, indent + 2))
        if not lst:
            del section[family][name]
            if not section[family]:
                del section[family]


def _label(metric: str, item: dict, section: str) -> str:
    return f"{metric} {item.get('as_of')}" if section == "observations" else metric


# --- whole import ------------------------------------------------------------------------------


def new_entity_text(entity_id: str, name: str | None = None, kind: str = "state",
                    empty_sections: bool = False) -> str:
    """The text of a new entity file: the explanatory header, id, name, kind."""
    y = make_yaml()
    body = CommentedMap(id=entity_id, name=name or display_name(entity_id), kind=kind)
    if empty_sections:
        body["observations"] = CommentedMap()
        body["series"] = CommentedMap()
    return HEADER + dump(y, body)


def existing_entities(data_dir: Path) -> dict[str, dict]:
    """id -> {"kind": ..., "text": raw text} for every readable entity file (fast loader)."""
    out = {}
    for path in sorted((data_dir / "forces").glob("*.yaml")):
        try:
            data, _ = load_yaml(path)
        except YamlFileError:
            continue
        if isinstance(data, dict):
            out[path.stem] = {"kind": data.get("kind"), "data": data}
    return out


def _owned_equal(data: dict, result: ImportResult, items: list[tuple[str, dict]]) -> bool:
    """Do the file's owned items already equal the import? (plain-data check, no ruamel)."""
    have: list[tuple[str, Any]] = []
    section = data.get(result.section) or {}
    for metric in result.metrics:
        family, name = metric.split(".")
        lst = (section.get(family) or {}).get(name) if isinstance(section, dict) else None
        for it in lst or []:
            if isinstance(it, dict) and it.get("source") in result.owned:
                have.append((metric, _normalise(it)))
    want = [(m, _normalise(it)) for m, it in items]
    order = {m: i for i, m in enumerate(result.metrics)}
    want.sort(key=lambda p: order[p[0]])
    return have == want


def _normalise(item: Any) -> Any:
    if isinstance(item, dict):
        return {str(k) if k != "values" else k: _normalise(v) for k, v in item.items()}
    if isinstance(item, float) and item.is_integer():
        return int(item)
    return item


MAX_DROPPED_SHARE = 0.1  # NOTE: a release that silently loses more entities than this looks truncated


def run_import(result: ImportResult, data_dir: Path, dry_run: bool = False,
               existing: dict[str, dict] | None = None,
               allow_removals: bool = False) -> tuple[list[EntityChange], list[str]]:
    """Apply ``result`` to ``data_dir/forces``; return the changes and any validation problems.

    Values of the source that the new release no longer has are removed and reported. Nothing
    is written when ``dry_run`` is set, when validation of the result finds a problem, or (unless
    ``allow_removals``) when the release drops every value of more than a tenth of the entities
    that cite the source today: a truncated or altered file is refused whole.

    Raises:
        ImportRejected: the release looks truncated (see above).
    """
    forces = data_dir / "forces"
    existing = existing_entities(data_dir) if existing is None else existing
    # NOTE: the entities holding an item this import owns: it replaces or removes those items
    citing = {eid for eid, info in existing.items() if cites_any(info["data"], result.section, result.metrics, result.owned)}
    dropped = sorted(citing - set(result.items))
    if not allow_removals and len(dropped) > max(2, MAX_DROPPED_SHARE * len(citing)):
        raise ImportRejected(
            f"the release has no values for {len(dropped)} of the {len(citing)} entities that cite "
            f"{' or '.join(repr(s) for s in sorted(result.owned))} today ({', '.join(dropped[:8])}{' …' if len(dropped) > 8 else ''}); the file "
            "looks truncated or altered. Check it, or pass --allow-removals if the release really drops them")
    targets = set(result.items) | citing
    y = make_yaml()
    changes: list[EntityChange] = []
    for eid in sorted(targets):
        items = result.items.get(eid, [])
        path = forces / f"{eid}.yaml"
        if eid in existing:
            if _owned_equal(existing[eid]["data"], result, items):
                continue
            original = path.read_text(encoding="utf-8")
        elif not result.create_missing:
            continue
        else:
            original = None
        text = original if original is not None else new_entity_text(eid)
        doc = y.load(text)
        change = EntityChange(eid, path, created=original is None)
        apply_items(doc, result, items, change)
        change.text = dump(y, doc)
        if change.text != original:
            changes.append(change)
    problems = _validate(changes, data_dir)
    if not dry_run and not problems:
        forces.mkdir(parents=True, exist_ok=True)
        for change in changes:
            change.file.write_text(change.text, encoding="utf-8")
    return changes, problems


def cites_any(data: dict, section: str, metrics: Iterable[str], sources: set[str]) -> bool:
    """Does an entity file's ``section`` hold an item citing one of ``sources`` under ``metrics``?"""
    part = data.get(section) or {}
    for metric in metrics:
        family, name = metric.split(".")
        lst = (part.get(family) or {}).get(name) if isinstance(part, dict) and isinstance(part.get(family), dict) else None
        if isinstance(lst, list) and any(isinstance(it, dict) and it.get("source") in sources for it in lst):
            return True
    return False


def _validate(changes: list[EntityChange], data_dir: Path) -> list[str]:
    if not changes:
        return []
    with tempfile.TemporaryDirectory() as tmp:
        paths = []
        for change in changes:
            p = Path(tmp) / change.file.name
            p.write_text(change.text, encoding="utf-8")
            paths.append(p)
        ds = load_dataset(data_dir, paths)
        return [str(p).replace(str(tmp), str(data_dir / "forces")) for p in ds.problems]


def report(changes: Iterable[EntityChange], skipped: list[str], verbose: bool = False) -> str:
    """The change report: per entity, counts of added / changed / removed values, then the
    changed and removed ones in full (added ones too with ``verbose``)."""
    lines = []
    totals = [0, 0, 0]
    changes = list(changes)
    for c in changes:
        totals[0] += len(c.added)
        totals[1] += len(c.changed)
        totals[2] += len(c.removed)
        state = "new file" if c.created else "updated"
        lines.append(f"{c.entity} ({state}): {len(c.added)} added, {len(c.changed)} changed, "
                     f"{len(c.removed)} removed")
        shown = [("+", c.added)] if verbose else []
        for sign, entries in shown + [("~", c.changed), ("-", c.removed), ("*", c.fields)]:
            lines.extend(f"    {sign} {e}" for e in entries)
    created = sum(c.created for c in changes)
    lines.append(f"{len(changes)} file(s) to write ({created} new): {totals[0]} added, "
                 f"{totals[1]} changed, {totals[2]} removed values")
    if skipped:
        lines.append(f"{len(skipped)} item(s) left out:")
        lines.extend(f"    {s}" for s in skipped)
    return "\n".join(lines)
