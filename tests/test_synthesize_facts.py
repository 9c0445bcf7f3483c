"""Facts: groups that two or more independent outlets report, verbatim, citing every outlet."""

from __future__ import annotations

import pytest

from synoptic.dedup import mark_duplicates
from synoptic.model import Article, Cited, Span, Story
from synoptic.synthesize.align import align
from synoptic.synthesize.facts import build_facts, is_piece, starts_badly, support
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


# Old wire copy, written in our own words: agency datelines cut off by " _ ", quotes in ``...''
# that run over two sentences, and a sentence about an earlier arrest of the same man.
WIRE = {
    "w1": (
        "KUALA LUMPUR, Malaysia (AP) _ Police arrested former deputy prime minister Anwar "
        "Ibrahim at his home in Kuala Lumpur on Sunday night, his lawyer said.\n"
        "``We will not be silenced. We will fight on until the end,'' his wife Wan Azizah told "
        "reporters outside the house.\n"
        "In 1998 police arrested Anwar Ibrahim at his home on charges of abuse of power."
    ),
    "w2": (
        "KUALA LUMPUR (Reuters) _ Malaysian police arrested Anwar Ibrahim, the former deputy "
        "prime minister, at his home in Kuala Lumpur late on Sunday, his lawyer said.\n"
        "``We will not be silenced. We will fight on until the end,'' his wife Wan Azizah said "
        "outside the house.\n"
        "In 2008 police arrested Anwar Ibrahim at his home on charges brought by an aide."
    ),
    "w3": (
        "Police arrested Anwar Ibrahim at his home in Kuala Lumpur on Sunday night, his lawyer "
        "told reporters.\n"
        "``We will not be silenced. We will fight on until the end,'' said his wife, Wan Azizah.\n"
        "In 2008 police arrested Anwar Ibrahim at his home on charges brought by a former aide."
    ),
}


@pytest.mark.slow
def test_synthesize_facts_wire_pieces_and_other_events() -> None:
    from synoptic.analyze.batch import analyze_docs
    from synoptic.analyze.nlp import Analyzer
    from synoptic.model import Article

    arts = [Article(id=k, source=f"{k}.txt", text=v) for k, v in WIRE.items()]
    story = Story(id="s", headline="Anwar", articles=tuple(arts))
    docs = Analyzer(use_cache=False).parse(arts)
    recs = analyze_docs(arts, docs, embedder=EMBEDDER)
    sents = {a.id: recs[a.id].sentences for a in arts}
    groups = align(story, sents, recs)
    previous = build_facts(story, sents, recs, groups=groups, strict=False)
    items = build_facts(story, sents, recs, groups=groups)
    assert any("arrested" in f.text and "Sunday" in f.text for f in items), items
    for fact in items:
        assert not is_piece(fact.text), fact.text
        assert not fact.text.endswith("_"), fact.text
    # The earlier method made facts of the quote's pieces; the quote is no fact of its own now.
    assert any(is_piece(f.text) for f in previous), previous
    # The 2008 arrest is told by two outlets; the 1998 one is another event, not its support.
    by_text = {f.text: f for f in items}
    arrest_2008 = next(f for t, f in by_text.items() if t.startswith("In 2008"))
    assert set(arrest_2008.sources) == {"w2", "w3"}, arrest_2008


def test_synthesize_facts_pieces_of_sentences() -> None:
    assert is_piece("KUALA LUMPUR, Malaysia (AP) _")
    assert is_piece("``We will not be silenced.")
    assert is_piece("We will fight on until the end,'' his wife said.")
    assert is_piece("“The bridge is safe.")
    assert is_piece('We checked it twice," the minister said.')
    assert is_piece("and called for protests on Monday.")
    assert not is_piece("``We will fight on,'' his wife said.")
    assert not is_piece("“The bridge is safe,” the minister said.")
    assert not is_piece("The opposition rejected the result _ the third time in a row _ and left.")


def test_synthesize_facts_near_copies_count_once() -> None:
    from synoptic.synthesize.align import independent, outlets

    base = (
        "The Velmar dam failed early on Monday after days of heavy rain in the Oska region. "
        "Four people were killed and 17 injured when the left wall of the spillway gave way. "
        "Rescue services said 8,140 people had been moved out of their homes downstream. "
        "Deputy Minister Ana Vasko said emergency grants would be paid within a month."
    )
    # The same wire story with a new headline, words edited and the ending trimmed: under
    # the copy threshold, so not marked, but one source when support is counted.
    edits = (("heavy rain", "torrential rain"), ("were killed", "died"), ("had been", "were"))
    near = base
    for before, after in edits:
        near = near.replace(before, after)
    near = "Dam wall gives way. " + near.rsplit(". ", 1)[0] + "."
    other = (
        "Engineers inspected what was left of the Velmar spillway on Tuesday. Four people "
        "died and 17 were hurt when its wall collapsed, the regional governor told reporters."
    )
    arts = [
        Article(id="w1", source="w1.txt", text=base),
        Article(id="w2", source="w2.txt", text=near),
        Article(id="w3", source="w3.txt", text=other),
    ]
    story = Story(id="s", headline="dam", articles=tuple(arts))
    assert [a.duplicate_of for a in mark_duplicates(arts)] == [None, None, None]
    assert outlets(story) == {"w1": "w1", "w2": "w1", "w3": "w3"}
    assert independent(story) == 2
    cited = Cited(text=base.split(". ")[1] + ".", spans=tuple(Span(a.id, 0, 10) for a in arts))
    assert support(cited, story) == 2  # all three cited, two independent sources
