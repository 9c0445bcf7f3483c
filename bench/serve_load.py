"""Load benchmark of ``synoptic serve``: the story list and a story page under concurrent load.

Data: a synthetic store generated here (no real text): ``--stories`` stories (default 10,000)
of 1-3 tiny, varied articles each, written straight through the store's row functions, each
with a cached brief (summary, facts, a conflict, a quote, entities, timeline), so a story page
is served from the cache and never runs spaCy. SQLite in a temporary folder.

The server runs in a second process (uvicorn, one worker, 127.0.0.1); this process sends the
load with ``--concurrency`` threads, each with its own keep-alive httpx client. Every endpoint
gets a warm-up and then ``--requests`` timed requests. Reported: requests per second, p50 and
p99 latency, and both as a ratio to the baseline measured in the same run: a static file
served by the same server (the cost of the HTTP stack alone).

    .venv/bin/python bench/serve_load.py [--stories 10000] [--requests 2000] [--concurrency 16 64]

Each concurrency is a separate round over every endpoint against the same server; a failed
request (not 200, or no answer) is counted in the ``errors`` column rather than stopping.
"""

from __future__ import annotations

import argparse
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
from sqlalchemy import insert, text

from synoptic.model import (
    Article,
    Brief,
    Cited,
    Conflict,
    ConflictValue,
    Entity,
    Quote,
    Span,
    Story,
    TimelineEvent,
    Unique,
)
from synoptic.serve.queries import cached_brief
from synoptic.store import Store
from synoptic.store.index import parse_published
from synoptic.store.repository import aggregates, article_row, story_id_for
from synoptic.store.schema import ArticleRow, StoryRow

TOWNS = ("Dravik", "Kellen", "Tarsk", "Hollin", "Port Velm", "Lorn", "Amsel", "Brisk", "Corra")
THINGS = ("bridge", "dam", "school", "hospital", "harbour", "railway", "market", "museum")
EVENTS = ("reopened", "closed", "flooded", "collapsed", "was sold", "was rebuilt", "caught fire")
PEOPLE = "Ana Vasko|Ivo Marek|Lena Hoff|Ola Brenn|Mila Orsen|Tomas Vrba|Nina Sorell|Aurel Stanek"
OUTLETS = "Valley Courier|Northern Ledger|Coast Wire|Velm Post|Asia Current|Eastbridge News"


def _sentences(rng: random.Random, town: str, thing: str, event: str, person: str) -> list[str]:
    n = rng.randint(3, 400)
    return [
        f"The {thing} in {town} {event} on {rng.choice(['Monday', 'Tuesday', 'Friday'])}.",
        f"About {n} people were affected, officials said.",
        f'"We will know more tomorrow," {person} said.',
    ]


def synthesize_store(store: Store, stories: int, seed: int = 7) -> int:
    """Fill ``store`` with synthetic stories and their cached briefs; return the article count."""
    rng = random.Random(seed)
    people = PEOPLE.split("|")
    outlets = OUTLETS.split("|")
    now = datetime.now(UTC)
    start = datetime(2024, 1, 1, tzinfo=UTC)
    seq = 0
    total = 0
    batch = 500
    for first in range(0, stories, batch):
        rows: list[dict[str, object]] = []
        plans: list[tuple[str, str, list[Article], list[list[str]], str]] = []
        for i in range(first, min(stories, first + batch)):
            town, thing = rng.choice(TOWNS), rng.choice(THINGS)
            event, person = rng.choice(EVENTS), rng.choice(people)
            when = start + timedelta(minutes=37 * i)
            members: list[Article] = []
            texts: list[list[str]] = []
            for k in range(rng.randint(1, 3)):
                sents = _sentences(rng, town, thing, event, person)
                text = " ".join(sents)
                outlet = outlets[(i + k) % len(outlets)]
                title = f"{thing.title()} in {town} {event} (#{i})"
                published = (when + timedelta(hours=k)).isoformat(timespec="seconds")
                art = Article(
                    id=Article.make_id(text, outlet, None, title),
                    source=f"synthetic/{i}/{k}.txt",
                    text=text,
                    outlet=outlet,
                    title=title,
                    published=published,
                    language="en",
                )
                seq += 1
                row = article_row(art, seq, now, parse_published(published))
                values = {c.key: getattr(row, c.key) for c in ArticleRow.__table__.columns}
                sid = story_id_for(members[0].id if members else art.id)
                values["story_id"] = sid
                rows.append(values)
                members.append(art)
                texts.append(sents)
            headline = members[0].title or ""
            plans.append((story_id_for(members[0].id), headline, members, texts, person))
        total += len(rows)
        with store.session() as s:
            s.execute(insert(ArticleRow), rows)
            for sid, headline, members, texts, person in plans:
                agg = aggregates(s, sid)
                assert agg is not None
                story = StoryRow(id=sid, headline=headline, closed=False, updated_at=now, **agg)
                brief = _brief(sid, headline, members, texts, person)
                story.brief = brief.to_dict()
                story.brief_key = Store.brief_key(story)
                story.conflicts_count = len(brief.conflicts)
                s.add(story)
    return total


def _span(article: Article, passage: str) -> Span:
    at = article.text.index(passage)
    return Span(article.id, at, at + len(passage))


def _brief(
    sid: str, headline: str, members: Sequence[Article], texts: Sequence[Sequence[str]], person: str
) -> Brief:
    """A small but complete brief whose every span points into the member texts."""
    first = members[0]
    lead = texts[0][0]
    summary = (Cited(lead, tuple(_span(a, t[0]) for a, t in zip(members, texts, strict=True))),)
    facts = tuple(Cited(t[1], (_span(a, t[1]),)) for a, t in zip(members, texts, strict=True))
    conflicts: tuple[Conflict, ...] = ()
    if len(members) > 1:
        values = []
        for a, t in zip(members[:2], texts[:2], strict=True):
            number = t[1].split()[1]
            values.append(ConflictValue(t[1], float(number), "people", (_span(a, number),)))
        if values[0].value != values[1].value:
            conflicts = (Conflict("people affected", "number", tuple(values)),)
    said = "We will know more tomorrow,"
    quotes = (Quote(said, person, tuple(_span(a, said) for a in members)),)
    entities = (
        Entity(
            person, "PERSON", (person.split()[-1],), ("official",), tuple(a.id for a in members), 1
        ),
    )
    timeline = (TimelineEvent((first.published or "2024-01-01")[:10], lead, (_span(first, lead),)),)
    unique = tuple(
        Unique(a.id, t[2], _span(a, t[2])) for a, t in zip(members[1:], texts[1:], strict=True)
    )
    story = Story(sid, headline, tuple(members))
    return Brief(story, summary, facts, conflicts, quotes, entities, timeline, unique, ())


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_server(db_url: str, port: int) -> subprocess.Popen[bytes]:
    """Run the app under uvicorn in a second process and wait until it answers."""
    env = {**os.environ, "SYNOPTIC_DB": db_url}
    env.pop("SYNOPTIC_TOKEN", None)
    cmd = [
        sys.executable,
        "-m",
        "uvicorn",
        "synoptic.serve:create_app",
        "--factory",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--log-level",
        "warning",
        "--no-access-log",
    ]
    proc = subprocess.Popen(cmd, env=env)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/api/v1/health", timeout=2).status_code == 200:
                return proc
        except httpx.HTTPError:
            time.sleep(0.2)
    proc.terminate()
    raise SystemExit("the server did not start")


def measure(
    base: str, make_path: Callable[[random.Random], str], requests: int, concurrency: int
) -> tuple[float, float, float, int]:
    """Send ``requests`` GETs from ``concurrency`` threads; return (rps, p50 ms, p99 ms, errors).

    An error is an answer other than 200 or a request that failed (timeout, reset); its time
    counts in the latencies like any other answer's.
    """
    latencies: list[float] = []
    lock = threading.Lock()
    per_thread = requests // concurrency
    failures: list[str] = []

    def worker(n: int, seed: int) -> None:
        rng = random.Random(seed)
        mine = []
        with httpx.Client(base_url=base, timeout=60) as client:
            for _ in range(n):
                path = make_path(rng)
                t0 = time.perf_counter()
                try:
                    status = str(client.get(path).status_code)
                except httpx.HTTPError as exc:
                    status = type(exc).__name__
                mine.append(time.perf_counter() - t0)
                if status != "200":
                    with lock:
                        failures.append(f"{path}: {status}")
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=worker, args=(per_thread, i)) for i in range(concurrency)]
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - t0
    if failures:
        print(f"  {len(failures)} failed requests, e.g. {failures[0]}", file=sys.stderr)
    latencies.sort()
    p50 = statistics.median(latencies) * 1000
    p99 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))] * 1000
    return len(latencies) / elapsed, p50, p99, len(failures)


def _round(
    base: str,
    endpoints: Sequence[tuple[str, Callable[[random.Random], str]]],
    requests: int,
    concurrency: int,
) -> None:
    print(
        f"load: {requests} requests per endpoint, {concurrency} client threads "
        "in this process; server: uvicorn, 1 worker, in a second process on 127.0.0.1"
    )
    results = []
    for name, make_path in endpoints:
        measure(base, make_path, 100, concurrency)  # warm-up
        results.append((name, *measure(base, make_path, requests, concurrency)))
    base_rps, base_p50 = results[0][1], results[0][2]
    head = ("requests", "errors", "req/s", "p50 ms", "p99 ms", "rps/base", "p50/base")
    print(f"{'endpoint':32} " + " ".join(f"{h:>9}" for h in head))
    sent = requests // concurrency * concurrency
    for name, rps, p50, p99, errors in results:
        print(
            f"{name:32} {sent:9d} {errors:9d} {rps:9.0f} {p50:9.2f} {p99:9.2f} "
            f"{rps / base_rps:9.2f} {p50 / base_p50:9.2f}"
        )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--stories", type=int, default=10_000)
    parser.add_argument("--requests", type=int, default=2000, help="timed requests per endpoint")
    parser.add_argument(
        "--concurrency", type=int, nargs="+", default=[8], help="client threads (one round each)"
    )
    parser.add_argument(
        "--suggested-index",
        action="store_true",
        help="add an index on stories (last_ts, id) first, to measure that proposal",
    )
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="synoptic-bench-") as tmp:
        db_url = f"sqlite:///{Path(tmp) / 'bench.db'}"
        t0 = time.perf_counter()
        with Store(db_url) as store:
            articles = synthesize_store(store, args.stories)
            ids = [s.id for s in store.list_stories()]
            sample = random.Random(1).sample(ids, min(20, len(ids)))
            # The story pages must come from the cached briefs, never a spaCy rebuild.
            assert all(cached_brief(store, sid) is not None for sid in sample)
            if args.suggested_index:
                with store.session() as s:
                    s.execute(text("CREATE INDEX ix_bench_last_ts_id ON stories (last_ts, id)"))
        print(
            f"data: {len(ids):,} synthetic stories, {articles:,} articles, cached briefs "
            f"(SQLite, generated in {time.perf_counter() - t0:.1f} s)"
            + (
                "; with the suggested index on stories (last_ts, id)"
                if args.suggested_index
                else ""
            )
        )
        port = free_port()
        server = start_server(db_url, port)
        base = f"http://127.0.0.1:{port}"
        try:
            endpoints: list[tuple[str, Callable[[random.Random], str]]] = [
                ("baseline: static file", lambda rng: "/static/synoptic.css"),
                ("health (2 counts)", lambda rng: "/api/v1/health"),
                ("story list, first page /", lambda rng: "/"),
                (
                    "story list, any page /?offset=",
                    lambda rng: f"/?offset={rng.randrange(len(ids) // 25) * 25}",
                ),
                (
                    "API /stories, any page",
                    lambda rng: (
                        f"/api/v1/stories?limit=50&offset={rng.randrange(len(ids) // 50) * 50}"
                    ),
                ),
                ("story page /stories/{id}", lambda rng: f"/stories/{rng.choice(ids)}"),
                (
                    "API brief /stories/{id}/brief",
                    lambda rng: f"/api/v1/stories/{rng.choice(ids)}/brief",
                ),
            ]
            for concurrency in args.concurrency:
                _round(base, endpoints, args.requests, concurrency)
        finally:
            server.terminate()
            server.wait(timeout=10)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
