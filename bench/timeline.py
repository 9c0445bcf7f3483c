"""Benchmark timeline entries: is each entry dated with the date of the event it reports?

Data: the 120 English Wikinews articles of MEANTIME (``../shared/data/timeline-meantime``),
each its own story (each is dated; the story's timeline is the article's). Gold is MEANTIME's
own temporal links (``synoptic.evaluate.timeline``): a date dates an event of its sentence, a
planned event, or only bounds one ("since 2004"). Topics ``airbus`` and ``gm`` are the half the
rules were developed on; ``stock`` and ``apple`` are held out, and printed apart.

Beside it, in the same run: the previous method (every resolved date phrase listed, the
sentence once per date, nothing marked as planned: ``build_timeline(select=False)``) over the
same parses and anchors. Figures: share of judged entries right, repeats, and the share of the
gold's event sentences listed.

Run: ``PYTHONPATH=src .venv/bin/python bench/timeline.py [--verbose] [--topics airbus,gm]``
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path
from typing import Any

from synoptic.analyze.dates import date_evidence, infer_anchors, resolve_dates
from synoptic.analyze.nlp import Analyzer
from synoptic.evaluate.timeline import Entry, EntryScore, score_coverage, score_entries
from synoptic.model import Article
from synoptic.synthesize.timeline import build_timeline

ROOT = Path(__file__).resolve().parents[1]
MEANTIME = ROOT.parent / "shared" / "data" / "timeline-meantime" / "articles.jsonl"
DEV = ("airbus", "gm")


def run(rows: list[dict[str, Any]], analyzer: Analyzer, verbose: bool) -> tuple[str, str]:
    """Score both methods on ``rows``; return their figure lines."""
    by_id = {r["id"]: r for r in rows}
    articles = [
        Article(id=r["id"], source=r["url"], text=r["text"], published=r["published"]) for r in rows
    ]
    docs = analyzer.parse(articles)
    lines = []
    for select in (False, True):
        score, listed = EntryScore(), []
        for a in articles:
            evidence = {a.id: date_evidence(a, docs[a.id])}
            anchors = infer_anchors([a], evidence)
            mentions = resolve_dates(a, evidence[a.id], anchors[a.id])
            events = build_timeline(mentions, [a], anchors=anchors, select=select)
            entries = [Entry(a.id, e.date, e.text, e.kind == "planned") for e in events]
            listed += entries
            score_entries(entries, by_id, score)
        score_coverage(by_id, listed, by_id, score)
        lines.append(score.line())
        if verbose and select:
            print("\n".join("  " + w for w in score.wrong))
    return lines[0], lines[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--verbose", action="store_true", help="print every wrong entry")
    parser.add_argument("--topics", default="", help="comma-separated topics (default: all)")
    args = parser.parse_args()
    if not MEANTIME.is_file():
        raise SystemExit(f"MEANTIME not found at {MEANTIME}")
    rows = [json.loads(line) for line in MEANTIME.open(encoding="utf-8")]
    wanted = set(args.topics.split(",")) if args.topics else {r["topic"] for r in rows}
    analyzer = Analyzer()  # parses cached by content (SYNOPTIC_CACHE_DIR)
    started = time.perf_counter()
    print("Timeline entries dated with the date of the event they report")
    print(f"data: {MEANTIME} (MEANTIME Wikinews, gold: its temporal links)")
    for name, topics in (("dev", set(DEV)), ("held-out", {"stock", "apple"})):
        part = [r for r in rows if r["topic"] in topics & wanted]
        if not part:
            continue
        before, after = run(part, analyzer, args.verbose)
        print(f"{name:<9} ({len(part)} articles)")
        print(f"  previous method: {before}")
        print(f"  synoptic:        {after}")
    print(f"({time.perf_counter() - started:.1f}s)")


if __name__ == "__main__":
    main()
