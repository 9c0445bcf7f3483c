"""One story listing: ``synoptic stories`` and ``GET /api/v1/stories`` list the same stories."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient

from synoptic.cli import main
from synoptic.serve import create_app
from synoptic.store import Store
from synoptic.store.listing import BadCursor, StoryFilter, decode_cursor, encode_cursor
from test_store_fixtures import EXAMPLES


@pytest.fixture(scope="module")
def url(tmp_path_factory: pytest.TempPathFactory) -> str:
    db = tmp_path_factory.mktemp("listing") / "s.db"
    url = f"sqlite:///{db}"
    assert main(["ingest", str(EXAMPLES / "dam"), str(EXAMPLES / "museum"), "--db", url,
                 "--no-briefs", "-q", "--no-cache"]) == 0  # fmt: skip
    return url


def _cli(url: str, capsys: pytest.CaptureFixture[str], *args: str) -> list[str]:
    capsys.readouterr()
    assert main(["stories", "--db", url, "--format", "json", *args]) == 0
    return [s["id"] for s in json.loads(capsys.readouterr().out)]


def _api(url: str, **params: str) -> list[str]:
    with Store(url) as store, TestClient(create_app(store)) as client:
        answer = client.get("/api/v1/stories", params={"limit": 100, **params})
        assert answer.status_code == 200, answer.text
        return [s["id"] for s in answer.json()["stories"]]


@pytest.mark.slow
@pytest.mark.parametrize("query", [None, "%", "_", "velmar", "MUSEUM", "100%"])
def test_store_listing_cli_and_api_agree(
    url: str, query: str | None, capsys: pytest.CaptureFixture[str]
) -> None:
    args = () if query is None else ("--query", query)
    cli = _cli(url, capsys, *args)
    api = _api(url, **({} if query is None else {"query": query}))
    assert cli == api
    if query in ("%", "_", "100%"):
        assert cli == []  # matched literally: no headline or title holds them
    elif query is not None:
        assert len(cli) >= 1
    else:
        assert len(cli) >= 2


@pytest.mark.slow
def test_store_listing_pages_join_to_the_whole_listing(url: str) -> None:
    with Store(url) as store:
        whole = [s.id for s in store.list_stories()]
        seen: list[str] = []
        page = store.stories_page(StoryFilter(), limit=1)
        while True:
            seen += [s.id for s in page.stories]
            assert page.total == len(whole)
            if page.next_cursor is None:
                break
            page = store.stories_page(StoryFilter(), limit=1, cursor=page.next_cursor)
        assert seen == whole
        by_offset = [s.id for s in store.stories_page(StoryFilter(), limit=1, offset=1).stories]
        assert by_offset == whole[1:2]


def test_store_listing_cursor_round_trip_and_refusal() -> None:
    assert decode_cursor(encode_cursor(12.5, "sabc")) == (12.5, "sabc")
    for bad in ("", "!!", encode_cursor(1.0, "x")[:-3] + "zzz", "WzEsMl0"):
        with pytest.raises(BadCursor):
            decode_cursor(bad)
