"""Words the quote stages look for, read from the lexicon (``synoptic.lang``).

The parse decides structure; these lists only name what a role in it means. Each is one concept
file under ``lang/en/``; this module only shapes them for the stages (sets, gender tables).
"""

from __future__ import annotations

from synoptic.lang import entries, mapping, words


def _gendered(concept: str) -> dict[str, str]:
    """The entries of a ``word -> m|f|-`` table that state a gender."""
    return {k: g for k, g in mapping(concept).items() if g in ("m", "f")}


#: Lemmas of verbs that introduce speech (or writing) in news prose.
SPEECH_VERBS = words("speech_verbs")
#: Honorifics and title words dropped from names ("Deputy Foreign Minister Sergei Ryabkov").
TITLE_WORDS = words("name_title_words")
# Title words that name a role by themselves (not modifiers such as "former" or "state").
ROLE_TITLES = TITLE_WORDS - words("name_title_modifiers")
# Nouns that denote a person's role: a definite description ("the engineer said") resolves to a
# person only when its head is one of these, a title word or a role class.
PERSON_NOUNS = words("person_nouns")
NAME_PARTICLES = words("name_particles")
# Words before a name that state the person's gender ("Ms", "Lord", "Queen").
HONORIFIC_GENDER = {**_gendered("honorifics_gender"), **_gendered("royal_titles_gender")}
PRONOUN_GENDER = dict(mapping("pronoun_gender"))
FIRST_PERSON = words("first_person_pronouns")


def _role_classes() -> dict[str, frozenset[str] | None]:
    """Role classes: a description's head noun ("the diplomat") matches a person whose title
    holds one of these phrases; ``None`` means any titled person ("the official")."""
    table: dict[str, frozenset[str] | None] = {
        head: None if spec == "*" else frozenset(p.strip() for p in spec.split("|"))
        for head, spec in mapping("role_classes").items()
    }
    for alias, cls in mapping("role_class_aliases").items():
        table[alias] = table[cls]
    return table


ROLE_CLASSES = _role_classes()
# Demonyms and short names that no suffix rule links to their country.
AFFILIATION_ALIASES = dict(mapping("affiliation_aliases"))
# Words a title-case name leaves in lower case: a quote with every other word capitalised is a
# title ("Strategic Dialogue of the Two Powers").
FUNCTION_WORDS = words("title_case_minor_words")
# Leading elisions written with an apostrophe before a letter (not an opening mark).
ELISIONS = entries("apostrophe_elisions")
