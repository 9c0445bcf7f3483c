"""Removing articles and stories leaves a store ``verify`` finds sound (SQLite, PostgreSQL)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from synoptic.store import Ingestor, Store
from synoptic.store.removal import remove_article, remove_story
from synoptic.store.safety import verify
from synoptic.store.schema import dedup_postings, term_postings
from test_serve_safety import HARBOUR, MUSEUM, ORCHARD
from test_store_fixtures import _make_db

COPY = HARBOUR + " The council meets again on Friday."


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    for db in _make_db(request.param, tmp_path):
        s = db.open()
        try:
            yield s
        finally:
            s.close()


def _fill(store: Store) -> dict[str, str]:
    from synoptic.model import RawDocument
    from synoptic.pipeline import extract_all

    ids: dict[str, str] = {}
    ingestor = Ingestor(store)
    for name, text, outlet in (
        ("harbour", HARBOUR, "Velm Post"),
        ("copy", COPY, "Coast Wire"),
        ("copy2", COPY + " Roads stay closed.", "Kellen Herald"),
        ("orchard", ORCHARD, "Valley Farmer"),
    ):
        raw = RawDocument(source=name, content=text, meta={"outlet": outlet})
        placement = ingestor.add(extract_all([raw])[0])
        ids[name] = placement.article_id
    return ids


def _postings(store: Store, article_id: str) -> int:
    with store.session(readonly=True) as s:
        return sum(
            int(s.scalar(select(func.count()).where(t.c.article_id == article_id)) or 0)
            for t in (term_postings, dedup_postings)
        )


def test_store_removal_promotes_a_copy_and_renames_a_story_that_lost_its_founder(
    store: Store,
) -> None:
    ids = _fill(store)
    before = store.snapshot()["articles"]
    story = before[ids["harbour"]]["story"]
    assert story == "s" + ids["harbour"][1:]  # the first ingested founded it
    harbour_group = ("harbour", "copy", "copy2")
    originals = [n for n in harbour_group if before[ids[n]]["duplicate_of"] is None]
    assert len(originals) == 1
    # 1. The original goes: the earliest-ingested copy is the original now, the other its copy.
    first = remove_article(store, ids[originals[0]])
    assert (first.story, first.new_story_id) == ("kept", story)
    left = [n for n in harbour_group if n != originals[0]]
    after = store.snapshot()["articles"]
    assert after[ids[left[0]]]["duplicate_of"] is None
    assert after[ids[left[1]]]["duplicate_of"] == ids[left[0]]
    assert ids[originals[0]] not in after and _postings(store, ids[originals[0]]) == 0
    assert verify(store).ok
    # 2. The founder goes: the story is named after its new first member.
    founder = "harbour" if "harbour" in left else left[0]
    second = remove_article(store, ids[founder])
    rest = next(n for n in left if n != founder)
    assert (second.story_id, second.story) == (story, "renamed")
    assert second.new_story_id == "s" + ids[rest][1:]
    snap = store.snapshot()
    assert story not in snap["stories"]
    assert snap["stories"][second.new_story_id]["article_count"] == 1
    assert snap["articles"][ids[rest]] == {
        "seq": before[ids[rest]]["seq"],
        "story": second.new_story_id,
        "duplicate_of": None,
    }
    report = verify(store)
    assert report.ok, report.problems
    assert second.new_story_id in report.stale_briefs


def test_store_removal_of_a_copy_keeps_the_story(store: Store) -> None:
    ids = _fill(store)
    copy = next(
        n
        for n in ("copy", "copy2")
        if store.snapshot()["articles"][ids[n]]["duplicate_of"] is not None
    )
    removal = remove_article(store, ids[copy])
    assert removal.story == "kept" and removal.new_story_id == removal.story_id
    assert store.snapshot()["stories"][removal.story_id]["article_count"] == 2
    assert verify(store).ok


def test_store_removal_of_the_last_member_removes_the_story(store: Store) -> None:
    ids = _fill(store)
    removal = remove_article(store, ids["orchard"])
    assert (removal.story, removal.new_story_id) == ("removed", None)
    assert removal.story_id not in store.snapshot()["stories"]
    assert verify(store).ok
    with pytest.raises(KeyError):
        remove_article(store, ids["orchard"])


def test_store_removal_of_a_story_takes_its_articles(store: Store) -> None:
    ids = _fill(store)
    story = store.snapshot()["articles"][ids["harbour"]]["story"]
    removal = remove_story(store, story)
    assert sorted(removal.articles) == sorted([ids["harbour"], ids["copy"], ids["copy2"]])
    snap = store.snapshot()
    assert list(snap["articles"]) == [ids["orchard"]] and story not in snap["stories"]
    assert all(_postings(store, a) == 0 for a in removal.articles)
    assert verify(store).ok
    with pytest.raises(KeyError):
        remove_story(store, story)
    # The store takes new articles as before.
    from synoptic.model import RawDocument
    from synoptic.pipeline import extract_all

    Ingestor(store).add(extract_all([RawDocument(source="m", content=MUSEUM)])[0])
    assert verify(store).ok
