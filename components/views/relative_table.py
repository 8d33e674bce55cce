"""Relative measures as shown on the compare page (pure): one row per entity, one column per
measure, and the sources they were computed from said once, not on every row."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd

from forcedata.display import format_date, source_label
from forcedata.frame import records
from forcedata.relative import MEASURES, POPULATION

NOT_COMPUTED = "not computed"


def compact_relative(table: pd.DataFrame, shown: pd.DataFrame, entities: Sequence[str],
                     names: Mapping[str, str]) -> tuple[pd.DataFrame, str]:
    """``forcedata.relative.relative_measures``' table (a row per entity and measure, each citing
    both its figures) as a row per entity, and the figures' sources in one sentence.

    Args:
        table: ``relative_measures``' table (columns Entity, Measure, Value, ..., entity, measure).
        shown: the default rows the measures were computed from (the numerators and population).
        entities: the selection, in order.
        names: entity id -> display name.

    Returns:
        (compact table, sources): the table has Entity and one column per measure with a figure
        ("not computed" where an entity has none); the sources sentence names each figure's
        source once, with the entities it applies to where they differ: "Computed from active
        personnel: IISS, The Military Balance 2025 via Reuters, 2025; military expenditure:
        SIPRI Military Expenditure Database, 2024 (Pakistan), 2021 (Afghanistan); population: CIA,
        The World Factbook, 2025."
    """
    measures = [m for m in MEASURES if (table["measure"] == m.id).any()]
    cells = {(r["entity"], r["measure"]): r["Value"] for r in records(table, ["entity", "measure", "Value"])}
    listed = [e for e in entities if (table["entity"] == e).any()]
    rows = [{"Entity": names[e], **{m.label: cells.get((e, m.id), NOT_COMPUTED) for m in measures}} for e in listed]
    compact = pd.DataFrame(rows, columns=["Entity", *(m.label for m in measures)])
    metrics = [*(m.numerator for m in measures), POPULATION]
    return compact, _sources_sentence(shown, metrics, listed, names)


def _sources_sentence(shown: pd.DataFrame, metrics: list[str], entities: list[str], names: Mapping[str, str]) -> str:
    parts = []
    rows = shown[shown["entity"].isin(entities)]
    for metric in metrics:
        found = sorted(records(rows[rows["metric"] == metric]), key=lambda r: entities.index(r["entity"]))
        if not found:
            continue
        # source (and the report it was read in) -> date -> the entities whose figure it is
        cites: dict[str, dict[str, list[str]]] = {}
        for r in found:
            cites.setdefault(_source(r), {}).setdefault(format_date(str(r["as_of"])), []).append(names[r["entity"]])
        several = sum(len(dates) for dates in cites.values()) > 1
        said = []
        for source, dates in cites.items():
            said.append(f"{source}, " + ", ".join(date + (f" ({', '.join(who)})" if several else "")
                                                  for date, who in dates.items()))
        label = str(found[0]["metric_label"])
        label = label if label[:2].isupper() else label[:1].lower() + label[1:]
        parts.append(f"{label}: " + "; ".join(said))
    return ("Computed from " + "; ".join(parts) + ".") if parts else ""


def _source(row: Mapping) -> str:
    """'IISS, The Military Balance 2025 via Reuters': the source and the report it was read in."""
    via = f" via {row['via_short']}" if isinstance(row.get("via"), str) else ""
    return f"{source_label(str(row['source_short']), str(row['source_title']))}{via}"
