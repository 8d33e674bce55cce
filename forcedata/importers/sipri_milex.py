"""Importer for the SIPRI Military Expenditure Database workbook (SIPRI-Milex-data-*.xlsx).

Reads four sheets into yearly series, one block per entity and metric, citing the registry's
edition of the database "sipri-milex" (forcedata/importers/editions.py):

  sheet                   metric                       stored as (NOTE: the rounding rule)
  "Current US$"           spending.milex_usd           US$ m, 7 significant digits
  "Constant (2023) US$"   spending.milex_constant_usd  US$ m, 7 significant digits
  "Share of GDP"          spending.milex_gdp_share     percent = fraction x 100, 10 significant digits
  "Per capita"            spending.milex_per_capita    US$ per person, 7 significant digits

7 significant digits keep every figure at least as precise as SIPRI's own display (0.1 US$ m
for all countries: the largest figure is below 1,000,000) without 15-digit float noise; the
share keeps 10 digits so that value / 100 gives back the workbook's fraction to 1e-10.
Integral results are written as integers.

SIPRI's cell colours and symbols (legend at the top of each sheet):
  black number            the value
  blue number             SIPRI estimate -> {value, qualifier: estimate}
  red number              "highly uncertain data" -> {value, uncertain: true}. The legend does
                          not say a red figure is an estimate, so the qualifier is not changed.
  ". ." / "..."           data unavailable -> {status: not_known}
  "xxx"                   the country did not exist or was not independent in that year:
                          nothing is written for that year (it is not a missing figure).
  empty cell              nothing is written.

Region and subregion header rows (no figures at all) and the "European Union" aggregate are
skipped deliberately. A country name that maps to no entity id stops the import (with the alias
to add, when an entity the earlier edition covered is missing from this one).

The workbook states its edition by its year columns: data up to its newest year (the 2025
release has data for 1949-2024). The registry entry it cites says the same in its edition
("1949-2024 release"). Its series replace those of the earlier editions: SIPRI revises the whole
history with each release.

The block's note carries SIPRI's footnotes for that row (the "Notes" column, looked up in the
"Footnotes" sheet), verbatim.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from forcedata.importers.countries import entity_id_for
from forcedata.importers.writer import ImportRejected, ImportResult, UnknownNames, round_sig

DATABASE = "sipri-milex"
PRODUCER = "Stockholm International Peace Research Institute (SIPRI)"
STATED = "its newest year of data"  # what the workbook says of its edition (edition_matches)

# (sheet name or prefix, metric id, storage rule)
SHEETS = [
    ("Current US$", "spending.milex_usd", "usd"),
    ("Constant (", "spending.milex_constant_usd", "usd"),
    ("Share of GDP", "spending.milex_gdp_share", "share"),
    ("Per capita", "spending.milex_per_capita", "usd"),
]
AGGREGATES = {"European Union"}
BLUE, RED = 12, 10  # SIPRI's indexed font colours
UNAVAILABLE = {". .", "...", ".."}
NOT_INDEPENDENT = "xxx"


def store(x: float, rule: str) -> int | float:
    """The documented storage rule: what a workbook number becomes in the data files."""
    if rule == "share":
        return round_sig(x * 100, 10)
    return round_sig(x, 7)


def _colour(cell: Any) -> int | None:
    color = cell.font.color if cell.font is not None else None
    if color is not None and color.type == "indexed":
        return color.indexed
    return None


def _find_sheet(wb: Any, name: str) -> Any:
    for title in wb.sheetnames:
        if title == name or (name.endswith("(") and title.startswith(name)):
            return wb[title]
    raise ImportRejected(f'the workbook has no sheet "{name}{"...)" if name.endswith("(") else ""}" '
                         f"(sheets: {', '.join(wb.sheetnames)}); is this the SIPRI Milex workbook?")


def _header(ws: Any) -> tuple[int, int | None, dict[int, int]]:
    """Row number of the 'Country' header, the Notes column and column -> year."""
    for row in ws.iter_rows(min_row=1, max_row=20):
        if row[0].value == "Country":
            years = {c.column: c.value for c in row if isinstance(c.value, int) and 1900 < c.value < 2100}
            notes = next((c.column for c in row if c.value == "Notes"), None)
            if not years:
                break
            return row[0].row, notes, years
    raise ImportRejected(f'sheet "{ws.title}": no header row starting with "Country" followed by '
                         "year columns in its first 20 rows; is this the SIPRI Milex workbook?")


def _footnotes(wb: Any) -> dict[str, str]:
    """Footnote symbol or number -> text, from the "Footnotes" sheet (empty if there is none)."""
    if "Footnotes" not in wb.sheetnames:
        return {}
    out = {}
    for row in wb["Footnotes"].iter_rows(values_only=True):
        key = row[0]
        text = next((v for v in row[1:] if isinstance(v, str) and v.strip()), None)
        if key is not None and text and len(str(key)) <= 4:
            out[str(key).strip()] = " ".join(text.split())
    return out


def _note_for(ref: Any, footnotes: dict[str, str]) -> str | None:
    if not isinstance(ref, (str, int)) or not str(ref).strip():
        return None
    ref = str(ref).strip()
    parts = []
    symbols = "".join(ch for ch in ref if not ch.isdigit())
    digits = "".join(ch for ch in ref if ch.isdigit())
    for sym in symbols:
        if sym in footnotes:
            parts.append(f"{sym} {footnotes[sym]}")
    if digits and digits in footnotes:
        parts.append(f"Footnote {digits}: {footnotes[digits]}")
    return "SIPRI notes: " + " ".join(p if p.endswith(".") else p + "." for p in parts) if parts else None


def read(path: Path, existing: dict | None = None) -> ImportResult:
    """Read the workbook into one series block per (entity, metric)."""
    import openpyxl

    try:
        wb = openpyxl.load_workbook(path, read_only=False, data_only=True)
    except Exception as err:  # noqa: BLE001 - openpyxl raises many kinds for a non-workbook
        raise ImportRejected(f"{path}: cannot open as an .xlsx workbook ({err})") from None
    sheets = [(_find_sheet(wb, name), metric, rule) for name, metric, rule in SHEETS]
    footnotes = _footnotes(wb)
    newest = 0
    items: dict[str, list[tuple[str, dict]]] = {}
    unknown: dict[str, str] = {}
    skipped: list[str] = []
    seen: dict[tuple[str, str], str] = {}
    for ws, metric, rule in sheets:
        header_row, notes_col, years = _header(ws)
        newest = max(newest, *years.values())
        for row in ws.iter_rows(min_row=header_row + 1):
            name = row[0].value
            if not isinstance(name, str) or not name.strip():
                continue
            name = name.strip()
            cells = [row[col - 1] for col in years if col - 1 < len(row)]
            if all(c.value in (None, "") for c in cells):
                continue  # a region or subregion header
            if name in AGGREGATES:
                skipped.append(f'{ws.title}: "{name}" (aggregate, not a country)')
                continue
            eid = entity_id_for(name)
            if eid is None:
                unknown[name] = ws.title
                continue
            if (eid, metric) in seen:
                raise ImportRejected(f'sheet "{ws.title}": "{name}" and "{seen[eid, metric]}" both map to '
                                     f"{eid}; fix the alias table in forcedata/importers/countries.py")
            seen[eid, metric] = name
            values: dict[int, Any] = {}
            for col, year in years.items():
                if col - 1 >= len(row):
                    continue
                cell = row[col - 1]
                v = cell.value
                if isinstance(v, bool):
                    v = None
                if isinstance(v, (int, float)):
                    stored = store(float(v), rule)
                    colour = _colour(cell)
                    if colour == BLUE:
                        values[year] = {"value": stored, "qualifier": "estimate"}
                    elif colour == RED:
                        values[year] = {"value": stored, "uncertain": True}
                    else:
                        values[year] = stored
                elif isinstance(v, str) and " ".join(v.split()) in UNAVAILABLE:
                    values[year] = {"status": "not_known"}
                elif isinstance(v, str) and v.strip() == NOT_INDEPENDENT or v is None or v == "":
                    continue
                else:
                    raise ImportRejected(f'sheet "{ws.title}" cell {cell.coordinate}: unexpected content '
                                         f"{v!r} (expected a number, \". .\", \"...\" or \"xxx\")")
            if not values:
                continue
            locator = f'sheet "{ws.title}", row "{name}"'
            ref = row[notes_col - 1].value if notes_col else None
            if isinstance(ref, (str, int)) and str(ref).strip():
                locator += f", notes {str(ref).strip()}"
            block: dict[str, Any] = {"locator": locator}
            note = _note_for(ref, footnotes)
            if note:
                block["note"] = note
            block["values"] = dict(sorted(values.items()))
            items.setdefault(eid, []).append((metric, block))
    if unknown:
        listed = "; ".join(f'"{n}" (sheet "{s}")' for n, s in sorted(unknown.items()))
        raise UnknownNames(f"country names that map to no entity id: {listed}. Add them to ALIASES in "
                           "forcedata/importers/countries.py (or to AGGREGATES in "
                           "forcedata/importers/sipri_milex.py if not a country)",
                           {n: f'sheet "{s}"' for n, s in unknown.items()}, {eid for eid, _ in seen},
                           "series", [m for _, m, _ in SHEETS])
    return ImportResult("series", [m for _, m, _ in SHEETS], items, skipped, stated_edition=str(newest))


def edition_matches(edition: str, stated: str) -> bool:
    """Does a registry entry's edition ("1949-2024 release") say what the workbook states (its
    newest data year, "2024")?"""
    return any(last == stated for _, last in re.findall(r"\b(\d{4})\s*[-–]\s*(\d{4})\b", edition))
