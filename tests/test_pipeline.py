"""``build_briefs`` end to end on a tiny corpus: stories, coded problems, degraded modes."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from synoptic.analyze import embed
from synoptic.context import RunContext
from synoptic.errors import ErrorPolicy
from synoptic.pipeline import build_briefs
from synoptic.settings import Settings
from synoptic.synthesize import brief as brief_mod

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


@pytest.fixture()
def corpus(tmp_path: Path) -> Path:
    """Two folders, two stories: the dam (6 reports) and the museum (2)."""
    root = tmp_path / "in"
    for name in ("dam", "museum"):
        shutil.copytree(EXAMPLES / name, root / name)
    return root


def _no_cache(tmp_path: Path, **kw: Any) -> Settings:
    return Settings(use_cache=False, cache_dir=tmp_path / "cache", stories="per-dir", **kw)


@pytest.mark.slow
def test_pipeline_story_whose_synthesis_raises_is_E301_and_others_written(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = brief_mod.synthesize

    def flaky(story: Any, docs: Any, **kw: Any) -> Any:
        if any("museum" in a.source for a in story.articles):
            raise ValueError("boom in a stage\nsecond line never shown")
        return real(story, docs, **kw)

    monkeypatch.setattr(brief_mod, "synthesize", flaky)
    result = build_briefs([str(corpus)], _no_cache(tmp_path))
    (kept,) = result.briefs
    assert all("/dam/" in a.source for a in kept.story.articles)
    (problem,) = result.problems
    assert problem.code == "E301"
    assert problem.source.startswith("story ")
    assert "ValueError: boom in a stage" in problem.message and "second" not in problem.message
    assert problem.line().endswith("[E301]") and "\n" not in problem.line()
    # Every article read is still reported, the failed story's included.
    assert len(result.articles) == 8

    with pytest.raises(ValueError, match="boom"):
        build_briefs([str(corpus)], _no_cache(tmp_path), policy=ErrorPolicy.RAISE)


@pytest.mark.slow
def test_pipeline_article_whose_analysis_raises_is_E302_and_story_goes_on(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from synoptic.analyze import batch

    real = batch.analyze_all

    def picky(articles: Any, **kw: Any) -> Any:
        if any("culture-weekly" in a.source for a in articles):
            raise RuntimeError("parser fell over")
        return real(articles, **kw)

    monkeypatch.setattr(batch, "analyze_all", picky)
    result = build_briefs([str(corpus)], _no_cache(tmp_path))
    assert [p.code for p in result.problems] == ["E302"]
    assert "culture-weekly" in result.problems[0].source
    # The museum story lost one of its two reports and is still written, from the other.
    assert len(result.briefs) == 2
    museum = [b for b in result.briefs if len(b.story.articles) == 1]
    assert museum and "culture-weekly" not in museum[0].story.articles[0].source


@pytest.mark.slow
def test_pipeline_unusable_embedding_model_is_reported_degraded(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(threads: int) -> Any:
        raise RuntimeError("embedding model file is corrupt")

    monkeypatch.setattr(embed, "_model", broken)
    monkeypatch.setattr(embed, "_LRU", embed._Lru(10))  # nothing cached from earlier tests
    seen: list[str] = []
    settings = Settings(use_cache=False, stories="auto")
    with RunContext(settings, on_degraded=lambda m: seen.append(m.line())) as ctx:
        result = build_briefs([str(corpus)], context=ctx)
    codes = [d.code for d in result.degraded]
    assert codes == ["E303"], result.degraded
    assert "corrupt" in result.degraded[0].message
    assert seen == [result.degraded[0].line()]  # said once, as it happened
    # Analysis needs the vectors too: each article is then a coded problem, never a crash.
    assert {p.code for p in result.problems} <= {"E301", "E302"}
    assert len(result.articles) == 8


@pytest.mark.slow
def test_pipeline_overrides_and_settings_reach_the_stages(corpus: Path, tmp_path: Path) -> None:
    short = build_briefs([str(corpus / "dam")], _no_cache(tmp_path, summary_words=30))
    longer = build_briefs([str(corpus / "dam")], _no_cache(tmp_path), summary_words=200)
    words = [sum(len(c.text.split()) for c in r.briefs[0].summary) for r in (short, longer)]
    assert words[0] <= 30 + 50  # the budget may be passed by at most one sentence
    assert words[1] > words[0]
    # Overrides beside a context run with the changed settings; the caller's are left as given.
    settings = _no_cache(tmp_path, summary_words=200)
    with RunContext(settings) as ctx:
        cut = build_briefs([str(corpus / "dam")], context=ctx, summary_words=30)
        assert ctx.settings is settings and settings.summary_words == 200
    assert cut.briefs[0].summary == short.briefs[0].summary
    assert not (tmp_path / "cache").exists()


def test_pipeline_byte_identical_inputs_are_shown_as_copies() -> None:
    from synoptic.dedup import mark_duplicates
    from synoptic.model import RawDocument
    from synoptic.pipeline import extract_all

    body = (Path(__file__).parent / "data" / "quote_marks" / "curly.txt").read_text(
        encoding="utf-8"
    )
    docs = [
        RawDocument(source="a.txt", content=body, kind="text"),
        RawDocument(source="b.txt", content=body, kind="text"),
        RawDocument(source="a.txt", content=body, kind="text"),  # one input read twice
    ]
    articles = mark_duplicates(extract_all(docs))
    assert sorted(a.source for a in articles) == ["a.txt", "b.txt"]
    first, copy = sorted(articles, key=lambda a: a.duplicate_of or "")
    assert first.duplicate_of is None and copy.duplicate_of == first.id


def test_pipeline_no_input_absent_without_a_line(tmp_path: Path) -> None:
    """Every input ends in a story or in a problem naming it: identical files (shown as
    copies), a one-line flash, residue alone (E011), an older version of a page (E021)."""
    import json

    from synoptic.pipeline import group_stories, read_articles

    root = tmp_path / "in"
    root.mkdir()
    dam = (EXAMPLES / "dam" / "kellen-herald-wire.txt").read_text(encoding="utf-8")
    (root / "a.txt").write_text(dam, encoding="utf-8")
    (root / "b.txt").write_text(dam, encoding="utf-8")  # byte-identical: a copy, not lost
    (root / "flash.txt").write_text("Velmar dam spillway opened, towns evacuated\n")
    (root / "menu.txt").write_text("Share this article\nAdvertisement\n")
    page = "https://news.example/dam"
    versions = [
        {"url": page, "published": "2024-05-01T08:00Z", "text": dam},
        {"url": page, "published": "2024-05-01T12:00Z", "text": dam + "\nUpdated at noon."},
    ]
    (root / "feed.jsonl").write_text("".join(json.dumps(v) + "\n" for v in versions))
    context = RunContext(Settings(use_cache=False, cache_dir=tmp_path / "cache"))
    problems = context.problem_list()
    try:
        articles = read_articles([str(root)], context, problems=problems)
        stories = group_stories(articles, context)
    finally:
        context.close()
    placed = [a for s in stories for a in s.articles]
    assert sorted(a.id for a in placed) == sorted(a.id for a in articles)
    told = {(Path(p.source).name, p.code) for p in problems}
    assert ("menu.txt", "E011") in told
    assert any(code == "E021" and "feed.jsonl" in name for name, code in told)
    sources = {Path(a.source).name for a in placed}
    assert {"a.txt", "b.txt", "flash.txt"} <= sources
    copies = [a for a in placed if a.duplicate_of is not None]
    assert any(Path(a.source).name in ("a.txt", "b.txt") for a in copies)
