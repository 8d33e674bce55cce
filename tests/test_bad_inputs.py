"""The bad-input corpus: every hostile or mistaken file the app reads, and every file the command
lines write, gets its exact located message (or is handled as the README says).

Data cases (``CASES``) build their own bad file in a throwaway data folder (beside a good entity
file, OKK), load the folder, and check:
- the problems, as printed (``FILE:LINE: path: message — fix``), exactly;
- that the good file beside it still loads (one bad file never takes the others down);
- that loading stays under 300 MB of Python allocations (tracemalloc peak); wall-clock times
  are measured by benchmarks/bad_inputs.py, never asserted here.

Group cases (``GROUP_CASES``) write a groups.yaml and run ``python -m forcedata validate`` on the
folder; output cases (``OUTPUT_CASES``) run the export command line against paths it cannot
write: each checks the one-line message, the exit code, no traceback, and what was loaded or
written.

Line numbers below refer to the good entity file (tests/conftest.py GOOD_ENTITY)::

    1 id: TST
    2 name: Testland
    3 kind: state
    4 observations:
    5   personnel:
    6     active:
    7       - value: 1000
    8         as_of: 2025
    9         source: iiss-mb-2025
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import math
import os
import re
import subprocess
import sys
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from forcedata.load import load_dataset
from forcedata.schema import last_year
from tests.conftest import GOOD_ENTITY, ROOT

MEMORY_LIMIT = 300 * 2**20
SIZE_CAP = 200_000  # NOTE: above sources.yaml and metrics.yaml, below the oversized case's file
V = "observations.personnel.active[0]"  # the good file's one value
SERIES = """\
series:
  spending:
    milex_usd:
      - source: sipri-milex-2025
        values:
"""  # lines 10-14 when appended to the good file; years start on line 15
CONTROL_FIX = "delete it (it is invisible in most editors; retype the line if unsure)"
ANCHOR_MSG = "anchors and aliases are not allowed in data files"
NUMBER_FIX = "write the number without quotes, commas or words (660000, not '660,000')"
QUOTE_FIX = "close the quote on this line (and escape quotes inside it)"
TAG_FIX = "remove the tag; write plain values"
DATE_FORM = "write a year (2025) or a date (2025-01, 2025-06-17)"
CAP_FIX = "split it, or raise FORCEDATA_MAX_FILE_BYTES if it really is that big"
SYNTAX_FIX = "check indentation, colons and quotes on this line or the one before"

Build = Callable[[Path, str], None]


def good(eid: str) -> str:
    return GOOD_ENTITY.format(id=eid)


def entity_path(data_dir: Path, eid: str) -> Path:
    return data_dir / "forces" / f"{eid}.yaml"


def write(content: str | bytes | Callable[[str], str | bytes]) -> Build:
    """A build step writing forces/<eid>.yaml (content may depend on the id)."""
    def build(data_dir: Path, eid: str) -> None:
        text = content(eid) if callable(content) else content
        path = entity_path(data_dir, eid)
        path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    return build


def edit(old: str, new: str) -> Build:
    """The good file with one edit (the edited text must be there)."""
    assert old in good("TST"), old
    return write(lambda eid: good(eid).replace(old, new, 1))


def append(extra: str) -> Build:
    return write(lambda eid: good(eid) + extra)


def symlink_to(target: str | Callable[[Path], str]) -> Build:
    def build(data_dir: Path, eid: str) -> None:
        os.symlink(target(data_dir) if callable(target) else target, entity_path(data_dir, eid))
    return build


def linked_good_file(data_dir: Path) -> str:
    outside = data_dir / "elsewhere.yaml"  # NOTE: outside forces/, so only the link names it
    outside.write_text(good("TST"), encoding="utf-8")
    return str(outside)


def named(raw_name: bytes, content: str = GOOD_ENTITY.format(id="TST")) -> Build:
    """A file in forces/ whose name is raw bytes (not UTF-8, or with control characters)."""
    def build(data_dir: Path, eid: str) -> None:
        with open(os.path.join(os.fsencode(data_dir / "forces"), raw_name), "wb") as handle:
            handle.write(content.encode("utf-8"))
    return build


def fifo(data_dir: Path, eid: str) -> None:
    os.mkfifo(entity_path(data_dir, eid))


def folder(data_dir: Path, eid: str) -> None:
    entity_path(data_dir, eid).mkdir()


def sparse(size: int) -> Build:
    """A file of ``size`` bytes that takes no disk (the loader must refuse it before reading)."""
    def build(data_dir: Path, eid: str) -> None:
        with open(entity_path(data_dir, eid), "wb") as handle:
            handle.truncate(size)
    return build


def padded(size: int) -> Build:
    def build(data_dir: Path, eid: str) -> None:
        text = good(eid)
        text += "#" * (size - len(text) - 1) + "\n"
        entity_path(data_dir, eid).write_text(text, encoding="utf-8")
    return build


def remove(name: str) -> Build:
    def build(data_dir: Path, eid: str) -> None:
        write(good)(data_dir, eid)  # a good entity file that cannot be checked without the registry
        (data_dir / name).unlink()
    return build


def norway_as_yml(data_dir: Path, eid: str) -> None:
    (data_dir / "forces" / "NOR.yml").write_text(good("NOR"), encoding="utf-8")


def catalogue_order(digits: int) -> tuple[Build, int]:
    """Give personnel.reserve (metrics[1], used by no test file) an order of ``digits`` digits;
    the build step and the line it is on."""
    lines = (ROOT / "data" / "metrics.yaml").read_text(encoding="utf-8").splitlines()
    start = lines.index("  - id: personnel.reserve")
    line = next(i for i in range(start, len(lines)) if lines[i].startswith("    order: ")) + 1

    def build(data_dir: Path, eid: str) -> None:
        write(good)(data_dir, eid)
        path = data_dir / "metrics.yaml"
        text = path.read_text(encoding="utf-8").splitlines(keepends=True)
        text[line - 1] = "    order: " + "2" * digits + "\n"
        path.write_text("".join(text), encoding="utf-8")
    return build, line


HUGE_ORDER, HUGE_ORDER_LINE = catalogue_order(5000)


def registry_line(name: str, old: str, new: str | None = None, *, after: str = "") -> tuple[Build, int]:
    """A build step (beside the good entity file) giving the first line of ``data/<name>`` that
    starts with ``old`` (at or after the line ``after``) the text ``new`` (None: delete the line);
    and that line's number, as read from the file itself."""
    lines = (ROOT / "data" / name).read_text(encoding="utf-8").splitlines()
    start = lines.index(after) if after else 0
    at = next(i for i in range(start, len(lines)) if lines[i].startswith(old))

    def build(data_dir: Path, eid: str) -> None:
        write(good)(data_dir, eid)
        path = data_dir / name
        text = path.read_text(encoding="utf-8").splitlines(keepends=True)
        text[at] = "" if new is None else new + "\n"
        path.write_text("".join(text), encoding="utf-8")
    return build, at + 1


def replace_file(name: str, content: str) -> Build:
    def build(data_dir: Path, eid: str) -> None:
        write(good)(data_dir, eid)
        (data_dir / name).write_text(content, encoding="utf-8")
    return build


def builds(*steps: Build) -> Build:
    def build(data_dir: Path, eid: str) -> None:
        for step in steps:
            step(data_dir, eid)
    return build


def _other_source() -> tuple[str, int]:
    """The first registry entry no test file cites (they cite iiss-mb-2025): its id and position."""
    ids = [line.removeprefix("  - id: ") for line in (ROOT / "data" / "sources.yaml").read_text(
        encoding="utf-8").splitlines() if line.startswith("  - id: ")]
    return next((sid, i) for i, sid in enumerate(ids) if sid != "iiss-mb-2025")


OTHER_SOURCE, OTHER_AT = _other_source()


def _published(source_id: str) -> str:
    """A registry entry's date_published as written in the file."""
    lines = (ROOT / "data" / "sources.yaml").read_text(encoding="utf-8").splitlines()
    start = lines.index(f"  - id: {source_id}")
    return next(line.split(": ", 1)[1].strip("'\"") for line in lines[start:] if line.startswith("    date_published:"))


SOURCE_LINE = f"  - id: {OTHER_SOURCE}"
RESERVE, PARAMILITARY = "  - id: personnel.reserve", "  - id: personnel.paramilitary"  # metrics[1], metrics[2]
NEXT_YEAR_DAY = f"{last_year()}-01-31"
TODAY = dt.date.today().isoformat()
UNKNOWN_UNIT, UNKNOWN_UNIT_LINE = registry_line("metrics.yaml", "    unit: people", "    unit: peple", after=RESERVE)
UNKNOWN_FAMILY_ID, _ = registry_line("metrics.yaml", RESERVE, "  - id: persone.reserve")
UNKNOWN_FAMILY, UNKNOWN_FAMILY_LINE = registry_line("metrics.yaml", "    family: personnel", "    family: persone",
                                                    after=RESERVE)
PART_OF_ITSELF, PART_OF_ITSELF_LINE = registry_line("metrics.yaml", "    order: 20",
                                                    "    order: 20\n    part_of: personnel.reserve", after=RESERVE)
CYCLE_A, CYCLE_A_LINE = registry_line("metrics.yaml", "    order: 20", "    order: 20\n    part_of: personnel.paramilitary",
                                      after=RESERVE)
CYCLE_B, CYCLE_B_LINE = registry_line("metrics.yaml", "    order: 30", "    order: 30\n    part_of: personnel.reserve",
                                      after=PARAMILITARY)
EMPTY_LABEL, EMPTY_LABEL_LINE = registry_line("metrics.yaml", "    label:", '    label: " "', after=RESERVE)
SCOPE_BIDI, SCOPE_BIDI_LINE = registry_line("metrics.yaml", "    label:", '    label: "army \\u202eylno"',
                                            after="  - id: army_only")
LONG_TITLE, LONG_TITLE_LINE = registry_line("sources.yaml", "    title:", "    title: " + "T" * 100_000, after=SOURCE_LINE)
ACCESSED_AHEAD, ACCESSED_AHEAD_LINE = registry_line("sources.yaml", "    date_accessed:",
                                                    f"    date_accessed: {NEXT_YEAR_DAY}", after=SOURCE_LINE)
ACCESSED_EARLY, ACCESSED_EARLY_LINE = registry_line("sources.yaml", "    date_accessed:", "    date_accessed: 1990-01-01",
                                                    after=SOURCE_LINE)
WHOLE_YES, WHOLE_YES_LINE = registry_line("metrics.yaml", "  - {id: launchers,", "  - {id: launchers, max: 100000, whole: yes}")
_, LAUNCHERS_LINE = registry_line("metrics.yaml", "    unit: launchers")
_, RESERVE_LINE = registry_line("metrics.yaml", RESERVE)


def metric_position(line: int) -> int:
    """metrics[N]: the position of the catalogue's metric holding ``line``, counted in the file."""
    lines = (ROOT / "data" / "metrics.yaml").read_text(encoding="utf-8").splitlines()
    start = lines.index("metrics:")
    return sum(1 for text in lines[start:line - 1] if text.startswith("  - id: ")) - 1


LAUNCHERS_AT = metric_position(LAUNCHERS_LINE)


def alias_bomb(levels: int = 9, width: int = 9) -> str:
    """The "billion laughs": width**levels copies of 'lol' through nested aliases."""
    lines = ["id: TST", "name: Testland", "kind: state", "notes:"]
    lines.append("  - &l0 [" + ", ".join(["lol"] * width) + "]")
    for i in range(1, levels):
        lines.append(f"  - &l{i} [" + ", ".join([f"*l{i - 1}"] * width) + "]")
    return "\n".join(lines) + "\n"


@dataclass
class Case:
    name: str
    build: Build
    expected: list[str]  # "{f}" stands for the bad file, e.g. forces/TST.yaml
    rest_loads: bool = True  # the good file OKK beside it is in the frame
    env: dict[str, str] = field(default_factory=dict)
    count: int | None = None  # when only the first problems are listed: how many there are in all

    def messages(self, eid: str = "TST") -> list[str]:
        return [m.replace("{f}", f"forces/{eid}.yaml") for m in self.expected]


def number_case(name: str, written: str, message: str, fix: str) -> Case:
    return Case(name, edit("value: 1000", f"value: {written}"), [f"{{f}}:7: {V}.value: {message} — {fix}"])


CASES = [
    # --- bytes that are not text ---------------------------------------------------------------
    Case("bel_in_note", edit("kind: state", "kind: state\nnotes: ring\x07bell"),
         [f"{{f}}:4: column 12: BEL (U+0007) is not allowed in a data file — {CONTROL_FIX}"]),
    Case("nul_in_note", edit("kind: state", "kind: state\nnotes: a\x00b"),
         [f"{{f}}:4: column 9: NUL (U+0000) is not allowed in a data file — {CONTROL_FIX}"]),
    Case("del_in_name", edit("Testland", "Test\x7fland"),
         [f"{{f}}:2: column 11: DEL (U+007F) is not allowed in a data file — {CONTROL_FIX}"]),
    Case("form_feed", edit("kind: state", "kind: state\x0c"),
         [f"{{f}}:3: column 12: form feed (FF) (U+000C) is not allowed in a data file — {CONTROL_FIX}"]),
    Case("byte_order_mark_inside", edit("Testland", "Test\ufeffland"),
         [f"{{f}}:2: column 11: byte-order mark (U+FEFF) is not allowed in a data file — {CONTROL_FIX}"]),
    Case("invalid_utf8", write(lambda eid: good(eid).encode().replace(b"Testland", b"Test\xe9land")),
         ["{f}:2: column 11: not valid UTF-8 (byte 0xe9) — save the file as UTF-8 in your editor"]),
    Case("invalid_utf8_late", write(lambda eid: good(eid).encode().replace(b"as_of: 2025", b"as_of: 2025\xff")),
         ["{f}:8: column 20: not valid UTF-8 (byte 0xff) — save the file as UTF-8 in your editor"]),
    Case("utf16", write(lambda eid: good(eid).encode("utf-16")),
         ["{f}:1: column 1: not valid UTF-8 (byte 0xff) — save the file as UTF-8 in your editor"]),
    # --- anchors, aliases, merge keys, tags ------------------------------------------------------
    Case("self_referencing_alias", edit("kind: state", "kind: state\nnotes: &a [*a]"),
         [f"{{f}}:4: column 8: anchor '&a' — {ANCHOR_MSG} — remove the anchor and write values out in full",
          f"{{f}}:4: column 12: alias '*a' — {ANCHOR_MSG} — write the value out in full"]),
    Case("billion_laughs", write(alias_bomb()),
         [f"{{f}}:5: column 5: anchor '&l0' — {ANCHOR_MSG} — remove the anchor and write values out in full",
          f"{{f}}:6: column 5: anchor '&l1' — {ANCHOR_MSG} — remove the anchor and write values out in full",
          f"{{f}}:6: column 10: alias '*l0' — {ANCHOR_MSG} — write the value out in full"], count=20),
    Case("merge_key", edit("      - value: 1000\n", "      - <<: {value: 1000}\n"),
         [f"{{f}}:7: {V}: merge key '<<' is not allowed in data files — write the fields out in full"]),
    Case("tag_str", edit("name: Testland", "name: !!str Testland"),
         [f"{{f}}:2: column 7: tag '!!str' is not allowed in data files — {TAG_FIX}"]),
    Case("custom_tag", edit("name: Testland", "name: !foo Testland"),
         [f"{{f}}:2: column 7: tag '!foo' is not allowed in data files — {TAG_FIX}"]),
    # --- files that are not regular, or too big ---------------------------------------------------
    Case("symlink_to_dev_zero", symlink_to("/dev/zero"),
         ["{f}:1: is a symbolic link; data files must be regular files — replace the link with the file itself"]),
    Case("symlink_to_good_file", symlink_to(linked_good_file),
         ["{f}:1: is a symbolic link; data files must be regular files — replace the link with the file itself"]),
    Case("symlink_loop", symlink_to(lambda data_dir: "TST.yaml"),
         ["{f}:1: is a symbolic link; data files must be regular files — replace the link with the file itself"]),
    Case("dangling_symlink", symlink_to("nowhere.yaml"),
         ["{f}:1: is a symbolic link; data files must be regular files — replace the link with the file itself"]),
    Case("file_name_not_utf8", named(b"\xff.yaml"),
         [("forces/\\udcff.yaml:1: id: id 'TST' does not match the file name '\\udcff.yaml' — rename the file to "
          "TST.yaml or fix the id")]),
    Case("file_name_with_terminal_escape", named(b"\x1b[2J\nTST.yml"),
         [("forces/\\x1b[2J\\nTST.yml:1: is not read: only *.yaml files in forces/ are data files — rename it to "
          "\\x1b[2J\\nTST.yaml")]),
    Case("fifo", fifo, [("{f}:1: is not a regular file — replace it with a regular file, or remove it from the "
                        "data folder")]),
    Case("folder_named_yaml", folder,
         ["{f}:1: is not read: only *.yaml files in forces/ are data files — move it out of the data folder"]),
    Case("above_size_cap", padded(250_000),
         [f"{{f}}:1: is 250,000 bytes, above the 200,000-byte limit per data file — {CAP_FIX}"],
         env={"FORCEDATA_MAX_FILE_BYTES": str(SIZE_CAP)}),
    Case("above_default_cap", sparse(6 * 2**20),
         [f"{{f}}:1: is 6,291,456 bytes, above the 5,242,880-byte limit per data file — {CAP_FIX}"]),
    Case("yml_extension", norway_as_yml,
         ["forces/NOR.yml:1: is not read: only *.yaml files in forces/ are data files — rename it to NOR.yaml"]),
    # --- numbers YAML 1.1 would misread -----------------------------------------------------------
    number_case("leading_zero_octal", "010", "'010' is read as text, not a number: it looks like a number with a "
                "leading zero, which YAML 1.1 reads as octal (010 would become 8)",
                "write the number without the leading zero, or quote it if it is text"),
    number_case("hexadecimal", "0x10", "'0x10' is read as text, not a number: it looks like a hexadecimal number",
                "write it in decimal"),
    number_case("octal_0o", "0o17", "'0o17' is read as text, not a number: it looks like an octal number",
                "write it in decimal"),
    number_case("binary", "0b101", "'0b101' is read as text, not a number: it looks like a binary number",
                "write it in decimal"),
    number_case("sexagesimal", "1:30", "'1:30' is read as text, not a number: it looks like a base-60 "
                "(sexagesimal) number in YAML 1.1 (1:30 would become 90)",
                "write the number itself, or quote it if it is text"),
    number_case("underscores", "1_000", "'1_000' is read as text, not a number: it looks like a number with "
                "underscores", "write the digits without underscores (1000000, not 1_000_000)"),
    number_case("infinity", ".inf", "'.inf' is read as text, not a number: it looks like infinity",
                "write the figure itself, or status: not_known"),
    number_case("minus_infinity", "-.inf", "'-.inf' is read as text, not a number: it looks like infinity",
                "write the figure itself, or status: not_known"),
    number_case("not_a_number", ".nan", "'.nan' is read as text, not a number: it looks like 'not a number'",
                "write the figure itself, or status: not_known"),
    number_case("overflows_to_infinity", "1e400", "'1e400' is too large to be a number (it overflows to "
                "infinity)", "check the number and its unit"),
    number_case("integer_of_5000_digits", "1" * 5000, "'" + "1" * 58 + "… is too large to be a number (it "
                "overflows to infinity)", "check the number and its unit"),
    number_case("integer_of_301_digits", "1" * 301, "1.11e+300 people is above the plausible maximum of "
                "50,000,000 for personnel.active", "check the number and its unit (data/metrics.yaml lists the "
                "maxima)"),
    number_case("octal_of_60000_digits", "0" + "7" * 60_000, "'0" + "7" * 57 + "… is read as text, not a number: "
                "it looks like a number with a leading zero, which YAML 1.1 reads as octal (0" + "7" * 38
                + "… would become a very large number)",
                "write the number without the leading zero, or quote it if it is text"),
    Case("integer_of_5000_digits_in_catalogue", HUGE_ORDER,
         [f"metrics.yaml:{HUGE_ORDER_LINE}: metrics[1].order: '" + "2" * 58 + "… is too large to be a number (it "
          "overflows to infinity) — check the number and its unit"]),
    number_case("implausibly_many_people", "1e40", "1e+40 people is above the plausible maximum of 50,000,000 "
                "for personnel.active", "check the number and its unit (data/metrics.yaml lists the maxima)"),
    number_case("negative", "-1000", "must not be negative (got -1000)", "fix the sign"),
    number_case("quoted_number", '"1000"', "expected a number, got '1000'", NUMBER_FIX),
    number_case("boolean_value", "true", "expected a number, got True", NUMBER_FIX),
    # --- dates and plausibility -------------------------------------------------------------------
    Case("impossible_date", edit("as_of: 2025", "as_of: 2025-13-45"),
         [f"{{f}}:8: {V}.as_of: '2025-13-45' is not a real date — {DATE_FORM}: month 01-12, a day the month has"]),
    Case("as_of_too_old", edit("as_of: 2025", "as_of: 1700"),
         [f"{{f}}:8: {V}.as_of: year 1700 is outside 1816–{last_year()} — fix the year"]),
    Case("as_of_in_the_future", edit("as_of: 2025", "as_of: 2099"),
         [f"{{f}}:8: {V}.as_of: year 2099 is outside 1816–{last_year()} — fix the year"]),
    Case("as_of_decimal", edit("as_of: 2025", "as_of: 2025.5"),
         [f"{{f}}:8: {V}.as_of: as_of must be a year or a date, got 2025.5 — {DATE_FORM}"]),
    Case("as_of_missing", edit("        as_of: 2025\n", ""),
         [f"{{f}}:7: {V}.as_of: required field is missing — add 'as_of:'"]),
    Case("value_and_range", edit("value: 1000", "value: 1000\n        low: 900\n        high: 1100"),
         [f"{{f}}:7: {V}: give either value or low and high, not both; keep what the source prints"]),
    Case("low_above_high", edit("value: 1000", "low: 2000\n        high: 1000"),
         [f"{{f}}:7: {V}: low (2000) is above high (1000); swap them"]),
    Case("not_known_with_number", edit("value: 1000", "value: 1000\n        status: not_known"),
         [(f"{{f}}:7: {V}: a value with status 'not_known' must not carry a number; remove value/low/high "
          "or set status: reported")]),
    Case("uncertain_yes", edit("as_of: 2025", "as_of: 2025\n        uncertain: yes"),
         [f"{{f}}:9: {V}.uncertain: expected true or false, got 'yes' — write true or false (not yes/no/on/off)"]),
    Case("uncertain_on", edit("as_of: 2025", "as_of: 2025\n        uncertain: on"),
         [f"{{f}}:9: {V}.uncertain: expected true or false, got 'on' — write true or false (not yes/no/on/off)"]),
    Case("series_year_1700", append(SERIES + "          1700: 10\n          2024: 12\n"),
         [(f"{{f}}:15: series.spending.milex_usd[0].values.1700: year 1700 is outside 1816–{last_year()} "
          "— fix the year")]),
    Case("series_year_key_1951x", append(SERIES + "          1951x: 10\n          2024: 12\n"),
         [("{f}:15: series.spending.milex_usd[0].values.1951x: '1951x' is not a year — write the year as four "
          "digits (1951)")]),
    Case("series_values_a_list", append(SERIES.replace("values:\n", "values: [1, 2]\n")),
         [("{f}:14: series.spending.milex_usd[0].values: expected a mapping, got [1, 2] — see the file header "
          "for the layout")]),
    Case("series_point_unknown_field", append(SERIES + "          2023: {value: 12, uncertan: true}\n"),
         [("{f}:15: series.spending.milex_usd[0].values.2023.uncertan: unknown field — remove it or fix its "
          "spelling (see the file header)")]),
    # --- YAML syntax, on the right line -----------------------------------------------------------
    Case("unclosed_quote_at_end", edit("name: Testland", "name: 'Testland"),
         [f"{{f}}:2: column 7: a quote opened here is never closed — {QUOTE_FIX}"]),
    Case("unclosed_quote_pairing_later",
         append('      - value: 5\n        as_of: "2024\n        source: iiss-mb-2025\n        locator: p. 12\n'
                '        caption: small\n        quote: five boats\n        note: "a later quote"\n'),
         [(f"{{f}}:11: column 16: a quote opened here is never closed: it runs on to the next quote, swallowing "
          f"the lines between — {QUOTE_FIX}")]),
    Case("legit_multi_line_quote_not_blamed_for_a_later_error",
         write(lambda eid: good(eid).replace("name: Testland", 'name: Testland\nnotes: "The source says\n  Note: '
                                             'this is fine"').replace("        as_of: 2025", "       as_of: 2025")),
         [("{f}:10: indentation: this line does not line up with the list that starts on line 9, whose items each "
          "start with '- ' in column 7 — indent it like the lines it belongs with (spaces only), or fix the line "
          "before")]),
    Case("two_sequence_keys", edit("kind: state", "kind: state\n? [a]\n: 1\n? [b]\n: 2"),
         [("{f}:4: a key must be plain text, not a list or a mapping — write `name: value`; a line starting "
          "with '? ' or '[' makes a complex key")]),
    Case("duplicate_key", edit("kind: state", "kind: state\nkind: non_state"),
         [("{f}:4: kind: duplicate key 'kind' (first at line 3); YAML would keep only the last — remove one of "
          "the two, or merge them")]),
    Case("null_key", edit("kind: state", "kind: state\n~: x"),
         [("{f}:4: key '~' is read as empty (null), not a name — write a field name (see the file header); "
          "quote it if it really is text")]),
    Case("boolean_key", edit("kind: state", "kind: state\ntrue: x"),
         [("{f}:4: key 'true' is read as true/false, not a name — write a field name (see the file header); "
          "quote it if it really is text")]),
    Case("number_key", edit("kind: state", "kind: state\n1: x"),
         ["{f}:4: key 1 is a number, not a field name — remove it or fix its spelling (see the file header)"]),
    Case("tab_indentation", edit("        as_of: 2025", "\tas_of: 2025"),
         [("{f}:8: a tab character where YAML expects spaces (tabs cannot indent YAML) — replace the tab with "
          "spaces")]),
    Case("key_dedented_out_of_its_mapping", edit("  personnel:", "    personnel:\n  land: {}"),
         [("{f}:6: indentation: this line does not line up with the keys of the mapping that starts on line 1 "
          "(column 1) — indent it like the lines it belongs with (spaces only), or fix the line before")]),
    Case("key_dedented_out_of_its_list_item", edit("        as_of: 2025", "       as_of: 2025"),
         [("{f}:8: indentation: this line does not line up with the list that starts on line 7, whose items "
          "each start with '- ' in column 7 — indent it like the lines it belongs with (spaces only), or fix "
          "the line before")]),
    Case("key_indented_too_deep", edit("        as_of: 2025", "          as_of: 2025"),
         [("{f}:8: unexpected ':': this line is indented deeper than the key above it, or a value holds ': ' — "
          "line the key up with the keys above it, or quote the value")]),
    Case("file_starts_indented", write(lambda eid: "  " + good(eid)),
         [("{f}:2: this line is outside the file's top level, which ended before it (the file starts indented, "
          "or holds a single value) — start the top-level keys (id:, name:, ...) in column 1, with no spaces "
          "before them")]),
    Case("reserved_character", edit("name: Testland", "name: `Testland`"),
         [("{f}:2: column 7: '`' cannot start a value or a key in YAML — quote the text ('...'), or remove the "
          "character")]),
    Case("list_on_the_key_line", edit("    active:\n", "    active: - x\n"),
         [("{f}:6: a list item ('- ') where a value on the same line was expected — start the list on the next "
          "line, indented under its key")]),
    Case("missing_colon", edit("        source: iiss-mb-2025", "        source iiss-mb-2025"),
         [("{f}:9: expected `key: value`, but this line has no ':' after its key — add the ':' (and a space "
          "after it), or indent the line if it continues the one before")]),
    Case("two_documents", append("---\nid: OTHER\n"),
         [(f"{{f}}:10: YAML syntax error: expected a single document in the stream but found another document "
          f"— {SYNTAX_FIX}")]),
    Case("five_MB_of_tiny_values", edit("kind: state", "kind: state\nnotes: [" + "0," * (5 * 2**20 // 2 - 100) + "0]"),
         [("{f}:4: holds more than 50,000 keys and values (counted up to here); the biggest data file holds a few "
          "thousand — split it, or check that it is a data file at all")]),
    Case("sixty_thousand_list_items", edit("kind: state", "kind: state\nnotes:\n" + "- 0\n" * 60_000),
         [("{f}:49996: holds more than 50,000 keys and values (counted up to here); the biggest data file holds a "
          "few thousand — split it, or check that it is a data file at all")]),
    Case("long_text_in_a_field", edit("source: iiss-mb-2025", "source: " + "a" * 60_000),
         [f"{{f}}:9: {V}.source: unknown source '" + "a" * 58 + "… — add it to data/sources.yaml or fix the id"]),
    Case("deep_flow_nesting", edit("kind: state", "kind: state\nnotes: " + "[" * 100 + "]" * 100),
         ["{f}:4: nested more than 32 levels deep — see the file header for the layout"]),
    Case("very_deep_flow_nesting", edit("kind: state", "kind: state\nnotes: " + "[" * 20_000 + "]" * 20_000),
         [f"{{f}}:4: YAML syntax error: while increasing flow level exceeded maximum nesting depth — {SYNTAX_FIX}"]),
    Case("deep_block_nesting", edit("kind: state", "kind: state\nnotes:\n"
                                    + "".join("  " * i + "-\n" for i in range(1, 40))),
         ["{f}:37: nested more than 32 levels deep — see the file header for the layout"]),
    Case("long_key_60kB", edit("kind: state", "kind: state\n" + "k" * 60_000 + ": 1"),
         [("{f}:4: a key longer than 1,024 characters (YAML's limit for a key), or a very long line missing its "
          "':' — shorten the key, or add the ':'")]),
    # --- the wrong shape ------------------------------------------------------------------------
    Case("empty_file", write(""), ["{f}:1: the file is empty — fill it in or delete it (see data/forces/PAK.yaml)"]),
    Case("comments_only", write("# nothing yet\n\n"),
         ["{f}:1: the file is empty — fill it in or delete it (see data/forces/PAK.yaml)"]),
    Case("file_is_a_list", write("- id: TST\n- name: Testland\n"),
         [("{f}:1: expected a mapping with id, name, kind and observations — start from "
          "`python -m forcedata new ID`")]),
    Case("single_60kB_line_of_text", write("x" * 60_000),
         [("{f}:1: expected a mapping with id, name, kind and observations — start from "
          "`python -m forcedata new ID`")]),
    Case("value_not_a_mapping", edit("      - value: 1000\n        as_of: 2025\n        source: iiss-mb-2025\n",
                                     "      - 5\n"),
         [(f"{{f}}:7: {V}: expected a value's fields (value:, as_of:, source:), got 5 — see the file header "
          "for the layout")]),
    Case("id_not_file_name", write(lambda eid: good("TSX")),
         ["{f}:1: id: id 'TSX' does not match the file name 'TST.yaml' — rename the file to TSX.yaml or fix the id"]),
    Case("unknown_source", edit("iiss-mb-2025", "iiss-mb-2052"),
         [f"{{f}}:9: {V}.source: unknown source 'iiss-mb-2052' — add it to data/sources.yaml or fix the id"]),
    Case("secondary_report_as_source", edit("iiss-mb-2025", "reuters-pak-afg-2025-10"),
         [(f"{{f}}:9: {V}.source: 'reuters-pak-afg-2025-10' is a report quoting others (kind: secondary), not the "
          "publisher of the figure — cite the publisher the page names as source and put via: "
          "reuters-pak-afg-2025-10; if the page names none, make its registry entry kind: primary, tier: "
          "aggregator")]),
    Case("unknown_metric", edit("active:", "actve:"),
         [("{f}:6: observations.personnel.actve: unknown metric 'personnel.actve' — add it to data/metrics.yaml "
          "or fix the name")]),
    Case("unknown_field", edit("kind: state", "kind: state\ncolour: red"),
         ["{f}:4: colour: unknown field — remove it or fix its spelling (see the file header)"]),
    # --- values checked against their unit, names against what they may hold ------------------
    number_case("fractional_people", "1000.5", "1,000.5 people is not a whole number: personnel.active is a count",
                "write the count the source prints (a figure in thousands as the full number); units counted "
                "whole are marked whole: true in data/metrics.yaml"),
    Case("fractional_range_end", edit("value: 1000", "low: 900\n        high: 1100.25"),
         [(f"{{f}}:8: {V}.high: 1,100.25 people is not a whole number: personnel.active is a count — write the count "
           "the source prints (a figure in thousands as the full number); units counted whole are marked whole: "
           "true in data/metrics.yaml")]),
    Case("name_with_bidi_override", edit("name: Testland", 'name: "Test\\u202eland"'),
         [("{f}:2: name: holds the bidirectional control U+202E at character 5 — delete it: it changes the order in "
           "which the text around it is shown")]),
    Case("name_with_escaped_control", edit("name: Testland", 'name: "Test\\x1bland"'),
         ["{f}:2: name: holds the control character U+001B at character 5 — delete it: a name or title is one line of text"]),
    Case("name_with_line_break", edit("name: Testland", 'name: "Test\\nland"'),
         ["{f}:2: name: holds the control character U+000A at character 5 — delete it: a name or title is one line of text"]),
    Case("empty_name", edit("name: Testland", 'name: ""'),
         ["{f}:2: name: is empty — write the text, or leave the field out if it is optional"]),
    Case("blank_name", edit("name: Testland", 'name: "   "'),
         ["{f}:2: name: is empty — write the text, or leave the field out if it is optional"]),
    Case("name_of_200_characters", edit("name: Testland", "name: " + "N" * 200),
         ["{f}:2: name: is 200 characters long; at most 120 — shorten it (a longer explanation belongs in a note)"]),
    Case("caption_with_bidi_isolate", edit("source: iiss-mb-2025", "source: iiss-mb-2025\n        caption: \"a\\u2067b\""),
         [(f"{{f}}:10: {V}.caption: holds the bidirectional control U+2067 at character 2 — delete it: it changes the "
           "order in which the text around it is shown")]),
    Case("month_00", edit("as_of: 2025", "as_of: 2025-00"),
         [f"{{f}}:8: {V}.as_of: '2025-00' is not a real date — {DATE_FORM}: month 01-12, a day the month has"]),
    # --- the catalogue: each problem at its own line ----------------------------------------------
    Case("unknown_unit", UNKNOWN_UNIT,
         [(f"metrics.yaml:{UNKNOWN_UNIT_LINE}: metrics[1].unit: unknown unit 'peple' — add it under units: with its "
           "plausible maximum, or fix the spelling")]),
    Case("unknown_family", builds(UNKNOWN_FAMILY, UNKNOWN_FAMILY_ID),
         [(f"metrics.yaml:{UNKNOWN_FAMILY_LINE}: metrics[1].family: unknown family 'persone' — add it under "
           "families:, or fix the spelling")]),
    Case("part_of_itself", PART_OF_ITSELF,
         [(f"metrics.yaml:{PART_OF_ITSELF_LINE + 1}: metrics[1].part_of: names the metric itself — use the id of the "
           "wider metric, or remove part_of")]),
    Case("part_of_cycle", builds(CYCLE_B, CYCLE_A),  # NOTE: the later line first: line numbers stay put
         [(f"metrics.yaml:{CYCLE_A_LINE + 1}: metrics[1].part_of: goes round in a circle: personnel.reserve → "
           "personnel.paramilitary → personnel.reserve — a metric is part of a wider one, never of itself: remove one "
           "part_of of the circle"),
          (f"metrics.yaml:{CYCLE_B_LINE + 2}: metrics[2].part_of: goes round in a circle: personnel.paramilitary → "
           "personnel.reserve → personnel.paramilitary — a metric is part of a wider one, never of itself: remove one "
           "part_of of the circle")]),
    Case("empty_metric_label", EMPTY_LABEL,
         [f"metrics.yaml:{EMPTY_LABEL_LINE}: metrics[1].label: is empty — write the text, or leave the field out if "
          "it is optional"]),
    Case("scope_label_with_bidi", SCOPE_BIDI,
         [(f"metrics.yaml:{SCOPE_BIDI_LINE}: scopes[0].label: holds the bidirectional control U+202E at character 6 — "
           "delete it: it changes the order in which the text around it is shown")]),
    Case("unit_whole_yes", WHOLE_YES,  # NOTE: its one metric says why it is left out too, once
         [(f"metrics.yaml:{WHOLE_YES_LINE}: units[3].whole: expected true or false, got 'yes' — write true or false "
           "(not yes/no/on/off)"),
          (f"metrics.yaml:{LAUNCHERS_LINE}: metrics[{LAUNCHERS_AT}].unit: its unit 'launchers' is left out for a problem of its own "
           f"(metrics.yaml:{WHOLE_YES_LINE}) — fix the unit first")]),
    Case("value_of_a_withdrawn_metric", builds(EMPTY_LABEL, append("    reserve:\n      - value: 10\n        as_of: 2025\n"
                                                                    "        source: iiss-mb-2025\n")),
         [f"metrics.yaml:{EMPTY_LABEL_LINE}: metrics[1].label: is empty — write the text, or leave the field out if "
          "it is optional",
          (f"{{f}}:10: observations.personnel.reserve: metric 'personnel.reserve' is left out of the catalogue for a "
           f"problem of its own (metrics.yaml:{RESERVE_LINE}) — fix the catalogue first; these values load once "
           "it is fixed")]),
    Case("catalogue_is_a_list", replace_file("metrics.yaml", "- id: personnel.active\n- id: land.mbt\n"),
         [("metrics.yaml:1: expected a mapping with families, units, scopes, metrics, got a list — start the file "
           "with 'families:' and list the entries under it")], rest_loads=False),
    # --- the registry ----------------------------------------------------------------------------
    Case("registry_is_a_list", replace_file("sources.yaml", "- id: iiss-mb-2025\n- id: sipri\n"),
         [("sources.yaml:1: expected a mapping with sources, got a list — start the file with 'sources:' and list "
           "the entries under it")], rest_loads=False),
    Case("registry_sources_a_number", replace_file("sources.yaml", "sources: 5\n"),
         ["sources.yaml:1: sources: expected a list under 'sources:', got a number — each entry starts with '- id: ...'"],
         rest_loads=False),
    Case("registry_lists_nothing", replace_file("sources.yaml", "sources: []\n"),
         ["sources.yaml:1: sources: lists no sources — add the sources the entity files cite"], rest_loads=False),
    Case("source_title_of_100_kB", LONG_TITLE,
         [(f"sources.yaml:{LONG_TITLE_LINE}: sources[{OTHER_AT}].title: is 100,000 characters long; at most 300 — "
           "shorten it (a longer explanation belongs in a note)")]),
    Case("accessed_after_today", ACCESSED_AHEAD,
         [(f"sources.yaml:{ACCESSED_AHEAD_LINE}: sources[{OTHER_AT}].date_accessed: {NEXT_YEAR_DAY} is after today "
           f"({TODAY}) — write the day the source was read")]),
    Case("accessed_before_published", ACCESSED_EARLY,
         [(f"sources.yaml:{ACCESSED_EARLY_LINE}: sources[{OTHER_AT}].date_accessed: 1990-01-01 is before the source "
           "was published (" + _published(OTHER_SOURCE) + ") — check both dates")]),
    # --- a missing registry or catalogue: one clear error, no cascade -----------------------------
    Case("missing_sources_yaml", remove("sources.yaml"),
         ["sources.yaml:1: cannot read the file: No such file or directory — check that it exists and is readable"],
         rest_loads=False),
    Case("sources_yaml_is_a_folder", lambda data_dir, eid: ((data_dir / "sources.yaml").unlink(),
                                                             (data_dir / "sources.yaml").mkdir()),
         [("sources.yaml:1: is not a regular file — replace it with a regular file, or remove it from the data "
          "folder")], rest_loads=False),
    Case("sources_yaml_with_a_syntax_error", lambda data_dir, eid: (data_dir / "sources.yaml").write_text(
        "sources:\n  - id: [x\n", encoding="utf-8"),
         [(f"sources.yaml:2: YAML syntax error: while parsing a flow sequence did not find expected ',' or ']' — "
          f"{SYNTAX_FIX}")], rest_loads=False),
    Case("missing_metrics_yaml", remove("metrics.yaml"),
         ["metrics.yaml:1: cannot read the file: No such file or directory — check that it exists and is readable"],
         rest_loads=False),
]


# NOTE: the cases whose input could grow memory without bound if a guard were missing (aliases,
# nesting, size, count): these are loaded under tracemalloc and held to MEMORY_LIMIT.
MEMORY_ATTACKS = {
    "self_referencing_alias", "billion_laughs", "symlink_to_dev_zero", "above_size_cap", "above_default_cap",
    "integer_of_5000_digits_in_catalogue", "sixty_thousand_list_items", "long_text_in_a_field",
    "deep_flow_nesting", "very_deep_flow_nesting", "deep_block_nesting",
}


def test_memory_attacks_are_cases():
    assert MEMORY_ATTACKS <= {c.name for c in CASES}


def load_measured(data_dir: Path):
    """load_dataset under tracemalloc; the dataset and the peak of Python allocations in bytes."""
    tracemalloc.start()
    try:
        ds = load_dataset(data_dir)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return ds, peak


def build_case(case: Case, data_dir: Path, eid: str = "TST") -> None:
    (data_dir / "forces" / "OKK.yaml").write_text(good("OKK"), encoding="utf-8")
    case.build(data_dir, eid)


@pytest.fixture(autouse=True)
def _cwd(data_dir: Path, monkeypatch):
    # NOTE: files are named relative to the working directory when it holds them; from the data
    # folder every name is forces/TST.yaml, wherever pytest runs
    monkeypatch.chdir(data_dir)


def test_corpus_is_big_and_named_uniquely():
    names = [c.name for c in CASES]
    assert len(names) >= 45 and len(set(names)) == len(names)


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_bad_input_is_located_and_contained(case: Case, data_dir: Path, monkeypatch):
    monkeypatch.delenv("FORCEDATA_MAX_FILE_BYTES", raising=False)
    for key, value in case.env.items():
        monkeypatch.setenv(key, value)
    build_case(case, data_dir)
    if case.name in MEMORY_ATTACKS:
        ds, peak = load_measured(data_dir)
    else:  # NOTE: tracemalloc triples a load's time; the cases that could blow memory are traced
        ds, peak = load_dataset(data_dir), 0
    got = [str(p) for p in ds.problems]
    expected = case.messages()
    if case.count is None:
        assert got == expected
    else:
        assert got[: len(expected)] == expected and len(got) == case.count
    assert all(p.line >= 1 for p in ds.problems)
    assert peak < MEMORY_LIMIT, f"{case.name}: {peak / 2**20:.0f} MB of Python allocations"
    if case.rest_loads:  # the good file beside the bad one is served
        rows = set(ds.frame[["entity", "metric", "value"]].itertuples(index=False, name=None))
        assert "OKK" in ds.entities and ("OKK", "personnel.active", 1000.0) in rows
        # nothing refused reaches a chart: of the bad file, at most its untouched good value
        assert {r for r in rows if r[0] != "OKK"} <= {("TST", "personnel.active", 1000.0)}
    else:  # nothing can be checked without the registry: one error, not one per value
        assert len(ds.problems) == 1 and ds.frame.empty


def test_size_cap_is_above_the_registry():
    """Guard the oversized case: the small cap must still admit sources.yaml and metrics.yaml."""
    assert all((ROOT / "data" / n).stat().st_size < SIZE_CAP for n in ("sources.yaml", "metrics.yaml"))


def test_sixty_kB_note_on_one_line_is_data_not_an_error(data_dir: Path):
    note = "x" * 60_000
    entity_path(data_dir, "TST").write_text(good("TST").replace("kind: state", f"kind: state\nnotes: {note}"),
                                            encoding="utf-8")
    ds, peak = load_measured(data_dir)
    assert ds.problems == [] and ds.entities["TST"].header.notes == note
    assert peak < MEMORY_LIMIT


def test_only_the_bad_value_is_left_out(data_dir: Path):
    """A refused value in a file costs that value only: the file's good values load."""
    entity_path(data_dir, "TST").write_text(good("TST") + "  land:\n    mbt:\n      - value: 0x10\n"
                                            "        as_of: 2025\n        source: iiss-mb-2025\n", encoding="utf-8")
    ds = load_dataset(data_dir)
    assert [(p.line, p.path) for p in ds.problems] == [(12, "observations.land.mbt[0].value")]
    assert ds.frame[["entity", "metric", "value"]].values.tolist() == [["TST", "personnel.active", 1000.0]]


CLI_CASES = ["bel_in_note", "leading_zero_octal", "unclosed_quote_pairing_later", "symlink_to_dev_zero",
             "file_name_not_utf8"]


def test_validate_command_exits_1_and_prints_located_lines(data_dir: Path):
    by_name = {c.name: c for c in CASES}
    (data_dir / "forces" / "OKK.yaml").write_text(good("OKK"), encoding="utf-8")
    expected = []
    for i, name in enumerate(CLI_CASES):
        eid = f"BA{'ABCDEFGH'[i]}"
        by_name[name].build(data_dir, eid)
        expected += by_name[name].messages(eid)
    result = subprocess.run(
        [sys.executable, "-m", "forcedata", "validate", "--data-dir", str(data_dir)], cwd=data_dir,
        capture_output=True, text=True, timeout=120, check=False,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})
    assert result.returncode == 1
    assert result.stdout.splitlines() == expected
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith(f"{len(expected)} problem(s) in {len(CLI_CASES)} file(s); checked 6 entity "
                                    "files")


def test_minus_zero_is_zero(data_dir: Path):
    """'-0' and '-0.0' in a file are zero: stored and drawn as 0, never as '-0'."""
    from forcedata.display import value_label

    entity_path(data_dir, "TST").write_text(good("TST").replace("value: 1000", "value: -0.0"), encoding="utf-8")
    ds = load_dataset(data_dir)
    row = ds.frame[ds.frame["entity"] == "TST"].iloc[0]
    assert ds.problems == [] and row["value"] == 0 and math.copysign(1, row["value"]) == 1
    assert value_label(row) == "0"


# --- groups.yaml: the same treatment as entity files -----------------------------------------------

GROUPS = """\
groups:
  - id: pact
    name: Pact
    full_name: The Pact
    kind: alliance
    source: nato-member-countries
    date_means: joined
    members:
      - {id: OKK, date: 1949-04-04}
      - {id: TST, date: 2024-03}
  - id: league
    name: League
    full_name: The League
    kind: organisation
    source: nato-member-countries
    date_means: joined
    members:
      - {id: OKK, date: 1958}
"""  # the good file: lines 2-10 are the group every case breaks, lines 11-18 a good one beside it
G = "groups[0]"
DATE_FIX = f"{DATE_FORM}: month 01-12, a day the month has"


@dataclass
class GroupCase:
    name: str
    content: str | Callable[[Path], None]  # groups.yaml's text, or a build step
    expected: list[str]
    loaded: tuple[str, ...] = ("league",)  # the groups still offered: the good one beside the bad one


def group_edit(old: str, new: str) -> str:
    assert old in GROUPS, old
    return GROUPS.replace(old, new, 1)


def groups_folder(data_dir: Path) -> None:
    (data_dir / "groups.yaml").mkdir()


GROUP_CASES = [
    GroupCase("members_a_number", group_edit("    members:\n      - {id: OKK, date: 1949-04-04}\n"
                                             "      - {id: TST, date: 2024-03}\n", "    members: 5\n"),
              [f"groups.yaml:8: {G}.members: expected a list, got 5 — write one entry per line, each starting with '- '"]),
    GroupCase("member_id_a_list", group_edit("{id: TST, date: 2024-03}", "{id: [TST], date: 2024-03}"),
              [f"groups.yaml:10: {G}.members[1].id: expected text, got ['TST'] — put the text in quotes"]),
    GroupCase("member_a_number", group_edit("{id: TST, date: 2024-03}", "7"),
              [f"groups.yaml:10: {G}.members[1]: expected a member's fields (id:, date:), got 7 — see the file header "
               "for the layout"]),
    GroupCase("month_13", group_edit("2024-03", "2024-13"),
              [f"groups.yaml:10: {G}.members[1].date: '2024-13' is not a real date — {DATE_FIX}"]),
    GroupCase("month_00", group_edit("2024-03", "2024-00"),
              [f"groups.yaml:10: {G}.members[1].date: '2024-00' is not a real date — {DATE_FIX}"]),
    GroupCase("day_32", group_edit("1949-04-04", "1949-04-32"),
              [f"groups.yaml:9: {G}.members[0].date: '1949-04-32' is not a real date — {DATE_FIX}"]),
    GroupCase("date_a_list", group_edit("date: 2024-03", "date: [2024]"),
              [f"groups.yaml:10: {G}.members[1].date: date must be a year or a date, got [2024] — {DATE_FORM}"]),
    GroupCase("group_id_is_an_entity_id", group_edit("id: pact", "id: okk"),
              [(f"groups.yaml:2: {G}.id: group id 'okk' is also the id of an entity (forces/OKK.yaml): a link or a "
                "picker could not tell them apart — give the group another id")]),
    GroupCase("empty_group", group_edit("    members:\n      - {id: OKK, date: 1949-04-04}\n"
                                        "      - {id: TST, date: 2024-03}\n", "    members: []\n"),
              [f"groups.yaml:8: {G}.members: a group with no members — list its members, or remove the group"]),
    GroupCase("sourced_to_a_secondary_report", group_edit("source: nato-member-countries", "source: reuters-pak-afg-2025-10"),
              [(f"groups.yaml:6: {G}.source: 'reuters-pak-afg-2025-10' is a report quoting others (kind: secondary) — "
                "cite the organisation's own membership page (a primary source, tier official)")]),
    GroupCase("member_sourced_to_a_secondary_report",
              group_edit("{id: TST, date: 2024-03}", "{id: TST, date: 2024-03, source: reuters-pak-afg-2025-10}"),
              [(f"groups.yaml:10: {G}.members[1].source: 'reuters-pak-afg-2025-10' is a report quoting others (kind: "
                "secondary) — cite the organisation's own membership page (a primary source, tier official)")]),
    GroupCase("unknown_source", group_edit("source: nato-member-countries", "source: nato"),
              [f"groups.yaml:6: {G}.source: unknown source 'nato' — add it to data/sources.yaml or fix the id"]),
    GroupCase("unknown_member", group_edit("{id: TST, date: 2024-03}", "{id: ZZZ, date: 2024-03}"),
              [(f"groups.yaml:10: {G}.members[1].id: unknown entity 'ZZZ' — create data/forces/ZZZ.yaml (python -m "
                "forcedata new ZZZ) or fix the id")]),
    GroupCase("member_twice", group_edit("{id: TST, date: 2024-03}", "{id: OKK, date: 2024-03}"),
              [f"groups.yaml:10: {G}.members[1].id: 'OKK' is listed twice in 'pact' — remove one of the two"]),
    GroupCase("duplicate_group_id", group_edit("id: league", "id: pact"),
              ["groups.yaml:11: groups[1].id: duplicate group id 'pact' (first at line 2) — give it a new id or merge "
               "the two"], loaded=("pact",)),
    GroupCase("unknown_kind", group_edit("kind: alliance", "kind: allianc"),
              [(f"groups.yaml:5: {G}.kind: got 'allianc'; expected one of 'alliance', 'organisation', 'dialogue' or "
                "'region' — use one of those words")]),
    GroupCase("unknown_field", group_edit("    kind: alliance\n", "    kind: alliance\n    colour: red\n"),
              [f"groups.yaml:6: {G}.colour: unknown field — remove it or fix its spelling (see the file header)"]),
    GroupCase("name_with_bidi_override", group_edit("name: Pact", 'name: "Pa\\u202ect"'),
              [(f"groups.yaml:3: {G}.name: holds the bidirectional control U+202E at character 3 — delete it: it "
                "changes the order in which the text around it is shown")]),
    GroupCase("empty_name", group_edit("name: Pact", 'name: ""'),
              [f"groups.yaml:3: {G}.name: is empty — write the text, or leave the field out if it is optional"]),
    GroupCase("group_a_number", group_edit("groups:\n", "groups:\n  - 5\n"),
              [("groups.yaml:2: groups[0]: expected a group's fields (id:, name:, members:, ...), got 5 — see the "
                "header of data/groups.yaml for the fields")], loaded=("pact", "league")),
    GroupCase("groups_a_number", "groups: 3\n",
              ["groups.yaml:1: groups: expected a list under 'groups:' — each group starts with '- id: ...'"],
              loaded=()),
    GroupCase("file_is_a_list", "- id: pact\n- id: league\n",
              ["groups.yaml:1: expected a mapping with 'groups:' — start the file with 'groups:' and list the groups "
               "under it"], loaded=()),
    GroupCase("file_is_a_folder", groups_folder,
              ["groups.yaml:1: is not a regular file — replace it with a regular file, or remove it from the data "
               "folder"], loaded=()),
    GroupCase("syntax_error", group_edit("name: Pact", "name: [Pact"),
              [f"groups.yaml:4: YAML syntax error: while parsing a flow sequence did not find expected ',' or ']' — "
               f"{SYNTAX_FIX}"], loaded=()),
]


def test_group_corpus_is_named_uniquely():
    names = [c.name for c in GROUP_CASES]
    assert len(names) >= 20 and len(set(names)) == len(names)


@pytest.mark.parametrize("case", GROUP_CASES, ids=lambda c: c.name)
def test_bad_groups_file_is_located_and_contained(case: GroupCase, data_dir: Path):
    """``forcedata validate`` lists each problem of groups.yaml at its line, exits 1 without a
    traceback, and the good group beside the bad one still loads (what the app offers)."""
    from forcedata.cli import main
    from forcedata.groups import load_groups
    from tests.conftest import run_main

    for eid in ("OKK", "TST"):
        entity_path(data_dir, eid).write_text(good(eid), encoding="utf-8")
    if callable(case.content):
        case.content(data_dir)
    else:
        (data_dir / "groups.yaml").write_text(case.content, encoding="utf-8")
    ran = run_main(main, "validate", "--data-dir", str(data_dir), cwd=data_dir)
    assert ran.stdout.splitlines() == case.expected
    assert ran.returncode == 1 and "Traceback" not in ran.stderr
    assert ran.stderr.startswith(f"{len(case.expected)} problem(s) in 1 file(s)")
    ds = load_dataset(data_dir)
    groups, _ = load_groups(data_dir / "groups.yaml", entities=ds.entities, sources=ds.sources)
    assert tuple(groups) == case.loaded  # the broken group is never offered; the good one is


def test_the_good_groups_file_is_clean(data_dir: Path):
    """Guard the group corpus: its base file passes, so every case's problem is its edit's."""
    from forcedata.groups import load_groups

    for eid in ("OKK", "TST"):
        entity_path(data_dir, eid).write_text(good(eid), encoding="utf-8")
    (data_dir / "groups.yaml").write_text(GROUPS, encoding="utf-8")
    ds = load_dataset(data_dir)
    groups, problems = load_groups(data_dir / "groups.yaml", entities=ds.entities, sources=ds.sources)
    assert problems == [] and list(groups) == ["pact", "league"]


# --- every file the command lines write -----------------------------------------------------------

@dataclass
class OutputCase:
    name: str
    args: list[str]
    expected: str  # the one line on standard error
    setup: Callable[[Path], None] = lambda folder: None


def read_only_png(folder: Path) -> None:
    (folder / "old.png").write_bytes(b"old")
    (folder / "old.png").chmod(0o444)


CHART = ["--entities", "PAK,AFG", "--family", "personnel"]
OUTPUT_CASES = [
    OutputCase("folder_missing", [*CHART, "--out", "missing/c.png"],
               "cannot write missing/c.png: the folder missing does not exist — create it, or add --mkdir"),
    OutputCase("out_dir_missing", [*CHART, "--format", "svg", "--out-dir", "slides"],
               "cannot write slides: the folder does not exist — create it, or add --mkdir"),
    OutputCase("deck_folder_missing", ["--entities", "PAK,AFG", "--out", "decks/brief.pptx"],
               "cannot write decks/brief.pptx: the folder decks does not exist — create it, or add --mkdir"),
    OutputCase("parent_is_a_file", [*CHART, "--out", "notes.txt/c.png"],
               "cannot write notes.txt/c.png: notes.txt is a file, not a folder — choose another path",
               setup=lambda folder: (folder / "notes.txt").write_text("x")),
    OutputCase("out_is_a_folder", [*CHART, "--out", "charts"],
               "cannot write charts: it is a folder — give a file name in it, e.g. charts/chart.png",
               setup=lambda folder: (folder / "charts").mkdir()),
    OutputCase("read_only_file", [*CHART, "--out", "old.png"],
               "cannot write old.png: the file is read-only — make it writable (chmod u+w) or choose another name",
               setup=read_only_png),
    OutputCase("extension_not_the_format", [*CHART, "--format", "svg", "--out", "chart.png"],
               "cannot write chart.png: its extension .png does not match --format svg — name it chart.svg, or leave "
               "out --format to take the format from the name"),
    OutputCase("extension_naming_no_format", [*CHART, "--out", "chart.jpg"],
               "cannot write chart.jpg: its extension .jpg names no format — end the name in .png, .svg or .pptx, or "
               "give --format"),
    OutputCase("no_extension", [*CHART, "--format", "png", "--out", "chart"],
               "cannot write chart: it has no extension, which does not match --format png — name it chart.png, or "
               "leave out --format to take the format from the name"),
]


def test_output_corpus_is_named_uniquely():
    names = [c.name for c in OUTPUT_CASES]
    assert len(names) >= 9 and len(set(names)) == len(names)


def test_a_full_disk_is_one_line_naming_the_device():
    """What every command's write meets on a full disk (/dev/full: a device, written in place)."""
    from forcedata.outputs import OutputError, write_file

    with pytest.raises(OutputError) as err:
        write_file("/dev/full", b"x" * 100_000)
    assert str(err.value) == "cannot write /dev/full: No space left on device"


def listing(folder: Path) -> dict[str, bytes | None]:
    return {str(p.relative_to(folder)): (p.read_bytes() if p.is_file() else None) for p in sorted(folder.rglob("*"))}


@pytest.mark.parametrize("case", OUTPUT_CASES, ids=lambda c: c.name)
def test_a_write_that_cannot_be_done_is_one_line_and_writes_nothing(case: OutputCase, tmp_path: Path):
    from tests.conftest import run_export

    case.setup(tmp_path)
    before = listing(tmp_path)
    ran = run_export(*case.args, cwd=tmp_path)
    assert ran.returncode == 2
    assert ran.stderr == case.expected + "\n" and "Traceback" not in ran.stderr
    assert listing(tmp_path) == before  # nothing written, nothing half-written, the old file untouched


def test_mkdir_creates_the_folder_and_the_format_follows_the_name(tmp_path: Path):
    from tests.conftest import require_chromium, run_export

    require_chromium()
    ran = run_export(*CHART, "--out", "new/folder/chart.svg", "--mkdir", cwd=tmp_path)
    assert ran.returncode == 0, ran.stderr
    assert [p for p in listing(tmp_path) if p.startswith("new")] == ["new", "new/folder", "new/folder/chart.svg"]
    assert (tmp_path / "new/folder/chart.svg").read_bytes().startswith(b"<svg")  # SVG, as the name says


def test_a_write_cut_short_leaves_no_partial_file(tmp_path: Path):
    """A disk that fills mid-write (here: a file size limit of 4 kB, below each JSON Schema's size)
    is one line naming the file and the OS reason, exit 2, and no partial file stays behind."""
    import resource
    import signal

    def small_files():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # NOTE: EFBIG from write() instead of a signal
        resource.setrlimit(resource.RLIMIT_FSIZE, (4096, 4096))

    out = tmp_path / "schemas"
    out.mkdir()
    result = subprocess.run([sys.executable, "-m", "forcedata", "schema", "--out", "schemas"], cwd=tmp_path,
                            capture_output=True, text=True, timeout=120, check=False, preexec_fn=small_files,
                            env=os.environ | {"PYTHONPATH": str(ROOT)})
    assert result.returncode == 2
    assert result.stderr == "cannot write schemas/entity.schema.json: File too large\n"
    assert list(out.iterdir()) == []


def test_a_closed_pipe_ends_the_export_quietly():
    """`python -m forcedata export | head -1`: no BrokenPipeError, the status a shell gives any tool
    stopped by SIGPIPE."""
    proc = subprocess.Popen([sys.executable, "-m", "forcedata", "export"], cwd=ROOT, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, env=os.environ | {"PYTHONPATH": str(ROOT)})
    assert proc.stdout.readline().startswith(b"entity,entity_name,")
    proc.stdout.close()  # NOTE: the reader goes away, as `head` does
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=120) == 141
    assert err == ""


# --- brief files: checked whole before anything is drawn -------------------------------------------

def test_a_brief_is_checked_whole_before_anything_is_drawn(data_dir: Path, monkeypatch):
    """Every problem, each at its line: an empty entity list beside a good one (it would give a
    title slide comparing nothing), an entity whose file is broken (named with its file), an
    unknown id; no deck is written."""
    from tests.conftest import run_export

    for eid in ("OKK", "ABC"):
        entity_path(data_dir, eid).write_text(good(eid), encoding="utf-8")
    entity_path(data_dir, "TST").write_text(good("TST").replace("kind: state", "kind: [state"), encoding="utf-8")
    (data_dir / "brief.yaml").write_text("title: Brief\ncomparisons:\n  - entities: []\n  - entities: [OKK, ABC]\n"
                                         "  - entities: [OKK, TST]\n  - entities: [OKK, ZZZ]\n", encoding="utf-8")
    monkeypatch.setenv("FORCEDATA_DATA_DIR", str(data_dir))
    ran = run_export("--brief", "brief.yaml", cwd=data_dir)
    assert ran.returncode == 2 and "Traceback" not in ran.stderr
    assert ran.stderr.splitlines()[1:] == [
        "brief.yaml:3: comparisons[0].entities: is empty — give 1 to 6 ids, e.g. [PAK, AFG], or remove the comparison",
        ("brief.yaml:5: comparisons[2].entities[1]: the data file of 'TST' (forces/TST.yaml) has errors, so it "
         "cannot be drawn — fix that file first (python -m forcedata validate lists its problems), or leave the id "
         "out"),
        ("brief.yaml:6: comparisons[3].entities[1]: unknown entity id 'ZZZ' — use an id from data/forces/ (ISO "
         "3166-1 alpha-3 such as PAK, or x-ttp); the Sources page lists them"),
        "3 problem(s) in the brief: nothing written",
    ]
    assert ran.stderr.startswith("warning: forces/TST.yaml:4: ")  # the broken file's own problem, first
    assert not (data_dir / "brief.pptx").exists()


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_planning_many_comparisons_shows_progress_on_a_terminal(real_dataset):
    """A brief of many comparisons is planned with a progress bar on a terminal (500 took over 90
    s in silence); elsewhere only the bar's final state is written."""
    from components.exports.deck import Comparison
    from components.exports.cli import plan_all

    comparisons = [Comparison(("PAK", "AFG"), ("personnel",)), Comparison(("IND", "PAK"), ("personnel",)),
                   Comparison(("x-ttp",), ("personnel",))]
    for stream, steps in ((Terminal(), [1, 2, 3]), (io.StringIO(), [3])):
        with contextlib.redirect_stderr(stream):
            plans = plan_all(real_dataset, comparisons)
        assert [len(charts) for _, charts in plans] == [1, 1, 1]
        shown = re.findall(r"\] (\d)/3 planned: ", stream.getvalue())
        assert [int(n) for n in shown] == steps


# --- over-long texts in exports: shortened with a mark, never squeezing the plot ---------------------

def test_an_over_long_source_title_is_shortened_in_an_export_never_squeezing_the_plot(real_dataset):
    """A 100 kB source title (refused by the validator: test case source_title_of_100_kB) reaching
    a chart anyway is cut with '…' in the footnote; the plot keeps its room and the footnote its
    last line (access date and data version)."""
    from components.views.charts import family_chart
    from components.views.layout import layout_for_export
    from forcedata.frame import default_values

    names = {"PAK": "Pakistan", "AFG": "Afghanistan"}
    rows = default_values(real_dataset.frame, list(names))
    rows = rows.assign(source_title="A very long title " * 5_600)  # 100,800 characters
    fig = family_chart(rows, names, "personnel", "0123456789")
    out = layout_for_export(fig, 1920, 1080)
    assert 1080 - out.layout.margin.t - out.layout.margin.b > 500  # px left to the plot
    foot = out.layout.annotations[-1].text.split("<br>")
    assert len(foot) == 12 and foot[-2].endswith("…")
    assert foot[-1].endswith("data version 0123456789 · military-balance dashboard")


def test_an_over_long_name_is_cut_on_the_axis_only(real_dataset):
    from components.views.charts import family_chart
    from forcedata.frame import default_values

    long = "Name " * 24  # 120 characters: the most a name may have
    names = {"PAK": long.strip(), "AFG": "Afghanistan"}
    fig = family_chart(default_values(real_dataset.frame, list(names)), names, "personnel", "0123456789")
    axis = fig.layout.yaxis
    assert list(axis.ticktext) == ["Name Name Name Name Name Name Name…", "Afghanistan"]
    assert list(axis.tickvals) == [long.strip(), "Afghanistan"]  # the bars keep the whole name
    assert fig.layout.margin.l < 600  # px: the whole name would take about 1,400
