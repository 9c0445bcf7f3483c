"""The document index number extraction looks sentences and names up in (not spaCy's walks)."""

from __future__ import annotations

import pytest
from spacy.language import Language

from synoptic.analyze.quantities.parsed import DocIndex

pytestmark = pytest.mark.slow

TEXT = (
    "Officials in Geneva said 40 people were killed on Monday. The Red Cross put the toll at 45.\n"
    "In Nairobi, Amina Diallo said 2,000 homes were flooded and 300 schools closed.\n\n"
    "More than 12 workers of Oska Hydro were hurt, Reuters reported."
)


@pytest.fixture(scope="module")
def nlp() -> Language:
    from synoptic.analyze.nlp import load_nlp

    return load_nlp()


def test_analyze_quantities_index_answers_as_spacy_does(nlp: Language) -> None:
    doc = nlp(TEXT)
    index = DocIndex(doc)
    assert index.text == doc.text
    assert len(list(doc.sents)) >= 4 and len(doc.ents) >= 5
    for tok in doc:
        assert index.sent(tok) == tok.sent
    for sent in doc.sents:
        assert index.ents(sent) == list(sent.ents)
    # A span that cuts an entity in two lists what spaCy lists: up to the entity running past it.
    cut = doc[2 : doc.ents[-1].start + 1]
    assert index.ents(cut) == list(cut.ents)
    for pos in range(len(TEXT) + 1):
        assert index.line_start(pos) == TEXT.rfind("\n", 0, pos) + 1
