"""Mark spans of an article's text as properly nested, escaped HTML.

A cited sentence may hold a quote, a quote may hold a name, and two spans may cross. HTML
elements cannot cross, so crossing spans are split: a span still open when an enclosing one
closes is closed with it and reopened right after, as a *continuation* (same ``data-cite``, no
``id``). Spans that merely nest stay one element each, so the ``<mark>`` a citation links to
holds the whole cited passage, nested marks included.

Every character of text is escaped here; tag names, classes and ids come from this module and
its callers' fixed vocabularies, never from the text.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

from synoptic.render.common import sanitize


@dataclass(frozen=True, slots=True)
class Mark:
    """One span to mark.

    Attributes:
        start: First character (into the article's text).
        end: One past the last character.
        kind: A CSS class from the caller's fixed vocabulary (``cite``, ``q``, ``fig``, ...).
        anchor: The element ``id`` (the first piece only), or ``None``.
        cite: The ``data-cite`` value shared by all pieces of a split span.
        title: A tooltip (escaped).
    """

    start: int
    end: int
    kind: str
    anchor: str | None = None
    cite: str | None = None
    title: str | None = None


def _open(mark: Mark, continuation: bool) -> str:
    classes = mark.kind + (" cont" if continuation else "")
    attrs = [f'class="{escape(classes)}"']
    if mark.anchor and not continuation:
        attrs.append(f'id="{escape(mark.anchor)}" tabindex="-1"')
    if mark.cite:
        attrs.append(f'data-cite="{escape(mark.cite)}"')
    if mark.title:
        attrs.append(f'title="{escape(mark.title)}"')
    return f"<mark {' '.join(attrs)}>"


def mark_text(text: str, marks: Sequence[Mark]) -> Markup:
    """Return ``text`` escaped, with each mark wrapped in ``<mark>`` (nested, never crossing).

    Marks are clipped to the text; empty ones are dropped. Two marks on the same range nest in
    the order given (the first outermost). Control characters are replaced one for one, so the
    offsets still hold.

    Args:
        text: The article's cleaned text.
        marks: The spans to mark, in any order.

    Returns:
        Safe markup whose text content is exactly ``text`` (after control-character repair).
    """
    text = sanitize(text)
    n = len(text)
    kept = [(i, m) for i, m in enumerate(marks) if min(n, m.end) > max(0, m.start)]
    starts: dict[int, list[tuple[int, Mark]]] = defaultdict(list)
    points = {0, n}
    for i, m in kept:
        s, e = max(0, m.start), min(n, m.end)
        starts[s].append((i, Mark(s, e, m.kind, m.anchor, m.cite, m.title)))
        points.update((s, e))
    out: list[str] = []
    stack: list[Mark] = []
    pos = 0
    for p in sorted(points):
        if p > pos:
            out.append(str(escape(text[pos:p])))
            pos = p
        ending = [k for k, m in enumerate(stack) if m.end == p]
        if ending:
            # Close everything above the lowest span that ends here, then reopen the spans
            # that go on (crossing spans become continuations).
            low = ending[0]
            reopen = [m for m in stack[low:] if m.end > p]
            out.append("</mark>" * (len(stack) - low))
            del stack[low:]
            for m in reopen:
                out.append(_open(m, continuation=True))
                stack.append(m)
        # Longest first, so that spans starting together nest; ties keep the caller's order.
        for _, m in sorted(starts.get(p, ()), key=lambda im: (-im[1].end, im[0])):
            out.append(_open(m, continuation=False))
            stack.append(m)
    if pos < n:
        out.append(str(escape(text[pos:])))
    out.append("</mark>" * len(stack))
    return Markup("".join(out))
