"""Units: which normalised units measure the same dimension, and how to write an amount.

``analyze.quantities`` normalises the unit of every figure ("hours" -> ``hour``, "km" ->
``kilometre``, "€" -> ``euro``). This module knows which of those units can be converted into
one another (time, length, area, volume, mass, speed) so that "90 minutes" and "two hours", or
"10 miles" and "less than 25 km", can be compared; and how to print an amount the way a reader
expects it ("7.5 hours", "1 hour", "100,000 troops", "€240 million").

It is plain Python (no spaCy), so renderers can use it.

Conversion is only ever used for *comparison*: a figure is always shown as it was written.
Calendar units are not of fixed length (a month is 28 to 31 days, a year 365 or 366), so
``to_base`` widens their interval by that spread; figures converted from another unit are
usually rounded ("58km (36 miles)", "35 miles" for 56 km), so comparisons across units allow
``CROSS_UNIT_TOLERANCE`` on each side (see ``synthesize.conflicts``).
"""

from __future__ import annotations

import math

from synoptic.lang import mapping, words

# Relative slack on each side when two figures in different units of one dimension are compared.
CROSS_UNIT_TOLERANCE = 0.05


def _conversion(value: str) -> tuple[str, float, float, float]:
    base, typical, lowest, highest = value.rsplit(" ", 3)
    return base, float(typical), float(lowest), float(highest)


# unit -> (dimension base unit, factor to the base: typical, lowest, highest)
_CONVERSIONS: dict[str, tuple[str, float, float, float]] = {
    unit: _conversion(value) for unit, value in mapping("unit_conversions").items()
}

CONVERTIBLE = frozenset(_CONVERSIONS)


def base_unit(unit: str) -> str:
    """Return the unit figures in ``unit`` are compared in ("minute" -> "second").

    Units without a conversion (counts, currencies, percent) are their own base: dollars and
    euros are never compared (exchange rates move), nor are weights in the ambiguous "pound".
    """
    conv = _CONVERSIONS.get(unit)
    return conv[0] if conv else unit


def to_base(unit: str, value: float, low: float, high: float) -> tuple[float, float, float]:
    """Return ``(value, low, high)`` converted into ``base_unit(unit)``.

    Calendar units widen the interval by the spread of their length (a month is 28-31 days).
    Unknown units are returned unchanged; ``math.inf`` stays infinite.
    """
    conv = _CONVERSIONS.get(unit)
    if conv is None:
        return value, low, high
    _, typical, lowest, highest = conv
    return value * typical, low * lowest, high * highest if math.isfinite(high) else high


# --------------------------------------------------------------------------------------------
# Display

_IRREGULAR = dict(mapping("irregular_plurals"))
# Words that are the same in the plural, or already plural group nouns.
_INVARIANT = words("invariant_plurals")
_CURRENCY_SYMBOLS = dict(mapping("currency_signs"))
# The scale words a large amount is written with ("€240 million"), largest first.
_SCALE_NAMES = tuple(
    sorted(
        ((float(v), k) for k, v in mapping("scale_words").items() if float(v) >= 1e6),
        reverse=True,
    )
)
# Units written as a sign after the number ("4%") or as a word before it ("age 36",
# "magnitude 6.1").
_SUFFIX_FORMS = {"percent": "%", "age": None, "magnitude": None}


def plural(word: str) -> str:
    """Return the English plural of a unit or counted noun ("hour" -> "hours").

    Multi-word units pluralise their last word ("cubic metre" -> "cubic metres",
    "percentage point" -> "percentage points"); group nouns and plurals stay as they are.
    """
    if not word:
        return word
    if " per " in word:
        # A rate: "dollar per year" -> "dollars per year".
        counted, _, per = word.partition(" per ")
        return f"{plural(counted)} per {per}"
    head, _, last = word.rpartition(" ")
    lower = last.lower()
    if (
        lower in _INVARIANT
        or (not last.isalpha() and last not in _IRREGULAR)
        or not any(ch in "aeiouy" for ch in lower)  # abbreviations: "ghz", "gb", "mph"
    ):
        out = last
    elif lower in _IRREGULAR:
        out = _IRREGULAR[lower]
    elif lower.endswith(("s", "x", "z", "ch", "sh")) and not lower.endswith("ss"):
        # "troops", "rbis" are already plural; "bus" is rare among units.
        out = last if lower.endswith("s") else last + "es"
    elif lower.endswith("ss"):
        out = last + "es"
    elif lower.endswith("y") and len(lower) > 1 and lower[-2] not in "aeiou":
        out = last[:-1] + "ies"
    else:
        out = last + "s"
    return f"{head} {out}" if head else out


def format_number(value: float, *, scale_words: bool = False) -> str:
    """Return ``value`` as a reader writes it: "100,000", "7.5", "240 million" (with scales).

    Args:
        value: A finite number.
        scale_words: Write millions and above with a scale word ("€240 million") when the
            figure is round enough to read that way (at most three significant decimals).
    """
    if scale_words:
        for factor, name in _SCALE_NAMES:
            if abs(value) >= factor:
                scaled = value / factor
                if abs(scaled - round(scaled, 3)) < 1e-9:
                    return f"{scaled:,.3f}".rstrip("0").rstrip(".") + f" {name}"
                break
    if float(value).is_integer():
        return f"{int(value):,}"
    if abs(value) < 1e6:
        return f"{value:,.6g}" if abs(value) >= 1 else f"{value:.6g}"
    return f"{value:,.0f}"


def format_amount(value: float, unit: str | None) -> str:
    """Return a figure with its unit for display.

    Examples: ``format_amount(7.5, "hour")`` -> "7.5 hours", ``(1, "hour")`` -> "1 hour",
    ``(100000, "troops")`` -> "100,000 troops", ``(240e6, "euro")`` -> "€240 million",
    ``(4, "percent")`` -> "4%", ``(36, "age")`` -> "age 36".
    """
    if unit and " per " in unit:
        counted, _, per = unit.partition(" per ")
        return f"{format_amount(value, counted)} a {per}"
    if unit in _CURRENCY_SYMBOLS:
        return f"{_CURRENCY_SYMBOLS[unit]}{format_number(value, scale_words=True)}"
    big = unit is not None and abs(value) >= 1e6
    number = format_number(value, scale_words=big)
    if not unit:
        return number
    if unit in _SUFFIX_FORMS:
        suffix = _SUFFIX_FORMS[unit]
        return f"{number}{suffix}" if suffix else f"{unit} {number}"
    word = unit if value == 1 and " " not in number else plural(unit)
    return f"{number} {word}"


__all__ = [
    "CONVERTIBLE",
    "CROSS_UNIT_TOLERANCE",
    "base_unit",
    "format_amount",
    "format_number",
    "plural",
    "to_base",
]
