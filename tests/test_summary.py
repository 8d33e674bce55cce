"""The comparison in sentences (components/views/summary.py): a ratio only across like figures, every
figure with its qualifier, scope and source, "not reported" said plainly. Expectations written by hand."""

from __future__ import annotations

import pytest

from components.views.comparison import build_comparison
from components.views.summary import Measure, headline_sentence
from tests.synthetic import frame, row

PEOPLE = Measure("personnel.active", "Active personnel", "people")
AIRCRAFT = Measure("air.combat_capable", "Combat-capable aircraft", "aircraft")
MONEY = Measure("spending.milex_usd", "Military expenditure", "US$ m (current)")
NAMES = {"PAK": "Pakistan", "AFG": "Afghanistan"}
NARROWER = {"air.fighters": "air.combat_capable"}
LABELS = {"air.fighters": "Fighter aircraft", "air.combat_capable": "Combat-capable aircraft"}


def iiss(entity: str, value, metric: str = "personnel.active", **kw) -> dict:
    kw = {"source": "mb-2025", "source_short": "IISS", "source_title": "The Military Balance 2025", **kw}
    return row(entity, metric, value, **kw)


def say(rows, measure=PEOPLE, names=NAMES) -> str:
    return headline_sentence(frame(*rows), measure, names, NARROWER, LABELS)


def test_like_figures_give_a_ratio_with_each_figure_and_its_source():
    assert say([iiss("PAK", 660000), iiss("AFG", 172000)]) == (
        "Pakistan's 660,000 active personnel (IISS 2025) are about 3.8 times Afghanistan's 172,000 (IISS 2025).")
    # the larger first, whatever the selection's order
    assert say([iiss("PAK", 172000), iiss("AFG", 660000)]).startswith("Afghanistan's 660,000 active personnel")


def test_a_bound_bounds_the_ratio_and_two_lower_bounds_give_none():
    assert say([iiss("PAK", 6000, qualifier="more_than"), iiss("AFG", 1000)]) == (
        "Pakistan's more than 6,000 active personnel (IISS 2025) are more than 6.0 times Afghanistan's 1,000 "
        "(IISS 2025).")
    # "> 6,000" against "> 4,000": the ratio could be anything; the source, shared, is said once
    assert say([iiss("PAK", 6000, qualifier="more_than"), iiss("AFG", 4000, qualifier="more_than")]) == (
        "Active personnel (IISS 2025): Pakistan more than 6,000; Afghanistan more than 4,000.")


def test_unlike_figures_are_listed_with_why_they_are_not_compared():
    sentence = say([iiss("PAK", 10166, "spending.milex_usd", as_of="2024", source="sipri", source_short="SIPRI"),
                    iiss("AFG", 278, "spending.milex_usd", as_of="2021", source="sipri", source_short="SIPRI")], MONEY)
    assert sentence == ("Military expenditure, in US$ m (current): Pakistan 10,166 (SIPRI 2024); Afghanistan 278 "
                        "(SIPRI 2021) — different years, so not compared.")
    assert "times" not in say([iiss("PAK", 660000), iiss("AFG", 172000, source="cia", source_short="CIA")])


def test_money_reads_with_its_unit_and_estimates_say_so():
    sentence = say([iiss("PAK", 10166, "spending.milex_usd", as_of="2024", source_short="SIPRI"),
                    iiss("AFG", 500, "spending.milex_usd", as_of="2024", source_short="SIPRI", qualifier="estimate")],
                   MONEY)
    assert sentence == ("In US$ m (current), Pakistan's military expenditure of 10,166 (SIPRI 2024) is about 20.3 "
                        "times Afghanistan's 500 (estimate; SIPRI 2024).")


def test_not_reported_is_said_plainly_and_a_narrower_count_is_named_as_itself():
    assert say([iiss("PAK", 465, "air.combat_capable")], AIRCRAFT) == (
        "Combat-capable aircraft: Pakistan 465 (IISS 2025); Afghanistan not reported.")
    sentence = say([iiss("PAK", 465, "air.combat_capable"),
                    iiss("AFG", 0, "air.fighters", caption="no fighter jets", source_short="GFP", as_of="2026")],
                   AIRCRAFT)
    assert sentence == ("Combat-capable aircraft: Pakistan 465 (IISS 2025); Afghanistan not reported (fighter "
                        "aircraft: 0, no fighter jets; GFP 2026) — different measures, so not compared.")
    assert say([], AIRCRAFT) == "Combat-capable aircraft: not reported for Pakistan or Afghanistan."
    assert say([iiss("PAK", 660000), iiss("AFG", None, status="not_known", qualifier=None, source_short="CIA")]) == (
        "Active personnel: Pakistan 660,000 (IISS 2025); Afghanistan not known (CIA 2025).")


def test_a_scope_travels_with_the_figure():
    army = dict(scope="army_only", scope_label="army only")
    assert say([iiss("PAK", 560000, **army), iiss("AFG", 172000, **army)]) == (
        "Pakistan's 560,000 active personnel (army only; IISS 2025) are about 3.3 times Afghanistan's 172,000 "
        "(army only; IISS 2025).")


THREE = {"USA": "United States", "CHN": "China", "RUS": "Russia"}


def test_three_or_more_name_the_largest_only_where_the_bounds_settle_it():
    rows = [iiss("USA", 1280000, qualifier="about"), iiss("CHN", 2000000, qualifier="about"),
            iiss("RUS", None, low=1100000.0, high=1200000.0, qualifier="estimate")]
    assert say(rows, names=THREE) == (
        "Active personnel (IISS 2025): United States about 1,280,000; China about 2,000,000; Russia 1,100,000 to "
        "1,200,000 (estimate) — China's is the largest, about 1.6 times United States'.")
    # "at least 1,000,000" could be above China's 2,000,000: nobody is the largest for sure
    rows = [iiss("USA", 1000000, qualifier="at_least"), iiss("CHN", 2000000), iiss("RUS", 500000)]
    assert say(rows, names=THREE) == (
        "Active personnel (IISS 2025): United States at least 1,000,000; China 2,000,000; Russia 500,000.")


@pytest.mark.parametrize("ids, first", [
    (["PAK", "AFG"], "Pakistan's 660,000 active personnel (IISS 2025) are about 3.8 times Afghanistan's 172,000 "
                     "(IISS 2025)."),
    (["PAK", "IND"], "In US$ m (current), India's military expenditure of 86,126 (SIPRI 2024) is about 8.5 times "
                     "Pakistan's 10,166 (SIPRI 2024)."),
])
def test_the_comparison_view_carries_a_sentence_per_headline_card(real_dataset, ids, first):
    view = build_comparison(real_dataset, ids)
    assert len(view.summary) == len(view.headline) == 3
    assert first in view.summary
    for card, sentence in zip(view.headline, view.summary):
        # never a ratio where the card gives none (unlike figures, or no honest ratio)
        assert ("times" in sentence) == bool(card.ratio), (card, sentence)
