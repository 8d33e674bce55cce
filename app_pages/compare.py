"""Compare: two to six countries or actors, one chart per force family, every value sourced."""

import streamlit as st

from components.ui.cached import comparison_view
from components.ui.compare_extras import render_group_comparison, render_relative_measures
from components.ui.group_state import get_groups
from components.ui.state import get_dataset
from components.ui.widgets import (
    basis_picker, cite_texts, entity_picker, render_chart, render_chart_exports, render_chart_words, render_csv_download,
    render_deck_download, render_headline, render_missing_note, render_nuclear_badges,
    plain, render_problems_banner, render_provenance, render_summary, render_version_note,
)
from components.views.files import chart_year, export_filename

DEFAULT_SELECTION = ["PAK", "AFG"]

# 1/ SELECTION
ds = get_dataset()
st.title("Military balance: compare forces")
render_problems_banner(ds)
render_version_note(ds.version)
with st.container(key="controls_selection", horizontal=True):  # NOTE: one row: the first chart stays in view
    selected = entity_picker(ds, key="compare_countries", default=DEFAULT_SELECTION)
    basis = basis_picker()  # best available per country, or one source for all
if not selected:
    st.info("Pick at least one country or actor to compare.", icon=":material/info:")
    st.stop()
names = {e: ds.entities[e].header.name for e in selected}

# 2/ DATA
view = comparison_view(ds, selected, basis)  # built once per (selection, basis, data version): read-only
shown = view.shown

# 3/ HEADLINE: the comparison in a sentence per headline measure, then its cards
render_summary(view.summary)
render_nuclear_badges(ds, selected)
render_headline(view.headline, names)
for e in selected:
    if ds.entities[e].header.notes:
        st.caption(f"**{plain(names[e])}**: {plain(ds.entities[e].header.notes)}")

# 4/ CHARTS
cites = cite_texts(ds, selected, basis)
for family in view.families:  # shared: read-only; the glossary is in the hovers
    st.subheader(plain(family.label))  # NOTE: labels come from metrics.yaml: inert
    if family.fig is None:
        st.caption(f"No {plain(family.label.lower())} figures reported for the selection.")
        continue
    render_chart(family.fig, key=f"compare_chart_{family.id}", filename=family.stem)
    render_chart_exports(family, key=f"compare_{family.id}", cite=cites[family.id])
    render_chart_words(family, key=f"compare_words_{family.id}")
    render_missing_note(list(family.unreported))

# 5/ RELATIVE MEASURES
st.subheader("Relative to population")
render_relative_measures(ds, selected)

# 6/ GROUPS AND COALITIONS
st.subheader("Groups and coalitions")
render_group_comparison(ds, *get_groups(ds), selected)

# 7/ SOURCES
with st.container(key="controls_sources"):
    render_csv_download(shown, file_name=export_filename(selected, "values", chart_year(shown), "csv"))
    render_deck_download(ds, view, file_name=export_filename(selected, "brief", chart_year(shown), "pptx"))
    # NOTE: the table is built only once the expander is opened (it reruns the page on open)
    provenance = st.expander("Provenance: every value for this selection, with its citation and other reports",
                             key="compare_provenance", on_change="rerun")
    if provenance.open:
        with provenance:
            everything = ds.frame[ds.frame["entity"].isin(selected)]
            render_provenance(everything.sort_values(["metric_order", "entity", "is_default"],
                                                     ascending=[True, True, False]))
