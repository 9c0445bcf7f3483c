"""Read one news document in the TREC/DUC SGML layout of newswire collections.

TREC, TDT, DUC and the LDC Gigaword/AQUAINT corpora store wire stories as SGML ``<DOC>``
elements (``ingest.files`` splits a file into them)::

    <DOC>                                     <DOC id="AFP_ENG_20050101.0001" type="story">
    <DOCNO> APW19981016.0240 </DOCNO>         <HEADLINE> ... </HEADLINE>
    <DATE_TIME> 1998-10-16 14:35:12 </DATE_TIME>  <DATELINE> PARIS, Jan 1 (AFP) </DATELINE>
    <HEADER> A5970 &Cx1f; taf-z ... </HEADER> <TEXT><P> ... </P></TEXT>
    <BODY><SLUG> ... </SLUG>                  </DOC>
    <HEADLINE> ... </HEADLINE>
    <TEXT><P> PHNOM PENH, Cambodia (AP) _ ... </P> ... </TEXT>
    </BODY><TRAILER> AP-NY-10-16-98 1435EDT </TRAILER>
    </DOC>

``parse_trec_doc`` maps one ``<DOC>`` to the fields every reader produces:

* **id and outlet** from ``DOCNO`` (or the ``id`` attribute): the letters it starts with name
  the source (``APW`` Associated Press, ``NYT`` New York Times, ``XIE`` Xinhua, ...;
  ``outlet_for_docno``), so outlets are counted per news service;
* **published** from ``DATE_TIME``/``DATE`` (``1998-10-16 14:35:12``, ``10/03/1998 14:42``,
  ``19981016``, ``880212``), else the date in the DOCNO. The data carries no time zone, so a
  time stays naive (``1998-10-16T14:35:12``), as the text reader keeps a time without an
  offset;
* **title** from ``HEADLINE`` (or ``HEAD``, ``HL``, ``TITLE``); **byline** from ``BYLINE`` or a
  leading "By JOHN SMITH" line (names in capitals are title-cased);
* **text** from the ``TEXT`` elements: each ``<P>`` a paragraph; without ``<P>`` tags,
  paragraphs are separated by blank lines or, in wire copy, by indented first lines.
  Paragraphs are joined by ``"\\n\\n"`` like the text reader's output.

Cleaning, in this order: wire control entities are removed (``&Cx1f;``, ``&QL;``, ``&UR;``,
``&LR;``, any other upper-case entity that is not a standard one; ``&MD;`` is the em dash and
``&HT;`` a tab), stray tags are removed, standard entities are unescaped (``&amp;``, ``&AMP;``),
and whitespace is collapsed; the wire's ASCII quotes (````...''``) become ``“...”`` so that
quotes are recognised as in any other text. Then whole lines of wire boilerplate are dropped,
each recorded in ``dropped`` with its reason, as ``extract.text`` records the residue it
drops: ``trailer`` (``AP-NY-10-16-98 1435EDT``), ``copyright`` (``c.1998 N.Y. Times News
Service``), ``wire-code`` (``(SPAN)``, ``(STORY CAN END HERE...)``, ``(rs-bc)``),
``separator``, ``editors-note`` (``EDITORS: ...``), and ``byline`` for the byline and
agency-credit lines before the story begins.
Lines of ``BODY`` outside its elements are ``outside-text`` unless they are one of these, and
the ``TRAILER`` element is recorded as ``trailer``. Dropped lines are recorded as cleaned
(entities decoded), so no markup reaches a brief through them.

**Datelines.** A wire story opens with a place dateline ("PHNOM PENH, Cambodia (AP) _ ",
"WASHINGTON _ ", "BEIJING, Dec. 3 (Xinhua) -- "). ``extract.text`` keeps such a lead in a
scraped page's text and reads only the agency from it; in wire copy the lead is a fixed
metadata field of every story, so here it is taken out of the text: the first paragraph
starts with the sentence proper, the lead is recorded in ``dropped`` (reason ``dateline``)
and kept as ``dateline``, and its credit ("AP") as ``agency``. A summary sentence then never
opens with the dateline, and every span still indexes the cleaned text, which is all a span
ever indexes.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from datetime import date, datetime
from html.entities import html5

from synoptic.errors import InputError
from synoptic.extract.text import DroppedLine, parse_byline

__all__ = [
    "WireDocument",
    "outlet_for_docno",
    "parse_trec_doc",
    "parse_wire_date",
    "split_dateline",
]


@dataclass(frozen=True, slots=True)
class WireDocument:
    """One ``<DOC>`` read into the fields of an article.

    Attributes:
        docno: The document number (``DOCNO`` or the ``id`` attribute).
        text: The cleaned body, paragraphs separated by ``"\\n\\n"``; the opening dateline and
            the wire boilerplate are not part of it.
        title: The headline.
        byline: The author names.
        published: ISO 8601: a date, or a date and a time without an offset; ``None`` when the
            document carries no readable date. An unrecognised form is passed on as written
            (``extract.core`` normalises or discards it).
        outlet: The news service named by the DOCNO prefix.
        agency: The agency credited in the dateline or an agency-credit line, e.g.
            ``"Associated Press"`` (an agency is not the outlet: NYT carries AP stories).
        dateline: The dateline as written, e.g. ``"PHNOM PENH, Cambodia (AP)"``.
        doctype: ``DOCTYPE`` or the ``type`` attribute, e.g. ``"NEWS STORY"``.
        slug: The wire slug, e.g. ``"BC-Cambodia-Politics"``.
        dropped: Every line taken out of the body, in document order, with its reason.
    """

    docno: str | None
    text: str
    title: str | None
    byline: str | None
    published: str | None
    outlet: str | None
    agency: str | None
    dateline: str | None
    doctype: str | None
    slug: str | None
    dropped: tuple[DroppedLine, ...]


# --------------------------------------------------------------------------------------------
# Outlets and dates
# --------------------------------------------------------------------------------------------

# DOCNO prefixes of the TREC, TDT, DUC, AQUAINT and Gigaword collections.
_OUTLETS = {
    "AP": "Associated Press",
    "APW": "Associated Press",
    "APE": "Associated Press",
    "NYT": "New York Times",
    "XIE": "Xinhua",
    "XIN": "Xinhua",
    "AFP": "Agence France-Presse",
    "AFE": "Agence France-Presse",
    "LTW": "Los Angeles Times-Washington Post",
    "WPB": "Washington Post-Bloomberg",
    "CNA": "Central News Agency",
    "WSJ": "Wall Street Journal",
    "SJMN": "San Jose Mercury News",
    "LA": "Los Angeles Times",
    "FT": "Financial Times",
    "FBIS": "Foreign Broadcast Information Service",
    "CNN": "CNN",
    "ABC": "ABC News",
    "NBC": "NBC News",
    "MNB": "MSNBC",
    "PRI": "Public Radio International",
    "VOA": "Voice of America",
}
# Credits in datelines and agency lines, spelled as ``extract.text`` spells agencies.
_CREDITS = {
    "AP": "Associated Press",
    "AFP": "Agence France-Presse",
    "UPI": "United Press International",
    "NYT": "New York Times",
    "XINHUA": "Xinhua",
    "REUTERS": "Reuters",
    "DPA": "Deutsche Presse-Agentur",
}
_PREFIX = re.compile(r"[A-Za-z]+")


def outlet_for_docno(docno: str | None) -> str | None:
    """Return the news service a DOCNO names by its letter prefix, or ``None`` if unknown.

    Examples: ``APW19981016.0240`` and ``AP880212-0001`` give ``"Associated Press"``,
    ``NYT19981003.0093`` and ``NYT_ENG_20050101.0001`` ``"New York Times"``,
    ``XIE19981203.0012`` ``"Xinhua"``.
    """
    if not docno:
        return None
    match = _PREFIX.match(docno.strip())
    return _OUTLETS.get(match.group(0).upper()) if match else None


_ISO = re.compile(r"((?:19|20)\d\d)-(\d\d)-(\d\d)(?:[ T]+(\d\d?):(\d\d)(?::(\d\d))?)?(?!\d)")
_US = re.compile(r"(\d\d?)/(\d\d?)/((?:19|20)?\d\d)(?:\s+(\d\d?):(\d\d)(?::(\d\d))?)?(?!\d)")
_COMPACT = re.compile(r"(?<!\d)((?:19|20)\d\d)(\d\d)(\d\d)(?!\d)")
_SHORT = re.compile(r"(?<!\d)(\d\d)(\d\d)(\d\d)(?!\d)")
# "AP880212-0001", "WSJ870324-0001": a six-digit date right after the letters.
_DOCNO_SHORT = re.compile(r"[A-Za-z]+(\d\d)(\d\d)(\d\d)(?!\d)")


def _year(text: str) -> int:
    year = int(text)
    if year < 100:  # a two-digit year of a collection from the 1980s to the 2000s
        year += 1900 if year >= 50 else 2000
    return year


def _iso(y: int, mo: int, d: int, h: str | None, mi: str | None, s: str | None) -> str | None:
    try:
        if h is None or mi is None:
            return date(y, mo, d).isoformat()
        stamp = datetime(y, mo, d, int(h), int(mi), int(s or 0))
    except ValueError:
        return None
    return stamp.isoformat(timespec="seconds")


def parse_wire_date(value: str | None) -> str | None:
    """Read a date as newswire collections write it; return ISO 8601 or ``None``.

    ``1998-10-16 14:35:12`` (AP, TDT), ``10/03/1998 14:42:00`` (NYT: month first),
    ``19981016`` and ``880212`` (TREC ``DATE``). No zone is given in these data, so a time
    comes back without an offset (``1998-10-16T14:35:12``).
    """
    if not value:
        return None
    text = " ".join(value.split())
    if m := _ISO.search(text):
        return _iso(int(m[1]), int(m[2]), int(m[3]), m[4], m[5], m[6])
    if m := _US.search(text):
        return _iso(_year(m[3]), int(m[1]), int(m[2]), m[4], m[5], m[6])
    if m := _COMPACT.search(text):
        return _iso(int(m[1]), int(m[2]), int(m[3]), None, None, None)
    if m := _SHORT.fullmatch(text):
        return _iso(_year(m[1]), int(m[2]), int(m[3]), None, None, None)
    return None


def _docno_date(docno: str | None) -> str | None:
    if not docno:
        return None
    if m := _COMPACT.search(docno):
        return _iso(int(m[1]), int(m[2]), int(m[3]), None, None, None)
    if m := _DOCNO_SHORT.match(docno):
        return _iso(_year(m[1]), int(m[2]), int(m[3]), None, None, None)
    return None


# --------------------------------------------------------------------------------------------
# Markup
# --------------------------------------------------------------------------------------------

_DOC_OPEN = re.compile(r"<DOC(?=[\s>])([^>]*)>", re.I)
_DOC_CLOSE = re.compile(r"</DOC\s*>", re.I)
_ATTR = re.compile(r"""\b([A-Za-z_][\w.-]*)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""")
_TEXT_OPEN = re.compile(r"<TEXT\b[^>]*>", re.I)
_TEXT_END = re.compile(r"</TEXT\s*>|</BODY\s*>|</DOC\s*>|$", re.I)
_P_TAG = re.compile(r"</?P\b[^>]*>", re.I)
_TAG = re.compile(r"<!--.*?-->|<[A-Za-z/!?][^<>]*>", re.S)
# Wire control codes: typesetting commands of the news services' feeds (NYT: quad left,
# upper rail, ...) and raw control characters written as ``&Cx1f;``.
_WIRE_ENTITY = re.compile(r"&([A-Za-z][A-Za-z0-9]*);")
_WIRE_MEANING = {"MD": "—", "HT": "\t"}
_KNOWN = frozenset(name.rstrip(";") for name in html5)
_SPACES = re.compile(r"[ \t\f\v\r\u00a0]+")


def _element(sgml: str, *tags: str) -> str | None:
    """The content of the first of ``tags`` present in ``sgml``, as written."""
    for tag in tags:
        m = re.search(rf"<{tag}\b[^>]*>(.*?)</{tag}\s*>", sgml, re.I | re.S)
        if m:
            return m.group(1)
    return None


def _wire_entity(match: re.Match[str]) -> str:
    name = match.group(1)
    if name in _WIRE_MEANING:
        return _WIRE_MEANING[name]
    if name in _KNOWN:
        return match.group(0)  # a standard entity, unescaped later
    return ""


def _decode(raw: str) -> str:
    """Remove wire entities and tags, then unescape standard entities (line breaks kept)."""
    text = _WIRE_ENTITY.sub(_wire_entity, raw)
    return html.unescape(_TAG.sub(" ", text))


def _quotes(text: str) -> str:
    """Typeset the wire's ASCII quotes (````like this''``) as the marks they stand for."""
    return text.replace("``", "“").replace("''", "”")


def _line(raw: str) -> str:
    return _SPACES.sub(" ", raw).strip()


def _field(raw: str | None) -> str | None:
    """A one-line metadata field: decoded, whitespace collapsed, ``None`` when empty."""
    if raw is None:
        return None
    value = " ".join(_decode(raw).split())
    return value or None


# --------------------------------------------------------------------------------------------
# Boilerplate lines and datelines
# --------------------------------------------------------------------------------------------

_BOILERPLATE: tuple[tuple[str, re.Pattern[str]], ...] = (
    # "AP-NY-10-16-98 1435EDT", "NYT-10-03-98 1442EDT": desk, date and transmission time.
    ("trailer", re.compile(r"(?:[A-Z]{2,5}-){1,3}\d\d-\d\d-\d\d(?:\s+\d{3,4}\s*[A-Z]{0,4})?")),
    ("copyright", re.compile(r"(?:\(c\)|c\.|©|copyright)\s*(?:19|20)\d\d\b.{0,80}", re.I)),
    # "(SPAN)", "(STORY CAN END HERE. OPTIONAL 2ND TAKE FOLLOWS.)", "(rs-bc)", "ENDITALS".
    (
        "wire-code",
        re.compile(
            r"\((?=[^)]*[A-Z]{2})[A-Z0-9 .,:;/&'!?-]{2,100}\)|\([a-z]{1,5}(?:[-/][a-z]{1,5})+\)|"
            r"(?:END\s*)?(?:ITALICS|ITALS|BOLD|OPTIONAL TRIM|TRIM|MORE)"
        ),
    ),
    ("separator", re.compile(r"[-_=*#~.]{3,}")),
    # "EDITORS: This story moved Friday as ..." (a note to subscribing desks, not the story).
    ("editors-note", re.compile(r"(?:EDITORS?(?:'S)? NOTE|EDITORS|NOTE TO EDITORS)\s*:.*")),
)
_BY = re.compile(r"by\s+\S", re.I)
_MAX_BYLINE_WORDS = 12
_MAX_CREDIT_WORDS = 5

_PLACE = r"(?=[A-Z][A-Z.'’-])[A-Z][A-Z.'’-]*(?:\s+(?:[A-Z][A-Z.'’-]*|de|da|del|la|el))*"
_QUALIFIER = r"(?:\s*,\s*[A-Z][\w.'’-]*(?:\s+[\w.'’-]+){0,3}){0,2}"
_DATELINE = re.compile(
    rf"(?P<lead>{_PLACE}{_QUALIFIER}(?:\s*\((?P<credit>[A-Za-z][\w .&-]{{0,30}})\))?)"
    r"(?:\s*(?:_|--|—|–|-)\s+|(?<=\))\s+)(?=[A-Z0-9\"“‘'(])"
)
_MAX_DATELINE = 80


def _boilerplate(line: str) -> str | None:
    for reason, pattern in _BOILERPLATE:
        if pattern.fullmatch(line):
            return reason
    return None


def _credit(name: str | None) -> str | None:
    """Spell an agency credit ("AP", "Xinhua", "Associated Press Writer") as an agency."""
    if not name:
        return None
    name = " ".join(name.split())
    if name.upper() in _CREDITS:
        return _CREDITS[name.upper()]
    found = parse_byline(name)
    agency = found[1] if found else None
    if agency and agency.upper() in _CREDITS:
        return _CREDITS[agency.upper()]
    return agency or name


def _titlecase(names: str) -> str:
    """Title-case names written in capitals ("JOHN O'NEILL" -> "John O'Neill")."""
    letters = re.sub(r"\band\b", "", names)
    if letters != letters.upper():
        return names
    words = []
    for word in names.split():
        if word in ("and", "&") or re.fullmatch(r"[IVX]+", word):
            words.append(word)
        elif word == "AND":
            words.append("and")
        else:
            words.append(re.sub(r"[^\W\d_]+", lambda m: m.group(0).capitalize(), word))
    return " ".join(words)


def split_dateline(paragraph: str) -> tuple[str | None, str]:
    """Split a wire dateline off the start of ``paragraph``.

    ``"PHNOM PENH, Cambodia (AP) _ Cambodia's ruling party ..."`` gives
    ``("PHNOM PENH, Cambodia (AP)", "Cambodia's ruling party ...")``; ``"WASHINGTON _ "``,
    ``"UNITED NATIONS (AP) -- "`` and ``"BEIJING, Dec. 3 (Xinhua) -- "`` are read alike. The
    place must be written in capitals and the lead must end in a dash (``_``, ``--``, ``-``,
    ``–``, ``—``) or a credit in brackets, so an ordinary sentence is never split.

    Returns:
        The dateline (without its dash), or ``None``, and the rest of the paragraph.
    """
    m = _DATELINE.match(paragraph)
    if not m or len(m.group("lead")) > _MAX_DATELINE or not paragraph[m.end() :].strip():
        return None, paragraph
    return m.group("lead"), paragraph[m.end() :]


# --------------------------------------------------------------------------------------------
# Paragraphs
# --------------------------------------------------------------------------------------------


def _indented(line: str) -> bool:
    return line[:1] in (" ", "\t") and bool(line.strip())


def _blocks(raw_text: str) -> list[list[str]]:
    """Split a ``TEXT`` element into paragraphs, each a list of raw (decoded) lines.

    ``<P>`` tags mark paragraphs when present; otherwise blank lines do, and inside a block of
    lines an indented line opens a new paragraph when only some lines are indented (wire copy
    indents first lines, and a block indented throughout is just indented).
    """
    if _P_TAG.search(raw_text):
        return [
            [ln for ln in _decode(part).split("\n") if ln.strip()]
            for part in _P_TAG.split(raw_text)
            if part.strip()
        ]
    blocks: list[list[str]] = []
    for group in re.split(r"\n[ \t\f\v\r]*\n", _decode(raw_text)):
        lines = [ln.rstrip() for ln in group.split("\n") if ln.strip()]
        if not lines:
            continue
        indents = [_indented(ln) for ln in lines]
        if any(indents[1:]) and not all(indents):
            current: list[str] = []
            for ln, indent in zip(lines, indents, strict=True):
                if indent and current:
                    blocks.append(current)
                    current = []
                current.append(ln)
            blocks.append(current)
        else:
            blocks.append(lines)
    return blocks


class _Reader:
    """Collects the body paragraphs, the byline, the credit and the dropped lines."""

    def __init__(self) -> None:
        self.paragraphs: list[str] = []
        self.dropped: list[DroppedLine] = []
        self.byline: str | None = None
        self.agency: str | None = None
        self.lead_at = 0  # where in ``dropped`` the first paragraph's dateline belongs

    def header_line(self, line: str) -> bool:
        """Read a byline or agency-credit line before the story; return whether it was one."""
        words = line.split()
        if _BY.match(line) and len(words) <= _MAX_BYLINE_WORDS:
            found = parse_byline(line)
            if found and found[0]:
                self.byline = self.byline or _titlecase(found[0])
                self.agency = self.agency or _credit(found[1])
                return True
        if len(words) <= _MAX_CREDIT_WORDS and re.search(r"\bwriters?\b", line, re.I):
            found = parse_byline(line)
            if found and found[0] is None and found[1]:
                self.agency = self.agency or _credit(found[1])
                return True
        return False

    def add(self, block: list[str]) -> None:
        kept: list[str] = []
        for raw in block:
            line = _line(raw)
            if not line:
                continue
            reason = _boilerplate(line)
            if reason is None and not self.paragraphs and not kept and self.header_line(line):
                reason = "byline"
            if reason:
                self.dropped.append(DroppedLine(line, reason))
            else:
                kept.append(line)
        if kept:
            if not self.paragraphs:
                self.lead_at = len(self.dropped)
            self.paragraphs.append(_quotes(" ".join(kept)))


def _loose_lines(body: str) -> list[str]:
    """Lines of ``BODY`` outside its elements (NYT puts "(SPAN)" and bylines there)."""
    outside = re.sub(
        r"<(SLUG|HEADLINE|HEAD|HL|TEXT|BYLINE|DATELINE|TITLE|ANNOTATION|NOTE)\b.*?</\1\s*>",
        "\n",
        body,
        flags=re.I | re.S,
    )
    return [ln for ln in _decode(outside).split("\n") if ln.strip()]


def _attrs(open_tag: str) -> dict[str, str]:
    return {
        m.group(1).lower(): next(g for g in m.groups()[1:] if g is not None)
        for m in _ATTR.finditer(open_tag)
    }


def _read_outside_text(inner: str, reader: _Reader) -> None:
    """Read the ``BYLINE`` element and the ``BODY`` lines outside ``TEXT`` into ``reader``."""
    byline_element = _field(_element(inner, "BYLINE"))
    if byline_element and not reader.header_line(byline_element):
        reader.byline = _titlecase(byline_element.removeprefix("By ").strip())
    body = _element(inner, "BODY")
    if body is not None:
        for raw in _loose_lines(body):
            line = _line(raw)
            reason = _boilerplate(line) or ("byline" if reader.header_line(line) else None)
            # Anything else outside TEXT is not the story (slug lines, editors' notes).
            reader.dropped.append(DroppedLine(line, reason or "outside-text"))


def parse_trec_doc(sgml: str) -> WireDocument:
    """Read one ``<DOC>`` element of a TREC/DUC/LDC newswire file.

    See the module docstring for the fields and the cleaning.

    Args:
        sgml: The element, from ``<DOC>`` (or ``<DOC id="..." type="...">``) to ``</DOC>``.

    Returns:
        The document's body, metadata and dropped lines.

    Raises:
        InputError: ``E014`` when the element is not closed or has no ``TEXT`` element.
    """
    opening = _DOC_OPEN.search(sgml)
    if opening is None:
        raise InputError("E014", reason="no <DOC> element")
    close = _DOC_CLOSE.search(sgml, opening.end())
    if close is None:
        raise InputError("E014", reason="<DOC> is never closed by </DOC>")
    inner = sgml[opening.end() : close.start()]
    attrs = _attrs(opening.group(1))

    docno = _field(_element(inner, "DOCNO")) or _field(attrs.get("id"))
    text_open = _TEXT_OPEN.search(inner)
    if text_open is None:
        raise InputError("E014", reason=f"no <TEXT> element in {docno or 'the document'}")

    reader = _Reader()
    _read_outside_text(inner, reader)
    pos = 0
    while (m := _TEXT_OPEN.search(inner, pos)) is not None:
        end = _TEXT_END.search(inner, m.end())
        assert end is not None  # the pattern matches at the end of the string
        for block in _blocks(inner[m.end() : end.start()]):
            reader.add(block)
        pos = max(end.end(), m.end())

    dateline_element = _field(_element(inner, "DATELINE"))
    dateline = dateline_element
    agency = reader.agency
    if reader.paragraphs:
        lead, rest = split_dateline(reader.paragraphs[0])
        if lead is not None:
            reader.dropped.insert(reader.lead_at, DroppedLine(lead, "dateline"))
            reader.paragraphs[0] = rest.strip()
            dateline = dateline or lead
    if dateline:
        credit = re.search(r"\(([^()]{1,30})\)\s*$", dateline)
        agency = agency or (_credit(credit.group(1)) if credit else None)

    if trailer := _element(inner, "TRAILER"):
        reader.dropped.extend(
            DroppedLine(_line(ln), "trailer") for ln in _decode(trailer).split("\n") if ln.strip()
        )

    date_value = _field(_element(inner, "DATE_TIME", "DATE", "DATETIME", "PUBDATE"))
    published = parse_wire_date(date_value) or _docno_date(docno) or date_value

    return WireDocument(
        docno=docno,
        text="\n\n".join(p for p in reader.paragraphs if p),
        title=_field(_element(inner, "HEADLINE", "HEAD", "HL", "TITLE")),
        byline=reader.byline,
        published=published,
        outlet=outlet_for_docno(docno),
        agency=agency,
        dateline=dateline,
        doctype=_field(_element(inner, "DOCTYPE")) or _field(attrs.get("type")),
        slug=_field(_element(inner, "SLUG")),
        dropped=tuple(reader.dropped),
    )
