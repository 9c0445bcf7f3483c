"""Unique contributions: what one outlet alone reports, boilerplate excluded."""

from __future__ import annotations

from synoptic.model import Sentence
from synoptic.synthesize.align import align, members
from synoptic.synthesize.unique import find_unique, reject_reason
from test_synthesize_align import EMBEDDER, make_story


def test_synthesize_unique_finds_single_outlet_reports() -> None:
    story, sents = make_story()
    items = find_unique(story, sents, align(story, sents, embedder=EMBEDDER))
    texts = {(u.article, u.text) for u in items}
    assert (
        "a4",
        "A rescue team from Kador pulled two fishermen from the water near the weir at dawn.",
    ) in texts
    assert any(a == "a2" and "potato harvest" in t for a, t in texts)
    # Reported by an original and its wire copy: one outlet, credited to the original.
    assert any(a == "a1" and "regional council" in t for a, t in texts)
    assert not any(u.article == "a3" for u in items)
    for u in items:
        assert u.span is not None and u.span.of(story.article(u.article)) == u.text


def test_synthesize_unique_excludes_boilerplate_and_shared_reports() -> None:
    story, sents = make_story()
    texts = [u.text for u in find_unique(story, sents, align(story, sents, embedder=EMBEDDER))]
    assert not any(t.startswith("By Anna") for t in texts)
    assert not any("Share this article" in t for t in texts)
    assert not any(t.endswith("?") for t in texts)
    assert not any("bridge" in t for t in texts)  # two outlets report it


def test_synthesize_unique_reject_reasons() -> None:
    story, _ = make_story()
    texts = [
        "By Anna Keller and Tom Reis, Lisov bureau, with reporting from Odra.",
        "Subscribe to our newsletter for the latest flood updates from Lisov.",
        "Will the Brenna rise again in the coming days, residents of Lisov ask?",
        "it was the worst flood anyone in Lisov could remember, said one man.",
        "Everyone agreed that it had been a very long and very difficult night.",
        "Rescuers from Kador pulled two fishermen from the Brenna at dawn.",
    ]
    sents = {"a1": tuple(Sentence("a1", i, 0, len(t), t) for i, t in enumerate(texts))}
    ms = members(story, sents, embedder=EMBEDDER)
    reasons = [reject_reason(m) for m in ms]
    assert reasons[0] == "byline or credit"
    assert reasons[1] == "page chrome"
    assert reasons[2] == "question"
    assert reasons[3] == "broken sentence (lower-case start)"
    assert reasons[4] == "nothing checkable (no entity, no number)"
    assert reasons[5] is None


def test_synthesize_unique_limits_per_article() -> None:
    story, sents = make_story()
    groups = align(story, sents, embedder=EMBEDDER)
    items = find_unique(story, sents, groups, per_article=1)
    arts = [u.article for u in items]
    assert len(arts) == len(set(arts))
