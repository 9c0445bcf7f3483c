"""The spaCy pass: paragraph-aware sentences with exact spans, and the content-hash cache."""

from __future__ import annotations

from pathlib import Path

import pytest

from synoptic.analyze.nlp import PUNCT_RUN, Analyzer, DocCache, parse_view, sentences
from synoptic.model import Article

TEXT = (
    "Dam holds after night of rain\n\n"
    "Engineers opened the spillway on Tuesday. Governor Tomas Brandt said the dam was safe.\n\n"
    "Evacuation continues\n\n"
    "About 12,000 residents left three villages."
)


@pytest.fixture(scope="module")
def article() -> Article:
    return Article(id="a1", source="a1.txt", text=TEXT)


def test_analyze_sentences_break_at_paragraphs_and_index_the_text(
    article: Article, tmp_path_factory: pytest.TempPathFactory
) -> None:
    cache = DocCache(tmp_path_factory.mktemp("cache") / "a.sqlite")
    doc = Analyzer(cache=cache).parse([article])["a1"]
    sents = sentences(article, doc)
    texts = [s.text for s in sents]
    assert texts[0] == "Dam holds after night of rain"
    assert "Evacuation continues" in texts
    assert texts[-1] == "About 12,000 residents left three villages."
    for s in sents:
        assert article.text[s.start : s.end] == s.text


def test_analyze_sentences_a_heading_does_not_cut_the_next_sentence(tmp_path: Path) -> None:
    # The parser, told a paragraph starts at "Engineers" after a heading without a full stop,
    # ended a sentence there as well: "Engineers" | "will inspect ..." (a timeline fragment).
    text = (
        "He accused the operator of delaying repairs for years.\n\n"
        "What next\n\n"
        "Engineers will inspect the damaged spillway on Wednesday, and the two officials will "
        "meet again on Friday to sign the compact. Notably, the dam was built in 1968."
    )
    article = Article(id="h1", source="h1.txt", text=text)
    doc = Analyzer(cache=DocCache(tmp_path / "h.sqlite")).parse([article])["h1"]
    texts = [s.text for s in sentences(article, doc)]
    assert texts[1] == "What next"
    assert texts[2].startswith("Engineers will inspect the damaged spillway on Wednesday")
    assert texts[2].endswith("sign the compact.")
    assert all(t[:1].isupper() for t in texts)


def test_analyze_cache_returns_the_same_parse(article: Article, tmp_path: Path) -> None:
    cache = DocCache(tmp_path / "c.sqlite")
    first = Analyzer(cache=cache).parse([article])["a1"]
    assert cache.get_many([k for k in _keys(cache)])  # something was stored
    second = Analyzer(cache=cache).parse([article])["a1"]
    assert [t.text for t in second] == [t.text for t in first]
    assert [(e.text, e.label_) for e in second.ents] == [(e.text, e.label_) for e in first.ents]
    assert [s.text for s in sentences(article, second)] == [
        s.text for s in sentences(article, first)
    ]


def test_analyze_unwritable_cache_does_not_fail(article: Article, tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    doc = Analyzer(cache=DocCache(blocker / "sub" / "c.sqlite")).parse([article])["a1"]
    assert len(list(doc.sents)) >= 4


def _keys(cache: DocCache) -> list[str]:
    conn = cache._connect()
    assert conn is not None
    return [row[0] for row in conn.execute("SELECT key FROM docs")]


def test_analyze_parse_view_cuts_punctuation_runs_keeping_offsets() -> None:
    assert parse_view(TEXT) == TEXT  # news text has no long punctuation run: parsed as is
    assert (
        parse_view("Wait... what?!?! (see [1]) -- done.") == "Wait... what?!?! (see [1]) -- done."
    )
    text = "Title\n\n" + "(" * 500 + "word" + ")" * 500 + " after."
    view = parse_view(text)
    assert len(view) == len(text)
    assert view.index("word") == text.index("word")
    runs = [r for r in view.split() if set(r) <= {"(", ")"}]
    assert runs and max(len(r) for r in runs) <= PUNCT_RUN
    assert parse_view(text, limit=100) == view[:100]


def test_analyze_nested_parentheses_parse_maps_back_to_the_text(tmp_path: Path) -> None:
    text = "Flood in Kellen\n\nOfficials said " + "(" * 3000 + "12 people" + ")" * 3000 + " died."
    article = Article(id="p1", source="p.txt", text=text)
    doc = Analyzer(cache=DocCache(tmp_path / "p.sqlite")).parse([article])["p1"]
    assert len(doc.text) == len(text)
    word = next(t for t in doc if t.text == "people")
    assert text[word.idx : word.idx + len("people")] == "people"
    for s in sentences(article, doc):
        assert text[s.start : s.end] == s.text
    assert len(doc) < 100  # a blanked run is one whitespace token, not 6,000 tokens
    from synoptic.analyze.quotes import extract_quotes

    assert extract_quotes(article, doc) == ()  # the quote finder accepts the parse view


def test_analyze_nlp_lowercase_glue_holds_only_at_a_paragraphs_start() -> None:
    # The glue is for a heading's cut at a paragraph's start. Pinned on every token of a
    # paragraph of 300 lowercase words, it made the parser twice as slow (issue 17's million
    # one-letter lines); past GLUE_TOKENS the parser decides.
    import spacy

    from synoptic.analyze.nlp import GLUE_TOKENS, paragraph_boundaries

    doc = spacy.blank("en").make_doc("What next\n\nEngineers " + "will " * 300)
    paragraph_boundaries(doc)
    first = next(t.i for t in doc if t.text == "Engineers")
    assert doc[first].is_sent_start
    assert doc[first + 1].is_sent_start is False
    assert doc[first + GLUE_TOKENS - 2].is_sent_start is False
    assert doc[first + GLUE_TOKENS + 5].is_sent_start is None
