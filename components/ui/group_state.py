"""Cached getter for data/groups.yaml (the st.* side; forcedata.groups does the work)."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from components.views.markup import plain
from forcedata.groups import Group, load_groups
from forcedata.dataset import Dataset
from forcedata.load import data_dir_from_env, shown_path
from forcedata.problems import Problem


@st.cache_resource(show_spinner=False, max_entries=4)
def _load(path: str, version: str, _entities: tuple[str, ...], _ds: Dataset
          ) -> tuple[dict[str, Group], list[Problem]]:
    # NOTE: named relative to the data folder (shown_path): a visitor never sees a server path
    return load_groups(Path(path), entities=_entities, sources=_ds.sources,
                       shown=shown_path(Path(path), Path(path).parent))


def get_groups(ds: Dataset) -> tuple[dict[str, Group], list[Problem]]:
    """The valid groups by id and the problems of groups.yaml, reloaded when the file changes."""
    path = data_dir_from_env() / "groups.yaml"
    # NOTE: a member whose entity file is broken is still a member (its file exists): the
    # broken file has its own banner, groups.yaml gets no follow-on error for it.
    # NOTE: keyed on the data version, which changes with groups.yaml as with any entity or
    # source (forcedata/fingerprint.py), not on the 360 ids themselves: one value to hash per run.
    return _load(str(path), ds.version, tuple(sorted({*ds.entities, *ds.broken_ids})), ds)


def render_group_problems(problems: list[Problem]) -> None:
    """A banner naming what is wrong in groups.yaml; the valid groups are still offered."""
    if problems:
        files = ", ".join(sorted({plain(p.file) for p in problems}))
        st.warning(f"{len(problems)} problem(s) in {files}: the groups concerned are left out; everything "
                   "else is shown.", icon=":material/warning:")
        with st.expander("Group file problems"):
            st.code("\n".join(str(p) for p in problems), language=None, wrap_lines=True)
