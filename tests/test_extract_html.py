"""Tests for ``synoptic.extract.html``: body extraction, metadata, cascade, hostile input."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest

from synoptic.extract import html as html_mod
from synoptic.extract.html import ExtractedHtml, clean_byline, extract_html, to_iso8601

PARAGRAPHS = [
    "Delegations from the two governments met in a lakeside hotel on Monday for talks that "
    "lasted close to seven hours, according to officials briefed on the meeting.",
    "The deputy minister told reporters afterwards that the discussions had been difficult "
    "but professional, and that no agreement on the main demands had been reached.",
    "Both sides said they would report back to their capitals before deciding whether a "
    "second round of meetings should be scheduled later in the month.",
    "Analysts in the city said the length of the session suggested that the negotiators had "
    "gone through the proposals line by line rather than restating known positions.",
]

CHROME = [
    "Subscribe to our newsletter",
    "Cookie settings",
    "Most read stories today",
    "Advertise with us",
    "Download our apps",
]


def page(
    *,
    head: str = "",
    paragraphs: list[str] | None = None,
    lang: str = "en-GB",
) -> str:
    """A small but realistic news page: navigation, ads and footer around one article."""
    body = "\n".join(f"<p>{p}</p>" for p in (PARAGRAPHS if paragraphs is None else paragraphs))
    return f"""<!DOCTYPE html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<title>Talks end without deal | The Lakeside Courier</title>
{head}
</head>
<body>
<header class="site-header">
  <nav class="main-nav"><ul>
    <li><a href="/world">World</a></li><li><a href="/business">Business</a></li>
    <li><a href="/sport">Sport</a></li><li><a href="/subscribe">{CHROME[0]}</a></li>
  </ul></nav>
  <div class="cookie-banner">{CHROME[1]} <button>Accept</button></div>
</header>
<main>
<article>
  <h1>Talks end without deal</h1>
  <div class="byline">By <a href="/authors/jane-doe" rel="author">Jane Doe</a></div>
  <div class="article-body">
  {body}
  </div>
  <div class="ad-slot advertisement" id="ad-1">{CHROME[3]}</div>
</article>
<aside class="sidebar"><h3>{CHROME[2]}</h3>
  <ul><li><a href="/a">Storm hits coast</a></li><li><a href="/b">Markets rally</a></li></ul>
</aside>
</main>
<footer class="site-footer"><p>{CHROME[4]}</p><p>© 2022 The Lakeside Courier</p></footer>
</body>
</html>"""


META_HEAD = """
<meta property="og:site_name" content="The Lakeside Courier">
<meta property="og:title" content="Talks end without deal">
<meta property="og:description" content="Negotiators part after a long day of talks.">
<meta name="author" content="Jane Doe">
<meta property="article:published_time" content="2022-01-10T18:45:00+01:00">
<link rel="canonical" href="https://courier.example/world/talks-end-without-deal">
"""


def test_extract_html_keeps_body_and_drops_chrome() -> None:
    result = extract_html(page())
    for paragraph in PARAGRAPHS:
        assert paragraph in result.text
    for chrome in CHROME:
        assert chrome not in result.text
    assert "Storm hits coast" not in result.text
    assert result.method == "trafilatura"


def test_extract_html_separates_paragraphs_with_blank_line() -> None:
    result = extract_html(page())
    parts = result.text.split("\n\n")
    # each paragraph is one part, unchanged (later stages cite character spans of it)
    for paragraph in PARAGRAPHS:
        assert paragraph in parts
    assert "\n\n\n" not in result.text
    assert result.text == result.text.strip()


def test_extract_html_reads_metadata() -> None:
    result = extract_html(page(head=META_HEAD))
    assert result.title == "Talks end without deal"
    assert result.byline == "Jane Doe"
    assert result.outlet == "The Lakeside Courier"
    assert result.published == "2022-01-10T18:45:00+01:00"
    assert result.url == "https://courier.example/world/talks-end-without-deal"
    assert result.description == "Negotiators part after a long day of talks."
    assert result.language == "en"


def test_extract_html_drops_leading_headline_from_body() -> None:
    result = extract_html(page(head=META_HEAD))
    assert result.title == "Talks end without deal"
    assert result.text.startswith(PARAGRAPHS[0])
    # a body that is nothing but the headline keeps it: dropping it would leave no text
    assert html_mod._drop_headline("Talks end  without deal", "Talks end without deal") == (
        "Talks end  without deal"
    )
    assert html_mod._drop_headline("TALKS END WITHOUT DEAL\n\nBody.", "Talks end without deal") == (
        "Body."
    )


def test_extract_html_reads_json_ld_publication_time() -> None:
    head = """<script type="application/ld+json">
    {"@context": "https://schema.org", "@graph": [
      {"@type": "ImageObject", "datePublished": "2019-05-01T08:00:00Z"},
      {"@type": "NewsArticle", "headline": "Talks end without deal",
       "datePublished": "2022-01-10T17:45:00Z",
       "author": {"@type": "Person", "name": "Jane Doe"}}]}
    </script>"""
    result = extract_html(page(head=head))
    assert result.published == "2022-01-10T17:45:00+00:00"


def test_extract_html_without_stated_time_falls_back_to_a_day() -> None:
    head = '<meta name="date" content="2022-01-10">'
    result = extract_html(page(head=head))
    assert result.published == "2022-01-10"


def test_extract_html_byline_absent_is_none() -> None:
    html = page().replace(
        '<div class="byline">By <a href="/authors/jane-doe" rel="author">Jane Doe</a></div>', ""
    )
    result = extract_html(html)
    assert result.byline is None
    assert PARAGRAPHS[0] in result.text


@pytest.mark.parametrize(
    "html",
    [
        "",
        "   \n\t ",
        "<html><body><div><p>unclosed <b>bold <i>italic</div></td></tr></body>",
        "\x00\x01\x02\xff binary \x00 garbage <<<>>> &#0; &#xD800;",
        "<div>" * 5000 + "deep" + "</div>" * 10,
        "<html><head><script>document.write('<p>x</p>')</script></head><body>"
        '<p onclick="alert(1)">A paragraph <svg><script>alert(2)</script></svg></p></body>',
        '<?xml version="1.0" encoding="utf-8"?><rss><channel><item>x</item></channel></rss>',
        "<html><body>" + "<p>&amp;&lt;&gt;&quot;&#39;&nbsp;</p>" * 50 + "</body></html>",
    ],
)
def test_extract_html_hostile_input_does_not_crash(html: str) -> None:
    result = extract_html(html)
    assert isinstance(result, ExtractedHtml)
    assert isinstance(result.text, str)
    assert "<script" not in result.text


def test_extract_html_empty_body_yields_no_text() -> None:
    html = (
        "<html><head><title>Nothing here</title></head>"
        "<body><script>var x = 1;</script><style>p {}</style></body></html>"
    )
    result = extract_html(html)
    assert result.text == ""
    assert result.method == "none"


def _fake_doc(text: str | None) -> Any:
    return SimpleNamespace(
        text=text, title="T", author=None, date=None, sitename=None, url=None, description=None
    )


def test_extract_html_cascade_retries_with_recall_when_short(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    calls: list[bool] = []

    def fake(tree: Any, url: str | None, *, recall: bool) -> Any:
        calls.append(recall)
        return _fake_doc("Long recall text line one.\nLine two." * 20 if recall else "Short.")

    monkeypatch.setattr(html_mod, "_trafilatura", fake)
    result = extract_html(page())
    assert calls == [False, True]
    assert result.method == "trafilatura-recall"
    assert result.text.startswith("Long recall text line one.\n\nLine two.")


def test_extract_html_cascade_keeps_short_text_when_recall_is_not_longer(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def fake(tree: Any, url: str | None, *, recall: bool) -> Any:
        return _fake_doc("Tiny." if recall else "A short but real report.")

    monkeypatch.setattr(html_mod, "_trafilatura", fake)
    result = extract_html(page())
    assert result.text == "A short but real report."
    assert result.method == "trafilatura"


def test_extract_html_cascade_falls_back_to_baseline(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(html_mod, "_trafilatura", lambda tree, url, *, recall: None)
    result = extract_html(page(head=META_HEAD))
    assert result.method == "baseline"
    assert PARAGRAPHS[0] in result.text
    # metadata still read although trafilatura gave no document
    assert result.title == "Talks end without deal"
    assert result.published == "2022-01-10T18:45:00+01:00"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2022-01-10", "2022-01-10"),
        ("2022-01-10T14:05:00Z", "2022-01-10T14:05:00+00:00"),
        ("2022-01-10 14:05:07.123+02:00", "2022-01-10T14:05:07+02:00"),
        ("2022-01-10T14:05:00", "2022-01-10T14:05:00"),
        ("10 January 2022", "2022-01-10"),
        ("10.01.2022", "2022-01-10"),
        ("10.01.2022, 14:05 Uhr", "2022-01-10T14:05:00"),
        ("Monday 10 January 2022 14h05", "2022-01-10T14:05:00"),
        ("Jan. 10, 2022 2:05 PM", "2022-01-10T14:05:00"),
        ("January 2022", None),
        ("2022-01", "2022-01"),
        ("2022-13", None),
        ("not a date", None),
        ("", None),
        (None, None),
        ("0001-01-01", None),
    ],
)
def test_extract_html_to_iso8601(value: str | None, expected: str | None) -> None:
    assert to_iso8601(value) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Jane Doe", "Jane Doe"),
        ("By Jane Doe; John Roe", "Jane Doe; John Roe"),
        ("Autor Monika Muster; jane@courier.example; Monika Muster", "Monika Muster"),
        ("Text von Max Muster", "Max Muster"),
        ("Di Maio Luigi; Autor: Anna Rossi", "Di Maio Luigi; Anna Rossi"),
        ("Byron Smith", "Byron Smith"),
        ("2022; 12", None),
        ("", None),
        (None, None),
    ],
)
def test_extract_html_clean_byline(raw: str | None, expected: str | None) -> None:
    assert clean_byline(raw) == expected


def test_extract_html_title_loses_site_suffix() -> None:
    # no og:title: the <title> reads "Talks end without deal | The Lakeside Courier"
    result = extract_html(page())
    assert result.title == "Talks end without deal"


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Storm closes port - Harbour Times", "Storm closes port"),
        ("Storm closes port | News | harbourtimes.example", "Storm closes port | News"),
        ("Storm closes port – HT – 13.06.2023", "Storm closes port – HT"),
        ("港が閉鎖：ハーバータイムズ", "港が閉鎖"),
        ("Climate: Storm closes port", "Climate: Storm closes port"),
        ("Storm - a port closes", "Storm - a port closes"),
        ("Harbour Times", "Harbour Times"),
    ],
)
def test_extract_html_clean_title(title: str, expected: str) -> None:
    tree = html_mod._parse("<html><head></head><body><p>No headline element.</p></body></html>")
    assert tree is not None
    outlet = "ハーバータイムズ" if "港" in title else "Harbour Times"
    assert html_mod.clean_title(title, tree, outlet, "www.harbourtimes.example") == expected


def test_extract_html_clean_title_prefers_visible_headline() -> None:
    tree = html_mod._parse(
        "<html><body><h1>Storm closes port</h1><p>Text of the report.</p></body></html>"
    )
    assert tree is not None
    got = html_mod.clean_title("Storm closes port - Regional | Unknown Site", tree, None, None)
    assert got == "Storm closes port"


def test_extract_html_page_with_too_many_elements_is_e022() -> None:
    from synoptic.errors import InputError
    from synoptic.extract import extract
    from synoptic.extract.html import MAX_ELEMENTS
    from synoptic.model import RawDocument

    page = "<html><body>" + "<p>a</p>" * (MAX_ELEMENTS + 1) + "</body></html>"
    with pytest.raises(InputError) as caught:
        extract(RawDocument(source="huge.html", content=page, kind="html"))
    assert caught.value.code == "E022"
    fine = (
        "<html><body><h1>Dam holds</h1>" + "<p>The dam held overnight.</p>" * 50 + "</body></html>"
    )
    assert extract(RawDocument(source="ok.html", content=fine, kind="html")).text
