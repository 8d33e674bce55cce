"""The README's URL promises, kept by the one URL-synced widget helper (components/ui/url_state.py):
a repeated list key reads as one list, a repeated single key keeps its last value, unknown values
are named in an inert note (at most 10, each cut to 20 characters, "and N more"), a link with more
ids than a widget takes says which were left out, and a default stays out of the link."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest


def page():
    import streamlit as st

    from components.ui.url_state import url_choice, url_choices

    options = {f"C{i:02d}": f"Country {i}" for i in range(1, 10)}
    url_choices("Countries", options, key="k_list", param="c", default=["C01"], limit=6, keep_default=True)
    url_choice(st.radio, "Basis", {"best": "Best", "one": "One"}, key="k_one", param="basis", default="best")


def run(**params) -> AppTest:
    at = AppTest.from_function(page, default_timeout=30)
    for key, value in params.items():
        at.query_params[key] = value
    return at.run()


def notes(at) -> list[str]:
    return [w.value for w in at.warning]


def test_a_repeated_list_key_reads_as_one_list():
    at = run(c=["c03", "C05,C03"])  # case-insensitive, repeats merged, duplicates dropped
    assert at.multiselect[0].value == ["C03", "C05"] and not notes(at)
    assert at.query_params["c"] == "C03,C05"


def test_a_repeated_single_key_keeps_its_last_value():
    assert run(basis=["zzz", "ONE"]).radio[0].value == "one"
    at = run(basis=["one", "zzz"])
    assert at.radio[0].value == "best" and notes(at) == [
        "Ignored value(s) in the link (`?basis=`): “zzz”."]


def test_unknown_values_are_named_ten_at_most_each_cut_to_twenty_characters():
    unknown = [f"NOPE{i:02d}-" + "x" * 30 for i in range(15)]
    [note] = notes(run(c=",".join(["C01", *unknown])))
    assert note.startswith("Ignored id(s) in the link (`?c=`): “NOPE00-xxxxxxxxxxxx…”, ")
    assert note.count("“") == 10 and note.endswith(" and 5 more.")
    assert all(len(item.split("”")[0]) <= 20 for item in note.split("“")[1:])


def test_more_ids_than_a_widget_takes_are_named_and_left_out():
    at = run(c=",".join(f"C{i:02d}" for i in range(1, 9)))
    assert at.multiselect[0].value == [f"C{i:02d}" for i in range(1, 7)]
    assert notes(at) == ["The link names 8 values; at most 6 are shown, so “Country 7”, “Country 8” were left out."]


def test_markup_in_a_link_is_shown_as_text():
    [note] = notes(run(basis="[x](https://evil.example)"))
    assert "](" not in note.replace("\\](", "") and "evil" in note


def test_a_default_stays_out_of_the_link_unless_kept():
    at = run()
    assert "basis" not in at.query_params and at.query_params["c"] == "C01"
    at.radio[0].set_value("one").run()
    assert at.query_params["basis"] == "one"
    at.radio[0].set_value("best").run()
    assert "basis" not in at.query_params
