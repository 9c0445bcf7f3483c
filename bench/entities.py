"""Person entities of real stories against gold coreference: the previous method beside the current.

Data: the ten ECB+ stories listed in ``bench/gold/ecbplus_people.json``
(``../shared/data/ecbplus-esc/articles.jsonl``), whose gold is the corpus's own person
coreference chains (see ``synoptic.evaluate.entities`` for what is matched and scored).
Both methods parse the same articles once (``Analyzer(use_cache=False)``):

* **previous**: ``analyze/entities/extract.py`` and ``synthesize/entities.py`` as they were at
  ``--baseline`` (default ``5b8692b``, main before this work), loaded from git;
* **current**: the working tree's modules.

Printed: B-cubed precision/recall/F1 of the person entities on the matched mentions, how many
gold people named 3+ times are one entity, and how many of those are typed ``PERSON``, with the
current/previous ratio of F1. ``--verbose`` lists each story's people split or merged.

Run: ``PYTHONPATH=src .venv/bin/python bench/entities.py [--verbose]``
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import types
from collections import Counter, defaultdict
from collections.abc import Callable
from pathlib import Path

from synoptic.analyze.entities import extract as current_extract
from synoptic.analyze.nlp import Analyzer
from synoptic.evaluate.entities import (
    load_people,
    score_people,
    summarize_scores,
    system_mentions,
)
from synoptic.model import Article
from synoptic.synthesize import entities as current_merge

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data" / "ecbplus-esc" / "articles.jsonl"
GOLD = ROOT / "bench" / "gold" / "ecbplus_people.json"


def _from_git(rev: str, path: str, name: str) -> types.ModuleType:
    """Load ``path`` as it was at ``rev`` as a module of its own (the previous method)."""
    source = subprocess.run(
        ["git", "-C", str(ROOT), "show", f"{rev}:{path}"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    module = types.ModuleType(name)
    module.__file__ = f"{rev}:{path}"
    sys.modules[name] = module
    exec(compile(source, module.__file__, "exec"), module.__dict__)
    return module


def _run(
    extract: Callable, build: Callable, articles: list[Article], docs: dict
) -> tuple[list, list]:
    mentions = [m for a in articles for m in extract(a, docs[a.id])]
    return mentions, build(mentions, articles)


def _show(key: str, story: str, pred: dict, labels: dict, kinds: dict, built: list) -> None:
    """Print the story's score and each gold person split over entities or typed wrong."""
    s = summarize_scores(pred, labels, kinds)
    print(f"{key:<9} {story}: F1 {s.f1:.3f}, {s.whole}/{s.people} people whole")
    chains: dict[str, Counter[str]] = defaultdict(Counter)
    for k, chain in labels.items():
        entity, _ = built[int(pred[k].rsplit("|", 1)[1])]
        chains[chain][f"{entity.name} [{entity.type}]"] += 1
    for chain, parts in chains.items():
        if len(parts) > 1 or any("[PERSON]" not in p for p in parts):
            print(f"    {chain.split('|')[1]}: {dict(parts)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--baseline", default="5b8692b")
    parser.add_argument("--verbose", action="store_true")
    args = parser.parse_args()
    if not DATA.exists():
        raise SystemExit(f"ECB+ with ESC not found at {DATA}")
    stories = json.loads(GOLD.read_text(encoding="utf-8"))["stories"]
    data = load_people(DATA, stories)
    old_extract = _from_git(args.baseline, "src/synoptic/analyze/entities/extract.py", "prev_x")
    old_merge = _from_git(args.baseline, "src/synoptic/synthesize/entities.py", "prev_m")
    methods = {
        "previous": (old_extract.extract_mentions, old_merge._build),
        "current": (current_extract.extract_mentions, current_merge.entity_members),
    }
    analyzer = Analyzer(use_cache=False)
    pooled: dict[str, tuple[dict, dict, dict]] = {k: ({}, {}, {}) for k in methods}
    for story in stories:
        texts, gold = data[story]
        articles = [Article(id=i, source=f"ecbplus:{i}", text=t) for i, t in texts.items()]
        docs = analyzer.parse(articles)
        for key, (extract, build) in methods.items():
            mentions, built = _run(extract, build, articles, docs)
            pred, labels, kinds = score_people(system_mentions(mentions, built), gold, story)
            for into, part in zip(pooled[key], (pred, labels, kinds), strict=True):
                into.update(part)
            if args.verbose:
                _show(key, story, pred, labels, kinds, built)
    print(f"data: {DATA} ({len(stories)} ECB+ stories of {GOLD.name}, gold person chains)")
    scores = {k: summarize_scores(*pooled[k]) for k in methods}
    for key, s in scores.items():
        print(
            f"  {key:<9} B-cubed P {s.precision:.3f} R {s.recall:.3f} F1 {s.f1:.3f} "
            f"on {s.matched} matched mentions; people named 3+ times: {s.whole}/{s.people} "
            f"one entity, {s.typed_person}/{s.people} typed PERSON"
        )
    prev, cur = scores["previous"], scores["current"]
    if prev.f1:
        print(f"  ratio current/previous: F1 x{cur.f1 / prev.f1:.3f}")


if __name__ == "__main__":
    main()
