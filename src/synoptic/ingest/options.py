"""The limits and choices of one read: sizes, records, nesting, compression and symlinks.

Every bound a hostile input could otherwise escape is here, with its default, so that the
caller (CLI, server, job) states them once and passes them down.
"""

from __future__ import annotations

from dataclasses import dataclass

from synoptic.settings import MAX_BYTES

#: Largest input accepted, in bytes, after decompression.
DEFAULT_MAX_BYTES = MAX_BYTES  # the one default lives in synoptic.settings
#: Most documents (JSON records, JSON lines, TREC ``<DOC>`` elements) read from one input.
DEFAULT_MAX_RECORDS = 100_000
#: Deepest folder a walk descends into, counting the folder named as level 0.
DEFAULT_MAX_DEPTH = 100
#: Highest compression ratio accepted once more than ``RATIO_FLOOR`` bytes are inflated; news
#: text and JSON compress 3 to 30 times, a compression bomb a thousand times.
DEFAULT_MAX_RATIO = 100
#: Inflated bytes read before the ratio is judged (small inputs may compress well). Under the
#: records cap's worth of the smallest JSON record (100,000 x 13 bytes), so a bomb of tiny
#: records is answered by the ratio cap (E019), as the README says, not by the records cap
#: (E018): issue 17's bomb of 1.6 million records read 100,000 of them first.
RATIO_FLOOR = 1024 * 1024


@dataclass(frozen=True, slots=True)
class ReadOptions:
    """How inputs are read.

    Attributes:
        max_bytes: Largest accepted input, in bytes, after decompression (``E006``).
        max_records: Most documents read from one input; the rest is skipped (``E018``).
        max_depth: Deepest folder level walked; deeper folders are skipped (``E015``).
        max_ratio: Highest decompression ratio accepted (``E019``).
        follow_symlinks: Whether a folder walk follows symbolic links that lead out of the
            folder named (``E017`` when not).
    """

    max_bytes: int = DEFAULT_MAX_BYTES
    max_records: int = DEFAULT_MAX_RECORDS
    max_depth: int = DEFAULT_MAX_DEPTH
    max_ratio: int = DEFAULT_MAX_RATIO
    follow_symlinks: bool = False
