"""Person entities of ten real ECB+ stories against the corpus's own coreference chains.

Floors pinned from ``bench/entities.py`` (current B-cubed F1 0.964, 29 of 36 people named three
or more times kept as one entity; 0.942 and 23 before issue 12's given names, nicknames,
misspellings and glue cuts; the previous method 0.898 and 19). Skips without
``../shared``.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from synoptic.analyze.entities import extract_mentions
from synoptic.analyze.nlp import Analyzer
from synoptic.evaluate.entities import (
    GoldMention,
    SystemMention,
    load_people,
    score_people,
    summarize_scores,
    system_mentions,
)
from synoptic.model import Article
from synoptic.synthesize.entities import entity_members

ROOT = Path(__file__).parents[1]
DATA = ROOT.parent / "shared" / "data" / "ecbplus-esc" / "articles.jsonl"
STORIES = json.loads((ROOT / "bench" / "gold" / "ecbplus_people.json").read_text())["stories"]


def test_evaluate_entities_scores_splits_and_wrong_types() -> None:
    gold = [
        GoldMention("a", 0, 9, "p1"),
        GoldMention("a", 20, 25, "p1"),
        GoldMention("a", 30, 35, "p1"),
        GoldMention("a", 40, 45, "p2"),
    ]
    system = [
        SystemMention("a", 0, 9, 0, "PERSON"),
        SystemMention("a", 20, 25, 0, "PERSON"),
        SystemMention("a", 30, 35, 1, "GPE"),
        SystemMention("a", 40, 45, 2, "PERSON"),
    ]
    score = summarize_scores(*score_people(system, gold))
    assert score.matched == 4 and score.people == 1
    assert score.whole == 0  # p1 split over two entities
    assert score.precision == 1.0 and score.recall < 1.0


@pytest.mark.skipif(not DATA.exists(), reason=f"ECB+ with ESC not found at {DATA}")
def test_evaluate_entities_ecbplus_people_floor() -> None:
    data = load_people(DATA, STORIES)
    analyzer = Analyzer(use_cache=False)
    pooled: tuple[dict, dict, dict] = ({}, {}, {})
    for story in STORIES:
        texts, gold = data[story]
        articles = [Article(id=i, source=f"ecbplus:{i}", text=t) for i, t in texts.items()]
        docs = analyzer.parse(articles)
        mentions = [m for a in articles for m in extract_mentions(a, docs[a.id])]
        parts = score_people(
            system_mentions(mentions, entity_members(mentions, articles)), gold, story
        )
        for into, part in zip(pooled, parts, strict=True):
            into.update(part)
    score = summarize_scores(*pooled)
    assert score.matched >= 600
    assert score.f1 >= 0.96 and score.precision >= 0.99
    assert score.whole >= 29 and score.typed_person >= 34
