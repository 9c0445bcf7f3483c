"""Quote finding does work in proportion to the article, whatever its quotes (issue 17).

Counted, not timed: the lines of ``synoptic.analyze.quotes`` executed for an article (counted
with ``sys.settrace``) must grow about fourfold when the article grows fourfold. 100,000 short
quotes in one article took two minutes before, because several steps looked at every quote
(or every token from the paragraph's start) once per quote; the counts below grew 10 to 14
times for a fourfold article then. The per-input budget (``synoptic.deadline``) is checked
inside the quote loops too.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path
from types import FrameType
from typing import Any

import pytest

from synoptic.analyze.quotes import extract, scan_quotes
from synoptic.deadline import DeadlineExceeded, budget
from synoptic.model import Article

QUOTES_DIR = str(Path(extract.__file__).parent)

# Article shapes a hostile input can take, each ``n`` times over (one string per repetition).
SHAPES = {
    # one paragraph of attributed quotes: windows and sibling lookups over the paragraph
    "said in one paragraph": lambda i: f'He said "word {i}". ',
    # one paragraph of bare short quotes: nesting by containment scanned all earlier quotes
    "bare quotes": lambda i: f'"w{i}" ',
    # a quote per paragraph: the quotes of the paragraph before were looked up by a scan
    "quote paragraphs": lambda i: f'"We will stay {i}."\n',
    # quotes opening while one is open: straight marks left were counted per mark
    "opening marks": lambda i: f'"w{i} ',
    # closing marks with no opening one: orphans checked against every quote of the paragraph
    "closing marks": lambda i: f'x{i}" "y{i}" ',
    # named speakers, pronouns and descriptions: the people's history was scanned per pronoun
    "people": lambda i: (
        f'Maria Ostrova{i % 7} said "we stay {i}". She said "go {i}". '
        f'The minister said "no {i}" .\n'
    ),
}


@pytest.fixture(scope="module")
def nlp():  # type: ignore[no-untyped-def]
    from synoptic.analyze.nlp import load_nlp

    return load_nlp()


def _article(shape: str, n: int) -> Article:
    text = "Title\n\n" + "".join(SHAPES[shape](i) for i in range(n))
    return Article(id=f"{shape}-{n}", source="generated.txt", text=text)


def _lines_run(nlp, article: Article) -> int:  # type: ignore[no-untyped-def]
    """Lines of the quote package executed by ``scan_quotes`` on ``article`` (parse excluded)."""
    doc = nlp(article.text)
    count = 0

    def trace(frame: FrameType, event: str, arg: Any) -> Any:
        if not frame.f_code.co_filename.startswith(QUOTES_DIR):
            return None  # spaCy, rapidfuzz, the standard library: not ours to count
        nonlocal count
        if event == "line":
            count += 1
        return trace

    sys.settrace(trace)
    try:
        scan_quotes(article, doc)
    finally:
        sys.settrace(None)
    return count


@pytest.mark.slow
@pytest.mark.parametrize("shape", sorted(SHAPES))
def test_analyze_quotes_work_grows_with_the_article(nlp, shape: str) -> None:  # type: ignore[no-untyped-def]
    small = _lines_run(nlp, _article(shape, 150))
    large = _lines_run(nlp, _article(shape, 600))
    # Linear work gives about 4 (plus the fixed cost's share); the quadratic steps gave 10 to 14.
    assert large / small < 5.5, (shape, small, large)


def _work(seconds: float) -> None:
    """Spend ``seconds`` of this thread's CPU time (the budget counts work, not waiting)."""
    end = time.thread_time() + seconds
    while time.thread_time() < end:
        pass


@pytest.mark.slow
def test_analyze_quotes_work_checks_the_budget_inside_its_loops(
    nlp,  # type: ignore[no-untyped-def]
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    article = _article("said in one paragraph", 300)
    doc = nlp(article.text)
    calls = 0
    real = extract.find_attribution

    def slow(ctx: Any, qi: int) -> Any:
        nonlocal calls
        calls += 1
        _work(0.002)
        return real(ctx, qi)

    monkeypatch.setattr(extract, "find_attribution", slow)
    with pytest.raises(DeadlineExceeded) as caught, budget(0.2):
        scan_quotes(article, doc)
    assert caught.value.stage == "quotes"
    assert 0 < calls < 300  # stopped inside the loop over the quotes, not after it
