"""Stage 3 of quote finding: the speech cue and its subject for each quote, over the parse.

The rules, in order, are the "Speaker" paragraph of ``synoptic.analyze.quotes``: the cue that
governs the quote in the dependency tree, the cue beside it in its sentence, the cue of the
sentence before, a headline ``Name: "..."``, the cue of a paragraph ending with a colon.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable

from spacy.tokens import Token

from synoptic.analyze.quotes.context import Attribution, Context, scope
from synoptic.analyze.quotes.marks import TERMINAL
from synoptic.analyze.quotes.vocab import SPEECH_VERBS


def is_cue(t: Token) -> bool:
    """Whether ``t`` introduces speech: a speech verb, or "according to"."""
    if t.lower_ == "according" and any(c.lower_ == "to" for c in t.children):
        return True
    if t.i > 0 and t.doc[t.i - 1].lower_ in ("so", "so-") and t.lower_ == "called":
        return False  # "so-called": the mark of a label, not of speech
    return t.pos_ in ("VERB", "AUX") and t.lemma_.lower() in SPEECH_VERBS


def cue_text(t: Token) -> str:
    return "according to" if t.lower_ == "according" else t.text


def _subject_of(ctx: Context, v: Token, qi: int) -> Token | None:
    """Return the subject of speech cue ``v``, climbing to the clause it hangs on if needed.

    ``adding “...”`` (advcl), ``went on to say`` (xcomp), ``and added`` (conj) and ``was quoted as
    saying`` (pcomp/prep) have their subject on an ancestor. A cue modifying a noun (``a response,
    voiced by X, saying ...``; ``X issued a statement saying ...``) speaks for the agent that voiced
    the noun, else for whoever issued it.
    """
    if v.lower_ == "according":
        for c in v.children:
            if c.lower_ == "to":
                for g in c.children:
                    if g.dep_ == "pobj":
                        return g
        return None
    cur = v
    for _ in range(4):
        subs = [
            c
            for c in cur.children
            if c.dep_ in ("nsubj", "nsubjpass", "csubj") and ctx.narration(c.i, qi)
        ]
        if subs:
            if cur.lemma_.lower() == "quote":
                # "the paper quoted witness Devonte Brown as saying": the one quoted speaks
                objs = [c for c in cur.children if c.dep_ == "dobj" and ctx.narration(c.i, qi)]
                if objs:
                    return objs[0]
            # Two subjects are a misparse of a fronted phrase ("As well as new routes to the
            # US, Mannion stated ..."): the one written next to the verb is the speaker.
            return min(subs, key=lambda c: abs(c.i - cur.i))
        if not ctx.narration(cur.head.i, qi):
            break  # a misparse hanging the cue on quoted words: their subject is not the speaker
        if cur.dep_ in ("conj", "xcomp", "advcl", "pcomp", "prep", "ccomp", "dep") and (
            cur.head is not cur
        ):
            cur = cur.head
            continue
        if cur.dep_ == "acl" and cur.head.pos_ in ("NOUN", "PROPN"):
            noun = cur.head
            for c in noun.children:
                if c.dep_ == "acl":
                    for a in c.children:
                        if a.dep_ == "agent":
                            objs = [g for g in a.children if g.dep_ == "pobj"]
                            if objs:
                                return objs[0]
            if noun.dep_ in ("dobj", "pobj") and noun.head is not noun:
                cur = noun.head if noun.dep_ == "dobj" else noun.head.head
                continue
        break
    return None


def _gap_subject(ctx: Context, qi: int, cue: Token) -> Token | None:
    """``“...,” the company's chief engineer, Yevgeny Marek, told ...`` when the parse lost the
    subject: the noun phrase between the closing mark and the cue (a person's name first)."""
    lo, _hi = scope(ctx, qi)
    close = ctx.sibling_end(qi, cue.idx, closed=True)
    if close is None or close < lo:
        return None
    ks = [k for k in ctx.tokens_between(close, cue.idx) if ctx.in_frame(k, qi)]
    toks = [ctx.doc[k] for k in ks if ctx.doc[k].pos_ in ("PROPN", "NOUN", "PRON")]
    if not toks:
        # Inverted order ("..., said Ron Howard, the director"): the name right after the cue.
        after = [ctx.doc[k] for k in ctx.tokens_between(cue.idx + 1, cue.idx + 80)]
        for t in after[:6]:
            if not ctx.in_frame(t.i, qi) or t.is_punct:
                break
            if t.pos_ in ("PROPN", "NOUN") and t.dep_ != "compound":
                return t
        return None
    people = [t for t in toks if t.ent_type_ == "PERSON"]
    if people:
        run = [people[0]]
        for t in people[1:]:
            if t.i != run[-1].i + 1:
                break
            run.append(t)
        return run[-1]
    inside = set(ks)
    heads = [t for t in toks if t.head.i not in inside or t.head.i == t.i]
    return heads[0] if heads else toks[-1]


def _reporting_verb(ctx: Context, cue: Token, qi: int) -> Token:
    """``X said Y, according to Z``: the speech verb above an "according to" speaks, not Z."""
    if cue.lower_ != "according":
        return cue
    h = cue.head
    for _ in range(4):
        if h.i == h.head.i and not is_cue(h):
            break
        if is_cue(h) and ctx.in_frame(h.i, qi) and _subject_of(ctx, h, qi) is not None:
            return h
        h = h.head
    return cue


def _governing_cue(ctx: Context, qi: int) -> Token | None:
    """Return the speech cue that governs the quote in the dependency tree, if any.

    Either an ancestor of a quoted token (``she said`` with the quote as its ccomp) or a cue hanging
    on a quoted token (``“...,” said X`` parsed as parataxis).
    """
    r = ctx.raws[qi]
    doc = ctx.doc
    best: tuple[int, int, Token] | None = None
    inner = [k for k in ctx.tokens_between(r.open_pos, r.outer_end) if ctx.inside(k, qi)]
    for k in inner:
        t = doc[k]
        h = t.head
        steps = 0
        while h.i != t.i and steps < 8:
            if not ctx.inside(h.i, qi) and ctx.in_frame(h.i, qi) and is_cue(h):
                cand = (steps, abs(h.i - k), h)
                if best is None or cand[:2] < best[:2]:
                    best = cand
                break
            if h.head.i == h.i:
                break
            h = h.head
            steps += 1
        for c in t.children:
            if not ctx.inside(c.i, qi) and ctx.in_frame(c.i, qi) and is_cue(c):
                cand = (1, abs(c.i - k), c)
                if best is None or cand[:2] < best[:2]:
                    best = cand
    return best[2] if best else None


def _window_cue(ctx: Context, qi: int, ks: Iterable[int], pick_last: bool) -> Token | None:
    cues = [ctx.doc[k] for k in ks if ctx.in_frame(k, qi) and is_cue(ctx.doc[k])]
    if not cues:
        return None
    return cues[-1] if pick_last else cues[0]


def _after_window(ctx: Context, qi: int) -> list[int]:
    """Tokens after the closing mark up to the end of the attribution clause."""
    r = ctx.raws[qi]
    if r.close_pos is None:
        return []
    _lo, hi = scope(ctx, qi)
    out = []
    for k in ctx.tokens_between(r.outer_end, hi):
        t = ctx.doc[k]
        if not ctx.in_frame(k, qi):
            if ctx.tok_quote[k] is not None:
                break  # the next quote
            continue
        out.append(k)
        if t.text in TERMINAL or len(out) >= 20:
            break
    # A quote closed by its own full stop is followed by a new sentence: it attributes the quote
    # only if its first verb is a speech cue ("Williams, a critic of the police, said ...").
    if ctx.text[r.start : r.end][-1:] in TERMINAL:
        verbs = [k for k in out if ctx.doc[k].pos_ in ("VERB", "AUX")]
        if not verbs or not is_cue(ctx.doc[verbs[0]]):
            return []
    return out


def _before_windows(ctx: Context, qi: int) -> tuple[list[int], list[int]]:
    """Tokens before the opening mark: in its own sentence, and in the sentence before it.

    Both stop at the previous sibling quote's closing mark and at the paragraph (or outer quote)
    start.
    """
    r = ctx.raws[qi]
    lo, _hi = scope(ctx, qi)
    span = ctx.tokens_between(lo, r.open_pos)
    if not span:
        return [], []
    cur_sent = ctx.sent_of[min(span.stop, len(ctx.doc) - 1)]
    # Only narration after the last sibling quote is attribution for this one ...
    found = ctx.sibling_end(qi, r.open_pos)
    siblings_end = lo if found is None else found
    # Both windows lie in this sentence and the one before, after the last sibling quote when
    # it is in this scope: reading only there keeps the work per quote bounded by its windows
    # (a paragraph of thousands of quotes was read from its start for each).
    first = max(span.start, ctx.sent_starts[cur_sent - 1] if cur_sent else 0)
    if siblings_end > lo:
        first = max(first, bisect.bisect_left(ctx.tok_starts, siblings_end))
    ks = [k for k in range(first, span.stop) if ctx.in_frame(k, qi)]
    own = [k for k in ks if ctx.sent_of[k] == cur_sent and ctx.doc[k].idx >= siblings_end]
    prev = [k for k in ks if ctx.sent_of[k] == cur_sent - 1]
    # ... unless the sentence before is the one between two pieces of a split quote.
    if siblings_end > lo:
        prev = [k for k in prev if ctx.doc[k].idx >= siblings_end]
    return own, prev


def find_attribution(ctx: Context, qi: int) -> Attribution | None:
    """Find the speech cue and its subject for quote ``qi`` (see the module docstring)."""
    r = ctx.raws[qi]
    own, prev = _before_windows(ctx, qi)
    after = ("after", _window_cue(ctx, qi, _after_window(ctx, qi), pick_last=False))
    steps: list[tuple[str, Token | None]] = [("governs", _governing_cue(ctx, qi))]
    if ctx.text[r.start : r.end][-1:] in TERMINAL:
        # A quote closed by its own full stop: what follows is a new sentence, so the
        # attribution before it ("she said. “...”", "he added: “...”") comes first.
        steps += [
            ("before", _window_cue(ctx, qi, own, pick_last=True)),
            ("previous sentence", _window_cue(ctx, qi, prev, pick_last=True)),
            after,
        ]
    else:
        steps += [
            after,
            ("before", _window_cue(ctx, qi, own, pick_last=True)),
            ("previous sentence", _window_cue(ctx, qi, prev, pick_last=True)),
        ]
    unnamed: Attribution | None = None  # a governing cue whose speaker the parse lost
    for how, found in steps:
        if found is None:
            continue
        cue = _reporting_verb(ctx, found, qi)
        subj = _subject_of(ctx, cue, qi)
        if subj is None:
            subj = _gap_subject(ctx, qi, cue)
        if subj is not None:
            return Attribution(cue.i, cue_text(cue), subj.i, how)
        if how == "governs" and unnamed is None:
            unnamed = Attribution(cue.i, cue_text(cue), None, how)
    # Headline style "Zelensky: ‘We will defend every town’": a name, a colon, the quote.
    if own:
        colon = ctx.doc[own[-1]]
        if colon.text == ":" and colon.idx + 1 >= r.open_pos - 2 and len(own) >= 2:
            name = ctx.doc[own[-2]]
            if name.pos_ == "PROPN" and name.ent_type_ not in ("DATE", "TIME"):
                return Attribution(None, None, name.i, "name and colon")
    return unnamed


def paragraph_before(ctx: Context, qi: int, colon_only: bool) -> Attribution | None:
    """A quote opening its paragraph, attributed by the last sentence of the paragraph before.

    With ``colon_only`` that sentence must end with a colon (``Sherman said:``); otherwise any
    speech cue in it counts (``Mehta declared that his force did nothing wrong.`` followed by a
    paragraph that is only a quote), which is the last fallback for full-sentence quotes.
    """
    r = ctx.raws[qi]
    if r.parent is not None or r.para == 0:
        return None
    lo = ctx.paras[r.para][0]
    if ctx.text[lo : r.open_pos].strip():
        return None
    plo, phi = ctx.paras[r.para - 1]
    colon = ctx.text[plo:phi].rstrip().endswith(":")
    if colon_only and not colon:
        return None
    ks = [k for k in ctx.tokens_between(plo, phi) if ctx.tok_quote[k] is None]
    if not ks:
        return None
    how = "colon paragraph" if colon else "paragraph before"
    last_sent = ctx.sent_of[ks[-1]]
    for k in reversed(ks):
        if ctx.sent_of[k] != last_sent:
            break
        t = ctx.doc[k]
        if is_cue(t):
            subj = _subject_of(ctx, t, qi)
            if subj is not None:
                return Attribution(t.i, cue_text(t), subj.i, how)
    # "Ryabkov:" (interview style): the name before the colon speaks.
    head = ctx.doc[ks[-1]]
    if colon and head.text == ":" and ks[-1] > 0:
        name = ctx.doc[ks[-1] - 1]
        if name.ent_type_ == "PERSON":
            return Attribution(None, None, name.i, how)
    return None
