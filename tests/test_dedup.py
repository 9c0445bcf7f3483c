"""Wire-copy detection: republished, trimmed and extended copies vs related reports."""

from __future__ import annotations

from dataclasses import replace

from linecount import lines_run
from synoptic.dedup import DuplicateIndex, containment, mark_duplicates, near_copies, shingles
from synoptic.model import Article

WIRE = (
    "KELLEN (MPA) - The national government and the Oska region will pay emergency grants to "
    "families whose homes were flooded when part of the Velmar dam failed, officials said on "
    "Tuesday after ten hours of talks. Four people were killed and 17 injured when the left wall "
    "of the spillway gave way early on Monday. Rescue services said 8,140 people had been moved "
    "out of their homes in Dravik and two villages downstream. Deputy Minister Ana Vasko said the "
    "grants would be paid within a month. The dam operator said it would publish its inspection "
    "reports for the past five years."
)
LOCAL = " In Kellen, the town council opened its sports hall to forty families on Tuesday night."
RELATED = (
    "Engineers from three countries met in Kellen on Wednesday to inspect the remaining wall of "
    "the Velmar dam spillway, while the death toll from Monday's flood rose to five. Deputy "
    "Minister Ana Vasko said grants would reach families before the end of the month."
)


def _art(i: str, text: str, published: str | None = None) -> Article:
    return Article(id=i, source=f"{i}.txt", text=text, published=published)


def test_dedup_marks_republished_trimmed_and_extended_copies() -> None:
    trimmed = WIRE.rsplit(". ", 2)[0] + "."
    arts = [
        _art("a", WIRE, "2024-10-15"),
        _art("b", WIRE + LOCAL),
        _art("c", trimmed),
        _art("d", RELATED),
    ]
    out = {a.id: a.duplicate_of for a in mark_duplicates(arts)}
    assert out == {"a": None, "b": "a", "c": "a", "d": None}


def test_dedup_original_is_earliest_then_longest_whatever_the_order() -> None:
    arts = [_art("copy", WIRE + LOCAL), _art("orig", WIRE, "2024-10-15")]
    assert [a.duplicate_of for a in mark_duplicates(arts)] == ["orig", None]
    undated = [_art("short", WIRE), _art("long", WIRE + LOCAL)]
    assert [a.duplicate_of for a in mark_duplicates(undated)] == ["long", None]


def test_dedup_copies_point_at_the_root_original() -> None:
    index = DuplicateIndex()
    index.add(_art("a", WIRE))
    b = index.add(_art("b", WIRE + LOCAL))
    c = index.add(_art("c", WIRE + LOCAL + " The hall stays open."))
    assert (b.duplicate_of, c.duplicate_of) == ("a", "a")


def test_dedup_same_id_twice_is_kept_once() -> None:
    assert len(mark_duplicates([_art("a", WIRE), _art("a", WIRE)])) == 1


def test_dedup_containment_of_shingles() -> None:
    a, b = shingles(WIRE), shingles(WIRE + LOCAL)
    assert containment(a, b) == 1.0
    assert containment(shingles(RELATED), a) < 0.2
    assert containment(frozenset(), a) == 0.0


def test_dedup_original_compares_instants_across_time_zones() -> None:
    # 23:30 at UTC-5 on the 14th is 04:30 UTC on the 15th: later than 01:00 UTC on the 15th,
    # though its string sorts first.
    late = _art("late", WIRE, "2024-10-14T23:30-05:00")
    early = _art("early", WIRE + LOCAL, "2024-10-15T01:00Z")
    for arts in ([late, early], [early, late]):
        out = {a.id: a.duplicate_of for a in mark_duplicates(arts)}
        assert out == {"early": None, "late": "early"}


def test_dedup_revised_page_is_a_new_version_not_a_copy() -> None:
    url = "https://www.valley-courier.example/news/dam-grants/?utm_source=feed"
    first = Article(id="v1", source="v1.html", text=WIRE, url=url, published="2024-10-15")
    revised = Article(
        id="v2",
        source="v2.html",
        text=WIRE + LOCAL,
        url="https://valley-courier.example/news/dam-grants#top",
        published="2024-10-15T18:00Z",
    )
    wire = _art("w", WIRE + " Officials said more talks are planned.")
    # The revision replaces its first version (whatever the reading order); a copy of the
    # same wire text at another address is still a copy.
    for arts in ([first, revised, wire], [revised, first, wire]):
        out = {a.id: a.duplicate_of for a in mark_duplicates(arts)}
        assert out == {"v2": None, "w": "v2"}
    # Undated versions: the later read is the newer version.
    undated = [replace(first, published=None), replace(revised, published=None)]
    assert [a.id for a in mark_duplicates(undated)] == ["v2"]
    assert [a.id for a in mark_duplicates(undated[::-1])] == ["v1"]


def _edited(text: str) -> str:
    """The wire story as a second outlet ran it: a new headline, a word changed in every other
    sentence, the last sentence cut and a local line added."""
    sentences = text.split(". ")
    for i in range(0, len(sentences), 2):
        words = sentences[i].split()
        words[len(words) // 2] = "reportedly"
        sentences[i] = " ".join(words)
    return "Dam grants promised. " + ". ".join(sentences[:-1]) + "." + LOCAL


def test_dedup_near_copies_are_found_below_the_copy_threshold() -> None:
    edited = _edited(WIRE)
    # Below the copy rule (the store's and Spark's): not marked a copy ...
    assert containment(shingles(WIRE), shingles(edited)) < 0.8
    out = {a.id: a.duplicate_of for a in mark_duplicates([_art("a", WIRE), _art("b", edited)])}
    assert out == {"a": None, "b": None}
    # ... but one wire story for counting; a related report on the same flood is not.
    arts = [_art("a", WIRE), _art("b", edited), _art("d", RELATED)]
    assert near_copies(arts) == [("a", "b")]
    # Byte-identical reports under two ids are always near-copies.
    assert near_copies([_art("x", RELATED), _art("y", RELATED)]) == [("x", "y")]


def _dedup_lines(articles: list[Article]) -> int:
    """Lines of ``synoptic.dedup`` executed by ``mark_duplicates`` (counted, not timed)."""
    import synoptic.dedup as dedup

    return lines_run(dedup.__file__, lambda: mark_duplicates(articles))


def test_dedup_short_texts_cost_grows_with_the_batch() -> None:
    # Issue 17: a short text (too few shingles for MinHash) was compared with every indexed
    # text, so a batch of tiny documents cost n^2 (10,000 tiny TREC documents); the shingle
    # postings find the same candidates. Linear work gives about 4 for a fourfold batch.
    def batch(n: int) -> list[Article]:
        return [_art(f"d{i:05}", f"Word {i}.") for i in range(n)]

    small, large = _dedup_lines(batch(300)), _dedup_lines(batch(1200))
    assert large / small < 5.5, (small, large)


def test_dedup_short_text_found_in_long_and_short_texts() -> None:
    # The postings are built at the first short text, from the texts indexed before it.
    short = "Deputy Minister Ana Vasko said the grants would be paid."
    arts = [
        _art("a", WIRE, "2024-10-15"),
        _art("b", "Four people were killed and 17 injured.", "2024-10-16"),
        _art("c", short, "2024-10-17"),
        _art("d", "Four people were killed and 17 injured.", "2024-10-18"),
        _art("e", "Nothing to see here at all today.", "2024-10-19"),
    ]
    out = {a.id: a.duplicate_of for a in mark_duplicates(arts)}
    assert out == {"a": None, "b": "a", "c": "a", "d": "a", "e": None}


def test_dedup_near_copies_never_hide_an_edit_that_changes_the_statement() -> None:
    # One sentence kept, one edited: the edit flips the outcome, a figure or a negation, so the
    # two reports disagree (a conflict to show), and are not one source.
    kept = "Engineers will inspect the dam on Wednesday morning."
    said = "Oska Hydro {} that it had postponed repairs to the spillway."
    confirmed = _art("a", said.format("confirmed") + " " + kept)
    assert near_copies([confirmed, _art("b", said.format("denied") + " " + kept)]) == []
    flips = ("Four people were killed in the flood.", "Five people were killed in the flood.")
    assert near_copies([_art("c", flips[0] + " " + kept), _art("d", flips[1] + " " + kept)]) == []
    nots = (
        "The company has paid the families so far.",
        "The company has not paid the families so far.",
    )
    assert near_copies([_art("e", nots[0] + " " + kept), _art("f", nots[1] + " " + kept)]) == []
    # A synonym is a copy-editor's touch: still one source.
    wall = "when the left wall of the spillway gave way early on Monday."
    killed, died = f"Four people were killed {wall}", f"Four people died {wall}"
    assert near_copies([_art("g", killed + " " + kept), _art("h", died + " " + kept)]) == [
        ("g", "h")
    ]
