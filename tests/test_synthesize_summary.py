"""The first extractive summary: budget, verbatim spans, citations, redundancy."""

from __future__ import annotations

import re

from synoptic.model import Article, Sentence, Story
from synoptic.synthesize.summary import summarize, word_count

TEXTS = {
    "a1": (
        "The Ostrava dam spillway was opened on Tuesday after three days of heavy rain. "
        "Governor Tomas Brandt ordered the evacuation of about 12,000 residents from three "
        "villages. Engineers said the dam itself was not at risk of failing. "
        "Will the rain stop soon? "
        "A local bakery handed out free bread to the evacuated families at the school."
    ),
    "a2": (
        "Governor Tomas Brandt ordered the evacuation of about 12,000 residents from three "
        "villages. The spillway of the Ostrava dam was opened on Tuesday as the reservoir rose. "
        "Officials said more than 15,000 people had left their homes by the evening."
    ),
    "a3": (
        "Governor Tomas Brandt ordered the evacuation of about 12,000 residents from three "
        "villages. The regional water authority will review the dam's safety next month."
    ),
}


def _sentences(article: Article) -> tuple[Sentence, ...]:
    out = []
    for m in re.finditer(r"[^.?!]+[.?!]", article.text):
        start = m.start() + (len(m.group()) - len(m.group().lstrip()))
        out.append(Sentence(article.id, len(out), start, m.end(), article.text[start : m.end()]))
    return tuple(out)


def _story(duplicate: bool = False) -> tuple[Story, dict[str, tuple[Sentence, ...]]]:
    arts = [Article(id=k, source=f"{k}.txt", text=v) for k, v in TEXTS.items()]
    if duplicate:
        arts.append(Article(id="a4", source="a4.txt", text=TEXTS["a1"], duplicate_of="a1"))
    story = Story(id="s1", headline="Dam", articles=tuple(arts))
    return story, {a.id: _sentences(a) for a in arts}


def test_summary_stays_within_budget_and_is_verbatim() -> None:
    story, sents = _story()
    for budget in (20, 40, 120):
        summary = summarize(story, sents, max_words=budget)
        assert summary
        assert sum(word_count(c.text) for c in summary) <= budget
        for item in summary:
            for span in item.spans:
                assert span.of(story.article(span.article)) == item.text


def test_summary_cites_every_article_carrying_the_sentence() -> None:
    story, sents = _story()
    summary = summarize(story, sents, max_words=120)
    evac = [c for c in summary if "evacuation of about 12,000" in c.text]
    assert len(evac) == 1
    assert set(evac[0].sources) == {"a1", "a2", "a3"}


def test_summary_skips_questions_and_redundant_sentences() -> None:
    story, sents = _story()
    summary = summarize(story, sents, max_words=200)
    texts = [c.text for c in summary]
    assert not any(t.endswith("?") for t in texts)
    # The spillway sentence appears in two wordings; only one is kept.
    assert sum("spillway" in t for t in texts) == 1


def test_summary_cites_wire_copies_but_does_not_draw_from_them() -> None:
    story, sents = _story(duplicate=True)
    summary = summarize(story, sents, max_words=120)
    assert all(c.spans[0].article != "a4" for c in summary)
    evac = next(c for c in summary if "evacuation of about 12,000" in c.text)
    assert "a4" in evac.sources


def test_summary_empty_inputs_give_empty_summary() -> None:
    story, sents = _story()
    assert summarize(story, {}, max_words=120) == ()
    assert summarize(story, sents, max_words=0) == ()
