"""The pure placement rule: neighbourhood in, plan out (joins, merges, splits, ids)."""

from __future__ import annotations

from synoptic.model import Article
from synoptic.stories.batch import story_ids
from synoptic.stories.ids import story_id_for
from synoptic.stories.original import arrival_rank, original_rank
from synoptic.stories.placement import Candidate, Member, place, to_widen


def _story(sid: str, *members: Member, passed: tuple[str, ...] | None = None) -> Candidate:
    originals = tuple(m.id for m in members if m.duplicate_of is None)
    return Candidate(
        sid,
        min(m.seq for m in members),
        members,
        originals if passed is None else passed,
        full=passed is None,
    )


def test_stories_placement_batch_names_groups_after_first_arrival() -> None:
    new = [Member("a3", 3), Member("a1", 1), Member("a2", 2), Member("a4", 4, "a2")]
    plan = place((), new, {"a3": 0, "a1": 0, "a2": 1})
    assert dict(plan.placed) == {"a1": "s1", "a3": "s1", "a2": "s2", "a4": "s2"}
    assert plan.touched == ["s1", "s2"] and plan.removed == ()


def test_stories_placement_join_appends_and_merge_keeps_older_id() -> None:
    x = _story("s1", Member("a1", 1), Member("a2", 2))
    y = _story("s3", Member("a3", 3))
    joined = place([x, y], [Member("a9", 9)], {"a1": 0, "a2": 0, "a3": 1, "a9": 0})
    assert joined.placed["a9"] == "s1" and joined.appended == {"s1"}
    assert joined.touched == ["s1"]
    merged = place([x, y], [Member("a9", 9)], {"a1": 0, "a2": 0, "a3": 0, "a9": 0})
    (story,) = merged.stories
    assert story.story_id == "s1" and story.moves == ("a3",) and merged.removed == ("s3",)
    assert merged.appended == set()


def test_stories_placement_split_needs_the_loose_cut_too() -> None:
    x = _story("s1", Member("a1", 1), Member("a2", 2), Member("a5", 5, "a2"))
    tight = {"a1": 0, "a2": 1, "a9": 1}
    split = place([x], [Member("a9", 9)], tight, {"a1": 0, "a2": 1, "a9": 1})
    assert dict(split.placed) == {"a9": "s2"}
    assert {p.story_id: p.moves for p in split.stories} == {"s1": (), "s2": ("a2", "a5")}
    marginal = place([x], [Member("a9", 9)], tight, {"a1": 0, "a2": 0, "a9": 0})
    (story,) = marginal.stories
    assert story.story_id == "s1" and story.moves == () and marginal.placed["a9"] == "s1"


def test_stories_placement_sampled_story_goes_whole_to_its_majority() -> None:
    x = _story("s1", *(Member(f"a{i}", i) for i in (1, 2, 3, 4)), passed=("a1", "a2", "a3"))
    y = _story("s7", Member("a7", 7))
    tight = {"a1": 0, "a2": 1, "a3": 1, "a7": 0, "a9": 1}
    plan = place([x, y], [Member("a9", 9)], tight)
    assert plan.placed["a9"] == "s1" and plan.removed == ()
    assert {p.story_id for p in plan.stories} == {"s1", "s7"}
    assert to_widen([x, y], tight, limit=64) == ["s1"]
    assert to_widen([x, y], tight, limit=3) == []


def test_stories_ids_batch_equals_arrival_order_and_keeps_other_ids_whole() -> None:
    late = Article(id="ab", source="b", text="x", published="2024-10-14T23:30-05:00")
    early = Article(id="aa", source="a", text="x", published="2024-10-15T01:00Z")
    assert story_ids([[late, early]]) == ["sa"]
    assert sorted([late, early], key=arrival_rank) == [early, late]
    assert original_rank(early) < original_rank(late)
    assert story_id_for("1_10ecb") == "s1_10ecb" and story_id_for("a1f") == "s1f"
