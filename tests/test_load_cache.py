"""The compiled dataset cache (forcedata/cache.py): a second load of unchanged files skips
validation and gives back the same Dataset, dtypes included; any changed byte (or a file that is
not a plain regular file) takes the full path; the cache holds Arrow IPC and JSON only, from a
folder nobody else can write; a damaged cache file is rebuilt with a warning. The app's shared
dataset is read-only."""

from __future__ import annotations

import dataclasses
import json
import logging
import os
import re
import subprocess

import pandas as pd
import pytest

from forcedata import cache, load
from forcedata.load import load_dataset
from tests.conftest import GOOD_ENTITY, ROOT


@pytest.fixture
def cache_folder(tmp_path, monkeypatch):
    folder = tmp_path / "cache"
    monkeypatch.setenv("FORCEDATA_CACHE_DIR", str(folder))
    return folder


def _no_validation(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("validated again although nothing changed")
    monkeypatch.setattr(load, "_load_dataset", refuse)


def _cache_files(folder) -> list[str]:
    return sorted(p.suffix for p in folder.glob("dataset-*"))


def test_unchanged_files_are_read_back_without_validation(data_dir, write_entity, cache_folder, monkeypatch):
    write_entity("TST", GOOD_ENTITY.format(id="TST"))
    first = load_dataset(data_dir)
    assert _cache_files(cache_folder) == [".arrow", ".json"]
    _no_validation(monkeypatch)
    second = load_dataset(data_dir)
    pd.testing.assert_frame_equal(first.frame, second.frame)
    assert second.version == first.version and set(second.entities) == {"TST"}


def test_a_cached_load_is_the_uncached_load(cache_folder, monkeypatch):
    """The bundled data read back from the cache equals a load without it: the frame with its
    dtypes (categorical and Arrow-backed text columns, scope and scope_label), and every other
    field of the Dataset (models, entities with their values and series, problems, version)."""
    from forcedata.fingerprint import data_fingerprint

    monkeypatch.setenv("FORCEDATA_CACHE_DIR", "off")
    uncached = load_dataset(ROOT / "data")
    monkeypatch.setenv("FORCEDATA_CACHE_DIR", str(cache_folder))
    cache.write(ROOT / "data", cache.cache_key(ROOT / "data", data_fingerprint(ROOT / "data")), uncached)
    _no_validation(monkeypatch)
    cached = load_dataset(ROOT / "data")
    frame = uncached.frame
    assert {"scope", "scope_label"} <= set(frame.columns) and frame["scope"].notna().any()
    assert (frame.dtypes == "category").sum() >= 5 and (frame.dtypes == "str").sum() >= 10
    pd.testing.assert_frame_equal(cached.frame, frame, check_dtype=True, check_categorical=True, check_exact=True)
    for field in dataclasses.fields(load.Dataset):
        if field.name != "frame":
            assert getattr(cached, field.name) == getattr(uncached, field.name), field.name
    pak = cached.entities["PAK"]
    assert pak.series and pak.values and pak.series[0][1].model_fields_set == uncached.entities["PAK"].series[0][1].model_fields_set
    assert cached.scopes and uncached.scopes


def test_a_changed_byte_invalidates_the_cache(data_dir, write_entity, cache_folder):
    path = write_entity("TST", GOOD_ENTITY.format(id="TST"))
    assert load_dataset(data_dir).frame["value"].tolist() == [1000]
    path.write_text(GOOD_ENTITY.format(id="TST").replace("1000", "2000"), encoding="utf-8")
    os.utime(path, ns=(0, 0))  # NOTE: same size, old mtime: only the content says it changed
    assert load_dataset(data_dir).frame["value"].tolist() == [2000]


def test_problems_are_kept_and_a_new_file_is_seen(data_dir, write_entity, cache_folder):
    write_entity("TST", GOOD_ENTITY.format(id="TST"))
    write_entity("BAD", "id: BAD\nname: [unclosed\n")
    first = load_dataset(data_dir)
    assert first.problems
    assert [str(p) for p in load_dataset(data_dir).problems] == [str(p) for p in first.problems]
    write_entity("NEW", GOOD_ENTITY.format(id="NEW"))
    assert "NEW" in load_dataset(data_dir).entities


def test_a_link_is_never_cached(data_dir, write_entity, cache_folder):
    real = write_entity("TST", GOOD_ENTITY.format(id="TST"))
    (data_dir / "forces" / "LNK.yaml").symlink_to(real)
    load_dataset(data_dir)
    assert _cache_files(cache_folder) == []


@pytest.mark.parametrize("value", ["off", ""])
def test_the_cache_can_be_turned_off(data_dir, write_entity, tmp_path, monkeypatch, value):
    monkeypatch.setenv("FORCEDATA_CACHE_DIR", value)
    write_entity("TST", GOOD_ENTITY.format(id="TST"))
    load_dataset(data_dir)
    load_dataset(data_dir)
    assert cache.cache_dir() is None
    assert not list(tmp_path.rglob("dataset-*"))


@pytest.mark.parametrize("damage", [
    pytest.param(lambda p: p.write_bytes(p.read_bytes()[: len(p.read_bytes()) // 2]), id="truncated"),
    pytest.param(lambda p: p.write_bytes(b"\x00" * 64), id="garbage"),
    pytest.param(lambda p: p.unlink(), id="missing"),
])
@pytest.mark.parametrize("suffix", [".json", ".arrow"])
def test_a_damaged_cache_file_is_ignored_with_a_warning_and_rebuilt(data_dir, write_entity, cache_folder,
                                                                     caplog, damage, suffix):
    write_entity("TST", GOOD_ENTITY.format(id="TST"))
    load_dataset(data_dir)
    [path] = cache_folder.glob(f"dataset-*{suffix}")
    damage(path)
    warned = path.exists() or suffix == ".arrow"  # NOTE: a missing JSON is just no cache yet
    with caplog.at_level(logging.WARNING, logger="forcedata.cache"):
        ds = load_dataset(data_dir)
    assert set(ds.entities) == {"TST"} and ds.frame["value"].tolist() == [1000]
    assert ("compiled cache" in caplog.text and "rebuilding it" in caplog.text) == warned
    assert _cache_files(cache_folder) == [".arrow", ".json"]  # written again
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="forcedata.cache"):
        load_dataset(data_dir)
    assert caplog.text == ""


def test_a_json_file_that_is_not_a_dataset_is_rebuilt(data_dir, write_entity, cache_folder, caplog):
    write_entity("TST", GOOD_ENTITY.format(id="TST"))
    load_dataset(data_dir)
    [path] = cache_folder.glob("dataset-*.json")
    header = path.read_bytes().split(b"\n", 1)[0]
    path.write_bytes(header + b"\n" + json.dumps({"entities": {"TST": {"header": {}}}}).encode())
    with caplog.at_level(logging.WARNING, logger="forcedata.cache"):
        assert set(load_dataset(data_dir).entities) == {"TST"}
    assert "rebuilding it" in caplog.text


@pytest.mark.parametrize("mode", [0o777, 0o775, 0o1777])
def test_a_folder_others_can_write_is_refused_with_a_message(data_dir, write_entity, cache_folder, caplog, mode):
    write_entity("TST", GOOD_ENTITY.format(id="TST"))
    cache_folder.mkdir()
    cache_folder.chmod(mode)
    with caplog.at_level(logging.WARNING, logger="forcedata.cache"):
        ds = load_dataset(data_dir)
    assert set(ds.entities) == {"TST"}  # the load itself goes on, uncached
    assert "is writable by others" in caplog.text and str(cache_folder) in caplog.text
    assert list(cache_folder.iterdir()) == []
    cache_folder.chmod(0o700)
    load_dataset(data_dir)
    assert _cache_files(cache_folder) == [".arrow", ".json"]


def test_a_folder_owned_by_another_user_is_refused(data_dir, write_entity, cache_folder, caplog):
    if os.geteuid() != 0:
        pytest.skip("only root can give a folder to another user")
    write_entity("TST", GOOD_ENTITY.format(id="TST"))
    cache_folder.mkdir(mode=0o700)
    os.chown(cache_folder, 65534, 65534)
    with caplog.at_level(logging.WARNING, logger="forcedata.cache"):
        assert set(load_dataset(data_dir).entities) == {"TST"}
    assert "is owned by another user" in caplog.text
    assert list(cache_folder.iterdir()) == []


def test_a_new_cache_folder_is_made_for_its_user_alone(data_dir, write_entity, tmp_path, monkeypatch):
    folder = tmp_path / "made" / "here"
    monkeypatch.setenv("FORCEDATA_CACHE_DIR", str(folder))
    write_entity("TST", GOOD_ENTITY.format(id="TST"))
    load_dataset(data_dir)
    assert folder.stat().st_mode & 0o777 == 0o700
    assert all(p.stat().st_mode & 0o077 == 0 for p in folder.iterdir())


def test_the_key_names_the_libraries_a_cached_load_depends_on(data_dir, write_entity, cache_folder, monkeypatch):
    from forcedata.fingerprint import data_fingerprint

    write_entity("TST", GOOD_ENTITY.format(id="TST"))
    fingerprint = data_fingerprint(data_dir)
    key = cache.cache_key(data_dir, fingerprint)
    for module, attr in (("pydantic", "VERSION"), ("yaml", "__version__"), ("pyarrow", "__version__"),
                         ("pandas", "__version__")):
        with monkeypatch.context() as m:
            m.setattr(getattr(cache, {"pandas": "pd", "pyarrow": "pa"}.get(module, module)), attr, "0.0-other")
            assert cache.cache_key(data_dir, fingerprint) != key, module
    assert cache.cache_key(data_dir, fingerprint) == key


def test_no_pickle_in_the_project():
    """No file of the project reads, writes or mentions pickles (a cache file must never be able
    to run code)."""
    word = "pick" + "le"  # NOTE: spelled apart, so this file does not find itself
    listed = subprocess.run(["git", "ls-files", "--cached", "--others", "--exclude-standard"], cwd=ROOT,
                            capture_output=True, text=True, check=True).stdout.split()
    found = [name for name in listed if (ROOT / name).is_file()
             and re.search(rf"\b{word}\b".encode(), (ROOT / name).read_bytes(), re.IGNORECASE)]
    assert found == []


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
