//! Word lists as data files: one entry per line in `data/*.txt`, `#` starts a comment, and
//! each file says what its list is for. Each list is parsed once, on first use, into a sorted
//! vector: a binary search per lookup instead of the linear scans of the inline slices these
//! lists replaced (the longest holds 257 words and is asked about every token).
//!
//! One list per concept: a word list used by more than one stage lives here, not in a copy.

use once_cell::sync::Lazy;

/// A set of lower-case words (or multi-word phrases) read from a data file.
#[derive(Debug, Clone)]
pub struct Words {
    sorted: Vec<&'static str>,
}

impl Words {
    /// Parses a list file: entries one per line, blank lines and `#` comments skipped.
    pub fn parse(data: &'static str) -> Self {
        let mut sorted: Vec<&'static str> = data
            .lines()
            .map(|l| l.split('#').next().unwrap_or("").trim())
            .filter(|l| !l.is_empty())
            .collect();
        sorted.sort_unstable();
        sorted.dedup();
        Words { sorted }
    }

    /// Whether `w` is on the list, exactly as written.
    pub fn contains(&self, w: impl AsRef<str>) -> bool {
        self.sorted.binary_search(&w.as_ref()).is_ok()
    }

    /// Whether `w` is on the list once lower-cased ("Said" → "said").
    pub fn contains_lower(&self, w: &str) -> bool {
        if w.bytes().any(|b| b.is_ascii_uppercase()) || !w.is_ascii() {
            self.contains(w.to_lowercase())
        } else {
            self.contains(w)
        }
    }

    /// The entries, sorted.
    pub fn iter(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.sorted.iter().copied()
    }

    /// How many entries.
    pub fn len(&self) -> usize {
        self.sorted.len()
    }

    /// Whether the list has no entries.
    pub fn is_empty(&self) -> bool {
        self.sorted.is_empty()
    }
}

macro_rules! lists {
    ($($(#[$doc:meta])* $name:ident = $file:literal;)*) => {
        $(
            $(#[$doc])*
            pub static $name: Lazy<Words> =
                Lazy::new(|| Words::parse(include_str!(concat!("data/", $file))));
        )*
        /// Every list with its file name, for the tests that check the files.
        pub fn all() -> Vec<(&'static str, &'static Words)> {
            vec![$(($file, &*$name)),*]
        }
    };
}

lists! {
    /// Reporting verbs in every inflection.
    CUE_VERBS = "cue_verbs.txt";
    /// Verbs that are cues only when followed by a clause.
    CLAUSE_ONLY = "clause_only.txt";
    /// Manners of speaking ("screamed", "whimpered"): cues beside a direct quote.
    MANNER_VERBS = "manner_verbs.txt";
    /// Body parts that end a gesture ("raised his hand"), not a statement.
    GESTURES = "gestures.txt";
    /// Verbs whose object is what was said or whom it was said to.
    OBJECT_CUES = "object_cues.txt";
    /// Titles and roles in a speaker phrase.
    ROLE_WORDS = "role_words.txt";
    /// One person holding an office ("secretary", "spokeswoman"), after the office's organisation.
    OFFICE_HOLDERS = "office_holders.txt";
    /// Kinship nouns ("son", "widow"): a role that makes a speaker someone's relative.
    KINSHIP = "kinship.txt";
    /// Heads of unnamed group speakers ("officials", "the ministry").
    GROUP_HEADS = "group_heads.txt";
    /// Words that cannot head a group speaker.
    NOT_GROUP_HEADS = "not_group_heads.txt";
    /// Words between a subject and its cue ("also", "has").
    BRIDGE_WORDS = "bridge_words.txt";
    /// he, him, his.
    MALE_PRONOUNS = "male_pronouns.txt";
    /// she, her.
    FEMALE_PRONOUNS = "female_pronouns.txt";
    /// they, them, their.
    PLURAL_PRONOUNS = "plural_pronouns.txt";
    /// its: the one pronoun linked to an organisation or a country.
    THING_PRONOUNS = "thing_pronouns.txt";
    /// Every common preposition, for names that are a preposition's object.
    ALL_PREPOSITIONS = "all_prepositions.txt";
    /// Head nouns of organisations' names ("department", "center").
    ORGANISATION_HEADS = "organisation_heads.txt";
    /// Common male first names, for pronoun agreement.
    MALE_NAMES = "male_names.txt";
    /// Common female first names, for pronoun agreement.
    FEMALE_NAMES = "female_names.txt";
    /// Men's first names of the 1990 US Census, for the first word of a full name.
    CENSUS_MALE_FIRST_NAMES = "census_male_first_names.txt";
    /// Women's first names of the 1990 US Census, for the first word of a full name.
    CENSUS_FEMALE_FIRST_NAMES = "census_female_first_names.txt";
    /// Capitalised words that are not names (sentence openers, connectives).
    NOT_NAMES = "not_names.txt";
    /// Heads of common-noun sources ("a new poll", "the businessman").
    SOURCE_NOUNS = "source_nouns.txt";
    /// Words continuing a source's noun phrase ("familiar with").
    SOURCE_CONTINUATIONS = "source_continuations.txt";
    /// Determiners that open a common-noun source.
    DETERMINERS_OPENING = "determiners_opening.txt";
    /// who, which, that.
    RELATIVE_PRONOUNS = "relative_pronouns.txt";
    /// Words between a cue and its content ("told reporters").
    COMPLEMENT_WORDS = "complement_words.txt";
    /// Reporting verbs whose object is who was told ("informed their counterparts that").
    ADDRESSEE_VERBS = "addressee_verbs.txt";
    /// Heads of prepositional complements ("in an interview").
    COMPLEMENT_NOUNS = "complement_nouns.txt";
    /// What a statement is issued in ("a statement saying …").
    DOCUMENTS = "documents.txt";
    /// Prepositions opening such a complement.
    PREPOSITIONS = "prepositions.txt";
    /// Determiners inside such a complement.
    DETERMINERS = "determiners.txt";
    /// Mr., Mrs., Ms., Dr.: neither name nor role.
    HONORIFICS = "honorifics.txt";
    /// Lawyers, aides, office, campaign, spokesman: a speaker who serves the party named with
    /// the word ("McCabe's lawyers").
    SERVICE_WORDS = "service_words.txt";
    /// Honorifics of men ("Mr.").
    MALE_HONORIFICS = "male_honorifics.txt";
    /// Honorifics of women ("Ms.", "Mrs.").
    FEMALE_HONORIFICS = "female_honorifics.txt";
    /// Labels before a colon that open no speech ("Updated:", "READ MORE:").
    CAPTIONS = "captions.txt";
    /// Where a source's noun phrase ends ("Sean Spicer | on Thursday", "People | briefed").
    SOURCE_STOPS = "source_stops.txt";
    /// After a comma in a speaker phrase, who else acts with the speaker ("along with", "joined by").
    COMPANIONS = "companions.txt";
    /// Quantifiers standing for a group of speakers ("Some said").
    QUANTIFIERS = "quantifiers.txt";
    /// "formal nickname" pairs of English first names ("robert bob").
    NICKNAMES = "nicknames.txt";
}

/// A man's or a woman's first name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sex {
    /// On the census list of men's first names.
    Male,
    /// On the census list of women's first names.
    Female,
}

/// "Tyler Shields", "Chelsea Clinton": the census first-name lists, read only on the first word
/// of a name of two words or more. A lone word is as often a surname ("Warren", "Clinton").
/// Before these lists (61 hand-picked names a side), a BASIL article gave "she" to Tyler
/// Shields and every "he" after to Chelsea Clinton (audit of 100 BASIL quotes, items 9 and 88).
pub fn full_name_sex(name: &str) -> Option<Sex> {
    let mut words = name.split(' ');
    let first = words.next()?.to_lowercase();
    words.next()?;
    if CENSUS_MALE_FIRST_NAMES.contains(&first) {
        Some(Sex::Male)
    } else if CENSUS_FEMALE_FIRST_NAMES.contains(&first) {
        Some(Sex::Female)
    } else {
        None
    }
}

/// The sex a word gives by a pair of lists of men's and women's words (honorifics, pronouns),
/// in any case.
pub fn sex_by(male: &Words, female: &Words, word: &str) -> Option<Sex> {
    if male.contains_lower(word) {
        Some(Sex::Male)
    } else if female.contains_lower(word) {
        Some(Sex::Female)
    } else {
        None
    }
}

/// The sex an honorific opening `name` gives ("Mr. Trump", "Ms. Griffin").
pub fn honorific_sex(name: &str) -> Option<Sex> {
    sex_by(
        &MALE_HONORIFICS,
        &FEMALE_HONORIFICS,
        name.split(' ').next()?,
    )
}

/// A pronoun that says its referent is a man or a woman ("he", "her", "himself"), in any case.
pub fn is_gendered_pronoun(word: &str) -> bool {
    MALE_PRONOUNS.contains_lower(word) || FEMALE_PRONOUNS.contains_lower(word)
}

/// The sex a full name's first name gives by the short hand-written lists ("Melania",
/// "Donald"), not the census ones ([`full_name_sex`]), whose majority sex would make "Ms.
/// O'Neill" someone other than Terry O'Neill.
pub fn listed_name_sex(name: &str) -> Option<Sex> {
    let (first, _) = name.split_once(' ')?;
    let first = first.to_lowercase();
    if MALE_NAMES.contains(first.as_str()) {
        Some(Sex::Male)
    } else if FEMALE_NAMES.contains(first.as_str()) {
        Some(Sex::Female)
    } else {
        None
    }
}

/// Whether two first names name one person: equal in any case, or one the other's nickname
/// ("Bob" and "Robert", "Chuck" and "Charles"). Not transitive: "Ted" is Edward's and
/// Theodore's nickname, and Edward is still not Theodore.
pub fn same_given_name(a: &str, b: &str) -> bool {
    let (a, b) = (a.to_lowercase(), b.to_lowercase());
    a == b || NICKNAMES.contains(format!("{a} {b}")) || NICKNAMES.contains(format!("{b} {a}"))
}

/// A role word ("senator", "spokesperson"), in any case, also of one about to hold it
/// ("Representative-elect Mikie Sherrill").
pub fn is_role(word: &str) -> bool {
    ROLE_WORDS.contains_lower(word.strip_suffix("-elect").unwrap_or(word))
}

/// A title or role before a name ("Senator", "Mr.", "President"), in any case.
pub fn is_title(word: &str) -> bool {
    is_role(word) || HONORIFICS.contains_lower(word)
}

/// A title in the plural, said once for several people ("Senators Lindsey Graham and Ted Cruz",
/// "Reps.", "Secretaries of State").
pub fn is_plural_title(word: &str) -> bool {
    let w = word.trim_end_matches('.');
    let singular = match w.strip_suffix("ies") {
        Some(stem) => format!("{stem}y"),
        None => w.strip_suffix('s').unwrap_or_default().to_string(),
    };
    !singular.is_empty() && is_title(&singular)
}

/// A given name of the name lists ("Hunter", "Dmitry"), in any case. The gender lists also
/// hold titles that say a person's sex ("president", "king", "mr."): those are no given names.
pub fn is_first_name(word: &str) -> bool {
    let w = word.to_lowercase();
    !is_title(&w)
        && [
            &*MALE_NAMES,
            &*FEMALE_NAMES,
            &*CENSUS_MALE_FIRST_NAMES,
            &*CENSUS_FEMALE_FIRST_NAMES,
        ]
        .iter()
        .any(|l| l.contains(&w))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_names_are_not_titles() {
        for name in ["Hunter", "william", "Eric", "Melania"] {
            assert!(is_first_name(name), "{name}");
        }
        for title in ["President", "King", "Mr.", "Senator", "Republicans"] {
            assert!(!is_first_name(title), "{title}");
        }
    }

    #[test]
    fn every_list_loads_lower_case_and_non_empty() {
        for (file, words) in all() {
            assert!(!words.is_empty(), "{file} is empty");
            for w in words.iter() {
                assert_eq!(w, w.to_lowercase(), "{file}: {w:?} is not lower case");
            }
        }
    }

    #[test]
    fn a_nickname_is_its_formal_name_and_nothing_more() {
        assert!(same_given_name("Bob", "Robert"));
        assert!(same_given_name("charles", "Chuck"));
        assert!(same_given_name("Ted", "Edward") && same_given_name("Ted", "Theodore"));
        assert!(!same_given_name("Edward", "Theodore"));
        assert!(!same_given_name("Eric", "Donald"));
    }

    #[test]
    fn lookups_are_exact_or_lower_cased() {
        assert!(CUE_VERBS.contains("said"));
        assert!(!CUE_VERBS.contains("Said"));
        assert!(CUE_VERBS.contains_lower("Said"));
        assert!(!CUE_VERBS.contains_lower("salad"));
        assert!(GROUP_HEADS.contains("spokesperson's office"));
    }
}
