"""Relative measures: computed from the default figures with their bounds, citing both sources."""

from __future__ import annotations

from forcedata.relative import ratio, relative_measures
from tests.synthetic import frame, row

POP = dict(metric_label="Population", source_short="CIA", source_title="The World Factbook")


def shown():
    return frame(
        row("PPP", "personnel.active", 660000, metric_label="Active personnel", source_short="IISS",
            source_title="The Military Balance 2025", via="wire", via_short="Reuters", via_published="2025-10"),
        row("PPP", "spending.milex_usd", 10166, as_of="2024", metric_label="Military expenditure",
            source_short="SIPRI", source_title="SIPRI Military Expenditure Database", qualifier="estimate"),
        row("PPP", "context.population", 250_000_000, as_of="2025", qualifier="estimate", **POP),
        row("AAA", "personnel.active", 6000, qualifier="more_than", metric_label="Active personnel"),
        row("AAA", "context.population", 40_000_000, **POP),
        row("BBB", "personnel.active", 6000, qualifier="more_than", metric_label="Active personnel"),
        row("BBB", "context.population", 40_000_000, qualifier="at_least", **POP),
        row("NNN", "personnel.active", 100, metric_label="Active personnel", entity_name="Nowhere"),
    )


def test_per_1000_and_per_person_cite_both_sources_and_the_population_year():
    table, notes = relative_measures(shown(), ["PPP"])
    assert table["Measure"].tolist() == ["Active personnel per 1,000 people", "Military expenditure per person"]
    assert table["Value"].tolist() == ["≈ 2.6 per 1,000 people", "≈ 40.7 US$ per person (current)"]
    cited = table["Computed from"].iloc[0]
    assert cited == ("Active personnel: IISS, The Military Balance 2025 via Reuters, 2025; "
                     "Population: CIA, The World Factbook, 2025")
    assert table["Population year"].tolist() == ["2025", "2025"]
    assert notes == []


def test_qualifiers_carry_a_lower_bound_stays_a_lower_bound():
    table, notes = relative_measures(shown(), ["AAA", "BBB"])
    assert table.set_index("entity").loc["AAA", "Value"] == "> 0.1 per 1,000 people"  # 0.15
    assert "BBB" not in set(table["entity"])  # lower bound over lower bound: no honest figure
    assert any(n.startswith("BBB: active personnel per 1,000 people not computed (the bounds") for n in notes)


def test_missing_population_is_said_not_guessed():
    table, notes = relative_measures(shown(), ["NNN"])
    assert table.empty
    assert notes[0] == "Nowhere: active personnel per 1,000 people not computed (population not reported)"
    # NOTE: neither figure of this measure exists: the note still names the entity, not its id
    assert notes[1] == ("Nowhere: military expenditure per person not computed "
                        "(population and military expenditure not reported)")


def test_ratio_bounds():
    exact = {"status": "reported", "qualifier": "exact"}
    assert ratio({**exact, "value": 10}, {**exact, "value": 4})["value"] == 2.5
    up = ratio({**exact, "value": 10, "qualifier": "up_to"}, {**exact, "value": 5})
    assert (up["value"], up["qualifier"]) == (2.0, "up_to")
    rng = ratio({**exact, "value": None, "low": 10, "high": 20}, {**exact, "value": 10})
    assert (rng["low"], rng["high"]) == (1.0, 2.0)
    below = ratio({**exact, "value": 10, "qualifier": "more_than"}, {**exact, "value": 5, "qualifier": "up_to"})
    assert (below["value"], below["qualifier"]) == (2.0, "more_than")
    assert ratio({**exact, "value": 10}, {**exact, "value": 0}) is None


def test_the_compare_page_shows_a_row_per_entity_and_each_source_once():
    """components/views/relative_table.py: the measures side by side, their sources said once."""
    from components.views.relative_table import compact_relative

    rows = shown()
    table, _ = relative_measures(rows, ["PPP", "AAA", "BBB"])
    compact, sources = compact_relative(table, rows, ["PPP", "AAA", "BBB"], {"PPP": "P", "AAA": "A", "BBB": "B"})
    assert compact.to_dict("records") == [
        {"Entity": "P", "Active personnel per 1,000 people": "≈ 2.6 per 1,000 people",
         "Military expenditure per person": "≈ 40.7 US$ per person (current)"},
        {"Entity": "A", "Active personnel per 1,000 people": "> 0.1 per 1,000 people",
         "Military expenditure per person": "not computed"},
    ]  # B: no honest figure, no row (its note says why)
    # one source per figure, its dates (and whose they are) where they differ
    assert sources == ("Computed from active personnel: IISS, The Military Balance 2025 via Reuters, 2025 (P); "
                       "SRC-A, Title src-a, 2025 (A); military expenditure: SIPRI Military Expenditure Database, "
                       "2024; population: CIA, The World Factbook, 2025.")
