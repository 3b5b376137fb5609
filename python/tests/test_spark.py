"""The two Spark recipes of the README, in Spark local mode, on 200 real articles.

Both must give the reports `stancer batch` gives for the same articles (same quotes, stance
scores equal to 1e-6), and a bad article must become an error record, not a failed job. Needs
pyspark and a Java runtime; skipped (with the reason) when either is missing, unless
STANCER_REQUIRE_SPARK=1 (set by .ci/run, which installs both, when it has the shared data).
"""
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT

DATA = Path(os.environ.get("STANCER_SHARED_DATA", ROOT.parent / "shared" / "data")) / "polnear" / "train" / "text"
ARTICLES = 200


def _need(ok, why):
    if not ok:
        if os.environ.get("STANCER_REQUIRE_SPARK") == "1":
            pytest.fail(why)
        pytest.skip(why)


@pytest.fixture(scope="module")
def spark():
    try:
        from pyspark.sql import SparkSession
    except ImportError:
        _need(False, "pyspark is not installed")
    _need(shutil.which("java") is not None, "no Java runtime (java) on PATH")
    # The workers run this interpreter, which has the stancer package.
    os.environ["PYSPARK_PYTHON"] = sys.executable
    s = (SparkSession.builder.master("local[2]").appName("stancer-test")
         .config("spark.ui.enabled", "false").config("spark.driver.memory", "2g").getOrCreate())
    yield s
    s.stop()


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    _need(DATA.is_dir(), f"no {DATA}")
    files = sorted(DATA.glob("*.txt"))[:ARTICLES]
    assert len(files) == ARTICLES
    d = tmp_path_factory.mktemp("corpus")
    for f in files:
        shutil.copy(f, d / f.name)
    (d / "zz-empty.txt").write_text("")  # the bad article
    return d


def _by_id(records, key):
    return {Path(r[key]).stem: r for r in records}


def _same_reports(got, want, name):
    assert got.keys() == want.keys(), name
    for k, w in want.items():
        g = got[k]
        if "error" in w:
            assert g.get("error", {}).get("kind") == w["error"]["kind"], (name, k)
            continue
        assert len(g["quotes"]) == len(w["quotes"]), (name, k)
        for gq, wq in zip(g["quotes"], w["quotes"]):
            for field in ("id", "kind", "text", "start", "end", "speaker"):
                assert gq.get(field) == wq.get(field), (name, k, wq["id"], field)
            assert [s["party"] for s in gq["stances"]] == [s["party"] for s in wq["stances"]]
            for gs, ws in zip(gq["stances"], wq["stances"]):
                for label, p in ws["scores"].items():
                    assert abs(gs["scores"][label] - p) <= 1e-6, (name, k, wq["id"], ws["party"], label)


def test_spark_recipes_give_the_batch_reports(spark, corpus, cli, tmp_path):
    ref = tmp_path / "batch.jsonl"
    b = subprocess.run([cli, "batch", str(corpus), "--out", str(ref), "--jobs", "2"], capture_output=True, text=True)
    assert b.returncode == 1, b.stderr  # the empty article failed, and was recorded
    want = _by_id([json.loads(l) for l in ref.read_text().splitlines()], "path")
    assert len(want) == ARTICLES + 1 and want["zz-empty"]["error"]["kind"] == "empty"

    rows = [{"id": f.stem, "text": f.read_text(encoding="utf-8")} for f in sorted(corpus.glob("*.txt"))]
    rdd = spark.sparkContext.parallelize(rows, 4)

    import stancer.spark

    # Recipe 1: one Scorer per partition (the model loads once per partition).
    via_python = rdd.mapPartitions(stancer.spark.score_partition).map(json.loads).collect()
    _same_reports(_by_id(via_python, "id"), want, "mapPartitions")

    # Recipe 2: the CLI worker protocol; exit code 1 (some line failed) is not a failed job.
    via_cli = rdd.map(json.dumps).pipe(f"{cli} score --jsonl - --format jsonl").map(json.loads).collect()
    _same_reports(_by_id(via_cli, "id"), want, "pipe")
