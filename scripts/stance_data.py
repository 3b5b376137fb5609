"""The stance datasets as (quote, party) pairs, read the same way for training and evaluation.

One record per pair, in the shape `stancer classify` reads, plus gold labels:
  text          the context the model reads: the sentence(s) holding the statement and its attribution
  target        the party
  holder        who holds the stance (the speaker), or None
  target_spans  char spans of the party's mentions in `text`
  holder_spans  char spans of the holder's mentions in `text`
  stance        0 against, 1 favor, 2 neutral, -1 no label
  sentiment     0 negative, 1 neutral, 2 positive, -1 no label
  ds, key       dataset name and a stable key (story / article / sentence) for splits

`model_input` turns a record into the two segments exactly as the Rust engine does
(src/engine/input.rs); tests/engine_parity.rs checks the token ids of the fixture pairs.
Standard library only, so scripts/eval-stance needs no virtual environment.
"""
import csv, glob, hashlib, json, os, re

STANCE = ["against", "favor", "neutral"]
SENTIMENT = ["negative", "neutral", "positive"]

# The model's input format (config.json `stancer.input`, format_version 2).
INPUT = {
    "segment_a": "{target}",
    "segment_a_with_holder": "{target} ; by {holder}",
    "mark_open": "[",
    "mark_close": "]",
    "holder_open": "<",
    "holder_close": ">",
}


def stable_hash(s):
    return int(hashlib.sha256(s.encode("utf-8")).hexdigest(), 16)


def rec(ds, key, text, target, holder=None, target_spans=(), holder_spans=(), stance=-1, sentiment=-1):
    return dict(ds=ds, key=key, text=text, target=target, holder=holder,
                target_spans=[list(s) for s in target_spans], holder_spans=[list(s) for s in holder_spans],
                stance=stance, sentiment=sentiment)


# ---------------------------------------------------------------- the model's view of a record

def mark(text, target_spans, holder_spans, fmt=INPUT):
    """Wraps target spans in [ ] and holder spans in < >; overlapping spans: the earlier wins,
    a target over a holder at the same start (the engine does the same)."""
    spans = sorted({(s, e, 0) for s, e in target_spans if s < e} | {(s, e, 1) for s, e in holder_spans if s < e})
    out, last = [], 0
    for s, e, kind in spans:
        if s < last:
            continue
        o, c = (fmt["mark_open"], fmt["mark_close"]) if kind == 0 else (fmt["holder_open"], fmt["holder_close"])
        out += [text[last:s], o, text[s:e], c]
        last = e
    out.append(text[last:])
    return "".join(out)


def model_input(r, fmt=INPUT):
    h = (r.get("holder") or "").strip()
    a = fmt["segment_a_with_holder"].replace("{target}", r["target"]).replace("{holder}", h) if h \
        else fmt["segment_a"].replace("{target}", r["target"])
    return a, mark(r["text"], r.get("target_spans", []), r.get("holder_spans", []) if h else [], fmt)


# ---------------------------------------------------------------- finding a named entity in text

WORD = re.compile(r"\w[\w'’.-]*\w|\w")
NAME_STOP = {"the", "of", "and", "for", "party", "jr", "jr.", "sr", "sr.", "ii", "iii", "mr", "mr.", "ms", "ms.",
             "mrs", "mrs.", "dr", "dr.", "house", "new", "state", "states", "united", "national", "department"}
ALIASES = {
    "democratic party": ["Democrats", "Democrat", "Democratic", "Dems"],
    "republican party": ["Republicans", "Republican", "GOP"],
    "united states": ["U.S.", "US", "America", "American", "Americans", "Washington"],
}


def _word_spans(text, needle, case):
    flags = 0 if case else re.IGNORECASE
    pat = re.compile(r"(?<![\w])" + re.escape(needle) + r"(?![\w])", flags)
    return [(m.start(), m.end()) for m in pat.finditer(text)]


def find_entity(text, name):
    """Char spans where `name` (a canonical name such as "Donald Trump" or "Democratic Party") is
    mentioned: the full name, else a known alias, else its distinctive words (a surname,
    "Schiff"; "impeachment"), case-sensitive when the word is capitalised."""
    name = name.replace("_", " ").strip()
    if not name:
        return []
    spans = _word_spans(text, name, False)
    if spans:
        return spans
    for alias in ALIASES.get(name.lower(), []):
        spans += _word_spans(text, alias, alias[0].isupper() and len(alias) <= 3 or alias.isupper())
    if spans:
        return sorted(set(spans))
    for w in WORD.findall(name):
        if len(w) < 3 or w.lower() in NAME_STOP:
            continue
        spans += _word_spans(text, w, w[0].isupper())
    return sorted(set(spans))


# ---------------------------------------------------------------- the datasets

SEESAW_UNNAMED = {"None", "Not in the list", ""}
SEESAW_LABEL = {"positive": (1, 2), "negative": (0, 0)}


def seesaw(path, context=0):
    """SEESAW tuples: holder = the source entity (None for the author or an unnamed someone)."""
    out = []
    for line in open(path, encoding="utf-8"):
        d = json.loads(line)
        before = [s for s in re.split(r"(?<=[.!?\"”])\s+(?=[A-Z“\"])", d.get("context_before") or "") if s.strip()]
        text = " ".join(before[-context:] + [d["sentence"]]) if context and before else d["sentence"]
        holder = None if d["source"] in SEESAW_UNNAMED else d["source"]
        st, se = SEESAW_LABEL[d["label"]]
        story = d["unique_id"].split("_DOCUMENT")[0]
        out.append(rec("seesaw", story, text, d["target"], holder, find_entity(text, d["target"]),
                       find_entity(text, holder) if holder else [], st, se))
    return out


def seesaw_neutral(root, split, per_sentence=1, seed=13):
    """Neutral pairs from SEESAW's annotated articles: two listed entities named in one
    annotated sentence with no stance tuple between them (either way) in that sentence."""
    import random
    rng = random.Random(seed)
    out = []
    for meta_path in sorted(glob.glob(os.path.join(root, "meta", "*.json"))):
        meta = json.load(open(meta_path, encoding="utf-8"))
        if str(meta.get("Split", "")).lower() not in (split,):
            continue
        story = os.path.basename(meta_path)[:-5]
        for ann_path in sorted(glob.glob(os.path.join(root, "annotations", story + "_DOCUMENT_*.json"))):
            art_path = ann_path.replace("annotations", "articles")
            if not os.path.exists(art_path):
                continue
            ann = json.load(open(ann_path, encoding="utf-8"))
            art = json.load(open(art_path, encoding="utf-8"))
            ents = [e[0] for e in ann.get("entity lists", []) if e and e[0] not in SEESAW_UNNAMED]
            stances = ann.get("sentence-level stances", {})
            for sent in art.get("text", []):
                sid, text = str(sent.get("id")), sent.get("text", "")
                if sid not in stances or not text:
                    continue
                taken = {(t["subject"], t["object"]) for t in stances[sid]}
                named = {e: find_entity(text, e) for e in ents}
                named = {e: s for e, s in named.items() if s}
                cands = [(h, t) for h in named for t in named
                         if h != t and (h, t) not in taken and (t, h) not in taken
                         and not _overlap(named[h], named[t])]
                rng.shuffle(cands)
                for h, t in cands[:per_sentence]:
                    out.append(rec("seesaw_neutral", story, text, t, h, named[t], named[h], 2, 1))
    return out


def _overlap(a, b):
    return any(s < e2 and s2 < e for s, e in a for s2, e2 in b)


BRACKET = re.compile(r"\[([^\]]*)\]")


def directed(path):
    """Directed sentiment: labels 0 neutral, 1 p pos→q, 2 q pos→p, 3 p neg→q, 4 q neg→p;
    both entities are bracketed in the source sentence."""
    out = []
    for line in open(path, encoding="utf-8"):
        parts = line.rstrip("\n").split("\t")
        if len(parts) != 4:
            continue
        sent, p, q, label = parts[0], parts[1], parts[2], int(parts[3])
        holder, target = (p, q) if label in (0, 1, 3) else (q, p)
        clean, spans, last = [], {}, 0
        for m in BRACKET.finditer(sent):
            clean.append(sent[last:m.start()])
            start = sum(len(c) for c in clean)
            clean.append(m.group(1))
            spans.setdefault(m.group(1), (start, start + len(m.group(1))))
            last = m.end()
        clean.append(sent[last:])
        st, se = {0: (2, 1), 1: (1, 2), 2: (1, 2), 3: (0, 0), 4: (0, 0)}[label]
        t, h = spans.get(target), spans.get(holder)
        out.append(rec("directed", "".join(clean), "".join(clean), target, holder,
                       [t] if t else [], [h] if h else [], st, se))
    return out


def newsmtsc(path):
    pol = {-1: 0, 0: 1, 1: 2}
    out = []
    for line in open(path, encoding="utf-8"):
        d = json.loads(line)
        out.append(rec("newsmtsc", d["sentence"], d["sentence"], d["mention"], None,
                       [(d["from"], d["to"])], [], -1, pol[int(d["polarity"])]))
    return out


def basil(root):
    """BASIL quoted phrases with a target: the phrase's sentence, holder = the named speaker
    (None for BASIL's unnamed `other_*` speakers), polarity → favor / against. `key` is the
    event triplet: `basil_split` keeps whole triplets together."""
    out = []
    for ann_path in sorted(glob.glob(os.path.join(root, "annotations", "*", "*_ann.json"))):
        ann = json.load(open(ann_path, encoding="utf-8"))
        art = json.load(open(ann_path.replace("annotations", "articles").replace("_ann", ""), encoding="utf-8"))
        sents = [s for p in art.get("body-paragraphs", []) for s in p]
        for p in ann.get("phrase-level-annotations", []):
            if p.get("quote") != "yes" or not p.get("target") or p.get("polarity") not in ("pos", "neg"):
                continue
            text = next((s for s in sents if s[p["start"]:p["end"]] == p["txt"]), None)
            if text is None:
                continue
            target = p["target"].replace("_", " ")
            spk = p.get("speaker", "")
            holder = None if not spk or spk.startswith("other") else spk.replace("_", " ")
            st, se = (1, 2) if p["polarity"] == "pos" else (0, 0)
            out.append(rec("basil", art.get("triplet-uuid") or ann.get("triplet-uuid"), text, target, holder, find_entity(text, target),
                           find_entity(text, holder) if holder else [], st, se))
    return out


def basil_split(rows):
    """No official split: every fifth event triplet (by sha256 of its uuid) is dev."""
    tr = [r for r in rows if stable_hash(r["key"]) % 5 != 0]
    dv = [r for r in rows if stable_hash(r["key"]) % 5 == 0]
    return tr, dv


def pstance(paths):
    out = []
    for p in paths:
        with open(p, encoding="utf-8", newline="") as f:
            for row in csv.DictReader(f):
                st = {"AGAINST": 0, "FAVOR": 1}.get(row["Stance"].strip().upper())
                if st is not None:
                    out.append(rec("pstance", row["Tweet"], row["Tweet"], row["Target"], None,
                                   find_entity(row["Tweet"], row["Target"]), [], st))
    return out


def semeval(path):
    rows = []
    with open(path, encoding="cp1252", newline="") as f:
        for row in csv.DictReader(f, delimiter="\t"):
            text = row["Tweet"].replace("#SemST", "").strip()
            st = {"AGAINST": 0, "FAVOR": 1, "NONE": 2}[row["Stance"].strip()]
            rows.append(rec("semeval", text, text, row["Target"], None, find_entity(text, row["Target"]), [], st))
    return rows


def semeval_split(rows):
    """No official dev split: every 10th tweet (by sha256 of its text) is dev."""
    return ([r for r in rows if stable_hash(r["key"]) % 10 != 0],
            [r for r in rows if stable_hash(r["key"]) % 10 == 0])


def calibration_split(rows, ds_key=None):
    """The slice of a training set held out to fit each head's temperature: every tenth
    story / sentence by sha256 of its key. Never trained on."""
    return ([r for r in rows if stable_hash("cal:" + r["key"]) % 10 != 0],
            [r for r in rows if stable_hash("cal:" + r["key"]) % 10 == 0])


def dev_sets(D):
    """Every dev split the project reports on, as (name, head, metric, records)."""
    _, basil_dev = basil_split(basil(f"{D}/basil"))
    _, se_dev = semeval_split(semeval(f"{D}/semeval2016_task6/semeval2016-task6-trainingdata.txt"))
    return [
        ("SEESAW valid", "stance", "favor_vs_against", seesaw(f"{D}/seesaw/derived/seesaw_valid.jsonl")),
        ("Directed sentiment valid", "stance", "macro3", directed(f"{D}/directed_sentiment_news/valid.txt")),
        ("BASIL quotes dev", "stance", "favor_vs_against", basil_dev),
        ("NewsMTSC dev_rw", "sentiment", "macro3", newsmtsc(f"{D}/newsmtsc/flat/dev_rw.jsonl")),
        ("NewsMTSC dev_mt", "sentiment", "macro3", newsmtsc(f"{D}/newsmtsc/flat/dev_mt.jsonl")),
        ("P-Stance val", "stance", "favor_against", pstance([f"{D}/pstance/raw_val_{t}.csv" for t in ("trump", "biden", "bernie")])),
        ("SemEval-2016 dev (carved)", "stance", "favor_against", se_dev),
    ]


# ---------------------------------------------------------------- metrics (shared by train.py and eval-stance)

def f1s(gold, pred, classes):
    out = {}
    for c in classes:
        tp = sum(g == c and p == c for g, p in zip(gold, pred))
        fp = sum(g != c and p == c for g, p in zip(gold, pred))
        fn = sum(g == c and p != c for g, p in zip(gold, pred))
        pr = tp / (tp + fp) if tp + fp else 0.0
        rc = tp / (tp + fn) if tp + fn else 0.0
        out[c] = 2 * pr * rc / (pr + rc) if pr + rc else 0.0
    return out


def ece(probs, gold, bins=10):
    """Expected calibration error of the top label, in points (0-100)."""
    tot, err = len(gold), 0.0
    if not tot:
        return 0.0
    buckets = [[] for _ in range(bins)]
    for p, g in zip(probs, gold):
        top = max(range(len(p)), key=lambda i: p[i])
        buckets[min(bins - 1, int(p[top] * bins))].append((p[top], top == g))
    for b in buckets:
        if b:
            conf = sum(c for c, _ in b) / len(b)
            acc = sum(ok for _, ok in b) / len(b)
            err += len(b) / tot * abs(conf - acc)
    return 100 * err


def score(metric, head, gold, probs):
    """The dataset's metric from per-label probabilities (label order STANCE / SENTIMENT).
    favor_vs_against (SEESAW, Wen et al. 2024): favor vs against by their two scores alone,
    micro-F1 (= accuracy over the polar pairs); `neutral_share`: how many the full argmax calls neutral."""
    pred = [max(range(3), key=lambda i: p[i]) for p in probs]
    acc = 100 * sum(g == p for g, p in zip(gold, pred)) / max(1, len(gold))
    extra = {}
    if metric == "favor_vs_against":
        fa = [1 if p[1] > p[0] else 0 for p in probs]
        value = 100 * sum(g == p for g, p in zip(gold, fa)) / max(1, len(gold))
        extra["neutral_share"] = 100 * sum(p == 2 for p in pred) / max(1, len(gold))
        name = "F/A micro-F1"
    elif metric == "macro3":
        value, name = 100 * sum(f1s(gold, pred, [0, 1, 2]).values()) / 3, "macro-F1"
    else:
        f = f1s(gold, pred, [0, 1])
        value, name = 100 * (f[0] + f[1]) / 2, "F1avg(favor,against)"
    label = STANCE if head == "stance" else SENTIMENT
    return dict(metric=name, score=value, accuracy=acc, ece=ece(probs, gold), n=len(gold),
                confusion={label[g]: {label[p]: sum(1 for a, b in zip(gold, pred) if a == g and b == p)
                                      for p in range(3)} for g in range(3)}, **extra)
