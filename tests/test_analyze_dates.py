"""Dates: finding date phrases, reading their tense, resolving them and inferring anchors."""

from __future__ import annotations

import datetime as dt

import pytest
from spacy.language import Language

from synoptic.analyze.dates import (
    DateMention,
    extract_dates,
    infer_anchor,
    parse_phrase,
    published_date,
)
from synoptic.model import Article

pytestmark = pytest.mark.slow

# Tuesday 7 March 2023.
TUE = dt.date(2023, 3, 7)


@pytest.fixture(scope="module")
def nlp() -> Language:
    from synoptic.analyze.nlp import load_nlp

    return load_nlp()


def _article(text: str, published: str | None = None, aid: str = "a1") -> Article:
    return Article(id=aid, source=f"{aid}.txt", text=text, published=published)


def _dates(
    nlp: Language, text: str, anchor: dt.date | None = TUE, published: str | None = None
) -> tuple[DateMention, ...]:
    return extract_dates(_article(text, published), nlp(text), anchor=anchor)


def _one(nlp: Language, text: str, anchor: dt.date | None = TUE) -> DateMention:
    found = _dates(nlp, text, anchor)
    assert len(found) == 1, [(m.text, m.date) for m in found]
    return found[0]


# Weekdays and tense ----------------------------------------------------------------------------


def test_analyze_dates_past_weekday_is_the_most_recent_one(nlp: Language) -> None:
    m = _one(nlp, "The talks ended on Monday without a deal.")
    assert (m.text, m.date, m.precision, m.kind, m.tense) == (
        "on Monday",
        "2023-03-06",
        "day",
        "relative",
        "past",
    )
    m = _one(nlp, "The dam failed on Saturday after days of rain.")
    assert m.date == "2023-03-04"


def test_analyze_dates_past_weekday_may_be_the_anchor_day(nlp: Language) -> None:
    monday = dt.date(2023, 3, 6)
    assert _one(nlp, "Talks between the envoys ended Monday.", monday).date == "2023-03-06"


def test_analyze_dates_future_weekday_is_the_next_one(nlp: Language) -> None:
    m = _one(nlp, "The ministers will meet again on Monday.")
    assert (m.date, m.tense) == ("2023-03-13", "future")
    assert _one(nlp, "Talks between the allies are planned for Wednesday.").date == "2023-03-08"
    assert _one(nlp, "The compact is due to be signed on Friday.").date == "2023-03-10"
    assert _one(nlp, "Inspectors are to visit the site on Thursday.").date == "2023-03-09"


def test_analyze_dates_future_weekday_may_be_the_anchor_day(nlp: Language) -> None:
    wednesday = dt.date(2023, 3, 8)
    m = _one(nlp, "Engineers will inspect the spillway later on Wednesday.", wednesday)
    assert (m.text, m.date) == ("later on Wednesday", "2023-03-08")


def test_analyze_dates_present_weekday_is_the_nearest_one(nlp: Language) -> None:
    m = _one(nlp, "A council session follows on Thursday in Vienna.")
    assert (m.date, m.tense) == ("2023-03-09", "present")


def test_analyze_dates_said_on_monday_dates_the_saying(nlp: Language) -> None:
    m = _one(nlp, 'The company said on Monday it would "cooperate fully" with inspectors.')
    assert (m.date, m.tense) == ("2023-03-06", "past")


def test_analyze_dates_infinitives_follow_their_governing_verb(nlp: Language) -> None:
    wednesday = dt.date(2023, 3, 8)
    refused = _one(nlp, "The man had refused to leave his home on Monday morning.", wednesday)
    assert refused.date == "2023-03-06"
    agreed = _one(nlp, "The two leaders agreed to meet again on Saturday.", wednesday)
    assert (agreed.date, agreed.tense) == ("2023-03-11", "future")


def test_analyze_dates_last_and_next_weekday_skip_the_anchor_day(nlp: Language) -> None:
    wednesday = dt.date(2023, 3, 8)
    assert _one(nlp, "The panel will question them next Wednesday.", wednesday).date == (
        "2023-03-15"
    )
    assert _one(nlp, "The panel met last Friday.", TUE).date == "2023-03-03"


# Other relative phrases ------------------------------------------------------------------------


def test_analyze_dates_today_yesterday_tomorrow_and_ago(nlp: Language) -> None:
    assert _one(nlp, "The talks ended today in Geneva.").date == "2023-03-07"
    assert _one(nlp, "The envoys arrived yesterday.").date == "2023-03-06"
    assert _one(nlp, "The envoys will leave tomorrow.").date == "2023-03-08"
    assert _one(nlp, "The bridge closed three days ago.").date == "2023-03-04"


def test_analyze_dates_months_relative_to_the_anchor(nlp: Language) -> None:
    m = _one(nlp, "Last month, the ministry published its demands.")
    assert (m.text, m.date, m.precision) == ("Last month", "2023-02", "month")
    assert _one(nlp, "Officials want the issue resolved this month.").date == "2023-03"
    assert _one(nlp, "The hearing will take place next month.").date == "2023-04"


def test_analyze_dates_bare_month_takes_its_year_from_the_tense(nlp: Language) -> None:
    assert _one(nlp, "The ministry presented its demands in December.").date == "2022-12"
    assert _one(nlp, "The new wing will open in December.").date == "2023-12"


def test_analyze_dates_years_and_seasons(nlp: Language) -> None:
    m = _one(nlp, "Russia annexed the peninsula in 2014.")
    assert (m.text, m.date, m.precision, m.kind) == ("in 2014", "2014", "year", "absolute")
    m = _one(nlp, "The rebels are preparing for an attack early next year.")
    assert (m.text, m.date, m.precision) == ("early next year", "2024", "year")
    assert _one(nlp, "The dialogue started last summer in Geneva.").date == "2022"
    assert _one(nlp, "A children's wing will open next spring.").date == "2024"


def test_analyze_dates_weeks_resolve_to_their_monday(nlp: Language) -> None:
    m = _one(nlp, "The committee will hold a hearing next week.")
    assert (m.date, m.precision) == ("2023-03-13", "week")
    assert _one(nlp, "Diplomats have been busy this week.").date == "2023-03-06"
    assert _one(nlp, "The secretary responded last week.").date == "2023-02-27"


# Calendar dates ----------------------------------------------------------------------------------


def test_analyze_dates_full_and_partial_calendar_dates(nlp: Language) -> None:
    m = _one(nlp, "The treaty was signed on 10 January 2022 in Vienna.")
    assert (m.text, m.date, m.kind) == ("on 10 January 2022", "2022-01-10", "absolute")
    assert _one(nlp, "Updated January 11th, 2022 at 12:23.").date == "2022-01-11"
    m = _one(nlp, "The envoys first met on January 10 in Geneva.")
    assert (m.date, m.kind) == ("2023-01-10", "relative")
    assert _one(nlp, "The envoys first met on Jan. 10 in Geneva.").date == "2023-01-10"
    assert _one(nlp, "The summit will be held on May 20.").date == "2023-05-20"


def test_analyze_dates_spacy_dates_the_patterns_miss(nlp: Language) -> None:
    m = _one(nlp, "The talks were launched at a June summit.")
    assert (m.date, m.precision) == ("2022-06", "month")


def test_analyze_dates_skips_durations_and_ages(nlp: Language) -> None:
    for text in (
        "The talks lasted eight hours.",
        "They met after a seven-and-a-half-hour session.",
        "He has asked for repairs for five years.",
        "A 55-year-old man was rescued.",
        "The man, who was 71, was found in a garage.",
        "The work cannot be done in a matter of days or even weeks.",
        "The storm left water in 2000 homes across the valley.",
        "He coached the team in the 2007-08 season.",
    ):
        assert _dates(nlp, text) == (), text


def test_analyze_dates_spans_index_the_article_text(nlp: Language) -> None:
    text = "Flood waters rose.\n\nThe talks ended on Monday. A meeting follows on Wednesday."
    found = _dates(nlp, text)
    assert [m.text for m in found] == ["on Monday", "on Wednesday"]
    for m in found:
        assert text[m.start : m.end] == m.text
        sentence = text[m.sentence[0] : m.sentence[1]]
        assert m.text in sentence and sentence.endswith(".")
    assert text[found[0].sentence[0] : found[0].sentence[1]] == "The talks ended on Monday."


# Anchors ---------------------------------------------------------------------------------------


def test_analyze_dates_published_date_keeps_the_written_offset() -> None:
    assert published_date("2022-01-11T00:30:00+05:30") == dt.date(2022, 1, 11)
    assert published_date("2022-01-10T23:30:00Z") == dt.date(2022, 1, 10)
    assert published_date("2022-01-11") == dt.date(2022, 1, 11)
    assert published_date("yesterday") is None
    assert published_date(None) is None


def test_analyze_dates_default_anchor_is_the_publication_date(nlp: Language) -> None:
    text = "The envoys held talks on Tuesday."
    # Written just after midnight in India: in UTC it was still Monday 6 March.
    found = _dates(nlp, text, anchor=None, published="2023-03-07T00:30:00+05:30")
    assert found[0].date == "2023-03-07"
    undated = _dates(nlp, text + " The treaty dates from 1997.", anchor=None)
    assert [(m.date, m.kind) for m in undated] == [(None, "relative"), ("1997", "absolute")]


def test_analyze_dates_parse_phrase_reads_bare_months_and_years(nlp: Language) -> None:
    june = parse_phrase("a June summit")
    assert june is not None and (june.type, june.m) == ("m", 6)
    year = parse_phrase("the 2019 floods")
    assert year is not None and (year.type, year.y) == ("y", 2019)
    assert parse_phrase("eight hours") is None
    assert _one(nlp, "Residents still remember the 2019 floods.").date == "2019"


DATED = (
    "The delegations held talks in Geneva on Monday, and the talks ended without a deal. "
    "A further meeting of the alliance is planned for Wednesday in Brussels."
)
UNDATED = (
    "Talks between the delegations ended on Monday in Geneva without a deal. "
    "A further meeting of the alliance follows on Wednesday in Brussels."
)


def _story(nlp: Language, *articles: Article) -> dict[str, dt.date | None]:
    return infer_anchor(list(articles), {a.id: nlp(a.text) for a in articles})


def test_analyze_dates_shared_event_pins_an_undated_article(nlp: Language) -> None:
    a = _article(DATED, "2022-01-11T09:00:00+01:00", "A")
    b = _article(UNDATED, None, "B")
    anchors = _story(nlp, a, b)
    assert anchors == {"A": dt.date(2022, 1, 11), "B": dt.date(2022, 1, 10)}
    found = extract_dates(b, nlp(b.text), anchor=anchors["B"])
    assert [m.date for m in found] == ["2022-01-10", "2022-01-12"]


def test_analyze_dates_today_in_an_undated_article_is_pinned(nlp: Language) -> None:
    a = _article(DATED, "2022-01-12T09:00:00+01:00", "A")
    c = _article("The delegations ended their talks in Geneva today without a deal.", None, "C")
    assert _story(nlp, a, c)["C"] == dt.date(2022, 1, 10)


def test_analyze_dates_undated_copies_of_copies_are_pinned(nlp: Language) -> None:
    # Only A is dated (Friday 14 January); D shares an event with B alone, B with A.
    a = _article(DATED.split(". ")[0] + ".", "2022-01-14T09:00:00+01:00", "A")
    b = _article(UNDATED + " Farmers will protest about fuel prices on Tuesday.", None, "B")
    d = _article("Farmers plan to protest about fuel prices in Lyon on Tuesday.", None, "D")
    anchors = _story(nlp, a, b, d)
    assert anchors["B"] == dt.date(2022, 1, 10)
    found = extract_dates(d, nlp(d.text), anchor=anchors["D"])
    # The fallback (the story's earliest date, Friday 14) would have given Tuesday 18.
    assert [m.date for m in found] == ["2022-01-11"]


def test_analyze_dates_without_shared_events_fall_back_to_the_earliest_date(
    nlp: Language,
) -> None:
    a = _article(DATED, "2022-01-12T09:00:00+01:00", "A")
    e = _article("The museum reopened on Saturday after six years.", "2022-01-11", "E")
    f = _article("Fishermen landed a record catch of herring on Friday.", None, "F")
    assert _story(nlp, a, e, f)["F"] == dt.date(2022, 1, 11)
    g = _article("Fishermen landed a record catch of herring on Friday.", None, "G")
    assert _story(nlp, g) == {"G": None}


def test_analyze_dates_undated_story_anchors_on_its_written_full_dates(nlp: Language) -> None:
    # Old wire text: no report is dated, one writes the full date of the arrest; the other tells
    # the same arrest and the coming hearing by weekday only.
    h = _article(
        "Opposition leader Rahim Osman was detained by police at his home on Sunday, "
        "September 20, 1998, hours after a rally of thousands of supporters.",
        None,
        "H",
    )
    k = _article(
        "Police detained opposition leader Rahim Osman at his home on Sunday after a rally "
        "of supporters. He is expected to appear in court on Tuesday.",
        None,
        "K",
    )
    anchors = _story(nlp, h, k)
    assert anchors["H"] == dt.date(1998, 9, 20)
    found = extract_dates(k, nlp(k.text), anchor=anchors["K"])
    assert [m.date for m in found] == ["1998-09-20", "1998-09-22"]
    lone = _article("Fishermen landed a record catch of herring on Friday.", None, "L")
    assert _story(nlp, lone) == {"L": None}  # nothing written to stand in


def test_analyze_dates_last_month_and_day_is_before_the_day_of_writing(nlp: Language) -> None:
    jan = dt.date(1988, 1, 28)
    m = _one(nlp, "The rebels, who hold the town, seized it last January 22.", jan)
    assert m.date == "1987-01-22"
    m = _one(nlp, "The rebels hold the town they seized last January.", jan)
    assert m.date == "1987-01"
    m = _one(nlp, "The ministers meet again next January 22 in Vienna.", jan)
    assert m.date == "1989-01-22"


def test_analyze_dates_a_day_something_is_set_for_is_ahead(nlp: Language) -> None:
    m = _one(nlp, "Unions called a general strike for Wednesday over the price rises.")
    assert (m.date, m.tense) == ("2023-03-08", "future")


def test_analyze_dates_a_past_participle_before_the_date_dates_it(nlp: Language) -> None:
    m = _one(nlp, "The cuts come on top of plans announced in January, which will close plants.")
    assert m.date == "2023-01"
