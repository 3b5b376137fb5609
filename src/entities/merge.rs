//! One name, one entity: which entity each name mention the tagger finds joins (the same name,
//! a full name of the same person, a person's surname), and what keeps two people of one surname
//! apart (sex, a relative introduced as one).

use super::{is_name_suffix, without_honorific, Entity, EntityType, Mention, MentionKind};
use crate::lexicon::Sex;
use crate::text::Span;

/// Where a mention starts with the honorific written before it, when the tagger's span left it
/// out ("Mr. |Trump|").
fn honorific_start(text: &str, span: Span) -> usize {
    let before = text[..span.start].trim_end_matches(' ');
    let word = before.rsplit(' ').next().unwrap_or(before);
    if before.len() < span.start && crate::lexicon::honorific_sex(word).is_some() {
        before.len() - word.len()
    } else {
        span.start
    }
}

/// The sex the honorific of a name mention gives, written inside its span or just before it.
fn honorific_of(text: &str, span: Span) -> Option<Sex> {
    crate::lexicon::honorific_sex(&text[honorific_start(text, span)..span.end])
}

/// Two known sexes that differ: "Mr. Trump" is not Melania Trump.
fn other_sex(a: Option<Sex>, b: Option<Sex>) -> bool {
    matches!((a, b), (Some(x), Some(y)) if x != y)
}

/// Whether two full names are one person's: one surname, first names equal or one the other's
/// nickname, middle names (where both give one) with one initial. "Bob Mueller" after "Robert
/// Mueller" and "Christopher A. Wray" after "Christopher Wray" were separate parties, each with
/// half the quotes (SEESAW valid); "Eric Trump" stays apart from "Donald Trump".
fn one_person(a: &str, b: &str) -> bool {
    let (a, b) = (name_words(a), name_words(b));
    if a.len() < 2 || b.len() < 2 || a[a.len() - 1] != b[b.len() - 1] {
        return false;
    }
    let middle = |w: &[&str]| w[1..w.len() - 1].first().and_then(|m| m.chars().next());
    crate::lexicon::same_given_name(a[0], b[0])
        && match (middle(&a), middle(&b)) {
            (Some(x), Some(y)) => x == y,
            _ => true,
        }
}

/// A name's words without a trailing comma or a generational suffix after the second word
/// ("Robert S. Mueller III"); borrowed, not copied, since `add` asks `one_person` of every
/// earlier person for each full-name mention.
fn name_words(n: &str) -> Vec<&str> {
    let mut w: Vec<&str> = n.split(' ').map(|w| w.trim_end_matches(',')).collect();
    while w.len() > 2 && is_name_suffix(w[w.len() - 1]) {
        w.pop();
    }
    w
}

/// A name mention about to join an entity.
struct NewName<'t> {
    name: &'t str,
    /// Without an honorific: "Mr. Santorum" is a person, and the Rick Santorum named before.
    bare: &'t str,
    kind: EntityType,
    /// The sex the honorific written with it gives ("Mr. Khan").
    honorific: Option<Sex>,
    /// That, else the sex its listed first name gives.
    sex: Option<Sex>,
}

impl<'t> NewName<'t> {
    /// `name`: the entity's name where the span does not write it whole ("Khizr" of "Khizr and
    /// Ghazala Khan" is Khizr Khan).
    fn new(text: &'t str, span: Span, kind: EntityType, name: Option<&'t str>) -> Self {
        let name = name.unwrap_or_else(|| span.slice(text));
        let bare = without_honorific(name).unwrap_or(name);
        let honorific = honorific_of(text, span);
        NewName {
            name,
            bare,
            kind,
            honorific,
            sex: honorific.or_else(|| crate::lexicon::listed_name_sex(bare)),
        }
    }

    /// Whether this name is entity `e`, of sex `sex` where its honorifics or first name tell:
    /// the same name, a full name of the same person, or a person's surname.
    fn is(&self, e: &Entity, sex: Option<Sex>) -> bool {
        let person = self.kind == EntityType::Person
            && e.kind == self.kind
            && !other_sex(self.sex, sex)
            && if self.bare.contains(' ') {
                one_person(self.bare, &e.name)
            } else {
                e.name.rsplit(' ').next() == Some(self.bare)
            };
        e.name == self.name || self.said_of_person(e) || person
    }

    /// The surname of a person the article named in full, tagged here an organisation or a
    /// place ("the firing of McCabe" after "Andrew McCabe"; "LePage" seven times after "Gov. Paul
    /// LePage"): the person, one name keeping one type. A first version also wanted the person
    /// called by the bare surname before (tagged a person): `eval-ner` 89.7 with it, 90.0
    /// without; SEESAW valid relations found 360 → 363 (`eval-graph`).
    fn said_of_person(&self, e: &Entity) -> bool {
        self.kind != EntityType::Person
            && e.kind == EntityType::Person
            && !self.bare.contains(' ')
            && e.name.rsplit(' ').next() == Some(self.bare)
            && e.name.contains(' ')
    }
}

/// The entities found so far, with what decides which one a new name mention joins.
#[derive(Default)]
pub(super) struct Merger {
    pub(super) entities: Vec<Entity>,
    /// Introduced as someone's relative ([`introduced_as_relative`]).
    relatives: Vec<bool>,
    /// The sexes its mentions' honorifics gave ("Mr. Khan"; men's first): a "Ms. Khan" is
    /// someone else.
    honorifics: Vec<[bool; 2]>,
    index: NameIndex,
}

impl Merger {
    /// Adds a name mention to its entity (a new one if none matches), under `name` where the span
    /// does not write it whole; returns the entity's index.
    pub(super) fn add(
        &mut self,
        text: &str,
        kind: EntityType,
        span: Span,
        name: Option<&str>,
    ) -> usize {
        let n = NewName::new(text, span, kind, name);
        let mention = Mention {
            span,
            kind: MentionKind::Name,
        };
        let relative = introduced_as_relative(text, span);
        let i = match self.same(&n) {
            Some(i) => {
                self.entities[i].mentions.push(mention);
                i
            }
            None => match self.named_by_surname(&n, relative) {
                Some(i) => {
                    self.entities[i].name = n.name.to_string();
                    self.entities[i].mentions.push(mention);
                    self.index.insert(n.name, i);
                    i
                }
                None => {
                    self.entities.push(Entity {
                        kind,
                        name: n.name.to_string(),
                        mentions: vec![mention],
                    });
                    self.index.insert(n.name, self.entities.len() - 1);
                    self.entities.len() - 1
                }
            },
        };
        self.relatives.resize(self.entities.len(), false);
        self.honorifics.resize(self.entities.len(), [false; 2]);
        self.relatives[i] |= relative;
        match n.honorific {
            Some(Sex::Male) => self.honorifics[i][0] = true,
            Some(Sex::Female) => self.honorifics[i][1] = true,
            None => {}
        }
        i
    }

    /// The entity `n` names. A bare surname is the person of that name before a relative who
    /// shares it ("Trump" is not "Eric Trump, the president's son"), and one of the sex its
    /// honorific gives before one of a sex not known: "Mr. Trump" is Donald J. Trump rather than
    /// the "Trump" the tagger typed otherwise at first (PolNeAR dev, NYT 2016-09-28: 5 of its
    /// mentions; the speakers over the 729 articles `scripts/diff-extract` reads are the same
    /// either way).
    fn same(&self, n: &NewName) -> Option<usize> {
        let candidates = self.index.candidates(n);
        let is = |i: usize| n.is(&self.entities[i], self.sex(i));
        let named = |i: usize| self.entities[i].name == n.name || !self.relatives[i];
        let of_sex = |i: usize| n.sex.is_some() && self.sex(i) == n.sex;
        let first = |f: &dyn Fn(usize) -> bool| candidates.iter().copied().find(|&i| f(i));
        first(&|i| is(i) && named(i) && of_sex(i))
            .or_else(|| first(&|i| is(i) && named(i)))
            .or_else(|| first(&is))
    }

    /// A full name after its surname alone ("Peskov … Dmitry Peskov") takes the surname's
    /// mentions; not those of someone of the other sex the article called "Mr." or "Ms." (a
    /// first lady after "Mr. Trump").
    fn named_by_surname(&self, n: &NewName, relative: bool) -> Option<usize> {
        if n.kind != EntityType::Person || !n.name.contains(' ') || relative {
            return None;
        }
        let surname = n.name.rsplit(' ').next().unwrap_or(n.name);
        self.index.named(surname).into_iter().find(|&i| {
            let e = &self.entities[i];
            let other = match n.sex {
                Some(Sex::Male) => self.honorifics[i][1],
                Some(Sex::Female) => self.honorifics[i][0],
                None => false,
            };
            e.kind == n.kind && e.name == surname && !other
        })
    }

    /// The sex entity `i`'s honorifics, else its listed first name, give; none for a surname
    /// alone ("Trump"), which gathers every mention of it the tagger typed otherwise at first,
    /// "Mrs. Trump" among them (BASIL).
    fn sex(&self, i: usize) -> Option<Sex> {
        let name = &self.entities[i].name;
        let by_honorific = match self.honorifics[i] {
            [true, false] => Some(Sex::Male),
            [false, true] => Some(Sex::Female),
            _ => None,
        };
        by_honorific
            .filter(|_| without_honorific(name).unwrap_or(name).contains(' '))
            .or_else(|| crate::lexicon::listed_name_sex(name))
    }
}

/// The entities a name can join (`NewName::is`), by the names they have had and by their last
/// word with and without a generational suffix: asking every earlier entity made a sentence
/// listing 20,000 people take 18 s (quadratic in the people an article names). A superset: each
/// candidate is still asked, in entity order, so the answer is the scan's.
#[derive(Default)]
struct NameIndex {
    by_name: std::collections::HashMap<String, Vec<usize>>,
    by_last: std::collections::HashMap<String, Vec<usize>>,
}

impl NameIndex {
    fn insert(&mut self, name: &str, i: usize) {
        let push = |map: &mut std::collections::HashMap<String, Vec<usize>>, key: &str| {
            let v = map.entry(key.to_string()).or_default();
            if v.last() != Some(&i) {
                v.push(i);
            }
        };
        push(&mut self.by_name, name);
        push(&mut self.by_last, name.rsplit(' ').next().unwrap_or(name));
        if let Some(last) = name_words(name).last() {
            push(&mut self.by_last, last);
        }
    }

    /// The entities once named `name`, in entity order.
    fn named(&self, name: &str) -> Vec<usize> {
        let mut v = self.by_name.get(name).cloned().unwrap_or_default();
        v.sort_unstable();
        v.dedup();
        v
    }

    /// Every entity `n` could be: the same name, or the same last word (a surname, or the
    /// surname of a full name), in entity order.
    fn candidates(&self, n: &NewName) -> Vec<usize> {
        let mut v = self.named(n.name);
        let lasts = [
            n.bare.rsplit(' ').next(),
            name_words(n.bare).last().copied(),
        ];
        for last in lasts.into_iter().flatten() {
            v.extend(self.by_last.get(last).into_iter().flatten());
        }
        v.sort_unstable();
        v.dedup();
        v
    }
}

/// "Eric Trump, the president's son", "Ivanka Trump, his daughter": a name followed by an
/// appositive with a kinship noun is someone's relative, who often shares their surname.
fn introduced_as_relative(text: &str, span: Span) -> bool {
    let Some(rest) = text[span.end..].strip_prefix(", ") else {
        return false;
    };
    let appositive = rest.split([',', '.', ';', '\n']).next().unwrap_or("");
    appositive.split_whitespace().count() <= 6
        && appositive
            .split(|c: char| !c.is_alphanumeric() && c != '-')
            .any(|w| crate::lexicon::KINSHIP.contains_lower(w))
}

/// "Khizr and Ghazala Khan", "Bill and Hillary Clinton": a lone given name coordinated with a
/// full name is that family's, and shares the surname. Said alone, "Khizr" had been a person
/// apart and every "Mr. Khan" his wife's (PolNeAR train, NYT 2016-08-01). Read only where the
/// lone word is no surname of a person the article names in full ("Warren and Bernie Sanders"
/// after "Elizabeth Warren"), and is a given name of the lists or a word written once: a surname
/// the article uses alone ("Obama and Hillary Clinton") comes back.
pub(super) struct GivenNames<'w> {
    surnames: std::collections::HashSet<&'w str>,
    /// The first words of the people named in full, with their surnames: "Hillary and Tim
    /// Kaine" is Hillary Clinton.
    given: std::collections::HashMap<&'w str, Vec<&'w str>>,
    words: &'w [Vec<&'w str>],
    counts: std::cell::OnceCell<std::collections::HashMap<&'w str, usize>>,
}

impl<'w> GivenNames<'w> {
    /// From every sentence's words and the tagger's names in them.
    pub(super) fn new(words: &'w [Vec<&'w str>], names: &[Vec<super::Name>]) -> Self {
        let mut surnames = std::collections::HashSet::new();
        let mut given = std::collections::HashMap::<&str, Vec<&str>>::new();
        for (ws, names) in words.iter().zip(names) {
            for n in names.iter().filter(|n| n.kind == EntityType::Person) {
                let name = &ws[n.start..n.end];
                let suffixes = name.iter().rev().take_while(|w| is_name_suffix(w)).count();
                if name.len() - suffixes >= 2 {
                    surnames.insert(name[name.len() - suffixes - 1]);
                    given
                        .entry(name[0])
                        .or_default()
                        .push(name[name.len() - suffixes - 1]);
                }
            }
        }
        GivenNames {
            surnames,
            given,
            words,
            counts: std::cell::OnceCell::new(),
        }
    }

    /// The full name of person `n` where it is a lone given name before "and" and the full name
    /// `next` (the tagger's next name in the sentence).
    pub(super) fn full_name(
        &self,
        ws: &[&str],
        n: &super::Name,
        next: Option<&super::Name>,
    ) -> Option<String> {
        let next = next?;
        let coordinated = n.kind == EntityType::Person
            && next.kind == EntityType::Person
            && n.end == n.start + 1
            && next.start == n.end + 1
            && ws[n.end] == "and";
        if !coordinated {
            return None;
        }
        let given = ws[n.start];
        let full = &ws[next.start..next.end];
        // "Brandy, Monica and Lauryn Hill", "The Washington Post, Slate and CNN": a list of names.
        let listed = n.start >= 2
            && ws[n.start - 1] == ","
            && ws[n.start - 2]
                .chars()
                .next()
                .is_some_and(char::is_uppercase);
        // "James “Whitey” Bulger and Stephen Fleming": the end of a name the tagger cut.
        let cut = n.start >= 1
            && ws[n.start - 1]
                .chars()
                .next()
                .is_some_and(|c| c.is_uppercase() || matches!(c, '”' | '"' | '\''));
        let suffixes = full.iter().rev().take_while(|w| is_name_suffix(w)).count();
        if full.len() < suffixes + 2
            || crate::lexicon::is_title(full[0])
            || !given.chars().all(char::is_alphabetic)
            || listed
            || cut
            || self.surnames.contains(given)
            || !(crate::lexicon::is_first_name(given) || self.count(given) == 1)
        {
            return None;
        }
        let surname = full[full.len() - suffixes - 1];
        let someone_else = self
            .given
            .get(given)
            .is_some_and(|s| s.iter().any(|&s| s != surname));
        (!someone_else).then(|| format!("{given} {surname}"))
    }

    /// How often the article writes `w`; counted once, the first time a coordination asks.
    fn count(&self, w: &str) -> usize {
        let counts = self.counts.get_or_init(|| {
            let mut m = std::collections::HashMap::new();
            for w in self.words.iter().flatten() {
                *m.entry(*w).or_insert(0) += 1;
            }
            m
        });
        counts.get(w).copied().unwrap_or(0)
    }
}

/// The sex an honorific before one of `e`'s names gives ("Ms. Khan"), else its listed first name;
/// none for a surname alone, as `Merger` reads them. `Merger` keeps the honorifics of a named
/// person of one sex.
pub(crate) fn sex_of(text: &str, e: &Entity) -> Option<Sex> {
    if !without_honorific(&e.name).unwrap_or(&e.name).contains(' ') {
        return None;
    }
    e.mentions
        .iter()
        .filter(|m| m.kind == MentionKind::Name)
        .find_map(|m| honorific_of(text, m.span))
        .or_else(|| crate::lexicon::listed_name_sex(&e.name))
}
