"""Rendering: a list of briefs as Brief JSON v1, Markdown, an HTML page or terminal text.

One function per output: ``render(briefs, fmt)`` returns the document as a string for every
format, and ``print_terminal`` prints the coloured rich rendering on a console. The format
modules share source numbering and the other display decisions through ``render.common``.
"""

from __future__ import annotations

from collections.abc import Sequence

from synoptic.errors import Problem
from synoptic.model import Brief
from synoptic.registry import renderers
from synoptic.render.terminal import print_terminal

__all__ = ["FORMATS", "print_terminal", "render"]

# The built-in formats; ``renderers.names()`` adds any installed plug-in.
FORMATS = ("json", "md", "html", "text")


def render(briefs: Sequence[Brief], fmt: str, *, problems: Sequence[Problem] = ()) -> str:
    """Return ``briefs`` rendered in format ``fmt`` (a name in ``synoptic.registry.renderers``).

    Args:
        briefs: The briefs, one per story, in the order to show.
        fmt: ``json`` (Brief JSON v1), ``md`` (Markdown), ``html`` (one self-contained page),
            ``text`` (the terminal rendering as plain text, 100 columns, no colour), or a
            format an installed plug-in registers.
        problems: Rejected inputs. Listed at the end of ``md``, ``html`` and ``text``; never
            part of ``json``, whose document is the contract (the CLI prints them on stderr).

    Returns:
        The rendered document, ending with a newline.

    Raises:
        UsageError: No renderer is registered as ``fmt`` (code E102).
    """
    return renderers.render(briefs, fmt, problems)
