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


def _analysed(texts: dict[str, str]) -> tuple[Story, dict, dict, tuple]:
    """A story of ``texts`` as a brief reads it: (story, sentences, analyses, alignment)."""
    from synoptic.analyze.batch import analyze_docs
    from synoptic.analyze.nlp import Analyzer

    arts = [Article(id=k, source=f"{k}.txt", text=v) for k, v in texts.items()]
    story = Story(id="s", headline="s", articles=tuple(arts))
    recs = analyze_docs(arts, Analyzer(use_cache=False).parse(arts), embedder=EMBEDDER)
    sents = {a.id: recs[a.id].sentences for a in arts}
    return story, sents, recs, align(story, sents, recs)


@pytest.mark.slow
def test_synthesize_facts_wire_pieces_and_other_events() -> None:
    story, sents, recs, groups = _analysed(WIRE)
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


# Another event of the same kind, in our own words: one singer's two clinic stays (a stay in
# one town, then a move to another), and one module given two weights.
STAYS = {
    "r1": (
        "Singer Mara Quell checked into the Harlow Springs clinic in Delmont on Thursday, "
        "her publicist said.\n"
        "The 40,000-pound Kestrel module was attached to the orbiting outpost by six astronauts."
    ),
    "r2": (
        "Mara Quell checked into the Harlow Springs clinic in Delmont late on Thursday, her "
        "publicist told reporters.\n"
        "The Kestrel module, which weighs 44,000 pounds, was attached to the orbiting outpost "
        "by six astronauts."
    ),
    "r3": (
        "Mara Quell checked out of the Harlow Springs clinic and moved to a clinic in Port "
        "Avel, her publicist said.\n"
        "The 44,000-pound Kestrel module was attached to the orbiting outpost by the six "
        "astronauts."
    ),
    "r4": (
        "Mara Quell has checked out of the Harlow Springs clinic and moved to a clinic in Port "
        "Avel, her publicist said on Friday.\n"
        "Six astronauts attached the 44,000-pound Kestrel module to the orbiting outpost."
    ),
}


@pytest.mark.slow
def test_synthesize_facts_support_needs_the_same_events_anchors() -> None:
    story, sents, recs, groups = _analysed(STAYS)
    items = build_facts(story, sents, recs, groups=groups)
    sources = {f.text: set(f.sources) for f in items}
    # The stay in Delmont and the move to Port Avel are two facts, each with its own support.
    check_in = [s for t, s in sources.items() if "checked into" in t]
    check_out = [s for t, s in sources.items() if "checked out" in t]
    assert check_in == [{"r1", "r2"}], sources
    assert check_out == [{"r3", "r4"}], sources
    # The 40,000-pound module is not supported by the reports that weigh it at 44,000 pounds.
    for text, cited in sources.items():
        if "Kestrel" in text:
            weights = {"40,000" in STAYS[a] for a in cited}
            assert len(weights) == 1, (text, cited)
