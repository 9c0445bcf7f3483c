"""Reading numbers off the text: digits with separators, currencies and scales, and number words.

``parse_number(text, pos)`` reads one number at ``pos`` ("100,000", "$3bn", "1.500 million",
"seven-and-a-half", "tens of thousands", "an hour and a half") into a ``ParsedNumber``, or
returns the reason it is not a figure ("ordinal", "part of a date, time or code").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from synoptic.analyze.quantities.records import ABOUT_TOLERANCE, VAGUE_WIDENING
from synoptic.analyze.quantities.vocab import (
    ABBR_SCALES,
    CURRENCIES,
    CURRENCY_PREFIX,
    DIGITS,
    GLYPHS,
    HALF_UNIT,
    MONTH_BEFORE,
    PERCENT,
    SCALE_AFTER,
    SCALES,
    SEVERAL,
    SMALL,
    SPACED,
    SPACED_DECIMAL_AFTER,
    SPACED_DECIMAL_BEFORE,
    TENS,
    VAGUE_OF,
    VAGUE_PLURAL,
    VAGUE_PLURALS,
    WORD,
    WORD_SEP,
)

_GLYPH = re.compile("[" + "".join(GLYPHS) + "]")
_SLASH_AFTER = re.compile(r"\s/")


@dataclass(slots=True)
class ParsedNumber:
    """One parsed number before unit attachment."""

    start: int
    end: int
    value: float
    low: float
    high: float
    vague: bool = False
    words: bool = False
    has_scale: bool = False
    currency: str | None = None
    has_decimal_point: bool = False
    thousands_sep: bool = False
    dozen: bool = False
    unit: str | None = None  # a unit inside the number words: "an hour and a half"


def word_seq(text: str, pos: int, limit: int = 12) -> list[tuple[str, int, int]]:
    """Return up to ``limit`` words from ``pos`` joined by spaces or hyphens (one line)."""
    out: list[tuple[str, int, int]] = []
    i = pos
    while len(out) < limit:
        m = WORD.match(text, i)
        if not m:
            break
        out.append((m.group().lower(), m.start(), m.end()))
        sep = WORD_SEP.match(text, m.end())
        if not sep:
            break
        i = sep.end()
    return out


def words_value(words: list[str]) -> tuple[float, int] | None:
    """Evaluate a run of English number words; return ``(value, words used)`` or ``None``.

    Handles "seven", "twenty-five", "one hundred and twenty", "seven and a half",
    "one and a half million", "half a million", "a dozen", "a thousand", "two thousand five
    hundred". It stops at the first word that does not continue the number, so "seven eight"
    reads as 7.
    """
    if not words:
        return None
    i = 0
    total = 0.0
    current = 0.0
    have = False
    last = ""
    if words[0] == "half":
        if (
            len(words) >= 3
            and words[1] in ("a", "an")
            and (words[2] in SCALES or words[2] == "dozen")
        ):
            scale = 12.0 if words[2] == "dozen" else SCALES[words[2]]
            return 0.5 * scale, 3
        return None
    if words[0] in ("a", "an"):
        if len(words) >= 2 and (words[1] in SCALES or words[1] == "dozen"):
            current, have, last, i = 1.0, True, "small", 1
        else:
            return None
    while i < len(words):
        w = words[i]
        if w in SMALL or w in TENS:
            v = SMALL.get(w, TENS.get(w, 0))
            if last == "small" or last == "frac":
                break
            if last == "tens" and not (w in SMALL and 0 < v < 10):
                break
            current += v
            last = "tens" if w in TENS else "small"
        elif w == "hundred":
            if not have or last in ("hundred", "scale"):
                break
            current = (current or 1.0) * 100
            last = "hundred"
        elif w in SCALES:
            if not have:
                break
            total += (current or 1.0) * SCALES[w]
            current = 0.0
            last = "scale"
        elif w == "dozen":
            if not have or last not in ("small", "tens"):
                break
            current *= 12
            last = "dozen"
        elif w == "and" and have:
            rest = words[i + 1 : i + 3]
            if len(rest) == 2 and rest[0] in ("a", "an") and rest[1] in ("half", "quarter"):
                if last not in ("small", "tens", "hundred"):
                    break
                current += 0.5 if rest[1] == "half" else 0.25
                last = "frac"
                i += 3
                continue
            if rest and (rest[0] in SMALL or rest[0] in TENS) and last in ("hundred", "scale"):
                i += 1
                continue
            break
        else:
            break
        have = True
        i += 1
    if not have:
        return None
    return total + current, i


def _parse_digits(text: str, pos: int) -> ParsedNumber | str | None:
    """Parse a digit number (with currency and scale) at ``pos``; a str is a rejection."""
    start = pos
    currency = None
    cm = CURRENCY_PREFIX.match(text, pos)
    if cm:
        currency = CURRENCIES.get(cm.group("cur").lower().rstrip(), "dollar")
        pos = cm.end()
    m = DIGITS.match(text, pos)
    if not m:
        gm = _GLYPH.match(text, pos)
        if gm:
            v = GLYPHS[gm.group()]
            return ParsedNumber(start, pos + 1, v, v, v, currency=currency)
        return None
    raw = m.group("num")
    end = m.end()
    sp = SPACED.match(text, pos)
    if sp and _spaced_ok(text, start, sp, currency is not None):
        raw, end = sp.group("num").replace(" ", ""), sp.end()
    # What sits right before the number: a letter or digit joined to it means a name or code.
    before = text[max(0, start - 2) : start]
    if start > 0 and (text[start - 1].isalnum() or text[start - 1] in "_"):
        return "part of a word or code"
    if start > 0 and text[start - 1] in ".,:/":
        return "part of a date, time or code"
    if re.search(r"/\s$", text[max(0, start - 2) : start]) or _SLASH_AFTER.match(text, m.end()):
        return "part of a path or URL"
    if len(raw) > 1 and raw[0] == "0" and raw[1].isdigit():
        return "code or date part (leading zero)"
    if re.search(r"[A-Za-z]-$", before):
        return "part of a name or code"
    # What follows: letters glued to the number are ordinals, decades, times or codes.
    tail = text[end : end + 3]
    if re.match(r"(?:st|nd|rd|th)\b", tail, re.I):
        return "ordinal"
    if re.match(r"[:/] ?\d", tail) or re.search(r"\d: ?$", text[max(0, start - 3) : start]):
        return "time, date or fraction"
    if re.match(r"s\b", tail) and len(raw) == 4:
        return "decade"
    value, has_decimal, thousands = _digits_value(text, raw, end)
    if m.group("glyph"):
        value += GLYPHS[m.group("glyph").strip()]
    num = ParsedNumber(start, end, value, value, value, currency=currency)
    num.has_decimal_point = has_decimal
    num.thousands_sep = thousands
    _apply_scale(text, num, value, currency)
    return num


def _digits_value(text: str, raw: str, end: int) -> tuple[float, bool, bool]:
    """The value of digits with separators: ``(value, has a decimal point, has thousands)``."""
    has_decimal = False
    thousands = False
    if "," in raw:
        value = float(raw.replace(",", ""))
        thousands = True
        has_decimal = "." in raw
    elif re.fullmatch(r"\d{1,3}(?:[\u00a0\u202f\u2009]\d{3})+", raw):
        value = float(re.sub(r"\D", "", raw))
        thousands = True
    elif re.fullmatch(r"\d{1,3}(?:\.\d{3})+", raw):
        # The 3-digit group rule: "100.000 troops" is a hundred thousand, unless a scale word or
        # percent follows ("1.500 million", "3.125 per cent") or there is a single group after a
        # zero ("0.125"), which only a decimal reading makes sense of.
        after = text[end : end + 12]
        decimal = raw.startswith("0.") or (
            raw.count(".") == 1
            and (SCALE_AFTER.match(after) is not None or PERCENT.match(after) is not None)
        )
        if decimal:
            value = float(raw)
            has_decimal = True
        else:
            value = float(raw.replace(".", ""))
            thousands = True
    else:
        value = float(raw)
        has_decimal = "." in raw
    return value, has_decimal, thousands


def _apply_scale(text: str, num: ParsedNumber, value: float, currency: str | None) -> None:
    """Multiply ``num`` by a scale word written after it ("3 million", "$3bn", "50k")."""
    end = num.end
    sm = SCALE_AFTER.match(text, end)
    if sm:
        scale_word = sm.group("scale").lower()
        # Lone letters are scales only in money ("$3bn", "£5m", "50k"); "100m" without a currency
        # is a length, and "m"/"b" after a space are never scales.
        lone = scale_word in ("m", "b")
        factor = SCALES.get(scale_word) or ABBR_SCALES[scale_word]
        skip = (
            (lone and (currency is None or sm.group("sp")))
            or (scale_word == "k" and sm.group("sp"))
            or (scale_word == "hundred" and value >= 100)
        )
        if not skip:
            num.value = num.low = num.high = value * factor
            num.end = sm.end()
            num.has_scale = True


def _spaced_ok(text: str, start: int, sp: re.Match[str], currency: bool) -> bool:
    """Whether a detokenised number ("50, 000", "5. 9") reads as one number (see ``SPACED``)."""
    before = text[max(0, start - 30) : start]
    if sp.group("dec") is None:
        # Not after a month ("May 5, 400 people") or a hyphen ("5-foot-8, 135 pounds").
        return not MONTH_BEFORE.search(before) and not re.search(r"[-–]\s*$", before)
    return (
        currency
        or SPACED_DECIMAL_AFTER.match(text, sp.end()) is not None
        or SPACED_DECIMAL_BEFORE.search(before) is not None
    )


def _parse_words(text: str, pos: int) -> ParsedNumber | None:
    """Parse a number in words, or a vague plural ("tens of thousands"), at ``pos``."""
    m = VAGUE_OF.match(text, pos)
    if m:
        mult = {"tens": 10.0, "hundreds": 100.0, "dozens": 12.0}[m.group("mult").lower()]
        base = mult * VAGUE_PLURALS[m.group("scale").lower()]
        return ParsedNumber(pos, m.end(), base, base, base * VAGUE_WIDENING, vague=True, words=True)
    m = SEVERAL.match(text, pos)
    if m:
        scale_word = m.group("scale").lower()
        base = 12.0 if scale_word == "dozen" else SCALES[scale_word]
        q = re.sub(r"\s+", " ", m.group("q").lower())
        lo, hi = {"several": (2, 9), "a few": (2, 5)}.get(q, (2, 3))
        return ParsedNumber(pos, m.end(), lo * base, lo * base, hi * base, vague=True, words=True)
    m = HALF_UNIT.match(text, pos)
    if m:
        # "an hour and a half", "half a day": the unit is part of the number words.
        value = 0.5 if m.group("half") else 1.5
        unit = (m.group("u") or m.group("u2")).lower()
        return ParsedNumber(pos, m.end(), value, value, value, words=True, unit=unit)
    m = VAGUE_PLURAL.match(text, pos)
    if m:
        base = VAGUE_PLURALS[m.group("w").lower()]
        return ParsedNumber(pos, m.end(), base, base, base * VAGUE_WIDENING, vague=True, words=True)
    seq = word_seq(text, pos)
    parsed = words_value([w for w, _, _ in seq])
    if parsed is None:
        return None
    value, used = parsed
    end = seq[used - 1][2]
    num = ParsedNumber(pos, end, value, value, value, words=True)
    first = seq[0][0]
    num.has_scale = any(w in SCALES for w, _, _ in seq[:used]) and first not in SCALES
    if "dozen" in (w for w, _, _ in seq[:used]) and used <= 3:
        # "a dozen", "half a dozen": round figures writers use loosely.
        num.low, num.high = value * (1 - ABOUT_TOLERANCE), value * (1 + ABOUT_TOLERANCE)
        num.dozen = True
    return num


def parse_number(text: str, pos: int) -> ParsedNumber | str | None:
    ch = text[pos]
    if ch.isdigit() or ch in "$€£¥₹½¼¾" or text[pos : pos + 3].upper() in ("US$", "USD", "EUR"):
        return _parse_digits(text, pos)
    if text[pos : pos + 2] in ("A$", "C$", "HK", "GB", "Rs", "RS"):
        r = _parse_digits(text, pos)
        if r is not None:
            return r
    return _parse_words(text, pos)


def unscaled(text: str, num: ParsedNumber) -> float:
    """The value of ``num`` before its scale word ("2 million" -> 2, "$150 million" -> 150)."""
    if num.words:
        words = [w for w, _, _ in word_seq(text, num.start)]
        cut = next((i for i, w in enumerate(words) if w in SCALES and w != "hundred"), None)
        parsed = words_value(words[:cut]) if cut else None
        return (parsed[0] if parsed else num.value) or 1.0
    cm = CURRENCY_PREFIX.match(text, num.start)
    m = DIGITS.match(text, cm.end() if cm else num.start)
    if m:
        raw = m.group("num")
        try:
            return float(raw.replace(",", "")) or 1.0
        except ValueError:
            return 1.0
    return num.value or 1.0


def is_year(num: ParsedNumber) -> bool:
    v = num.value
    return (
        not num.has_scale
        and not num.has_decimal_point
        and not num.thousands_sep
        and num.currency is None
        and v.is_integer()
        and 1000 <= v <= 2100
    )
