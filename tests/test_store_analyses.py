"""Stored analyses: saved once per article and version, read back for the text they were made of."""

from __future__ import annotations

from datetime import UTC, datetime

from synoptic.store import Store
from synoptic.store.analyses import StoredAnalysis, decode, encode, load_analyses, save_analyses

pytest_plugins = ["test_store_fixtures"]

NOW = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)
RECORD = {"article": "a1", "sentences": [{"text": "Dam opens.", "span": [0, 10]}], "v": [0.25]}


def test_store_analyses_round_trip_by_id_and_version(store: Store) -> None:
    assert save_analyses(store, "1", [StoredAnalysis("a1", "h1", RECORD)], NOW) == 1
    assert load_analyses(store, "1", ["a1", "a2"]) == {"a1": RECORD}
    # Another analysis version is another record: nothing to read until it is saved.
    assert load_analyses(store, "2", ["a1"]) == {}
    other = {**RECORD, "v": [0.5]}
    save_analyses(store, "2", [StoredAnalysis("a1", "h1", other)], NOW)
    assert load_analyses(store, "2", ["a1"]) == {"a1": other}
    assert load_analyses(store, "1", ["a1"]) == {"a1": RECORD}


def test_store_analyses_keep_the_first_save_and_check_the_text(store: Store) -> None:
    save_analyses(store, "1", [StoredAnalysis("a1", "h1", RECORD)], NOW)
    save_analyses(store, "1", [StoredAnalysis("a1", "h1", {"other": True})], NOW)
    assert load_analyses(store, "1", ["a1"]) == {"a1": RECORD}
    assert load_analyses(store, "1", ["a1"], {"a1": "h2"}) == {}
    assert load_analyses(store, "1", ["a1"], {"a1": "h1"}) == {"a1": RECORD}


def test_store_analyses_encoding_is_compressed_json() -> None:
    blob = encode(RECORD)
    assert decode(blob) == RECORD
    big = {"vectors": [[0.125] * 384 for _ in range(20)]}
    assert len(encode(big)) < len(str(big)) / 5
