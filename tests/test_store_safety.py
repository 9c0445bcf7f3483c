"""Keeping the store's data safe: verify, backup and restore, and the rerun after a kill.

Tiny hand-made reports (fictional towns), so the store work is fast; the rerun test builds
briefs, which runs spaCy on them.
"""

from __future__ import annotations

import sqlite3
import threading
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import update

from synoptic.errors import SynopticError
from synoptic.store import Store, ingest_paths
from synoptic.store.safety import backup, restore, stale_briefs, verify
from synoptic.store.schema import ArticleRow, StoryRow
from synoptic.store.settings import StoreSettings
from test_store_fixtures import Db, postgres_url

SYLLABLES = ("dra", "vik", "kel", "len", "tar", "sk", "hol", "lin", "lor", "am", "sel", "bri")
THINGS = ("bridge", "dam", "school", "hospital", "harbour", "railway", "market", "museum")


def _name(i: int, salt: int) -> str:
    """An invented proper name, different for every (i, salt)."""
    n = i * 7 + salt * 131 + 17
    parts = []
    for _ in range(3):
        parts.append(SYLLABLES[n % len(SYLLABLES)])
        n //= len(SYLLABLES)
    return "".join(parts).capitalize() + str(i)


def _report(i: int) -> str:
    """A short report of its own event: every name in it is unique to ``i``."""
    town, mayor, firm = _name(i, 1), _name(i, 2), _name(i, 3)
    thing = THINGS[i % len(THINGS)]
    return (
        f"The {thing} in {town} closed on Monday after inspectors from {firm} found cracks, "
        f"the council said. About {40 + i} families live near the {thing}, which opened in "
        f'{1900 + i}. "We acted as soon as we knew," mayor {mayor} said on Tuesday in {town}.'
    )


def _write(folder: Path, start: int, count: int) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(start, start + count):
        (folder / f"r{i:04d}.txt").write_text(_report(i), encoding="utf-8")
    return folder


@pytest.fixture()
def store(tmp_path: Path) -> Iterator[Store]:
    s = Store(f"sqlite:///{tmp_path / 'store.db'}")
    try:
        yield s
    finally:
        s.close()


def test_store_safety_rerun_after_a_kill_in_the_brief_phase_rebuilds_every_stale_brief(
    store: Store, tmp_path: Path
) -> None:
    folder = _write(tmp_path / "in", 0, 3)
    # The run that was killed: articles stored, the brief phase never ran.
    first = ingest_paths(store, [str(folder)], briefs=False)
    assert first.new == 3
    ids = sorted(s.id for s in store.list_stories())
    assert stale_briefs(store) == ids
    # One story's brief built, then its cached key made stale, as an older run's would be.
    store.refresh_briefs(ids[:1])
    assert stale_briefs(store) == ids[1:]
    with store.session() as s:
        s.execute(update(StoryRow).where(StoryRow.id == ids[0]).values(brief_key="old"))
    assert stale_briefs(store) == ids
    # The rerun reads nothing new and still rebuilds every stale brief.
    again = ingest_paths(store, [str(folder)], briefs=True)
    assert again.new == 0 and not again.touched
    assert stale_briefs(store) == []
    assert all(s.conflicts is not None for s in store.list_stories())


def test_store_safety_verify_reports_counts_stale_briefs_and_problems(
    store: Store, tmp_path: Path
) -> None:
    ingest_paths(store, [str(_write(tmp_path / "in", 0, 4))])
    report = verify(store)
    assert report.ok, report.problems
    listed = sorted(s.id for s in store.list_stories())
    assert (report.database, report.articles, report.stories) == ("sqlite", 4, len(listed))
    assert report.copies == 0 and list(report.stale_briefs) == listed
    assert type(report).from_dict(report.to_dict()) == report
    # An article moved out of every story is found.
    with store.session() as s:
        victim = s.scalars(ArticleRow.__table__.select().with_only_columns(ArticleRow.id)).first()
        s.execute(update(ArticleRow).where(ArticleRow.id == victim).values(story_id="s-missing"))
    broken = verify(store)
    assert not broken.ok
    assert any(victim in line and "has no story" in line for line in broken.problems)


def test_store_safety_verify_runs_sqlite_integrity_check(tmp_path: Path) -> None:
    path = tmp_path / "store.db"
    with Store(f"sqlite:///{path}") as s:
        ingest_paths(s, [str(_write(tmp_path / "in", 0, 2))])
    # Damage an index behind SQLite's back: zero its root page.
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    page = conn.execute("PRAGMA page_size").fetchone()[0]
    root = conn.execute(
        "SELECT rootpage FROM sqlite_master WHERE type = 'index' AND tbl_name = 'articles'"
    ).fetchone()[0]
    conn.close()
    with open(path, "r+b") as fh:
        fh.seek((root - 1) * page)
        fh.write(b"\0" * page)
    with Store(f"sqlite:///{path}", migrate=False) as s:
        report = verify(s)
    assert not report.ok
    assert any(line.startswith("integrity_check") for line in report.problems)


def test_store_safety_backup_and_restore_round_trip_while_an_ingest_runs(
    store: Store, tmp_path: Path
) -> None:
    ingest_paths(store, [str(_write(tmp_path / "a", 0, 6))], briefs=False)
    more = _write(tmp_path / "b", 100, 40)
    writer_done = threading.Event()
    errors: list[BaseException] = []

    def writer() -> None:
        try:
            with Store(store.url) as other:
                # One article a transaction, so that backups can catch the store mid-ingest
                # (the default batch of 64 would commit these 40 at once).
                ingest_paths(other, [str(more)], briefs=False, settings=StoreSettings(batch=1))
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            writer_done.set()

    thread = threading.Thread(target=writer)
    thread.start()
    made = []
    while not writer_done.is_set() or not made:
        made.append(backup(store, tmp_path / f"backup{len(made)}.db"))
    thread.join()
    assert not errors
    assert len(made) >= 1
    assert any(6 < r.articles < 46 for r in made)  # some were taken mid-ingest
    final = store.snapshot()
    for report in made:
        assert report.bytes == Path(report.path).stat().st_size > 0
        with Store(f"sqlite:///{tmp_path / f'restored-{Path(report.path).stem}.db'}") as dest:
            restored = restore(report.path, dest)
            assert (restored.articles, restored.stories) == (report.articles, report.stories)
            checked = verify(dest)
            assert checked.ok, checked.problems
            snap = dest.snapshot()
            # A consistent state the live store passed through: a prefix of its articles.
            assert set(snap["articles"]) <= set(final["articles"])
            assert 6 <= len(snap["articles"]) <= 46
            prefix = sorted(final["articles"].items(), key=lambda kv: kv[1]["seq"])
            assert sorted(snap["articles"]) == sorted(k for k, _ in prefix[: len(snap["articles"])])
    # A backup made once the writer finished holds everything.
    last = backup(store, tmp_path / "after.db")
    with Store(f"sqlite:///{tmp_path / 'last.db'}") as dest:
        restore(last.path, dest)
        assert dest.snapshot() == final


def test_store_safety_restore_refuses_what_is_not_a_backup(store: Store, tmp_path: Path) -> None:
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"not a database at all" * 100)
    with pytest.raises(SynopticError) as caught:
        restore(junk, store)
    assert caught.value.code == "E252"
    empty = tmp_path / "empty.db"
    sqlite3.connect(empty).close()
    with pytest.raises(SynopticError) as caught:
        restore(empty, store)
    assert caught.value.code == "E252" and "articles" in caught.value.message
    with pytest.raises(SynopticError) as caught:
        restore(tmp_path / "missing.db", store)
    assert caught.value.code == "E252"


def test_store_safety_restore_into_a_store_with_articles_needs_replace(
    store: Store, tmp_path: Path
) -> None:
    ingest_paths(store, [str(_write(tmp_path / "a", 0, 2))], briefs=False)
    saved = backup(store, tmp_path / "one.db")
    ingest_paths(store, [str(_write(tmp_path / "b", 50, 2))], briefs=False)
    with pytest.raises(SynopticError) as caught:
        restore(saved.path, store)
    assert caught.value.code == "E253"
    assert store.count_articles() == 4
    restore(saved.path, store, replace=True)
    assert store.count_articles() == 2 and verify(store).ok


def test_store_safety_backup_refuses_an_unwritable_target(store: Store, tmp_path: Path) -> None:
    with pytest.raises(SynopticError) as caught:
        backup(store, tmp_path / "no" / "such" / "folder" / "b.db")
    assert caught.value.code == "E254"
    assert not list(tmp_path.glob("**/.b.db.partial"))


def test_store_safety_postgresql_says_which_tool_to_use() -> None:
    url = postgres_url()
    if url is None:
        pytest.skip("no PostgreSQL server answers on 127.0.0.1:5432")
    # A schema of its own each run: one left by a failed run never meets a newer schema.
    schema = f"synoptic_safety_{uuid.uuid4().hex[:12]}"
    db = Db(url, schema)
    with db.open() as pg:
        with pytest.raises(SynopticError) as caught:
            backup(pg, "/tmp/x.dump")
        assert caught.value.code == "E250"
        assert f"pg_dump --format=custom --file=/tmp/x.dump --schema={schema}" in str(caught.value)
        assert "postgresql://" in caught.value.message and "+psycopg" not in caught.value.message
        with pytest.raises(SynopticError) as caught:
            restore("/tmp/x.dump", pg)
        assert caught.value.code == "E251" and "pg_restore" in caught.value.message
        report = verify(pg)
        assert report.ok and report.database == "postgresql"
    import psycopg

    with psycopg.connect(url.replace("+psycopg", ""), autocommit=True) as conn:
        conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
