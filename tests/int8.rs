//! int8 against f32 on the shipped model: what a user reading the scores would notice.
//!
//! Tolerance, stated: every probability moves by at most 0.1 — measured 0.079 on the 785
//! NewsMTSC dev pairs (`stancer classify --precision int8`, mean 0.0068, 777 of 785 stance
//! labels unchanged; README "Performance") and 0.027 on the example article — so a label can
//! change only where f32's top two labels are within 0.2 of each other.

use stancer::engine::{EngineConfig, Precision};
use stancer::{Article, Scorer, ScorerConfig};

fn scorer(precision: Precision) -> Scorer {
    Scorer::new(ScorerConfig {
        engine: EngineConfig {
            precision,
            ..EngineConfig::default()
        },
        ..ScorerConfig::default()
    })
    .unwrap()
}

#[test]
fn int8_scores_stay_within_the_stated_tolerance_of_f32() {
    let text = include_str!("../examples/articles/us-russia-relations.txt");
    let art = Article::from_text("seed", text);
    let f32_report = scorer(Precision::F32).score_article(&art).unwrap();
    let int8_report = scorer(Precision::Int8).score_article(&art).unwrap();
    assert_eq!(int8_report.model.precision, Precision::Int8);
    assert_eq!(f32_report.quotes.len(), int8_report.quotes.len());
    let mut worst = 0f32;
    let mut moved = false;
    for (a, b) in f32_report.quotes.iter().zip(&int8_report.quotes) {
        assert_eq!(a.text, b.text);
        assert_eq!(a.stances.len(), b.stances.len());
        for (x, y) in a.stances.iter().zip(&b.stances) {
            assert_eq!(x.party, y.party);
            let mut p: Vec<f32> = x.scores.values().copied().collect();
            p.sort_by(|u, v| v.total_cmp(u));
            if p[0] - p[1] > 0.2 {
                assert_eq!(x.label, y.label, "{} on {}", a.text, x.party);
            }
            for (k, p) in &x.scores {
                let d = (p - y.scores[k]).abs();
                worst = worst.max(d);
                moved |= d > 0.0;
            }
        }
    }
    eprintln!("largest probability change on the example article: {worst}");
    assert!(worst <= 0.1, "largest probability change {worst}");
    assert!(moved, "the int8 path really ran");
}

/// Which int8 kernel runs (AMX, AVX512-VNNI, AVX2 or the portable loop: the fastest the CPU has,
/// or the one `STANCER_INT8_KERNEL` asks for) never changes a report for the same weights: they
/// compute the same integers and round the same way, so the JSON is byte-identical. The weights
/// follow the kernel (7 bits for AVX2, 8 for the others: `Kernel::weight_levels`), so reports
/// are compared among kernels of one width, and the two widths give the same labels. A kernel
/// the CPU lacks falls back to the next, so on any machine this compares every kernel it can run.
/// The 256-bit kernels run the row-wise math (softmax, GELU, layer norm, row quantization) on
/// AVX2 too (`isa::Vectors`), so on an AVX-512 machine `avxvnni` against `vnni` also checks that
/// those AVX2 builds compute the same floats.
#[test]
fn every_int8_kernel_gives_the_same_report() {
    use stancer::engine::kernels::qgemm::Kernel;
    let run = |kernel: &str| {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_stancer"))
            .args(["score", "examples/articles/us-russia-relations.txt"])
            .args(["--precision", "int8", "--format", "json"])
            .env("STANCER_INT8_KERNEL", kernel)
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{kernel}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    };
    let levels = |name: &str| Kernel::named(Some(name)).weight_levels();
    let best = run("best");
    assert!(
        best.contains("\"precision\": \"int8\""),
        "the int8 path ran"
    );
    let mut first_of_width: std::collections::HashMap<i32, (String, String)> = Default::default();
    for kernel in ["best", "vnni", "avxvnni", "avx2", "portable"] {
        let report = if kernel == "best" {
            best.clone()
        } else {
            run(kernel)
        };
        // The report names the kernel that ran; the rest must be the same bytes.
        let ran = format!(
            "\"int8_kernel\": \"{}\"",
            Kernel::named(Some(kernel)).name()
        );
        assert!(report.contains(&ran), "{kernel}: no {ran}");
        let report = report.replace(&ran, "\"int8_kernel\": \"-\"");
        let (name, same_width) = first_of_width
            .entry(levels(kernel))
            .or_insert_with(|| (kernel.to_string(), report.clone()));
        assert!(
            report == *same_width,
            "{kernel} gave another report than {name}, on weights of the same width"
        );
    }
    // 7-bit against 8-bit weights: the tolerance this file states for int8 against f32.
    let scores = |json: &str| -> Vec<f32> {
        let r: serde_json::Value = serde_json::from_str(json).unwrap();
        let stances = r["quotes"].as_array().unwrap().iter();
        let stances = stances.flat_map(|q| q["stances"].as_array().unwrap().iter());
        stances
            .flat_map(|s| s["scores"].as_object().unwrap().values())
            .map(|v| v.as_f64().unwrap() as f32)
            .collect()
    };
    let widths: Vec<&(String, String)> = first_of_width.values().collect();
    for pair in widths.windows(2) {
        let (a, b) = (scores(&pair[0].1), scores(&pair[1].1));
        assert_eq!(a.len(), b.len());
        let worst = a
            .iter()
            .zip(&b)
            .map(|(x, y)| (x - y).abs())
            .fold(0f32, f32::max);
        assert!(worst <= 0.1, "{} vs {}: {worst}", pair[0].0, pair[1].0);
    }
}

/// The default precision (`auto`) is int8 exactly where int8 is fast (AMX, AVX512-VNNI, or AVX2
/// with 7-bit weights) and f32 elsewhere: with the int8 kernel held to the portable loop, the
/// same command runs f32, and held to AVX2 it runs int8.
#[test]
fn the_default_is_int8_only_where_the_cpu_makes_it_fast() {
    use stancer::engine::kernels::qgemm::Kernel;
    let art = Article::from_text(
        "seed",
        include_str!("../examples/articles/us-russia-relations.txt"),
    );
    let fast = matches!(
        Kernel::detect(),
        Kernel::Amx | Kernel::Vnni | Kernel::AvxVnni | Kernel::Avx2
    );
    let report = scorer(Precision::Auto).score_article(&art).unwrap();
    let want = if fast {
        Precision::Int8
    } else {
        Precision::F32
    };
    assert_eq!(report.model.precision, want);
    let precision_with = |kernel: &str| {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_stancer"))
            .args([
                "score",
                "examples/articles/us-russia-relations.txt",
                "--format",
                "json",
            ])
            .env("STANCER_INT8_KERNEL", kernel)
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .output()
            .unwrap();
        assert!(out.status.success());
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        v["model"]["precision"]
            .as_str()
            .unwrap_or("f32")
            .to_string()
    };
    assert_eq!(precision_with("portable"), "f32");
    if Kernel::named(Some("avx2")) == Kernel::Avx2 {
        assert_eq!(precision_with("avx2"), "int8");
    }
    assert_eq!(precision_with("best"), if fast { "int8" } else { "f32" });
    // No model runs in `extract`: its report says nothing of a precision.
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_stancer"))
        .args(["extract", "examples/articles/us-russia-relations.txt"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["model"]["mode"], "extract");
    assert!(v["model"].get("precision").is_none(), "{}", v["model"]);
    // A report read back keeps what it ran at: absent means f32, not the `auto` setting.
    let info: stancer::engine::ModelInfo = serde_json::from_value(v["model"].clone()).unwrap();
    assert_eq!(info.precision, Precision::F32);
}

/// On a CPU with AVX2 and FMA but no AVX-512, VNNI or AMX (AMD EPYC before Zen 4, Intel before
/// Ice Lake: issue 26's machines) `auto` finds the AVX2 int8 kernel by itself, from CPUID, and
/// the report is the one the forced AVX2 run gives. This project's machine is such a CPU only in
/// some sessions; elsewhere `scripts/as-avx2-cpu` presents one (CPUID faulting, the AVX-512,
/// VNNI and AMX bits cleared), so the detection every AVX2 user goes through runs here too, gemm's
/// f32 products included. Where the kernel offers no CPUID faulting the check says so and stops.
#[test]
fn on_an_avx2_only_cpu_auto_runs_int8_on_the_avx2_kernel() {
    let root = env!("CARGO_MANIFEST_DIR");
    let score = |wrapped: bool, kernel: Option<&str>| {
        let bin = env!("CARGO_BIN_EXE_stancer");
        let mut cmd = if wrapped {
            let mut c = std::process::Command::new("scripts/as-avx2-cpu");
            c.arg(bin);
            c
        } else {
            std::process::Command::new(bin)
        };
        cmd.args(["score", "examples/articles/us-russia-relations.txt"])
            .args(["--format", "json"])
            .env_remove("STANCER_INT8_KERNEL")
            .current_dir(root);
        if let Some(k) = kernel {
            cmd.env("STANCER_INT8_KERNEL", k);
        }
        cmd.output().unwrap()
    };
    let masked = score(true, None);
    if masked.status.code() == Some(2) {
        eprintln!(
            "skipped: {}",
            String::from_utf8_lossy(&masked.stderr).trim()
        );
        return;
    }
    assert!(
        masked.status.success(),
        "{}",
        String::from_utf8_lossy(&masked.stderr)
    );
    let masked: serde_json::Value = serde_json::from_slice(&masked.stdout).unwrap();
    assert_eq!(masked["model"]["precision"], "int8", "{}", masked["model"]);
    assert_eq!(
        masked["model"]["int8_kernel"], "avx2",
        "{}",
        masked["model"]
    );
    let forced = score(false, Some("avx2"));
    assert!(forced.status.success());
    let forced: serde_json::Value = serde_json::from_slice(&forced.stdout).unwrap();
    assert_eq!(forced["model"]["int8_kernel"], "avx2");
    let stances = |r: &serde_json::Value| -> Vec<(String, String, Vec<f64>)> {
        let quotes = r["quotes"].as_array().unwrap().iter();
        quotes
            .flat_map(|q| q["stances"].as_array().unwrap().iter().map(move |s| (q, s)))
            .map(|(q, s)| {
                let scores = s["scores"].as_object().unwrap().values();
                (
                    format!("{} {}", q["id"], s["party"]),
                    s["label"].as_str().unwrap().to_string(),
                    scores.map(|v| v.as_f64().unwrap()).collect(),
                )
            })
            .collect()
    };
    let (a, b) = (stances(&masked), stances(&forced));
    assert!(
        a.len() >= 10,
        "the example's pairs were scored: {}",
        a.len()
    );
    assert_eq!(a.len(), b.len());
    for ((pair, label, x), (_, want, y)) in a.iter().zip(&b) {
        assert_eq!(label, want, "{pair}");
        // Only gemm's f32 attention products run another vector width; a last-bit change can
        // move an activation across a quantization step. On the example the reports were
        // byte-identical; on the 785 NewsMTSC dev pairs the largest change was 0.0068, no label
        // (2026-12-05, Intel Sapphire Rapids under scripts/as-avx2-cpu).
        let worst = x
            .iter()
            .zip(y)
            .map(|(p, q)| (p - q).abs())
            .fold(0.0, f64::max);
        assert!(worst <= 0.01, "{pair}: {worst}");
    }
}

/// A pair's int8 scores do not depend on the pairs it is batched with: scored alone, or in a
/// batch of 32 whose other pairs are longer (so that it is padded to their length), it gets the
/// same bytes. Before a sequence's padding rows were skipped (`layer_by_sequence`), the padded
/// pair's probabilities moved by up to 0.016 (8 of the 785 NewsMTSC dev pairs): the attention's
/// f32 products ran over more rows, rounded differently, and int8 quantization amplified it
/// (here in the seventh decimal; 0.016 at most on the 785 pairs).
/// So a batch run gives each quote the score a one-article run gives it.
#[test]
fn a_pairs_int8_scores_do_not_depend_on_its_batch() {
    let article = include_str!("../examples/articles/us-russia-relations.txt");
    let pair = |text: &str, target: &str| {
        serde_json::json!({"text": text, "target": target}).to_string() + "\n"
    };
    // Of the example's 44 (sentence, party) pairs, the one whose scores padding moved (a
    // sentence cut at "U.S." as a sentence splitter leaves it).
    let short = pair("Putin also pointed out that U.S.", "Putin");
    let longer: String = article
        .lines()
        .filter(|p| p.len() > 200 && p.contains("Russia"))
        .cycle()
        .take(31)
        .map(|p| pair(p, "Russia"))
        .collect();
    let classify = |name: &str, input: String| {
        let path =
            std::env::temp_dir().join(format!("stancer-int8-{}-{name}.jsonl", std::process::id()));
        std::fs::write(&path, input).unwrap();
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_stancer"))
            .args(["classify", "--precision", "int8"])
            .arg(&path)
            .output()
            .unwrap();
        std::fs::remove_file(&path).ok();
        assert!(out.status.success());
        let first = String::from_utf8(out.stdout).unwrap();
        let v: serde_json::Value = serde_json::from_str(first.lines().next().unwrap()).unwrap();
        (
            v["stance"]["scores"].clone(),
            v["sentiment"]["scores"].clone(),
        )
    };
    let alone = classify("alone", short.clone());
    let batched = classify("batched", short + &longer);
    assert_eq!(alone, batched);
}
