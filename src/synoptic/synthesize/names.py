"""Name keys and name shapes for merging a story's entities (``synoptic.synthesize.entities``).

How two written names compare: the folded key, a person's given names and surname, whether
two given names are one, and whether an acronym spells an expansion.
"""

from __future__ import annotations

import re

from rapidfuzz import fuzz

from synoptic import lang
from synoptic.lang import fold

#: Least rapidfuzz ratio between two first names of one surname read as one person's name.
FIRST_NAME_SIMILARITY = 80.0

# Words an acronym may skip ("Organization for Security and Co-operation in Europe" -> OSCE).
_ACRONYM_SKIP = lang.words("acronym_skip_words")
_ACRONYM = re.compile(r"^(?:[A-Z]\.?){2,6}$|^[A-Z][A-Z0-9&]{1,5}$")
_SUFFIXES = lang.words("name_suffixes")


def _short_forms() -> dict[str, frozenset[str]]:
    """ "katie" -> {"katie", "kathryn", "katherine", ...}: the forms a given name shares a line
    with in ``given_name_short_forms`` (a full name's own line, or a short form's lines)."""
    out: dict[str, set[str]] = {}
    for line in lang.entries("given_name_short_forms"):
        forms = line.split()
        for form in forms:
            out.setdefault(form, set()).update(forms)
    return {k: frozenset(v) for k, v in out.items()}


_SHORT_FORMS = _short_forms()


def name_key(text: str) -> str:
    """Return the comparison key of a name ("The U.S." -> "us", "Co-operation" -> "cooperation").

    Case, diacritics, full stops, hyphens, a leading "the", a trailing possessive and the
    British "-isation" spelling do not tell two names apart.
    """
    key = fold(text).replace("’", "'")
    key = re.sub(r"'s?$", "", key)
    key = key.replace(".", "").replace("-", "")
    key = re.sub(r"isation\b", "ization", key)
    key = " ".join(key.split())
    if key.startswith("the "):
        key = key[4:]
    return key


def person_parts(text: str) -> tuple[str, str] | None:
    """Return (first name, surname) folded, or ``None`` for a single name.

    The first name is every given name, the first one first: another outlet may write any of
    them ("W. Mark Felt" -> "w mark": "William Felt", "Mark Felt"). Initials written apart
    are one ("P. J. Hill" -> "pj"); middle initials and suffixes ("Jr") take no part.
    """
    words: list[str] = []
    for w in fold(text).replace(".", ". ").replace(",", " ").split():
        bare = w.rstrip(".")
        if not bare or bare in _SUFFIXES:
            continue
        if len(bare) == 1 and words and len(words[-1]) == 1 and w.endswith("."):
            words[-1] += bare  # "p. j." -> "pj"
        else:
            words.append(bare)
    if len(words) < 2:
        return None
    # "W. Mark Felt" may be "Mark Felt" elsewhere: the given names after the first count too
    given = [words[0], *(w for w in words[1:-1] if len(w) > 1)]
    return " ".join(given), words[-1]


def given_name_forms(name: str) -> frozenset[str]:
    """The folded given name and its listed short forms ("maurice" -> {"maurice", "mo"})."""
    return _SHORT_FORMS.get(name, frozenset()) | {name}


def first_names_compatible(a: str, b: str) -> bool:
    """One way of writing one given name: equal, an initial ("W."/"William") or a short form
    ("Phil"/"Philip", "Steve"/"Steven", or listed: "Katie"/"Kathryn"), comparing each given
    name of ``a`` with each of ``b`` (see ``person_parts``)."""
    for x in a.split():
        for y in b.split():
            if x == y:
                return True
            short, long_ = sorted((x, y), key=len)
            if len(short) == 1 and long_[0] == short:
                return True
            if len(short) >= 3 and long_.startswith(short):
                return True
            if y in _SHORT_FORMS.get(x, ()):
                return True  # "Katie"/"Kathryn", "Bill"/"William"
    return False


def first_names_match(a: str, b: str) -> bool:
    """Compatible, or spelled alike ("Sergei"/"Sergey", "Yevgeny"/"Evgeny")."""
    if first_names_compatible(a, b):
        return True
    return fuzz.ratio(a.split()[0], b.split()[0]) >= FIRST_NAME_SIMILARITY


def is_acronym(text: str) -> bool:
    return bool(_ACRONYM.match(text.replace(" ", "")))


def acronym_matches(acronym: str, expansion: str) -> bool:
    """True when the acronym's letters start the expansion's words, in order.

    Each significant word gives its first letter and may give more of its start ("CIvil
    Protection and Rescue Agency" -> CIPRA); small words ("of", "and") may be skipped; a
    hyphenated word counts as its parts ("Co-operation" -> C, O). Two-letter acronyms must be
    exact initials ("US" for "United States").
    """
    letters = acronym.replace(".", "").lower()
    words = [w for w in re.split(r"[\s\-]+", fold(expansion)) if w]
    if words and words[0] == "the":
        words = words[1:]
    if len(words) < 2:
        return False
    if len(letters) <= 2:
        initials = "".join(w[0] for w in words if w not in _ACRONYM_SKIP)
        return initials == letters

    def walk(li: int, wi: int) -> bool:
        if wi == len(words):
            return li == len(letters)
        word = words[wi]
        if word in _ACRONYM_SKIP and walk(li, wi + 1):
            return True
        if li == len(letters) or word[0] != letters[li]:
            return False
        for take in range(1, len(word) + 1):
            if li + take > len(letters) or word[:take] != letters[li : li + take]:
                break
            if walk(li + take, wi + 1):
                return True
        return False

    return walk(0, 0)


__all__ = [
    "FIRST_NAME_SIMILARITY",
    "acronym_matches",
    "first_names_compatible",
    "first_names_match",
    "given_name_forms",
    "is_acronym",
    "name_key",
    "person_parts",
]
