"""Profile: one country or actor as a card first (a tile per profile field with its rank, small
histories, nuclear status, groups, neighbours), then every figure with all its reports."""

import streamlit as st

from components.ui.group_state import get_groups, render_group_problems
from components.ui.profile_widgets import (
    profile_card, render_family_tables, render_histories, render_status_line, render_tiles,
)
from components.ui.state import get_dataset
from components.ui.url_state import url_choice
from components.ui.widgets import plain, render_problems_banner, render_table
from forcedata.profile import (
    compare_link, edition_changes, entity_notes, memberships, neighbour_links, profile_by_family,
)

DEFAULT_ENTITY = "AFG"
KEY = "profile_entity"

# 1/ SELECTION
ds = get_dataset()
groups, group_problems = get_groups(ds)
render_problems_banner(ds)
names = {e: ent.header.name for e, ent in sorted(ds.entities.items(), key=lambda kv: kv[1].header.name)}
heading, picker = st.columns([2, 1], vertical_alignment="bottom")  # NOTE: one row: the tiles stay in view
with picker:
    entity = url_choice(st.selectbox, "Profile of", names, key=KEY, param="e", default=DEFAULT_ENTITY,
                        what="unknown id", hint="Pick a country or actor below; a profile shows one.",
                        keep_default=True, help="The link in your address bar (?e=) reproduces this profile.")
header = ds.entities[entity].header
card = profile_card(ds, entity)  # built once per (entity, data version): read-only

# 2/ CARD: who it is, its twelve fields with their ranks, its histories
heading.title(f"Profile: {plain(header.name)}")
for note in entity_notes(header.kind, header.notes):
    st.info(plain(note), icon=":material/info:")
render_status_line(card.nuclear, memberships(groups, entity))
render_group_problems(group_problems)
render_tiles(card.tiles)
render_histories(card)
links = neighbour_links(groups, entity, names)
if links:
    with st.expander("Compare with its neighbours", expanded=True):
        st.markdown(" · ".join(f"[{plain(label)}]({compare_link(ids)})" for label, ids in links))

# 3/ EVERY FIGURE, BY FAMILY
st.subheader("Every figure we hold")
st.caption("A row per metric: the figure charted by default (newest, then most precise); the other reports "
           "are behind each table. Tiers: official statistics, reference works with a published method, "
           "alternative indices, aggregators.")
families = {f.id: f.label for f in sorted(ds.families.values(), key=lambda f: f.order)}
sections = profile_by_family(ds.frame, entity, families)
if not sections:
    st.info("No figures are reported for this entity yet.", icon=":material/info:")
for tables in sections:
    st.markdown(f"#### {plain(tables.label)}")
    render_family_tables(tables)
    with st.expander(f"What the {plain(tables.label.lower())} figures mean"):  # NOTE: a label from metrics.yaml
        for m in sorted((m for m in ds.metrics.values() if m.family == tables.family), key=lambda m: m.order):
            st.markdown(f"**{plain(m.label)}** ({plain(m.unit)}): {plain(m.definition)}")

# 4/ EDITION CHANGES
st.subheader("How the figures changed between editions")
changes = edition_changes(ds.frame, entity)
if changes.empty:
    st.caption("No producer has more than one edition for this entity in the data.")
else:
    render_table(changes)
