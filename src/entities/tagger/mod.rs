//! The named-entity tagger: person, organization, location and miscellaneous (nationalities,
//! events) names, BIO over the tokens of a sentence. A [`crate::tagging::Model`] over the
//! features of `features.rs`, trained on CoNLL-2003 train by `scripts/train-ner`
//! (`examples/train_ner.rs`) and shipped as `models/ner-tagger/weights.bin`, compiled into the
//! library.

mod features;

use once_cell::sync::Lazy;

pub use features::{features, DocStats, Features};

use crate::tagging::Model;

/// Token labels, in weight order.
pub const LABELS: [&str; 9] = [
    "O", "B-PER", "I-PER", "B-ORG", "I-ORG", "B-LOC", "I-LOC", "B-MISC", "I-MISC",
];
const MAGIC: &[u8; 8] = b"STNER001";

/// What a name is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum EntityType {
    /// A person.
    Person,
    /// A company, party, government body, team, agency.
    Organization,
    /// A country, city, region.
    Location,
    /// Nationalities, events, titles of works, and other names.
    Misc,
}

impl EntityType {
    /// Every type, in the order of their discriminants.
    pub const ALL: [EntityType; 4] = [
        EntityType::Person,
        EntityType::Organization,
        EntityType::Location,
        EntityType::Misc,
    ];

    /// CoNLL's tag for the type (`PER`, `ORG`, `LOC`, `MISC`).
    pub fn conll(self) -> &'static str {
        match self {
            EntityType::Person => "PER",
            EntityType::Organization => "ORG",
            EntityType::Location => "LOC",
            EntityType::Misc => "MISC",
        }
    }

    fn from_label(label: &str) -> Option<Self> {
        match label
            .strip_prefix("B-")
            .or_else(|| label.strip_prefix("I-"))?
        {
            "PER" => Some(EntityType::Person),
            "ORG" => Some(EntityType::Organization),
            "LOC" => Some(EntityType::Location),
            "MISC" => Some(EntityType::Misc),
            _ => None,
        }
    }
}

/// A name found in a sentence: tokens `[start, end)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Name {
    /// Its type.
    pub kind: EntityType,
    /// First token.
    pub start: usize,
    /// One past the last token.
    pub end: usize,
}

/// The NER model.
#[derive(Clone)]
pub struct Tagger(Model);

static SHIPPED: Lazy<Tagger> = Lazy::new(|| {
    Tagger::from_bytes(include_bytes!("../../../models/ner-tagger/weights.bin"))
        .expect("models/ner-tagger/weights.bin is built by scripts/train-ner")
});

impl Tagger {
    /// The model shipped in `models/ner-tagger/`.
    pub fn shipped() -> &'static Tagger {
        &SHIPPED
    }

    /// Wraps weights a [`crate::tagging::Trainer`] over [`LABELS`] learned.
    pub fn from_model(model: Model) -> Self {
        Tagger(model)
    }

    /// Reads the format `to_bytes` writes.
    pub fn from_bytes(b: &[u8]) -> Result<Self, String> {
        Model::from_bytes(b, MAGIC, &LABELS).map(Tagger)
    }

    /// f16 little-endian weights behind a small header.
    pub fn to_bytes(&self) -> Vec<u8> {
        self.0.to_bytes(MAGIC)
    }

    /// The names in one sentence's words; `doc` describes the whole document.
    pub fn names(&self, words: &[&str], doc: &DocStats) -> Vec<Name> {
        self.names_from(&features(words, doc))
    }

    /// Like `names`, from features already computed by [`features`].
    pub fn names_from(&self, feats: &[Features]) -> Vec<Name> {
        let tags = self.0.tag(feats);
        self.0
            .spans(&tags)
            .into_iter()
            .filter_map(|s| {
                Some(Name {
                    kind: EntityType::from_label(LABELS[s.label])?,
                    start: s.start,
                    end: s.end,
                })
            })
            .collect()
    }
}
