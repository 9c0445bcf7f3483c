"""Quote extraction: the stages run over one article, and which quoted text counts as speech."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence

from rapidfuzz import fuzz, process
from spacy.tokens import Doc

from synoptic.analyze.quotes.attribution import find_attribution, is_cue, paragraph_before
from synoptic.analyze.quotes.context import Attribution, Context, scope
from synoptic.analyze.quotes.marks import TERMINAL, find_raw_quotes
from synoptic.analyze.quotes.people import People
from synoptic.analyze.quotes.records import QuoteMention, QuoteScan, RejectedQuote
from synoptic.analyze.quotes.vocab import FUNCTION_WORDS
from synoptic.analyze.quotes.wording import normalize_quote, split_words
from synoptic.deadline import checked
from synoptic.model import Article

_SENTENCE_END = re.compile(r"[.!?…]\s")


def _is_title_like(text: str) -> bool:
    """A name in marks: two to ten words, every content word capitalised, no sentence end.

    A single full stop at the end does not count as a sentence end: American style puts the
    sentence's own full stop inside the closing mark (``next year's "X-Men Origins: Wolverine."``).
    """
    words = split_words(text)
    body = text.rstrip()
    if body.endswith(".") and not body.endswith(".."):
        body = body[:-1]
    if not 2 <= len(words) <= 10 or body[-1:] in TERMINAL or re.search(r"[.!?]\s", body):
        return False
    content = [w for w in words if w.lower() not in FUNCTION_WORDS]
    return bool(content) and all(w[0].isupper() or w[0].isdigit() for w in content)


def _utterance_position(ctx: Context, qi: int) -> bool:
    """Whether the quote stands where a sentence can start (see ``partial`` in the docstring)."""
    r = ctx.raws[qi]
    lo, _hi = scope(ctx, qi)
    if r.prev_piece is not None or r.repaired:
        return True
    # Narration since the last sentence end or sibling quote (a sentence end is looked for
    # after the sibling only: one character before it, as the end is a mark and a space).
    cut = max(lo, ctx.sibling_end(qi, r.open_pos) or lo)
    ends = [m.end() for m in _SENTENCE_END.finditer(ctx.text, max(lo, cut - 1), r.open_pos)]
    if ends:
        cut = max(cut, ends[-1])
    seg = ctx.text[cut : r.open_pos]
    stripped = seg.strip()
    if not stripped:
        return True
    if stripped.endswith(":"):
        return True
    if stripped.endswith(","):
        ks = [k for k in ctx.tokens_between(cut, r.open_pos) if ctx.in_frame(k, qi)]
        return any(is_cue(ctx.doc[k]) for k in ks)
    return False


def _carries_on(ctx: Context, qi: int, att: Attribution | None) -> bool:
    """Whether the reporter's sentence continues after the closing mark (``“...” was made``)."""
    r = ctx.raws[qi]
    if r.close_pos is None:
        return False
    inner = ctx.text[r.start : r.end]
    if ctx.text[r.open_pos + 1 : r.close_pos].rstrip()[-1:] in {",", *TERMINAL}:
        return False
    if inner[-1:] in TERMINAL:
        return False
    _lo, hi = scope(ctx, qi)
    after = ctx.text[r.outer_end : hi]
    m = re.match(r"\s*([^\W\d_][\w’'-]*)", after)
    if not m or not m.group(1)[0].islower():
        return False
    if att is not None and att.how == "after" and att.cue_token is not None:
        return ctx.doc[att.cue_token].idx - r.outer_end > 40
    return True


def _speaker(att: Attribution | None) -> str | None:
    return att.speaker if att is not None else None


def _share_speakers(
    ctx: Context, people: People, atts: list[Attribution | None], full: list[bool]
) -> None:
    """Give unattributed quotes the speaker of the utterance they belong to.

    Pieces of one quote running over paragraphs share a speaker. A paragraph that opens with a
    quote and attributes nothing continues the full-sentence quote that ended the paragraph
    before it (news prose names a speaker once per run of quote paragraphs); failing that, a
    full-sentence quote takes the speaker of a speech cue ending the paragraph before.
    """
    raws = ctx.raws
    for _ in range(2):  # both directions along a chain of pieces
        for qi, r in checked(enumerate(raws), "quotes"):
            if _speaker(atts[qi]) is not None:
                continue
            for other in (r.prev_piece, r.next_piece):
                src = atts[other] if other is not None else None
                if src is not None and src.speaker is not None:
                    atts[qi] = _inherit(src, "continued quote")
                    break
    for qi, r in checked(enumerate(raws), "quotes"):
        if r.level or r.para == 0 or _speaker(atts[qi]) is not None:
            continue
        if ctx.text[ctx.paras[r.para][0] : r.open_pos].strip():
            continue
        before = ctx.top_of_para.get(r.para - 1, [])
        if before and full[before[-1]]:
            src = atts[before[-1]]
            if src is not None and src.speaker is not None:
                atts[qi] = _inherit(src, "quote paragraph after a quote")
                continue
        if full[qi] and not before:
            att = paragraph_before(ctx, qi, colon_only=False)
            if att is not None:
                people.speaker_of(att, narration=False)
                atts[qi] = att


def scan_quotes(article: Article, doc: Doc) -> QuoteScan:
    """Find and attribute the direct quotes of one article, keeping what was rejected and why.

    Args:
        article: The article; spans index into ``article.text``.
        doc: Its spaCy parse (``analyze.nlp.Analyzer().parse``); it may cover only the first
            ``max_analysis_chars`` characters (the article is analysed in part, ``E305``),
            and quotes are then looked for in those characters only, like every other
            extractor: what lies beyond the parse costs nothing (100,000 short quotes in
            2.4 MB were all paired and then merged across the story; issue 17).

    Returns:
        The quote mentions in text order and the quoted text left out as not speech.

    Raises:
        ValueError: When ``doc`` is not a parse of ``article.text``.
    """
    if len(doc.text) < len(article.text):
        article = dataclasses.replace(article, text=article.text[: len(doc.text)])
    text = article.text
    raws, dropped = find_raw_quotes(text)
    ctx = Context(article, doc, raws)
    people = People(ctx)
    people.walk()

    # Outer quotes first, so that an inner quote knows who relays it.
    order = sorted(range(len(raws)), key=lambda i: (raws[i].level, raws[i].open_pos))
    atts: list[Attribution | None] = [None] * len(raws)
    for qi in checked(order, "quotes"):
        if not ctx.tokens_between(raws[qi].open_pos, raws[qi].outer_end):
            continue  # beyond the parsed text
        att = find_attribution(ctx, qi) or paragraph_before(ctx, qi, colon_only=True)
        if att is not None:
            people.speaker_of(att, narration=raws[qi].level == 0)
        atts[qi] = att
    utter = [_utterance_position(ctx, qi) for qi in checked(range(len(raws)), "quotes")]
    full = [utter[qi] and not _carries_on(ctx, qi, atts[qi]) for qi in range(len(raws))]
    _share_speakers(ctx, people, atts, full)

    rejected = [RejectedQuote(article.id, s, e, text[s:e], reason) for s, e, reason in dropped]
    kept: dict[int, QuoteMention] = {}
    for qi in checked(order, "quotes"):
        found = _judge(ctx, qi, atts[qi], utter[qi], full[qi], kept)
        if isinstance(found, RejectedQuote):
            rejected.append(found)
        else:
            kept[qi] = found
    _speakers_from_twins(kept, atts)
    mentions = sorted(kept.values(), key=lambda m: (m.start, -m.end))
    rejected.sort(key=lambda r: r.start)
    return QuoteScan(tuple(mentions), tuple(rejected))


def _judge(
    ctx: Context,
    qi: int,
    att: Attribution | None,
    utter: bool,
    full: bool,
    kept: dict[int, QuoteMention],
) -> QuoteMention | RejectedQuote:
    """Decide whether quote ``qi`` is speech and build its mention (``kept`` holds the mentions
    of the quotes around it, decided first)."""
    article, text, r = ctx.article, ctx.text, ctx.raws[qi]
    inner = text[r.start : r.end]
    # A short wording counts as speech only when a cue names who said it.
    cued = (
        att is not None
        and att.subject is not None
        and att.how in ("governs", "after", "before", "previous sentence")
    )
    # Title case in utterance position with its speaker beside it is a headline quote
    # (`Putin: “Russia Will Respond”`), not a name.
    spoken = (
        utter
        and att is not None
        and att.subject is not None
        and att.how in ("after", "before", "name and colon", "colon paragraph")
    )
    if _is_title_like(inner) and not spoken:
        return RejectedQuote(article.id, r.start, r.end, inner, "a title or name")
    if len(split_words(inner)) <= 2 and not cued and not (utter and inner[-1:] in TERMINAL):
        return RejectedQuote(article.id, r.start, r.end, inner, "a label: no speech cue")
    speaker = _speaker(att)
    relayed: str | None = None
    if r.parent is not None:
        outer = kept.get(r.parent)
        outer_speaker = outer.speaker if outer else None
        if att is not None and att.first_person:
            speaker = outer_speaker  # "As we tell our partners, ‘...’"
        else:
            relayed = outer_speaker
    return QuoteMention(
        article=article.id,
        start=r.start,
        end=r.end,
        text=inner,
        speaker=speaker,
        speaker_span=att.speaker_span if att else None,
        cue=att.cue if att else None,
        partial=not full,
        relayed_by=relayed,
    )


def _speakers_from_twins(kept: dict[int, QuoteMention], atts: list[Attribution | None]) -> None:
    """A quote repeated in the article (a teaser above the body) takes its twin's named
    speaker."""
    named = {
        qi: m for qi, m in kept.items() if (att := atts[qi]) is not None and att.pid is not None
    }
    # The named wordings a twin can be: five words or more, normalised once, the first mention
    # of each distinct wording only (a later one with the same wording is never the first match).
    wordings: dict[str, QuoteMention] = {}
    for n in named.values():
        b = normalize_quote(n.text)
        if len(b.split()) >= 5:
            wordings.setdefault(b, n)
    choices = list(wordings)
    for qi, m in checked(list(kept.items()), "quotes"):
        if qi in named:
            continue
        twin = _twin(normalize_quote(m.text), choices)
        if twin is not None:
            kept[qi] = dataclasses.replace(m, speaker=wordings[twin].speaker)


def _inherit(src: Attribution, how: str) -> Attribution:
    return Attribution(
        src.cue_token,
        src.cue,
        src.subject,
        how,
        speaker=src.speaker,
        speaker_span=src.speaker_span,
        pid=src.pid,
        first_person=src.first_person,
    )


def _twin(a: str, choices: Sequence[str]) -> str | None:
    """The first of ``choices`` (normalised wordings of five words or more) that normalised
    wording ``a`` repeats: equal, or rapidfuzz ratio >= 92."""
    if len(a.split()) < 5 or not choices:
        return None
    # One C call scores every choice; the earliest match wins, as in a loop over them.
    found = process.extract(a, choices, scorer=fuzz.ratio, score_cutoff=92, limit=None)
    return choices[min(i for _c, _s, i in found)] if found else None


def extract_quotes(article: Article, doc: Doc) -> tuple[QuoteMention, ...]:
    """Return the direct quotes of ``article`` with speakers, in text order.

    See the module docstring for what counts as a quote and how speakers are found; titles and
    label-like scare quotes are left out (``scan_quotes`` lists them with reasons).

    Args:
        article: The article; every mention's ``start``/``end`` index into ``article.text``.
        doc: The article's spaCy parse from ``analyze.nlp``.

    Returns:
        One ``QuoteMention`` per quoted piece, ``text == article.text[start:end]``.
    """
    return scan_quotes(article, doc).mentions
