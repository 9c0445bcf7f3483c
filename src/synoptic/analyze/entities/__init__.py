"""Entity mentions of one article: who and what it names, with titles and pronouns.

Reads the article's cached spaCy parse and returns one ``Mention`` per person, organisation or
place it names, cleaned for merging across outlets (``synoptic.synthesize.entities``):

* the text loses a leading "the", a possessive "'s" and, for people, an honorific ("Ms",
  "Dr"), which is kept on the mention as evidence of the form used;
* ``role`` is the title the article gives the person, read from the words before the name
  ("US Deputy Secretary of State Wendy Sherman") or from an apposition ("Evgeny Marek, the
  chief engineer of the firm," / "the chief engineer of the firm, Evgeny Marek");
* ``pronouns`` are the gendered pronouns the article uses for the person, found by a
  gender-blind rule (the pronoun's gender never chooses its antecedent, so that a machine
  translation calling a woman "he" shows up instead of being resolved away).

Junk is dropped, and logged at debug level with the reason ``_reject`` gives: numbers and
dates mis-tagged as names, single lowercase words, photo credits ("Name/Agency") and page
residue glued across lines. The small model's commonest label errors are corrected from the
sentence (``_relabel``): "in Kellen" is a place, "Oska Hydro" an organisation.
"""

from __future__ import annotations

from synoptic.analyze.entities.extract import Mention, extract_mentions, mentions_by_article
from synoptic.analyze.entities.vocab import (
    HONORIFICS,
    KEEP_TYPES,
    PRONOUN_GENDER,
    ROLE_HEADS,
    ROLE_MODIFIERS,
)
from synoptic.lang import fold

__all__ = [
    "HONORIFICS",
    "KEEP_TYPES",
    "PRONOUN_GENDER",
    "ROLE_HEADS",
    "ROLE_MODIFIERS",
    "Mention",
    "extract_mentions",
    "fold",
    "mentions_by_article",
]
