"""Stories out as feeds: /feed.atom (RFC 4287 rules) and /feed.json (JSON Feed 1.1)."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from typing import Any

import pytest
from fastapi.testclient import TestClient

import synoptic.store.repository as repository
from synoptic.model import Article, Brief, Cited, Conflict, ConflictValue, Span, Story
from synoptic.serve.app import create_app
from synoptic.store import Ingestor, Store
from test_store_ingest import DAM, DAM_2, MUSEUM, fixed, make

pytest_plugins = ["test_store_fixtures"]

A = "{http://www.w3.org/2005/Atom}"
RFC3339 = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$")
IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:\S+$")
HOSTILE = '<script>alert("x")</script> & more'


def _build(story_id: str, headline: str, articles: Sequence[Article], *_: Any, **__: Any) -> Brief:
    first = articles[0]
    values = tuple(
        ConflictValue(f"{n} people", float(n), "people", (Span(a.id, 0, 5),))
        for n, a in zip((8000, 11000), articles, strict=False)
    )
    return Brief(
        Story(story_id, headline, tuple(articles)),
        summary=(Cited(HOSTILE, (Span(first.id, 0, 10),)),),
        conflicts=(Conflict("people evacuated", "number", values),) if len(values) > 1 else (),
    )


@pytest.fixture
def client(store: Store, monkeypatch: pytest.MonkeyPatch) -> TestClient:
    monkeypatch.setattr(repository, "build_brief", _build)
    ing = Ingestor(store, clock=fixed())
    dam = ing.add(make(DAM, "Velmar spillway opened", outlet="Valley Courier"))
    ing.add(make(DAM_2, "Dravik residents return", outlet="Northern Ledger"))
    ing.add(make(MUSEUM, "Museum reopens", outlet="Culture Weekly"))
    assert dam.story_id is not None
    store.brief(dam.story_id)  # the museum story's brief is never built
    return TestClient(create_app(store))


def _check_atom(root: ET.Element) -> list[ET.Element]:
    """RFC 4287 section 4.1: the feed's and each entry's required elements, once each."""
    assert root.tag == A + "feed"
    for name in ("id", "title", "updated"):
        assert len(root.findall(A + name)) == 1, name
    assert IRI.match(root.findtext(A + "id") or "")
    assert RFC3339.match(root.findtext(A + "updated") or "")
    entries = root.findall(A + "entry")
    # An author on the feed, or on every entry (4.1.1).
    assert root.find(A + "author/" + A + "name") is not None or all(
        e.find(A + "author") is not None for e in entries
    )
    ids = []
    for e in entries:
        for name in ("id", "title", "updated"):
            assert len(e.findall(A + name)) == 1, name
        assert IRI.match(e.findtext(A + "id") or "")
        assert RFC3339.match(e.findtext(A + "updated") or "")
        # No content with src, so a link rel=alternate is required (4.1.2), once per type.
        alternates = [x for x in e.findall(A + "link") if x.get("rel", "alternate") == "alternate"]
        assert len(alternates) == 1 and alternates[0].get("href", "").startswith("http")
        ids.append(e.findtext(A + "id"))
    assert len(ids) == len(set(ids))
    return entries


def test_serve_syndication_atom_follows_rfc4287_and_escapes(client: TestClient) -> None:
    r = client.get("/feed.atom")
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/atom+xml")
    assert b"<script>" not in r.content
    entries = _check_atom(ET.fromstring(r.content))
    titles = {e.findtext(A + "title") for e in entries}
    assert titles == {"Velmar spillway opened", "Museum reopens"}
    dam = next(e for e in entries if e.findtext(A + "title") == "Velmar spillway opened")
    content = dam.find(A + "content")
    assert content is not None and content.get("type") == "html"
    text = content.text or ""
    # The HTML carried is escaped article text, with its outlets and the conflict.
    assert "&lt;script&gt;" in text and "<script>" not in text
    assert "2 outlets, 2 reports" in text and "people evacuated" in text
    assert "[Valley Courier]" in text
    # Stable: the same ids on the next request.
    again = ET.fromstring(client.get("/feed.atom").content)
    assert [e.findtext(A + "id") for e in again.findall(A + "entry")] == [
        e.findtext(A + "id") for e in entries
    ]


def test_serve_syndication_json_feed_1_1_and_filters(client: TestClient) -> None:
    r = client.get("/feed.json")
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/feed+json")
    doc = json.loads(r.content)
    assert doc["version"] == "https://jsonfeed.org/version/1.1"
    assert isinstance(doc["title"], str) and isinstance(doc["items"], list)
    ids = [item["id"] for item in doc["items"]]
    assert len(ids) == 2 == len(set(ids))
    for item in doc["items"]:
        assert isinstance(item["id"], str) and ("content_html" in item or "content_text" in item)
        assert RFC3339.match(item["date_modified"]) and item["url"].startswith("http")
        assert "<script>" not in item["content_html"]
        brief_url = item["external_url"].removeprefix("http://testserver")
        assert client.get(brief_url).status_code == 200
    only = json.loads(client.get("/feed.json", params={"min_outlets": 2}).content)
    assert [i["title"] for i in only["items"]] == ["Velmar spillway opened"]
    museum = json.loads(client.get("/feed.json", params={"query": "museum"}).content)
    assert [i["title"] for i in museum["items"]] == ["Museum reopens"]
    later = json.loads(client.get("/feed.json", params={"since": "2999-01-01"}).content)
    assert later["items"] == []
    assert client.get("/feed.json", params={"since": "yesterday"}).status_code == 422


def test_serve_syndication_both_feeds_take_the_same_filters(client: TestClient) -> None:
    filters: list[dict[str, Any]] = [{}, {"min_outlets": 2}, {"query": "museum"}, {"limit": 1}]
    for params in [*filters, {"since": "2999-01-01"}]:
        atom = ET.fromstring(client.get("/feed.atom", params=params).content)
        feed = json.loads(client.get("/feed.json", params=params).content)
        atom_ids = [e.findtext(A + "id") for e in atom.findall(A + "entry")]
        assert atom_ids == [i["id"] for i in feed["items"]], params
    assert len(atom_ids) == 0  # the last: nothing since 2999
    for bad in ({"since": "yesterday"}, {"limit": 0}, {"min_outlets": -1}, {"query": "x" * 999}):
        for path in ("/feed.atom", "/feed.json"):
            r = client.get(path, params=bad)
            assert r.status_code == 422, (path, bad)
