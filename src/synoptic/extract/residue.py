"""Page residue by its shape: the patterns that tell a line of page chrome from article text.

Each pattern matches a whole (whitespace-normalised) line, case-insensitively, and names its
reason (``advertisement``, ``share-prompt``, ``photo-credit``, ...); a few prompts in the
outlet's own voice are recognised by a phrase anywhere in a short line. A sentence that merely
mentions "advertisement" or "read more" never matches.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from synoptic.extract.lines import is_terminal, words

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


# A residue label's words are short: a line longer than this many characters per word allowed is
# never one, and is not matched (the combined pattern's backtracking grows with the line: one
# 5 MB word took 1.9 GB).
_LABEL_CHARS = 200
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
#: "3 hours ago", "Updated just now": a relative time stamp, never article text.
RELATIVE_TIME = re.compile(
    r"(?:(?:updated|published|posted|last updated)\s*:?\s*)?(?:about |just )?"
    r"(?:\d+|an?|one)\s+(?:seconds?|secs?|minutes?|mins?|hours?|hrs?|days?|weeks?|months?)\s+ago"
    r"|just now",
    re.IGNORECASE,
)


# The most words a headline has (``blocks.headline_like``).
HEADLINE_WORDS = 30
_DECORATION = re.compile(r"^[\s•·|»>*#]+|[\s•·|«<*#]+$")


def _doubled(text: str, tokens: Sequence[str]) -> bool:
    """True when a line is one phrase said twice, as a headline rendered in two elements.

    A sentence that repeats itself ("He is thin, he is thin.") ends in a period; a headline
    does not, and is short: twice a headline is at most ``2 * HEADLINE_WORDS`` words (a 19 MB
    line of one word repeated was dropped as a doubled headline; issue 17).
    """
    n = len(tokens)
    if n < 6 or n > 2 * HEADLINE_WORDS or n % 2 or text.endswith("."):
        return False
    half = n // 2
    return [w.casefold() for w in tokens[:half]] == [w.casefold() for w in tokens[half:]]


def residue_reason(line: str) -> str | None:
    """Return why ``line`` is page residue, or ``None`` when it may be article text.

    Only the line's whole shape counts: "Advertisement" is residue, a sentence about an
    advertisement is not. Bylines, datelines and navigation runs are judged elsewhere.

    Args:
        line: One whitespace-normalised line.
    """
    # Bullets and bars around a widget's label ("• 2 min read") do not change what it is.
    text = _DECORATION.sub("", line) or line
    tokens = words(text)
    n = len(tokens)
    if _doubled(text, tokens):
        return "repeated-headline"
    limit = next((lim for lim in _RESIDUE_LIMITS if n <= lim), None)
    if limit is not None and len(text) <= _LABEL_CHARS * limit:
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
        if n <= 12 and _POWERED_BY.search(text) and not is_terminal(text):
            return "copyright"
        if _CREDIT_PREFIX.fullmatch(text) or _CREDIT_PAREN.fullmatch(text):
            return "photo-credit"
        if n <= 12 and _CREDIT_AGENCY.fullmatch(text):
            return "photo-credit"
        if _EMPTY_LABELS.fullmatch(text):
            return "empty-label"
        if RELATIVE_TIME.fullmatch(text):
            return "dateline"
    if n <= 80 and _CREDIT_TRAILING.search(text):
        return "photo-credit"
    return None
