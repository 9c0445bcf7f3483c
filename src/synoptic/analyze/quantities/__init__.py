"""Quantities: the figures an article gives, what each counts, and how exactly it is stated.

A news figure is more than a number: "an estimated 100,000 troops", "a seven-and-a-half-hour
consultation", "tens of thousands of Russian troops", "more than 11.000 inhabitants". Comparing
such figures across outlets needs three things read off the wording, and this package reads them:

* the **value** and the **interval the wording admits** (``low``..``high``): "about" widens the
  value, "more than" opens it upwards, a range or a vague plural ("hundreds") spans it;
* the **unit**: the counted thing, from the dependency parse (``nummod``/``compound`` heads,
  hyphenated adjectives such as "eight-hour talks", "of" complements as in "tens of thousands of
  troops", or a verb for bare numbers as in "Thousands have been killed"), normalised through a
  small table (soldiers/forces -> ``troops``, killed/deaths/hurt -> ``dead``/``injured``, per
  cent/% -> ``percent``, $ -> ``dollar``, "weighing 130 pounds" -> ``lb`` but "£5m" ->
  ``pound``...). Some wordings carry their own unit: magnitudes ("magnitude 6.1", "5.9-magnitude",
  "6.4 on the Richter scale", "a 6.1 earthquake"), ages at death ("died at 91", "aged 36"),
  rates ("$4 million a year" -> ``dollar per year``), speeds ("120 miles an hour" -> ``mph``),
  compound lengths ("4 minutes 48 seconds" = 4.8 minutes, "5-foot-8"), "an hour and a half",
  and the first of two figures sharing a unit ("the 7.6 and 7.5 magnitude quakes");
* **context** for telling whether two figures measure the same thing: the thing measured
  (``about``: "talk" for "eight hours of talks", "damage" for "puts the damage at €240
  million"), the sentence's content-word lemmas, the names of the clause giving the figure
  (sources such as "the agency said" left out) and its named ``subject`` ("Manning completed 17
  passes"), nearest first. A figure whose clause has a pronoun subject ("we are at €300 million
  at least") also takes the words, and if need be the thing measured, of the sentence before;
* whether the figure is **hedged** ("there might have been two people killed", "when one is
  killed") or **rising** ("the death toll has risen to five").

Detokenised text with a space after separators (ECB+ and some scrapers: "50, 000 people", "a
5. 9 magnitude quake") is read as one number where a sentence break cannot fall there.

Numbers that are not measured quantities are rejected with a reason (see ``rejected_numbers``):
years, dates, times of day, ordinals, list markers, "one of", "No. 2", phone numbers, ages after
names ("Smith, 45,"), numbers inside names ("Boeing 737", "COVID-19") or paths, codes with a
leading zero, street addresses, the old value of a change ("rose from 30 to 45"), scores and
year ranges ("3-1", "2014-2022"), fractions ("two-thirds"), and figures that are not the count
of a whole: a part of a group ("37 of the candidates"), an increment or remainder ("two more",
"another 3,000") and a point in time rather than a length ("two years ago"); also numbers in a
line that is a web address, a figure in brackets after another (a conversion: "58km (36
miles)", "€110bn ($141bn)") and one part of a list of people ("two women and a man died").

Interval conventions (``find_conflicts`` compares intervals, so these decide what agrees):

==========================  ===========================================  ==========
wording                     interval                                     ``approx``
==========================  ===========================================  ==========
"100,000" / "eight"          [v, v]                                       exact
"about/around/some/an        [0.9 v, 1.1 v]                               about
estimated/approximately v"
"nearly/almost v"            [0.95 v, v]                                  about
"a dozen", "half a dozen"    [0.9 v, 1.1 v]                               about
"more than/over/at least v"  [v, inf)  (what the words admit)             over
"just over v"                [v, 1.05 v]                                  over
"fewer than/up to/within v"  [0, v]                                       under
"between a and b", "a-b",    [a, b], value = midpoint                     range
"a to b", "a or b"
"hundreds", "tens of         [x, 20 x] for the decade x the words name    range
thousands", "dozens"         (the literal decade, widened x2 because      (value =
                             writers use these loosely); value = x        x)
"several/a few hundred"      [2 x, 9 x] / [2 x, 5 x]                      range
==========================  ===========================================  ==========

Modules, by job: ``vocab`` (words from the lexicon and the lexical patterns), ``parse`` (one
number in digits or words), ``scan`` (number phrases off the text: approximations, ranges,
glued units), ``counted`` (what a figure counts, from the parse), ``context`` (the sentence
around a figure), ``extract`` (the public functions) and ``records``.
"""

from __future__ import annotations

from synoptic.analyze.quantities.context import stem
from synoptic.analyze.quantities.extract import extract_quantities, rejected_numbers
from synoptic.analyze.quantities.parse import words_value
from synoptic.analyze.quantities.records import (
    ABOUT_TOLERANCE,
    INF,
    NEARLY_TOLERANCE,
    VAGUE_WIDENING,
    Approx,
    Quantity,
    RejectedNumber,
    intervals_overlap,
)
from synoptic.analyze.quantities.vocab import MEASURES, UNITS

__all__ = [
    "ABOUT_TOLERANCE",
    "INF",
    "MEASURES",
    "NEARLY_TOLERANCE",
    "UNITS",
    "VAGUE_WIDENING",
    "Approx",
    "Quantity",
    "RejectedNumber",
    "extract_quantities",
    "intervals_overlap",
    "rejected_numbers",
    "stem",
    "words_value",
]
