"""Cross-outlet alignment: paraphrases group, wire copies join and count once, thresholds."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest

from synoptic.analyze.embed import Embedder
from synoptic.model import Article, Sentence, Story
from synoptic.synthesize.align import AlignParams, Group, align, copies, independent

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


# A tiny story of our own: a wire report, the same report republished with a new headline,
# one sentence reworded and its closing sentence cut, and another outlet's own account.
WIRE = (
    "Kellen ferry service halted after engine fire\n\n"
    "The morning ferry from Kellen to Hollin was stopped mid-crossing on Tuesday after a fire "
    "broke out in its engine room. All 212 passengers were taken back to Kellen harbour by two "
    "tugboats, the port authority said. The crew put out the fire within twenty minutes, "
    "according to the operator. Inspectors from the maritime agency boarded the vessel on "
    "Tuesday afternoon. The operator said the service would resume on Thursday with a spare ship."
)
REPUBLISHED = (
    "Engine fire stops Kellen-Hollin ferry\n\n"
    "The morning ferry from Kellen to Hollin was stopped mid-crossing on Tuesday after a fire "
    "broke out in its engine room. All 212 passengers were taken back to Kellen harbour by two "
    "tugboats, the port authority said. The crew had put out the fire within twenty minutes, "
    "according to the operator. Inspectors from the maritime agency boarded the vessel on "
    "Tuesday afternoon."
)
OWN = (
    "Passengers describe smoke on Hollin ferry\n\n"
    "Smoke filled the lower deck minutes after the ferry left Kellen, passengers told us. "
    "A teacher travelling with her class said the crew kept everyone calm on the upper deck. "
    "Two tugboats towed the ship back while the fire was fought below."
)


def test_synthesize_align_copies_listed_with_what_differs() -> None:
    articles = (
        Article(id="w1", source="w1.txt", text=WIRE, outlet="Wire"),
        Article(id="o1", source="o1.txt", text=OWN, outlet="Hollin Post"),
        Article(id="r1", source="r1.txt", text=REPUBLISHED, outlet="Kellen Daily"),
    )
    story = Story(id="s1", headline="Ferry fire", articles=articles)
    found = copies(story)
    assert [(c.article, c.copy_of, c.kind) for c in found] == [("r1", "w1", "near-copy")]
    changes = (found[0].edited, found[0].added, found[0].dropped, found[0].retitled)
    assert changes == (1, 0, 1, True)
    assert found[0].differs == "new headline, 1 sentence edited, 1 dropped"
    assert independent(story) == 2  # counted once, as before
    # a copy marked by the reader is listed as such; a byte-identical one is "identical text"
    same = Article(id="s2", source="s2.txt", text=WIRE, outlet="Echo", duplicate_of="w1")
    marked = replace(articles[2], duplicate_of="w1")
    found = copies(replace(story, articles=(*articles[:2], marked, same)))
    assert [(c.article, c.kind) for c in found] == [("r1", "duplicate"), ("s2", "duplicate")]
    assert found[1].differs == "identical text"
    # the original of a marked copy is never listed as a copy, whatever the story order
    found = copies(replace(story, articles=(marked, articles[1], articles[0])))
    assert [(c.article, c.copy_of, c.kind) for c in found] == [("r1", "w1", "duplicate")]
