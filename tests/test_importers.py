"""Importers: exact values and qualifiers, idempotency, comment preservation, rejections.

Every test builds its own input (a small workbook or CSV) in tmp_path and imports into a
throwaway data directory; the real workbook is only spot-checked when it is present.
"""

from __future__ import annotations

import random
from pathlib import Path

import openpyxl
import pytest

from forcedata.cli import main
from forcedata.importers.countries import entity_id_for
from forcedata.importers.factbook import parse_personnel
from forcedata.importers.sipri_milex import store
from forcedata.load import load_dataset
from tests.releases import build_workbook

# ../shared beside the checkout (as on developer machines and in CI); absent in a bare clone.
REAL_WORKBOOK = Path(__file__).resolve().parents[2] / "shared/sources/sipri-milex/SIPRI-Milex-data-1949-2024_2.xlsx"

PAK_WITH_COMMENTS = """\
# yaml-language-server: $schema=../../schema/entity.schema.json
#
# Hand-written header comment that must survive.
id: PAK
name: Pakistan
kind: state
observations:
  personnel:
    active:
      # a comment above a hand-curated value
      - value: 660000
        qualifier: exact
        as_of: 2025
        source: iiss-mb-2025
        quote: "660,000 active personnel"  # trailing comment
series:
  spending:
    milex_usd:
      - source: sipri-milex-2025
        locator: sheet "Current US$"
        values:
          2024: 10166
      - source: iiss-mb-2025
        note: hand-curated block from another source
        values:
          2024: 9999
"""

TTP = """\
id: x-ttp
name: Tehrik-i-Taliban Pakistan
kind: non_state
"""

def run(*argv: str) -> int:
    return main([str(a) for a in argv])


def snapshot(data_dir: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((data_dir / "forces").glob("*.yaml"))}


def values_of(data_dir: Path, entity: str, metric: str, source: str):
    frame = load_dataset(data_dir).frame
    rows = frame[(frame.entity == entity) & (frame.metric == metric) & (frame.source == source)]
    return {r.as_of: r for r in rows.itertuples()}


@pytest.fixture
def milex_dir(data_dir: Path) -> Path:
    (data_dir / "forces" / "PAK.yaml").write_text(PAK_WITH_COMMENTS, encoding="utf-8")
    (data_dir / "forces" / "x-ttp.yaml").write_text(TTP, encoding="utf-8")
    return data_dir


# --- SIPRI Milex -------------------------------------------------------------------------------


def test_sipri_milex_values_colours_and_symbols(milex_dir: Path, tmp_path: Path, capsys):
    wb = build_workbook(tmp_path / "milex.xlsx")
    assert run("import", "sipri-milex", wb, "--data-dir", milex_dir) == 0
    out = capsys.readouterr().out
    assert "PAK (updated)" in out and "SUN (new file)" in out and "European Union" in out

    usd = values_of(milex_dir, "PAK", "spending.milex_usd", "sipri-milex-2025")
    assert usd["2022"].value == 10358.14 and usd["2022"].qualifier == "exact"
    assert usd["2023"].value == 8626.158 and usd["2023"].qualifier == "estimate"  # blue
    assert usd["2024"].value == 10165.95 and bool(usd["2024"].uncertain)  # red
    assert usd["2024"].qualifier == "exact"
    assert "adopted budget" in usd["2022"].note and "include military pensions" in usd["2022"].note

    share = values_of(milex_dir, "PAK", "spending.milex_gdp_share", "sipri-milex-2025")
    assert share["2022"].value == 3.176832024  # fraction x 100, 10 significant digits
    const = values_of(milex_dir, "PAK", "spending.milex_constant_usd", "sipri-milex-2025")
    assert const["2022"].value == 11000.12
    per_capita = values_of(milex_dir, "PAK", "spending.milex_per_capita", "sipri-milex-2025")
    assert per_capita["2022"].value == 43.25714

    prk = values_of(milex_dir, "PRK", "spending.milex_usd", "sipri-milex-2025")
    assert set(prk) == {"2023", "2024"}  # 2022 is "xxx": nothing written
    assert prk["2023"].status == "not_known" and prk["2024"].status == "not_known"
    sun = values_of(milex_dir, "SUN", "spending.milex_usd", "sipri-milex-2025")
    assert set(sun) == {"2022"} and sun["2022"].value == 250000

    text = (milex_dir / "forces" / "SUN.yaml").read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=../../schema/entity.schema.json\n#\n")
    assert "id: SUN\nname: Soviet Union\nkind: state\n" in text
    assert "2023: {status: not_known}" in (milex_dir / "forces" / "PRK.yaml").read_text(encoding="utf-8")
    assert not (milex_dir / "forces" / "EUU.yaml").exists()
    assert run("validate", "--data-dir", milex_dir) == 0


def test_sipri_milex_keeps_comments_and_other_values(milex_dir: Path, tmp_path: Path):
    wb = build_workbook(tmp_path / "milex.xlsx")
    assert run("import", "sipri-milex", wb, "--data-dir", milex_dir) == 0
    text = (milex_dir / "forces" / "PAK.yaml").read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=../../schema/entity.schema.json\n#\n"
                           "# Hand-written header comment that must survive.\n")
    assert "      # a comment above a hand-curated value\n      - value: 660000\n" in text
    assert 'quote: "660,000 active personnel"  # trailing comment\n' in text
    assert "2024: 10166\n" not in text  # the old SIPRI figure was replaced ...
    other = values_of(milex_dir, "PAK", "spending.milex_usd", "iiss-mb-2025")
    assert other["2024"].value == 9999  # ... the other source's block was not
    assert "note: hand-curated block from another source" in text
    ttp = (milex_dir / "forces" / "x-ttp.yaml").read_text(encoding="utf-8")
    assert ttp == TTP


def test_sipri_milex_second_run_changes_no_byte(milex_dir: Path, tmp_path: Path, capsys):
    wb = build_workbook(tmp_path / "milex.xlsx")
    assert run("import", "sipri-milex", wb, "--data-dir", milex_dir) == 0
    first = snapshot(milex_dir)
    capsys.readouterr()
    assert run("import", "sipri-milex", wb, "--data-dir", milex_dir) == 0
    assert snapshot(milex_dir) == first
    assert "0 file(s) to write" in capsys.readouterr().out


def test_sipri_milex_dry_run_writes_nothing(milex_dir: Path, tmp_path: Path, capsys):
    wb = build_workbook(tmp_path / "milex.xlsx")
    before = snapshot(milex_dir)
    assert run("import", "sipri-milex", wb, "--data-dir", milex_dir, "--dry-run") == 0
    assert snapshot(milex_dir) == before
    out = capsys.readouterr().out
    assert "PAK (updated): 11 added, 1 changed, 0 removed" in out
    assert "~ spending.milex_usd 2024: 10,166 -> 10,165.95 est. (highly uncertain)" in out


def test_sipri_milex_rejects_missing_sheet(milex_dir: Path, tmp_path: Path, capsys):
    wb = build_workbook(tmp_path / "milex.xlsx", drop_sheet="Share of GDP")
    before = snapshot(milex_dir)
    assert run("import", "sipri-milex", wb, "--data-dir", milex_dir) == 2
    err = capsys.readouterr().err
    assert 'the workbook has no sheet "Share of GDP"' in err and "Nothing was written" in err
    assert snapshot(milex_dir) == before


def test_sipri_milex_stops_on_unknown_country(milex_dir: Path, tmp_path: Path, capsys):
    wb = build_workbook(tmp_path / "milex.xlsx", extra_country="Atlantis")
    before = snapshot(milex_dir)
    assert run("import", "sipri-milex", wb, "--data-dir", milex_dir) == 2
    assert 'country names that map to no entity id: "Atlantis"' in capsys.readouterr().err
    assert snapshot(milex_dir) == before


def test_not_a_workbook_is_rejected(milex_dir: Path, tmp_path: Path, capsys):
    bad = tmp_path / "milex.xlsx"
    bad.write_text("country,year\n", encoding="utf-8")
    assert run("import", "sipri-milex", bad, "--data-dir", milex_dir) == 2
    assert "cannot open as an .xlsx workbook" in capsys.readouterr().err


@pytest.mark.skipif(not REAL_WORKBOOK.is_file(), reason="the shared SIPRI workbook is not present")
def test_spot_check_real_workbook(data_dir: Path):
    """10 random (country, year) cells per sheet of the real workbook, read independently with
    openpyxl, against what the import wrote (by the documented rounding rule)."""
    assert run("import", "sipri-milex", REAL_WORKBOOK, "--data-dir", data_dir) == 0
    frame = load_dataset(data_dir).frame
    frame = frame[frame.source == "sipri-milex-2025"].set_index(["entity", "metric", "as_of"])
    wb = openpyxl.load_workbook(REAL_WORKBOOK, data_only=True)
    rng = random.Random(2025)
    sheets = {"Current US$": ("spending.milex_usd", "usd"), "Share of GDP": ("spending.milex_gdp_share", "share"),
              "Constant (2023) US$": ("spending.milex_constant_usd", "usd"), "Per capita": ("spending.milex_per_capita", "usd")}
    for title, (metric, rule) in sheets.items():
        ws = wb[title]
        header = next(r for r in ws.iter_rows() if r[0].value == "Country")
        years = {c.column: c.value for c in header if isinstance(c.value, int)}
        cells = [(row[0].value, years[c.column], c.value) for row in ws.iter_rows(min_row=header[0].row + 1)
                 for c in row if c.column in years and isinstance(c.value, (int, float))
                 and row[0].value != "European Union"]
        for country, year, number in rng.sample(cells, 10):
            stored = frame.loc[(entity_id_for(country), metric, str(year)), "value"]
            assert stored == store(number, rule), (title, country, year)
            if rule == "share":
                assert abs(stored / 100 - number) <= 1e-9 * abs(number)
            else:
                assert abs(stored - number) <= 5e-7 * abs(number)


# --- SIPRI Yearbook nuclear ----------------------------------------------------------------------


NUCLEAR_CSV = """\
country,as_of,total_inventory,qualifier,primary_source
Pakistan,2025-01,170,estimate,SIPRI Yearbook 2025
North Korea,2025-01,50,estimate,SIPRI Yearbook 2025
"""


def test_sipri_nuclear_listed_and_zero(milex_dir: Path, tmp_path: Path):
    (milex_dir / "forces" / "AFG.yaml").write_text("id: AFG\nname: Afghanistan\nkind: state\n", encoding="utf-8")
    csv = tmp_path / "nuclear.csv"
    csv.write_text(NUCLEAR_CSV, encoding="utf-8")
    assert run("import", "sipri-nuclear", csv, "--via", "livemint-sipri-nuclear-2025", "--data-dir", milex_dir) == 0
    pak = values_of(milex_dir, "PAK", "nuclear.warheads", "sipri-yb-2025-nuclear")["2025-01"]
    assert (pak.value, pak.qualifier, pak.via) == (170, "estimate", "livemint-sipri-nuclear-2025")
    prk = values_of(milex_dir, "PRK", "nuclear.warheads", "sipri-yb-2025-nuclear")["2025-01"]
    assert prk.value == 50
    afg = values_of(milex_dir, "AFG", "nuclear.warheads", "sipri-yb-2025-nuclear")["2025-01"]
    assert (afg.value, afg.qualifier, afg.caption) == (0, "exact", "not nuclear-armed")
    assert afg.note == "Not among the nine nuclear-armed states the Yearbook lists."
    assert (milex_dir / "forces" / "x-ttp.yaml").read_text(encoding="utf-8") == TTP  # non-state: nothing
    first = snapshot(milex_dir)
    assert run("import", "sipri-nuclear", csv, "--via", "livemint-sipri-nuclear-2025", "--data-dir", milex_dir) == 0
    assert snapshot(milex_dir) == first


def test_sipri_nuclear_rejects_wrong_header(milex_dir: Path, tmp_path: Path, capsys):
    csv = tmp_path / "nuclear.csv"
    csv.write_text("state,warheads\nPakistan,170\n", encoding="utf-8")
    before = snapshot(milex_dir)
    assert run("import", "sipri-nuclear", csv, "--data-dir", milex_dir) == 2
    assert "missing column(s) country, as_of, total_inventory, qualifier" in capsys.readouterr().err
    assert snapshot(milex_dir) == before


# --- CIA World Factbook ------------------------------------------------------------------------


@pytest.mark.parametrize("text, expected", [
    ("approximately 650,000 active Armed Forces (2025)",
     {"value": 650000, "qualifier": "about", "as_of": 2025}),
    ("estimates vary; as many as 1.3 million active-duty Korean People's Army (2025)",
     {"value": 1300000, "qualifier": "up_to", "as_of": 2025}),
    ("estimated 1.1-1.2 million active Armed Forces; estimated 350,000 Federal National Guard Troops (2025)",
     {"low": 1100000, "high": 1200000, "qualifier": "estimate", "as_of": 2025}),
    ("estimated 10-12,000 active duty Armed Forces (including National Guard) (2024)",
     {"low": 10000, "high": 12000, "qualifier": "estimate", "as_of": 2024}),
    ("estimated 850,000-1 million active Defense Forces (2025)",
     {"low": 850000, "high": 1000000, "qualifier": "estimate", "as_of": 2025}),
    ("approximately 138,000 Regular Forces (75,000 Army including the Gurkhas; 32,000 Navy) (2025)",
     {"value": 138000, "qualifier": "about", "as_of": 2025}),
])
def test_factbook_parses_confident_figures(text, expected):
    fields, reason = parse_personnel(text)
    assert reason == ""
    assert {k: fields[k] for k in expected} == expected
    assert ("value" in fields) == ("value" in expected)


def test_factbook_note_says_what_is_included():
    fields, _ = parse_personnel(
        "information varies; estimated 200,000 active ANP, including the National Gendarmerie (2025)")
    assert fields["value"] == 200000 and fields["qualifier"] == "estimate"  # "estimated" as printed
    assert fields["note"] == "As the Factbook states, the figure includes the National Gendarmerie."
    assert fields["quote"] == "information varies; estimated 200,000 active ANP, including the National Gendarmerie (2025)"
    fields, _ = parse_personnel("approximately 145,000 active Armed Forces (105,000 Army; 25,000 Navy, "
                                "including about 8,000 Marine Corps; 15,000 Air Force) (2025)")
    assert "note" not in fields  # "including" inside the breakdown is about the Navy


@pytest.mark.parametrize("text", [
    "",
    "not available",
    "estimated 600 Defense Force; estimated 500 Federal Police (2023)",  # no "active"
    "approximately 145,000 Swiss Armed Forces (2024)",  # militia incl. reservists: no "active"
    "the Georgia Defense Forces are authorized up to 37,000 personnel (2025)",
    "the Taliban claims to have 190,000 under the Ministry of Defense and 215,000 under the Ministry of Interior (2025)",
    "approximately 10-15,000 Ministry of Public Security personnel (2025)",
    "the PA police and security forces have approximately 28,000 active personnel (2024)",
])
def test_factbook_never_guesses(text):
    fields, reason = parse_personnel(text)
    assert fields is None and reason


FACTBOOK_CSV = """\
gec_code,region_dir,country,personnel_strengths,forces
pk,south-asia,Pakistan,"approximately 650,000 active Armed Forces (2025)",x
tu,middle-east,Turkey,"approximately 495,000 active military personnel; approximately 150,000 Gendarmerie (2025)",x
sz,europe,Switzerland,"approximately 145,000 Swiss Armed Forces (2024)",x
hk,east-asia,Hong Kong,,x
"""


def test_factbook_import(milex_dir: Path, tmp_path: Path, capsys):
    csv = tmp_path / "factbook.csv"
    csv.write_text(FACTBOOK_CSV, encoding="utf-8")
    assert run("import", "factbook", csv, "--data-dir", milex_dir) == 0
    out = capsys.readouterr().out
    assert "CHE (sz): does not say the figure is of active forces" in out
    pak = values_of(milex_dir, "PAK", "personnel.active", "cia-wfb-2026-01")["2025"]
    assert (pak.value, pak.qualifier, pak.quote) == (650000, "about", "approximately 650,000 active Armed Forces (2025)")
    iiss = values_of(milex_dir, "PAK", "personnel.active", "iiss-mb-2025")["2025"]
    assert iiss.value == 660000  # the hand-curated value is still there
    tur = values_of(milex_dir, "TUR", "personnel.active", "cia-wfb-2026-01")["2025"]
    assert tur.value == 495000 and tur.quote == "approximately 495,000 active military personnel"
    assert not (milex_dir / "forces" / "CHE.yaml").exists()
    first = snapshot(milex_dir)
    assert run("import", "factbook", csv, "--data-dir", milex_dir) == 0
    assert snapshot(milex_dir) == first


def test_factbook_rejects_missing_column(milex_dir: Path, tmp_path: Path, capsys):
    csv = tmp_path / "factbook.csv"
    csv.write_text("gec_code,country\npk,Pakistan\n", encoding="utf-8")
    assert run("import", "factbook", csv, "--data-dir", milex_dir) == 2
    assert "missing column(s) personnel_strengths" in capsys.readouterr().err


# --- Correlates of War NMC ---------------------------------------------------------------------


COW_CSV = """\
stateabb,ccode,year,milex,milper,irst,pec,tpop,upop,cinc,version
USA,2,2015,596024000,1347,78845,2188000,321774,264690,0.14,2021
USA,2,2016,600106000,1381,78475,2210000,324118,266970,0.14,2021
RUS,365,1990,1,3400,1,1,1,1,0.1,2021
RUS,365,1992,1,2720,1,1,1,1,0.1,2021
PAK,770,2016,9,-9,1,1,1,1,0.1,2021
PAK,770,2015,9,644,1,1,1,1,0.1,2021
HAN,240,1850,1,26,1,1,1,1,0.1,2021
"""


def test_cow_nmc_import(milex_dir: Path, tmp_path: Path, capsys):
    csv = tmp_path / "nmc.csv"
    csv.write_text(COW_CSV, encoding="utf-8")
    assert run("import", "cow-nmc", csv, "--data-dir", milex_dir) == 0
    assert "HAN (240): 1850-1850, no ISO 3166-1 or 3166-3 code" in capsys.readouterr().out
    usa = values_of(milex_dir, "USA", "personnel.active", "cow-nmc-6.0")
    assert usa["2016"].value == 1381000 and usa["2015"].value == 1347000
    assert usa["2016"].note == "COW definition: active regular forces; in thousands in the original"
    assert set(values_of(milex_dir, "SUN", "personnel.active", "cow-nmc-6.0")) == {"1990"}
    assert values_of(milex_dir, "RUS", "personnel.active", "cow-nmc-6.0")["1992"].value == 2720000
    assert set(values_of(milex_dir, "PAK", "personnel.active", "cow-nmc-6.0")) == {"2015"}  # -9 omitted
    first = snapshot(milex_dir)
    assert run("import", "cow-nmc", csv, "--data-dir", milex_dir) == 0
    assert snapshot(milex_dir) == first


def test_cow_nmc_rejects_unknown_state_and_missing_column(milex_dir: Path, tmp_path: Path, capsys):
    csv = tmp_path / "nmc.csv"
    csv.write_text("stateabb,ccode,year,milper\nXYZ,999,2000,5\n", encoding="utf-8")
    before = snapshot(milex_dir)
    assert run("import", "cow-nmc", csv, "--data-dir", milex_dir) == 2
    assert "COW states missing from the table" in capsys.readouterr().err
    csv.write_text("stateabb,ccode,year\nUSA,2,2000\n", encoding="utf-8")
    assert run("import", "cow-nmc", csv, "--data-dir", milex_dir) == 2
    assert "missing column(s) milper" in capsys.readouterr().err
    assert snapshot(milex_dir) == before


# --- release integrity (issue: never down, never fooled) ----------------------------------------


def test_truncated_release_is_refused_whole_and_nothing_is_written(milex_dir: Path, tmp_path: Path, capsys):
    full = tmp_path / "nmc.csv"
    full.write_text(COW_CSV, encoding="utf-8")
    assert run("import", "cow-nmc", full, "--data-dir", milex_dir) == 0
    before = snapshot(milex_dir)
    truncated = tmp_path / "nmc-truncated.csv"
    truncated.write_text("".join(COW_CSV.splitlines(keepends=True)[:3]), encoding="utf-8")  # USA only
    capsys.readouterr()
    assert run("import", "cow-nmc", truncated, "--data-dir", milex_dir) == 2
    err = capsys.readouterr().err
    assert "looks truncated or altered" in err and "Nothing was written" in err
    assert snapshot(milex_dir) == before
    # a release that really drops them is accepted when the maintainer says so
    assert run("import", "cow-nmc", truncated, "--data-dir", milex_dir, "--allow-removals") == 0
    assert values_of(milex_dir, "PAK", "personnel.active", "cow-nmc-6.0") == {}


def test_writer_validates_before_it_writes(milex_dir: Path, tmp_path: Path, capsys):
    before = snapshot(milex_dir)
    bad = tmp_path / "nmc.csv"  # 99,999,999 thousand people: above the plausible maximum
    bad.write_text(COW_CSV.replace("USA,2,2016,600106000,1381,", "USA,2,2016,600106000,99999999,"), encoding="utf-8")
    assert run("import", "cow-nmc", bad, "--data-dir", milex_dir) == 1
    err = capsys.readouterr().err
    assert "above the plausible maximum" in err and "nothing was written" in err
    assert snapshot(milex_dir) == before


def test_values_a_new_release_drops_are_removed_and_reported(milex_dir: Path, tmp_path: Path, capsys):
    csv = tmp_path / "nmc.csv"
    csv.write_text(COW_CSV, encoding="utf-8")
    assert run("import", "cow-nmc", csv, "--data-dir", milex_dir) == 0
    assert set(values_of(milex_dir, "USA", "personnel.active", "cow-nmc-6.0")) == {"2015", "2016"}
    capsys.readouterr()
    csv.write_text(COW_CSV.replace("USA,2,2015,596024000,1347,78845,2188000,321774,264690,0.14,2021\n", ""),
                   encoding="utf-8")
    assert run("import", "cow-nmc", csv, "--data-dir", milex_dir) == 0
    out = capsys.readouterr().out
    assert set(values_of(milex_dir, "USA", "personnel.active", "cow-nmc-6.0")) == {"2016"}
    assert "USA (updated): 0 added, 0 changed, 1 removed" in out and "personnel.active 2015" in out
