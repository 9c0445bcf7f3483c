"""The data model: ids derived from content, lossless dict round trips, contract shape."""

from __future__ import annotations

from synoptic.model import (
    Article,
    Brief,
    Cited,
    Conflict,
    ConflictValue,
    Entity,
    Flag,
    Quote,
    Span,
    Story,
    TimelineEvent,
    Unique,
    briefs_document,
)


def _article(text: str = "The council voted on Tuesday.", outlet: str | None = "Herald") -> Article:
    return Article(
        id=Article.make_id(text, outlet, None, "Vote"),
        source="herald.txt",
        text=text,
        outlet=outlet,
        title="Vote",
        meta={"section": "local", "tags": ["a", "b"]},
    )


def _brief() -> Brief:
    a = _article()
    b = _article("The council voted 7 to 2 on Tuesday.", "Courier")
    story = Story(id=Story.make_id([a.id, b.id]), headline="Vote", articles=(a, b))
    span_a, span_b = Span(a.id, 0, len(a.text)), Span(b.id, 0, len(b.text))
    return Brief(
        story=story,
        summary=(Cited(a.text, (span_a, span_b)),),
        facts=(Cited(a.text, (span_a,)),),
        conflicts=(
            Conflict(
                "votes",
                "number",
                (ConflictValue("7 to 2", 7.0, "vote", (span_b,)), ConflictValue("8", 8.0)),
            ),
        ),
        quotes=(Quote("We won", "Ana Keller", (span_a,), (Cited("we won", (span_b,)),)),),
        entities=(Entity("Ana Keller", "PERSON", ("Keller",), ("mayor",), (a.id,), 2),),
        timeline=(TimelineEvent("2025-03-04", a.text, (span_a,)),),
        unique=(Unique(b.id, "7 to 2", Span(b.id, 20, 26)),),
        flags=(Flag("pronoun-conflict", "Keller is 'he' in one report", (b.id,)),),
    )


def test_model_article_id_is_stable_and_content_derived() -> None:
    assert _article().id == _article().id
    assert _article().id != _article(outlet="Courier").id
    assert _article().id.startswith("a") and len(_article().id) == 17


def test_model_story_id_ignores_member_order() -> None:
    assert Story.make_id(["a1", "a2"]) == Story.make_id(["a2", "a1"])


def test_model_brief_round_trips_through_dict() -> None:
    brief = _brief()
    assert Brief.from_dict(brief.to_dict()) == brief


def test_model_contract_dict_derives_sources_from_spans() -> None:
    brief = _brief()
    story = briefs_document([brief])["stories"][0]
    a, b = brief.story.articles
    assert story["summary"][0]["sources"] == [a.id, b.id]
    assert story["conflicts"][0]["values"][1]["sources"] == []
    assert story["quotes"][0]["variants"][0]["sources"] == [b.id]
    assert set(story) >= {"id", "headline", "articles", "summary", "facts", "conflicts"}


def test_model_span_of_returns_cited_text() -> None:
    a = _article()
    assert Span(a.id, 4, 11).of(a) == "council"


def test_model_article_label_falls_back_to_file_name() -> None:
    a = Article(id="a1", source="/tmp/reports/geneva.txt", text="x")
    assert a.label == "geneva.txt"
    assert _article().label == "Herald"


def test_model_published_timestamp_reads_every_stored_precision() -> None:
    from synoptic.model import published_timestamp

    assert published_timestamp("2022-01-11T12:23:00+05:30") == published_timestamp(
        "2022-01-11T06:53:00Z"
    )
    assert published_timestamp("2022-01-11") == published_timestamp("2022-01-11T00:00:00")
    assert published_timestamp("2022-01") == published_timestamp("2022-01-01")
    assert published_timestamp("2022") == published_timestamp("2022-01-01")
    assert published_timestamp("next Tuesday") is None and published_timestamp(None) is None
