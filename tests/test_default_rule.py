"""Which figure a chart shows: one test per step of the documented rule (README, "Which figure a
chart shows"; forcedata/frame.py), each on a small synthetic entity file, each red when its
step is removed from the rule."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from components.views.charts import fig_family
from forcedata.display import sources_line
from forcedata.frame import _in_chart_order, _picks, default_values
from forcedata.load import load_dataset

HEADER = "id: {id}\nname: {name}\nkind: state\nobservations:\n  {family}:\n    {metric}:\n"


def entity(write_entity, entity_id: str, values: list[str], *, family="land", metric="afv", name=None) -> None:
    text = HEADER.format(id=entity_id, name=name or entity_id, family=family, metric=metric)
    write_entity(entity_id, text + "".join(f"      - {v}\n" for v in values))


def default_of(data_dir, entity_id: str, metric: str = "land.afv") -> pd.Series:
    ds = load_dataset(data_dir)
    assert ds.problems == []
    rows = ds.frame[(ds.frame.entity == entity_id) & (ds.frame.metric == metric) & ds.frame.is_default]
    assert len(rows) == 1
    return rows.iloc[0]


def test_reported_beats_a_newer_not_known_and_says_since_when(data_dir, write_entity):
    entity(write_entity, "TST", [
        "{value: 278, as_of: 2021, source: sipri-milex-2025}",
        "{status: not_known, as_of: 2024, source: sipri-milex-2025}",
    ], family="spending", metric="milex_usd")
    row = default_of(data_dir, "TST", "spending.milex_usd")
    assert (row.value, row.year) == (278, 2021)
    shown = default_values(load_dataset(data_dir).frame, ["TST"])
    assert shown.iloc[0].since_note == "no SIPRI figure since 2021"


def test_a_recent_figure_beats_a_much_older_one_of_a_higher_tier(data_dir, write_entity):
    entity(write_entity, "TST", [
        "{value: 5000, as_of: 2018, source: iiss-mb-2024}",
        "{value: 6100, as_of: 2025, source: globalmilitary-net-2026}",
    ])
    assert default_of(data_dir, "TST").value == 6100


def test_a_figure_counted_as_defined_beats_a_scoped_one_of_a_higher_tier(data_dir, write_entity):
    entity(write_entity, "TST", [
        "{value: 1800, as_of: 2025, source: jp-mod-dowp-2023, scope: [army_only]}",
        "{value: 2100, as_of: 2025, source: gfp-2025}",
    ])
    row = default_of(data_dir, "TST")
    assert (row.value, row.source_tier) == (2100, "alternative")


def test_like_for_like_prefers_an_edition_counted_as_defined(data_dir, write_entity):
    entity(write_entity, "AAA", [
        "{value: 261, as_of: 2023, source: iiss-mb-2023, scope: [air_force_only]}",
        "{value: 300, as_of: 2023, source: gfp-2023}",
    ], family="air", metric="combat_capable")
    entity(write_entity, "BBB", [
        "{value: 500, as_of: 2023, source: iiss-mb-2023}",
        "{value: 560, as_of: 2023, source: gfp-2023}",
    ], family="air", metric="combat_capable")
    shown = default_values(load_dataset(data_dir).frame, ["AAA", "BBB"])
    assert list(shown.source) == ["gfp-2023", "gfp-2023"]
    assert not shown.scope_mixed.any() and not shown.source_mixed.any()


def test_scopes_that_differ_within_a_metric_are_flagged(data_dir, write_entity):
    entity(write_entity, "AAA", ["{value: 261, as_of: 2023, source: iiss-mb-2023, scope: [air_force_only]}"],
           family="air", metric="combat_capable")
    entity(write_entity, "BBB", ["{value: 500, as_of: 2023, source: iiss-mb-2023}"], family="air", metric="combat_capable")
    shown = default_values(load_dataset(data_dir).frame, ["AAA", "BBB"])
    assert shown.scope_mixed.all() and not shown.source_mixed.any()
    assert list(shown.scope_label.astype(object).fillna("")) == ["Air Force only", ""]


def test_one_source_for_all_is_one_edition_per_chart(data_dir, write_entity):
    """A family (one chart) is drawn from the edition with most figures in it: here GFP covers
    both metrics for both entities, IISS one metric each; IISS's figures are left out."""
    text = "id: {e}\nname: {e}\nkind: state\nobservations:\n  land:\n"
    for e in ("AAA", "BBB"):
        write_entity(e, text.format(e=e) + "    afv:\n      - {value: 10, as_of: 2025, source: iiss-mb-2025}\n"
                     "      - {value: 11, as_of: 2025, source: gfp-2025}\n"
                     "    artillery:\n      - {value: 20, as_of: 2025, source: gfp-2025}\n")
    one = default_values(load_dataset(data_dir).frame, ["AAA", "BBB"], basis="one")
    assert list(zip(one.metric, one.entity, one.value)) == [
        ("land.afv", "AAA", 11), ("land.afv", "BBB", 11), ("land.artillery", "AAA", 20), ("land.artillery", "BBB", 20)]
    assert set(one.source) == {"gfp-2025"}


def test_one_source_for_all_draws_the_edition_covering_most_and_leaves_the_rest_out(data_dir, write_entity):
    entity(write_entity, "AAA", [
        "{value: 6000, qualifier: more_than, as_of: 2025, source: iiss-mb-2025}",
        "{value: 17500, as_of: 2025, source: gfp-2025}",
    ])
    entity(write_entity, "BBB", ["{value: 900, as_of: 2025, source: gfp-2025}"])
    entity(write_entity, "CCC", ["{value: 50, as_of: 2025, source: iiss-mb-2025}"])
    entity(write_entity, "DDD", ["{value: 70, as_of: 2024, source: gfp-2025}"])
    frame = load_dataset(data_dir).frame
    best = default_values(frame, ["AAA", "BBB", "CCC", "DDD"])
    assert best.source.nunique() == 2 and best.basis_source.isna().all()
    one = default_values(frame, ["AAA", "BBB", "CCC", "DDD"], basis="one")
    assert list(one.entity) == ["AAA", "BBB", "DDD"]
    assert set(one.source) == {"gfp-2025"} and set(one.basis_source) == {"gfp-2025"}
    assert not one.source_mixed.any()


def test_an_unknown_basis_is_an_error(data_dir, write_entity):
    entity(write_entity, "AAA", ["{value: 6000, as_of: 2025, source: iiss-mb-2025}"])
    with pytest.raises(ValueError, match="unknown basis 'all'"):
        default_values(load_dataset(data_dir).frame, ["AAA"], basis="all")


def test_tier_before_precision_a_bound_from_iiss_beats_an_exact_index_count(data_dir, write_entity):
    entity(write_entity, "TST", [
        "{value: 6100, as_of: 2025, source: gfp-2025}",
        "{value: 6000, qualifier: more_than, as_of: 2025, source: iiss-mb-2025, via: reuters-pak-afg-2025-10}",
    ])
    row = default_of(data_dir, "TST")
    assert (row.value, row.qualifier, row.source_tier) == (6000, "more_than", "reference")


def test_official_beats_an_aggregator_within_the_recent_window(data_dir, write_entity):
    entity(write_entity, "TST", [
        "{value: 247000, as_of: 2025, source: globalmilitary-net-2026}",
        "{value: 227843, as_of: 2023, source: jp-mod-dowp-2023}",
    ], family="personnel", metric="active")
    assert default_of(data_dir, "TST", "personnel.active").value == 227843


def test_newest_year_within_a_tier(data_dir, write_entity):
    entity(write_entity, "TST", [
        "{value: 1800, as_of: 2024, source: iiss-mb-2024}",
        "{value: 1750, qualifier: about, as_of: 2025, source: iiss-mb-2025}",
    ])
    assert default_of(data_dir, "TST").value == 1750


def test_most_precise_then_most_digits(data_dir, write_entity):
    entity(write_entity, "TST", [
        "{value: 1500000, qualifier: about, as_of: 2025, source: iiss-mb-2025}",
        "{value: 1475750, qualifier: about, as_of: 2025, source: iiss-mb-2025}",
        "{value: 1400000, qualifier: more_than, as_of: 2025, source: iiss-mb-2025}",
    ], family="personnel", metric="active")
    assert default_of(data_dir, "TST", "personnel.active").value == 1475750


def test_an_exact_figure_beats_an_approximate_one_with_more_digits(data_dir, write_entity):
    entity(write_entity, "TST", [
        "{value: 1475750, qualifier: about, as_of: 2025, source: iiss-mb-2025}",
        "{value: 1500000, as_of: 2025, source: iiss-mb-2025}",
    ], family="personnel", metric="active")
    assert default_of(data_dir, "TST", "personnel.active").value == 1500000


def test_most_recently_published_report_last(data_dir, write_entity):
    entity(write_entity, "TST", [
        "{value: 600, as_of: 2025, source: iiss-mb-2025, via: arabnews-sponsor-to-enemy-2025}",
        "{value: 700, as_of: 2025, source: iiss-mb-2025, via: reuters-pak-afg-2025-10}",
    ])
    assert default_of(data_dir, "TST").via == "reuters-pak-afg-2025-10"  # published 2026-03, after "2026"


def test_like_for_like_one_edition_for_every_entity_it_covers(data_dir, write_entity):
    entity(write_entity, "AAA", [
        "{value: 6000, qualifier: more_than, as_of: 2025, source: iiss-mb-2025}",
        "{value: 17500, as_of: 2025, source: gfp-2025}",
    ])
    entity(write_entity, "BBB", ["{value: 900, as_of: 2025, source: gfp-2025}"])
    frame = load_dataset(data_dir).frame
    # on its own, AAA shows IISS (tier before precision) ...
    assert default_values(frame, ["AAA"]).iloc[0].source == "iiss-mb-2025"
    # ... but beside BBB, whose only figure is Global Firepower's, both come from that edition
    shown = default_values(frame, ["AAA", "BBB"])
    assert list(shown.source) == ["gfp-2025", "gfp-2025"] and not shown.source_mixed.any()


def test_mixed_sources_carry_marks_keyed_in_the_footnote(data_dir, write_entity):
    entity(write_entity, "AAA", ["{value: 6000, qualifier: more_than, as_of: 2025, source: iiss-mb-2025}"])
    entity(write_entity, "BBB", ["{value: 900, as_of: 2025, source: gfp-2025}"])
    shown = default_values(load_dataset(data_dir).frame, ["AAA", "BBB"])
    assert shown.source_mixed.all()
    fig = fig_family(shown, entities={"AAA": "Aland", "BBB": "Bland"}, title="t")
    labels = dict(zip(fig.data[0].y, fig.data[0].text))
    assert labels["Aland"].endswith("<sup>a</sup>") and labels["Bland"].endswith("<sup>b</sup>")
    line = sources_line(shown)
    assert line.startswith("Sources: (a) IISS, The Military Balance 2025") and "(b) Global Firepower" in line
    assert "(alternative index)" in line


@pytest.mark.parametrize("older, marked", [(2021, True), (2025, False)])
def test_an_older_figure_in_a_chart_is_drawn_with_its_year(data_dir, write_entity, older, marked):
    entity(write_entity, "AAA", ["{value: 10, as_of: 2025, source: iiss-mb-2025}"])
    entity(write_entity, "BBB", [f"{{value: 20, as_of: {older}, source: iiss-mb-2024}}"])
    shown = default_values(load_dataset(data_dir).frame, ["AAA", "BBB"])
    fig = fig_family(shown, entities={"AAA": "Aland", "BBB": "Bland"}, title="t")
    labels = dict(zip(fig.data[0].y, fig.data[0].text))
    assert labels["Bland"].startswith("20") and (f"({older})" in labels["Bland"]) == marked


def test_the_rule_in_words_has_a_step_for_every_key_of_the_rule_in_its_order():
    """The sources page explains the rule from RULE_FOR_READERS: a key added to, removed from or
    moved in RULE without its words here goes red."""
    from forcedata.frame import RULE, RULE_FOR_READERS

    assert [key for keys, _ in RULE_FOR_READERS for key in keys] == RULE
    assert all(words.strip() and "``" not in words for _, words in RULE_FOR_READERS)


# --- the rule's loops against the rule as group-bys ----------------------------------------------

def reference_best(frame: pd.DataFrame, entities: list[str], metrics: list[str] | None) -> pd.DataFrame:
    """The rule as pandas group-bys over the selection's rows (the code before P2n's loops)."""
    picks = _picks(frame)
    found = [picks.by_entity[e] for e in dict.fromkeys(entities) if e in picks.by_entity]
    pos = np.concatenate(found) if found else np.array([], dtype=np.int64)
    sel = pd.DataFrame({name: values[pos] for name, values in picks.keys.items()}).assign(pos=pos)
    if metrics is not None:
        sel = sel[sel["metric"].isin(metrics)]
    if sel.empty:
        return frame.iloc[0:0].assign(source_mixed=False, scope_mixed=False, since_note=None, basis_source=None)
    # each entity's own default row
    chosen = sel.loc[sel.groupby(["metric", "entity"], sort=False)["rank"].idxmin()]
    # like for like: per metric, the edition with a recent figure for every entity that has one
    live = sel[sel["live"]]
    best = live.loc[live.groupby(["metric", "source", "entity"], sort=False)["rank"].idxmin()]
    with_figures = best.groupby("metric", sort=False)["entity"].nunique()
    cover = best.groupby(["metric", "source"], sort=False).agg(
        n=("entity", "size"), scoped=("scoped", "sum"), tier=("tier", "first"), pub=("pub", "first")).reset_index()
    cover = cover[(cover["n"] == cover["metric"].map(with_figures)) & (cover["n"] > 1)]
    if len(cover):
        winners = cover.sort_values(["metric", "scoped", "tier", "pub", "source"], kind="stable").drop_duplicates("metric")
        common = best.merge(winners[["metric", "source"]], on=["metric", "source"])
        chosen = pd.concat([chosen[~chosen.set_index(["metric", "entity"]).index.isin(
            common.set_index(["metric", "entity"]).index)], common])
    out = frame.iloc[np.sort(chosen["pos"].to_numpy())]
    since = picks.since[np.sort(chosen["pos"].to_numpy())]
    drawn = out[out["status"] == "reported"]
    per_metric = drawn.groupby("metric", sort=False).agg(
        sources=("source", "nunique"), scopes=("scope", lambda x: x.astype(object).fillna("").nunique()))
    out = out.assign(
        source_mixed=out["metric"].map(per_metric["sources"]).fillna(0).to_numpy() > 1,
        scope_mixed=out["metric"].map(per_metric["scopes"]).fillna(0).to_numpy() > 1,
        since_note=pd.Series(since, index=out.index, dtype=object), basis_source=None)
    return _in_chart_order(out, list(entities))


def test_the_default_rows_are_those_of_the_rule_as_group_bys(real_dataset):
    """forcedata.frame._default_best (plain loops, for speed) picks the rows, flags and notes the
    same group-by formulation picks, for random selections with and without a metric filter."""
    import random

    from forcedata.frame import _default_best

    rng = random.Random(18)
    ids, metrics = sorted(real_dataset.entities), sorted(real_dataset.metrics)
    for k in range(30):
        selection = rng.sample(ids, rng.randint(1, 6))
        some = rng.sample(metrics, rng.randint(1, 4)) if k % 3 == 0 else None
        expected = reference_best(real_dataset.frame, selection, some)
        pd.testing.assert_frame_equal(_default_best(real_dataset.frame, selection, some), expected)
    assert len(expected) > 0
