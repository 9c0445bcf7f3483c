"""Scoring against gold: the one copy the benchmarks (``bench/``) and the quality gates
(``tests/test_gates_*.py``) both import.

Modules by what they score:

* ``tokens``: extracted text against a gold body (bag-of-tokens precision/recall/F1);
* ``partition``: stories against gold stories (B-cubed);
* ``rouge``: summaries against reference summaries (ROUGE-N recall, as ROUGE-1.5.5);
* ``conflicts``: flagged conflicts against gold conflicts (conflict and side P/R);
* ``quotes``: quote wordings against gold quotes (greedy one-to-one matching);
* ``dates``: date phrases located in an article, and a story's timeline against gold dates;
* ``briefs``: reading a Brief JSON v1 document back into what the scorers take.

Nothing here runs a stage: callers pass what the system produced.
"""
