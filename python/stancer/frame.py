"""Reports as a pandas DataFrame: one row per quote × party."""
from __future__ import annotations

from typing import Iterable

COLUMNS = [
    "article", "title", "published", "outlet", "quote", "kind", "speaker", "speaker_name",
    "quote_text", "start", "end", "party", "party_name", "stance", "p_favor", "p_against",
    "p_neutral", "sentiment", "basis", "co_speakers",
]


def _rows(report: dict):
    art = report.get("article", {})
    ident = report.get("id") or report.get("path") or art.get("id")
    speakers = {s["id"]: s["name"] for s in report.get("speakers", [])}
    parties = {p["id"]: p["name"] for p in report.get("parties", [])}
    for q in report.get("quotes", []):
        sp = q.get("speaker") or {}
        sid = sp.get("id")
        name = speakers.get(sid) if sid else (sp.get("mention") or {}).get("text")
        base = [ident, art.get("title"), art.get("published"), art.get("outlet"), q["id"], q["kind"],
                sid, name, q["text"], q["start"], q["end"]]
        # Who said it with the speaker, as the CSV writes it: names joined by " & ", else None.
        co = " & ".join(speakers.get(c.get("id")) or c["mention"]["text"] for c in q.get("co_speakers", [])) or None
        # A quote about no party keeps one row, its party empty: nothing found is dropped.
        for s in q.get("stances") or [None]:
            if s is None:
                yield base + [None] * 8 + [co]
                continue
            sc = s["scores"]
            yield base + [s["party"], parties.get(s["party"], s["party"]), s["label"],
                          sc.get("favor"), sc.get("against"), sc.get("neutral"),
                          s["sentiment"]["label"], s["basis"]["scope"], co]


def to_frame(reports: Iterable[dict]):
    """A DataFrame with one row per quote × party (a quote about no party: one row, party empty).

    ``reports`` are dicts from :meth:`Scorer.score`, :meth:`Scorer.score_many` (error records are
    skipped) or lines of ``stancer batch`` output. Needs pandas (``pip install pandas``).
    """
    try:
        import pandas as pd
    except ImportError as e:  # pragma: no cover - depends on the environment
        raise ImportError("stancer.to_frame needs pandas: pip install pandas") from e
    rows = [row for r in reports if "error" not in r for row in _rows(r)]
    return pd.DataFrame(rows, columns=COLUMNS)
