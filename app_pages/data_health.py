"""Data health: coverage by entity and family, stale values, counts by source, validator report."""

import datetime

import streamlit as st

from components.views.charts import fig_coverage
from components.ui.state import get_dataset
from components.ui.group_state import get_groups
from components.ui.widgets import plain, render_chart, stop_if_unusable
from forcedata.coverage import (
    FOCUS_ENTITIES, SECOND_RING, newest_year, one_source_coverage, profile_coverage, stale_values, values_citing,
)

# 1/ DATA
ds = get_dataset()
st.title("Data health")
st.caption(f"Data version {ds.version} · {len(ds.entities)} entity files · {len(ds.frame):,} values · "
           f"{len(ds.sources)} sources")

# 2/ VALIDATOR
st.subheader("Validator report")
stop_if_unusable(ds)
problems = [*ds.problems, *get_groups(ds)[1]]  # NOTE: what `python -m forcedata validate` lists
if problems:
    files = sorted({p.file for p in problems})
    st.error(f"{len(problems)} problem(s) in {', '.join(map(plain, files))}; those values and groups are left out.")
    st.code("\n".join(str(p) for p in problems), language=None, wrap_lines=True)
else:
    st.success(f"All {len(ds.files)} entity files and the groups file are valid.", icon=":material/check_circle:")

# 3/ COVERAGE
st.subheader("Coverage: newest sourced year by family")
focus_only = st.toggle("Focus entities only", value=True, key="health_focus")
entities = [e for e in FOCUS_ENTITIES if e in ds.entities] if focus_only else sorted(ds.entities)
years = newest_year(ds.frame, "family").reindex(index=entities, columns=list(ds.families))
names = {e: ds.entities[e].header.name for e in entities}
render_chart(fig_coverage(years, names=names, families={f: ds.families[f].label for f in ds.families}),
             key="health_coverage")
st.markdown("**Twelve-field profile of the focus entities** (newest year per field; empty = not known). "
            "*Sourced* counts a field when it or a finer measure (fighters for combat-capable aircraft) has a "
            "figure; *strict* only when the field itself has one counted as its definition says (no scope), "
            "as `python -m forcedata coverage --strict` does.")
focus = [e for e in FOCUS_ENTITIES if e in ds.entities]
part_of = {m.id: m.part_of for m in ds.metrics.values() if m.part_of}
profile = profile_coverage(ds.frame, focus, part_of)
profile.insert(1, "strict", profile_coverage(ds.frame, focus, strict=True)["sourced"])
st.dataframe(profile, width="stretch")
st.markdown("**One source for all**: the source edition covering most of the focus states and the second ring "
            "for each field (what the compare page's *One source for all* draws for them).")
ring = [e for e in FOCUS_ENTITIES + SECOND_RING if e in ds.entities and not e.startswith("x-")]
st.dataframe(one_source_coverage(ds.frame, ring), hide_index=True, width="stretch")

# 4/ STALE VALUES AND SOURCES
st.subheader("Old values shown by default")
older_than = st.slider("Older than (years)", 1, 20, 3, key="health_older_than")
stale = stale_values(ds.frame, older_than=older_than, this_year=datetime.date.today().year)
st.dataframe(stale[["entity_name", "metric_label", "as_of", "source", "via", "file", "line"]],
             hide_index=True, width="stretch")
st.subheader("Values citing each source")
st.caption("As the figure's source, as the report it was read in (via), and in all; the same count "
           "as on the Sources page.")
st.dataframe(values_citing(ds.frame).reset_index(), hide_index=True, width="stretch")
