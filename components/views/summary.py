"""The comparison in sentences (pure): one plain-language sentence per headline measure, written
from the default figures, for the top of the compare page.

"Pakistan's 660,000 active personnel (IISS 2025) are about 3.8 times Afghanistan's 172,000 (IISS
2025)." Each figure carries its qualifier, scope and source in words (``display.value_words``),
an entity without a figure is "not reported", and a ratio is given only where the headline card
would give one: the same source edition, year and scope for every figure
(``display.unlike_values``) and an honest ratio of the two (``display.ratio_text``). Otherwise
the figures are listed with why they are not compared ("different years, so not compared").
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pandas as pd

from forcedata import display
from forcedata.frame import records

# NOTE: how a ratio's mark reads in a sentence. The ratio is rounded to one decimal, so an exact
# one reads "about" too (660,000 / 172,000 = 3.84: "about 3.8 times").
RATIO_WORDS = {">": "more than", "<": "less than", "≈": "about", "": "about"}


@dataclass(frozen=True)
class Measure:
    """A headline measure of the catalogue: its id, label and unit."""

    id: str
    label: str
    unit: str


def headline_sentences(rows: pd.DataFrame, measures: Sequence[Measure], names: Mapping[str, str],
                       narrower: Mapping[str, str], labels: Mapping[str, str]) -> tuple[str, ...]:
    """One sentence per headline measure, in the order given.

    Args:
        rows: the default rows of the selection (``default_values``).
        measures: the headline measures, in card order.
        names: entity id -> display name, in the selection's order.
        narrower: metric id -> the metric it is part of (a narrower figure is named, never
            passed off as the wider count).
        labels: metric id -> label.

    Returns:
        Plain text sentences (escape them before Markdown).
    """
    return tuple(headline_sentence(rows, m, names, narrower, labels) for m in measures)


def headline_sentence(rows: pd.DataFrame, measure: Measure, names: Mapping[str, str],
                      narrower: Mapping[str, str], labels: Mapping[str, str]) -> str:
    """The sentence of one headline measure (see ``headline_sentences``)."""
    ids = list(names)
    own = rows[rows["metric"] == measure.id]
    found = {r["entity"]: r for r in records(own)[::-1]}  # NOTE: reversed: each entity's first row wins
    figures = {e: found.get(e) for e in ids}
    sources = _source_words([r for r in figures.values() if r is not None])
    unlike = display.unlike_values(rows, measure.id, ids, narrower)
    numbers = {e: r for e, r in figures.items() if display.value_interval(r) is not None}
    if len(ids) == 2 and len(numbers) == 2 and not unlike:
        big, small = sorted(ids, key=lambda e: -float(numbers[e]["value"]) if pd.notna(numbers[e]["value"]) else 0.0)
        ratio = display.ratio_text(numbers[big], numbers[small]) if _points(numbers[big], numbers[small]) else ""
        if ratio:
            return _ratio_sentence(measure, names, big, small, numbers, sources, ratio)
    if all(r is None for r in figures.values()) and not _narrower_rows(rows, measure.id, ids, narrower):
        listed = _listing([names[e] for e in ids], "or")
        return f"{_capital(measure.label)}: not reported for {listed}."
    reported = [r for r in figures.values() if r is not None and r["status"] == "reported"]
    # NOTE: like for like (one source edition, year and scope): said once, after the measure
    shared = "" if unlike or len(reported) < 2 else _shared_words(reported[0], sources)
    parts = [f"{names[e]} {_figure_text(rows, measure, e, figures[e], sources, narrower, labels, shared)}"
             for e in ids]
    tail = ""
    if unlike:
        tail = f" — {unlike.split(':')[0]}, so not compared"
    elif len(ids) > 2 and len(numbers) == len(ids):
        tail = _largest(measure, names, numbers)
    head = _capital(measure.label) + (f" ({shared})" if shared else "") + _unit_words(measure.unit)
    return f"{head}: " + "; ".join(parts) + tail + "."


def _shared_words(row: Mapping, sources: Mapping[str, str]) -> str:
    """'FlightGlobal 2019, excludes armed trainers': the source and scope every figure shares."""
    scope = row.get("scope_label")
    return sources[row["entity"]] + (f", {scope}" if isinstance(scope, str) and scope else "")


def _points(a: Mapping, b: Mapping) -> bool:
    """Both figures are single numbers or bounds (a range has no number to divide)."""
    return pd.notna(a["value"]) and pd.notna(b["value"])


def _ratio_sentence(measure: Measure, names: Mapping[str, str], big: str, small: str, numbers: Mapping[str, Mapping],
                    sources: Mapping[str, str], ratio: str) -> str:
    mark, _, number = ratio.removesuffix(" : 1").rpartition(" ")
    times = f"{RATIO_WORDS.get(mark, 'about')} {number} times"
    a_main, a_notes = _split(display.value_words(numbers[big]))
    b_main, b_notes = _split(display.value_words(numbers[small]))
    a_src = _brackets(a_notes, sources[big])
    b_src = _brackets(b_notes, sources[small])
    if _is_count(measure.unit):
        return (f"{_possessive(names[big])} {a_main} {_lower(measure.label)} {a_src} are {times} "
                f"{_possessive(names[small])} {b_main} {b_src}.")
    return (f"{_unit_lead(measure.unit)}{_possessive(names[big])} {_lower(measure.label)} of {a_main} {a_src} is "
            f"{times} {_possessive(names[small])} {b_main} {b_src}.")


def _figure_text(rows: pd.DataFrame, measure: Measure, entity: str, row: Mapping | None, sources: Mapping[str, str],
                 narrower: Mapping[str, str], labels: Mapping[str, str], shared: str = "") -> str:
    """'660,000 (IISS 2025)', 'about 2,000,000 (CIA 2025)', 'not known (CIA 2025)', 'not reported';
    with ``shared`` (the source and scope said once for every reported figure), a reported figure
    without them: 'about 2,000,000', '1,100,000 to 1,200,000 (estimate)'."""
    if row is not None and shared and row["status"] == "reported":
        return display.value_words({**row, "scope_label": None})
    if row is not None:
        main, notes = _split(display.value_words(row))
        return f"{main} {_brackets(notes, sources[entity])}"
    parts = rows[(rows["entity"] == entity) & rows["metric"].map(lambda m: narrower.get(m) == measure.id)]
    if len(parts):
        # NOTE: a narrower count never stands in for the wider one: "not reported" first
        first = parts.sort_values("metric_order").iloc[0].to_dict()
        main, notes = _split(display.value_words(first))
        src = _source_words([first])[entity]
        return f"not reported ({_lower(labels[first['metric']])}: {main}{', ' + notes if notes else ''}; {src})"
    basis = rows.loc[rows["metric"] == measure.id, "basis_source"] if "basis_source" in rows else pd.Series([])
    if basis.notna().any():
        shown = rows[rows["metric"] == measure.id].iloc[0]
        return f"not in {display.source_label(str(shown['source_short']), str(shown['source_title']))}"
    return display.NOT_REPORTED


def _narrower_rows(rows: pd.DataFrame, metric: str, ids: list[str], narrower: Mapping[str, str]) -> bool:
    return bool((rows["entity"].isin(ids) & rows["metric"].map(lambda m: narrower.get(m) == metric)).any())


def _largest(measure: Measure, names: Mapping[str, str], numbers: Mapping[str, Mapping]) -> str:
    """' — China's is the largest, about 1.6 times the United States'' where one figure is larger
    than every other whatever their bounds; "" when the bounds leave it open."""
    spans = {e: display.value_interval(r) for e, r in numbers.items()}
    for e, (low, _, low_open) in spans.items():
        others = [s for o, s in spans.items() if o != e]
        if all(low > high or (low == high and low_open) for _, high, _ in others):
            runner = max((o for o in spans if o != e), key=lambda o: spans[o][1])
            ratio = display.ratio_text(numbers[e], numbers[runner]) if _points(numbers[e], numbers[runner]) else ""
            if not ratio:
                return f" — {_possessive(names[e])} is the largest"
            mark, _, number = ratio.removesuffix(" : 1").rpartition(" ")
            return (f" — {_possessive(names[e])} is the largest, {RATIO_WORDS.get(mark, 'about')} {number} times "
                    f"{_possessive(names[runner])}")
    return ""


def _source_words(rows: list[Mapping]) -> dict[str, str]:
    """entity -> 'IISS 2025' (short attribution and the figure's year); the full label where two
    different editions would otherwise read the same."""
    short = {r["entity"]: f"{r['source_short']} {_year(r)}".strip() for r in rows}
    editions = {r["source"] for r in rows}
    if len(set(short.values())) < len(editions):
        return {r["entity"]: (display.source_label(str(r["source_short"]), str(r["source_title"]))
                              + (f", as of {_year(r)}" if _year(r) else "")) for r in rows}
    return short


def _year(row: Mapping) -> str:
    return str(int(row["year"])) if pd.notna(row.get("year")) else ""


def _split(words: str) -> tuple[str, str]:
    """'170 (estimate)' -> ('170', 'estimate'): the number, and the words ``value_words`` adds in
    brackets (qualifier notes, condition, caption, scope)."""
    if words.endswith(")") and " (" in words:
        main, _, notes = words.partition(" (")
        return main, notes[:-1]
    return words, ""


def _brackets(notes: str, source: str) -> str:
    return f"({notes}; {source})" if notes else f"({source})"


def _is_count(unit: str) -> bool:
    return not str(unit).startswith(("US$", "%"))


def _unit_words(unit: str) -> str:
    """', in US$ m (current)' for money (after a measure's label); nothing for counts and shares
    (a share's number carries its '%')."""
    return f", in {unit}" if str(unit).startswith("US$") else ""


def _unit_lead(unit: str) -> str:
    return f"In {unit}, " if str(unit).startswith("US$") else ""


def _possessive(name: str) -> str:
    return f"{name}'" if name.endswith("s") else f"{name}'s"


def _lower(label: str) -> str:
    """'Active personnel' -> 'active personnel'; an acronym ('AFVs') stays."""
    return label if label[:2].isupper() else label[:1].lower() + label[1:]


def _capital(label: str) -> str:
    return label[:1].upper() + label[1:]


def _listing(items: list[str], last: str) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + f" {last} " + items[-1]
