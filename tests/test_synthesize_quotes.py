"""Tests for ``synoptic.synthesize.quotes``: merging quote mentions across outlets.

Merge tests build mentions by hand and need no model; the seeds test extracts quotes from the
shared seeds with the real spaCy pipeline first.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from linecount import lines_run
from synoptic.analyze.quotes import QuoteMention, extract_quotes, normalize_quote
from synoptic.model import Article
from synoptic.synthesize.quotes import merge_quotes, same_speaker

SEEDS = Path(__file__).parents[1].parent / "shared" / "seeds"


@pytest.fixture(scope="module")
def nlp():  # type: ignore[no-untyped-def]
    from synoptic.analyze.nlp import load_nlp

    return load_nlp()


def _article(text: str, aid: str = "a1") -> Article:
    return Article(id=aid, source=f"{aid}.txt", text=text)


def _seed_articles() -> list[Article]:
    if not SEEDS.is_dir():
        pytest.skip(f"shared seeds not found at {SEEDS} (the seeds live outside the repo)")
    return [
        Article(id=p.name, source=str(p), text=p.read_text(encoding="utf-8"))
        for p in sorted(SEEDS.glob("*.txt"))
    ]


slow = pytest.mark.slow  # the tests that parse with spaCy


# --- merging -----------------------------------------------------------------------------------


def _mention(art: Article, quote: str, speaker: str | None, partial: bool = False) -> QuoteMention:
    start = art.text.index(quote)
    return QuoteMention(
        art.id, start, start + len(quote), quote, speaker, None, "said", partial, None
    )


def test_synthesize_quotes_merge_verbatim_and_small_differences() -> None:
    a = _article("“We will not make decisions about Ukraine without Ukraine,” she said.", "a")
    b = _article("“We will not make decisions about Ukraine without Ukraine,” he said.", "b")
    c = _article("'We won't make decisions about Ukraine without Ukraine', she said.", "c")
    ms = [
        _mention(a, "We will not make decisions about Ukraine without Ukraine", "Wendy Sherman"),
        _mention(b, "We will not make decisions about Ukraine without Ukraine", "Wendy Sherman"),
        _mention(c, "We won't make decisions about Ukraine without Ukraine", "Wendy R. Sherman"),
    ]
    (q,) = merge_quotes(ms, [a, b, c])
    assert q.sources == ("a", "b")  # the outlets that printed the main wording, and only them
    assert q.text == "We will not make decisions about Ukraine without Ukraine"
    assert [v.text for v in q.variants] == ["We won't make decisions about Ukraine without Ukraine"]
    assert q.variants[0].sources == ("c",)
    assert q.speaker == "Wendy Sherman"  # the form most outlets use


def test_synthesize_quotes_merge_excerpt_of_longer_quote() -> None:
    long_text = (
        "“We will not forgo cooperation with sovereign states. And we will not make decisions "
        "about Europe without Europe,” she said."
    )
    a = _article(long_text, "a")
    b = _article("She said “we will not make decisions about Europe without Europe”.", "b")
    ms = [
        _mention(a, long_text[1 : long_text.index(",”")], "Ana Silva"),
        _mention(b, "we will not make decisions about Europe without Europe", "Ana Silva", True),
    ]
    (q,) = merge_quotes(ms, [a, b])
    assert q.sources == ("a",)  # b printed only the excerpt: it is cited under its variant
    assert q.text.startswith("We will not forgo")  # the most complete wording
    assert [v.sources for v in q.variants] == [("b",)]


def test_synthesize_quotes_merge_keeps_different_speakers_apart() -> None:
    a = _article("“There was no progress on the main issues,” Ivan Petrov said.", "a")
    b = _article("“There was no progress on the main issues,” Anna Kovacs said.", "b")
    ms = [
        _mention(a, "There was no progress on the main issues", "Ivan Petrov"),
        _mention(b, "There was no progress on the main issues", "Anna Kovacs"),
    ]
    assert len(merge_quotes(ms, [a, b])) == 2
    # Unrelated quotes stay apart, and the order follows the number of sources.
    c = _article("“The weather was awful all week,” Ivan Petrov said.", "c")
    ms.append(_mention(c, "The weather was awful all week", "Ivan Petrov"))
    assert [q.text for q in merge_quotes(ms, [a, b, c])] == [
        "There was no progress on the main issues",
        "There was no progress on the main issues",
        "The weather was awful all week",
    ]


def test_synthesize_quotes_merge_canonicalises_name_variants() -> None:
    a = _article("“The talks were useful and frank,” Sergei Ryabkov said.", "a")
    b = _article("“The talks were useful and very frank,” Sergey Ryabkov said.", "b")
    c = _article("“The talks were useful and frank,” Mr Ryabkov said.", "c")
    ms = [
        _mention(a, "The talks were useful and frank", "Sergei Ryabkov"),
        _mention(b, "The talks were useful and very frank", "Sergey Ryabkov"),
        _mention(c, "The talks were useful and frank", "Sergei Ryabkov"),
    ]
    (q,) = merge_quotes(ms, [a, b, c])
    assert q.speaker == "Sergei Ryabkov"
    assert q.text == "The talks were useful and frank"
    assert q.variants[0].text == "The talks were useful and very frank"


def test_synthesize_quotes_merge_translated_wording_from_one_speaker() -> None:
    one = (
        "Nobody will be left to pay for this alone, not the families in Dravik and not the "
        "towns downstream"
    )
    two = (
        "Nobody will remain to pay this alone, not the families of Dravik and not the towns "
        "under the river"
    )
    a = _article(f"“{one},” she said.", "a")
    b = _article(f"„{two},“ he said.", "b")
    ms = [_mention(a, one, "Irena Vasko"), _mention(b, two, "Irena Vaško")]
    (q,) = merge_quotes(ms, [a, b])
    assert q.sources == ("a",) and [v.sources for v in q.variants] == [("b",)]
    # Without a shared named speaker the looser bar for translations does not apply.
    ms = [ms[0], dataclasses.replace(ms[1], speaker=None)]
    assert len(merge_quotes(ms, [a, b])) == 2


def test_synthesize_quotes_merge_vetoes_different_names_numbers_and_polarity() -> None:
    pairs = [
        (
            "We will not make decisions about Ukraine without Ukraine",
            "We will not make decisions about Europe without Europe",
        ),
        (
            "There was no progress on the main issues today",
            "There was some progress on the main issues today",
        ),
        (
            "We counted 140 houses flooded in the lower town",
            "We counted 410 houses flooded in the lower town",
        ),
    ]
    for one, two in pairs:
        a = _article(f"“{one},” she said.", "a")
        b = _article(f"“{two},” she said.", "b")
        ms = [_mention(a, one, "Wendy Sherman"), _mention(b, two, "Wendy Sherman")]
        assert len(merge_quotes(ms, [a, b])) == 2, (one, two)


def test_synthesize_quotes_same_speaker_rules() -> None:
    assert same_speaker("Sergei Ryabkov", "Sergey Ryabkov")
    assert same_speaker("Yuri Ushakov", "Yury Ushakov")
    assert same_speaker("Evgeny Marek", "Yevgeny Marek")
    assert same_speaker("Irena Vaško", "Irena Vasko")
    assert same_speaker("Wendy R. Sherman", "Wendy Sherman")
    assert same_speaker("Sherman", "Wendy Sherman")
    assert not same_speaker("Joe Biden", "Hunter Biden")
    assert not same_speaker("the minister", "Ivan Petrov")
    assert same_speaker(None, None) and not same_speaker(None, "Russia")
    assert normalize_quote("“Don’t — ever,” he said") == normalize_quote("dont - EVER he said")


# --- the real seeds ----------------------------------------------------------------------------


@slow
def test_synthesize_quotes_seeds_sherman_line_merges_across_three_outlets(nlp) -> None:  # type: ignore[no-untyped-def]
    articles = _seed_articles()
    mentions = [m for a in articles for m in extract_quotes(a, nlp(a.text))]
    quotes = merge_quotes(mentions, articles)
    hits = [
        q
        for q in quotes
        if "decisions about ukraine without ukraine" in normalize_quote(q.text)
        or any(
            "decisions about ukraine without ukraine" in normalize_quote(v.text) for v in q.variants
        )
    ]
    assert len(hits) == 1
    (q,) = hits
    assert len({*q.sources, *(s for v in q.variants for s in v.sources)}) == 3
    assert len(q.variants) == 2
    # Every wording cites only the outlets that printed it (no outlet cited twice).
    cited = [*q.sources, *(s for v in q.variants for s in v.sources)]
    assert len(cited) == len(set(cited))
    assert same_speaker(q.speaker, "Wendy Sherman")
    for span in (*q.spans, *(s for v in q.variants for s in v.spans)):
        art = next(a for a in articles if a.id == span.article)
        assert "Ukraine without Ukraine" in span.of(art)


def test_synthesize_quotes_fragments_keep_their_sentence() -> None:
    from synoptic.model import Quote, Sentence, Span
    from synoptic.synthesize.quotes import keep_with_sentences

    text = (
        "Mayor Tomas Reyes called the delay “far too late” and asked the council for a full "
        "inquiry into the works. “We will not accept another year of this,” Reyes said."
    )
    first = text.index(". ") + 1
    sents = {
        "a1": (
            Sentence("a1", 0, 0, first, text[:first]),
            Sentence("a1", 1, first + 1, len(text), text[first + 1 :]),
        )
    }

    def quote(words: str) -> Quote:
        at = text.index(words)
        return Quote(words, "Tomas Reyes", (Span("a1", at, at + len(words)),))

    fragment, whole = keep_with_sentences(
        [quote("far too late"), quote("We will not accept another year of this,")], sents
    )
    assert fragment.sentence == text[:first]  # read within the reporter's sentence
    assert fragment.text == "far too late" and fragment.spans  # still found, still cited
    assert whole.sentence is None  # a quote that stands alone


def _merge_lines(n: int) -> int:
    """Lines of ``synoptic.synthesize.quotes`` run merging ``n`` hostile mentions (counted).

    The shape of issue 17's 100,000 short quotes: two wordings said over and over in one
    article (by pronouns, a named person and her surname), plus as many distinct bare words,
    each from another named person.
    """
    import synoptic.synthesize.quotes as quotes

    ms, text = [], ""
    for i in range(n):
        piece = ("We will stay", "It is over, truly", f"w{i}")[i % 3]
        speaker = (None, "she", "Maria Ostrova", "Ostrova")[i % 4]
        speaker = f"Anna Petrova{i}" if i % 3 == 2 else speaker
        ms.append(
            QuoteMention("a1", len(text), len(text) + len(piece), piece, speaker, None, None, False)
        )
        text += piece + " . "
    art = _article(text)
    return lines_run(quotes.__file__, lambda: merge_quotes(ms, [art]))


def test_synthesize_quotes_merge_work_grows_with_the_mentions() -> None:
    # Issue 17: every pair of a story's mentions was compared (and every pair of speaker
    # names), so 100,000 short quotes stalled synthesis. Linear work gives about 4 here.
    small, large = _merge_lines(300), _merge_lines(1200)
    assert large / small < 5.5, (small, large)


def _corner_lines(n: int) -> int:
    """Lines of ``synoptic.synthesize.quotes`` run merging ``n`` mentions of the two corners
    issue 17's first fix left quadratic: distinct quotes made of the same common words (every
    word's list holds every wording), each said by another person of one surname."""
    import random

    import synoptic.synthesize.quotes as quotes

    words = [
        "we",
        "will",
        "keep",
        "working",
        "with",
        "our",
        "partners",
        "to",
        "make",
        "sure",
        "the",
        "people",
        "get",
        "help",
        "now",
    ]
    rnd = random.Random(7)
    ms, text = [], ""
    for _i in range(n):
        rnd.shuffle(words)
        piece = " ".join(words[:14])
        first = "".join(rnd.choice("bdfgklmnprstvz") + rnd.choice("aeiou") for _ in range(3))
        speaker = f"{first.title()} Okafor"
        ms.append(
            QuoteMention("a1", len(text), len(text) + len(piece), piece, speaker, None, None, False)
        )
        text += piece + " . "
    art = _article(text)
    return lines_run(quotes.__file__, lambda: merge_quotes(ms, [art]))


def test_synthesize_quotes_merge_work_grows_with_alike_wordings_and_shared_surnames() -> None:
    # Past MAX_POSTING a common word's wordings (and a surname's groups) are met near each
    # other only: all-pairs made 2,000 such mentions cost 28 and 30 CPU s (issue 17).
    small, large = _corner_lines(400), _corner_lines(1600)
    assert large / small < 5.5, (small, large)
