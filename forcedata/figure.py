"""A qualified figure ("> 6,000", "≥ 6", "≈ 610,000", "≤ 1,300,000", "170 est.", a range
"4,000–5,000", exact), in one place: what each qualifier of the schema writes and means (its marks,
words, legend, rank in the default rule and bound), and the interval arithmetic on figures (sums
for group totals, ratios for relative measures and headline cards).

Pure: imports only forcedata.schema (the Qualifier it describes), never streamlit or plotly.
forcedata/display.py composes the labels and sentences a reader sees from these parts; charts,
tables, group totals, relative measures and the default rule all read them here. An unknown
qualifier is an error (``UnknownQualifier``), never a default.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal, Mapping, get_args

import numpy as np
import pandas as pd

from forcedata.schema import Qualifier, Value

Bound = Literal["lower", "upper", "point"]


@dataclass(frozen=True)
class QualifierSpec:
    """What one qualifier of the schema writes and means. Every field is required: a qualifier
    cannot be added without its marks, words, rank and bound."""

    id: str
    mark: str        # before a single number in labels: "> " in "> 6,000" (never on a range)
    suffix: str      # after any figure in labels, ranges too: " est." in "170 est."
    words: str       # in tables and hovers: "more than", "as reported"
    say: str         # before a single number in sentences: "more than " in "more than 6,000"
    say_range: str   # before a range in sentences: "about " in "about 4,000 to 5,000"
    note: str        # in a sentence's brackets: "estimate" in "170 (estimate)"
    legend: str      # in a chart's footnote legend, when the mark appears: "> more than"
    rank: int        # the default rule's precision step: lower is more precise
    bound: Bound     # lower: the true number is at or above it; upper: at or below; point
    strict: bool     # a lower bound the true number is strictly above ("more than")
    approximate: bool  # about or estimated: the true number is near it


# NOTE: the table's order is the order of the footnote legend and of any list of qualifiers
# a reader sees ("a bound ('more than', 'at least', 'up to')"); tests/test_figure.py fails when a
# qualifier of the schema's Qualifier has no entry here, or an entry names no such qualifier.
QUALIFIERS: dict[str, QualifierSpec] = {s.id: s for s in (
    QualifierSpec("more_than", mark="> ", suffix="", words="more than", say="more than ", say_range="", note="",
                  legend="> more than", rank=3, bound="lower", strict=True, approximate=False),
    QualifierSpec("at_least", mark="≥ ", suffix="", words="at least", say="at least ", say_range="", note="",
                  legend="≥ at least", rank=3, bound="lower", strict=False, approximate=False),
    QualifierSpec("about", mark="≈ ", suffix="", words="about", say="about ", say_range="about ", note="",
                  legend="≈ about", rank=2, bound="point", strict=False, approximate=True),
    QualifierSpec("up_to", mark="≤ ", suffix="", words="up to", say="up to ", say_range="", note="",
                  legend="≤ up to", rank=3, bound="upper", strict=False, approximate=False),
    QualifierSpec("estimate", mark="", suffix=" est.", words="estimate", say="", say_range="", note="estimate",
                  legend="est. estimate", rank=1, bound="point", strict=False, approximate=True),
    QualifierSpec("exact", mark="", suffix="", words="as reported", say="", say_range="", note="",
                  legend="", rank=0, bound="point", strict=False, approximate=False),
)}
# NOTE: a value that names no qualifier is what the schema's default says (exact): the importers'
# change reports describe values before the schema has filled it in
ABSENT = Value.model_fields["qualifier"].default
# NOTE: a figure its source flags as highly uncertain carries this qualifier's mark (" est.") too
UNCERTAIN_READS_AS = "estimate"
RANGE_RANK = 4        # the default rule: a range (low and high, no single number) after every bound
NO_FIGURE_RANK = 5    # a row with no qualifier (no reported figure) after everything
RANGE_DASH = "–"      # "4,000–5,000" in labels
RANGE_WORD = " to "   # "4,000 to 5,000" in sentences
RANGE_LEGEND = "– range"


class UnknownQualifier(ValueError):
    """A qualifier that forcedata/figure.py's QUALIFIERS does not describe."""

    def __init__(self, qualifier: object):
        self.qualifier = qualifier
        super().__init__(
            f"unknown qualifier {qualifier!r}: expected one of {', '.join(QUALIFIERS)} — fix the value, or "
            "give a new qualifier its entry in forcedata/figure.py QUALIFIERS (marks, words, rank, bound)")


def _missing(x: object) -> bool:
    return x is None or (not isinstance(x, str) and bool(pd.isna(x)))


def qualifier(q: object) -> QualifierSpec:
    """The spec of qualifier ``q``; a missing one (None, NaN) is the schema's default, exact.

    Raises:
        UnknownQualifier: ``q`` is not a qualifier of the table.
    """
    if _missing(q):
        return QUALIFIERS[ABSENT]
    if not isinstance(q, str) or q not in QUALIFIERS:
        raise UnknownQualifier(q)
    return QUALIFIERS[q]


def in_schema_order() -> list[QualifierSpec]:
    """Every qualifier in the order the schema lists them (exact, about, ...)."""
    return [qualifier(q) for q in get_args(Qualifier)]


def precision_ranks(qualifiers: pd.Series, *, ranges: pd.Series | None = None) -> pd.Series:
    """The default rule's precision step for a column of qualifiers: exact 0, estimate 1, about 2,
    the bounds 3; the rows ``ranges`` marks (a boolean column of the same rows, in the same order)
    rank RANGE_RANK, a row without a qualifier (not a reported figure) NO_FIGURE_RANK.

    Raises:
        UnknownQualifier: for the first qualifier not in the table.
    """
    # NOTE: each distinct qualifier is looked up once (a frame at 10x the data has 600,000 rows
    # and six qualifiers): ten times faster than mapping every row
    codes, distinct = pd.factorize(qualifiers)
    by_code = np.array([qualifier(q).rank for q in distinct] + [NO_FIGURE_RANK])  # code -1: no qualifier
    ranks = by_code[codes]
    if ranges is not None:
        ranks[np.asarray(ranges, dtype=bool)] = RANGE_RANK
    return pd.Series(ranks, index=qualifiers.index)


# Interval arithmetic -------------------------------------------------------------------------------

@dataclass(frozen=True)
class Interval:
    """What a figure says about the true number: it lies between ``low`` and ``high``
    (``math.inf``: no upper end); with ``low_open``, strictly above ``low`` ("more than")."""

    low: float
    high: float
    low_open: bool = False
    approximate: bool = False  # its ends are about or estimated

    def __add__(self, other: Interval) -> Interval:
        """The sum of two figures: a bound keeps the sum a bound ("> 6,000" + 100: above 6,100);
        "up to" adds 0 to the low end; a range adds its ends."""
        return Interval(self.low + other.low, self.high + other.high, self.low_open or other.low_open,
                        self.approximate or other.approximate)

    def over(self, other: Interval, scale: float = 1.0) -> Interval | None:
        """self / other * scale, carrying the bounds: a lower bound over a single number stays a
        lower bound; over another lower bound it leaves the ratio open (0 to no end). None when
        ``other`` may be 0 at most (no ratio)."""
        if other.high == 0:
            return None
        low = self.low / other.high * scale if not math.isinf(other.high) else 0.0
        high = self.high / other.low * scale if other.low > 0 else math.inf
        return Interval(low, high, self.low_open and not math.isinf(other.high),
                        self.approximate or other.approximate)

    def as_row(self) -> dict | None:
        """The interval as a value row ``display.value_label`` reads (value or low and high, with
        the qualifier that says it): a single number ("≈ 3.9"), a lower bound ("> 0.1"), an upper
        bound ("≤ 2.0") or a range; None where the bounds say nothing (0 to no end)."""
        if self.low == self.high:
            return _row(self.low, "about" if self.approximate else "exact")
        if math.isinf(self.high) and self.low > 0:
            return _row(self.low, "more_than" if self.low_open else "at_least")
        if self.low == 0 and not math.isinf(self.high):
            return _row(self.high, "up_to")
        if self.low > 0 and not math.isinf(self.high):
            return {"value": None, "low": self.low, "high": self.high,
                    "qualifier": "estimate" if self.approximate else "exact", "status": "reported"}
        return None


def _row(value: float, q: str) -> dict:
    return {"value": value, "qualifier": qualifier(q).id, "status": "reported"}


def _num(x: object) -> float | None:
    return None if _missing(x) else float(x)  # type: ignore[arg-type]


def interval(row: Mapping) -> Interval | None:
    """What a reported figure says about the true number (None for no figure): a single number
    [v, v], "at least" [v, no end], "more than" (v, no end], "up to" [0, v], a range [low, high]
    whatever its qualifier (the range is the bound); approximate where the qualifier is.

    Raises:
        UnknownQualifier: the row's qualifier is not in the table.
    """
    spec = qualifier(row.get("qualifier"))
    if row.get("status") != "reported":
        return None
    value, low, high = (_num(row.get(k)) for k in ("value", "low", "high"))
    if value is None:
        if low is None or high is None:
            return None
        return Interval(low, high, approximate=spec.approximate)
    if spec.bound == "lower":
        return Interval(value, math.inf, low_open=spec.strict, approximate=spec.approximate)
    if spec.bound == "upper":
        return Interval(0.0, value, approximate=spec.approximate)
    return Interval(value, value, approximate=spec.approximate)


ZERO = Interval(0.0, 0.0)


def total(parts: list[Interval]) -> Interval:
    """The sum of figures (a group's total): see ``Interval.__add__``."""
    return sum(parts, start=ZERO)


# How a ratio reads: by the bound of the ratio itself (its qualifier from ``Interval.as_row``)
RATIO_MARKS: dict[Bound, tuple[str, str]] = {
    "lower": (">", "more than "), "upper": ("<", "less than "), "point": ("", ""),
}
APPROXIMATE_RATIO = ("≈", "about ")


def ratio_mark(q: object) -> tuple[str, str]:
    """(mark, words) of a ratio whose value row has qualifier ``q``: ('>', 'more than ') for a
    lower bound, ('<', 'less than ') for an upper one, ('≈', 'about ') for an approximate
    number, ('', '') for an exact one."""
    spec = qualifier(q)
    if spec.bound == "point" and spec.approximate:
        return APPROXIMATE_RATIO
    return RATIO_MARKS[spec.bound]
