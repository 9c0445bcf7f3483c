"""Subscriptions and `synoptic watch`, against loopback servers the tests start."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from loopback_server import Handler, Page, serve
from synoptic.errors import UsageError
from synoptic.fetch import AddressPolicy, Fetcher, FetchSettings
from synoptic.store import Store
from synoptic.web.subscriptions import (
    add_feeds,
    list_feeds,
    read_opml,
    remove_feeds,
    write_opml,
)
from synoptic.web.watch import Watcher

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
SETTINGS = FetchSettings(policy=AddressPolicy.from_strings(["127.0.0.0/8"]), host_interval=0.0)
FEED = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Dam watch</title><link>{base}/</link>
<item><title>Ledger</title><link>{base}/ledger.html</link></item>
<item><title>Courier</title><link>{base}/courier.html</link></item>
</channel></rss>"""


def _feed_route(base: str):
    def route(handler: Handler) -> None:
        if handler.headers.get("If-None-Match") == '"v1"':
            handler.send_response(304)
            handler.send_header("ETag", '"v1"')
            handler.end_headers()
            return
        body = FEED.format(base=base).encode()
        Page(body, "application/rss+xml", headers={"ETag": '"v1"'})(handler)

    return route


def _routes(base: str) -> dict:
    return {
        "/feed.xml": _feed_route(base),
        "/ledger.html": Page((EXAMPLES / "dam" / "northern-ledger.html").read_bytes()),
        "/courier.html": Page((EXAMPLES / "dam" / "valley-courier.html").read_bytes()),
        "/busy.xml": Page(b"busy", "text/plain", 429, {"Retry-After": "120"}),
        "/broken.xml": Page(b"", "text/plain", 500),
    }


@pytest.fixture()
def store(tmp_path: Path):
    s = Store(f"sqlite:///{tmp_path / 'feeds.db'}")
    yield s
    s.close()


def test_web_watch_subscriptions_add_list_remove_and_opml(store: Store) -> None:
    added = add_feeds(store, ["https://a.test/feed", "https://b.test/rss"], now=100.0)
    again = add_feeds(store, ["https://a.test/feed"], now=200.0)
    assert [new for _, new in added] == [True, True] and again == [("https://a.test/feed", False)]
    states = list_feeds(store)
    assert [s.url for s in states] == ["https://a.test/feed", "https://b.test/rss"]
    assert states[0].next_ts == 100.0 and states[0].entries_seen == 0
    opml = write_opml(states)
    assert read_opml(opml.encode(), "x.opml") == [(s.url, s.url) for s in states]
    assert remove_feeds(store, ["https://a.test/feed", "https://nope.test/"]) == 1
    assert [s.url for s in list_feeds(store)] == ["https://b.test/rss"]


def test_web_watch_opml_refuses_what_is_not_opml() -> None:
    for data in (b"<html/>", b"not xml", b'<!DOCTYPE x [<!ENTITY a "b">]><opml/>'):
        with pytest.raises(UsageError) as caught:
            read_opml(data, "f.opml")
        assert caught.value.code == "E421"


def test_web_watch_once_stores_entries_then_costs_one_304(store: Store) -> None:
    clock = iter(float(t) for t in range(1000, 2000, 10))
    with serve({}) as server, Fetcher(SETTINGS) as fetcher:
        server.routes.update(_routes(server.url))
        add_feeds(store, [server.url + "/feed.xml"], interval=600.0, now=0.0)
        watcher = Watcher(store, fetcher, jitter=0.0, clock=lambda: next(clock))
        first = watcher.run(once=True)
        assert (first.polled, first.entries, first.stored) == (1, 2, 2)
        hits_before = len(server.hits)
        (state,) = list_feeds(store)
        second = Watcher(store, fetcher, jitter=0.0, clock=lambda: state.next_ts).run(once=True)
        new_hits = [p for p, _ in server.hits[hits_before:]]
    assert state.title == "Dam watch" and state.entries_seen == 2 and state.failures == 0
    assert state.next_ts == state.last_success_ts + 600.0
    assert (second.polled, second.unchanged, second.entries) == (1, 1, 0)
    assert new_hits == ["/feed.xml"]


def test_web_watch_retry_after_and_backoff(store: Store) -> None:
    with serve({}) as server, Fetcher(SETTINGS) as fetcher:
        server.routes.update(_routes(server.url))
        urls = [server.url + "/busy.xml", server.url + "/broken.xml"]
        add_feeds(store, urls, interval=600.0, now=0.0)
        report = Watcher(store, fetcher, jitter=0.0, clock=lambda: 1000.0).run(once=True)
    states = {s.url.rsplit("/", 1)[1]: s for s in list_feeds(store)}
    assert report.failed == 2 and {p.code for p in report.problems} == {"E407"}
    assert states["busy.xml"].next_ts == 1000.0 + 120.0
    assert states["broken.xml"].next_ts == 1000.0 + 600.0 * 2
    assert states["broken.xml"].last_error_code == "E407" and states["broken.xml"].failures == 1


def test_web_watch_jitter_spreads_next_polls(store: Store) -> None:
    with serve({}) as server, Fetcher(SETTINGS) as fetcher:
        server.routes.update(_routes(server.url))
        add_feeds(store, [server.url + "/feed.xml"], interval=600.0, now=0.0)
        rng = random.Random(7)
        Watcher(store, fetcher, jitter=0.1, rng=rng, clock=lambda: 1000.0).run(once=True)
    (state,) = list_feeds(store)
    assert 1540.0 <= state.next_ts <= 1660.0 and state.next_ts != 1600.0


@pytest.mark.slow
def test_web_watch_sigterm_ends_cleanly(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'w.db'}"
    with serve({}) as server:
        server.routes.update(_routes(server.url))
        env = {**os.environ, "SYNOPTIC_ALLOW_NETWORKS": "127.0.0.1/32"}
        cli = [sys.executable, "-m", "synoptic"]
        subprocess.run(
            [*cli, "feeds", "add", server.url + "/feed.xml", "--db", db], check=True, env=env
        )
        proc = subprocess.Popen(
            [*cli, "watch", "--db", db, "--no-cache"],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not any(p == "/courier.html" for p, _ in server.hits):
            time.sleep(0.2)
        time.sleep(0.5)
        proc.send_signal(signal.SIGTERM)
        _out, err = proc.communicate(timeout=30)
    assert proc.returncode == 0, err
    assert "polled 1 feeds" in err and "2 articles stored" in err
    listed = subprocess.run(
        [*cli, "feeds", "list", "--db", db, "-f", "json"], capture_output=True, text=True
    )
    assert '"entries_seen": 2' in listed.stdout


def test_web_watch_feed_state_in_the_api(store: Store) -> None:
    from fastapi.testclient import TestClient

    from synoptic.serve import create_app

    add_feeds(store, ["https://a.test/feed"], interval=900.0, now=50.0)
    with TestClient(create_app(store)) as client:
        answer = client.get("/api/v1/feeds")
    assert answer.status_code == 200
    (feed,) = answer.json()
    assert feed["url"] == "https://a.test/feed" and feed["next_ts"] == 50.0
    assert feed["interval_s"] == 900.0 and feed["entries_seen"] == 0
    assert feed["last_error_code"] is None


def test_web_watch_stop_mid_feed_keeps_the_rest_due(store: Store) -> None:
    with serve({}) as server, Fetcher(SETTINGS) as fetcher:
        server.routes.update(_routes(server.url))
        add_feeds(store, [server.url + "/feed.xml"], interval=600.0, now=0.0)
        watcher = Watcher(store, fetcher, jitter=0.0, clock=lambda: 1000.0)
        stored = watcher._store_entry

        def store_then_stop(parsed, entry):  # type: ignore[no-untyped-def]
            stored(parsed, entry)
            watcher.stop.set()  # as SIGTERM would, while the first entry is read

        watcher._store_entry = store_then_stop  # type: ignore[method-assign]
        first = watcher.run(once=True)
        (cut,) = list_feeds(store)
        rest = Watcher(store, fetcher, jitter=0.0, clock=lambda: 1001.0).run(once=True)
        (done,) = list_feeds(store)
    assert first.entries == 1 and cut.entries_seen == 1 and cut.next_ts == 1000.0
    assert rest.entries == 1 and rest.unchanged == 0 and done.entries_seen == 2
    assert done.next_ts == 1001.0 + 600.0
