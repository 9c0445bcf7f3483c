"""Tests for ``synoptic.extract.core.extract`` and ``synoptic.extract.lang``."""

from __future__ import annotations

import pytest

from synoptic.errors import InputError
from synoptic.extract import core as core_mod
from synoptic.extract import extract
from synoptic.extract.lang import detect_language, language_code
from synoptic.model import Article, RawDocument

BODY = [
    "Negotiators from both countries met for almost eight hours on Monday in a hotel by the "
    "lake, officials said after the session ended late in the evening.",
    "The deputy foreign minister described the talks as frank and useful, but said the two "
    "sides remained far apart on the question of troop deployments near the border.",
    "A second meeting between the delegations is expected in Brussels on Wednesday, where "
    "allies are due to discuss the same set of written proposals.",
]

PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<title>Talks end after eight hours | Northern Post</title>
<meta property="og:site_name" content="Northern Post">
<meta property="og:title" content="Talks end after eight hours">
<meta name="author" content="Ann Writer">
<meta property="article:published_time" content="2022-01-10T21:10:00+00:00">
</head>
<body>
<nav><a href="/">Home</a> <a href="/world">World</a> <a href="/login">Sign in to continue</a></nav>
<article><h1>Talks end after eight hours</h1>
{body}
</article>
<footer><p>Follow us on social media</p></footer>
</body></html>"""


def html_doc(**meta: object) -> RawDocument:
    body = "\n".join(f"<p>{p}</p>" for p in BODY)
    return RawDocument(
        source="pages/post.html",
        content=PAGE.format(body=body),
        kind="html",
        meta=meta,
        group="pages",
    )


def test_extract_core_html_builds_article() -> None:
    article = extract(html_doc())
    assert isinstance(article, Article)
    assert article.text == "\n\n".join(BODY)
    assert "Sign in to continue" not in article.text
    assert "Follow us" not in article.text
    assert article.title == "Talks end after eight hours"
    assert article.outlet == "Northern Post"
    assert article.byline == "Ann Writer"
    assert article.published == "2022-01-10T21:10:00+00:00"
    assert article.language == "en"
    assert article.source == "pages/post.html"
    assert article.group == "pages"
    assert article.meta["extraction"] == "trafilatura"
    assert article.id == Article.make_id(article.text, "Northern Post", None, article.title)


def test_extract_core_id_is_stable() -> None:
    assert extract(html_doc()).id == extract(html_doc()).id


def test_extract_core_supplied_meta_wins() -> None:
    article = extract(
        html_doc(
            title="Supplied headline",
            url="https://post.example/talks",
            outlet="Supplied Outlet",
            published="11 January 2022 09:30",
            byline=["Bo Reporter", "Cy Reporter"],
            language="de-AT",
            feed="world",
        )
    )
    assert article.title == "Supplied headline"
    assert article.url == "https://post.example/talks"
    assert article.outlet == "Supplied Outlet"
    assert article.published == "2022-01-11T09:30:00"
    assert article.byline == "Bo Reporter; Cy Reporter"
    assert article.language == "de"
    assert article.meta["feed"] == "world"
    assert "title" not in article.meta
    assert article.id == Article.make_id(
        article.text, "Supplied Outlet", "https://post.example/talks", "Supplied headline"
    )


def test_extract_core_unreadable_or_empty_supplied_meta_is_ignored() -> None:
    article = extract(
        html_doc(published="sometime soon", title="  ", byline=None, language="english")
    )
    assert article.published == "2022-01-10T21:10:00+00:00"
    assert article.language == "en"
    assert article.title == "Talks end after eight hours"
    assert article.byline == "Ann Writer"


@pytest.mark.parametrize(
    "content",
    [
        "<html><head><title>Empty</title></head><body></body></html>",
        "<html><body><script>track()</script><style>p{}</style></body></html>",
        "",
    ],
)
def test_extract_core_empty_page_raises_e011(content: str) -> None:
    doc = RawDocument(source="empty.html", content=content, kind="html")
    with pytest.raises(InputError) as info:
        extract(doc)
    assert info.value.code == "E011"
    assert info.value.source == "empty.html"


def test_extract_core_wraps_extractor_failure_as_e013(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(html: str, *, url: str | None = None) -> None:
        raise RuntimeError("parser state\ncorrupted at node 7")

    monkeypatch.setattr(core_mod, "extract_html", broken)
    with pytest.raises(InputError) as info:
        extract(html_doc())
    err = info.value
    assert err.code == "E013"
    assert err.source == "pages/post.html"
    assert "RuntimeError: parser state corrupted at node 7" in err.message
    assert "\n" not in str(err)


def test_extract_core_malformed_html_does_not_crash() -> None:
    broken = "<html><body><article><p>" + BODY[0] + "<p>" + BODY[1] + "</td></div><p>" + BODY[2]
    article = extract(RawDocument(source="broken.html", content=broken, kind="html"))
    assert BODY[1] in article.text


def test_extract_core_detects_language_when_not_supplied() -> None:
    german = [
        "Die Delegationen beider Länder haben am Montag fast acht Stunden lang in einem Hotel "
        "am See verhandelt, wie Regierungsvertreter am Abend mitteilten.",
        "Der stellvertretende Außenminister sprach von offenen und nützlichen Gesprächen, "
        "doch lägen beide Seiten bei der Frage der Truppen weiterhin weit auseinander.",
        "Ein weiteres Treffen ist für Mittwoch in Brüssel geplant, wo auch die Verbündeten "
        "über dieselben schriftlichen Vorschläge beraten wollen.",
    ]
    content = PAGE.format(body="\n".join(f"<p>{p}</p>" for p in german))
    # the page declares English (a template default); the text is German and wins
    article = extract(RawDocument(source="de.html", content=content, kind="html"))
    assert article.language == "de"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "The talks lasted almost eight hours, and officials said both sides would report "
            "back to their governments before any further meeting is arranged.",
            "en",
        ),
        (
            "Les discussions ont duré près de huit heures, et les responsables ont indiqué que "
            "les deux délégations rendraient compte à leurs gouvernements.",
            "fr",
        ),
        (
            "Die Gespräche dauerten fast acht Stunden, und beide Seiten wollen ihren "
            "Regierungen berichten, bevor ein weiteres Treffen vereinbart wird.",
            "de",
        ),
    ],
)
def test_extract_core_detect_language(text: str, expected: str) -> None:
    assert detect_language(text) == expected


@pytest.mark.parametrize("text", ["", "Sergei Ryabkov", "12 345 678", "OK"])
def test_extract_core_detect_language_too_short_is_none(text: str) -> None:
    assert detect_language(text) is None


def test_extract_core_text_uses_residue_filter() -> None:
    content = "\n\n".join(["Advertisement", BODY[0], "Download our Apps", BODY[1], BODY[2]])
    doc = RawDocument(
        source="reports/a.txt",
        content=content,
        kind="text",
        meta={"title": "Talks end after eight hours", "outlet": "Wire Daily"},
    )
    article = extract(doc)
    for paragraph in BODY:
        assert paragraph in article.text
    assert "Advertisement" not in article.text
    assert "Download our Apps" not in article.text
    dropped = article.meta["dropped"]
    assert {d["line"].strip() for d in dropped} >= {"Advertisement", "Download our Apps"}
    assert all(d["reason"] for d in dropped)
    assert article.outlet == "Wire Daily"
    assert article.title == "Talks end after eight hours"
    assert article.language == "en"


def test_extract_core_text_without_content_raises_e011() -> None:
    doc = RawDocument(source="blank.txt", content="\n \n\t\n", kind="text")
    with pytest.raises(InputError) as info:
        extract(doc)
    assert info.value.code == "E011"


@pytest.mark.parametrize(
    ("tag", "expected"),
    [
        ("en-GB", "en"),
        ("de_AT", "de"),
        ("FR", "fr"),
        ("yue-Hant-HK", "yue"),
        ("english", None),
        ("x-default", None),
        ("", None),
        (None, None),
    ],
)
def test_extract_core_language_code(tag: str | None, expected: str | None) -> None:
    assert language_code(tag) == expected


def test_extract_core_keeps_a_text_that_is_one_headline() -> None:
    # A wire flash or a brief can be one line; the cleaner reads it as a title, but the
    # report must not vanish (E011) for it.
    line = "Robbers in drag steal 80 million euros from Paris jewellery store in record heist"
    article = extract(RawDocument(source="flash.txt", content=line + "\n"))
    assert article.text == line
    # Residue alone is still no article.
    with pytest.raises(InputError) as info:
        extract(RawDocument(source="menu.txt", content="Share this article\nAdvertisement\n"))
    assert info.value.code == "E011"


def test_extract_core_long_title_is_cut_with_a_note_and_the_text_kept() -> None:
    # Issue 17: a 19 MB line was written back whole as the title. A line is no headline.
    line = "Dam " + "word " * 5_000
    article = extract(RawDocument(source="line.txt", content=line, kind="text", meta={}))
    assert article.title is None and article.text == line.strip()
    # A title supplied with the input (a JSON field, a page's <title>) is cut, with a note.
    title = "Dam spillway opened " * 100
    record = extract(
        RawDocument(source="r.json", content="Body text.", kind="text", meta={"title": title})
    )
    assert record.title is not None and len(record.title) <= core_mod.MAX_TITLE_CHARS + 2
    assert record.title.endswith(" …") and title.startswith(record.title[:-2])
    assert record.meta["title_chars"] == len(title.strip())
    supplied = extract(html_doc(title="Supplied " * 100))
    assert supplied.meta["title_chars"] == len(("Supplied " * 100).strip())
    assert len(supplied.title or "") <= core_mod.MAX_TITLE_CHARS + 2
