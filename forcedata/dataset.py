"""The loaded data's types (Dataset, LoadedEntity): one module that the loader, the tidy frame and
the compiled cache all import, so that none of them imports another for a type."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from forcedata.problems import Problem
from forcedata.schema import EntityHeader, Family, Metric, Scope, Series, Source, Value


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
    scopes: dict[str, Scope] = field(default_factory=dict)

    @property
    def bad_files(self) -> list[str]:
        return sorted({p.file for p in self.problems})

    @property
    def unusable(self) -> list[Problem]:
        """Why nothing can be served, when the registry or the catalogue cannot be used (no value
        can be checked without them, so none is loaded): their problems; [] when the data loads."""
        if self.sources and self.metrics:
            return []
        return [p for p in self.problems if Path(p.file).name in ("sources.yaml", "metrics.yaml")]

    @property
    def broken_ids(self) -> set[str]:
        """Ids whose entity file exists but could not be loaded at all (see ``problems``)."""
        return {Path(f).stem for f in self.bad_files
                if Path(f).parent.name == "forces" and Path(f).stem not in self.entities}
