"""Importer for the CIA World Factbook population summary CSV (column population_total_text).

Writes observations.context.population citing the registry's edition of the Factbook's
population field (database "cia-wfb-population"), one value per state
that already has an entity file (population alone does not start a new entity). The text reads
"257,047,044 (2025 est.)":
  "NUMBER (YYYY est.)"   value NUMBER, as_of YYYY, qualifier estimate
  "NUMBER (YYYY)"        value NUMBER, as_of YYYY, qualifier exact (the Factbook does not say
                         "est.": the figure is recorded as printed)
Anything else ("uninhabited", "no permanent inhabitants", an empty field) is listed in the report
and never guessed. The text read is stored in ``quote``.

GEC codes map to entity ids through factbook.GEC_TO_ID (the same table as the military
section); dependencies and other non-state areas are listed in NOT_STATES and left out. A code
in neither table stops the import: it must be added to one of them, never guessed.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

from forcedata.importers.countries import entity_id_for
from forcedata.importers.factbook import GEC_TO_ID
from forcedata.importers.writer import ImportRejected, ImportResult, read_csv

DATABASE = "cia-wfb-population"
PRODUCER = "Central Intelligence Agency (CIA)"
METRIC = "context.population"
COLUMNS = ["gec_code", "conventional_short_form", "population_total_text"]
LOCATOR = 'field "Population", total'

# GEC codes of dependencies, territories, oceans and other entries that are not states (no
# entity is written for them). Written out so that a new code is an error, not a silent skip.
NOT_STATES = set("""
sh wi ay bv fs hm aq at ck cq cr cw fp gq kt nc ne nf pc tl um wf wq aa av bq cj mh nn rn rq tb
tk uc vi vq hk mc pf pg ax dx fo gi gk im je jn sv categories bd gl ip sb oo xo xq zh zn fk sx io
""".split())

TEXT = re.compile(r"^(?P<num>\d{1,3}(?:,\d{3})*|\d+)\s+\((?P<year>\d{4})(?P<est>\s+est\.)?\)$")


def parse_population(text: str) -> tuple[dict | None, str]:
    """One population_total_text -> value fields (value, qualifier, as_of), or (None, reason)."""
    text = " ".join(text.split())
    if not text:
        return None, "no population figure"
    m = TEXT.match(text)
    if not m:
        return None, "not a figure with its year in brackets"
    return {"value": int(m["num"].replace(",", "")),
            "qualifier": "estimate" if m["est"] else "exact",
            "as_of": int(m["year"])}, ""


def read(path: Path, existing: dict | None = None) -> ImportResult:
    rows = read_csv(path, COLUMNS, "the Factbook population summary")
    existing = existing or {}
    items: dict[str, list[tuple[str, dict]]] = {}
    skipped: list[str] = []
    unmapped: list[str] = []
    for row in rows:
        code = (row["gec_code"] or "").strip()
        name = html.unescape((row["conventional_short_form"] or "").strip())
        text = (row["population_total_text"] or "").strip()
        if code in NOT_STATES:
            continue
        if code not in GEC_TO_ID:
            unmapped.append(f"{code} ({name or 'no name'})")
            continue
        eid = GEC_TO_ID[code]
        by_name = entity_id_for(name) if name and name != "none" else None
        if eid and by_name and by_name != eid:
            raise ImportRejected(f"GEC code {code!r} maps to {eid} but its country {name!r} is "
                                 f"{by_name}; fix GEC_TO_ID in forcedata/importers/factbook.py")
        if eid is None:
            skipped.append(f"{code} {name or '(no name)'}: not a state")
            continue
        fields, reason = parse_population(text)
        if fields is None:
            skipped.append(f"{eid} ({code}): {reason}: {text[:80]!r}")
            continue
        if existing and eid not in existing:
            skipped.append(f"{eid} ({code}): no entity file (population alone does not start one)")
            continue
        if eid in items:
            raise ImportRejected(f"{eid} appears twice in {path} (GEC {code!r})")
        items[eid] = [(METRIC, {**fields, "locator": LOCATOR, "quote": text})]
    if unmapped:
        raise ImportRejected("GEC codes in neither GEC_TO_ID (states) nor NOT_STATES: "
                             f"{', '.join(unmapped)}; add each to one of them")
    if not items:
        raise ImportRejected(f"{path}: no population figure could be read")
    return ImportResult("observations", [METRIC], items, skipped, create_missing=False)
