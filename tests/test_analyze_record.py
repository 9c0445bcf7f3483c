from __future__ import annotations

import json
import pickle
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from synoptic.analyze.record import ANALYSIS_VERSION, AnalyzedArticle
from synoptic.model import Article

ROOT = Path(__file__).parents[1]
DAM = ROOT / "examples" / "dam"

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def articles() -> list[Article]:
    from synoptic.dedup import mark_duplicates
    from synoptic.ingest import read_inputs
    from synoptic.pipeline import extract_all

    return mark_duplicates(extract_all(read_inputs([str(DAM)])))


@pytest.fixture(scope="module")
def embedder(tmp_path_factory: pytest.TempPathFactory) -> Any:
    from synoptic.analyze.embed import Embedder, EmbeddingCache

    return Embedder(cache=EmbeddingCache(tmp_path_factory.mktemp("emb") / "e.sqlite"))


@pytest.fixture(scope="module")
def analyses(articles: list[Article], embedder: Any) -> dict[str, AnalyzedArticle]:
    from synoptic.analyze.batch import analyze_all

    return analyze_all(articles, embedder=embedder)


class _NoParse:
    """A stand-in spaCy pipeline that fails the test if anything is parsed."""

    def __init__(self) -> None:
        self.meta: dict[str, Any] = {"name": "core_web_sm", "version": "0"}

    def pipe(self, texts: Iterator[str], batch_size: int = 16) -> Iterator[Any]:
        raise AssertionError("parsed an article whose analysis was known or cached")


def test_analyze_record_round_trips_through_json(
    analyses: dict[str, AnalyzedArticle],
) -> None:
    for rec in analyses.values():
        data = json.loads(json.dumps(rec.to_dict()))
        back = AnalyzedArticle.from_dict(data)
        assert back == rec
        assert back.vectors().shape == (len(rec.sentences), 384)
        assert (back.vectors() == rec.vectors()).all()
    assert any(r.quotes for r in analyses.values())
    assert any(r.claims for r in analyses.values())
    assert any(r.dates.found for r in analyses.values())


def test_analyze_record_pickles_small(
    articles: list[Article], analyses: dict[str, AnalyzedArticle]
) -> None:
    from synoptic.analyze.nlp import load_nlp

    a = articles[0]
    doc_size = len(pickle.dumps(load_nlp()(a.text)))
    rec_size = len(pickle.dumps(analyses[a.id]))
    assert pickle.loads(pickle.dumps(analyses[a.id])) == analyses[a.id]
    # A ~2 kB article: its Doc pickles to ~2.2 MB, its record to ~40 kB (mostly vectors).
    assert rec_size < 100_000
    assert rec_size * 20 < doc_size


def test_analyze_record_for_article_matches_an_analysis_under_that_id(
    articles: list[Article], analyses: dict[str, AnalyzedArticle], embedder: Any
) -> None:
    from synoptic.analyze.batch import analyze_all

    a = next(x for x in articles if analyses[x.id].quotes and analyses[x.id].mentions)
    copy = replace(a, id="copy-of-" + a.id)
    fresh = analyze_all([copy], embedder=embedder)[copy.id]
    moved = analyses[a.id].for_article(copy.id)
    assert moved == fresh
    assert {s.article for s in moved.sentences} == {copy.id}


def test_analyze_record_cache_and_known_skip_the_parse(
    articles: list[Article],
    analyses: dict[str, AnalyzedArticle],
    embedder: Any,
    tmp_path: Path,
) -> None:
    from synoptic.analyze.batch import AnalysisCache, analyze_all

    known = {a.id: analyses[a.id] for a in articles}
    got = analyze_all(articles, embedder=embedder, nlp=_NoParse(), known=known)  # type: ignore[arg-type]
    assert got == known
    # A text edited since its analysis is analysed again, whatever is known.
    edited = replace(articles[0], text=articles[0].text + " Officials declined to comment.")
    with pytest.raises(AssertionError, match="parsed"):
        analyze_all([edited], embedder=embedder, nlp=_NoParse(), known=known)  # type: ignore[arg-type]
    cache = AnalysisCache(tmp_path / "a.sqlite")
    from synoptic.analyze.nlp import load_nlp

    first = analyze_all(articles, embedder=embedder, nlp=load_nlp(), cache=cache)
    fake = _NoParse()
    fake.meta = dict(load_nlp().meta)
    again = analyze_all(articles, embedder=embedder, nlp=fake, cache=cache)  # type: ignore[arg-type]
    assert again == first == analyses
    stale = replace(analyses[articles[0].id], version=ANALYSIS_VERSION + "-old")
    with pytest.raises(AssertionError, match="parsed"):
        analyze_all(articles[:1], embedder=embedder, nlp=_NoParse(), known={articles[0].id: stale})  # type: ignore[arg-type]


def test_analyze_record_brief_needs_nothing_but_the_records(
    articles: list[Article], analyses: dict[str, AnalyzedArticle], monkeypatch: pytest.MonkeyPatch
) -> None:
    from synoptic.analyze import embed, nlp
    from synoptic.cluster import make_story
    from synoptic.synthesize.brief import synthesize

    expected = synthesize(make_story(articles), analyses).to_dict()

    def no_model(*args: object, **kwargs: object) -> None:
        raise AssertionError("synthesis used a model")

    # No model may be reached: not the embedder, not spaCy.
    monkeypatch.setattr(embed, "_model", no_model)
    monkeypatch.setattr(embed.Embedder, "encode", no_model)
    monkeypatch.setattr(nlp, "load_nlp", no_model)
    story = make_story(articles)
    shipped = {
        k: pickle.loads(pickle.dumps(AnalyzedArticle.from_dict(v.to_dict())))
        for k, v in analyses.items()
    }
    brief = synthesize(story, shipped)
    assert brief.to_dict() == expected
    assert brief.summary and brief.facts and brief.quotes and brief.timeline
