"""The Python package against the command line, on real text; bad input never crashes Python."""
import json
import subprocess
import threading

import pytest

import stancer
from conftest import SEED


def run_json(cli, *args):
    out = subprocess.run([cli, *args], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    return out.stdout


def test_seed_report_is_the_cli_json(cli, scorer, seed_text):
    want = json.loads(run_json(cli, "score", "--format", "json", str(SEED)))
    got = scorer.score(seed_text, id=str(SEED))
    assert got == want
    assert len(got["quotes"]) == 11
    assert got["quotes"][0]["speaker"]["id"] == "s1"


def test_extract_is_the_cli_extract(cli, scorer, seed_text):
    want = json.loads(run_json(cli, "extract", str(SEED)))
    want.pop("path")
    assert scorer.extract(seed_text, id=str(SEED)) == want


def test_pairs_are_the_cli_pairs_and_classify_to_the_report(cli, scorer, seed_text):
    want = [json.loads(line) for line in run_json(cli, "extract", "--pairs", str(SEED)).splitlines()]
    for w in want:
        w.pop("path")
    pairs = scorer.pairs(seed_text, id=str(SEED))
    assert pairs == want
    report = scorer.score(seed_text, id=str(SEED))
    stances = [s for q in report["quotes"] for s in q["stances"]]
    assert [(p["quote"], p["party"]) for p in pairs] == [(q["id"], s["party"]) for q in report["quotes"] for s in q["stances"]]
    for got, s in zip(scorer.classify(pairs), stances):
        assert got["stance"]["scores"] == pytest.approx(s["scores"], abs=1e-4)


def test_bytes_and_metadata(scorer, seed_text):
    r = scorer.score(seed_text.encode("utf-8"), id="seed", meta={"date": "March 25, 2019", "source": "fox", "url": "https://e.com/a"})
    assert r["article"]["id"] == "seed"
    assert (r["article"]["published"], r["article"]["outlet"], r["article"]["url"]) == ("2019-03-25", "fox", "https://e.com/a")
    assert len(r["quotes"]) == 11


@pytest.mark.parametrize(
    "text, kind",
    [(b"caf\xe9 au lait", "not_utf8"), ("", "empty"), (" \n\t ", "empty"), (b"ab\x00cd", "binary"), ("x" * 5_000_001, "too_large")],
)
def test_bad_text_raises_a_clear_error(scorer, text, kind):
    with pytest.raises(stancer.StancerError) as e:
        scorer.score(text, id="bad-1")
    assert e.value.kind == kind
    assert "bad-1" in str(e.value)


def test_wrong_types_raise_python_errors(scorer):
    with pytest.raises(TypeError, match="str or bytes, not NoneType"):
        scorer.score(None)
    with pytest.raises(TypeError):
        scorer.score(42)
    with pytest.raises(UnicodeEncodeError):
        scorer.score("lone surrogate \ud800 here")
    with pytest.raises(TypeError):
        scorer.score("Putin said that talks went well.", meta=["not", "a", "mapping"])
    with pytest.raises(ValueError, match="precision"):
        stancer.Scorer(precision="int4")
    with pytest.raises(ValueError, match="scope"):
        stancer.Scorer(scope="paragraphs")
    with pytest.raises(stancer.StancerError):
        stancer.Scorer(model="/nonexistent/model")
    # After all of that the interpreter and the scorer still work.
    assert scorer.score("Lavrov said that Russia is ready to talk.")["quotes"][0]["text"] == "Russia is ready to talk"


def test_score_many_keeps_order_and_reports_bad_items(scorer, seed_text):
    items = [
        {"id": "seed", "text": seed_text, "outlet": "wire"},
        None,
        "",
        "Lavrov said that Russia is ready to talk.",
        {"text": b"\xff\xfe"},
    ]
    recs = list(scorer.score_many(items, batch=2))
    assert [r["id"] for r in recs] == ["seed", "1", "2", "3", "4"]
    assert len(recs[0]["quotes"]) == 11 and recs[0]["article"]["outlet"] == "wire"
    assert recs[1]["error"]["kind"] == "bad_json" and "NoneType" in recs[1]["error"]["message"]
    assert recs[2]["error"]["kind"] == "empty"
    assert recs[3]["quotes"][0]["text"] == "Russia is ready to talk"
    assert recs[4]["error"]["kind"] == "not_utf8"


def test_one_scorer_shared_by_threads(scorer, seed_text):
    texts = [seed_text, "Lavrov said that Russia is ready to talk.", "Peskov said the Kremlin welcomed the talks with Washington."]
    want = [scorer.score(t, id=str(i)) for i, t in enumerate(texts)]
    results, errors = {}, []

    def work(k):
        try:
            for i, t in enumerate(texts):
                results[(k, i)] = scorer.score(t, id=str(i))
        except Exception as e:  # pragma: no cover - reported below
            errors.append(e)

    threads = [threading.Thread(target=work, args=(k,)) for k in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    for (k, i), r in results.items():
        assert r["quotes"] == want[i]["quotes"], (k, i)


def test_user_parties_and_classify(seed_text):
    s = stancer.Scorer(parties={"Kremlin insiders": ["Kremlin", "Moscow"]})
    r = s.score(seed_text)
    mine = [p for p in r["parties"] if p["name"] == "Kremlin insiders"]
    assert mine and {"Kremlin", "Moscow"} <= {m["text"] for m in mine[0]["mentions"]}
    out = s.classify([
        {"text": "We strongly condemn the sanctions imposed by Washington.", "target": "United States", "target_span": (47, 57)},
        {"text": "We welcome the agreement and thank our partners.", "target": "partners"},
    ])
    assert [o["stance"]["label"] for o in out] == ["against", "favor"]
    assert abs(sum(out[0]["stance"]["scores"].values()) - 1.0) < 1e-4
    with pytest.raises(ValueError, match="empty text or target"):
        s.classify([{"text": "", "target": "x"}])
    with pytest.raises(TypeError):
        s.classify(["not a mapping"])


def test_to_frame_one_row_per_quote_and_party(scorer, seed_text):
    pd = pytest.importorskip("pandas")
    r = scorer.score(seed_text, id="seed")
    df = stancer.to_frame([r, {"id": "x", "error": {"kind": "empty", "message": "x: empty"}}])
    assert isinstance(df, pd.DataFrame)
    assert len(df) == sum(max(1, len(q["stances"])) for q in r["quotes"])
    assert {"speaker_name", "party", "stance", "p_favor", "basis"} <= set(df.columns)
    assert set(df["article"]) == {"seed"}
    first = r["quotes"][0]["stances"][0]
    row = df[(df["quote"] == "q1") & (df["party"] == first["party"])].iloc[0]
    assert row["stance"] == first["label"] and abs(row["p_favor"] - first["scores"]["favor"]) < 1e-9
    assert df["co_speakers"].isna().all(), "each of the seed article's quotes has one speaker"
    joint = scorer.score("\u201cThe shutdown hurt millions of Americans,\u201d Nancy Pelosi and Chuck Schumer said.")
    assert set(stancer.to_frame([joint])["co_speakers"]) == {"Nancy Pelosi"}


def test_int8_precision_is_reported_and_close_to_f32(seed_text):
    f, q = stancer.Scorer(precision="f32"), stancer.Scorer(precision="int8")
    assert q.model["precision"] == "int8" and f.model.get("precision", "f32") == "f32"
    a, b = f.score(seed_text), q.score(seed_text)
    assert [x["text"] for x in a["quotes"]] == [x["text"] for x in b["quotes"]]
    diffs = [abs(s["scores"][k] - t["scores"][k]) for qa, qb in zip(a["quotes"], b["quotes"])
             for s, t in zip(qa["stances"], qb["stances"]) for k in s["scores"]]
    assert 0 < max(diffs) <= 0.1
