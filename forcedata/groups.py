"""Groups and coalitions (data/groups.yaml): loading with located errors, and group totals that
always say how complete they are."""

from __future__ import annotations

import math
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, Iterable, Literal

import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, field_validator

from forcedata import figure
from forcedata.frame import records
from forcedata.display import NOT_REPORTED, format_date, format_number, source_label, value_label
from forcedata.load import Collector, shown_path
from forcedata.problems import Problem, brief
from forcedata.schema import Label, Text, Title, check_date_text
from forcedata.yamlio import YamlFileError, line_of, load_yaml

GroupKind = Literal["alliance", "organisation", "dialogue", "region"]
KIND_WORDS = {
    "alliance": "alliance (mutual-defence treaty)", "organisation": "organisation (no common defence)",
    "dialogue": "dialogue (no treaty)", "region": "statistical region",
}


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Membership(_Strict):
    """One member of a group, with the date it joined (or was listed) and where that is said."""

    id: str
    date: str = Field(description="YYYY, YYYY-MM or YYYY-MM-DD: a real date between 1816 and next year.")
    source: str | None = None
    note: Text | None = None

    _date = field_validator("date", mode="before")(lambda v: check_date_text(v, what="date"))


class Group(_Strict):
    """An alliance, organisation, dialogue or statistical region."""

    id: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]*$")]
    name: Label
    full_name: Title
    kind: GroupKind
    source: str
    date_means: Literal["joined", "listed"]
    note: Text | None = None
    members: list[Membership]

    def member_ids(self) -> list[str]:
        return [m.id for m in self.members]

    def source_of(self, member: Membership) -> str:
        return member.source or self.source


class GroupsFile(_Strict):
    """The whole of data/groups.yaml (for the JSON Schema; loading checks group by group)."""

    groups: list[Group]


GROUP_FIELDS = "see the header of data/groups.yaml for the fields"


def load_groups(path: Path, *, entities: Iterable[str], sources: Mapping[str, Any] | Iterable[str],
                shown: str | None = None) -> tuple[dict[str, Group], list[Problem]]:
    """Read and check ``groups.yaml`` in one pass: every problem as FILE:LINE: path: message —
    fix, never an exception, whatever the file holds.

    Refused, each at its line: a file that is not a regular YAML mapping, wrong types, unknown
    fields, impossible dates, unknown or secondary sources (a membership list is the
    organisation's own page), unknown or repeated members, a group with no members, and a group
    id that is also an entity id (a link or a picker could not tell them apart).

    Args:
        path: the groups file (a missing file is no groups and no problem; a folder or a link
            in its place is a problem).
        entities: the ids of the entity files members must name.
        sources: the registry (id -> Source), or just its ids.
        shown: how to name the file in messages (default: relative to the working directory,
            or else to the data folder: never a server path).

    Returns:
        The valid groups by id (a broken group is left out) and the problems found, by line.
    """
    if not os.path.lexists(path):
        return {}, []
    shown = shown or shown_path(path, path.parent)
    try:
        data, index = load_yaml(path, shown)
    except YamlFileError as err:
        return {}, list(err.problems)
    col = Collector(shown, index)
    raw_groups = data.get("groups") if isinstance(data, dict) else None
    if not isinstance(data, dict):
        col.add((), "expected a mapping with 'groups:'", "start the file with 'groups:' and list the groups under it")
        return {}, col.problems
    for key in data:
        if key != "groups":
            col.add((key,), "unknown field", "expected only 'groups:'")
    if not isinstance(raw_groups, list):
        col.add(("groups",), "expected a list under 'groups:'", "each group starts with '- id: ...'")
        return {}, col.problems
    entity_ids = {e.lower(): e for e in entities}
    kinds = ({k: getattr(v, "kind", None) for k, v in sources.items()} if isinstance(sources, Mapping)
             else dict.fromkeys(sources))
    groups: dict[str, Group] = {}
    first: dict[str, int] = {}
    for i, raw in enumerate(raw_groups):
        where = ("groups", i)
        if not isinstance(raw, dict):
            col.add(where, f"expected a group's fields (id:, name:, members:, ...), got {brief(raw)}", GROUP_FIELDS)
            continue
        # NOTE: references are checked on the raw entry too, so one broken field does not hide
        # the other problems of the same group.
        ok = _check_references(raw, where, col, entity_ids, kinds)
        group = col.validate(Group, raw, where)
        if group is None:
            continue
        if group.id in first:
            col.add(where + ("id",), f"duplicate group id '{group.id}' (first at line {first[group.id]})",
                    "give it a new id or merge the two")
            continue
        first[group.id] = line_of(index, where)
        if ok:
            groups[group.id] = group
    return groups, sorted(col.problems, key=lambda p: p.line)


def _check_references(raw: dict, where: tuple, col, entities: dict[str, str], kinds: dict[str, str | None]) -> bool:
    """The group's id against the entity ids, its sources, and its members (known, listed once,
    at least one); False on any problem. Wrong types are left to the model's messages."""
    ok = True
    group_id = raw.get("id")
    if isinstance(group_id, str) and group_id.lower() in entities:
        col.add(where + ("id",), f"group id {brief(group_id)} is also the id of an entity "
                f"(forces/{entities[group_id.lower()]}.yaml): a link or a picker could not tell them apart",
                "give the group another id")
        ok = False

    def check_source(at: tuple, ref: object) -> bool:
        if not isinstance(ref, str):
            return True  # NOTE: a source that is not text is the model's error, reported there
        if ref not in kinds:
            col.add(at, f"unknown source {brief(ref)}", "add it to data/sources.yaml or fix the id")
            return False
        if kinds[ref] == "secondary":
            col.add(at, f"{brief(ref)} is a report quoting others (kind: secondary)",
                    "cite the organisation's own membership page (a primary source, tier official)")
            return False
        return True

    ok = check_source(where + ("source",), raw.get("source")) and ok
    members = raw.get("members")
    if isinstance(members, list) and not members:
        col.add(where + ("members",), "a group with no members", "list its members, or remove the group")
        return False
    seen: set[str] = set()
    for j, member in enumerate(members if isinstance(members, list) else []):
        at = where + ("members", j)
        if not isinstance(member, dict):
            continue
        member_id = member.get("id")
        if isinstance(member_id, str):
            if member_id not in entities.values():
                col.add(at + ("id",), f"unknown entity {brief(member_id)}",
                        f"create data/forces/{member_id}.yaml (python -m forcedata new {member_id}) or fix the id")
                ok = False
            elif member_id in seen:
                col.add(at + ("id",), f"{brief(member_id)} is listed twice in {brief(group_id)}",
                        "remove one of the two")
                ok = False
            seen.add(member_id)
        ok = check_source(at + ("source",), member.get("source")) and ok
    return ok


def groups_of(groups: dict[str, Group], entity: str, kind: str | None = None) -> list[Group]:
    """The groups ``entity`` belongs to (of one kind, e.g. "region", if given)."""
    return [g for g in groups.values() if entity in g.member_ids() and (kind is None or g.kind == kind)]


@dataclass(frozen=True)
class GroupTotal:
    """The sum of the members' default figures for one metric, with how complete it is."""

    name: str
    metric: str
    low: float
    high: float                     # math.inf when a member's figure is only a lower bound
    approximate: bool
    reported: list[str]             # member ids with a figure
    missing: list[str]              # member ids without one
    sources: list[str] = field(default_factory=list)   # distinct source labels
    years: list[int] = field(default_factory=list)     # distinct as-of years

    @property
    def members(self) -> int:
        return len(self.reported) + len(self.missing)

    @property
    def complete(self) -> bool:
        return not self.missing

    def completeness(self) -> str:
        """'reported for 9 of 32 members'."""
        return f"reported for {len(self.reported)} of {self.members} members"

    def text(self, unit: str = "") -> str:
        """'1,234,000', '≥ 1,234,000', '≈ 4,500' or '4,000–6,000'; 'not reported' with no figure.

        NOTE: a total says what it adds up to with the marks of figure.py, by its ends only: no
        upper end is "at least" (even over a "more than"), and a low end of 0 ("up to" members
        only) is written as a range, "0–300"."""
        if not self.reported:
            return "not reported"
        if math.isinf(self.high):
            return figure.qualifier("at_least").mark + format_number(self.low, unit)
        if self.low == self.high:
            return figure.qualifier("about" if self.approximate else "exact").mark + format_number(self.low, unit)
        return format_number(self.low, unit) + figure.RANGE_DASH + format_number(self.high, unit)

    def mixed(self) -> list[str]:
        """Warnings for a total that adds figures of different sources or years."""
        out = []
        if len(self.sources) > 1:
            out.append("adds figures from " + str(len(self.sources)) + " sources: " + "; ".join(self.sources))
        if len(self.years) > 1:
            out.append("adds figures of different years: " + ", ".join(str(y) for y in self.years))
        return out


def group_total(shown: pd.DataFrame, *, name: str, members: list[str], metric: str) -> GroupTotal:
    """Add up the members' default figures for ``metric``.

    Each figure counts by what it says (``figure.interval``, added by ``figure.total``): an exact
    or approximate figure adds itself, "more than" or "at least" makes the total open-ended
    upwards, "up to" adds 0 to the low end, a range adds its low and high. The total is
    approximate where a member's figure is (about, estimate, highly uncertain) or is a range.
    Members without a reported figure are listed as missing, never counted as 0.

    Args:
        shown: default rows (``forcedata.frame.default_values``) covering the members.
        name: the group's (or entity's) name.
        members: the member ids.
        metric: the metric id.
    """
    rows = shown[(shown["metric"] == metric) & shown["entity"].isin(members) & (shown["status"] == "reported")]
    rows = rows[rows["value"].notna() | rows["low"].notna()].drop_duplicates("entity")
    found = records(rows)
    sum_ = figure.total([figure.interval(r) for r in found])
    approximate = sum_.approximate or any(bool(r["uncertain"]) or pd.isna(r["value"]) for r in found)
    reported = [m for m in members if m in set(rows["entity"])]
    sources = list(dict.fromkeys(
        source_label(r["source_short"], r["source_title"]) for r in found))
    return GroupTotal(name=name, metric=metric, low=sum_.low, high=sum_.high, approximate=approximate,
                      reported=reported, missing=[m for m in members if m not in reported],
                      sources=sources, years=sorted(set(int(y) for y in rows["year"])))


def membership_table(group: Group, names: dict[str, str], source_titles: dict[str, str]) -> pd.DataFrame:
    """One row per member: name, date joined or listed, source and note (for display)."""
    return pd.DataFrame({
        "Member": [names.get(m.id, m.id) for m in group.members],
        "Joined" if group.date_means == "joined" else "Listed": [format_date(m.date) for m in group.members],
        "Source": [source_titles.get(group.source_of(m), group.source_of(m)) for m in group.members],
        "Note": [m.note or "" for m in group.members],
    })


def member_values(shown: pd.DataFrame, *, members: list[str], metric: str, names: dict[str, str]) -> pd.DataFrame:
    """The figure behind a group total for each member ('not reported' where there is none),
    with its source and year: what the total adds up."""

    rows = {r["entity"]: r for r in records(shown[shown["metric"] == metric])}
    return pd.DataFrame({
        "Member": [names.get(m, m) for m in members],
        "Value": [value_label(rows[m]) if m in rows else NOT_REPORTED for m in members],
        "As of": [str(rows[m]["as_of"]) if m in rows else "" for m in members],
        "Source": [source_label(rows[m]["source_short"], rows[m]["source_title"]) if m in rows else ""
                   for m in members],
    })
