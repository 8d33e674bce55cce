"""Relative measures (pure), computed on the fly and never stored: personnel per 1,000 people and
military spending per person, from the default figures, each citing both sources."""

from __future__ import annotations

from dataclasses import dataclass, replace

import pandas as pd

from forcedata.display import format_date, source_label, value_label
from forcedata.figure import interval
from forcedata.frame import records

POPULATION = "context.population"


@dataclass(frozen=True)
class Measure:
    id: str
    label: str
    numerator: str      # metric id
    scale: float        # multiplies numerator / population
    unit: str


MEASURES = [
    Measure("personnel_per_1000", "Active personnel per 1,000 people", "personnel.active", 1000.0,
            "per 1,000 people"),
    Measure("spending_per_person", "Military expenditure per person", "spending.milex_usd", 1e6,
            "US$ per person (current)"),
]
COLUMNS = ["Entity", "Measure", "Value", "Computed from", "Population year", "entity", "measure"]


def ratio(num: dict, den: dict, scale: float = 1.0) -> dict | None:
    """num / den * scale as a value row (value or low/high, qualifier) for ``value_label``,
    carrying the bounds (``figure.Interval.over``): a lower bound over an exact population stays
    a lower bound, over a lower-bound population it becomes no honest figure at all (None). A
    numerator flagged highly uncertain makes the result approximate."""
    a, b = interval(num), interval(den)
    if a is None or b is None:
        return None
    if num.get("uncertain"):
        a = replace(a, approximate=True)
    result = a.over(b, scale)
    return result.as_row() if result is not None else None


def _cite(row: dict) -> str:
    via = f" via {row['via_short']}" if isinstance(row.get("via"), str) else ""
    source = source_label(row["source_short"], row["source_title"])
    return f"{row['metric_label']}: {source}{via}, {format_date(str(row['as_of']))}"


def relative_measures(shown: pd.DataFrame, entities: list[str]) -> tuple[pd.DataFrame, list[str]]:
    """The relative measures of each entity where both figures exist.

    Args:
        shown: default rows (``forcedata.frame.default_values``) including ``context.population``.
        entities: entity ids in display order.

    Returns:
        (table, notes): the table has Entity, Measure, Value ("≈ 3.9", "> 0.5"), Computed from
        (both citations), Population year; the notes say why a measure is missing for an entity.
    """
    by_key = {(r["entity"], r["metric"]): r for r in records(shown)}
    # NOTE: from any of the entity's rows: a note for a measure with neither figure still names it
    names = {r["entity"]: r["entity_name"] for r in by_key.values()}
    table, notes = [], []
    for e in entities:
        pop = by_key.get((e, POPULATION))
        for m in MEASURES:
            num = by_key.get((e, m.numerator))
            name = names.get(e, e)
            missing = [what for what, row in (("population", pop), (m.numerator, num))
                       if row is None or interval(row) is None]
            if missing:
                what = " and ".join(_word(x) for x in missing)
                notes.append(f"{name}: {m.label.lower()} not computed ({what} not reported)")
                continue
            result = ratio(num, pop, m.scale)
            if result is None:
                notes.append(f"{name}: {m.label.lower()} not computed (the bounds of the two figures "
                             "leave it open)")
                continue
            table.append({
                "Entity": name, "Measure": m.label, "Value": f"{value_label({**result, 'unit': m.unit})} {m.unit}",
                "Computed from": f"{_cite(num)}; {_cite(pop)}", "Population year": str(pop["as_of"])[:4],
                "entity": e, "measure": m.id,
            })
    return pd.DataFrame(table, columns=COLUMNS), notes


def _word(what: str) -> str:
    if what == "population":
        return "population"
    return {"personnel.active": "active personnel", "spending.milex_usd": "military expenditure"}.get(what, what)
