"""Alerts: signed webhook deliveries through the safe fetcher, retried, logged."""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

import synoptic.store.repository as repository
from synoptic.fetch import AddressPolicy, Fetcher, FetchSettings
from synoptic.store import Ingestor, Store
from synoptic.store.alerts import SIGNATURE_HEADER, add_alert, delivery_log, run_alerts
from test_store_ingest import MUSEUM, fixed, make
from test_store_revisions import STEP_1, STEP_2, _small_synthesis

pytest_plugins = ["test_store_fixtures"]

MUSEUM_2 = (
    "Fishermen of Lake Orva opened a small museum of nets and boats in Tessby on Sunday. "
    "Its founder, Mara Quist, said forty families had lent their grandparents' gear."
)


Got = list[tuple[str, dict[str, str], bytes]]


@contextlib.contextmanager
def receiver(fail_first: dict[str, int]) -> Iterator[tuple[str, Got]]:
    """A webhook receiver on loopback: its base URL, and each POST (path, headers, body) as
    it came. ``/ok`` and ``/flaky`` answer 200 (``/flaky`` 503 its first ``fail_first``
    times), ``/down`` 503 always, ``/gone`` 410."""
    from loopback_server import Handler, Page, serve

    got: Got = []
    left = dict(fail_first)

    def answer(handler: Handler) -> None:
        path = handler.path
        got.append((path, {k.lower(): v for k, v in handler.headers.items()}, handler.body))
        status = 200
        if path == "/down" or left.get(path, 0) > 0:
            left[path] = left.get(path, 0) - 1
            status = 503
        elif path == "/gone":
            status = 410
        Page(b"", "text/plain", status)(handler)

    with serve({p: answer for p in ("/ok", "/flaky", "/down", "/gone")}) as server:
        yield server.url, got  # type: ignore[attr-defined]


def _fetcher(allow_loopback: bool) -> Fetcher:
    policy = AddressPolicy.from_strings(["127.0.0.0/8"] if allow_loopback else [])
    return Fetcher(FetchSettings(policy=policy, host_interval=0.0, total_timeout=10.0))


def test_store_alerts_signed_delivery_retried_and_logged(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(repository, "build_brief", _small_synthesis([]))
    ing = Ingestor(store, clock=fixed())
    sid = ing.add(make(STEP_1, "Velmar evacuation", outlet="Valley Courier")).story_id
    ing.add(make(MUSEUM, "Museum reopens", outlet="Culture Weekly"))
    assert sid is not None
    store.brief(sid)
    waits: list[float] = []
    with receiver({"/flaky": 2}) as (base, got), _fetcher(allow_loopback=True) as fetcher:
        story_alert, secret = add_alert(
            store, webhook=f"{base}/flaky", event="new-story", query="velmar", backfill=True
        )
        # Without backfill, what already matches is not told: only what comes later.
        later, _ = add_alert(store, webhook=f"{base}/ok", event="new-story", query="museum")
        conflict_alert, _ = add_alert(store, webhook=f"{base}/ok", event="new-conflict")
        counts = run_alerts(store, fetcher, backoff=0.5, sleep=waits.append)
        assert counts == {"delivered": 1, "failed": 0}
        # The flaky receiver failed twice; the third attempt went through after back-off.
        assert waits == [0.5, 1.0]
        path, headers, body = got[-1]
        assert path == "/flaky" and len(got) == 3
        expected = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
        assert headers[SIGNATURE_HEADER.lower()] == "sha256=" + expected
        assert headers["content-type"] == "application/json"
        notice = json.loads(body)
        assert notice["event"] == "new-story" and notice["story"]["id"] == sid
        (logged,) = delivery_log(store, story_alert)
        assert (logged["status"], logged["attempts"]) == ("delivered", 3)
        # Nothing new: nothing sent again. A conflict appears: its alert is told once.
        assert run_alerts(store, fetcher, sleep=waits.append) == {"delivered": 0, "failed": 0}
        ing.add(make(STEP_2, "More evacuated", outlet="Northern Ledger"))
        store.brief(sid)
        assert run_alerts(store, fetcher, sleep=waits.append) == {"delivered": 1, "failed": 0}
        path, _, body = got[-1]
        assert path == "/ok" and json.loads(body)["conflict"]["topic"] == "people evacuated"
        assert [r["status"] for r in delivery_log(store, conflict_alert)] == ["delivered"]
        assert [r["status"] for r in delivery_log(store, later)] == ["skipped"]
        ing.add(make(MUSEUM_2, "Tessby fishing museum opens"))
        assert run_alerts(store, fetcher, sleep=waits.append) == {"delivered": 1, "failed": 0}
        assert [r["status"] for r in delivery_log(store, later)] == ["skipped", "delivered"]


def test_store_alerts_failing_receiver_and_refused_address(store: Store) -> None:
    Ingestor(store, clock=fixed()).add(make(MUSEUM, "Museum reopens"))
    waits: list[float] = []
    with receiver({}) as (base, got):
        down, _ = add_alert(store, webhook=f"{base}/down", event="new-story", backfill=True)
        gone, _ = add_alert(store, webhook=f"{base}/gone", event="new-story", backfill=True)
        with _fetcher(allow_loopback=True) as fetcher:
            counts = run_alerts(store, fetcher, retries=2, backoff=0.1, sleep=waits.append)
        assert counts == {"delivered": 0, "failed": 2}
        assert waits == [0.1, 0.2]  # 503 retried twice; 410 is not retried
        log = {r["alert"]: r for r in delivery_log(store)}
        assert (log[down]["status"], log[down]["attempts"]) == ("failed", 3)
        assert "HTTP 503" in log[down]["last_error"]
        assert (log[gone]["status"], log[gone]["attempts"]) == ("failed", 1)
        # Without the user's allowance, loopback is a private address: refused, never sent.
        sent = len(got)
        with _fetcher(allow_loopback=False) as fetcher:
            run_alerts(store, fetcher, retries=0, sleep=waits.append)
        assert len(got) == sent
        assert "[E404]" in (delivery_log(store, down)[0]["last_error"] or "")


def test_store_alerts_cli_add_and_list(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from synoptic.cli import main

    url = f"sqlite:///{tmp_path / 'alerts.db'}"
    assert (
        main(
            [
                "alerts",
                "add",
                "--webhook",
                "https://hooks.example/x",
                "--on",
                "new-outlet",
                "--min-outlets",
                "2",
                "--db",
                url,
            ]
        )
        == 0
    )
    out = capsys.readouterr().out
    assert out.startswith("alert 1: new-outlet -> https://hooks.example/x")
    assert main(["alerts", "list", "--db", url]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert listed == [
        {
            "id": 1,
            "event": "new-outlet",
            "query": None,
            "min_outlets": 2,
            "webhook": "https://hooks.example/x",
        }
    ]
    assert (
        main(["alerts", "add", "--webhook", "https://h.example", "--on", "sometimes", "--db", url])
        != 0
    )


def test_store_alerts_watch_delivers_after_polls(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`synoptic watch --once` stores a feed's articles and then tells the subscriptions."""
    from loopback_server import serve
    from synoptic.cli import main
    from synoptic.web.subscriptions import add_feeds
    from test_web_watch import _routes

    url = f"sqlite:///{tmp_path / 'watch.db'}"
    store = Store(url)
    with serve({}) as feeds, receiver({}) as (hook, got):
        feeds.routes.update(_routes(feeds.url))
        add_feeds(store, [feeds.url + "/feed.xml"], interval=600.0, now=0.0)
        alert, secret = add_alert(store, webhook=f"{hook}/ok", event="new-story")
        quiet, _ = add_alert(store, webhook=f"{hook}/ok", event="new-story", query="zzq")
        store.close()
        net = ["--allow-network", "127.0.0.0/8"]
        assert main(["watch", "--once", "--db", url, *net, "--no-cache"]) == 0
        assert "alerts: 1 delivered, 0 failed" in capsys.readouterr().err
        assert len(got) == 1
        path, headers, body = got[0]
        expected = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
        assert headers[SIGNATURE_HEADER.lower()] == "sha256=" + expected
        notice = json.loads(body)
        assert path == "/ok" and notice["event"] == "new-story"
        # Both pages come from the one loopback host: one outlet (its address stands in).
        assert notice["story"]["outlets"] == 1
        # A second round finds nothing new (304) and sends nothing again; --no-alerts sends none.
        assert main(["watch", "--once", "--db", url, *net, "--no-cache", "--no-alerts"]) == 0
        assert len(got) == 1
    store = Store(url)
    assert [r["status"] for r in delivery_log(store, alert)] == ["delivered"]
    assert delivery_log(store, quiet) == []
    # The one story told holds both pages of the feed.
    assert len(store.story_articles(notice["story"]["id"])) == 2
    store.close()
