"""Entities of hand-made stories (tests/gold/entities_hard_cases.json) through the real parse.

The stories are ours: short and title forms of one person, given names used alone, a surname
two people share, an organisation written several ways, a headline in title case, a name
before a sentence the parser did not end. Each is read by spaCy, ``extract_mentions`` and
``merge_entities`` as ``synoptic brief`` reads a story.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import pytest
from spacy.language import Language

from synoptic.analyze.entities import extract_mentions
from synoptic.analyze.nlp import load_nlp
from synoptic.model import Article, Entity
from synoptic.synthesize.entities import merge_entities

CASES = json.loads(
    (Path(__file__).parent / "gold" / "entities_hard_cases.json").read_text(encoding="utf-8")
)["stories"]


@pytest.fixture(scope="module")
def nlp() -> Language:
    return load_nlp()


def _entities(nlp: Language, texts: dict[str, str]) -> tuple[Entity, ...]:
    articles = [Article(id=k, source=f"{k}.txt", text=t, outlet=k) for k, t in texts.items()]
    mentions = [m for a in articles for m in extract_mentions(a, nlp(a.text))]
    return merge_entities(mentions, articles)


def _holding(entities: Sequence[Entity], form: str) -> list[Entity]:
    return [e for e in entities if e.name == form or form in e.aliases]


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_entities_hard_cases_one_entity_per_person_and_organisation(
    nlp: Language, case: dict
) -> None:
    entities = _entities(nlp, case["articles"])
    for kind, *forms in case["one"]:
        found = {id(e): e for f in forms for e in _holding(entities, f)}
        assert len(found) == 1, (forms, [(e.name, e.aliases) for e in found.values()])
        assert next(iter(found.values())).type == kind, forms
    for x, y in case["apart"]:
        assert _holding(entities, x) != _holding(entities, y), (x, y)
    names = {n for e in entities for n in (e.name, *e.aliases)}
    assert not names & set(case["absent"])
