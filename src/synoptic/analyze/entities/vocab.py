"""Words the entity reader looks for, read from the lexicon (``synoptic.lang``).

The parse and the NER decide structure; these lists only say what a word means.
"""

from __future__ import annotations

from spacy.tokens import Token

from synoptic.lang import mapping, words


def wordset(spec: str) -> frozenset[str]:
    """A set of labels written as one space-separated string (spaCy's, not a language's)."""
    return frozenset(spec.split())


#: Entity labels kept: people, organisations, places, groups, facilities, events, laws.
KEEP_TYPES = wordset("PERSON ORG GPE LOC NORP FAC EVENT LAW")
#: Honorifics stripped from a person's name, with the gender they state (``None``: neutral).
HONORIFICS: dict[str, str | None] = {
    k: g if g in ("m", "f") else None for k, g in mapping("honorifics_gender").items()
}
#: Nouns that make a phrase a title or function ("minister", "spokeswoman", "engineer").
ROLE_HEADS = words("role_heads")
#: Words that qualify a title without being one ("deputy", "foreign", "regional").
ROLE_MODIFIERS = words("role_modifiers")
#: Words that join the parts of a title ("Secretary of State", "Minister for Water").
ROLE_JOINERS = words("role_joiners")
#: A lowercase word that is neither title nor modifier may follow one of these inside a title
#: ("governor of the region", "vice-minister for water resources").
ROLE_OPENERS = words("role_openers")
#: Last words of organisation names that the small model often tags as people ("Oska Hydro").
ORG_WORDS = words("org_name_endings")
#: Head nouns that make any name an organisation ("... Party", "Ministry of ...").
ORG_HEADS = words("org_head_words")
#: Places whose last word is such a head noun ("West Bank").
ORG_HEADED_PLACES = words("place_names_with_org_words")
#: Prepositions after which a lone name is a place ("talks in Kellen"), not a person.
PLACE_PREPS = words("place_prepositions")
#: Nouns naming a kind of place ("the villages of ...", "the regional capital, ...").
PLACE_NOUNS = words("place_nouns")
#: Gendered pronouns and the gender they state.
PRONOUN_GENDER = dict(mapping("pronoun_gender"))
#: Lemmas of verbs that report speech: "..., he said" points back past the reported words.
SPEECH_VERBS = words("speech_verbs")
#: Endings of a possessive ("Russia's", "the players'"), trimmed off a name.
POSSESSIVE = words("possessive_endings")

STOP_ENT_LABELS = wordset("DATE TIME CARDINAL ORDINAL MONEY PERCENT QUANTITY PERSON")
SUBJECT_DEPS = wordset("nsubj nsubjpass")
OBJECT_DEPS = wordset("dobj dative iobj attr oprd")
QUOTE_OPEN = {"“": "”", "„": "“”", "«": "»", '"': '"'}


def bare(token: Token) -> str:
    """The token lowercased without a trailing full stop ("Mr." -> "mr")."""
    return token.lower_.rstrip(".")


def is_role_word(token: Token) -> bool:
    low = bare(token)
    return low in ROLE_HEADS or low in ROLE_MODIFIERS


def is_role_head(token: Token) -> bool:
    low = bare(token)
    return low in ROLE_HEADS or (token.pos_ == "NOUN" and token.lemma_.lower() in ROLE_HEADS)
