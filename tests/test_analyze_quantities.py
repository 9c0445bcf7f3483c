"""Quantities: number forms, approximations, ranges, skip rules and unit normalisation."""

from __future__ import annotations

import json
import math

import pytest
from spacy.language import Language

from synoptic.analyze.quantities import (
    Quantity,
    extract_quantities,
    rejected_numbers,
    words_value,
)
from synoptic.model import Article

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def nlp() -> Language:
    from synoptic.analyze.nlp import load_nlp

    return load_nlp()


def _article(text: str) -> Article:
    return Article(id="a1", source="a1.txt", text=text)


def _quantities(nlp: Language, text: str) -> tuple[Quantity, ...]:
    return extract_quantities(_article(text), nlp(text))


def _one(nlp: Language, text: str) -> Quantity:
    found = _quantities(nlp, text)
    assert len(found) == 1, [q.text for q in found]
    return found[0]


def _reasons(nlp: Language, text: str) -> dict[str, str]:
    return {r.text: r.reason for r in rejected_numbers(_article(text), nlp(text))}


# Number forms ---------------------------------------------------------------------------------


def test_analyze_quantities_digits_with_commas_and_counted_noun(nlp: Language) -> None:
    text = "Russia has massed 100,000 troops near the border."
    q = _one(nlp, text)
    assert (q.value, q.low, q.high, q.approx) == (100000.0, 100000.0, 100000.0, "exact")
    assert (q.unit, q.head, q.text) == ("troops", "troop", "100,000 troops")
    assert text[q.start : q.end] == q.text
    assert text[q.sentence[0] : q.sentence[1]] == text


def test_analyze_quantities_scale_words_and_money(nlp: Language) -> None:
    q = _one(nlp, "Officials said 1.5 million people had fled.")
    assert (q.value, q.unit) == (1_500_000.0, "people")
    q = _one(nlp, "Rebuilding the bridge will cost $3bn, the ministry said.")
    assert (q.value, q.unit, q.text) == (3e9, "dollar", "$3bn")
    q = _one(nlp, "The ministry puts the damage at €240 million.")
    assert (q.value, q.unit) == (2.4e8, "euro")


def test_analyze_quantities_number_words(nlp: Language) -> None:
    q = _one(nlp, "Seven soldiers were wounded in the attack.")
    assert (q.value, q.unit, q.head) == (7.0, "troops", "soldier")
    q = _one(nlp, "The convoy carried twenty-five doctors.")
    assert (q.value, q.head) == (25.0, "doctor")
    assert words_value(["one", "hundred", "and", "twenty"]) == (120.0, 4)
    assert words_value(["seven", "and", "a", "half"]) == (7.5, 4)
    assert words_value(["half", "a", "million"]) == (500_000.0, 3)
    assert words_value(["seven", "eight"]) == (7.0, 1)
    assert words_value(["and"]) is None


def test_analyze_quantities_vague_plurals_and_dozens(nlp: Language) -> None:
    q = _one(nlp, "Tens of thousands of protesters filled the square.")
    assert (q.low, q.high, q.approx, q.unit) == (10_000.0, 200_000.0, "range", "protester")
    assert q.text == "Tens of thousands of protesters"
    q = _one(nlp, "Hundreds of people gathered outside.")
    assert (q.low, q.high, q.unit) == (100.0, 2000.0, "people")
    q = _one(nlp, "A dozen journalists waited at the gate.")
    assert (q.value, q.approx) == (12.0, "about")
    assert q.low < 12 < q.high
    q = _one(nlp, "Several hundred residents stayed behind.")
    assert (q.low, q.high, q.unit) == (200.0, 900.0, "people")


def test_analyze_quantities_hyphenated_units(nlp: Language) -> None:
    text = "The talks ended after a seven-and-a-half-hour consultation in Geneva."
    q = _one(nlp, text)
    assert (q.value, q.unit, q.head) == (7.5, "hour", "hour")
    assert q.text == "seven-and-a-half-hour consultation"
    assert q.about == "consultation"
    q = _one(nlp, "There was no breakthrough after eight-hour talks.")
    assert (q.value, q.unit, q.about, q.text) == (8.0, "hour", "talk", "eight-hour talks")
    q = _one(nlp, "A 57-member council meets on Thursday.")
    assert (q.value, q.unit) == (57.0, "member")


def test_analyze_quantities_dot_thousands_versus_decimals(nlp: Language) -> None:
    assert _one(nlp, "Russia has brought 100.000 troops to the border.").value == 100_000.0
    assert _one(nlp, "More than 11.000 inhabitants were evacuated.").value == 11_000.0
    assert _one(nlp, "Some 1.5 million people voted.").value == 1_500_000.0
    q = _one(nlp, "Prices rose by 3.125 per cent in May.")
    assert (q.value, q.unit) == (3.125, "percent")


# Approximations and ranges --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("phrase", "approx", "low", "high"),
    [
        ("about 100 people", "about", 90.0, 110.0),
        ("around 100 people", "about", 90.0, 110.0),
        ("approximately 100 people", "about", 90.0, 110.0),
        ("an estimated 100 people", "about", 90.0, 110.0),
        ("some 100 people", "about", 90.0, 110.0),
        ("nearly 100 people", "about", 95.0, 100.0),
        ("almost 100 people", "about", 95.0, 100.0),
        ("more than 100 people", "over", 100.0, math.inf),
        ("over 100 people", "over", 100.0, math.inf),
        ("at least 100 people", "over", 100.0, math.inf),
        ("up to 100 people", "under", 0.0, 100.0),
        ("fewer than 100 people", "under", 0.0, 100.0),
        ("100 people or more", "over", 100.0, math.inf),
    ],
)
def test_analyze_quantities_approximations(
    nlp: Language, phrase: str, approx: str, low: float, high: float
) -> None:
    q = _one(nlp, f"Officials said {phrase} had left the town.")
    assert q.approx == approx
    assert q.low == pytest.approx(low)
    assert q.high == pytest.approx(high)
    assert q.value == 100.0
    assert q.unit == "people"
    assert phrase.startswith(q.text) or q.text == phrase


def test_analyze_quantities_approximation_after_the_figure(nlp: Language) -> None:
    q = _one(nlp, "“We are at €300 million at least,” he said.")
    assert (q.approx, q.low, q.high, q.text) == ("over", 3e8, math.inf, "€300 million at least")


@pytest.mark.parametrize(
    "phrase",
    ["between 10 and 20 people", "10-20 people", "10 to 20 people", "from 10 to 20 people"],
)
def test_analyze_quantities_ranges(nlp: Language, phrase: str) -> None:
    q = _one(nlp, f"Police said {phrase} were arrested.")
    assert (q.approx, q.low, q.high, q.value) == ("range", 10.0, 20.0, 15.0)
    assert q.text == phrase


def test_analyze_quantities_range_scale_and_words(nlp: Language) -> None:
    q = _one(nlp, "Between 2 and 3 million people were displaced.")
    assert (q.low, q.high) == (2e6, 3e6)
    q = _one(nlp, "They held seven or eight hours of talks.")
    assert (q.low, q.high, q.unit) == (7.0, 8.0, "hour")


def test_analyze_quantities_change_keeps_only_the_new_value(nlp: Language) -> None:
    found = _quantities(nlp, "The death toll rose from 30 to 45 on Tuesday.")
    assert [(q.value, q.unit) for q in found] == [(45.0, "dead")]


# Skip rules -------------------------------------------------------------------------------------


def test_analyze_quantities_skips_years_dates_and_times(nlp: Language) -> None:
    text = "Talks began on 10 January 2022 at 3pm and resumed at 12:30 after the 2014 war."
    assert _quantities(nlp, text) == ()
    reasons = _reasons(nlp, text)
    assert reasons["10"] == "date"
    assert reasons["3"] == "time of day"
    assert reasons["2014"] == "year"
    # A four-digit count of a plural noun is a figure, not a year.
    q = _one(nlp, "The army sent 2000 troops in 2014.")
    assert (q.value, q.unit) == (2000.0, "troops")


def test_analyze_quantities_skips_ordinals_labels_and_one_of(nlp: Language) -> None:
    text = (
        "Biden held a second call on the 11th. The No. 2 diplomat, the number two official, "
        "said it was one of the hardest weeks."
    )
    assert _quantities(nlp, text) == ()
    reasons = _reasons(nlp, text)
    assert reasons["11th."].startswith("ordinal")
    assert reasons["2"] == "label such as 'No. 2'"
    assert reasons["two"] == "label such as 'No. 2'"
    assert reasons["one"] == "'one of'"


def test_analyze_quantities_skips_lists_phones_ages_and_names(nlp: Language) -> None:
    text = (
        "1. The Boeing 737 was grounded during COVID-19.\n"
        "John Smith, 45, said callers can ring +44 20 7946 0958 for help."
    )
    assert _quantities(nlp, text) == ()
    reasons = _reasons(nlp, text)
    assert reasons["1"] == "list number"
    assert reasons["737"] == "part of a name"
    assert reasons["45"] == "age after a name"
    assert reasons["44 20 7946 0958"] == "phone number"


def test_analyze_quantities_skips_scores_and_year_ranges(nlp: Language) -> None:
    text = "They won 3-1 after the 2014-2022 period of decline."
    assert _quantities(nlp, text) == ()
    assert set(_reasons(nlp, text)) == {"3-1", "2014-2022"}


def test_analyze_quantities_skips_parts_increments_and_points_in_time(nlp: Language) -> None:
    text = (
        "Officials said 37 of the candidates withdrew. Moscow sent another 3,000 troops and "
        "five more ships. The riots began two years ago in the 12500 block of Main Street, and "
        "two-thirds of homes were damaged."
    )
    assert _quantities(nlp, text) == ()
    reasons = _reasons(nlp, text)
    assert reasons["37"].startswith("part of a group")
    assert reasons["3,000"].startswith("increment or remainder")
    assert reasons["five"].startswith("increment or remainder")
    assert reasons["two"] == "relative time ('two years ago')"
    assert reasons["12500"] == "street address"
    assert reasons["two-thirds"].startswith("fraction")


def test_analyze_quantities_skips_paths_and_leading_zeros(nlp: Language) -> None:
    text = "The page at news / 2013 / 09 / story quoted agent 007 twice."
    assert _quantities(nlp, text) == ()
    reasons = _reasons(nlp, text)
    assert reasons["2013"] == "part of a path or URL"
    assert reasons["007"].startswith("code or date part")


# Units --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "unit"),
    [
        ("Thousands have been killed since 2014.", "dead"),
        ("Twelve people were killed in the blast.", "dead"),
        ("The crash left 45 dead.", "dead"),
        ("Four people have lost their lives.", "dead"),
        ("The death toll has risen to five.", "dead"),
        ("Officials said 17 were injured.", "injured"),
        ("Nineteen people were treated in hospital for injuries.", "injured"),
        ("Prices rose 4% last year.", "percent"),
        ("Prices rose 4 per cent last year.", "percent"),
        ("Prices rose 4 percent last year.", "percent"),
        ("The flight took 7 hrs.", "hour"),
        ("The march covered 5km.", "kilometre"),
        ("A 5,000-strong force crossed the river.", "troops"),
        ("NATO put 40,000 soldiers on alert.", "troops"),
        ("About 8,000 residents were evacuated.", "people"),
        ("Some 40 million cubic metres of water escaped.", "cubic metre"),
        ("A 72-year-old man was rescued.", "age"),
    ],
)
def test_analyze_quantities_unit_normalisation(nlp: Language, text: str, unit: str) -> None:
    found = [q for q in _quantities(nlp, text) if q.unit is not None]
    assert [q.unit for q in found] == [unit], [q.text for q in found]


def test_analyze_quantities_about_names_the_thing_measured(nlp: Language) -> None:
    q = _one(nlp, "Some 40 million cubic metres of water escaped.")
    assert q.about == "water"
    q = _one(nlp, "Diplomats held eight hours of talks in Geneva.")
    assert (q.unit, q.about) == ("hour", "talk")
    # Counts are the thing itself: no ``about``.
    assert _one(nlp, "Russia has massed 100,000 troops.").about is None


def test_analyze_quantities_context_is_nearest_content_words(nlp: Language) -> None:
    q = _one(nlp, "Russia has pushed around 70,000 troops towards Ukraine's border.")
    # Content-word lemmas outside the phrase, nearest first; the unit and approximator are left
    # out, and so are stop words. Names are kept apart too (last word of each, nearest first).
    assert q.context == ("push", "ukraine", "russia", "border")
    assert q.entities == ("ukraine", "russia")
    q = _one(nlp, "A 72-year-old man was rescued by Nina Vaško.")
    assert (q.unit, q.about, q.entities) == ("age", "man", ("vasko",))


def test_analyze_quantities_round_trip_and_doc_check(nlp: Language) -> None:
    text = "About 8,000 people have been evacuated so far."
    q = _one(nlp, text)
    assert Quantity.from_dict(q.to_dict()) == q
    with pytest.raises(ValueError):
        extract_quantities(_article("Another text entirely."), nlp(text))


# Open bounds, detokenised text, magnitudes, rates, compounds ----------------------------------


def test_analyze_quantities_open_bound_is_null_in_json(nlp: Language) -> None:
    q = _one(nlp, "More than 11,000 people were evacuated.")
    assert q.high == math.inf
    text = json.dumps(q.to_dict(), allow_nan=False)  # no Infinity: valid JSON
    assert json.loads(text)["high"] is None
    assert Quantity.from_dict(json.loads(text)) == q


def test_analyze_quantities_detokenised_thousands_and_decimals(nlp: Language) -> None:
    found = _quantities(nlp, "A 5. 9 magnitude quake hit and about 50, 000 people fled.")
    assert [(q.value, q.unit) for q in found] == [(5.9, "magnitude"), (50_000, "people")]
    # Not after a hyphen ("5-foot-8, 135 pounds") nor between a sentence end and a count.
    found = _quantities(nlp, "Orozco is 5 - foot - 8, 135 pounds.")
    assert [(round(q.value, 2), q.unit) for q in found] == [(5.67, "foot"), (135, "lb")]


def test_analyze_quantities_hyphenated_pounds_weigh_unless_money(nlp: Language) -> None:
    # "the 40,000-pound module" is a weight, as "weighs 44,000 pounds" is: one unit, compared.
    assert _one(nlp, "The 40,000-pound module was attached to the outpost.").unit == "lb"
    assert _one(nlp, "The module, which weighs 44,000 pounds, was attached.").unit == "lb"
    assert _one(nlp, "The club agreed a 5 million-pound deal for the striker.").unit == "pound"


def test_analyze_quantities_magnitudes_name_the_quake(nlp: Language) -> None:
    for text in (
        "A magnitude 6.1 earthquake hit the island.",
        "A 6.1-magnitude quake hit the island.",
        "A quake measuring 6.1 on the Richter scale hit the island.",
        "A 6.1 earthquake hit the island.",
    ):
        q = _one(nlp, text)
        assert (q.value, q.unit, q.about) == (6.1, "magnitude", "earthquake"), text
    q = _one(nlp, "A 5.2 aftershock followed.")
    assert (q.unit, q.about) == ("magnitude", "aftershock")


def test_analyze_quantities_rates_compounds_and_speeds(nlp: Language) -> None:
    q = _one(nlp, "The coach was paid about $4 million a year.")
    assert (q.value, q.unit) == (4e6, "dollar per year")
    q = _one(nlp, "He scored with 4 minutes 48 seconds remaining.")
    assert (q.value, q.unit, q.text) == (4.8, "minute", "4 minutes 48 seconds")
    q = _one(nlp, "The talks lasted an hour and a half.")
    assert (q.value, q.unit, q.about) == (1.5, "hour", "talk")
    assert _one(nlp, "They drove at 120 miles an hour.").unit == "mph"
    assert _one(nlp, "The limit is 80 km/h.").unit == "km/h"
    # A lone capital letter is not a unit: "9400M" is a chip.
    assert all(q.unit != "metre" for q in _quantities(nlp, "It has a 9400M chip."))


def test_analyze_quantities_scales_after_hyphens_and_in_ranges(nlp: Language) -> None:
    q = _one(nlp, "He signed a $31.5-million contract.")
    assert (q.value, q.unit) == (31.5e6, "dollar")
    q = _one(nlp, "The Orioles offered between $140 and $150 million.")
    assert (q.low, q.high) == (140e6, 150e6)
    q = _one(nlp, "Estimates put it at between two and three million dollars.")
    assert (q.low, q.high) == (2e6, 3e6)


def test_analyze_quantities_skips_urls_conversions_and_list_parts(nlp: Language) -> None:
    text = "http: / / example. com / 2010 / 05 / 3 - dead - in - fire\nThree people died."
    assert [q.text for q in _quantities(nlp, text)] == ["Three people"]
    reasons = _reasons(nlp, "The damage was put at €110 billion ($141 billion).")
    assert reasons["$141 billion"].startswith("conversion in brackets")
    reasons = _reasons(nlp, "Police said two women and one man died at the bank.")
    assert reasons["two"].startswith("part of a list")
    assert reasons["one"].startswith("part of a list")


def test_analyze_quantities_ages_at_death_and_arrests(nlp: Language) -> None:
    q = _one(nlp, "Esther Williams died on Thursday at 91.")
    assert (q.unit, q.about) == ("age", "williams")
    assert _one(nlp, "Police said 12 were arrested.").unit != "injured"
    found = _quantities(nlp, "Police said 18 people were injured and 12 arrested.")
    assert [(q.value, q.unit) for q in found] == [(18, "injured"), (12, "arrested")]
    assert _one(nlp, "Nineteen people were hurt.").unit == "injured"


def test_analyze_quantities_hedged_subject_and_rising(nlp: Language) -> None:
    assert _one(nlp, "There might have been two people killed, he said.").hedged
    assert _one(nlp, "When one is killed, all of us lose.").hedged
    assert not _one(nlp, "Two people were killed on Monday.").hedged
    assert _one(nlp, "Manning completed his first 17 passes.").subject == "manning"
    assert _one(nlp, "Garrard, who completed 28 passes, ran away.").subject == "garrard"
    assert _one(nlp, "Four people were killed in the blast.").subject is None
    assert _one(nlp, "The death toll has risen to five.").rising
    assert not _one(nlp, "Five people died.").rising


def test_analyze_quantities_entities_leave_out_sources_and_other_clauses(nlp: Language) -> None:
    q = _one(nlp, "Four people died, according to the Civil Protection Agency (CIPRA).")
    assert q.entities == ()
    q = _one(nlp, "Some 40 million cubic metres escaped before Oska Hydro closed the gates.")
    assert q.entities == ()
    q = _one(nlp, "The Red Sox made Teixeira an offer of $184 million, the paper said.")
    assert "sox" in q.entities


def test_analyze_quantities_anaphoric_figure_borrows_the_sentence_before(nlp: Language) -> None:
    text = (
        "The governor said the damage was far greater than the first estimate. "
        "“When we count the bridges, we are at €300 million at least,” he said."
    )
    q = _one(nlp, text)
    assert (q.unit, q.about, q.high) == ("euro", "damage", math.inf)
    assert "estimate" in q.context
    q = _one(nlp, "The ministry's first estimate puts the damage at €240 million.")
    assert q.about == "damage"
