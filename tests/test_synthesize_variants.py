"""Spelling variants of one person's name across outlets, flagged; distinct people never."""

from __future__ import annotations

import pytest

from synoptic.analyze.entities import Mention, extract_mentions
from synoptic.analyze.nlp import Analyzer
from synoptic.model import Article, Flag
from synoptic.synthesize.entities import merge_entities
from synoptic.synthesize.variants import spelling_variants, variant_flags


def _flags(texts: dict[str, str]) -> tuple[Flag, ...]:
    arts = [Article(id=k, source=f"{k}.txt", text=t, outlet=k) for k, t in texts.items()]
    docs = Analyzer(use_cache=False).parse(arts)
    mentions: list[Mention] = [m for a in arts for m in extract_mentions(a, docs[a.id])]
    return variant_flags(mentions, merge_entities(mentions, arts), arts)


def test_synthesize_variants_word_rules() -> None:
    assert spelling_variants("Annika Gustafsson", "Annika Gustavsson")
    assert spelling_variants("Carl XVI Gustaf", "Carl XVI Gustav")
    assert spelling_variants("Gustafsson", "Gustavsson")
    # Different people: another first name, a short name, another initial letter.
    assert not spelling_variants("Mark Kelly", "Scott Kelly")
    assert not spelling_variants("Jon Lee", "Jan Lee")
    assert not spelling_variants("Karl Gustaf", "Carl Gustaf")
    assert not spelling_variants("Anna Berg", "Anna Bergström")


@pytest.mark.slow
def test_synthesize_variants_flags_across_outlets() -> None:
    flags = _flags(
        {
            "tt": "King Carl XVI Gustaf opened the new bridge in Stockholm on Monday. "
            "Transport minister Annika Gustafsson said the work had finished early.",
            "afp": "Sweden's King Carl XVI Gustav cut the ribbon on the bridge on Monday. "
            "The minister, Annika Gustavsson, thanked the builders.",
            "dpa": "King Carl XVI Gustaf opened a bridge in the Swedish capital. "
            "Minister Annika Gustafsson spoke at the ceremony.",
        }
    )
    texts = " | ".join(f.text for f in flags)
    assert all(f.kind == "name-variant" for f in flags), texts
    assert "“Annika Gustavsson” in afp" in texts, texts
    assert "Gustav”" in texts, texts
    # The variant's outlet is cited first.
    assert all(f.sources[0] == "afp" for f in flags), flags


@pytest.mark.slow
def test_synthesize_variants_two_people_in_one_article_are_not_flagged() -> None:
    flags = _flags(
        {
            "a": "Coach Erik Hansen praised defender Erik Hanson after the match in Oslo.",
            "b": "Erik Hansen, the coach, said the team had played well in Oslo.",
        }
    )
    assert flags == (), flags
