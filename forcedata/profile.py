"""One entity's profile (pure): the card (a tile per profile field with its rank among the
entities reporting it, the yearly histories), every metric with all its reports, edition changes,
notes, and links to compare it with its neighbours. The profile page only renders these."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping
from urllib.parse import quote

import pandas as pd

from forcedata.display import (
    NOT_REPORTED, format_date, headline_parts, qualifier_text, source_label, value_interval, value_label,
)
from forcedata.groups import KIND_WORDS, Group, groups_of

MAX_COMPARE = 6
TIER_WORDS = {"official": "official", "reference": "reference work", "alternative": "alternative index",
              "aggregator": "aggregator"}
TIER_MARKS = {"official": "official", "reference": "reference", "alternative": "alternative",
              "aggregator": "aggregator"}  # NOTE: a tile's short tier mark
NON_STATE_NOTE = ("A non-state armed group, not a state's armed forces: its strength figures are "
                  "estimates (mostly UN Member State assessments), not counts of a regular force.")
# NOTE: few columns, each wrapping its text (a Markdown table): nothing is cut off at 1600 px
PROFILE_COLUMNS = ["Metric", "Value", "Qualifier", "As of", "Source", "Read in", "Note"]
OTHER_COLUMNS = ["Metric", "Report", *PROFILE_COLUMNS[1:]]


def report_rows(frame: pd.DataFrame, entity: str) -> pd.DataFrame:
    """The entity's rows worth showing: every single report, and of each yearly series only its
    default year or else its newest reported year (the rest belongs on a trends chart).

    Returns:
        Frame rows in metric order, the default first, then the others newest first, with a
        ``report`` column ("shown", "other report", "newest of a series") and ``series_span``
        ("1949–2024", empty for single reports).
    """
    rows = frame[frame["entity"] == entity]
    single = rows[~rows["from_series"]].assign(series_span="")
    parts = [single]
    for _, series in rows[rows["from_series"]].groupby(["metric", "source"], sort=False):
        years = series["year"]
        span = f"{years.min()}–{years.max()} ({len(series)} years)"
        default = series[series["is_default"]]
        reported = series[series["status"] == "reported"]
        pick = default if len(default) else (reported if len(reported) else series).nlargest(1, "year")
        parts.append(pick.assign(series_span=span))
    out = pd.concat(parts) if parts else rows.assign(series_span="")
    out = out.assign(report=[
        "shown" if d else ("newest of a series" if s else "other report")
        for d, s in zip(out["is_default"], out["from_series"])
    ])
    return out.sort_values(["metric_order", "is_default", "year"], ascending=[True, False, False], kind="stable")


def profile_table(rows: pd.DataFrame, *, report: bool = False) -> pd.DataFrame:
    """Display table of ``report_rows``: each value with its qualifier (status and condition in
    words), as of, source and tier, the report it was read in, and its note; with ``report``, a
    Report column ("other report", "newest of a series") after the metric."""
    records = []
    for r in rows.to_dict("records"):
        note = r["note"] if isinstance(r["note"], str) else ""
        if r["series_span"]:
            note = f"Yearly series {r['series_span']}; see Trends. " + note
        tier = TIER_WORDS.get(r["source_tier"], "") if isinstance(r["source_tier"], str) else ""
        records.append({
            "Metric": r["metric_label"],
            "Report": r["report"],
            "Value": value_label(r),
            "Qualifier": qualifier_text(r),
            "As of": format_date(str(r["as_of"])),
            "Source": source_label(r["source_short"], r["source_title"]) + (f" ({tier})" if tier else ""),
            "Read in": (f"{r['via_short']}, {format_date(r['via_published'])}"
                        if isinstance(r["via"], str) else ""),
            "Note": " ".join(note.split()),
        })
    return pd.DataFrame(records, columns=OTHER_COLUMNS if report else PROFILE_COLUMNS)


@dataclass(frozen=True)
class FamilyTables:
    """One family of the profile's full table: the figure charted for each metric, and the rest."""

    family: str
    label: str
    shown: pd.DataFrame  # one row per metric: the default figure (PROFILE_COLUMNS)
    others: pd.DataFrame  # every other report, metric by metric (OTHER_COLUMNS); may be empty


def profile_by_family(frame: pd.DataFrame, entity: str, family_labels: Mapping[str, str]) -> list[FamilyTables]:
    """The families the entity has figures in, in the order of ``family_labels``: for each, a row
    per metric (its default figure) and the other reports behind it."""
    rows = report_rows(frame, entity)
    out = []
    for family, label in family_labels.items():
        part = rows[rows["family"] == family]
        if len(part):
            shown = part[part["report"] == "shown"]
            out.append(FamilyTables(family, label, profile_table(shown),
                                    profile_table(part[part["report"] != "shown"], report=True)))
    return out


def edition_changes(frame: pd.DataFrame, entity: str) -> pd.DataFrame:
    """Where one producer has several editions for the entity (IISS 2022, 2023, 2024), the change
    between them: '2,927 (2022) → ≈ 1,800 (2023) → 1,750 (2024)'.

    Yearly series are left out (one release already spans the years). Of several reports of one
    edition (the same IISS figure read in two newspapers) the first in the default's order counts.

    Returns:
        Columns Metric, Producer, Change, Editions; one row per metric and producer.
    """
    rows = frame[(frame["entity"] == entity) & ~frame["from_series"]]
    records = []
    for (_, producer), group in rows.groupby(["metric", "source_short"], sort=False):
        if group["source"].nunique() < 2:
            continue
        editions = (group.sort_values("is_default", ascending=False, kind="stable")
                    .drop_duplicates("source")
                    .assign(_pub=lambda g: g["source_published"].fillna(""))
                    .sort_values(["year", "_pub"], kind="stable"))
        steps = [f"{value_label(r)} ({r['as_of']})" for r in editions.to_dict("records")]
        records.append({
            "Metric": group["metric_label"].iloc[0], "Producer": producer, "Change": " → ".join(steps),
            "Editions": "; ".join(source_label(p, t)
                                  for p, t in zip(editions["source_short"], editions["source_title"])),
            "_order": group["metric_order"].iloc[0],
        })
    out = pd.DataFrame(records, columns=["Metric", "Producer", "Change", "Editions", "_order"])
    return out.sort_values("_order", kind="stable").drop(columns="_order").reset_index(drop=True)


def entity_notes(kind: str, notes: str | None) -> list[str]:
    """What a reader must know about the entity before its figures: its own notes (e.g. the
    de-facto authority caveat) and, for a non-state group, that it is one."""
    out = [NON_STATE_NOTE] if kind == "non_state" else []
    if notes:
        out.append(" ".join(notes.split()))
    return out


def compare_link(ids: list[str]) -> str:
    """'./?c=AFG,PAK': the compare page (the app's default page, at its root) for these ids.

    NOTE: relative, so it works under any base path; '/compare' is not a URL of the default page.
    """
    return "./?c=" + ",".join(quote(i, safe="-") for i in ids)


def neighbour_links(groups: Mapping[str, Group], entity: str, names: Mapping[str, str]
                    ) -> list[tuple[str, list[str]]]:
    """Comparisons of the entity with its region's members: one with the first few of them
    together, then one per neighbour. [(label, entity ids for ?c=)], the entity always first."""
    out = []
    for region in groups_of(dict(groups), entity, kind="region"):
        others = [m for m in region.member_ids() if m != entity and m in names]
        if not others:
            continue
        first = others[: MAX_COMPARE - 1]
        more = f" (first {len(first)} of {len(others)})" if len(others) > len(first) else ""
        out.append((f"{names[entity]} and {region.name}{more}", [entity, *first]))
        out.extend((f"{names[entity]} vs {names[m]}", [entity, m]) for m in others)
    seen: set[str] = set()
    return [(label, ids) for label, ids in out if not (label in seen or seen.add(label))]


def memberships(groups: Mapping[str, Group], entity: str) -> list[str]:
    """'NATO (alliance (mutual-defence treaty), joined Apr 1949)' for each group the entity is in."""

    out = []
    for g in groups_of(dict(groups), entity):
        member = next(m for m in g.members if m.id == entity)
        verb = "joined" if g.date_means == "joined" else "as listed"
        out.append(f"{g.name}: {KIND_WORDS[g.kind]}, {verb} {format_date(member.date)}")
    return out


# The card: a tile per profile field, with its rank ------------------------------------------------

@dataclass(frozen=True)
class Rank:
    """Where an entity's figure stands among the entities reporting the field (see ``rank_among``)."""

    best: int  # the highest place the figures allow (1: first)
    worst: int  # the lowest; == best when the figures settle it
    of: int  # how many entities' figures it is ranked among (itself included)
    joint: bool = False  # an equal figure shares the place
    none: int = 0  # its figure is 0: how many of ``of`` report 0 (a place among equals says nothing)
    counted: str = ""  # "" when every reporting figure counts the same way; else ' (all tank types)', ' (as defined)'

    def text(self) -> str:
        """'3rd of 171 reporting', 'joint 2nd of 26 reporting', 'between 1st and 9th of 28
        reporting', '186 of 195 reporting have none', 'the only one reporting'; with how the
        ranked figures are counted where others count differently: '2nd of 14 reporting (all
        tank types)', '3rd of 6 reporting (as defined)'."""
        if self.of == 1:
            return "the only one reporting" + self.counted
        if self.none:
            return f"{self.none} of {self.of} reporting {'has' if self.none == 1 else 'have'} none" + self.counted
        if self.best == self.worst:
            place = ("joint " if self.joint else "") + ordinal(self.best)
        else:
            place = f"between {ordinal(self.best)} and {ordinal(self.worst)}"
        return f"{place} of {self.of} reporting" + self.counted


def ordinal(n: int) -> str:
    """1 -> '1st', 2 -> '2nd', 11 -> '11th', 23 -> '23rd'."""
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def rank_among(defaults: pd.DataFrame, entity: str) -> Rank | None:
    """The entity's place among the entities that report the field, from each one's default figure.

    The rule (README, "Profile"):

    - Ranked: each entity whose default figure for the field is a reported number or range,
      counted the same way as the entity's own (the same scope: a count of all tank types is
      ranked among counts of all tank types, a count as defined among counts as defined). "Not
      known", "not applicable" and no figure are not ranked; the figures' years and sources are
      each entity's default (the rule on the Sources page), so they may differ.
    - A figure ranks by what it says: a single number (exact, about, estimate) by that number; "at
      least 6" and "more than 6" by everything from 6 up; "up to 6" by 0 to 6; a range by its two
      ends. Another entity is certainly above when its lowest possible value is above this one's
      highest ("more than 6" is above an exact 6), and possibly above when its highest possible
      value is. The place is 1 + those certainly above, down to 1 + those possibly above: "at
      least 6" against an exact 7 is "between 1st and 2nd", never 1st or 2nd outright.
    - Equal single numbers share the place ("joint 2nd"); a figure of 0 says how many report 0.

    Args:
        defaults: the default rows (``is_default``) of one field, every entity's.
        entity: the entity ranked.

    Returns:
        The ``Rank``, or None when the entity's own default figure is not a reported number.
    """
    rows = defaults.to_dict("records")
    own = next((r for r in rows if r["entity"] == entity), None)
    span = value_interval(own)
    if span is None:
        return None
    scope = _scope_of(own)
    peers = [(r, value_interval(r)) for r in rows if r["entity"] != entity and value_interval(r) is not None]
    same = [s for r, s in peers if _scope_of(r) == scope]
    counted = ""
    if len(same) < len(peers):
        counted = f" ({own.get('scope_label')})" if scope else " (as defined)"
    low, high, _ = span
    certainly = sum(o_low > high or (o_low == high and o_open) for o_low, _, o_open in same)
    possibly = sum(o_high > low for _, o_high, _ in same)
    point = low == high
    joint = point and any(o_low == o_high == low for o_low, o_high, _ in same)
    zeros = 1 + sum(o_low == o_high == 0 for o_low, o_high, _ in same) if point and low == 0 else 0
    return Rank(1 + certainly, 1 + possibly, 1 + len(same), joint, zeros, counted)


def _scope_of(row: Mapping) -> str:
    scope = row.get("scope")
    return scope if isinstance(scope, str) else ""


@dataclass(frozen=True)
class Tile:
    """One profile field of an entity, as its tile shows it (plain text: escape before Markdown)."""

    metric: str
    label: str  # 'Active personnel'
    unit: str
    value: str  # '660,000', '> 6,000', '0 — not nuclear-armed', 'not reported (fighter aircraft: 0)'
    reported: bool  # a figure of the field itself is held (reported, not known or not applicable)
    about: str = ""  # '2025 · IISS (reference)': the figure's date, its source and the source's tier
    rank: str = ""  # Rank.text(), or "" when not ranked


def profile_tiles(frame: pd.DataFrame, entity: str, metrics: list[str], labels: Mapping[str, str],
                  units: Mapping[str, str], parts: Mapping[str, str]) -> list[Tile]:
    """A tile per field of ``metrics`` (the profile fields, ``coverage.PROFILE_METRICS``), in order.

    Args:
        frame: the tidy frame (every entity's rows: the ranks need them).
        entity: the entity profiled.
        metrics, labels, units: the fields, and each metric's label and unit (the catalogue's).
        parts: narrower metric id -> the metric it is part of: where the entity has no figure for
            a field but one for a finer metric (fighters for combat-capable aircraft), the tile
            says "not reported" and gives that figure with its own label, never as the field's.

    Returns:
        The tiles: the default figure with its qualifier, year, source and tier, and its rank
        (``rank_among``).
    """
    defaults = frame[frame["is_default"]]
    mine = defaults[defaults["entity"] == entity]
    tiles = []
    for metric in metrics:
        own = mine[mine["metric"] == metric]
        value = headline_parts(mine, metric, [entity], parts, labels)[0]
        if own.empty:
            tiles.append(Tile(metric, labels.get(metric, metric), units.get(metric, ""), value, False))
            continue
        row = own.iloc[0].to_dict()
        rank = rank_among(defaults[defaults["metric"] == metric], entity)
        tier = TIER_MARKS.get(row["source_tier"], "") if isinstance(row["source_tier"], str) else ""
        about = [format_date(str(row["as_of"])), str(row["source_short"]) + (f" ({tier})" if tier else "")]
        tiles.append(Tile(metric, str(row["metric_label"]), str(row["unit"]), value or NOT_REPORTED, True,
                          " · ".join(about), rank.text() if rank else ""))
    return tiles


def history_rows(frame: pd.DataFrame, entity: str, metric: str) -> pd.DataFrame:
    """The entity's longest yearly series of ``metric`` (SIPRI's spending since 1949, COW's
    personnel since 1816): every year of it, oldest first; empty when none is held."""
    rows = frame[(frame["entity"] == entity) & (frame["metric"] == metric) & frame["from_series"]]
    if rows.empty:
        return rows
    reported = rows[rows["status"] == "reported"].groupby("source", observed=True)["year"].size()
    if reported.empty:
        return rows.iloc[0:0]
    return rows[rows["source"] == reported.idxmax()].sort_values("year")
