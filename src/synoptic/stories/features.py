"""What the story clusterer compares for one article: content words, names and numbers, lead.

A regular-expression reading, no spaCy (see ``synoptic.cluster`` for why): each article is
described by its content-word stems, its entity terms (names, acronyms, numbers, month-day
dates) and its lead (title and first sentence), which ``synoptic.cluster`` turns into three
similarity views. ``article_terms`` gives the names and numbers an inverted index keys
candidates on (the store's term postings).
"""

from __future__ import annotations

import functools
import math
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType

from synoptic import lang
from synoptic.model import Article, published_timestamp

# Characters of the text embedded as the lead: about the first sentence, which names the
# event. 300 or 600 characters scored the same on the development topics at 1.5-3x the time.
LEAD_CHARS = 200


def _wordset(words: str) -> frozenset[str]:
    return frozenset(words.split())


_ACRONYM = r"(?:[A-Z]\.){2,}"
_TOKEN = re.compile(
    rf"{_ACRONYM}|\d+(?:[.,:]\d+)*|[^\W\d_]+(?:['’][^\W\d_]+)*",
    re.UNICODE,
)
# A gap between tokens holding one of these starts a sentence (or a quote or a line).
_INITIAL_GAP = re.compile(r"[.!?:;\n\"“‘(\[]")
# scikit-learn's English stop words, less the content words that list holds ("fire", "bill",
# "mill", "system"...), which name what a report is about.
_CONTENT = _wordset(
    "amount bill bottom call cry describe detail done empty fill find fire found front full "
    "give interest keep made mill move name part put see serious show side sincere system "
    "take thick thin top"
)
_STOP = (lang.words("stop_words_sklearn") - _CONTENT) | _wordset(
    "said says say told according also just like new mr mrs ms dr st"
)
_MONTHS = {name: int(number) for name, number in lang.mapping("months").items()}
# Capitalised for reasons other than naming an event's actors or places.
_NOT_NAMES = (
    _STOP
    | frozenset(lang.mapping("weekdays"))
    | _wordset(
        "today yesterday tomorrow "
        "advertisement share read more photo video image getty reuters ap afp update updated "
        "breaking news"
    )
)

# Titles before a name: reports vary in whether they give one, so they are not part of it.
_TITLES = _wordset(
    "mr mrs ms dr sir dame lord lady president vice prime minister secretary senator sen "
    "governor gov mayor judge justice chief officer director chairman chairwoman spokesman "
    "spokeswoman spokesperson councillor councilor commissioner sheriff detective sergeant "
    "sgt lt capt col gen adm rep rev prof king queen prince princess pope bishop coach deputy"
)


def _stem(word: str) -> str:
    """Fold common English inflections so that word forms of one lemma meet.

    Crude on purpose (no dictionary): two forms only have to map to the same key, not to a
    real lemma, and a rare wrong conflation costs little in a bag of hundreds of words.
    """
    if len(word) <= 4:
        return word
    if word.endswith("ies"):
        return word[:-3] + "y"
    if word.endswith(("sses", "xes", "ches", "shes")):
        return word[:-2]
    if word.endswith("s") and not word.endswith(("ss", "us", "is")):
        word = word[:-1]
    for suffix in ("ing", "ed"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            word = word[: -len(suffix)]
            if len(word) > 3 and word[-1] == word[-2] and word[-1] not in "aeiouls":
                word = word[:-1]  # stopped -> stop, planned -> plan
            break
    if word.endswith("e") and len(word) > 4:
        word = word[:-1]  # rate/rated/rating -> rat, all alike
    return word


@dataclass(frozen=True, slots=True)
class Features:
    """What the clusterer compares, for one article.

    Attributes:
        words: Content-word stems with counts (title counted twice).
        names: Entity terms with counts: name words, multi-word names joined by ``_``,
            acronyms, numbers (``#6.1``, ``#2013``) and month-day dates (``@5-3`` for May 3).
        lead: The text embedded for the meaning view.
        day: Days since 1970-01-01 of ``published`` (``None`` when undated or unreadable).
    """

    words: Mapping[str, int]
    names: Mapping[str, int]
    lead: str
    day: int | None


def _headline_case(line: str) -> bool:
    """Whether a line is a headline-case title, where capitals say nothing of names.

    Such a line capitalises most of its words and, unlike a sentence full of names, does not
    end as a sentence does.
    """
    if line.rstrip().endswith((".", "!", "?", '"', "”", "'", "’")):
        return False
    words = [w for w in re.findall(r"[^\W\d_]+", line) if w.lower() not in _STOP]
    if len(words) < 3:
        return False
    caps = sum(1 for w in words if w[0].isupper())
    return caps >= 0.75 * len(words)


def _number(token: str) -> str | None:
    value = token.replace(",", "").rstrip(".")
    if not value.startswith("0."):
        value = value.lstrip("0") or "0"
    # Single digits are everywhere (lists, ages, counts) and say nothing of an event.
    if len(value) < 2:
        return None
    return "#" + value


def _read(
    text: str,
    known: set[str] | None = None,
    weight: int = 1,
    words: Counter[str] | None = None,
    names: Counter[str] | None = None,
) -> set[str]:
    """Read ``text`` once; return the words it capitalises mid-sentence (sure names).

    Called twice per article: first with no counters, to learn which words the article
    capitalises where capitals mean a name (mid-sentence, outside headline-case lines); then
    with ``known`` (that set) and counters, where such a word also counts as a name at a
    sentence start or in a headline. Counts ``weight`` per occurrence.
    """
    confirmed: set[str] = set()
    for line in text.split("\n"):
        headline = _headline_case(line)
        prev_end = 0
        run: list[str] = []
        prev_month: int | None = None
        for k, m in enumerate(_TOKEN.finditer(line)):
            tok = m.group()
            gap = line[prev_end : m.start()]
            prev_end = m.end()
            initial = k == 0 or bool(_INITIAL_GAP.search(gap))
            low = tok.lower()
            if low.endswith(("'s", "’s")):
                low = low[:-2]  # possessive: "Reid's" names Reid
            is_name = False
            if low in _TITLES:
                pass  # "Mayor Ilse Graven" and "Ilse Graven, the mayor" name the same person
            elif tok[0].isupper() and low not in _NOT_NAMES and len(low) > 1:
                if not initial and not headline:
                    confirmed.add(low)
                    is_name = True
                elif known is not None and (low in known or tok.isupper()):
                    is_name = True  # a confirmed name, or an acronym
            if words is not None and names is not None:
                if tok[0].isdigit():
                    num = _number(tok)
                    if num is not None:
                        names[num] += weight
                    if (
                        prev_month is not None
                        and not gap.strip()
                        and tok.isdigit()
                        and len(tok) <= 2
                    ):
                        names[f"@{prev_month}-{int(tok)}"] += weight
                elif low not in _STOP and len(low) > 2:
                    words[_stem(low)] += weight
                if is_name and run and not gap.strip() and not initial:
                    run.append(low)
                else:
                    _flush(run, names, weight)
                    run = [low] if is_name else []
            prev_month = _MONTHS.get(low) if tok[0].isalpha() else None
        if names is not None:
            _flush(run, names, weight)
    return confirmed


def _flush(run: list[str], names: Counter[str], weight: int) -> None:
    """Count a run of name words: each word, and the whole name when it has several."""
    if not run:
        return
    for w in run:
        names[w] += weight
    if len(run) > 1:
        names["_".join(run)] += weight
    run.clear()


def _day(published: str | None) -> int | None:
    """Return the day number of an ISO 8601 date or timestamp (``None`` if unreadable)."""
    ts = published_timestamp(published)
    return None if ts is None else math.floor(ts / 86_400)


def _lead(title: str | None, text: str) -> str:
    body = text.strip()
    if len(body) > LEAD_CHARS:
        cut = body[:LEAD_CHARS]
        end = max(cut.rfind(". "), cut.rfind("\n"))
        body = cut[: end + 1] if end > LEAD_CHARS // 3 else cut
    return f"{title.strip()}\n{body}" if title and title.strip() else body


@functools.lru_cache(maxsize=8192)
def _text_features(title: str | None, text: str) -> tuple[dict[str, int], dict[str, int], str]:
    words: Counter[str] = Counter()
    names: Counter[str] = Counter()
    # A headline counts twice: it names the event in the fewest words.
    parts = [(title, 2), (text, 1)] if title else [(text, 1)]
    known: set[str] = set()
    for part, _ in parts:
        known |= _read(part or "")
    for part, weight in parts:
        _read(part or "", known, weight, words, names)
    return dict(words), dict(names), _lead(title, text)


def article_features(article: Article) -> Features:
    """Return the features the clusterer compares for ``article`` (cached by content)."""
    words, names, lead = _text_features(article.title, article.text)
    # Read-only views: the dictionaries are shared with the cache.
    return Features(
        words=MappingProxyType(words),
        names=MappingProxyType(names),
        lead=lead,
        day=_day(article.published),
    )


def article_terms(article: Article, limit: int = 20) -> list[str]:
    """Return the terms an inverted index should key ``article`` by, best first.

    These are its names and numbers (``Features.names``): the terms two reports of one event
    share and two events of one kind do not. Without corpus frequencies (which would make the
    keys depend on what was indexed before), a term scores by its count (sublinear) and its
    length: multi-word names and long names are rarer than short words. Ties break
    alphabetically, so the list is a pure function of the article.

    Args:
        article: The article (title counted twice).
        limit: How many terms to return.
    """
    return name_terms(article_features(article).names, limit)


def name_terms(names: Mapping[str, int], limit: int = 20) -> list[str]:
    """``article_terms`` of an article whose ``Features.names`` are ``names``."""
    scored = []
    for term, n in names.items():
        if term.startswith("#") and len(term) < 4:
            continue  # two-digit numbers: too common to find candidates by
        length = min(len(term), 12) / 6.0
        scored.append((-(1.0 + math.log(n)) * length, term))
    scored.sort()
    return [t for _, t in scored[:limit]]


@dataclass(frozen=True, slots=True)
class Frequencies:
    """Document frequencies of a batch's word stems and names, and its size: IDF as over the
    batch when ``synoptic.cluster`` clusters a part of it (``stories.blocks``' components)."""

    words: Mapping[str, int]
    names: Mapping[str, int]
    documents: int

    @classmethod
    def of(cls, articles: Sequence[Article | Features]) -> Frequencies:
        """Count the frequencies over ``articles`` (or their features, read once already)."""
        feats = [a if isinstance(a, Features) else article_features(a) for a in articles]
        count = Counter  # each article counts a term once: its bags' keys are unique
        return cls(
            count(t for f in feats for t in f.words),
            count(t for f in feats for t in f.names),
            len(feats),
        )
