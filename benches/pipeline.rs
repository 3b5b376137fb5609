//! Model-free stages: gazetteer load time and quote/party extraction throughput.
//! `cargo bench --bench pipeline` — uses PolNeAR dev texts from ../shared/data when present,
//! else the example article repeated. Single thread, wall clock, best of 5 runs; prints the CPU
//! model first (the machine kind changes between sessions) and the peak memory last.

use std::time::Instant;

use stancer::parties::Gazetteer;
use stancer::Analyzer;

fn corpus() -> (String, Vec<String>) {
    let dir =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data/polnear/dev/text");
    let mut texts = Vec::new();
    if let Ok(rd) = std::fs::read_dir(&dir) {
        let mut paths: Vec<_> = rd.filter_map(|e| e.ok().map(|e| e.path())).collect();
        paths.sort();
        for p in paths {
            if let Ok(t) = std::fs::read_to_string(&p) {
                texts.push(t);
            }
        }
    }
    if texts.is_empty() {
        let seed = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/examples/articles/us-russia-relations.txt"
        ))
        .unwrap();
        return ("example article x200".into(), vec![seed; 200]);
    }
    (format!("PolNeAR dev ({} articles)", texts.len()), texts)
}

/// `/proc/cpuinfo`'s model name, or "unknown CPU".
fn cpu_model() -> String {
    let info = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let line = info.lines().find(|l| l.starts_with("model name"));
    line.and_then(|l| l.split(':').nth(1))
        .map_or("unknown CPU".into(), |m| m.trim().to_string())
}

/// The process's peak resident memory (`VmHWM`) in MB, where Linux reports it.
fn peak_mb() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

fn main() {
    println!(
        "CPU: {}, vector kernels {:?}",
        cpu_model(),
        stancer::engine::kernels::isa::Vectors::detect()
    );
    let mut best = f64::MAX;
    for _ in 0..5 {
        let t = Instant::now();
        let g = Gazetteer::builtin().unwrap();
        best = best.min(t.elapsed().as_secs_f64());
        std::hint::black_box(g);
    }
    let t = Instant::now();
    let defs = Gazetteer::builtin_defs().unwrap();
    let parse = t.elapsed().as_secs_f64();
    let t = Instant::now();
    let _ = Gazetteer::from_defs(defs, Vec::new()).unwrap();
    println!(
        "  (parse {:.1} ms, build {:.1} ms)",
        parse * 1e3,
        t.elapsed().as_secs_f64() * 1e3
    );
    println!(
        "gazetteer load: {:.1} ms (best of 5; {} parties)",
        best * 1e3,
        Gazetteer::builtin().unwrap().defs.len()
    );

    let (name, texts) = corpus();
    let bytes: usize = texts.iter().map(|t| t.len()).sum();
    let analyzer = Analyzer::new(Vec::new(), stancer::pairs::Scope::Sentence).unwrap();
    let mut best = f64::MAX;
    let mut quotes = 0;
    for _ in 0..5 {
        let t = Instant::now();
        quotes = 0;
        for text in &texts {
            quotes += analyzer.analyze(text).extraction.quotes.len();
        }
        best = best.min(t.elapsed().as_secs_f64());
    }
    println!(
        "extraction (sentences, entities, quotes, speakers, parties, pairs): {name}, {:.2} MB in {:.3} s = {:.2} MB/s, {:.1} articles/s on one core, {quotes} quotes",
        bytes as f64 / 1e6,
        best,
        bytes as f64 / 1e6 / best,
        texts.len() as f64 / best
    );

    // One huge input with no line breaks (the example article repeated to 4.6 MB): the stages must
    // stay linear in the text length.
    let seed = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/examples/articles/us-russia-relations.txt"
    ))
    .unwrap();
    let huge = (seed.replace('\n', " ") + " ").repeat(1900);
    let t = Instant::now();
    let q = analyzer.analyze(&huge).extraction.quotes.len();
    let s = t.elapsed().as_secs_f64();
    println!(
        "one {:.1} MB article without line breaks: {:.2} s = {:.2} MB/s, {q} quotes",
        huge.len() as f64 / 1e6,
        s,
        huge.len() as f64 / 1e6 / s
    );
    if let Some(mb) = peak_mb() {
        println!("peak memory: {mb:.0} MB");
    }
}
