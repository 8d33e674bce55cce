"""CIA World Factbook population importer: values, year and qualifier, what is left out,
idempotency, rejections. Each test builds its own small CSV in tmp_path."""

from __future__ import annotations

from pathlib import Path

import pytest

from forcedata.cli import main
from forcedata.importers.factbook_population import parse_population
from forcedata.load import load_dataset

ENTITY = "id: {id}\nname: {name}\nkind: state\n"

CSV = """\
gec_code,region_dir,conventional_short_form,population_total_text
pk,south-asia,Pakistan,"257,047,044 (2025 est.)"
af,south-asia,Afghanistan,"49,474,805 (2024 est.)"
cf,africa,Congo (Brazzaville),"6,097,665 (2024 est.)"
iv,africa,C&ocirc;te d'Ivoire,"31,855,971 (2025 est.)"
vt,europe,Holy See (Vatican City),"1,000 (2024)"
in,south-asia,India,"1,419,316,933 (2025 est.)"
hk,east-n-southeast-asia,Hong Kong,"7,305,556 (2025 est.)"
bv,antarctica,Bouvet Island,uninhabited
xx,world,,"8,057,236,243 (2024 est.)"
so,africa,Somalia,
"""


@pytest.fixture
def pop_dir(data_dir: Path) -> Path:
    for eid, name in [("PAK", "Pakistan"), ("AFG", "Afghanistan"), ("COG", "Congo"),
                      ("CIV", "Ivory Coast"), ("VAT", "Holy See"), ("SOM", "Somalia")]:
        (data_dir / "forces" / f"{eid}.yaml").write_text(ENTITY.format(id=eid, name=name), encoding="utf-8")
    return data_dir


def run(*argv) -> int:
    return main([str(a) for a in argv])


def snapshot(data_dir: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((data_dir / "forces").glob("*.yaml"))}


def population(data_dir: Path) -> dict:
    frame = load_dataset(data_dir).frame
    rows = frame[frame.metric == "context.population"]
    return {r.entity: r for r in rows.itertuples()}


@pytest.mark.parametrize("text, expected", [
    ("257,047,044 (2025 est.)", {"value": 257047044, "qualifier": "estimate", "as_of": 2025}),
    ("593 (2021 est.)", {"value": 593, "qualifier": "estimate", "as_of": 2021}),
    ("1,000 (2024)", {"value": 1000, "qualifier": "exact", "as_of": 2024}),
])
def test_parse_population(text, expected):
    assert parse_population(text) == (expected, "")


@pytest.mark.parametrize("text", ["", "uninhabited", "no permanent inhabitants", "about 5 million",
                                  "257,047,044", "( est.)"])
def test_parse_population_never_guesses(text):
    fields, reason = parse_population(text)
    assert fields is None and reason


def test_import_writes_population_with_year_and_qualifier(pop_dir: Path, tmp_path: Path, capsys):
    csv = tmp_path / "pop.csv"
    csv.write_text(CSV, encoding="utf-8")
    assert run("import", "factbook-population", csv, "--data-dir", pop_dir) == 0
    out = capsys.readouterr().out
    pop = population(pop_dir)
    pak = pop["PAK"]
    assert (pak.value, pak.qualifier, pak.as_of, pak.source) == (
        257047044, "estimate", "2025", "cia-wfb-2026-01-population")
    assert pak.quote == "257,047,044 (2025 est.)"
    assert pop["AFG"].as_of == "2024"
    assert pop["CIV"].value == 31855971  # HTML entity in the name does not break the mapping
    assert pop["VAT"].qualifier == "exact"  # the Factbook does not say "est." for it
    assert "SOM" not in pop  # no figure: left out, not zero
    assert "SOM (so): no population figure" in out
    assert "IND (in): no entity file" in out  # population alone does not start an entity
    assert not (pop_dir / "forces" / "IND.yaml").exists()
    assert "xx (no name): not a state" in out


def test_second_run_writes_nothing(pop_dir: Path, tmp_path: Path, capsys):
    csv = tmp_path / "pop.csv"
    csv.write_text(CSV, encoding="utf-8")
    assert run("import", "factbook-population", csv, "--data-dir", pop_dir) == 0
    first = snapshot(pop_dir)
    capsys.readouterr()
    assert run("import", "factbook-population", csv, "--data-dir", pop_dir) == 0
    assert snapshot(pop_dir) == first
    assert "0 file(s) to write" in capsys.readouterr().out


def test_changed_figure_replaces_the_old_one(pop_dir: Path, tmp_path: Path):
    csv = tmp_path / "pop.csv"
    csv.write_text(CSV, encoding="utf-8")
    assert run("import", "factbook-population", csv, "--data-dir", pop_dir) == 0
    csv.write_text(CSV.replace("257,047,044 (2025 est.)", "260,000,000 (2026 est.)"), encoding="utf-8")
    assert run("import", "factbook-population", csv, "--data-dir", pop_dir) == 0
    frame = load_dataset(pop_dir).frame
    pak = frame[(frame.entity == "PAK") & (frame.metric == "context.population")]
    assert list(pak.value) == [260000000] and list(pak.as_of) == ["2026"]


def test_unknown_code_is_rejected(pop_dir: Path, tmp_path: Path, capsys):
    csv = tmp_path / "pop.csv"
    csv.write_text(CSV + 'qq,nowhere,Atlantis,"5 (2025 est.)"\n', encoding="utf-8")
    before = snapshot(pop_dir)
    assert run("import", "factbook-population", csv, "--data-dir", pop_dir) == 2
    err = capsys.readouterr().err
    assert "qq (Atlantis)" in err and "Nothing was written" in err
    assert snapshot(pop_dir) == before


def test_missing_column_is_rejected(pop_dir: Path, tmp_path: Path, capsys):
    csv = tmp_path / "pop.csv"
    csv.write_text("gec_code,conventional_short_form\npk,Pakistan\n", encoding="utf-8")
    assert run("import", "factbook-population", csv, "--data-dir", pop_dir) == 2
    assert "missing column(s) population_total_text" in capsys.readouterr().err
