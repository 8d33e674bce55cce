"""The compiled dataset cache: a second load of unchanged files skips validation, any changed
byte (or a file that is not a plain regular file) takes the full path; the app's shared dataset
is read-only."""

from __future__ import annotations

import os

import pandas as pd
import pytest

from forcedata import load
from forcedata.load import load_dataset
from tests.conftest import GOOD_ENTITY


@pytest.fixture
def cache(tmp_path, monkeypatch):
    folder = tmp_path / "cache"
    monkeypatch.setenv("FORCEDATA_CACHE_DIR", str(folder))
    return folder


def _no_validation(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("validated again although nothing changed")
    monkeypatch.setattr(load, "_load_dataset", refuse)


def test_unchanged_files_are_read_back_without_validation(data_dir, write_entity, cache, monkeypatch):
    write_entity("TST", GOOD_ENTITY.format(id="TST"))
    first = load_dataset(data_dir)
    assert list(cache.glob("dataset-*.pickle"))
    _no_validation(monkeypatch)
    second = load_dataset(data_dir)
    pd.testing.assert_frame_equal(first.frame, second.frame)
    assert second.version == first.version and set(second.entities) == {"TST"}


def test_a_changed_byte_invalidates_the_cache(data_dir, write_entity, cache):
    path = write_entity("TST", GOOD_ENTITY.format(id="TST"))
    assert load_dataset(data_dir).frame["value"].tolist() == [1000]
    path.write_text(GOOD_ENTITY.format(id="TST").replace("1000", "2000"), encoding="utf-8")
    os.utime(path, ns=(0, 0))  # NOTE: same size, old mtime: only the content says it changed
    assert load_dataset(data_dir).frame["value"].tolist() == [2000]


def test_problems_are_kept_and_a_new_file_is_seen(data_dir, write_entity, cache):
    write_entity("TST", GOOD_ENTITY.format(id="TST"))
    write_entity("BAD", "id: BAD\nname: [unclosed\n")
    first = load_dataset(data_dir)
    assert first.problems
    assert [str(p) for p in load_dataset(data_dir).problems] == [str(p) for p in first.problems]
    write_entity("NEW", GOOD_ENTITY.format(id="NEW"))
    assert "NEW" in load_dataset(data_dir).entities


def test_a_link_is_never_cached(data_dir, write_entity, cache, monkeypatch):
    real = write_entity("TST", GOOD_ENTITY.format(id="TST"))
    (data_dir / "forces" / "LNK.yaml").symlink_to(real)
    load_dataset(data_dir)
    assert not list(cache.glob("dataset-*.pickle"))


@pytest.mark.parametrize("value", ["off", ""])
def test_the_cache_can_be_turned_off(data_dir, write_entity, tmp_path, monkeypatch, value):
    monkeypatch.setenv("FORCEDATA_CACHE_DIR", value)
    write_entity("TST", GOOD_ENTITY.format(id="TST"))
    load_dataset(data_dir)
    load_dataset(data_dir)
    assert load.cache_dir() is None
    assert not list(tmp_path.rglob("dataset-*.pickle"))


def test_a_broken_cache_file_is_rebuilt(data_dir, write_entity, cache):
    write_entity("TST", GOOD_ENTITY.format(id="TST"))
    load_dataset(data_dir)
    for f in cache.glob("dataset-*.pickle"):
        f.write_bytes(b"not a pickle")
    assert set(load_dataset(data_dir).entities) == {"TST"}


def test_the_shared_dataset_is_read_only(real_dataset):
    frame = real_dataset.frame
    with pytest.raises(ValueError, match="read-only"):
        frame.loc[frame.index[0], "value"] = -1.0
    # derived frames are the caller's own
    mine = frame[frame["entity"] == "PAK"].copy()
    mine.loc[mine.index[0], "value"] = -1.0
    assert (frame["value"] != -1.0).all()


def test_the_cycle_collector_is_paused_during_a_load_and_restored(data_dir, write_entity, monkeypatch):
    import gc

    write_entity("TST", GOOD_ENTITY.format(id="TST"))
    seen = []
    real = load._load_dataset
    monkeypatch.setattr(load, "_load_dataset", lambda *a: seen.append(gc.isenabled()) or real(*a))
    monkeypatch.setenv("FORCEDATA_CACHE_DIR", "off")
    assert gc.isenabled()
    load.load_dataset(data_dir)
    assert seen == [False] and gc.isenabled()
    gc.disable()
    try:
        load.load_dataset(data_dir)
        assert not gc.isenabled()  # a caller's choice is kept
    finally:
        gc.enable()
