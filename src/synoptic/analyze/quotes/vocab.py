"""Words the quote stages look for.

The parse decides structure; these lists only name what a role in it means.
"""

from __future__ import annotations


def wordset(spec: str) -> frozenset[str]:
    """A set of words written as one space-separated string (easier to read and extend)."""
    return frozenset(spec.split())


#: Lemmas of verbs that introduce speech (or writing) in news prose.
SPEECH_VERBS = wordset(
    "say tell add warn insist state note stress explain urge declare describe write ask "
    "reply respond answer claim argue announce comment confirm deny admit acknowledge recall "
    "remark suggest conclude observe report tweet post call demand promise pledge vow "
    "threaten predict caution complain concede emphasise emphasize underline underscore "
    "reiterate repeat assert maintain contend dismiss brand label term dub quip joke shout "
    "cry exclaim mutter whisper testify accuse hail praise criticise criticize lament plead "
    "propose counter retort recount agree disagree admonish inform assure reassure concur "
    "allege boast brief read advise quote continue"
)


#: Honorifics and title words dropped from names ("Deputy Foreign Minister Sergei Ryabkov").
TITLE_WORDS = wordset(
    "mr mrs ms miss mx dr prof professor sir dame lord lady madam madame president vice "
    "deputy minister secretary foreign prime chancellor senator sen rep representative "
    "governor gov mayor king queen prince princess general gen col colonel captain capt lt "
    "lieutenant sgt sergeant admiral adm judge justice chief ambassador envoy pope cardinal "
    "bishop rev reverend father sheikh emir sultan chairman chairwoman chair ceo director "
    "commissioner spokesman spokeswoman spokesperson state defence defense interior finance "
    "assistant under undersecretary acting former late first attorney speaker leader premier "
    "officer head coach manager counterpart diplomat official"
)


# Title words that name a role by themselves (not modifiers such as "former" or "state").
ROLE_TITLES = TITLE_WORDS - wordset(
    "state foreign first under late former acting head of vice deputy assistant defence defense "
    "interior finance prime chief"
)


# Nouns that denote a person's role: a definite description ("the engineer said") resolves to a
# person only when its head is one of these, a title word or a role class.
PERSON_NOUNS = wordset(
    "engineer official spokesman spokeswoman spokesperson diplomat minister leader chief director "
    "mayor governor president envoy negotiator lawmaker legislator senator officer commander "
    "executive analyst expert witness resident victim survivor lawyer attorney prosecutor judge "
    "doctor nurse teacher scientist researcher economist professor coach player manager owner "
    "founder chairman chairwoman chair member activist protester candidate politician secretary "
    "ambassador premier chancellor king queen prince princess general admiral colonel captain "
    "inspector investigator detective sheriff commissioner deputy representative aide adviser "
    "advisor counterpart agent author head host student worker farmer pilot "
    "driver man woman boy girl father mother son daughter husband wife"
)


NAME_PARTICLES = wordset("de del della der di da du la le van von ter ten bin al el ibn")
HONORIFIC_GENDER = {
    "mr": "m",
    "sir": "m",
    "lord": "m",
    "king": "m",
    "prince": "m",
    "mrs": "f",
    "ms": "f",
    "miss": "f",
    "madam": "f",
    "madame": "f",
    "dame": "f",
    "lady": "f",
    "queen": "f",
    "princess": "f",
}


PRONOUN_GENDER = {"he": "m", "him": "m", "his": "m", "she": "f", "her": "f", "hers": "f"}
FIRST_PERSON = frozenset({"i", "we", "me", "us", "my", "our"})


# Role classes: a description's head noun ("the diplomat") matches a person whose title holds
# one of these phrases. ``None`` means any titled person ("the official").
def _phrases(spec: str) -> frozenset[str]:
    return frozenset(p.strip() for p in spec.split("|"))


_DIPLOMAT = _phrases(
    "ambassador|envoy|foreign minister|secretary of state|deputy secretary|foreign secretary|"
    "negotiator|consul|emissary|diplomat|under secretary|undersecretary"
)


ROLE_CLASSES: dict[str, frozenset[str] | None] = {
    "diplomat": _DIPLOMAT,
    "leader": _phrases(
        "president|prime minister|premier|chancellor|king|queen|leader|head of state|emir|sultan"
    ),
    "lawmaker": _phrases("senator|congressman|congresswoman|representative|mp|legislator|lawmaker"),
    "spokesperson": _phrases("spokesman|spokeswoman|spokesperson|press secretary"),
    "executive": _phrases("chief executive|ceo|chairman|chairwoman|president|director|founder"),
    "commander": _phrases("general|admiral|commander|colonel"),
    "official": None,
    "politician": None,
}


ROLE_CLASSES["envoy"] = ROLE_CLASSES["diplomat"]


ROLE_CLASSES["negotiator"] = ROLE_CLASSES["diplomat"]


ROLE_CLASSES["legislator"] = ROLE_CLASSES["lawmaker"]


ROLE_CLASSES["spokesman"] = ROLE_CLASSES["spokesperson"]


ROLE_CLASSES["spokeswoman"] = ROLE_CLASSES["spokesperson"]


# Demonyms and short names that no suffix rule links to their country.
AFFILIATION_ALIASES = {
    **dict.fromkeys(
        ("us", "usa", "united states", "america", "american", "americans"), "united states"
    ),
    **dict.fromkeys(
        ("uk", "britain", "british", "great britain", "united kingdom"), "united kingdom"
    ),
    "french": "france",
    "dutch": "netherlands",
    "holland": "netherlands",
    "swiss": "switzerland",
    "polish": "poland",
    "spanish": "spain",
    "swedish": "sweden",
    "danish": "denmark",
    "finnish": "finland",
    "turkish": "turkey",
    "greek": "greece",
    "irish": "ireland",
    "welsh": "wales",
    "scottish": "scotland",
    "filipino": "philippines",
    "thai": "thailand",
}


FUNCTION_WORDS = wordset("a an and at by for from in into of on or the to with de la du von van")
