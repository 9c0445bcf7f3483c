"""Make read values safe for every later stage: ids, databases, JSON and terminals.

Bytes decoded by the cascade are always valid Unicode, but two things can still come out of a
read that break a later stage far from the input that caused them:

* a lone surrogate (``"\\ud800"`` written as a JSON escape): it cannot be encoded as UTF-8, so
  hashing the id, writing JSON or storing it fails. It becomes U+FFFD, as a decoder would have
  made of the bytes.
* a NUL character (``"\\u0000"`` in JSON, or a raw NUL byte deep in a text): PostgreSQL refuses
  it in text columns, and it never means anything in a news report. It is removed.

Non-finite numbers (``NaN``, ``Infinity``) are refused by the JSON reader instead: they are not
JSON (RFC 8259), and a record holding one would make ``--format json`` write invalid JSON.

File names are another matter: the bytes of a name that is not valid UTF-8 reach Python as lone
surrogates (``surrogateescape``); ``display_name`` shows them as ``\\xNN`` escapes so that the
name given to an article is valid text that still points the user to the file.
"""

from __future__ import annotations

import re
from typing import Any

from synoptic.errors import escape

_UNSAFE = re.compile("[\x00\ud800-\udfff]")
_SURROGATE = re.compile("[\ud800-\udfff]")


def is_clean(text: str) -> bool:
    """Whether ``text`` holds neither a NUL character nor a lone surrogate."""
    return not _UNSAFE.search(text)


def clean_string(text: str) -> str:
    """Return ``text`` without NUL characters and with lone surrogates replaced by U+FFFD."""
    if not _UNSAFE.search(text):
        return text
    return _SURROGATE.sub("\ufffd", text.replace("\x00", ""))


def clean_value(value: Any) -> Any:
    """Return a parsed JSON value with ``clean_string`` applied to every string and key.

    Containers are cleaned in place (they were just parsed and belong to the caller), walking
    with an explicit stack: JSON nests as deep as the parser allows, deeper than recursion may.
    """
    if isinstance(value, str):
        return clean_string(value)
    stack = [value]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            if any(_UNSAFE.search(key) for key in node):
                pairs = [(clean_string(key), field) for key, field in node.items()]
                node.clear()
                node.update(pairs)
            for key, field in node.items():
                if isinstance(field, str):
                    node[key] = clean_string(field)
                elif isinstance(field, dict | list):
                    stack.append(field)
        elif isinstance(node, list):
            for index, item in enumerate(node):
                if isinstance(item, str):
                    node[index] = clean_string(item)
                elif isinstance(item, dict | list):
                    stack.append(item)
    return value


def display_name(path: str) -> str:
    """Return the name an input is known by: its path, valid text whatever its bytes were.

    Bytes of a file name that are not valid UTF-8 are shown as ``\\xNN`` (other characters are
    kept as they are; ``Problem.line`` escapes controls when the name is printed).
    """
    try:
        raw = path.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:
        # A surrogate that is no escaped byte: only a library caller can pass one; show it.
        return escape(path) if _SURROGATE.search(path) else path
    return raw.decode("utf-8", "backslashreplace")
