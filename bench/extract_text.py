"""Benchmark the plain-text residue filter (``synoptic.extract.text.clean_text``).

Data: the article-extraction benchmark in ``../shared/data/article-extraction-benchmark``
(181 real news pages, gold ``articleBody`` per page; MIT licence).

Each page is flattened to plain text *with all its page chrome* (every visible text node, one
line per block-level element; script, style, noscript, template and head dropped), which is the
worst case the filter meets: menus, footers, related-story rails and comment forms included.
``clean_text`` then filters it, and both the unfiltered and the filtered text are scored against
the gold body by bag-of-tokens precision/recall/F1 (``_score.py``). The unfiltered text is the
baseline, scored in the same run; the ratio filtered/unfiltered is printed beside each figure.

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

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _score import PRF, Totals, token_prf  # noqa: E402

from synoptic.extract.text import clean_text  # noqa: E402

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "article-extraction-benchmark"

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

    pages = {k: page_text(gzip.open(DATA / "html" / f"{k}.html.gz").read()) for k in keys}
    # Warm up: stoplists, the language identifier and dateparser load once per process.
    for k in keys[:10]:
        clean_text(pages[k])
    clean_text("01/02/2022\n" + "Isto é uma frase em português sobre o tempo e a vida. " * 9)

    base, filt = Totals(), Totals()
    per_doc: list[tuple[float, float, str]] = []
    elapsed = 0.0
    for k in keys:
        body = gold[k].get("articleBody") or ""
        start = time.perf_counter()
        cleaned = clean_text(pages[k])
        elapsed += time.perf_counter() - start
        b = base.add(pages[k], body)
        f = filt.add(cleaned.text, body)
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
    print(f"\nclean_text speed: {n / elapsed:.1f} documents/second ({elapsed:.2f} s for {n})")
    if args.worst:
        print(f"\nworst {args.worst} pages by F1 (filtered, unfiltered):")
        for f1, b1, k in sorted(per_doc)[: args.worst]:
            s = token_prf(clean_text(pages[k]).text, gold[k].get("articleBody") or "")
            print(f"  {f1:.3f} {b1:.3f} P={s.precision:.2f} R={s.recall:.2f} {k[:16]}")


if __name__ == "__main__":
    main()
