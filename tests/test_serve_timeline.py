"""The story page's timeline (``serve.timeline``): sentences once and whole, background apart."""

from __future__ import annotations

from typing import Any

from synoptic.model import Span, TimelineEvent
from synoptic.serve.timeline import story_start, timeline_events, whole_sentence

TEXT = (
    "The dam was completed in 1968 and was last inspected in 2019.\n\nWhat next\n\n"
    "Engineers will inspect the damaged spillway on Wednesday, and the officials will meet "
    "again on Friday. Part of the dam gave way early on Monday, flooding the lower town."
)


def _event(date: str, words: str, kind: str = "event") -> TimelineEvent:
    at = TEXT.index(words)
    return TimelineEvent(date, words, (Span("a", at, at + len(words)),), kind)  # type: ignore[arg-type]


def _chips(sources: Any, spans: Any) -> list[Any]:
    return [(s.article, s.start, s.end) for s in spans]


def test_serve_timeline_fragment_is_read_from_its_sentence_start() -> None:
    fragment = _event("2024-10-16", "will inspect the damaged spillway on Wednesday")
    whole = whole_sentence(fragment, {"a": TEXT})
    assert whole.text == "Engineers will inspect the damaged spillway on Wednesday"
    (span,) = whole.spans
    assert TEXT[span.start : span.end] == whole.text  # the citation covers what is printed
    # A sentence that opens as one is left alone.
    sentence = _event("2024-10-14", "Part of the dam gave way early on Monday")
    assert whole_sentence(sentence, {"a": TEXT}) == sentence


def test_serve_timeline_sentences_once_and_background_apart() -> None:
    events = [
        _event("1968", "The dam was completed in 1968 and was last inspected in 2019."),
        _event("2019", "was last inspected in 2019"),  # an excerpt of the 1968 sentence
        _event("2024-10-14", "Part of the dam gave way early on Monday, flooding the lower town."),
        _event("2024-10-14", "Part of the dam gave way early on Monday"),  # within the above
        _event("2024-10-16", "will inspect the damaged spillway on Wednesday", "planned"),
        _event("2024-10-18", "the officials will meet again on Friday", "planned"),
    ]
    out = timeline_events(events, {"a": TEXT}, ["2024-10-14T19:30:00+02:00", None], _chips)
    texts = [e["text"] for e in out["events"]]
    assert texts == [
        "The dam was completed in 1968 and was last inspected in 2019.",
        "Part of the dam gave way early on Monday, flooding the lower town.",
        # Both fragments lie in one sentence: printed once, whole, at its first date.
        "Engineers will inspect the damaged spillway on Wednesday, and the officials will meet "
        "again on Friday",
    ]
    assert [e["date"] for e in out["background"]] == ["1968"]
    assert [e["date"] for e in out["story"]] == ["2024-10-14", "2024-10-16"]
    assert [e["planned"] for e in out["story"]] == [False, True]
    assert [p["date"] for p in out["chart"]["points"]] == ["2024-10-14", "2024-10-16"]
    assert len({e["id"] for e in out["events"]}) == 3


def test_serve_timeline_story_start_without_publication_dates() -> None:
    # An undated story begins at its latest dated event: 1886 is background to 2018.
    assert str(story_start([None, None], ["1886", "2018", "2018-05"])) == "2018-05-01"
    assert str(story_start(["2022-01-11T12:23:00+05:30"], ["2014"])) == "2022-01-11"
    assert story_start([None], ["soon"]) is None
