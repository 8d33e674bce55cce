"""AppTest: every page runs, the compare page defaults and follows the URL."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from components.views.markup import plain
from forcedata import figure
from components.views.comparison import build_comparison
from tests.conftest import ROOT
from tests.test_one_view import assert_the_page_draws

TIMEOUT = 60


def app(**params) -> AppTest:
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=TIMEOUT)
    for key, value in params.items():
        at.query_params[key] = value
    return at.run()


def test_app_starts_on_compare_with_pakistan_and_afghanistan(real_dataset):
    at = app()
    assert not at.exception
    # the page draws the comparison's one view object (tests/test_one_view.py)
    assert_the_page_draws(at, build_comparison(real_dataset, ["PAK", "AFG"]))
    assert at.title[0].value == "Military balance: compare forces"
    assert at.multiselect[0].value == ["PAK", "AFG"]
    assert len(at.get("plotly_chart")) >= 4
    cards = [m.value for m in at.markdown]
    assert "**660,000** vs **172,000**" in cards
    # Afghanistan: the report says "no fighter jets", a narrower count than combat-capable aircraft:
    # the card says "not reported" for the wider count, and that its figures are different measures
    assert any(c.startswith("**465** vs **not reported \\(fighter aircraft\\: 0") for c in cards)
    captions = [c.value for c in at.caption]
    assert ":material/warning: Different measures\\: see the chart." in captions
    # badges are inert markdown (names and captions come from data files): read them unescaped
    assert any("Pakistan: Nuclear-armed" in c.replace("\\", "") and "Afghanistan: Not nuclear-armed" in c.replace("\\", "")
               for c in cards)
    assert "Pakistan : Afghanistan = 3.8 : 1" in captions
    assert sum(c.startswith("Pakistan : Afghanistan") for c in captions) == 1  # no ratio across unlike figures
    assert at.query_params["c"] == "PAK,AFG"
    # the comparison in a sentence per headline card, above them, as one inert list
    summary = next(m.value for m in at.markdown if m.value.startswith("- "))
    assert summary.split("\n") == ["- " + plain(s) for s in (
        "Pakistan's 660,000 active personnel (IISS 2025) are about 3.8 times Afghanistan's 172,000 (IISS 2025).",
        "Combat-capable aircraft: Pakistan 465 (IISS 2025); Afghanistan not reported (fighter aircraft: 0; "
        "Global Firepower 2026) — different measures, so not compared.",
        "Military expenditure, in US$ m (current): Pakistan 10,166 (SIPRI 2024); Afghanistan 278 (SIPRI 2021) — "
        "different years, so not compared.")]


@pytest.mark.parametrize("path, shown", [
    ("foo/bar", "“foo/bar”"),
    # cut to 40 characters, then made inert: nothing of it is a tag or a link
    ("<script>alert(1)</script>[x](https://evil.example)", "“" + plain("<script>alert(1)</script>[x](https://ev") + "…”"),
])
def test_an_unknown_page_is_named_in_an_inert_notice(path, shown):
    """serve.py sends /foo?c=PAK to /?c=PAK&nopage=foo (components/serving/routes.py): the notice names
    the path (cut, inert), the parameter leaves the link, and the link's selection is kept."""
    at = app(c="IND,PAK", nopage=path)
    assert not at.exception
    assert at.info[0].value == f"There is no page {shown}: this is the compare page, with the rest of your link kept."
    assert "nopage" not in at.query_params and at.query_params["c"] == "IND,PAK"
    at.multiselect[0].set_value(["IND"]).run()
    assert any("There is no page" in i.value for i in at.info)  # kept while the reader stays on the page
    at.switch_page("app_pages/profile.py").run()
    at.switch_page("app_pages/compare.py").run()
    assert not any("There is no page" in i.value for i in at.info)  # and gone once they leave it


def test_changing_the_selection_updates_charts_and_url():
    at = app()
    at.multiselect[0].set_value(["PAK", "IND"]).run()
    assert not at.exception
    assert at.query_params["c"] == "PAK,IND"
    assert "**≈ 650,000** vs **≈ 1,500,000**" in [c.value for c in at.markdown]  # like for like: one edition for both


def test_url_seeds_the_selection():
    at = app(c="ind,PAK")
    assert at.multiselect[0].value == ["IND", "PAK"]
    assert not at.warning


def test_unknown_id_warns_and_keeps_the_known_ones():
    at = app(c="PAK,ZZZ")
    assert not at.exception
    assert at.multiselect[0].value == ["PAK"]
    assert "Ignored unknown id(s) in the link (`?c=`): “ZZZ”." in at.warning[0].value


@pytest.mark.parametrize("page", ["app_pages/compare.py", "app_pages/sources.py", "app_pages/data_health.py"])
def test_each_page_runs_on_its_own(page):
    at = AppTest.from_file(str(ROOT / page), default_timeout=TIMEOUT).run()
    assert not at.exception
    assert at.title


def test_sources_page_lists_registry_and_definitions():
    at = AppTest.from_file(str(ROOT / "app_pages/sources.py"), default_timeout=TIMEOUT).run()
    frames = [d.value for d in at.dataframe]
    definitions = frames[0]
    sources = next(f for f in frames if "Citation" in f.columns)
    scopes = next(f for f in frames if "Scope" in f.columns)
    assert "Air Force only" in scopes["Scope"].tolist() and "all_tank_types" in scopes["Id"].tolist()
    assert "Active personnel" in definitions["Metric"].tolist()
    assert "iiss-mb-2025" in sources["Id"].tolist()
    assert sources.set_index("Id").loc["reuters-pak-afg-2025-10", "Values citing it"] >= 5
    # the default rule for readers: a numbered list in words, not the code's docstring
    rule = next(m.value for m in at.markdown if m.value.startswith("1. **Latest available**"))
    assert "3. **Counted as defined**" in rule and "4. **Tier before precision**" in rule
    assert "8. **Order in the data file.**" in rule
    # how to read a value: every qualifier's mark explained, every qualifier in words
    how = next(m.value for m in at.markdown if "Qualifiers used" in m.value)
    assert "- Qualifiers used: as reported, about, at least, more than, up to, estimate." in how
    for spec in figure.QUALIFIERS.values():
        mark = (spec.mark + spec.suffix).strip()
        assert not mark or f"**{mark}" in how, spec.id
    assert not at.text and "``" not in " ".join(m.value for m in at.markdown)


def test_broken_file_gives_a_banner_and_the_rest_is_served(tmp_path, monkeypatch):
    import shutil

    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    (data / "forces" / "ZZZ.yaml").write_text("id: ZZZ\nname: [\n", encoding="utf-8")
    monkeypatch.setenv("FORCEDATA_DATA_DIR", str(data))
    at = AppTest.from_file(str(ROOT / "app_pages/compare.py"), default_timeout=TIMEOUT)
    at.run()
    assert not at.exception
    assert "ZZZ.yaml" in at.error[0].value
    assert len(at.get("plotly_chart")) >= 4
