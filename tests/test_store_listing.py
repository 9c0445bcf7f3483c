"""One story listing: ``synoptic stories`` and ``GET /api/v1/stories`` list the same stories."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from synoptic.cli import main
from synoptic.serve import create_app
from synoptic.store import Store, ingest_paths
from synoptic.store.listing import BadCursor, StoryFilter, decode_cursor, encode_cursor
from test_store_fixtures import EXAMPLES, Db

pytest_plugins = ["test_store_fixtures"]


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


@pytest.mark.slow
def test_store_listing_undated_stories_come_after_dated_ones(url: str) -> None:
    # The museum reports carry no publication date and were added after the dam's (2024):
    # by ingest time they would lead the list as today's news; they come after it instead.
    with Store(url) as store:
        stories = store.list_stories()
        flags = [s.dated for s in stories]
        assert True in flags and False in flags
        assert flags == sorted(flags, reverse=True)  # every dated story before any undated
        museum = next(s for s in stories if "museum" in s.headline.lower())
        dam = next(s for s in stories if s.dated)
        assert not museum.dated and museum.last_seen > dam.last_seen  # added later, listed after
        assert [s.id for s in stories].index(dam.id) < [s.id for s in stories].index(museum.id)


def test_store_listing_undated_last_on_both_databases(db: Db, tmp_path: Path) -> None:
    # A 2008 report, a report of this week, and an undated one added last: by ingest time the
    # undated one would lead as today's news; dated stories lead, newest first.
    reports = [
        ("The harbour crane at Lorn collapsed onto a cargo ship on Monday, port officials said.",
         "2008-03-03T10:00:00Z"),
        ("The Tarsk railway bridge reopened to trains on Friday after two years of repairs.",
         "2026-12-04T09:00:00Z"),
        ("A fire destroyed the covered market of Brisk overnight, the fire brigade said.", None),
    ]  # fmt: skip
    lines = [{"text": text, "published": published, "title": text[:30]}
             for text, published in reports]  # fmt: skip
    corpus = tmp_path / "reports.jsonl"
    corpus.write_text("\n".join(json.dumps(line) for line in lines) + "\n", encoding="utf-8")
    with db.open() as store:
        ingest_paths(store, [str(corpus)])
        stories = store.list_stories()
        assert [s.headline[:10] for s in stories] == ["The Tarsk ", "The harbou", "A fire des"]
        assert [s.dated for s in stories] == [True, True, False]
        # Pages by cursor cross from the dated stories to the undated ones without a gap.
        seen, page = [], store.stories_page(StoryFilter(), limit=1)
        while True:
            seen += [s.id for s in page.stories]
            if page.next_cursor is None:
                break
            page = store.stories_page(StoryFilter(), limit=1, cursor=page.next_cursor)
        assert seen == [s.id for s in stories]
        # And by offset, pages within and across the two parts.
        whole = [s.id for s in stories]
        for limit, offset in ((1, 0), (1, 1), (1, 2), (2, 1), (2, 2), (5, 0), (1, 3)):
            page = store.stories_page(StoryFilter(), limit=limit, offset=offset)
            assert [s.id for s in page.stories] == whole[offset : offset + limit], (limit, offset)
            assert page.total == 3


def test_store_listing_cursor_round_trip_and_refusal() -> None:
    assert decode_cursor(encode_cursor(12.5, "sabc")) == (12.5, "sabc", False)
    assert decode_cursor(encode_cursor(12.5, "sabc", True)) == (12.5, "sabc", True)
    # A cursor issued before undated stories were listed last still reads (as a dated one).
    assert decode_cursor("WzEyLjUsInNhYmMiXQ") == (12.5, "sabc", False)
    for bad in ("", "!!", encode_cursor(1.0, "x")[:-3] + "zzz", "WzEsMl0", "WzEsIngiLDJd"):
        with pytest.raises(BadCursor):
            decode_cursor(bad)


# One report per story, each from an outlet of the built-in registry whose parent owns outlets
# of other kinds too, so all of them share the parent's outlet key: the Wall Street Journal
# (private; Dow Jones also owns a wire), Rossiyskaya Gazeta (state; the Government of Russia
# also owns TASS, wire and state), Folha (private; Grupo Folha also owns the aggregator UOL);
# a TASS copy printed by an unknown site (counts for TASS by its dateline credit); Xinhua
# (wire and state, no sibling).
KIND_REPORTS = {
    "wsj": ("https://www.wsj.com/articles/lorn-bonds",
            "Bond yields in Lorn rose to a ten-year high on Tuesday as traders sold government "
            "debt ahead of the budget, dealers said."),
    "rg": ("https://rg.ru/2026/03/04/tarsk-bridge.html",
           "The new road bridge over the Tarsk river opened to traffic on Wednesday after four "
           "years of building, the regional governor said."),
    "folha": ("https://folha.uol.com.br/cotidiano/2026/03/brisk-rain.shtml",
              "Heavy rain flooded the lower streets of Brisk on Thursday and the city closed "
              "three schools, the civil defence office said."),
    "tass": ("https://kellen-courier.example/world/amsel-port",
             "AMSEL, March 6 (TASS) - Dock workers at the port of Amsel began a two-day strike "
             "over pay on Friday, their union said, halting the loading of grain ships."),
    "xinhua": ("https://www.news.cn/20260307/dravik-rail.htm",
               "The first high-speed train between Dravik and Port Selm ran on Saturday, cutting "
               "the journey to ninety minutes, the railway operator said."),
}  # fmt: skip
KIND_EXPECTED = {
    "wire": {"tass", "xinhua"},
    "state": {"rg", "tass", "xinhua"},
    "private": {"wsj", "folha"},
    "aggregator": set(),
    "public": set(),
}


def _kind_store(store: Store, folder: Path) -> dict[str, str]:
    """Ingest ``KIND_REPORTS`` (one a day from 2026-03-03) and return story ids by name."""
    lines = [
        {"url": url, "text": text, "title": text[:40], "published": f"2026-03-0{i + 3}T08:00:00Z"}
        for i, (url, text) in enumerate(KIND_REPORTS.values())
    ]
    corpus = folder / "kinds.jsonl"
    corpus.write_text("\n".join(json.dumps(line) for line in lines) + "\n", encoding="utf-8")
    ingest_paths(store, [str(corpus)])
    stories = store.list_stories()
    assert len(stories) == len(KIND_REPORTS)
    return {
        name: next(s.id for s in stories if s.headline.startswith(text[:20]))
        for name, (_, text) in KIND_REPORTS.items()
    }


def test_store_listing_kind_matches_the_outlet_not_its_siblings(db: Db, tmp_path: Path) -> None:
    with db.open() as store:
        by_name = _kind_store(store, tmp_path)
        for kind, names in KIND_EXPECTED.items():
            page = store.stories_page(StoryFilter(kind=kind), limit=2)
            got = {s.id for s in page.stories}
            while page.next_cursor:  # the kind filter pages like any other
                page = store.stories_page(StoryFilter(kind=kind), limit=2, cursor=page.next_cursor)
                got |= {s.id for s in page.stories}
            assert got == {by_name[n] for n in names}, kind
            assert page.total == len(names), kind
        # Combined with another filter, the kind still narrows.
        both = store.stories_page(StoryFilter(kind="wire", outlet="kellen"), limit=10)
        assert [s.id for s in both.stories] == [by_name["tass"]]


def test_store_listing_cli_has_the_api_filters(
    sqlite_db: Db, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with sqlite_db.open() as store:
        by_name = _kind_store(store, tmp_path)
    url = sqlite_db.url
    for kind, names in KIND_EXPECTED.items():
        cli = _cli(url, capsys, "--kind", kind.upper())  # any case, as on the page
        assert cli == _api(url, kind=kind), kind
        assert set(cli) == {by_name[n] for n in names}, kind
    for args, params in (
        (("--until", "2026-03-04"), {"until": "2026-03-04"}),  # the whole day: wsj and rg
        (("--until", "2026-03-04T00:00:00Z"), {"until": "2026-03-04T00:00:00Z"}),
        (("--outlet", "rg.ru"), {"outlet": "rg.ru"}),
        (("--conflicts",), {"conflicts": "true"}),  # no brief built: none known
        (("--kind", "state", "--since", "2026-03-06"), {"kind": "state", "since": "2026-03-06"}),
    ):
        cli = _cli(url, capsys, *args)
        assert cli == _api(url, **params), args
    assert set(_cli(url, capsys, "--until", "2026-03-04")) == {by_name["wsj"], by_name["rg"]}
    assert _cli(url, capsys, "--until", "2026-03-04T00:00:00Z") == [by_name["wsj"]]
    got = _cli(url, capsys, "--kind", "state", "--since", "2026-03-07")
    assert got == [by_name["xinhua"]]  # tass (state) is of the 6th
    # An unknown kind is one coded usage error, listing the kinds; nothing is printed.
    capsys.readouterr()
    assert main(["stories", "--db", url, "--kind", "tabloid"]) == 1
    out, err = capsys.readouterr()
    assert out == ""
    (line,) = [x for x in err.splitlines() if "[E102]" in x]
    assert "'tabloid' for --kind" in line and "wire, public, state, private, aggregator" in line
