"""Story revisions (what changed in a brief, computed from its records) and merge redirects."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence
from importlib import resources
from pathlib import Path
from typing import Any

import pytest

import synoptic.store.ingest as store_ingest
import synoptic.store.repository as repository
from synoptic.model import Article, Brief, Cited, Conflict, ConflictValue, Quote, Span, Story
from synoptic.store import Ingestor, Store
from synoptic.store.revisions import diff_briefs, merged_into
from test_store_fixtures import Db
from test_store_ingest import DAM, DAM_2, _labelled, fixed, make

pytest_plugins = ["test_store_fixtures"]

_EVACUATED = re.compile(r"(?P<n>\d[\d,]*) (?:people )?were evacuated")
_QUOTE = re.compile(r"\"(?P<q>[^\"]+),\" (?P<who>[A-Z]\w+ [A-Z]\w+) said")


def _small_synthesis(calls: list[str]) -> Callable[..., Brief]:
    """A stand-in for the brief's stages, reading figures and quotes with two patterns, so
    that the brief records change the way a real brief's do as reports arrive."""

    def build(
        story_id: str, headline: str, articles: Sequence[Article], *_: Any, **__: Any
    ) -> Brief:
        calls.append(story_id)
        figures: dict[str, list[Span]] = {}
        quotes = []
        for a in articles:
            if m := _EVACUATED.search(a.text):
                figures.setdefault(m.group("n"), []).append(Span(a.id, m.start(), m.end()))
            for q in _QUOTE.finditer(a.text):
                span = Span(a.id, q.start("q"), q.end("q"))
                quotes.append(Quote(q.group("q"), q.group("who"), (span,)))
        conflicts = ()
        if len(figures) > 1:
            values = tuple(
                ConflictValue(f"{n} were evacuated", float(n.replace(",", "")), "people", spans)
                for n, spans in figures.items()
            )
            conflicts = (Conflict("people evacuated", "number", values),)
        first = articles[0]
        return Brief(
            Story(story_id, headline, tuple(articles)),
            facts=(Cited(first.text[:30], (Span(first.id, 0, 30),)),),
            conflicts=conflicts,
            quotes=tuple(quotes),
        )

    return build


STEP_1 = (
    'About 8,000 people were evacuated from Dravik. "We will hold the line," Aurel Stanek '
    "said on Tuesday at the Velmar dam."
)
STEP_2 = "Officials said 11,000 people were evacuated from Dravik and Tarsk near the Velmar dam."
STEP_3 = (
    'A later count: 12,000 were evacuated near the Velmar dam. "Nobody pays alone," Irena '
    "Vasko said in Kellen."
)


def test_store_revisions_story_fed_in_three_steps(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[str] = []
    monkeypatch.setattr(repository, "build_brief", _small_synthesis(calls))
    ing = Ingestor(store, clock=fixed())
    sid = ing.add(make(STEP_1, "Velmar evacuation", outlet="Valley Courier")).story_id
    assert sid is not None
    store.brief(sid)
    store.brief(sid)  # cached: no rebuild, no revision
    second = ing.add(make(STEP_2, "More evacuated", outlet="Northern Ledger"))
    assert second.story_id == sid
    store.brief(sid)
    ing.add(make(STEP_3, "Toll revised", outlet="Asia Current"))
    store.brief(sid)
    revs = store.changes(sid)
    assert len(revs) == 3 and len(calls) == 3
    first, new_conflict, update = revs
    assert [a["id"] for a in first["articles"]] == [store.story_articles(sid)[0].id]
    assert first["speakers"] == ["Aurel Stanek"] and first["new_conflicts"] == []
    assert first["outlets"] == ["Valley Courier"]
    # Step 2: a second figure makes a new conflict; nothing else is new but the article.
    assert [c["topic"] for c in new_conflict["new_conflicts"]] == ["people evacuated"]
    assert new_conflict["outlets"] == ["Northern Ledger"]
    assert new_conflict["quotes"] == [] and new_conflict["updated_conflicts"] == []
    # Step 3: the conflict gains a figure (updated, not new), and a new speaker is quoted.
    assert update["new_conflicts"] == []
    (changed,) = update["updated_conflicts"]
    after = sorted(v["value"] for v in changed["after"]["values"])
    assert after == [8000.0, 11000.0, 12000.0]
    assert update["speakers"] == ["Irena Vasko"]
    assert [q["text"] for q in update["quotes"]] == ["Nobody pays alone"]
    # --since: only what came after the first revision.
    later = store.changes(sid, since=first["ts"])
    assert [r["ts"] for r in later] == [new_conflict["ts"], update["ts"]]


def test_store_revisions_not_kept_when_switched_off(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(repository, "build_brief", _small_synthesis([]))
    store.keep_revisions = False
    sid = Ingestor(store, clock=fixed()).add(make(STEP_1, "Velmar evacuation")).story_id
    assert sid is not None
    store.brief(sid)
    assert store.changes(sid) == []


def test_store_revisions_diff_of_identical_briefs_is_empty() -> None:
    art = make(DAM, "Velmar spillway opened")
    brief = Brief(Story("s1", "Velmar", (art,)), facts=(Cited("Engineers", (Span(art.id, 0, 9),)),))
    record = brief.to_dict()
    assert not any(diff_briefs(record, record).values())
    assert diff_briefs(None, record)["facts"] == [
        {"text": "Engineers", "spans": [{"article": art.id, "start": 0, "end": 9}]}
    ]
    # The contract shape (Brief JSON v1 story object) diffs the same way as the stored one.
    assert diff_briefs(None, brief.contract_dict())["articles"][0]["id"] == art.id


def test_store_revisions_merged_story_redirects(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(repository, "build_brief", _small_synthesis([]))
    a1, a2 = make(DAM, "Velmar spillway opened"), make(DAM_2, "Dravik residents return")
    a3 = make(
        "Kellen bridge stays shut while the Velmar dam is inspected. Governor Aurel Stanek "
        "visited Dravik shelters on Wednesday.",
        "Velmar evacuation continues",
    )
    labels = {a1.id: "x", a2.id: "y"}
    monkeypatch.setattr(store_ingest, "cluster_cuts", _labelled(labels))
    ing = Ingestor(store, clock=fixed())
    p1, p2 = ing.add(a1), ing.add(a2)
    assert p1.story_id and p2.story_id and p1.story_id != p2.story_id
    store.brief(p2.story_id)
    labels.update({a2.id: "x", a3.id: "x"})  # the clusterer now joins the two stories
    p3 = ing.add(a3)
    assert p3.removed == (p2.story_id,)
    assert store.redirect(p2.story_id) == p1.story_id
    assert store.resolve(p2.story_id) == [p1.story_id]
    assert store.redirect(p1.story_id) is None
    # The merged-away story's revisions are part of the story it went into.
    assert [r["story"] for r in store.changes(p1.story_id)] == [p2.story_id]

    from fastapi.testclient import TestClient

    from synoptic.serve.app import create_app

    client = TestClient(create_app(store), follow_redirects=False)
    old = f"/api/v1/stories/{p2.story_id}"
    for tail in ("", "/changes?since=2020-01-01"):
        moved = client.get(old + tail)
        assert moved.status_code == 308
        assert moved.headers["location"] == f"/api/v1/stories/{p1.story_id}{tail}"
    followed = client.get(f"/api/v1/stories/{p1.story_id}/changes")
    assert followed.status_code == 200 and followed.json()["story"] == p1.story_id
    assert client.get("/api/v1/stories/s0000000000000000/changes").status_code == 404


def test_store_revisions_changes_panel_escapes_article_text() -> None:
    from synoptic.serve.pages import environment

    hostile = '<script>alert("x")</script>'
    new = Brief(
        Story("s1", "T", (make(DAM, hostile),)),
        conflicts=(
            Conflict(
                "people evacuated",
                "number",
                (ConflictValue(hostile, 8000.0, "people"), ConflictValue("11,000", 11000.0)),
            ),
        ),
        quotes=(Quote(hostile, "Aurel Stanek"),),
    )
    rev = {
        "story": "s1",
        "at": "2026-12-07T16:00:00+00:00",
        "ts": 1.0,
        **diff_briefs(None, new.to_dict()),
    }
    html = (
        environment().get_template("_changes.html.j2").render(changes=[rev], story_id="s1", now=2.0)
    )
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "New conflict on people evacuated" in html and "(Aurel Stanek)" in html
    empty = environment().get_template("_changes.html.j2").render(changes=[], story_id="s1", now=2)
    assert "No revision yet" in empty


def test_store_revisions_cli_diff(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from synoptic.cli import main

    monkeypatch.setattr(repository, "build_brief", _small_synthesis([]))
    url = f"sqlite:///{tmp_path / 'diff.db'}"
    store = Store(url)
    ing = Ingestor(store, clock=fixed())
    sid = ing.add(make(STEP_1, "Velmar evacuation", outlet="Valley Courier")).story_id
    assert sid is not None
    store.brief(sid)
    ing.add(make(STEP_2, "More evacuated", outlet="Northern Ledger"))
    store.brief(sid)
    store.close()
    assert main(["diff", sid[:8], "--db", url]) == 0
    out = capsys.readouterr().out
    assert f"story {sid}: 2 revision(s)" in out
    assert "! new conflict on people evacuated" in out and "+ speaker Aurel Stanek" in out
    assert main(["diff", sid, "--db", url, "--format", "json", "--since", "2999-01-01"]) == 0
    assert json.loads(capsys.readouterr().out) == {"story": sid, "revisions": []}
    assert main(["diff", "s-nothing", "--db", url]) != 0


def test_store_revisions_brief_as_of_each_step(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A story fed in three steps on three days: as of each day, the brief of that step."""
    from datetime import UTC, datetime

    from fastapi.testclient import TestClient

    from synoptic.cli import main
    from synoptic.serve.app import create_app

    monkeypatch.setattr(repository, "build_brief", _small_synthesis([]))
    days = iter(datetime(2026, 3, d, 12, tzinfo=UTC) for d in (3, 4, 5))  # Tue, Wed, Thu
    monkeypatch.setattr(repository, "utcnow", lambda: next(days))
    url = f"sqlite:///{tmp_path / 'asof.db'}"
    store = Store(url)
    ing = Ingestor(store, clock=fixed())
    sid = ing.add(make(STEP_1, "Velmar evacuation", outlet="Valley Courier")).story_id
    assert sid is not None
    briefs = [store.brief(sid)]
    ing.add(make(STEP_2, "More evacuated", outlet="Northern Ledger"))
    briefs.append(store.brief(sid))
    ing.add(make(STEP_3, "Toll revised", outlet="Asia Current"))
    briefs.append(store.brief(sid))
    for day, want in zip(("2026-03-03", "2026-03-04", "2026-03-05"), briefs, strict=True):
        at = datetime.fromisoformat(day + "T18:00:00+00:00").timestamp()
        past = store.brief_as_of(sid, at)
        assert past is not None and past.to_dict() == want.to_dict()
    tuesday = store.brief_as_of(sid, datetime(2026, 3, 3, 23, tzinfo=UTC).timestamp())
    assert tuesday is not None and len(tuesday.story.articles) == 1 and not tuesday.conflicts
    assert store.brief_as_of(sid, datetime(2026, 3, 2, tzinfo=UTC).timestamp()) is None
    # API: a date is the end of that day; an ISO time is that instant.
    client = TestClient(create_app(store), follow_redirects=False)
    base = f"/api/v1/stories/{sid}/brief"
    wed = client.get(base, params={"as_of": "2026-03-04"}).json()["stories"][0]
    assert len(wed["articles"]) == 2 and [c["topic"] for c in wed["conflicts"]] == [
        "people evacuated"
    ]
    noon = client.get(base, params={"as_of": "2026-03-05T11:00:00Z"}).json()["stories"][0]
    assert len(noon["articles"]) == 2
    assert len(client.get(base).json()["stories"][0]["articles"]) == 3
    before = client.get(base, params={"as_of": "2026-03-01"})
    assert before.status_code == 404 and before.json()["error"]["code"] == "no_past_brief"
    assert client.get(base, params={"as_of": "Tuesday"}).status_code == 422
    store.close()
    # CLI: synoptic show STORY --as-of DATE.
    assert main(["show", sid[:8], "--db", url, "--as-of", "2026-03-03", "-f", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    (story,) = doc["stories"]
    assert [q["speaker"] for q in story["quotes"]] == ["Aurel Stanek"] and not story["conflicts"]
    assert main(["show", sid, "--db", url, "--as-of", "2026-03-01"]) != 0


def test_store_revisions_redirect_targets_are_looked_up_by_index(db: Db, tmp_path: Path) -> None:
    # Migration 0012: a store made at 0011 with redirects in it upgrades, keeps its rows, and
    # the merge's look-up by target (``WHERE new_id = ?``) reads the index, not the table.
    from alembic import command
    from alembic.config import Config
    from sqlalchemy import create_engine, inspect, text

    engine = create_engine(db.cli_url)
    if db.schema is not None:
        with engine.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA IF NOT EXISTS "{db.schema}"'))
    cfg = Config()
    cfg.set_main_option("script_location", str(resources.files("synoptic.store") / "migrations"))
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0011")
        assert "ix_story_redirects_new_id" not in {
            i["name"] for i in inspect(conn).get_indexes("story_redirects")
        }
        rows = [{"o": f"s{i}", "n": f"t{i % 7}", "ts": 1.0} for i in range(500)]
        conn.execute(text("INSERT INTO story_redirects VALUES (:o, :n, :ts)"), rows)
    engine.dispose()
    with db.open() as store, store.session() as s:
        assert sorted(merged_into(s, "t3")) == sorted(f"s{i}" for i in range(3, 500, 7))
        look_up = "SELECT old_id FROM story_redirects WHERE new_id = 't3'"
        if store.engine.dialect.name == "sqlite":
            plan = " ".join(str(r) for r in s.execute(text(f"EXPLAIN QUERY PLAN {look_up}")))
        else:
            s.execute(text("SET LOCAL enable_seqscan = off"))  # 500 rows: a scan is cheap too
            s.execute(text("ANALYZE story_redirects"))
            plan = " ".join(str(r) for r in s.execute(text(f"EXPLAIN {look_up}")))
        assert "ix_story_redirects_new_id" in plan, plan
