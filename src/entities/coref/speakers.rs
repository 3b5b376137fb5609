//! Speakers are entities: who a speaker phrase refers to ("Peskov", "he", "the spokesperson",
//! "the Kremlin"), decided in text order as the quote passes meet each attribution, so a later
//! "he said" goes back to the speaker of an earlier cue before a person merely named. What a
//! phrase says (name, role, affiliation) is read by `quotes::phrase`; the registry links it to
//! a speaker, and `naming.rs` then names each speaker as the entity layer does.

use serde::Serialize;

use crate::entities::{Entity, EntityType, Mention, MentionKind};
use crate::lexicon::{FEMALE_NAMES, FEMALE_PRONOUNS, MALE_NAMES, MALE_PRONOUNS};
use crate::text::Span;

/// Person or group.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SpeakerKind {
    /// One person.
    Person,
    /// An institution or group: "the Kremlin", "officials", "the ministry".
    Group,
}

/// Grammatical gender for pronoun agreement.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Gender {
    /// he/him.
    Male,
    /// she/her.
    Female,
    /// Not known: compatible with either.
    Unknown,
}

/// A resolved speaker, with every mention the extractor linked to it.
#[derive(Debug, Clone)]
pub struct Speaker {
    /// Name as written at its fullest ("Dmitry Peskov").
    pub name: String,
    /// Role from a title or appositive.
    pub role: Option<String>,
    /// The affiliation as written ("Kremlin", "Russian"); the parties stage maps it to a party.
    pub affiliation: Option<String>,
    /// Person or group.
    pub kind: SpeakerKind,
    /// For pronoun agreement.
    pub gender: Gender,
    /// Every mention linked to the speaker (bytes).
    pub mentions: Vec<Span>,
    /// True once a quote is attributed to this speaker (others are only antecedents).
    pub speaks: bool,
    /// The pronouns and nominals resolved to this speaker ("he said", "the spokesman said"):
    /// decided here, they are the speaker's entity's mentions too (`resolve_speakers`).
    pub referred: Vec<Mention>,
}

impl Speaker {
    fn new(name: String, role: Option<String>, affiliation: Option<String>, group: bool) -> Self {
        Speaker {
            name,
            role,
            affiliation,
            kind: if group {
                SpeakerKind::Group
            } else {
                SpeakerKind::Person
            },
            gender: Gender::Unknown,
            mentions: Vec::new(),
            speaks: false,
            referred: Vec::new(),
        }
    }

    fn surname(&self) -> &str {
        self.name.rsplit(' ').next().unwrap_or(&self.name)
    }
}

/// What a speaker phrase says about its speaker.
#[derive(Debug, Clone, PartialEq)]
pub enum Phrase {
    /// A name, with what the phrase says of role and affiliation.
    Named {
        /// Name as written at its fullest ("Dmitry Peskov").
        name: String,
        /// Role from a title or appositive.
        role: Option<String>,
        /// Affiliation as written ("Kremlin", "Russian").
        affiliation: Option<String>,
    },
    /// he/she (gender) or they/it (plural = true).
    Pronoun(Gender, bool),
    /// "the spokesperson", "the ministry", "officials", "Russian officials", "the Kremlin".
    Nominal {
        /// The head word ("spokesperson", "ministry").
        head: String,
        /// The phrase without articles.
        text: String,
        /// An institution or group rather than a person.
        group: bool,
        /// Affiliation as written ("Kremlin", "Russian").
        affiliation: Option<String>,
        /// Opened by "a", "an" or "another": someone new, never an earlier speaker.
        indefinite: bool,
    },
}

impl From<crate::lexicon::Sex> for Gender {
    fn from(s: crate::lexicon::Sex) -> Self {
        match s {
            crate::lexicon::Sex::Male => Gender::Male,
            crate::lexicon::Sex::Female => Gender::Female,
        }
    }
}

pub(super) fn gender_of(name: &str, role: Option<&str>) -> Gender {
    let first = name.split(' ').next().unwrap_or("").to_lowercase();
    let role = role.unwrap_or("").to_lowercase();
    let honorific = |h: &crate::lexicon::Words| h.contains(&first) || h.contains(&role);
    if honorific(&crate::lexicon::MALE_HONORIFICS) {
        Gender::Male
    } else if honorific(&crate::lexicon::FEMALE_HONORIFICS) {
        Gender::Female
    } else if MALE_NAMES.contains(first.as_str())
        || role.contains("spokesman")
        || role.contains("congressman")
        || role.contains("chairman")
    {
        Gender::Male
    } else if FEMALE_NAMES.contains(first.as_str())
        || role.contains("spokeswoman")
        || role.contains("congresswoman")
        || role.contains("chairwoman")
    {
        Gender::Female
    } else {
        crate::lexicon::full_name_sex(name).map_or(Gender::Unknown, Gender::from)
    }
}

/// Every speaker and person seen so far, and the mentions that can be antecedents.
#[derive(Debug, Default)]
pub struct Registry {
    /// Speakers and antecedents, in order of creation.
    pub speakers: Vec<Speaker>,
    /// (position, speaker index, was a subject of a speech cue)
    antecedents: Vec<(usize, usize, bool)>,
    /// The entity layer's name mentions and their types, by start: what a name is.
    names: Vec<(Span, EntityType)>,
    /// For each of `names`, the index of its entity in `entity_names`.
    entity_of: Vec<usize>,
    /// Each entity's name.
    entity_names: Vec<String>,
    /// (speaker, mention) pairs already recorded: a speaker quoted 80,000 times made the
    /// scan of its mention list quadratic (40,000 one-quote paragraphs: a third of the time).
    recorded: std::collections::HashSet<(usize, Span)>,
    /// Speakers by the last word of their name, in order of creation: looking a name up among
    /// every speaker made a 4 MB text of many articles grow 2.9x per doubling. A speaker's surname
    /// never changes (it is renamed only to a fuller name with the same surname).
    by_surname: std::collections::HashMap<String, Vec<usize>>,
    /// The names of the entities typed places, for "the Idaho congressman": a set, since a
    /// scan of every name for each nominal grows with the article times its nominals.
    places: std::collections::HashSet<String>,
    /// Each speaker's entity, where a name of it was a person's name the entity layer found:
    /// the entity layer tells two people of one surname apart ("Khizr Khan" and "Humayun Khan").
    entity_of_speaker: Vec<Option<usize>>,
    /// Each entity's sex, where an honorific before one of its names or its listed first name
    /// tells ("Ms. Khan" joined Ghazala Khan).
    entity_gender: Vec<Gender>,
}

/// What a nominal speaker phrase ("the congressman", "the ministry") asks of an earlier speaker.
struct Nominal<'a> {
    head: &'a str,
    group: bool,
    past: bool,
    deputy: bool,
    place: Option<&'a str>,
    /// Whose it is ("Russia's Foreign Ministry"): China's Commerce Ministry is another group.
    affiliation: Option<&'a str>,
}

impl Nominal<'_> {
    /// Whether `s` is who the nominal refers to: a person whose role names it, or a group whose
    /// name ends in its head.
    fn fits(&self, s: &Speaker) -> bool {
        let role = s.role.as_deref().is_some_and(|r| {
            let past = r.split(' ').next().is_some_and(super::is_past_title);
            (self.past || !past) && super::role_names(r, self.head, self.deputy)
        });
        let placed = self.place.is_none_or(|a| {
            s.affiliation.as_deref() == Some(a) || s.role.as_deref().is_some_and(|r| r.contains(a))
        });
        (role && (!self.group || s.kind == SpeakerKind::Group) && placed)
            || (self.group
                && s.kind == SpeakerKind::Group
                && s.name.to_lowercase().ends_with(self.head)
                && !matches!((self.affiliation, s.affiliation.as_deref()), (Some(a), Some(b)) if a != b))
    }
}

impl Registry {
    /// A registry that knows what the entity layer found each name to be.
    pub fn with_entities(text: &str, entities: &[Entity]) -> Self {
        let mut named: Vec<(Span, EntityType, usize)> = entities
            .iter()
            .enumerate()
            .flat_map(|(i, e)| {
                e.mentions
                    .iter()
                    .filter(|m| m.kind == MentionKind::Name)
                    .map(move |m| (m.span, e.kind, i))
            })
            .collect();
        named.sort_by_key(|(s, _, _)| s.start);
        Registry {
            names: named.iter().map(|&(s, t, _)| (s, t)).collect(),
            entity_of: named.iter().map(|&(_, _, i)| i).collect(),
            entity_names: entities.iter().map(|e| e.name.clone()).collect(),
            entity_gender: entities
                .iter()
                .map(|e| crate::entities::sex_of(text, e).map_or(Gender::Unknown, Gender::from))
                .collect(),
            places: entities
                .iter()
                .filter(|e| e.kind == EntityType::Location)
                .map(|e| e.name.clone())
                .collect(),
            ..Registry::default()
        }
    }

    /// Whether two entities are two people the article names in full ("Khizr Khan" and "Humayun
    /// Khan"): a surname alone ("Trump" or "Mr. Trump", tagged otherwise at first and an entity
    /// apart from "Donald J. Trump") does not tell.
    fn two_people(&self, a: Option<usize>, b: Option<usize>) -> bool {
        let full = |e: usize| {
            let name = &self.entity_names[e];
            crate::entities::without_honorific(name)
                .unwrap_or(name)
                .contains(' ')
        };
        matches!((a, b), (Some(a), Some(b)) if a != b && full(a) && full(b))
    }

    /// Whether a full name of entity `entity` (of `gender`) is someone other than speaker `i`,
    /// whose surname it shares: two people the entity layer names in full, or a person of a known
    /// sex and a speaker of another entity whose sex nothing told ("Melania Trump" after
    /// "President Trump … Trump said").
    fn apart(&self, entity: Option<usize>, i: usize, gender: Gender) -> bool {
        let other = self.entity_of_speaker[i];
        self.two_people(entity, other)
            || (entity.is_some()
                && other.is_some()
                && entity != other
                && gender != Gender::Unknown
                && self.speakers[i].gender != gender)
    }

    /// The person entity whose name ends `span` ("Mr. Khan", "Senator Lindsey Graham").
    fn person_at_end(&self, span: Span) -> Option<usize> {
        self.name_at_end(span)
            .filter(|&j| self.names[j].1 == EntityType::Person)
            .map(|j| self.entity_of[j])
    }

    /// The type of the entity name at the end of `span` (a speaker phrase's name is its last
    /// words: "Kremlin spokesperson Dmitry Peskov").
    fn type_at(&self, span: Span) -> Option<EntityType> {
        self.entity_at_end(span).map(|(_, t, _)| t)
    }

    /// The entity mention that ends `span`, its type and its entity's name.
    fn entity_at_end(&self, span: Span) -> Option<(Span, EntityType, &str)> {
        self.name_at_end(span).map(|j| {
            (
                self.names[j].0,
                self.names[j].1,
                self.entity_names[self.entity_of[j]].as_str(),
            )
        })
    }

    /// The index in `names` of the name mention that ends `span`.
    fn name_at_end(&self, span: Span) -> Option<usize> {
        let i = self.names.partition_point(|(s, _)| s.start < span.end);
        (i.saturating_sub(4)..i)
            .rev()
            .find(|&j| self.names[j].0.overlaps(span) && self.names[j].0.end == span.end)
    }

    /// Whether the entity layer found `name` as a place ("Arkansas"; not "GOP" or "Democratic",
    /// which it types as it types "American").
    fn is_place(&self, name: &str) -> bool {
        self.places.contains(name)
    }

    /// Whether an entity layer name covers byte `at` (a name mention holds it).
    pub fn names_cover(&self, at: usize) -> bool {
        let i = self.names.partition_point(|(s, _)| s.start <= at);
        self.names[..i]
            .iter()
            .rev()
            .take(8)
            .any(|(s, _)| s.start <= at && at < s.end)
    }

    /// "New York City", "the House", "Democrats": a place, an institution or a group, which
    /// "he" or "she" never is.
    pub fn not_a_person(&self, span: Span) -> bool {
        matches!(
            self.type_at(span),
            Some(EntityType::Location | EntityType::Organization | EntityType::Misc)
        )
    }

    /// Whether `span` holds a name the entity layer found to be a person.
    pub fn holds_person_name(&self, span: Span) -> bool {
        let i = self.names.partition_point(|(s, _)| s.start < span.start);
        self.names[i..]
            .iter()
            .take_while(|(s, _)| s.start < span.end)
            .any(|(s, t)| *t == EntityType::Person && span.contains(*s))
    }

    /// Whether an earlier speaker or person has this surname.
    pub fn knows_surname(&self, surname: &str) -> bool {
        self.by_surname.contains_key(surname)
    }

    /// Links a speaker phrase at `span` to a speaker, creating one if needed.
    pub fn resolve(&mut self, phrase: &Phrase, span: Span, as_speaker: bool) -> Option<usize> {
        let idx = match phrase {
            Phrase::Named {
                name,
                role,
                affiliation,
            } => self.named(name, role, affiliation, span),
            Phrase::Pronoun(gender, plural) => {
                self.find_antecedent(span.start, *gender, *plural)?
            }
            Phrase::Nominal {
                head,
                text,
                group,
                affiliation,
                indefinite,
            } => self.nominal(head, text, *group, affiliation, *indefinite),
        };
        // A possessor inside a nominal ("the president's budget director", "his aides") is
        // someone else.
        let kind = match phrase {
            Phrase::Pronoun(..) => Some(MentionKind::Pronoun),
            Phrase::Nominal { text, .. }
                if !text.contains("'s")
                    && !text.contains("’s")
                    && !text.split(' ').next().is_some_and(|w| {
                        matches!(w.to_lowercase().as_str(), "his" | "her" | "its" | "their")
                    }) =>
            {
                Some(MentionKind::Nominal)
            }
            _ => None,
        };
        self.record(idx, span, kind, as_speaker);
        Some(idx)
    }

    /// Records `span` as a mention of speaker `idx` (and as one that refers to it, of `kind`),
    /// and as an antecedent for later pronouns, as strong as a cue's speaker when `as_speaker`.
    fn record(&mut self, idx: usize, span: Span, kind: Option<MentionKind>, as_speaker: bool) {
        self.add_mention(idx, span);
        let s = &mut self.speakers[idx];
        if as_speaker {
            s.speaks = true;
        }
        // No scan for an earlier copy: `resolve_speakers` keeps each span once, and a speaker
        // resolved thousands of times in one long article made the scan quadratic.
        if let Some(kind) = kind {
            s.referred.push(Mention { span, kind });
        }
        self.antecedents.push((span.start, idx, as_speaker));
    }

    /// The person (or institution) a name refers to: an earlier speaker of the same name or
    /// surname, or a new one; what the phrase adds (a fuller name, a role) is kept.
    fn named(
        &mut self,
        name: &str,
        role: &Option<String>,
        affiliation: &Option<String>,
        span: Span,
    ) -> usize {
        // "Rep. John Delaney of Maryland", "James Pethokoukis of the American Enterprise
        // Institute": the place or institution that ends the phrase (or the part of it
        // the tagger found, "Enterprise Institute") is its affiliation, not what kind of
        // speaker the name is.
        // The name itself must be that entity: in "House Speaker Paul D. Ryan of Wisconsin" the
        // place ends the phrase, and "House" took the affiliation.
        let institution = self.entity_at_end(span).is_some_and(|(_, t, e)| {
            t != EntityType::Person
                && (e.ends_with(name) || name.ends_with(e))
                && !affiliation.as_deref().is_some_and(|a| a.ends_with(e))
        }) || brand_name(name);
        // "Eric Trump, the president's son": a relative introduced as one is not the person of
        // that surname the article spoke of before ("Trump called …"), whom a surname match
        // merged into him; only the same full name is the same relative.
        let relative = is_relative(role.as_deref());
        let gender = gender_of(name, role.as_deref());
        let entity = self.person_at_end(span);
        // The entity layer's sex where the phrase gives none ("Ghazala Khan", whom the census
        // lists do not know, is the "Ms. Khan" of later sentences, and no "Mr. Khan").
        let gender = match (gender, entity) {
            (Gender::Unknown, Some(e)) => self.entity_gender[e],
            _ => gender,
        };
        let idx = self
            .find_named(name, gender)
            .filter(|&i| !relative || self.speakers[i].name == name)
            .filter(|&i| !(name.contains(' ') && self.apart(entity, i, gender)))
            .unwrap_or_else(|| self.push(Speaker::new(name.to_string(), None, None, institution)));
        if self.entity_of_speaker[idx].is_none() {
            self.entity_of_speaker[idx] = entity;
        }
        if self.speakers[idx].gender == Gender::Unknown {
            self.speakers[idx].gender = gender;
        }
        let s = &mut self.speakers[idx];
        if name.split(' ').count() > s.name.split(' ').count() {
            s.name = name.to_string();
        }
        if s.role.is_none() {
            s.role = role.clone();
        }
        if s.affiliation.is_none() {
            s.affiliation = affiliation.clone();
        }
        if s.gender == Gender::Unknown {
            s.gender = gender_of(&s.name, s.role.as_deref());
        }
        idx
    }

    /// "the spokesperson", "the ministry": the latest speaker whose role (or, for a group, name)
    /// has the head word, else a new speaker. A group ("police", "the ministry") is never the
    /// person whose role names it ("Darren Wilson, Police Officer": the audit found police
    /// statements given to him); a plural group ("officials") is always new, and so is an
    /// indefinite one ("A judge is still considering …" is not Judge Amy Berman Jackson, quoted
    /// a paragraph before: SEESAW valid TRIPLET_051).
    fn nominal(
        &mut self,
        head: &str,
        text: &str,
        group: bool,
        affiliation: &Option<String>,
        indefinite: bool,
    ) -> usize {
        let asked = Nominal {
            head,
            group,
            // "the president" is not "former President Obama"; "the former president" may be.
            past: text.split(' ').any(super::is_past_title),
            deputy: {
                let words: Vec<&str> = text.split(' ').collect();
                let at = words.iter().rposition(|w| w.eq_ignore_ascii_case(head));
                at.is_some_and(|i| i > 0 && super::is_deputy_title(words[i - 1]))
            },
            // "the Idaho congressman" is someone the article placed in Idaho, not the last
            // congressman named.
            place: affiliation.as_deref().filter(|a| self.is_place(a)),
            affiliation: affiliation.as_deref(),
        };
        // The speaker mentioned last, not the one named last: "Hutchinson, too, said … the
        // governor said" after Gov. Mike Pence was first named (BASIL 2015).
        // Bounded as a pronoun's search is (a text of many articles holds hundreds of thousands
        // of mentions), then the speakers from the last named, as before this search.
        let found = (!indefinite)
            .then(|| {
                self.antecedents
                    .iter()
                    .rev()
                    .take(1000)
                    .map(|a| a.1)
                    .find(|&i| asked.fits(&self.speakers[i]))
                    .or_else(|| {
                        (0..self.speakers.len())
                            .rev()
                            .find(|&i| asked.fits(&self.speakers[i]))
                    })
            })
            .flatten();
        match found {
            Some(i) if !(group && head.ends_with('s')) => i,
            _ => self.push(Speaker::new(
                text.to_string(),
                (!group).then(|| head.to_string()),
                affiliation.clone(),
                group || head.ends_with('s'),
            )),
        }
    }

    fn push(&mut self, s: Speaker) -> usize {
        let idx = self.speakers.len();
        self.by_surname
            .entry(s.surname().to_string())
            .or_default()
            .push(idx);
        self.speakers.push(s);
        self.entity_of_speaker.push(None);
        idx
    }

    /// "Herman Cain … was asked by a caller why …": the one spoken to, who is likely to answer,
    /// becomes the first antecedent for a following "he said", ahead of the asker.
    pub fn note_addressee(&mut self, phrase: &Phrase, span: Span) {
        if self.resolve(phrase, span, false).is_some() {
            self.mark_subject();
        }
    }

    /// The latest mention becomes an antecedent as strong as a cue's speaker.
    pub fn mark_subject(&mut self) {
        if let Some(last) = self.antecedents.last_mut() {
            last.2 = true;
        }
    }

    /// Whether a singular pronoun of `gender` can be speaker `idx`: a person of that gender or
    /// of one not known.
    pub fn fits_pronoun(&self, idx: usize, gender: Gender) -> bool {
        let s = &self.speakers[idx];
        s.kind == SpeakerKind::Person
            && (s.gender == Gender::Unknown || gender == Gender::Unknown || s.gender == gender)
    }

    /// A pronoun at `span` that a rule has already linked to speaker `idx`: recorded as
    /// [`Registry::resolve`] records one it links itself.
    pub fn resolve_to(&mut self, idx: usize, span: Span) {
        self.record(idx, span, Some(MentionKind::Pronoun), true);
    }

    /// Adds a mention that refers to speaker `idx` without naming it ("who").
    pub fn add_mention(&mut self, idx: usize, span: Span) {
        if self.recorded.insert((idx, span)) {
            self.speakers[idx].mentions.push(span);
        }
    }

    /// Registers a narrative person mention ("…Trump approaches the issue…"), read by the phrase
    /// parser from the tokens at `span`, as a possible antecedent; returns the speaker it is.
    pub fn note_person(&mut self, phrase: Option<Phrase>, span: Span) -> Option<usize> {
        let Some(Phrase::Named {
            name,
            role,
            affiliation,
        }) = phrase
        else {
            return None;
        };
        let possessive = name.ends_with("'s") || name.ends_with("’s");
        let name = name
            .trim_end_matches("'s")
            .trim_end_matches("’s")
            .to_string();
        // One capitalised word is a person only when known, or when an honorific says so ("Mr.
        // Weiner"): "Noting" or "Despite" opening a sentence are not. A possessor ("questioned
        // Ms. Griffin's sanity") is not made an antecedent by its honorific: the "she said"
        // after it is the subject's.
        let honorific = !possessive
            && role
                .as_deref()
                .is_some_and(|r| crate::lexicon::HONORIFICS.contains_lower(r));
        if (name.split(' ').count() < 2
            && !honorific
            && self.find_named(&name, Gender::Unknown).is_none())
            || self.not_a_person(span)
        {
            return None;
        }
        self.resolve(
            &Phrase::Named {
                name,
                role,
                affiliation,
            },
            span,
            false,
        )
    }

    /// "Betsy Ebeling shook her head.": the only person of a sentence takes the gender of the
    /// pronoun after it, when no name list or title gave one (a later "he said" is someone else).
    pub fn learn_gender(&mut self, idx: usize, pronoun: &str) {
        let s = &mut self.speakers[idx];
        if s.gender == Gender::Unknown && s.kind == SpeakerKind::Person {
            if MALE_PRONOUNS.contains_lower(pronoun) {
                s.gender = Gender::Male;
            } else if FEMALE_PRONOUNS.contains_lower(pronoun) {
                s.gender = Gender::Female;
            }
        }
    }

    /// The earlier speaker a name (of this `gender`, where its honorific or first name tells)
    /// is: the same name, or the same surname. A man's "Mr. Trump" is not Melania Trump (in a
    /// BASIL article the two had become one speaker, and Melania's statement went to Kathy
    /// Griffin as "she" no longer fitted).
    fn find_named(&self, name: &str, gender: Gender) -> Option<usize> {
        let surname = name.rsplit(' ').next().unwrap_or(name);
        let parts: Vec<&str> = name.split(' ').collect();
        let candidates = self.by_surname.get(surname)?;
        // A bare surname is the person of that name, not a relative of theirs who shares it.
        let named =
            |i: &usize| !(parts.len() == 1 && is_relative(self.speakers[*i].role.as_deref()));
        let mut ordered: Vec<usize> = candidates.iter().copied().filter(named).collect();
        ordered.extend(candidates.iter().copied().filter(|i| !named(i)));
        // One of the sex the name gives before one whose sex nothing told: "Mrs. Trump" is the
        // Melania Trump named before, not the "President Trump" of the first sentence.
        if gender != Gender::Unknown {
            ordered.sort_by_key(|&i| self.speakers[i].gender != gender);
        }
        ordered.into_iter().find(|&i| {
            let s = &self.speakers[i];
            if gender != Gender::Unknown && s.gender != Gender::Unknown && s.gender != gender {
                return false;
            }
            // A group is found by its whole name only: "McConnell", typed an organisation by the
            // tagger in one SEESAW valid article, was a new speaker at each of his 6 quotes.
            (s.kind == SpeakerKind::Group && s.name == name)
                || s.kind == SpeakerKind::Person
                    && (s.name == name
                        || (s.surname() == surname
                            && (parts.len() == 1
                                || s.name.split(' ').count() == 1
                                || s.name.split(' ').next() == parts.first().copied())))
        })
    }

    /// The nearest earlier compatible mention; speakers of a cue win over bare mentions.
    fn find_antecedent(&self, pos: usize, gender: Gender, plural: bool) -> Option<usize> {
        let compatible = |i: usize| {
            let s = &self.speakers[i];
            // A document that speaks ("the letter says", not "the Washington Post") is no one
            // "they" refers back to.
            if plural {
                let head = s.name.rsplit(' ').next().unwrap_or("");
                let document = head.starts_with(char::is_lowercase)
                    && crate::lexicon::DOCUMENTS.contains_lower(head);
                return s.kind == SpeakerKind::Group && !document;
            }
            self.fits_pronoun(i, gender)
        };
        let earlier = || self.antecedents.iter().rev().filter(|(p, _, _)| *p < pos);
        earlier()
            .take(12)
            .find(|(_, i, subj)| *subj && compatible(*i))
            // Bounded: a pronoun with no compatible mention in the last 1,000 ("they" in an
            // article of no groups) scanned every earlier one, quadratic in a long text.
            .or_else(|| earlier().take(1000).find(|(_, i, _)| compatible(*i)))
            .map(|(_, i, _)| *i)
    }
}

/// "PolitiFact", "WikiLeaks", "HuffPost", "BuzzFeed": one word with a capital after three or more
/// lower-case letters is an organisation's name, not a person's ("McConnell", "DeSantis",
/// "MacArthur" have theirs after one or two). The tagger leaves such names untyped, and as
/// people they took later "he"s.
fn brand_name(name: &str) -> bool {
    !name.contains(' ')
        && name.char_indices().skip(1).any(|(i, c)| {
            c.is_uppercase()
                && name[..i]
                    .chars()
                    .rev()
                    .take_while(|c| c.is_lowercase())
                    .count()
                    >= 3
        })
}

/// Whether a speaker's role makes them someone's relative ("the president's son").
fn is_relative(role: Option<&str>) -> bool {
    role.is_some_and(|r| {
        r.split(|c: char| !c.is_alphanumeric() && c != '-')
            .any(|w| crate::lexicon::KINSHIP.contains_lower(w))
    })
}
