"""Importers: `python -m forcedata import <kind> PATH` reads a published data file and writes
its values into data/forces/*.yaml (see writer.py for what an importer may touch)."""

from __future__ import annotations

from pathlib import Path
from typing import Callable

from forcedata.importers import cow_nmc, factbook, factbook_population, sipri_milex, sipri_nuclear
from forcedata.importers.writer import ImportRejected, ImportResult

# kind -> read(path, existing entities) -> ImportResult
IMPORTERS: dict[str, Callable[[Path, dict], ImportResult]] = {
    "sipri-milex": sipri_milex.read,
    "sipri-nuclear": sipri_nuclear.read,
    "factbook": factbook.read,
    "factbook-population": factbook_population.read,
    "cow-nmc": cow_nmc.read,
}

__all__ = ["IMPORTERS", "ImportRejected", "ImportResult"]
