"""The store's schema, listing, look-up and brief cache."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

import synoptic.store.repository as repository
from synoptic.model import Article, Brief, Cited, Span, Story
from synoptic.store import Ingestor, Store, default_url
from synoptic.store.index import parse_published
from test_store_fixtures import Db
from test_store_ingest import DAM, DAM_2, MUSEUM, fixed, make

pytest_plugins = ["test_store_fixtures"]


def test_store_migrations_match_models(store: Store) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    def modelled(obj: object, name: str | None, kind: str, *_: object) -> bool:
        # The full-text index (migration 0009) lives outside the models: SQLite's FTS5 table
        # and its shadow tables, PostgreSQL's expression index.
        return not (name or "").startswith(("article_search", "ix_articles_search"))

    with store.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"include_object": modelled})
        diff = compare_metadata(context, repository.Base.metadata)
    assert diff == []


def test_store_reopen_keeps_data_and_migrates_once(db: Db) -> None:
    first = db.open()
    Ingestor(first, clock=fixed()).add(make(DAM, "Velmar spillway opened"))
    first.close()
    again = db.open()
    assert again.count_articles() == 1
    with again.engine.connect() as conn:
        version = conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()
    # The newest migration file (each helper adds its own; this names none of them).
    newest = max(
        p.stem.split("_")[0].removeprefix("v")
        for p in (Path(repository.__file__).parent / "migrations" / "versions").glob("v*.py")
    )
    assert version == repository.head_revision() == newest
    again.close()


def test_store_default_url_follows_environment(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("SYNOPTIC_DB", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    assert default_url() == f"sqlite:///{tmp_path}/synoptic/synoptic.db"
    monkeypatch.setenv("SYNOPTIC_DB", "postgresql+psycopg://u@h/db")
    assert default_url() == "postgresql+psycopg://u@h/db"


def test_store_list_filters_and_prefix_lookup(store: Store) -> None:
    ing = Ingestor(store, clock=fixed())
    dam = ing.add(
        make(DAM, "Velmar spillway opened", outlet="Valley Courier", published="2025-02-27")
    )
    ing.add(
        make(DAM_2, "Dravik residents return", outlet="valley  courier", published="2025-02-28")
    )
    museum = ing.add(make(MUSEUM, "Museum reopens", published="2025-01-10"))
    listed = store.list_stories()
    assert [s.id for s in listed] == [dam.story_id, museum.story_id]  # latest first
    (row,) = [s for s in listed if s.id == dam.story_id]
    assert (row.articles, row.outlets) == (2, 1)  # one outlet, spelled two ways
    assert row.first_seen.startswith("2025-02-27") and row.last_seen.startswith("2025-02-28")
    since = parse_published("2025-02-01")
    assert [s.id for s in store.list_stories(since=since)] == [dam.story_id]
    assert [s.id for s in store.list_stories(query="DRAVIK")] == [dam.story_id]
    assert store.list_stories(min_outlets=2) == []
    assert store.resolve(dam.story_id[:6]) in ([dam.story_id], [dam.story_id, museum.story_id])
    assert store.resolve(dam.story_id) == [dam.story_id]
    assert store.resolve("s_%") == []


def _fake_build(calls: list[str]):  # type: ignore[no-untyped-def]
    def build(
        story_id: str,
        headline: str,
        articles: list[Article],
        words: int,
        cache: bool,
        **_: object,  # stored analyses in and out (``known``, ``keep``)
    ) -> Brief:
        calls.append(story_id)
        first = articles[0]
        story = Story(story_id, headline, tuple(articles))
        return Brief(story, summary=(Cited(first.text[:20], (Span(first.id, 0, 20),)),))

    return build


def test_store_brief_cached_until_story_changes(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[str] = []
    monkeypatch.setattr(repository, "build_brief", _fake_build(calls))
    ing = Ingestor(store, clock=fixed())
    placed = ing.add(make(DAM, "Velmar spillway opened"))
    sid = placed.story_id
    assert sid is not None
    assert store.list_stories()[0].conflicts is None  # not built yet
    first = store.brief(sid)
    assert store.brief(sid) == first and calls == [sid]
    assert store.list_stories()[0].conflicts == 0
    ing.add(make(DAM_2, "Dravik residents return"))
    rebuilt = store.brief(sid)
    assert calls == [sid, sid] and len(rebuilt.story.articles) == 2
    assert store.refresh_briefs([sid]) == 0  # fresh already


def test_store_published_values_parse_to_utc() -> None:
    assert (
        parse_published("2024-10-15T14:05:00+05:30")
        == datetime(2024, 10, 15, 8, 35, tzinfo=UTC).timestamp()
    )
    assert parse_published("2024-10-15") == datetime(2024, 10, 15, tzinfo=UTC).timestamp()
    assert parse_published("2024") == datetime(2024, 1, 1, tzinfo=UTC).timestamp()
    assert parse_published("last Tuesday") is None


def test_store_readonly_session_reads_while_a_writer_holds_the_lock(tmp_path: Path) -> None:
    import threading

    store = Store(f"sqlite:///{tmp_path / 'locked.db'}")
    Ingestor(store, clock=fixed()).add(make(DAM, "Velmar spillway opened"))
    seen: list[list[str]] = []
    reader = threading.Thread(target=lambda: seen.append([s.id for s in store.list_stories()]))
    # The open write transaction holds SQLite's write lock; a reader that asked for it too
    # would wait out the 30 s busy timeout.
    with store.session() as s:
        s.add(repository.StoryRow(**_story_fields("s-pending")))
        s.flush()
        reader.start()
        reader.join(timeout=5)
        assert not reader.is_alive()
    # The reader saw the last committed state, without the row still pending then.
    assert len(seen) == 1 and len(seen[0]) == 1 and "s-pending" not in seen[0]
    assert "s-pending" in [s.id for s in store.list_stories()]
    store.close()


def _story_fields(story_id: str) -> dict[str, object]:
    now = datetime(2025, 3, 1, tzinfo=UTC)
    return {
        "id": story_id,
        "founder_seq": 0,
        "headline": "pending",
        "first_seen": "2025-03-01T00:00:00+00:00",
        "last_seen": "2025-03-01T00:00:00+00:00",
        "first_ts": 0.0,
        "last_ts": 0.0,
        "last_ingested_ts": 0.0,
        "article_count": 0,
        "outlet_count": 0,
        "members_key": "",
        "updated_at": now,
    }
