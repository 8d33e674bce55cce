"""Fuzzing the loader: mutated data files are accepted or refused with located problems, and the
loader never raises (nor falls back on its catch-all "could not be read").

Mutations are byte and line edits of valid files: bytes replaced, inserted or deleted, lines
duplicated, deleted, swapped or re-indented, YAML punctuation, control characters, invalid UTF-8
and YAML 1.1 number forms inserted. Derandomized and bounded, so it is never flaky.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from forcedata.load import load_dataset
from tests.conftest import GOOD_ENTITY, ROOT

SEED = GOOD_ENTITY.format(id="TST") + """\
      - low: 900
        high: 1100
        qualifier: about
        as_of: 2024-06
        source: iiss-mb-2024
        note: "a range, \\"quoted\\""
  land:
    mbt:
      - status: not_known
        as_of: 2025
        source: iiss-mb-2025
        uncertain: true
series:
  spending:
    milex_usd:
      - source: sipri-milex-2025
        qualifier: estimate
        values:
          2022: 10.5
          2023: {value: 12, uncertain: true}
          2024: {status: not_known}
"""

PALETTE = [
    b": ", b"- ", b"[", b"]", b"{", b"}", b",", b"&a ", b"*a", b"!!str ", b"!foo ", b"<<: ", b"? ", b"'", b'"',
    b"#", b"|", b">", b"---\n", b"...\n", b"%YAML 1.1\n", b"\t", b"\n", b"  ", b"\\", b"%", b"@", b"`",
    b"\x00", b"\x07", b"\x0c", b"\x1b", b"\x7f", b"\r", b"\xc2\x85", b"\xe2\x80\xa8", b"\xef\xbb\xbf",
    b"\xff", b"\xc3", b"\xed\xa0\x80",
    b"010", b"0x10", b"0o17", b"0b101", b"1:30", b"1_000", b".inf", b"-.inf", b".nan", b"1e40", b"1e400",
    b"-1", b"yes", b"on", b"~", b"null", b"true", b"2025-13-45", b"1700", b"2099", b"1951x",
    b"1" * 5000, b"0" + b"7" * 500, b"value: ", b"low: ", b"high: ", b"as_of: ", b"source: ", b"status: not_known", b"id: ", b"x" * 2000,
]


@st.composite
def mutation(draw):
    kind = draw(st.sampled_from(["replace", "insert", "delete", "dup_line", "drop_line", "swap_lines",
                                 "indent", "dedent"]))
    return kind, draw(st.integers(0, 10**6)), draw(st.integers(0, 10**6)), draw(st.integers(0, 255)), \
        draw(st.sampled_from(PALETTE))


def mutate(text: bytes, edits: list) -> bytes:
    for kind, a, b, byte, piece in edits:
        if kind in ("replace", "insert", "delete"):
            i = a % (len(text) + 1)
            if kind == "replace" and text:
                i = a % len(text)
                text = text[:i] + bytes([byte]) + text[i + 1:]
            elif kind == "insert":
                text = text[:i] + piece + text[i:]
            elif kind == "delete":
                text = text[:i] + text[i + 1 + b % 40:]
            continue
        lines = text.split(b"\n")
        i, j = a % len(lines), b % len(lines)
        if kind == "dup_line":
            lines.insert(j, lines[i])
        elif kind == "drop_line":
            del lines[i]
        elif kind == "swap_lines":
            lines[i], lines[j] = lines[j], lines[i]
        elif kind == "indent":
            lines[i] = b" " * (1 + b % 4) + lines[i]
        elif kind == "dedent":
            lines[i] = lines[i][1 + b % 4:] if lines[i][:1] == b" " else lines[i]
        text = b"\n".join(lines)
    return text


FUZZ = settings(max_examples=150, deadline=None, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@pytest.fixture(scope="module")
def fuzz_dir(tmp_path_factory) -> Iterator[Path]:
    """One data folder for every example (hypothesis reruns the body, not the fixture)."""
    root = tmp_path_factory.mktemp("fuzz")
    for name in ("sources.yaml", "metrics.yaml"):
        shutil.copy(ROOT / "data" / name, root / name)
    (root / "forces").mkdir()
    (root / "forces" / "OKK.yaml").write_text(GOOD_ENTITY.format(id="OKK"), encoding="utf-8")
    # NOTE: from the data folder every file is named forces/TST.yaml, wherever pytest runs
    before = os.getcwd()
    os.chdir(root)
    yield root
    os.chdir(before)


def check_problems(ds, allowed_files: set[str]) -> None:
    for p in ds.problems:
        assert p.file in allowed_files, p
        assert isinstance(p.line, int) and p.line >= 1, p
        assert isinstance(p.message, str) and p.message.strip(), p
        # NOTE: the catch-alls (load_dataset's per file, parse_yaml's per value) turn an
        # unexpected exception into "could not be read ..."; they must never be needed.
        assert not p.message.startswith("could not be read"), p


def test_seed_file_is_valid(fuzz_dir: Path):
    """Guard the fuzzer: unmutated, the seed loads with no problems and every value in it."""
    (fuzz_dir / "forces" / "TST.yaml").write_text(SEED, encoding="utf-8")
    ds = load_dataset(fuzz_dir)
    assert ds.problems == []
    assert len(ds.frame[ds.frame["entity"] == "TST"]) == 6


@FUZZ
@given(st.lists(mutation(), min_size=1, max_size=6))
def test_mutated_entity_file_is_accepted_or_located(fuzz_dir: Path, edits: list):
    (fuzz_dir / "forces" / "TST.yaml").write_bytes(mutate(SEED.encode(), edits))
    ds = load_dataset(fuzz_dir)  # must not raise
    check_problems(ds, {"forces/TST.yaml"})
    assert "OKK" in ds.entities  # the good file beside it is always served


@settings(FUZZ, max_examples=40)
@given(st.lists(mutation(), min_size=1, max_size=4))
def test_mutated_catalogue_is_accepted_or_located(fuzz_dir: Path, edits: list):
    original = (ROOT / "data" / "metrics.yaml").read_bytes()
    (fuzz_dir / "forces" / "TST.yaml").write_text(GOOD_ENTITY.format(id="TST"), encoding="utf-8")
    try:
        (fuzz_dir / "metrics.yaml").write_bytes(mutate(original, edits))
        ds = load_dataset(fuzz_dir)  # must not raise
        check_problems(ds, {"metrics.yaml", "forces/TST.yaml", "forces/OKK.yaml"})
    finally:
        (fuzz_dir / "metrics.yaml").write_bytes(original)
