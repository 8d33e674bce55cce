"""Getting charts out (pure, no streamlit): PNG/SVG at slide presets, CSV of the values shown,
file names, permalinks, and the batch command line.

    python -m components.export --entities PAK,AFG --family personnel --format png --out pak.png
"""

from __future__ import annotations

import argparse
import re
import sys
import threading
from typing import Iterable, Mapping
from urllib.parse import urlencode, urlsplit

import pandas as pd
import plotly.graph_objects as go

from components.charts import family_chart, layout_for_export
from forcedata.cli import EXPORT_COLUMNS

# preset -> (width, height, scale): 16:9 gives a 3840x2160 PNG, 4:3 a 3200x2400 PNG.
PRESETS = {"16:9": (1920, 1080, 2), "4:3": (1600, 1200, 2)}
FORMATS = ("png", "svg")
MAX_ENTITIES = 6

# NOTE: one kaleido (Chromium) server per process, started on the first export: later exports
# take ~0.2 s instead of ~2 s. kaleido's sync server is not safe for concurrent calls (one
# shared return queue), so exports from different Streamlit sessions take turns.
_KALEIDO_LOCK = threading.Lock()


def export_image(fig: go.Figure, fmt: str = "png", preset: str = "16:9") -> bytes:
    """The figure as a PNG or SVG file at a slide preset, laid out for that canvas.

    Args:
        fig: a ``fig_family`` figure.
        fmt: "png" or "svg".
        preset: a key of ``PRESETS``.

    Returns:
        The file's bytes.
    """
    import kaleido

    if fmt not in FORMATS:
        raise ValueError(f"format must be one of {', '.join(FORMATS)}, not {fmt!r}")
    width, height, scale = PRESETS[preset]
    out = layout_for_export(fig, width, height)
    # NOTE: an SVG is vector: it keeps the preset's own size (scale 1), a PNG is drawn at 2x.
    opts = dict(format=fmt, width=width, height=height, scale=scale if fmt == "png" else 1)
    with _KALEIDO_LOCK:
        kaleido.start_sync_server(silence_warnings=True)  # no-op once running
        return kaleido.calc_fig_sync(out, opts=opts)


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
    columns), as UTF-8 CSV."""
    return rows[EXPORT_COLUMNS].to_csv(index=False).encode("utf-8")


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


# Command line -------------------------------------------------------------------------------

def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m components.export",
        description="Write one compare-page chart as a slide-ready PNG or SVG (same builder as the page).")
    parser.add_argument("--entities", required=True, help="2 to 6 comma-separated ids, e.g. PAK,AFG")
    parser.add_argument("--family", required=True, help="force family id, e.g. personnel")
    parser.add_argument("--format", choices=FORMATS, default="png")
    parser.add_argument("--preset", choices=list(PRESETS), default="16:9")
    parser.add_argument("--out", help="file to write (default: e.g. pak-vs-afg_personnel_2025.png)")
    return parser


def main(argv: list[str] | None = None) -> int:
    from forcedata.frame import default_values
    from forcedata.load import load_dataset

    parser = build_parser()
    args = parser.parse_args(argv)
    ds = load_dataset()
    by_key = {k.lower(): k for k in ds.entities}
    wanted = [p.strip() for p in args.entities.split(",") if p.strip()]
    unknown = [p for p in wanted if p.lower() not in by_key]
    valid_ids = ", ".join(sorted(ds.entities))
    valid_families = ", ".join(f.id for f in sorted(ds.families.values(), key=lambda f: f.order))
    if unknown:
        parser.error(f"unknown entity id(s): {', '.join(unknown)}. Valid ids: {valid_ids}")
    ids = list(dict.fromkeys(by_key[p.lower()] for p in wanted))
    if not 1 <= len(ids) <= MAX_ENTITIES:
        parser.error(f"give 1 to {MAX_ENTITIES} entity ids (got {len(ids)}). Valid ids: {valid_ids}")
    if args.family not in ds.families:
        parser.error(f"unknown family '{args.family}'. Valid families: {valid_families}")
    for problem in ds.problems:
        print(f"warning: {problem} (left out)", file=sys.stderr)
    names = {e: ds.entities[e].header.name for e in ids}
    shown = default_values(ds.frame, ids)
    fig = family_chart(shown, names, args.family, ds.version)
    if fig is None:
        print(f"no {args.family} figures reported for {', '.join(ids)}: nothing to draw", file=sys.stderr)
        return 1
    rows = shown[shown["family"] == args.family]
    out = args.out or export_filename(ids, args.family, chart_year(rows), args.format)
    with open(out, "wb") as fh:
        fh.write(export_image(fig, args.format, args.preset))
    print(f"wrote {out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
