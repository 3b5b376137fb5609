"""PyTorch baseline for scripts/bench: the shipped model, same pairs, same batching, same threads."""
import json, os, sys, time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench_pairs import measure, peak_rss_mb, read_inputs  # noqa: E402
import torch
from safetensors.torch import load_file
from transformers import BertModel, BertConfig, BertTokenizerFast

model_dir, pairs_path, threads = sys.argv[1], sys.argv[2], int(sys.argv[3])
torch.set_num_threads(threads)
t0 = time.time()
cfg = json.load(open(os.path.join(model_dir, "config.json")))
sd = {k: v.float() for k, v in load_file(os.path.join(model_dir, "model.safetensors")).items()}
bert = BertModel(BertConfig(**{k: v for k, v in cfg.items() if k != "stancer"}), add_pooling_layer=False)
bert.load_state_dict({k[5:]: v for k, v in sd.items() if k.startswith("bert.")})
bert.eval()
heads = {n: torch.nn.Linear(bert.config.hidden_size, len(h["labels"])) for n, h in cfg["stancer"]["heads"].items()}
for n, h in cfg["stancer"]["heads"].items():
    heads[n].weight.data, heads[n].bias.data = sd[h["weight"] + ".weight"], sd[h["weight"] + ".bias"]
tok = BertTokenizerFast(tokenizer_file=os.path.join(model_dir, "tokenizer.json"))
load_s = time.time() - t0

inputs = read_inputs(pairs_path)

def run(batch):
    with torch.inference_mode():
        enc = tok([a for a, _ in batch], [b for _, b in batch], padding=True, truncation="only_second", max_length=128, return_tensors="pt")
        hs = bert(**enc).last_hidden_state
        m = enc["attention_mask"].unsqueeze(-1).float()
        pooled = (hs * m).sum(1) / m.sum(1)
        return [h(pooled) for h in heads.values()]

b1, b32 = measure(run, inputs, tok)
print(json.dumps({"framework": f"PyTorch {torch.__version__}", "load_s": load_s, "pairs_per_s_b1": b1, "pairs_per_s_b32": b32,
                  "peak_rss_mb": peak_rss_mb(), "pairs": len(inputs)}))
