"""The batch command line: compare-page charts as PNG/SVG files, or whole comparisons (or a
brief) as a PPTX slide deck, in one process with one image renderer. May import the other
export modules, components.views and forcedata.

    python -m components.exports --entities PAK,AFG --family personnel --format png --out pak.png
    python -m components.exports --entities PAK,AFG --entities IND,PAK --family all --out-dir slides/
    python -m components.exports --entities PAK,AFG --format pptx --out brief.pptx
    python -m components.exports --brief brief.yaml --out brief.pptx
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from components.exports.brief import BriefError, load_brief
from components.exports.deck import Comparison, build_deck, comparison_title, plan_charts
from components.exports.image import FORMATS, export_image
from components.views.files import chart_year, export_filename
from components.views.layout import PRESETS
from forcedata.frame import default_values
from forcedata.load import load_dataset
from forcedata.outputs import OutputError, check_folder, check_target, write_file

MAX_ENTITIES = 6

# Command line -------------------------------------------------------------------------------

CLI_FORMATS = (*FORMATS, "pptx")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m components.exports",
        description="Write compare-page charts as slide-ready PNG or SVG files (same builder as the page), "
                    "or whole comparisons as a PPTX slide deck. Many charts are drawn in one process, "
                    "with one image renderer, and a progress bar on a terminal.")
    what = parser.add_mutually_exclusive_group(required=True)
    what.add_argument("--entities", action="append",
                      help="1 to 6 comma-separated ids, e.g. PAK,AFG; repeat for more comparisons")
    what.add_argument("--brief", help="a brief file (YAML: title, comparisons): a PPTX deck, or with "
                                      "--format png/svg every chart of it")
    parser.add_argument("--family", help="force family ids, comma-separated (e.g. personnel,air), or 'all' "
                                         "(PPTX default: every family with a figure)")
    parser.add_argument("--format", choices=CLI_FORMATS, default=None,
                        help="png, svg or pptx (default: from --out's extension, else png, or pptx for --brief)")
    parser.add_argument("--preset", choices=list(PRESETS), default="16:9")
    parser.add_argument("--basis", choices=["best", "one"], default="best",
                        help="best: the best available figure per entity (default); one: one source for all, "
                             "each measure from the one source edition that covers most of the comparison")
    parser.add_argument("--title", default="", help="PPTX: the deck's title")
    parser.add_argument("--base-url", default="", help="PPTX: the dashboard's address, for the permalinks")
    parser.add_argument("--out", help="the file to write, for one chart or one deck; its extension must match "
                                      "the format (default: e.g. pak-vs-afg_personnel_2025.png)")
    parser.add_argument("--out-dir", default=".", help="PNG/SVG: the folder for the files (default: here); "
                                                       "each is named e.g. pak-vs-afg_personnel_2025.png")
    parser.add_argument("--mkdir", action="store_true", help="create the folder of --out or --out-dir if missing")
    return parser


def progress_bar(stream=None, width: int = 30):
    """A text progress bar on ``stream`` (default: standard error): ``[#########.....] 3/5 Air forces: ...``,
    redrawn at every step on a terminal; elsewhere (a log, a pipe) only its final state is written."""
    stream = stream or sys.stderr
    live = getattr(stream, "isatty", lambda: False)()

    def show(done: int, total: int, label: str) -> None:
        if not live and done < total:
            return
        filled = width * done // max(total, 1)
        stream.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total} {label[:60]:<60}")
        if done >= total:
            stream.write("\n")
        stream.flush()
    return show


def output_format(out: str | None, given: str | None, default: str) -> str:
    """The format to write: ``--format``, else the one ``--out``'s extension names, else ``default``.

    Raises:
        OutputError: ``--out`` has an extension that is not ``--format``'s, or that names no
            format, or none at all (a device such as /dev/stdout needs none).
    """
    if out is None:
        return given or default
    path = Path(out)
    ext = path.suffix.lower().lstrip(".")
    if not ext and path.exists() and not path.is_file():
        return given or default  # NOTE: /dev/stdout, a named pipe: no name to match (a folder is refused later)
    if given:
        if ext != given:
            what = f"its extension .{ext}" if ext else "it has no extension, which"
            raise OutputError(path, f"{what} does not match --format {given}",
                              f"name it {path.with_suffix('.' + given).name}, or leave out --format to take "
                              "the format from the name")
        return given
    if ext not in CLI_FORMATS:
        what = f"its extension .{ext} names no format" if ext else "it has no extension"
        raise OutputError(path, what, "end the name in .png, .svg or .pptx, or give --format")
    return ext


def main(argv: list[str] | None = None) -> int:
    """The command line (``python -m components.exports --help``): everything is checked first (the
    arguments, the brief as a whole, then where the files go), then drawn, with progress on a
    terminal; files are written whole through ``forcedata.outputs`` (an error is one line, exit 2)."""
    try:
        return _main(argv)
    except OutputError as err:
        print(err, file=sys.stderr)
        return 2


def _main(argv: list[str] | None) -> int:

    parser = build_parser()
    args = parser.parse_args(argv)
    fmt = output_format(args.out, args.format, "pptx" if args.brief else "png")
    if not args.mkdir:  # NOTE: a place that cannot be written is said at once; with --mkdir, once all is checked
        if args.out:
            check_target(args.out)
        elif fmt != "pptx":
            check_folder(args.out_dir)
    ds = load_dataset()
    if ds.unusable:
        for problem in ds.unusable:
            print(problem, file=sys.stderr)
        print("the data cannot be used (no value can be checked without the registry and the catalogue): "
              "nothing drawn", file=sys.stderr)
        return 2
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
    if broken := [p for p in wanted if p.lower() in {b.lower() for b in ds.broken_ids}]:
        parser.error(f"the data file of {', '.join(broken)} has errors (see the warnings above): fix it first "
                     "(python -m forcedata validate)")
    if unknown := [p for p in wanted if p.lower() not in by_key]:
        parser.error(f"unknown entity id(s): {', '.join(unknown)}. Valid ids: {valid_ids}")
    ids = list(dict.fromkeys(by_key[p.lower()] for p in wanted))
    if not 1 <= len(ids) <= MAX_ENTITIES:
        parser.error(f"give 1 to {MAX_ENTITIES} entity ids (got {len(ids)}). Valid ids: {valid_ids}")
    return ids


def plan_all(ds, comparisons: list) -> list[tuple]:
    """``plan_charts`` of every comparison; for several, a progress bar while they are planned
    (a brief of 500 comparisons takes a minute before the first chart is drawn)."""

    show = progress_bar() if len(comparisons) > 1 else None
    plans = []
    for done, comparison in enumerate(comparisons, start=1):
        plans.append((comparison, plan_charts(ds, comparison)))
        if show:
            show(done, len(comparisons), "planned: " + comparison_title(ds, comparison).removeprefix(
                "Military balance: "))
    return plans


def _write_images(parser: argparse.ArgumentParser, args: argparse.Namespace, ds, comparisons: list,
                  fmt: str) -> int:
    """Every chart of ``comparisons`` as a PNG/SVG file, in this one process (one kaleido server
    for all of them), with a progress bar; a family without figures is skipped and said."""
    # NOTE: where the files go is checked (and made, with --mkdir) once everything else is
    if args.out:
        check_target(args.out, mkdir=args.mkdir)
    else:
        check_folder(args.out_dir, mkdir=args.mkdir)
    charts = []
    for comparison, planned in plan_all(ds, comparisons):
        drawn = {c.id for c in planned}
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
    show = progress_bar() if len(charts) > 1 else None
    for done, (comparison, chart) in enumerate(charts):
        if show:
            show(done, len(charts), chart.title)
        out = Path(args.out) if args.out else out_dir / export_filename(
            comparison.entities, chart.id, chart_year(chart.rows), fmt)
        write_file(out, export_image(chart.fig, fmt, args.preset), mkdir=args.mkdir)
        if not show:
            print(f"wrote {out}", file=sys.stderr)
    if show:
        show(len(charts), len(charts), "done")
        print(f"wrote {len(charts)} {fmt.upper()} files in {out_dir}", file=sys.stderr)
    return 0


def _read_brief(path: str, ds) -> tuple[str, list | None]:
    """(title, comparisons) of a brief file, checked whole; ("", None) after printing every
    problem in it."""

    try:
        brief = load_brief(Path(path), ds)
    except BriefError as err:
        for problem in err.problems:
            print(problem, file=sys.stderr)
        print(f"{len(err.problems)} problem(s) in the brief: nothing written", file=sys.stderr)
        return "", None
    return brief.title, brief.comparisons


def _write_deck(args: argparse.Namespace, ds, comparisons: list, *, default_out: str, title: str = "") -> int:

    out = args.out or default_out
    check_target(out, mkdir=args.mkdir)
    plans = plan_all(ds, comparisons)
    if not any(charts for _, charts in plans):
        print("no figures reported for the selection: nothing to draw", file=sys.stderr)
        return 1
    data = build_deck(ds, comparisons, title=title or args.title, base_url=args.base_url,
                      progress=progress_bar(), plans=plans)
    write_file(out, data, mkdir=args.mkdir)
    print(f"wrote {out}", file=sys.stderr)
    return 0
