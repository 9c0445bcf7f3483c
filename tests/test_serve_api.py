"""The REST API (``/api/v1``) through FastAPI's TestClient against real stores.

Read tests run on SQLite and on PostgreSQL (skipped when no server answers), over a store
filled from ``examples/`` with its briefs built. Ingest tests start from an empty store each.
Every error path is checked for its status and its JSON shape.
"""

from __future__ import annotations

import hmac
import json
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from synoptic import __version__
from synoptic.schema import check_citations, validate_document
from synoptic.serve import create_app
from synoptic.serve import queries as serve_queries
from synoptic.serve import security as serve_security
from synoptic.store import Store, ingest_paths
from test_store_fixtures import EXAMPLES, Db, postgres_url

TOKEN = "test-token-3f9a1c"
AUTH = {"Authorization": f"Bearer {TOKEN}"}

# Hand-written snippets (fictional): a harbour story, a wire copy of it, and an unrelated one.
HARBOUR = (
    "The harbour wall at Port Velm gave way on Tuesday night and flooded the fish market, "
    "the harbour master said. About forty homes on Quay Street were evacuated before dawn. "
    '"We have never seen the water this high," harbour master Ola Brenn told reporters on '
    "Wednesday. Repairs are expected to cost two million euros, the town council said."
)
HARBOUR_COPY = HARBOUR + " The council meets again on Friday."
ORCHARD = (
    "Apple growers in the Tessin valley began the harvest two weeks early this year after a "
    "warm spring, the growers' cooperative said on Monday. The cooperative expects about "
    "12,000 tonnes, a fifth more than last year, and has hired extra pickers from Lorn."
)


def _cleanup_schema(url: str, schema: str) -> None:
    import psycopg

    dsn = url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


def _db(kind: str, folder: Path) -> Iterator[Db]:
    if kind == "sqlite":
        yield Db(f"sqlite:///{folder / 'serve.db'}")
        return
    url = postgres_url()
    if url is None:
        pytest.skip("no PostgreSQL server answers on 127.0.0.1:5432 (users root, postgres)")
    schema = f"synoptic_serve_{uuid.uuid4().hex[:12]}"
    try:
        yield Db(url, schema)
    finally:
        _cleanup_schema(url, schema)


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def filled(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Store]:
    """A store holding the example corpus, briefs built (SQLite and PostgreSQL)."""
    folder = tmp_path_factory.mktemp("filled")
    for db in _db(request.param, folder):
        store = db.open()
        try:
            result = ingest_paths(store, [str(EXAMPLES)], briefs=True)
            assert result.new >= 9 and not result.problems
            yield store
        finally:
            store.close()


@pytest.fixture(scope="module")
def client(filled: Store) -> Iterator[TestClient]:
    """A client of an app over the filled store, with ingest enabled."""
    with TestClient(create_app(filled, token=TOKEN)) as c:
        yield c


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Db]:
    """An empty database of each kind."""
    yield from _db(request.param, tmp_path)


@pytest.fixture()
def empty_store(tmp_path: Path) -> Iterator[Store]:
    """An empty SQLite store."""
    store = Store(f"sqlite:///{tmp_path / 'empty.db'}")
    try:
        yield store
    finally:
        store.close()


def _error(response: Any, status: int, code: str) -> dict[str, Any]:
    """Assert ``response`` is the API's JSON error with ``status`` and ``code``."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error"}
    assert body["error"]["code"] == code
    assert isinstance(body["error"]["message"], str) and body["error"]["message"]
    assert "Traceback" not in response.text
    return body["error"]


# -- reads ----------------------------------------------------------------------------------------


def test_serve_api_health_reports_counts_version_and_database(
    client: TestClient, filled: Store
) -> None:
    r = client.get("/api/v1/health")
    assert r.status_code == 200
    body = r.json()
    assert body == {
        "status": "ok",
        "version": __version__,
        "articles": filled.count_articles(),
        "stories": len(filled.list_stories()),
        "database": filled.dialect,
        "ingest": True,
    }
    assert body["articles"] >= 9 and body["stories"] >= 2


def test_serve_api_lists_stories_as_the_cli_does(client: TestClient, filled: Store) -> None:
    r = client.get("/api/v1/stories")
    assert r.status_code == 200
    body = r.json()
    expected = [s.to_dict() for s in filled.list_stories()]
    assert body["total"] == len(expected)
    assert body["offset"] == 0 and body["next_cursor"] is None
    got = [{k: v for k, v in s.items() if k != "links"} for s in body["stories"]]
    assert got == expected
    first = body["stories"][0]
    assert first["links"] == {
        "brief": f"/api/v1/stories/{first['id']}/brief",
        "page": f"/stories/{first['id']}",
    }
    # Briefs were built at ingest, so conflicts are known.
    assert all(isinstance(s["conflicts"], int) for s in body["stories"])


def test_serve_api_filters_stories(client: TestClient, filled: Store) -> None:
    def ids(**params: Any) -> list[str]:
        r = client.get("/api/v1/stories", params=params)
        assert r.status_code == 200, r.text
        assert r.json()["total"] == len(r.json()["stories"])
        return [s["id"] for s in r.json()["stories"]]

    everything = ids()
    museum = [s.id for s in filled.list_stories(query="museum")]
    assert museum and ids(query="MUSEUM") == museum
    # A member's title matches as well as the headline.
    assert ids(query="Velmar") == [s.id for s in filled.list_stories(query="velmar")]
    assert ids(min_outlets=3) == [s.id for s in filled.list_stories(min_outlets=3)]
    assert len(ids(min_outlets=3)) < len(everything)
    assert ids(since="2100-01-01") == []
    assert ids(since="2000-01-01") == everything
    assert ids(since="2000-01-01T00:00:00+00:00") == everything
    # "%" and "_" are text, not wildcards.
    assert ids(query="%") == [] and ids(query="_") == []


def test_serve_api_pages_by_offset_and_by_cursor(client: TestClient) -> None:
    everything = [s["id"] for s in client.get("/api/v1/stories").json()["stories"]]
    assert len(everything) >= 2
    by_offset = []
    for offset in range(len(everything)):
        page = client.get("/api/v1/stories", params={"limit": 1, "offset": offset}).json()
        assert page["total"] == len(everything) and page["limit"] == 1
        by_offset += [s["id"] for s in page["stories"]]
    assert by_offset == everything
    beyond = client.get("/api/v1/stories", params={"offset": len(everything)}).json()
    assert beyond["stories"] == [] and beyond["total"] == len(everything)

    by_cursor: list[str] = []
    params: dict[str, Any] = {"limit": 1}
    while True:
        page = client.get("/api/v1/stories", params=params).json()
        assert page["offset"] is None or not by_cursor
        by_cursor += [s["id"] for s in page["stories"]]
        if page["next_cursor"] is None:
            break
        params = {"limit": 1, "cursor": page["next_cursor"]}
    assert by_cursor == everything


@pytest.mark.parametrize(
    "params",
    [
        {"limit": 0},
        {"limit": 201},
        {"limit": "ten"},
        {"offset": -1},
        {"min_outlets": -1},
        {"since": "last tuesday"},
        {"since": "2024-13-45"},
        {"cursor": "not-a-cursor"},
        {"cursor": "WzEsMl0", "offset": 1},
        {"query": "x" * 201},
    ],
)
def test_serve_api_rejects_bad_list_parameters_with_422(
    client: TestClient, params: dict[str, Any]
) -> None:
    error = _error(client.get("/api/v1/stories", params=params), 422, "invalid_request")
    name = next(iter(params)) if len(params) == 1 else "cursor"
    assert name in error["message"]


def test_serve_api_serves_one_story_and_its_brief_document(
    client: TestClient, filled: Store
) -> None:
    story = max(filled.list_stories(), key=lambda s: s.articles)
    r = client.get(f"/api/v1/stories/{story.id}")
    assert r.status_code == 200
    assert {k: v for k, v in r.json().items() if k != "links"} == story.to_dict()

    r = client.get(f"/api/v1/stories/{story.id}/brief")
    assert r.status_code == 200
    doc = r.json()
    validate_document(doc)
    check_citations(doc)
    assert [s["id"] for s in doc["stories"]] == [story.id]
    # The cached brief, as the CLI's `show` prints it, inputs named without their location.
    expected = json.loads(json.dumps(filled.brief(story.id).contract_dict()))
    for article in expected["articles"]:
        article["source"] = Path(article["source"]).name
    assert doc["stories"][0] == expected
    assert str(EXAMPLES) not in json.dumps(doc)
    assert len(doc["stories"][0]["articles"]) == story.articles


@pytest.mark.parametrize("story_id", ["s0000000000000000", "nope", "s" + "0" * 80, "a b", "%25"])
def test_serve_api_unknown_story_is_404(client: TestClient, story_id: str) -> None:
    _error(client.get(f"/api/v1/stories/{story_id}"), 404, "not_found")
    _error(client.get(f"/api/v1/stories/{story_id}/brief"), 404, "not_found")


def test_serve_api_serves_one_article(client: TestClient, filled: Store) -> None:
    story = filled.list_stories(query="museum")[0]
    article = filled.story_articles(story.id)[0]
    r = client.get(f"/api/v1/articles/{article.id}")
    assert r.status_code == 200
    body = r.json()
    assert body["story_id"] == story.id
    expected = json.loads(json.dumps(article.contract_dict()))
    # The input's name, not where the server read it (issue 14).
    assert body["source"] == Path(article.source).name and str(EXAMPLES) not in r.text
    expected["source"] = body["source"]
    assert {k: v for k, v in body.items() if k != "story_id"} == expected
    _error(client.get("/api/v1/articles/a0000000000000000"), 404, "not_found")
    _error(client.get("/api/v1/articles/..%2F..%2Fetc"), 404, "not_found")


def test_serve_api_publishes_its_openapi_spec(client: TestClient) -> None:
    r = client.get("/api/v1/openapi.json")
    assert r.status_code == 200
    spec = r.json()
    assert spec["openapi"].startswith("3.")
    assert spec["info"]["version"] == __version__
    paths = spec["paths"]
    for path in (
        "/api/v1/health",
        "/api/v1/stories",
        "/api/v1/stories/{story_id}",
        "/api/v1/stories/{story_id}/brief",
        "/api/v1/articles/{article_id}",
        "/api/v1/ingest",
    ):
        assert path in paths, path
    # Web pages and static files are not part of the API.
    assert all(p.startswith("/api/v1/") for p in paths)
    # Errors are documented with the shape they really have.
    listed = paths["/api/v1/stories"]["get"]["responses"]
    assert listed["422"]["content"]["application/json"]["schema"]["$ref"].endswith("/ErrorOut")
    ingest = paths["/api/v1/ingest"]["post"]
    assert {"401", "403", "413", "415"} <= set(ingest["responses"])
    assert {"application/json", "multipart/form-data"} <= set(ingest["requestBody"]["content"])
    # No interactive docs: they would load scripts from a CDN.
    assert client.get("/docs").status_code == 404
    assert client.get("/api/v1/schema/brief-v1.json").json()["$schema"].startswith("https://")


def test_serve_api_unknown_route_and_method_are_json_errors(client: TestClient) -> None:
    _error(client.get("/api/v1/nothing-here"), 404, "not_found")
    _error(client.delete("/api/v1/stories"), 405, "method_not_allowed")
    _error(client.get("/api/v1/ingest"), 405, "method_not_allowed")


def test_serve_api_sets_security_headers_on_answers_and_errors(client: TestClient) -> None:
    for r in (client.get("/api/v1/health"), client.get("/api/v1/stories/nope")):
        assert r.headers["content-security-policy"] == serve_security.CSP
        assert r.headers["x-content-type-options"] == "nosniff"
        assert r.headers["referrer-policy"] == "no-referrer"


def test_serve_api_unexpected_error_is_json_500_without_trace(
    filled: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(store: Store) -> tuple[int, int]:
        raise RuntimeError("secret internal detail at /srv/db")

    monkeypatch.setattr("synoptic.serve.api.counts", broken)
    with TestClient(create_app(filled), raise_server_exceptions=False) as c:
        r = c.get("/api/v1/health")
    error = _error(r, 500, "internal_error")
    assert "secret" not in r.text and "RuntimeError" not in r.text
    assert error["message"].startswith("internal error")
    assert r.headers["content-security-policy"] == serve_security.CSP


def test_serve_api_health_is_503_when_the_database_fails(
    filled: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sqlalchemy.exc import OperationalError

    def down(store: Store) -> tuple[int, int]:
        raise OperationalError("SELECT count(*)", {}, Exception("database is locked"))

    monkeypatch.setattr("synoptic.serve.api.counts", down)
    with TestClient(create_app(filled)) as c:
        r = c.get("/api/v1/health")
    _error(r, 503, "unavailable")
    assert "locked" not in r.text and "SELECT" not in r.text


def test_serve_api_answers_only_allowed_host_names(filled: Store) -> None:
    app = create_app(filled, allowed_hosts=["127.0.0.1", "localhost", "[::1]"])
    with TestClient(app, base_url="http://127.0.0.1:8000") as c:
        assert c.get("/api/v1/health").status_code == 200
        for host in ("localhost:8000", "[::1]:8000", "LOCALHOST"):
            assert c.get("/api/v1/health", headers={"Host": host}).status_code == 200, host
        for host in ("evil.example", "127.0.0.1.evil.example:8000", ""):
            r = c.get("/", headers={"Host": host})
            _error(r, 400, "bad_host")
            assert r.headers["content-security-policy"] == serve_security.CSP


# -- ingest: authorisation and limits --------------------------------------------------------------


def test_serve_api_ingest_is_disabled_without_a_token(
    empty_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(serve_security.ENV_TOKEN, raising=False)
    with TestClient(create_app(empty_store)) as c:
        assert c.get("/api/v1/health").json()["ingest"] is False
        error = _error(
            c.post("/api/v1/ingest", json={"text": HARBOUR}, headers=AUTH), 403, "ingest_disabled"
        )
    assert serve_security.ENV_TOKEN in error["message"]
    assert empty_store.count_articles() == 0
    # A blank variable is no token either.
    monkeypatch.setenv(serve_security.ENV_TOKEN, "   ")
    with TestClient(create_app(empty_store)) as c:
        _error(
            c.post("/api/v1/ingest", json={"text": HARBOUR}, headers={"Authorization": "Bearer "}),
            403,
            "ingest_disabled",
        )


def test_serve_api_ingest_reads_the_token_from_the_environment(
    empty_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(serve_security.ENV_TOKEN, TOKEN)
    with TestClient(create_app(empty_store)) as c:
        r = c.post("/api/v1/ingest?briefs=false", json={"text": ORCHARD}, headers=AUTH)
    assert r.status_code == 200 and r.json()["accepted"] == 1


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Authorization": "Bearer"},
        {"Authorization": f"Basic {TOKEN}"},
        {"Authorization": "Bearer wrong-token"},
        {"Authorization": f"Bearer {TOKEN}x"},
        {"Authorization": f"Bearer {TOKEN[:-1]}"},
    ],
)
def test_serve_api_ingest_needs_the_right_bearer_token(
    empty_store: Store, headers: dict[str, str]
) -> None:
    with TestClient(create_app(empty_store, token=TOKEN)) as c:
        r = c.post("/api/v1/ingest", json={"text": HARBOUR}, headers=headers)
    _error(r, 401, "unauthorized")
    assert r.headers["www-authenticate"].startswith("Bearer")
    assert empty_store.count_articles() == 0


def test_serve_api_ingest_compares_the_token_in_constant_time(
    empty_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[tuple[bytes, bytes]] = []
    real = hmac.compare_digest

    def spy(a: bytes, b: bytes) -> bool:
        calls.append((a, b))
        return real(a, b)

    monkeypatch.setattr(serve_security.hmac, "compare_digest", spy)
    with TestClient(create_app(empty_store, token=TOKEN)) as c:
        c.post("/api/v1/ingest?briefs=false", json={"text": ORCHARD}, headers=AUTH)
        c.post(
            "/api/v1/ingest?briefs=false",
            json={"text": ORCHARD},
            headers={"Authorization": "Bearer no"},
        )
    assert calls == [(TOKEN.encode(), TOKEN.encode()), (b"no", TOKEN.encode())]


def test_serve_api_ingest_refuses_a_body_over_the_limit_with_413(empty_store: Store) -> None:
    big = json.dumps({"text": HARBOUR * 20})
    assert len(big) > 2000
    with TestClient(create_app(empty_store, token=TOKEN, max_body=2000)) as c:
        # Declared length over the limit: refused unread.
        r = c.post(
            "/api/v1/ingest", content=big, headers={**AUTH, "Content-Type": "application/json"}
        )
        error = _error(r, 413, "payload_too_large")
        assert "2,000" in error["message"]
        assert r.headers["content-security-policy"] == serve_security.CSP

        # Streamed without a length (chunked): refused once the bytes pass the limit.
        def chunks() -> Iterator[bytes]:
            data = big.encode()
            for i in range(0, len(data), 500):
                yield data[i : i + 500]

        r = c.post(
            "/api/v1/ingest", content=chunks(), headers={**AUTH, "Content-Type": "application/json"}
        )
        _error(r, 413, "payload_too_large")
        # Under the limit is fine.
        ok = c.post("/api/v1/ingest?briefs=false", json={"text": ORCHARD}, headers=AUTH)
        assert ok.status_code == 200
    assert empty_store.count_articles() == 1


def test_serve_api_ingest_refuses_other_body_types_with_415(empty_store: Store) -> None:
    with TestClient(create_app(empty_store, token=TOKEN)) as c:
        r = c.post(
            "/api/v1/ingest", content=HARBOUR, headers={**AUTH, "Content-Type": "text/plain"}
        )
        _error(r, 415, "unsupported_media_type")
        r = c.post("/api/v1/ingest", content=HARBOUR, headers=AUTH)
        _error(r, 415, "unsupported_media_type")


def test_serve_api_ingest_rejects_a_form_without_files(empty_store: Store) -> None:
    with TestClient(create_app(empty_store, token=TOKEN)) as c:
        # A urlencoded form is not a type ingest reads.
        r = c.post("/api/v1/ingest", data={"note": "no files"}, headers=AUTH)
        _error(r, 415, "unsupported_media_type")
        r = c.post(
            "/api/v1/ingest",
            content=b'--x\r\nContent-Disposition: form-data; name="note"\r\n\r\nhi\r\n--x--\r\n',
            headers={**AUTH, "Content-Type": "multipart/form-data; boundary=x"},
        )
        _error(r, 422, "invalid_request")


# -- ingest: per-item reports ---------------------------------------------------------------------


def test_serve_api_ingest_reports_every_item(empty_db: Db) -> None:
    store = empty_db.open()
    items: list[Any] = [
        {
            "text": HARBOUR,
            "title": "Harbour wall fails",
            "outlet": "Velm Post",
            "published": "2025-02-04",
        },
        {
            "text": HARBOUR,
            "title": "Harbour wall fails",
            "outlet": "Velm Post",
            "published": "2025-02-04",
        },
        {
            "text": HARBOUR_COPY,
            "title": "Port Velm flooded",
            "outlet": "Coast Wire",
            "published": "2025-02-05",
        },
        {"title": "no body"},
        ["not", "an", "object"],
        {"text": ORCHARD, "outlet": "Valley Farmer", "language": "en"},
    ]
    try:
        with TestClient(create_app(store, token=TOKEN)) as c:
            r = c.post("/api/v1/ingest?briefs=false", json=items, headers=AUTH)
            assert r.status_code == 200, r.text
            body = r.json()
            assert (body["accepted"], body["duplicates"], body["rejected"]) == (2, 2, 2)
            assert body["briefs"] == "skipped"
            got = [(i["index"], i["source"], i["status"], i["code"]) for i in body["items"]]
            assert got == [
                (0, "request#0", "accepted", None),
                (1, "request#1", "duplicate", None),
                (2, "request#2", "duplicate", None),
                (3, "request#3", "rejected", "E008"),
                (4, "request#4", "rejected", "E009"),
                (5, "request#5", "accepted", None),
            ]
            first, again, copy, missing, wrong, orchard = body["items"]
            assert (
                again["article_id"] == first["article_id"] and "already stored" in again["message"]
            )
            assert copy["duplicate_of"] == first["article_id"]
            assert copy["story_id"] == first["story_id"] != orchard["story_id"]
            # The same line the CLI prints on stderr.
            assert missing["line"] == (
                "synoptic: skipped request#3: JSON record has neither a non-empty 'text' "
                "nor 'html' field [E008]"
            )
            assert wrong["message"] == "JSON record is not an object (got an array)"
            assert set(body["touched"]) == {first["story_id"], orchard["story_id"]}
            # What was stored is readable at once.
            art = c.get(f"/api/v1/articles/{first['article_id']}").json()
            assert art["outlet"] == "Velm Post" and art["source"] == "request#0"
            assert art["text"].startswith("The harbour wall at Port Velm")
            assert c.get("/api/v1/stories").json()["total"] == 2
    finally:
        store.close()


def test_serve_api_ingest_gives_the_same_store_as_the_cli(tmp_path: Path) -> None:
    items = [
        {
            "text": HARBOUR,
            "title": "Harbour wall fails",
            "outlet": "Velm Post",
            "published": "2025-02-04",
        },
        {
            "text": HARBOUR_COPY,
            "title": "Port Velm flooded",
            "outlet": "Coast Wire",
            "published": "2025-02-05",
        },
        {"text": ORCHARD, "outlet": "Valley Farmer"},
        {
            "html": "<html><body><article><p>"
            + ORCHARD.replace("Monday", "Tuesday")
            + "</p></article></body></html>"
        },
    ]
    path = tmp_path / "batch.json"
    path.write_text(json.dumps(items), encoding="utf-8")
    with Store(f"sqlite:///{tmp_path / 'cli.db'}") as cli_store:
        result = ingest_paths(cli_store, [str(path)])
        cli_snapshot = cli_store.snapshot()
    with Store(f"sqlite:///{tmp_path / 'api.db'}") as api_store:
        with TestClient(create_app(api_store, token=TOKEN)) as c:
            r = c.post(
                "/api/v1/ingest?briefs=false",
                content=path.read_bytes(),
                headers={**AUTH, "Content-Type": "application/json"},
            )
        assert r.status_code == 200
        api_snapshot = api_store.snapshot()
    assert result.new == 4 and r.json()["accepted"] + r.json()["duplicates"] == 4
    assert api_snapshot == cli_snapshot


def test_serve_api_ingest_reads_json_lines_and_malformed_json(empty_store: Store) -> None:
    lines = (
        json.dumps({"text": HARBOUR, "outlet": "Velm Post"})
        + "\n{broken\n"
        + json.dumps({"text": ORCHARD})
        + "\n"
    )
    with TestClient(create_app(empty_store, token=TOKEN)) as c:
        r = c.post(
            "/api/v1/ingest?briefs=false",
            content=lines,
            headers={**AUTH, "Content-Type": "application/x-ndjson"},
        )
        assert [(i["source"], i["status"], i["code"]) for i in r.json()["items"]] == [
            ("request:1", "accepted", None),
            ("request:2", "rejected", "E007"),
            ("request:3", "accepted", None),
        ]
        # A body declared JSON that is not JSON is refused whole (issue 14: it was a 200).
        r = c.post(
            "/api/v1/ingest", content=b"[{", headers={**AUTH, "Content-Type": "application/json"}
        )
        assert _error(r, 400, "malformed_json")["message"].startswith("malformed JSON: ")
        r = c.post(
            "/api/v1/ingest", content=b"", headers={**AUTH, "Content-Type": "application/json"}
        )
        _error(r, 400, "malformed_json")


def test_serve_api_ingest_rejects_an_item_over_the_input_limit(empty_store: Store) -> None:
    with TestClient(create_app(empty_store, token=TOKEN, max_item_bytes=300)) as c:
        r = c.post("/api/v1/ingest", json={"text": HARBOUR}, headers=AUTH)
    item = r.json()["items"][0]
    assert (item["status"], item["code"]) == ("rejected", "E006")
    assert empty_store.count_articles() == 0


def test_serve_api_ingest_reads_uploaded_files_like_the_cli(empty_store: Store) -> None:
    dam = EXAMPLES / "dam"
    files = [
        ("files", ("valley-courier.html", (dam / "valley-courier.html").read_bytes(), "text/html")),
        (
            "files",
            (
                "../../etc/kellen-herald-wire.txt",
                (dam / "kellen-herald-wire.txt").read_bytes(),
                "text/plain",
            ),
        ),
        (
            "files",
            (
                "coastline-today-wire.txt",
                (dam / "coastline-today-wire.txt").read_bytes(),
                "text/plain",
            ),
        ),
        ("files", ("scan.pdf", b"%PDF-1.4 binary", "application/pdf")),
        ("files", ("empty.txt", b"", "text/plain")),
        (
            "files",
            (
                "batch.jsonl",
                (EXAMPLES / "feeds" / "ebn.jsonl").read_bytes(),
                "application/x-ndjson",
            ),
        ),
    ]
    with TestClient(create_app(empty_store, token=TOKEN)) as c:
        r = c.post("/api/v1/ingest?briefs=false", files=files, headers=AUTH)
    assert r.status_code == 200, r.text
    got = [(i["source"], i["status"], i["code"]) for i in r.json()["items"]]
    assert got == [
        ("upload:valley-courier.html", "accepted", None),
        ("upload:kellen-herald-wire.txt", "accepted", None),
        # The wire text carried twice: the second is found as a copy of the first.
        ("upload:coastline-today-wire.txt", "duplicate", None),
        ("upload:scan.pdf", "rejected", "E012"),
        ("upload:empty.txt", "rejected", "E003"),
        ("upload:batch.jsonl:1", "accepted", None),
    ]
    html = c.get(f"/api/v1/articles/{r.json()['items'][0]['article_id']}").json()
    assert html["outlet"] == "The Valley Courier"  # read from the page, as the CLI does


def test_serve_api_ingest_schedules_brief_rebuilds(empty_store: Store) -> None:
    with TestClient(create_app(empty_store, token=TOKEN)) as c:
        r = c.post("/api/v1/ingest", json=[{"text": HARBOUR, "outlet": "Velm Post"}], headers=AUTH)
        assert r.json()["briefs"] == "scheduled"
        # The test client runs background tasks before returning: the brief is cached.
        story = c.get("/api/v1/stories").json()["stories"][0]
    assert story["conflicts"] == 0
    assert serve_queries.cached_brief(empty_store, story["id"]) is not None


def test_serve_api_upload_names_are_made_safe() -> None:
    from synoptic.serve.ingest import safe_name

    assert safe_name("../../etc/passwd", 0) == "passwd"
    assert safe_name("C:\\Users\\x\\report.html", 1) == "report.html"
    assert safe_name(".hidden.txt", 2) == "hidden.txt"
    assert safe_name("", 3) == "upload-3"
    assert safe_name("a<b>\x00c.json", 4) == "abc.json"
    assert safe_name(None, 5) == "upload-5"


# -- the command line -----------------------------------------------------------------------------


def test_serve_api_cli_serve_runs_uvicorn_on_loopback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import uvicorn

    from synoptic.cli import main

    calls: list[dict[str, Any]] = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: calls.append({"app": app, **kw}))
    monkeypatch.delenv(serve_security.ENV_TOKEN, raising=False)
    db = f"sqlite:///{tmp_path / 'cli.db'}"
    assert main(["serve", "--db", db, "--port", "8123"]) == 0
    assert calls[0]["host"] == "127.0.0.1" and calls[0]["port"] == 8123
    assert calls[0]["app"].state.store.url == db
    guards = [m for m in calls[0]["app"].user_middleware if m.cls is serve_security.HostGuard]
    assert guards and "localhost" in guards[0].kwargs["allowed"]
    err = capsys.readouterr().err
    assert "http://127.0.0.1:8123/" in err and "ingest disabled" in err and "warning" not in err

    monkeypatch.setenv(serve_security.ENV_TOKEN, TOKEN)
    assert main(["serve", "--db", db, "--host", "0.0.0.0"]) == 0
    assert calls[1]["host"] == "0.0.0.0" and calls[1]["port"] == 8000
    assert not [m for m in calls[1]["app"].user_middleware if m.cls is serve_security.HostGuard]
    err = capsys.readouterr().err
    assert "warning" in err and "ingest enabled" in err


def test_serve_api_loopback_detection() -> None:
    from synoptic.cli.serve import is_loopback

    assert all(is_loopback(h) for h in ("127.0.0.1", "127.1.2.3", "::1", "[::1]", "localhost"))
    assert not any(is_loopback(h) for h in ("0.0.0.0", "::", "192.168.1.4", "example.org"))


def test_serve_api_refuses_bodies_not_of_the_declared_type(empty_store: Store) -> None:
    with TestClient(create_app(empty_store, token=TOKEN)) as c:
        as_json = {**AUTH, "Content-Type": "application/json"}
        for body, code in (
            (b"not json at all", "malformed_json"),
            (b"42", "invalid_body"),
            (b'"a story"', "invalid_body"),
            (b"[1]", "invalid_body"),
            (b'["x", {"text": "later"}]', "invalid_body"),
            (b'{"text": "cut', "malformed_json"),
        ):
            _error(c.post("/api/v1/ingest", content=body, headers=as_json), 400, code)
        _error(
            c.post(
                "/api/v1/ingest", content=b"plain", headers={**AUTH, "Content-Type": "text/plain"}
            ),
            415,
            "unsupported_media_type",
        )
        # Nothing of the refused bodies became a story; a list's odd item is rejected alone
        # (the batch goes on, as in the CLI).
        assert empty_store.list_stories() == []
        r = c.post("/api/v1/ingest?briefs=false", content=b'[{"title": "t"}, 1]', headers=as_json)
        assert [i["code"] for i in r.json()["items"]] == ["E008", "E009"]
        assert empty_store.list_stories() == []


def test_serve_api_deletes_articles_and_stories_for_the_token_holder(empty_store: Store) -> None:
    with TestClient(create_app(empty_store, token=TOKEN)) as c:
        r = c.post(
            "/api/v1/ingest?briefs=false",
            json=[{"text": HARBOUR, "outlet": "Velm Post"}, {"text": ORCHARD}],
            headers=AUTH,
        )
        items = r.json()["items"]
        first, second = items[0], items[1]
        _error(c.delete(f"/api/v1/articles/{first['article_id']}"), 401, "unauthorized")
        r = c.delete(f"/api/v1/articles/{first['article_id']}", headers=AUTH)
        assert r.status_code == 200, r.text
        _error(c.get(f"/api/v1/articles/{first['article_id']}"), 404, "not_found")
        # A story by a prefix of its id, as `synoptic show` takes it.
        prefix = second["story_id"][:8]
        assert c.get(f"/api/v1/stories/{prefix}").json()["id"] == second["story_id"]
        assert c.delete(f"/api/v1/stories/{prefix}", headers=AUTH).status_code == 200
        _error(c.get(f"/api/v1/stories/{second['story_id']}"), 404, "not_found")
        assert empty_store.list_stories() == []


def test_serve_api_id_prefixes_resolve_or_are_refused(
    client: TestClient, filled: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    ids = sorted(s.id for s in filled.list_stories())
    story = ids[0]
    assert client.get(f"/api/v1/stories/{story[:7]}").json()["id"] == story
    brief = client.get(f"/api/v1/stories/{story[:7]}/brief").json()
    assert brief["stories"][0]["id"] == story
    # Too short to name one story: not a prefix at all.
    _error(client.get("/api/v1/stories/s"), 404, "not_found")
    # A prefix two stories share: the answer names the ambiguity ("s" starts every id once
    # the shortest prefix is one letter).
    monkeypatch.setattr(serve_queries, "MIN_PREFIX", 1)
    assert (
        "several story ids"
        in _error(client.get("/api/v1/stories/s"), 409, "ambiguous_id")["message"]
    )
    monkeypatch.undo()
    # The web page redirects a prefix to the story's own address.
    r = client.get(f"/stories/{story[:7]}", follow_redirects=False)
    assert r.status_code == 307 and r.headers["location"] == f"/stories/{story}"


def test_serve_api_docs_are_interactive_local_and_declare_the_token(client: TestClient) -> None:
    spec = client.get("/api/v1/openapi.json").json()
    assert spec["components"]["securitySchemes"]["bearerAuth"] == {
        **spec["components"]["securitySchemes"]["bearerAuth"],
        "type": "http",
        "scheme": "bearer",
    }
    r = client.get("/api/v1/docs")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    html = r.text
    # Every operation of the document, each with its "Try it" form; no script or style from
    # anywhere else (the page's policy would refuse it anyway).
    operations = sum(
        1 for item in spec["paths"].values() for m in ("get", "post", "delete") if m in item
    )
    assert html.count('class="try"') == operations
    assert "cdn" not in html.lower() and 'src="http' not in html and 'href="http' not in html
    assert 'data-method="DELETE"' in html and "/api/v1/ingest" in html
    assert '<script src="/static/apidocs.js' in html
    script = client.get("/static/apidocs.js").text
    assert "fetch(url" in script and "http" not in script.replace("http(s)", "")
