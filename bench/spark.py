"""Throughput of ``synoptic spark`` at ``local[1]`` and ``local[2]``, beside the one-machine batch
path (``build_briefs``) on the same input in the same run, with the time per stage; and dedup
alone, the banding shuffle against Spark ML's ``MinHashLSH``.

The stream is ``bench/throughput.py``'s (ECB+ stories told again by 12 outlets over 3 days, as
JSON lines), split into files of 100 records so Spark has partitions to spread. The issue asks
for 100,000 articles; on this 2-core machine shared with other jobs the full pipeline (a spaCy
parse of every article) runs at a few articles a second, so the default is ``--size 300``, and
the size is printed with every figure. Caches are off on both paths (``use_cache=False``), so
neither reuses the other's parses.

Measured (``--size 500 --dedup-size 2000 --ecb``, 2 cores at load average 12-25, 2026-12-07):
one machine 77.2 CPU s (0.154 an article), local[1] 164.7 CPU s (0.329), local[2] 136.0 (0.272);
wall 370 / 590 / 569 s, so scaling 1.04, which at that load says nothing; stories B-cubed 1.0
against the batch path; dedup on 2,500 articles: ``MinHashLSH`` 1.36x the banding's CPU; ECB+
stories B-cubed 0.9984, but in 3 components, the largest 979. With verified links
(``--skip-job --dedup-size 0 --ecb``, load ~9, 23:05 UTC): ECB+ stories B-cubed 0.9975 against
batch, 55 components, the largest 50 (11,098 candidate pairs, 6,861 links). Read CPU seconds
(the process tree's: driver, JVM, Python workers), not wall time, on a shared machine. Details
and the plan drawn from them: docs/scale.md.

Also printed: each path's stories as B-cubed F1 against the batch path's (``synoptic brief
--stories auto``) on the same stream, the read and analyse partitions of each run, the share of
each stage, and with ``--ecb`` the stories of all of ECB+ by the blocking step against the batch
engine.

Run: ``.venv/bin/python bench/spark.py --size 300`` (``--skip-one`` to leave out the batch
path, ``--skip-job`` for dedup alone, ``--dedup-size 2000`` for the dedup comparison,
``--ecb`` for the ECB+ stories).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from synoptic.model import Article
from synoptic.settings import Settings
from synoptic.spark.cpu import tree_cpu
from throughput import ECB, build_stream


class Meter:
    """Wall and process-tree CPU seconds of one step, and the load average before and after."""

    def __enter__(self) -> Meter:
        self.load_before = os.getloadavg()[0]
        self.cpu0, self.t0 = tree_cpu() or 0.0, time.perf_counter()
        return self

    def __exit__(self, *exc: object) -> None:
        self.wall = time.perf_counter() - self.t0
        self.cpu = (tree_cpu() or 0.0) - self.cpu0
        self.load_after = os.getloadavg()[0]

    def figures(self) -> dict[str, Any]:
        """Wall, CPU and load of the step, rounded for printing."""
        return {
            "wall": round(self.wall, 1),
            "cpu_s": round(self.cpu, 1),
            "load_1min": [round(self.load_before, 2), round(self.load_after, 2)],
        }


def progress(step: str, figures: dict[str, Any]) -> None:
    """Print one finished step to stderr at once, so a long run shows its figures as it goes."""
    print(
        f"{step}: {json.dumps(figures, sort_keys=True, default=str)}", file=sys.stderr, flush=True
    )


def write_stream(records: list[dict[str, object]], folder: Path, per_file: int = 100) -> None:
    """Write the records as JSON-lines files of ``per_file`` records each."""
    folder.mkdir(parents=True, exist_ok=True)
    for k in range(0, len(records), per_file):
        lines = [json.dumps(r) for r in records[k : k + per_file]]
        (folder / f"part-{k // per_file:05d}.jsonl").write_text("\n".join(lines) + "\n")


def run_spark(master: str, src: Path, out: Path) -> tuple[dict[str, Any], dict[str, str]]:
    """Run the job in a fresh session; return its report and wall seconds (the session's
    start included), and each article's story id."""
    from synoptic.spark.job import read_table, run, session

    with Meter() as meter:
        spark = session(master, app=f"bench-{master}")
        report = run(spark, [str(src)], str(out), Settings(use_cache=False))
    progress(f"{master} (report)", {**meter.figures(), **report.to_dict()})
    try:
        story_of = {
            a: r["id"] for r in read_table(spark, str(out), "stories") for a in r["article_ids"]
        }
    finally:
        spark.stop()
    return {**meter.figures(), "wall": meter.wall, **report.to_dict()}, story_of


def run_one_machine(src: Path) -> tuple[dict[str, Any], dict[str, str]]:
    """Run the batch path (``synoptic brief --stories auto``) over the same files; return wall
    seconds and counts, and each article's story id."""
    from synoptic.pipeline import build_briefs

    with Meter() as meter:
        result = build_briefs([str(src)], use_cache=False, stories="auto")
    figures = {
        **meter.figures(),
        "wall": meter.wall,
        "articles": len(result.articles),
        "briefs": len(result.briefs),
    }
    return figures, {a.id: b.story.id for b in result.briefs for a in b.story.articles}


def agreement(pred: dict[str, str], gold: dict[str, str]) -> float:
    """B-cubed F1 of ``pred`` against ``gold`` over the ids both hold."""
    from synoptic.evaluate.partition import bcubed

    common = set(pred) & set(gold)
    return round(bcubed({k: pred[k] for k in common}, {k: gold[k] for k in common})[2], 4)


def ecb_agreement(master: str = "local[2]") -> dict[str, Any]:
    """Stories of all of ECB+ by the Spark blocking step and by the batch engine, B-cubed."""
    from synoptic.cluster import group_articles
    from synoptic.dedup import mark_duplicates
    from synoptic.extract import extract
    from synoptic.ingest import read_bytes
    from synoptic.spark.blocking import find_stories
    from synoptic.spark.job import session
    from synoptic.spark.workers import context

    articles = []
    for line in ECB.read_text(encoding="utf-8").splitlines():
        rec = json.loads(line)
        for doc in read_bytes(f"{rec['id']}.txt", rec["text"].encode("utf-8")):
            articles.append(extract(doc))  # type: ignore[arg-type]
    marked = mark_duplicates(articles)
    settings = Settings(use_cache=False)
    with Meter() as one_m:
        batch = group_articles(marked, "auto", embedder=context(settings).embedder)
    spark = session(master, app="bench-ecb")
    with Meter() as spark_m:
        stories, stats = find_stories(spark.sparkContext.parallelize(marked, 8), settings)
        spread = {a.id: s.id for s in stories.collect() for a in s.articles}
    spark.stop()
    batch_s, spark_s = one_m.wall, spark_m.wall
    one = {a.id: s.id for s in batch for a in s.articles}
    return {
        "articles": len(marked),
        "bcubed_f1": agreement(spread, one),
        "batch_s": round(batch_s, 1),
        "spark_s": round(spark_s, 1),
        "batch": one_m.figures(),
        "spark": spark_m.figures(),
        **{f"blocking_{k}": v for k, v in stats.items()},
    }


def dedup_articles(n: int) -> list[Article]:
    """Articles of the stream, plus a wire copy (trimmed) of every fourth one."""
    from synoptic.extract import extract
    from synoptic.ingest import read_bytes

    out = []
    for k, rec in enumerate(build_stream(n)):
        for doc in read_bytes(f"r{k}.json", json.dumps(rec).encode()):
            a = extract(doc)  # type: ignore[arg-type]
            out.append(a)
            if k % 4 == 0:
                words = a.text.split()
                text = " ".join(words[: max(10, len(words) * 3 // 4)])
                out.append(Article(id=f"{a.id}c", source=f"c{k}", text=text))
    return out


def bench_dedup(articles: list[Article], master: str = "local[2]") -> dict[str, Any]:
    """Time the banding shuffle and ``MinHashLSH`` (verified the same way) on ``articles``."""
    from pyspark.ml.feature import HashingTF, MinHashLSH
    from pyspark.sql import functions as F

    from synoptic.dedup import CONTAINMENT, shingles
    from synoptic.spark.dedup import find_copies
    from synoptic.spark.job import session
    from synoptic.stories.original import containment

    spark = session(master, app="bench-dedup")
    sc = spark.sparkContext
    rdd = sc.parallelize(articles, 4).persist()
    rdd.count()
    with Meter() as band:
        copies, _ = find_copies(rdd)
        n_band = copies.count()
    band_s = band.wall

    lsh = Meter().__enter__()
    rows = rdd.map(lambda a: (a.id, sorted(shingles(a.text)))).filter(lambda r: bool(r[1]))
    df = spark.createDataFrame(rows, "id string, sh array<string>")
    feats = HashingTF(inputCol="sh", outputCol="v", numFeatures=1 << 20).transform(df)
    model = MinHashLSH(inputCol="v", outputCol="h", numHashTables=8, seed=7).fit(feats)
    # Jaccard distance 0.7 = similarity 0.3, the one-machine LSH threshold.
    pairs = model.approxSimilarityJoin(feats, feats, 0.7, distCol="d").where(
        F.col("datasetA.id") < F.col("datasetB.id")
    )
    sh = dict(rows.collect())
    cands = pairs.select("datasetA.id", "datasetB.id").collect()
    verified = [
        c for c in cands if containment(frozenset(sh[c[0]]), frozenset(sh[c[1]])) >= CONTAINMENT
    ]
    lsh.__exit__()
    lsh_s = lsh.wall
    spark.stop()
    return {
        "articles": len(articles),
        "banding": band.figures(),
        "minhashlsh": lsh.figures(),
        "minhashlsh_over_banding_cpu": round(lsh.cpu / max(band.cpu, 1e-9), 2),
        "banding_s": round(band_s, 2),
        "banding_copies": n_band,
        "minhashlsh_s": round(lsh_s, 2),
        "minhashlsh_candidates": len(cands),
        "minhashlsh_verified_pairs": len(verified),
        "minhashlsh_over_banding": round(lsh_s / band_s, 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=300)
    parser.add_argument("--dedup-size", type=int, default=2000)
    parser.add_argument("--skip-one", action="store_true")
    parser.add_argument("--skip-job", action="store_true", help="dedup (and --ecb) only")
    parser.add_argument("--ecb", action="store_true", help="stories of all of ECB+, B-cubed")
    args = parser.parse_args()
    figures: dict[str, Any] = {
        "size": args.size,
        "data": "bench/throughput.py stream (ECB+)",
        "cpus": os.cpu_count(),
        "load_1_5_15_at_start": [round(x, 2) for x in os.getloadavg()],
    }
    if not args.skip_job:
        figures.update(bench_job(args.size, args.skip_one))
    if args.dedup_size:
        figures["dedup"] = bench_dedup(dedup_articles(args.dedup_size))
        progress("dedup", figures["dedup"])
    if args.ecb:
        figures["ecbplus_stories"] = ecb_agreement()
    print(json.dumps(figures, indent=2, sort_keys=True))


def bench_job(size: int, skip_one: bool) -> dict[str, Any]:
    """The job at local[1] and local[2] and the batch path on one stream of ``size``."""
    figures: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "stream"
        write_stream(build_stream(size), src)
        parts = {}
        for master in ("local[1]", "local[2]"):
            # "local[1]" would be a glob to Hadoop's reader: name the folder without brackets.
            out = Path(tmp) / master.replace("[", "").replace("]", "")
            figures[master], parts[master] = run_spark(master, src, out)
            progress(master, figures[master])
        if not skip_one:
            figures["one_machine"], parts["one_machine"] = run_one_machine(src)
            progress("one_machine", figures["one_machine"])
            for master in ("local[1]", "local[2]"):
                figures[master]["stories_bcubed_vs_one_machine"] = agreement(
                    parts[master], parts["one_machine"]
                )
    for key in ("local[1]", "local[2]", "one_machine"):
        if key in figures:
            fig = figures[key]
            fig["articles_per_s"] = round(size / fig["wall"], 3)
            fig["wall"] = round(fig["wall"], 1)
            if "seconds" in fig:
                total = sum(fig["seconds"].values())
                fig["share"] = {k: round(v / total, 3) for k, v in fig["seconds"].items()}
    figures["scaling_1_to_2"] = round(figures["local[1]"]["wall"] / figures["local[2]"]["wall"], 2)
    for key in ("local[1]", "local[2]", "one_machine"):
        if key in figures:
            figures[key]["cpu_s_per_article"] = round(figures[key]["cpu_s"] / size, 3)
    if "one_machine" in figures:
        one = figures["one_machine"]["wall"]
        figures["spark_vs_one_machine"] = {
            m: round(one / figures[m]["wall"], 2) for m in ("local[1]", "local[2]")
        }
    return figures


if __name__ == "__main__":
    main()
