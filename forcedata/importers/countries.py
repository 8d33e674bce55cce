"""Country names and codes -> entity ids (ISO 3166-1 alpha-3), and short display names.

Every mapping that is not a plain ISO name is written out here, so a reviewer can check it.
A name that maps to nothing is an error for the importer to report, never a guess: there is
no fuzzy matching.
"""

from __future__ import annotations

import unicodedata

import pycountry

# NOTE: states that no longer exist keep their former ISO 3166-1 alpha-3 code, as listed in
# ISO 3166-3 (SUN: USSR, now SUHH; YUG: Yugoslavia, YUCS; CSK: Czechoslovakia, CSHH; DDR: German
# Democratic Republic, DDDE; YMD: South Yemen, YDYE; VDR: North Vietnam, VDVN). North Yemen
# never had a code of its own (its YEM passed to unified Yemen in 1990): it gets YAR, the
# Correlates of War abbreviation for the Yemen Arab Republic, which ISO has not assigned. XKX
# (Kosovo) is the user-assigned code the EU, IMF and World Bank use.
HISTORICAL = {
    "SUN": "Soviet Union",
    "YUG": "Yugoslavia",
    "CSK": "Czechoslovakia",
    "DDR": "East Germany",
    "YMD": "South Yemen",
    "YAR": "North Yemen",
    "VDR": "North Vietnam",
}

# Names in the sources that are not ISO short names, lower-cased -> entity id.
ALIASES = {
    # SIPRI Milex spellings
    "korea, north": "PRK",
    "korea, south": "KOR",
    "türkiye": "TUR",
    "turkey": "TUR",
    "congo, dr": "COD",
    "congo, republic": "COG",
    "cote d'ivoire": "CIV",
    "côte d'ivoire": "CIV",
    "cape verde": "CPV",
    "gambia, the": "GMB",
    "timor leste": "TLS",
    "kyrgyz republic": "KGZ",
    "kosovo": "XKX",
    "taiwan": "TWN",
    "laos": "LAO",
    "brunei": "BRN",
    "russia": "RUS",
    "iran": "IRN",
    "syria": "SYR",
    "moldova": "MDA",
    "tanzania": "TZA",
    "bolivia": "BOL",
    "venezuela": "VEN",
    "viet nam": "VNM",
    "vietnam": "VNM",
    "united states of america": "USA",
    "ussr": "SUN",
    "soviet union": "SUN",
    "yugoslavia": "YUG",
    "czechoslovakia": "CSK",
    "german democratic republic": "DDR",
    "east germany": "DDR",
    "yemen, north": "YAR",
    "yemen, south": "YMD",
    # common English names (SIPRI Yearbook press coverage, CIA Factbook "country" column)
    "united states": "USA",
    "north korea": "PRK",
    "south korea": "KOR",
    "burma": "MMR",
    "the bahamas": "BHS",
    "the gambia": "GMB",
    "drc": "COD",
    "congo (brazzaville)": "COG",
    "congo (kinshasa)": "COD",
    "micronesia": "FSM",
    "holy see (vatican city)": "VAT",
}

# Short English display names where ISO's name is long or formal.
SHORT_NAMES = {
    "BOL": "Bolivia", "BRN": "Brunei", "BHS": "Bahamas", "CIV": "Côte d'Ivoire",
    "COD": "DR Congo", "COG": "Republic of the Congo", "CPV": "Cabo Verde", "CZE": "Czechia",
    "FSM": "Micronesia", "GBR": "United Kingdom", "GMB": "Gambia", "IRN": "Iran",
    "KOR": "South Korea", "LAO": "Laos", "MDA": "Moldova", "MKD": "North Macedonia",
    "PRK": "North Korea", "PSE": "Palestine", "RUS": "Russia", "SYR": "Syria",
    "TLS": "Timor-Leste", "TUR": "Türkiye", "TWN": "Taiwan", "TZA": "Tanzania",
    "USA": "United States", "VAT": "Holy See", "VEN": "Venezuela", "VNM": "Vietnam",
    "XKX": "Kosovo", "KGZ": "Kyrgyzstan", "SWZ": "Eswatini", "MMR": "Myanmar",
}


def alias_key(name: str) -> str:
    """How ALIASES spells a name: NFC, single spaces, case-folded ("Korea, North" -> "korea, north")."""
    return unicodedata.normalize("NFC", " ".join(name.split())).casefold()


def entity_id_for(name: str) -> str | None:
    """The entity id for a country name, or None if it is not known (no fuzzy matching)."""
    key = alias_key(name)
    if key in ALIASES:
        return ALIASES[key]
    for attr in ("name", "common_name", "official_name"):
        for country in pycountry.countries:
            text = getattr(country, attr, None)
            if text and alias_key(text) == key:
                return country.alpha_3
    return None


def display_name(entity_id: str) -> str:
    """A short common English name for an entity id ("Russia", not "Russian Federation")."""
    if entity_id in SHORT_NAMES:
        return SHORT_NAMES[entity_id]
    if entity_id in HISTORICAL:
        return HISTORICAL[entity_id]
    country = pycountry.countries.get(alpha_3=entity_id)
    if country is None:
        raise KeyError(f"no display name for '{entity_id}': add it to SHORT_NAMES")
    return getattr(country, "common_name", None) or country.name


def is_historical(entity_id: str) -> bool:
    return entity_id in HISTORICAL
