"""A long text is parsed in pieces and a batch holds a bounded number of characters (issue 17).

spaCy's memory grows with the tokens it holds at once (about 17 KB a token while it runs):
200,000 characters of short quotes took 1.2 GB in one parse. ``parse_texts`` cuts a text longer
than ``size`` at line breaks and joins the pieces (offsets unchanged), and closes a batch before
it passes ``size`` characters. Small sizes stand in for ``PARSE_CHARS`` here.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import pytest
from spacy.language import Language
from spacy.tokens import Doc

from synoptic.analyze.nlp import _pieces, load_nlp, parse_texts, sentences
from synoptic.analyze.quotes import extract_quotes
from synoptic.model import Article

PARAGRAPH = (
    'Engineers opened the spillway of the Velmar dam on Tuesday. "We will not take any risk," '
    "Governor Aurel Stanek told reporters in Kellen.\n\n"
)


class _Counting:
    """The real pipeline, noting how many characters each ``pipe`` batch held."""

    def __init__(self, nlp: Language) -> None:
        self.nlp = nlp
        self.batches: list[list[int]] = []

    def pipe(self, texts: Iterable[str], batch_size: int) -> Iterator[Doc]:
        batch = list(texts)
        self.batches.append([len(t) for t in batch])
        return self.nlp.pipe(batch, batch_size=batch_size)


@pytest.fixture(scope="module")
def nlp() -> Language:
    return load_nlp()


def test_analyze_nlp_long_text_is_parsed_in_pieces_with_its_offsets(nlp: Language) -> None:
    text = "Dam spillway opened\n\n" + PARAGRAPH * 40  # about 5,500 characters
    spy = _Counting(nlp)
    short = "Officials said 40 people were moved."
    docs = list(parse_texts(spy, [short, text, short], batch_size=16, size=1_000))  # type: ignore[arg-type]
    assert [d.text for d in docs] == [short, text, short]
    assert all(sum(b) <= 1_000 for b in spy.batches)
    assert sum(len(b) for b in spy.batches) > 6  # the long text went in pieces
    article = Article(id="a", source="a.txt", text=text)
    sents = sentences(article, docs[1])
    assert all(s.text == text[s.start : s.end] for s in sents)
    # Cut at line breaks: every sentence of the whole parse is a sentence here too.
    whole = sentences(article, nlp(text))
    assert [s.text for s in sents] == [s.text for s in whole]
    # Names and quotes read off the joined parse as off the whole one.
    assert [e.text for e in docs[1].ents] == [e.text for e in nlp(text).ents]
    quotes = extract_quotes(article, docs[1])
    assert len(quotes) == 40 and {q.speaker for q in quotes} == {"Aurel Stanek"}


def test_analyze_nlp_pieces_cut_after_a_line_break_else_a_space_else_anywhere() -> None:
    assert _pieces("a" * 10, 4) == ["aaaa", "aaaa", "aa"]
    assert _pieces("ab cd ef gh", 6) == ["ab cd ", "ef gh"]
    lines = "one two\nthree four\nfive"
    assert _pieces(lines, 12) == ["one two\n", "three four\n", "five"]
    assert "".join(_pieces("x y\n" * 1_000, 50)) == "x y\n" * 1_000


def test_analyze_nlp_short_texts_are_parsed_whole_as_before(nlp: Language) -> None:
    texts = [PARAGRAPH * 3, "Second text.", PARAGRAPH]
    got = list(parse_texts(nlp, texts, batch_size=16))
    want = list(nlp.pipe(texts, batch_size=16))

    def attrs(d: Doc) -> list[tuple[str, str, int, bool, str]]:
        return [(t.text, t.dep_, t.head.i, t.is_sent_start, t.ent_type_) for t in d]

    assert [attrs(d) for d in got] == [attrs(d) for d in want]


def test_analyze_quotes_long_article_quoted_in_its_analysed_part_only(nlp: Language) -> None:
    text = PARAGRAPH * 30
    cut = len(PARAGRAPH) * 10
    article = Article(id="a", source="a.txt", text=text)
    quotes = extract_quotes(article, nlp(text[:cut]))
    assert len(quotes) == 10 and all(q.end <= cut for q in quotes)
    assert all(q.text == text[q.start : q.end] for q in quotes)
