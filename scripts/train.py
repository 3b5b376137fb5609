"""Train stancer's default model: all-MiniLM-L6-v2 + two target-conditioned heads.

Run through `scripts/train`, which prepares the virtual environment and the base
weights. Everything here is deterministic for a given seed and thread count.

Input format (the Rust engine builds exactly the same pairs, see src/engine/pairs.rs):
  segment A = the party ("target"), followed by " ; by {holder}" when a holder is known
  segment B = the text, with every mention of the party wrapped in "[" ... "]"
Pooling is the attention-masked mean of the last hidden states (how MiniLM was pretrained).
"""
import argparse, csv, hashlib, json, math, os, random, re, sys, time

import numpy as np
import torch
import torch.nn as nn
from safetensors.torch import save_file, load_file
from transformers import BertModel, BertTokenizerFast

STANCE = ["against", "favor", "neutral"]
SENTIMENT = ["negative", "neutral", "positive"]
BASE_SHA256 = "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"


def mark(text, spans):
    """Wrap each (start, end) char span in [ ]; spans must not overlap."""
    out, last = [], 0
    for s, e in sorted(spans):
        out += [text[last:s], "[", text[s:e], "]"]
        last = e
    out.append(text[last:])
    return "".join(out)


def segment_a(target, holder=None):
    return f"{target} ; by {holder}" if holder else target


def rec(ds, text, target, stance=-1, sentiment=-1, holder=None):
    return dict(ds=ds, a=segment_a(target, holder), b=text, stance=stance, sentiment=sentiment)


def load_newsmtsc(path, ds):
    pol = {-1: 0, 0: 1, 1: 2}  # -> SENTIMENT index
    out = []
    for line in open(path, encoding="utf-8"):
        d = json.loads(line)
        text = mark(d["sentence"], [(d["from"], d["to"])])
        out.append(rec(ds, text, d["mention"], sentiment=pol[int(d["polarity"])]))
    return out


BRACKET = re.compile(r"\[([^\]]*)\]")


def load_directed(path, ds):
    # 0 neutral, 1 p pos->q, 2 q pos->p, 3 p neg->q, 4 q neg->p
    out = []
    for line in open(path, encoding="utf-8"):
        parts = line.rstrip("\n").split("\t")
        if len(parts) != 4:
            continue
        sent, p, q, label = parts[0], parts[1], parts[2], int(parts[3])
        # The source brackets both entities; keep only the target's brackets so
        # the marking means "this is the party" as at inference time.
        if label in (0, 1, 3):
            holder, target = p, q
        else:
            holder, target = q, p
        spans, clean, last = [], [], 0
        for m in BRACKET.finditer(sent):
            clean.append(sent[last:m.start()])
            start = sum(len(c) for c in clean)
            clean.append(m.group(1))
            if m.group(1) == target and not spans:
                spans.append((start, start + len(m.group(1))))
            last = m.end()
        clean.append(sent[last:])
        text = mark("".join(clean), spans)
        if label == 0:
            st, se = 2, 1
        elif label in (1, 2):
            st, se = 1, 2
        else:
            st, se = 0, 0
        out.append(rec(ds, text, target, stance=st, sentiment=se, holder=holder))
    return out


def load_pstance(paths, ds):
    out = []
    for p in paths:
        with open(p, encoding="utf-8", newline="") as f:
            for row in csv.DictReader(f):
                st = {"AGAINST": 0, "FAVOR": 1}.get(row["Stance"].strip().upper())
                if st is None:
                    continue
                out.append(rec(ds, row["Tweet"], row["Target"], stance=st))
    return out


def load_semeval(path):
    rows = []
    with open(path, encoding="cp1252", newline="") as f:
        for row in csv.DictReader(f, delimiter="\t"):
            st = {"AGAINST": 0, "FAVOR": 1, "NONE": 2}[row["Stance"].strip()]
            text = row["Tweet"].replace("#SemST", "").strip()
            rows.append(rec("semeval", text, row["Target"], stance=st))
    return rows


def semeval_split(rows):
    """No official dev split: every 10th row (by a stable hash of the text) is dev."""
    tr, dv = [], []
    for r in rows:
        h = int(hashlib.sha256(r["b"].encode()).hexdigest(), 16)
        (dv if h % 10 == 0 else tr).append(r)
    return tr, dv


class Model(nn.Module):
    def __init__(self, base_dir):
        super().__init__()
        self.bert = BertModel.from_pretrained(base_dir, add_pooling_layer=False)
        h = self.bert.config.hidden_size
        self.drop = nn.Dropout(0.1)
        self.stance_head = nn.Linear(h, len(STANCE))
        self.sentiment_head = nn.Linear(h, len(SENTIMENT))

    def forward(self, input_ids, token_type_ids, attention_mask):
        hs = self.bert(input_ids=input_ids, token_type_ids=token_type_ids,
                       attention_mask=attention_mask).last_hidden_state
        m = attention_mask.unsqueeze(-1).to(hs.dtype)
        pooled = (hs * m).sum(1) / m.sum(1).clamp(min=1e-9)
        pooled = self.drop(pooled)
        return self.stance_head(pooled), self.sentiment_head(pooled)


def batches(tok, recs, bs, max_len, shuffle, rng):
    idx = list(range(len(recs)))
    if shuffle:
        rng.shuffle(idx)
        # bucket by length inside chunks so padding stays small but order stays random
        chunk = bs * 50
        idx = [i for c in range(0, len(idx), chunk)
               for i in sorted(idx[c:c + chunk], key=lambda i: len(recs[i]["b"]))]
        groups = [idx[i:i + bs] for i in range(0, len(idx), bs)]
        rng.shuffle(groups)
    else:
        groups = [idx[i:i + bs] for i in range(0, len(idx), bs)]
    for g in groups:
        rs = [recs[i] for i in g]
        enc = tok([r["a"] for r in rs], [r["b"] for r in rs], padding=True,
                  truncation="only_second", max_length=max_len, return_tensors="pt")
        yield rs, enc, torch.tensor([r["stance"] for r in rs]), torch.tensor([r["sentiment"] for r in rs])


def evaluate(model, tok, recs, max_len):
    model.eval()
    preds = []
    with torch.no_grad():
        for rs, enc, _, _ in batches(tok, recs, 64, max_len, False, None):
            s, t = model(enc["input_ids"], enc["token_type_ids"], enc["attention_mask"])
            preds += list(zip(s.argmax(-1).tolist(), t.argmax(-1).tolist()))
    model.train()
    return preds


def macro_f1(gold, pred, classes):
    f1s = []
    for c in classes:
        tp = sum(1 for g, p in zip(gold, pred) if g == c and p == c)
        fp = sum(1 for g, p in zip(gold, pred) if g != c and p == c)
        fn = sum(1 for g, p in zip(gold, pred) if g == c and p != c)
        pr = tp / (tp + fp) if tp + fp else 0.0
        rc = tp / (tp + fn) if tp + fn else 0.0
        f1s.append(2 * pr * rc / (pr + rc) if pr + rc else 0.0)
    return 100 * sum(f1s) / len(f1s)


def report(model, tok, devs, max_len):
    out = {}
    for name, recs in devs.items():
        preds = evaluate(model, tok, recs, max_len)
        if recs[0]["sentiment"] >= 0 and recs[0]["stance"] < 0:
            g = [r["sentiment"] for r in recs]; p = [x[1] for x in preds]
            out[name] = macro_f1(g, p, [0, 1, 2])
        elif name == "pstance":
            g = [r["stance"] for r in recs]; p = [x[0] for x in preds]
            out[name] = macro_f1(g, p, [0, 1])
        else:
            g = [r["stance"] for r in recs]; p = [x[0] for x in preds]
            out[name] = macro_f1(g, p, [0, 1, 2])
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--base", required=True, help="directory with the all-MiniLM-L6-v2 files")
    ap.add_argument("--data", default="../shared/data")
    ap.add_argument("--out", default="models/stancer-minilm-l6")
    ap.add_argument("--work", required=True, help="checkpoints and logs, outside the repository")
    ap.add_argument("--epochs", type=float, default=2.0)
    ap.add_argument("--lr", type=float, default=8e-5)
    ap.add_argument("--bs", type=int, default=32)
    ap.add_argument("--max-len", type=int, default=128)
    ap.add_argument("--cap-pstance", type=int, default=9000)
    ap.add_argument("--cap-directed", type=int, default=9000)
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--eval-every", type=int, default=400)
    args = ap.parse_args()

    torch.manual_seed(args.seed); random.seed(args.seed); np.random.seed(args.seed)
    torch.set_num_threads(args.threads)
    rng = random.Random(args.seed)
    os.makedirs(args.work, exist_ok=True)

    sha = hashlib.sha256(open(os.path.join(args.base, "model.safetensors"), "rb").read()).hexdigest()
    if sha != BASE_SHA256:
        sys.exit(f"base weights sha256 {sha} != expected {BASE_SHA256}")

    D = args.data
    news_tr = load_newsmtsc(f"{D}/newsmtsc/flat/train.jsonl", "newsmtsc")
    dir_tr = load_directed(f"{D}/directed_sentiment_news/train.txt", "directed")
    ps_tr = load_pstance([f"{D}/pstance/raw_train_{t}.csv" for t in ("trump", "biden", "bernie")], "pstance")
    se_tr, se_dv = semeval_split(load_semeval(f"{D}/semeval2016_task6/semeval2016-task6-trainingdata.txt"))
    rng.shuffle(ps_tr); rng.shuffle(dir_tr)
    # Directed news is 65% neutral: cap by dropping neutral rows first, keeping every polar one.
    dir_polar = [r for r in dir_tr if r["stance"] != 2]
    dir_neu = [r for r in dir_tr if r["stance"] == 2]
    dir_tr = dir_polar + dir_neu[:max(0, args.cap_directed - len(dir_polar))]
    ps_tr = ps_tr[:args.cap_pstance]
    train = news_tr + dir_tr + ps_tr + se_tr
    print(f"train: newsmtsc {len(news_tr)} directed {len(dir_tr)} pstance {len(ps_tr)} semeval {len(se_tr)} = {len(train)}", flush=True)

    devs = {
        "newsmtsc_rw": load_newsmtsc(f"{D}/newsmtsc/flat/dev_rw.jsonl", "newsmtsc"),
        "newsmtsc_mt": load_newsmtsc(f"{D}/newsmtsc/flat/dev_mt.jsonl", "newsmtsc"),
        "pstance": load_pstance([f"{D}/pstance/raw_val_{t}.csv" for t in ("trump", "biden", "bernie")], "pstance"),
        "directed": load_directed(f"{D}/directed_sentiment_news/valid.txt", "directed"),
        "semeval": se_dv,
    }
    # A fixed sample of each dev set for quick checks during training; full sets at the end.
    quick = {k: v[:: max(1, len(v) // 300)] for k, v in devs.items()}

    tok = BertTokenizerFast.from_pretrained(args.base)
    model = Model(args.base)
    model.train()
    steps_per_epoch = math.ceil(len(train) / args.bs)
    total = int(steps_per_epoch * args.epochs)
    opt = torch.optim.AdamW(model.parameters(), lr=args.lr, weight_decay=0.01)
    warm = int(0.06 * total)
    sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda s: min((s + 1) / max(1, warm), max(0.0, (total - s) / max(1, total - warm))))
    ce = nn.CrossEntropyLoss(ignore_index=-1)

    step, t0, best, best_path = 0, time.time(), -1.0, os.path.join(args.work, "best.pt")
    log = open(os.path.join(args.work, "train.log"), "a")
    done = False
    epoch = 0
    while not done:
        for rs, enc, st, se in batches(tok, train, args.bs, args.max_len, True, rng):
            s_logits, t_logits = model(enc["input_ids"], enc["token_type_ids"], enc["attention_mask"])
            loss = torch.zeros(())
            if (st >= 0).any():
                loss = loss + ce(s_logits, st)
            if (se >= 0).any():
                loss = loss + ce(t_logits, se)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step(); sched.step(); opt.zero_grad()
            step += 1
            if step % 50 == 0:
                msg = f"step {step}/{total} epoch {epoch} loss {loss.item():.4f} {time.time() - t0:.0f}s"
                print(msg, flush=True); log.write(msg + "\n"); log.flush()
            if step % args.eval_every == 0 or step == total:
                r = report(model, tok, quick, args.max_len)
                score = r["newsmtsc_rw"] + r["pstance"] + 0.5 * r["directed"]
                msg = f"eval step {step}: " + " ".join(f"{k} {v:.1f}" for k, v in r.items()) + f" score {score:.1f}"
                print(msg, flush=True); log.write(msg + "\n"); log.flush()
                torch.save(model.state_dict(), os.path.join(args.work, "last.pt"))
                if score > best:
                    best = score
                    torch.save(model.state_dict(), best_path)
            if step >= total:
                done = True
                break
        epoch += 1
    train_seconds = time.time() - t0

    model.load_state_dict(torch.load(best_path))
    export(model, tok, args, devs, train_seconds, dict(
        newsmtsc=len(news_tr), directed=len(dir_tr), pstance=len(ps_tr), semeval=len(se_tr)), total)


def export(model, tok, args, devs, train_seconds, counts, steps):
    os.makedirs(args.out, exist_ok=True)
    model.eval()
    # Stored as f16 to stay under 50 MB; the reference logits below are computed
    # from the f16-rounded weights so the Rust parity test compares like with like.
    sd = {k: v.detach().to(torch.float16).contiguous() for k, v in model.state_dict().items()}
    save_file(sd, os.path.join(args.out, "model.safetensors"), metadata={"format": "pt"})
    model.load_state_dict({k: v.float() for k, v in sd.items()})

    cfg = json.load(open(os.path.join(args.base, "config.json")))
    cfg["architectures"] = ["StancerForPairClassification"]
    cfg["stancer"] = {
        "name": "stancer-minilm-l6",
        "format_version": 1,
        "pooling": "mean",
        "heads": {"stance": {"weight": "stance_head", "labels": STANCE},
                  "sentiment": {"weight": "sentiment_head", "labels": SENTIMENT}},
        "input": {"segment_a": "{target}", "segment_a_with_holder": "{target} ; by {holder}",
                  "mark_open": "[", "mark_close": "]"},
        "max_length": args.max_len,
    }
    # The weights' hash and size, so the engine need not hash 45 MB at every start.
    wpath = os.path.join(args.out, "model.safetensors")
    cfg["stancer"]["weights"] = {"sha256": hashlib.sha256(open(wpath, "rb").read()).hexdigest(), "bytes": os.path.getsize(wpath)}
    json.dump(cfg, open(os.path.join(args.out, "config.json"), "w"), indent=2)

    tj = json.load(open(os.path.join(args.base, "tokenizer.json")))
    tj["padding"] = None
    tj["truncation"] = None
    json.dump(tj, open(os.path.join(args.out, "tokenizer.json"), "w"), ensure_ascii=False)

    full = report(model, tok, devs, args.max_len)
    print("final dev (python):", full, flush=True)

    # 20 dev pairs with reference logits for the candle parity test (eval mode: no dropout).
    model.eval()
    samples = []
    for name in ("newsmtsc_rw", "pstance", "directed", "semeval"):
        samples += devs[name][:5]
    with torch.no_grad():
        enc = tok([r["a"] for r in samples], [r["b"] for r in samples], padding=True,
                  truncation="only_second", max_length=args.max_len, return_tensors="pt")
        s, t = model(enc["input_ids"], enc["token_type_ids"], enc["attention_mask"])
    fixture = [dict(segment_a=r["a"], segment_b=r["b"], input_ids=enc["input_ids"][i][enc["attention_mask"][i].bool()].tolist(),
                    stance_logits=s[i].tolist(), sentiment_logits=t[i].tolist()) for i, r in enumerate(samples)]
    json.dump(fixture, open(os.path.join(args.work, "parity.json"), "w"), indent=1)

    meta = dict(dev_python=full, train_seconds=train_seconds, counts=counts, steps=steps,
                args={k: v for k, v in vars(args).items()}, torch=torch.__version__)
    json.dump(meta, open(os.path.join(args.work, "train_meta.json"), "w"), indent=2)
    print(json.dumps(meta, indent=2))
    write_card(args, meta)


def write_card(args, meta):
    dev = meta["dev_python"]
    c = meta["counts"]
    card = f"""# stancer-minilm-l6

Target-conditioned stance and sentiment cross-encoder: all-MiniLM-L6-v2 (BERT, 6 layers, hidden 384,
22 M parameters) with two linear heads over the attention-masked mean of the last hidden states.

## Input
segment A = the party (`{{target}}`, or `{{target}} ; by {{holder}}` when the stance holder is known);
segment B = the text, every mention of the party wrapped in `[` `]`. At most {args.max_len} tokens.

## Heads and label mapping
| head | labels | trained from |
|---|---|---|
| stance | against, favor, neutral | P-Stance (FAVOR→favor, AGAINST→against), SemEval-2016 Task 6 (NONE→neutral), directed sentiment news (p positive toward q→favor, negative→against, neutral→neutral; holder = p, target = q, reversed for labels 2 and 4) |
| sentiment | negative, neutral, positive | NewsMTSC (2.0/-1→negative, 4.0/0→neutral, 6.0/1→positive), directed sentiment news (as above: favor→positive, against→negative) |

A head is not trained on examples that have no label for it (masked loss).

## Data (train splits only; each dataset's dev split held out)
- NewsMTSC train (flat): {c['newsmtsc']} targets. MIT-style licence (repo), cite Hamborg & Donnay 2021.
- directed_sentiment_news train: {c['directed']} (all polar rows, neutral rows capped). No licence file; use permitted with citation (Park et al. 2021).
- P-Stance train: {c['pstance']} (random sample of 17,224, seed {args.seed}). MIT licence file in the repos (code); cite Li et al. 2021.
- SemEval-2016 Task 6 train: {c['semeval']} (every tweet whose sha256 mod 10 != 0; the rest is the dev carve-out). Research use.
- Not used: BASIL, PerSenT dev, VAST dev (kept for independent checks).

## Training
AdamW, lr {args.lr}, weight decay 0.01, linear warm-up 6 % then linear decay, batch {args.bs}, {args.epochs} epochs
({meta['steps']} steps), dropout 0.1, gradient clipping 1.0, length-bucketed batches, seed {args.seed},
{args.threads} CPU threads, torch {meta['torch']}. The checkpoint with the best quick-dev score
(NewsMTSC rw + P-Stance + 0.5 directed, on fixed dev samples) is exported. Training time on this
2-core machine: {meta['train_seconds'] / 60:.0f} minutes. Weights are stored as float16 (the engine computes in float32).

## Dev metrics from the training script (PyTorch, full dev sets)
| dataset | metric | score |
|---|---|---|
| NewsMTSC dev_rw | macro-F1 | {dev['newsmtsc_rw']:.1f} |
| NewsMTSC dev_mt | macro-F1 | {dev['newsmtsc_mt']:.1f} |
| P-Stance val | F1avg(favor, against) | {dev['pstance']:.1f} |
| directed sentiment valid | macro-F1 (stance) | {dev['directed']:.1f} |
| SemEval-2016 dev carve-out | macro-F1 (3 classes) | {dev['semeval']:.1f} |

The figures produced by the Rust binary (`scripts/eval-stance`) are in the section below and in the README.

## Intended use and limits
Scoring the stance of attributed statements in English news toward named parties. Trained on
US news sentences and US political tweets: expect weaker results on other domains, languages and on
irony. Stance toward parties never seen in training (most of them) relies on the marked mention
and general sentiment cues. Not for decisions about individuals.
"""
    open(os.path.join(args.out, "MODEL_CARD.md"), "w").write(card)


if __name__ == "__main__":
    main()
