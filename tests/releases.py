"""Miniature releases built by the tests (never the real release files): a SIPRI Milex workbook
of this year and the next, and the registry entry of a new edition."""

from __future__ import annotations

import copy
from pathlib import Path

import openpyxl
from openpyxl.styles import Font

YEARS = [2022, 2023, 2024]

# sheet -> country -> one cell per year of YEARS (numbers, SIPRI's symbols, or None)
SHEETS = {
    "Current US$": {"Pakistan": [10358.1449012, 8626.15849, 10165.9512], "Korea, North": ["xxx", ". .", "..."],
                    "USSR": [250000.0, "xxx", "xxx"], "European Union": [1.0, 2.0, 3.0]},
    "Constant (2023) US$": {"Pakistan": [11000.123456, 8626.15849, 9876.54321]},
    "Share of GDP": {"Pakistan": [0.031768320237, 0.0288079974, 0.026676003701]},
    "Per capita": {"Pakistan": [43.257135510, 35.9, 40.1]},
}


def _indexed(colour: int) -> Font:
    from openpyxl.styles.colors import Color
    return Font(color=Color(indexed=colour))


def build_workbook(path: Path, *, drop_sheet: str | None = None, extra_country: str | None = None,
                   sheets: dict | None = None, years: list[int] | None = None) -> Path:
    """A miniature SIPRI Milex workbook: blue/red fonts, '. .', '...', 'xxx', a region row,
    an aggregate row and a Footnotes sheet (Pakistan's 2023 figure blue, 2024 red)."""
    sheets = copy.deepcopy(sheets or SHEETS)
    years = years or YEARS
    if extra_country:
        sheets["Current US$"][extra_country] = [float(i + 1) for i in range(len(years))]
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for title, rows in sheets.items():
        if title == drop_sheet:
            continue
        ws = wb.create_sheet(title)
        ws.append([f"Military expenditure ... {title}"])
        ws.append(["Figures in blue are SIPRI estimates. Figures in red indicate highly uncertain data."])
        ws.append([])
        ws.append(["Country", "Notes", *years])
        ws.append(["Asia & Oceania"])
        for name, values in rows.items():
            ws.append([name, "§60" if name == "Pakistan" else None, *values])
            if name == "Pakistan":
                r = ws.max_row
                ws.cell(r, 4).font = _indexed(12)  # blue: SIPRI estimate (2023)
                ws.cell(r, 5).font = _indexed(10)  # red: highly uncertain (2024)
    fn = wb.create_sheet("Footnotes")
    fn.append(["Footnotes and special notes"])
    fn.append(["§", "Figures for these countries are for the adopted budget, rather than actual expenditure"])
    fn.append([60, None, "Pakistan: The figures for Pakistan include military pensions."])
    wb.save(path)
    return path


NEXT_YEAR = 2025
REVISED = ("Current US$", "Pakistan", 2023, 8700.0)  # SIPRI revises a past year
RENAMED = ("Korea, North", "Korea, DPR")  # the publisher renames a country
NEW_COUNTRY = ("Bhutan", "BTN", [40.5, 41.25, 42.0, 43.75])  # a country new in the release


def next_year_sheets() -> dict:
    """This year's fixture sheets, one year on: a new year column, one revised past value, one
    country renamed by the publisher and one new country."""
    sheets = copy.deepcopy(SHEETS)
    for rows in sheets.values():
        for values in rows.values():
            values.append(values[-1] if isinstance(values[-1], str) else round(values[-1] * 1.1, 4))
    sheet, country, year, value = REVISED
    sheets[sheet][country][YEARS.index(year)] = value
    old, new = RENAMED
    sheets["Current US$"] = {new if k == old else k: v for k, v in sheets["Current US$"].items()}
    sheets["Current US$"][NEW_COUNTRY[0]] = list(NEW_COUNTRY[2])
    return sheets


def build_next_year_workbook(path: Path) -> Path:
    return build_workbook(path, sheets=next_year_sheets(), years=[*YEARS, NEXT_YEAR])


def registry_entry(source_id: str, *, database: str = "sipri-milex", edition: str = "1949-2025 release",
                   published: str = "2026-04-27", producer: str = "Stockholm International Peace Research Institute (SIPRI)",
                   kind: str = "primary") -> str:
    """A registry entry (YAML text to append under sources:)."""
    tier = "    tier: reference\n" if kind == "primary" else ""
    db = f"    database: {database}\n" if database else ""
    return (f"\n  - id: {source_id}\n{db}    kind: {kind}\n{tier}    producer: {producer}\n"
            f"    title: Test release {source_id}\n    edition: \"{edition}\"\n    date_published: {published}\n"
            f"    date_accessed: {published}\n    url: https://example.org/{source_id}\n"
            f"    citation_full: Test citation of {source_id}.\n    attribution_short: TEST\n"
            "    terms: Test terms.\n")


def add_to_registry(data_dir: Path, text: str) -> None:
    path = data_dir / "sources.yaml"
    path.write_text(path.read_text(encoding="utf-8").rstrip("\n") + "\n" + text, encoding="utf-8")
