//! Quotes: from an article's sentences to every attributed statement, with its cue and speaker.
//!
//! Rules, in order of trust:
//! 1. direct quotes (text in quotation marks) with an attribution right before or after them,
//!    including quotes split around their attribution and quotes running over paragraphs;
//! 2. reported speech: a speaker phrase + a reporting cue + a clause ("Lavrov emphasized that …",
//!    "…, according to officials", "…, stating that …"); a quoted fragment inside makes it mixed;
//! 3. a quote standing alone right after an attributed one continues that speaker;
//! 4. a learned tagger (`tagger.rs`, trained on PolNeAR) labels source, cue and content spans in
//!    every sentence; its content spans that no rule found become quotes when their source
//!    resolves to a speaker (or the sentence continues the previous sentence's quote).
//!
//! Quotation marks with no speech cue nearby (titles, scare quotes) are not quotes.
//!
//! The files, in the order a sentence flows through them:
//! - `marks.rs`: quotation marks paired across the article, which tokens they cover;
//! - `cues.rs`: the reporting cue ("said", "according to", ", stating that");
//! - `source.rs`: who is speaking, the phrase around the cue (`appositive.rs`: the words beside
//!   a name that say who it is, "Trump's attorney, Rudy Giuliani,"); `phrase.rs` splits it into name,
//!   role and affiliation, and `speaker.rs` resolves it to a speaker of the entity layer's
//!   registry (and notes the narrative people later pronouns refer back to);
//! - `content.rs`: what was said, the clause or quotation the cue introduces;
//! - `tagger.rs` (the learned model) and `tagged.rs` (its quotes and their sources);
//! - `passes.rs`: the passes over the article, in order (per paragraph, per sentence, headline
//!   quotes, continuations, finish); `extract_in` below runs them;
//! - `joint.rs`: who says each quote with its speaker ("Nancy Pelosi and Chuck Schumer said"),
//!   read in the finishing pass.

use marks::{find_marked, quoted_flags};

mod appositive;
mod content;
mod cues;
mod joint;
mod marks;
mod passes;
mod phrase;
mod source;
mod speaker;
mod tagged;
pub mod tagger;

use serde::Serialize;

use crate::entities::coref::{resolve_speakers, Speaker};
use crate::text::{tokens, Sentence, Span, Token};

/// The tokens' texts joined by single spaces.
pub(super) fn join(toks: &[Token]) -> String {
    toks.iter().map(|t| t.text).collect::<Vec<_>>().join(" ")
}

/// The text span of tokens `start..end` (non-empty).
pub(super) fn token_span(toks: &[Token], start: usize, end: usize) -> Span {
    Span::new(toks[start].span.start, toks[end - 1].span.end)
}

/// How a statement is reported.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum QuoteKind {
    /// Words in quotation marks.
    Direct,
    /// Reported speech with no quotation marks.
    Indirect,
    /// Reported speech with a quoted fragment inside.
    Mixed,
}

/// Which part of the extractor found a quote.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FoundBy {
    /// The rules: speech with a reporting cue, quotation marks, headlines, continuations.
    #[default]
    Rules,
    /// The learned tagger (`--rules-only` turns it off).
    Tagger,
}

/// One attributed statement. Spans are byte offsets into the article text.
#[derive(Debug, Clone, PartialEq)]
pub struct Quote {
    /// Direct, indirect or mixed.
    pub kind: QuoteKind,
    /// The statement itself (inside the quotation marks for direct quotes).
    pub content: Span,
    /// The reporting cue ("said", "pointed out", "according to"); none for a continued quote.
    pub cue: Option<Span>,
    /// Index into [`Extraction::speakers`].
    pub speaker: Option<usize>,
    /// The mention the speaker was attributed from ("he", "Peskov", "the Kremlin").
    pub speaker_mention: Option<Span>,
    /// The people who say it with the speaker ("Nancy Pelosi and Chuck Schumer said": Pelosi,
    /// when Schumer is the speaker).
    pub co_speakers: Vec<CoSpeaker>,
    /// The words that name them (`joint.rs`): no target of the quote.
    pub joint: Option<Span>,
    /// Index of the sentence the quote's attribution sits in.
    pub sentence: usize,
    /// Rules or the learned tagger.
    pub found_by: FoundBy,
}

/// One of the people who say a quote with its speaker.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CoSpeaker {
    /// Index into [`Extraction::speakers`].
    pub speaker: usize,
    /// The words that name them ("Nancy Pelosi").
    pub mention: Span,
}

impl Quote {
    /// The statement is that nothing was said ("the White House did not immediately comment"):
    /// still an attribution, but no stance toward anyone.
    pub fn declines_comment(&self, text: &str) -> bool {
        cues::declines_comment(&tokens(text, self.content))
    }
}

/// The output of this stage.
#[derive(Debug, Clone, Default)]
pub struct Extraction {
    /// Quotes in text order.
    pub quotes: Vec<Quote>,
    /// Speakers and other people mentioned (antecedents); `speaks` marks those quoted.
    pub speakers: Vec<Speaker>,
}

impl Extraction {
    /// The speakers resolved as entities (`entities::coref::resolve_speakers`): named as the
    /// entity layer names them, merged where it finds one person ("Whip Steve Scalise" and "Mr.
    /// Scalise"), and the article's other pronouns and nominals linked to `entities` without
    /// contradicting a speaker's. `entities` are the names `extract_in` read.
    pub fn resolve(
        &mut self,
        entities: &mut [crate::entities::Entity],
        text: &str,
        sentences: &[Sentence],
    ) {
        let mut contents: Vec<Span> = self.quotes.iter().map(|q| q.content).collect();
        contents.sort();
        let mut attributions: Vec<Span> = self
            .quotes
            .iter()
            .filter_map(|q| q.speaker_mention)
            .filter(|m| !m.overlaps_any(&contents))
            .collect();
        attributions.sort();
        attributions.dedup();
        let merged = resolve_speakers(&mut self.speakers, entities, text, sentences, &attributions);
        if let Some(new_index) = merged {
            for q in &mut self.quotes {
                q.speaker = q.speaker.map(|s| new_index[s]);
                let mut co: Vec<CoSpeaker> = Vec::new();
                for mut c in q.co_speakers.iter().copied() {
                    c.speaker = new_index[c.speaker];
                    if Some(c.speaker) != q.speaker && co.iter().all(|o| o.speaker != c.speaker) {
                        co.push(c);
                    }
                }
                q.co_speakers = co;
            }
        }
    }
}

/// Each sentence's tokens with their inside-quotation-marks flags: the tagger's input, exposed
/// for its trainer (`examples/train_quote_tagger.rs`).
pub fn tagger_inputs<'a>(
    text: &'a str,
    sentences: &[Sentence],
) -> Vec<(Vec<Token<'a>>, Vec<bool>)> {
    let marked = find_marked(text);
    sentences
        .iter()
        .map(|s| {
            let toks = tokens(text, s.span);
            let quoted = quoted_flags(&marked, s.span, &toks);
            (toks, quoted)
        })
        .collect()
}

/// How quotes are found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ExtractOptions {
    /// Add the learned tagger's attributions to the rules' (default). Off, only speech with a
    /// reporting cue is found; on, also what PolNeAR counts as attribution: stances reported as
    /// actions ("Republicans criticized the decision") and noun-phrase contents.
    pub learned: bool,
}

impl Default for ExtractOptions {
    fn default() -> Self {
        ExtractOptions { learned: true }
    }
}

/// Finds every attributed quote of an article (rules first, then the learned tagger for what
/// they missed) and resolves its speaker, with the default options.
///
///
/// ```
/// let text = "\"We must take many small steps,\" Kremlin spokesperson Dmitry Peskov said. He added that trust takes time.";
/// let s = stancer::text::sentences(text);
/// let ex = stancer::quotes::extract(text, &s);
/// assert_eq!(ex.quotes.len(), 2);
/// assert_eq!(&text[ex.quotes[0].content.start..ex.quotes[0].content.end], "We must take many small steps");
/// let peskov = ex.quotes[1].speaker.unwrap();
/// assert_eq!(ex.speakers[peskov].name, "Dmitry Peskov");
/// assert_eq!(ex.quotes[0].speaker, Some(peskov));
/// ```
pub fn extract(text: &str, sentences: &[Sentence]) -> Extraction {
    extract_with(text, sentences, ExtractOptions::default())
}

/// [`extract`] with explicit options.
pub fn extract_with(text: &str, sentences: &[Sentence], options: ExtractOptions) -> Extraction {
    let entities = crate::entities::find_names(text, sentences);
    extract_in(text, sentences, &entities, options)
}

/// [`extract_with`] on the article's entities (`entities::find`), already found: what a name is
/// (a person, a place, an institution) decides whether "he" or "she" can refer to it.
pub fn extract_in(
    text: &str,
    sentences: &[Sentence],
    entities: &[crate::entities::Entity],
    options: ExtractOptions,
) -> Extraction {
    let mut passes = passes::Passes::new(text, sentences, entities);
    passes.sentences(options);
    passes.headline_quotes();
    passes.continuations();
    passes.finish()
}

#[cfg(test)]
mod tests;

/// One sentence's tokens and which of them sit inside quotation marks.
pub(super) struct Tokens<'t> {
    pub(super) si: usize,
    pub(super) sent: Sentence,
    pub(super) toks: Vec<Token<'t>>,
    pub(super) quoted: Vec<bool>,
}
