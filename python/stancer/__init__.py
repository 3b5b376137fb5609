"""stancer from Python: who is for or against whom in news articles, with the quote as evidence.

>>> import stancer
>>> scorer = stancer.Scorer()                       # loads the model once
>>> report = scorer.score(open("article.txt").read())  # doctest: +SKIP
>>> report["quotes"][0]["speaker"]                     # doctest: +SKIP

Reports are the command line's JSON (``stancer score --format json``), as dicts, field for field;
the README's "Output contract" documents them. Errors in an input raise :class:`StancerError`
with a stable ``kind`` (``empty``, ``binary``, ``not_utf8``, ``too_large``, ``bad_json``, ...);
wrong argument types raise ``TypeError``/``ValueError``.
"""
from __future__ import annotations

import json
from itertools import islice
from typing import Any, Iterable, Iterator, Mapping, Optional, Sequence, Union

from ._stancer import DEFAULT_MAX_BYTES, StancerError, __version__
from ._stancer import Scorer as _Scorer
from .frame import to_frame

__all__ = ["Scorer", "StancerError", "to_frame", "__version__", "DEFAULT_MAX_BYTES"]

Text = Union[str, bytes]


def _party_specs(parties: Union[None, Sequence[str], Mapping[str, Sequence[str]]]) -> list:
    """Parties as the CLI's ``--party`` specs: "NAME[:KIND]=ALIAS,ALIAS"."""
    if parties is None:
        return []
    if isinstance(parties, Mapping):
        return [f"{name}={','.join(aliases)}" if aliases else name for name, aliases in parties.items()]
    if isinstance(parties, str):
        return [parties]
    return [str(p) for p in parties]


def _meta(meta: Optional[Mapping[str, Any]]) -> Optional[str]:
    if meta is None:
        return None
    if not isinstance(meta, Mapping):
        raise TypeError(f"meta must be a mapping, not {type(meta).__name__}")
    return json.dumps(dict(meta))


class Scorer:
    """Scores articles: quotes, speakers, parties, and stance and sentiment toward each party.

    Loads the model once; one Scorer may be shared by threads (scoring releases the GIL).

    Args:
        model: a model directory or Hugging Face id ``ORG/NAME[@REV]``; default the shipped model
            (``STANCER_MODEL`` overrides).
        parties: your own parties, as ``--party`` specs (``"Kremlin insiders:organization=
            Kremlin,Moscow"``) or a mapping ``{name: [aliases]}``; they override built-ins. An
            issue is a target too: ``"Sanctions:topic=sanctions,embargo"`` (any letter case).
        scope: which parties a quote is scored against: ``"quote"``, ``"sentence"``, ``"article"``.
        level: summary level, ``"party"`` or ``"country"``.
        precision: ``None``/``"auto"`` (int8 where the CPU has AMX, AVX512-VNNI, AVX-VNNI or
            AVX2 and the model is BERT-family, else f32; ``.model["precision"]`` says which ran
            and ``.model["int8_kernel"]`` which kernel), ``"f32"``, or
            ``"int8"`` (quantized linear layers, BERT-family models on the CPU: about 3× faster
            with AMX, scores within the README's stated tolerance).
        device: ``"cpu"``, ``"cuda[:N]"`` or ``"metal[:N]"`` (GPU builds only).
        batch_size: inputs per model batch.
        max_length: longest model input in tokens (default: the model's window).
        rules_only: find quotes with the rules alone (no learned tagger).
        include_text: put the article text into each report.
        max_bytes: largest text accepted, in UTF-8 bytes (default 5 MB).
    """

    def __init__(
        self,
        model: Optional[str] = None,
        parties: Union[None, Sequence[str], Mapping[str, Sequence[str]]] = None,
        scope: str = "sentence",
        level: str = "party",
        precision: Optional[str] = None,
        device: str = "cpu",
        batch_size: int = 32,
        max_length: Optional[int] = None,
        rules_only: bool = False,
        include_text: bool = False,
        max_bytes: int = DEFAULT_MAX_BYTES,
    ) -> None:
        self._inner = _Scorer(
            model, _party_specs(parties), scope, level, precision, device, batch_size,
            max_length, rules_only, include_text, max_bytes,
        )

    @property
    def model(self) -> dict:
        """The loaded model: name, architecture, mode, and sha256 of the weights (or revision)."""
        return json.loads(self._inner.model_info())

    def score(self, text: Text, id: Optional[str] = None, meta: Optional[Mapping[str, Any]] = None) -> dict:
        """One article's report (``stancer score --format json``).

        ``text`` is ``str`` or UTF-8 ``bytes``; ``id`` names the article in the report and in
        errors (default ``"-"``); ``meta`` gives its metadata (``title``, ``date``, ``outlet``,
        ``url``, ``author``; dates are normalised to ISO 8601). Raises :class:`StancerError` for
        an empty, binary, non-UTF-8 or too large text.
        """
        return json.loads(self._inner.score(text, "-" if id is None else str(id), _meta(meta)))

    def score_many(self, items: Iterable[Union[Text, Mapping[str, Any]]], batch: int = 16) -> Iterator[dict]:
        """Scores many articles, yielding one record per item, in order, never raising for a bad one.

        An item is a text, or a mapping ``{"id"?, "text", ...metadata}`` like a ``--jsonl`` line.
        Each record is the report with ``"id"`` added (the item's id, else its position), or
        ``{"id", "error": {"kind", "message"}}``: the records ``stancer score --jsonl`` writes.
        Items are read lazily, ``batch`` at a time, and scored without the GIL.
        """
        it = iter(items)
        n = 0
        while True:
            chunk = list(islice(it, batch))
            if not chunk:
                return
            args = []
            for item in chunk:
                if isinstance(item, Mapping):
                    meta = {k: v for k, v in item.items() if k not in ("id", "text")}
                    ident = item.get("id")
                    args.append((str(n) if ident is None else str(ident), item.get("text"), json.dumps(meta) if meta else None))
                else:
                    args.append((str(n), item, None))
                n += 1
            for line in self._inner.score_records(args):
                yield json.loads(line)

    def extract(self, text: Text, id: Optional[str] = None, meta: Optional[Mapping[str, Any]] = None) -> dict:
        """Quotes, speakers, entities and parties without the model (``stancer extract``)."""
        return json.loads(self._inner.extract(text, "-" if id is None else str(id), _meta(meta)))

    def pairs(self, text: Text, id: Optional[str] = None, meta: Optional[Mapping[str, Any]] = None) -> list:
        """Every (quote, party) pair as the model reads it (``stancer extract --pairs``): ``{"quote",
        "speaker"?, "party", "basis", "window", "text", "target", "holder"?, "target_spans",
        "holder_spans"}``; :meth:`classify` on them gives the scores :meth:`score` reports."""
        return json.loads(self._inner.pairs(text, "-" if id is None else str(id), _meta(meta)))

    def classify(self, pairs: Iterable[Mapping[str, Any]]) -> list:
        """Scores your own pairs, like ``stancer classify``.

        Each pair is ``{"text", "target", "holder"?, "target_span"?: (start, end),
        "target_spans"?: [...], "holder_spans"?: [...]}`` (char offsets). Returns, per pair,
        ``{"stance": {"label", "scores"}, "sentiment": {...}, "truncated"?}``.
        """
        out = []
        for i, p in enumerate(pairs):
            if not isinstance(p, Mapping):
                raise TypeError(f"pair {i} must be a mapping, not {type(p).__name__}")
            p = dict(p)
            span = p.pop("target_span", None)
            if span is not None:
                p["target_spans"] = [list(span)] + list(p.get("target_spans", []))
            out.append(p)
        return json.loads(self._inner.classify(json.dumps(out)))
