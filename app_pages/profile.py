"""Profile: every figure of one country or actor, with all its reports, edition changes and caveats."""

import streamlit as st

from components.ui.group_state import get_groups, render_group_problems
from components.ui.state import get_dataset
from components.ui.url_state import url_choice
from components.ui.widgets import plain, render_problems_banner
from forcedata.profile import (
    compare_link, edition_changes, entity_notes, memberships, neighbour_links, profile_by_family,
)

DEFAULT_ENTITY = "AFG"
KEY = "profile_entity"

# 1/ SELECTION
ds = get_dataset()
groups, group_problems = get_groups(ds)
st.title("Profile")
render_problems_banner(ds)
names = {e: ent.header.name for e, ent in sorted(ds.entities.items(), key=lambda kv: kv[1].header.name)}
entity = url_choice(st.selectbox, "Country or actor", names, key=KEY, param="e", default=DEFAULT_ENTITY,
                    what="unknown id", hint="Pick a country or actor below; a profile shows one.", keep_default=True,
                    help="The link in your address bar (?e=) reproduces this profile.")
header = ds.entities[entity].header

# 2/ ABOUT
st.header(plain(header.name))
for note in entity_notes(header.kind, header.notes):
    st.info(plain(note), icon=":material/info:")
for line in memberships(groups, entity):
    st.caption(plain(line))
render_group_problems(group_problems)
links = neighbour_links(groups, entity, names)
if links:
    with st.expander("Compare with its neighbours", expanded=True):
        st.markdown(" · ".join(f"[{plain(label)}]({compare_link(ids)})" for label, ids in links))

# 3/ FIGURES BY FAMILY
st.caption("Every report we hold, the one charted by default first (newest, then most precise). "
           "Tiers: official statistics, reference works with a published method, alternative "
           "indices, aggregators.")
families = {f.id: f.label for f in sorted(ds.families.values(), key=lambda f: f.order)}
sections = profile_by_family(ds.frame, entity, families)
if not sections:
    st.info("No figures are reported for this entity yet.", icon=":material/info:")
for family, label, table in sections:
    st.subheader(plain(label))
    st.dataframe(table, hide_index=True, width="stretch")
    with st.expander(f"What the {plain(label.lower())} figures mean"):  # NOTE: a label from metrics.yaml
        for m in sorted((m for m in ds.metrics.values() if m.family == family), key=lambda m: m.order):
            st.markdown(f"**{plain(m.label)}** ({plain(m.unit)}): {plain(m.definition)}")

# 4/ EDITION CHANGES
st.subheader("How the figures changed between editions")
changes = edition_changes(ds.frame, entity)
if changes.empty:
    st.caption("No producer has more than one edition for this entity in the data.")
else:
    st.dataframe(changes, hide_index=True, width="stretch")
