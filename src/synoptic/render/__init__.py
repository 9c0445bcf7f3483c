"""Rendering: a list of briefs as Brief JSON v1, Markdown, an HTML page or terminal text.

One function per output: ``render(briefs, fmt)`` returns the document as a string for every
format, and ``print_terminal`` prints the coloured rich rendering on a console. The format
modules share source numbering and the other display decisions through ``render.common``.
"""

from __future__ import annotations

from collections.abc import Sequence

from synoptic.errors import Problem, UsageError
from synoptic.model import Brief
from synoptic.render.html import render_html
from synoptic.render.jsonfmt import render_json
from synoptic.render.markdown import render_markdown
from synoptic.render.terminal import print_terminal, render_text

__all__ = ["FORMATS", "print_terminal", "render"]

FORMATS = ("json", "md", "html", "text")


def render(briefs: Sequence[Brief], fmt: str, *, problems: Sequence[Problem] = ()) -> str:
    """Return ``briefs`` rendered in format ``fmt``.

    Args:
        briefs: The briefs, one per story, in the order to show.
        fmt: ``json`` (Brief JSON v1), ``md`` (Markdown), ``html`` (one self-contained page)
            or ``text`` (the terminal rendering as plain text, 100 columns, no colour).
        problems: Rejected inputs. Listed at the end of ``md``, ``html`` and ``text``; never
            part of ``json``, whose document is the contract (the CLI prints them on stderr).

    Returns:
        The rendered document, ending with a newline.

    Raises:
        UsageError: ``fmt`` is not one of ``FORMATS`` (code E102).
    """
    if fmt == "json":
        return render_json(briefs)
    if fmt == "md":
        return render_markdown(briefs, problems)
    if fmt == "html":
        return render_html(briefs, problems)
    if fmt == "text":
        return render_text(briefs, problems)
    raise UsageError("E102", value=fmt, option="--format", choices=", ".join(FORMATS))
