//! Trains the attribution tagger (`src/quotes/tagger.rs`) on PolNeAR train and writes
//! `models/quote-tagger/weights.bin`. Run through `scripts/train-quote-tagger`.
//!
//! Every tenth train article (sorted by name, from the first) is held out and used only to
//! report how the tagger does on text it was not trained on; dev and test are not read.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use stancer::quotes::tagger::{features, spans, SpanKind, Tagger, LABELS};
use stancer::quotes::tagger_inputs;
use stancer::tagging::{Shuffle, Trainer};
use stancer::text::sentences;

struct Relation {
    content: Vec<(usize, usize)>,
    cue: Vec<(usize, usize)>,
    source: Vec<(usize, usize)>,
}

/// Attributions with a source and a content, as byte ranges (brat offsets are characters).
fn read_ann(path: &Path, text: &str) -> Vec<Relation> {
    let bytes: Vec<usize> = text
        .char_indices()
        .map(|(b, _)| b)
        .chain([text.len()])
        .collect();
    let at = |c: usize| bytes.get(c).copied().unwrap_or(text.len());
    let mut spans_of: BTreeMap<String, Vec<(usize, usize)>> = BTreeMap::new();
    let mut rels = Vec::new();
    let ann = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    for line in ann.lines() {
        let parts: Vec<&str> = line.split('\t').collect();
        if parts.len() < 2 {
            continue;
        }
        if parts[0].starts_with('T') {
            let (_, ranges) = parts[1].split_once(' ').unwrap_or(("", ""));
            let v = ranges
                .split(';')
                .filter_map(|r| {
                    let mut it = r.split_whitespace().filter_map(|x| x.parse::<usize>().ok());
                    Some((at(it.next()?), at(it.next()?)))
                })
                .collect();
            spans_of.insert(parts[0].to_string(), v);
        } else if parts[0].starts_with('E') {
            let args: Vec<(&str, &str)> = parts[1]
                .split_whitespace()
                .filter_map(|a| a.split_once(':'))
                .collect();
            let get = |role: &str| -> Vec<(usize, usize)> {
                args.iter()
                    .filter(|(r, _)| r.trim_end_matches(char::is_numeric) == role)
                    .flat_map(|(_, t)| spans_of.get(*t).cloned().unwrap_or_default())
                    .collect()
            };
            rels.push((get("Content"), get("Cue"), get("Source")));
        }
    }
    rels.into_iter()
        .filter(|(c, _, s)| !c.is_empty() && !s.is_empty())
        .map(|(content, cue, source)| Relation {
            content,
            cue,
            source,
        })
        .collect()
}

struct Sentence {
    feats: Vec<stancer::quotes::tagger::Features>,
    gold: Vec<u8>,
}

fn load_article(txt: &Path, ann: &Path) -> Vec<Sentence> {
    let text = std::fs::read_to_string(txt).unwrap_or_else(|e| panic!("{}: {e}", txt.display()));
    let rels = read_ann(ann, &text);
    let sents = sentences(&text);
    tagger_inputs(&text, &sents)
        .into_iter()
        .map(|(toks, quoted)| {
            // (kind, relation) per token; sources and cues nested in a content win.
            let mut lab: Vec<Option<(SpanKind, usize)>> = vec![None; toks.len()];
            for (kind, pick) in [
                (SpanKind::Content, 0),
                (SpanKind::Cue, 1),
                (SpanKind::Source, 2),
            ] {
                for (ri, r) in rels.iter().enumerate() {
                    let list = [&r.content, &r.cue, &r.source][pick];
                    for (ti, t) in toks.iter().enumerate() {
                        let len = t.span.end - t.span.start;
                        if list.iter().any(|&(s, e)| {
                            2 * (e.min(t.span.end).saturating_sub(s.max(t.span.start)))
                                >= len.max(1)
                        }) {
                            lab[ti] = Some((kind, ri));
                        }
                    }
                }
            }
            let gold = (0..toks.len())
                .map(|i| match lab[i] {
                    None => 0,
                    Some((kind, rel)) => {
                        let base = match kind {
                            SpanKind::Source => 1,
                            SpanKind::Cue => 3,
                            SpanKind::Content => 5,
                        };
                        if i > 0 && lab[i - 1] == Some((kind, rel)) {
                            base + 1
                        } else {
                            base
                        }
                    }
                })
                .collect();
            Sentence {
                feats: features(&toks, &quoted),
                gold,
            }
        })
        .collect()
}

/// Content spans found, as (precision, recall, F1) with a half-overlap match, per sentence.
fn content_scores(model: &stancer::quotes::tagger::Tagger, data: &[Sentence]) -> (f64, f64, f64) {
    let (mut tp_p, mut tp_g, mut np, mut ng) = (0, 0, 0, 0);
    for s in data {
        let pred = model.tag_features(&s.feats);
        let ps: Vec<_> = spans(&pred)
            .into_iter()
            .filter(|t| t.kind == SpanKind::Content)
            .collect();
        let gs: Vec<_> = spans(&s.gold)
            .into_iter()
            .filter(|t| t.kind == SpanKind::Content)
            .collect();
        let hit = |a: &stancer::quotes::tagger::Tagged, b: &stancer::quotes::tagger::Tagged| {
            let ov = a.end.min(b.end).saturating_sub(a.start.max(b.start));
            2 * ov >= (a.end - a.start).min(b.end - b.start)
        };
        np += ps.len();
        ng += gs.len();
        tp_p += ps.iter().filter(|p| gs.iter().any(|g| hit(p, g))).count();
        tp_g += gs.iter().filter(|g| ps.iter().any(|p| hit(p, g))).count();
    }
    let p = tp_p as f64 / np.max(1) as f64;
    let r = tp_g as f64 / ng.max(1) as f64;
    (100.0 * p, 100.0 * r, 200.0 * p * r / (p + r).max(1e-9))
}

fn main() {
    let mut args = std::env::args().skip(1);
    let data = PathBuf::from(
        args.next()
            .unwrap_or_else(|| "../shared/data/polnear".into()),
    );
    let out = PathBuf::from(
        args.next()
            .unwrap_or_else(|| "models/quote-tagger/weights.bin".into()),
    );
    let epochs: usize = args.next().map_or(8, |e| e.parse().expect("epochs"));
    let bits: u32 = args.next().map_or(18, |b| b.parse().expect("bits"));

    let split = data.join("train");
    let mut anns: BTreeMap<String, PathBuf> = BTreeMap::new();
    let mut files: Vec<PathBuf> = std::fs::read_dir(split.join("attributions"))
        .expect("PolNeAR train/attributions")
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "ann"))
        .collect();
    files.sort();
    for f in files {
        let name = f.file_stem().unwrap().to_string_lossy().to_string();
        let article = name
            .rsplit_once('_')
            .map_or(name.clone(), |(a, _)| a.to_string());
        if split.join("text").join(format!("{article}.txt")).exists() {
            anns.entry(article).or_insert(f);
        }
    }
    let (mut train, mut held) = (Vec::new(), Vec::new());
    for (i, (article, ann)) in anns.iter().enumerate() {
        let sents = load_article(&split.join("text").join(format!("{article}.txt")), ann);
        if i % 10 == 0 {
            held.extend(sents);
        } else {
            train.extend(sents);
        }
    }
    eprintln!(
        "{} train sentences, {} held-out sentences ({} labels: {:?})",
        train.len(),
        held.len(),
        LABELS.len(),
        LABELS
    );

    let mut trainer = Trainer::new(&LABELS, bits);
    let mut shuffle = Shuffle::new(train.len());
    for epoch in 1..=epochs {
        let wrong: usize = shuffle
            .next_epoch()
            .iter()
            .map(|&i| trainer.learn(&train[i].feats, &train[i].gold))
            .sum();
        let (p, r, f) = content_scores(&Tagger::from_model(trainer.averaged()), &held);
        eprintln!("epoch {epoch}: {wrong} training tokens wrong; held-out content spans P {p:.1} R {r:.1} F1 {f:.1}");
    }
    let model = Tagger::from_model(trainer.averaged());
    std::fs::write(&out, model.to_bytes()).unwrap_or_else(|e| panic!("{}: {e}", out.display()));
    eprintln!("wrote {}", out.display());
}
