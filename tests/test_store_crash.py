"""Crash safety: ``kill -9`` during ``synoptic ingest`` loses nothing committed, and re-running
finishes the job with the same store a clean run gives."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from synoptic.store import Store
from test_store_fixtures import Db

PLACES = [
    "Velmar",
    "Dravik",
    "Kellen",
    "Tarsk",
    "Hollin",
    "Port Amsel",
    "Oska",
    "Brennic",
    "Salvo",
    "Miret",
    "Quorra",
    "Lindau",
    "Ferrow",
    "Ostrel",
    "Vantis",
]
PEOPLE = [
    "Irena Vasko",
    "Aurel Stanek",
    "Liv Halvorsen",
    "Mila Orsen",
    "Tomas Brel",
    "Ada Kuyper",
    "Jonas Feld",
    "Sara Moll",
    "Piet Lanz",
    "Nora Vell",
]
EVENTS = [
    ("flood", "Floodwater covered streets in {p} after the river rose {n} centimetres overnight."),
    ("fire", "A fire destroyed {n} hectares of forest near {p}, the fire service said."),
    ("strike", "Bus drivers in {p} walked out for {n} hours over pay, the union said."),
    ("vote", "Councillors in {p} approved a budget of {n} million for new schools."),
    ("storm", "A storm cut power to {n} homes around {p} on the coast road."),
]
FILLER = [
    "{who} told reporters the situation was under control.",
    "Officials in {p} promised an update later in the day.",
    "{who} said more help would arrive from the capital.",
    "Residents of {p} described a long and difficult night.",
    "The regional office said {n} people had asked for assistance.",
    "{who} visited {p} in the afternoon and met local officials.",
]

pytest_plugins = ["test_store_fixtures"]


def corpus(path: Path, events: int = 24, per_event: int = 8, seed: int = 7) -> int:
    """Write a JSON-lines corpus of small fictional reports (events x outlets); return its size."""
    rng = random.Random(seed)
    lines = []
    for e in range(events):
        kind, lead = EVENTS[e % len(EVENTS)]
        place = PLACES[e % len(PLACES)] + ("" if e < len(PLACES) else f" {e}")
        who = PEOPLE[e % len(PEOPLE)]
        n = 10 + 7 * e
        for k in range(per_event):
            body = [lead.format(p=place, n=n)]
            body += [rng.choice(FILLER).format(p=place, who=who, n=n + k) for _ in range(3)]
            rng.shuffle(body)
            lines.append(
                {
                    "title": f"{kind.title()} in {place}: report {k}",
                    "outlet": f"Outlet {k}",
                    "published": f"2025-{1 + e // 9:02d}-{1 + (e * 3) % 27:02d}T{8 + k}:00:00Z",
                    "text": " ".join(body) + f" Reported by desk {k} of event {e}.",
                }
            )
    path.write_text("\n".join(json.dumps(x) for x in lines) + "\n", encoding="utf-8")
    return len(lines)


def _ingest(url: str, src: Path, env: dict[str, str], batch: int = 64) -> subprocess.Popen[bytes]:
    argv = [sys.executable, "-m", "synoptic", "ingest", str(src), "--db", url, "--no-briefs", "-q"]
    argv += ["--batch", str(batch)]
    return subprocess.Popen(argv, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)


@pytest.mark.slow
def test_store_kill_during_ingest_then_rerun_equals_clean_run(db: Db, tmp_path: Path) -> None:
    src = tmp_path / "stream.jsonl"
    total = corpus(src)
    env = {**os.environ, "SYNOPTIC_CACHE_DIR": str(tmp_path / "cache")}
    store = db.open()  # creates the schema the subprocesses use
    proc = _ingest(db.cli_url, src, env)
    deadline = time.monotonic() + 120
    committed = 0
    while time.monotonic() < deadline and proc.poll() is None:
        committed = store.count_articles()
        if committed >= 30:
            break
        time.sleep(0.05)
    assert proc.poll() is None, "ingest ended before it could be killed"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert proc.returncode == -signal.SIGKILL

    after_kill = store.count_articles()
    assert committed <= after_kill < total
    assert store.verify() == []  # every article placed, counts match, no orphans

    rerun = _ingest(db.cli_url, src, env)
    out, err = rerun.communicate(timeout=600)
    assert rerun.returncode == 0, err.decode()
    assert f"({after_kill} already stored)" in out.decode()
    assert store.count_articles() == total
    assert store.verify() == []

    clean = Store(f"sqlite:///{tmp_path / 'clean.db'}")
    once = _ingest(clean.url, src, env)
    _, err = once.communicate(timeout=600)
    assert once.returncode == 0, err.decode()
    assert store.snapshot() == clean.snapshot()
    clean.close()
    store.close()


def _wait_for(store: Store, proc: subprocess.Popen[bytes], count: int, limit: float) -> int:
    """Poll the store until ``count`` articles are committed or the process ends; return the
    last count seen (what the store reported as stored before any kill)."""
    deadline = time.monotonic() + limit
    seen = store.count_articles()
    while time.monotonic() < deadline and proc.poll() is None and seen < count:
        time.sleep(0.05)
        seen = store.count_articles()
    return seen


@pytest.mark.slow
def test_store_repeated_kills_at_random_moments_lose_nothing_reported(
    db: Db, tmp_path: Path
) -> None:
    """Three ``kill -9`` at seeded random moments of successive reruns: after each, every
    article the store had reported stays, ``verify`` is clean, and a last rerun finishes."""
    src = tmp_path / "stream.jsonl"
    total = corpus(src, events=12, per_event=6)
    env = {**os.environ, "SYNOPTIC_CACHE_DIR": str(tmp_path / "cache")}
    store = db.open()
    rng = random.Random(17)
    stored = kills = 0
    for _ in range(3):
        # Small batches, so that a kill can land between commits of one run on a quiet machine
        # (with the default 64, the 72 articles are two commits and the run ends before a kill).
        proc = _ingest(db.cli_url, src, env, batch=4)
        target = min(total - 1, stored + rng.randint(3, 15))
        reported = _wait_for(store, proc, target, 180)
        time.sleep(rng.random() * 0.3)  # a random moment, maybe mid-transaction
        if proc.poll() is not None:
            break
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        kills += 1
        stored = store.count_articles()
        assert stored >= reported, "an article the store had reported was lost"
        assert store.verify() == []
    assert kills >= 2, "the ingests ended before they could be killed"
    rerun = _ingest(db.cli_url, src, env)
    _, err = rerun.communicate(timeout=600)
    assert rerun.returncode == 0, err.decode()
    assert store.count_articles() == total
    assert store.verify() == []
    store.close()


@pytest.mark.slow
def test_store_two_ingests_at_once_and_a_reader_lose_nothing(db: Db, tmp_path: Path) -> None:
    """Two ``synoptic ingest`` into one store at once while a reader counts: both finish, no
    article is lost, no "database is locked" reaches the user, ``verify`` is clean."""
    whole = tmp_path / "all.jsonl"
    total = corpus(whole, events=10, per_event=4)
    lines = whole.read_text(encoding="utf-8").splitlines(keepends=True)
    halves = [tmp_path / "a.jsonl", tmp_path / "b.jsonl"]
    halves[0].write_text("".join(lines[: total // 2]), encoding="utf-8")
    halves[1].write_text("".join(lines[total // 2 :]), encoding="utf-8")
    env = {**os.environ, "SYNOPTIC_CACHE_DIR": str(tmp_path / "cache")}
    store = db.open()
    procs = [_ingest(db.cli_url, half, env) for half in halves]
    reads = 0
    while any(p.poll() is None for p in procs):
        store.count_articles()  # a reader during the writes: it must always answer
        reads += 1
        time.sleep(0.05)
    for proc in procs:
        _, err = proc.communicate(timeout=600)
        assert proc.returncode == 0, err.decode()
        assert "locked" not in err.decode().lower() and "Traceback" not in err.decode()
    assert reads > 0
    assert store.count_articles() == total
    assert store.verify() == []
    store.close()


def _run(argv: list[str], env: dict[str, str]) -> subprocess.Popen[bytes]:
    cmd = [sys.executable, "-m", "synoptic", *argv]
    return subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)


@pytest.mark.slow
def test_store_kill_during_brief_refresh_loses_nothing_and_rerun_rebuilds(
    db: Db, tmp_path: Path
) -> None:
    """``kill -9`` while ``synoptic ingest --briefs`` rebuilds briefs (every article already
    stored): nothing stored is lost, ``verify`` is clean, and a rerun rebuilds every stale brief
    (ingest builds no briefs unless asked, so both runs ask)."""
    from synoptic.store.safety import stale_briefs

    src = tmp_path / "stream.jsonl"
    total = corpus(src, events=8, per_event=4)
    env = {**os.environ, "SYNOPTIC_CACHE_DIR": str(tmp_path / "cache")}
    store = db.open()
    proc = _run(["ingest", str(src), "--db", db.cli_url, "--briefs", "-q"], env)
    stored = _wait_for(store, proc, total, 300)
    assert stored == total and proc.poll() is None, "ingest ended before its brief phase"
    time.sleep(random.Random(17).random() * 0.5)  # a moment inside the brief phase
    if proc.poll() is None:
        os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert store.count_articles() == total  # nothing the store reported is lost
    assert store.verify() == []
    stale = stale_briefs(store)
    rerun = _run(["ingest", str(src), "--db", db.cli_url, "--briefs", "-q"], env)
    out, err = rerun.communicate(timeout=600)
    assert rerun.returncode == 0, err.decode()
    assert f"({total} already stored)" in out.decode()
    assert stale_briefs(store) == [], f"{len(stale)} stale after the kill; rerun left some"
    assert store.count_articles() == total and store.verify() == []
    store.close()


def _hold_migration_lock(db: Db) -> Callable[[], None]:
    """Hold the lock a migration takes first (PostgreSQL's advisory lock, SQLite's write lock),
    so that a process opening the store waits inside its migration; return the release."""
    if db.schema is None:
        import sqlite3

        conn = sqlite3.connect(db.url.removeprefix("sqlite:///"), isolation_level=None)
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("CREATE TABLE IF NOT EXISTS _lock_holder (x INTEGER)")

        def release_sqlite() -> None:
            conn.execute("ROLLBACK")
            conn.close()

        return release_sqlite
    import psycopg

    dsn = db.url.replace("postgresql+psycopg://", "postgresql://")
    pg = psycopg.connect(dsn)
    pg.execute(f'CREATE SCHEMA IF NOT EXISTS "{db.schema}"')
    pg.commit()
    pg.execute("SELECT pg_advisory_xact_lock(7351746)")

    def release_pg() -> None:
        pg.rollback()
        pg.close()

    return release_pg


@pytest.mark.slow
def test_store_kill_during_migration_then_rerun_migrates_and_keeps_data(
    db: Db, tmp_path: Path
) -> None:
    """``kill -9`` at seeded random moments of a first open (the migrations run) and while the
    migrating process waits inside its migration: the store is never left half-migrated, the
    next open finishes, and an ingest after it stores everything."""
    from synoptic.store.repository import head_revision

    env = {**os.environ, "SYNOPTIC_CACHE_DIR": str(tmp_path / "cache")}
    rng = random.Random(17)
    verify = ["store", "verify", "--db", db.cli_url]
    if db.schema is not None:  # the CLI's URL names the schema; it must exist
        _hold_migration_lock(db)()
    for _ in range(3):  # random moments: interpreter start, imports, the migration
        proc = _run(verify, env)
        time.sleep(0.3 + rng.random() * 3)
        if proc.poll() is None:
            os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
    release = _hold_migration_lock(db)
    try:
        proc = _run(verify, env)
        # Started, imported, and waiting for the lock: to migrate, or on SQLite, when no earlier
        # run got as far as creating the file, to switch the holder's new file to WAL (which
        # failed at once, "database is locked", before the open waited for it: the flake of a
        # loaded machine, whose slower starts let all three kills land first).
        time.sleep(8)
        assert proc.poll() is None, proc.communicate()[1].decode()
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
    finally:
        release()
    rerun = _run(verify, env)
    _, err = rerun.communicate(timeout=300)
    assert rerun.returncode == 0, err.decode()
    store = db.open()
    with store.engine.connect() as conn:
        stamped = conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()
    assert stamped == head_revision()
    src = tmp_path / "after.jsonl"
    total = corpus(src, events=3, per_event=2)
    ingest = _ingest(db.cli_url, src, env)
    _, err = ingest.communicate(timeout=600)
    assert ingest.returncode == 0, err.decode()
    assert store.count_articles() == total and store.verify() == []
    store.close()


def test_store_open_waits_for_a_writer_of_a_file_not_yet_in_wal(sqlite_db: Db) -> None:
    """A store file in SQLite's default journal mode (made by another tool, or by a process
    still creating it) with a writer holding its lock: opening the store waits for the lock,
    as every other statement does, and then switches the file to WAL and migrates."""
    import sqlite3
    import threading

    from synoptic.store.repository import head_revision

    release = _hold_migration_lock(sqlite_db)  # a rollback-journal file, write lock held
    path = sqlite_db.url.removeprefix("sqlite:///")
    assert sqlite3.connect(path).execute("PRAGMA journal_mode").fetchone() == ("delete",)
    opened: list[object] = []

    def open_store() -> None:
        try:
            opened.append(sqlite_db.open())
        except Exception as exc:  # the open that failed at once: "database is locked"
            opened.append(exc)

    opener = threading.Thread(target=open_store)
    opener.start()
    opener.join(timeout=2)
    assert opener.is_alive() and not opened, f"the open did not wait for the lock: {opened}"
    release()
    opener.join(timeout=60)
    store = opened[0]
    assert isinstance(store, Store), store
    with store.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        stamped = conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()
    assert stamped == head_revision()
    store.close()
