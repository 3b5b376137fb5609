"""ONNX Runtime baseline for scripts/bench-int8: the shipped model exported to ONNX, run fp32 and
with dynamic int8 quantization (onnxruntime.quantization.quantize_dynamic, its defaults), on the
same pairs, batching, tokenizer and threads as bench_torch.py. Forward pass (with tokenization)
only, as a user of ONNX Runtime would time it. Usage: bench_onnx.py MODEL_DIR PAIRS THREADS fp32|int8 WORKDIR
"""
import json, os, sys, time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench_pairs import measure, peak_rss_mb, read_inputs  # noqa: E402

import numpy as np
import torch
from safetensors.torch import load_file
from transformers import BertConfig, BertModel, BertTokenizerFast

model_dir, pairs_path, threads, kind, work = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4], sys.argv[5]
os.makedirs(work, exist_ok=True)
fp32_path, int8_path = os.path.join(work, "model.onnx"), os.path.join(work, "model.int8.onnx")


class Stancer(torch.nn.Module):
    """The shipped model as PyTorch runs it (bench_torch.py): BERT, mean pooling, the heads."""

    def __init__(self):
        super().__init__()
        cfg = json.load(open(os.path.join(model_dir, "config.json")))
        sd = {k: v.float() for k, v in load_file(os.path.join(model_dir, "model.safetensors")).items()}
        self.bert = BertModel(BertConfig(**{k: v for k, v in cfg.items() if k != "stancer"}), add_pooling_layer=False)
        self.bert.load_state_dict({k[5:]: v for k, v in sd.items() if k.startswith("bert.")})
        self.heads = torch.nn.ModuleList()
        for h in cfg["stancer"]["heads"].values():
            lin = torch.nn.Linear(self.bert.config.hidden_size, len(h["labels"]))
            lin.weight.data, lin.bias.data = sd[h["weight"] + ".weight"], sd[h["weight"] + ".bias"]
            self.heads.append(lin)
        self.eval()

    def forward(self, input_ids, attention_mask, token_type_ids):
        hs = self.bert(input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids).last_hidden_state
        m = attention_mask.unsqueeze(-1).float()
        pooled = (hs * m).sum(1) / m.sum(1)
        return tuple(h(pooled) for h in self.heads)


tok = BertTokenizerFast(tokenizer_file=os.path.join(model_dir, "tokenizer.json"))
if not os.path.exists(fp32_path):
    m = Stancer()
    enc = tok(["a"], ["b c"], return_tensors="pt")
    axes = {"input_ids": {0: "b", 1: "n"}, "attention_mask": {0: "b", 1: "n"}, "token_type_ids": {0: "b", 1: "n"}}
    torch.onnx.export(m, (enc["input_ids"], enc["attention_mask"], enc["token_type_ids"]), fp32_path,
                      input_names=list(axes), output_names=["stance", "sentiment"], dynamic_axes=axes,
                      opset_version=17, dynamo=False)
# "int8-reduce-range": 7-bit weights, as ONNX Runtime advises for CPUs without VNNI (issue 26).
reduce_range = kind == "int8-reduce-range"
if reduce_range:
    int8_path = int8_path.replace(".onnx", "-rr.onnx")
if kind.startswith("int8") and not os.path.exists(int8_path):
    from onnxruntime.quantization import QuantType, quantize_dynamic
    quantize_dynamic(fp32_path, int8_path, weight_type=QuantType.QInt8, reduce_range=reduce_range)

import onnxruntime as ort  # noqa: E402

t0 = time.time()
so = ort.SessionOptions()
so.intra_op_num_threads, so.inter_op_num_threads = threads, 1
sess = ort.InferenceSession(int8_path if kind.startswith("int8") else fp32_path, so, providers=["CPUExecutionProvider"])
load_s = time.time() - t0

inputs = read_inputs(pairs_path)

def run(batch):
    enc = tok([a for a, _ in batch], [b for _, b in batch], padding=True, truncation="only_second", max_length=128, return_tensors="np")
    return sess.run(None, {k: enc[k].astype(np.int64) for k in ("input_ids", "attention_mask", "token_type_ids")})

b1, b32 = measure(run, inputs, tok)
print(json.dumps({"framework": f"ONNX Runtime {ort.__version__} {kind}", "load_s": load_s, "pairs_per_s_b1": b1, "pairs_per_s_b32": b32,
                  "peak_rss_mb": peak_rss_mb(), "pairs": len(inputs)}))
