"""Throughput of the story store: articles per second for read + extract + dedup + cluster into
the store, peak memory, and the cost per article per 1,000 articles as the store grows.

The stream is built from the ECB+ corpus (../shared/data/ecbplus/ecbplus.jsonl, 86 real
stories): each *event* is one ECB+ story told again, its reports mixing sentences from several
of that story's articles (so no two reports are copies of one source, though some come close,
as wire copies do), by 12 outlets over 3 days. A story is told again no sooner than every 16
days (after its last telling has closed), and events start at a steady rate, so the stream has a
constant arrival rate and spans months to years of publication dates. The stream is written as
JSON lines and ingested with ``ingest_paths`` into a fresh SQLite store, exactly as
``synoptic ingest stream.jsonl --no-briefs`` does.

Baseline, in the same run: the batch stages of ``synoptic brief`` (extract, ``mark_duplicates``,
``cluster_auto`` over all articles at once) on the first ``--baseline`` articles of the stream.
Batch clustering is quadratic in memory and time, so the baseline runs on a prefix only.

Quality, in the same run: the stream's events are its gold stories (a report's URL
``https://outlet{j}.example/{k}/{j}`` names its event ``k``), and B-cubed precision, recall and
F1 of the store's stories against them is printed beside the batch baseline's partition of the
same prefix (the store's figure is given for that prefix too, so the two are on the same
reports). A copy counts where the store or ``mark_duplicates`` put it: with its original.
On 1,000 reports (84 events) the store scores F1 0.950 against 0.940 for batch; 0.903 before
the store weighed names over its window and stopped splitting stories on marginal evidence
(an event's first reports were left as stories of their own).

Each size runs in a fresh process so its peak memory (``ru_maxrss``) is its own, with a fresh
cache folder (``SYNOPTIC_CACHE_DIR``), so no run reuses the vectors of an earlier one. The
machine is shared: CPU time per article (this process's, ``time.process_time``) is the figure
to compare; wall time moves with the other work on the machine.

Run: ``.venv/bin/python bench/throughput.py --sizes 1000,10000`` and, separately (it takes
long), ``--sizes 100000``. ``--undated 0.05`` leaves that share of reports undated.
``--db postgresql+psycopg://root@127.0.0.1:5432/test`` ingests into a fresh schema of that
PostgreSQL database instead (dropped afterwards); the CPU figures are then this process's only,
not the server's.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import resource
import subprocess
import sys
import tempfile
import time
import uuid
from collections import defaultdict
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from synoptic.evaluate.partition import bcubed

ROOT = Path(__file__).resolve().parents[1]
ECB = ROOT.parent / "shared" / "data" / "ecbplus" / "ecbplus.jsonl"
PER_EVENT = 12
EVENT_DAYS = 3
REPEAT_DAYS = 16
START = datetime(2021, 1, 4, tzinfo=UTC)
_SENT = re.compile(r"(?<=[.!?])\s+|\n+")
_EVENT = re.compile(r"^https://outlet\d+\.example/(\d+)/\d+$")


def event_of(url: str | None) -> int:
    """The gold event of a stream report, read from its URL (``.../{event}/{outlet}``)."""
    m = _EVENT.match(url or "")
    if m is None:
        raise ValueError(f"not a stream URL: {url!r}")
    return int(m.group(1))


def build_stream(n: int, seed: int = 11, undated: float = 0.0) -> list[dict[str, object]]:
    """Return ``n`` report records (JSON-line objects) in publication order."""
    rng = random.Random(seed)
    stories: dict[str, list[list[str]]] = defaultdict(list)
    for line in ECB.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        sents = [s.strip() for s in _SENT.split(row["text"]) if len(s.split()) >= 4]
        if len(sents) >= 3:
            stories[row["story"]].append(sents)
    names = sorted(stories)
    # Event k tells story names[k % len] again; events start at a steady rate so that each
    # story recurs every REPEAT_DAYS.
    step = REPEAT_DAYS / len(names)
    timed: list[tuple[datetime, dict[str, object]]] = []
    k = 0
    while len(timed) < n:
        name = names[k % len(names)]
        start = START + timedelta(days=k * step)
        pool = stories[name]
        for j in range(PER_EVENT):
            picks = rng.sample(pool, min(len(pool), rng.choice((2, 3))))
            sents = [s for src in picks for s in rng.sample(src, max(1, (len(src) * 2) // 3))]
            rng.shuffle(sents)
            when = start + timedelta(minutes=rng.randrange(EVENT_DAYS * 24 * 60))
            record: dict[str, object] = {
                "outlet": f"Outlet {j}",
                "url": f"https://outlet{j}.example/{k}/{j}",
                "text": "\n\n".join(sents[:14]) + f"\n\nFiled by desk {j}, event {k}.",
            }
            if rng.random() >= undated:
                record["published"] = when.isoformat()
            timed.append((when, record))
        k += 1
    timed.sort(key=lambda p: p[0])
    return [r for _, r in timed[:n]]


def _open_store(db: str, tmp: str) -> tuple[Any, Any]:
    """A fresh store: SQLite in ``tmp``, or a new schema of the PostgreSQL database ``db``;
    and a function that drops that schema."""
    from synoptic.store import Store

    if db == "sqlite":
        return Store(f"sqlite:///{Path(tmp) / 'store.db'}"), lambda: None
    schema = f"synoptic_bench_{uuid.uuid4().hex[:12]}"
    store = Store(db, schema=schema)

    def drop() -> None:
        from sqlalchemy import create_engine, text

        engine = create_engine(db)
        with engine.begin() as conn:
            conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        engine.dispose()

    return store, drop


def run_one(
    n: int, undated: float, baseline: int, jobs: int = 1, db: str = "sqlite"
) -> dict[str, object]:
    """Ingest a stream of ``n`` reports into a fresh store; return the figures."""
    from synoptic.store import ingest_paths

    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "stream.jsonl"
        records = build_stream(n, undated=undated)
        src.write_text("\n".join(json.dumps(r) for r in records) + "\n", encoding="utf-8")
        del records
        store, drop = _open_store(db, tmp)
        marks: list[float] = []
        cpu_marks: list[float] = []
        count = [0]

        def progress(stage: str, advance: int, total: int | None) -> None:
            if stage == "ingest":
                # The store reports articles a committed batch at a time: mark each 1,000
                # crossed (a batch crossing one is timed at its commit).
                before = count[0]
                count[0] += advance
                if count[0] // 1000 > before // 1000:
                    marks.append(time.perf_counter())
                    cpu_marks.append(time.process_time())
                    last = marks[-1] - (marks[-2] if len(marks) > 1 else t0)
                    cpu = cpu_marks[-1] - (cpu_marks[-2] if len(cpu_marks) > 1 else c0)
                    # Progress on stderr, so a long run that is stopped still shows the trend.
                    # CPU time is this process's own: other work on the machine leaves it be.
                    print(
                        f"{count[0]:,} articles: {last:.1f} ms/article wall, {cpu:.1f} CPU",
                        file=sys.stderr,
                    )

        t0, c0 = time.perf_counter(), time.process_time()
        result = ingest_paths(store, [str(src)], progress=progress, max_bytes=1 << 40, jobs=jobs)
        elapsed = time.perf_counter() - t0
        cpu_all = time.process_time() - c0
        # Extraction workers (--jobs 2) have ended: their CPU time is counted here.
        cpu_workers = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu_workers_s = cpu_workers.ru_utime + cpu_workers.ru_stime
        # The ingest's own peak: the baseline below (batch clustering) runs in this process.
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        stories = len(store.list_stories())
        problems = store.verify()
        placed = store_partition(store)
        store.close()
        drop()
        base = run_baseline(src, baseline)
    urls = base.pop("urls")
    assert isinstance(urls, list)
    gold_all = {u: event_of(u) for u in placed}
    gold_head = {u: event_of(u) for u in urls}
    # Seconds per block of 1,000 articles is milliseconds per article.
    blocks = [b - a for a, b in zip([t0, *marks], marks, strict=False)]
    cpu_blocks = [b - a for a, b in zip([c0, *cpu_marks], cpu_marks, strict=False)]
    return {
        "articles": n,
        "jobs": jobs,
        "db": "SQLite" if db == "sqlite" else "PostgreSQL",
        "new": result.new,
        "duplicates": result.duplicates,
        "problems": len(result.problems),
        "stories": stories,
        "consistent": not problems,
        "seconds": elapsed,
        "per_second": n / elapsed,
        "cpu_ms": 1000 * cpu_all / n,
        "cpu_workers_ms": 1000 * cpu_workers_s / n,
        "block_ms": blocks,
        "block_cpu_ms": cpu_blocks,
        "peak_rss_mb": peak,
        "baseline": base,
        "quality": bcubed(placed, gold_all),
        "quality_head": bcubed(placed, gold_head),
        "events": len(set(gold_all.values())),
        "events_head": len(set(gold_head.values())),
    }


def store_partition(store: Any) -> dict[str, str]:
    """Each stored report's story, keyed by its URL."""
    from sqlalchemy import select

    from synoptic.store.schema import ArticleRow

    with store.session(readonly=True) as s:
        rows = s.execute(select(ArticleRow.url, ArticleRow.story_id)).all()
    return {r.url: r.story_id for r in rows}


def run_baseline(src: Path, limit: int) -> dict[str, object]:
    """The batch stages of ``synoptic brief`` on the first ``limit`` reports of the stream."""
    from synoptic.analyze.embed import Embedder
    from synoptic.cluster import cluster_auto
    from synoptic.dedup import mark_duplicates
    from synoptic.ingest import read_inputs
    from synoptic.pipeline import extract_all

    head = src.with_name("head.jsonl")
    lines = src.read_text(encoding="utf-8").splitlines()[:limit]
    head.write_text("\n".join(lines) + "\n", encoding="utf-8")
    t0 = time.perf_counter()
    articles = mark_duplicates(extract_all(read_inputs([str(head)])))
    groups = cluster_auto(articles, embedder=Embedder())
    elapsed = time.perf_counter() - t0
    # Every stream report has a URL (event_of raises otherwise).
    batch = {a.url or "": k for k, g in enumerate(groups) for a in g}
    gold = {u: event_of(u) for u in batch}
    return {
        "articles": len(lines),
        "per_second": len(lines) / elapsed,
        "stories": len(groups),
        "quality": bcubed(batch, gold),
        "urls": sorted(batch),
    }


def report(fig: dict[str, object]) -> None:
    n = fig["articles"]
    base = fig["baseline"]
    assert isinstance(base, dict)
    blocks = fig["block_ms"]
    assert isinstance(blocks, list)
    print(
        f"\n== stream of {n:,} reports (ECB+ stories retold; {fig.get('db', 'SQLite')}; "
        f"--jobs {fig['jobs']}) =="
    )
    print(
        f"store ingest:  {fig['per_second']:.1f} articles/s ({fig['seconds']:.0f} s); "
        f"{fig['new']} new, {fig['duplicates']} copies, {fig['stories']} stories; "
        f"consistent: {fig['consistent']}; peak RSS {fig['peak_rss_mb']:.0f} MB"
    )
    print(
        f"CPU per article: {fig['cpu_ms']:.1f} ms in this process (threads included) "
        f"+ {fig['cpu_workers_ms']:.1f} ms in extraction workers"
    )
    print(
        f"baseline (batch brief stages on the first {base['articles']:,}): "
        f"{base['per_second']:.1f} articles/s, {base['stories']:.0f} stories -> ratio store/batch "
        f"{float(fig['per_second']) / base['per_second']:.2f}"  # type: ignore[arg-type]
    )
    q, qh, qb = fig["quality"], fig["quality_head"], base["quality"]
    assert isinstance(q, list) and isinstance(qh, list) and isinstance(qb, list)
    print("B-cubed against the stream's events (P / R / F1):")
    rows = [
        (f"store, all {n:,} ({fig['events']} events)", q, ""),
        (
            f"store, first {base['articles']:,} ({fig['events_head']} events)",
            qh,
            f"   F1 store/batch {qh[2] / qb[2]:.3f}",
        ),
        (f"batch cluster_auto, first {base['articles']:,}", qb, ""),
    ]
    for label, prf, tail in rows:
        print(f"  {label:40s} {_prf(prf)}{tail}")
    cpu = fig.get("block_cpu_ms") or [0.0] * len(blocks)
    assert isinstance(cpu, list)
    if blocks:
        print(
            "ms per article (wall, and this process's CPU), per block of 1,000 as the store grows:"
        )
        step = max(1, len(blocks) // 20)
        shown = [
            f"{(i + 1) * 1000:>7,}: {blocks[i]:6.1f} wall {cpu[i]:6.1f} CPU"
            for i in range(0, len(blocks), step)
        ]
        print("  " + "\n  ".join(shown))
        # Other work on the machine moves wall time; CPU time shows the store's own growth.
        tenth = max(1, len(cpu) // 10)
        first, last = sum(cpu[:tenth]) / tenth, sum(cpu[-tenth:]) / tenth
        print(
            f"last block / first block: wall {blocks[-1] / blocks[0]:.2f}; CPU, mean of the last "
            f"tenth / first tenth: {last / first if first else float('nan'):.2f} "
            f"(1.00 = flat; CPU first {first:.1f} ms, last {last:.1f} ms)"
        )


def _prf(prf: list[float]) -> str:
    return f"{prf[0]:.3f} / {prf[1]:.3f} / {prf[2]:.3f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000,10000", help="comma-separated stream sizes")
    parser.add_argument("--undated", type=float, default=0.0, help="share of undated reports")
    parser.add_argument("--baseline", type=int, default=1000, help="baseline prefix size")
    parser.add_argument("--jobs", type=int, default=1, help="ingest --jobs (extraction workers)")
    parser.add_argument("--db", default="sqlite", help="sqlite, or a PostgreSQL URL")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if not ECB.exists():
        sys.exit(f"ECB+ data not found at {ECB}")
    if args.one:
        fig = run_one(args.one, args.undated, min(args.baseline, args.one), args.jobs, args.db)
        print(json.dumps(fig))
        return
    print("data: ECB+ (../shared/data/ecbplus/ecbplus.jsonl), 86 stories retold as a stream")
    for size in (int(s) for s in args.sizes.split(",")):
        argv = [sys.executable, __file__, "--one", str(size), "--undated", str(args.undated)]
        argv += ["--baseline", str(args.baseline), "--jobs", str(args.jobs), "--db", args.db]
        # A fresh embedding and analysis cache per size: vectors left by an earlier run would
        # spare the store (and the baseline) the model calls a first ingest pays.
        with tempfile.TemporaryDirectory() as cache:
            env = {**os.environ, "SYNOPTIC_CACHE_DIR": cache}
            done = subprocess.run(argv, stdout=subprocess.PIPE, text=True, check=False, env=env)
        if done.returncode != 0:
            print(f"size {size}: failed (exit {done.returncode})")
            continue
        report(json.loads(done.stdout.strip().splitlines()[-1]))


if __name__ == "__main__":
    main()
