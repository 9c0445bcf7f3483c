"""Benchmark the plain-text residue filter (``synoptic.extract.text.clean_text``).

Data: the article-extraction benchmark in ``../shared/data/article-extraction-benchmark``
(181 real news pages, gold ``articleBody`` per page; MIT licence).

Each page is flattened to plain text *with all its page chrome* (every visible text node, one
line per block-level element; script, style, noscript, template and head dropped), which is the
worst case the filter meets: menus, footers, related-story rails and comment forms included.
``clean_text`` then filters it, and both the unfiltered and the filtered text are scored against
the gold body by bag-of-tokens precision/recall/F1 (``synoptic.evaluate.tokens``). The
unfiltered text is the baseline, scored in the same run; the ratio filtered/unfiltered is
printed beside each figure.

A second check runs on clean news text, where there is nothing to remove: the ECB+ articles
in ``../shared/data/ecbplus/ecbplus.jsonl`` (982 texts, one paragraph a line; CC BY 3.0). It
counts how many of their sentence lines (eight words or more, ending a sentence) come through
verbatim, beside the unfiltered text (which keeps all of them by definition).

Run: ``.venv/bin/python bench/extract_text.py [--limit N] [--worst K]``
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import sys
import time
from pathlib import Path

import lxml.html
from lxml import etree

from synoptic.evaluate.tokens import PRF, Totals, token_prf
from synoptic.extract.text import clean_text

SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "data"
DATA = SHARED / "article-extraction-benchmark"
ECB = SHARED / "ecbplus" / "ecbplus.jsonl"
_SENTENCE_LINE = re.compile(r"[.!?][\"”’']?$")

# Elements whose text is never shown on the page.
_INVISIBLE = {"script", "style", "noscript", "template", "head", "svg", "math", "iframe", "object"}
# Elements that start a new line when rendered (HTML's block-level and table/list boxes).
_BLOCK = {
    "address", "article", "aside", "blockquote", "body", "br", "caption", "dd", "details",
    "dialog", "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2",
    "h3", "h4", "h5", "h6", "header", "hgroup", "hr", "html", "legend", "li", "main", "nav", "ol",
    "option", "p", "pre", "section", "summary", "table", "tbody", "td", "tfoot", "th", "thead",
    "tr", "ul", "button", "select", "label",
}  # fmt: skip
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        from charset_normalizer import from_bytes

        best = from_bytes(data).best()
        return str(best) if best is not None else data.decode("latin-1")


def page_text(html: bytes) -> str:
    """Return every visible text node of ``html``, one line per block-level element."""
    source = re.sub(r"^\s*<\?xml[^>]*>", "", _decode(html))
    root = lxml.html.document_fromstring(source)
    out: list[str] = []

    def walk(el: etree._Element) -> None:
        if not isinstance(el.tag, str):  # comments, processing instructions
            return
        tag = el.tag.lower()
        if tag in _INVISIBLE or el.get("hidden") is not None:
            return
        if _HIDDEN_STYLE.search(el.get("style") or "") or el.get("aria-hidden") == "true":
            return
        block = tag in _BLOCK
        if block:
            out.append("\n")
        if el.text:
            out.append(el.text)
        for child in el:
            walk(child)
            if child.tail:
                out.append(child.tail)
        if block:
            out.append("\n")

    walk(root)
    lines = (" ".join(line.split()) for line in "".join(out).split("\n"))
    return "\n".join(line for line in lines if line)


def _timed_pass(texts: list[str]) -> tuple[float, float]:
    """Return the (CPU, wall-clock) seconds one pass of ``clean_text`` over ``texts`` takes."""
    cpu, wall = time.process_time(), time.perf_counter()
    for text in texts:
        clean_text(text)
    return time.process_time() - cpu, time.perf_counter() - wall


def sentence_retention(path: Path) -> tuple[int, int, int]:
    """Return (documents, sentence lines, sentence lines kept verbatim) for a JSONL corpus."""
    docs = sentences = kept = 0
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            text = json.loads(line)["text"]
            cleaned = clean_text(text).text
            docs += 1
            for raw in text.splitlines():
                sentence = " ".join(raw.split())
                if len(sentence.split()) >= 8 and _SENTENCE_LINE.search(sentence):
                    sentences += 1
                    kept += sentence in cleaned
    return docs, sentences, kept


def _fmt(s: PRF) -> str:
    return f"P={s.precision:.3f} R={s.recall:.3f} F1={s.f1:.3f}"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--limit", type=int, default=0, help="score only the first N pages")
    ap.add_argument("--worst", type=int, default=0, help="list the K pages with lowest F1")
    args = ap.parse_args()
    if not DATA.is_dir():
        sys.exit(f"benchmark data not found at {DATA}")
    gold = json.loads((DATA / "ground-truth.json").read_text(encoding="utf-8"))
    keys = sorted(gold)[: args.limit or None]

    pages = {
        k: page_text(gzip.decompress((DATA / "html" / f"{k}.html.gz").read_bytes())) for k in keys
    }
    # Warm up: stoplists, the language identifier and dateparser load once per process.
    for k in keys[:10]:
        clean_text(pages[k])
    clean_text("01/02/2022\n" + "Isto é uma frase em português sobre o tempo e a vida. " * 9)

    # Speed: the best of three timed passes (timeit's rule: slower runs measure the machine's
    # other load, not the code), in CPU time and in wall-clock time.
    passes = [_timed_pass([pages[k] for k in keys]) for _ in range(3)]
    cpu = min(c for c, _ in passes)
    wall = min(w for _, w in passes)

    base, filt = Totals(), Totals()
    per_doc: list[tuple[float, float, str]] = []
    for k in keys:
        body = gold[k].get("articleBody") or ""
        b = base.add(pages[k], body)
        f = filt.add(clean_text(pages[k]).text, body)
        per_doc.append((f.f1, b.f1, k))

    n = len(keys)
    print(f"data: {DATA} ({n} pages, gold articleBody)")
    print("input: page flattened to text with all its chrome (one line per block element)")
    for label, agg in (("macro (mean per page)", "macro"), ("micro (pooled tokens)", "micro")):
        b, f = getattr(base, agg)(), getattr(filt, agg)()
        print(f"\n{label}")
        print(f"  unfiltered  {_fmt(b)}")
        print(f"  clean_text  {_fmt(f)}")
        print(
            f"  ratio       P={f.precision / b.precision:.2f}x R={f.recall / b.recall:.2f}x "
            f"F1={f.f1 / b.f1:.2f}x"
        )
    chars = sum(len(pages[k]) for k in keys) / n
    print(
        f"\nclean_text speed: {n / cpu:.1f} documents/second of CPU time, "
        f"{n / wall:.1f} by the wall clock (best of 3 passes over {n} pages of "
        f"{chars:,.0f} characters on average)"
    )
    if ECB.is_file():
        docs, sentences, kept = sentence_retention(ECB)
        print(f"\nclean news text: {ECB} ({docs} articles, no page chrome)")
        print(
            f"  sentence lines kept verbatim: clean_text {kept}/{sentences} "
            f"({kept / sentences:.2%}), unfiltered {sentences}/{sentences}; "
            f"ratio {kept / sentences:.3f}x"
        )
    if args.worst:
        print(f"\nworst {args.worst} pages by F1 (filtered, unfiltered):")
        for f1, b1, k in sorted(per_doc)[: args.worst]:
            s = token_prf(clean_text(pages[k]).text, gold[k].get("articleBody") or "")
            print(f"  {f1:.3f} {b1:.3f} P={s.precision:.2f} R={s.recall:.2f} {k[:16]}")


if __name__ == "__main__":
    main()
