"""Sources and methods: the registry with tiers, the metric glossary, how the default figure is
chosen, and where reports disagree (and why)."""

import pandas as pd
import streamlit as st

from components.ui.filters import metric_help, url_multiselect
from components.ui.state import get_dataset
from components.ui.widgets import plain, render_problems_banner
from forcedata.coverage import values_citing
from forcedata.disagreements import disagreement_details, disagreement_table
from forcedata.figure import in_schema_order
from forcedata.frame import LIKE_FOR_LIKE_FOR_READERS, ONE_SOURCE_FOR_READERS, RULE_FOR_READERS

# 1/ DATA
ds = get_dataset()
st.title("Sources and methods")
render_problems_banner(ds)

# 2/ DEFINITIONS
st.subheader("What each figure means")
metrics = sorted(ds.metrics.values(), key=lambda m: m.order)
st.dataframe(pd.DataFrame({
    "Metric": [m.label for m in metrics], "Unit": [m.unit for m in metrics],
    "Definition": [m.definition for m in metrics], "Caveat": [m.caveat or "" for m in metrics],
    "Id": [m.id for m in metrics],
}), hide_index=True, width="stretch")

st.subheader("How to read a value")
st.markdown(
    "- **> 6,000** the source says *more than*; **≥ 6** *at least*; **≈** *about*; **≤** *up to*; "
    "**est.** the source calls it an estimate.\n"
    "- **†** the source doubts the equipment's condition or serviceability.\n"
    "- **0** is a reported zero (\"no fighter jets\"). **not known** means a source says the "
    "figure is unknown. **not reported** means we found no citable figure: it is *not* zero.\n"
    f"- Qualifiers used: {', '.join(q.words for q in in_schema_order())}."
)
st.markdown("**Which figure a chart shows.** Where several reports exist for one country and "
            "measure, one rule picks the figure charted by default, step by step until one is left:")
st.markdown("\n".join(f"{n}. {words}" for n, (_, words) in enumerate(RULE_FOR_READERS, start=1)))
st.markdown(LIKE_FOR_LIKE_FOR_READERS)
st.markdown(ONE_SOURCE_FOR_READERS)
st.markdown("**When a count differs from the definition** (its *scope*), the figure is drawn with these words "
            "beside it, and a figure counted as defined is preferred:")
st.dataframe(pd.DataFrame({
    "Scope": [sc.label for sc in ds.scopes.values()], "Meaning": [sc.definition for sc in ds.scopes.values()],
    "Id": list(ds.scopes),
}), hide_index=True, width="stretch")

# 3/ SOURCES
st.subheader("Sources")
st.caption("Tiers: official (government statistics and statements), reference (a published method: "
           "IISS, SIPRI, CIA World Factbook, Correlates of War), alternative (opaque indices), "
           "aggregator (pages that republish figures without naming their source). Secondary "
           "reports (news articles quoting a source) have no tier of their own.")
counts = values_citing(ds.frame)["values"]
sources = list(ds.sources.values())
st.dataframe(pd.DataFrame({
    "Id": [s.id for s in sources], "Kind": [s.kind for s in sources], "Tier": [s.tier or "" for s in sources],
    "Citation": [" ".join(s.citation_full.split()) for s in sources],
    "Published": [s.date_published for s in sources], "Accessed": [s.date_accessed for s in sources],
    "Values citing it": [int(counts.get(s.id, 0)) for s in sources],
    "Link": [s.url for s in sources], "Terms": [s.terms for s in sources], "Note": [s.note or "" for s in sources],
}), hide_index=True, width="stretch", column_config={"Link": st.column_config.LinkColumn()})

# 4/ DISAGREEMENTS
st.subheader("Where reports disagree")
st.caption("Every entity, metric and year with two or more reports, side by side, the largest "
           "spread (largest ÷ smallest figure) first. The reasons come from what the reports say "
           "about themselves; the figures are never averaged.")
everything = disagreement_table(ds.frame)
names = dict(zip(everything["entity"], everything["Entity"]))
labels = {m: ds.metrics[m].label for m in dict.fromkeys(everything["metric"]) if m in ds.metrics}
with st.container(key="controls_disagreements", horizontal=True):
    chosen_entities = url_multiselect("Countries and actors", sorted(names, key=names.get), key="sources_dis_entities",
                                      param="de", format_func=lambda e: names.get(e, e), what="unknown id")
    chosen_metrics = url_multiselect(
        "Metrics", list(labels), key="sources_dis_metrics", param="dm", format_func=lambda m: labels.get(m, m),
        what="unknown metric", help=metric_help([ds.metrics[m] for m in labels], "What each metric counts:"))
table = disagreement_table(ds.frame, entities=chosen_entities or None, metrics=chosen_metrics or None)
if table.empty:
    st.info("No entity and metric in this filter has two or more reports for the same year.", icon=":material/info:")
else:
    st.dataframe(table.drop(columns=["entity", "metric", "spread"]), hide_index=True, width="stretch")
    with st.expander("Each report behind these rows, with its note and quote"):
        details = disagreement_details(ds.frame, entities=chosen_entities or None, metrics=chosen_metrics or None)
        st.dataframe(details.drop(columns=["entity", "metric"]), hide_index=True, width="stretch")
for m in chosen_metrics:
    st.caption(f"**{plain(ds.metrics[m].label)}**: {plain(ds.metrics[m].definition)}")

# 5/ ENTITIES
st.subheader("Countries and actors")
st.dataframe(pd.DataFrame({
    "Id": list(ds.entities), "Name": [e.header.name for e in ds.entities.values()],
    "Kind": [e.header.kind for e in ds.entities.values()],
    "Notes": [e.header.notes for e in ds.entities.values()],
}), hide_index=True, width="stretch")
