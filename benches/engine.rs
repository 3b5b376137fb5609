//! The scoring engine on the shipped model: load time, pairs/s at batch 1 and 32, peak memory.
//! Reads pairs as JSON lines {"text","target","target_span"} from $STANCER_BENCH_PAIRS (written
//! by scripts/bench, which runs PyTorch on the same pairs) and prints one JSON object.
//! $STANCER_BENCH_PRECISION=int8 (or auto) runs the int8 linear layers; unset, f32 (what
//! scripts/bench compares with PyTorch).

use std::time::Instant;

use stancer::engine::{default_model_dir, Engine, EngineConfig, ModelSource, Pair, Precision};

fn peak_rss_mb() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse::<f64>().ok())
        })
        .map(|kb| kb / 1024.0)
        .unwrap_or(f64::NAN)
}

fn main() {
    let Ok(path) = std::env::var("STANCER_BENCH_PAIRS") else {
        eprintln!(
            "engine bench: run scripts/bench (it prepares the pairs and the PyTorch baseline)"
        );
        return;
    };
    let pairs: Vec<Pair> = std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).unwrap();
            let span = v["target_span"].as_array().map(|a| {
                (
                    a[0].as_u64().unwrap() as usize,
                    a[1].as_u64().unwrap() as usize,
                )
            });
            Pair {
                text: v["text"].as_str().unwrap().into(),
                target: v["target"].as_str().unwrap().into(),
                holder: None,
                target_spans: span.into_iter().collect(),
                ..Pair::default()
            }
        })
        .collect();
    let t = Instant::now();
    let engine = Engine::load(
        &ModelSource::Local(default_model_dir()),
        &EngineConfig {
            batch_size: 32,
            precision: std::env::var("STANCER_BENCH_PRECISION")
                .ok()
                .and_then(|p| Precision::parse(&p))
                .unwrap_or(Precision::F32),
            ..EngineConfig::default()
        },
    )
    .unwrap();
    let load_s = t.elapsed().as_secs_f64();
    // warm-up
    engine.score(&pairs[..8]).unwrap();
    let n1 = pairs.len().min(100);
    let t = Instant::now();
    for p in &pairs[..n1] {
        engine.score(std::slice::from_ref(p)).unwrap();
    }
    let b1 = n1 as f64 / t.elapsed().as_secs_f64();
    let t = Instant::now();
    let reps = 2;
    for _ in 0..reps {
        engine.score(&pairs).unwrap();
    }
    let b32 = (reps * pairs.len()) as f64 / t.elapsed().as_secs_f64();
    println!(
        "{}",
        serde_json::json!({"framework": "candle (stancer)", "load_s": load_s, "pairs_per_s_b1": b1, "pairs_per_s_b32": b32, "peak_rss_mb": peak_rss_mb(), "pairs": pairs.len()})
    );
}
