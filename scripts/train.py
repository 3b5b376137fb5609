"""Train stancer's default model: all-MiniLM-L6-v2 + two heads (stance, sentiment) that read
who speaks, about whom, in the sentence that says it.

Run through `scripts/train`, which prepares the virtual environment and the base weights.
Deterministic for a given seed, device and thread count. Checkpoints go to --work every
--eval-every steps; `--resume` continues from the last one with the same batch order.

Input (format_version 2; the Rust engine builds the same pairs, src/engine/input.rs):
  segment A = "{target}", or "{target} ; by {holder}" when the stance holder is known
  segment B = the statement's sentence(s) with the party's mentions wrapped in [ ] and the
              holder's in < >
Pooling: the attention-masked mean of the last hidden states (how MiniLM was pretrained).
Calibration: a temperature and per-label offsets per head (scores = softmax(logits / T + b)),
fitted after training on a tenth of the training stories held out for it
(stance_data.calibration_split), never on a dev split.
"""
import argparse, hashlib, json, math, os, random, sys, time

import numpy as np
import torch
import torch.nn as nn
from safetensors.torch import save_file
from tokenizers import Tokenizer
from transformers import BertConfig, BertModel

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import stance_data as S  # noqa: E402

BASE_SHA256 = "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"
# Non-commercial or unlicensed sets, left out by --commercial: SEESAW is CC BY-NC-SA 4.0,
# SemEval-2016 was released for research use, BASIL carries no licence.
NONCOMMERCIAL = {"seesaw", "seesaw_neutral", "seesaw_pipeline", "semeval", "basil"}


class Model(nn.Module):
    def __init__(self, base_dir):
        super().__init__()
        cfg = BertConfig.from_json_file(os.path.join(base_dir, "config.json"))
        self.bert = BertModel(cfg, add_pooling_layer=False)
        from safetensors.torch import load_file
        sd = load_file(os.path.join(base_dir, "model.safetensors"))
        sd = {k[len("bert."):] if k.startswith("bert.") else k: v.float() for k, v in sd.items() if "position_ids" not in k}
        missing, _ = self.bert.load_state_dict(sd, strict=False)
        missing = [m for m in missing if "position_ids" not in m]
        if missing:
            sys.exit(f"base weights lack {missing[:5]}")
        h = cfg.hidden_size
        self.drop = nn.Dropout(0.1)
        self.stance_head = nn.Linear(h, len(S.STANCE))
        self.sentiment_head = nn.Linear(h, len(S.SENTIMENT))

    def forward(self, input_ids, token_type_ids, attention_mask):
        hs = self.bert(input_ids=input_ids, token_type_ids=token_type_ids,
                       attention_mask=attention_mask).last_hidden_state
        m = attention_mask.unsqueeze(-1).to(hs.dtype)
        pooled = self.drop((hs * m).sum(1) / m.sum(1).clamp(min=1e-9))
        return self.stance_head(pooled), self.sentiment_head(pooled)


class Encoder:
    """The same tokenizer file the engine loads (tokenizers, not transformers, so both sides agree)."""

    def __init__(self, path, max_len):
        self.tok = Tokenizer.from_file(path)
        self.tok.no_padding()
        self.tok.enable_truncation(max_len, strategy="only_second")

    def __call__(self, recs, device):
        encs = self.tok.encode_batch([S.model_input(r) for r in recs])
        n = max(len(e.ids) for e in encs)
        ids = torch.zeros(len(encs), n, dtype=torch.long)
        types = torch.zeros_like(ids)
        mask = torch.zeros_like(ids)
        for i, e in enumerate(encs):
            ids[i, :len(e.ids)] = torch.tensor(e.ids)
            types[i, :len(e.ids)] = torch.tensor(e.type_ids)
            mask[i, :len(e.ids)] = 1
        return ids.to(device), types.to(device), mask.to(device)


def epoch_batches(recs, bs, seed, epoch):
    """Batches of one epoch: a fixed function of (seed, epoch), so a resumed run sees the same order.
    Bucketed by length inside chunks, so padding stays small while the order stays random."""
    rng = random.Random(seed * 1000 + epoch)
    idx = list(range(len(recs)))
    rng.shuffle(idx)
    chunk = bs * 50
    idx = [i for c in range(0, len(idx), chunk) for i in sorted(idx[c:c + chunk], key=lambda i: len(recs[i]["text"]))]
    groups = [idx[i:i + bs] for i in range(0, len(idx), bs)]
    rng.shuffle(groups)
    return groups


def logits(model, enc, recs, device, bs=128):
    model.eval()
    st, se = [], []
    order = sorted(range(len(recs)), key=lambda i: len(recs[i]["text"]))
    with torch.no_grad():
        for c in range(0, len(order), bs):
            chunk = [recs[i] for i in order[c:c + bs]]
            s, t = model(*enc(chunk, device))
            st.append(s.float().cpu()); se.append(t.float().cpu())
    model.train()
    st, se = torch.cat(st), torch.cat(se)
    inv = torch.empty(len(order), dtype=torch.long)
    inv[torch.tensor(order)] = torch.arange(len(order))
    return st[inv], se[inv]


def fit_calibration(lg, gold, offsets=True):
    """A temperature and, with `offsets`, per-label offsets (vector scaling restricted to biases,
    Guo et al. 2017) minimising the negative log-likelihood on held-out logits: scores become
    softmax(z / T + b)."""
    keep = gold >= 0
    lg, gold = lg[keep].double(), gold[keep]
    if len(gold) == 0:
        return dict(temperature=1.0, bias=[0.0] * lg.shape[1])
    log_t = torch.zeros(1, dtype=torch.float64, requires_grad=True)
    b = torch.zeros(lg.shape[1], dtype=torch.float64, requires_grad=offsets)
    opt = torch.optim.LBFGS([log_t, b] if offsets else [log_t], lr=0.5, max_iter=500, line_search_fn="strong_wolfe")

    def closure():
        opt.zero_grad()
        loss = nn.functional.cross_entropy(lg / log_t.exp() + b, gold)
        loss.backward()
        return loss
    opt.step(closure)
    bias = (b - b.mean()).detach()
    return dict(temperature=round(log_t.exp().item(), 4), bias=[round(x, 4) for x in bias.tolist()])


def calibrated(lg, cal):
    return torch.softmax(lg / cal["temperature"] + torch.tensor(cal["bias"], dtype=lg.dtype), -1)


def evaluate(model, enc, dev, device, temps):
    out = {}
    for name, head, metric, recs in dev:
        st, se = logits(model, enc, recs, device)
        lg, cal = (st, temps["stance"]) if head == "stance" else (se, temps["sentiment"])
        probs = calibrated(lg, cal).tolist()
        gold = [r[head] for r in recs]
        out[name] = S.score(metric, head, gold, probs)
    return out


def show(res):
    lines = []
    for name, r in res.items():
        extra = f" neutral {r['neutral_share']:.1f}%" if "neutral_share" in r else ""
        lines.append(f"  {name:28} {r['metric']:>22} {r['score']:6.1f} acc {r['accuracy']:5.1f} ECE {r['ece']:5.1f}{extra}")
    return "\n".join(lines)


def probe(model, enc, device, temps, path):
    recs = [dict(json.loads(l), key="") for l in open(path, encoding="utf-8") if l.strip()]
    for r in recs:
        r.setdefault("holder_spans", []); r.setdefault("target_spans", [])
    st, _ = logits(model, enc, recs, device)
    for r, p in zip(recs, calibrated(st, temps["stance"]).tolist()):
        best = max(range(3), key=lambda i: p[i])
        print(f"  probe {r.get('holder')} -> {r['target']}: {S.STANCE[best]} {p[best]:.2f} | {r['text'][:70]}", flush=True)


def param_groups(model, lr, decay):
    """Layer-wise learning rates (Clark et al. 2020): the heads at `lr`, encoder layer l of L at
    lr * decay^(L - l), the embeddings at lr * decay^(L + 1). decay 1 is one rate for all."""
    layers = len(model.bert.encoder.layer)

    def depth(name):
        if name.startswith("bert.embeddings."):
            return layers + 1
        if name.startswith("bert.encoder.layer."):
            return layers - int(name.split(".")[3])
        return 0

    groups = {}
    for name, p in model.named_parameters():
        groups.setdefault(depth(name), []).append(p)
    return [{"params": ps, "lr": lr * decay ** d} for d, ps in sorted(groups.items())]


def stance_weights(train, dev_t):
    """Class weights for the stance loss: favor and against weighted to the same total (their mean
    count), neutral left at 1. The training mix holds about 1.6 against rows per favor row."""
    n = [sum(1 for r in train if r["stance"] == i) for i in range(len(S.STANCE))]
    fav, ag = S.STANCE.index("favor"), S.STANCE.index("against")
    mean = (n[fav] + n[ag]) / 2
    w = [1.0] * len(S.STANCE)
    w[fav], w[ag] = mean / max(1, n[fav]), mean / max(1, n[ag])
    print(f"stance counts {dict(zip(S.STANCE, n))}; loss weights {dict(zip(S.STANCE, [round(x, 3) for x in w]))}", flush=True)
    return torch.tensor(w, device=dev_t)


def seesaw_rows(path, context, mixed_weight):
    """SEESAW train tuples; with `mixed_weight` k > 1, each tuple of a sentence in which its source
    is positive toward one party and negative toward another is repeated k times: the model
    called the favor half of such sentences favor 22 % of the time on valid, 51 % elsewhere."""
    lines = [json.loads(l) for l in open(path, encoding="utf-8")]
    labels = {}
    for d in lines:
        labels.setdefault((d["unique_id"].rsplit("/", 1)[0], d["source"]), set()).add(d["label"])
    out = []
    for d, r in zip(lines, S.seesaw(path, context)):
        if r["target"] in S.SEESAW_UNNAMED:
            continue
        mixed = len(labels[(d["unique_id"].rsplit("/", 1)[0], d["source"])]) > 1
        out += [r] * (mixed_weight if mixed else 1)
    return out


def load_training(args):
    D = args.data
    sets = {
        "seesaw": seesaw_rows(f"{D}/seesaw/derived/seesaw_train.jsonl", args.context, args.mixed_weight),
        "directed": S.directed(f"{D}/directed_sentiment_news/train.txt"),
        "basil": S.basil_split(S.basil(f"{D}/basil"))[0],
        "newsmtsc": S.newsmtsc(f"{D}/newsmtsc/flat/train.jsonl"),
    }
    if args.seesaw_neutral:
        sets["seesaw_neutral"] = S.seesaw_neutral(f"{D}/seesaw/SEESAW", "train", args.seesaw_neutral, args.seed)
    if args.seesaw_pipeline:
        sets["seesaw_pipeline"] = [json.loads(l) for l in open(args.seesaw_pipeline, encoding="utf-8")]
    if args.pstance:
        rows = S.pstance([f"{D}/pstance/raw_train_{t}.csv" for t in ("trump", "biden", "bernie")])
        random.Random(args.seed).shuffle(rows)
        sets["pstance"] = rows[:args.pstance]
    if args.semeval:
        sets["semeval"] = S.semeval_split(S.semeval(f"{D}/semeval2016_task6/semeval2016-task6-trainingdata.txt"))[0]
    # Directed news is 65% neutral: cap by dropping neutral rows first, keeping every polar one.
    d = sets["directed"]
    random.Random(args.seed).shuffle(d)
    polar = [r for r in d if r["stance"] != 2]
    sets["directed"] = polar + [r for r in d if r["stance"] == 2][:max(0, args.cap_directed - len(polar))]
    if args.commercial:
        sets = {k: v for k, v in sets.items() if k not in NONCOMMERCIAL}
    train, cal = [], []
    for k, v in sets.items():
        tr, ca = S.calibration_split(v)
        train += tr
        cal += ca
    counts = {k: len(S.calibration_split(v)[0]) for k, v in sets.items()}
    return train, cal, counts


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--base", required=True, help="directory with the all-MiniLM-L6-v2 files")
    ap.add_argument("--data", default="../shared/data")
    ap.add_argument("--out", default="models/stancer-minilm-l6")
    ap.add_argument("--work", required=True, help="checkpoints and logs, outside the repository")
    ap.add_argument("--epochs", type=float, default=3.0)
    ap.add_argument("--lr", type=float, default=8e-5)
    ap.add_argument("--bs", type=int, default=32)
    ap.add_argument("--max-len", type=int, default=128)
    ap.add_argument("--context", type=int, default=0, help="sentences before the statement's own")
    ap.add_argument("--cap-directed", type=int, default=13144, help="directed sentiment rows (polar first)")
    ap.add_argument("--seesaw-neutral", type=int, default=1, help="neutral pairs per annotated SEESAW sentence")
    ap.add_argument("--seesaw-pipeline", help="JSON lines of SEESAW train pairs as the pipeline builds them (scripts/seesaw-pipeline-pairs)")
    ap.add_argument("--pstance", type=int, default=3000, help="P-Stance train tweets to add (0 = none)")
    ap.add_argument("--semeval", action=argparse.BooleanOptionalAction, default=True, help="add SemEval-2016 train")
    ap.add_argument("--commercial", action="store_true",
                    help="leave out the non-commercial and unlicensed sets (SEESAW, SemEval, BASIL)")
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--threads", type=int, default=2, help="CPU threads (torch)")
    ap.add_argument("--device", default="cpu")
    ap.add_argument("--eval-every", type=int, default=500)
    ap.add_argument("--swa-from", type=float, default=0.6,
                    help="average the weights every 50 steps from this fraction of training on (0 = off)")
    ap.add_argument("--calibration", choices=["temperature", "offsets"], default="temperature",
                    help="fit a temperature per head, or a temperature and per-label offsets")
    ap.add_argument("--balance-stance", action="store_true",
                    help="weight the stance loss so favor and against rows count equally in total (issue 25: "
                         "the model called favor less readily than against)")
    ap.add_argument("--mixed-weight", type=int, default=1,
                    help="repeat the SEESAW tuples of sentences whose source is for one party and against another "
                         "this many times (issue 25)")
    ap.add_argument("--layer-decay", type=float, default=1.0,
                    help="learning rate factor per encoder layer from the top (1 = one rate for all)")
    ap.add_argument("--resume", action="store_true")
    ap.add_argument("--no-export", action="store_true", help="train and report only")
    ap.add_argument("--probe", help="JSON lines of pairs (stancer classify's input) to score and print after training")
    args = ap.parse_args()

    torch.manual_seed(args.seed); random.seed(args.seed); np.random.seed(args.seed)
    torch.set_num_threads(args.threads)
    os.makedirs(args.work, exist_ok=True)
    sha = hashlib.sha256(open(os.path.join(args.base, "model.safetensors"), "rb").read()).hexdigest()
    if sha != BASE_SHA256:
        print(f"note: base weights sha256 {sha} is not the published file's {BASE_SHA256}", flush=True)

    train, cal, counts = load_training(args)
    dev = S.dev_sets(args.data)
    print(f"train {len(train)} {counts}; calibration {len(cal)}", flush=True)

    dev_t = torch.device(args.device)
    enc = Encoder(os.path.join(args.base, "tokenizer.json"), args.max_len)
    model = Model(args.base).to(dev_t)
    model.train()
    per_epoch = math.ceil(len(train) / args.bs)
    total = int(per_epoch * args.epochs)
    opt = torch.optim.AdamW(param_groups(model, args.lr, args.layer_decay), lr=args.lr, weight_decay=0.01)
    warm = int(0.06 * total)
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: min((s + 1) / max(1, warm), max(0.0, (total - s) / max(1, total - warm))))
    ce = nn.CrossEntropyLoss(ignore_index=-1)
    ce_stance = nn.CrossEntropyLoss(weight=stance_weights(train, dev_t) if args.balance_stance else None, ignore_index=-1)
    ckpt = os.path.join(args.work, "last.pt")
    step, spent = 0, 0.0
    # Stochastic weight averaging (Izmailov et al. 2018): the mean of the weights along the last
    # part of the run, which varies less from seed to seed than the last weights do.
    swa, swa_n, swa_start = None, 0, int(args.swa_from * total) if args.swa_from > 0 else None
    if args.resume and os.path.exists(ckpt):
        c = torch.load(ckpt, map_location=dev_t)
        model.load_state_dict(c["model"]); opt.load_state_dict(c["opt"]); sched.load_state_dict(c["sched"])
        step, spent = c["step"], c["seconds"]
        swa, swa_n = c.get("swa"), c.get("swa_n", 0)
        torch.set_rng_state(c["rng"])
        print(f"resumed at step {step}", flush=True)
    log = open(os.path.join(args.work, "train.log"), "a")
    t0 = time.time() - spent
    while step < total:
        epoch, skip = divmod(step, per_epoch)
        for g in epoch_batches(train, args.bs, args.seed, epoch)[skip:]:
            rs = [train[i] for i in g]
            st = torch.tensor([r["stance"] for r in rs], device=dev_t)
            se = torch.tensor([r["sentiment"] for r in rs], device=dev_t)
            s_lg, t_lg = model(*enc(rs, dev_t))
            loss = torch.zeros((), device=dev_t)
            if (st >= 0).any():
                loss = loss + ce_stance(s_lg, st)
            if (se >= 0).any():
                loss = loss + ce(t_lg, se)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step(); sched.step(); opt.zero_grad()
            step += 1
            if swa_start is not None and step >= swa_start and (step % 50 == 0 or step == total):
                cur = {k: v.detach().float().clone() for k, v in model.state_dict().items()}
                swa = cur if swa is None else {k: swa[k] + (cur[k] - swa[k]) / (swa_n + 1) for k in swa}
                swa_n += 1
            if step % 100 == 0:
                msg = f"step {step}/{total} epoch {epoch} loss {loss.item():.4f} {time.time() - t0:.0f}s"
                print(msg, flush=True); log.write(msg + "\n"); log.flush()
            if step % args.eval_every == 0 or step == total:
                torch.save(dict(model=model.state_dict(), opt=opt.state_dict(), sched=sched.state_dict(),
                                step=step, seconds=time.time() - t0, rng=torch.get_rng_state(),
                                swa=swa, swa_n=swa_n), ckpt)
            if step >= total:
                break
    train_seconds = time.time() - t0
    print(f"trained {total} steps in {train_seconds:.0f}s", flush=True)
    if swa is not None:
        model.load_state_dict(swa)
        print(f"weights: the mean of {swa_n} snapshots from step {swa_start} on", flush=True)

    model.eval()
    st, se = logits(model, enc, cal, dev_t)
    off = args.calibration == "offsets"
    temps = {"stance": fit_calibration(st, torch.tensor([r["stance"] for r in cal]), off),
             "sentiment": fit_calibration(se, torch.tensor([r["sentiment"] for r in cal]), off)}
    res = evaluate(model, enc, dev, dev_t, temps)
    print(f"temperatures {temps}\ndev (python, calibrated):\n{show(res)}", flush=True)
    if args.probe:
        probe(model, enc, dev_t, temps, args.probe)
    meta = dict(dev_python=res, temperatures=temps, train_seconds=train_seconds, counts=counts,
                calibration=len(cal), steps=total, args=vars(args), torch=torch.__version__)
    json.dump(meta, open(os.path.join(args.work, "train_meta.json"), "w"), indent=2)
    if not args.no_export:
        export(model, args, meta, dev)


def export(model, args, meta, dev):
    os.makedirs(args.out, exist_ok=True)
    model = model.cpu().eval()
    # Stored as f16 to stay under 50 MB; the reference logits below come from the f16-rounded
    # weights on the CPU in float32, so the Rust parity test compares like with like.
    sd = {k: v.detach().to(torch.float16).contiguous() for k, v in model.state_dict().items()}
    wpath = os.path.join(args.out, "model.safetensors")
    save_file(sd, wpath, metadata={"format": "pt"})
    model.load_state_dict({k: v.float() for k, v in sd.items()})

    cfg = json.load(open(os.path.join(args.base, "config.json")))
    cfg["architectures"] = ["StancerForPairClassification"]
    cfg["stancer"] = {
        "name": "stancer-minilm-l6",
        "format_version": 2,
        "pooling": "mean",
        "heads": {"stance": dict(weight="stance_head", labels=S.STANCE, **meta["temperatures"]["stance"]),
                  "sentiment": dict(weight="sentiment_head", labels=S.SENTIMENT, **meta["temperatures"]["sentiment"])},
        "input": dict(S.INPUT),
        "max_length": args.max_len,
        "weights": {"sha256": hashlib.sha256(open(wpath, "rb").read()).hexdigest(), "bytes": os.path.getsize(wpath)},
    }
    json.dump(cfg, open(os.path.join(args.out, "config.json"), "w"), indent=2)
    tj = json.load(open(os.path.join(args.base, "tokenizer.json")))
    tj["padding"] = None
    tj["truncation"] = None
    json.dump(tj, open(os.path.join(args.out, "tokenizer.json"), "w"), ensure_ascii=False)

    # Reference logits for the candle parity test: dev pairs of every kind, with and without a
    # holder, marks of both kinds, and one longer than the window.
    enc = Encoder(os.path.join(args.out, "tokenizer.json"), args.max_len)
    samples = []
    for _, _, _, recs in dev[:4]:
        samples += recs[:5]
    with torch.no_grad():
        s, t = model(*enc(samples, "cpu"))
        ids = enc(samples, "cpu")
    fixture = [dict(pair=dict(text=r["text"], target=r["target"], holder=r["holder"],
                              target_spans=r["target_spans"], holder_spans=r["holder_spans"]),
                    input_ids=ids[0][i][ids[2][i].bool()].tolist(),
                    stance_logits=s[i].tolist(), sentiment_logits=t[i].tolist()) for i, r in enumerate(samples)]
    json.dump(fixture, open(os.path.join(args.work, "parity.json"), "w"), indent=1)
    json.dump(meta, open(os.path.join(args.work, "train_meta.json"), "w"), indent=2)


if __name__ == "__main__":
    main()
