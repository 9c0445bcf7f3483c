"""Number extraction: candidates from the text, units and context from the parse, one record each.

``extract_quantities(article, doc)`` and ``rejected_numbers(article, doc)`` (see the package
docstring for what is read and what is left out).
"""

from __future__ import annotations

import dataclasses
import math
import re
from collections.abc import Iterator

from spacy.tokens import Doc, Token

from synoptic.analyze.nlp import parse_view
from synoptic.analyze.quantities.context import (
    context_stems,
    entity_stems,
    is_anaphoric,
    is_hedged,
    named_subject,
    previous_sentence,
    sentence_span,
    stem,
    topic_noun,
)
from synoptic.analyze.quantities.counted import (
    FoundUnit,
    counted_noun,
    next_noun,
    normalise_unit,
    parse_skip,
    unit_of,
)
from synoptic.analyze.quantities.parse import words_value
from synoptic.analyze.quantities.parsed import DocIndex
from synoptic.analyze.quantities.records import Quantity, RejectedNumber
from synoptic.analyze.quantities.scan import Candidate, interval, scan, text_skip
from synoptic.analyze.quantities.vocab import (
    APPROX_SUFFIX,
    KNOWN_UNITS,
    MEASURES,
    RELATIVE_TIME,
    SUFFIX_KIND,
    TIME_UNITS,
)
from synoptic.lang import mapping, words
from synoptic.model import Article


def _analyse(article: Article, doc: Doc) -> Iterator[Quantity | RejectedNumber]:
    index = DocIndex(doc)
    text = index.text
    # The parse reads the text's parse view (same length, long punctuation runs blanked).
    if article.text[: len(text)] != text and parse_view(article.text, len(text)) != text:
        raise ValueError(f"doc does not belong to article {article.id!r}")
    covered = 0
    pending: Quantity | None = None  # a figure without a unit, waiting for its partner's
    for cand in scan(text):
        if cand.core_start < covered:
            continue  # read into the figure before ("4 minutes 48 seconds")
        out = _finish(article, index, cand)
        if isinstance(out, Quantity):
            covered = out.end
            if pending is not None:
                # "the 7.6 and 7.5 magnitude quakes": both figures are magnitudes.
                shared = out.unit is not None and _UNIT_SHARED.fullmatch(
                    text, pending.end, out.start
                )
                yield (
                    dataclasses.replace(pending, unit=out.unit, head=out.head, about=out.about)
                    if shared
                    else pending
                )
                pending = None
            if out.unit is None:
                pending = out
                continue
        yield out
    if pending is not None:
        yield pending


def _reject(cand: Candidate, text: str, reason: str) -> RejectedNumber:
    return RejectedNumber(cand.start, cand.end, text[cand.start : cand.end], reason)


def _finish(article: Article, index: DocIndex, cand: Candidate) -> Quantity | RejectedNumber:
    """Attach unit and context to a candidate, or reject it with a reason."""
    doc, text = index.doc, index.text
    reason = cand.reject or text_skip(text, cand)
    if reason:
        return _reject(cand, text, reason)
    span = doc.char_span(cand.core_start, cand.core_end, alignment_mode="expand")
    if span is None or len(span) == 0:
        return _reject(cand, text, "not aligned with the parse")
    noun, last = (None, None) if cand.hyphen_unit else counted_noun(index, cand)
    last = last or span[-1]
    if cand.hyphen_adj and cand.text_unit is None:
        # "a 5,000-strong force": the counted thing is the noun the adjective modifies.
        adj_span = doc.char_span(cand.core_start, cand.end, alignment_mode="expand")
        if adj_span is not None and len(adj_span):
            noun = next_noun(doc, adj_span[-1].i, 3)
    reason = parse_skip(index, span, cand, noun)
    if reason:
        return _reject(cand, text, reason)
    found = unit_of(index, span, cand, noun, last)
    reason = _unit_skip(text, cand, found, noun)
    if reason:
        return _reject(cand, text, reason)
    unit, end = _extend(text, cand, found.unit, found.end)
    start = cand.start
    sent_span = sentence_span(index, last)
    end = min(end, sent_span[1]) if sent_span[0] <= start < sent_span[1] else end
    exclude = {stem(w) for w in re.findall(r"[A-Za-z]+", text[start:end])}
    if unit:
        exclude.add(stem(unit))
    context = context_stems(index.sent(last), start, end, exclude)
    about = found.about
    previous = previous_sentence(index, last) if is_anaphoric(last) else None
    if previous is not None:
        # "... the damage was far greater than the first estimate. 'We are at €300 million at
        # least,' he said.": what "we are at" measures is in the sentence before.
        context += tuple(
            w for w in context_stems(previous, start, end, exclude) if w not in context
        )
        if about is None and unit in MEASURES:
            about = topic_noun(previous)
    about_word = about.lemma_.lower() if about is not None else None
    return Quantity(
        article=article.id,
        start=start,
        end=end,
        text=text[start:end],
        value=float(cand.value),
        low=float(cand.low),
        high=float(cand.high),
        approx=cand.approx,
        unit=unit,
        head=found.head,
        sentence=sent_span,
        about=_ABOUT_SYNONYMS.get(about_word, about_word) if about_word else None,
        context=context,
        entities=entity_stems(index, index.sent(last), start, end, last),
        subject=named_subject(last, start, end),
        hedged=is_hedged(last),
        rising=_RISEN_TO.search(text, max(0, start - 30), start) is not None,
    )


def _unit_skip(text: str, cand: Candidate, found: FoundUnit, noun: Token | None) -> str | None:
    """Skip rules that need the unit: times, relative times, a bare "one", years, list parts."""
    unit = found.unit
    before = text[max(0, cand.start - 10) : cand.start]
    if unit in TIME_UNITS and re.search(r"\bat\s+$", before, re.I) and cand.approx == "exact":
        return "time of day"  # machine translation: "at four hours"
    if unit in TIME_UNITS and RELATIVE_TIME.match(text, found.end):
        return "relative time ('two years ago')"
    if cand.words and cand.value == 1 and unit not in KNOWN_UNITS:
        return "bare 'one' (a pronoun or determiner, not a figure)"
    if cand.year_like and unit is None:
        return "year"
    if noun is not None and _list_part(noun):
        return "part of a list of people ('two women and a man')"
    return None


def _extend(text: str, cand: Candidate, unit: str | None, end: int) -> tuple[str | None, int]:
    """Read what follows the unit: a smaller unit, an approximation, a rate; new unit and end."""
    if unit in _COMPOUND_PARTS:
        end = _compound_duration(text, cand, unit, end)
    if cand.approx == "exact":
        # Approximations after the counted noun: "40 people at least", "100 people or more".
        sfx = APPROX_SUFFIX.match(text, end)
        w = sfx.group("w") if sfx else None
        if sfx and w and w.lower().startswith(("at ", "or ")):
            kind = SUFFIX_KIND[re.sub(r"\s+", " ", w.lower())]
            cand.low, cand.high, cand.approx = interval(kind, cand.value, cand.low, cand.high)
            end = sfx.end()
    rate = _RATE.match(text, end) if unit and " per " not in unit and unit not in _SPEEDS else None
    if rate:
        # "$4 million a year", "10 people a day": a rate, not a total.
        unit, end = f"{unit} per {rate.group('per').lower()}", rate.end()
    return unit, end


_UNIT_SHARED = re.compile(r"\s*(?:,|and|or|&)\s*")


_RISEN_TO = re.compile(
    r"\b(?:ris(?:en|es|ing)|rose|climb(?:s|ed|ing)?|jump(?:s|ed)?|increas(?:es|ed|ing)|"
    r"grow(?:s|n)|grew|reach(?:es|ed)?|now\s+stands?\s+at|stood\s+at)\s+(?:to\s+)?$",
    re.IGNORECASE,
)


_LIST_PEOPLE = words("list_people_nouns")


def _list_part(noun: Token) -> bool:
    """Whether ``noun`` is one part of a list of people ("two women and a man", "a man and two
    women"): each part counts some of the victims, not all of them."""
    if noun.lemma_.lower() not in _LIST_PEOPLE:
        return False
    partners = [c for c in noun.children if c.dep_ == "conj"]
    if noun.dep_ == "conj":
        partners.append(noun.head)
    return any(p.lemma_.lower() in _LIST_PEOPLE for p in partners)


_COMPOUND_PARTS = {k: float(v) for k, v in mapping("compound_unit_parts").items()}


_SPEEDS = words("speed_units")


_RATE = re.compile(
    r"\s+(?:a|an|per|each|every)\s+(?P<per>year|month|week|day|hour|minute|game|season|"
    r"match|person|head|capita|share|barrel|gallon|litre|liter)\b",
    re.IGNORECASE,
)


def _compound_duration(text: str, cand: Candidate, unit: str, end: int) -> int:
    """Fold a smaller unit into the figure: "4 minutes 48 seconds" is 4.8 minutes, "5 feet 8
    inches" is 5.67 feet.

    Updates ``cand`` (value and interval) and returns the new phrase end.
    """
    m = re.match(
        r"(?:\s*[,-]\s*|\s+)(?:and\s+)?(?P<n>\d{1,2}|[a-z]+(?:-[a-z]+)?)\s+"
        r"(?P<u>hours?|hrs?|minutes?|mins?|seconds?|secs?|inch(?:es)?|in\.)(?!\w)",
        text[end : end + 40],
        re.I,
    )
    if not m and unit == "foot":
        # "5-foot-8": a height in feet and inches.
        h = re.match(r"\s?-\s?(?P<n>\d{1,2})(?![\w.,]?\d)(?!\s?-)", text[end : end + 8])
        if h and int(h.group("n")) < 12:
            cand.value += int(h.group("n")) / 12
            cand.low, cand.high = cand.value, max(cand.high, cand.value)
            return end + h.end()
    if not m:
        return end
    n_text = m.group("n").lower()
    if n_text.isdigit():
        n = float(n_text)
    else:
        parsed = words_value(re.split(r"[\s-]+", n_text))
        if parsed is None:
            return end
        n = parsed[0]
    small = normalise_unit(m.group("u").lower().rstrip("."))
    small = "inch" if small == "in" else small
    size = _COMPOUND_PARTS
    same_kind = (small in ("foot", "inch")) == (unit in ("foot", "inch"))
    if small not in size or not same_kind or size[small] >= size[unit]:
        return end
    extra = n * size[small] / size[unit]
    cand.value += extra
    cand.low += extra
    if math.isfinite(cand.high):
        cand.high += extra
    return end + m.end()


# One name for the main shock ("quake", "tremor", "temblor" are all "earthquake"); aftershocks
# stay apart: "a 6.1 earthquake" and "a 5.2 aftershock" are different things.
_ABOUT_SYNONYMS = mapping("about_synonyms")


def extract_quantities(article: Article, doc: Doc) -> tuple[Quantity, ...]:
    """Return the figures ``article`` gives, in text order.

    Args:
        article: The article; spans index into ``article.text``.
        doc: Its parse from ``Analyzer().parse`` (the text of ``doc`` must be ``article.text``
            or a prefix of it, as for long texts cut at ``nlp.MAX_CHARS``).

    Returns:
        One ``Quantity`` per figure. Numbers that are not measured quantities (years, dates,
        ordinals, labels, names...) are left out; ``rejected_numbers`` says why.

    Raises:
        ValueError: ``doc`` was parsed from another text.
    """
    return tuple(q for q in _analyse(article, doc) if isinstance(q, Quantity))


def rejected_numbers(article: Article, doc: Doc) -> tuple[RejectedNumber, ...]:
    """Return the numbers ``extract_quantities`` leaves out, each with its reason."""
    return tuple(q for q in _analyse(article, doc) if isinstance(q, RejectedNumber))
