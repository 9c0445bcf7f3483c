"""Tests for rendering briefs as JSON, Markdown, HTML and terminal text."""

from __future__ import annotations

import io
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from rich.console import Console

from synoptic.errors import Problem, UsageError
from synoptic.model import (
    Article,
    Brief,
    Cited,
    Conflict,
    ConflictValue,
    Entity,
    Flag,
    Quote,
    Span,
    Story,
    TimelineEvent,
    Unique,
    briefs_document,
)
from synoptic.pipeline import build_briefs
from synoptic.render import FORMATS, print_terminal, render
from synoptic.render.common import format_value, safe_url
from synoptic.render.html import Segment, segments
from synoptic.render.markdown import escape
from synoptic.schema import check_citations, validate_document
from synoptic.settings import Settings

LEDGER = (
    "Envoys from both countries met in Geneva on Monday. Talks lasted eight hours, officials "
    'said. "We had a frank discussion," Vale said.\n\nA second round is due in Brussels on '
    "Wednesday."
)
HARBOR = (
    "Negotiators met in Geneva on Monday for talks that ran about seven and a half hours. "
    '"It was a frank and forthright discussion," Ms. Vale told reporters in Genève.'
)
SUMMARY_1 = "Envoys from both countries met in Geneva on Monday."
SUMMARY_2 = "Talks lasted eight hours, officials said."


def _span(article: Article, passage: str) -> Span:
    start = article.text.index(passage)
    return Span(article.id, start, start + len(passage))


def _articles() -> tuple[Article, Article, Article]:
    ledger = Article(
        id="a1",
        source="in/ledger.txt",
        text=LEDGER,
        outlet="Northern Ledger",
        url="https://ledger.example/geneva",
        title="Envoys meet | Geneva",
        byline="By Ana Ruiz",
        published="2022-01-10T14:03:00+00:00",
        language="en",
    )
    harbor = Article(
        id="a2",
        source="in/harbor.html",
        text=HARBOR,
        outlet="Harbor Times",
        title="Talks in Geneva",
        published="2022-01-10",
        language="en",
    )
    copy = Article(
        id="a3", source="in/valley.txt", text=LEDGER, outlet="Valley Post", duplicate_of="a1"
    )
    return ledger, harbor, copy


def _brief() -> Brief:
    ledger, harbor, copy = _articles()
    met = "met in Geneva on Monday"
    second = "A second round is due in Brussels on Wednesday."
    return Brief(
        story=Story("s1", "Envoys meet in Geneva", (ledger, harbor, copy)),
        summary=(
            Cited(SUMMARY_1, (_span(ledger, SUMMARY_1), _span(harbor, "Negotiators " + met))),
            Cited(SUMMARY_2, (_span(copy, SUMMARY_2),)),
        ),
        facts=(Cited(met, (_span(ledger, met), _span(harbor, met))),),
        conflicts=(
            Conflict(
                "length of talks",
                "number",
                (
                    ConflictValue(
                        "Talks lasted eight hours", 8.0, "hours", (_span(ledger, "Talks lasted"),)
                    ),
                    ConflictValue(
                        "about seven and a half hours",
                        7.5,
                        "hours",
                        (_span(harbor, "about seven and a half hours"),),
                    ),
                ),
            ),
        ),
        quotes=(
            Quote(
                "We had a frank discussion,",
                "Vale",
                (_span(ledger, "We had a frank discussion,"),),
                (
                    Cited(
                        "It was a frank and forthright discussion,",
                        (_span(harbor, "It was a frank and forthright discussion,"),),
                    ),
                ),
            ),
        ),
        entities=(Entity("Vale", "PERSON", ("Ms. Vale",), ("envoy",), ("a1", "a2"), 3),),
        timeline=(
            TimelineEvent(
                "2022-01-12", "A second round in Brussels", (_span(ledger, second),), "planned"
            ),
        ),
        unique=(Unique("a1", second, _span(ledger, second)),),
        flags=(Flag("pronoun", "Vale is called he in one report", ("a2",)),),
    )


def _empty() -> Brief:
    return Brief(story=Story("s0", "Nothing found"))


PROBLEM = Problem("junk.bin", "E004", "binary content (NUL bytes), not text or HTML")


class _Page(HTMLParser):
    """Collects tags, ids, link targets and the text of each article body and mark."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.ids: dict[str, str] = {}
        self.marks: dict[str, str] = {}
        self.bodies: dict[str, str] = {}
        self._article: str | None = None
        self._body_depth = 0
        self._mark: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        d = dict(attrs)
        self.tags.append((tag, d))
        if d.get("id"):
            self.ids[str(d["id"])] = tag
        if tag == "article":
            self._article = d.get("id")
        if self._body_depth:
            self._body_depth += 1
        elif tag == "div" and d.get("class") == "text" and self._article:
            self._body_depth = 1
            self.bodies[self._article] = ""
        if tag == "mark":
            self._mark = d.get("id") or ""
            if self._mark:
                self.marks[self._mark] = ""

    def handle_endtag(self, tag: str) -> None:
        if self._body_depth:
            self._body_depth -= 1
        if tag == "mark":
            self._mark = None

    def handle_data(self, data: str) -> None:
        if self._body_depth and self._article:
            self.bodies[self._article] += data
        if self._mark:
            self.marks[self._mark] += data


def _parse(page: str) -> _Page:
    parser = _Page()
    parser.feed(page)
    parser.close()
    return parser


# --- dispatch ------------------------------------------------------------------------------


def test_render_every_format_ends_with_newline_and_unknown_format_fails() -> None:
    for fmt in FORMATS:
        out = render([_brief()], fmt)
        assert out.endswith("\n") and "Envoys meet in Geneva" in out
    with pytest.raises(UsageError) as info:
        render([_brief()], "pdf")
    assert info.value.code == "E102" and "'pdf'" in str(info.value)


# --- json ----------------------------------------------------------------------------------


def test_render_json_is_the_contract_document() -> None:
    brief = _brief()
    out = render([brief], "json", problems=[PROBLEM])
    expected = json.dumps(briefs_document([brief]), indent=2, ensure_ascii=False) + "\n"
    assert out == expected
    assert "Genève" in out and "junk.bin" not in out
    doc = json.loads(out)
    validate_document(doc)
    assert check_citations(doc) == []
    story = doc["stories"][0]
    assert list(story)[:3] == ["id", "headline", "articles"]
    assert story["summary"][0]["sources"] == ["a1", "a2"]
    assert story["articles"][2]["duplicate_of"] == "a1"


def test_render_json_empty_brief_and_no_briefs_validate() -> None:
    for briefs in ([_empty()], []):
        doc = json.loads(render(briefs, "json"))
        validate_document(doc)
        assert check_citations(doc) == []
    assert json.loads(render([], "json")) == {"schema_version": "1", "stories": []}


def test_render_json_lossless_round_trip_renders_the_same() -> None:
    brief = _brief()
    again = Brief.from_dict(json.loads(json.dumps(brief.to_dict())))
    assert again == brief
    assert render([again], "json") == render([brief], "json")


# --- markdown ------------------------------------------------------------------------------


SECTIONS = [
    "Articles",
    "Summary",
    "Sources",
    "Facts",
    "Conflicts",
    "Quotes",
    "Entities",
    "Timeline",
    "Unique per outlet",
    "Flags",
]


def _numbered_sources(md: str) -> dict[str, str]:
    block = md.split("## Sources\n", 1)[1].split("\n## ", 1)[0]
    return dict(re.findall(r"^(\d+)\. \*\*(.+?)\*\*", block, flags=re.M))


def test_render_markdown_sections_in_order_and_markers_map_to_sources() -> None:
    md = render([_brief()], "md")
    assert md.startswith("# Envoys meet in Geneva\n")
    positions = [md.index(f"\n## {name}\n") for name in SECTIONS]
    assert positions == sorted(positions)
    numbers = _numbered_sources(md)
    assert numbers == {"1": "Northern Ledger", "2": "Harbor Times", "3": "Valley Post"}
    assert f"\n{SUMMARY_1} [1][2]\n" in md
    # The second summary sentence is cited from the wire copy only.
    assert f"\n{SUMMARY_2} [3]\n" in md
    assert "- met in Geneva on Monday [1][2]" in md
    assert "- **8 hours**: “Talks lasted eight hours” [1]" in md
    assert "- **7.5 hours**: “about seven and a half hours” [2]" in md
    assert "### Vale\n\n- “We had a frank discussion,” [1]\n" in md
    assert "  - variant: “It was a frank and forthright discussion,” [2]" in md
    assert "| Vale | PERSON | envoy | Ms. Vale | [1][2] |" in md
    assert "- **2022-01-12** (planned) — A second round in Brussels [1]" in md
    assert "### Northern Ledger [1]\n\n- A second round is due in Brussels on Wednesday." in md
    assert "- **pronoun**: Vale is called he in one report [2]" in md
    # The wire copy's row says which article it duplicates.
    assert re.search(r"^\| 3 \| Valley Post \|.*\| \[1\] \|$", md, flags=re.M)
    assert "<https://ledger.example/geneva>" in md


def test_render_markdown_escapes_tables_and_html() -> None:
    ledger, *_ = _articles()
    hostile = Article(
        id="h",
        source="in/h.txt",
        text="x",
        outlet="A | B <script>alert(1)</script>",
        url="javascript:alert(1)",
        title="1. *Breaking* [news](javascript:x)",
    )
    md = render([Brief(story=Story("s", "# Not a heading", (ledger, hostile)))], "md")
    row = next(line for line in md.splitlines() if line.startswith("| 2 |"))
    assert len(re.findall(r"(?<!\\)\|", row)) == 8  # 7 cells, none split by the outlet's pipe
    assert "\\<script\\>" in md and "<script>" not in md
    assert "<javascript:" not in md and not re.search(r"(?<!\\)\]\(", md)
    assert "1\\. \\*Breaking\\* \\[news\\]" in md
    assert md.startswith("# \\# Not a heading\n")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("plain words", "plain words"),
        ("a|b", "a\\|b"),
        ("<b>x</b>", "\\<b\\>x\\</b\\>"),
        ("1. first", "1\\. first"),
        ("7.5 hours", "7.5 hours"),
        ("- item", "\\- item"),
        ("-5 degrees", "-5 degrees"),
        ("# head", "\\# head"),
        ("#tag", "#tag"),
        ("> quoted", "\\> quoted"),
        ("AT&T &amp; co", "AT&T \\&amp; co"),
        ("two\nlines\t here", "two lines here"),
        ("snake_case *x* `y` ~z~ [l]", "snake\\_case \\*x\\* \\`y\\` \\~z\\~ \\[l\\]"),
    ],
)
def test_render_markdown_escape(raw: str, expected: str) -> None:
    assert escape(raw) == expected


def test_render_markdown_empty_brief_says_none_per_section_and_lists_problems() -> None:
    md = render([_empty()], "md", problems=[PROBLEM])
    for name in SECTIONS:
        assert f"## {name}\n\n_None._\n" in md
    assert md.count("_None._") == len(SECTIONS)
    assert "# Skipped inputs\n\n- junk.bin: binary content" in md
    assert render([], "md") == "_No stories._\n"


# --- html ----------------------------------------------------------------------------------


def test_render_html_citation_chips_jump_to_marked_sentences() -> None:
    brief = _brief()
    page = _parse(render([brief], "html"))
    local = [
        str(d["href"]) for t, d in page.tags if t == "a" and str(d.get("href")).startswith("#")
    ]
    assert local
    missing = [h for h in local if h[1:] not in page.ids]
    assert missing == []
    # Every span-backed chip targets a <mark> whose text opens the cited passage.
    texts = {a.id: a.text for a in brief.story.articles}
    for cited in brief.summary:
        for span in cited.spans:
            mark = f"a-{span.article}-{span.start}"
            assert f"#{mark}" in local
            assert page.ids[mark] == "mark"
            cited_text = texts[span.article][span.start : span.end]
            assert cited_text.startswith(page.marks[mark])


def test_render_html_marks_overlapping_spans_and_keeps_text_intact() -> None:
    brief = _brief()
    page = _parse(render([brief], "html"))
    for article in brief.story.articles:
        assert page.bodies[f"a-{article.id}"] == article.text
    # The summary sentence and the fact inside it overlap: the fact's run is doubly marked.
    html = render([brief], "html")
    assert '<mark id="a-a1-27" class="d2">met in Geneva on Monday</mark>' in html
    assert '<mark id="a-a1-0">Envoys from both countries </mark>' in html


def test_render_html_segments_handles_overlap_nesting_and_bad_spans() -> None:
    text = "abcdefghij"
    out = segments(text, [(0, 4), (2, 6), (3, 4), (8, 30), (5, 5), (-3, 1)], "x")
    assert "".join(s.text for s in out) == text
    assert out == [
        Segment("a", 2, "a-x-0"),
        Segment("b", 1, None),
        Segment("c", 2, "a-x-2"),
        Segment("d", 3, "a-x-3"),
        Segment("ef", 1, None),
        Segment("gh", 0, None),
        Segment("ij", 1, "a-x-8"),
    ]
    assert segments("", [(0, 3)], "x") == []
    assert segments("abc", [], "x") == [Segment("abc")]


def test_render_html_out_of_range_span_falls_back_to_article_anchor() -> None:
    ledger, *_ = _articles()
    brief = Brief(
        story=Story("s", "Bad span", (ledger,)),
        summary=(Cited("Envoys", (Span("a1", 500, 520),)),),
    )
    page = _parse(render([brief], "html"))
    chips = [d["href"] for t, d in page.tags if t == "a" and d.get("class") == "cite"]
    assert chips == ["#a-a1"]
    assert "a-a1" in page.ids


def test_render_html_hostile_article_is_inert() -> None:
    hostile = Article(
        id="h1",
        source="javascript:alert(3)",
        text=(
            "Hi <script>alert(1)</script> <img src=x onerror=alert(2)> "
            '<a href="javascript:e()">x</a>'
        ),
        outlet='<img src=y onerror="alert(4)">',
        url="javascript:alert(5)",
        title='<script>alert("t")</script>',
        byline='" onmouseover="alert(6)',
        language='en" onload="x',
    )
    safe = Article(id="ok", source="in/ok.txt", text="Fine.", url="https://ok.example/a?b=1&c=2")
    brief = Brief(
        story=Story("s<x>", "<b>Head</b>", (hostile, safe)),
        summary=(Cited("Hi <script>alert(1)</script>", (Span("h1", 0, 29),)),),
        quotes=(Quote("<svg onload=alert(7)>", "<i>Evil</i>", (Span("h1", 3, 29),)),),
        flags=(Flag("<u>kind</u>", "javascript:alert(8)", ("h1",)),),
    )
    html = render([brief], "html")
    page = _parse(html)
    tags = {t for t, _ in page.tags}
    assert not tags & {"script", "img", "svg", "iframe", "object", "embed", "link", "b", "i", "u"}
    for _tag, attrs in page.tags:
        assert not [k for k in attrs if k.startswith("on")]
        for value in attrs.values():
            assert "javascript:" not in (value or "").lower()
    hrefs = [str(d["href"]) for t, d in page.tags if t == "a"]
    assert all(h.startswith("#") or h.startswith("https://") for h in hrefs)
    assert "https://ok.example/a?b=1&c=2" in hrefs
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "Content-Security-Policy" in html and "default-src 'none'" in html
    assert page.bodies["a-h1"] == hostile.text


def test_render_html_is_one_accessible_self_contained_page() -> None:
    page_html = render([_brief()], "html")
    page = _parse(page_html)
    assert page_html.startswith('<!DOCTYPE html>\n<html lang="en">')
    tags = [t for t, _ in page.tags]
    assert tags.count("h1") == 1 and tags.count("style") == 1
    assert "script" not in tags and "link" not in tags
    srcs = [d for _, d in page.tags if "src" in d]
    assert srcs == []
    assert "@media print" in page_html and "@media (max-width" in page_html
    assert any(t == "meta" and d.get("name") == "viewport" for t, d in page.tags)
    # The matrix: one row per fact, a dot for each outlet reporting it (not the wire copy).
    assert page_html.count('<span class="dot" aria-hidden="true">●</span>') == 2
    assert '<div class="text" lang="en">' in page_html


def test_render_html_empty_and_several_stories() -> None:
    html = render([_brief(), _empty()], "html", problems=[PROBLEM])
    page = _parse(html)
    tags = [t for t, _ in page.tags]
    assert tags.count("h1") == 1 and "<h1>2 stories</h1>" in html
    assert '<h2 id="s-s1-h">Envoys meet in Geneva</h2>' in html
    assert '<h2 id="s-s0-h">Nothing found</h2>' in html
    local = [str(d["href"]) for t, d in page.tags if t == "a" and str(d["href"]).startswith("#")]
    assert len(local) > 20 and all(h[1:] in page.ids for h in local)
    assert "<code>junk.bin</code>: binary content" in html
    empty = render([_empty()], "html")
    assert empty.count('<p class="none">None.</p>') == 10


# --- text / terminal -----------------------------------------------------------------------


def test_render_text_has_headline_markers_and_no_colour() -> None:
    text = render([_brief()], "text", problems=[PROBLEM])
    assert "Envoys meet in Geneva" in text.splitlines()[0]
    assert f"{SUMMARY_1} [1][2]" in text
    assert f"{SUMMARY_2} [3]" in text
    assert "\x1b" not in text
    assert max(len(line) for line in text.splitlines()) <= 100
    assert re.search(r"^1\s+Northern Ledger\s+Envoys meet \| Geneva", text, flags=re.M)
    assert re.search(r"7\.5 hours\s+about seven and a half hours\s+\[2\]", text)
    assert "~ “It was a frank and forthright discussion,” [2]" in text
    assert "Skipped inputs" in text and "junk.bin: binary content" in text
    empty = render([_empty()], "text")
    assert "Conflicts: none" in empty and "Flags: none" in empty


def test_render_text_is_the_terminal_rendering_without_colour() -> None:
    console = Console(file=io.StringIO(), record=True, width=100, color_system="truecolor")
    print_terminal([_brief()], console)
    coloured = console.export_text(styles=True, clear=False)
    assert "\x1b[" in coloured
    plain = "\n".join(line.rstrip() for line in console.export_text().splitlines()) + "\n"
    assert plain == render([_brief()], "text")


def test_render_terminal_markup_and_escape_sequences_are_inert() -> None:
    evil = Article(
        id="e",
        source="in/e.txt",
        text="x",
        outlet="[bold red]Loud[/]",
        title="Title \x1b]0;pwned\x07 here",
    )
    brief = Brief(
        story=Story("s", "[link=https://evil.example]click[/link]", (evil,)),
        summary=(Cited("Said \x1b[2J[blink]x[/blink]", (Span("e", 0, 1),)),),
    )
    console = Console(file=io.StringIO(), width=100, force_terminal=True, color_system="256")
    print_terminal([brief], console)
    out = console.file.getvalue()  # type: ignore[attr-defined]
    assert "\x1b]0;pwned" not in out and "\x1b[2J" not in out
    text = render([brief], "text")
    assert "[link=https://evil.example]click[/link]" in text
    assert "[bold red]Loud[/]" in text
    assert "Said \ufffd[2J[blink]x[/blink] [1]" in text


# --- shared helpers ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://example.org/a", "https://example.org/a"),
        (" http://example.org ", "http://example.org"),
        ("javascript:alert(1)", None),
        ("JaVaScRiPt:alert(1)", None),
        ("data:text/html,<b>", None),
        ("//example.org/x", None),
        ("https:///nohost", None),
        ("https://exa mple.org", None),
        ("https://example.org/\x00", None),
        ("in/ledger.txt", None),
        (None, None),
    ],
)
def test_render_safe_url(url: str | None, expected: str | None) -> None:
    assert safe_url(url) == expected


@pytest.mark.parametrize(
    ("value", "unit", "expected"),
    [
        (100000.0, "troops", "100,000 troops"),
        (7.5, "hours", "7.5 hours"),
        (7.5, "hour", "7.5 hours"),
        (1.0, "hour", "1 hour"),
        (30e6, "cubic metre", "30 million cubic metres"),
        (240e6, "euro", "€240 million"),
        (5000.0, "euro", "€5,000"),
        (4.0, "percent", "4%"),
        (6.1, "magnitude", "magnitude 6.1"),
        (4e6, "dollar per year", "$4 million a year"),
        (None, None, "—"),
        (3, None, "3"),
        (float("nan"), "km", "— km"),
    ],
)
def test_render_format_value(value: float | None, unit: str | None, expected: str) -> None:
    assert format_value(value, unit) == expected


def test_render_format_value_keeps_the_approximation() -> None:
    assert format_value(3e8, "euro", low=3e8, high=None, approx="over") == "at least €300 million"
    assert format_value(7.0, "hour", low=7.0, high=7.35, approx="over") == "over 7 hours"
    assert format_value(7e4, "troops", low=6.3e4, high=7.7e4, approx="about") == (
        "about 70,000 troops"
    )
    assert format_value(145e6, "dollar", low=140e6, high=150e6, approx="range") == (
        "$140–$150 million"
    )
    assert format_value(2.5, "day", low=2.0, high=3.0, approx="range") == "2–3 days"


# --- copies --------------------------------------------------------------------------------


def test_render_copies_shown_with_what_differs_in_every_format(tmp_path: Path) -> None:
    # The tiny ferry story of test_synthesize_align: a wire report, the same report
    # republished (new headline, one sentence reworded, the last cut: the reader marks it a
    # copy), an own account, and the wire report once more under another headline with a word
    # or two of every sentence changed (a near-copy the reader does not mark).
    from test_synthesize_align import OWN, REPUBLISHED, WIRE

    folder = tmp_path / "ferry"
    folder.mkdir()
    edited = WIRE
    for old, new in (
        ("Kellen ferry service halted", "Ferry halted"),
        ("was stopped mid-crossing", "was halted mid-crossing"),
        ("broke out in its engine room", "broke out in the engine room"),
        ("were taken back", "were brought back"),
        ("put out the fire", "put out the blaze"),
        ("boarded the vessel", "went aboard the vessel"),
        ("would resume on Thursday", "would restart on Thursday"),
    ):
        edited = edited.replace(old, new)
    texts = {"1-wire": WIRE, "2-own": OWN, "3-daily": REPUBLISHED, "4-edited": edited}
    for name, text in texts.items():
        (folder / f"{name}.txt").write_text(text, encoding="utf-8")
    settings = Settings(use_cache=False, cache_dir=tmp_path / "cache", stories="per-dir")
    result = build_briefs([str(folder)], settings)
    assert not result.problems and len(result.briefs) == 1
    brief = result.briefs[0]
    ids = {Path(a.source).stem: a.id for a in brief.story.articles}
    number = {a.id: n for n, a in enumerate(brief.story.articles, start=1)}
    wire = ids["1-wire"]

    doc = json.loads(render([brief], "json"))
    validate_document(doc)
    found = {c["article"]: c for c in doc["stories"][0]["copies"]}
    assert set(found) == {ids["3-daily"], ids["4-edited"]}
    assert all(c["copy_of"] == wire for c in found.values())
    daily, near = found[ids["3-daily"]], found[ids["4-edited"]]
    assert daily["kind"] == "duplicate" and near["kind"] == "near-copy"
    assert daily["differs"] == "new headline, 1 sentence edited, 1 dropped"
    assert near["differs"] == "new headline, 5 sentences edited"
    n = number[wire]
    cells = [f"[{n}], new headline, 1 sentence edited, 1 dropped"]
    cells.append(f"near-copy of [{n}], new headline, 5 sentences edited")
    markdown = render([brief], "md")
    assert all(f" {cell} |" in markdown for cell in cells)
    text = " ".join(render([brief], "text").split())
    assert all(word in text for word in ("Copy of", "near-copy", "1 dropped"))
    page = render([brief], "html")
    assert f'near-copy of <a href="#a-{wire}">{n}</a>, new headline, 5 sentences edited' in page
    # A brief without copies writes no "copies" key (the v1 contract holds).
    assert "copies" not in json.loads(render([_brief()], "json"))["stories"][0]
