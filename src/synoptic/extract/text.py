"""Clean plain text scraped from a news page: drop the page residue, read the metadata.

A scraper that keeps "all the text" of a page leaves page chrome around the article (share
prompts, "Advertisement", photo credits, comment forms, menus) and puts the title, byline and
dateline inline with the body. ``clean_text`` is a classifier over lines; it runs as a cascade,
each step with its reason:

1. **Normalise** whitespace inside each line (runs of spaces, tabs and no-break spaces become
   one space; ends are stripped). No other character changes, because later stages cite
   character spans into the text and quotes must stay verbatim.
2. **Residue patterns** (``residue_reason``) drop lines that are page chrome by their *whole*
   shape, each pattern with its reason. A pattern matches the entire line (or, for prompts
   in the outlet's voice such as "follow our ... channel", a phrase in a short line), so a
   sentence that merely mentions "advertisement" or "read more" is never dropped.
3. **Re-join** lines a scraper broke mid-sentence (a line without terminal punctuation followed
   by a line starting in lower case), so later steps judge whole paragraphs.
4. **Byline and dateline readers** (``parse_byline``, ``parse_dateline``) take those lines out
   of the body into fields.
5. **Title**: the supplied hint, else the first substantive line when it looks like a headline
   and the text begins right after it. Later copies of the title, and the second copy of a
   paragraph printed twice, are dropped.
6. **Context classifier** (after jusText, Pomikálek 2011). Each remaining block is rated by
   length, stopword density and sentence punctuation (plain text has no link density, and
   sentence punctuation is its best stand-in: menus, tag lists and teaser rails lack it);
   runs of three or more short unpunctuated lines are navigation; prose paragraphs side by
   side support each other; short and doubtful blocks then take the class of their
   neighbours, so a subheading between paragraphs stays while a menu goes. Finally the
   densest stretch of kept text is the article (after Finn et al.'s Body Text Extraction),
   and kept islands beyond long runs of navigation are dropped.
7. **Fallback**: a short note may have no paragraph long enough to anchor the context, so when
   the classifier keeps nothing, every sentence-like block is kept, and failing that every
   block that is not residue.
8. **Page title**: on a full page the headline sits among menus; the headline-like line just
   before the kept text is taken when no title was found in step 5.
9. **Listings**: when three or more groups of item headers (comment forms, "jdoe says:",
   bylines, timestamps) follow the article's body, reader comments or story teasers have
   begun, and everything from the first of them is dropped.

Every dropped line is recorded with its reason in ``CleanedText.dropped``.
"""

from __future__ import annotations

import bisect
import functools
import itertools
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any

__all__ = [
    "CleanedText",
    "Dateline",
    "DroppedLine",
    "clean_text",
    "parse_byline",
    "parse_dateline",
    "residue_reason",
]


@dataclass(frozen=True, slots=True)
class DroppedLine:
    """A line taken out of the body, and why.

    Attributes:
        line: The line as it was in the input (without its line break).
        reason: A short machine-readable reason, such as ``"advertisement"``,
            ``"share-prompt"``, ``"photo-credit"``, ``"byline"``, ``"dateline"``, ``"title"``,
            ``"repeated-headline"``, ``"copyright"``, ``"read-more"``, ``"comment-form"``,
            ``"app-prompt"``, ``"font-widget"`` or ``"navigation"``.
    """

    line: str
    reason: str


@dataclass(frozen=True, slots=True)
class CleanedText:
    """The article body and the metadata read out of it.

    Attributes:
        text: The cleaned body, paragraphs separated by ``"\\n\\n"``; title, byline and
            dateline lines are not part of it.
        title: The headline (the hint given to ``clean_text`` if any).
        byline: The author names, e.g. ``"Matthew Lee"`` or ``"Ann Lee and Bo Chan"``.
        agency: The news agency or outlet named in the byline, e.g. ``"Associated Press"``.
        published: ISO 8601 at the precision known: ``"2022-01-11T12:23:00+05:30"``,
            ``"2022-01-10T17:00:00"`` (time without a zone), ``"2022-01-11"`` or ``"2022-01"``.
        dropped: Every line taken out of the body, in input order, with its reason.
    """

    text: str
    title: str | None
    byline: str | None
    agency: str | None
    published: str | None
    dropped: tuple[DroppedLine, ...]


# --------------------------------------------------------------------------------------------
# Line features
# --------------------------------------------------------------------------------------------

# Whitespace a scraper leaves inside lines: no-break, thin and other Unicode spaces, tabs.
# Zero-width spaces and byte-order marks are invisible layout debris, so they go too.
_SPACES = re.compile(r"[\s\u200b\u2060\ufeff]+")
# Words; Chinese and Japanese write no spaces, so each of their characters counts as a word.
_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_WORD = re.compile(rf"[{_CJK}]|[^\W{_CJK}]+(?:['’][^\W{_CJK}]+)*")
# A sentence ends in . ! ? or an ellipsis (or their CJK forms), possibly followed by closing
# quotes or brackets.
_TERMINAL = re.compile(r"(?:[.!?…:;。！？：；]|\.\.\.)[\"'”’»)\]」』）]*$|[\"”’»」』]$")
_SEPARATORS = re.compile(r"\s[|•·»/]\s|\s[-–—]\s")


def _wordset(text: str) -> frozenset[str]:
    """A set of words written as one space-separated string (easier to read than a list)."""
    return frozenset(text.split())


def _normalise(line: str) -> str:
    """Collapse whitespace runs to one space and strip the ends; nothing else changes."""
    return _SPACES.sub(" ", line).strip()


def _words(text: str) -> list[str]:
    return _WORD.findall(text)


def _is_terminal(text: str) -> bool:
    # Only the tail matters; searching the whole line for an end-anchored pattern is slow.
    return bool(_TERMINAL.search(text[-8:]))


def _starts_lower(text: str) -> bool:
    """True when the first word is all lower case (``iPhone`` and ``eBay`` are names)."""
    m = _WORD.match(text)
    return m is not None and m.group(0)[0].islower() and m.group(0) == m.group(0).lower()


# --------------------------------------------------------------------------------------------
# Residue patterns: each matches a whole (whitespace-normalised) line, case-insensitively.
# --------------------------------------------------------------------------------------------

_SOCIAL = (
    r"(?:facebook|twitter|x|whatsapp|linkedin|reddit|pinterest|telegram|messenger|flipboard|"
    r"tumblr|e-?mail|mail|sms|threads|bluesky|print|copy link|copy url|koo|vk|line|viber)"
)

# (reason, pattern, maximum words). The word limit keeps long sentences out of patterns that
# only make sense for short chrome lines.
_RESIDUE_TABLE: tuple[tuple[str, str, int], ...] = (
    (
        "advertisement",
        r"(?:advertisements?|advertisment|advertising|adverts?|ads?|\(ad\)|\[ad\]|"
        r"sponsored(?: content| links?| stories| post| by .{1,40})?|promoted(?: content| stories)?|"
        r"paid (?:content|post|partnership)|partner content|"
        r"(?:story|article|content|text) continues (?:below|after)(?: (?:this|the))?"
        r"(?: advertisement| ad| video| image)?|"
        r"advertisement\s*[-–—:]\s*(?:continue|scroll) .{1,30}|scroll (?:down )?to continue.{0,30}|"
        r"report this ad|ad feedback|close ad|skip ad|remove ads|ad-free .{0,40})",
        12,
    ),
    (
        "share-prompt",
        rf"(?:share|shares|sharing|share (?:this|the|your)(?: (?:article|story|post|page|video|"
        rf"photo|link))?|share (?:on|via|to|with) .{{1,30}}|share (?:article|story|now)|"
        rf"tweet(?: this)?|email(?: this)?(?: article| story| page)?|"
        rf"print(?: this)?(?: article| story| page)?|copy(?: the)? (?:link|url)|"
        rf"link copied.{{0,30}}|"
        rf"pin(?: it)?|click to (?:share|email|print) .{{1,60}}|\(?opens in (?:a )?new window\)?|"
        rf"\d[\d,.]*k?\s+shares?|"
        rf"(?:share\s*(?:this)?\s*(?:article|story)?\s*[:|]?\s*)?{_SOCIAL}(?:\s*[|/•·,]?\s*{_SOCIAL})*)",
        14,
    ),
    (
        "newsletter-prompt",
        r"(?:(?:sign up|sign-up|signup|subscribe|enter your e-?mail)"
        r"\b.{0,120}\b(?:newsletters?|inbox|e-?mail(?: alerts| updates)?|bulletin|briefing)\b"
        r".{0,80}|"
        r"(?:sign up|sign-up|subscribe)(?: now| today| for free| here)?[.!]?)",
        25,
    ),
    (
        "subscribe-prompt",
        r"(?:subscribe(?: now| today| here)?|subscribe to (?:continue|read|unlock|get).{0,80}|"
        r"already (?:a subscriber|have an account|registered)\??.{0,40}|"
        r"(?:log|sign) ?in(?: to| or| /).{0,60}|create (?:a free |an |your )?account.{0,40}|"
        r"(?:this|the) (?:article|story|content) is (?:for|available to|reserved for) "
        r"(?:subscribers|members).{0,40}|subscribers? only|premium(?: content| story)?|"
        r"unlock (?:this|the full) (?:article|story).{0,40}|you have \d+ free articles?.{0,60})",
        20,
    ),
    (
        "app-prompt",
        r"(?:turn on|allow|enable) (?:push )?notifications.{0,40}|"
        r"(?:download|get|install|try) (?:the|our) (?:\w+ ){0,3}apps?.{0,40}",
        10,
    ),
    (
        "font-widget",
        r"(?:(?:\d{2,3}\s*%\s*)?(?:font|text)(?:[- ]size)?\s*[:+-]?|"
        r"(?:enable|disable|exit|switch to|turn (?:on|off)|open|close)\s+read(?:ing|er)?\s*mode|"
        r"read(?:ing|er)? mode|(?:a\s*[-+]\s*){1,3}a?|(?:a\s+){1,2}a|"
        r"(?:decrease|increase|reset|change) (?:the )?(?:font|text)(?: size)?|"
        r"\d+\s*min(?:ute)?s?\s*read|(?:estimated )?(?:reading|read) time:?\s*\d+\s*min(?:ute)?s?|"
        r"dark mode|light mode|night mode)",
        8,
    ),
    (
        "media",
        r"(?:video|watch(?: the)?(?: video| now| live)?|play(?: video| audio)?|pause|mute|unmute|"
        r"replay|now playing|up next|loading video.{0,20}|video (?:player|duration).{0,30}|"
        r"this video (?:is|can ?not|cannot|has).{0,60}|your browser does not support.{0,80}|"
        r"(?:please )?enable javascript.{0,80}|javascript (?:is )?(?:disabled|required).{0,60}|"
        r"listen(?: to)?(?: this)?(?: article| story| now)?(?:\s*[\d:]+\s*(?:min(?:ute)?s?)?)?|"
        r"(?:\d{1,2}:)?\d{1,2}:\d{2}|(?:image|photo|slide|picture) \d+ (?:of|/) \d+|"
        r"\d+ (?:of|/) \d+|(?:view |open |see )?(?:photo )?(?:gallery|slideshow)|"
        r"(?:\d+ )?(?:photos?|images?|videos?)|"
        r"(?:click to )?enlarge(?: this)?(?: image)?|expand|(?:view )?full ?screen|"
        r"(?:hide|show|toggle) caption|caption|audio|text to speech)",
        8,
    ),
    (
        "comment-form",
        r"(?:leave a (?:reply|comment)|post (?:a |your )?comment|add (?:a |your )?comment|"
        r"(?:\d+\s+)?comments?(?:\s*\(\d+\))?|no comments(?: yet)?|"
        r"(?:view|show|hide|load|read)(?: all| more)? comments(?:\s*\(\d+\))?|"
        r"comments? (?:are|is) closed\.?|cancel reply|submit(?: comment)?|reply|"
        r"(?:name|e-?mail|email address|website|comment)\s*\*|"
        r"required fields are marked\s*\*?|"
        r"your email address will not be published\.?(?: required fields are marked\s*\*)?|"
        r"save my name, email, and website in this browser for the next time i comment\.?|"
        r"you must be (?:logged|signed) in to (?:post|leave) a comment\.?|"
        r"(?:log|sign) in to (?:comment|reply)\.?|join the (?:conversation|discussion).{0,60}|"
        r"be the first to comment.{0,30}|notify me of (?:follow-up comments|new posts).{0,80}|"
        r"this site uses akismet.{0,80}|comments? policy|report (?:this )?comment|"
        # comment headers: "jdoe says:", "Ann on May 2, 2019 at 4:47 pm said:", "34 responses
        # to ...", "Rating: 25 Votes jdoe"
        r"(?!(?:he|she|they|it|we|i|you|the|this|that|who)\b)[\w.@'’-]{1,30}"
        r"(?: [\w.@'’-]{1,30})?\s+(?:says|wrote|writes|commented|replied)\s*:|"
        r".{1,60}\s(?:on|@)\s.{4,40}\d{4}.{0,25}\s(?:said|says|wrote|commented)\s*:|"
        r"\d+\s+(?:responses?|replies|thoughts|comments?|reactions)\s+(?:to|on)\s.{1,150}|"
        r"rating:\s*-?\d+\s*votes?.{0,40}|(?:\d+\s+)?comments? feed.{0,30}|"
        r"(?:reply|like|dislike|upvote|downvote|flag|report)(?:\s*[·|•]\s*"
        r"(?:reply|like|dislike|share|report|flag))+)",
        30,
    ),
    (
        "read-more",
        r"(?:read more|read more (?:news|stories|here|on|about|at)(?: .{1,60})?|"
        r"read (?:the )?(?:full|whole) (?:story|article)|more|see more|show more|"
        r"load more(?: stories| articles)?|"
        r"continue reading(?: .{0,60})?|click here(?: to read more| for more.{0,40})?\.?|"
        r"(?:also read|read also|read more|see also|also see|must read|don'?t miss|"
        r"also watch|watch|read|listen|read next|more on this(?: story)?|more (?:on|from|about) "
        r"(?:\w+ ){0,3}\w+|related(?: stories| articles?| news| coverage| content| reading)?|"
        r"recommended|suggested)\s*(?::|\||[-–—»>]|\.\.\.)\s*.{1,200})",
        40,
    ),
    (
        "rail",
        r"(?:(?:top|most|latest|trending|popular|related|recommended|featured|recent|more|"
        r"editor'?s|editors'?)\s+(?:content\s+)?(?:trending|stories|news|articles?|posts|videos?|"
        r"reads?|popular|picks?|headlines|content|viewed|shared|commented|watched|emailed|"
        r"from \w+(?: \w+)?|in \w+(?: \w+)?)(?:\s+(?:now|today|this week|stories|news|articles|"
        r"videos|on \w+))?|trending(?: now| today| stories| news| topics)?|"
        r"(?:stories |articles )?you (?:may|might) (?:also )?(?:like|enjoy|be interested in)|"
        r"(?:around|from) the web|what to read next|in case you missed it|"
        r"recommended for you|related (?:coverage|topics|links)|also on \w+(?: \w+)?|"
        r"more stories|more news|more videos|top stories)",
        8,
    ),
    (
        "tags",
        r"(?:tags?|topics?|filed under|categories|category|keywords|related topics|sections?)"
        r"\s*[:|]\s*[^.!?]{0,300}",
        40,
    ),
    (
        "navigation",
        r"(?:skip to (?:the )?(?:main )?(?:content|navigation|search|footer|article)|"
        r"skip navigation|(?:main |open |close )?menu|close|toggle navigation|navigation|"
        r"search(?: for)?:?|home(?: ?page)?|back to top|go to top|scroll to top|top|"
        r"(?:next|prev|previous)(?: article| story| post| page)?|log ?in|log ?out|sign ?in|"
        r"sign ?out|my account|account|register|(?:log|sign) in\s*/\s*(?:register|sign up)|"
        r"terms(?: of (?:use|service|sale))?(?: (?:and|&) conditions)?|terms & conditions|"
        r"privacy(?: policy| notice| settings| centre| center)?|cookies?(?: policy| settings)?|"
        r"do not sell(?: or share)? my (?:personal )?info(?:rmation)?|contact(?: us)?|"
        r"about(?: us)?|advertise(?: with us)?|careers|jobs|sitemap|site map|help|faqs?|"
        r"rss(?: feeds?)?|feedback|accessibility(?: statement)?|corrections|newsletters?|"
        r"podcasts?|e-?paper|apps?|back|ok|okay|accept(?: all)?(?: cookies)?|reject all|"
        r"manage (?:cookies|preferences|settings)|got it|accept (?:&|and) close|close and accept|"
        r"loading\.*|please wait\.*|"
        r"breadcrumbs?|you are here:?|permalink|[\W_]+)",
        8,
    ),
)

# Prompts recognised by a phrase anywhere in a short line: (reason, phrase, maximum words).
# The phrases speak to the reader in the outlet's voice ("our newsletter", "follow us"), which
# article sentences do not.
_RESIDUE_PHRASES: tuple[tuple[str, str, int], ...] = (
    (
        "newsletter-prompt",
        r"\bour (?:\w+ ){0,3}newsletters?\b|"
        r"\b(?:delivered|straight|direct(?:ly)?|sent) (?:to|in|into) your inbox\b|"
        r"\b(?:us to|we(?:'ll| will)) e-?mail you\b",
        25,
    ),
    (
        "app-prompt",
        # in the outlet's own voice ("our app", "follow us") anywhere in a short line...
        r"\b(?:download|get|install|try) our (?:\w+ ){0,3}apps?\b|"
        r"\b(?:available|get it|download(?: it)?) (?:on|from|in) (?:the )?(?:app store|"
        r"google play|play store)\b|\bfollow (?:us |our \w+ )?on google news\b|"
        r"\bfollow (?:us|our (?:\w+ ){0,4}(?:channel|page|account|handle)s?)\b|"
        r"\bjoin (?:us|our (?:\w+ ){0,3}(?:channel|community|group)) on (?:telegram|whatsapp|"
        r"facebook|twitter|instagram|discord|x|linkedin|youtube)\b|"
        r"\b(?:our|join the) (?:\w+ )?(?:telegram|whatsapp|youtube) channel\b|"
        # ...and "Follow <name> on <network>" as an imperative opening the line
        r"^follow (?:[\w@.'’-]+ ){1,4}on (?:twitter|x|facebook|instagram|google news|telegram|"
        r"whatsapp|linkedin|threads|tiktok|youtube|bluesky)\b",
        30,
    ),
    # A bare store badge or news-app mention is chrome only on a line of its own.
    ("app-prompt", r"\b(?:app store|google play|play store|google news)\b", 8),
    (
        "cookie-notice",
        r"\b(?:we use cookies|(?:this|our) (?:web ?)?site uses cookies|"
        r"by continuing to (?:use|browse) (?:this|our|the) (?:web ?)?site|"
        r"accept (?:all )?cookies|cookie (?:policy|settings|preferences|consent)|"
        r"consent to (?:the use of )?cookies|manage (?:your )?cookies)\b",
        80,
    ),
)


def _combined(limit: int) -> re.Pattern[str]:
    """One alternation of the table's patterns that apply to lines of ``limit`` words.

    Alternatives are tried in table order, so the first matching pattern names the reason,
    as a loop would, at the cost of one regex call per line.
    """
    return re.compile(
        "|".join(
            f"(?P<r{i}>{pattern})"
            for i, (_, pattern, max_words) in enumerate(_RESIDUE_TABLE)
            if max_words >= limit
        ),
        re.IGNORECASE,
    )


_RESIDUE_LIMITS = sorted({max_words for _, _, max_words in _RESIDUE_TABLE})
_RESIDUE_BY_LIMIT = {limit: _combined(limit) for limit in _RESIDUE_LIMITS}
_RESIDUE_REASONS = {f"r{i}": reason for i, (reason, _, _) in enumerate(_RESIDUE_TABLE)}
_PHRASES = tuple(
    (reason, re.compile(pattern, re.IGNORECASE), max_words)
    for reason, pattern, max_words in _RESIDUE_PHRASES
)

# Photo credits and captions need more than one line shape.
_CREDIT_PREFIX = re.compile(
    r"(?:image|images|photo|photos|photograph|picture|pic|credits?|photo credits?|"
    r"image (?:credits?|source)|file (?:photo|image|picture)|representational (?:image|photo|"
    r"picture)|representative (?:image|photo)|illustration|graphic|caption|"
    r"photo(?:graph)? by|image by|pictured|above|top|main picture|main image|source)"
    r"\s*[:|]\s*.{0,160}|(?:photo(?:graph)?|image|picture) by .{1,60}|"
    r"(?:media|image|video|photo|picture) (?:caption|copyright|credit|source)s?\s*:?.{0,160}",
    re.IGNORECASE,
)
_CREDIT_PAREN = re.compile(
    r"[(\[]\s*(?:image|photo|pic|picture|photograph|file|representational|credit|"
    r"illustration|source)s?\b[^()\[\]]{0,100}[)\]]",
    re.IGNORECASE,
)
# A caption ends with a credit in brackets: "(Name/Pool via AP)", "(AP Photo/Name)".
_CREDIT_TRAILING = re.compile(
    r"[.!?]\s*[(\[](?:AP|AFP|Reuters|REUTERS|Getty Images|Getty|EPA|EPA-EFE|PA|Xinhua|TASS|"
    r"Bloomberg|Shutterstock|iStock)[)\]]$|"
    r"[(\[](?=[^()\[\]]*(?:\b[A-Z][\w.'’-]+ [A-Z][\w.'’-]+\s*/\s*[A-Z]|\bvia\b|\bphoto|"
    r"\bimages?\b|\bgetty\b|"
    r"\bpool\b|\bcourtesy\b|\bshutterstock\b|\bfile\b))[^()\[\]]{2,80}[)\]]$"
)
# A credit line: a photo agency alone, or "<source>/<agency>". A news agency's name alone is
# left to the byline reader, which takes it as the agency.
_CREDIT_AGENCY = re.compile(
    r"(?:getty(?: images)?|ap photo|afp photo|shutterstock|istock|alamy|pa images|"
    r"press association images|(?:reuters|ap|afp|epa|pool|sipa|xinhua|tass|bloomberg|pti|ani|"
    r"ians|pa|pa media)(?:\s*(?:/|via)\s*.{1,60}))(?:\s*(?:/|via)\s*.{1,60})?|"
    r"[\w.'’ -]{2,50}\s*/\s*(?:getty images|ap|afp|reuters|epa|shutterstock|pool|ap photo|sipa|"
    r"bloomberg|xinhua|tass|pa|pa images|pa media|alamy|anadolu(?: agency)?)(?:\s+via\s+.{1,40})?",
    re.IGNORECASE,
)
# "©" anywhere; "(c)" and "Copyright" only opening the line ("copyright infringement" is news).
_COPYRIGHT_MARK = re.compile(r"[©ⓒ]|^(?:\(c\)|copyright\b)", re.IGNORECASE)
_COPYRIGHT_FOOTER = re.compile(
    r"\b(?:19|20)\d{2}\b|all rights reserved|powered by|developed by|designed by|"
    r"\b(?:ltd|limited|inc|llc|gmbh|plc)\b",
    re.IGNORECASE,
)
_ALL_RIGHTS = re.compile(r"\ball rights reserved\b", re.IGNORECASE)
_POWERED_BY = re.compile(r"\b(?:powered|developed|designed|hosted) by\b", re.IGNORECASE)
# Labels with nothing after them, e.g. "Published: Updated:" from an empty template.
_EMPTY_LABELS = re.compile(
    r"(?:(?:first |last )?(?:published|updated|modified|posted|date|dated|by|author|authors|"
    r"written by|reported by|edited by|source|location|time)\s*[:|]?\s*)+",
    re.IGNORECASE,
)
_RELATIVE_TIME = re.compile(
    r"(?:(?:updated|published|posted|last updated)\s*:?\s*)?(?:about |just )?"
    r"(?:\d+|an?|one)\s+(?:seconds?|secs?|minutes?|mins?|hours?|hrs?|days?|weeks?|months?)\s+ago"
    r"|just now",
    re.IGNORECASE,
)


_DECORATION = re.compile(r"^[\s•·|»>*#]+|[\s•·|«<*#]+$")


def _doubled(text: str, words: Sequence[str]) -> bool:
    """True when a line is one phrase said twice, as a headline rendered in two elements.

    A sentence that repeats itself ("He is thin, he is thin.") ends in a period; a headline
    does not.
    """
    n = len(words)
    if n < 6 or n % 2 or text.endswith("."):
        return False
    half = n // 2
    return [w.casefold() for w in words[:half]] == [w.casefold() for w in words[half:]]


def residue_reason(line: str) -> str | None:
    """Return why ``line`` is page residue, or ``None`` when it may be article text.

    Only the line's whole shape counts: "Advertisement" is residue, a sentence about an
    advertisement is not. Bylines, datelines and navigation runs are judged elsewhere.

    Args:
        line: One whitespace-normalised line.
    """
    # Bullets and bars around a widget's label ("• 2 min read") do not change what it is.
    text = _DECORATION.sub("", line) or line
    words = _words(text)
    n = len(words)
    if _doubled(text, words):
        return "repeated-headline"
    limit = next((lim for lim in _RESIDUE_LIMITS if n <= lim), None)
    if limit is not None:
        whole = _RESIDUE_BY_LIMIT[limit].fullmatch(text)
        if whole is not None and whole.lastgroup:
            return _RESIDUE_REASONS[whole.lastgroup]
    for reason, pattern, max_words in _PHRASES:
        if n <= max_words and pattern.search(text):
            return reason
    if n <= 30:
        if _COPYRIGHT_MARK.search(text):
            # "© 2022 Outlet, powered by ..." is a footer; "..., © AP/PA Images" a credit.
            if _COPYRIGHT_FOOTER.search(text) or n <= 3:
                return "copyright"
            return "photo-credit"
        if _ALL_RIGHTS.search(text):
            return "copyright"
        if n <= 12 and _POWERED_BY.search(text) and not _is_terminal(text):
            return "copyright"
        if _CREDIT_PREFIX.fullmatch(text) or _CREDIT_PAREN.fullmatch(text):
            return "photo-credit"
        if n <= 12 and _CREDIT_AGENCY.fullmatch(text):
            return "photo-credit"
        if _EMPTY_LABELS.fullmatch(text):
            return "empty-label"
        if _RELATIVE_TIME.fullmatch(text):
            return "dateline"
    if n <= 80 and _CREDIT_TRAILING.search(text):
        return "photo-credit"
    return None


# --------------------------------------------------------------------------------------------
# Byline reader
# --------------------------------------------------------------------------------------------

_BYLINE_PREFIX = re.compile(
    r"(?P<strong>(?:written|reported|reporting|words|story|text|report|compiled|posted|"
    r"produced)\s+by|author(?:s|\(s\))?|by\s*:|byline)\s*[:|-]?\s*|(?P<weak>by)\s+",
    re.IGNORECASE,
)
# Agencies and outlets that appear in bylines, canonical spelling. Acronyms match only in
# capitals, so the word "ap" or "pa" in a sentence never reads as an agency.
_AGENCIES = (
    "Associated Press",
    "The Associated Press",
    "Reuters",
    "Thomson Reuters",
    "Agence France-Presse",
    "Agence France Presse",
    "Bloomberg",
    "Bloomberg News",
    "Press Trust of India",
    "Asian News International",
    "Indo-Asian News Service",
    "United News of India",
    "Press Association",
    "PA Media",
    "Xinhua",
    "TASS",
    "RIA Novosti",
    "Interfax",
    "Sputnik",
    "Kyodo",
    "Kyodo News",
    "Yonhap",
    "Anadolu Agency",
    "Deutsche Presse-Agentur",
    "United Press International",
    "The Canadian Press",
    "Canadian Press",
    "Australian Associated Press",
    "Al Jazeera",
    "CNN",
    "BBC",
    "BBC News",
    "NPR",
    "The New York Times",
    "The Washington Post",
    "Tribune News Service",
    "Euronews",
)
_AGENCY_ACRONYMS = (
    "AP",
    "AFP",
    "PTI",
    "ANI",
    "IANS",
    "UNI",
    "PA",
    "EFE",
    "ANSA",
    "DPA",
    "dpa",
    "UPI",
    "AAP",
    "CP",
    "RTRS",
    "ABC",
    "NBC",
    "CBS",
    "UPI",
)
_AGENCY_NAMES = {a.casefold(): a.removeprefix("The ") for a in _AGENCIES}
_AGENCY_HINT = re.compile(
    r"(?i:"
    + "|".join(re.escape(a) for a in _AGENCIES)
    + r")|\b(?:"
    + "|".join(_AGENCY_ACRONYMS)
    + r")\b"
)
_AGENCY_WORDS = frozenset(
    w.casefold() for name in (*_AGENCIES, *_AGENCY_ACRONYMS) for w in re.findall(r"\w+", name)
)


def _may_name_agency(text: str) -> bool:
    """A cheap test before the agency pattern: does any word of ``text`` occur in a name?"""
    return any(w.casefold() in _AGENCY_WORDS for w in _WORD.findall(text)) and bool(
        _AGENCY_HINT.search(text)
    )


# Words that make a byline part an organisation or a job title rather than a person.
_ORG_WORDS = _wordset(
    "press news agency times post journal herald tribune media network service wire "
    "newswire daily gazette telegraph guardian express mail globe chronicle online "
    "digital magazine radio television tv group reuters bloomberg"
)
_ROLE_WORDS = _wordset(
    "staff writer writers correspondent correspondents reporter reporters editor editors "
    "contributor contributors columnist bureau desk chief senior deputy diplomatic "
    "political national international foreign economics business science health special "
    "associate managing executive analyst producer team web investigative and"
)
# Academic and professional credentials after a name ("Rachael Link, MS, RD").
_CREDENTIALS = _wordset("phd md ms ma mba rd rdn rn mph dvm jd esq msc bsc cpa")
_NAME_PARTICLES = _wordset(
    "de da das do dos du del della der den van von la le di bin ibn al el y st. mc ter"
)
_CALENDAR_WORDS = _wordset(
    "monday tuesday wednesday thursday friday saturday sunday january february march "
    "april may june july august september october november december today yesterday"
)
_NOT_NAME_WORDS = _wordset("the a an in on at of for and or but this that")
_NAME_TOKEN = re.compile(r"(?:[^\W\d_][\w'’.-]*|[A-Z]\.)", re.UNICODE)
_BYLINE_SPLIT = re.compile(r"\s*,\s*|\s+and\s+|\s*&\s*|\s*;\s*|\s+(?:for|of)\s+(?=[A-Z])")
_AGENCY_LEAD = re.compile(
    r"^[A-Z][A-Z .,'’-]{1,40}\s*\((?P<agency>[A-Z][\w .-]{1,30})\)\s*[-—–:]\s"
)


@dataclass(frozen=True, slots=True)
class _Byline:
    names: tuple[str, ...]
    agency: str | None


def _agency(part: str) -> str | None:
    """Return the canonical agency named by ``part`` (job titles around it are ignored)."""
    words = part.split()
    while words and words[-1].casefold() in _ROLE_WORDS:
        words.pop()
    core = " ".join(words)
    if not core:
        return None
    if core.casefold() in _AGENCY_NAMES:
        return _AGENCY_NAMES[core.casefold()]
    if core in _AGENCY_ACRONYMS:
        return core
    # "AP Diplomatic Writer": the acronym leads a job title.
    if words[0] in _AGENCY_ACRONYMS and all(w.casefold() in _ROLE_WORDS for w in words[1:]):
        return words[0]
    return None


def _is_org(part: str) -> bool:
    words = part.split()
    return (
        bool(words)
        and words[0][:1].isupper()
        and any(w.casefold().strip(".,") in _ORG_WORDS for w in words)
    )


def _is_role(part: str) -> bool:
    words = [w.casefold().strip(".,") for w in part.split()]
    return bool(words) and all(
        w in _ROLE_WORDS or w in _ORG_WORDS or w in _CREDENTIALS for w in words
    )


def _is_name(part: str) -> bool:
    """True for a person's name: 2-5 capitalised words, initials and particles allowed."""
    tokens = part.split()
    if not 2 <= len(tokens) <= 5:
        return False
    real = 0
    for tok in tokens:
        low = tok.casefold()
        if low in _NAME_PARTICLES:
            continue
        if not _NAME_TOKEN.fullmatch(tok) or not tok[0].isupper():
            return False
        if low.strip(".") in _CALENDAR_WORDS or low in _NOT_NAME_WORDS:
            return False
        if low in _ORG_WORDS or low in _ROLE_WORDS:
            return False
        real += 1
    return real >= 2


def parse_byline(line: str) -> tuple[str | None, str | None] | None:
    """Read a byline into names and agency.

    ``"By Matthew Lee, Associated Press"`` gives ``("Matthew Lee", "Associated Press")``.

    Accepted shapes: ``By <names>[, <agency or job title>]``, ``Reported by: <names>``,
    ``Written by``/``Author:`` forms, ``<Name>, <known agency>`` and a known agency alone
    (``Reuters``). Names are joined as ``"A"``, ``"A and B"`` or ``"A, B and C"``. A line
    opening with "By" that goes on as a sentence ("By Monday, the talks had ...") is not a
    byline: every comma- or "and"-separated part must be a name, an agency or a job title.

    Args:
        line: One whitespace-normalised line.

    Returns:
        ``(names, agency)`` (either may be ``None``), or ``None`` when the line is no byline.
    """
    parsed = _parse_byline(line)
    if parsed is None:
        return None
    return _join_names(parsed.names), parsed.agency


def _join_names(names: Sequence[str]) -> str | None:
    if not names:
        return None
    if len(names) == 1:
        return names[0]
    return ", ".join(names[:-1]) + " and " + names[-1]


def _parse_byline(line: str) -> _Byline | None:
    text = line.strip().rstrip(".")
    if len(text) > 160:
        return None
    m = _BYLINE_PREFIX.match(text)
    if m is None and (len(text) > 80 or not _may_name_agency(text)):
        return None  # without "By", only a line naming a known agency can be a byline
    strong = bool(m and m.group("strong"))
    rest = text[m.end() :] if m else text
    rest = rest.strip(" :|-—–")
    if not rest:
        return None
    names: list[str] = []
    agency: str | None = None
    for raw_part in _BYLINE_SPLIT.split(rest):
        part = raw_part.strip(" .")
        if not part:
            continue
        found = _agency(part)
        if found:
            agency = agency or found
        elif _is_name(part):
            names.append(part)
        elif _is_role(part):
            continue
        elif _is_org(part) and (m or agency is None):
            agency = agency or part
        else:
            return None
    if not names and agency is None:
        return None
    if not m:
        # Without "By", accept only "<Name>, <known agency>" or a known agency alone: other
        # short capitalised lines are too often headlines or captions.
        known = agency is not None and _agency(agency) is not None
        if not known or len(names) > 1:
            return None
    elif not strong and not names and agency is None:
        return None
    return _Byline(tuple(names), agency)


# --------------------------------------------------------------------------------------------
# Dateline reader
# --------------------------------------------------------------------------------------------

_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_DAY = r"(?:[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?:19|20)\d{2}"
_DATE_CORE = re.compile(
    rf"\b(?:(?P<m1>{_MONTH})\s+(?P<d1>{_DAY}),?\s+(?P<y1>{_YEAR})|"
    rf"(?P<d2>{_DAY})\s+(?:of\s+)?(?P<m2>{_MONTH}),?\s+(?P<y2>{_YEAR})|"
    rf"(?P<m3>{_MONTH}),?\s+(?P<y3>{_YEAR})|"
    rf"(?P<y4>{_YEAR})[-/](?P<mo4>[01]?\d)[-/](?P<d4>[0-3]?\d)|"
    rf"(?P<a5>[0-3]?\d)(?P<sep5>[/.])(?P<b5>[0-3]?\d)[/.](?P<y5>{_YEAR}|\d{{2}}))\b",
    re.IGNORECASE,
)
_TIME = re.compile(
    r"\b(?P<h>[01]?\d|2[0-3])[:.h](?P<mi>[0-5]\d)(?:[:.](?P<s>[0-5]\d))?"
    r"(?:\s*(?P<ap>[ap])\.?\s?m\.?)?(?=\W|$)|"
    r"\b(?P<h2>1[0-2]|0?[1-9])\s*(?P<ap2>[ap])\.?\s?m\.?(?=\W|$)",
    re.IGNORECASE,
)
_MONTHS = {
    m: i
    for i, m in enumerate(re.findall(r"\w+", "jan feb mar apr may jun jul aug sep oct nov dec"), 1)
}
_ISO_DATETIME = re.compile(
    r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?"
)
_WEEKDAY = re.compile(
    r"\b(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)(?:day|sday|nesday|rsday|urday)?\b\.?",
    re.IGNORECASE,
)
_DATE_LABEL = re.compile(
    r"^\s*(?P<label>(?:first |originally )?published|posted|(?:last )?updated|"
    r"(?:last )?modified|created|date|dated|released|issued|on)\b\s*(?:on|at)?\s*[:|-]?\s*",
    re.IGNORECASE,
)
_DATE_FILLER = re.compile(
    r"\b(?:at|on|hrs|hours|local time|time|the|of)\b|[,.:;|/()\[\]–—-]",
    re.IGNORECASE,
)

# Fixed offsets (minutes east of UTC) of timezone abbreviations that news pages print.
# Ambiguous ones take their most common newsroom sense: IST is India, CST is US Central.
_TZ_OFFSETS = {
    "UTC": 0, "GMT": 0, "Z": 0, "WET": 0, "BST": 60, "IST": 330, "CET": 60, "CEST": 120,
    "MEZ": 60, "MESZ": 120, "EET": 120, "EEST": 180, "WEST": 60, "MSK": 180, "EST": -300,
    "EDT": -240, "CST": -360, "CDT": -300, "MST": -420, "MDT": -360, "PST": -480, "PDT": -420,
    "AKST": -540, "AKDT": -480, "HST": -600, "JST": 540, "KST": 540, "HKT": 480, "SGT": 480,
    "PHT": 480, "WIB": 420, "ICT": 420, "AWST": 480, "ACST": 570, "ACDT": 630, "AEST": 600,
    "AEDT": 660, "NZST": 720, "NZDT": 780, "PKT": 300, "NPT": 345, "SAST": 120, "WAT": 60,
    "CAT": 120, "EAT": 180, "GST": 240, "TRT": 180, "IRST": 210,
}  # fmt: skip
# Generic zone names whose offset depends on daylight saving time on the day.
_TZ_REGIONS = {
    "ET": "America/New_York",
    "CT": "America/Chicago",
    "MT": "America/Denver",
    "PT": "America/Los_Angeles",
    "UK": "Europe/London",
}
_TZ_STANDARD = {"ET": -300, "CT": -360, "MT": -420, "PT": -480, "UK": 0}
_TZ_TOKEN = re.compile(
    r"(?<![\w+-])(?:(?P<abbr>"
    + "|".join(sorted([*_TZ_OFFSETS, *_TZ_REGIONS], key=len, reverse=True))
    + r")(?:\s*(?P<sign>[+-])\s*(?P<h>\d{1,2})(?::?(?P<m>\d{2}))?)?"
    r"|(?P<sign2>[+-])(?P<h2>\d{2}):?(?P<m2>\d{2}))(?![\w])",
    re.IGNORECASE,  # "10:18am ist" is written in lower case by some outlets
)


@dataclass(frozen=True, slots=True)
class Dateline:
    """A date read from a dateline.

    Attributes:
        kind: ``"published"`` (labelled so), ``"date"`` (no label) or ``"updated"``.
        iso: ISO 8601 at the precision the line gives.
    """

    kind: str
    iso: str


@functools.lru_cache(maxsize=1)
def _date_parser() -> Any:
    # dateparser builds its language data on first use; do it once, and only when a
    # dateline candidate shows up.
    from dateparser.date import DateDataParser

    return DateDataParser(
        languages=["en"],
        settings={"PREFER_DAY_OF_MONTH": "first", "RETURN_AS_TIMEZONE_AWARE": False},
    )


def _offset_for(match: re.Match[str], naive: datetime) -> timezone | None:
    abbr = match.group("abbr")
    if abbr is None:
        sign = -1 if match.group("sign2") == "-" else 1
        return timezone(
            sign * timedelta(hours=int(match.group("h2")), minutes=int(match.group("m2")))
        )
    abbr = abbr.upper()
    minutes: int | None = _TZ_OFFSETS.get(abbr)
    if minutes is None:
        try:
            from zoneinfo import ZoneInfo

            off = naive.replace(tzinfo=ZoneInfo(_TZ_REGIONS[abbr])).utcoffset()
            minutes = int(off.total_seconds() // 60) if off is not None else None
        except Exception:  # no tz database: fall back to standard time
            minutes = _TZ_STANDARD[abbr]
    if minutes is None:
        return None
    if match.group("sign"):
        sign = -1 if match.group("sign") == "-" else 1
        minutes += sign * (int(match.group("h")) * 60 + int(match.group("m") or 0))
    return timezone(timedelta(minutes=minutes))


def _ymd(core: re.Match[str]) -> tuple[int, int, int | None] | None:
    """Return (year, month, day) of a matched date, or ``None`` if the order is ambiguous."""
    g = core.groupdict()

    def num(value: str) -> int:
        return int(re.match(r"\d+", value).group())  # type: ignore[union-attr]

    for m, d, y in (("m1", "d1", "y1"), ("m2", "d2", "y2")):
        if g[m]:
            return int(g[y]), _MONTHS[g[m][:3].casefold()], num(g[d])
    if g["m3"]:
        return int(g["y3"]), _MONTHS[g["m3"][:3].casefold()], None
    if g["y4"]:
        return int(g["y4"]), int(g["mo4"]), int(g["d4"])
    a, b, y = int(g["a5"]), int(g["b5"]), g["y5"]
    year = int(y) if len(y) == 4 else 2000 + int(y)
    if g["sep5"] == "." or a > 12:  # 10.01.2022 and 25/12/2021 put the day first
        return year, b, a
    if b > 12:
        return year, a, b
    return None  # 01/02/2022: let dateparser apply its locale's order


def _hms(leftover: str) -> tuple[int, int, int] | None:
    m = _TIME.search(leftover)
    if m is None:
        return None
    if m.group("h2"):
        hour, minute, second, ampm = int(m.group("h2")), 0, 0, m.group("ap2")
    else:
        hour, minute = int(m.group("h")), int(m.group("mi"))
        second, ampm = int(m.group("s") or 0), m.group("ap")
    if ampm and hour <= 12:  # "13:42pm": a 24-hour clock with a stray suffix
        hour = hour % 12 + (12 if ampm.casefold() == "p" else 0)
    return hour, minute, second


def _dateparser_ymd(text: str) -> tuple[int, int, int | None] | None:
    data = _date_parser().get_date_data(text)
    if data is None or data.date_obj is None or "year" not in (data.parts or ()):
        return None
    day = data.date_obj.day if "day" in (data.parts or ()) else None
    return data.date_obj.year, data.date_obj.month, day


def _parse_date_segment(segment: str) -> Dateline | None:
    label_match = _DATE_LABEL.match(segment)
    label = label_match.group("label").casefold() if label_match else ""
    body = segment[label_match.end() :] if label_match else segment
    if "updated" in label or "modified" in label:
        kind = "updated"
    elif label and label not in ("on", "date", "dated"):
        kind = "published"
    else:
        kind = "date"
    if _ISO_DATETIME.fullmatch(body.strip()):
        try:
            value = datetime.fromisoformat(body.strip().replace("Z", "+00:00"))
        except ValueError:
            return None
        return Dateline(kind, value.isoformat(timespec="seconds"))
    core = _DATE_CORE.search(body)
    if core is None:
        return None
    # Everything else on the line must be time, weekday, zone or filler: a sentence that
    # contains a date is not a dateline.
    leftover = body[: core.start()] + " " + body[core.end() :]
    rest = leftover
    for pattern in (_TIME, _WEEKDAY, _TZ_TOKEN, _DATE_FILLER):
        rest = pattern.sub(" ", rest)
    if rest.strip():
        return None
    # The common shapes are read directly (fast, and exact about precision); dateparser
    # settles the ones whose day/month order depends on the locale.
    ymd = _ymd(core) or _dateparser_ymd(core.group(0))
    if ymd is None:
        return None
    year, month, day = ymd
    hms = _hms(leftover) if day is not None else None
    try:
        value = datetime(year, month, day or 1, *(hms or (0, 0, 0)))
    except ValueError:
        return None
    if day is None:
        return Dateline(kind, value.strftime("%Y-%m"))
    if hms is None:
        return Dateline(kind, value.strftime("%Y-%m-%d"))
    tz_match = _TZ_TOKEN.search(leftover)
    tz = _offset_for(tz_match, value) if tz_match else None
    return Dateline(kind, value.replace(tzinfo=tz).isoformat(timespec="seconds"))


_DATE_SEGMENTS = re.compile(
    r"\s*[|•·]\s*|\s+[-—–/]\s+|\s+(?=(?:(?:first |last )?published|(?:last )?updated|"
    r"(?:last )?modified|posted)\b)",
    re.IGNORECASE,
)


@functools.lru_cache(maxsize=4096)
def _parse_dateline_cached(line: str) -> tuple[Dateline, ...] | None:
    if len(line) > 160 or len(_words(line)) > 24 or not re.search(r"\d", line):
        return None
    found: list[Dateline] = []
    previous = ""
    for segment in _DATE_SEGMENTS.split(line):
        if not segment.strip(" ,.:|") or _RELATIVE_TIME.fullmatch(segment.strip()):
            continue
        parsed = _parse_date_segment(segment)
        if parsed is None and found and len(found[-1].iso) == 10:
            # "November 19, 2019 / 12:21 AM": the time has a segment of its own.
            parsed = _parse_date_segment(previous + " " + segment)
            if parsed is not None:
                found.pop()
        if parsed is None:
            return None
        found.append(parsed)
        previous = segment
    return tuple(found) or None


def parse_dateline(line: str) -> list[Dateline] | None:
    """Read a dateline such as ``"Updated January 11th, 2022 at 12:23 IST"``.

    The line may hold several segments (``"Published: ... | Updated: ..."``); each must be a
    date with optional weekday, time, timezone and a published/updated label, so that a
    sentence containing a date is never taken for a dateline. A year is required (a date
    without one cannot be placed). Timezone abbreviations become offsets (IST +05:30,
    EST -05:00, ET by the US Eastern daylight rules of that day, GMT, BST, CET, ...).

    Args:
        line: One whitespace-normalised line.

    Returns:
        The dates on the line, or ``None`` when it is not a dateline.
    """
    found = _parse_dateline_cached(line)
    return list(found) if found else None


def _timestamp(line: str) -> bool:
    """A dateline with a time, weekday or label: an item's stamp, not a date subheading."""
    return bool(_TIME.search(line) or _WEEKDAY.search(line) or _DATE_LABEL.match(line))


def _pick_published(dates: Sequence[Dateline]) -> str | None:
    """Prefer a date labelled published, then an unlabelled one, then an update time."""
    for kind in ("published", "date", "updated"):
        for d in dates:
            if d.kind == kind:
                return d.iso
    return None


def _read_meta_line(text: str) -> tuple[_Byline | None, list[Dateline]] | None:
    """Read a line made only of byline and dateline segments ("By A | Jan 10, 2022")."""
    has_digit = any(ch.isdigit() for ch in text)
    if has_digit:
        dates = parse_dateline(text)
        if dates:
            return None, dates
    elif not _BYLINE_PREFIX.match(text) and not _may_name_agency(text):
        return None  # no date and no byline shape: the common case, decided cheaply
    byline = _parse_byline(text)
    if byline is not None:
        return byline, []
    if not has_digit:
        return None
    segments = [s for s in re.split(r"\s*[|•·]\s*", text) if s.strip()]
    if len(segments) < 2:
        return _read_byline_and_date(text)
    found_byline: _Byline | None = None
    found_dates: list[Dateline] = []
    for segment in segments:
        seg_dates = parse_dateline(segment)
        if seg_dates:
            found_dates.extend(seg_dates)
            continue
        seg_byline = _parse_byline(segment)
        if seg_byline is None or found_byline is not None:
            return None
        found_byline = seg_byline
    return found_byline, found_dates


_HAS_BY = re.compile(r"\bby\b", re.IGNORECASE)
_BYLINE_DATE_JOINT = re.compile(r"\s+(?:on|at|,)\s+|,\s*|\s+[-–—]\s+|\s+", re.IGNORECASE)


def _read_byline_and_date(text: str) -> tuple[_Byline | None, list[Dateline]] | None:
    """Read "Posted by A on <date>" and "<date> by A": a byline and a date joined by a word."""
    if len(text) > 160 or not _DATE_CORE.search(text):
        return None
    if not _HAS_BY.search(text) and not _may_name_agency(text) and not text[:1].isupper():
        return None
    for joint in _BYLINE_DATE_JOINT.finditer(text):
        left, right = text[: joint.start()], text[joint.end() :]
        byline = _parse_byline(left)
        if byline is None and _is_name(left) and _timestamp(right):
            byline = _Byline((left,), None)  # "Ann Lee - Nov 19, 2019, 10:31 pm": a name, stamped
        dates = parse_dateline(right) if byline is not None else None
        if byline is not None and dates:
            return byline, dates
        dates = parse_dateline(left)
        byline = _parse_byline(right) if dates else None
        if dates and byline is not None and _BYLINE_PREFIX.match(right):
            return byline, dates
    return None


# --------------------------------------------------------------------------------------------
# Stopwords (for the context classifier)
# --------------------------------------------------------------------------------------------

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


def _choose_stoplist(units: Sequence[_Unit]) -> frozenset[str]:
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


# --------------------------------------------------------------------------------------------
# Units (lines, or lines re-joined into one paragraph) and the context classifier
# --------------------------------------------------------------------------------------------

# jusText's defaults (Pomikálek 2011), which were fitted on web pages of many languages.
_LENGTH_LOW = 70
_LENGTH_HIGH = 200
_STOPWORDS_LOW = 0.30
_STOPWORDS_HIGH = 0.32
_STOPWORDS_PROSE = 0.15  # below jusText's low bar, but enough for a sentence of names/figures
_MAX_HEADING_DISTANCE = 200
_MIN_PAGE_TITLE_WORDS = 4  # a headline found among menus must be longer than a menu label
_TITLE_TO_TEXT = 3  # lines at most between a leading headline and the first prose line


@dataclass(slots=True)
class _Unit:
    """One line of input, or several that a scraper broke out of one paragraph."""

    raw: list[str]
    text: str
    lines: list[int] = field(default_factory=list)  # input line indices
    reason: str | None = None
    cls: str = ""  # context-free class: good, neargood, short, bad
    final: str = ""  # class after the context pass
    words: list[str] = field(default_factory=list)


def _headline_like(unit: _Unit) -> bool:
    """Short, capitalised, without a closing period: how headlines and subheadings look.

    A question or exclamation is a headline only in title case ("Can Talks Still Succeed?");
    otherwise it is a sentence of the text.
    """
    text = unit.text
    n = len(unit.words)
    if not 2 <= n <= 30 or len(text) > 220 or len(_SEPARATORS.findall(text)) >= 2:
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


def _sentence_like(unit: _Unit, stop: frozenset[str]) -> bool:
    n = len(unit.words)
    if n < 4 or not _is_terminal(unit.text):
        return False
    return not stop or _density(unit, stop) >= 0.2


def _context_free(unit: _Unit, stop: frozenset[str], repeated: bool) -> str:
    """jusText's context-free class, with sentence punctuation standing in for link density."""
    text = unit.text
    n = len(unit.words)
    density = _density(unit, stop)
    terminal = _is_terminal(text)
    if not terminal and len(_SEPARATORS.findall(text)) >= 2:
        return "bad"  # "Home | World | Business": a menu flattened into a line
    if repeated and not terminal:
        return "bad"  # the same short label twice on a page is template text
    if len(text) < _LENGTH_LOW:
        return "neargood" if _sentence_like(unit, stop) else "short"
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


def _density(unit: _Unit, stop: frozenset[str]) -> float:
    """The share of stopwords among the unit's words (numbers do not count as words)."""
    if not stop:
        return 0.0
    words = [w for w in unit.words if not w.isdigit()]
    return sum(w.casefold() in stop for w in words) / len(words) if words else 0.0


_NAV_RUN = 3  # this many link-like lines in a row are a menu, a tag list or a rail
_LINK_WORDS = 15  # the most words of a menu item, tag or teaser headline


def _link_like(unit: _Unit) -> bool:
    """A short line without sentence punctuation: a menu item, tag or teaser headline."""
    return len(unit.words) <= _LINK_WORDS and len(unit.text) < 120 and not _is_terminal(unit.text)


def _mark_runs(units: Sequence[_Unit]) -> None:
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


def _promote_prose(units: Sequence[_Unit]) -> None:
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


def _main_span(units: Sequence[_Unit]) -> None:
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


def _classify_context(units: list[_Unit]) -> None:
    """jusText's context pass over the candidate units (sets ``final``)."""
    for u in units:
        u.final = u.cls
    # Headings: a short headline-like unit shortly before good text is probably its heading.
    for i, u in enumerate(units):
        if u.final != "short" or not _headline_like(u):
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


# --------------------------------------------------------------------------------------------
# Title
# --------------------------------------------------------------------------------------------


def _title_key(text: str) -> str:
    return " ".join(_words(text.casefold()))


def _strip_site_suffix(title: str) -> str:
    """``"Talks end - The Outlet"`` -> ``"Talks end"`` (page titles often carry the site)."""
    parts = re.split(r"\s+[|–—-]\s+", title)
    return max(parts, key=len) if len(parts) > 1 else title


# --------------------------------------------------------------------------------------------
# clean_text
# --------------------------------------------------------------------------------------------


_WRAP_FULL = 0.6  # a hard-wrapped line this share of the width long was wrapped, not ended


def _wrap_width(texts: Sequence[str]) -> int | None:
    """The column at which the text was hard-wrapped (mail, press releases), or ``None``.

    Wrapped text has many lines of nearly the same length, none much longer, and many of
    them end mid-sentence. Scraped pages and one-line-per-paragraph text have neither.
    """
    if len(texts) < 8:
        return None
    lengths = sorted(len(t) for t in texts)
    width = lengths[int(0.9 * (len(lengths) - 1))]
    if not 40 <= width <= 100 or lengths[-1] > width * 1.15:
        return None
    full = [t for t in texts if len(t) >= _WRAP_FULL * width]
    if len(full) < 0.6 * len(texts):
        return None
    open_ended = sum(not _is_terminal(t) for t in full)
    return width if open_ended >= 0.4 * len(full) else None


def _join(a: str, b: str) -> str:
    # A word hyphenated across the break keeps its hyphen and loses only the line break.
    return a + b if a.endswith("-") and len(a) > 1 and a[-2].isalpha() else a + " " + b


_LISTING_GROUPS = 3  # item headers after the article that show a listing has begun
_LISTING_AFTER_WORDS = 40  # body words before a header can open a listing


def _cut_listing(units: Sequence[_Unit], markers: Mapping[int, str]) -> None:
    """Drop what follows the article when it is a listing: reader comments or story teasers.

    Comment bodies and teaser blurbs read like article text, but each item comes with a
    header: a comment form or "jdoe says:", a byline, a timestamp. The article has its
    headers on top; when at least three groups of them follow the start of its body, with
    kept text between the groups, the article ended at the first of them.

    Args:
        units: All units in order.
        markers: Input line index -> reason, for item headers (comment-form, byline and
            timestamp lines).
    """
    kept = [(u.lines[0], len(u.words)) for u in units if u.reason is None]
    kept_starts = [start for start, _ in kept]
    # The article's own headers (byline, dateline under the headline) come before its body:
    # only headers after some body text can open a listing.
    body_from = None
    words = 0
    for start, n in kept:
        words += n
        if words >= _LISTING_AFTER_WORDS:
            body_from = start
            break
    if body_from is None:
        return
    after = sorted(m for m in markers if m > body_from)
    groups = 0
    last = -1
    for m in after:
        # A new group begins when kept text lies between this header and the previous one.
        if last < 0 or bisect.bisect_right(kept_starts, last) < bisect.bisect_left(kept_starts, m):
            groups += 1
        last = m
    if groups < _LISTING_GROUPS:
        return
    reason = "comments" if markers[after[0]] == "comment-form" else "listing"
    for u in units:
        if u.lines[0] > after[0] and u.reason is None:
            u.reason = reason


def clean_text(raw: str, *, title: str | None = None) -> CleanedText:
    """Clean scraped plain text into an article body and its metadata.

    See the module docstring for the cascade. Whitespace is normalised; no other character of
    the kept text changes.

    Args:
        raw: The scraped text, one block per line (blank lines between paragraphs optional).
        title: The headline supplied with the input, if any. A first line equal to it is
            removed from the body, and no other title is looked for.

    Returns:
        The cleaned body, title, byline, agency, publication date and the dropped lines.
    """
    return _analyse(raw, title)[1]


def _analyse(raw: str, title: str | None) -> tuple[list[_Unit], CleanedText]:
    """Run the cascade; return the units with their classes (for inspection) and the result."""
    lines = raw.splitlines()
    dropped_at: dict[int, str] = {}  # input line index -> reason

    # Steps 1-2: normalise, and drop lines that are residue by their shape.
    singles: list[tuple[int, str]] = []
    for idx, line in enumerate(lines):
        text = _normalise(line)
        if not text:
            continue
        reason = residue_reason(text)
        if reason:
            dropped_at[idx] = reason
        else:
            singles.append((idx, text))

    # Step 3: re-join lines broken mid-sentence (also across residue lines in between, as
    # when an advertisement was inserted into a paragraph), and unwrap hard-wrapped text.
    width = _wrap_width([text for _, text in singles])
    units: list[_Unit] = []
    last = ""  # the previous kept line
    for idx, text in singles:
        broken = units and not _is_terminal(units[-1].text) and _starts_lower(text)
        # In hard-wrapped text a line that reached the width continues on the next line
        # of its block (no blank line between); a shorter one ended its paragraph.
        wrapped = (
            width is not None
            and units
            and units[-1].lines[-1] == idx - 1
            and len(last) >= _WRAP_FULL * width
        )
        last = text
        if broken or wrapped:
            units[-1].text = _join(units[-1].text, text)
            units[-1].raw.append(lines[idx])
            units[-1].lines.append(idx)
            continue
        units.append(_Unit([lines[idx]], text, lines=[idx]))
    for u in units:
        u.words = _words(u.text)

    # Step 4: byline and dateline lines.
    byline: str | None = None
    agency: str | None = None
    dates: list[Dateline] = []
    signed: set[int] = set()  # lines of bylines that name people (item headers in a listing)
    prose_words = 0  # words of sentence lines so far: has the body begun?
    for u in units:
        if len(u.raw) > 1 or len(u.text) > 200:
            prose_words += len(u.words) if _is_terminal(u.text) else 0
            continue
        meta = _read_meta_line(u.text)
        if meta is None:
            prose_words += len(u.words) if len(u.words) >= 8 and _is_terminal(u.text) else 0
            continue
        found_byline, found_dates = meta
        if (
            found_byline is None
            and prose_words >= _LISTING_AFTER_WORDS
            and all(d.kind == "date" for d in found_dates)
            and not _timestamp(u.text)
        ):
            continue  # a bare date inside the body is a subheading ("10 January 2022")
        if found_byline is not None:
            if found_byline.names:
                signed.add(u.lines[0])
            if byline is None and found_byline.names:
                byline = _join_names(found_byline.names)
            agency = agency or found_byline.agency
        dates.extend(found_dates)
        u.reason = "byline" if found_byline is not None else "dateline"

    candidates = [u for u in units if u.reason is None]
    stop = _choose_stoplist(candidates)
    counts = Counter(u.text.casefold() for u in candidates)
    for u in candidates:
        repeated = counts[u.text.casefold()] > 1 and len(u.text) < _LENGTH_LOW
        u.cls = _context_free(u, stop, repeated)

    # Step 5: title. A supplied title wins; otherwise the first substantive line, if it looks
    # like a headline and the text begins soon after it (a page's first line followed by its
    # menus is the site's name, not the headline).
    title_keys: set[str] = set()
    if title is not None and title.strip():
        title = _normalise(title)
        title_keys = {_title_key(title), _title_key(_strip_site_suffix(title))}
        if candidates and _title_key(candidates[0].text) in title_keys:
            candidates[0].reason = "title"
    elif candidates and _headline_like(candidates[0]) and len(candidates[0].raw) == 1:
        prose_at = next(
            (i for i, u in enumerate(candidates[1:], 1) if u.cls in ("good", "neargood")), None
        )
        if len(candidates) == 1 or (prose_at is not None and prose_at <= _TITLE_TO_TEXT):
            candidates[0].reason = "title"
            title = candidates[0].text
            title_keys = {_title_key(title)}

    # Later copies of the title are repeats, and so is the second copy of a paragraph that
    # occurs exactly twice (a pull quote, or a standfirst shown again above the body). A
    # paragraph seen three times or more is part of the text's structure (the same question
    # put in a series of interviews), and stays.
    seen: set[str] = set()
    keys = [" ".join(u.words).casefold() for u in candidates]
    occurrences = Counter(keys)
    for u, key in zip(candidates, keys, strict=True):
        if u.reason is not None:
            continue
        if key in title_keys:
            u.reason = "repeated-headline"
        elif len(u.words) >= 12 and key in seen and occurrences[key] == 2:
            u.reason = "duplicate"
        seen.add(key)

    # Step 6: the context classifier over what is left.
    body = [u for u in candidates if u.reason is None]
    _mark_runs(body)
    _promote_prose(body)
    _classify_context(body)
    _main_span(body)
    kept = [u for u in body if u.final == "good"]
    # Step 7: fallbacks for texts with no paragraph long enough to anchor the context.
    if not kept:
        kept = [u for u in body if _sentence_like(u, stop) or u.cls in ("good", "neargood")]
    if not kept:
        kept = list(body)
    kept_ids = {id(u) for u in kept}
    for u in body:
        if id(u) not in kept_ids:
            u.reason = "navigation"

    # Step 8: a page whose headline sat among its menus.
    if title is None and kept:
        title = _page_title(units, kept)

    # Step 9: reader comments or story teasers after the article.
    markers = {i: r for i, r in dropped_at.items() if r == "comment-form"}
    for u in units:
        # An agency's name alone is as often a photo credit inside the article as a header.
        if u.lines[0] in signed:
            markers[u.lines[0]] = "byline"
        elif u.reason == "dateline" and _timestamp(u.text):
            markers[u.lines[0]] = "dateline"
    _cut_listing(units, markers)

    if agency is None and kept:
        lead = _AGENCY_LEAD.match(kept[0].text)
        if lead:
            agency = _agency(lead.group("agency"))

    for u in units:
        if u.reason is not None:
            for idx in u.lines:
                dropped_at[idx] = u.reason
    result = CleanedText(
        text="\n\n".join(u.text for u in units if u.reason is None),
        title=title,
        byline=byline,
        agency=agency,
        published=_pick_published(dates),
        dropped=tuple(DroppedLine(lines[i], dropped_at[i]) for i in sorted(dropped_at)),
    )
    return units, result


def _page_title(units: Sequence[_Unit], kept: Sequence[_Unit]) -> str | None:
    """Find the headline of a full page: mark its unit as the title and return its text.

    The first kept unit if it looks like a headline and leads into longer text; else the
    nearest headline-like line before it, past metadata and at most a few short labels (an
    author's name, a section). A menu label is shorter than a headline, and a headline holds
    no date.
    """
    head = kept[0]
    if (
        _headline_like(head)
        and len(head.words) >= _MIN_PAGE_TITLE_WORDS
        and len(kept) > 1
        and len(kept[1].words) > len(head.words)
    ):
        head.reason = "title"
        return head.text
    first = next(i for i, u in enumerate(units) if u is head)
    labels = 0
    for u in reversed(units[max(0, first - 8) : first]):
        if u.reason in ("byline", "dateline"):
            continue
        if u.reason != "navigation":
            return None
        if (
            _headline_like(u)
            and len(u.words) >= _MIN_PAGE_TITLE_WORDS
            and not _DATE_CORE.search(u.text)
        ):
            u.reason = "title"
            return u.text
        labels += 1
        if labels > 2 or len(u.words) > 3:
            return None
    return None
