//! candle against the reference framework (PyTorch + transformers): same weights, same inputs,
//! logits equal to 1e-4. Fixtures are made by scripts/make-test-models and scripts/train.

use std::path::{Path, PathBuf};

use stancer::engine::{Engine, EngineConfig, ModelSource, Pair, Precision};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

/// f32, the precision whose logits must match the reference (int8, the default where the CPU
/// runs it fast, is checked against f32 in `tests/int8.rs`).
fn load(dir: &Path) -> Engine {
    Engine::load(
        &ModelSource::Local(dir.to_path_buf()),
        &EngineConfig {
            precision: Precision::F32,
            ..EngineConfig::default()
        },
    )
    .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
}

/// A JSON array of token ids.
fn u32s(v: &serde_json::Value) -> Vec<u32> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_u64().unwrap() as u32)
        .collect()
}

/// A JSON array of logits.
fn f32s(v: &serde_json::Value) -> Vec<f32> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_f64().unwrap() as f32)
        .collect()
}

/// The (segment A, segment B) inputs of fixture rows.
fn segments(rows: &[serde_json::Value]) -> Vec<(String, String)> {
    rows.iter()
        .map(|r| {
            (
                r["segment_a"].as_str().unwrap().to_string(),
                r["segment_b"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn log_softmax(v: &[f32]) -> Vec<f32> {
    let m = v.iter().copied().fold(f32::NEG_INFINITY, f32::max);
    let s: f32 = v.iter().map(|x| (x - m).exp()).sum::<f32>().ln() + m;
    v.iter().map(|x| x - s).collect()
}

fn assert_close(arch: &str, what: &str, got: &[f32], want: &[f32], tol: f32) {
    assert_eq!(got.len(), want.len(), "{arch} {what}: length");
    for (g, w) in got.iter().zip(want) {
        assert!(
            (g - w).abs() <= tol,
            "{arch} {what}: candle {got:?} vs reference {want:?}"
        );
    }
}

fn check_architecture(arch: &str) {
    let dir = fixtures().join("models").join(arch);
    let reference: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("reference.json")).unwrap())
            .unwrap();
    let engine = load(&dir);
    let inputs = segments(reference["inputs"].as_array().unwrap());
    // All inputs in one padded batch: padding must not change any row.
    let logits = engine.logits(&inputs).unwrap();
    for (i, r) in reference["inputs"].as_array().unwrap().iter().enumerate() {
        let ids = u32s(&r["input_ids"]);
        assert_eq!(
            engine.token_ids(&inputs[i].0, &inputs[i].1).unwrap(),
            ids,
            "{arch}: token ids of input {i}"
        );
        let want = f32s(&r["logits"]);
        // ModernBERT's candle head returns probabilities (we take their log): compare log-softmax.
        assert_close(
            arch,
            &format!("input {i}"),
            &log_softmax(&logits[i][0]),
            &log_softmax(&want),
            1e-4,
        );
        if arch != "modernbert" {
            assert_close(
                arch,
                &format!("input {i} raw logits"),
                &logits[i][0],
                &want,
                1e-4,
            );
        }
    }
}

#[test]
fn bert_matches_reference() {
    check_architecture("bert");
}

#[test]
fn distilbert_matches_reference() {
    check_architecture("distilbert");
}

#[test]
fn roberta_matches_reference() {
    check_architecture("roberta");
}

#[test]
fn xlm_roberta_matches_reference() {
    check_architecture("xlm-roberta");
}

#[test]
fn deberta_v2_matches_reference() {
    check_architecture("deberta-v2");
}

#[test]
fn modernbert_matches_reference() {
    check_architecture("modernbert");
}

/// The shipped model against PyTorch on 20 dev pairs (SEESAW, directed sentiment, BASIL,
/// NewsMTSC): the engine builds each pair's input itself, so this also checks that the Rust
/// side marks the party and the holder exactly as scripts/stance_data.py did in training.
#[test]
fn shipped_model_matches_reference_on_20_dev_pairs() {
    let parity: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(fixtures().join("default_model_parity.json")).unwrap(),
    )
    .unwrap();
    let engine = load(&stancer::engine::default_model_dir());
    let rows = parity.as_array().unwrap();
    assert_eq!(rows.len(), 20);
    let pairs: Vec<Pair> = rows
        .iter()
        .map(|r| serde_json::from_value(r["pair"].clone()).unwrap())
        .collect();
    assert!(
        pairs
            .iter()
            .any(|p| p.holder.is_some() && !p.holder_spans.is_empty()),
        "the fixture covers marked holders"
    );
    let inputs: Vec<(String, String)> = pairs.iter().map(|p| engine.model_input(p)).collect();
    let logits = engine.logits(&inputs).unwrap();
    let heads: Vec<String> = engine.heads().iter().map(|h| h.name.clone()).collect();
    let stance = heads.iter().position(|h| h == "stance").unwrap();
    let sentiment = heads.iter().position(|h| h == "sentiment").unwrap();
    for (i, r) in rows.iter().enumerate() {
        assert_eq!(
            engine.token_ids(&inputs[i].0, &inputs[i].1).unwrap(),
            u32s(&r["input_ids"]),
            "token ids of pair {i}: {:?}",
            inputs[i]
        );
        let f = |k: &str| f32s(&r[k]);
        assert_close(
            "default",
            &format!("pair {i} stance"),
            &logits[i][stance],
            &f("stance_logits"),
            1e-4,
        );
        assert_close(
            "default",
            &format!("pair {i} sentiment"),
            &logits[i][sentiment],
            &f("sentiment_logits"),
            1e-4,
        );
    }
}

/// Scores are the softmax of the logits divided by each head's fitted temperature (plus its
/// per-label offsets, zero for the shipped model).
#[test]
fn shipped_scores_are_calibrated_logits() {
    let engine = load(&stancer::engine::default_model_dir());
    let pair = Pair {
        text: "Putin said Trump approaches the issue in a rational manner.".into(),
        target: "Donald Trump".into(),
        holder: Some("Vladimir Putin".into()),
        ..Default::default()
    };
    let logits = &engine.logits(&[engine.model_input(&pair)]).unwrap()[0];
    let scores = &engine.score(&[pair]).unwrap()[0];
    for (h, head) in engine.heads().iter().enumerate() {
        assert!(
            head.temperature > 1.0,
            "{}: fitted temperature {}",
            head.name,
            head.temperature
        );
        let z: Vec<f32> = logits[h]
            .iter()
            .enumerate()
            .map(|(k, l)| l / head.temperature + head.bias.get(k).copied().unwrap_or(0.0))
            .collect();
        let m = z.iter().copied().fold(f32::MIN, f32::max);
        let sum: f32 = z.iter().map(|v| (v - m).exp()).sum();
        let got = if head.name == "stance" {
            &scores.stance
        } else {
            &scores.sentiment
        };
        for (k, label) in head.labels.iter().enumerate() {
            let want = (z[k] - m).exp() / sum;
            assert!(
                (got.scores[label] - want).abs() < 1e-5,
                "{} {label}",
                head.name
            );
        }
    }
}

#[test]
fn scores_do_not_depend_on_batch_mates() {
    let engine = load(&stancer::engine::default_model_dir());
    let pairs: Vec<Pair> = [
        ("Lavrov said Russia is ready to negotiate with Ukraine.", "Ukraine"),
        ("The previous U.S. administration caused the severe deterioration of relations between the two countries, and therefore, much work remains to be done.", "United States"),
        ("We support it.", "European Union"),
    ]
    .iter()
    .map(|(t, p)| Pair { text: t.to_string(), target: p.to_string(), ..Default::default() })
    .collect();
    let together = engine.score(&pairs).unwrap();
    for (p, t) in pairs.iter().zip(&together) {
        let alone = &engine.score(std::slice::from_ref(p)).unwrap()[0];
        for (k, v) in &alone.stance.scores {
            assert!(
                (v - t.stance.scores[k]).abs() < 1e-5,
                "{k}: alone {v} vs batched {}",
                t.stance.scores[k]
            );
        }
        for (k, v) in &alone.sentiment.scores {
            assert!((v - t.sentiment.scores[k]).abs() < 1e-5);
        }
    }
}

#[test]
fn a_quote_longer_than_the_window_keeps_the_party_and_says_so() {
    let cfg = EngineConfig {
        max_length: Some(64),
        ..EngineConfig::default()
    };
    let engine = Engine::load(
        &ModelSource::Local(stancer::engine::default_model_dir()),
        &cfg,
    )
    .unwrap();
    let filler =
        "The delegations discussed logistics, schedules and the order of the agenda at length. "
            .repeat(20);
    let text = format!("{filler}Lavrov said Ukraine must accept the terms.{filler}");
    let start = text.find("Ukraine").unwrap();
    let start_c = text[..start].chars().count();
    let pair = Pair {
        text: text.clone(),
        target: "Ukraine".into(),
        holder: None,
        target_spans: vec![(start_c, start_c + 7)],
        holder_spans: vec![],
    };
    let s = &engine.score(&[pair]).unwrap()[0];
    assert!(s.truncated);
    // What the model read: a window of at most 64 tokens with the marked mention inside.
    let view = engine.model_view(&pair_again(&text, start_c)).unwrap();
    assert_eq!(view.len(), 1);
    let (seen, truncated) = &view[0];
    assert!(truncated);
    assert!(seen.contains("[ ukraine ] must accept the terms"), "{seen}");
    assert!(engine.token_ids("Ukraine", seen).unwrap().len() <= 64 + 2);
}

fn pair_again(text: &str, start_c: usize) -> Pair {
    Pair {
        text: text.to_string(),
        target: "Ukraine".into(),
        holder: None,
        target_spans: vec![(start_c, start_c + 7)],
        holder_spans: vec![],
    }
}
