"""Command line: validate the data, export the tidy table, write JSON Schemas, import published
data files, compare two versions of the data, start a new entity file."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from forcedata.commands import add_data_commands
from forcedata.coverage import FOCUS_ENTITIES, format_profile_report, profile_coverage
from forcedata.frame import EXPORT_COLUMNS
from forcedata.groups import GroupsFile, load_groups
from forcedata.load import PROJECT_ROOT, data_dir_from_env, entity_files, load_dataset, shown_path
from forcedata.outputs import OutputError, check_folder, write_text
from forcedata.schema import Entity, MetricCatalogue, SourceRegistry

SCHEMAS = {"entity": Entity, "sources": SourceRegistry, "metrics": MetricCatalogue, "groups": GroupsFile}


REGISTRY_FILES = ("sources.yaml", "metrics.yaml")


def _validate_targets(args: argparse.Namespace) -> tuple[Path, list[Path] | None] | str:
    """(data dir, entity files or None for all) from the command line, or an error message.

    A path may be a data folder (with sources.yaml), its forces/ folder, an entity file, or the
    registry or catalogue itself (checked as what it is, with no entity files).
    """
    data_dir = Path(args.data_dir) if args.data_dir else data_dir_from_env()
    if not args.paths:
        return data_dir, None
    entity_paths: list[Path] = []
    for raw in args.paths:
        path = Path(raw)
        if path.is_dir() and (path / "sources.yaml").exists():
            data_dir = path
            entity_paths.extend(entity_files(path))
        elif path.is_dir() and path.name == "forces":
            data_dir = path.parent
            entity_paths.extend(entity_files(path.parent))
        elif path.name in REGISTRY_FILES and (path.is_file() or path.is_symlink()):
            data_dir = path.parent
        elif path.is_file() or path.is_symlink():
            entity_paths.append(path)
        else:
            return f"no such file or data folder: {raw}"
    return data_dir, entity_paths


def cmd_validate(args: argparse.Namespace) -> int:
    targets = _validate_targets(args)
    if isinstance(targets, str):
        print(targets, file=sys.stderr)
        return 2
    data_dir, paths = targets
    ds = load_dataset(data_dir, paths)
    # NOTE: groups name entity files, so they are checked only when every file is (no paths).
    groups, group_problems = ({}, []) if paths else load_groups(
        data_dir / "groups.yaml", entities=[p.stem for p in entity_files(data_dir)], sources=ds.sources,
        shown=shown_path(data_dir / "groups.yaml", data_dir))
    problems = [*ds.problems, *group_problems]
    for problem in problems:
        print(problem)
    values = len(ds.frame)
    summary = f"{len(ds.files)} entity files, {len(ds.sources)} sources, {len(ds.metrics)} metrics, {values} values"
    if groups:
        summary += f", {len(groups)} groups"
    if problems:
        bad = len({p.file for p in problems})
        print(f"{len(problems)} problem(s) in {bad} file(s); checked {summary}", file=sys.stderr)
        return 1
    if not ds.files and paths is None:
        print(f"no entity files found in {data_dir / 'forces'}", file=sys.stderr)
        return 1
    print(f"OK: {summary}", file=sys.stderr)
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    ds = load_dataset(Path(args.data_dir) if args.data_dir else None)
    for problem in ds.problems:
        print(f"warning: {problem} (left out of the export)", file=sys.stderr)
    table = ds.frame[EXPORT_COLUMNS]
    if args.format == "csv":
        table.to_csv(sys.stdout, index=False)
    else:
        sys.stdout.write(table.to_json(orient="records", indent=1, force_ascii=False) + "\n")
    return 0


def cmd_schema(args: argparse.Namespace) -> int:
    out = check_folder(args.out, mkdir=args.mkdir)
    for name, model in SCHEMAS.items():
        path = out / f"{name}.schema.json"
        write_text(path, json.dumps(model.model_json_schema(), indent=2, ensure_ascii=False) + "\n")
        print(f"wrote {path}", file=sys.stderr)
    return 0


def cmd_coverage(args: argparse.Namespace) -> int:

    ds = load_dataset(Path(args.data_dir) if args.data_dir else None)
    entities = args.entities.split(",") if args.entities else [e for e in FOCUS_ENTITIES if e in ds.entities]
    unknown = [e for e in entities if e not in ds.entities]
    if unknown:
        print(f"unknown entity id(s): {', '.join(unknown)}", file=sys.stderr)
        return 2
    part_of = {m.id: m.part_of for m in ds.metrics.values() if m.part_of}
    if args.strict:
        print("Strict: only values of each field itself, counted as its definition says (no scope).")
    print(format_profile_report(profile_coverage(ds.frame, entities, part_of, strict=args.strict)))
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m forcedata", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("validate", help="check data files; exit 1 listing every problem")
    p.add_argument("paths", nargs="*", help="entity files, a data folder, forces/, sources.yaml or "
                   "metrics.yaml (default: the whole data folder)")
    p.add_argument("--data-dir", default=None,
                   help="folder with sources.yaml, metrics.yaml, forces/ (default: data/ or $FORCEDATA_DATA_DIR)")
    p.set_defaults(func=cmd_validate)

    p = sub.add_parser("export", help="the tidy table on stdout, citations included")
    p.add_argument("--format", choices=["csv", "json"], default="csv")
    p.add_argument("--data-dir", default=None)
    p.set_defaults(func=cmd_export)

    p = sub.add_parser("coverage", help="which profile fields are sourced per focus entity")
    p.add_argument("--entities", help="comma-separated ids (default: the focus entities)")
    p.add_argument("--strict", action="store_true",
                   help="count only values of the field itself with no scope (not finer metrics such as "
                        "fighters, nor counts whose scope differs from the definition)")
    p.add_argument("--data-dir", default=None)
    p.set_defaults(func=cmd_coverage)

    p = sub.add_parser("schema", help="write JSON Schema files for editors")
    p.add_argument("--out", default=PROJECT_ROOT / "schema", help="the folder to write them in (default: schema/)")
    p.add_argument("--mkdir", action="store_true", help="create the folder if it does not exist")
    p.set_defaults(func=cmd_schema)

    add_data_commands(sub)  # import, diff, scaffold, new: forcedata/commands.py
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run one command; every file written goes through ``forcedata.outputs`` (its errors are
    one line and exit 2; ``python -m forcedata`` also ends quietly on a closed pipe)."""
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except OutputError as err:
        print(err, file=sys.stderr)
        return 2
