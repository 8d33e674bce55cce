"""Editions are data: which registry entry an import cites (--source, the edition the release
states, or the database's only one), superseding of an earlier edition's series, the alias hint
for a renamed country, and no source id written in code."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
from pathlib import Path

import pytest

from forcedata.cli import main
from forcedata.load import load_dataset
from tests.conftest import ROOT
from tests.releases import (
    NEW_COUNTRY, REVISED, add_to_registry, build_next_year_workbook, build_workbook, registry_entry,
)

PAK = """\
id: PAK
name: Pakistan
kind: state
observations:
  spending:
    milex_usd:
      - value: 10200
        qualifier: about
        as_of: 2024
        source: sipri-milex-2025
        note: a single figure of the 2025 edition, as a report quoted it
"""

COW_CSV = "stateabb,ccode,year,milper\nUSA,2,2015,1347\nPAK,770,2015,644\n"


@pytest.fixture(autouse=True)
def next_february(monkeypatch):
    """These releases are next year's (2027 editions): the checks' today is in February 2027, when a
    maintainer would import them (an access date after today is refused)."""
    monkeypatch.setattr("forcedata.schema.today", lambda: dt.date(2027, 2, 20))


def run(*argv) -> int:
    return main([str(a) for a in argv])


@pytest.fixture
def milex_dir(data_dir: Path) -> Path:
    (data_dir / "forces" / "PAK.yaml").write_text(PAK, encoding="utf-8")
    return data_dir


def sources_cited(data_dir: Path, entity: str, metric: str) -> dict[str, set[str]]:
    """source -> years, separately for series years and observations."""
    frame = load_dataset(data_dir).frame
    rows = frame[(frame.entity == entity) & (frame.metric == metric)]
    out: dict[str, set[str]] = {}
    for r in rows.itertuples():
        out.setdefault(f"{r.source} ({'series' if r.from_series else 'observation'})", set()).add(r.as_of)
    return out


# --- which edition ----------------------------------------------------------------------------------


def test_the_only_edition_of_the_database_is_cited(data_dir, tmp_path, capsys):
    """A release that does not state its edition (COW's CSV) cites the database's one edition."""
    csv = tmp_path / "nmc.csv"
    csv.write_text(COW_CSV, encoding="utf-8")
    assert run("import", "cow-nmc", csv, "--data-dir", data_dir) == 0
    assert "citing cow-nmc-6.0 (National Material Capabilities v6.0, edition v6.0)" in capsys.readouterr().err
    assert sources_cited(data_dir, "USA", "personnel.active") == {"cow-nmc-6.0 (series)": {"2015"}}


def test_the_workbook_of_this_year_cites_this_years_edition(milex_dir, tmp_path, capsys):
    wb = build_workbook(tmp_path / "milex.xlsx")
    assert run("import", "sipri-milex", wb, "--data-dir", milex_dir) == 0
    assert "citing sipri-milex-2025 (SIPRI Military Expenditure Database, edition 1949-2024 release)" in capsys.readouterr().err
    assert sources_cited(milex_dir, "PAK", "spending.milex_usd")["sipri-milex-2025 (series)"] == {"2022", "2023", "2024"}


def test_the_edition_the_workbook_states_is_found_among_several(milex_dir, tmp_path):
    """The workbook's newest year column is its edition: data up to 2025 is the entry whose
    edition says '...-2025', without --source."""
    add_to_registry(milex_dir, registry_entry("sipri-milex-2026"))
    wb = build_next_year_workbook(tmp_path / "next.xlsx")
    # NOTE: the renamed and the new country need their alias and nothing else here
    with pytest.MonkeyPatch.context() as m:
        from forcedata.importers import countries
        m.setitem(countries.ALIASES, "korea, dpr", "PRK")
        assert run("import", "sipri-milex", wb, "--data-dir", milex_dir) == 0
    assert "sipri-milex-2026 (series)" in sources_cited(milex_dir, "PAK", "spending.milex_usd")


def test_a_release_no_registry_entry_states_is_refused(milex_dir, tmp_path, capsys):
    """Next year's workbook with only this year's entry in the registry is not cited as this
    year's edition: the import stops and says to add the new entry."""
    wb = build_workbook(tmp_path / "next.xlsx", years=[2023, 2024, 2025])
    before = (milex_dir / "forces" / "PAK.yaml").read_bytes()
    assert run("import", "sipri-milex", wb, "--data-dir", milex_dir) == 2
    err = capsys.readouterr().err
    assert "the release states '2025' (its newest year of data)" in err
    assert "no edition of sipri-milex in data/sources.yaml says so" in err and "Nothing was written" in err
    assert (milex_dir / "forces" / "PAK.yaml").read_bytes() == before


def test_source_must_match_what_the_release_states(milex_dir, tmp_path, capsys):
    add_to_registry(milex_dir, registry_entry("sipri-milex-2026"))
    wb = build_workbook(tmp_path / "milex.xlsx")  # data up to 2024: the 2025 release
    assert run("import", "sipri-milex", wb, "--source", "sipri-milex-2026", "--data-dir", milex_dir) == 2
    assert "the release states '2024'" in capsys.readouterr().err


def test_source_is_required_among_several_editions(data_dir, tmp_path, capsys):
    add_to_registry(data_dir, registry_entry("cow-nmc-7.0", database="cow-nmc", edition="v7.0",
                                             published="2024", producer="Correlates of War Project"))
    csv = tmp_path / "nmc.csv"
    csv.write_text(COW_CSV, encoding="utf-8")
    assert run("import", "cow-nmc", csv, "--data-dir", data_dir) == 2
    err = capsys.readouterr().err
    assert "holds 2 editions of cow-nmc" in err and "pass --source ID (the newest is cow-nmc-7.0)" in err
    assert not list((data_dir / "forces").glob("*.yaml"))
    assert run("import", "cow-nmc", csv, "--source", "cow-nmc-7.0", "--data-dir", data_dir) == 0
    assert sources_cited(data_dir, "USA", "personnel.active") == {"cow-nmc-7.0 (series)": {"2015"}}


@pytest.mark.parametrize("source, message", [
    ("sipri-milex-2031", "--source 'sipri-milex-2031' is not in data/sources.yaml"),
    ("livemint-sipri-nuclear-2025", "is a report quoting others (kind: secondary)"),
    ("sipri-yb-2025-nuclear", "is an edition of 'sipri-yb-nuclear', and `import sipri-milex` reads 'sipri-milex'"),
    ("iiss-mb-2025", "is an edition of 'iiss-mb'"),
    ("uk-mod-equipment-formations-2025", "is not marked as an edition"),
    ("other-producer", "names the producer 'Someone Else'"),
])
def test_a_wrong_source_is_refused(milex_dir, tmp_path, capsys, source, message):
    add_to_registry(milex_dir, registry_entry("other-producer", producer="Someone Else"))
    wb = build_workbook(tmp_path / "milex.xlsx")
    before = (milex_dir / "forces" / "PAK.yaml").read_bytes()
    assert run("import", "sipri-milex", wb, "--source", source, "--data-dir", milex_dir) == 2
    assert message in capsys.readouterr().err
    assert (milex_dir / "forces" / "PAK.yaml").read_bytes() == before


def test_via_must_be_in_the_registry(milex_dir, tmp_path, capsys):
    csv = tmp_path / "nuclear.csv"
    csv.write_text("country,as_of,total_inventory,qualifier\nPakistan,2025-01,170,estimate\n", encoding="utf-8")
    assert run("import", "sipri-nuclear", csv, "--via", "no-such-report", "--data-dir", milex_dir) == 2
    assert "--via 'no-such-report' is not in data/sources.yaml" in capsys.readouterr().err


# --- a new edition supersedes the last one's series ----------------------------------------------------


def test_a_new_edition_replaces_the_series_and_reports_every_revised_year(milex_dir, tmp_path, capsys):
    assert run("import", "sipri-milex", build_workbook(tmp_path / "this.xlsx"), "--data-dir", milex_dir) == 0
    add_to_registry(milex_dir, registry_entry("sipri-milex-2026"))
    capsys.readouterr()
    with pytest.MonkeyPatch.context() as m:
        from forcedata.importers import countries
        m.setitem(countries.ALIASES, "korea, dpr", "PRK")
        assert run("import", "sipri-milex", build_next_year_workbook(tmp_path / "next.xlsx"),
                   "--source", "sipri-milex-2026", "--data-dir", milex_dir) == 0
    captured = capsys.readouterr()
    assert "its series replace those of sipri-milex-2025" in captured.err
    cited = sources_cited(milex_dir, "PAK", "spending.milex_usd")
    # one series, of the new edition, with the new year; the single figure of the old edition stays
    assert cited == {"sipri-milex-2026 (series)": {"2022", "2023", "2024", "2025"},
                     "sipri-milex-2025 (observation)": {"2024"}}
    for metric in ("spending.milex_constant_usd", "spending.milex_gdp_share", "spending.milex_per_capita"):
        assert set(sources_cited(milex_dir, "PAK", metric)) == {"sipri-milex-2026 (series)"}
    out = captured.out
    sheet, country, year, value = REVISED
    assert f"~ spending.milex_usd {year}: 8,626.158 est. -> 8,700" in out  # the revision, old -> new
    assert "* spending.milex_usd: source now sipri-milex-2026 (was sipri-milex-2025)" in out
    assert "PAK (updated): 0 added, 1 changed, 0 removed" not in out
    assert f"{NEW_COUNTRY[1]} (new file)" in out
    text = (milex_dir / "forces" / "PAK.yaml").read_text(encoding="utf-8")
    assert text.count("source: sipri-milex-2026") == 4 and text.count("source: sipri-milex-2025") == 1
    assert run("validate", "--data-dir", milex_dir) == 0


def test_an_older_edition_is_not_imported_over_a_newer_one(milex_dir, tmp_path, capsys):
    add_to_registry(milex_dir, registry_entry("sipri-milex-2026"))
    with pytest.MonkeyPatch.context() as m:
        from forcedata.importers import countries
        m.setitem(countries.ALIASES, "korea, dpr", "PRK")
        assert run("import", "sipri-milex", build_next_year_workbook(tmp_path / "next.xlsx"), "--data-dir", milex_dir) == 0
    before = (milex_dir / "forces" / "PAK.yaml").read_bytes()
    capsys.readouterr()
    assert run("import", "sipri-milex", build_workbook(tmp_path / "this.xlsx"), "--data-dir", milex_dir) == 2
    assert "already hold series of a later edition of sipri-milex (sipri-milex-2026)" in capsys.readouterr().err
    assert (milex_dir / "forces" / "PAK.yaml").read_bytes() == before


def test_observations_of_earlier_editions_stay(data_dir, tmp_path):
    """An observation importer (the Factbook) adds the new edition's values beside the old ones."""
    add_to_registry(data_dir, registry_entry("cia-wfb-2027-01", database="cia-wfb-military", edition="2027",
                                             published="2027-01-01", producer="Central Intelligence Agency (CIA)"))
    csv = tmp_path / "factbook.csv"
    csv.write_text("gec_code,country,personnel_strengths\npk,Pakistan,\"approximately 650,000 active Armed Forces (2025)\"\n",
                   encoding="utf-8")
    assert run("import", "factbook", csv, "--source", "cia-wfb-2026-01", "--data-dir", data_dir) == 0
    csv.write_text("gec_code,country,personnel_strengths\npk,Pakistan,\"approximately 655,000 active Armed Forces (2026)\"\n",
                   encoding="utf-8")
    assert run("import", "factbook", csv, "--source", "cia-wfb-2027-01", "--data-dir", data_dir) == 0
    assert sources_cited(data_dir, "PAK", "personnel.active") == {
        "cia-wfb-2026-01 (observation)": {"2025"}, "cia-wfb-2027-01 (observation)": {"2026"}}


# --- a renamed country ------------------------------------------------------------------------------


def test_a_renamed_country_stops_the_import_with_the_alias_to_add(milex_dir, tmp_path, capsys):
    assert run("import", "sipri-milex", build_workbook(tmp_path / "this.xlsx"), "--data-dir", milex_dir) == 0
    add_to_registry(milex_dir, registry_entry("sipri-milex-2026"))
    before = {p.name: p.read_bytes() for p in (milex_dir / "forces").glob("*.yaml")}
    capsys.readouterr()
    assert run("import", "sipri-milex", build_next_year_workbook(tmp_path / "next.xlsx"), "--data-dir", milex_dir) == 2
    err = capsys.readouterr().err
    assert 'country names that map to no entity id: "Korea, DPR" (sheet "Current US$")' in err
    assert "Cited today but not found in this release: PRK (North Korea)." in err
    assert 'If the publisher renamed it, add to ALIASES:  "korea, dpr": "PRK",' in err
    assert {p.name: p.read_bytes() for p in (milex_dir / "forces").glob("*.yaml")} == before


# --- no edition in code -------------------------------------------------------------------------------


def test_no_source_id_is_written_in_code():
    """No registry id appears in forcedata/, components/, app_pages/ or the entry files: which
    edition a value cites is data (data/sources.yaml), never code."""
    text = (ROOT / "data" / "sources.yaml").read_text(encoding="utf-8")
    ids = re.findall(r"^  - id: (\S+)$", text, re.M)
    assert len(ids) > 100
    listed = subprocess.run(["git", "ls-files", "--cached", "--others", "--exclude-standard", "forcedata", "components",
                             "app_pages", "dashboard.py", "serve.py"], cwd=ROOT, capture_output=True, text=True,
                            check=True).stdout.split()
    pattern = re.compile(r"(?<![\w.-])(" + "|".join(map(re.escape, sorted(ids, key=len, reverse=True))) + r")(?![\w.-])")
    found = [f"{name}: {m[0]}" for name in listed if name.endswith(".py")
             for m in [pattern.search((ROOT / name).read_text(encoding="utf-8"))] if m]
    assert found == []


# --- scaffold: a new edition entered by hand ---------------------------------------------------------

IISS_PAK = """\
id: PAK
name: Pakistan
kind: state
observations:
  personnel:
    active:
      # a hand-written comment that stays
      - value: 660000
        as_of: 2025
        source: iiss-mb-2025
        via: reuters-pak-afg-2025-10
      - value: 650000
        as_of: 2025
        source: gfp-2025
"""


@pytest.fixture
def iiss_dir(data_dir: Path) -> Path:
    (data_dir / "forces" / "PAK.yaml").write_text(IISS_PAK, encoding="utf-8")
    add_to_registry(data_dir, registry_entry("iiss-mb-2027", database="iiss-mb", edition="2027", published="2027-02",
                                             producer="International Institute for Strategic Studies (IISS)"))
    return data_dir


def test_scaffold_adds_a_value_to_fill_in_after_the_previous_editions(iiss_dir, capsys):
    path = iiss_dir / "forces" / "PAK.yaml"
    assert run("scaffold", "iiss-mb-2027", "--dry-run", "--data-dir", iiss_dir) == 0
    assert path.read_text(encoding="utf-8") == IISS_PAK
    assert run("scaffold", "iiss-mb-2027", "--data-dir", iiss_dir) == 0
    out = capsys.readouterr()
    assert "PAK: personnel.active" in out.out and "after those of iiss-mb-2025" in out.err
    text = path.read_text(encoding="utf-8")
    assert text.startswith(IISS_PAK.split("      - value: 650000")[0])  # comments and the old value as they were
    assert ("        via: reuters-pak-afg-2025-10\n"
            "      # new edition iiss-mb-2027: fill in its figure, qualifier, via and quote, or delete this value\n"
            "      # (iiss-mb-2025 said 660,000 as of 2025 via reuters-pak-afg-2025-10)\n"
            "      - value:\n        as_of: 2027\n        source: iiss-mb-2027\n        via:\n        quote:\n"
            "      - value: 650000\n") in text
    # the stub does not validate until it is filled in: validate names it
    assert run("validate", "--data-dir", iiss_dir) == 1
    assert "PAK.yaml:14: observations.personnel.active[1]: give value" in capsys.readouterr().out
    # a second run adds nothing where the new edition is cited
    assert run("scaffold", "iiss-mb-2027", "--data-dir", iiss_dir) == 0
    assert path.read_text(encoding="utf-8") == text


@pytest.mark.parametrize("source, message", [
    ("iiss-mb-2031", "'iiss-mb-2031' is not in data/sources.yaml"),
    ("reuters-pak-afg-2025-10", "is not an edition of a database"),
    ("iiss-mb-2018", "no observation cites an earlier edition of iiss-mb"),
])
def test_scaffold_refuses_what_it_cannot_follow(iiss_dir, capsys, source, message):
    assert run("scaffold", source, "--data-dir", iiss_dir) == 2
    assert message in capsys.readouterr().err
    assert (iiss_dir / "forces" / "PAK.yaml").read_text(encoding="utf-8") == IISS_PAK


def test_a_secondary_report_is_not_an_edition(data_dir, capsys):
    add_to_registry(data_dir, registry_entry("some-report-2027", kind="secondary"))
    assert run("validate", "--data-dir", data_dir, data_dir / "sources.yaml") == 1
    assert "a secondary report is not an edition of a database" in capsys.readouterr().out
