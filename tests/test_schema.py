"""Tests for the Brief JSON v1 schema and the citation cross-check."""

from __future__ import annotations

import copy
import json
from typing import Any

import jsonschema
import pytest

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
from synoptic.schema import check_citations, load_schema, validate_document

TEXT_1 = "Envoys met in Geneva on Monday. Talks lasted eight hours. A second round is due in May."
TEXT_2 = "Negotiators met in Geneva on Monday; talks ran about seven and a half hours."


def _span(article: Article, passage: str) -> Span:
    start = article.text.index(passage)
    return Span(article.id, start, start + len(passage))


def _brief() -> Brief:
    a1 = Article(
        id="a1",
        source="in/one.txt",
        text=TEXT_1,
        outlet="Northern Ledger",
        published="2022-01-10T14:03:00+00:00",
        language="en",
    )
    a2 = Article(id="a2", source="in/two.txt", text=TEXT_2, published="2022-01-10")
    met = "met in Geneva on Monday"
    return Brief(
        story=Story("s1", "Envoys meet in Geneva", (a1, a2)),
        summary=(Cited("Envoys met in Geneva on Monday.", (_span(a1, "Envoys met in Geneva"),)),),
        facts=(Cited(met, (_span(a1, met), _span(a2, met))),),
        conflicts=(
            Conflict(
                "length of talks",
                "number",
                (
                    ConflictValue("eight hours", 8.0, "hours", (_span(a1, "eight hours"),)),
                    ConflictValue("seven and a half hours", 7.5, "hours", (_span(a2, "seven"),)),
                ),
            ),
        ),
        quotes=(
            Quote(
                "Talks lasted eight hours.",
                None,
                (_span(a1, "Talks lasted"),),
                (Cited("talks ran", (_span(a2, "talks ran"),)),),
            ),
        ),
        entities=(Entity("Geneva", "GPE", (), ("venue",), ("a1", "a2"), 2),),
        timeline=(TimelineEvent("2022-05", "A second round", (_span(a1, "A second round"),)),),
        unique=(Unique("a1", "A second round is due in May.", _span(a1, "A second round")),),
        flags=(Flag("pronoun", "check the pronoun", ("a2",)),),
    )


def _doc() -> dict[str, Any]:
    # Through JSON text, as a consumer of `--format json` would see it.
    doc: dict[str, Any] = json.loads(json.dumps(briefs_document([_brief()])))
    return doc


def test_schema_load_is_draft_2020_12_and_a_fresh_copy() -> None:
    schema = load_schema()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(schema)
    schema["properties"].clear()
    assert "stories" in load_schema()["properties"]


def test_schema_accepts_full_and_empty_documents() -> None:
    validate_document(_doc())
    validate_document(briefs_document([Brief(story=Story("s0", "Nothing yet"))]))
    validate_document(briefs_document([]))


def test_schema_allows_added_fields() -> None:
    doc = _doc()
    doc["generator"] = "synoptic"
    doc["stories"][0]["score"] = 0.5
    doc["stories"][0]["articles"][0]["word_count"] = 12
    doc["stories"][0]["facts"][0]["confidence"] = 1
    validate_document(doc)


@pytest.mark.parametrize(
    ("path", "key"),
    [
        (("stories", 0, "summary", 0), "sources"),
        (("stories", 0, "facts", 0), "text"),
        (("stories", 0, "articles", 0), "duplicate_of"),
        (("stories", 0, "conflicts", 0), "kind"),
        (("stories", 0, "quotes", 0), "variants"),
        (("stories", 0, "entities", 0), "aliases"),
        (("stories", 0), "flags"),
        ((), "schema_version"),
    ],
)
def test_schema_rejects_missing_required_field(path: tuple[Any, ...], key: str) -> None:
    doc = _doc()
    target: Any = doc
    for step in path:
        target = target[step]
    del target[key]
    with pytest.raises(jsonschema.ValidationError) as info:
        validate_document(doc)
    assert key in info.value.message


@pytest.mark.parametrize(
    ("path", "value"),
    [
        (("schema_version",), "2"),
        (("schema_version",), 1),
        (("stories", 0, "summary", 0, "sources", 0), 1),
        (("stories", 0, "summary", 0, "sources"), "a1"),
        (("stories", 0, "summary", 0, "sources"), []),
        (("stories", 0, "facts", 0, "sources"), ["a1", "a1"]),
        (("stories", 0, "conflicts", 0, "kind"), "range"),
        (("stories", 0, "conflicts", 0, "values", 0, "value"), "8"),
        (("stories", 0, "conflicts", 0, "values"), []),
        (("stories", 0, "articles", 0, "id"), 7),
        (("stories", 0, "articles", 0, "url"), 3),
        (("stories", 0, "entities", 0, "roles"), "venue"),
        (("stories", 0, "summary", 0, "spans", 0, "start"), -1),
        (("stories", 0, "unique", 0, "span"), "a1:0-5"),
    ],
)
def test_schema_rejects_wrong_type_or_value(path: tuple[Any, ...], value: Any) -> None:
    doc = _doc()
    target: Any = doc
    for step in path[:-1]:
        target = target[step]
    target[path[-1]] = value
    with pytest.raises(jsonschema.ValidationError):
        validate_document(doc)


@pytest.mark.parametrize("date", ["2022", "2022-01", "2022-01-10", "1999-12-31"])
def test_schema_accepts_timeline_dates(date: str) -> None:
    doc = _doc()
    doc["stories"][0]["timeline"][0]["date"] = date
    validate_document(doc)


@pytest.mark.parametrize(
    "date", ["2022-1-10", "10 January 2022", "2022-13", "2022-01-32", "2022-01-10T09:00", "", "22"]
)
def test_schema_rejects_bad_timeline_dates(date: str) -> None:
    doc = _doc()
    doc["stories"][0]["timeline"][0]["date"] = date
    with pytest.raises(jsonschema.ValidationError):
        validate_document(doc)


@pytest.mark.parametrize(
    "published",
    [
        None,
        "2022",
        "2022-01-10",
        "2022-01-10T14:03Z",
        "2022-01-10T14:03:07.5+05:30",
        "2022-01-10T14:03:07-0800",
    ],
)
def test_schema_accepts_iso_8601_published(published: str | None) -> None:
    doc = _doc()
    doc["stories"][0]["articles"][0]["published"] = published
    validate_document(doc)


@pytest.mark.parametrize(
    "published", ["Monday", "10/01/2022", "2022-01-10 14:03", "2022-01-10T25:00", "Jan 10, 2022"]
)
def test_schema_rejects_non_iso_published(published: str) -> None:
    doc = _doc()
    doc["stories"][0]["articles"][0]["published"] = published
    with pytest.raises(jsonschema.ValidationError):
        validate_document(doc)


def test_schema_check_citations_clean_document_has_no_problems() -> None:
    assert check_citations(_doc()) == []


def test_schema_check_citations_reports_unknown_source_ids() -> None:
    doc = _doc()
    story = doc["stories"][0]
    story["facts"][0]["sources"].append("a9")
    story["quotes"][0]["variants"][0]["sources"] = ["zz"]
    story["conflicts"][0]["values"][1]["sources"] = ["a3"]
    story["unique"][0]["article"] = "nope"
    problems = check_citations(doc)
    assert "stories[0].facts[0].sources[2]: 'a9' is not an article of story 's1'" in problems
    assert any(p.startswith("stories[0].quotes[0].variants[0].sources[0]: 'zz'") for p in problems)
    assert any(p.startswith("stories[0].conflicts[0].values[1].sources[0]: 'a3'") for p in problems)
    assert any(p.startswith("stories[0].unique[0].article: 'nope'") for p in problems)


def test_schema_check_citations_reports_spans_out_of_range() -> None:
    doc = _doc()
    story = doc["stories"][0]
    story["summary"][0]["spans"][0]["end"] = len(TEXT_1) + 1
    story["facts"][0]["spans"][1]["start"] = story["facts"][0]["spans"][1]["end"]
    story["timeline"][0]["spans"][0]["article"] = "a2"
    story["unique"][0]["span"]["start"] = -4
    problems = check_citations(doc)
    assert any(
        p.startswith(f"stories[0].summary[0].spans[0]: span [0, {len(TEXT_1) + 1})")
        for p in problems
    )
    assert any(p.startswith("stories[0].facts[0].spans[1]: span") for p in problems)
    assert any(
        p == "stories[0].timeline[0].spans[0]: span article 'a2' is missing from the item's sources"
        for p in problems
    )
    assert any(p.startswith("stories[0].unique[0].span: span [-4,") for p in problems)
    assert len(problems) == 4


def test_schema_check_citations_reports_duplicate_article_ids() -> None:
    doc = _doc()
    articles = doc["stories"][0]["articles"]
    articles.append(copy.deepcopy(articles[0]))
    assert check_citations(doc) == ["stories[0].articles[2]: duplicate article id 'a1'"]


def test_schema_check_citations_survives_malformed_documents() -> None:
    assert check_citations({}) == []
    assert check_citations({"stories": "nope"}) == []
    broken = {"stories": [{"id": "s", "articles": [{"id": "a", "text": None}], "facts": [1, {}]}]}
    assert check_citations(broken) == []
    broken["stories"][0]["facts"] = [{"sources": ["b"], "spans": [{"article": "a", "start": "0"}]}]
    problems = check_citations(broken)
    assert len(problems) == 2
    assert "bounds must be integers" in problems[1]
