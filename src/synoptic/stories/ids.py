"""The one story id rule: a story is named after its founder, its first-arrived member.

In the store the founder is the first-ingested member; in a batch (``brief --stories``) it is
the first in the batch's arrival order (``original.arrival_rank``: earliest published, then by
id). A story that grows keeps its id; a merge keeps the older story's id; the part of a split
holding the founder keeps the id and every other part is named after its own first member.
"""

from __future__ import annotations


def story_id_for(founder_article_id: str) -> str:
    """Return the id of the story founded by an article: ``s`` + the article id's hex part.

    Extracted articles are ``a`` + hex; any other id is kept whole, so that two founders never
    name one story (``1_10ecb`` and ``2_10ecb`` would both give ``s_10ecb``).
    """
    if founder_article_id[:1] == "a":
        return "s" + founder_article_id[1:]
    return "s" + founder_article_id
