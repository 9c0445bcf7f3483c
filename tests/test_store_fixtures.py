"""Store fixtures shared by the ``test_store_*`` modules: a store on SQLite and on PostgreSQL.

PostgreSQL tests run against the server on 127.0.0.1:5432 (trust auth, user root or postgres,
database ``test``; ``SYNOPTIC_TEST_PG`` overrides the URL), each in a fresh schema dropped
afterwards, so parallel runs never collide. They skip with a message when no server answers.
"""

from __future__ import annotations

import functools
import os
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from synoptic.store import Store

SHARED = Path(__file__).parents[1].parent / "shared"
EXAMPLES = Path(__file__).parents[1] / "examples"
PG_CANDIDATES = (
    "postgresql+psycopg://root@127.0.0.1:5432/test",
    "postgresql+psycopg://postgres@127.0.0.1:5432/test",
)


@functools.cache
def postgres_url() -> str | None:
    """Return the URL of a PostgreSQL server that answers, or ``None``."""
    try:
        import psycopg
    except ImportError:
        return None
    urls = [os.environ["SYNOPTIC_TEST_PG"]] if os.environ.get("SYNOPTIC_TEST_PG") else []
    for url in urls + list(PG_CANDIDATES):
        dsn = url.replace("postgresql+psycopg://", "postgresql://")
        try:
            with psycopg.connect(dsn, connect_timeout=2):
                return url
        except Exception:
            continue
    return None


@dataclass(frozen=True)
class Db:
    """Where a test's store lives: a URL, and for PostgreSQL the schema isolating it."""

    url: str
    schema: str | None = None

    def open(self) -> Store:
        return Store(self.url, schema=self.schema)

    @property
    def cli_url(self) -> str:
        """The URL a subprocess or the CLI opens (the schema rides in the connect options)."""
        if self.schema is None:
            return self.url
        return f"{self.url}?options=-csearch_path%3D{self.schema}"


def _make_db(kind: str, tmp_path: Path) -> Iterator[Db]:
    if kind == "sqlite":
        yield Db(f"sqlite:///{tmp_path / 'store.db'}")
        return
    url = postgres_url()
    if url is None:
        pytest.skip("no PostgreSQL server answers on 127.0.0.1:5432 (users root, postgres)")
    schema = f"synoptic_test_{uuid.uuid4().hex[:12]}"
    try:
        yield Db(url, schema)
    finally:
        import psycopg

        dsn = url.replace("postgresql+psycopg://", "postgresql://")
        with psycopg.connect(dsn, autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


@pytest.fixture(params=["sqlite", "postgresql"])
def db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Db]:
    """A fresh, empty database of each kind."""
    yield from _make_db(request.param, tmp_path)


@pytest.fixture()
def sqlite_db(tmp_path: Path) -> Iterator[Db]:
    """A fresh SQLite database only."""
    yield from _make_db("sqlite", tmp_path)


@pytest.fixture()
def store(db: Db) -> Iterator[Store]:
    """An open store of each kind."""
    s = db.open()
    try:
        yield s
    finally:
        s.close()
