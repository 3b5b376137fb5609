"""Spark helpers (pyspark is not needed to import this module).

Recipe 1, one Scorer per partition::

    import json, stancer.spark
    rows = spark.read.json("articles.jsonl").rdd.map(lambda r: r.asDict())   # {"id", "text", ...}
    records = rows.mapPartitions(stancer.spark.score_partition)            # JSON strings
    records.saveAsTextFile("reports/")

Recipe 2, the command line's worker protocol (the `stancer` binary on every worker)::

    rows.map(json.dumps).pipe("stancer score --jsonl - --format jsonl")

Both yield the records `stancer score --jsonl` writes: a report with ``"id"``, or
``{"id", "error"}`` for an article that could not be scored, so a bad article never fails a job.
"""
from __future__ import annotations

import functools
import json
from typing import Any, Callable, Iterable, Iterator, Mapping


def _score(rows: Iterable[Any], scorer_args: Mapping[str, Any]) -> Iterator[str]:
    import stancer

    scorer = stancer.Scorer(**scorer_args)
    items = (r.asDict() if hasattr(r, "asDict") else r for r in rows)
    for rec in scorer.score_many(items):
        yield json.dumps(rec, ensure_ascii=False)


def score_partition(rows: Iterable[Any]) -> Iterator[str]:
    """`mapPartitions` function: scores a partition's rows (dicts or Rows with ``text``,
    optional ``id`` and metadata) with one Scorer, yielding one JSON record per row."""
    return _score(rows, {})


def partition_scorer(**scorer_args: Any) -> Callable[[Iterable[Any]], Iterator[str]]:
    """A `mapPartitions` function whose Scorer takes these arguments (``parties=``, ``scope=``, ...)."""
    return functools.partial(_score, scorer_args=scorer_args)
