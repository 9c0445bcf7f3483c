"""The story page's reading aids on tiny hand-made articles: counts, outlet names, disputed
figures, disagreement rows, first sentences."""

from __future__ import annotations

from synoptic.model import Article, Cited, Conflict, ConflictValue, Copy, Span
from synoptic.serve.layout import (
    Outlets,
    disagreement_rows,
    first_sentence,
    format_time,
    outlet_label,
    source_name,
    summary_segments,
)


def _a(aid: str, text: str = "x", **kw: object) -> Article:
    return Article(id=aid, source=f"/srv/data/in/{aid}.txt", text=text, **kw)  # type: ignore[arg-type]


def test_serve_layout_outlet_is_never_a_file_name() -> None:
    assert outlet_label(_a("a", outlet="Herald")) == "Herald"
    assert outlet_label(_a("a", url="https://www.herald.example/x")) == "herald.example"
    assert outlet_label(_a("a")) == "unknown outlet"
    assert outlet_label(_a("a", url="javascript:alert(1)")) == "unknown outlet"


def test_serve_layout_source_name_drops_the_server_location() -> None:
    assert source_name("/home/ann/feeds/ebn.jsonl:12") == "ebn.jsonl:12"
    assert source_name("C:\\data\\x.html") == "x.html"
    assert source_name("https://n.example/a/b") == "https://n.example/a/b"


def test_serve_layout_counts_tell_reports_outlets_and_copies_apart() -> None:
    articles = [
        _a("a", outlet="Wire"),
        _a("b", outlet="Herald", duplicate_of="a"),
        _a("c", outlet="Ledger"),
        _a("d", outlet="ledger"),  # the same outlet twice
        _a("e"),
        _a("f"),  # two reports of unknown outlets: each its own
    ]
    counts = Outlets(articles).counts()
    assert (counts.reports, counts.outlets, counts.copies) == (6, 4, 1)
    assert counts.text == "6 reports · 4 outlets · 1 wire copy"
    assert Outlets(articles).count(["a", "b"]) == 1  # a copy does not confirm


def test_serve_layout_near_copies_fold_into_their_original() -> None:
    # A near-copy (the brief's copies: one wire story republished with edits) is not another
    # outlet's account either, though the reader did not mark it.
    articles = [_a("a", outlet="Wire"), _a("b", outlet="Herald"), _a("c", outlet="Ledger")]
    near = [Copy("b", "a", "near-copy", edited=2)]
    counts = Outlets(articles, copies=near).counts()
    assert (counts.reports, counts.outlets, counts.copies) == (3, 2, 1)
    assert [a.id for a in Outlets(articles, copies=near).copies_of("a")] == ["b"]
    assert Outlets(articles).counts().outlets == 3  # without the brief's copies


def test_serve_layout_summary_marks_a_disputed_figure() -> None:
    text = "Intro. Four people died on Monday. More."
    start = text.index("Four")
    a = _a("a", text)
    item = Cited(text="Four people died on Monday.", spans=(Span("a", start, start + 27),))
    conflict = Conflict(
        topic="death toll",
        kind="number",
        values=(ConflictValue(text="", value=4, spans=(Span("a", start, start + 11),)),),
    )
    parts = summary_segments(item, {"a": a.text}, [conflict])
    assert parts == [
        {"text": "Four people", "conflict": 1},
        {"text": " died on Monday.", "conflict": None},
    ]
    # A summary whose text is not the cited span verbatim is left unmarked, not mismarked.
    other = Cited(text="Four died.", spans=item.spans)
    assert summary_segments(other, {"a": a.text}, [conflict]) == [
        {"text": "Four died.", "conflict": None}
    ]


def test_serve_layout_update_rows_read_as_a_sequence_in_time_order() -> None:
    arts = [
        _a("late", "Five died.", outlet="B", published="2024-10-16T08:00:00+02:00"),
        _a("early", "Four died.", outlet="A", published="2024-10-15T08:00:00+02:00"),
        _a("copy", "Four died.", outlet="C", duplicate_of="early"),
    ]
    conflict = Conflict(
        topic="death toll (update: rises in later reports)",
        kind="number",
        values=(
            ConflictValue(text="Five", value=5, unit="dead", spans=(Span("late", 0, 4),)),
            ConflictValue(
                text="Four",
                value=4,
                unit="dead",
                spans=(Span("early", 0, 4), Span("copy", 0, 4)),
            ),
        ),
    )
    rows = disagreement_rows([conflict], Outlets(arts), lambda a, s: a)
    row = rows[0]
    assert row["topic"] == "death toll" and row["is_update"]
    assert row["sequence"] == "4 dead → 5 dead"
    four = row["sides"][0]["reports"]
    assert [(r["label"], r["copies"], r["time"]) for r in four] == [
        ("A", 1, "15 Oct 2024, 06:00 UTC")
    ]


def test_serve_layout_first_sentence_and_one_time_zone() -> None:
    assert first_sentence("  The dam failed. Four died.") == "The dam failed."
    assert format_time("2024-10-15T08:00:00+02:00") == "15 Oct 2024, 06:00 UTC"
    assert format_time("2024-10-15") == "15 Oct 2024"
