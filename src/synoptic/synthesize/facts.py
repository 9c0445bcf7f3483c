"""Facts: what at least two independent outlets report, in its clearest verbatim wording.

Each alignment group (``synthesize.align``) supported by ``min_support`` or more independent
outlets (a wire copy and its original count once, near-copies too: ``align.outlets``) becomes
one fact:

* its text is one member sentence, verbatim: the clearest wording (``clarity``), which favours a
  complete statement (a verb, terminal punctuation, a capital start, a normal length), penalises
  hedges ("reportedly", "may"), an opening pronoun, a dateline or a question, and rewards the
  member most like the others (the group's medoid, which sets a garbled machine translation
  aside) and the one naming the most entities and figures;
* its spans cite the aligned sentence in every supporting article, the chosen wording's span
  first (``Cited.sources`` lists every supporting article; ``support`` counts them once per
  independent outlet).

With ``strict`` (the default) two kinds of error seen on real wire copy are kept out:

* **pieces of sentences** (``is_piece``) are never a fact's wording: a sentence split inside a
  multi-sentence quote (``"We will not be silenced.`` / ``We will fight on," his wife said.``:
  its quote marks do not pair up), or cut at the agency dash (``PHNOM PENH, Cambodia (AP) _``,
  ``... rejected the result _``: it ends or starts with the dash, or starts lower-case);
* **another event's sentence** is not support (``same_event``): a member less like the chosen
  wording than ``SUPPORT_COSINE`` (alignment groups sentences alike *on average*, so "Lohan
  checks out of Betty Ford" can sit in the group of "Lohan checked into Betty Ford"), whose
  sentence names years and none of the wording's ("In 1998 police arrested ..." against "In
  2008 ..."), where each names someone or somewhere the other does not (another participant,
  another place), or whose figures in one dimension all disagree with the wording's ("the
  44,000-pound module" against "the 40,000-pound module"), reports another event; it is left
  out of the citations and the support count, and such members make a fact of their own when
  two outlets carry them. On ECB+ (``bench/facts.py --topics 45``, its event annotation as the
  judge) right support goes from 0.815 to 0.890 on the odd topics the rules were chosen on and
  from 0.885 to 0.936 on the even ones, with as many facts as before (1,678 against 1,660).

Facts are sorted by support (most first), then by reading order (mean relative position of the
members in their articles).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

import numpy as np

from synoptic import lang
from synoptic.analyze.embed import Embedder
from synoptic.analyze.quantities import Quantity, intervals_overlap
from synoptic.analyze.units import CROSS_UNIT_TOLERANCE, base_unit, to_base
from synoptic.model import Cited, Sentence, Span, Story
from synoptic.synthesize.align import Group, Member, align, outlets

if TYPE_CHECKING:
    from synoptic.analyze.record import AnalyzedArticle

MIN_SUPPORT = 2
#: Least cosine between a supporting sentence and the fact's wording (``same_event``).
SUPPORT_COSINE = 0.7
# A fact must say something: at least this many words and a verb.
MIN_FACT_WORDS = 6

_WORD = re.compile(r"\w+(?:[’'-]\w+)*")
_END = re.compile(r"[.!?…]['\"”’)\]]*$")
_HEDGES = re.compile(
    r"\b(reportedly|allegedly|apparently|possibly|perhaps|maybe|may|might|could|"
    r"rumou?red|unconfirmed|believed|seems?|seemed|appears? to|likely|unclear|"
    r"is said to|are said to|it is thought)\b",
    re.IGNORECASE,
)
# A pronoun opening the sentence proper; inside an opening quote mark it is the speaker's own
# ("“We will not...”") and reads fine.
_PRONOUN_START = re.compile(
    r"^\(?(he|she|it|they|this|that|these|those|his|her|its|their|him|them)\b", re.IGNORECASE
)
# "And", "But", "Meanwhile": the sentence leans on the one before it.
_LEANS_BACK = re.compile(r"^(and|but|or|so|yet|also|meanwhile|however|instead|still)\b", re.I)
# A wire dateline before the sentence proper ("KELLEN (MPA) –", "PHNOM PENH, Cambodia (AP) _ ",
# "WASHINGTON _ ", "GENEVA, Jan 10 (Reuters) - "): a place in capitals, an optional place or
# date after a comma, an optional agency, then a dash.
DATELINE = re.compile(
    r"^[A-Z][A-Z.'’-]+(?:\s+[A-Z][A-Z.'’-]*)*"
    r"(?:,\s*[^_–—()\n]{1,40}?)?\s*(?:\([^)\n]{1,30}\))?\s*(?:_|--|–|—|-)\s+(?=\S)"
)


_DASH_END = re.compile(r"(?:\s_|\s--|\s[–—-])\s*$")
_DASH_START = re.compile(r"^\s*(?:_|--|[–—])\s")
# Day and month names are dates, not participants ("late on Sunday" / "overnight into Monday"
# tell one flood); a sentence read without a parse counts every capitalised word a name.
_CALENDAR = frozenset(lang.mapping("weekdays")) | frozenset(lang.mapping("months"))
_YEAR = re.compile(r"(?<![\d.,/:-])(?:1[89]|20)\d\d(?![\d.,/:-]?\d)")


def is_piece(text: str) -> bool:
    """Whether ``text`` is a piece of a sentence rather than a whole one.

    A piece opens lower-case, starts or ends with an agency dash (" _ ", "--", an en or em
    dash), or has quote marks that do not pair up: curly marks counted apart, wire marks
    (````...''``) counted apart, straight double marks an odd number of times.
    """
    body = text.strip()
    if not body:
        return True
    if _DASH_END.search(body) or _DASH_START.match(body):
        return True
    first = body.lstrip("\"“‘'„(`[")[:1]
    if first.islower():
        return True
    wire_open, wire_close = body.count("``"), body.count("''")
    if wire_open != wire_close:
        return True
    if body.count("“") != body.count("”"):
        return True
    return body.replace("''", "").count('"') % 2 == 1


#: A sentence's figures, by (article id, sentence start): ``sentence_figures``.
Figures = Mapping[tuple[str, int], Sequence[Quantity]]


def sentence_figures(
    analyses: Mapping[str, AnalyzedArticle],
) -> dict[tuple[str, int], list[Quantity]]:
    """Each sentence's figures with a unit (``Quantity``), by (article id, sentence start)."""
    out: dict[tuple[str, int], list[Quantity]] = {}
    for aid, rec in analyses.items():
        starts = [s.start for s in rec.sentences]
        for q in rec.quantities:
            i = bisect_right(starts, q.start) - 1
            if q.unit and i >= 0 and not q.hedged:
                out.setdefault((aid, starts[i]), []).append(q)
    return out


def _compatible(a: Quantity, b: Quantity) -> bool:
    """Whether two figures' intervals overlap (across units, allowing for rounding)."""
    _, alo, ahi = to_base(a.unit or "", a.value, a.low, a.high)
    _, blo, bhi = to_base(b.unit or "", b.value, b.low, b.high)
    t = 0.0 if a.unit == b.unit else CROSS_UNIT_TOLERANCE
    return intervals_overlap((alo * (1 - t), ahi * (1 + t)), (blo * (1 - t), bhi * (1 + t)))


def figures_disagree(a: Sequence[Quantity], b: Sequence[Quantity]) -> bool:
    """Whether two sentences give figures in one dimension none of which agree ("the
    44,000-pound module" / "the module weighs 40,000 pounds"): not one report of one thing."""
    for unit in {base_unit(q.unit or "") for q in a} & {base_unit(q.unit or "") for q in b}:
        xs = [q for q in a if base_unit(q.unit or "") == unit]
        ys = [q for q in b if base_unit(q.unit or "") == unit]
        if not any(_compatible(x, y) for x in xs for y in ys):
            return True
    return False


def same_event(member: Member, chosen: Member, figures: Figures | None = None) -> bool:
    """Whether ``member`` can support ``chosen``: the same event's anchors agree.

    Its embedding is at least ``SUPPORT_COSINE`` like the chosen wording's (a group's members
    are alike on average, and a chain of alike sentences can end far from the wording); they do
    not name years with none in common; each does not name someone or something the other
    lacks ("Lohan checks out of Betty Ford" / "Lohan left Newport Beach for Malibu": a
    participant or a place of another event; a name on one side only, "according to
    Reuters", is an added detail); and their figures in one dimension agree (``figures``:
    ``sentence_figures``).
    """
    if member is chosen:
        return True
    if float(member.vector @ chosen.vector) < SUPPORT_COSINE:
        return False
    a = set(_YEAR.findall(member.sentence.text))
    b = set(_YEAR.findall(chosen.sentence.text))
    if a and b and not a & b:
        return False
    ea, eb = member.entities - _CALENDAR, chosen.entities - _CALENDAR
    if ea - eb and eb - ea:
        return False
    if figures is None:
        return True
    mine = figures.get((member.sentence.article, member.sentence.start), ())
    theirs = figures.get((chosen.sentence.article, chosen.sentence.start), ())
    return not (mine and theirs and figures_disagree(mine, theirs))


def word_count(text: str) -> int:
    """Count words (as the summary budget does)."""
    return len(_WORD.findall(text))


def starts_badly(text: str) -> bool:
    """Whether a sentence opens lower-case or with a pronoun a reader cannot resolve."""
    first = text.lstrip("\"“‘'„([")[:1]
    return first.islower() or bool(_PRONOUN_START.match(text))


def clarity(member: Member, group: Group) -> float:
    """Score how clearly and completely ``member`` states its group's report (higher is better)."""
    text = member.sentence.text
    words = word_count(text)
    score = 0.0
    # Length: full marks from 10 to 40 words; short fragments and run-ons read worse.
    if words < 10:
        score -= 0.05 * (10 - words)
    elif words > 40:
        score -= 0.02 * (words - 40)
    if not member.has_verb:
        score -= 1.0
    if not _END.search(text.rstrip()):
        score -= 0.4
    if text.rstrip().rstrip("\"”’'").endswith("?"):
        score -= 1.0
    if starts_badly(text):
        score -= 0.5
    if DATELINE.match(text):
        score -= 0.3
    if _LEANS_BACK.match(text.lstrip("\"“‘'„(")):
        score -= 0.25
    score -= 0.2 * len(_HEDGES.findall(text))
    score += 0.05 * min(6, len(member.entities) + len(member.numbers))
    others = [m for m in group.members if m is not member and m.outlet != member.outlet]
    if others:
        score += 0.5 * float(np.mean([float(member.vector @ m.vector) for m in others]))
    return score


def best_member(group: Group, *, originals_first: bool = True, whole: bool = False) -> Member:
    """Return the member whose wording states the group's report best.

    Wire copies give the same text as their original; the original's sentence is preferred so
    that the cited wording comes from the first-published report. With ``whole``, pieces of
    sentences (``is_piece``) come after every whole sentence.
    """

    def key(m: Member) -> tuple[bool, bool, float, float]:
        copy = originals_first and m.outlet != m.sentence.article
        return (not (whole and is_piece(m.sentence.text)), not copy, clarity(m, group), -m.position)

    return max(group.members, key=key)


def _split(group: Group, chosen: Member, figures: Figures | None) -> tuple[Group, Group | None]:
    """The members that report ``chosen``'s event, and the rest (``None`` when none)."""
    same = [m is chosen or same_event(m, chosen, figures) for m in group.members]
    if all(same):
        return group, None
    kept = tuple(m for m, ok in zip(group.members, same, strict=True) if ok)
    rest = tuple(m for m, ok in zip(group.members, same, strict=True) if not ok)
    return Group(kept, group.cohesion, group.outside), Group(rest, group.cohesion, group.outside)


def cite_group(group: Group, chosen: Member) -> Cited:
    """Return ``chosen``'s text citing every member's sentence, ``chosen``'s span first."""
    spans = [chosen.sentence.span] + [
        Span(m.sentence.article, m.sentence.start, m.sentence.end)
        for m in group.members
        if m is not chosen
    ]
    return Cited(text=chosen.sentence.text, spans=tuple(spans))


def support(cited: Cited, story: Story, outlet_of: Mapping[str, str] | None = None) -> int:
    """Count the independent outlets among ``cited``'s sources (wire copies count once).

    ``outlet_of`` is ``outlets(story)`` when the caller has it (a brief counts every fact).
    """
    outlet_of = outlets(story) if outlet_of is None else outlet_of
    return len({outlet_of.get(art_id, art_id) for art_id in cited.sources})


def fact_groups(
    groups: Sequence[Group],
    *,
    min_support: int = MIN_SUPPORT,
    strict: bool = False,
    figures: Figures | None = None,
) -> list[Group]:
    """Return the groups that make facts, sorted by support then reading order.

    With ``strict``, a group needs a whole sentence (``is_piece``) that says something, and is
    returned without the members about another event (``same_event``, ``figures`` from
    ``sentence_figures``), its support counted again; those members are a group of their own
    (two outlets' "Lohan checks out" beside three outlets' "Lohan checks in").
    """
    keep = []
    todo = list(reversed(groups))
    while todo:
        g = todo.pop()
        if strict:
            if not any(not is_piece(m.sentence.text) for m in g.members):
                continue
            g, rest = _split(g, best_member(g, whole=True), figures)
            if rest is not None:
                todo.append(rest)
        if g.support >= min_support and any(
            m.has_verb
            and word_count(m.sentence.text) >= MIN_FACT_WORDS
            and not (strict and is_piece(m.sentence.text))
            for m in g.members
        ):
            keep.append(g)
    return sorted(keep, key=lambda g: (-g.support, g.position))


def build_facts(
    story: Story,
    sentences: Mapping[str, Sequence[Sentence]],
    analyses: Mapping[str, AnalyzedArticle] | None = None,
    *,
    groups: Sequence[Group] | None = None,
    embedder: Embedder | None = None,
    min_support: int = MIN_SUPPORT,
    strict: bool = True,
) -> tuple[Cited, ...]:
    """Return the facts of ``story``: reports carried by at least ``min_support`` outlets.

    Args:
        story: The story.
        sentences: Each article's sentences, by article id.
        analyses: Each article's analysis (used only when ``groups`` is not given).
        groups: The story's alignment (``align(...)``); computed when omitted.
        embedder: The embedder for computing the alignment.
        min_support: Independent outlets a fact needs.
        strict: Keep pieces of sentences and other events' sentences out (see the module
            docstring); ``False`` is the earlier method, kept for the benchmark's comparison.

    Returns:
        One ``Cited`` per fact: verbatim text of one member, spans in every supporting article.
    """
    if groups is None:
        groups = align(story, sentences, analyses, embedder=embedder)
    figures = sentence_figures(analyses) if analyses is not None and strict else None
    return tuple(
        cite_group(g, best_member(g, whole=strict))
        for g in fact_groups(groups, min_support=min_support, strict=strict, figures=figures)
    )


__all__ = [
    "MIN_SUPPORT",
    "best_member",
    "build_facts",
    "cite_group",
    "clarity",
    "fact_groups",
    "figures_disagree",
    "is_piece",
    "same_event",
    "sentence_figures",
    "starts_badly",
    "support",
]
