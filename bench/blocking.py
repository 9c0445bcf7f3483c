"""Candidate blocking (``stories.blocks``) beside the exact all-pairs story engine.

Two parts, both printing the blocked engine beside the exact one run in the same way:

1. **Agreement** (in this process), with blocking forced on whatever the size: ECB+
   (``../shared/data/ecbplus/ecbplus.jsonl``: 982 texts handed to the engine, copies marked,
   86 gold stories) and ``examples/`` (read and extracted as ``synoptic brief`` does).
   Printed: B-cubed of the blocked partition against the exact one (agreement), each against
   gold, the components and the largest one.
2. **Growth** on the dated stream ``bench/throughput.py`` builds (ECB+ stories told again by 12
   outlets every 16 days), at each of ``--sizes``: grouping's CPU seconds and the child's peak
   RSS (``ru_maxrss``; reading and extraction are done once beforehand and pickled, so a child
   holds only the articles and the grouping), exact and blocked each in a fresh process, with
   the leads' embeddings cached on disk beforehand so neither pays the model. Exact is
   skipped above ``--exact-max`` (its n-by-n matrices: 20,000 articles need about 10 GB).

Measured (2 cores at load average 9-10, 2026-12-07; ``--sizes 2000,5000,10000``): examples
agreement 1.000 (2 components); ECB+ agreement F1 0.998, gold F1 0.947 blocked against 0.949
exact, 55 components, largest 52. Stream, exact then blocked: 2,000: 2.0 / 1.2 CPU s, 568 /
568 MB, agreement 1.000, 57 components, largest 57; 5,000: 10.2 / 4.5 CPU s, 784 / 568 MB,
agreement 1.000, 59 components, largest 127; 10,000 (``--sizes 10000``, rerun): 65.7 / 22.2
CPU s (x0.337), 2,508 / 708 MB (x0.28), agreement 0.999, 57 components, largest 475 (80.5
blocked CPU s before blocking read each article's features once: their cache holds 8,192
texts). Not measured: 20,000 (reading and extracting the stream alone outlasted the session's
time on this machine).

Run: ``PYTHONPATH=src .venv/bin/python bench/blocking.py [--sizes 2000,5000,10000,20000]``.
"""

from __future__ import annotations

import argparse
import json
import os
import pickle
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ECB = ROOT.parent / "shared" / "data" / "ecbplus" / "ecbplus.jsonl"
EXAMPLES = ROOT / "examples"
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

from synoptic.analyze.embed import Embedder  # noqa: E402
from synoptic.cluster import article_features, cluster_auto  # noqa: E402
from synoptic.dedup import mark_duplicates  # noqa: E402
from synoptic.evaluate.partition import bcubed  # noqa: E402
from synoptic.model import Article  # noqa: E402
from synoptic.stories.blocks import cluster_blocked  # noqa: E402


def _labels(groups: list[list[Article]]) -> dict[str, int]:
    return {a.id: k for k, g in enumerate(groups) for a in g}


def _f(prf: tuple[float, float, float]) -> str:
    return "P {:.3f} R {:.3f} F1 {:.3f}".format(*prf)


def agreement(name: str, articles: list[Article], gold: dict[str, str] | None) -> None:
    """Exact and blocked (forced) on one set; print agreement, gold scores and components."""
    emb = Embedder()
    emb.encode([a.text[:10] for a in articles[:1]])  # the model loads outside the timings
    for a in articles:
        article_features(a)  # read once, for both
    t0 = time.process_time()
    exact = _labels(cluster_auto(articles, embedder=emb))
    t1 = time.process_time()
    groups, blocking = cluster_blocked(articles, embedder=emb)
    t2 = time.process_time()
    blocked = _labels(groups)
    counts = blocking.to_dict()
    print(f"{name}: {len(articles)} articles")
    print(f"  exact   CPU {t1 - t0:6.1f} s  stories {len(set(exact.values()))}")
    print(
        f"  blocked CPU {t2 - t1:6.1f} s  stories {len(set(blocked.values()))}  components "
        f"{counts['components']}, largest {counts['largest_component']} "
        f"({counts['candidates']} candidate pairs, {counts['links']} links)"
    )
    print(f"  agreement (blocked vs exact): {_f(bcubed(blocked, exact))}")
    if gold is not None:
        print(f"  vs gold: exact {_f(bcubed(exact, gold))}  blocked {_f(bcubed(blocked, gold))}")


def _ecb() -> tuple[list[Article], dict[str, str]]:
    rows = [json.loads(line) for line in ECB.open(encoding="utf-8")]
    arts = [Article(id=r["id"], source=f"ecbplus:{r['id']}", text=r["text"]) for r in rows]
    return mark_duplicates(arts), {r["id"]: r["story"] for r in rows}


def _examples() -> list[Article]:
    from synoptic.ingest import read_inputs
    from synoptic.pipeline import extract_all

    return mark_duplicates(extract_all(read_inputs([str(EXAMPLES)])))


def child(pickled: str, n: int, mode: str, out: str) -> None:
    """Group the first ``n`` stream articles with ``mode``; write the partition and figures."""
    with open(pickled, "rb") as fh:
        articles = mark_duplicates(pickle.load(fh)[:n])
    emb = Embedder()
    for a in articles:
        article_features(a)  # reading is not grouping
    t0 = time.process_time()
    if mode == "exact":
        groups, counts = cluster_auto(articles, embedder=emb), {}
    else:
        groups, blocking = cluster_blocked(articles, embedder=emb)
        counts = blocking.to_dict()
    cpu = time.process_time() - t0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    part = {a.url or a.id: k for k, g in enumerate(groups) for a in g}
    Path(out).write_text(json.dumps({"cpu": cpu, "peak_mb": peak, "counts": counts, "p": part}))


def growth(sizes: list[int], exact_max: int) -> None:
    """Exact and blocked at each size of the stream, each in a fresh process."""
    from synoptic.ingest import read_inputs
    from synoptic.pipeline import extract_all
    from throughput import build_stream, event_of

    with tempfile.TemporaryDirectory() as tmp:
        records = build_stream(max(sizes))
        # Files of 2,000 reports: one file of 20,000 would pass the input size limit.
        srcs = []
        for lo in range(0, len(records), 2000):
            srcs.append(str(Path(tmp) / f"stream{lo:06d}.jsonl"))
            lines = (json.dumps(r) for r in records[lo : lo + 2000])
            Path(srcs[-1]).write_text("\n".join(lines) + "\n", encoding="utf-8")
        articles = extract_all(read_inputs(srcs))
        order = {r["url"]: k for k, r in enumerate(records)}
        articles.sort(key=lambda a: order.get(a.url or "", len(order)))
        os.environ["SYNOPTIC_CACHE_DIR"] = str(Path(tmp) / "cache")
        Embedder().encode([article_features(a).lead for a in articles])  # warm for both
        pickled = str(Path(tmp) / "articles.pkl")
        with open(pickled, "wb") as fh:
            pickle.dump(articles, fh)
        print(f"stream of bench/throughput.py: {len(articles)} articles read once")
        print(f"{'n':>6} {'mode':>8} {'CPU s':>8} {'peak MB':>8} {'F1 gold':>8} agreement")
        for n in sizes:
            parts = {}
            for mode in ("exact", "blocked"):
                if mode == "exact" and n > exact_max:
                    print(f"{n:>6} {'exact':>8}  skipped (above --exact-max {exact_max})")
                    continue
                out = str(Path(tmp) / f"{mode}-{n}.json")
                cmd = [sys.executable, __file__, "--child", pickled, str(n), mode, out]
                subprocess.run(cmd, check=True)
                fig = json.loads(Path(out).read_text())
                parts[mode] = fig["p"]
                gold = {u: event_of(u) for u in fig["p"]}
                f1 = bcubed(fig["p"], gold)[2]
                agree = ""
                if mode == "blocked" and "exact" in parts:
                    agree = _f(bcubed(fig["p"], parts["exact"]))
                    ex = json.loads(Path(tmp, f"exact-{n}.json").read_text())
                    agree += f"  CPU x{fig['cpu'] / ex['cpu']:.3f}"
                    agree += f"  peak x{fig['peak_mb'] / ex['peak_mb']:.2f}"
                extra = ""
                if fig["counts"]:
                    c = fig["counts"]
                    extra = f"  components {c['components']}, largest {c['largest_component']}"
                print(
                    f"{n:>6} {mode:>8} {fig['cpu']:8.1f} {fig['peak_mb']:8.0f} {f1:8.3f} "
                    f"{agree}{extra}",
                    flush=True,
                )


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        child(sys.argv[2], int(sys.argv[3]), sys.argv[4], sys.argv[5])
        return
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="2000,5000,10000,20000")
    parser.add_argument("--exact-max", type=int, default=10_000)
    parser.add_argument("--skip-agreement", action="store_true")
    args = parser.parse_args()
    if not args.skip_agreement:
        agreement("examples/", _examples(), None)
        if ECB.exists():
            agreement("ECB+ (all 982, undated)", *_ecb())
    if ECB.exists() and args.sizes:
        growth([int(s) for s in args.sizes.split(",")], args.exact_max)


if __name__ == "__main__":
    main()
