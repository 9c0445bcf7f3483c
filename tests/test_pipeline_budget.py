"""The per-article character budget of the NLP stages (``Settings.max_analysis_chars``): an
article over it is analysed in its first characters only, and the run says so (``E305``)."""

from __future__ import annotations

from pathlib import Path

import pytest

from synoptic.context import RunContext
from synoptic.errors import Degraded
from synoptic.model import Article, content_hash
from synoptic.settings import MAX_ANALYSIS_CHARS, Settings

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
