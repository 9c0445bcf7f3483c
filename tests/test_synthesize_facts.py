"""Facts: groups that two or more independent outlets report, verbatim, citing every outlet."""

from __future__ import annotations

import pytest

from synoptic.model import Cited, Story
from synoptic.synthesize.align import align
from synoptic.synthesize.facts import build_facts, starts_badly, support
from test_synthesize_align import EMBEDDER, make_story


@pytest.fixture(scope="module")
def facts() -> tuple[Story, tuple[Cited, ...]]:
    story, sents = make_story()
    return story, build_facts(story, sents, groups=align(story, sents, embedder=EMBEDDER))


def test_synthesize_facts_need_two_independent_outlets(
    facts: tuple[Story, tuple[Cited, ...]],
) -> None:
    story, items = facts
    assert items
    for fact in items:
        assert support(fact, story) >= 2
    # Carried by an article and its wire copy only: one outlet, so not a fact.
    assert not any("regional council" in f.text for f in items)


def test_synthesize_facts_count_wire_copies_once_but_cite_them(
    facts: tuple[Story, tuple[Cited, ...]],
) -> None:
    story, items = facts
    bridge = next(f for f in items if "bridge" in f.text)
    assert set(bridge.sources) == {"a1", "a2", "a3"}
    assert support(bridge, story) == 2
    banks = next(f for f in items if "Brenna" in f.text and "banks" in f.text)
    assert set(banks.sources) == {"a1", "a2", "a3", "a4"}
    assert support(banks, story) == 3


def test_synthesize_facts_text_is_verbatim_and_sorted_by_support(
    facts: tuple[Story, tuple[Cited, ...]],
) -> None:
    story, items = facts
    for fact in items:
        first = fact.spans[0]
        assert first.of(story.article(first.article)) == fact.text
        assert len(fact.spans) == len(fact.sources)  # one span per supporting article
    counts = [support(f, story) for f in items]
    assert counts == sorted(counts, reverse=True)


def test_synthesize_facts_prefer_a_clear_wording() -> None:
    assert starts_badly("he said the dam would hold.")
    assert starts_badly("They said the dam would hold.")
    assert not starts_badly("“We will rebuild it,” she said.")
    assert not starts_badly("The mayor said the dam would hold.")


def test_synthesize_facts_build_alignment_when_not_given() -> None:
    story, sents = make_story()
    assert [f.text for f in build_facts(story, sents, embedder=EMBEDDER)] == [
        f.text for f in build_facts(story, sents, groups=align(story, sents, embedder=EMBEDDER))
    ]
