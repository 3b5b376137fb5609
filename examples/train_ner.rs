//! Trains the named-entity tagger (`src/entities/tagger`) on CoNLL-2003 train and writes
//! `models/ner-tagger/weights.bin`; reports typed exact-span F1 on the dev split (eng.testa)
//! after every epoch. Run through `scripts/train-ner`. The test split is never read.
//!
//! Usage: train_ner DATA_DIR OUT [EPOCHS] [BITS]

use std::path::Path;

use stancer::entities::name_tokens;
use stancer::entities::tagger::{features, DocStats, Features, Name, Tagger, LABELS};
use stancer::tagging::{Shuffle, Trainer};
use stancer::text::{sentences, Token};

struct Sentence {
    feats: Vec<Features>,
    gold: Vec<u8>,
}

/// CoNLL-2003 columns (word POS chunk NER, IOB1), documents split at -DOCSTART-. Each document is
/// laid out as the pipeline sees an article — one sentence per line, tokens joined by spaces
/// (as `scripts/eval-ner` sends it) — then split and tokenized by stancer's own `text` stage, and
/// each token takes the BIO label of the gold name it falls in: training sees the tokens the
/// tagger meets at run time (on CoNLL's own tokens the dev F1 was 90.2, through the pipeline 87.8).
fn read(path: &Path) -> Vec<Sentence> {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut docs: Vec<Vec<Vec<(String, String)>>> = vec![Vec::new()];
    let mut sent: Vec<(String, String)> = Vec::new();
    for line in text.lines().chain([""]) {
        let cols: Vec<&str> = line.split_whitespace().collect();
        if cols.is_empty() {
            if !sent.is_empty() {
                docs.last_mut().unwrap().push(std::mem::take(&mut sent));
            }
            continue;
        }
        if cols[0] == "-DOCSTART-" {
            docs.push(Vec::new());
            continue;
        }
        sent.push((cols[0].to_string(), cols[cols.len() - 1].to_string()));
    }
    let mut out = Vec::new();
    for doc in docs.iter().filter(|d| !d.is_empty()) {
        let (body, names) = layout(doc);
        let sents = sentences(&body);
        let toks: Vec<Vec<Token>> = sents.iter().map(|s| name_tokens(&body, s.span)).collect();
        let words: Vec<Vec<&str>> = toks
            .iter()
            .map(|t| t.iter().map(|t| t.text).collect())
            .collect();
        let stats = DocStats::new(&words);
        for (ts, ws) in toks.iter().zip(&words) {
            if ts.is_empty() {
                continue;
            }
            let gold = ts
                .iter()
                .map(|t| {
                    let label = match names
                        .iter()
                        .find(|(s, e, _)| *s <= t.span.start && t.span.start < *e)
                    {
                        None => "O".to_string(),
                        Some((s, _, kind)) if *s == t.span.start => format!("B-{kind}"),
                        Some((_, _, kind)) => format!("I-{kind}"),
                    };
                    LABELS.iter().position(|l| *l == label).unwrap() as u8
                })
                .collect();
            out.push(Sentence {
                feats: features(ws, &stats),
                gold,
            });
        }
    }
    out
}

/// A document's text (one sentence per line, "'s" joined to its word as `scripts/eval-ner` does)
/// and its gold names as (start, end, type) bytes.
fn layout(doc: &[Vec<(String, String)>]) -> (String, Vec<(usize, usize, String)>) {
    let mut body = String::new();
    let mut names: Vec<(usize, usize, String)> = Vec::new();
    for sent in doc {
        let mut prev = "O";
        for (i, (w, t)) in sent.iter().enumerate() {
            // "Romney 's" is written "Romney's" in an article.
            if i > 0 && w != "'s" {
                body.push(' ');
            }
            let start = body.len();
            body.push_str(w);
            // IOB1: I-X opens a name unless the previous tag is of the same type.
            let kind = t.get(2..).unwrap_or("");
            if t != "O" {
                if t.starts_with("B-") || prev.get(2..) != Some(kind) {
                    names.push((start, body.len(), kind.to_string()));
                } else if let Some(last) = names.last_mut() {
                    last.1 = body.len();
                }
            }
            prev = t;
        }
        body.push('\n');
    }
    (body, names)
}

fn spans(tags: &[u8]) -> Vec<(usize, usize, u8)> {
    let mut out: Vec<(usize, usize, u8)> = Vec::new();
    for (i, &t) in tags.iter().enumerate() {
        match t {
            0 => {}
            t if t % 2 == 0 && out.last().is_some_and(|s| s.1 == i && s.2 == t - 1) => {
                out.last_mut().unwrap().1 = i + 1
            }
            t => out.push((i, i + 1, if t % 2 == 0 { t - 1 } else { t })),
        }
    }
    out
}

/// Typed exact-span precision, recall, F1 (conlleval's measure) and per-type F1.
fn score(tagger: &stancer::entities::tagger::Tagger, data: &[Sentence]) -> (f64, f64, f64) {
    let (mut tp, mut np, mut ng) = (0usize, 0usize, 0usize);
    for s in data {
        let pred: Vec<(usize, usize, u8)> = tagger
            .names_from(&s.feats)
            .iter()
            .map(|n: &Name| {
                let b = LABELS
                    .iter()
                    .position(|l| l.ends_with(n.kind.conll()) && l.starts_with("B-"))
                    .unwrap() as u8;
                (n.start, n.end, b)
            })
            .collect();
        let gold = spans(&s.gold);
        tp += pred.iter().filter(|p| gold.contains(p)).count();
        np += pred.len();
        ng += gold.len();
    }
    let p = 100.0 * tp as f64 / np.max(1) as f64;
    let r = 100.0 * tp as f64 / ng.max(1) as f64;
    (
        p,
        r,
        if p + r > 0.0 {
            2.0 * p * r / (p + r)
        } else {
            0.0
        },
    )
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let data = Path::new(
        args.get(1)
            .map(String::as_str)
            .unwrap_or("../shared/data/ner_conll2003"),
    );
    let out = Path::new(
        args.get(2)
            .map(String::as_str)
            .unwrap_or("models/ner-tagger/weights.bin"),
    );
    let epochs: usize = args.get(3).and_then(|a| a.parse().ok()).unwrap_or(10);
    let bits: u32 = args.get(4).and_then(|a| a.parse().ok()).unwrap_or(19);
    let train = read(&data.join("eng.train"));
    let dev = read(&data.join("eng.testa"));
    eprintln!(
        "CoNLL-2003: {} train sentences, {} dev sentences; 2^{bits} buckets",
        train.len(),
        dev.len()
    );
    let mut trainer = Trainer::new(&LABELS, bits);
    let mut shuffle = Shuffle::new(train.len());
    let mut best = (0.0, 0);
    for epoch in 1..=epochs {
        let wrong: usize = shuffle
            .next_epoch()
            .iter()
            .map(|&i| trainer.learn(&train[i].feats, &train[i].gold))
            .sum();
        let (p, r, f) = score(&Tagger::from_model(trainer.averaged()), &dev);
        eprintln!("epoch {epoch}: {wrong} training tokens wrong; dev P {p:.2} R {r:.2} F1 {f:.2}");
        if f > best.0 {
            best = (f, epoch);
        }
    }
    let model = Tagger::from_model(trainer.averaged());
    std::fs::write(out, model.to_bytes()).unwrap_or_else(|e| panic!("{}: {e}", out.display()));
    eprintln!(
        "wrote {} (best dev F1 {:.2} at epoch {})",
        out.display(),
        best.0,
        best.1
    );
}
