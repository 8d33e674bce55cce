"""Names and links of a view's files (pure): file names, the permalink, the CSV of the values
shown and the chart's camera-button settings. May import forcedata only."""

from __future__ import annotations

import re
from typing import Iterable, Mapping
from urllib.parse import urlencode, urlsplit

import pandas as pd

from components.views.layout import PRESETS
from forcedata.frame import EXPORT_COLUMNS


def export_filename(entities: Iterable[str], family: str, year: int | str, ext: str) -> str:
    """'pak-vs-afg_personnel_2025.png'."""
    ids = "-vs-".join(_slug(e) for e in entities)
    return f"{ids}_{_slug(family)}_{year}.{ext}"


def modebar_config(filename: str) -> dict:
    """Plotly config: the camera button saves the 16:9 preset under ``filename`` (no extension)."""
    width, height, scale = PRESETS["16:9"]
    return {
        "displaylogo": False, "responsive": True,
        "toImageButtonOptions": {"format": "png", "filename": filename, "width": width,
                                 "height": height, "scale": scale},
    }


def values_csv(rows: pd.DataFrame) -> bytes:
    """The values shown, one row per value with its full citation (the ``forcedata export``
    columns, then ``basis_source``: the one source drawn for all, where the view used one), as
    UTF-8 CSV."""
    columns = EXPORT_COLUMNS + (["basis_source"] if "basis_source" in rows else [])
    return rows[columns].to_csv(index=False).encode("utf-8")


def permalink(base_url: str, params: Mapping[str, str]) -> str:
    """'https://host/compare?c=PAK,AFG&v=abc123' (commas kept readable)."""
    base = base_url or ""
    if base and not urlsplit(base).path:
        base += "/"
    return f"{base}?{urlencode(params, safe=',')}"


def chart_year(rows: pd.DataFrame) -> int:
    return int(rows["year"].max())


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", str(text).lower()).strip("-")


