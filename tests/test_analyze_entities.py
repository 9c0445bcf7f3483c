"""Per-article entity mentions: cleaning, junk, titles and roles, gender-blind pronouns."""

from __future__ import annotations

import pytest
from spacy.language import Language
from spacy.tokens import Doc
from spacy.tokens import Span as SpacySpan

from synoptic.analyze.entities import Mention, extract_mentions, fold
from synoptic.analyze.nlp import load_nlp
from synoptic.model import Article

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def nlp() -> Language:
    return load_nlp()


def _mentions(
    nlp: Language, text: str, ents: dict[str, str] | None = None
) -> tuple[Article, tuple[Mention, ...]]:
    """Parse ``text``; ``ents`` (surface -> label) replaces the model's entities, so that a
    test of what the pass does with an entity does not depend on what the small model tags."""
    article = Article(id="a1", source="a1.txt", text=text)
    doc = nlp(text)
    if ents is not None:
        doc.ents = _spans(doc, ents)
    return article, extract_mentions(article, doc)


def _spans(doc: Doc, ents: dict[str, str]) -> list[SpacySpan]:
    out = []
    taken: set[int] = set()
    for surface, label in ents.items():
        start = 0
        while (at := doc.text.find(surface, start)) >= 0:
            span = doc.char_span(at, at + len(surface), label=label)
            assert span is not None, surface
            if not taken & set(range(span.start, span.end)):
                out.append(span)
                taken |= set(range(span.start, span.end))
            start = at + len(surface)
    return sorted(out, key=lambda s: s.start)


def _by_text(mentions: tuple[Mention, ...], text: str) -> list[Mention]:
    return [m for m in mentions if m.text == text]


def test_analyze_entities_spans_index_the_article_text(nlp: Language) -> None:
    article, mentions = _mentions(
        nlp, "NATO's chief met Wendy Sherman in Geneva.\n\nThe United States sent a team."
    )
    assert mentions
    for m in mentions:
        assert article.text[m.start : m.end] == m.text
        assert m.article == "a1"
    texts = {m.text for m in mentions}
    assert "NATO" in texts  # possessive gone
    assert "United States" in texts  # leading "the" gone
    assert not any(t.startswith("the ") or t.endswith("'s") for t in texts)


def test_analyze_entities_title_before_name_is_the_role(nlp: Language) -> None:
    _, mentions = _mentions(
        nlp, "US Deputy Secretary of State Wendy Sherman said the talks were useful."
    )
    (sherman,) = _by_text(mentions, "Wendy Sherman")
    assert sherman.type == "PERSON"
    assert sherman.role == "US Deputy Secretary of State"
    # "State" belongs to the title, "US" is still a place named by the article
    assert not _by_text(mentions, "State")
    assert _by_text(mentions, "US")


def test_analyze_entities_title_after_a_counterpart_apposition(nlp: Language) -> None:
    _, mentions = _mentions(
        nlp,
        "Sherman said she told her Russian counterpart, Deputy Foreign Minister Sergey "
        "Ryabkov, that troops must withdraw.",
    )
    (ryabkov,) = _by_text(mentions, "Sergey Ryabkov")
    assert ryabkov.role == "Deputy Foreign Minister"  # not "counterpart": that is no title


def test_analyze_entities_role_from_apposition_either_side(nlp: Language) -> None:
    _, mentions = _mentions(
        nlp,
        "The chief engineer of the firm, Evgeny Marek, told reporters the gates were open.",
        ents={"Evgeny Marek": "PERSON"},
    )
    (marek,) = _by_text(mentions, "Evgeny Marek")
    assert marek.role == "chief engineer of the firm"
    _, mentions = _mentions(
        nlp,
        "Talks were held in Kellen, the regional capital, on Tuesday.",
        ents={"Kellen": "GPE"},
    )
    (kellen,) = _by_text(mentions, "Kellen")
    assert kellen.role == "regional capital"


def test_analyze_entities_lowercase_title_with_of_phrase(nlp: Language) -> None:
    _, mentions = _mentions(
        nlp,
        "Vice-minister for water resources Irena Vasko met the governor of the region Aurel "
        "Stanek in Kellen.",
        ents={"Irena Vasko": "PERSON", "Aurel Stanek": "PERSON", "Kellen": "GPE"},
    )
    assert _by_text(mentions, "Irena Vasko")[0].role == "Vice-minister for water resources"
    assert _by_text(mentions, "Aurel Stanek")[0].role == "governor of the region"


def test_analyze_entities_two_titles_joined_by_and_stay_apart(nlp: Language) -> None:
    _, mentions = _mentions(
        nlp,
        "Talks between Deputy Minister Irena Vasko and Regional Governor Aurel Stanek ended.",
        ents={"Irena Vasko": "PERSON", "Aurel Stanek": "PERSON"},
    )
    assert _by_text(mentions, "Aurel Stanek")[0].role == "Regional Governor"
    assert _by_text(mentions, "Irena Vasko")[0].role == "Deputy Minister"


def test_analyze_entities_honorific_is_stripped_and_kept(nlp: Language) -> None:
    _, mentions = _mentions(
        nlp,
        "Ms Sherman called the talks frank. Mr. Ryabkov disagreed.",
        ents={"Ms Sherman": "PERSON", "Ryabkov": "PERSON"},
    )
    (sherman,) = _by_text(mentions, "Sherman")
    assert sherman.honorific == "Ms"
    (ryabkov,) = _by_text(mentions, "Ryabkov")
    assert ryabkov.honorific == "Mr"
    assert ryabkov.role is None


def test_analyze_entities_junk_is_dropped(nlp: Language) -> None:
    text = "Photo: Jane Doe/AP\n2022 was the year the council met in Oslo and minister spoke."
    _, mentions = _mentions(
        nlp,
        text,
        ents={
            "Jane Doe/AP": "PERSON",  # a photo credit
            "2022": "ORG",  # a number
            "council": "ORG",  # a lowercase word
            "Oslo": "GPE",
            "minister": "PERSON",
        },
    )
    assert [m.text for m in mentions] == ["Oslo"]


def test_analyze_entities_unlisted_labels_are_ignored(nlp: Language) -> None:
    _, mentions = _mentions(
        nlp,
        "On Monday 4,000 people met in Oslo.",
        ents={"Monday": "DATE", "4,000": "CARDINAL", "Oslo": "GPE"},
    )
    assert [(m.text, m.type) for m in mentions] == [("Oslo", "GPE")]


def test_analyze_entities_model_label_errors_are_corrected(nlp: Language) -> None:
    _, mentions = _mentions(
        nlp,
        "Oska Hydro opened the gates. Water reached the villages of Tarsk and Hollin. "
        "Aurel Stanek visited. Later Stanek spoke in Kellen.",
        ents={
            "Oska Hydro": "PERSON",
            "Tarsk": "GPE",
            "Hollin": "PERSON",
            "Aurel Stanek": "PERSON",
            "Stanek": "GPE",
            "Kellen": "PERSON",
        },
    )
    types = {m.text: m.type for m in mentions}
    assert types["Oska Hydro"] == "ORG"  # an organisation word ends the name
    assert types["Hollin"] == "GPE"  # coordinated with a place
    assert types["Kellen"] == "GPE"  # "in Kellen"
    assert types["Stanek"] == "PERSON"  # the surname of a person named in the article


def test_analyze_entities_pronouns_follow_the_clause_subject(nlp: Language) -> None:
    _, mentions = _mentions(
        nlp,
        "Wendy Sherman said he told his counterpart that troops must leave.",
        ents={"Wendy Sherman": "PERSON"},
    )
    (sherman,) = _by_text(mentions, "Wendy Sherman")
    # the gender of the pronoun plays no part: a translation error must stay visible
    assert sherman.pronouns == ("he", "his")


def test_analyze_entities_pronoun_of_next_sentence_needs_one_candidate(nlp: Language) -> None:
    _, mentions = _mentions(
        nlp,
        "Sherman left Geneva on Monday.\n\nShe will fly to Brussels.\n\n"
        "Sherman later met Ryabkov.\n\nHe said little.",
        ents={"Sherman": "PERSON", "Ryabkov": "PERSON", "Geneva": "GPE", "Brussels": "GPE"},
    )
    resolved = [p for m in mentions for p in m.pronouns]
    assert _by_text(mentions, "Sherman")[0].pronouns == ("she",)
    assert "he" not in resolved  # two people in the sentence before: left unresolved


def test_analyze_entities_pronoun_after_reported_words_skips_them(nlp: Language) -> None:
    _, mentions = _mentions(
        nlp,
        "Sherman spoke to reporters.\n\n"
        "Limiting the alliance is not a principle, she said.\n\n"
        "The nations that Putin counts as his sphere are not a principle, she said.",
        ents={"Sherman": "PERSON", "Putin": "PERSON"},
    )
    # the speaker of "..., she said" is the person of the sentence before ...
    assert _by_text(mentions, "Sherman")[0].pronouns == ("she",)
    # ... never a person inside the reported words; with one there, the speaker is unclear
    assert _by_text(mentions, "Putin")[0].pronouns == ("his",)


def test_analyze_entities_pronouns_in_quotes_are_not_resolved(nlp: Language) -> None:
    _, mentions = _mentions(
        nlp,
        "Stanek spoke first.\n\n“He has failed us,” Stanek said of the operator.",
        ents={"Stanek": "PERSON"},
    )
    assert all(not m.pronouns for m in mentions)


def test_analyze_entities_possessive_inside_subject_is_someone_else(nlp: Language) -> None:
    _, mentions = _mentions(
        nlp,
        "Sherman urged caution, while her Russian counterpart Sergei Ryabkov warned of delays.",
        ents={"Sherman": "PERSON", "Sergei Ryabkov": "PERSON"},
    )
    assert not _by_text(mentions, "Sergei Ryabkov")[0].pronouns


def test_analyze_entities_two_people_in_play_leave_the_pronoun_alone(nlp: Language) -> None:
    _, mentions = _mentions(
        nlp,
        "Marek pushed Hoff aside as she ran to the gate.",
        ents={"Marek": "PERSON", "Hoff": "PERSON"},
    )
    assert all(not m.pronouns for m in mentions)
    _, mentions = _mentions(
        nlp,
        "Stanek spoke first.\n\nHe did not say what she wanted.",
        ents={"Stanek": "PERSON"},
    )
    # "she" under "He" is someone else: a chain of two pronouns keeps one gender
    assert _by_text(mentions, "Stanek")[0].pronouns == ("he",)


def test_analyze_entities_preposition_is_not_part_of_a_title(nlp: Language) -> None:
    _, mentions = _mentions(
        nlp,
        "The economy grew under President Barack Obama.",
        ents={"Barack Obama": "PERSON"},
    )
    assert _by_text(mentions, "Barack Obama")[0].role == "President"


def test_analyze_entities_mentions_round_trip_and_pickle_small(nlp: Language) -> None:
    import json
    import pickle

    _, mentions = _mentions(nlp, "Ms Wendy Sherman, the deputy secretary, said she was ready.")
    assert any(m.pronouns or m.honorific for m in mentions)
    for m in mentions:
        assert Mention.from_dict(json.loads(json.dumps(m.to_dict()))) == m
        assert len(pickle.dumps(m)) < 1000  # plain values, no parse inside


def test_analyze_entities_fold_drops_case_and_diacritics() -> None:
    assert fold("Vaško") == "vasko"
    assert fold("Ryabkov") == fold("RYABKOV")


def test_analyze_entities_name_is_not_glued_to_the_next_sentence(nlp: Language) -> None:
    # "Sen." is a known abbreviation, so the tokenizer keeps its period and the sentence goes on.
    text = "The talks were led by Prime Minister Hun Sen. Events in the capital turned violent."
    article, found = _mentions(nlp, text, {"Hun Sen. Events": "PERSON"})
    assert [m.text for m in found] == ["Hun Sen"]
    assert all(article.text[m.start : m.end] == m.text for m in found)
    # The name cut before its last word: the word and its period follow the entity.
    article, found = _mentions(
        nlp, "Opposition figures met Hun Sen. Anwar was not there.", {"Hun": "PERSON"}
    )
    assert [m.text for m in found] == ["Hun Sen"]
    # A suffix keeps its period and the name goes on ("Martin Luther King Jr.").
    _, found = _mentions(
        nlp, "Martin Luther King Jr. Day is a holiday.", {"Martin Luther King Jr.": "PERSON"}
    )
    assert [m.text for m in found] == ["Martin Luther King Jr."]


def test_analyze_entities_organisation_name_gives_no_surname(nlp: Language) -> None:
    _, ms = _mentions(
        nlp,
        "Oska Hydro said the Oska valley was flooded. Aurel Stanek said Stanek would resign.",
        {"Oska Hydro": "PERSON", "Oska": "ORG", "Aurel Stanek": "PERSON", "Stanek": "ORG"},
    )
    # "Oska Hydro" is an organisation, not a person whose name makes "Oska" one
    assert [m.type for m in _by_text(ms, "Oska Hydro")] == ["ORG"]
    assert [m.type for m in _by_text(ms, "Oska")] == ["ORG"]
    assert [m.type for m in _by_text(ms, "Stanek")] == ["PERSON"]


def test_analyze_entities_dateline_place_is_a_place_outlet_name_is_not(nlp: Language) -> None:
    _, ms = _mentions(
        nlp,
        "Kuala Dravik, Sept. 3 _ Police detained a former minister.\n\n"
        "Gazeta Vessa – English service\n\nCheeks, 48, a four - time coach, left.",
        {"Kuala Dravik": "PERSON", "Gazeta Vessa": "PERSON", "Cheeks": "PERSON"},
    )
    assert [m.type for m in _by_text(ms, "Kuala Dravik")] == ["GPE"]
    assert [m.type for m in _by_text(ms, "Cheeks")] == ["PERSON"]  # an apposition
    assert [m.type for m in _by_text(ms, "Gazeta Vessa")] != ["GPE"]  # no dateline
