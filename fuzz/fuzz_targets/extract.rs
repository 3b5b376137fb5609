//! Text → quotes, speakers, entities, parties and pairs (everything before the model). No text
//! may panic; the report's char offsets stay inside the text.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;
use stancer::pairs::Scope;
use stancer::{Analyzer, Article};

fn analyzer() -> &'static Analyzer {
    static A: OnceLock<Analyzer> = OnceLock::new();
    A.get_or_init(|| Analyzer::new(Vec::new(), Scope::default()).expect("built-in parties load"))
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    if text.trim().is_empty() {
        return;
    }
    let article = Article::from_text("fuzz", text.as_ref());
    let report = analyzer().extract(&article).expect("no panic inside extraction");
    let chars = text.chars().count();
    for q in &report.quotes {
        assert!(q.start <= q.end && q.end <= chars, "quote {}..{} of {chars}", q.start, q.end);
    }
});
