"""The data folder's one fingerprint (forcedata/fingerprint.py): by content, framed, groups.yaml
included; the data version, the compiled cache and the app's change check all use it."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from forcedata import fingerprint
from forcedata.fingerprint import data_fingerprint
from forcedata.load import load_dataset
from tests.conftest import GOOD_ENTITY, ROOT


def _tree(root: Path, files: dict[str, str]) -> Path:
    (root / "forces").mkdir(parents=True)
    for name in ("sources.yaml", "metrics.yaml"):
        (root / name).write_bytes((ROOT / "data" / name).read_bytes())
    for name, text in files.items():
        (root / name).write_text(text, encoding="utf-8")
    return root


def test_trees_that_split_the_same_bytes_differently_get_different_versions(tmp_path):
    """Names and contents are framed by their lengths: 'A.yaml' holding 'XB.yamlY' is not 'A.yaml'
    holding 'X' beside 'B.yaml' holding 'Y' (the same bytes, one after the other)."""
    one = _tree(tmp_path / "one", {"forces/A.yaml": "XB.yamlY"})
    two = _tree(tmp_path / "two", {"forces/A.yaml": "X", "forces/B.yaml": "Y"})
    assert load_dataset(one).version != load_dataset(two).version
    assert data_fingerprint(one) != data_fingerprint(two)


def test_a_change_to_groups_yaml_changes_the_version(data_dir, write_entity):
    write_entity("TST", GOOD_ENTITY.format(id="TST"))
    before = load_dataset(data_dir).version
    (data_dir / "groups.yaml").write_text("groups: []\n", encoding="utf-8")
    added = load_dataset(data_dir).version
    (data_dir / "groups.yaml").write_text("groups: [] \n", encoding="utf-8")
    edited = load_dataset(data_dir).version
    assert len({before, added, edited}) == 3


def test_the_version_is_the_fingerprint_and_ignores_file_times(data_dir, write_entity):
    path = write_entity("TST", GOOD_ENTITY.format(id="TST"))
    ds = load_dataset(data_dir)
    assert ds.version == data_fingerprint(data_dir).version and len(ds.version) == 10
    os.utime(path, ns=(1, 1))
    assert load_dataset(data_dir).version == ds.version  # a touch is no change
    (data_dir / "forces" / "notes.txt").write_text("x", encoding="utf-8")  # a stray is reported: data too
    assert load_dataset(data_dir).version != ds.version


def test_an_edit_that_restores_the_file_time_is_seen_through_the_remembered_digests(data_dir, write_entity,
                                                                                    monkeypatch):
    """Digests are reused while a file's status is unchanged; an edit that puts the mtime back
    still changes the ctime, so the file is read again."""
    path = write_entity("TST", GOOD_ENTITY.format(id="TST"))
    monkeypatch.setattr(fingerprint.time, "time", lambda: time.time_ns() / 1e9 + 3600)  # every file "old"
    first = data_fingerprint(data_dir)
    assert str(path.resolve()) in {os.path.realpath(p) for p in fingerprint._memo}  # remembered
    before = path.stat()
    for _ in range(100_000):  # NOTE: until the file system's clock has ticked (a condition, bounded)
        path.write_text(GOOD_ENTITY.format(id="TST").replace("1000", "2000"), encoding="utf-8")
        os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
        if path.stat().st_ctime_ns != before.st_ctime_ns:
            break
    after = path.stat()
    assert (after.st_size, after.st_mtime_ns, after.st_ino) == (before.st_size, before.st_mtime_ns, before.st_ino)
    assert data_fingerprint(data_dir) != first


def test_a_digest_taken_right_after_a_change_is_not_reused(data_dir, write_entity, monkeypatch):
    """A file hashed within RACY_SECONDS of its change is read again next time, even if its
    status looks the same (a second write within the clock's granularity)."""
    path = write_entity("TST", GOOD_ENTITY.format(id="TST"))
    status = os.lstat(path)
    first = data_fingerprint(data_dir)
    path.write_text(GOOD_ENTITY.format(id="TST").replace("1000", "2000"), encoding="utf-8")
    real = os.lstat
    monkeypatch.setattr(fingerprint.os, "lstat", lambda p: status if os.path.samefile(p, path) else real(p))
    assert data_fingerprint(data_dir) != first


def test_links_and_special_files_are_named_never_read(data_dir, write_entity):
    write_entity("TST", GOOD_ENTITY.format(id="TST"))
    plain = data_fingerprint(data_dir)
    assert plain.plain
    (data_dir / "forces" / "ZERO.yaml").symlink_to("/dev/zero")
    started = time.perf_counter()
    linked = data_fingerprint(data_dir)
    assert time.perf_counter() - started < 5  # NOTE: a generous bound: reading /dev/zero never ends
    assert not linked.plain and linked != plain


def test_entity_paths_fingerprint_only_those_files(data_dir, write_entity):
    one = write_entity("ONE", GOOD_ENTITY.format(id="ONE"))
    write_entity("TWO", GOOD_ENTITY.format(id="TWO"))
    assert data_fingerprint(data_dir, [one]) != data_fingerprint(data_dir)
    assert load_dataset(data_dir, [one]).version == data_fingerprint(data_dir, [one]).version


@pytest.mark.parametrize("name", ["sources.yaml", "metrics.yaml", "groups.yaml"])
def test_every_registry_file_counts(data_dir, name):
    before = data_fingerprint(data_dir)
    path = data_dir / name
    path.write_bytes((path.read_bytes() if path.exists() else b"") + b"\n# edited\n")
    assert data_fingerprint(data_dir) != before
