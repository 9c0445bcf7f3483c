"""The scorers of ``synoptic.evaluate`` on tiny hand-made cases whose scores are worked by hand."""

from __future__ import annotations

from typing import Any

import pytest

from synoptic.evaluate import briefs
from synoptic.evaluate.conflicts import (
    ConflictScore,
    claim_covers,
    covers,
    gold_sides,
    prf,
    side_pairs,
)
from synoptic.evaluate.dates import CitedDate, locate, score_timeline, timeline_form
from synoptic.evaluate.partition import bcubed
from synoptic.evaluate.quotes import FoundQuote, match_wordings, score_quotes
from synoptic.evaluate.rouge import rouge_recall, rouge_tokens, truncate
from synoptic.evaluate.tokens import Totals, token_prf


def test_evaluate_token_prf_counts_repeated_tokens_as_bags() -> None:
    score = token_prf("the the cat", "The cat sat")
    # overlap: one "the", one "cat" = 2; predicted 3 tokens, gold 3 tokens.
    assert score.precision == pytest.approx(2 / 3)
    assert score.recall == pytest.approx(2 / 3)
    assert token_prf("", "").f1 == 1.0
    assert token_prf("", "words").f1 == 0.0


def test_evaluate_totals_micro_pools_tokens_and_macro_averages_documents() -> None:
    totals = Totals()
    totals.add("a b c d", "a b c d")  # P = R = 1
    totals.add("x", "a b c d")  # P = 0, R = 0
    assert totals.macro().f1 == pytest.approx(0.5)
    # pooled: 4 common of 5 predicted and of 8 gold tokens.
    assert totals.micro().precision == pytest.approx(4 / 5)
    assert totals.micro().recall == pytest.approx(4 / 8)


def test_evaluate_bcubed_perfect_and_merged() -> None:
    gold = {"a": 1, "b": 1, "c": 2, "d": 2}
    assert bcubed({"a": "x", "b": "x", "c": "y", "d": "y"}, gold) == (1.0, 1.0, 1.0)
    p, r, f1 = bcubed({k: "one" for k in gold}, gold)
    # every item shares its predicted story with 2 of 4 right: precision 1/2, recall 1.
    assert (p, r) == (0.5, 1.0)
    assert f1 == pytest.approx(2 / 3)


def test_evaluate_rouge_recall_of_unigrams_and_bigrams() -> None:
    refs = ["The cat sat."]
    assert rouge_recall("the cat", refs, 1) == pytest.approx(2 / 3)
    assert rouge_recall("the cat", refs, 2) == pytest.approx(1 / 2)
    # Porter stemming over three letters: "running" and "runs" both stem to "run".
    assert rouge_tokens("Running runs") == ["run", "run"]
    assert truncate("one two three", 2) == "one two"


def test_evaluate_conflict_covers_needs_two_gold_values_with_a_shared_file() -> None:
    gold = gold_sides([{"value": 8, "files": ["a", "b"]}, {"value": 7.5, "files": ["c"]}])
    assert covers([(8.0, frozenset({"a"})), (7.5, frozenset({"c"}))], gold)
    assert not covers([(8.0, frozenset({"a"})), (7.5, frozenset({"z"}))], gold)
    assert not covers([(8.0, frozenset({"a", "b"}))], gold)
    assert side_pairs([gold]) == {(8.0, "a"), (8.0, "b"), (7.5, "c")}


def test_evaluate_conflict_score_adds_stories() -> None:
    gold = [[(1.0, frozenset({"a"})), (2.0, frozenset({"b"}))]]
    score = ConflictScore()
    found = [[(1.0, frozenset({"a"})), (2.0, frozenset({"b", "x"}))], [(5.0, frozenset({"c"}))]]
    score.add(found, [], gold)
    assert (score.tp, score.predicted, score.gold_tp, score.gold) == (1, 2, 1, 1)
    assert score.conflicts() == pytest.approx((0.5, 1.0, 2 / 3))
    # sides: (1,a), (2,b) right; (2,x), (5,c) wrong.
    assert score.sides()[:2] == pytest.approx((0.5, 1.0))
    assert prf(0, 0, 0, 0) == (1.0, 1.0, 1.0)


def test_evaluate_claim_covers_two_sides_on_different_gold_sides() -> None:
    gold = [frozenset({"a"}), frozenset({"b"})]
    assert claim_covers([frozenset({"a", "z"}), frozenset({"b"})], gold)
    assert not claim_covers([frozenset({"a"}), frozenset({"a"})], gold)


def test_evaluate_match_wordings_is_one_to_one_and_fuzzy() -> None:
    found = ["we will not back down", "we will not back down", "something else entirely"]
    gold = ["we will not back down!", "an unrelated wording"]
    assert match_wordings(found, gold) == {0: 0}
    assert match_wordings(["abc"], ["xyz"]) == {}


def test_evaluate_score_quotes_counts_speakers_over_matches() -> None:
    found = [FoundQuote("f", "Hello there", "Ann Lee"), FoundQuote("f", "Other", None)]
    gold = [FoundQuote("f", "hello there", "Lee"), FoundQuote("g", "Missed", "Bo")]
    score = score_quotes(
        found,
        gold,
        normalize=str.lower,
        same_speaker=lambda a, b: (a or "").endswith(b or "\0"),
    )
    assert (score.found, score.gold, score.matched, score.speaker_right) == (2, 2, 1, 1)
    assert score.precision() == score.recall() == 0.5
    assert score.speaker_accuracy() == 1.0


def test_evaluate_locate_finds_the_nth_snippet() -> None:
    assert locate("on Monday and on Monday", "on Monday", 1) == 14
    assert locate("on Monday", "on Monday", 1) is None


def test_evaluate_timeline_form_shows_a_week_as_its_thursdays_month() -> None:
    assert timeline_form("2024-12-30", "week") == "2025-01"  # Thursday 2025-01-02
    assert timeline_form("2024-12-30") == "2024-12-30"


def test_evaluate_score_timeline_accuracy_coverage_precision() -> None:
    text = "Talks ended on Monday. More talks are due next week. Nothing dated here."
    gold = [
        {"file": "f", "text": "on Monday", "date": "2022-01-10"},
        {"file": "f", "text": "next week", "date": "2022-01-17", "precision": "week"},
        {"file": "f", "text": "Nothing", "date": None},
        {"file": "other", "text": "x", "date": "2020"},  # not in this story
    ]
    cited = [
        CitedDate("2022-01-10", "f", 0, 22),  # right
        CitedDate("2022-01-18", "f", 23, 52),  # wrong: the week shows as 2022-01
    ]
    score = score_timeline({"f": text}, cited, gold)
    assert (score.gold, score.on_timeline, score.right) == (2, 2, 1)
    assert (score.cited, score.cited_right) == (2, 1)
    assert score.accuracy() == score.precision() == 0.5


def _story() -> dict[str, Any]:
    text = 'She said "we go now" and left.'
    return {
        "id": "s1",
        "articles": [{"id": "a1", "text": text}, {"id": "a2", "text": "unnamed"}],
        "quotes": [
            {"speaker": "Ann", "spans": [{"article": "a1", "start": 10, "end": 19}]},
        ],
        "timeline": [{"date": "2022", "spans": [{"article": "a1", "start": 0, "end": 30}]}],
        "conflicts": [
            {
                "topic": "toll (update)",
                "kind": "number",
                "values": [{"value": 3, "sources": ["a1"]}, {"value": None, "sources": ["a2"]}],
            },
            {"topic": "who", "kind": "claim", "values": [{"sources": ["a1"]}, {"sources": []}]},
        ],
    }


def test_evaluate_briefs_reads_quotes_timeline_and_conflicts_back() -> None:
    story = _story()
    file_of = briefs.file_names([story], lambda a: "one.txt" if a["id"] == "a1" else None)
    assert file_of == {"a1": "one.txt"}
    assert briefs.texts(story, file_of) == {"one.txt": story["articles"][0]["text"]}
    assert briefs.partition([story], file_of) == {"one.txt": "s1"}
    assert briefs.found_quotes(story, file_of) == [FoundQuote("one.txt", "we go now", "Ann")]
    assert briefs.cited_dates(story, file_of) == [CitedDate("2022", "one.txt", 0, 30)]
    numbers, updates = briefs.conflict_sides(story, file_of, update_suffix=" (update)")
    assert numbers == []
    assert updates == [[(3.0, frozenset({"one.txt"})), (0.0, frozenset())]]
    assert briefs.claim_sides(story, file_of) == [[frozenset({"one.txt"}), frozenset()]]
