//! # stancer
//!
//! Reads a news article, finds every attributed quote (direct, reported, mixed), resolves
//! who said it, finds the named parties (countries, governments, people, organisations,
//! with their aliases), and scores each quote's stance and sentiment toward each party
//! with a transformer run locally through candle.
//!
//! The pipeline reads as data flows, one module per step:
//!
//! | step | module |
//! |---|---|
//! | bytes → checked text and the article's metadata (title, date, outlet, URL, author) | [`input`] |
//! | text → sentences, tokens, offsets | [`text`] |
//! | word lists, as data files loaded once | [`lexicon`] |
//! | sentences → named entities (learned tagger), before coreference | [`entities::find_names`] ([`tagging`]: the sequence model) |
//! | sentences → quotes: quotation marks, cues, who speaks, what was said, the learned tagger, the passes across sentences (`quotes/mod.rs` shows the order) | [`quotes`] |
//! | speaker phrases → speakers, resolved as the quote passes meet them (the speaker registry) | [`entities::coref`] |
//! | speakers + entities → one answer per mention: speakers named and merged as entities, their pronouns the entities' too, the other pronouns and nominals linked | [`quotes::Extraction::resolve`] → [`entities::coref::resolve_speakers`] |
//! | text + entities + speakers → parties (`parties/find.rs`) | [`parties`] |
//! | quotes × parties → pairs | [`pairs`] |
//! | pairs → scores | [`engine`] |
//! | all of it → report: [`report::Analysis`] (the model-free stages' output) and the report built from it and the scores (`report/build.rs`); [`scorer`] runs the stages in order | [`report`], [`scorer`] |
//! | reports → JSON lines, tables, CSV, HTML | [`output`] |
//! | many reports → the corpus matrix, intervals, evidence, series | [`corpus`] |
//!
//! ```no_run
//! use stancer::{Article, Scorer, ScorerConfig};
//! let scorer = Scorer::new(ScorerConfig::default())?;
//! let report = scorer.score_article(&Article::from_path("article.txt".as_ref(), stancer::input::DEFAULT_MAX_BYTES)?)?;
//! println!("{}", serde_json::to_string_pretty(&report).unwrap());
//! # Ok::<(), stancer::Error>(())
//! ```

#![warn(missing_docs)]

pub mod batch;
pub mod corpus;
pub mod engine;
pub mod entities;
pub mod error;
pub mod input;
pub mod lexicon;
pub mod output;
pub mod pairs;
pub mod parties;
pub mod quotes;
pub mod report;
pub mod scorer;
pub mod tagging;
pub mod text;

pub use engine::{LabelScores, Pair, PairScores};
pub use error::{Error, Result};
pub use input::{Article, InputFormat};
pub use report::ArticleReport;
pub use scorer::{Analyzer, Scorer, ScorerConfig};

/// The README's code examples, compiled as doctests so they stay true.
#[doc = include_str!("../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;
