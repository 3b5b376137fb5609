//! Trains the attribution tagger (`src/quotes/tagger.rs`) on PolNeAR train and writes
//! `models/quote-tagger/weights.bin` with the word lists its features read: `cues.txt` (learned
//! here) and the lexicon's word classes as they are now (`cue_verbs.txt`, `source_nouns.txt`,
//! `role_words.txt`). Run through `scripts/train-quote-tagger`.
//!
//! Every tenth train article (sorted by name, from the first) is held out and used only to
//! report how the tagger does on text it was not trained on; dev and test are not read.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use stancer::lexicon::Words;
use stancer::quotes::tagger::{features, spans, SpanKind, Tagger, Vocabulary, LABELS};
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

/// One sentence: its tokens' lower-cased text, the tagger's input and the gold labels.
struct Labelled {
    words: Vec<String>,
    toks: Vec<stancer::text::Token<'static>>,
    quoted: Vec<bool>,
    gold: Vec<u8>,
}

struct Sentence {
    feats: Vec<stancer::quotes::tagger::Features>,
    gold: Vec<u8>,
}

fn load_article(txt: &Path, ann: &Path) -> Vec<Labelled> {
    let text = std::fs::read_to_string(txt).unwrap_or_else(|e| panic!("{}: {e}", txt.display()));
    // Tokens borrow the text; the trainer keeps every article for its whole run.
    let text: &'static str = Box::leak(text.into_boxed_str());
    let rels = read_ann(ann, text);
    let sents = sentences(text);
    tagger_inputs(text, &sents)
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
            Labelled {
                words: toks.iter().map(|t| t.text.to_lowercase()).collect(),
                toks,
                quoted,
                gold,
            }
        })
        .collect()
}

/// Words the training sentences use as cues: at least `min_count` times inside a cue span, and
/// in one at least `min_rate` of the times they occur ("called", "endorsed", "according"; not
/// "to" or "the", which cue spans hold but every sentence has).
fn learn_cues(data: &[Labelled], min_count: usize, min_rate: f64) -> String {
    let mut seen: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    for s in data {
        for (w, &g) in s.words.iter().zip(&s.gold) {
            if !w
                .chars()
                .all(|c| c.is_alphabetic() || c == '\'' || c == '’' || c == '-')
            {
                continue;
            }
            let e = seen.entry(w.as_str()).or_default();
            e.0 += 1;
            e.1 += usize::from(matches!(g, 3 | 4));
        }
    }
    let mut out = String::from(
        "# Words PolNeAR train (less the held-out tenth) uses as attribution cues, found by\n\
         # scripts/train-quote-tagger; the tagger's features measure distances to them. Written\n\
         # with weights.bin: retrain both together.\n",
    );
    for (w, (n, cue)) in seen {
        if cue >= min_count && cue as f64 >= min_rate * n as f64 {
            out.push_str(w);
            out.push('\n');
        }
    }
    out
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
    let epochs: usize = args.next().map_or(20, |e| e.parse().expect("epochs"));
    let bits: u32 = args.next().map_or(18, |b| b.parse().expect("bits"));
    let min_count: usize = args.next().map_or(5, |c| c.parse().expect("min count"));
    let min_rate: f64 = args.next().map_or(0.2, |r| r.parse().expect("min rate"));

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
    let cue_list = learn_cues(&train, min_count, min_rate);
    let vocab: &'static Vocabulary = Box::leak(Box::new(Vocabulary::with_lexicon(Words::parse(
        Box::leak(cue_list.clone().into_boxed_str()),
    ))));
    let featurize = |data: Vec<Labelled>| -> Vec<Sentence> {
        data.into_iter()
            .map(|s| Sentence {
                feats: features(&s.toks, &s.quoted, vocab),
                gold: s.gold,
            })
            .collect()
    };
    let (train, held) = (featurize(train), featurize(held));
    eprintln!(
        "{} cue words; {} train sentences, {} held-out sentences ({} labels: {:?})",
        vocab.learned.len(),
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
        let (p, r, f) = content_scores(&Tagger::from_model(trainer.averaged(), vocab), &held);
        eprintln!("epoch {epoch}: {wrong} training tokens wrong; held-out content spans P {p:.1} R {r:.1} F1 {f:.1}");
    }
    let model = Tagger::from_model(trainer.averaged(), vocab);
    std::fs::write(&out, model.to_bytes()).unwrap_or_else(|e| panic!("{}: {e}", out.display()));
    let write = |name: &str, text: String| {
        let file = out.with_file_name(name);
        std::fs::write(&file, text).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
    };
    write("cues.txt", cue_list);
    for (name, words) in [
        ("cue_verbs", &vocab.verbs),
        ("source_nouns", &vocab.sources),
        ("role_words", &vocab.roles),
    ] {
        write(&format!("{name}.txt"), class_file(name, words));
    }
    eprintln!("wrote {} and its word lists", out.display());
}

/// A word class as the features read it, saved beside the weights so that later edits of the
/// lexicon's list do not change what the model reads.
fn class_file(name: &str, words: &Words) -> String {
    let mut text = format!(
        "# The quote tagger's word class: the lexicon's src/lexicon/data/{name}.txt as it was when\n\
         # the weights beside this file were trained (scripts/train-quote-tagger).\n"
    );
    for w in words.iter() {
        text.push_str(w);
        text.push('\n');
    }
    text
}
