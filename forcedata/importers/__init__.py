"""Importers: `python -m forcedata import <kind> PATH` reads a published data file and writes
its values into data/forces/*.yaml (see writer.py for what an importer may touch).

Each importer module reads one database of one producer (``DATABASE``, ``PRODUCER``) with
``read(path, existing entities) -> ImportResult``; which registry edition the values cite is
decided by editions.py from data/sources.yaml, never written in code.
"""

from __future__ import annotations

from types import ModuleType

from forcedata.importers import cow_nmc, factbook, factbook_population, sipri_milex, sipri_nuclear
from forcedata.importers.writer import ImportRejected, ImportResult

IMPORTERS: dict[str, ModuleType] = {
    "sipri-milex": sipri_milex,
    "sipri-nuclear": sipri_nuclear,
    "factbook": factbook,
    "factbook-population": factbook_population,
    "cow-nmc": cow_nmc,
}

__all__ = ["IMPORTERS", "ImportRejected", "ImportResult"]
