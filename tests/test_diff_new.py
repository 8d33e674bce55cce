"""`python -m forcedata diff` (directories and git refs) and `python -m forcedata new`."""

from __future__ import annotations

import csv
import io
import shutil
import subprocess
from pathlib import Path

import pytest

from forcedata.cli import main
from forcedata.diff import data_dir_for, diff_frames
from forcedata.load import load_dataset
from tests.releases import add_to_registry, registry_entry

OLD_PAK = """\
id: PAK
name: Pakistan
kind: state
observations:
  personnel:
    active:
      - value: 660000
        as_of: 2025
        source: iiss-mb-2025
      - value: 600000
        qualifier: more_than
        as_of: 2025
        source: iiss-mb-2025
        via: arabnews-sponsor-to-enemy-2025
series:
  spending:
    milex_usd:
      - source: sipri-milex-2025
        values:
          2023: 8626
          2024: 10166
"""

NEW_PAK = """\
id: PAK
name: Pakistan
kind: state
observations:
  personnel:
    active:
      - value: 650000
        qualifier: about
        as_of: 2025
        source: iiss-mb-2025
  nuclear:
    warheads:
      - value: 170
        qualifier: estimate
        as_of: 2025-01
        source: sipri-yb-2025-nuclear
series:
  spending:
    milex_usd:
      - source: sipri-milex-2025
        values:
          2023: 8626
          2024: 10165.95
"""


def make_dir(root: Path, pak: str, registry_from: Path) -> Path:
    (root / "forces").mkdir(parents=True)
    for name in ("sources.yaml", "metrics.yaml"):
        shutil.copy(registry_from / name, root / name)
    (root / "forces" / "PAK.yaml").write_text(pak, encoding="utf-8")
    return root


@pytest.fixture
def two_dirs(data_dir: Path, tmp_path: Path) -> tuple[Path, Path]:
    return make_dir(tmp_path / "old", OLD_PAK, data_dir), make_dir(tmp_path / "new", NEW_PAK, data_dir)


def test_diff_frames_added_changed_removed(two_dirs):
    old, new = two_dirs
    table = diff_frames(load_dataset(old).frame, load_dataset(new).frame)
    rows = {(r.change, r.metric, r.as_of, r.via or None): r for r in table.itertuples()}
    assert set(rows) == {
        ("changed", "personnel.active", "2025", None),
        ("removed", "personnel.active", "2025", "arabnews-sponsor-to-enemy-2025"),
        ("added", "nuclear.warheads", "2025-01", None),
        ("changed", "spending.milex_usd", "2024", None),
    }
    changed = rows["changed", "personnel.active", "2025", None]
    assert (changed.old, changed.new, changed.fields) == ("660,000", "≈ 650,000", "value,qualifier")
    milex = rows["changed", "spending.milex_usd", "2024", None]
    assert (milex.old, milex.new, milex.source, milex.from_series) == ("10,166", "10,165.95", "sipri-milex-2025", True)


def test_diff_cli_text_and_csv(two_dirs, capsys):
    old, new = two_dirs
    assert main(["diff", str(old), str(new)]) == 0
    text = capsys.readouterr().out
    assert "PAK Pakistan: 1 added, 2 changed, 1 removed" in text
    assert "  ~ personnel.active 2025: 660,000 -> ≈ 650,000 people; iiss-mb-2025 [value,qualifier]" in text
    assert "  - personnel.active 2025: > 600,000 people; iiss-mb-2025 via arabnews-sponsor-to-enemy-2025" in text
    assert main(["diff", str(old), str(new), "--format", "csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert len(rows) == 4 and {r["change"] for r in rows} == {"added", "changed", "removed"}
    assert main(["diff", str(old), str(old)]) == 0
    assert capsys.readouterr().out.strip() == "no differences"


def test_diff_reads_git_refs(data_dir: Path, tmp_path: Path):
    repo = tmp_path / "repo"
    make_dir(repo / "data", OLD_PAK, data_dir)
    git = ["git", "-C", str(repo), "-c", "user.name=t", "-c", "user.email=t@example.org"]
    subprocess.run([*git[:3], "init", "-q"], check=True)
    subprocess.run([*git, "add", "data"], check=True)
    subprocess.run([*git, "commit", "-q", "-m", "old"], check=True)
    (repo / "data" / "forces" / "PAK.yaml").write_text(NEW_PAK, encoding="utf-8")
    subprocess.run([*git, "commit", "-q", "-am", "new"], check=True)
    with data_dir_for("HEAD~1", repo / "data") as old, data_dir_for("HEAD", repo / "data") as new:
        table = diff_frames(load_dataset(old).frame, load_dataset(new).frame)
    assert sorted(table["change"]) == ["added", "changed", "changed", "removed"]


SERIES_2026 = """\
id: PAK
name: Pakistan
kind: state
observations:
  spending:
    milex_usd:
      - value: 10166
        as_of: 2024
        source: sipri-milex-2025
series:
  spending:
    milex_usd:
      - source: sipri-milex-2026
        values:
          2023: 8700
          2024: 10165.95
          2025: 11000
"""


def test_a_new_edition_of_a_database_shows_only_its_revisions(two_dirs, tmp_path, capsys):
    """A series matched across two editions of one database (the registry's database:): a revised
    year is a change, a new year an addition, the unchanged years are counted, not listed; an
    observation of the old edition is not matched to the new series."""
    old, _ = two_dirs
    old_pak = OLD_PAK.replace("observations:\n", "observations:\n  spending:\n    milex_usd:\n"
                              "      - value: 10166\n        as_of: 2024\n        source: sipri-milex-2025\n", 1)
    (old / "forces" / "PAK.yaml").write_text(old_pak.replace("          2024: 10166\n", "          2024: 10165.95\n"),
                                             encoding="utf-8")
    new = make_dir(tmp_path / "edition", SERIES_2026, old)
    add_to_registry(new, registry_entry("sipri-milex-2026"))
    table = diff_frames(load_dataset(old).frame, load_dataset(new).frame)
    milex = table[table["metric"] == "spending.milex_usd"]
    assert [(r.change, r.as_of, r.source, r.old, r.new, r.fields) for r in milex.itertuples()] == [
        ("changed", "2023", "sipri-milex-2026", "8,626", "8,700", "value,source"),
        ("added", "2025", "sipri-milex-2026", "", "11,000", ""),
    ]
    assert table.attrs["recited"] == {("sipri-milex-2025", "sipri-milex-2026"): 1}
    assert main(["diff", str(old), str(new)]) == 0
    text = capsys.readouterr().out
    assert "  ~ spending.milex_usd 2023: 8,626 -> 8,700 US$ m (current); sipri-milex-2026 (series) [value,source]" in text
    assert text.rstrip().endswith("series years now citing sipri-milex-2026 instead of sipri-milex-2025, "
                                  "their figures unchanged: 1")


def test_diff_unknown_side_exits_2(capsys):
    assert main(["diff", "no-such-ref-or-dir", "HEAD"]) == 2
    assert "neither a data directory nor a git ref" in capsys.readouterr().err


def test_new_writes_header_and_validates(data_dir: Path, capsys):
    assert main(["new", "KOR", "--data-dir", str(data_dir)]) == 0
    text = (data_dir / "forces" / "KOR.yaml").read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=../../schema/entity.schema.json\n#\n")
    assert "id: KOR\nname: South Korea\nkind: state\nobservations: {}\nseries: {}\n" in text
    assert main(["new", "x-wagner", "--name", "Wagner Group", "--kind", "non_state", "--data-dir", str(data_dir)]) == 0
    assert "kind: non_state" in (data_dir / "forces" / "x-wagner.yaml").read_text(encoding="utf-8")
    capsys.readouterr()
    assert main(["validate", "--data-dir", str(data_dir)]) == 0


def test_new_refuses_to_overwrite(data_dir: Path, capsys):
    path = data_dir / "forces" / "PAK.yaml"
    path.write_text("id: PAK\nname: Pakistan\nkind: state\n", encoding="utf-8")
    assert main(["new", "PAK", "--data-dir", str(data_dir)]) == 2
    assert "already exists" in capsys.readouterr().err
    assert path.read_text(encoding="utf-8") == "id: PAK\nname: Pakistan\nkind: state\n"


@pytest.mark.parametrize("bad", ["pak", "PAKI", "x_foo", "X-foo", "12A"])
def test_new_rejects_malformed_id(data_dir: Path, bad: str, capsys):
    assert main(["new", bad, "--data-dir", str(data_dir)]) == 2
    assert "is not an entity id" in capsys.readouterr().err
    assert not list((data_dir / "forces").glob("*.yaml"))


def test_new_needs_a_name_for_unknown_codes(data_dir: Path, capsys):
    assert main(["new", "XYZ", "--data-dir", str(data_dir)]) == 2
    assert "--name" in capsys.readouterr().err
