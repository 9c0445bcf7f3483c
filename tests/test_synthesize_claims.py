"""Claim contradictions: opposite polarity or outcomes across outlets, and the traps they avoid."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from spacy.language import Language

from synoptic.analyze.batch import analyze_docs
from synoptic.analyze.embed import Embedder
from synoptic.analyze.nlp import sentences
from synoptic.model import Article, Cited, Conflict, ConflictValue, Span, Story
from synoptic.synthesize.align import align
from synoptic.synthesize.claims import find_claim_conflicts, uncontradicted

ROOT = Path(__file__).parents[1]
EXAMPLES_GOLD = ROOT / "bench" / "gold" / "examples_gold.json"


@pytest.fixture(scope="module")
def nlp() -> Language:
    from synoptic.analyze.nlp import load_nlp

    return load_nlp()


def _story(texts: dict[str, str], copies: dict[str, str] | None = None) -> Story:
    copies = copies or {}
    arts = tuple(
        Article(id=k, source=f"{k}.txt", text=v, duplicate_of=copies.get(k))
        for k, v in texts.items()
    )
    return Story(id="s1", headline="Story", articles=arts)


def _claims(nlp: Language, texts: dict[str, str], **kw: str) -> tuple[Conflict, ...]:
    story = _story(texts, copies=kw or None)
    docs = {a.id: nlp(a.text) for a in story.articles}
    sents = {a.id: sentences(a, docs[a.id]) for a in story.articles}
    analyses = analyze_docs(story.articles, docs, embedder=Embedder())
    claims = {k: r.claims for k, r in analyses.items()}
    return find_claim_conflicts(story, align(story, sents, analyses), claims)


def test_synthesize_claims_finds_opposite_outcomes(nlp: Language) -> None:
    texts = {
        "a1": "Oska Hydro confirmed that it had postponed repairs to the spillway. "
        "Engineers will inspect the dam on Wednesday.",
        "a2": "Engineers will inspect the dam on Wednesday. "
        "Oska Hydro denied that it had postponed repairs to the spillway.",
    }
    (conflict,) = _claims(nlp, texts)
    assert conflict.kind == "claim"
    assert conflict.topic == "Oska Hydro: confirmed / denied"
    first, second = conflict.values
    assert first.text == "Oska Hydro confirmed that it had postponed repairs to the spillway."
    assert second.text == "Oska Hydro denied that it had postponed repairs to the spillway."
    assert (first.sources, second.sources) == (("a1",), ("a2",))
    for value in conflict.values:
        (span,) = value.spans
        assert texts[span.article][span.start : span.end] == value.text
        assert value.value is None and value.unit is None


def test_synthesize_claims_finds_a_negated_predicate(nlp: Language) -> None:
    (conflict,) = _claims(
        nlp,
        {
            "a1": "The evacuation order for Tarsk was lifted on Tuesday.",
            "a2": "The evacuation order for Tarsk was not lifted on Tuesday.",
        },
    )
    assert conflict.topic == "the evacuation order: was lifted / was not lifted"
    assert [v.sources for v in conflict.values] == [("a1",), ("a2",)]


@pytest.mark.parametrize(
    ("said", "other", "topic"),
    [
        (
            "Police found no weapons in the house on Mill Street.",
            "Police found weapons in the house on Mill Street.",
            "Police: found no weapons / found weapons",
        ),
        (
            "No charges were filed against the driver in Kellen.",
            "Charges were filed against the driver in Kellen.",
            "Charges: none were filed / were filed",
        ),
        (
            "The suspect was not armed, police said.",
            "The suspect was armed, police said.",
            "the suspect: was not armed / was armed",
        ),
        (
            "Gigante pleaded not guilty to obstruction of justice.",
            "Gigante pleaded guilty to obstruction of justice.",
            "Gigante: pleaded not guilty / pleaded guilty",
        ),
        (
            "The jury acquitted Gigante of obstruction of justice.",
            "The jury convicted Gigante of obstruction of justice.",
            "the jury: acquitted Gigante / convicted Gigante",
        ),
    ],
)
def test_synthesize_claims_finds_each_form_of_opposition(
    nlp: Language, said: str, other: str, topic: str
) -> None:
    (conflict,) = _claims(nlp, {"a1": said, "a2": other})
    assert conflict.topic == topic
    assert [v.text for v in conflict.values] == [said, other]


@pytest.mark.parametrize(
    ("said", "other"),
    [
        # Withheld information, not a denial: a later report that fills the gap agrees with it.
        (
            "The company has not said what caused the failure of the gate.",
            "The company said a faulty motor caused the failure of the gate.",
        ),
        (
            "Police have not released the name of the driver.",
            "Police released the name of the driver.",
        ),
        (
            "The minister did not confirm that the dam had been inspected.",
            "The minister confirmed that the dam had been inspected.",
        ),
        # True so far, then overtaken: an update, not a contradiction.
        (
            "No charges have been filed against the driver in Kellen.",
            "Charges were filed against the driver in Kellen.",
        ),
        # Hedged or refused, not stated.
        (
            "Oska Hydro may not reopen the road to Hollin.",
            "Oska Hydro reopened the road to Hollin.",
        ),
        # Negation that does not flip the claim.
        (
            "The bridge in Dravik is no longer closed to traffic.",
            "The bridge in Dravik is closed to traffic.",
        ),
        (
            "The operator has not yet inspected the spillway wall.",
            "The operator has inspected the spillway wall.",
        ),
        (
            "The road to Hollin will not reopen until Friday.",
            "The road to Hollin will reopen on Friday.",
        ),
        # Perhaps different people: no one referent is named.
        (
            "Two passengers survived on the Kellen road on Monday.",
            "Two passengers died on the Kellen road on Monday.",
        ),
        ("Police arrested a man in Hollin.", "Police released a man in Hollin."),
        # Different subjects, different prepositional objects, different times.
        ("The governor approved the recovery plan.", "The minister rejected the recovery plan."),
        (
            "Jackman was nominated for an Oscar in 2009.",
            "Jackman was never nominated for a Golden Globe in 2009.",
        ),
        (
            "Gigante had pleaded not guilty to obstruction of justice.",
            "Gigante pleaded guilty to obstruction of justice.",
        ),
    ],
)
def test_synthesize_claims_ignores_what_does_not_contradict(
    nlp: Language, said: str, other: str
) -> None:
    assert _claims(nlp, {"a1": said, "a2": other}) == ()


def test_synthesize_claims_the_same_prepositional_object_does_contradict(nlp: Language) -> None:
    found = _claims(
        nlp,
        {
            "a1": "Jackman was nominated for an Oscar in 2009.",
            "a2": "Jackman was never nominated for an Oscar in 2009.",
        },
    )
    assert [c.topic for c in found] == ["Jackman: was nominated / was never nominated"]


def test_synthesize_claims_a_wire_copy_is_not_another_outlet(nlp: Language) -> None:
    texts = {
        "a1": "The evacuation order for Tarsk was lifted on Tuesday.",
        "a2": "The evacuation order for Tarsk was not lifted on Tuesday.",
    }
    assert len(_claims(nlp, texts)) == 1
    assert _claims(nlp, texts, a2="a1") == ()


def test_synthesize_claims_an_outlet_stating_both_sides_tells_two_things(nlp: Language) -> None:
    texts = {
        "a1": "Dravik FC won the cup final in Kellen.",
        "a2": "Dravik FC lost the cup final in Kellen.",
    }
    (conflict,) = _claims(nlp, texts)
    assert conflict.topic.startswith("Dravik FC: won") and "/ lost" in conflict.topic
    texts["a3"] = (
        "Dravik FC won the cup final in Kellen this year. Dravik FC lost the cup final in 2019."
    )
    assert _claims(nlp, texts) == ()


def test_synthesize_claims_a_sequence_in_time_is_not_a_contradiction(nlp: Language) -> None:
    now = {
        "a1": "Police arrested the driver in Kellen.",
        "a2": "Police released the driver in Kellen.",
    }
    assert len(_claims(nlp, now)) == 1
    later = {**now, "a2": "Police later released the driver in Kellen."}
    assert _claims(nlp, later) == ()


def test_synthesize_claims_uncontradicted_drops_the_other_sides_citations() -> None:
    yes, no, other = Span("a1", 0, 10), Span("a2", 5, 20), Span("a3", 0, 8)
    conflict = Conflict(
        topic="t",
        kind="claim",
        values=(ConflictValue("yes", spans=(yes,)), ConflictValue("no", spans=(no,))),
    )
    number = Conflict(topic="n", kind="number", values=(ConflictValue("x", 1.0, spans=(yes,)),))
    fact = Cited("yes", (yes, no, other))
    untouched = Cited("else", (other, Span("a1", 30, 40)))
    got = uncontradicted([fact, untouched], [conflict, number])
    assert got == (Cited("yes", (yes, other)), untouched)


@pytest.mark.slow
def test_synthesize_claims_examples_match_the_gold() -> None:
    from synoptic.pipeline import build_briefs

    gold = json.loads(EXAMPLES_GOLD.read_text(encoding="utf-8"))
    expected = [c for c in gold["conflicts"] if c.get("kind") == "claim"]
    result = build_briefs([str(ROOT / "examples")])
    source = {a.id: Path(a.source).relative_to(ROOT).as_posix() for a in result.articles}
    found = [c for b in result.briefs for c in b.conflicts if c.kind == "claim"]
    got = [[(v.text, sorted(source[s] for s in v.sources)) for v in c.values] for c in found]
    want = [[(v["text"], sorted(v["files"])) for v in c["values"]] for c in expected]
    assert got == want
    for brief in result.briefs:  # the facts never cite one outlet for the other's claim
        for claim in (c for c in brief.conflicts if c.kind == "claim"):
            sides = [set(v.spans) for v in claim.values]
            for fact in brief.facts:
                assert not all(side & set(fact.spans) for side in sides), fact.text
