"""Stored analyses: saved once per article and version, read back for the text they were made of."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

import pytest

from synoptic.context import RunContext
from synoptic.model import Article
from synoptic.settings import Settings
from synoptic.store import Ingestor, Store
from synoptic.store.analyses import StoredAnalysis, decode, encode, load_analyses, save_analyses
from test_store_ingest import DAM, DAM_2, fixed, make

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


@pytest.mark.slow
def test_store_analyses_a_grown_story_analyses_only_the_newcomer(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    import synoptic.analyze.batch as batch
    from synoptic.analyze.record import ANALYSIS_VERSION

    analysed: list[str] = []
    real = batch._analyze_new

    def spy(articles: Sequence[Article], *args: Any, **kwargs: Any) -> Any:
        analysed.extend(a.id for a in articles)
        return real(articles, *args, **kwargs)

    monkeypatch.setattr(batch, "_analyze_new", spy)
    # No disk cache of analyses: what is not analysed again comes from the store.
    monkeypatch.setattr(store, "context", RunContext(Settings(use_cache=False)))
    ing = Ingestor(store, clock=fixed())
    first = ing.add(make(DAM, "Velmar spillway opened"))
    second = ing.add(make(DAM_2, "Dravik residents return"))
    assert first.story_id == second.story_id and first.story_id is not None
    store.brief(first.story_id)
    members = [a.id for a in store.story_articles(first.story_id)]
    assert sorted(analysed) == sorted(members)
    assert set(load_analyses(store, ANALYSIS_VERSION, members)) == set(members)

    analysed.clear()
    third = make(
        "Governor Aurel Stanek visited Dravik on Friday; the Velmar dam spillway stays open "
        "and the Oska water authority will publish its inspection of the dam wall.",
        "Velmar inspection",
    )
    placed = ing.add(third)
    assert placed.story_id == first.story_id
    brief = store.brief(first.story_id)
    assert analysed == [third.id]
    assert {a.id for a in brief.story.articles} == {*members, third.id}
