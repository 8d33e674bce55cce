"""Groups and coalitions: located errors in groups.yaml, and totals that say how complete they are."""

from __future__ import annotations

import math
from pathlib import Path

from forcedata.groups import group_total, groups_of, load_groups
from tests.conftest import ROOT
from tests.synthetic import frame, row

GOOD = """\
groups:
  - id: pact
    name: Pact
    full_name: The Pact
    kind: alliance
    source: src-a
    date_means: joined
    members:
      - {id: AAA, date: 1949-04-04}
      - {id: BBB, date: 1958}
      - {id: CCC, date: 2024-03}
"""


def load(tmp_path: Path, text: str):
    path = tmp_path / "groups.yaml"
    path.write_text(text, encoding="utf-8")
    return load_groups(path, entities=["AAA", "BBB", "CCC"], sources=["src-a"])


def test_a_good_file_loads(tmp_path):
    groups, problems = load(tmp_path, GOOD)
    assert problems == []
    assert groups["pact"].member_ids() == ["AAA", "BBB", "CCC"]
    assert groups["pact"].members[1].date == "1958"
    assert [g.id for g in groups_of(groups, "BBB")] == ["pact"]


def test_errors_name_file_line_and_fix(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    bad = (GOOD.replace("{id: BBB, date: 1958}", "{id: ZZZ, date: 1958}")
               .replace("source: src-a", "source: nowhere")
               .replace("{id: CCC, date: 2024-03}", "{id: CCC, date: March 2024}"))
    groups, problems = load(tmp_path, bad)
    assert groups == {}
    text = [str(p) for p in problems]
    assert len(text) == 3
    assert text[0] == ("groups.yaml:6: groups[0].source: unknown source 'nowhere' — add it to "
                       "data/sources.yaml or fix the id")
    assert text[1].startswith("groups.yaml:10: groups[0].members[1].id: unknown entity 'ZZZ' — "
                              "create data/forces/ZZZ.yaml")
    assert text[2] == ("groups.yaml:11: groups[0].members[2].date: date must be a year or a date, got 'March 2024' "
                       "— write a year (2025) or a date (2025-01, 2025-06-17)")


def test_duplicate_member_and_unknown_field(tmp_path):
    _, problems = load(tmp_path, GOOD.replace("{id: CCC, date: 2024-03}", "{id: AAA, date: 2024-03}")
                       + "    colour: red\n")
    text = " | ".join(str(p) for p in problems)
    assert "Extra inputs are not permitted" in text or "colour" in text
    _, problems = load(tmp_path, GOOD.replace("{id: CCC, date: 2024-03}", "{id: AAA, date: 2024-03}"))
    assert [p.line for p in problems] == [11] and "listed twice" in problems[0].message


def test_the_project_groups_file_is_valid_and_not_empty(real_dataset):
    groups, problems = load_groups(ROOT / "data" / "groups.yaml", entities=real_dataset.entities,
                                   sources=real_dataset.sources)
    assert problems == []
    assert {"nato", "csto", "sco", "eu", "quad", "gcc", "south-asia"} <= set(groups)
    assert len(groups["nato"].members) == 32 and len(groups["eu"].members) == 27
    for g in groups.values():
        assert real_dataset.sources[g.source].tier == "official"


def test_group_total_and_its_completeness():
    shown = frame(
        row("AAA", "personnel.active", 1000, source="iiss", source_short="IISS", source_title="MB 2025"),
        row("BBB", "personnel.active", 500, qualifier="about", source="cia", source_short="CIA",
            source_title="Factbook", as_of="2024"),
        row("CCC", "personnel.active", None, status="not_known", qualifier=None),
        row("AAA", "land.mbt", 10),
    )
    total = group_total(shown, name="Pact", members=["AAA", "BBB", "CCC", "DDD"], metric="personnel.active")
    assert (total.low, total.high) == (1500, 1500)
    assert total.text() == "≈ 1,500"
    assert total.completeness() == "reported for 2 of 4 members"
    assert total.missing == ["CCC", "DDD"] and not total.complete
    assert total.mixed() == ["adds figures from 2 sources: IISS, MB 2025; CIA, Factbook",
                             "adds figures of different years: 2024, 2025"]


def test_bounds_and_ranges_carry_into_the_total():
    shown = frame(
        row("AAA", "personnel.active", 6000, qualifier="more_than"),
        row("BBB", "personnel.active", None, low=100, high=300, qualifier="estimate"),
        row("CCC", "personnel.active", 50, qualifier="up_to"),
    )
    total = group_total(shown, name="Pact", members=["AAA", "BBB", "CCC"], metric="personnel.active")
    assert total.low == 6100 and math.isinf(total.high)
    assert total.text() == "≥ 6,100" and total.complete
    no_bound = group_total(shown, name="Pact", members=["BBB", "CCC"], metric="personnel.active")
    assert no_bound.text() == "100–350"
    nothing = group_total(shown, name="Pact", members=["ZZZ"], metric="personnel.active")
    assert nothing.text() == "not reported" and nothing.completeness() == "reported for 0 of 1 members"


def test_validate_command_checks_the_groups_file(data_dir, write_entity, monkeypatch, capsys):
    from forcedata.cli import main
    from tests.conftest import GOOD_ENTITY

    monkeypatch.chdir(data_dir)
    write_entity("AAA", GOOD_ENTITY.format(id="AAA"))
    (data_dir / "groups.yaml").write_text(GOOD.replace("source: src-a", "source: iiss-mb-2025"), encoding="utf-8")
    assert main(["validate", "--data-dir", str(data_dir)]) == 1
    out = capsys.readouterr().out
    assert "groups.yaml:10: groups[0].members[1].id: unknown entity 'BBB'" in out
    (data_dir / "groups.yaml").write_text("\n".join(GOOD.splitlines()[:9]).replace("src-a", "iiss-mb-2025") + "\n",
                                          encoding="utf-8")
    assert main(["validate", "--data-dir", str(data_dir)]) == 0
    assert "1 groups" in capsys.readouterr().err
