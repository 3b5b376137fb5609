"""Recompute the shipped model's reference logits (tests/fixtures/default_model_parity.json) in PyTorch.

Reads the exported model directory (float16 weights, computed in float32) and the fixture's
(segment A, segment B) inputs; rewrites token ids and logits. Run: scripts/venv.sh's python.
"""
import json, sys, os
import torch
from safetensors.torch import load_file
from transformers import BertModel, BertConfig, BertTokenizerFast

model_dir, fixture = sys.argv[1], sys.argv[2]
cfg = json.load(open(os.path.join(model_dir, "config.json")))
sd = {k: v.float() for k, v in load_file(os.path.join(model_dir, "model.safetensors")).items()}
bert = BertModel(BertConfig(**{k: v for k, v in cfg.items() if k != "stancer"}), add_pooling_layer=False)
bert.load_state_dict({k[len("bert."):]: v for k, v in sd.items() if k.startswith("bert.")})
bert.eval()
heads = {n: torch.nn.Linear(bert.config.hidden_size, len(h["labels"])) for n, h in cfg["stancer"]["heads"].items()}
for n, h in cfg["stancer"]["heads"].items():
    heads[n].weight.data = sd[h["weight"] + ".weight"]
    heads[n].bias.data = sd[h["weight"] + ".bias"]
tok = BertTokenizerFast(tokenizer_file=os.path.join(model_dir, "tokenizer.json"))
rows = json.load(open(fixture))
with torch.no_grad():
    for r in rows:
        enc = tok(r["segment_a"], r["segment_b"], return_tensors="pt")
        hs = bert(**enc).last_hidden_state
        m = enc["attention_mask"].unsqueeze(-1).float()
        pooled = (hs * m).sum(1) / m.sum(1)
        r["input_ids"] = enc["input_ids"][0].tolist()
        r["stance_logits"] = heads["stance"](pooled)[0].tolist()
        r["sentiment_logits"] = heads["sentiment"](pooled)[0].tolist()
json.dump(rows, open(fixture, "w"), indent=1)
print(f"{len(rows)} pairs rewritten in {fixture}")
