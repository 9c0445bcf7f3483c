"""A revised page in the store: a new version of the same article, not a wire copy."""

from __future__ import annotations

from dataclasses import replace
from importlib import resources
from pathlib import Path

from sqlalchemy import insert

from synoptic.model import Article
from synoptic.store import Ingestor, Store
from synoptic.store.repository import article_row
from synoptic.store.schema import ArticleRow
from synoptic.stories.identity import page_key
from test_store_ingest import DAM, MUSEUM, NOW, WIRE, fixed

pytest_plugins = ["test_store_fixtures"]

URL = "https://www.valley-courier.example/news/farm-losses/?utm_medium=rss"
LATER = " On Saturday the ministry said the first payments would be made before November."


def _page(text: str, published: str, url: str = URL, outlet: str = "Valley Courier") -> Article:
    return Article(
        id=Article.make_id(text, outlet, url, "Farmers count flood losses"),
        source=url,
        text=text,
        outlet=outlet,
        url=url,
        title="Farmers count flood losses",
        published=published,
    )


def test_store_versions_revision_takes_the_place_of_the_page(store: Store) -> None:
    first = _page(WIRE, "2025-02-01T08:00Z")
    copy = _page(WIRE, "2025-02-01T09:00Z", "https://kellen-herald.example/a/1", "Kellen Herald")
    museum = _page(MUSEUM, "2025-02-01T10:00Z", "https://museum.example/")
    ing = Ingestor(store, clock=fixed())
    placed = [ing.add(a) for a in (first, copy, museum)]
    assert [p.status for p in placed] == ["new", "duplicate", "new"]

    revised = _page(WIRE + LATER, "2025-02-01T16:00Z", URL.replace("www.", "") + "#top")
    p = ing.add(revised)
    assert p.status == "revision" and p.story_id == placed[0].story_id
    snap = store.snapshot()["articles"]
    # Same story; the copy now copies the page's current version.
    assert snap[revised.id]["story"] == snap[first.id]["story"]
    assert snap[copy.id]["duplicate_of"] == revised.id
    assert [a.id for a in store.story_articles(p.story_id)] == [copy.id, revised.id]
    (row,) = [s for s in store.list_stories() if s.id == p.story_id]
    assert row.articles == 2
    assert store.verify() == []

    # An earlier version read late is kept behind the current one.
    older = _page(WIRE.rsplit(" Insurers", 1)[0], "2025-01-31T20:00Z")
    late = ing.add(older)
    assert late.status == "revision" and late.story_id == p.story_id
    assert [a.id for a in store.story_articles(p.story_id)] == [copy.id, revised.id]
    assert store.verify() == []


def test_store_versions_a_wire_copy_at_another_address_stays_a_copy(store: Store) -> None:
    ing = Ingestor(store, clock=fixed())
    page = _page(WIRE, "2025-02-01T08:00Z")
    other = replace(
        _page(WIRE + LATER, "2025-02-01T12:00Z", "https://kellen-herald.example/b"),
        outlet="Kellen Herald",
    )
    assert ing.add(page).status == "new"
    assert ing.add(other).status == "duplicate"
    unrelated = _page(DAM, "2025-02-01T13:00Z", "https://valley-courier.example/news/dam")
    assert ing.add(unrelated).status == "new"
    assert store.verify() == []


def test_store_versions_migration_keys_pages_stored_before(tmp_path: Path) -> None:
    from alembic import command
    from alembic.config import Config
    from sqlalchemy import create_engine

    url = f"sqlite:///{tmp_path / 'old.db'}"
    engine = create_engine(url)
    cfg = Config()
    cfg.set_main_option("script_location", str(resources.files("synoptic.store") / "migrations"))
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0003")
        row = article_row(_page(WIRE, "2025-02-01T08:00Z"), 1, NOW, None)
        values = {c.key: getattr(row, c.key) for c in ArticleRow.__table__.columns}
        del values["page_key"], values["superseded_by"]
        values["story_id"] = "s1"
        conn.execute(insert(ArticleRow.__table__).values(**values))
    engine.dispose()
    with Store(url) as store, store.session(readonly=True) as s:
        stored = s.get(ArticleRow, row.id)
        assert stored is not None and stored.page_key == page_key(_page(WIRE, "x"))


def test_store_versions_removing_a_page_removes_its_versions(store: Store) -> None:
    from synoptic.store.removal import remove_article

    ing = Ingestor(store, clock=fixed())
    first, revised = _page(WIRE, "2025-02-01T08:00Z"), _page(WIRE + LATER, "2025-02-01T16:00Z")
    copy = _page(WIRE, "2025-02-01T09:00Z", "https://kellen-herald.example/a/1", "Kellen Herald")
    for a in (first, copy, revised):
        ing.add(a)
    removal = remove_article(store, revised.id)
    assert set(removal.articles) == {revised.id, first.id}
    snap = store.snapshot()["articles"]
    assert set(snap) == {copy.id} and snap[copy.id]["duplicate_of"] is None
    assert store.verify() == []
