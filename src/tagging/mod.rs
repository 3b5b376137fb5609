//! Learned BIO sequence taggers: hashed features, an averaged structured perceptron, Viterbi.
//!
//! Why a linear model and not the transformer: the model-free stages must stay over 1 MB of text
//! per second on one core, and a hashed-feature perceptron tags a sentence in microseconds. Two
//! taggers use it: the attribution tagger (`quotes::tagger`: source, cue, content) and the named
//! entity tagger (`entities::tagger`: person, organization, location, miscellaneous).
//!
//! - `model.rs`: the weights, their file format, decoding;
//! - `train.rs`: the averaged perceptron that learns them;
//! - `hash.rs`: the feature hashing both taggers' feature templates use.

pub mod hash;
pub mod model;
pub mod train;

pub use model::{Model, Span as TagSpan};
pub use train::{Shuffle, Trainer};
