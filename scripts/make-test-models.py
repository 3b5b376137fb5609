"""Build tiny random-weight classifiers for every supported architecture, with reference logits.

Run through `scripts/make-test-models` (which prepares the virtual environment). Writes
tests/fixtures/models/<arch>/{config.json, tokenizer.json, model.safetensors, reference.json}.
Weights are random with a fixed seed; the tokenizer is all-MiniLM-L6-v2's WordPiece cut to its
first 3000 entries (special tokens and single characters survive, so any text tokenizes).
reference.json holds (segment A, segment B) inputs, their token ids, and the reference
framework's logits run one input at a time (no padding), which the Rust tests match to 1e-4.
"""
import argparse, json, os

import torch
from safetensors.torch import save_file
import transformers
from transformers import (BertConfig, BertForSequenceClassification, DistilBertConfig, DistilBertForSequenceClassification,
                          RobertaConfig, RobertaForSequenceClassification, XLMRobertaConfig, XLMRobertaForSequenceClassification,
                          DebertaV2Config, DebertaV2ForSequenceClassification, PreTrainedTokenizerFast)

VOCAB = 3000
LABELS = {0: "entailment", 1: "neutral", 2: "contradiction"}
INPUTS = [
    ("The speaker supports Russia.", "Lavrov said Moscow is ready to negotiate with any country genuinely willing to promote peace."),
    ("The speaker opposes the United States.", "He emphasized that the previous U.S. administration caused the severe deterioration of relations."),
    ("Ukraine", "“We must take many small steps to rebuild trust,” he added."),
    ("European Union", "Putin responded by stating that the EU is not involved in these talks."),
    ("Trump", "Trump approaches the issue in a rational manner."),
]


def small_tokenizer(base_dir, out_dir):
    tj = json.load(open(os.path.join(base_dir, "tokenizer.json")))
    vocab = tj["model"]["vocab"]
    tj["model"]["vocab"] = {k: v for k, v in vocab.items() if v < VOCAB}
    tj["added_tokens"] = [t for t in tj["added_tokens"] if t["id"] < VOCAB]
    tj["padding"] = None
    tj["truncation"] = None
    json.dump(tj, open(os.path.join(out_dir, "tokenizer.json"), "w"), ensure_ascii=False)
    return PreTrainedTokenizerFast(tokenizer_file=os.path.join(out_dir, "tokenizer.json"), unk_token="[UNK]", pad_token="[PAD]",
                                   cls_token="[CLS]", sep_token="[SEP]", mask_token="[MASK]")


def models():
    common = dict(vocab_size=VOCAB, id2label=LABELS, label2id={v: k for k, v in LABELS.items()})
    yield "bert", BertForSequenceClassification(BertConfig(hidden_size=32, num_hidden_layers=2, num_attention_heads=2, intermediate_size=64,
                                                            max_position_embeddings=128, **common))
    yield "distilbert", DistilBertForSequenceClassification(DistilBertConfig(dim=32, n_layers=2, n_heads=2, hidden_dim=64,
                                                                              max_position_embeddings=128, **common))
    yield "roberta", RobertaForSequenceClassification(RobertaConfig(hidden_size=32, num_hidden_layers=2, num_attention_heads=2, intermediate_size=64,
                                                                     max_position_embeddings=130, pad_token_id=0, bos_token_id=101, eos_token_id=102,
                                                                     type_vocab_size=1, **common))
    yield "xlm-roberta", XLMRobertaForSequenceClassification(XLMRobertaConfig(hidden_size=32, num_hidden_layers=2, num_attention_heads=2,
                                                                               intermediate_size=64, max_position_embeddings=130, pad_token_id=0,
                                                                               bos_token_id=101, eos_token_id=102, type_vocab_size=1, **common))
    yield "deberta-v2", DebertaV2ForSequenceClassification(DebertaV2Config(hidden_size=32, num_hidden_layers=2, num_attention_heads=2,
                                                                            intermediate_size=64, max_position_embeddings=128, relative_attention=True,
                                                                            pos_att_type=["p2c", "c2p"], max_relative_positions=-1, position_buckets=64,
                                                                            norm_rel_ebd="layer_norm", share_att_key=True, position_biased_input=False,
                                                                            type_vocab_size=0, pooler_hidden_size=32, pooler_dropout=0,
                                                                            pooler_hidden_act="gelu", **common))
    try:
        from transformers import ModernBertConfig, ModernBertForSequenceClassification
        yield "modernbert", ModernBertForSequenceClassification(ModernBertConfig(hidden_size=32, num_hidden_layers=3, num_attention_heads=2,
                                                                                  intermediate_size=64, max_position_embeddings=128,
                                                                                  global_attn_every_n_layers=3, local_attention=16,
                                                                                  pad_token_id=0, bos_token_id=101, eos_token_id=102,
                                                                                  cls_token_id=101, sep_token_id=102,
                                                                                  classifier_pooling="cls", **common))
    except ImportError:
        print(f"transformers {transformers.__version__} has no ModernBERT: skipped")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--base", required=True)
    ap.add_argument("--out", default="tests/fixtures/models")
    args = ap.parse_args()
    for name, model in models():
        torch.manual_seed(7)
        # re-initialise deterministically per model
        model.apply(model._init_weights)
        for p in model.parameters():
            with torch.no_grad():
                p.add_(torch.randn_like(p) * 0.02)
        model.eval()
        out = os.path.join(args.out, name)
        os.makedirs(out, exist_ok=True)
        tok = small_tokenizer(args.base, out)
        model.config.save_pretrained(out)
        sd = {k: v.contiguous() for k, v in model.state_dict().items()}
        # tied or shared tensors would be stored twice by safetensors: drop duplicates by pointer
        seen, uniq = set(), {}
        for k, v in sd.items():
            if v.data_ptr() in seen:
                continue
            seen.add(v.data_ptr())
            uniq[k] = v
        save_file(uniq, os.path.join(out, "model.safetensors"), metadata={"format": "pt"})
        refs = []
        with torch.no_grad():
            for a, b in INPUTS:
                enc = tok(a, b, return_tensors="pt", return_token_type_ids=True)
                kw = dict(input_ids=enc["input_ids"], attention_mask=enc["attention_mask"])
                if name in ("bert",):
                    kw["token_type_ids"] = enc["token_type_ids"]
                logits = model(**kw).logits[0]
                refs.append(dict(segment_a=a, segment_b=b, input_ids=enc["input_ids"][0].tolist(), logits=logits.tolist()))
        json.dump(dict(architecture=name, transformers=transformers.__version__, torch=torch.__version__, inputs=refs),
                  open(os.path.join(out, "reference.json"), "w"), indent=1)
        size = sum(os.path.getsize(os.path.join(out, f)) for f in os.listdir(out))
        print(f"{name}: {size / 1024:.0f} KB")


if __name__ == "__main__":
    main()
