"""The cost of keeping story revisions: store size and ingest time per article, with and without.

Data: the stream of ``bench/throughput.py`` (ECB+ stories told again by 12 outlets over 3
days; ``../shared/data/ecbplus/ecbplus.jsonl``), cut into ``--steps`` consecutive chunks. Each
chunk is ingested into a fresh SQLite store and every stale brief is rebuilt after it, as
``synoptic ingest`` does without ``--no-briefs``, so a story that grows gets a new brief, and a
revision, at each step. Revisions are only written where a brief is rebuilt, so this bench
builds briefs (spaCy and the embedder run on every article): it is far slower per article than
``throughput.py`` with ``--no-briefs``, and runs on a few hundred articles, not 10,000.

Baseline, in the same process: the same stream and steps with ``Store.keep_revisions = False``,
run before and again after the run with revisions (after a small warm-up run, so model loading
is in none of them; all use ``use_cache=False``). The time spent inside ``record_revision`` is
also timed directly: on a loaded machine the difference of two whole runs is mostly noise.

Run: ``PYTHONPATH=src .venv/bin/python bench/revisions.py --articles 240 --steps 3``.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
import zlib
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from sqlalchemy.orm import undefer

import synoptic.store.repository as repository
from synoptic.context import RunContext
from synoptic.settings import Settings
from synoptic.store import Store, ingest_paths
from synoptic.store.schema import RevisionRow
from throughput import build_stream


def run(records: list[dict[str, object]], steps: int, keep: bool) -> dict[str, float]:
    """Ingest ``records`` in ``steps`` chunks with briefs; return size and time figures."""
    with tempfile.TemporaryDirectory() as tmp, RunContext(Settings(use_cache=False)) as ctx:
        db = Path(tmp) / "store.db"
        store = Store(f"sqlite:///{db}", context=ctx)
        store.keep_revisions = keep
        size = len(records) // steps + (len(records) % steps > 0)
        t0 = time.perf_counter()
        for i in range(steps):
            chunk = records[i * size : (i + 1) * size]
            path = Path(tmp) / f"step{i}.jsonl"
            path.write_text("\n".join(json.dumps(r) for r in chunk) + "\n", encoding="utf-8")
            ingest_paths(store, [str(path)], briefs=True, max_bytes=1 << 40)
        elapsed = time.perf_counter() - t0
        with store.session(readonly=True) as s:
            revisions = s.query(RevisionRow).count()
            rows = list(s.query(RevisionRow).options(undefer(RevisionRow.brief_z)))
            rev_bytes = sum(len(json.dumps(r.changes)) for r in rows)
            # The past briefs kept (migration 0010): compressed as stored, and their raw JSON.
            brief_z = sum(len(r.brief_z or b"") for r in rows)
            brief_raw = sum(len(zlib.decompress(r.brief_z)) for r in rows if r.brief_z)
        stories = len(store.list_stories())
        store.close()
        return {
            "seconds": elapsed,
            "ms_per_article": 1000 * elapsed / len(records),
            "db_bytes": float(db.stat().st_size),
            "revisions": float(revisions),
            "revision_json_bytes": float(rev_bytes),
            "brief_z_bytes": float(brief_z),
            "brief_raw_bytes": float(brief_raw),
            "stories": float(stories),
        }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=240)
    parser.add_argument("--steps", type=int, default=3)
    args = parser.parse_args()
    records = build_stream(args.articles)
    run(records[:12], 1, keep=False)  # warm-up: models load once, in neither measured run
    spent = [0.0]
    original = repository.record_revision

    def timed(*a: Any, **k: Any) -> bool:
        t = time.perf_counter()
        try:
            return original(*a, **k)
        finally:
            spent[0] += time.perf_counter() - t

    repository.record_revision = timed
    base = run(records, args.steps, keep=False)
    with_rev = run(records, args.steps, keep=True)
    again = run(records, args.steps, keep=False)  # the order's own effect, seen again
    print(
        f"stream of bench/throughput.py (ECB+): {args.articles} articles in {args.steps} "
        f"steps, briefs rebuilt after each; {with_rev['stories']:.0f} stories"
    )
    for label, r in (
        ("without revisions", base),
        ("with revisions", with_rev),
        ("without, again", again),
    ):
        print(
            f"  {label:18s} {r['ms_per_article']:.1f} ms/article, store "
            f"{r['db_bytes'] / 1e6:.2f} MB, {r['revisions']:.0f} revisions "
            f"({r['revision_json_bytes'] / 1e3:.0f} kB of change records)"
        )
    if with_rev["revisions"]:
        n = with_rev["revisions"]
        print(
            f"  past briefs kept: {with_rev['brief_z_bytes'] / n / 1e3:.1f} kB/revision "
            f"compressed ({with_rev['brief_raw_bytes'] / n / 1e3:.1f} kB as JSON, "
            f"zlib x{with_rev['brief_raw_bytes'] / max(with_rev['brief_z_bytes'], 1):.1f}); "
            f"{with_rev['brief_z_bytes'] / with_rev['db_bytes']:.1%} of the store"
        )
    without = (base["seconds"] + again["seconds"]) / 2
    print(
        f"  ratio with/without (mean of the two runs without): time "
        f"x{with_rev['seconds'] / without:.3f}, store size "
        f"x{with_rev['db_bytes'] / base['db_bytes']:.3f}; time inside record_revision "
        f"{1000 * spent[0] / len(records):.2f} ms/article"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
