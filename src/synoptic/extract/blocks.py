"""The context classifier over text blocks (after jusText, Pomikálek 2011; Finn et al.'s BTE).

Each block (a line, or lines re-joined into one paragraph) is rated by length, stopword
density and sentence punctuation (plain text has no link density, and sentence punctuation is
its best stand-in: menus, tag lists and teaser rails lack it); runs of short unpunctuated lines
are navigation; prose paragraphs side by side support each other; short and doubtful blocks
take the class of their neighbours; finally the densest stretch of kept text is the article.
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Sequence
from dataclasses import dataclass, field

from synoptic.extract.lines import SEPARATORS, is_terminal

_JUSTEXT_LANGUAGES = {
    "en": "English", "de": "German", "fr": "French", "es": "Spanish", "it": "Italian",
    "pt": "Portuguese", "nl": "Dutch", "ru": "Russian", "pl": "Polish", "sv": "Swedish",
    "da": "Danish", "no": "Norwegian_Bokmal", "nb": "Norwegian_Bokmal", "fi": "Finnish",
    "cs": "Czech", "sk": "Slovak", "hu": "Hungarian", "ro": "Romanian", "tr": "Turkish",
    "uk": "Ukrainian", "el": "Greek", "id": "Indonesian", "ca": "Catalan", "hr": "Croatian",
    "sr": "Serbian", "bg": "Bulgarian", "sl": "Slovenian", "lt": "Lithuanian", "lv": "Latvian",
    "et": "Estonian", "vi": "Vietnamese", "ms": "Malay", "tl": "Tagalog", "sw": "Swahili",
}  # fmt: skip


@functools.lru_cache(maxsize=16)
def _stoplist(language: str) -> frozenset[str]:
    """Return jusText's stoplist for ``language`` (an ISO 639-1 code), empty if it has none."""
    name = _JUSTEXT_LANGUAGES.get(language)
    if name is None:
        return frozenset()
    try:
        import justext

        return frozenset(w.casefold() for w in justext.get_stoplist(name))
    except (ImportError, ValueError):
        return frozenset()


def choose_stoplist(units: Sequence[Unit]) -> frozenset[str]:
    """English unless the text is clearly in another language (few English stopwords)."""
    english = _stoplist("en")
    words = [w.casefold() for u in itertools.islice(units, 400) for w in u.words][:3000]
    if len(words) < 30 or sum(w in english for w in words) / len(words) >= 0.15:
        return english
    try:
        import py3langid

        language, _ = py3langid.classify(" ".join(words))
    except Exception:  # language id is a refinement: keep English if it is unavailable
        return english
    return _stoplist(str(language)) or frozenset()


# jusText's defaults (Pomikálek 2011), which were fitted on web pages of many languages.
LENGTH_LOW = 70
_LENGTH_HIGH = 200
_STOPWORDS_LOW = 0.30
_STOPWORDS_HIGH = 0.32
_STOPWORDS_PROSE = 0.15  # below jusText's low bar, but enough for a sentence of names/figures
_MAX_HEADING_DISTANCE = 200


@dataclass(slots=True)
class Unit:
    """One line of input, or several that a scraper broke out of one paragraph."""

    raw: list[str]
    text: str
    lines: list[int] = field(default_factory=list)  # input line indices
    reason: str | None = None
    cls: str = ""  # context-free class: good, neargood, short, bad
    final: str = ""  # class after the context pass
    words: list[str] = field(default_factory=list)


def headline_like(unit: Unit) -> bool:
    """Short, capitalised, without a closing period: how headlines and subheadings look.

    A question or exclamation is a headline only in title case ("Can Talks Still Succeed?");
    otherwise it is a sentence of the text.
    """
    text = unit.text
    n = len(unit.words)
    if not 2 <= n <= 30 or len(text) > 220 or len(SEPARATORS.findall(text)) >= 2:
        return False
    end = text.rstrip("\"'”’»)]")[-1:]
    if end in (".", ",", ";", ":", "…"):
        return False
    if end in ("?", "!"):
        long_words = [w for w in unit.words if len(w) >= 4]
        capitalised = sum(w[0].isupper() for w in long_words)
        if not long_words or capitalised < 0.6 * len(long_words):
            return False
    first = next((ch for ch in text if ch.isalnum()), "")
    return bool(first) and (first.isupper() or first.isdigit())


def sentence_like(unit: Unit, stop: frozenset[str]) -> bool:
    """A sentence: four words or more, ending a sentence, not all names and figures."""
    n = len(unit.words)
    if n < 4 or not is_terminal(unit.text):
        return False
    return not stop or _density(unit, stop) >= 0.2


def context_free(unit: Unit, stop: frozenset[str], repeated: bool) -> str:
    """jusText's context-free class, with sentence punctuation standing in for link density."""
    text = unit.text
    n = len(unit.words)
    density = _density(unit, stop)
    terminal = is_terminal(text)
    if not terminal and len(SEPARATORS.findall(text)) >= 2:
        return "bad"  # "Home | World | Business": a menu flattened into a line
    if repeated and not terminal:
        return "bad"  # the same short label twice on a page is template text
    if len(text) < LENGTH_LOW:
        return "neargood" if sentence_like(unit, stop) else "short"
    if not terminal:
        # A long line without sentence punctuation is a teaser headline or a list of links,
        # unless it is long and wordy enough to be prose whose end the scraper cut off.
        if n <= _LINK_WORDS:
            return "short"
        return "neargood" if density >= _STOPWORDS_LOW or not stop else "bad"
    if not stop:
        return "good" if len(text) > _LENGTH_HIGH else "neargood"
    if density >= _STOPWORDS_HIGH and len(text) > _LENGTH_HIGH:
        return "good"
    if density >= _STOPWORDS_LOW:
        return "neargood"
    if n >= 10 and density >= _STOPWORDS_PROSE:
        # Results, figures and names ("Nadal beat Khachanov 6-3, 7-6") lower the share of
        # stopwords, but a long punctuated sentence is not a menu: let the context decide.
        return "neargood"
    # A punctuated line with few stopwords: a terse sentence between paragraphs, or boilerplate
    # among menus; its neighbours tell which.
    return "short"


def _density(unit: Unit, stop: frozenset[str]) -> float:
    """The share of stopwords among the unit's words (numbers do not count as words)."""
    if not stop:
        return 0.0
    words = [w for w in unit.words if not w.isdigit()]
    return sum(w.casefold() in stop for w in words) / len(words) if words else 0.0


_NAV_RUN = 3  # this many link-like lines in a row are a menu, a tag list or a rail
_LINK_WORDS = 15  # the most words of a menu item, tag or teaser headline


def _link_like(unit: Unit) -> bool:
    """A short line without sentence punctuation: a menu item, tag or teaser headline."""
    return len(unit.words) <= _LINK_WORDS and len(unit.text) < 120 and not is_terminal(unit.text)


def mark_runs(units: Sequence[Unit]) -> None:
    """Class runs of link-like lines as bad (navigation), unless a colon introduced them.

    jusText finds menus by their link density; plain text has no links, but a menu, a tag
    list or a "Related" rail still shows as several short lines in a row none of which is a
    sentence. A list that the previous paragraph introduces with a colon is article text.
    """
    i = 0
    while i < len(units):
        if not _link_like(units[i]):
            i += 1
            continue
        j = i
        while j < len(units) and _link_like(units[j]):
            j += 1
        introduced = i > 0 and units[i - 1].text.endswith(":")
        if j - i >= _NAV_RUN and not introduced:
            for u in units[i:j]:
                u.cls = "bad"
        i = j


def promote_prose(units: Sequence[Unit]) -> None:
    """Class a near-good unit next to other prose as good.

    jusText needs one block over 200 characters to anchor the context; a page of short prose
    paragraphs (wire copy, plain-text feeds) has none. Two prose paragraphs side by side
    (only short lines between) are article text more surely than either alone.
    """
    prose = [i for i, u in enumerate(units) if u.cls in ("good", "neargood")]
    promote: set[int] = set()
    for a, b in itertools.pairwise(prose):
        between = units[a + 1 : b]
        if len(between) <= 2 and all(u.cls == "short" for u in between):
            promote.update((a, b))
    for i in promote:
        units[i].cls = "good"


def main_span(units: Sequence[Unit]) -> None:
    """Keep only the densest stretch of text: drop kept islands far from the article.

    After Finn et al.'s Body Text Extraction: each kept unit scores its length, each unit
    judged navigation scores minus its length, and the stretch with the highest sum is the
    article. Footer disclaimers or sidebar blurbs beyond long runs of navigation fall out.
    """
    best, best_span = 0, (0, -1)
    total, start = 0, 0
    for i, u in enumerate(units):
        score = len(u.text) if u.final == "good" else -len(u.text)
        if total <= 0:
            total, start = 0, i
        total += score
        if total > best:
            best, best_span = total, (start, i)
    lo, hi = best_span
    for i, u in enumerate(units):
        if u.final == "good" and not lo <= i <= hi:
            u.final = "bad"


def _neighbours(classes: Sequence[str], ignore_neargood: bool) -> tuple[list[str], list[str]]:
    """For each unit, the nearest good/bad class before and after it ("edge" at the ends).

    Short units are always skipped, near-good ones when ``ignore_neargood``; computed in two
    linear passes so that long menus cost no more than short ones.
    """
    stops = ("good", "bad") if ignore_neargood else ("good", "bad", "neargood")
    prev: list[str] = []
    last = "edge"
    for c in classes:
        prev.append(last)
        if c in stops:
            last = c
    nxt: list[str] = []
    last = "edge"
    for c in reversed(classes):
        nxt.append(last)
        if c in stops:
            last = c
    nxt.reverse()
    return prev, nxt


def classify_context(units: list[Unit]) -> None:
    """jusText's context pass over the candidate units (sets ``final``)."""
    for u in units:
        u.final = u.cls
    # Headings: a short headline-like unit shortly before good text is probably its heading.
    for i, u in enumerate(units):
        if u.final != "short" or not headline_like(u):
            continue
        distance = 0
        for j in range(i + 1, len(units)):
            if units[j].cls == "good":
                u.final = "neargood"
                break
            distance += len(units[j].text)
            if distance > _MAX_HEADING_DISTANCE:
                break
    # Short units take the class of their neighbours (both good: good; else bad, unless a
    # near-good unit stands right beside them on the bad side). Where jusText counts the
    # page's edge as bad, here an edge only passes on its other neighbour's class: in plain
    # text the article often ends with a short line ("He was 95."), and on a full page
    # the edges hold menus and footers, which are judged bad by themselves.
    classes = [u.final for u in units]
    prev, nxt = _neighbours(classes, ignore_neargood=True)
    prev_near, next_near = _neighbours(classes, ignore_neargood=False)
    for i, u in enumerate(units):
        if classes[i] != "short":
            continue
        if prev[i] == "edge" or nxt[i] == "edge":
            side = nxt[i] if prev[i] == "edge" else prev[i]
            u.final = "good" if side == "good" else "bad"
        elif prev[i] == nxt[i]:
            u.final = prev[i]
        elif (prev[i] == "bad" and prev_near[i] == "neargood") or (
            nxt[i] == "bad" and next_near[i] == "neargood"
        ):
            u.final = "good"
        else:
            u.final = "bad"
    # Near-good units are good unless bad text lies on both sides.
    classes = [u.final for u in units]
    prev, nxt = _neighbours(classes, ignore_neargood=True)
    for i, u in enumerate(units):
        if classes[i] == "neargood":
            u.final = "bad" if {prev[i], nxt[i]} <= {"bad", "edge"} else "good"
