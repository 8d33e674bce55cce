"""The loader and validator: every kind of bad input gets an exact FILE:LINE message."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import yaml

from forcedata.load import load_dataset
from forcedata.yamlio import StrictLoader
from tests.conftest import GOOD_ENTITY


@pytest.fixture(autouse=True)
def _cwd(data_dir: Path, monkeypatch):
    # Messages name files relative to the working directory, as a maintainer sees them.
    monkeypatch.chdir(data_dir)


def messages(data_dir: Path) -> list[str]:
    return [str(p) for p in load_dataset(data_dir).problems]


def test_good_file_loads_with_no_problems(data_dir, write_entity):
    write_entity("TST", GOOD_ENTITY.format(id="TST"))
    ds = load_dataset(data_dir)
    assert ds.problems == []
    assert ds.frame[["entity", "metric", "value"]].values.tolist() == [["TST", "personnel.active", 1000.0]]


def test_duplicate_key_names_both_lines(data_dir, write_entity):
    write_entity("TST", GOOD_ENTITY.format(id="TST") + "        source: iiss-mb-2024\n")
    assert messages(data_dir) == [
        "forces/TST.yaml:10: observations.personnel.active[0].source: duplicate key 'source' "
        "(first at line 9); YAML would keep only the last — remove one of the two, or merge them"
    ]


def test_norway_id_stays_a_string():
    assert yaml.load("id: NO\nother: [NO, yes, off, 2025-01-01]", Loader=StrictLoader) == {
        "id": "NO", "other": ["NO", "yes", "off", "2025-01-01"]}


def test_norway_file_loads_as_nor(data_dir, write_entity):
    write_entity("NOR", GOOD_ENTITY.format(id="NOR").replace("name: Testland", "name: NO"))
    ds = load_dataset(data_dir)
    assert ds.problems == [] and ds.entities["NOR"].header.name == "NO"


def test_id_no_is_a_malformed_id_not_a_boolean(data_dir, write_entity):
    write_entity("NO", GOOD_ENTITY.format(id="NO"))
    [msg] = messages(data_dir)
    assert msg.startswith("forces/NO.yaml:1: id: 'NO' is not in the expected form")


def test_unknown_field(data_dir, write_entity):
    write_entity("TST", GOOD_ENTITY.format(id="TST").replace("kind: state", "kind: state\ncolour: red"))
    assert messages(data_dir) == [
        "forces/TST.yaml:4: colour: unknown field — remove it or fix its spelling (see the file header)"]


def test_unknown_field_in_a_value(data_dir, write_entity):
    write_entity("TST", GOOD_ENTITY.format(id="TST") + "        qualfier: about\n")
    assert messages(data_dir) == [
        "forces/TST.yaml:10: observations.personnel.active[0].qualfier: unknown field — remove it "
        "or fix its spelling (see the file header)"]


def test_unknown_source_id(data_dir, write_entity):
    write_entity("TST", GOOD_ENTITY.format(id="TST").replace("iiss-mb-2025", "iiss-mb-2052"))
    assert messages(data_dir) == [
        "forces/TST.yaml:9: observations.personnel.active[0].source: unknown source 'iiss-mb-2052' "
        "— add it to data/sources.yaml or fix the id"]


def test_unknown_metric(data_dir, write_entity):
    write_entity("TST", GOOD_ENTITY.format(id="TST").replace("active:", "actve:"))
    assert messages(data_dir) == [
        "forces/TST.yaml:6: observations.personnel.actve: unknown metric 'personnel.actve' — add it "
        "to data/metrics.yaml or fix the name"]


def test_negative_value(data_dir, write_entity):
    write_entity("TST", GOOD_ENTITY.format(id="TST").replace("value: 1000", "value: -1000"))
    assert messages(data_dir) == [
        "forces/TST.yaml:7: observations.personnel.active[0].value: must not be negative (got -1000) "
        "— fix the sign"]


@pytest.mark.parametrize("text", ['"660,000"', "lots", "true"])
def test_text_where_a_number_belongs(data_dir, write_entity, text):
    write_entity("TST", GOOD_ENTITY.format(id="TST").replace("value: 1000", f"value: {text}"))
    [msg] = messages(data_dir)
    assert msg.startswith("forces/TST.yaml:7: observations.personnel.active[0].value: expected a number, got ")
    assert msg.endswith("— write the number without quotes, commas or words (660000, not '660,000')")


def test_empty_file(data_dir, write_entity):
    write_entity("TST", "")
    assert messages(data_dir) == [
        "forces/TST.yaml:1: the file is empty — fill it in or delete it (see data/forces/PAK.yaml)"]


def test_invalid_utf8(data_dir, write_entity):
    write_entity("TST", GOOD_ENTITY.format(id="TST").encode().replace(b"Testland", b"Test\xe9land"))
    assert messages(data_dir) == [
        "forces/TST.yaml:2: column 11: not valid UTF-8 (byte 0xe9) — save the file as UTF-8 in your editor"]


def test_yaml_syntax_error(data_dir, write_entity):
    write_entity("TST", GOOD_ENTITY.format(id="TST").replace("      - value: 1000", "      - value: [1000"))
    [msg] = messages(data_dir)
    assert msg.startswith("forces/TST.yaml:8: YAML syntax error:")
    assert msg.endswith("— check indentation, colons and quotes on this line or the one before")


def test_id_must_match_file_name(data_dir, write_entity):
    write_entity("TST", GOOD_ENTITY.format(id="TSX"))
    assert messages(data_dir) == [
        "forces/TST.yaml:1: id: id 'TSX' does not match the file name 'TST.yaml' — rename the file "
        "to TSX.yaml or fix the id"]


def test_status_and_number_must_agree(data_dir, write_entity):
    write_entity("TST", GOOD_ENTITY.format(id="TST").replace("value: 1000", "value: 1000\n        status: not_known"))
    assert messages(data_dir) == [
        "forces/TST.yaml:7: observations.personnel.active[0]: a value with status 'not_known' must "
        "not carry a number; remove value/low/high or set status: reported"]


def test_all_problems_reported_at_once_and_good_values_kept(data_dir, write_entity):
    write_entity("TST", GOOD_ENTITY.format(id="TST") + """\
      - value: -5
        as_of: 2024
        source: nowhere
  land:
    mbt:
      - value: 12
        as_of: 2025
        source: iiss-mb-2025
""")
    write_entity("BAD", "id: [")
    write_entity("OKK", GOOD_ENTITY.format(id="OKK"))
    ds = load_dataset(data_dir)
    assert [(p.file, p.line) for p in ds.problems] == [
        ("forces/BAD.yaml", 1), ("forces/TST.yaml", 12), ("forces/TST.yaml", 10)]
    # the broken value is left out; its file's good values and the other files still load
    assert sorted(ds.frame[["entity", "metric", "value"]].itertuples(index=False, name=None)) == [
        ("OKK", "personnel.active", 1000.0), ("TST", "land.mbt", 12.0), ("TST", "personnel.active", 1000.0)]
    assert ds.bad_files == ["forces/BAD.yaml", "forces/TST.yaml"]


def test_series_year_errors_point_at_the_year(data_dir, write_entity):
    write_entity("TST", GOOD_ENTITY.format(id="TST") + """\
series:
  spending:
    milex_usd:
      - source: sipri-milex-2025
        values:
          2023: 10
          2024: "ten"
""")
    [msg] = messages(data_dir)
    assert msg.startswith("forces/TST.yaml:16: series.spending.milex_usd[0].values.2024")


def test_duplicate_source_id_in_registry(data_dir):
    path = data_dir / "sources.yaml"
    text = path.read_text(encoding="utf-8")
    block = text[text.index("  - id: iiss-mb-2024"):text.index("  - id: sipri-yb-2025-nuclear")]
    path.write_text(text + "\n" + block.replace("iiss-mb-2024", "iiss-mb-2025"), encoding="utf-8")
    lines = path.read_text(encoding="utf-8").splitlines()
    line = len(lines) - lines[::-1].index("  - id: iiss-mb-2025")
    msgs = messages(data_dir)
    assert msgs[0].startswith(f"sources.yaml:{line}: sources[")
    assert "duplicate id 'iiss-mb-2025' (first at line" in msgs[0]


def test_no_unsafe_loader_in_the_code():
    root = Path(__file__).resolve().parent.parent
    offenders = [
        str(p) for d in ("forcedata", "components", "app_pages") for p in (root / d).rglob("*.py")
        if any(bad in p.read_text(encoding="utf-8") for bad in ("yaml.load(", "yaml.Loader", "yaml.FullLoader", "unsafe_load"))
    ]
    assert offenders == []


def test_project_data_is_valid_and_not_empty(real_dataset):
    """Guard the guard: the real dataset validates, and the validator saw real files."""
    ds = real_dataset
    assert [str(p) for p in ds.problems] == []
    assert len(ds.files) >= 2 and {"PAK", "AFG"} <= set(ds.entities)
    assert len(ds.frame) > 20
    assert os.environ.get("FORCEDATA_EXPECT_EMPTY") is None


def test_scope_words_are_loaded_with_their_labels(data_dir, write_entity):
    write_entity("TST", GOOD_ENTITY.format(id="TST") + "        scope: [army_only, includes_stored]\n")
    ds = load_dataset(data_dir)
    assert ds.problems == []
    row = ds.frame.iloc[0]
    assert (row["scope"], row["scope_label"]) == ("army_only,includes_stored", "army only, includes stored")


def test_a_value_counted_as_defined_has_no_scope(data_dir, write_entity):
    write_entity("TST", GOOD_ENTITY.format(id="TST"))
    row = load_dataset(data_dir).frame.iloc[0]
    assert row["scope"] is None or row["scope"] != row["scope"]  # missing (None or NaN)


def test_unknown_scope_word_is_refused_with_its_line(data_dir, write_entity):
    write_entity("TST", GOOD_ENTITY.format(id="TST") + "        scope: [army_only, airforce_only]\n")
    [msg] = messages(data_dir)
    assert msg.startswith("forces/TST.yaml:10: observations.personnel.active[0].scope[1]: unknown scope "
                          "'airforce_only' — use a word listed under scopes: in data/metrics.yaml (")
    assert "air_force_only" in msg


def test_repeated_scope_word_is_refused(data_dir, write_entity):
    write_entity("TST", GOOD_ENTITY.format(id="TST") + "        scope: [army_only, army_only]\n")
    assert messages(data_dir) == [
        "forces/TST.yaml:10: observations.personnel.active[0].scope[1]: scope 'army_only' is given twice "
        "— remove the repeat"]
