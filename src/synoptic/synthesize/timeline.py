"""The story's timeline: one dated event per thing that happened (or is due to happen).

Input is the resolved date mentions of every article of a story (``analyze.dates``); output is
``TimelineEvent`` values, each quoting one source sentence verbatim and citing the sentence in
every article that reports the same event. Steps:

1. keep the mentions that resolved to a date and whose sentence says something besides the
   date (at least ``MIN_TERMS`` content words outside the date phrase), which drops datelines
   ("Updated January 11th, 2022 at 12:23 IST") and copyright lines; a sentence that resolves
   to ``SERIES_DATES`` or more dates is a series (yearly figures, targets, a schedule: "a
   surplus of 2.6 percent in 1999, 2.8 percent in 2000 and 3 percent in 2001"), not an event,
   and is left out rather than listed once per date;
2. timeline dates: a day, month or year as resolved; a week ("next week") is shown under the
   month holding that week's Thursday (the ISO week rule), since the contract has no week form;
3. within one date, group the sentences that report the same thing: a sentence joins the
   group holding its most similar sentence when that similarity (IDF-weighted overlap of
   content words, see ``analyze.dates.sentence_similarity``) reaches ``SAME_EVENT``; a
   sentence is listed under one date only (see below);
4. each group's text is its clearest sentence: the one most like the others in the group (it
   carries what the outlets agree on), preferring a complete reported sentence of reasonable
   length over a fragment, a quote or a run-on;
5. events are sorted by date (a coarser date before the finer ones it contains, "2022" before
   "2022-01" before "2022-01-10"), then by first appearance (article order, then position).

Which date a sentence is listed under (``select=True``, the default), because a sentence often
names dates that are not the date of the event it reports:

* a date written after a bound word (``lang/en/date_bound_words.txt``: "since 2019", "by 2001",
  "until", "before", "after", "from") bounds the event and dates none, so it is not used;
* of the dates left, one: the sentence is listed once, under the date of what it reports as
  having happened (a past or present reading before a future one), the finest first ("said on
  Monday the plant, opened in 1998, would ..." is Monday's), then the first written. A
  schedule in one sentence ("a session on Wednesday and a meeting in Vienna on Thursday") is
  listed under its first day only: a reader finds the rest in the sentence;
* an entry is ``planned`` (a plan, a forecast, a target, a schedule) when its clause is in the
  future tense or its date lies after the day the report was written (the article's anchor):
  "talks are planned for Wednesday" is listed on that Wednesday, marked as planned. A group is
  planned only when every sentence in it is: one outlet reporting that it happened wins.

``select=False`` is the previous method, kept for the benchmark's side-by-side run: every
resolved date of a sentence listed, nothing marked as planned.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from synoptic.analyze.dates import DateMention, TermWeights, content_terms, sentence_similarity
from synoptic.lang import words
from synoptic.model import Article, Span, TimelineEvent

# Sentences this similar (same date) report the same event.
SAME_EVENT = 0.25
# A sentence needs this many content words besides its date phrase to describe an event.
MIN_TERMS = 4
# A sentence dating this many different dates lists a series, not an event.
SERIES_DATES = 3
# Sentence lengths (words) read as complete and clear.
CLEAR_WORDS = (8, 45)

_WORD = re.compile(r"\w+(?:[’'-]\w+)*")
_BOUND_WORDS = words("date_bound_words")
_RESCHEDULE = tuple(sorted(words("reschedule_verbs")))
_PRECISION_RANK = {"day": 0, "week": 1, "month": 2, "year": 3}
_QUOTED = re.compile(r"[“\"«„][^”\"»“]*[”\"»“]")


def timeline_date(mention: DateMention) -> str | None:
    """Return the contract form of a mention's date (a week becomes its Thursday's month)."""
    if mention.date is None:
        return None
    if mention.precision == "week":
        thursday = dt.date.fromisoformat(mention.date) + dt.timedelta(days=3)
        return f"{thursday.year:04d}-{thursday.month:02d}"
    return mention.date


@dataclass(slots=True)
class _Item:
    order: tuple[int, int]  # (article position, sentence start): first appearance
    span: Span
    text: str
    terms: frozenset[str]
    planned: bool = False


def is_bound(mention: DateMention, text: str) -> bool:
    """Whether the phrase bounds its event ("since 2019", "by 2001") rather than dating it."""
    phrase = re.findall(r"[\w’']+", mention.text.lower())
    before = re.findall(r"[\w’']+", text[max(0, mention.start - 40) : mention.start].lower())
    if phrase and phrase[0] in _BOUND_WORDS:
        lead = before
    elif before and before[-1] in _BOUND_WORDS:
        lead = before[:-1]
    else:
        return False
    # "delayed until October 2007", "pushed back to 2010": the event's new date.
    return not any(w.startswith(_RESCHEDULE) for w in lead[-2:])


def _first_day(date: str) -> dt.date:
    parts = [int(p) for p in date.split("-")] + [1, 1]
    return dt.date(parts[0], parts[1], parts[2])


def _last_day(date: str) -> dt.date:
    parts = [int(p) for p in date.split("-")]
    if len(parts) == 1:
        return dt.date(parts[0], 12, 31)
    if len(parts) == 2:
        following = dt.date(parts[0] + parts[1] // 12, parts[1] % 12 + 1, 1)
        return following - dt.timedelta(days=1)
    return dt.date(parts[0], parts[1], parts[2])


def is_planned(mention: DateMention, date: str, anchor: dt.date | None) -> bool:
    """Whether a dated clause tells a plan, forecast or target: a date that begins after the
    day the report was written, or the future tense on a date not before that day (what the
    report dates before its own day has happened, whatever the clause: "Monday's talks would
    ...")."""
    if anchor is None:
        return mention.tense == "future"
    if _first_day(date) > anchor:
        return True
    return mention.tense == "future" and _last_day(date) >= anchor


def _chosen(
    mentions: Sequence[DateMention],
    texts: Mapping[str, str],
    anchors: Mapping[str, dt.date | None],
) -> dict[tuple[str, int], bool]:
    """The mention each sentence is listed under, by ``(article, start)``, with planned-ness."""
    Ranked = tuple[tuple[int, int, int], DateMention, bool]
    per_sentence: dict[tuple[str, tuple[int, int]], list[Ranked]] = {}
    for m in mentions:
        date = timeline_date(m)
        if date is None or m.article not in texts or is_bound(m, texts[m.article]):
            continue
        planned = is_planned(m, date, anchors.get(m.article))
        rank = (int(planned), _PRECISION_RANK.get(m.precision or "year", 3), m.start)
        per_sentence.setdefault((m.article, m.sentence), []).append((rank, m, planned))
    out: dict[tuple[str, int], bool] = {}
    for ranked in per_sentence.values():
        ranked.sort(key=lambda r: r[0])
        _rank, first, planned = ranked[0]
        out[(first.article, first.start)] = planned
    return out


@dataclass(slots=True)
class _Group:
    date: str
    items: list[_Item] = field(default_factory=list)

    @property
    def order(self) -> tuple[int, int]:
        return min(i.order for i in self.items)


def _clarity(item: _Item, group: _Group, weights: TermWeights) -> float:
    others = [o for o in group.items if o.span.article != item.span.article]
    central = (
        sum(sentence_similarity(item.terms, o.terms, weights) for o in others) / len(others)
        if others
        else 0.0
    )
    words = len(_WORD.findall(item.text))
    low, high = CLEAR_WORDS
    score = central
    score += 0.3 if low <= words <= high else 0.0
    score += 0.2 if re.search(r"[.!?][”\"’')]?$", item.text) else 0.0
    score += 0.1 if item.text[:1].isupper() else 0.0
    quoted = sum(len(m.group(0)) for m in _QUOTED.finditer(item.text))
    score -= 0.3 * (quoted / max(1, len(item.text)))
    return score


def _items(
    mentions: Sequence[DateMention],
    articles: Sequence[Article],
    anchors: Mapping[str, dt.date | None],
    select: bool,
) -> list[tuple[str, _Item]]:
    """The dated sentences to list (steps 1 and 2 of the module doc), with their dates."""
    by_id = {a.id: a for a in articles}
    position = {a.id: i for i, a in enumerate(articles)}
    items: list[tuple[str, _Item]] = []
    seen: set[tuple[str, str, int, int]] = set()
    dates_of: dict[tuple[str, tuple[int, int]], set[str]] = {}
    for m in mentions:
        if (date := timeline_date(m)) is not None:
            dates_of.setdefault((m.article, m.sentence), set()).add(date)
    chosen = _chosen(mentions, {a.id: a.text for a in articles}, anchors) if select else {}
    for m in mentions:
        date = timeline_date(m)
        article = by_id.get(m.article)
        if date is None or article is None:
            continue
        if len(dates_of[(m.article, m.sentence)]) >= SERIES_DATES:
            continue  # a series of figures by year or a schedule, not one event
        planned = chosen.get((m.article, m.start))
        if select and planned is None:
            continue  # a bound ("since 2019"), or not the date this sentence is listed under
        start, end = m.sentence
        key = (date, m.article, start, end)
        if key in seen:  # one sentence naming the same date twice
            continue
        sentence = article.text[start:end]
        rest = sentence[: m.start - start] + " " + sentence[m.end - start :]
        if len(content_terms(rest)) < MIN_TERMS:
            continue
        seen.add(key)
        items.append(
            (
                date,
                _Item(
                    order=(position[m.article], start),
                    span=Span(m.article, start, end),
                    text=sentence,
                    terms=content_terms(sentence),
                    planned=bool(planned),
                ),
            )
        )
    return items


def build_timeline(
    mentions: Sequence[DateMention],
    articles: Sequence[Article],
    *,
    anchors: Mapping[str, dt.date | None] | None = None,
    select: bool = True,
) -> tuple[TimelineEvent, ...]:
    """Return the story's dated events, merged across outlets.

    Args:
        mentions: Resolved date mentions of the story's articles (``extract_dates`` with the
            anchors of ``infer_anchor``); unresolved ones are dropped.
        articles: The story's articles, in story order (it decides "first appearance").
        anchors: The day each article was written (``infer_anchors``), by id: a date after it
            is a plan; without it only the tense tells.
        select: List each sentence once, under the date of the event it reports, with plans
            marked (see the module doc); ``False`` is the previous method (every date).

    Returns:
        One ``TimelineEvent`` per (date, event), sorted by date then first appearance; ``text``
        is a verbatim sentence and ``spans`` cite the sentence in every supporting article.
    """
    position = {a.id: i for i, a in enumerate(articles)}
    items = _items(mentions, articles, anchors or {}, select)
    weights = TermWeights({(i.span.article, i.span.start): i.terms for _d, i in items}.values())
    groups: list[_Group] = []
    for date, item in sorted(items, key=lambda di: di[1].order):
        best: tuple[float, _Group] | None = None
        for g in groups:
            if g.date != date:
                continue
            sim = max(sentence_similarity(item.terms, o.terms, weights) for o in g.items)
            if sim >= SAME_EVENT and (best is None or sim > best[0]):
                best = (sim, g)
        if best is None:
            groups.append(_Group(date, [item]))
        else:
            best[1].items.append(item)
    groups.sort(key=lambda g: (g.date, g.order))
    events: list[TimelineEvent] = []
    for g in groups:
        best_item = max(g.items, key=lambda i: (_clarity(i, g, weights), -i.order[0], -i.order[1]))
        spans = tuple(
            sorted((i.span for i in g.items), key=lambda s: (position[s.article], s.start))
        )
        planned = all(i.planned for i in g.items)
        events.append(
            TimelineEvent(
                date=g.date,
                text=best_item.text,
                spans=spans,
                kind="planned" if planned else "event",
            )
        )
    return tuple(events)


__all__ = [
    "MIN_TERMS",
    "SAME_EVENT",
    "SERIES_DATES",
    "build_timeline",
    "is_bound",
    "is_planned",
    "timeline_date",
]
