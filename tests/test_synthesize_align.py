"""Cross-outlet alignment: paraphrases group, wire copies join and count once, thresholds."""

from __future__ import annotations

import re

import pytest

from synoptic.analyze.embed import Embedder
from synoptic.model import Article, Sentence, Story
from synoptic.synthesize.align import AlignParams, Group, align, independent

# The run's embedder, as the CLI would pass it (stages never build their own).
EMBEDDER = Embedder()

TEXTS = {
    "a1": (
        "Heavy rain forced the Brenna river over its banks in Lisov on Sunday night. "
        "About 8,000 residents of Lisov were evacuated from their homes, officials said. "
        "Mayor Petra Halm said the old bridge on Mill Road had been closed to traffic. "
        "The regional council will meet on Wednesday to discuss emergency funding."
    ),
    "a2": (
        "The Brenna burst its banks in the town of Lisov late on Sunday after days of heavy rain. "
        "More than 11,000 residents of Lisov were evacuated from their homes, officials said. "
        "The old bridge on Mill Road was closed to all traffic, according to Mayor Petra Halm. "
        "Farmers near Odra said the flood had destroyed most of this year's potato harvest."
    ),
    "a4": (
        "By Anna Keller. "
        "Floodwater from the Brenna swept through Lisov overnight into Monday. "
        "Share this article on Facebook and follow us for more news. "
        "A rescue team from Kador pulled two fishermen from the water near the weir at dawn. "
        "What happens next?"
    ),
}


def split(article: Article) -> tuple[Sentence, ...]:
    out: list[Sentence] = []
    for m in re.finditer(r"[^.?!]+[.?!]", article.text):
        start = m.start() + (len(m.group()) - len(m.group().lstrip()))
        out.append(Sentence(article.id, len(out), start, m.end(), article.text[start : m.end()]))
    return tuple(out)


def make_story(wire_copy: bool = True) -> tuple[Story, dict[str, tuple[Sentence, ...]]]:
    arts = [Article(id=k, source=f"{k}.txt", text=v) for k, v in TEXTS.items()]
    if wire_copy:
        arts.insert(2, Article(id="a3", source="a3.txt", text=TEXTS["a1"], duplicate_of="a1"))
    story = Story(id="s1", headline="Flood", articles=tuple(arts))
    return story, {a.id: split(a) for a in arts}


def group_of(groups: tuple[Group, ...], article: str, needle: str) -> Group:
    for g in groups:
        for m in g.members:
            if m.sentence.article == article and needle in m.sentence.text:
                return g
    raise AssertionError(f"no group holds {needle!r} of {article}")


@pytest.fixture(scope="module")
def aligned() -> tuple[Story, tuple[Group, ...]]:
    story, sents = make_story()
    return story, align(story, sents, embedder=EMBEDDER)


def test_synthesize_align_groups_paraphrases_across_outlets(
    aligned: tuple[Story, tuple[Group, ...]],
) -> None:
    _, groups = aligned
    bridge = group_of(groups, "a1", "old bridge")
    assert any("was closed to all traffic" in m.sentence.text for m in bridge.members)
    banks = group_of(groups, "a1", "over its banks")
    assert {"a2", "a4"} <= set(banks.articles)


def test_synthesize_align_keeps_topic_with_conflicting_numbers(
    aligned: tuple[Story, tuple[Group, ...]],
) -> None:
    _, groups = aligned
    evac = group_of(groups, "a1", "8,000")
    assert any("11,000" in m.sentence.text for m in evac.members)


def test_synthesize_align_wire_copy_joins_original_and_counts_once(
    aligned: tuple[Story, tuple[Group, ...]],
) -> None:
    story, groups = aligned
    council = group_of(groups, "a1", "regional council")
    assert set(council.articles) == {"a1", "a3"}
    assert council.support == 1
    bridge = group_of(groups, "a1", "old bridge")
    assert set(bridge.articles) == {"a1", "a2", "a3"}
    assert bridge.support == 2
    assert independent(story) == 3


def test_synthesize_align_one_sentence_per_article_and_partition(
    aligned: tuple[Story, tuple[Group, ...]],
) -> None:
    _, groups = aligned
    seen = []
    for g in groups:
        assert len(g.articles) == len(set(g.articles))
        seen.extend((m.sentence.article, m.sentence.index) for m in g.members)
    assert len(seen) == len(set(seen))


def test_synthesize_align_leaves_different_reports_apart(
    aligned: tuple[Story, tuple[Group, ...]],
) -> None:
    _, groups = aligned
    rescue = group_of(groups, "a4", "fishermen")
    assert rescue.articles == ("a4",)
    farmers = group_of(groups, "a2", "potato")
    assert farmers.articles == ("a2",)
    assert rescue.outside < 0.5


def test_synthesize_align_thresholds_are_parameters() -> None:
    story, sents = make_story()
    strict = align(
        story, sents, embedder=EMBEDDER, params=AlignParams(strong=0.99, floor=0.99, link=9.0)
    )
    # With links out of reach only the verbatim wire copy (cosine 1.0) still joins.
    assert all(g.support == 1 for g in strict)
    assert max(len(g.members) for g in strict) == 2


def test_synthesize_align_empty_story_gives_no_groups() -> None:
    story, _ = make_story()
    assert align(story, {}) == ()
