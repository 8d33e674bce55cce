"""Importer for the CIA World Factbook military summary CSV (column personnel_strengths).

Writes observations.personnel.active citing the registry's edition of the Factbook's military
section (database "cia-wfb-military"), only where the text states an
active-force figure plainly. The text's first clause (after a hedge such as "information
varies") must read: [approximately | estimated | about | as many as | up to] NUMBER [active |
active-duty | total active | Regular Force(s)] FORCE. Then:
  "approximately 650,000 active ..."     value 650000, qualifier about
  "estimated 200,000 active ..."         value 200000, qualifier estimate
  "as many as 1.3 million" / "up to"     qualifier up_to
  "1.1-1.2 million", "10-12,000"         low / high (the thousands or millions of the upper
                                         figure apply to a bare lower one, as written)
  "..., including the Gendarmerie"       a note saying what the figure includes
as_of is the year in brackets at the end of the entry. Everything else (no figure, no "active",
separate figures per service with no total, police or security forces, authorised strengths,
claims) is listed in the report and never guessed. The clause read is stored in ``quote``.

GEC (FIPS 10-4) codes are not ISO codes: GEC_TO_ID maps them explicitly; where the CSV's
country name also resolves to an id, the two must agree.
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

from forcedata.importers.countries import entity_id_for
from forcedata.importers.writer import ImportRejected, ImportResult, read_csv

DATABASE = "cia-wfb-military"
PRODUCER = "Central Intelligence Agency (CIA)"
METRIC = "personnel.active"
COLUMNS = ["gec_code", "country", "personnel_strengths"]
LOCATOR = 'field "Military and security service personnel strengths"'
QUOTE_MAX = 200

# GEC code -> entity id; "-" marks entries that are not states (no entity is written).
GEC_TABLE = """
ag DZA | ao AGO | bc BWA | bn BEN | by BDI | cd TCD | cf COG | cg COD | cm CMR | cn COM | ct CAF
cv CPV | dj DJI | eg EGY | ek GNQ | er ERI | et ETH | ga GMB | gb GAB | gh GHA | gv GIN | iv CIV
ke KEN | li LBR | lt LSO | ly LBY | ma MDG | mi MWI | ml MLI | mo MAR | mp MUS | mr MRT | mz MOZ
ng NER | ni NGA | od SSD | pu GNB | rw RWA | se SYC | sf ZAF | sg SEN | sl SLE | so SOM | su SDN
to TGO | tp STP | ts TUN | tz TZA | ug UGA | uv BFA | wa NAM | wz SWZ | za ZMB | zi ZWE
as AUS | bp SLB | fj FJI | fm FSM | kr KIR | nh VUT | nr NRU | nz NZL | ps PLW | rm MHL | tn TON
tv TUV | ws WSM
ac ATG | bb BRB | bf BHS | bh BLZ | cs CRI | cu CUB | do DMA | dr DOM | es SLV | gj GRD | gt GTM
ha HTI | ho HND | jm JAM | nu NIC | pm PAN | sc KNA | st LCA | td TTO | vc VCT
kg KGZ | kz KAZ | rs RUS | ti TJK | tx TKM | uz UZB
bm MMR | bx BRN | cb KHM | ch CHN | id IDN | ja JPN | kn PRK | ks KOR | la LAO | mg MNG | my MYS
pp PNG | rp PHL | sn SGP | th THA | tt TLS | tw TWN | vm VNM
al ALB | an AND | au AUT | be BEL | bk BIH | bo BLR | bu BGR | cy CYP | da DNK | ei IRL | en EST
ez CZE | fi FIN | fr FRA | gm DEU | gr GRC | hr HRV | hu HUN | ic ISL | it ITA | kv XKX | lg LVA
lh LTU | lo SVK | ls LIE | lu LUX | md MDA | mj MNE | mk MKD | mn MCO | mt MLT | nl NLD | no NOR
pl POL | po PRT | ri SRB | ro ROU | si SVN | sm SMR | sp ESP | sw SWE | sz CHE | uk GBR | up UKR
vt VAT
ae ARE | aj AZE | am ARM | ba BHR | gg GEO | ir IRN | is ISR | iz IRQ | jo JOR | ku KWT | le LBN
mu OMN | qa QAT | sa SAU | sy SYR | tu TUR | ym YEM
ca CAN | mx MEX | us USA
ar ARG | bl BOL | br BRA | ci CHL | co COL | ec ECU | gy GUY | ns SUR | pa PRY | pe PER | uy URY
ve VEN
af AFG | bg BGD | bt BTN | ce LKA | in IND | mv MDV | np NPL | pk PAK
gz - | we - | bd - | xx - | ee -
"""
GEC_TO_ID = {
    code: (None if eid == "-" else eid)
    for code, eid in (e.split() for e in GEC_TABLE.replace("\n", "|").split("|") if e.strip())
}

HEDGE = re.compile(
    r"^(information varies( widely)?|available information varies( widely)?|limited available "
    r"information|estimates vary|information limited and varied)$", re.I)
NUM = r"\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?"
FIGURE = rf"(?:{NUM})(?:\s+million)?"
CLAUSE = re.compile(
    rf"^(?:the\s+(?P<subject>[^,;]+?)\s+has\s+)?"
    rf"(?:(?P<lead>approximately|estimated|about|as many as|up to)\s+)?"
    rf"(?P<num>{FIGURE}(?:\s*-\s*{FIGURE})?)\s+(?P<rest>.+)$", re.I | re.S)
ACTIVE = re.compile(r"^(?:total\s+)?active(?:[- ]duty)?\b|^\(?Regular Forces?\)?", re.I)
NOT_ARMED_FORCES = re.compile(r"\b(police|fighters|security forces|public security)\b", re.I)
PARAMILITARY = re.compile(r"gendarmerie|guard|reserv|militia|carabinier|paramilitary", re.I)
QUALIFIER = {"approximately": "about", "about": "about", "estimated": "estimate",
             "as many as": "up_to", "up to": "up_to", None: "exact"}
YEAR_AT_END = re.compile(r"\((\d{4})\)\s*$")


def split_clauses(text: str) -> list[str]:
    """Split on ';' and '|' outside brackets (breakdowns like '(450,000 Army; ...)' stay whole)."""
    out, depth, start = [], 0, 0
    for i, ch in enumerate(text):
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth = max(0, depth - 1)
        elif ch in ";|" and depth == 0:
            out.append(text[start:i])
            start = i + 1
    out.append(text[start:])
    return [c.strip() for c in out if c.strip()]


def _figure(text: str) -> Decimal:
    text = " ".join(text.split())
    million = text.endswith("million")
    number = Decimal(text.removesuffix("million").strip().replace(",", ""))
    return number * 1_000_000 if million else number


def parse_figure(num: str) -> tuple[int, int] | None:
    """'650,000' -> (650000, 650000); '10-12,000' -> (10000, 12000); '1.1-1.2 million' ->
    (1100000, 1200000). None when the figure is not a whole number of people."""
    parts = [p.strip() for p in re.split(r"\s*-\s*", num)]
    high = _figure(parts[-1])
    low = _figure(parts[0])
    if len(parts) == 2:
        bare = "," not in parts[0] and "million" not in parts[0]
        if bare and "million" in parts[1]:
            low *= 1_000_000
        elif bare and "," in parts[1] and "." not in parts[0]:
            low *= 1000 ** parts[1].count(",")
        if low > high:
            return None
    if low != low.to_integral_value() or high != high.to_integral_value():
        return None
    return int(low), int(high)


def parse_personnel(text: str) -> tuple[dict | None, str]:
    """Parse one personnel_strengths text into value fields, or (None, reason)."""
    text = text.strip()
    if not text:
        return None, "no personnel text"
    year_m = YEAR_AT_END.search(text)
    clauses = split_clauses(text)
    hedges = []
    while clauses and HEDGE.match(clauses[0]):
        hedges.append(clauses.pop(0))
    if not clauses:
        return None, "no figure"
    clause = clauses[0]
    body = YEAR_AT_END.sub("", clause).strip()
    m = CLAUSE.match(body)
    if not m:
        return None, "first clause does not start with a figure"
    rest, subject = m["rest"].strip(), m["subject"]
    if not ACTIVE.match(rest):
        return None, "does not say the figure is of active forces"
    if NOT_ARMED_FORCES.search(rest) or (subject and NOT_ARMED_FORCES.search(subject)):
        return None, "counts police or security forces, not armed forces"
    if year_m is None:
        return None, "no year in brackets"
    figure = parse_figure(m["num"])
    if figure is None:
        return None, f"cannot read the figure {m['num']!r}"
    low, high = figure
    lead = (m["lead"] or "").lower() or None
    fields: dict = {"value": low} if low == high else {"low": low, "high": high}
    fields["qualifier"] = QUALIFIER[lead]
    fields["as_of"] = int(year_m[1])
    fields["locator"] = LOCATOR
    fields["quote"] = _quote("; ".join(hedges + [clause]))
    # NOTE: "including" inside a per-service breakdown ("(15,000 Navy, including about 3,500
    # marines; ...)") describes that service, not the total: only a top-level "including ..."
    # or a bracket that starts with it describes the figure.
    top_level = re.sub(r"\([^()]*\)", "", rest)
    included = (re.search(r"\b(?:including|includes)\s+(.+)$", top_level, re.I)
                or re.search(r"\((?:including|includes)\s+([^()]+)\)", rest, re.I))
    if included:
        fields["note"] = f"As the Factbook states, the figure includes {included[1].strip(' ,')}."
    elif PARAMILITARY.search(rest):
        fields["note"] = f'What the Factbook counts, in its words: "{rest}".'
    return fields, ""


def _quote(text: str) -> str:
    if len(text) <= QUOTE_MAX:
        return text
    return text[: QUOTE_MAX - 4].rsplit(" ", 1)[0] + " ..."


def read(path: Path, existing: dict | None = None) -> ImportResult:
    rows = read_csv(path, COLUMNS, "the Factbook military summary")
    items: dict[str, list[tuple[str, dict]]] = {}
    skipped: list[str] = []
    unmapped: list[str] = []
    for row in rows:
        code, name, text = row["gec_code"].strip(), row["country"].strip(), row["personnel_strengths"] or ""
        by_name = entity_id_for(name)
        if code in GEC_TO_ID:
            eid = GEC_TO_ID[code]
            if eid and by_name and by_name != eid:
                raise ImportRejected(f"GEC code {code!r} maps to {eid} but its country {name!r} is "
                                     f"{by_name}; fix GEC_TO_ID in forcedata/importers/factbook.py")
        else:
            eid = by_name
        if not text.strip():
            continue  # territories and states the Factbook gives no figure for
        if eid is None:
            if code in GEC_TO_ID:
                skipped.append(f"{code} {name}: not a state: {text[:90]!r}")
            else:
                unmapped.append(f"{code} ({name})")
            continue
        fields, reason = parse_personnel(text)
        if fields is None:
            skipped.append(f"{eid} ({code}): {reason}: {text[:110]!r}")
            continue
        if eid in items:
            raise ImportRejected(f"{eid} appears twice in {path} (GEC {code!r})")
        items[eid] = [(METRIC, fields)]
    if unmapped:
        raise ImportRejected("entries with a personnel figure whose GEC code and country name map to no "
                             f"entity id: {', '.join(unmapped)}; add them to GEC_TO_ID")
    if not items:
        raise ImportRejected(f"{path}: no personnel figure could be read")
    return ImportResult("observations", [METRIC], items, skipped)
