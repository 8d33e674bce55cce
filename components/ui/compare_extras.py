"""Compare-page sections beyond the charts: relative measures and group totals (st.*; the
computing is in forcedata.relative and forcedata.groups)."""

from __future__ import annotations

import streamlit as st

from components.ui.filters import metric_help
from components.ui.group_state import render_group_problems
from components.ui.url_state import url_choice
from components.ui.widgets import plain, render_table
from components.ui.cached import group_side, relative_view
from forcedata.groups import KIND_WORDS, Group, groups_of
from forcedata.dataset import Dataset

NOT_ADDITIVE = {"spending.milex_gdp_share", "spending.milex_per_capita"}


def render_relative_measures(ds: Dataset, selected: list[str]) -> None:
    """Personnel per 1,000 people and spending per person, where both figures exist: a row per
    entity, and the sources they were computed from said once."""
    view = relative_view(ds, selected)
    if not view.has_population:
        st.caption("Population is not reported for the selection, so personnel per 1,000 people and "
                   "spending per person are not computed.")
        return
    if len(view.table):
        # NOTE: a plain HTML table rather than st.dataframe: the data grid's canvas and
        # its script would be loaded with the page (1.5 s of a first visit).
        render_table(view.table)
    notes = [*view.notes, view.sources] if view.sources else list(view.notes)
    st.caption(" ".join(plain(n if n.endswith(".") else n + ".") for n in notes)
               + " Never stored: computed here from the default figures; a bound (\"> 6,000\") stays a "
               "bound. Market exchange rates understate what spending buys in lower-cost economies.")


def _pick(label: str, options: dict[str, str], *, key: str, param: str, default: str, what: str,
          help: str | None = None) -> str:
    """A selectbox kept in ``?param=`` (always written: the link names the box's choice)."""
    return url_choice(st.selectbox, label, options, key=key, param=param,
                      default=default if default in options else next(iter(options)), what=what, keep_default=True,
                      help=help)


# NOTE: why a country's figure in a box can differ from the one compared above (IND vs PAK:
# the pair's like-for-like pick is the CIA Factbook's, India's own default is IISS's)
GROUP_FIGURES_NOTE = ("Each box picks its figures like for like among its own members (the rule on the Sources "
                      "page), so a country's figure here can differ from the one compared above, which is "
                      "picked like for like with the other countries selected.")


def render_group_comparison(ds: Dataset, groups: dict[str, Group], problems: list, selected: list[str]) -> None:
    """A group's total against an entity or another group, each with its completeness."""
    render_group_problems(problems)
    if not groups:
        st.caption("No groups are defined (data/groups.yaml).")
        return
    names = {e: ent.header.name for e, ent in sorted(ds.entities.items(), key=lambda kv: kv[1].header.name)}
    group_names = {g.id: f"{g.name} ({g.kind})" for g in groups.values()}
    regions = groups_of(groups, selected[0], kind="region") if selected else []
    metrics = [m for m in sorted(ds.metrics.values(), key=lambda m: m.order)
               if m.family != "context" and m.id not in NOT_ADDITIVE]
    with st.container(key="controls_groups", horizontal=True):
        a = _pick("Group", group_names, key="compare_group_a", param="ga", what="unknown group",
                  default=regions[0].id if regions else "nato")
        b = _pick("Compared with (a group or a country)", group_names | names, key="compare_group_b",
                  param="gb", what="unknown group or id", default=selected[0] if selected else "csto")
        metric = _pick("Metric", {m.id: m.label for m in metrics}, key="compare_group_metric", param="gm",
                       what="unknown metric", default="personnel.active",
                       help=metric_help(metrics, "What each metric counts:"))
    unit = ds.metrics[metric].unit
    cols = st.columns(2)
    for position, (col, side) in enumerate(zip(cols, (a, b))):
        group = groups.get(side)
        members = group.member_ids() if group else [side]
        title = group.name if group else names[side]
        side = group_side(ds, members, metric, title)
        total = side.total
        with col.container(border=True):
            st.markdown(f"**{plain(title)}**" + (f" · {plain(KIND_WORDS[group.kind])}" if group else ""))
            st.markdown(f"### {plain(total.text(unit))} {plain(unit)}")
            if group:
                st.caption(plain(f"Total of the members with a figure: {total.completeness()}"
                                 + ("" if total.complete else "; not the group's full total") + "."))
            for warning in total.mixed():
                st.caption(plain(f"Mixed: {warning}."))
            if group and group.note:
                st.caption(plain(group.note))
            # NOTE: the table is built only once opened (opening reruns the page)
            members_list = st.expander("Members and their figures" if group else "Its figure",
                                       key=f"compare_group_members_{position}", on_change="rerun")
            if members_list.open:
                with members_list:
                    render_table(side.members)
    st.caption(f"**{plain(ds.metrics[metric].label)}**: {plain(ds.metrics[metric].definition)}")
    st.caption(GROUP_FIGURES_NOTE)
    sources = {g.source for g in (groups.get(a), groups.get(b)) if g}
    st.caption("Membership: " + plain("; ".join(" ".join(ds.sources[s].citation_full.split()).rstrip(".")
                                                for s in sorted(sources) if s in ds.sources)) + ".")
