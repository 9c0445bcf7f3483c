"""Synoptic on Apache Spark: the same stages over an archive (``synoptic spark``).

* ``synoptic.spark.job``: the job (inputs to Parquet tables and a run report);
* ``synoptic.spark.workers``: what runs inside tasks (read, extract, analyse, synthesize);
* ``synoptic.spark.dedup``: wire copies across the archive (MinHash banding as a shuffle);
* ``synoptic.spark.blocking``: stories across the archive (blocking, engine per block, merge).

PySpark is an optional dependency (``pip install synoptic[spark]``); nothing here imports it
at module level, so the package is importable without it. Run with ``synoptic spark`` or
``spark-submit -m synoptic.spark`` (``python -m synoptic.spark``).
"""
