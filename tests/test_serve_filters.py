"""The story list's filters by outlet kind, beside outlet, date and conflict, on the page and API.

A hand-made store of three stories whose reports come from outlets of the built-in registry
(``outlets/outlets.tsv``), known by their URL's domain: a flood told by Reuters (wire) and CNN
(private), a museum reopening told by the BBC (public), an election told by RT (state). No
aggregator carries any of them.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any, get_args

import lxml.html
import pytest
from fastapi.testclient import TestClient

from synoptic.outlets.registry import KINDS
from synoptic.serve import create_app
from synoptic.serve.api import OutletKind
from synoptic.store import Store, ingest_paths
from test_serve_web import css

FLOOD = (
    "The river Lanna burst its banks at Dravik on Tuesday night, flooding the old town and "
    "forcing 300 people from their homes, emergency services said. Crews pumped water from the "
    "market square through the night. "
)
MUSEUM = (
    "The clock museum of Port Amsel reopened on Saturday after a four-year restoration of its "
    "tower, its director said. Visitors queued along the harbour to see the restored movement. "
)
ELECTION = (
    "Voters in the northern province of Tarsk chose a new regional council on Sunday, with "
    "turnout at 61 percent, the electoral commission said. Counting continued into Monday. "
)
REPORTS = [
    ("https://www.reuters.com/world/flood-dravik", "2026-03-03T08:00:00Z", FLOOD, "Flood hits"),
    ("https://edition.cnn.com/2026/03/03/flood", "2026-03-03T09:30:00Z", FLOOD, "Dravik flood"),
    ("https://www.bbc.co.uk/news/museum-amsel", "2026-03-07T10:00:00Z", MUSEUM, "Museum opens"),
    ("https://www.rt.com/news/tarsk-vote", "2026-03-08T12:00:00Z", ELECTION, "Tarsk votes"),
]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    folder = tmp_path_factory.mktemp("filters")
    lines = [
        {"url": url, "published": published, "title": title, "text": text + f"Report {i}."}
        for i, (url, published, text, title) in enumerate(REPORTS)
    ]
    corpus = folder / "reports.jsonl"
    corpus.write_text("\n".join(json.dumps(line) for line in lines) + "\n", encoding="utf-8")
    with Store(f"sqlite:///{folder / 'f.db'}") as store:
        ingest_paths(store, [str(corpus)])
        stories = {s.headline: s.id for s in store.list_stories()}
        assert len(stories) == 3, stories  # flood, museum, election
        by_topic = {
            topic: next(sid for h, sid in stories.items() if word in h)
            for topic, word in (("flood", "lood"), ("museum", "useum"), ("election", "Tarsk"))
        }
        with TestClient(create_app(store)) as client:
            yield {"client": client, "ids": by_topic}


def _page_ids(client: TestClient, url: str) -> set[str]:
    doc = lxml.html.fromstring(client.get(url).text)
    return {a.get("href").rsplit("/", 1)[1] for a in css(doc, "li.story-card h2 a")}


def _api_ids(client: TestClient, url: str) -> set[str]:
    r = client.get(url)
    assert r.status_code == 200, r.text
    return {s["id"] for s in r.json()["stories"]}


EXPECTED = {
    "wire": {"flood"},
    "private": {"flood"},
    "public": {"museum"},
    "state": {"election"},
    "aggregator": set(),
}


def test_serve_filters_by_outlet_kind_on_page_and_api(site: dict[str, Any]) -> None:
    client, ids = site["client"], site["ids"]
    assert set(get_args(OutletKind)) == set(KINDS) == set(EXPECTED)  # one list of kinds
    for kind, topics in EXPECTED.items():
        want = {ids[t] for t in topics}
        assert _page_ids(client, f"/?kind={kind}") == want, kind
        assert _api_ids(client, f"/api/v1/stories?kind={kind}") == want, kind
    # The form shows the chosen kind back, and the filters combine.
    doc = lxml.html.fromstring(client.get("/?kind=wire").text)
    (chosen,) = css(doc, "select[name=kind] option[selected]")
    assert chosen.get("value") == "wire"
    assert _page_ids(client, "/?kind=wire&outlet=cnn") == {ids["flood"]}
    assert _page_ids(client, "/?kind=public&outlet=cnn") == set()
    # A kind the registry does not have: ignored and said on the page, refused by the API.
    doc = lxml.html.fromstring(client.get("/?kind=tabloid").text)
    assert "is not an outlet kind" in css(doc, ".notice")[0].text_content()
    assert _page_ids(client, "/?kind=tabloid") == set(ids.values())
    r = client.get("/api/v1/stories?kind=tabloid")
    assert r.status_code == 422 and r.json()["error"]["code"] == "invalid_request", r.text


def test_serve_filters_api_has_the_page_filters(site: dict[str, Any]) -> None:
    client, ids = site["client"], site["ids"]
    assert _api_ids(client, "/api/v1/stories?outlet=bbc") == {ids["museum"]}
    assert _api_ids(client, "/api/v1/stories?until=2026-03-07") == {ids["flood"], ids["museum"]}
    assert _api_ids(client, "/api/v1/stories?until=2026-03-07T00:00:00Z") == {ids["flood"]}
    # No brief was built: no story is known to have outlets disagreeing.
    assert _api_ids(client, "/api/v1/stories?conflicts=true") == set()
    assert _api_ids(client, "/api/v1/stories?conflicts=false") == set(ids.values())
    spec = client.get("/api/v1/openapi.json").json()
    params = {p["name"] for p in spec["paths"]["/api/v1/stories"]["get"]["parameters"]}
    assert {"kind", "outlet", "until", "conflicts", "since", "query"} <= params
