"""The per-article budgets: characters of the NLP stages (``Settings.max_analysis_chars``; an
article over it is analysed in its first characters only, and the run says so, ``E305``) and
seconds per input (``Settings.input_seconds``; an input over it is dropped at the next check,
``E306``, and the batch goes on)."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from synoptic.context import RunContext
from synoptic.deadline import check
from synoptic.errors import Degraded, Problem
from synoptic.model import Article, content_hash
from synoptic.settings import INPUT_SECONDS, MAX_ANALYSIS_CHARS, Settings

pytestmark = pytest.mark.slow

SENTENCE = "Engineers opened the spillway of the Velmar dam on Tuesday after heavy rain. "


def _article(ident: str, text: str) -> Article:
    return Article(id=ident, source=f"{ident}.txt", text=text, title="Dam spillway opened")


def test_pipeline_budget_long_article_is_analysed_in_part_and_named(tmp_path: Path) -> None:
    from synoptic.pipeline import analyze_each

    long = _article("long", SENTENCE * 40)  # 3,080 characters
    short = _article("short", SENTENCE * 2)
    said: list[Degraded] = []
    settings = Settings(max_analysis_chars=400, use_cache=False)
    with RunContext(settings, on_degraded=said.append) as context:
        analyses = analyze_each([long, short], context)
    assert [m.code for m in said] == ["E305"]
    assert said[0].message == "long.txt has 3,080 characters; only its first 400 were analysed"
    cut = analyses["long"]
    assert cut.content_hash == content_hash(long.text)
    assert cut.sentences and all(s.end <= 400 for s in cut.sentences)
    assert max(s.end for s in analyses["short"].sentences) == len(short.text.rstrip())


def test_pipeline_budget_cut_and_full_analyses_are_cached_apart(tmp_path: Path) -> None:
    from synoptic.pipeline import analyze_each

    article = _article("a", SENTENCE * 10)
    cache = tmp_path / "cache"
    with RunContext(Settings(max_analysis_chars=200, cache_dir=cache)) as context:
        cut = analyze_each([article], context)["a"]
    with RunContext(Settings(cache_dir=cache)) as context:
        full = analyze_each([article], context)["a"]
    assert max(s.end for s in cut.sentences) <= 200
    assert len(full.sentences) == 10  # not the cut record read back from the cache


def test_pipeline_budget_default_is_the_documented_constant() -> None:
    from synoptic.analyze.nlp import MAX_CHARS

    assert Settings().max_analysis_chars == MAX_ANALYSIS_CHARS == MAX_CHARS


def _work(seconds: float) -> None:
    """Spend ``seconds`` of this thread's CPU time (the budget counts work, not waiting)."""
    end = time.thread_time() + seconds
    while time.thread_time() < end:
        pass


def _slow_on(marker: str, seconds: float, real: Callable[..., Any]) -> Callable[..., Any]:
    """Wrap an extractor so that it works on the CPU for the article holding ``marker``."""

    def run(article: Article, doc: Any) -> Any:
        if marker in article.text:
            _work(seconds)
        return real(article, doc)

    return run


def test_pipeline_deadline_drops_the_slow_input_and_the_batch_goes_on(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from synoptic.analyze import batch
    from synoptic.pipeline import analyze_each

    # The quote stage stalls on one article; the quote finder's own first check stops it.
    monkeypatch.setattr(batch, "extract_quotes", _slow_on("STALL", 1.5, batch.extract_quotes))
    slow = _article("slow", SENTENCE + "STALL.")
    good = _article("good", SENTENCE * 3)
    problems: list[Problem] = []
    with RunContext(Settings(input_seconds=0, use_cache=False)) as context:
        analyze_each([_article("warm", SENTENCE)], context)  # models and lists load once
        context.settings = context.settings.with_(input_seconds=1.0)
        analyses = analyze_each([slow, good], context, problems=problems)
    assert sorted(analyses) == ["good"]
    assert [(p.source, p.code) for p in problems] == [("slow.txt", "E306")]
    assert problems[0].message == (
        "over its budget of 1 CPU seconds (in quotes; see --input-seconds)"
    )
    assert len(analyses["good"].sentences) == 3


def test_pipeline_deadline_is_checked_inside_the_sentence_loop() -> None:
    from spacy.tokens import Doc

    from synoptic.analyze.nlp import load_nlp, sentences
    from synoptic.deadline import DeadlineExceeded, budget

    article = _article("many", SENTENCE * 600)
    doc: Doc = load_nlp()(article.text)
    calls = 0

    def slow_sents() -> Any:
        nonlocal calls
        for sent in doc.sents:
            calls += 1
            _work(0.002)
            yield sent

    class Slow:
        text = doc.text
        sents = property(lambda self: slow_sents())

    with pytest.raises(DeadlineExceeded) as caught, budget(0.2):
        sentences(article, Slow())  # type: ignore[arg-type]
    assert caught.value.stage == "sentences"
    assert 0 < calls < 600  # stopped inside the loop, not after it
    assert len(sentences(article, doc)) == 600  # no budget: the loop runs to its end


def test_pipeline_deadline_in_extraction_names_the_input(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import synoptic.extract
    from synoptic import pipeline
    from synoptic.model import RawDocument

    real = synoptic.extract.extract

    def slow_extract(doc: RawDocument) -> Article:
        if "STALL" in doc.content:
            while True:  # a loop that never ends but checks its budget, as ours do
                _work(0.01)
                check("cleaning")
        return real(doc)

    monkeypatch.setattr(synoptic.extract, "extract", slow_extract)
    docs = [
        RawDocument(source="stall.txt", content="Title\n\nSTALL " + SENTENCE, kind="text"),
        RawDocument(source="good.txt", content="Title\n\n" + SENTENCE, kind="text"),
    ]
    real(docs[1])  # what extraction loads once per process is not what is timed here
    problems: list[Problem] = []
    articles = pipeline.extract_all(docs, problems=problems, seconds=0.2)
    assert [a.source for a in articles] == ["good.txt"], problems
    assert [(p.source, p.code) for p in problems] == [("stall.txt", "E306")]
    assert "in cleaning" in problems[0].message


def test_pipeline_deadline_default_and_off() -> None:
    from synoptic.deadline import budget

    assert Settings().input_seconds == INPUT_SECONDS > 0
    with budget(0):  # 0 sets no budget: a check never fires
        _work(0.01)
        check("anything")
