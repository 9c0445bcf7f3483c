"""The story engine: one set of rules for ``synoptic brief --stories`` and the store.

* ``original``: which of a group of wire copies is the original (earliest published, as
  instants), the copy test (shingle containment) and a batch's arrival order;
* ``ids``: a story is named after its founder, its first-arrived member;
* ``placement``: the pure placement rule, from a clustered neighbourhood to a plan of joins,
  merges and splits (the batch places every article at once into an empty store, the store
  one article at a time and applies the plan in SQL);
* ``batch``: the batch's side of it (story ids of groups);
* ``features``: what the clusterer (``synoptic.cluster``) compares for one article.

The union-find is ``synoptic.unionfind``; the clusterer ``synoptic.cluster``; the copy index
``synoptic.dedup``.
"""
