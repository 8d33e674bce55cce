"""The maintainer's year, rehearsed: MAINTAINING.md's commands run as written, in order, on a copy
of the data and a next-year release built from the test fixtures.

The commands and registry entries are read from MAINTAINING.md (the fenced blocks of each section
marked "rehearsed"), never copied here: a change to the documentation without the code, or to
the code without the documentation, fails these tests. What a maintainer does by hand between
two commands (adding the alias the importer names, filling in the scaffolded values) is done here
where the documentation says it happens: after the command that asks for it.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import shlex
import shutil
import subprocess
import textwrap
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from forcedata.cli import main
from forcedata.importers import countries
from forcedata.load import load_dataset
from tests.conftest import ROOT, Ran, run_main
from tests.releases import NEW_COUNTRY, NEXT_YEAR, REVISED, build_next_year_workbook, build_workbook

MAINTAINING = ROOT / "MAINTAINING.md"
SIPRI_SECTION = "A new SIPRI Military Expenditure release (every April)"
IISS_SECTION = "A new IISS Military Balance (every February)"
GIT_ENV = {"GIT_AUTHOR_NAME": "Rehearsal", "GIT_AUTHOR_EMAIL": "rehearsal@example.org",
           "GIT_COMMITTER_NAME": "Rehearsal", "GIT_COMMITTER_EMAIL": "rehearsal@example.org"}


# --- MAINTAINING.md, read as the maintainer reads it ---------------------------------------------


def section(heading: str) -> str:
    """The text under ``## heading`` (up to the next ``## ``), which must be marked rehearsed."""
    text = MAINTAINING.read_text(encoding="utf-8")
    start = text.index(f"\n## {heading}\n")
    end = text.find("\n## ", start + 1)
    body = text[start:end if end > 0 else None]
    assert "<!-- rehearsed: tests/test_rehearsal.py::" in body, f"MAINTAINING.md: '{heading}' is not marked rehearsed"
    return body


def fenced_blocks(body: str) -> list[tuple[str, str]]:
    """(language, text) of each fenced block, in order, indentation removed."""
    found = re.findall(r"^( *)```(\w+)\n(.*?)^\1```$", body, flags=re.M | re.S)
    return [(lang, textwrap.dedent(text)) for _, lang, text in found]


def commands(block: str) -> list[str]:
    return [line.strip() for line in block.splitlines() if line.strip() and not line.strip().startswith("#")]


class Maintainer:
    """Runs MAINTAINING.md's commands in a work folder whose data/ is a git repository."""

    def __init__(self, work: Path, monkeypatch, files: dict[str, Path]):
        self.work, self.files, self.log = work, files, []
        monkeypatch.setenv("FORCEDATA_DATA_DIR", str(work / "data"))

    def run(self, line: str) -> Ran:
        argv = shlex.split(line, comments=True)
        argv = [str(self.files.get(a, a)) for a in argv]
        unknown = [a for a in argv if a.startswith("PATH/TO/")]
        assert not unknown, f"MAINTAINING.md names a file the rehearsal does not know: {unknown}"
        if argv[:3] == ["python", "-m", "forcedata"]:
            ran = run_main(main, *argv[3:], cwd=self.work)
        elif argv == ["bash", ".ci/run"]:
            ran = Ran(0, "not run here: it runs this test suite")
        elif argv[0] == "git":
            proc = subprocess.run(argv, cwd=self.work, capture_output=True, text=True, check=False,
                                  env={"PATH": "/usr/bin:/bin", "HOME": str(self.work), **GIT_ENV})
            ran = Ran(proc.returncode, proc.stderr, proc.stdout)
        else:
            pytest.fail(f"MAINTAINING.md runs {line!r}, which the rehearsal does not know: teach tests/test_rehearsal.py")
        self.log.append((line, ran))
        return ran

    def output(self, verb: str) -> str:
        """Everything the commands with ``verb`` (import, diff, validate, ...) printed."""
        return "\n".join(r.stdout + r.stderr for line, r in self.log if f"forcedata {verb}" in line)


def add_registry_entries(data: Path, yaml_block: str) -> list[str]:
    """Append a YAML block of registry entries to data/sources.yaml (as the maintainer pastes it)."""
    path = data / "sources.yaml"
    path.write_text(path.read_text(encoding="utf-8").rstrip("\n") + "\n\n" + textwrap.indent(yaml_block, "  "),
                    encoding="utf-8")
    return re.findall(r"^- id: (\S+)$", yaml_block, flags=re.M)


def work_folder(tmp_path: Path, entities: dict[str, str]) -> Path:
    """work/data: the project's registry and catalogue and the given entity files, committed."""
    data = tmp_path / "work" / "data"
    (data / "forces").mkdir(parents=True)
    for name in ("sources.yaml", "metrics.yaml"):
        shutil.copy(ROOT / "data" / name, data / name)
    for eid, text in entities.items():
        (data / "forces" / f"{eid}.yaml").write_text(text, encoding="utf-8")
    return data


def commit(work: Path, message: str) -> None:
    for argv in (["git", "init", "-q"], ["git", "add", "data"], ["git", "commit", "-q", "-m", message]):
        subprocess.run(argv, cwd=work, check=True, capture_output=True,
                       env={"PATH": "/usr/bin:/bin", "HOME": str(work), **GIT_ENV})


def newest_year_on_compare_page(ids: list[str], family_title: str) -> int:
    """The newest year the compare page's chart of a family says its figures are as of."""
    at = AppTest.from_file(str(ROOT / "app_pages" / "compare.py"), default_timeout=300)
    at.query_params["c"] = ",".join(ids)
    at.run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    metas = [json.loads(c.proto.spec)["layout"].get("meta", {}) for c in at.get("plotly_chart")]
    [meta] = [m for m in metas if str(m.get("title", "")).startswith(family_title)]
    years = re.match(r"Figures as of (\d{4})(?:–(\d{4}))?", meta["subtitle"])
    return int(years[2] or years[1])


# --- SIPRI Milex, every April ---------------------------------------------------------------------

PAK_MILEX = """\
# Hand-written header comment that must survive.
id: PAK
name: Pakistan
kind: state
observations:
  spending:
    milex_usd:
      # a single figure of the 2025 edition, as a report quoted it: it stays
      - value: 10200
        qualifier: about
        as_of: 2024
        source: sipri-milex-2025
"""


def test_sipri_milex_release(tmp_path, monkeypatch):
    data = work_folder(tmp_path, {"PAK": PAK_MILEX})
    assert main(["import", "sipri-milex", str(build_workbook(tmp_path / "this-year.xlsx")),
                 "--data-dir", str(data)]) == 0  # the data as it stands: this year's edition imported
    commit(data.parent, "this year")
    workbook = build_next_year_workbook(tmp_path / "SIPRI-Milex-data-1949-2025.xlsx")
    maintainer = Maintainer(data.parent, monkeypatch, {"PATH/TO/workbook.xlsx": workbook})
    alias_added = None
    added_ids = []
    for lang, block in fenced_blocks(section(SIPRI_SECTION)):
        if lang == "yaml":
            added_ids += add_registry_entries(data, block)
            continue
        lines = commands(block)
        i = 0
        while i < len(lines):
            ran = maintainer.run(lines[i])
            if ran.returncode != 0 and alias_added is None and "add to ALIASES:" in ran.stderr:
                # the renamed country stops the import with the alias to add: add it, run the block again
                alias_added = re.search(r'add to ALIASES:\s+"([^"]+)": "([^"]+)",', ran.stderr).groups()
                assert "Nothing was written" in ran.stderr
                monkeypatch.setitem(countries.ALIASES, *alias_added)
                i = 0
                continue
            assert ran.returncode == 0, f"{lines[i]}\n{ran.stdout}\n{ran.stderr}"
            i += 1
    new_edition = added_ids[0]
    assert alias_added == ("korea, dpr", "PRK")
    ran_lines = [line for line, _ in maintainer.log]
    assert any("--dry-run" in line for line in ran_lines) and any("forcedata validate" in line for line in ran_lines)

    # the values cite the new edition; the old edition's series are replaced, its observation stays
    frame = load_dataset(data).frame
    pak = frame[(frame.entity == "PAK") & frame.metric.str.startswith("spending.")]
    assert set(pak[pak.from_series].source) == {new_edition}
    assert pak[~pak.from_series][["source", "as_of"]].values.tolist() == [["sipri-milex-2025", "2024"]]
    assert str(NEXT_YEAR) in set(pak[pak.from_series].as_of)
    assert "# Hand-written header comment that must survive." in (data / "forces" / "PAK.yaml").read_text(encoding="utf-8")

    # the diff lists the added year, the revision and the new country
    diff = maintainer.output("diff")
    sheet, country, year, value = REVISED
    assert f"+ spending.milex_usd {NEXT_YEAR}: " in diff
    assert f"~ spending.milex_usd {year}: 8,626.158 est. -> {value:,.0f} est. US$ m (current); {new_edition} (series)" in diff
    assert f"{NEW_COUNTRY[1]} {NEW_COUNTRY[0]}: " in diff and "PRK North Korea" in diff
    assert "OK:" in maintainer.output("validate")
    log = subprocess.run(["git", "log", "--oneline"], cwd=data.parent, capture_output=True, text=True, check=True)
    assert len(log.stdout.splitlines()) == 2  # committed

    # the compare page shows the new year as the newest
    assert newest_year_on_compare_page(["PAK", NEW_COUNTRY[1]], "Military expenditure") == NEXT_YEAR


# --- IISS Military Balance, every February: entered by hand ---------------------------------------

PAK_IISS = """\
id: PAK
name: Pakistan
kind: state
observations:
  personnel:
    active:
      - value: 654000
        as_of: 2024
        source: iiss-mb-2024
      - value: 660000
        as_of: 2025
        source: iiss-mb-2025
        via: reuters-pak-afg-2025-10
        quote: "660,000 active personnel"
  land:
    mbt:
      - value: 2537
        as_of: 2025
        source: iiss-mb-2025
        via: reuters-pak-afg-2025-10
"""

AFG_IISS = """\
id: AFG
name: Afghanistan
kind: state
observations:
  personnel:
    active:
      - value: 172000
        as_of: 2025
        source: iiss-mb-2025
        via: reuters-pak-afg-2025-10
"""

STUB = re.compile(r"^( +)- value:\n\1  as_of: (\d+)\n\1  source: (\S+)\n\1  via:\n\1  quote:\n", re.M)


def fill_in_by_hand(path: Path, via: str, figures: list[int | None]) -> None:
    """Each stub of the file gets its figure, via and quote (None: no figure found, deleted)."""
    text = path.read_text(encoding="utf-8")
    stubs = list(STUB.finditer(text))
    assert len(stubs) == len(figures), (path.name, len(stubs))
    for m, figure in reversed(list(zip(stubs, figures))):
        pad = m[1]
        filled = (f"{pad}- value: {figure}\n{pad}  qualifier: about\n{pad}  as_of: {m[2]}\n{pad}  source: {m[3]}\n"
                  f"{pad}  via: {via}\n{pad}  quote: \"about {figure:,}\"\n") if figure is not None else ""
        text = text[:m.start()] + filled + text[m.end():]
    path.write_text(text, encoding="utf-8")


def test_iiss_edition_by_hand(tmp_path, monkeypatch):
    # NOTE: the rehearsal is next February's work: the checks' today is the day MAINTAINING.md's
    # example entry was read (an access date after today is refused)
    monkeypatch.setattr("forcedata.schema.today", lambda: dt.date(2027, 2, 20))
    data = work_folder(tmp_path, {"PAK": PAK_IISS, "AFG": AFG_IISS})
    commit(data.parent, "this year")
    maintainer = Maintainer(data.parent, monkeypatch, {})
    edition = report = new_entity = None
    stubs_before_filling = ""
    for lang, block in fenced_blocks(section(IISS_SECTION)):
        if lang == "yaml":
            edition, report = add_registry_entries(data, block)
            continue
        for line in commands(block):
            ran = maintainer.run(line)
            assert ran.returncode == 0, f"{line}\n{ran.stdout}\n{ran.stderr}"
            argv = shlex.split(line)
            if argv[3:5] == ["scaffold", edition] and "--dry-run" not in argv:
                # what validate says of the values still to fill in, then the hand entry
                stubs_before_filling = run_main(main, "validate", cwd=data.parent).stdout
                fill_in_by_hand(data / "forces" / "PAK.yaml", report, [670000, None])  # no tank figure found
                fill_in_by_hand(data / "forces" / "AFG.yaml", report, [150000])
            if argv[3:4] == ["new"]:
                new_entity = argv[4]
                path = data / "forces" / f"{new_entity}.yaml"
                text = path.read_text(encoding="utf-8").replace("observations: {}\n", (
                    "observations:\n  personnel:\n    active:\n      - value: 8000\n        qualifier: about\n"
                    f"        as_of: 2027\n        source: {edition}\n        via: {report}\n"
                    '        quote: "about 8,000"\n'))
                path.write_text(text, encoding="utf-8")
    assert edition and report and new_entity, "MAINTAINING.md's IISS section lost a registry entry or the new command"

    # before filling in, validate named every scaffolded value (PAK: active and tanks; AFG: active)
    assert stubs_before_filling.count("give value, or both low and high") == 3
    assert "forces/PAK.yaml:" in stubs_before_filling and "forces/AFG.yaml:" in stubs_before_filling

    # the values cite the new edition, beside the old ones, and are shown by default
    frame = load_dataset(data).frame
    shown = frame[frame.is_default & (frame.metric == "personnel.active")].set_index("entity")
    assert shown.loc[["PAK", "AFG", new_entity], "source"].tolist() == [edition] * 3
    assert shown.loc["PAK", "value"] == 670000 and shown.loc["PAK", "via"] == report
    pak = frame[(frame.entity == "PAK") & (frame.metric == "personnel.active")]
    assert set(pak.source) == {"iiss-mb-2024", "iiss-mb-2025", edition}
    tanks = frame[(frame.entity == "PAK") & (frame.metric == "land.mbt")]
    assert set(tanks.source) == {"iiss-mb-2025"}  # the deleted stub left nothing behind

    # the diff lists the new values; validate is clean; the work is committed
    diff = maintainer.output("diff")
    assert f"+ personnel.active 2027: ≈ 670,000 people; {edition} via {report}" in diff
    assert f"{new_entity} Bhutan: 1 added" in diff
    assert "OK:" in maintainer.output("validate")
    log = subprocess.run(["git", "log", "--oneline"], cwd=data.parent, capture_output=True, text=True, check=True)
    assert len(log.stdout.splitlines()) == 2

    # the compare page shows the new year as the newest
    assert newest_year_on_compare_page(["PAK", "AFG", new_entity], "Personnel") == 2027


# --- generated, not pasted ------------------------------------------------------------------------


def test_maintaining_points_to_the_coverage_command_instead_of_pasting_it():
    text = MAINTAINING.read_text(encoding="utf-8")
    assert "`python -m forcedata coverage`" in text and "Data health page" in text
    pasted = re.findall(r"^\s*\S+: \d+/\d+ sourced$", text, flags=re.M)
    assert pasted == [], "MAINTAINING.md pastes coverage output: it goes stale; point to the command"
