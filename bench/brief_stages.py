"""Wall time of one brief for a 10-article story, stage by stage, warm and cold, in one run.

Stages, in the order a brief runs them: ingest (read files), extract (clean), dedup, cluster,
analyze (spaCy parse, every per-article extractor and the MiniLM int8 sentence embeddings, the
records cached by content hash), align, claims (contradicting statements), summary, facts,
unique, timeline (date anchors and resolved dates), conflicts (comparison of the quantities),
quotes (merged across outlets), entities (with flags), render (the JSON brief). A last line
times ``synthesize`` itself, the function ``synoptic brief`` calls after analysis, as a check
that the stages above are all of it. The story is 10 reports of one real event from ECB+
(``../shared/data/ecbplus/ecbplus.jsonl``, the first gold story with at least 10 documents,
written to a temporary folder as text files); without ECB+ it is ``examples/dam`` plus
``examples/feeds`` plus three of ``../shared/seeds`` read as one story.

Figures: the median of three warm runs (analysis and embedding caches filled, models loaded)
beside the cold run (empty caches, models loaded on first use) of the same process, as a
ratio; the goal is a warm brief under 3 s. Model loading is timed on its own.

Run: ``.venv/bin/python bench/brief_stages.py``.
"""

from __future__ import annotations

import json
import os
import statistics
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
ECB = SHARED / "data" / "ecbplus" / "ecbplus.jsonl"
ARTICLES = 10
GOAL_S = 3.0

T = TypeVar("T")


def _story_files(folder: Path) -> tuple[list[str], str]:
    if ECB.is_file():
        docs: dict[str, list[dict[str, Any]]] = defaultdict(list)
        with ECB.open(encoding="utf-8") as fh:
            for line in fh:
                rec = json.loads(line)
                docs[rec["story"]].append(rec)
        story = next(s for s, recs in docs.items() if len(recs) >= ARTICLES)
        for rec in docs[story][:ARTICLES]:
            (folder / f"{rec['id']}.txt").write_text(rec["text"], encoding="utf-8")
        return [str(folder)], f"ECB+ story {story} ({ARTICLES} documents)"
    seeds = sorted((SHARED / "seeds").glob("*.txt"))[:3]
    paths = [str(ROOT / "examples" / "dam"), str(ROOT / "examples" / "feeds")]
    return paths + [str(p) for p in seeds], "examples/dam + examples/feeds + 3 seeds"


def _timed(times: dict[str, float], stage: str, fn: Callable[[], T]) -> T:
    t0 = time.perf_counter()
    out = fn()
    times[stage] = times.get(stage, 0.0) + time.perf_counter() - t0
    return out


def brief_once(paths: list[str]) -> tuple[dict[str, float], int]:
    """Run every stage of one brief; return seconds per stage and the article count."""
    from synoptic.analyze.batch import AnalysisCache, analyze_all
    from synoptic.analyze.dates import infer_anchors, resolve_dates
    from synoptic.analyze.embed import Embedder
    from synoptic.cluster import group_articles
    from synoptic.dedup import mark_duplicates
    from synoptic.ingest import read_inputs
    from synoptic.pipeline import extract_all
    from synoptic.render import render
    from synoptic.synthesize.align import align
    from synoptic.synthesize.brief import synthesize
    from synoptic.synthesize.claims import find_claim_conflicts
    from synoptic.synthesize.conflicts import find_conflicts
    from synoptic.synthesize.entities import find_flags, merge_entities
    from synoptic.synthesize.facts import build_facts
    from synoptic.synthesize.quotes import merge_quotes
    from synoptic.synthesize.summary import summarize
    from synoptic.synthesize.timeline import build_timeline
    from synoptic.synthesize.unique import find_unique

    t: dict[str, float] = {}
    raw = _timed(t, "ingest", lambda: list(read_inputs(paths)))
    arts = _timed(t, "extract", lambda: extract_all(raw))
    arts = _timed(t, "dedup", lambda: mark_duplicates(arts))
    (story, *_) = _timed(t, "cluster", lambda: group_articles(arts, "one"))
    emb = Embedder()
    recs = _timed(
        t, "analyze", lambda: analyze_all(story.articles, embedder=emb, cache=AnalysisCache())
    )
    sents = {a.id: recs[a.id].sentences for a in story.articles}
    groups = _timed(t, "align", lambda: align(story, sents, recs))
    claims = {k: r.claims for k, r in recs.items()}
    _timed(t, "claims", lambda: find_claim_conflicts(story, groups, claims))
    _timed(t, "summary", lambda: summarize(story, sents, max_words=120, groups=groups))
    _timed(t, "facts", lambda: build_facts(story, sents, recs, groups=groups))
    _timed(t, "unique", lambda: find_unique(story, sents, groups))
    arts = list(story.articles)

    def timeline() -> dict[str, Any]:
        anchors = infer_anchors(arts, {a.id: recs[a.id].dates for a in arts})
        found = [m for a in arts for m in resolve_dates(a, recs[a.id].dates, anchors.get(a.id))]
        build_timeline(found, arts)
        return {k: (v.isoformat() if v else None) for k, v in anchors.items()}

    dates = _timed(t, "timeline", timeline)
    _timed(
        t,
        "conflicts",
        lambda: find_conflicts([q for a in arts for q in recs[a.id].quantities], arts, dates=dates),
    )
    _timed(t, "quotes", lambda: merge_quotes([q for a in arts for q in recs[a.id].quotes], arts))

    def entities() -> None:
        mentions = [m for a in arts for m in recs[a.id].mentions]
        find_flags(mentions, merge_entities(mentions, arts), arts)

    _timed(t, "entities", entities)
    brief = _timed(t, "synthesize", lambda: synthesize(story, recs))
    _timed(t, "render", lambda: render([brief], "json"))
    return t, len(story.articles)


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp, tempfile.TemporaryDirectory() as cache:
        os.environ["SYNOPTIC_CACHE_DIR"] = cache
        paths, label = _story_files(Path(tmp))
        from synoptic.analyze.embed import _model
        from synoptic.analyze.nlp import load_nlp

        t0 = time.perf_counter()
        load_nlp()
        spacy_load = time.perf_counter() - t0
        t0 = time.perf_counter()
        _model(2)
        onnx_load = time.perf_counter() - t0
        cold, n = brief_once(paths)
        warm_runs = [brief_once(paths)[0] for _ in range(3)]
    # ``synthesize`` repeats align .. entities in one call: shown as a check, not summed.
    stages = [s for s in cold if s != "synthesize"]
    warm = {s: statistics.median(r[s] for r in warm_runs) for s in [*stages, "synthesize"]}
    print(f"data: {label}; {n} articles in the story; median of 3 warm runs")
    print(f"  model loading (once per process): spaCy {spacy_load:.2f} s, MiniLM {onnx_load:.2f} s")
    print(f"  {'stage':<9} {'cold s':>8} {'warm s':>8}")
    for s in stages:
        print(f"  {s:<9} {cold[s]:8.3f} {warm[s]:8.3f}")
    tc, tw = sum(cold[s] for s in stages), sum(warm[s] for s in stages)
    print(f"  {'total':<9} {tc:8.3f} {tw:8.3f}   warm/cold ratio {tw / tc:.2f}x")
    print(f"  goal: warm brief under {GOAL_S:.0f} s: {'met' if tw < GOAL_S else 'NOT met'}")
    print(
        f"  check: synthesize() alone, warm {warm['synthesize']:.3f} s "
        f"(the stages from align to entities above: "
        f"{sum(warm[s] for s in stages[stages.index('align') : stages.index('render')]):.3f} s)"
    )
    load = os.getloadavg()[0]
    print(f"  (machine load average at the end: {load:.1f} on {os.cpu_count()} cores)")


if __name__ == "__main__":
    main()
