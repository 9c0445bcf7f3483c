"""Units: dimensions, conversion for comparison, plurals and display."""

from __future__ import annotations

import math

import pytest

from synoptic.analyze.units import base_unit, format_amount, plural, to_base


def test_analyze_units_convertible_units_share_a_base() -> None:
    assert base_unit("minute") == base_unit("hour") == base_unit("day") == "second"
    assert base_unit("mile") == base_unit("kilometre") == "metre"
    assert base_unit("tonne") == base_unit("kilogram") == "kilogram"
    assert base_unit("mph") == base_unit("km/h")
    # Currencies and counts are their own base: exchange rates move, troops are troops.
    assert base_unit("euro") == "euro"
    assert base_unit("dollar") == "dollar"
    assert base_unit("troops") == "troops"


def test_analyze_units_to_base_converts_and_widens_calendar_units() -> None:
    assert to_base("minute", 90, 90, 90) == (5400, 5400, 5400)
    assert to_base("hour", 1.5, 1.5, 1.5) == (5400, 5400, 5400)
    value, low, high = to_base("month", 1, 1, 1)
    assert low == 28 * 86400 and high == 31 * 86400 and low < value < high
    assert to_base("year", 3, 3, math.inf)[2] == math.inf
    assert to_base("troops", 5, 4, 6) == (5, 4, 6)


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("hour", "hours"),
        ("troops", "troops"),
        ("people", "people"),
        ("foot", "feet"),
        ("inch", "inches"),
        ("cubic metre", "cubic metres"),
        ("percentage point", "percentage points"),
        ("country", "countries"),
        ("pass", "passes"),
        ("catch", "catches"),
        ("day", "days"),
        ("ghz", "ghz"),
        ("dollar per year", "dollars per year"),
    ],
)
def test_analyze_units_plural(word: str, expected: str) -> None:
    assert plural(word) == expected


def test_analyze_units_format_amount_reads_naturally() -> None:
    assert format_amount(1, "hour") == "1 hour"
    assert format_amount(7.5, "hour") == "7.5 hours"
    assert format_amount(100_000, "troops") == "100,000 troops"
    assert format_amount(0.3e9, "euro") == "€300 million"
    assert format_amount(1.25e9, "dollar") == "$1.25 billion"
    assert format_amount(1_234_567, "dollar") == "$1,234,567"
    assert format_amount(36, "age") == "age 36"
    assert format_amount(12, None) == "12"
