"""Timeline: merging dated events across outlets, choosing the text, ordering, and the seeds."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from synoptic.analyze.dates import DateMention
from synoptic.model import Article, Span
from synoptic.synthesize.timeline import build_timeline, timeline_date

SEEDS = Path(__file__).parents[1].parent / "shared" / "seeds"


def _mention(
    article: Article, phrase: str, date: str | None, precision: str | None = "day", nth: int = 0
) -> DateMention:
    """A resolved mention of ``phrase`` (its ``nth`` occurrence) in ``article``."""
    text = article.text
    start = -1
    for _ in range(nth + 1):
        start = text.index(phrase, start + 1)
    end = start + len(phrase)
    stop = text.rfind(". ", 0, start)
    s_start = max(text.rfind("\n", 0, start) + 1, stop + 2 if stop >= 0 else 0)
    stops = [i for i in (text.find(". ", end), text.find("\n", end)) if i >= 0]
    s_end = min(stops) + 1 if stops else len(text)
    if text[s_end - 1] == "\n":
        s_end -= 1
    return DateMention(
        article=article.id,
        start=start,
        end=end,
        text=phrase,
        sentence=(s_start, s_end),
        kind="relative",
        date=date,
        precision=precision,  # type: ignore[arg-type]
        tense="past",
    )


A = Article(
    id="A",
    source="a.txt",
    text=(
        "Envoys from both countries held seven hours of talks in Geneva on Monday. "
        "Separately, farmers blocked the motorway near Lyon on Monday. "
        "A meeting of the alliance is planned for Wednesday in Brussels."
    ),
)
B = Article(
    id="B",
    source="b.txt",
    text=(
        "Updated on Tuesday\n"
        "The envoys of both countries ended seven hours of talks in Geneva on Monday "
        "without any progress. "
        "The alliance meeting in Brussels follows on Wednesday."
    ),
)


def test_synthesize_timeline_merges_the_same_event_across_outlets() -> None:
    mentions = [
        _mention(A, "on Monday", "2022-01-10"),
        _mention(B, "on Monday", "2022-01-10"),
    ]
    events = build_timeline(mentions, [A, B])
    assert len(events) == 1
    (event,) = events
    assert event.date == "2022-01-10"
    assert event.sources == ("A", "B")
    for span in event.spans:
        article = A if span.article == "A" else B
        assert "Geneva on Monday" in span.of(article)
    assert event.text in (event.spans[0].of(A), event.spans[1].of(B))


def test_synthesize_timeline_keeps_different_events_of_one_day_apart() -> None:
    mentions = [
        _mention(A, "on Monday", "2022-01-10"),
        _mention(A, "on Monday", "2022-01-10", nth=1),
        _mention(B, "on Monday", "2022-01-10"),
    ]
    events = build_timeline(mentions, [A, B])
    assert [e.sources for e in events] == [("A", "B"), ("A",)]
    assert "farmers" in events[1].text


def test_synthesize_timeline_keeps_the_same_words_on_different_dates_apart() -> None:
    mentions = [
        _mention(A, "on Monday", "2022-01-10"),
        _mention(B, "on Monday", "2022-01-03"),
    ]
    assert [e.date for e in build_timeline(mentions, [A, B])] == ["2022-01-03", "2022-01-10"]


def test_synthesize_timeline_lists_future_events_and_drops_unresolved_and_datelines() -> None:
    mentions = [
        _mention(B, "on Tuesday", "2022-01-11"),  # the dateline: nothing but a date
        _mention(A, "for Wednesday", "2022-01-12"),
        _mention(B, "on Wednesday", "2022-01-12"),
        _mention(A, "on Monday", None, None),
    ]
    events = build_timeline(mentions, [A, B])
    assert len(events) == 1
    assert (events[0].date, events[0].sources) == ("2022-01-12", ("A", "B"))


def test_synthesize_timeline_sorts_by_date_then_first_appearance() -> None:
    c = Article(
        id="C",
        source="c.txt",
        text=(
            "The regional parliament approved the flood budget in 2019. "
            "Engineers inspected the northern spillway last month. "
            "Residents of Tarsk were evacuated on Monday after the wall gave way."
        ),
    )
    mentions = [
        _mention(c, "on Monday", "2022-01-10"),
        _mention(c, "last month", "2021-12", "month"),
        _mention(c, "in 2019", "2019", "year"),
        _mention(A, "on Monday", "2022-01-10", nth=1),
    ]
    events = build_timeline(mentions, [A, c])
    assert [(e.date, e.sources) for e in events] == [
        ("2019", ("C",)),
        ("2021-12", ("C",)),
        ("2022-01-10", ("A",)),  # article A comes first in the story
        ("2022-01-10", ("C",)),
    ]


def test_synthesize_timeline_prefers_a_complete_reported_sentence() -> None:
    d = Article(
        id="D",
        source="d.txt",
        text="“We held seven hours of talks in Geneva on Monday,” the envoy said of the talks.",
    )
    e = Article(id="E", source="e.txt", text="seven hours of talks in Geneva on Monday ended")
    mentions = [
        _mention(d, "on Monday", "2022-01-10"),
        _mention(e, "on Monday", "2022-01-10"),
        _mention(A, "on Monday", "2022-01-10"),
    ]
    events = build_timeline(mentions, [d, e, A])
    assert len(events) == 1
    assert events[0].text == Span("A", *mentions[2].sentence).of(A)
    assert events[0].sources == ("D", "E", "A")


def test_synthesize_timeline_shows_a_week_under_its_thursday_month() -> None:
    m = _mention(A, "on Monday", "2022-01-31", "week")
    assert timeline_date(m) == "2022-02"
    assert timeline_date(_mention(A, "on Monday", "2022-01-10", "week")) == "2022-01"
    assert timeline_date(_mention(A, "on Monday", None, None)) is None


# --- the real seeds ----------------------------------------------------------------------------


@pytest.mark.slow
def test_synthesize_timeline_seeds_week_of_meetings_gets_calendar_dates() -> None:
    if not SEEDS.is_dir():
        pytest.skip(f"shared seeds not found at {SEEDS} (the seeds live outside the repo)")
    from synoptic.analyze.dates import extract_dates, infer_anchor
    from synoptic.analyze.nlp import Analyzer

    articles = []
    for path in sorted(SEEDS.glob("*.txt")):
        # The raw seeds keep their page residue; only 003 carries a dateline ("Updated January
        # 11th, 2022 at 12:23 IST"). The residue cleaner reads it in the real flow: here the
        # test supplies it.
        published = "2022-01-11T12:23:00+05:30" if path.name.startswith("003") else None
        articles.append(
            Article(
                id=path.name[:3],
                source=str(path),
                text=path.read_text("utf-8"),
                published=published,
            )
        )
    docs = Analyzer(use_cache=False).parse(articles)
    anchors = infer_anchor(articles, docs)
    mentions = [m for a in articles for m in extract_dates(a, docs[a.id], anchor=anchors[a.id])]
    events = build_timeline(mentions, articles, anchors=anchors)

    def on(date: str, *words: str) -> list[tuple[str, ...]]:
        return [
            e.sources
            for e in events
            if e.date == date and all(w.lower() in e.text.lower() for w in words)
        ]

    # Monday 10: the Geneva talks, reported by dated and undated outlets alike.
    monday = [e for e in events if e.date == "2022-01-10"]
    monday_sources = {s for e in monday for s in e.sources}
    assert {"000", "001", "002", "003", "004"} <= monday_sources
    assert any("Geneva" in e.text for e in monday)
    # Tuesday 11: consultations in Brussels (only the undated 002 reports them).
    assert on("2022-01-11", "Brussels") == [("002",)]
    # Wednesday 12: the Russia-NATO Council, told by the undated 002 and the dated 003 (written
    # on the 11th) and merged across them, is a plan; the sentences go on to the OSCE in Vienna
    # on Thursday 13 and are listed once, under their first day.
    planned = [e for e in events if e.date == "2022-01-12" and "NATO" in e.text]
    assert any({"002", "003"} <= set(e.sources) for e in planned)
    assert all(e.kind == "planned" for e in planned)
    assert all(e.kind == "event" for e in events if e.date == "2022-01-10")
    # No day of that story lands in a wrong week, and no sentence is listed twice.
    days = {e.date for e in events if len(e.date) == 10}
    assert days <= {"2022-01-10", "2022-01-11", "2022-01-12", "2022-01-13"}
    cited = [(s.article, s.start) for e in events for s in e.spans]
    assert len(cited) == len(set(cited))


def test_synthesize_timeline_series_of_years_is_not_an_event() -> None:
    art = Article(
        id="S",
        source="S.txt",
        text=(
            "The government targets a surplus of 2.6 percent in 1999, 2.8 percent in 2000 and "
            "3 percent in 2001. Parliament approved the budget plan on 12 March 1998 after a "
            "long debate."
        ),
    )
    ms = [
        _mention(art, "1999", "1999", "year"),
        _mention(art, "2000", "2000", "year"),
        _mention(art, "2001", "2001", "year"),
        _mention(art, "12 March 1998", "1998-03-12"),
    ]
    events = build_timeline(ms, [art])
    assert [e.date for e in events] == ["1998-03-12"]
    texts = [e.text for e in events]
    assert len(texts) == len(set(texts))


W = Article(
    id="W",
    source="w.txt",
    text=(
        "The party has been banned from the capital since 1995 by a court order. "
        "Its leader, who founded the party in 1990, was arrested at his home on 20 September "
        "1998 by armed police. "
        "The finance ministry forecast that the economy would grow by 3 percent in 1999. "
        "The delivery of the new aircraft was delayed until October 1999 by wiring faults."
    ),
)


def test_synthesize_timeline_a_bound_dates_no_event() -> None:
    events = build_timeline([_mention(W, "since 1995", "1995", "year")], [W])
    assert events == ()


def test_synthesize_timeline_lists_a_sentence_once_under_its_event_date() -> None:
    ms = [
        _mention(W, "in 1990", "1990", "year"),
        _mention(W, "on 20 September 1998", "1998-09-20"),
    ]
    events = build_timeline(ms, [W])
    assert [(e.date, e.kind) for e in events] == [("1998-09-20", "event")]
    # The previous method listed the sentence once per date.
    assert [e.date for e in build_timeline(ms, [W], select=False)] == ["1990", "1998-09-20"]


def test_synthesize_timeline_marks_forecasts_and_delays_as_planned() -> None:
    ms = [
        _mention(W, "in 1999", "1999", "year"),
        _mention(W, "until October 1999", "1999-10", "month"),
    ]
    anchors = {"W": dt.date(1998, 9, 21)}
    events = build_timeline(ms, [W], anchors=anchors)
    # A forecast for the next year and a delivery moved to October 1999 ("delayed until" gives
    # the new date, not a bound) are both listed, as plans.
    assert [(e.date, e.kind) for e in events] == [("1999", "planned"), ("1999-10", "planned")]
    assert "forecast" in events[0].text and "delayed" in events[1].text
