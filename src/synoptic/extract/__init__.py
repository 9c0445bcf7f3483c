"""Extract: turn a ``RawDocument`` into a cleaned ``Article``.

HTML goes through trafilatura (``extract.html``), plain text through the residue filter
(``extract.text``); metadata supplied with the input wins over metadata read from it.
"""

from synoptic.extract.core import extract

__all__ = ["extract"]
