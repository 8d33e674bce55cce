"""Importer for the SIPRI Yearbook nuclear inventory table (CSV: country, as_of,
total_inventory, qualifier), as transcribed from press coverage of the Yearbook.

Writes observations.nuclear.warheads citing the registry's edition of the Yearbook's nuclear
forces chapter (database "sipri-yb-nuclear"; --source when it holds several), and --via the report
the table was read in, if any:
  - for each listed state: its total inventory, with the CSV's qualifier (estimate) and as_of;
  - for every OTHER existing entity file of kind "state": 0, qualifier exact, caption "not
    nuclear-armed", so that "none" is a sourced fact and not a gap. States that no longer
    exist (USSR, Yugoslavia, ...) get nothing: the Yearbook says nothing about them.
Non-state entities get nothing.

NOTE: the zeros go to the entity files that exist when it runs: run this importer after the
others (which create files), or run it again after them.
"""

from __future__ import annotations

import re
from pathlib import Path

from forcedata.figure import QUALIFIERS
from forcedata.importers.countries import entity_id_for, is_historical
from forcedata.importers.writer import ImportRejected, ImportResult, read_csv

DATABASE = "sipri-yb-nuclear"
PRODUCER = "Stockholm International Peace Research Institute (SIPRI)"
METRIC = "nuclear.warheads"
COLUMNS = ["country", "as_of", "total_inventory", "qualifier"]
INVENTORY_NOTE = "Total inventory, including retired warheads awaiting dismantlement."
NONE_NOTE = "Not among the nine nuclear-armed states the Yearbook lists."


def read(path: Path, existing: dict | None = None) -> ImportResult:
    existing = existing or {}
    rows = read_csv(path, COLUMNS, "a header")
    if not rows:
        raise ImportRejected(f"{path}: no rows below the header")
    items: dict[str, list[tuple[str, dict]]] = {}
    as_ofs = set()
    problems = []
    for n, row in enumerate(rows, start=2):
        eid = entity_id_for(row["country"] or "")
        total = (row["total_inventory"] or "").strip()
        qualifier = (row["qualifier"] or "").strip()
        as_of = (row["as_of"] or "").strip()
        if eid is None:
            problems.append(f"line {n}: country {row['country']!r} maps to no entity id")
        if not re.fullmatch(r"\d+", total):
            problems.append(f"line {n}: total_inventory {total!r} is not a whole number")
        if qualifier not in QUALIFIERS:
            problems.append(f"line {n}: qualifier {qualifier!r} is not one of {', '.join(sorted(QUALIFIERS))}")
        if not re.fullmatch(r"\d{4}(-\d{2})?", as_of):
            problems.append(f"line {n}: as_of {as_of!r} is not YYYY or YYYY-MM")
        if eid in items:
            problems.append(f"line {n}: {eid} is listed twice")
        if problems:
            continue
        as_ofs.add(as_of)
        items[eid] = [(METRIC, {
            "value": int(total), "qualifier": qualifier, "as_of": as_of, "note": INVENTORY_NOTE,
        })]
    if problems:
        raise ImportRejected(f"{path}: " + "; ".join(problems))
    if len(as_ofs) != 1:
        raise ImportRejected(f"{path}: rows give different as_of dates ({', '.join(sorted(as_ofs))}); "
                             "the 'not nuclear-armed' zeros need one date")
    as_of = as_ofs.pop()
    skipped = []
    for eid, info in sorted(existing.items()):
        if eid in items or info.get("kind") != "state":
            continue
        if is_historical(eid):
            skipped.append(f"{eid}: a state that no longer exists; the Yearbook says nothing about it")
            continue
        items[eid] = [(METRIC, {
            "value": 0, "qualifier": "exact", "as_of": as_of, "caption": "not nuclear-armed", "note": NONE_NOTE,
        })]
    return ImportResult("observations", [METRIC], items, skipped)
