"""Alignment scores only pairs of sentences of different articles (issue 17).

A sentence is never linked with one of its own article, yet every pair of a story's sentences
was scored: one article of 8,000 short quotes took 45 CPU s and 2 GB in ``align`` (seven
n-by-n matrices and an n-by-n token-set-ratio table). Memory is counted with ``tracemalloc``
(numpy's arrays are traced), never timed.
"""

from __future__ import annotations

import tracemalloc

from synoptic.model import Article, Story
from synoptic.synthesize.align import AlignParams, _Pairs, align, members
from test_synthesize_align import EMBEDDER, split

LONG = 1_500


def _story() -> tuple[Story, dict[str, tuple]]:
    long_text = " ".join(
        f"Officials in Kellen counted {i} boats stranded on the river bank." for i in range(LONG)
    )
    short_text = (
        "Officials in Kellen counted 7 boats stranded on the river bank. "
        "The mayor of Lisov ordered the old bridge closed to traffic on Sunday."
    )
    arts = (
        Article(id="long", source="long.txt", text=long_text),
        Article(id="short", source="short.txt", text=short_text),
    )
    story = Story(id="s", headline="Boats", articles=arts)
    return story, {a.id: split(a) for a in arts}


def test_synthesize_align_scores_pairs_across_articles_only() -> None:
    story, sents = _story()
    ms = members(story, sents, embedder=EMBEDDER)
    assert len(ms) == LONG + 2
    tracemalloc.start()
    try:
        pairs = _Pairs(ms, AlignParams())
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert pairs.flat.size == LONG * 2  # the long article against the short one, no more
    # One n-by-n matrix of floats is 9 MB here; all pairs held several at once.
    assert peak < 4 * (LONG + 2) ** 2 / 4


def test_synthesize_align_long_article_beside_short_one_groups_the_shared_sentence() -> None:
    story, sents = _story()
    groups = align(story, sents, embedder=EMBEDDER)
    # Every sentence is in exactly one group; a group holds at most one sentence per article.
    assert sum(len(g.members) for g in groups) == LONG + 2
    assert all(len(set(g.articles)) == len(g.articles) for g in groups)
    boats = next(
        g
        for g in groups
        if ("short", 0) in {(m.sentence.article, m.sentence.index) for m in g.members}
    )
    # Of 1,500 sentences alike but for their figure, the one with the same figure.
    assert [(m.sentence.article, m.sentence.index) for m in boats.members] == [
        ("long", 7),
        ("short", 0),
    ]
    bridge = next(g for g in groups if "bridge" in g.members[0].sentence.text)
    assert bridge.support == 1 and bridge.cohesion == 1.0


def test_synthesize_align_one_article_story_scores_no_pair() -> None:
    story, sents = _story()
    one = Story(id="s1", headline="Boats", articles=story.articles[:1])
    groups = align(one, {"long": sents["long"]}, embedder=EMBEDDER)
    assert len(groups) == LONG
    assert all(g.support == 1 and g.outside == 0.0 for g in groups)


def test_synthesize_align_compares_an_articles_first_sentences_only() -> None:
    story, sents = _story()
    ms = members(story, sents, embedder=EMBEDDER, max_sentences=100)
    long_ = [m.sentence.index for m in ms if m.sentence.article == "long"]
    assert long_ == list(range(100))
    assert [m.sentence.index for m in ms if m.sentence.article == "short"] == [0, 1]
    groups = align(story, sents, embedder=EMBEDDER, params=AlignParams(max_sentences=5))
    assert sum(len(g.members) for g in groups) == 5 + 2
    # "7 boats" lies beyond the first five sentences: none of them is compared.
    long_members = [
        m.sentence.index for g in groups for m in g.members if m.sentence.article == "long"
    ]
    assert sorted(long_members) == [0, 1, 2, 3, 4]
