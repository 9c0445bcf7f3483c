"""Words the entity reader looks for: the parse and the NER decide structure, these lists only
say what a word means."""

from __future__ import annotations

from spacy.tokens import Token


def wordset(spec: str) -> frozenset[str]:
    """A set of words written as one space-separated string (easier to read and extend)."""
    return frozenset(spec.split())


#: Entity labels kept: people, organisations, places, groups, facilities, events, laws.
KEEP_TYPES = wordset("PERSON ORG GPE LOC NORP FAC EVENT LAW")
#: Honorifics stripped from a person's name, with the gender they state (``None``: neutral).
HONORIFICS: dict[str, str | None] = {
    "mr": "m",
    "sir": "m",
    "lord": "m",
    "mrs": "f",
    "ms": "f",
    "miss": "f",
    "dame": "f",
    "lady": "f",
    "madam": "f",
    "madame": "f",
    "mx": None,
    "dr": None,
    "prof": None,
    "rev": None,
}


#: Nouns that make a phrase a title or function ("minister", "spokeswoman", "engineer").
ROLE_HEADS = wordset(
    "minister secretary president premier chancellor governor mayor senator congressman "
    "congresswoman representative ambassador envoy consul diplomat negotiator spokesman "
    "spokeswoman spokesperson director chairman chairwoman chair chairperson ceo executive "
    "founder commissioner commander general admiral colonel captain lieutenant sergeant "
    "officer chief head leader judge justice prosecutor attorney inspector superintendent "
    "sheriff constable detective engineer architect curator professor dean rector editor "
    "correspondent reporter analyst economist scientist researcher mp mep councillor "
    "councilor councilman councilwoman lawmaker legislator king queen prince princess pope "
    "cardinal bishop archbishop imam rabbi emir sultan sheikh coach manager treasurer adviser "
    "advisor aide official pastor priest marshal warden ombudsman administrator coordinator "
    "undersecretary secretary-general president-elect minister-president vice-minister "
    "vice-president deputy-minister"
)


#: Words that qualify a title without being one ("deputy", "foreign", "regional").
ROLE_MODIFIERS = wordset(
    "deputy vice acting interim former ex assistant associate senior junior chief executive "
    "general foreign defence defense interior finance economy health justice prime first "
    "second top lead principal permanent special regional national federal state provincial "
    "municipal city county district managing joint co press public local outgoing "
    "incoming"
)


#: Words that join the parts of a title ("Secretary of State", "Minister for Water").
ROLE_JOINERS = wordset("of for and the on")
#: A lowercase word that is neither title nor modifier may follow one of these inside a title
#: ("governor of the region", "vice-minister for water resources").
ROLE_OPENERS = wordset("of for")
#: Last words of organisation names that the small model often tags as people ("Oska Hydro").
ORG_WORDS = wordset(
    "hydro energy power oil gas group holdings bank corp corporation inc ltd llc plc gmbh ag sa "
    "company airlines airways motors systems technologies partners capital media news press "
    "agency ministry department council committee commission university college institute "
    "foundation association union party federation league club museum hospital court police "
    "army navy gazette times post herald ledger tribune courier journal daily weekly "
    "broadcasting tv radio network"
)


#: Prepositions after which a lone name is a place ("talks in Kellen"), not a person.
PLACE_PREPS = wordset(
    "in at near outside inside across around towards toward into within throughout"
)


#: Nouns naming a kind of place ("the villages of ...", "the regional capital, ...").
PLACE_NOUNS = wordset(
    "city town village hamlet region province county district capital country state port "
    "island municipality suburb area valley commune parish borough"
)


#: Gendered pronouns and the gender they state.
PRONOUN_GENDER = {
    "he": "m",
    "him": "m",
    "his": "m",
    "himself": "m",
    "she": "f",
    "her": "f",
    "hers": "f",
    "herself": "f",
}


#: Lemmas of verbs that report speech: "..., he said" points back past the reported words.
SPEECH_VERBS = wordset(
    "say tell add warn insist state note stress explain urge declare write ask reply answer "
    "claim argue announce comment confirm deny admit acknowledge recall remark suggest "
    "conclude observe report tweet post demand promise pledge vow predict caution complain "
    "concede emphasise emphasize reiterate repeat assert maintain contend"
)


STOP_ENT_LABELS = wordset("DATE TIME CARDINAL ORDINAL MONEY PERCENT QUANTITY PERSON")
SUBJECT_DEPS = wordset("nsubj nsubjpass")
OBJECT_DEPS = wordset("dobj dative iobj attr oprd")
QUOTE_OPEN = {"“": "”", "„": "“”", "«": "»", '"': '"'}
POSSESSIVE = frozenset({"'s", "’s", "'", "’"})


def bare(token: Token) -> str:
    """The token lowercased without a trailing full stop ("Mr." -> "mr")."""
    return token.lower_.rstrip(".")


def is_role_word(token: Token) -> bool:
    low = bare(token)
    return low in ROLE_HEADS or low in ROLE_MODIFIERS


def is_role_head(token: Token) -> bool:
    low = bare(token)
    return low in ROLE_HEADS or (token.pos_ == "NOUN" and token.lemma_.lower() in ROLE_HEADS)
