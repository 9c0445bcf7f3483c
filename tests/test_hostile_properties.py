"""Property tests (hypothesis) for the parsers of text we do not control: arbitrary text never
raises (beyond the documented coded error), every span lies inside the text, and results do not
depend on the order of the inputs. Examples are few and bounded so the suite stays fast."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from synoptic.errors import InputError
from synoptic.extract.byline import read_byline
from synoptic.extract.dateline import parse_dateline
from synoptic.extract.residue import residue_reason
from synoptic.extract.sgml import parse_trec_doc, split_dateline
from synoptic.ingest.decode import decode
from synoptic.model import Article

# Newsy pieces mixed with arbitrary characters: quote marks, figures, dates, names, controls.
_PIECES = st.sampled_from(
    [
        '"', "\u201c", "\u201d", "'", "\u2018", "\u2019", "\u00ab", "\u00bb", " said ", " says ",
        "12", "1,200", "3.5", "%", " per cent", " million", " $", "\u20ac", " km", " troops",
        "Monday", " last week", "3 March 2024", "2024-03-05", " on Tuesday", " yesterday",
        "By Anna Reyes", "(AP)", "GENEVA, ", " Reuters", "\n", "\n\n", ". ", "(", ")", "-",
        "\x00", "\x1b[31m", "\u202e", "\ud800", "\ufffd", "Officials", " told reporters",
    ]
)  # fmt: skip
TEXT = st.lists(st.one_of(_PIECES, st.text(max_size=12)), max_size=40).map("".join)
BOUNDED = settings(
    max_examples=50,
    deadline=None,
    database=None,  # no example database written into the checkout
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)


def _article(text: str, ident: str = "a") -> Article:
    return Article(id=ident, source=f"{ident}.txt", text=text)


@pytest.fixture(scope="module")
def nlp() -> Any:
    from synoptic.analyze.nlp import load_nlp

    return load_nlp()


def _inside(text: str, start: int, end: int) -> bool:
    return 0 <= start <= end <= len(text)


@BOUNDED
@given(TEXT)
def test_extract_residue_byline_dateline_never_raise(text: str) -> None:
    for line in text.splitlines() or [text]:
        reason = residue_reason(line)
        assert reason is None or isinstance(reason, str)
        read_byline(line)
        parse_dateline(line)
        place, rest = split_dateline(line)
        assert place is None or place.strip()
        assert rest in line or rest.strip() in line


@BOUNDED
@given(TEXT, st.sampled_from(["<DOCNO> X1 </DOCNO>", "", "<DOCNO></DOCNO>"]))
def test_extract_sgml_trec_doc_never_raises_beyond_e014(body: str, docno: str) -> None:
    for sgml in (f"<DOC>{docno}<TEXT>{body}</TEXT></DOC>", f"<DOC>{docno}{body}", body):
        try:
            parse_trec_doc(sgml)
        except InputError as exc:
            assert exc.code == "E014"


@BOUNDED
@given(st.binary(max_size=400), st.booleans())
def test_ingest_decode_arbitrary_bytes_give_clean_text(data: bytes, html: bool) -> None:
    try:
        text = decode(data, html=html)
    except InputError as exc:  # the documented refusals: binary content, no encoding fits
        assert exc.code in {"E004", "E010"}
        return
    text.encode("utf-8")  # no lone surrogate survives decoding


@pytest.mark.slow
@BOUNDED
@given(TEXT)
def test_analyze_extractors_spans_lie_inside_the_text(nlp: Any, text: str) -> None:
    from synoptic.analyze.dates import date_evidence, resolve_dates
    from synoptic.analyze.quantities import extract_quantities
    from synoptic.analyze.quotes import extract_quotes

    text = text.encode("utf-8", "replace").decode("utf-8").replace("\x00", "")
    article = _article(text)
    doc = nlp(text)
    for q in extract_quotes(article, doc):
        assert _inside(text, q.start, q.end) and text[q.start : q.end] == q.text
    for n in extract_quantities(article, doc):
        assert _inside(text, n.start, n.end) and text[n.start : n.end] == n.text
    evidence = date_evidence(article, doc)
    for f in evidence.found:
        assert _inside(text, f.start, f.end)
    for d in resolve_dates(article, evidence, date(2024, 3, 5)):
        assert _inside(text, d.start, d.end)


@pytest.mark.slow
@BOUNDED
@given(st.lists(TEXT, min_size=2, max_size=3), st.randoms(use_true_random=False))
def test_analyze_dates_anchors_do_not_depend_on_input_order(
    nlp: Any, texts: list[str], rng: Any
) -> None:
    from synoptic.analyze.dates import date_evidence, infer_anchors

    texts = [t.encode("utf-8", "replace").decode("utf-8").replace("\x00", "") for t in texts]
    articles = [_article(t, f"a{i}") for i, t in enumerate(texts)]
    evidence = {a.id: date_evidence(a, nlp(a.text)) for a in articles}
    shuffled = list(articles)
    rng.shuffle(shuffled)
    assert infer_anchors(articles, evidence) == infer_anchors(shuffled, evidence)
