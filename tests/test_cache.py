"""``synoptic.cache.BlobCache``: the on-disk store the parse and embedding caches share."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from synoptic.cache import BlobCache, cache_dir


def _cache(path: Path | None) -> BlobCache:
    return BlobCache(path, table="blobs", default_name="test.sqlite")


def test_cache_round_trip_and_missing_keys(tmp_path: Path) -> None:
    cache = _cache(tmp_path / "c.sqlite")
    cache.put_many([("a", b"\x00one"), ("b", b"two")])
    assert cache.get_many(["a", "b", "zzz"]) == {"a": b"\x00one", "b": b"two"}
    assert cache.get_many([]) == {}


def test_cache_same_key_is_replaced(tmp_path: Path) -> None:
    cache = _cache(tmp_path / "c.sqlite")
    cache.put_many([("k", b"old")])
    cache.put_many([("k", b"new")])
    assert cache.get_many(["k"]) == {"k": b"new"}


def test_cache_persists_across_instances(tmp_path: Path) -> None:
    _cache(tmp_path / "c.sqlite").put_many([("k", b"kept")])
    assert _cache(tmp_path / "c.sqlite").get_many(["k"]) == {"k": b"kept"}


def test_cache_more_keys_than_one_query_holds(tmp_path: Path) -> None:
    cache = _cache(tmp_path / "c.sqlite")
    items = [(f"key{i}", str(i).encode()) for i in range(1234)]
    cache.put_many(items)
    assert cache.get_many([k for k, _ in items]) == dict(items)


def test_cache_default_path_follows_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SYNOPTIC_CACHE_DIR", str(tmp_path / "here"))
    assert cache_dir() == tmp_path / "here"
    _cache(None).put_many([("k", b"v")])
    assert (tmp_path / "here" / "test.sqlite").is_file()


def test_cache_unusable_path_behaves_as_empty(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    cache = _cache(blocker / "c.sqlite")  # its parent is a file: cannot be created
    with caplog.at_level(logging.WARNING, logger="synoptic.cache"):
        cache.put_many([("k", b"v")])
        assert cache.get_many(["k"]) == {}
    assert sum("cache disabled" in r.getMessage() for r in caplog.records) == 1


def test_cache_corrupt_file_behaves_as_empty(tmp_path: Path) -> None:
    path = tmp_path / "c.sqlite"
    path.write_bytes(b"this is not a SQLite database" * 100)
    cache = _cache(path)
    cache.put_many([("k", b"v")])
    assert cache.get_many(["k"]) == {}
