"""Commands that write or compare data files: import, diff, scaffold, new (wired into forcedata/cli.py)."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from forcedata.load import data_dir_from_env, load_dataset
from forcedata.outputs import check_folder, write_text


def cmd_import(args: argparse.Namespace) -> int:
    from forcedata.importers import IMPORTERS, ImportRejected, editions
    from forcedata.importers.writer import UnknownNames, existing_entities, report, run_import

    data_dir = Path(args.data_dir) if args.data_dir else data_dir_from_env()
    path = Path(args.path)
    if not path.is_file():
        print(f"no such file: {path}", file=sys.stderr)
        return 2
    ds = load_dataset(data_dir, paths=[])
    importer = IMPORTERS[args.kind]
    existing = existing_entities(data_dir)
    started = time.perf_counter()
    try:
        result = importer.read(path, existing)
        source = editions.resolve(args.kind, importer, ds.sources, args.source, result.stated_edition)
        editions.check_via(ds.sources, args.via)
        result = editions.cite(result, ds.sources, source, args.via, existing)
        missing_metrics = [m for m in result.metrics if m not in ds.metrics]
        if missing_metrics:
            raise ImportRejected(f"{data_dir}: " + "; ".join(f"metric '{m}' is not in metrics.yaml"
                                                            for m in missing_metrics))
        changes, problems = run_import(result, data_dir, dry_run=args.dry_run, existing=existing,
                                       allow_removals=args.allow_removals)
    except UnknownNames as err:
        ids = [s.id for s in editions.editions_of(ds.sources, importer.DATABASE)]
        hint = editions.alias_hint(err, ids, existing)
        print(f"import {args.kind}: rejected {path}: {err}. {hint + ' ' if hint else ''}Nothing was written.",
              file=sys.stderr)
        return 2
    except ImportRejected as err:
        print(f"import {args.kind}: rejected {path}: {err}. Nothing was written.", file=sys.stderr)
        return 2
    replaced = f"; its series replace those of {', '.join(result.supersedes)}" if result.supersedes else ""
    print(f"import {args.kind}: citing {source.id} ({source.title}, edition {source.edition or 'not given'})"
          f"{' via ' + args.via if args.via else ''}{replaced}", file=sys.stderr)
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
    path = (Path(args.data_dir) if args.data_dir else data_dir_from_env()) / "forces" / f"{args.entity_id}.yaml"
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
    check_folder(path.parent.parent)
    write_text(path, new_entity_text(args.entity_id, name, args.kind, empty_sections=True), mkdir=True,
               overwrite=False)
    print(f"wrote {path}", file=sys.stderr)
    return 0


def cmd_scaffold(args: argparse.Namespace) -> int:
    from forcedata.scaffold import ScaffoldRejected, scaffold, write

    data_dir = Path(args.data_dir) if args.data_dir else data_dir_from_env()
    ds = load_dataset(data_dir, paths=[])
    entities = args.entities.split(",") if args.entities else None
    try:
        previous, stubs = scaffold(data_dir, ds.sources, args.source, entities, args.as_of)
    except ScaffoldRejected as err:
        print(f"scaffold: {err}. Nothing was written.", file=sys.stderr)
        return 2
    for s in stubs:
        print(f"{s.entity}: {', '.join(s.metrics)}")
    total = sum(len(s.metrics) for s in stubs)
    verb = "would add" if args.dry_run else "added"
    print(f"scaffold: {verb} {total} value(s) to fill in, citing {args.source}, after those of {previous}, "
          f"in {len(stubs)} file(s)" + (" (dry run: nothing written)" if args.dry_run else ""), file=sys.stderr)
    if not args.dry_run:
        write(stubs)
        if total:
            print("Fill in each one's figure, qualifier, via and quote as the report prints them, or delete it: "
                  "`python -m forcedata validate` names each one left.", file=sys.stderr)
    return 0


def add_data_commands(sub: argparse._SubParsersAction) -> None:
    """Add the import, diff, scaffold and new subcommands to the main parser."""
    from forcedata.importers import IMPORTERS

    p = sub.add_parser("import", help="write a published data file's values into data/forces")
    p.add_argument("kind", choices=sorted(IMPORTERS))
    p.add_argument("path", help="the file to import (see each importer's module docstring)")
    p.add_argument("--dry-run", action="store_true", help="report the changes, write nothing")
    p.add_argument("--allow-removals", action="store_true",
                   help="accept a release that drops every value of many entities (otherwise refused as truncated)")
    p.add_argument("--source", metavar="ID", default=None,
                   help="the registry entry of this release (required when data/sources.yaml holds several "
                        "editions of the importer's database and the release does not say which it is)")
    p.add_argument("--via", metavar="ID", default=None, help="the report the release was read in, if any")
    p.add_argument("-v", "--verbose", action="store_true", help="list every added value too")
    p.add_argument("--data-dir", default=None, help="default: data/ or $FORCEDATA_DATA_DIR")
    p.set_defaults(func=cmd_import)

    p = sub.add_parser("diff", help="values added, changed or removed between two versions")
    p.add_argument("old", help="a git ref (HEAD~1, main) or a data directory")
    p.add_argument("new", help="a git ref or a data directory")
    p.add_argument("--format", choices=["text", "csv"], default="text")
    p.set_defaults(func=cmd_diff)

    p = sub.add_parser("scaffold", help="a value to fill in, citing a new edition, after each of the previous edition's")
    p.add_argument("source", metavar="SOURCE_ID", help="the new edition's registry id (with database:)")
    p.add_argument("--entities", help="comma-separated ids (default: every entity file)")
    p.add_argument("--as-of", default=None, help="the year its figures describe (default: its edition, when a year)")
    p.add_argument("--dry-run", action="store_true", help="list the stubs, write nothing")
    p.add_argument("--data-dir", default=None, help="default: data/ or $FORCEDATA_DATA_DIR")
    p.set_defaults(func=cmd_scaffold)

    p = sub.add_parser("new", help="start data/forces/<ID>.yaml with the explanatory header")
    p.add_argument("entity_id", metavar="ENTITY_ID")
    p.add_argument("--name", help="display name (default: the common English name for an ISO code)")
    p.add_argument("--kind", choices=["state", "non_state"], default="state")
    p.add_argument("--data-dir", default=None, help="default: data/ or $FORCEDATA_DATA_DIR")
    p.set_defaults(func=cmd_new)

