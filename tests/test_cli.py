"""The maintainers' command line, run as a maintainer would run it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from forcedata.cli import SCHEMAS, main
from tests.conftest import GOOD_ENTITY, ROOT, Ran, run_main


def run(*args: str, cwd: Path = ROOT) -> Ran:
    """``python -m forcedata ARGS`` in this process (see ``run_main``)."""
    return run_main(main, *args, cwd=cwd)


def test_validate_clean_project_exits_0_and_counts_files():
    # NOTE: the real entry point, once, as a maintainer runs it; the other tests call main()
    result = subprocess.run([sys.executable, "-m", "forcedata", "validate"], cwd=ROOT, capture_output=True,
                            text=True, timeout=120, check=False, env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout == ""
    assert result.stderr.startswith("OK: ") and " entity files" in result.stderr
    assert int(result.stderr.split()[1]) >= 2


def test_validate_lists_every_problem_and_exits_1(data_dir, write_entity):
    bad = GOOD_ENTITY.format(id="TST").replace("value: 1000", "value: -3").replace("iiss-mb-2025", "nope")
    write_entity("TST", bad)
    write_entity("OKK", GOOD_ENTITY.format(id="OKK"))
    result = run("validate", "--data-dir", str(data_dir), cwd=data_dir)
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        "forces/TST.yaml:9: observations.personnel.active[0].source: unknown source 'nope' — "
        "add it to data/sources.yaml or fix the id",
        "forces/TST.yaml:7: observations.personnel.active[0].value: must not be negative (got -3) — fix the sign",
    ]
    assert "2 problem(s) in 1 file(s)" in result.stderr


def test_validate_given_files_only(data_dir, write_entity):
    good = write_entity("OKK", GOOD_ENTITY.format(id="OKK"))
    write_entity("BAD", "id: [")
    result = run("validate", "--data-dir", str(data_dir), str(good), cwd=data_dir)
    assert result.returncode == 0 and "1 entity files" in result.stderr


def test_validate_with_no_entity_files_fails(data_dir):
    result = run("validate", "--data-dir", str(data_dir))
    assert result.returncode == 1 and "no entity files found" in result.stderr


def test_export_csv_and_json_carry_citations():
    csv = run("export")
    assert csv.returncode == 0
    header, *lines = csv.stdout.splitlines()
    assert header.startswith("entity,entity_name,metric,metric_label,unit,as_of,value")
    assert any(line.startswith("PAK,Pakistan,personnel.active,Active personnel,people,2025,660000.0") for line in lines)
    records = json.loads(run("export", "--format", "json").stdout)
    pak = [r for r in records if r["entity"] == "PAK" and r["metric"] == "personnel.active" and r["is_default"]]
    assert pak[0]["via"] == "reuters-pak-afg-2025-10"
    assert pak[0]["source_citation"].startswith("International Institute for Strategic Studies, The Military Balance 2025")


def test_committed_json_schemas_are_up_to_date(tmp_path):
    assert run("schema", "--out", str(tmp_path)).returncode == 0
    for name in SCHEMAS:
        assert (tmp_path / f"{name}.schema.json").read_text() == (ROOT / "schema" / f"{name}.schema.json").read_text(), (
            f"schema/{name}.schema.json is stale: run `python -m forcedata schema`")


def test_every_data_file_points_editors_at_its_schema():
    files = sorted((ROOT / "data" / "forces").glob("*.yaml"))
    assert files
    for path in files:
        assert path.read_text(encoding="utf-8").startswith(
            "# yaml-language-server: $schema=../../schema/entity.schema.json\n"), path.name


def test_coverage_report_for_named_entities():
    result = run("coverage", "--entities", "PAK,AFG")
    assert result.returncode == 0
    lines = result.stdout.splitlines()
    assert lines[0].startswith("PAK: ") and lines[3].startswith("AFG: ")
    assert "personnel.active (2025)" in lines[1]
    assert run("coverage", "--entities", "PAK,ZZZ").returncode == 2
