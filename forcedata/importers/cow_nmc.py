"""Importer for Correlates of War National Material Capabilities v6.0 (NMC-60-abridged.csv).

Writes one series per entity under personnel.active citing the registry's edition of the NMC data
(database "cow-nmc"; its series replace those of earlier editions): COW's milper (military
personnel, in thousands) x 1000, as an exact whole number of people. -9 (missing) writes
nothing for that year.

COW state codes are not ISO codes: STATES below maps every COW state explicitly. A state maps
only where it has a current ISO 3166-1 code or a former one listed in ISO 3166-3 (see
countries.HISTORICAL); the years column splits a COW state whose history spans two of ours
(COW's RUS is the USSR from 1922 to 1991, as in SIPRI's data). States with no such code
(German and Italian states before unification, Austria-Hungary, Korea before 1905, Zanzibar,
South Vietnam, Prussia before 1871) are listed in the report and skipped.
"""

from __future__ import annotations

from pathlib import Path

from forcedata.importers.writer import ImportRejected, ImportResult, read_csv

DATABASE = "cow-nmc"
PRODUCER = "Correlates of War Project"
METRIC = "personnel.active"
NOTE = "COW definition: active regular forces; in thousands in the original"
COLUMNS = ["stateabb", "ccode", "year", "milper"]

# COW abbreviation, COW ccode, entity id ("-" = skipped), optional year range "from-to".
# NOTE: where two COW states give the same entity and year (West Germany GFR and Germany GMY
# in 1990), the one listed first wins and the other is reported.
STATES_TABLE = """
USA 2 USA | CAN 20 CAN | BHM 31 BHS | CUB 40 CUB | HAI 41 HTI | DOM 42 DOM | JAM 51 JAM
TRI 52 TTO | BAR 53 BRB | DMA 54 DMA | GRN 55 GRD | SLU 56 LCA | SVG 57 VCT | AAB 58 ATG
SKN 60 KNA | MEX 70 MEX | BLZ 80 BLZ | GUA 90 GTM | HON 91 HND | SAL 92 SLV | NIC 93 NIC
COS 94 CRI | PAN 95 PAN | COL 100 COL | VEN 101 VEN | GUY 110 GUY | SUR 115 SUR | ECU 130 ECU
PER 135 PER | BRA 140 BRA | BOL 145 BOL | PAR 150 PRY | CHL 155 CHL | ARG 160 ARG | URU 165 URY
UKG 200 GBR | IRE 205 IRL | NTH 210 NLD | BEL 211 BEL | LUX 212 LUX | FRN 220 FRA | MNC 221 MCO
LIE 223 LIE | SWZ 225 CHE | SPN 230 ESP | AND 232 AND | POR 235 PRT
HAN 240 - | BAV 245 - | GMY 255 - 1816-1870 | GMY 255 DEU 1871-2100 | GFR 260 DEU | GDR 265 DDR
BAD 267 - | SAX 269 - | WRT 271 - | HSE 273 - | HSG 275 - | MEC 280 - | POL 290 POL
AUH 300 - | AUS 305 AUT | HUN 310 HUN | CZE 315 CSK | CZR 316 CZE | SLO 317 SVK | ITA 325 ITA
PAP 327 - | SIC 329 - | SNM 331 SMR | MOD 332 - | PMA 335 - | TUS 337 - | MLT 338 MLT
ALB 339 ALB | MNG 341 MNE | MAC 343 MKD | CRO 344 HRV | YUG 345 SRB 1878-1917
YUG 345 YUG 1918-1991 | YUG 345 SRB 1992-2100 | BOS 346 BIH | KOS 347 XKX | SLV 349 SVN
GRC 350 GRC | CYP 352 CYP | BUL 355 BGR | MLD 359 MDA | ROM 360 ROU | RUS 365 RUS 1816-1921
RUS 365 SUN 1922-1991 | RUS 365 RUS 1992-2100 | EST 366 EST | LAT 367 LVA | LIT 368 LTU
UKR 369 UKR | BLR 370 BLR | ARM 371 ARM | GRG 372 GEO | AZE 373 AZE | FIN 375 FIN | SWD 380 SWE
NOR 385 NOR | DEN 390 DNK | ICE 395 ISL | CAP 402 CPV | STP 403 STP | GNB 404 GNB | EQG 411 GNQ
GAM 420 GMB | MLI 432 MLI | SEN 433 SEN | BEN 434 BEN | MAA 435 MRT | NIR 436 NER | CDI 437 CIV
GUI 438 GIN | BFO 439 BFA | LBR 450 LBR | SIE 451 SLE | GHA 452 GHA | TOG 461 TGO | CAO 471 CMR
NIG 475 NGA | GAB 481 GAB | CEN 482 CAF | CHA 483 TCD | CON 484 COG | DRC 490 COD | UGA 500 UGA
KEN 501 KEN | TAZ 510 TZA | ZAN 511 - | BUI 516 BDI | RWA 517 RWA | SOM 520 SOM | DJI 522 DJI
ETH 530 ETH | ERI 531 ERI | ANG 540 AGO | MZM 541 MOZ | ZAM 551 ZMB | ZIM 552 ZWE | MAW 553 MWI
SAF 560 ZAF | NAM 565 NAM | LES 570 LSO | BOT 571 BWA | SWA 572 SWZ | MAG 580 MDG | COM 581 COM
MAS 590 MUS | SEY 591 SYC | MOR 600 MAR | ALG 615 DZA | TUN 616 TUN | LIB 620 LBY | SUD 625 SDN
SSD 626 SSD | IRN 630 IRN | TUR 640 TUR | IRQ 645 IRQ | EGY 651 EGY | SYR 652 SYR | LEB 660 LBN
JOR 663 JOR | ISR 666 ISR | SAU 670 SAU | YAR 678 YAR | YEM 679 YEM | YPR 680 YMD | KUW 690 KWT
BAH 692 BHR | QAT 694 QAT | UAE 696 ARE | OMA 698 OMN | AFG 700 AFG | TKM 701 TKM | TAJ 702 TJK
KYR 703 KGZ | UZB 704 UZB | KZK 705 KAZ | CHN 710 CHN | MON 712 MNG | TAW 713 TWN | KOR 730 -
PRK 731 PRK | ROK 732 KOR | JPN 740 JPN | IND 750 IND | BHU 760 BTN | PAK 770 PAK | BNG 771 BGD
MYA 775 MMR | SRI 780 LKA | MAD 781 MDV | NEP 790 NPL | THI 800 THA | CAM 811 KHM | LAO 812 LAO
DRV 816 VDR 1954-1975 | DRV 816 VNM 1976-2100 | RVN 817 - | MAL 820 MYS | SIN 830 SGP
BRU 835 BRN | PHI 840 PHL | INS 850 IDN | ETM 860 TLS | AUL 900 AUS | PNG 910 PNG | NEW 920 NZL
VAN 935 VUT | SOL 940 SLB | KIR 946 KIR | TUV 947 TUV | FIJ 950 FJI | TON 955 TON | NAU 970 NRU
MSI 983 MHL | PAL 986 PLW | FSM 987 FSM | WSM 990 WSM
"""


def _parse_table(text: str) -> dict[tuple[str, int], list[tuple[str | None, int, int]]]:
    table: dict[tuple[str, int], list[tuple[str | None, int, int]]] = {}
    for entry in text.replace("\n", "|").split("|"):
        parts = entry.split()
        if not parts:
            continue
        abb, ccode, eid = parts[0], int(parts[1]), parts[2]
        lo, hi = (int(x) for x in parts[3].split("-")) if len(parts) > 3 else (1800, 2100)
        table.setdefault((abb, ccode), []).append((None if eid == "-" else eid, lo, hi))
    return table


STATES = _parse_table(STATES_TABLE)


def entity_for(abb: str, ccode: int, year: int) -> str | None:
    for eid, lo, hi in STATES[(abb, ccode)]:
        if lo <= year <= hi:
            return eid
    return None


def read(path: Path, existing: dict | None = None) -> ImportResult:
    rows = read_csv(path, COLUMNS, "the COW NMC abridged file")
    values: dict[str, dict[int, int]] = {}
    origin: dict[tuple[str, int], str] = {}
    locators: dict[str, list[str]] = {}
    skipped_states: dict[str, list[int]] = {}
    unknown: set[str] = set()
    clashes: list[str] = []
    order = {key: i for i, key in enumerate(STATES)}
    rows.sort(key=lambda r: order.get((r["stateabb"], _int(r["ccode"])), -1))
    for row in rows:
        abb, ccode, year, milper = row["stateabb"], _int(row["ccode"]), _int(row["year"]), _int(row["milper"])
        if ccode is None or year is None or milper is None:
            raise ImportRejected(f"{path}: a row for {abb!r} has a ccode, year or milper that is not a "
                                 f"whole number ({row['ccode']!r}, {row['year']!r}, {row['milper']!r})")
        if (abb, ccode) not in STATES:
            unknown.add(f"{abb} ({ccode})")
            continue
        eid = entity_for(abb, ccode, year)
        if eid is None:
            skipped_states.setdefault(f"{abb} ({ccode})", []).append(year)
            continue
        if milper == -9:
            continue
        if milper < 0:
            raise ImportRejected(f"{path}: {abb} {year}: milper {milper} is negative and not -9")
        if (eid, year) in origin:
            clashes.append(f"{abb} {year} (kept {origin[eid, year]}'s figure for {eid})")
            continue
        origin[eid, year] = abb
        values.setdefault(eid, {})[year] = milper * 1000
        loc = f'stateabb "{abb}", ccode {ccode}'
        if loc not in locators.setdefault(eid, []):
            locators[eid].append(loc)
    if unknown:
        raise ImportRejected(f"COW states missing from the table in forcedata/importers/cow_nmc.py: "
                             f"{', '.join(sorted(unknown))}; map them or mark them '-'")
    if not values:
        raise ImportRejected(f"{path}: no milper figures found")
    items = {
        eid: [(METRIC, {"locator": "; ".join(locators[eid]), "note": NOTE,
                        "values": dict(sorted(years.items()))})]
        for eid, years in values.items()
    }
    skipped = [f"{state}: {min(ys)}-{max(ys)}, no ISO 3166-1 or 3166-3 code" for state, ys in sorted(skipped_states.items())]
    skipped += [f"clash: {c}" for c in clashes]
    return ImportResult("series", [METRIC], items, skipped)


def _int(text: str | None) -> int | None:
    try:
        return int((text or "").strip())
    except ValueError:
        return None
