"""HTML extraction benchmark: our ``extract_html`` beside plain trafilatura, same run.

Body text, on ``../shared/data/article-extraction-benchmark`` (181 real pages with gold
``articleBody``):

* bag-of-token precision/recall/F1 from ``synoptic.evaluate.tokens`` (lower-cased ``\\w+`` word
  tokens), pooled over all tokens (micro) and averaged per page (macro);
* the benchmark's own metric, for comparison with published figures (trafilatura F1 about
  0.958): 4-gram shingles of ``\\w+`` tokens (case kept), tp/fp/fn normalised per page,
  precision and recall averaged over pages, F1 of the two means.

The baseline is ``trafilatura.extract(html)`` with default settings. Also documents/second of
our extraction.

Metadata, on ``../shared/data/fundus-pages`` (258 real pages, about 180 outlets, gold
``<Publisher>.json`` holding one entry per parser version; the entries sorted by key match the
publisher's pages sorted by file name): title exact match after whitespace normalisation,
publication date on the same day (in the gold's offset when both carry one), and author
overlap (share of gold author names found among ours, case-insensitive), ours beside plain
trafilatura's metadata (``bare_extraction(..., with_metadata=True)``); and body text F1 against
the gold paragraphs (summary, section headlines and paragraphs), beside ``trafilatura.extract``.

Run: ``.venv/bin/python bench/extract_html.py``
"""

from __future__ import annotations

import gzip
import json
import re
import statistics
import time
from collections import Counter
from datetime import datetime
from pathlib import Path
from typing import Any

import trafilatura

from synoptic.evaluate.tokens import PRF, Totals
from synoptic.extract.html import ExtractedHtml, extract_html

SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "data"
AEB = SHARED / "article-extraction-benchmark"
FUNDUS = SHARED / "fundus-pages"
_WORD = re.compile(r"\w+")


def _read_gz(path: Path) -> str:
    return gzip.decompress(path.read_bytes()).decode("utf-8", errors="replace")


def _shingle_counts(gold: str, pred: str, n: int = 4) -> tuple[float, float, float]:
    """Normalised (tp, fp, fn) over n-gram shingles, as the benchmark's evaluation does."""

    def shingles(text: str) -> Counter[tuple[str, ...]]:
        toks = _WORD.findall(text)
        if len(toks) < n:
            return Counter([tuple(toks)]) if toks else Counter()
        return Counter(tuple(toks[i : i + n]) for i in range(len(toks) - n + 1))

    g, p = shingles(gold), shingles(pred)
    tp = sum((g & p).values())
    fp = sum(p.values()) - tp
    fn = sum(g.values()) - tp
    total = tp + fp + fn
    return (tp / total, fp / total, fn / total) if total else (0.0, 0.0, 0.0)


def _shingle_prf(counts: list[tuple[float, float, float]]) -> tuple[float, float, float]:
    def prec(tp: float, fp: float, fn: float) -> float:
        return 1.0 if fp == fn == 0 else (0.0 if tp == fp == 0 else tp / (tp + fp))

    def rec(tp: float, fp: float, fn: float) -> float:
        return 1.0 if fp == fn == 0 else (0.0 if tp == fn == 0 else tp / (tp + fn))

    p = statistics.mean(prec(*c) for c in counts if c[0] + c[1] > 0)
    r = statistics.mean(rec(*c) for c in counts if c[0] + c[2] > 0)
    return p, r, 2 * p * r / (p + r)


def body_benchmark() -> None:
    """Score body text on the article-extraction benchmark."""
    gold = json.loads((AEB / "ground-truth.json").read_text(encoding="utf-8"))
    pages = {key: _read_gz(AEB / "html" / f"{key}.html.gz") for key in gold}

    t0 = time.perf_counter()
    ours = {key: extract_html(html, url=gold[key].get("url")) for key, html in pages.items()}
    ours_secs = time.perf_counter() - t0
    t0 = time.perf_counter()
    plain = {key: trafilatura.extract(html) or "" for key, html in pages.items()}
    plain_secs = time.perf_counter() - t0

    print(f"Body text: {AEB} ({len(pages)} pages)")
    rows: dict[str, tuple[PRF, PRF, tuple[float, float, float]]] = {}
    for name, texts in (("ours", {k: v.text for k, v in ours.items()}), ("trafilatura", plain)):
        totals = Totals()
        shingles = []
        for key, text in texts.items():
            totals.add(text, gold[key]["articleBody"])
            shingles.append(_shingle_counts(gold[key]["articleBody"], text))
        rows[name] = (totals.micro(), totals.macro(), _shingle_prf(shingles))
    print(f"  {'':24}{'ours':>26}{'plain trafilatura':>26}{'F1 ratio':>10}")
    row_o, row_t = rows["ours"], rows["trafilatura"]
    for label, a, b in (
        ("word tokens, micro", row_o[0], row_t[0]),
        ("word tokens, macro", row_o[1], row_t[1]),
    ):
        print(
            f"  {label:24}  P {a.precision:.4f} R {a.recall:.4f} F1 {a.f1:.4f}"
            f"  P {b.precision:.4f} R {b.recall:.4f} F1 {b.f1:.4f}  {a.f1 / b.f1:8.4f}"
        )
    a3, b3 = rows["ours"][2], rows["trafilatura"][2]
    print(
        f"  {'4-gram shingles (AEB)':24}  P {a3[0]:.4f} R {a3[1]:.4f} F1 {a3[2]:.4f}"
        f"  P {b3[0]:.4f} R {b3[1]:.4f} F1 {b3[2]:.4f}  {a3[2] / b3[2]:8.4f}"
    )
    methods = Counter(v.method for v in ours.values())
    print(f"  cascade steps used: {dict(methods)}")
    print(
        f"  speed: ours {len(pages) / ours_secs:.1f} docs/s (with metadata), "
        f"plain trafilatura {len(pages) / plain_secs:.1f} docs/s, "
        f"ratio {plain_secs / ours_secs:.2f}"
    )


def _fundus_cases() -> list[tuple[Path, dict[str, Any], str | None]]:
    cases = []
    for gold_path in sorted(FUNDUS.glob("*/*.json")):
        entries = json.loads(gold_path.read_text(encoding="utf-8"))
        info_path = gold_path.parent / "meta.info"
        info = json.loads(info_path.read_text(encoding="utf-8")) if info_path.exists() else {}
        pages = sorted(gold_path.parent.glob(f"{gold_path.stem}_*.html.gz"))
        if len(pages) != len(entries):
            print(f"  skipped {gold_path.name}: {len(entries)} gold entries, {len(pages)} pages")
            continue
        for page, key in zip(pages, sorted(entries), strict=True):
            cases.append((page, entries[key], info.get(page.name, {}).get("url")))
    return cases


def _fundus_body(gold: dict[str, Any]) -> str:
    """The gold body: summary, then each section's headline and paragraphs."""
    body = gold.get("body") or {}
    parts = list(body.get("summary") or [])
    for section in body.get("sections") or []:
        parts += list(section.get("headline") or []) + list(section.get("paragraphs") or [])
    return "\n".join(parts)


def _norm(text: str | None) -> str:
    return " ".join((text or "").split())


def _same_day(gold: str | None, ours: str | None) -> bool:
    if not gold or not ours:
        return False
    g = datetime.fromisoformat(gold)
    try:
        o = datetime.fromisoformat(ours)
    except ValueError:
        return False
    if "T" in ours and o.tzinfo and g.tzinfo:
        return o.astimezone(g.tzinfo).date() == g.date()
    return o.date() == g.date()


def _author_overlap(gold: list[str], ours: str | None) -> float:
    if not gold:
        return 1.0 if not ours else 0.0
    found = {_norm(n).casefold() for n in re.split(r"[;,]| and ", ours or "") if n.strip()}
    return sum(_norm(n).casefold() in found for n in gold) / len(gold)


def metadata_benchmark() -> None:
    """Score title, date and author reading on the fundus pages."""
    cases = _fundus_cases()
    print(f"\nMetadata: {FUNDUS} ({len(cases)} pages)")
    scores: dict[str, dict[str, list[float]]] = {
        "ours": {"title": [], "date": [], "author": [], "found": []},
        "trafilatura": {"title": [], "date": [], "author": [], "found": []},
    }
    body = {"ours": Totals(), "trafilatura": Totals()}
    for page, gold, url in cases:
        html = _read_gz(page)
        ours: ExtractedHtml = extract_html(html, url=url)
        doc = trafilatura.bare_extraction(html, url=url, with_metadata=True)
        gold_body = _fundus_body(gold)
        body["ours"].add(ours.text, gold_body)
        body["trafilatura"].add(trafilatura.extract(html) or "", gold_body)
        plain = {
            "title": getattr(doc, "title", None),
            "date": getattr(doc, "date", None),
            "author": getattr(doc, "author", None),
        }
        mine = {"title": ours.title, "date": ours.published, "author": ours.byline}
        for name, got in (("ours", mine), ("trafilatura", plain)):
            s = scores[name]
            s["title"].append(float(_norm(got["title"]) == _norm(gold.get("title"))))
            s["date"].append(float(_same_day(gold.get("publishing_date"), got["date"])))
            s["author"].append(_author_overlap(gold.get("authors") or [], got["author"]))
            s["found"].append(float(bool(got["date"]) and "T" in (got["date"] or "")))
    print(f"  {'':34}{'ours':>8}{'plain trafilatura':>20}{'ratio':>8}")
    labels = {
        "title": "title exact (whitespace-normalised)",
        "date": "date same day",
        "author": "author overlap (gold names found)",
        "found": "date carries a time of day",
    }
    for key, label in labels.items():
        a = statistics.mean(scores["ours"][key])
        b = statistics.mean(scores["trafilatura"][key])
        ratio = f"{a / b:8.3f}" if b else "       -"
        print(f"  {label:34}{a:8.3f}{b:20.3f}{ratio}")
    mo, mt = body["ours"].micro(), body["trafilatura"].micro()
    print(
        f"  body text, word tokens, micro: ours P {mo.precision:.4f} R {mo.recall:.4f} "
        f"F1 {mo.f1:.4f}; plain trafilatura.extract P {mt.precision:.4f} R {mt.recall:.4f} "
        f"F1 {mt.f1:.4f}; F1 ratio {mo.f1 / mt.f1:.4f}"
    )


def main() -> None:
    """Run both benchmarks, skipping the ones whose data is absent."""
    if (AEB / "ground-truth.json").exists():
        body_benchmark()
    else:
        print(f"skipped body benchmark: {AEB} not found")
    if FUNDUS.exists():
        metadata_benchmark()
    else:
        print(f"skipped metadata benchmark: {FUNDUS} not found")


if __name__ == "__main__":
    main()
