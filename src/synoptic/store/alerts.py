"""Alerts: subscriptions to stories, told to a webhook as signed JSON POSTs.

A subscription names a story filter (a query and a least number of outlets, as the story
list's) and an event:

* ``new-story``: a story matching the filter (once per story);
* ``new-conflict``: a revision of a matching story adds a conflict (once per story and topic);
* ``new-outlet``: a revision of a matching story adds an outlet (once per story and outlet).

What already matches when the subscription is made is logged ``skipped`` (not told) unless
``backfill`` is asked.

``run_alerts`` finds the notices not yet in the delivery log (``alert_deliveries``), records
each, and delivers the pending ones: a JSON body, signed with the subscription's secret
(``X-Synoptic-Signature: sha256=<HMAC-SHA256 of the body, hex>``), POSTed through the safe
fetcher (``Fetcher.post``: no private address unless the configuration opens it). A failure
that may pass (no connection, a timeout, HTTP 429 or 5xx) is retried with exponential
back-off; a notice still failing stays ``failed`` in the log and is tried again on the next
run (up to ``MAX_ATTEMPTS`` in all). A refused address or a 4xx fails at once.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Protocol

from sqlalchemy import select

from synoptic.errors import FetchError
from synoptic.store.repository import Store
from synoptic.store.schema import AlertRow, DeliveryRow

EVENTS = ("new-story", "new-conflict", "new-outlet")
RETRIES = 3
BACKOFF = 1.0
MAX_ATTEMPTS = 8
SIGNATURE_HEADER = "X-Synoptic-Signature"


class Poster(Protocol):
    """What delivers: ``Fetcher.post``'s shape."""

    def post(self, url: str, body: bytes, headers: dict[str, str]) -> int: ...


@dataclass(frozen=True, slots=True)
class Notice:
    """One thing to tell one subscription."""

    key: str
    story_id: str
    payload: dict[str, Any]


def sign(secret: str, body: bytes) -> str:
    """Return the signature header value of ``body``: ``sha256=`` and the HMAC-SHA256 hex."""
    return "sha256=" + hmac.new(secret.encode("utf-8"), body, hashlib.sha256).hexdigest()


def add_alert(
    store: Store,
    *,
    webhook: str,
    event: str,
    query: str | None = None,
    min_outlets: int = 0,
    secret: str | None = None,
    backfill: bool = False,
) -> tuple[int, str]:
    """Store a subscription; return its id and signing secret (generated when not given).

    Only what happens after the subscription is told: what already matches is logged as
    ``skipped``, unless ``backfill`` asks for it to be delivered too.

    Raises:
        ValueError: for an unknown event.
    """
    if event not in EVENTS:
        raise ValueError(f"unknown event {event!r} (one of {', '.join(EVENTS)})")
    secret = secret or secrets.token_hex(32)
    with store.session() as s:
        row = AlertRow(
            query=query or None,
            min_outlets=min_outlets,
            event=event,
            webhook=webhook,
            secret=secret,
            created_ts=time.time(),
        )
        s.add(row)
        s.flush()
        ident = row.id
        s.expunge(row)
    if not backfill:
        _record(store, row, status="skipped")
    return ident, secret


def list_alerts(store: Store) -> list[dict[str, Any]]:
    """Return the subscriptions (secrets left out)."""
    with store.session(readonly=True) as s:
        rows = s.scalars(select(AlertRow).order_by(AlertRow.id))
        return [
            {
                "id": r.id,
                "event": r.event,
                "query": r.query,
                "min_outlets": r.min_outlets,
                "webhook": r.webhook,
            }
            for r in rows
        ]


def delivery_log(store: Store, alert_id: int | None = None) -> list[dict[str, Any]]:
    """Return the delivery log, oldest first (one alert's when ``alert_id`` is given)."""
    query = select(DeliveryRow).order_by(DeliveryRow.id)
    if alert_id is not None:
        query = query.where(DeliveryRow.alert_id == alert_id)
    with store.session(readonly=True) as s:
        return [
            {
                "alert": r.alert_id,
                "key": r.key,
                "story": r.story_id,
                "status": r.status,
                "attempts": r.attempts,
                "last_error": r.last_error,
                "delivered_ts": r.delivered_ts,
            }
            for r in s.scalars(query)
        ]


def notices(store: Store, alert: AlertRow) -> Iterator[Notice]:
    """Yield what ``alert`` is to be told of now (the log decides what was told already)."""
    for story in store.list_stories(query=alert.query, min_outlets=alert.min_outlets):
        base = {
            "event": alert.event,
            "alert": alert.id,
            "story": {"id": story.id, "headline": story.headline, "outlets": story.outlets},
        }
        if alert.event == "new-story":
            yield Notice(f"story:{story.id}", story.id, base)
            continue
        for rev in store.changes(story.id):
            if alert.event == "new-conflict":
                for c in rev["new_conflicts"]:
                    key = f"conflict:{story.id}:{c['topic']}"
                    yield Notice(key, story.id, {**base, "conflict": c, "at": rev["at"]})
            else:
                for name in rev["outlets"]:
                    yield Notice(f"outlet:{story.id}:{name}", story.id, {**base, "outlet": name})


def _record(store: Store, alert: AlertRow, status: str = "pending") -> None:
    """Log every new notice of ``alert`` as ``status`` (the keys make this idempotent)."""
    with store.session() as s:
        known = set(s.scalars(select(DeliveryRow.key).where(DeliveryRow.alert_id == alert.id)))
        for n in notices(store, alert):
            if n.key in known:
                continue
            known.add(n.key)
            s.add(
                DeliveryRow(
                    alert_id=alert.id,
                    key=n.key[:512],
                    story_id=n.story_id,
                    payload=n.payload,
                    status=status,
                    attempts=0,
                    last_error=None,
                    created_ts=time.time(),
                    delivered_ts=None,
                )
            )


def _passing(exc: FetchError) -> bool:
    """Whether a failure may pass on a retry (no connection, timeout, 429 or 5xx)."""
    status = exc.status
    return exc.code in ("E403", "E405", "E406") or (
        exc.code == "E407" and isinstance(status, int) and (status == 429 or status >= 500)
    )


def deliver(
    poster: Poster,
    alert: AlertRow,
    payload: dict[str, Any],
    delivery_id: int,
    *,
    retries: int = RETRIES,
    backoff: float = BACKOFF,
    sleep: Callable[[float], None] = time.sleep,
) -> tuple[bool, int, str | None]:
    """POST one signed notice, retrying what may pass; return (delivered, attempts, error)."""
    body = json.dumps(
        {**payload, "delivery": delivery_id, "sent": datetime.now(UTC).isoformat()},
        ensure_ascii=False,
    ).encode("utf-8")
    headers = {
        "Content-Type": "application/json",
        SIGNATURE_HEADER: sign(alert.secret, body),
        "X-Synoptic-Event": alert.event,
        "X-Synoptic-Delivery": str(delivery_id),
    }
    error: str | None = None
    for attempt in range(1, retries + 2):
        try:
            poster.post(alert.webhook, body, headers)
            return True, attempt, None
        except FetchError as exc:
            error = str(exc)
            if not _passing(exc) or attempt > retries:
                return False, attempt, error
            wait = exc.retry_after if exc.retry_after is not None else backoff * 2 ** (attempt - 1)
            sleep(min(wait, 60.0))
    return False, retries + 1, error


def run_alerts(
    store: Store,
    poster: Poster,
    *,
    retries: int = RETRIES,
    backoff: float = BACKOFF,
    sleep: Callable[[float], None] = time.sleep,
) -> dict[str, int]:
    """Log new notices of every subscription and deliver the pending and failed ones.

    Returns:
        Counts: ``delivered``, ``failed`` (this run) and ``pending`` left.
    """
    counts = {"delivered": 0, "failed": 0}
    with store.session(readonly=True) as s:
        alerts = {a.id: a for a in s.scalars(select(AlertRow))}
        for a in alerts.values():
            s.expunge(a)
    for alert in alerts.values():
        _record(store, alert)
    with store.session(readonly=True) as s:
        todo = [
            (r.id, r.alert_id, r.payload, r.attempts)
            for r in s.scalars(
                select(DeliveryRow)
                .where(DeliveryRow.status.in_(("pending", "failed")))
                .where(DeliveryRow.attempts < MAX_ATTEMPTS)
                .order_by(DeliveryRow.id)
            )
        ]
    for row_id, alert_id, payload, before in todo:
        ok, attempts, error = deliver(
            poster, alerts[alert_id], payload, row_id, retries=retries, backoff=backoff, sleep=sleep
        )
        with store.session() as s:
            row = s.get(DeliveryRow, row_id)
            if row is None:
                continue
            row.attempts = before + attempts
            row.status = "delivered" if ok else "failed"
            row.last_error = error
            row.delivered_ts = time.time() if ok else None
        counts["delivered" if ok else "failed"] += 1
    return counts


__all__ = [
    "EVENTS",
    "SIGNATURE_HEADER",
    "Notice",
    "add_alert",
    "deliver",
    "delivery_log",
    "list_alerts",
    "notices",
    "run_alerts",
    "sign",
]
