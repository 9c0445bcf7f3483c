"""Facts: whether each fact is a whole sentence, supported by sentences about the same event.

Run from the repository root::

    .venv/bin/python bench/facts.py               # ECB+ topics 1-12 (24 stories, ~280 texts)
    .venv/bin/python bench/facts.py --topics 45   # every topic (slow: ~980 texts, ~10 min)

Data: ``../shared/data/ecbplus-esc/articles.jsonl`` (ECB+ texts with the corpus's own event
annotation: each event mention in a sentence and its cross-document coreference chain, so two
sentences of two outlets are "about the same event" when they share an event chain). Stories are
the corpus's clusters (``cluster``); articles are briefed as ``synoptic brief`` does (wire
copies marked, one alignment), then ``build_facts`` runs twice in the same process: the
previous method (``strict=False``) and the current one (``strict=True``).

Scores, per method, on the odd topics (``dev``: the rules of ``same_event`` were chosen
looking at these) and on the even topics (``held-out``: read only to report) apart, then on
both:

* **right support**: of the facts whose wording and at least one supporting sentence carry
  annotated events (reporting verbs such as "said" left out: every sentence shares those), the
  share where every such supporting sentence shares an event chain with the wording;
* **pieces**: facts whose wording is a piece of a sentence (``facts.is_piece``: unpaired quote
  marks, an agency dash at either end, a lower-case start) - ECB+ has few, so the hand-written
  wire corpus in ``tests/test_synthesize_facts.py`` holds the hard cases;
* **support counted**: the current facts' support summed, near-copies counted once
  (``align.outlets``) beside counting each near-copy as a source of its own (wire copies
  marked by ``mark_duplicates`` count once in both).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from synoptic.analyze.batch import analyze_docs  # noqa: E402
from synoptic.analyze.embed import Embedder  # noqa: E402
from synoptic.analyze.nlp import Analyzer  # noqa: E402
from synoptic.dedup import mark_duplicates  # noqa: E402
from synoptic.evaluate.facts import event_chains, judge  # noqa: E402
from synoptic.model import Article, Cited, Story  # noqa: E402
from synoptic.outlets.detect import independent_outlets  # noqa: E402
from synoptic.synthesize.align import align  # noqa: E402
from synoptic.synthesize.facts import build_facts, is_piece, support  # noqa: E402

ESC = ROOT.parent / "shared" / "data" / "ecbplus-esc" / "articles.jsonl"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--topics", type=int, default=12, help="ECB+ topics 1..N")
    parser.add_argument("--show", type=int, default=8, help="wrong facts to print")
    args = parser.parse_args()
    if not ESC.is_file():
        print(f"facts: skipped ({ESC} not found)")
        return
    rows = [json.loads(line) for line in ESC.open(encoding="utf-8") if line.strip()]
    rows = [r for r in rows if r["topic"] <= args.topics]
    stories: dict[str, list[Article]] = defaultdict(list)
    chains = {}
    topic_of = {r["cluster"]: r["topic"] for r in rows}
    for r in rows:
        stories[r["cluster"]].append(Article(id=r["id"], source=r["id"], text=r["text"]))
        chains[r["id"]] = event_chains(r)
    started = time.perf_counter()
    analyzer, embedder = Analyzer(), Embedder()
    docs = analyzer.parse([a for arts in stories.values() for a in arts])
    results: dict[str, list[tuple[str, Cited, bool | None]]] = {"previous": [], "current": []}
    counted = [0, 0]  # current facts' support: near-copies once, near-copies apart
    for name, arts in sorted(stories.items()):
        arts = mark_duplicates(arts)
        story = Story(id=name, headline=name, articles=tuple(arts))
        recs = analyze_docs(arts, {a.id: docs[a.id] for a in arts}, embedder=embedder)
        sents = {a.id: recs[a.id].sentences for a in arts}
        groups = align(story, sents, recs)
        for label, strict in (("previous", False), ("current", True)):
            for f in build_facts(story, sents, recs, groups=groups, strict=strict):
                results[label].append((name, f, judge(f, chains)))
                if strict:
                    apart = independent_outlets(story)
                    counted[0] += support(f, story)
                    counted[1] += len({apart.get(a, a) for a in f.sources})
    print(
        f"ECB+ (ESC annotation), topics 1-{args.topics}: {len(stories)} stories, {len(rows)} "
        f"articles ({time.perf_counter() - started:.0f}s)"
    )
    halves = {"dev": lambda t: t % 2 == 1, "held-out": lambda t: t % 2 == 0, "all": bool}
    for half, keep in halves.items():
        scores = {}
        for label, every in results.items():
            facts = [(n, f, v) for n, f, v in every if keep(topic_of[n])]
            judged = [v for _, _, v in facts if v is not None]
            right = sum(judged)
            pieces = sum(is_piece(f.text) for _, f, _ in facts)
            scores[label] = right / len(judged) if judged else 0.0
            print(
                f"  {half:<8} {label:<8} {len(facts)} facts, {len(judged)} judged: right "
                f"support {right}/{len(judged)} = {scores[label]:.3f}; pieces {pieces}"
            )
        if scores["previous"]:
            ratio = scores["current"] / scores["previous"]
            print(f"  {half:<8} ratio current/previous: right support x{ratio:.3f}")
    ratio = counted[0] / max(1, counted[1])
    print(
        f"  support counted over the current facts: {counted[0]} with near-copies once, "
        f"{counted[1]} with each near-copy a source of its own (x{ratio:.3f})"
    )
    wrong = [(n, f) for n, f, v in results["current"] if v is False]
    for name, f in wrong[: args.show]:
        print(f"  wrong [{name}] {f.text[:120]!r} <- {len(f.spans) - 1} supporting sentence(s)")


if __name__ == "__main__":
    main()
