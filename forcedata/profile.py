"""One entity's profile (pure): every metric with all its reports, edition changes, notes, and
links to compare it with its neighbours. The profile page only renders these tables."""

from __future__ import annotations

from typing import Mapping

from urllib.parse import quote

import pandas as pd

from forcedata.display import (
    CONDITION_WORDS, STATUS_LABEL, format_date, qualifier_text, source_label, value_label,
)
from forcedata.groups import KIND_WORDS, Group, groups_of

MAX_COMPARE = 6
TIER_WORDS = {"official": "official", "reference": "reference work", "alternative": "alternative index",
              "aggregator": "aggregator"}
NON_STATE_NOTE = ("A non-state armed group, not a state's armed forces: its strength figures are "
                  "estimates (mostly UN Member State assessments), not counts of a regular force.")
PROFILE_COLUMNS = ["Metric", "Report", "Value", "Qualifier", "Status", "Condition", "As of", "Source",
                   "Tier", "Read in", "Note"]


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


def profile_table(rows: pd.DataFrame) -> pd.DataFrame:
    """Display table of ``report_rows``: each value with qualifier, status, condition, as of,
    source and tier, the report it was read in, and its note."""
    records = []
    for r in rows.to_dict("records"):
        note = r["note"] if isinstance(r["note"], str) else ""
        if r["series_span"]:
            note = f"Yearly series {r['series_span']}; see Trends. " + note
        records.append({
            "Metric": r["metric_label"],
            "Report": r["report"],
            "Value": value_label(r),
            "Qualifier": qualifier_text(r) if r["status"] == "reported" else "",
            "Status": STATUS_LABEL.get(r["status"], "reported"),
            "Condition": CONDITION_WORDS.get(r["condition"], "") if isinstance(r["condition"], str) else "",
            "As of": format_date(str(r["as_of"])),
            "Source": source_label(r["source_short"], r["source_title"]),
            "Tier": TIER_WORDS.get(r["source_tier"], "") if isinstance(r["source_tier"], str) else "",
            "Read in": (f"{r['via_short']}, {format_date(r['via_published'])}"
                        if isinstance(r["via"], str) else ""),
            "Note": note.strip(),
        })
    return pd.DataFrame(records, columns=PROFILE_COLUMNS)


def profile_by_family(frame: pd.DataFrame, entity: str, family_labels: Mapping[str, str]
                      ) -> list[tuple[str, str, pd.DataFrame]]:
    """[(family id, family label, display table)] for the families the entity has figures in,
    in the order of ``family_labels``."""
    rows = report_rows(frame, entity)
    out = []
    for family, label in family_labels.items():
        part = rows[rows["family"] == family]
        if len(part):
            out.append((family, label, profile_table(part)))
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
