"""Direct quotes: find them in an article, attribute them to speakers, merge them across outlets.

One job per stage, each reading the article's single spaCy parse (``analyze.nlp``)::

    marks ──pair──▶ quote spans ──attribute──▶ speech cue + subject ──resolve──▶ speaker
    (characters)    (nesting, runs over        (dependency tree,       (names, pronouns,
                     paragraphs, repairs)       windows, paragraphs)    titles, descriptions)

Policy decisions (documented here because callers rely on them):

* **What a quote is.** Text between paired quote marks (straight or curly, double or single,
  guillemets, „German“). Single marks that are apostrophes (``don't``, ``Nato’s``, ``the '90s``,
  ``players’``) are never paired. A double quote left open at the end of a paragraph runs to the
  paragraph's end. A closing double mark with no opening one in its paragraph starts the quote at
  the paragraph's start: when it ends the paragraph (a scraper lost the opening mark), or when the
  paragraph before left a quote open (a soft line break inside a quote; up to two unmarked lines
  in between are quoted whole). An ambiguous straight ``"`` is decided by the parity of the
  straight marks left in its paragraph.
* **Not speech.** A title or name in marks (every content word capitalised, "Strategic Security
  Dialogue") and a one- or two-word label with no speech cue near it (scare quotes) are *not*
  quotes: they are left out of ``extract_quotes`` and listed, with the reason, in
  ``scan_quotes(...).rejected``.
* **Multi-part utterances.** A quote split by its attribution (``“A,” she said. “B.”``) and a quote
  running over paragraphs (a paragraph left open, continued by one opening with a mark) give one
  mention per quoted piece; the pieces share the speaker. Merging across outlets (``merge_quotes``)
  works on pieces too, so an outlet quoting only one piece still meets the others.
* **Partial.** A quote is *partial* when it is woven into the reporter's sentence (``said it was
  “absolutely mandatory”``); it is *full* when it stands in utterance position: at the start of a
  sentence, after a colon, or after ``<speech cue>,`` (``As Putin said, ‘...’``), and the sentence
  does not carry on around it.
* **Speaker.** The subject of the speech cue (a speech verb or "according to") that governs the
  quote in the parse, else of the cue beside it in its sentence (after it, then before it; for a
  quote ending with its own full stop, before it first), else of the cue in the sentence before
  it in the paragraph, else a headline ``Name: “...”``, else the cue of a previous paragraph ending
  with a colon. Still unattributed, a quote takes the speaker of the piece it continues, of the
  full-sentence quote ending the paragraph before, or of a speech cue ending that paragraph. The
  subject is then resolved: names to the longest full name in the article (titles dropped; a name
  in apposition or in a title's of-phrase counts), surnames and ``Ms``/``Mr`` forms to that
  name, he/she/him/her to the most recent compatible person (gender from honorifics and from
  ``X said she ...`` clauses; an unnamed previous speaker such as "a senior officer" wins when it
  is nearer), and descriptions (``the US diplomat``, ``the minister``) to the person whose title,
  role class and nationality match, else to the person named speaking in the next paragraph. A
  quote repeated verbatim elsewhere in the article (a teaser) takes the named speaker of its twin
  when its own stays unresolved.
* **Quotes in quotes.** An inner quote is attributed inside its outer quote; its speaker is the
  person named there and ``relayed_by`` the outer quote's speaker. An inner quote introduced in the
  first person (``As we tell our partners, ‘...’``) belongs to the outer speaker.
* **Trailing comma.** The attribution comma that American style puts inside the closing mark is
  not part of the quote text (``“We will win,” she said`` gives ``We will win``).
* **Merging.** ``merge_quotes`` joins mentions whose wordings match (equal after normalising, or
  close by rapidfuzz ratio, partial ratio for an excerpt, token-set ratio for reordering) unless
  their names, numbers or polarity disagree or two different named people say them; a shared
  named speaker lowers the bar enough for translated wordings. Speakers are unified across
  outlets by surname and similar first name (Sergei/Sergey, Yuri/Yury, Evgeny/Yevgeny).
"""

from __future__ import annotations

from synoptic.analyze.quotes.extract import extract_quotes, scan_quotes
from synoptic.analyze.quotes.records import QuoteMention, QuoteScan, RejectedQuote
from synoptic.analyze.quotes.vocab import SPEECH_VERBS
from synoptic.analyze.quotes.wording import normalize_quote

__all__ = [
    "SPEECH_VERBS",
    "QuoteMention",
    "QuoteScan",
    "RejectedQuote",
    "extract_quotes",
    "normalize_quote",
    "scan_quotes",
]
