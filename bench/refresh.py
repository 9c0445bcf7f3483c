"""Refreshing a stored story's brief when it gains one article: the old way against the new.

The story is 30 ECB+ reports of topic 1 (``../shared/data/ecbplus/ecbplus.jsonl``, both its
ECB and ECB+ sub-topics, in file order); the 31st report of the topic is the newcomer. Each way
rebuilds the brief of the 31 articles, after a store that already held the 30:

* **old, re-parse**: every member parsed and analysed again, then synthesized (what a brief
  cost when synthesis read spaCy docs and nothing per article was kept);
* **old, doc cache**: the 30 parses read back from the spaCy doc cache (``DocCache``) and the
  newcomer parsed, then every extractor run over all 31 docs and synthesized (the store's path
  before analysis records: ``Analyzer().parse`` then ``synthesize(story, docs)``);
* **new**: the 30 analyses read back from the analysis cache (as the store keeps them), the
  newcomer analysed alone, then synthesized from the records (``analyze_all`` +
  ``synthesize``);
* **new, in memory**: the same with the 30 analyses already in memory (``known=``).

In every way the 30 members' sentence embeddings are already cached (they were computed when
they joined) and the newcomer's are not; models are loaded before timing. Each figure is the
median of ``--runs`` runs (default 3), in wall and CPU seconds (CPU time, summed over the
process's threads, is steadier on a shared machine); the ratio is old / new.

Run: ``.venv/bin/python bench/refresh.py``.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from synoptic.analyze import embed  # noqa: E402
from synoptic.analyze.batch import AnalysisCache, analyze_all, analyze_docs  # noqa: E402
from synoptic.analyze.embed import Embedder, EmbeddingCache  # noqa: E402
from synoptic.analyze.nlp import Analyzer, DocCache, load_nlp  # noqa: E402
from synoptic.cluster import make_story  # noqa: E402
from synoptic.dedup import mark_duplicates  # noqa: E402
from synoptic.model import Article, Brief  # noqa: E402
from synoptic.synthesize.brief import synthesize  # noqa: E402

ECB = ROOT.parent / "shared" / "data" / "ecbplus" / "ecbplus.jsonl"
TOPIC = 1
MEMBERS = 30


def load() -> list[Article]:
    """The first ``MEMBERS + 1`` reports of ECB+ topic ``TOPIC``, the newcomer last."""
    rows = [json.loads(line) for line in ECB.open(encoding="utf-8") if line.strip()]
    rows = [r for r in rows if r["topic"] == TOPIC][: MEMBERS + 1]
    if len(rows) < MEMBERS + 1:
        sys.exit(f"skipped: ECB+ topic {TOPIC} has fewer than {MEMBERS + 1} reports")
    return [Article(id=r["id"], source=f"ecbplus:{r['id']}", text=r["text"]) for r in rows]


class Setup:
    """Caches holding what a store knows about the 30 members, copied fresh for every run."""

    def __init__(self, folder: Path, members: list[Article]) -> None:
        self.folder = folder
        self.emb = folder / "embeddings.sqlite"
        self.docs = folder / "docs.sqlite"
        self.recs = folder / "analyses.sqlite"
        embedder = Embedder(cache=EmbeddingCache(self.emb))
        Analyzer(cache=DocCache(self.docs)).parse(members)
        self.known = analyze_all(members, embedder=embedder, cache=AnalysisCache(self.recs))

    def fresh(self, run: int) -> None:
        """Fresh copies of the prepared cache files for ``run``, and an empty vector LRU.

        Called before the clock starts: copying files is no part of a refresh.
        """
        embed._LRU.data.clear()  # the newcomer's vectors must be computed in every run
        for path in (self.emb, self.docs, self.recs):
            shutil.copyfile(path, self.copy(path, run))

    def copy(self, path: Path, run: int) -> Path:
        """The path of ``run``'s copy of one prepared cache file (see ``fresh``)."""
        return self.folder / f"run{run}-{path.name}"


def old_reparse(s: Setup, articles: list[Article], run: int) -> Brief:
    """Parse and analyse all 31 again, then synthesize."""
    embedder = Embedder(cache=EmbeddingCache(s.copy(s.emb, run)))
    analyses = analyze_all(articles, embedder=embedder)
    return synthesize(make_story(articles), analyses)


def old_doc_cache(s: Setup, articles: list[Article], run: int) -> Brief:
    """Read 30 parses back, parse the newcomer, run every extractor on all 31, synthesize."""
    embedder = Embedder(cache=EmbeddingCache(s.copy(s.emb, run)))
    docs = Analyzer(cache=DocCache(s.copy(s.docs, run))).parse(articles)
    analyses = analyze_docs(articles, docs, embedder=embedder)
    return synthesize(make_story(articles), analyses)


def new_cached(s: Setup, articles: list[Article], run: int) -> Brief:
    """Read 30 analyses back from the analysis cache, analyse the newcomer, synthesize."""
    embedder = Embedder(cache=EmbeddingCache(s.copy(s.emb, run)))
    cache = AnalysisCache(s.copy(s.recs, run))
    analyses = analyze_all(articles, embedder=embedder, cache=cache)
    return synthesize(make_story(articles), analyses)


def new_known(s: Setup, articles: list[Article], run: int) -> Brief:
    """Analyse the newcomer alone (the 30 analyses in memory), synthesize."""
    embedder = Embedder(cache=EmbeddingCache(s.copy(s.emb, run)))
    analyses = analyze_all(articles, embedder=embedder, known=s.known)
    return synthesize(make_story(articles), analyses)


def _median(
    fn: Callable[[Setup, list[Article], int], Brief], s: Setup, arts: list[Article], runs: int
) -> tuple[float, float, Brief]:
    """Median wall and CPU seconds of ``runs`` runs of one way, and its brief."""
    wall, cpu, brief = [], [], None
    for run in range(runs):
        s.fresh(run)
        t0, c0 = time.perf_counter(), time.process_time()
        brief = fn(s, arts, run)
        wall.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
    assert brief is not None
    return statistics.median(wall), statistics.median(cpu), brief


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    if not ECB.is_file():
        sys.exit(f"skipped: ECB+ not found at {ECB}")
    articles = mark_duplicates(load())
    members, newcomer = articles[:MEMBERS], articles[MEMBERS]
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["SYNOPTIC_CACHE_DIR"] = tmp  # nothing reaches the user's cache
        t0 = time.perf_counter()
        load_nlp()
        embed._model(embed.THREADS)
        loading = time.perf_counter() - t0
        setup = Setup(Path(tmp), members)
        ways = {
            "old, re-parse all 31": old_reparse,
            "old, doc cache + extract all 31": old_doc_cache,
            "new, 30 records from cache + 1 analysed": new_cached,
            "new, 30 records in memory + 1 analysed": new_known,
        }
        results = {name: _median(fn, setup, articles, args.runs) for name, fn in ways.items()}
        setup.fresh(99)
        t0 = time.perf_counter()
        one = analyze_all(
            [newcomer], embedder=Embedder(cache=EmbeddingCache(setup.copy(setup.emb, 99)))
        )
        alone = time.perf_counter() - t0
        t0 = time.perf_counter()
        synthesize(make_story(articles), {**setup.known, **one})
        synth = time.perf_counter() - t0
    briefs = [b.to_dict() for *_, b in results.values()]
    same = all(b == briefs[0] for b in briefs)
    chars = sum(len(a.text) for a in articles)
    print(
        f"data: ECB+ topic {TOPIC}, {MEMBERS} stored reports + 1 newcomer ({newcomer.id}); "
        f"{chars} characters in all; median of {args.runs} runs"
    )
    print(f"  model loading (once, not counted): {loading:.2f} s")
    print(f"  {'way':<42} {'wall s':>8} {'CPU s':>8}")
    for name, (secs, cpu, _) in results.items():
        print(f"  {name:<42} {secs:8.3f} {cpu:8.3f}")
    new = results["new, 30 records from cache + 1 analysed"]
    for name in ("old, re-parse all 31", "old, doc cache + extract all 31"):
        old = results[name]
        print(
            f"  ratio {name} / new (from cache): wall {old[0] / new[0]:.1f}x, "
            f"CPU {old[1] / new[1]:.1f}x"
        )
    print(
        f"  for scale: the newcomer's analysis alone {alone:.3f} s, synthesize alone {synth:.3f} s"
    )
    print(f"  the four briefs are identical: {same}")
    print(
        f"  (machine load average at the end: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)"
    )


if __name__ == "__main__":
    main()
