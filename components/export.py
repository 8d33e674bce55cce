"""Getting charts out (pure, no streamlit): PNG/SVG at slide presets, CSV of the values shown,
file names, permalinks, and the batch command line (charts, or a whole slide deck).

    python -m components.export --entities PAK,AFG --family personnel --format png --out pak.png
    python -m components.export --entities PAK,AFG --entities IND,PAK --family all --out-dir slides/
    python -m components.export --entities PAK,AFG --format pptx --out brief.pptx
    python -m components.export --brief brief.yaml --out brief.pptx
"""

from __future__ import annotations

import argparse
import re
import sys
import threading
from pathlib import Path
from typing import Iterable, Mapping
from urllib.parse import urlencode, urlsplit
from xml.sax.saxutils import escape as xml_escape

import pandas as pd
import plotly.graph_objects as go

from components.layout import layout_for_export
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
        data = kaleido.calc_fig_sync(out, opts=opts)
    if fmt == "svg":
        meta = fig.layout.meta or {}
        data = svg_with_text(data, title=meta.get("title", ""), description=meta.get("description", ""))
    return data


def svg_with_text(svg: bytes, *, title: str, description: str) -> bytes:
    """The SVG with ``<title>`` and ``<desc>`` as the first children of its root element (what a
    screen reader or an image's tooltip reads), XML-escaped; it is labelled as one image."""
    root = re.search(rb"<svg\b[^>]*?(/?)>", svg)
    if root is None or root.group(1):
        return svg
    text = f"<title>{_xml_text(title)}</title><desc>{_xml_text(description)}</desc>".encode("utf-8")
    head = svg[: root.end() - 1]
    if b" role=" not in head:
        head += b' role="img"'
    return head + b">" + text + svg[root.end():]


def _xml_text(text: object) -> str:
    """Text safe inside an XML element: &, < and > escaped, characters XML 1.0 forbids dropped."""
    clean = "".join(ch for ch in str(text or "") if ch in "\t\n\r" or ord(ch) >= 0x20)
    return xml_escape(clean)


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


# Command line -------------------------------------------------------------------------------

CLI_FORMATS = (*FORMATS, "pptx")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m components.export",
        description="Write compare-page charts as slide-ready PNG or SVG files (same builder as the page), "
                    "or whole comparisons as a PPTX slide deck. Many charts are drawn in one process, "
                    "with one image renderer, and a progress bar.")
    what = parser.add_mutually_exclusive_group(required=True)
    what.add_argument("--entities", action="append",
                      help="1 to 6 comma-separated ids, e.g. PAK,AFG; repeat for more comparisons")
    what.add_argument("--brief", help="a brief file (YAML: title, comparisons): a PPTX deck, or with "
                                      "--format png/svg every chart of it")
    parser.add_argument("--family", help="force family ids, comma-separated (e.g. personnel,air), or 'all' "
                                         "(PPTX default: every family with a figure)")
    parser.add_argument("--format", choices=CLI_FORMATS, default=None, help="png (default), svg or pptx")
    parser.add_argument("--preset", choices=list(PRESETS), default="16:9")
    parser.add_argument("--basis", choices=["best", "one"], default="best",
                        help="best: the best available figure per entity (default); one: one source for all, "
                             "each measure from the one source edition that covers most of the comparison")
    parser.add_argument("--title", default="", help="PPTX: the deck's title")
    parser.add_argument("--base-url", default="", help="PPTX: the dashboard's address, for the permalinks")
    parser.add_argument("--out", help="the file to write, for one chart or one deck "
                                      "(default: e.g. pak-vs-afg_personnel_2025.png)")
    parser.add_argument("--out-dir", default=".", help="PNG/SVG: the folder for the files (default: here); "
                                                       "each is named e.g. pak-vs-afg_personnel_2025.png")
    return parser


def progress_bar(stream=None, width: int = 30):
    """A text progress bar on ``stream`` (default: standard error): ``[#########.....] 3/5 Air forces: ...``."""
    stream = stream or sys.stderr

    def show(done: int, total: int, label: str) -> None:
        filled = width * done // max(total, 1)
        stream.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total} {label[:60]:<60}")
        if done >= total:
            stream.write("\n")
        stream.flush()
    return show


def main(argv: list[str] | None = None) -> int:
    from components.deck import Comparison
    from forcedata.frame import default_values
    from forcedata.load import load_dataset

    parser = build_parser()
    args = parser.parse_args(argv)
    fmt = args.format or ("pptx" if args.brief else "png")
    ds = load_dataset()
    valid_families = ", ".join(f.id for f in sorted(ds.families.values(), key=lambda f: f.order))
    families = [f.strip() for f in (args.family or "").split(",") if f.strip()]
    if families == ["all"]:
        families = []
    elif bad := [f for f in families if f not in ds.families]:
        parser.error(f"unknown family '{', '.join(bad)}'. Valid families: {valid_families} (or all)")
    if fmt != "pptx" and not args.family and not args.brief:
        parser.error(f"--format {fmt} draws one chart per family: give --family (one id, a comma-separated "
                     f"list, or all). Valid families: {valid_families}")
    for problem in ds.problems:
        print(f"warning: {problem} (left out)", file=sys.stderr)
    if args.brief:
        title, comparisons = _read_brief(args.brief, ds)
        if comparisons is None:
            return 2
        comparisons = [Comparison(c.entities, tuple(families) or c.families, args.basis) for c in comparisons]
        if fmt == "pptx":
            return _write_deck(args, ds, comparisons, title=args.title or title,
                               default_out=Path(args.brief).with_suffix(".pptx").name)
    else:
        comparisons = list(dict.fromkeys(  # NOTE: a comparison given twice is drawn (and named) once
            Comparison(tuple(_entity_ids(parser, text, ds)), tuple(families) or None, args.basis)
            for text in args.entities))
        if fmt == "pptx":
            first = list(comparisons[0].entities)
            return _write_deck(args, ds, comparisons, default_out=export_filename(
                first, "brief", chart_year(default_values(ds.frame, first, basis=args.basis)), "pptx"))
    return _write_images(parser, args, ds, comparisons, fmt)


def _entity_ids(parser: argparse.ArgumentParser, text: str, ds) -> list[str]:
    """The ids of one ``--entities`` value in the dataset's spelling (an error names the valid ones)."""
    by_key = {k.lower(): k for k in ds.entities}
    wanted = [p.strip() for p in text.split(",") if p.strip()]
    valid_ids = ", ".join(sorted(ds.entities))
    if unknown := [p for p in wanted if p.lower() not in by_key]:
        parser.error(f"unknown entity id(s): {', '.join(unknown)}. Valid ids: {valid_ids}")
    ids = list(dict.fromkeys(by_key[p.lower()] for p in wanted))
    if not 1 <= len(ids) <= MAX_ENTITIES:
        parser.error(f"give 1 to {MAX_ENTITIES} entity ids (got {len(ids)}). Valid ids: {valid_ids}")
    return ids


def _write_images(parser: argparse.ArgumentParser, args: argparse.Namespace, ds, comparisons: list,
                  fmt: str) -> int:
    """Every chart of ``comparisons`` as a PNG/SVG file, in this one process (one kaleido server
    for all of them), with a progress bar; a family without figures is skipped and said."""
    from components.deck import plan_charts

    charts = []
    for comparison in comparisons:
        planned = plan_charts(ds, comparison)
        drawn = {c.family for c in planned}
        for family in comparison.families or ():
            if family not in drawn:
                print(f"no {family} figures reported for {', '.join(comparison.entities)}: no chart",
                      file=sys.stderr)
        charts += [(comparison, chart) for chart in planned]
    if not charts:
        print("no figures reported for the selection: nothing to draw", file=sys.stderr)
        return 1
    if args.out and len(charts) > 1:
        parser.error(f"--out names one file, but {len(charts)} charts are asked for: use --out-dir")
    out_dir = Path(args.out_dir)
    if not args.out:
        out_dir.mkdir(parents=True, exist_ok=True)
    show = progress_bar() if len(charts) > 1 else None
    for done, (comparison, chart) in enumerate(charts):
        if show:
            show(done, len(charts), chart.title)
        out = Path(args.out) if args.out else out_dir / export_filename(
            comparison.entities, chart.family, chart_year(chart.rows), fmt)
        out.write_bytes(export_image(chart.fig, fmt, args.preset))
        if not show:
            print(f"wrote {out}", file=sys.stderr)
    if show:
        show(len(charts), len(charts), "done")
        print(f"wrote {len(charts)} {fmt.upper()} files in {out_dir}", file=sys.stderr)
    return 0


def _read_brief(path: str, ds) -> tuple[str, list | None]:
    """(title, comparisons) of a brief file; ("", None) after printing its problems."""
    from components.brief import BriefError, load_brief

    try:
        brief = load_brief(Path(path), ds)
    except BriefError as err:
        for problem in err.problems:
            print(problem, file=sys.stderr)
        print(f"{len(err.problems)} problem(s) in the brief: nothing written", file=sys.stderr)
        return "", None
    except OSError as err:
        print(f"{path}: cannot read the brief ({err.strerror})", file=sys.stderr)
        return "", None
    return brief.title, brief.comparisons


def _write_deck(args: argparse.Namespace, ds, comparisons: list, *, default_out: str, title: str = "") -> int:
    from components.deck import build_deck, plan_charts

    if not any(plan_charts(ds, c) for c in comparisons):
        print("no figures reported for the selection: nothing to draw", file=sys.stderr)
        return 1
    data = build_deck(ds, comparisons, title=title or args.title, base_url=args.base_url,
                      progress=progress_bar())
    out = args.out or default_out
    with open(out, "wb") as fh:
        fh.write(data)
    print(f"wrote {out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
