"""Language data as data files: one list per concept, read through one lexicon, and one ``fold``.

Rules that are really lists of words (speech verbs, honorifics, month names, units, stop words)
live in ``lang/<code>/<concept>.txt`` (one entry per line) or ``lang/<code>/<concept>.tsv``
(``key<TAB>value`` per line), never in code. A second language is added by adding its folder;
code asks for a concept by name and a language code and never spells words out itself.

File format: UTF-8; ``#`` starts a comment (whole line or after whitespace); blank lines are
ignored; entries are kept as written (case included) except that surrounding spaces are stripped.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from functools import cache
from importlib import resources
from types import MappingProxyType

DEFAULT_LANGUAGE = "en"


def fold(text: str) -> str:
    """Return ``text`` case-folded and without diacritics ("Vaško" -> "vasko"), for comparisons.

    The one folding rule of the project: matching names, words and keys across outlets uses this
    and nothing else, so two modules never disagree on whether two spellings are the same.
    """
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def _lines(concept: str, lang: str, suffix: str) -> tuple[str, ...]:
    root = resources.files(__package__).joinpath(lang)
    path = root.joinpath(f"{concept}.{suffix}")
    if not path.is_file():
        raise KeyError(f"no {suffix} list {concept!r} for language {lang!r}")
    out = []
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.split(" #", 1)[0].split("\t#", 1)[0]
        if line.lstrip().startswith("#"):
            continue
        line = line.strip(" \r\n")
        if line:
            out.append(line)
    return tuple(out)


@cache
def entries(concept: str, lang: str = DEFAULT_LANGUAGE) -> tuple[str, ...]:
    """Return the entries of a list, in file order (for phrase lists whose order matters)."""
    return _lines(concept, lang, "txt")


@cache
def words(concept: str, lang: str = DEFAULT_LANGUAGE) -> frozenset[str]:
    """Return the entries of a list as a set (for membership tests)."""
    return frozenset(entries(concept, lang))


@cache
def mapping(concept: str, lang: str = DEFAULT_LANGUAGE) -> Mapping[str, str]:
    """Return a ``key<TAB>value`` table as a read-only mapping (later lines win)."""
    table: dict[str, str] = {}
    for line in _lines(concept, lang, "tsv"):
        key, sep, value = line.partition("\t")
        if not sep:
            raise ValueError(f"{lang}/{concept}.tsv: line without a tab: {line!r}")
        table[key.strip()] = value.strip()
    return MappingProxyType(table)


@cache
def full_forms(concept: str, lang: str = DEFAULT_LANGUAGE) -> frozenset[str]:
    """Return the longest key for each value of a table: the full names in ``months.tsv``."""
    best: dict[str, str] = {}
    for key, value in mapping(concept, lang).items():
        if len(key) > len(best.get(value, "")):
            best[value] = key
    return frozenset(best.values())


def concepts(lang: str = DEFAULT_LANGUAGE) -> tuple[str, ...]:
    """Return the names of every list of a language (for tests and documentation)."""
    root = resources.files(__package__).joinpath(lang)
    names = {p.name.rsplit(".", 1)[0] for p in root.iterdir() if p.name.endswith((".txt", ".tsv"))}
    return tuple(sorted(names))
