"""Tests for the plain-text residue filter and metadata readers (``synoptic.extract.text``)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from synoptic.extract.text import (
    CleanedText,
    DroppedLine,
    clean_text,
    parse_byline,
    parse_dateline,
    residue_reason,
)

SEEDS = Path(__file__).parents[1].parent / "shared" / "seeds"

# Hand-written article paragraphs, long enough to read as prose on their own.
P1 = (
    "Diplomats from the two countries met for more than seven hours in Geneva on Monday, "
    "but neither side reported any progress on the questions that divide them."
)
P2 = (
    "The deputy foreign minister told reporters after the meeting that his government had "
    "no intention of invading its neighbour, and that the talks had been professional."
)
P3 = (
    "Officials from both delegations said they would meet again later in the week in "
    "Brussels and in Vienna, where the wider security questions will be discussed."
)


def article(*lines: str) -> str:
    """Join lines the way scraped text files hold them: paragraphs between blank lines."""
    return "\n\n".join(lines) + "\n"


def reasons(result: CleanedText) -> dict[str, str]:
    return {d.line.strip(): d.reason for d in result.dropped}


def paragraphs(result: CleanedText) -> list[str]:
    return result.text.split("\n\n")


# --- residue, one kind per test ------------------------------------------------------------


def test_extract_text_drops_advertisement() -> None:
    result = clean_text(article(P1, "Advertisement", P2, "Sponsored", P3))
    assert paragraphs(result) == [P1, P2, P3]
    assert reasons(result) == {"Advertisement": "advertisement", "Sponsored": "advertisement"}


def test_extract_text_keeps_sentence_mentioning_advertisement() -> None:
    sentence = "The advertisement ran in three national newspapers on Sunday, officials said."
    teaser = "Readers who want to read more can find the full statement on the ministry website."
    result = clean_text(article(P1, sentence, teaser, P2))
    assert paragraphs(result) == [P1, sentence, teaser, P2]
    assert result.dropped == ()


def test_extract_text_drops_share_prompt() -> None:
    result = clean_text(article(P1, "Share this article", "Facebook Twitter WhatsApp", P2))
    assert paragraphs(result) == [P1, P2]
    assert set(reasons(result).values()) == {"share-prompt"}


def test_extract_text_drops_photo_credits_and_captions() -> None:
    lines = [
        "IMAGE: Reuters | Image: self",
        "(Image: AP)",
        "The minister arrives at the mission in Geneva (Jane Doe/Pool via AP)",
        "Delegates at the talks, © AP/Press Association Images",
        "Photo: Getty Images",
    ]
    result = clean_text(article(P1, lines[0], P2, lines[1], lines[2], lines[3], P3, lines[4]))
    assert paragraphs(result) == [P1, P2, P3]
    assert {reasons(result)[line] for line in lines} == {"photo-credit"}


def test_extract_text_drops_copyright_footer() -> None:
    footer = "© 2022, developed by Example Labs and powered by Somecms"
    result = clean_text(
        article(P1, P2, footer, "Copyright 2021 Example News. All rights reserved.")
    )
    assert paragraphs(result) == [P1, P2]
    assert set(reasons(result).values()) == {"copyright"}


def test_extract_text_drops_read_more_teasers_and_rails() -> None:
    teaser = "Read more: Leaders hold second call as tensions over the border escalate"
    result = clean_text(article(P1, P2, teaser, "Read More", "Top Content Trending"))
    assert paragraphs(result) == [P1, P2]
    assert reasons(result) == {
        teaser: "read-more",
        "Read More": "read-more",
        "Top Content Trending": "rail",
    }


def test_extract_text_drops_comment_form() -> None:
    result = clean_text(
        article(P1, P2, "Leave A Reply", "Your email address will not be published.")
    )
    assert paragraphs(result) == [P1, P2]
    assert set(reasons(result).values()) == {"comment-form"}


def test_extract_text_drops_app_and_newsletter_prompts() -> None:
    app = "For the latest headlines, follow our Google News channel online or via the app."
    mail = "Want us to email you top stories each lunch time?"
    result = clean_text(article(P1, app, P2, mail, "Download our Apps"))
    assert paragraphs(result) == [P1, P2]
    assert reasons(result) == {
        app: "app-prompt",
        mail: "newsletter-prompt",
        "Download our Apps": "app-prompt",
    }


def test_extract_text_drops_font_and_read_mode_widgets() -> None:
    result = clean_text(article(P1, "Enable Read mode", "100% Font Size", "• 2 min read", P2))
    assert paragraphs(result) == [P1, P2]
    assert set(reasons(result).values()) == {"font-widget"}


def test_extract_text_drops_empty_published_labels() -> None:
    result = clean_text(article(P1, "Published: Updated:", P2))
    assert paragraphs(result) == [P1, P2]
    assert reasons(result) == {"Published: Updated:": "empty-label"}


@pytest.mark.parametrize(
    "doubled",
    [
        "Talks end without progress in Geneva Talks end without progress in Geneva",
        "Talks end without progress in Geneva Talks End Without Progress In Geneva",
    ],
)
def test_extract_text_drops_headline_repeated_on_one_line(doubled: str) -> None:
    result = clean_text(article("Talks end without progress in Geneva", doubled, P1, P2))
    assert result.title == "Talks end without progress in Geneva"
    assert reasons(result)[doubled] == "repeated-headline"
    assert paragraphs(result) == [P1, P2]


def test_extract_text_drops_menu_runs_as_navigation() -> None:
    menu = ["Home", "World News", "Business", "Sport", "Culture and Arts", "Travel Guide"]
    footer = ["About the paper", "Work with us", "Contact the newsroom", "Terms of use"]
    result = clean_text("\n".join([*menu, P1, P2, P3, *footer]))
    assert paragraphs(result) == [P1, P2, P3]
    dropped = reasons(result)
    assert all(dropped[line] in ("navigation", "rail") for line in menu + footer[:-1])
    assert set(dropped) == set(menu + footer)


def test_extract_text_drops_reader_comments_after_article() -> None:
    comment = "I think the talks were a waste of time and nobody should have expected more."
    reply = "Both governments knew in advance that the meeting would not change anything."
    raw = "\n".join(
        [
            P1,
            P2,
            "3 Comments",
            "jdoe says:",
            comment,
            "Reply",
            "asmith says:",
            reply,
            "Reply",
        ]
    )
    result = clean_text(raw)
    assert paragraphs(result) == [P1, P2]
    assert reasons(result)[comment] == "comments"


def test_extract_text_keeps_subheadings_between_paragraphs() -> None:
    result = clean_text(article(P1, "Demands on the table", P2, "What comes next", P3))
    assert paragraphs(result) == [P1, "Demands on the table", P2, "What comes next", P3]


def test_extract_text_keeps_a_short_note() -> None:
    raw = "Talks resumed on Monday.\nThe next round is due in March."
    result = clean_text(raw)
    assert paragraphs(result) == ["Talks resumed on Monday.", "The next round is due in March."]


def test_extract_text_records_every_dropped_line_in_order() -> None:
    raw = "\n".join(["Share this article", P1, "Advertisement", P2, "Read More"])
    result = clean_text(raw)
    assert result.dropped == (
        DroppedLine("Share this article", "share-prompt"),
        DroppedLine("Advertisement", "advertisement"),
        DroppedLine("Read More", "read-more"),
    )


@pytest.mark.parametrize(
    "sentence",
    [
        "The advertisement was pulled after complaints from viewers.",
        "More than five million people follow the president on Twitter.",
        "Users were told to download the health service app.",
        "The minister announced the decision on his Telegram channel.",
        "By continuing to use coal, the country risks missing its targets.",
        "The lawsuit alleges copyright infringement dating back to 2019.",
        "She wrote in a free weekly newsletter that the talks had failed.",
        "Join us on Sunday for the march, the organisers said.",
        "Delegates met in Vienna (NATO/OSCE)",
        "The minister says:",
    ],
)
def test_extract_text_residue_reason_keeps_sentences_with_chrome_words(sentence: str) -> None:
    assert residue_reason(sentence) is None


def test_extract_text_residue_reason_matches_whole_lines_only() -> None:
    assert residue_reason("Advertisement") == "advertisement"
    assert residue_reason("The advertisement was pulled after complaints.") is None
    assert residue_reason("Read more") == "read-more"
    assert residue_reason("Officials said they would read more of the report later.") is None


# --- metadata readers ----------------------------------------------------------------------


def test_extract_text_reads_byline_with_agency() -> None:
    result = clean_text(article("By Matthew Lee, Associated Press", P1, P2))
    assert (result.byline, result.agency) == ("Matthew Lee", "Associated Press")
    assert reasons(result) == {"By Matthew Lee, Associated Press": "byline"}
    assert paragraphs(result) == [P1, P2]


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Reported by: Bhavya Sukheja", ("Bhavya Sukheja", None)),
        ("By Ann Lee and Bo Chan", ("Ann Lee and Bo Chan", None)),
        ("By Ann Lee, Bo Chan and Cy Diaz, Reuters", ("Ann Lee, Bo Chan and Cy Diaz", "Reuters")),
        ("By MATTHEW LEE, AP Diplomatic Writer", ("MATTHEW LEE", "AP")),
        ("Written by Rachael Link, MS, RD", ("Rachael Link", None)),
        ("By Reuters Staff", (None, "Reuters")),
    ],
)
def test_extract_text_parse_byline_shapes(
    line: str, expected: tuple[str | None, str | None]
) -> None:
    assert parse_byline(line) == expected


@pytest.mark.parametrize(
    "sentence",
    [
        "By Monday, the talks had ended without agreement.",
        "By the end of the day both sides had left Geneva.",
        "Ukraine Talks",
    ],
)
def test_extract_text_parse_byline_rejects_sentences(sentence: str) -> None:
    assert parse_byline(sentence) is None


@pytest.mark.parametrize(
    ("line", "iso"),
    [
        ("Updated January 11th, 2022 at 12:23 IST", "2022-01-11T12:23:00+05:30"),
        ("Jan 10, 2022, 5:00 PM ET", "2022-01-10T17:00:00-05:00"),
        ("July 4, 2022, 5:00 PM ET", "2022-07-04T17:00:00-04:00"),  # daylight saving time
        ("Monday 10 January 2022 17:02 GMT", "2022-01-10T17:02:00+00:00"),
        ("10 January 2022", "2022-01-10"),
        ("Published: 10 Jan 2022 09:05 CET", "2022-01-10T09:05:00+01:00"),
        ("June 2021", "2021-06"),
        ("2022-01-10T17:00:00Z", "2022-01-10T17:00:00+00:00"),
        ("25/12/2021", "2021-12-25"),
    ],
)
def test_extract_text_parse_dateline_to_iso(line: str, iso: str) -> None:
    dates = parse_dateline(line)
    assert dates is not None
    assert dates[0].iso == iso


def test_extract_text_parse_dateline_rejects_sentences_with_dates() -> None:
    assert parse_dateline("The talks on January 10, 2022 ended without a deal.") is None
    assert parse_dateline("Monday") is None
    assert parse_dateline("January 10") is None  # no year: cannot be placed


def test_extract_text_keeps_bare_dates_inside_the_body_as_subheadings() -> None:
    # The dateline on top is metadata; once the body has begun, bare dates are its headings.
    last = "The alliance answered in writing a day later, and the talks were adjourned."
    raw = article("10 January 2022", P1, P2, "12 January 2022", P3, "13 January 2022", last)
    result = clean_text(raw)
    assert result.published == "2022-01-10"
    assert paragraphs(result) == [P1, P2, "12 January 2022", P3, "13 January 2022", last]


def test_extract_text_prefers_published_over_updated() -> None:
    raw = article(
        "Updated January 11th, 2022 at 15:00 IST",
        P1,
        P2,
        "Published January 11th, 2022 at 12:23 IST",
    )
    result = clean_text(raw)
    assert result.published == "2022-01-11T12:23:00+05:30"
    assert paragraphs(result) == [P1, P2]
    assert set(reasons(result).values()) == {"dateline"}


def test_extract_text_takes_updated_time_when_alone() -> None:
    result = clean_text(article("Updated January 11th, 2022 at 15:00 IST", P1, P2))
    assert result.published == "2022-01-11T15:00:00+05:30"


def test_extract_text_reads_byline_and_date_on_one_line() -> None:
    line = "Posted by Ann Lee on November 19, 2019, 6:21 AM EST"
    result = clean_text(article(line, P1, P2))
    assert result.byline == "Ann Lee"
    assert result.published == "2019-11-19T06:21:00-05:00"
    assert reasons(result) == {line: "byline"}


def test_extract_text_reads_title_skipping_dateline() -> None:
    raw = article(
        "Updated January 11th, 2022 at 12:23 IST",
        "Geneva talks end without a breakthrough",
        P1,
        P2,
    )
    result = clean_text(raw)
    assert result.title == "Geneva talks end without a breakthrough"
    assert reasons(result)["Geneva talks end without a breakthrough"] == "title"
    assert paragraphs(result) == [P1, P2]


def test_extract_text_article_without_title_line() -> None:
    result = clean_text("\n".join([P1, P2, P3]))
    assert result.title is None
    assert paragraphs(result) == [P1, P2, P3]


def test_extract_text_question_is_title_only_in_title_case() -> None:
    headline = clean_text(article("Can the Geneva Talks Still Succeed?", P1, P2))
    assert headline.title == "Can the Geneva Talks Still Succeed?"
    sentence = "Oh, is anyone surprised that the talks went nowhere again?"
    body = clean_text(article(sentence, P1, P2))
    assert body.title is None
    assert paragraphs(body) == [sentence, P1, P2]


def test_extract_text_reads_agency_from_lead_dateline() -> None:
    lead = "GENEVA (AP) — " + P1
    result = clean_text(article(lead, P2))
    assert result.agency == "AP"
    assert paragraphs(result)[0] == lead


def test_extract_text_keeps_short_last_line() -> None:
    result = clean_text("\n".join([P1, P2, "He was 95."]))
    assert paragraphs(result) == [P1, P2, "He was 95."]


def test_extract_text_title_hint_removes_first_line_and_is_not_redetected() -> None:
    hinted = clean_text(article("Talks end in Geneva", P1, P2), title="Talks end in Geneva")
    assert hinted.title == "Talks end in Geneva"
    assert paragraphs(hinted) == [P1, P2]
    # A hint that differs from the first line leaves that line alone.
    other = clean_text(article("Talks end in Geneva", P1, P2), title="Another headline")
    assert other.title == "Another headline"
    assert paragraphs(other)[0] == "Talks end in Geneva"


# --- re-joining and whitespace -------------------------------------------------------------


def test_extract_text_rejoins_line_broken_mid_sentence() -> None:
    raw = (
        f"{P1}\n\nThe delegation will continue its rounds on Tuesday, with meetings in Brussels\n"
        "with the alliance and with European Union officials later in the week.\n\n"
        f"{P2}\n"
    )
    result = clean_text(raw)
    assert paragraphs(result) == [
        P1,
        "The delegation will continue its rounds on Tuesday, with meetings in Brussels with "
        "the alliance and with European Union officials later in the week.",
        P2,
    ]


def test_extract_text_rejoins_across_an_advertisement() -> None:
    raw = "\n".join(
        [P1, "The statement was issued by the", "Advertisement", "ministry late on Monday."]
    )
    result = clean_text(raw)
    assert paragraphs(result)[-1] == "The statement was issued by the ministry late on Monday."


def test_extract_text_does_not_join_finished_sentences_or_names() -> None:
    raw = "\n".join([P1, "The device was unveiled on Monday", "iPhone sales fell sharply.", P2])
    result = clean_text(raw)
    assert "The device was unveiled on Monday\n\niPhone sales fell sharply." in result.text


def test_extract_text_unwraps_hard_wrapped_text() -> None:
    # Wrapped at 46 columns, with breaks before capitalised words that the lower-case rule
    # alone would not join.
    raw = (
        "Talks end without progress in Geneva\n\n"
        "Diplomats from the two countries met in\n"
        "Geneva on Monday for more than seven hours,\n"
        "but neither side reported progress on the\n"
        "NATO question that divides them most.\n\n"
        "The deputy minister told reporters that\n"
        "Moscow had no intention of invading its\n"
        "neighbour, and that the talks with the\n"
        "United States had been professional.\n\n"
        "Advertisement\n"
    )
    result = clean_text(raw)
    assert result.title == "Talks end without progress in Geneva"
    assert paragraphs(result) == [
        "Diplomats from the two countries met in Geneva on Monday for more than seven hours, "
        "but neither side reported progress on the NATO question that divides them most.",
        "The deputy minister told reporters that Moscow had no intention of invading its "
        "neighbour, and that the talks with the United States had been professional.",
    ]


def test_extract_text_normalises_whitespace_only() -> None:
    raw = "  “We will not  bend,”\u00a0she said.\t Talks go on in\u00a0Vienna.  \n\n" + P1
    result = clean_text(raw)
    assert paragraphs(result)[0] == "“We will not bend,” she said. Talks go on in Vienna."


# --- the real sample -----------------------------------------------------------------------

# Short page-chrome strings known to occur in the seed files (never article text).
SEED_CHROME = [
    "Advertisement",
    "Share this article",
    "Download our Apps",
    "Enable Read mode",
    "100% Font Size",
    "Published: Updated:",
    "Top Content Trending",
    "Leave A Reply",
    "Your email address will not be published.",
    "Read More",
    "Want us to email you top stories",
    "follow our Google News channel",
    "IMAGE: AP",
    "(Image: AP)",
    "Pool via AP",
    "Press Association Images",
    "developed by Square1",
    "Read more:",
]
_BYLINE_LINE = re.compile(r"^\s*(?:by|reported by|written by)\b", re.IGNORECASE)
_DATED_LINE = re.compile(r"^\s*(?:published|updated)\b.*\b(?:19|20)\d\d\b", re.IGNORECASE)


def _seed_files() -> list[Path]:
    if not SEEDS.is_dir():
        pytest.skip(f"seed reports not found at {SEEDS} (shared data absent)")
    return sorted(SEEDS.glob("*.txt"))


def _sentence_lines(raw: str) -> list[str]:
    """Lines that read as article sentences: eight words or more, ending a sentence."""
    lines = [" ".join(line.split()) for line in raw.splitlines()]
    return [
        line
        for line in lines
        if len(line.split()) >= 8
        and re.search(r"[.!?][\"”’']?$", line)
        and not any(chrome.casefold() in line.casefold() for chrome in SEED_CHROME)
    ]


def test_extract_text_seeds_lose_chrome_and_keep_article_sentences() -> None:
    for path in _seed_files():
        raw = path.read_text(encoding="utf-8")
        result = clean_text(raw)
        for chrome in SEED_CHROME:
            assert chrome.casefold() not in result.text.casefold(), (path.name, chrome)
        sentences = _sentence_lines(raw)
        assert sentences, path.name
        missing = [s for s in sentences if s not in result.text]
        assert not missing, (path.name, missing[:3])


def test_extract_text_seeds_read_byline_and_dateline_where_present() -> None:
    for path in _seed_files():
        raw = path.read_text(encoding="utf-8")
        result = clean_text(raw)
        lines = raw.splitlines()
        if any(_BYLINE_LINE.match(line) and len(line.split()) <= 8 for line in lines):
            assert result.byline, path.name
        if any(_DATED_LINE.match(line) for line in lines):
            assert result.published and re.match(r"\d{4}-\d\d-\d\d", result.published), path.name


def test_extract_text_seeds_keep_characters_verbatim() -> None:
    for path in _seed_files():
        raw = path.read_text(encoding="utf-8")
        text = clean_text(raw).text
        # Every kept character appears, in order, in the input: only whitespace changed.
        source = iter("".join(raw.split()))
        assert all(ch in source for ch in "".join(text.split())), path.name


def test_extract_residue_labels_are_short_lines_only() -> None:
    from synoptic.extract.residue import residue_reason

    assert residue_reason("Advertisement") is not None
    # One 2 MB word is no widget label; it is not matched against the label patterns (their
    # backtracking grew with the line: 1.9 GB for 5 MB).
    assert residue_reason("Advertisement" + "x" * 2_000_000) is None


def test_extract_text_keeps_a_long_line_of_one_word_repeated() -> None:
    # Issue 17: a 19 MB line of "word word ..." was dropped as a headline printed twice, and
    # the article briefed as its title alone. Twice a headline is at most 60 words.
    line = "word " * 20_000
    result = clean_text("Dam spillway opened as reservoir rises\n\n" + line)
    assert line.strip() in result.text
    assert "repeated-headline" not in reasons(result).values()
    short = "Floods close roads " * 2
    assert reasons(clean_text(article(P1, short.strip(), P2)))[short.strip()] == "repeated-headline"
