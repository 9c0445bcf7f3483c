"""Line features the plain-text cleaner judges by: words, sentence ends, case, whitespace."""

from __future__ import annotations

import re

# Whitespace a scraper leaves inside lines: no-break, thin and other Unicode spaces, tabs.
# Zero-width spaces and byte-order marks are invisible layout debris, so they go too.
_SPACES = re.compile(r"[\s\u200b\u2060\ufeff]+")
# Words; Chinese and Japanese write no spaces, so each of their characters counts as a word.
_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
WORD = re.compile(rf"[{_CJK}]|[^\W{_CJK}]+(?:['’][^\W{_CJK}]+)*")
# A sentence ends in . ! ? or an ellipsis (or their CJK forms), possibly followed by closing
# quotes or brackets.
_TERMINAL = re.compile(r"(?:[.!?…:;。！？：；]|\.\.\.)[\"'”’»)\]」』）]*$|[\"”’»」』]$")
#: Separators of a menu or a breadcrumb flattened into one line ("Home | World | Business").
SEPARATORS = re.compile(r"\s[|•·»/]\s|\s[-–—]\s")


def normalise(line: str) -> str:
    """Collapse whitespace runs to one space and strip the ends; nothing else changes."""
    return _SPACES.sub(" ", line).strip()


def words(text: str) -> list[str]:
    """Return the words of ``text`` (each CJK character counts as one)."""
    return WORD.findall(text)


def is_terminal(text: str) -> bool:
    """True when ``text`` ends a sentence (closing quotes and brackets allowed after it)."""
    # Only the tail matters; searching the whole line for an end-anchored pattern is slow.
    return bool(_TERMINAL.search(text[-8:]))


def starts_lower(text: str) -> bool:
    """True when the first word is all lower case (``iPhone`` and ``eBay`` are names)."""
    m = WORD.match(text)
    return m is not None and m.group(0)[0].islower() and m.group(0) == m.group(0).lower()
