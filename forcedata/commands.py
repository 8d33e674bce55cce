"""Commands that write or compare data files: import, diff, new (wired into forcedata/cli.py)."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from forcedata.load import DEFAULT_DATA_DIR, load_dataset
from forcedata.outputs import check_folder, write_text


def cmd_import(args: argparse.Namespace) -> int:
    from forcedata.importers import IMPORTERS, ImportRejected
    from forcedata.importers.writer import existing_entities, report, run_import

    data_dir = Path(args.data_dir)
    path = Path(args.path)
    if not path.is_file():
        print(f"no such file: {path}", file=sys.stderr)
        return 2
    ds = load_dataset(data_dir, paths=[])
    existing = existing_entities(data_dir)
    started = time.perf_counter()
    try:
        result = IMPORTERS[args.kind](path, existing)
        missing_metrics = [m for m in result.metrics if m not in ds.metrics]
        missing_sources = [s for s in [result.source] if s not in ds.sources]
        if missing_metrics or missing_sources:
            raise ImportRejected(
                f"{data_dir}: " + "; ".join(
                    [f"metric '{m}' is not in metrics.yaml" for m in missing_metrics]
                    + [f"source '{s}' is not in sources.yaml" for s in missing_sources]))
    except ImportRejected as err:
        print(f"import {args.kind}: rejected {path}: {err}. Nothing was written.", file=sys.stderr)
        return 2
    try:
        changes, problems = run_import(result, data_dir, dry_run=args.dry_run, existing=existing,
                                       allow_removals=args.allow_removals)
    except ImportRejected as err:
        print(f"import {args.kind}: rejected {path}: {err}. Nothing was written.", file=sys.stderr)
        return 2
    print(report(changes, result.skipped, verbose=args.verbose))
    elapsed = time.perf_counter() - started
    if problems:
        for problem in problems:
            print(problem, file=sys.stderr)
        print(f"import {args.kind}: the result would not validate ({len(problems)} problem(s)); "
              "nothing was written", file=sys.stderr)
        return 1
    entities = len(result.items)
    verb = "would write" if args.dry_run else "wrote"
    print(f"import {args.kind}: {entities} entities in the input; {verb} {len(changes)} file(s) "
          f"in {elapsed:.1f} s" + (" (dry run: nothing written)" if args.dry_run else ""), file=sys.stderr)
    return 0


def cmd_diff(args: argparse.Namespace) -> int:
    from forcedata.diff import DiffError, diff_sides, format_text

    try:
        table = diff_sides(args.old, args.new)
    except DiffError as err:
        print(err, file=sys.stderr)
        return 2
    if args.format == "csv":
        table.to_csv(sys.stdout, index=False)
    else:
        print(format_text(table))
    return 0


def cmd_new(args: argparse.Namespace) -> int:
    from forcedata.importers.writer import new_entity_text
    from forcedata.schema import ENTITY_ID

    if not ENTITY_ID.match(args.entity_id):
        print(f"'{args.entity_id}' is not an entity id: use an ISO 3166-1 alpha-3 code in capitals "
              "(PAK) or x- and lower-case words for a non-state actor (x-hamas)", file=sys.stderr)
        return 2
    path = Path(args.data_dir) / "forces" / f"{args.entity_id}.yaml"
    if path.exists() or path.is_symlink():
        print(f"{path} already exists; not overwriting it", file=sys.stderr)
        return 2
    name = args.name
    if name is None:
        try:
            from forcedata.importers.countries import display_name
            name = display_name(args.entity_id)
        except KeyError:
            print(f"no known name for '{args.entity_id}': give one with --name", file=sys.stderr)
            return 2
    # NOTE: forces/ is part of a data folder, so it is created; the data folder itself must exist
    check_folder(args.data_dir)
    write_text(path, new_entity_text(args.entity_id, name, args.kind, empty_sections=True), mkdir=True,
               overwrite=False)
    print(f"wrote {path}", file=sys.stderr)
    return 0


def add_data_commands(sub: argparse._SubParsersAction) -> None:
    """Add the import, diff and new subcommands to the main parser."""
    from forcedata.importers import IMPORTERS

    p = sub.add_parser("import", help="write a published data file's values into data/forces")
    p.add_argument("kind", choices=sorted(IMPORTERS))
    p.add_argument("path", help="the file to import (see each importer's module docstring)")
    p.add_argument("--dry-run", action="store_true", help="report the changes, write nothing")
    p.add_argument("--allow-removals", action="store_true",
                   help="accept a release that drops every value of many entities (otherwise refused as truncated)")
    p.add_argument("-v", "--verbose", action="store_true", help="list every added value too")
    p.add_argument("--data-dir", default=DEFAULT_DATA_DIR)
    p.set_defaults(func=cmd_import)

    p = sub.add_parser("diff", help="values added, changed or removed between two versions")
    p.add_argument("old", help="a git ref (HEAD~1, main) or a data directory")
    p.add_argument("new", help="a git ref or a data directory")
    p.add_argument("--format", choices=["text", "csv"], default="text")
    p.set_defaults(func=cmd_diff)

    p = sub.add_parser("new", help="start data/forces/<ID>.yaml with the explanatory header")
    p.add_argument("entity_id", metavar="ENTITY_ID")
    p.add_argument("--name", help="display name (default: the common English name for an ISO code)")
    p.add_argument("--kind", choices=["state", "non_state"], default="state")
    p.add_argument("--data-dir", default=DEFAULT_DATA_DIR)
    p.set_defaults(func=cmd_new)

