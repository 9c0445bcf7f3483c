"""Person names as written in quotes and across outlets: initials, particles, first names."""

from __future__ import annotations

import re

from rapidfuzz import fuzz

from synoptic.analyze.quotes.vocab import NAME_PARTICLES
from synoptic.lang import fold

INITIAL = re.compile(r"(?:[A-Z]\.)+|[A-Z]")


def first_compatible(a: str, b: str) -> bool:
    """Return whether two first names may name the same person.

    Spelling variants from transliteration (Sergei/Sergey, Yuri/Yury, Evgeny/Yevgeny) and an
    initial for the name (W./Wendy) are compatible.
    """
    a, b = fold(a).rstrip("."), fold(b).rstrip(".")
    if not a or not b:
        return False
    if len(a) == 1 or len(b) == 1:
        return a[0] == b[0]
    score = fuzz.ratio(a, b)
    return score >= 80 or (a[0] == b[0] and score >= 70)


def name_parts(name: str) -> tuple[str, str] | None:
    """``(first, surname)`` of a person-like name ("Wendy R. Sherman"), else None."""
    words = name.split()
    if len(words) < 2 or not all(w[0].isupper() for w in words if w.lower() not in NAME_PARTICLES):
        return None
    if words[0].lower() in ("the", "a", "an"):
        return None
    core = [w for w in words if not INITIAL.fullmatch(w)]
    if len(core) < 2:
        return None
    return core[0], fold(core[-1])
