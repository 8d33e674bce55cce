"""Coverage: which metrics and families are sourced for which entities, and how recent they are."""

from __future__ import annotations

from typing import Mapping

import pandas as pd

# The entities of the project's focus (issue "Real data at scale"): the states of the Pakistan-
# Afghanistan case and the main military powers, plus the seed conflict's non-state groups.
FOCUS_ENTITIES = [
    "PAK", "AFG", "IND", "CHN", "IRN", "USA", "RUS", "UKR", "ISR", "TUR", "SAU", "GBR", "FRA",
    "PRK", "KOR", "JPN", "TWN", "x-ttp", "x-iskp", "x-baloch",
]
# The second ring: states the focus states are most often compared with (the remaining large
# militaries of their regions and alliances). "One source for all" should cover them too.
SECOND_RING = ["DEU", "ITA", "POL", "EGY", "IDN", "BRA", "BGD", "AUS"]
# The twelve fields a full profile has (FOCUS_FIGURES' columns): one metric each.
PROFILE_METRICS = [
    "personnel.active", "personnel.reserve", "personnel.paramilitary", "land.mbt", "land.afv",
    "land.artillery", "air.combat_capable", "air.attack_helicopters", "sea.submarines",
    "sea.principal_surface_combatants", "nuclear.warheads", "spending.milex_usd",
]


def newest_year(frame: pd.DataFrame, by: str) -> pd.DataFrame:
    """entity x ``by`` (family or metric): the newest year with a reported figure, else NaN."""
    reported = frame[frame["status"] == "reported"]
    return reported.pivot_table(index="entity", columns=by, values="year", aggfunc="max")


def profile_coverage(frame: pd.DataFrame, entities: list[str],
                     part_of: Mapping[str, str] | None = None, *, strict: bool = False) -> pd.DataFrame:
    """One row per entity: the newest year of each profile field ('' where not sourced), and
    how many of the twelve are sourced.

    A field counts as sourced when it, or a finer metric that is ``part_of`` it (fighters for
    combat-capable aircraft), has a reported figure or a sourced "not applicable" (a navy for a
    land-locked state). With ``strict``, only a value of the field itself counted as its
    definition says (no scope) counts: what a like-for-like comparison can use.
    """
    part_of = {} if strict else (part_of or {})
    sourced = frame[frame["status"].isin(["reported", "not_applicable"])]
    if strict:
        sourced = sourced[sourced["scope"].isna()]
    fields = sourced["metric"].map(lambda m: part_of.get(m, m))
    years = (sourced.assign(field=fields)
             .pivot_table(index="entity", columns="field", values="year", aggfunc="max")
             .reindex(index=entities, columns=PROFILE_METRICS))
    table = years.map(lambda y: "" if pd.isna(y) else str(int(y)))
    table.insert(0, "sourced", years.notna().sum(axis=1).astype(int).astype(str) + f"/{len(PROFILE_METRICS)}")
    return table


def one_source_coverage(frame: pd.DataFrame, entities: list[str]) -> pd.DataFrame:
    """For each profile field, the one source edition with a reported figure for most of
    ``entities`` (what "one source for all" draws when they are compared together), how many it
    covers, and which it does not.

    Returns:
        Columns field, source, covers ("15 of 17"), missing (ids, comma-separated); a field no
        edition reports has source "" and covers "0 of N".
    """
    reported = frame[(frame["status"] == "reported") & frame["entity"].isin(entities)
                     & frame["metric"].isin(PROFILE_METRICS)]
    counts = reported.groupby(["metric", "source"], observed=True)["entity"].nunique()
    out = []
    for field in PROFILE_METRICS:
        best = counts[field].sort_values(ascending=False, kind="stable") if field in counts.index.get_level_values(0) else None
        source = str(best.index[0]) if best is not None and len(best) else ""
        covered = set(reported.loc[(reported["metric"] == field) & (reported["source"] == source), "entity"])
        out.append({"field": field, "source": source, "covers": f"{len(covered)} of {len(entities)}",
                    "missing": ", ".join(e for e in entities if e not in covered)})
    return pd.DataFrame(out, columns=["field", "source", "covers", "missing"])


def stale_values(frame: pd.DataFrame, *, older_than: int, this_year: int) -> pd.DataFrame:
    """Default values whose as_of year is more than ``older_than`` years before ``this_year``."""
    shown = frame[frame["is_default"] & (frame["status"] == "reported")]
    return shown[shown["year"] < this_year - older_than]


def format_profile_report(table: pd.DataFrame) -> str:
    """A plain-text coverage report: per entity, sourced metrics (with year) and the not known."""
    lines = []
    for entity, row in table.iterrows():
        have = [f"{m} ({row[m]})" for m in PROFILE_METRICS if row[m]]
        missing = [m for m in PROFILE_METRICS if not row[m]]
        lines.append(f"{entity}: {row['sourced']} sourced")
        lines.append("  sourced:   " + (", ".join(have) or "none"))
        lines.append("  not known: " + (", ".join(missing) or "none"))
    counts = table["sourced"].str.split("/").str[0].astype(int)
    states = counts[[not str(e).startswith("x-") for e in counts.index]]
    groups = counts[[str(e).startswith("x-") for e in counts.index]]
    for label, part in (("states", states), ("non-state groups", groups)):
        if len(part):
            lines.append(f"Average: {part.mean():.1f} of {len(PROFILE_METRICS)} fields over {len(part)} {label}")
    return "\n".join(lines)


def values_citing(frame: pd.DataFrame) -> pd.DataFrame:
    """How many values cite each source: as the figure's ``source``, as the report it was read
    in (``via``), and in all (a value counts once per source it names).

    NOTE: the one count of "values citing a source"; the sources and data-health pages both
    show it.

    Returns:
        Indexed by source id, columns as_source, as_via, values; most cited first.
    """
    as_source = frame["source"].value_counts()
    as_via = frame["via"].dropna().value_counts()
    out = pd.DataFrame({"as_source": as_source, "as_via": as_via}).fillna(0).astype(int)
    out["values"] = out["as_source"] + out["as_via"]
    out.index.name = "source"
    return out.sort_values(["values", "as_source"], ascending=False, kind="stable")
