"""Schema models for the three kinds of data file: source registry, metric catalogue, entity.

Every field carries a description and examples, so the generated JSON Schemas (schema/) give
editors hover help, as Our World in Data's origin definitions do.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from typing import Annotated, Literal, Union

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StrictBool, ValidationInfo, field_validator, model_validator

from forcedata.problems import brief

Qualifier = Literal["exact", "about", "at_least", "more_than", "up_to", "estimate"]
Status = Literal["reported", "not_known", "not_applicable"]
Condition = Literal["unknown", "doubtful", "in_store"]
# How much a source's own counting can be checked: official statistics, reference works with a
# published method, alternative indices with their own opaque counting, and aggregator pages
# that republish figures without naming where they come from (best first).
Tier = Literal["official", "reference", "alternative", "aggregator"]
TIER_ORDER = {"official": 0, "reference": 1, "alternative": 2, "aggregator": 3}

FIRST_YEAR = 1816  # NOTE: the Correlates of War data begin in 1816; nothing here is older


def today() -> dt.date:
    """The day the checks treat as today (one function, so that a test can rehearse next year)."""
    return dt.date.today()


def last_year() -> int:
    """The newest year a figure may describe: next year (budgets are published ahead)."""
    return today().year + 1


def _no_negative_zero(x: float) -> float:
    return x + 0.0  # NOTE: -0.0 + 0.0 is 0.0: a "-0" in a file is zero, never drawn as "-0"


# NOTE: strict numbers: "660,000" or "lots" in quotes is an error, never silently coerced.
Number = Annotated[float, Field(strict=True, ge=0, allow_inf_nan=False), AfterValidator(_no_negative_zero)]
SourceId = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9.\-]*$")]
ENTITY_ID = re.compile(r"^([A-Z]{3}|x-[a-z0-9-]+)$")
_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


def _first_day(text: str) -> dt.date:
    """The first day a checked date text (``check_date_text``) can mean: '2025-06' -> 2025-06-01."""
    parts = [int(p) for p in text.split("-")]
    return dt.date(parts[0], *(parts[1:] + [1, 1])[:2])


def check_date_text(value: object, *, what: str = "date") -> str:
    """A year, year-month or date as text, a real calendar date between 1816 and next year.

    Raises:
        ValueError: with what was read and what to write instead.
    """
    form = "write a year (2025) or a date (2025-01, 2025-06-17)"
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise ValueError(f"{what} must be a year or a date, got {brief(value)} — {form}")
    text = str(value)
    m = _DATE.match(text)
    if not m:
        raise ValueError(f"{what} must be a year or a date, got {brief(text)} — {form}")
    year, month, day = (int(g) if g else None for g in m.groups())
    try:
        dt.date(year, 1 if month is None else month, 1 if day is None else day)  # NOTE: "00" is no month
    except ValueError:
        raise ValueError(f"{text!r} is not a real date — {form}: month 01-12, a day the month has") from None
    if not FIRST_YEAR <= year <= last_year():
        raise ValueError(f"year {year} is outside {FIRST_YEAR}–{last_year()} — fix the year")
    return text


DateText = Annotated[str, Field(description="YYYY, YYYY-MM or YYYY-MM-DD", examples=["2025", "2025-06-17"])]


# --- text fields: what a name, a title and a longer text may hold ------------------------------

# NOTE: characters that reorder how the text around them is shown (a name reading "ydrapoej" as
# "jeopardy"): embeddings, overrides, isolates and the invisible direction marks
BIDI_CONTROLS = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_LINE_CONTROLS = re.compile("[\x00-\x1f\x7f-\x9f]")        # a one-line text: no line break or tab either
_TEXT_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")  # a longer text may break lines
# NOTE: names and titles are drawn on charts: a 100 kB title would leave the plot no room. Notes,
# definitions and citations have no cap (a 60 kB note is data; exports wrap or shorten it).
LABEL_CHARS, TITLE_CHARS = 120, 300


def _checked_text(text: str, controls: re.Pattern, control_fix: str) -> str:
    """``text`` if it has something to show and nothing that hides or reorders it.

    Raises:
        ValueError: empty or blank, a control character, or a bidirectional control, with where
            it is and what to do (a double-quoted YAML escape such as "\\u202e" gets past the
            file's byte check; this catches it in the field).
    """
    if not text.strip():
        raise ValueError("is empty — write the text, or leave the field out if it is optional")
    for rx, what, fix in ((controls, "control character", control_fix),
                          (BIDI_CONTROLS, "bidirectional control", "delete it: it changes the order "
                           "in which the text around it is shown")):
        found = rx.search(text)
        if found:
            raise ValueError(f"holds the {what} U+{ord(found.group()):04X} at character {found.start() + 1} — {fix}")
    return text


_ONE_LINE = "delete it: a name or title is one line of text"
Label = Annotated[str, Field(min_length=1, max_length=LABEL_CHARS),
                  AfterValidator(lambda t: _checked_text(t, _LINE_CONTROLS, _ONE_LINE))]
"""A name or label drawn on charts (entity name, metric label, unit, short attribution): one line."""
Title = Annotated[str, Field(min_length=1, max_length=TITLE_CHARS),
                  AfterValidator(lambda t: _checked_text(t, _LINE_CONTROLS, _ONE_LINE))]
"""A title (a source's title or producer, a group's full name): one line."""
Text = Annotated[str, Field(min_length=1),
                 AfterValidator(lambda t: _checked_text(t, _TEXT_CONTROLS, "delete it (line breaks are fine)"))]
"""A note, definition, citation or quote: may break lines."""


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


# --- source registry ---------------------------------------------------------------------------


class Source(Strict):
    """A publication values cite, after Our World in Data's "origins"."""

    id: SourceId = Field(description="Short, stable, lower-case id that values cite (source:, via:).",
                         examples=["iiss-mb-yyyy", "reuters-pak-afg-yyyy-mm"])
    kind: Literal["primary", "secondary"] = Field(
        description="primary: the publisher of the figures (IISS; or a page that names no source for "
                    "its figures). secondary: a report that quotes a named primary source; values cite it "
                    "as via.", examples=["primary"])
    tier: Tier | None = Field(
        default=None, description="Primary sources only: official, reference, alternative or aggregator. "
        "The default figure prefers the higher tier.", examples=["reference"])
    producer: Title = Field(description="Who published it.", examples=["International Institute for Strategic Studies (IISS)"])
    title: Title = Field(description="The publication's title.", examples=["The Military Balance 2025"])
    edition: Label | None = Field(default=None, description="Edition or release, if any.", examples=["2025"])
    database: SourceId | None = Field(
        default=None, description="Primary sources only: the database or yearly publication this entry is one "
        "edition of (every edition of it names the same id). An importer cites the edition of its database "
        "and replaces the series of the earlier ones; `python -m forcedata scaffold` finds the previous "
        "edition by it.", examples=["sipri-milex", "iiss-mb"])
    date_published: DateText = Field(description="When it was published: YYYY, YYYY-MM or YYYY-MM-DD.",
                                     examples=["2025-02-12"])
    date_accessed: DateText = Field(description="When we read it: YYYY-MM-DD.", examples=["2026-11-25"])
    url: Annotated[str, Field(pattern=r"^https?://")] = Field(
        description="Where it can be found: for a report, the page actually read (never a home page).",
        examples=["https://www.iiss.org/publications/the-military-balance/"])
    citation_full: Text = Field(description="The full citation, for tables and 'cite this chart'.")
    attribution_short: Label = Field(description="Short name for chart footnotes.", examples=["IISS", "SIPRI"])
    terms: Text = Field(description="Terms of use or licence, as the publisher states them.")
    note: Text | None = Field(default=None, description="Caveats that apply to every value from this source.")

    _dates = field_validator("date_published", "date_accessed", mode="before")(
        lambda v: check_date_text(v, what="date"))

    @field_validator("date_accessed")
    @classmethod
    def _accessed_by_today(cls, accessed: str, info: ValidationInfo) -> str:
        # NOTE: every chart prints the access date: one in the future would be printed as fact
        now = today()
        if _first_day(accessed) > now:
            raise ValueError(f"{accessed} is after today ({now.isoformat()}) — write the day the source was read")
        published = info.data.get("date_published")
        if isinstance(published, str) and _first_day(published) > _first_day(accessed):
            raise ValueError(f"{accessed} is before the source was published ({published}) — check both dates")
        return accessed

    @model_validator(mode="after")
    def _tier_for_primary(self) -> Source:
        if self.kind == "primary" and self.tier is None:
            raise ValueError("a primary source needs a tier: official, reference, alternative or aggregator")
        if self.kind == "secondary" and self.tier is not None:
            raise ValueError("a secondary report has no tier (the source it quotes has one); remove tier")
        if self.kind == "secondary" and self.database is not None:
            raise ValueError("a secondary report is not an edition of a database (the source it quotes is); "
                             "remove database")
        return self


class SourceRegistry(Strict):
    sources: list[Source] = Field(description="Every publication a value cites.")


# --- metric catalogue --------------------------------------------------------------------------


class Family(Strict):
    id: Annotated[str, Field(pattern=r"^[a-z_]+$")] = Field(description="Family id.", examples=["land"])
    label: Label = Field(description="Shown as the chart's heading.", examples=["Land forces"])
    order: int = Field(description="Display order.", examples=[20])


class Unit(Strict):
    """A unit of measurement and the largest figure that is plausible in it."""

    id: Label = Field(description="The unit as metrics name it.", examples=["people", "US$ m (current)"])
    max: float = Field(gt=0, description="Largest plausible figure; anything above is refused as a typo.",
                       examples=[50_000_000])
    whole: StrictBool = Field(default=False, description="true: a count (people, vehicles, warheads): every "
                              "figure in this unit must be a whole number (1000.5 people is refused).")


class Metric(Strict):
    """One measurable quantity; its id is ``family.name``."""

    id: Annotated[str, Field(pattern=r"^[a-z_]+\.[a-z0-9_]+$")] = Field(
        description="family.name", examples=["land.mbt"])
    label: Label = Field(description="Shown on charts and tables.", examples=["Main battle tanks"])
    family: str = Field(description="The family id (listed under families:).", examples=["land"])
    unit: str = Field(description="A unit listed under units:.", examples=["vehicles"])
    order: int = Field(description="Display order across the app.", examples=[40])
    definition: Text = Field(description="What is counted (IISS wording where known).")
    caveat: Text | None = Field(default=None, description="Shown under charts of this metric.")
    headline: StrictBool = Field(default=False, description="true: shown in the compare page's headline cards.")
    part_of: str | None = Field(default=None, description="The wider metric this one is a subset of.",
                                examples=["air.combat_capable"])
    max: float | None = Field(default=None, gt=0, description="A tighter plausible maximum than the unit's.")

    @model_validator(mode="after")
    def _id_in_family(self) -> Metric:
        if self.id.split(".")[0] != self.family:
            raise ValueError(f"id '{self.id}' must start with its family '{self.family}.'")
        return self


ScopeId = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$")]


class Scope(Strict):
    """A way a value's count differs from its metric's definition ("army only", "includes stored")."""

    id: ScopeId = Field(description="The word values use under scope:.", examples=["army_only", "includes_stored"])
    label: Label = Field(description="The short mark drawn beside the value, on charts, tables and exports.",
                         examples=["army only", "includes stored"])
    definition: Text = Field(description="What the scope means, for the glossary.")


class MetricCatalogue(Strict):
    families: list[Family] = Field(description="The groups charts are drawn by.")
    units: list[Unit] = Field(description="Units of measurement with their plausible maxima.")
    scopes: list[Scope] = Field(default=[], description="How a value's count may differ from its metric's definition.")
    metrics: list[Metric] = Field(description="Every metric the data may report.")


# --- entity files ------------------------------------------------------------------------------

SCOPE_DESCRIPTION = ("How this count differs from the metric's definition, in words listed under scopes: in "
                     "data/metrics.yaml (army_only, includes_stored, all_tank_types, ...); empty: counted as "
                     "the definition says.")


def _as_of(value: object) -> str:
    return check_date_text(value, what="as_of")


class Value(Strict):
    """One reported figure for one metric, with its provenance."""

    value: Number | None = Field(default=None, description="The number as printed (0 is a real value).",
                                 examples=[660000])
    low: Number | None = Field(default=None, description="Low end of a range (with high, instead of value).",
                               examples=[4000])
    high: Number | None = Field(default=None, description="High end of a range.", examples=[5000])
    qualifier: Qualifier = Field(default="exact", description="How the source qualifies the number.",
                                 examples=["more_than"])
    status: Status = Field(default="reported", description="reported, not_known (a source says it is "
                           "unknown) or not_applicable.", examples=["reported"])
    condition: Condition | None = Field(default=None, description="The source doubts serviceability.",
                                        examples=["unknown"])
    uncertain: StrictBool = Field(default=False, description="The source flags the figure as highly uncertain.")
    as_of: DateText = Field(description="The year or date the figure describes.", examples=["2025", "2025-01"])
    source: SourceId = Field(description="Registry id of the publisher whose figure it is.",
                             examples=["iiss-mb-yyyy"])
    via: SourceId | None = Field(default=None, description="Registry id of the report it was read in.",
                                 examples=["reuters-pak-afg-yyyy-mm"])
    locator: Text | None = Field(default=None, description="Where in that report (page, table, paragraph).")
    quote: Text | None = Field(default=None, description="The words read, verbatim and short.")
    caption: Title | None = Field(default=None, description="Short text drawn next to the value.",
                                  examples=["no fighter jets"])
    scope: list[ScopeId] = Field(default=[], description=SCOPE_DESCRIPTION, examples=[["air_force_only"]])
    note: Text | None = Field(default=None, description="Anything else a reader should know.")

    _check_as_of = field_validator("as_of", mode="before")(_as_of)

    @model_validator(mode="after")
    def _status_matches_numbers(self) -> Value:
        has_range = self.low is not None or self.high is not None
        if self.value is not None and has_range:
            raise ValueError("give either value or low and high, not both; keep what the source prints")
        if self.status != "reported" and (self.value is not None or has_range):
            raise ValueError(f"a value with status '{self.status}' must not carry a number; "
                             "remove value/low/high or set status: reported")
        if self.status == "reported":
            if self.value is None and (self.low is None or self.high is None):
                raise ValueError("give value, or both low and high, or set status: not_known")
            if self.low is not None and self.high is not None and self.low > self.high:
                raise ValueError(f"low ({self.low:g}) is above high ({self.high:g}); swap them")
        return self


class SeriesPoint(Strict):
    """One year of a series when it needs more than a bare number."""

    value: Number | None = Field(default=None, description="The number as printed.")
    qualifier: Qualifier | None = Field(default=None, description="Overrides the series' qualifier.")
    status: Status = Field(default="reported", description="reported or not_known.")
    uncertain: StrictBool = Field(default=False, description="The source flags the year as highly uncertain.")
    note: Text | None = Field(default=None, description="A note for this year only.")

    @model_validator(mode="after")
    def _status_matches_number(self) -> SeriesPoint:
        if (self.status == "reported") != (self.value is not None):
            raise ValueError("a reported year needs a value; a not_known year must have none")
        return self


class Series(Strict):
    """A yearly series from one source: one provenance block, then year -> value."""

    source: SourceId = Field(description="Registry id of the publisher.", examples=["sipri-milex-yyyy"])
    via: SourceId | None = Field(default=None, description="Registry id of the report it was read in.")
    qualifier: Qualifier = Field(default="exact", description="Qualifier of every year unless one says otherwise.")
    locator: Text | None = Field(default=None, description="Where in the release (sheet, column).")
    note: Text | None = Field(default=None, description="A note for the whole series.")
    scope: list[ScopeId] = Field(default=[], description=SCOPE_DESCRIPTION, examples=[["includes_stored"]])
    values: dict[int, Union[Number, SeriesPoint]] = Field(
        description="year -> number, or year -> {value, qualifier, status, uncertain, note}.",
        examples=[{2023: 8520.3, 2024: {"value": 10229.0, "uncertain": True}}])


class EntityHeader(Strict):
    """The part of an entity file that is not values."""

    id: Annotated[str, Field(pattern=ENTITY_ID.pattern)] = Field(
        description="ISO 3166-1 alpha-3 code, or x-<name> for a non-state group; matches the file name.",
        examples=["PAK", "x-ttp"])
    name: Label = Field(description="Display name.", examples=["Pakistan"])
    kind: Literal["state", "non_state"] = Field(description="state or non_state.", examples=["state"])
    notes: Text | None = Field(default=None, description="Caveats shown wherever the entity is compared.")


Observations = dict[str, dict[str, list[Value]]]
SeriesBlocks = dict[str, dict[str, list[Series]]]


class Entity(EntityHeader):
    """A whole entity file (used for the JSON Schema; loading validates it part by part)."""

    observations: Observations = Field(default={}, description="family -> metric -> list of values.")
    series: SeriesBlocks = Field(default={}, description="family -> metric -> list of yearly series.")


def finite(x: float | None) -> bool:
    return x is not None and math.isfinite(x)
