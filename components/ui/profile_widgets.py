"""The profile page's card, drawn (st.*): the tiles of the twelve profile fields with their ranks,
the small histories and the nuclear status (built by components/views/profile_card.py), and the
full table of every report below it."""

from __future__ import annotations

import streamlit as st

from components.ui.cached import MAX_SELECTIONS
from components.ui.widgets import render_table
from components.views.markup import plain
from components.views.profile_card import ProfileCard, build_profile_card
from forcedata.dataset import Dataset
from forcedata.profile import FamilyTables, Tile

TILES_PER_ROW = 4
RANK_NOTE = ("Rank: among the countries and actors whose default figure for the field is counted the same way, "
             "whatever its year and source; a bound or a range ranks by what it says (\"at least 6\" against "
             "7 is \"between 1st and 2nd\").")


@st.cache_resource(max_entries=MAX_SELECTIONS, show_spinner=False)
def _card(version: str, entity: str, _ds: Dataset) -> ProfileCard:
    return build_profile_card(_ds, entity)


def profile_card(ds: Dataset, entity: str) -> ProfileCard:
    """``views.profile_card.build_profile_card``, once per (entity, data version), shared by every
    session: read-only."""
    return _card(ds.version, entity, ds)


def render_status_line(nuclear: str, groups: list[str]) -> None:
    """The entity's nuclear status as a badge (never added into anything else), and the groups it
    belongs to, on one line."""
    armed = nuclear.startswith("Nuclear-armed")
    badge = f":{'red' if armed else 'gray'}-badge[{':material/warning: ' if armed else ''}{plain(nuclear)}]"
    with st.container(horizontal=True, vertical_alignment="center"):
        st.markdown(badge, width="content")
        if groups:
            st.caption(" · ".join(plain(g) for g in groups))


def render_tiles(tiles: tuple[Tile, ...]) -> None:
    """A tile per profile field, four to a row: the label and unit, the figure with its marks, its
    qualifier, year, source and tier in words, and its rank ("3rd of 171 reporting")."""
    with st.container(key="profile_tiles"):
        for start in range(0, len(tiles), TILES_PER_ROW):
            for col, tile in zip(st.columns(TILES_PER_ROW), tiles[start:start + TILES_PER_ROW]):
                with col.container(border=True, key=f"profile_tile_{tile.metric.replace('.', '_')}", gap="small"):
                    # NOTE: the unit only where the number needs it (money, shares); catalogue text: inert
                    unit = f" ({plain(tile.unit)})" if tile.unit.startswith(("US$", "%")) else ""
                    st.caption(f"{plain(tile.label)}{unit}")
                    st.markdown(f"**{plain(tile.value)}**")
                    lines = [t for t in (tile.about, tile.rank) if t]
                    if lines:
                        st.caption("  \n".join(plain(t) for t in lines))
        st.caption(RANK_NOTE)


def render_histories(card: ProfileCard) -> None:
    """The small histories side by side, each with its title and, under it, the chart in words
    (its text alternative: screen readers read the sentence, not the lines)."""
    if not card.histories:  # NOTE: a catalogue without those metrics
        return
    for col, history in zip(st.columns(len(card.histories)), card.histories):
        with col:
            st.markdown(f"**{plain(history.title)}**")
            if history.fig is not None:
                # NOTE: theme=None: the template's colours; no tool bar on a small chart
                st.plotly_chart(history.fig, theme=None, key=f"profile_history_{history.metric}", width="stretch",
                                config={"displayModeBar": False})
            st.caption(plain(history.words))


def render_family_tables(tables: FamilyTables) -> None:
    """A row per metric (its default figure), and the other reports behind an expander."""
    render_table(tables.shown)
    if len(tables.others):
        with st.expander(f"Other reports of {plain(tables.label.lower())} figures ({len(tables.others)})"):
            render_table(tables.others)
