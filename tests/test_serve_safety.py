"""The server under abuse (issue 17): all-or-nothing or per-item requests, refused bodies,
reads no stored record can break, HEAD, slow clients, write limits and deletion.

FastAPI's TestClient for the answers; a real uvicorn on 127.0.0.1 where the transport matters
(slow clients, HEAD framing). Tiny hand-made reports (fictional).
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from synoptic.serve import create_app
from synoptic.serve import ingest as serve_ingest
from synoptic.store import Ingestor, Store
from synoptic.store.safety import verify
from test_store_fixtures import _make_db

TOKEN = "safety-token-7c1e"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
JSON = {**AUTH, "Content-Type": "application/json"}

HARBOUR = (
    "The harbour wall at Port Velm gave way on Tuesday night and flooded the fish market, "
    "the harbour master said. About forty homes on Quay Street were evacuated before dawn. "
    '"We have never seen the water this high," harbour master Ola Brenn told reporters on '
    "Wednesday. Repairs are expected to cost two million euros, the town council said."
)
ORCHARD = (
    "Apple growers in the Tessin valley began the harvest two weeks early this year after a "
    "warm spring, the growers' cooperative said on Monday. The cooperative expects about "
    "12,000 tonnes, a fifth more than last year, and has hired extra pickers from Lorn."
)
MUSEUM = (
    "The Amsel city museum reopened its east wing on Saturday after three years of repairs "
    "to the roof, the museum's director Lena Hoff said. Visitors queued from early morning "
    "to see the restored glass collection, which had been kept in storage since 2021."
)


@pytest.fixture()
def store(tmp_path: Path) -> Iterator[Store]:
    s = Store(f"sqlite:///{tmp_path / 'serve.db'}")
    try:
        yield s
    finally:
        s.close()


@pytest.fixture()
def client(store: Store) -> Iterator[TestClient]:
    with TestClient(create_app(store, token=TOKEN), raise_server_exceptions=False) as c:
        yield c


def _error(response: Any, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error"} and body["error"]["code"] == code
    assert body["error"]["message"] and "Traceback" not in response.text
    return body["error"]


# -- 1. a request is all or nothing, or reported item by item -------------------------------------


@pytest.mark.parametrize(
    ("body", "code"),
    [
        (b"null", "invalid_body"),
        (b"42", "invalid_body"),
        (b'"str"', "invalid_body"),
        (b"true", "invalid_body"),
        (b"not json at all", "malformed_json"),
        (b'[{"text": "unfinished', "malformed_json"),
        (b"", "malformed_json"),
        (b"   \n", "malformed_json"),
        (b'{"text": NaN}', "malformed_json"),
        (b'[{"text": "x", "n": Infinity}]', "malformed_json"),
        (b"\xff\xfe\x00garbage", "malformed_json"),
    ],
)
def test_serve_safety_refuses_a_json_body_that_is_not_an_object_or_list(
    client: TestClient, store: Store, body: bytes, code: str
) -> None:
    r = client.post("/api/v1/ingest", content=body, headers=JSON)
    _error(r, 400, code)
    assert store.count_articles() == 0


def test_serve_safety_a_json_type_with_a_suffix_is_checked_too(
    client: TestClient, store: Store
) -> None:
    headers = {**AUTH, "Content-Type": "application/vnd.synoptic+json; charset=utf-8"}
    _error(client.post("/api/v1/ingest", content=b"42", headers=headers), 400, "invalid_body")
    assert store.count_articles() == 0


def test_serve_safety_an_item_that_fails_to_store_is_rolled_back_alone(
    client: TestClient, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_add = Ingestor.add

    def failing_add(self: Ingestor, article: Any) -> Any:
        if "Tessin" in article.text:  # the database refuses this one (as PostgreSQL a NUL)
            raise ValueError("A string literal cannot contain NUL (0x00) characters.")
        return real_add(self, article)

    monkeypatch.setattr(Ingestor, "add", failing_add)
    items = [{"text": HARBOUR}, {"text": ORCHARD}, {"text": MUSEUM}]
    r = client.post("/api/v1/ingest?briefs=false", json=items, headers=AUTH)
    assert r.status_code == 200, r.text
    got = [(i["status"], i["code"]) for i in r.json()["items"]]
    assert got == [("accepted", None), ("rejected", "E050"), ("accepted", None)]
    assert r.json()["items"][1]["message"] == (
        "could not be stored: A string literal cannot contain NUL (0x00) characters."
    )
    assert store.count_articles() == 2
    assert verify(store).ok


def test_serve_safety_a_lone_surrogate_never_breaks_the_request(
    client: TestClient, store: Store
) -> None:
    # The second item carries a lone surrogate in each text field (the JSON escape is legal).
    escaped = json.dumps(ORCHARD + " SURROGATE").replace("SURROGATE", "\\ud800")
    bad = f'{{"text": {escaped}, "title": "x \\ud800 y", "outlet": "\\udfff"}}'
    body = f"[{json.dumps({'text': HARBOUR})}, {bad}, {json.dumps({'text': MUSEUM})}]"
    r = client.post("/api/v1/ingest?briefs=false", content=body.encode(), headers=JSON)
    assert r.status_code == 200, r.text
    items = r.json()["items"]
    assert [i["status"] for i in items[::2]] == ["accepted", "accepted"]
    assert items[1]["status"] in ("accepted", "rejected")  # cleaned at read time, or refused
    stored = sum(i["status"] == "accepted" for i in items)
    assert store.count_articles() == stored
    for item in items:
        if item["article_id"]:  # what was stored reads back as valid JSON
            assert client.get(f"/api/v1/articles/{item['article_id']}").status_code == 200


def test_serve_safety_a_reader_failure_refuses_the_whole_request(
    client: TestClient, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = serve_ingest.read_inputs

    def breaks_after_one(*args: Any, **kwargs: Any) -> Iterator[Any]:
        items = real(*args, **kwargs)
        yield next(iter(items))
        raise UnicodeEncodeError("utf-8", "\ud800", 0, 1, "surrogates not allowed")

    monkeypatch.setattr(serve_ingest, "read_inputs", breaks_after_one)
    r = client.post("/api/v1/ingest", json=[{"text": HARBOUR}, {"text": ORCHARD}], headers=AUTH)
    _error(r, 400, "unreadable_body")
    assert store.count_articles() == 0


def test_serve_safety_json_lines_are_still_reported_line_by_line(
    client: TestClient, store: Store
) -> None:
    lines = f"{json.dumps({'text': HARBOUR})}\n42\nnot json\n{json.dumps({'text': ORCHARD})}\n"
    r = client.post(
        "/api/v1/ingest?briefs=false",
        content=lines,
        headers={**AUTH, "Content-Type": "application/x-ndjson"},
    )
    assert r.status_code == 200
    got = [(i["status"], i["code"]) for i in r.json()["items"]]
    assert got == [
        ("accepted", None),
        ("rejected", "E009"),
        ("rejected", "E007"),
        ("accepted", None),
    ]
    assert store.count_articles() == 2


# -- 3. HEAD answers as GET, without a body -------------------------------------------------------


def test_serve_safety_head_answers_like_get_without_a_body(
    client: TestClient, store: Store
) -> None:
    r = client.post("/api/v1/ingest?briefs=false", json={"text": HARBOUR}, headers=AUTH)
    story = r.json()["items"][0]["story_id"]
    article = r.json()["items"][0]["article_id"]
    paths = [
        "/",
        "/api/v1/health",
        "/api/v1/stories",
        f"/api/v1/stories/{story}",
        f"/api/v1/articles/{article}",
        "/api/v1/openapi.json",
        "/static/synoptic.css",
        "/api/v1/stories/s-none",
        "/no/such/page",
    ]
    for path in paths:
        get = client.get(path)
        head = client.head(path)
        assert head.status_code == get.status_code != 405, path
        assert head.content == b"", path
        assert head.headers["content-type"] == get.headers["content-type"], path
        assert int(head.headers["content-length"]) == len(get.content), path
    # A method no route has is still refused.
    assert client.put("/api/v1/health").status_code == 405


# -- 2. no stored record can make a later read fail -----------------------------------------------


def _strict(text: str) -> Any:
    def refuse(name: str) -> Any:
        raise AssertionError(f"{name} in a JSON answer")

    return json.loads(text, parse_constant=refuse)


@pytest.fixture(params=["sqlite", "postgresql"])
def any_store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    for db in _make_db(request.param, tmp_path):
        s = db.open()
        try:
            yield s
        finally:
            s.close()


def test_serve_safety_a_record_holding_nan_still_reads(any_store: Store) -> None:
    from synoptic.model import RawDocument
    from synoptic.pipeline import extract_all

    line = json.dumps({"text": HARBOUR, "score": math.nan, "weights": [1.5, math.inf]}) + "\n"
    with TestClient(create_app(any_store, token=TOKEN), raise_server_exceptions=False) as c:
        # The readers refuse NaN now: the item is rejected alone, nothing is stored.
        r = c.post(
            "/api/v1/ingest?briefs=false",
            content=line,
            headers={**AUTH, "Content-Type": "application/x-ndjson"},
        )
        assert r.status_code == 200, r.text
        assert r.json()["items"][0]["status"] == "rejected"
        assert any_store.count_articles() == 0
        # A record stored before that (or by another route) must still read.
        raw = RawDocument(source="old", content=HARBOUR)
        article = extract_all([raw])[0]
        article = replace(article, meta={"score": math.nan, "weights": [1.5, math.inf]})
        try:
            placement = Ingestor(any_store).add(article)
        except Exception:  # PostgreSQL's JSON refuses NaN: such a record cannot exist there
            assert any_store.dialect == "postgresql"
            return
        item = {"story_id": placement.story_id, "article_id": placement.article_id}
        story = item["story_id"]
        for _ in range(2):  # the first builds (and caches if it can), the second reads again
            r = c.get(f"/api/v1/stories/{story}/brief")
            assert r.status_code == 200, r.text
            doc = _strict(r.text)
            meta = doc["stories"][0]["articles"][0]["meta"]
            assert meta["score"] is None and meta["weights"] == [1.5, None]
        assert c.get(f"/stories/{story}").status_code == 200
        assert _strict(c.get(f"/stories/{story}.json").text)["schema_version"] == "1"
        assert (
            _strict(c.get(f"/api/v1/articles/{item['article_id']}").text)["meta"]["score"] is None
        )


def test_serve_safety_a_brief_that_cannot_be_built_fails_for_its_story_only(
    client: TestClient, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    from synoptic.store import repository

    r = client.post(
        "/api/v1/ingest?briefs=false", json=[{"text": HARBOUR}, {"text": ORCHARD}], headers=AUTH
    )
    bad, good = (i["story_id"] for i in r.json()["items"])
    assert bad != good
    real = repository.build_brief

    def broken(story_id: str, *args: Any, **kwargs: Any) -> Any:
        if story_id == bad:
            raise ZeroDivisionError("a record this code cannot handle")
        return real(story_id, *args, **kwargs)

    monkeypatch.setattr(repository, "build_brief", broken)
    error = _error(client.get(f"/api/v1/stories/{bad}/brief"), 500, "brief_failed")
    assert bad in error["message"]
    assert client.get(f"/stories/{bad}").status_code == 500
    assert client.get(f"/api/v1/stories/{good}/brief").status_code == 200
    assert client.get("/api/v1/stories").status_code == 200
    assert client.get(f"/api/v1/stories/{bad}").status_code == 200


def test_serve_safety_a_cached_brief_that_no_longer_reads_is_rebuilt(
    client: TestClient, store: Store
) -> None:
    from sqlalchemy import update

    from synoptic.store.schema import StoryRow

    r = client.post("/api/v1/ingest", json={"text": HARBOUR}, headers=AUTH)
    story = r.json()["items"][0]["story_id"]
    assert client.get(f"/api/v1/stories/{story}/brief").status_code == 200
    with store.session() as s:  # damaged in place, its key still current
        s.execute(update(StoryRow).where(StoryRow.id == story).values(brief={"junk": 1}))
    r = client.get(f"/api/v1/stories/{story}/brief")
    assert r.status_code == 200, r.text
    assert r.json()["stories"][0]["id"] == story


# -- 4. slow clients and write rates --------------------------------------------------------------


def test_serve_safety_write_limiter_is_a_token_bucket_per_token() -> None:
    from synoptic.serve.limits import WriteLimiter

    now = [100.0]
    limiter = WriteLimiter(rate=2.0, burst=3, clock=lambda: now[0])
    assert [limiter.wait("a") for _ in range(3)] == [0.0, 0.0, 0.0]
    assert limiter.wait("a") == pytest.approx(0.5)
    assert limiter.wait("b") == 0.0  # another token has its own bucket
    now[0] += 0.25
    assert limiter.wait("a") == pytest.approx(0.25)  # half a write earned back
    now[0] += 10
    assert [limiter.wait("a") for _ in range(3)] == [0.0, 0.0, 0.0]  # refilled, capped at 3
    assert limiter.wait("a") > 0
    assert all(WriteLimiter(rate=0).wait("x") == 0.0 for _ in range(100))


def test_serve_safety_writes_over_the_rate_get_429_with_retry_after(store: Store) -> None:
    app = create_app(store, token=TOKEN, write_rate=0.01, write_burst=2)
    with TestClient(app) as c:
        for text in (HARBOUR, ORCHARD):
            assert c.post(
                "/api/v1/ingest?briefs=false", json={"text": text}, headers=AUTH
            ).is_success
        # A wrong token is refused as before and takes nothing from the bucket.
        wrong = {"Authorization": "Bearer nope"}
        _error(c.post("/api/v1/ingest", json={"text": MUSEUM}, headers=wrong), 401, "unauthorized")
        r = c.post("/api/v1/ingest", json={"text": MUSEUM}, headers=AUTH)
        error = _error(r, 429, "rate_limited")
        assert int(r.headers["retry-after"]) >= 1 and "try again" in error["message"]
        assert c.get("/api/v1/stories").status_code == 200  # reads are not limited
    assert store.count_articles() == 2


class _Server:
    """A real uvicorn on 127.0.0.1 in a thread (the transport matters in these tests)."""

    def __init__(self, app: Any, **config: Any) -> None:
        import socket
        import threading

        import uvicorn

        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            self.port = int(sock.getsockname()[1])
        self.server = uvicorn.Server(
            uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning", **config)
        )
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> _Server:
        import time

        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            assert time.monotonic() < deadline, "uvicorn did not start"
            time.sleep(0.05)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)

    def raw(self, data: bytes, *, wait: float) -> bytes:
        """Send ``data`` on a new connection and return all the server sends within ``wait``."""
        import socket
        import time

        got = b""
        with socket.create_connection(("127.0.0.1", self.port), timeout=wait) as sock:
            sock.sendall(data)
            end = time.monotonic() + wait
            while time.monotonic() < end:
                try:
                    chunk = sock.recv(65536)
                except TimeoutError:
                    break
                if not chunk:
                    break  # closed by the server
                got += chunk
        return got


def test_serve_safety_a_body_that_does_not_arrive_in_time_gets_408(store: Store) -> None:
    import time

    app = create_app(store, token=TOKEN, body_seconds=1.0)
    head = (
        "POST /api/v1/ingest HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        f"Authorization: Bearer {TOKEN}\r\nContent-Type: application/json\r\n"
        "Content-Length: 5000\r\n\r\n"
    ).encode()
    with _Server(app) as server:
        t0 = time.monotonic()
        answer = server.raw(head + b'[{"text": "The harbour', wait=8)
        took = time.monotonic() - t0
    assert answer.startswith(b"HTTP/1.1 408 "), answer[:200]
    assert b'"code":"request_timeout"' in answer
    assert 0.9 < took < 6  # answered at the deadline, and the connection closed
    assert store.count_articles() == 0


def test_serve_safety_head_on_a_real_server_frames_an_empty_body(store: Store) -> None:
    app = create_app(store, token=TOKEN)
    with _Server(app) as server:
        answer = server.raw(
            b"HEAD /api/v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
            b"GET /api/v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n",
            wait=5,
        )
    head, _, rest = answer.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 200 ")
    length = int(
        next(h for h in head.split(b"\r\n") if h.lower().startswith(b"content-length")).split(b":")[
            1
        ]
    )
    # The HEAD answer carries no body: the next bytes are the GET's status line.
    assert rest.startswith(b"HTTP/1.1 200 ")
    get_body = rest.partition(b"\r\n\r\n")[2]
    assert len(get_body) == length and json.loads(get_body)["status"] == "ok"


# -- 5. deletion for the token holder -------------------------------------------------------------


def test_serve_safety_delete_an_article_and_a_story(client: TestClient, store: Store) -> None:
    from synoptic.serve.queries import cached_brief

    items = [{"text": HARBOUR, "outlet": "Velm Post"}, {"text": ORCHARD}, {"text": MUSEUM}]
    r = client.post("/api/v1/ingest", json=items, headers=AUTH)
    harbour, orchard, museum = (i["article_id"] for i in r.json()["items"])
    harbour_story = r.json()["items"][0]["story_id"]
    # Only the token holder deletes; unknown ids are 404.
    _error(client.delete(f"/api/v1/articles/{harbour}"), 401, "unauthorized")
    _error(client.delete("/api/v1/articles/a0000000000000000", headers=AUTH), 404, "not_found")
    _error(client.delete("/api/v1/stories/s0000000000000000", headers=AUTH), 404, "not_found")
    _error(client.delete("/api/v1/stories/..%2f..", headers=AUTH), 404, "not_found")
    assert store.count_articles() == 3

    r = client.delete(f"/api/v1/articles/{harbour}", headers=AUTH)
    assert r.status_code == 200, r.text
    assert r.json() == {
        "deleted": {
            "articles": [harbour],
            "story_id": harbour_story,
            "story": "removed",
            "new_story_id": None,
        },
        "briefs": "skipped",
    }
    _error(client.get(f"/api/v1/articles/{harbour}"), 404, "not_found")
    _error(client.get(f"/api/v1/stories/{harbour_story}"), 404, "not_found")

    orchard_story = client.get(f"/api/v1/articles/{orchard}").json()["story_id"]
    r = client.delete(f"/api/v1/stories/{orchard_story}", headers=AUTH)
    assert r.status_code == 200 and orchard in r.json()["deleted"]["articles"]
    assert client.get("/api/v1/health").json()["articles"] == store.count_articles()
    left = {museum} - set(r.json()["deleted"]["articles"])
    assert {a for a in (museum,) if client.get(f"/api/v1/articles/{a}").status_code == 200} == left
    assert verify(store).ok
    for story in client.get("/api/v1/stories").json()["stories"]:
        assert cached_brief(store, story["id"]) is not None


def test_serve_safety_delete_rebuilds_the_brief_of_the_story_left(
    client: TestClient, store: Store
) -> None:
    from synoptic.serve.queries import cached_brief

    copy = HARBOUR + " The council meets again on Friday."
    items = [{"text": HARBOUR, "outlet": "Velm Post"}, {"text": copy, "outlet": "Coast Wire"}]
    r = client.post("/api/v1/ingest", json=items, headers=AUTH)
    first, second = r.json()["items"]
    assert first["story_id"] == second["story_id"]
    r = client.delete(f"/api/v1/articles/{first['article_id']}", headers=AUTH)
    deleted = r.json()["deleted"]
    assert deleted["story"] == "renamed" and r.json()["briefs"] == "scheduled"
    # The test client ran the rebuild before returning: the renamed story's brief is current.
    brief = cached_brief(store, deleted["new_story_id"])
    assert brief is not None
    assert [a.id for a in brief.story.articles] == [second["article_id"]]


def test_serve_safety_openapi_declares_the_bearer_scheme(client: TestClient) -> None:
    spec = client.get("/api/v1/openapi.json").json()
    assert spec["components"]["securitySchemes"]["bearerAuth"] == {
        "type": "http",
        "scheme": "bearer",
        "description": "The API token the server was started with (`SYNOPTIC_TOKEN`).",
    }
    secured = {
        (method, path)
        for path, ops in spec["paths"].items()
        for method, op in ops.items()
        if op.get("security") == [{"bearerAuth": []}]
    }
    assert secured == {
        ("post", "/api/v1/ingest"),
        ("delete", "/api/v1/articles/{article_id}"),
        ("delete", "/api/v1/stories/{story_id}"),
    }


def test_serve_safety_headers_and_idle_connections_have_deadlines(store: Store) -> None:
    import time

    from synoptic.serve.transport import uvicorn_options

    app = create_app(store, token=TOKEN)
    with _Server(app, **uvicorn_options(header_seconds=1.0, keep_alive_seconds=1)) as server:
        # A head that never ends: closed at the deadline, with nothing served.
        t0 = time.monotonic()
        assert server.raw(b"GET /api/v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\n", wait=8) == b""
        assert 0.9 < time.monotonic() - t0 < 5
        # Nothing at all: closed too.
        t0 = time.monotonic()
        assert server.raw(b"", wait=8) == b""
        assert time.monotonic() - t0 < 5
        # A prompt request is answered; the idle kept-alive connection is closed afterwards.
        t0 = time.monotonic()
        answer = server.raw(b"GET /api/v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", wait=8)
        assert answer.startswith(b"HTTP/1.1 200 ") and answer.endswith(b"}")
        assert time.monotonic() - t0 < 5


def test_serve_safety_a_bad_second_item_on_a_real_server_keeps_the_connection(
    store: Store,
) -> None:
    import httpx

    escaped = json.dumps(ORCHARD + " SURROGATE").replace("SURROGATE", "\\ud800")
    body = f'[{json.dumps({"text": HARBOUR})}, {{"text": {escaped}, "title": "\\udc80"}}]'
    app = create_app(store, token=TOKEN)
    with _Server(app) as server, httpx.Client(base_url=f"http://127.0.0.1:{server.port}") as c:
        r = c.post("/api/v1/ingest?briefs=false", content=body.encode(), headers=JSON)
        assert r.status_code == 200, r.text
        statuses = [i["status"] for i in r.json()["items"]]
        assert statuses[0] == "accepted"
        assert store.count_articles() == statuses.count("accepted")
        # The same kept-alive connection goes on answering.
        assert c.get("/api/v1/health").json()["articles"] == store.count_articles()
