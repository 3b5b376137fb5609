//! The built-in gazetteer: Phoenix/PETRARCH2 actors (generated, see scripts/make-gazetteer)
//! plus hand-written additions (`supplement.tsv`; `us_institutions.tsv`: U.S. parties, Congress,
//! courts and federal agencies), compiled into one Aho-Corasick automaton.

use std::collections::HashMap;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};

use super::{PartyDef, PartyKind};
use crate::error::{Error, Result};
use crate::text::Span;

const PHOENIX: &str = include_str!("data/phoenix.tsv");
const SUPPLEMENT: &str = include_str!("data/supplement.tsv");
const US_INSTITUTIONS: &str = include_str!("data/us_institutions.tsv");

/// Party definitions and the automaton over all their aliases.
pub struct Gazetteer {
    /// Every party definition, curated ones first.
    pub defs: Vec<PartyDef>,
    by_id: HashMap<String, usize>,
    automaton: AhoCorasick,
    /// For each automaton pattern: (party index, must match case exactly).
    patterns: Vec<(usize, bool)>,
    /// For each automaton pattern: the alias as written, for the case-exact check.
    alias_text: Vec<String>,
    /// People's names, lowercased words joined by one space → party index.
    names: HashMap<String, usize>,
    max_words: usize,
}

/// A name made of words only ("Vladimir V. Putin", "Jean-Claude Juncker", "O'Brien").
fn is_plain_name(a: &str) -> bool {
    a.split(' ').all(|w| {
        !w.is_empty()
            && w.chars().next().is_some_and(|c| c.is_alphabetic())
            && w.chars()
                .all(|c| c.is_alphanumeric() || matches!(c, '.' | '-' | '\'' | '’'))
    })
}

fn name_key(a: &str) -> String {
    a.split_whitespace()
        .map(|w| w.to_lowercase())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Word spans for name lookup: letters, digits and inner . - ' ; a final possessive 's is left out.
fn name_words(text: &str) -> Vec<Span> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < text.len() {
        let c = text[i..].chars().next().unwrap();
        if !c.is_alphanumeric() {
            i += c.len_utf8();
            continue;
        }
        let start = i;
        let mut end = i;
        let mut j = i;
        while j < text.len() {
            let d = text[j..].chars().next().unwrap();
            let next_alnum = text[j + d.len_utf8()..]
                .chars()
                .next()
                .is_some_and(|n| n.is_alphanumeric());
            if d.is_alphanumeric() {
                j += d.len_utf8();
                end = j;
            } else if d == '.'
                && (next_alnum || j - start == 1 || b.get(j.wrapping_sub(2)) == Some(&b'.'))
            {
                // initials and dotted abbreviations keep their dot: "V." "U.S."
                j += 1;
                end = j;
            } else if matches!(d, '-' | '\'' | '’') && next_alnum {
                // a possessive 's ends the word
                let rest = &text[j + d.len_utf8()..];
                if d != '-'
                    && rest.starts_with('s')
                    && !rest[1..]
                        .chars()
                        .next()
                        .is_some_and(|n| n.is_alphanumeric())
                {
                    break;
                }
                j += d.len_utf8();
            } else {
                break;
            }
        }
        out.push(Span::new(start, end));
        i = j.max(end).max(start + c.len_utf8());
    }
    out
}

/// A topic's alias written as the start of a longer proper name ("The Wall Street Journal" for
/// "the wall", "Sanctions Committee"): its last word capitalised and the next word too.
fn topic_in_a_name(d: &PartyDef, matched: &str, after: &str) -> bool {
    let capital = |w: &str| w.chars().next().is_some_and(char::is_uppercase);
    d.kind == PartyKind::Topic
        && matched.split(' ').next_back().is_some_and(capital)
        && after.strip_prefix(' ').is_some_and(capital)
}

/// One alias occurrence in a text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hit {
    /// Index into `defs`.
    pub party: usize,
    /// Where in the text (bytes).
    pub span: Span,
}

fn parse_tsv(src: &str, name: &str) -> Result<Vec<PartyDef>> {
    let mut out = Vec::new();
    for (n, line) in src.lines().enumerate() {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let f: Vec<&str> = line.split('\t').collect();
        if f.len() != 5 {
            return Err(Error::Parties {
                source_name: format!("{name}:{}", n + 1),
                message: format!("expected 5 tab-separated fields, got {}", f.len()),
            });
        }
        let kind = PartyKind::parse(f[1]).ok_or_else(|| Error::Parties {
            source_name: format!("{name}:{}", n + 1),
            message: format!("unknown kind {:?}", f[1]),
        })?;
        out.push(PartyDef {
            id: f[0].to_string(),
            name: f[2].to_string(),
            kind,
            affiliation: (!f[3].is_empty()).then(|| f[3].to_string()),
            aliases: f[4]
                .split('|')
                .filter(|a| !a.is_empty())
                .map(str::to_string)
                .collect(),
        });
    }
    Ok(out)
}

impl Gazetteer {
    /// The built-in gazetteer. Parsing and automaton construction take a few milliseconds
    /// (`cargo bench --bench pipeline` measures it).
    pub fn builtin() -> Result<Self> {
        Self::from_defs(Self::builtin_defs()?, Vec::new())
    }

    /// The built-in definitions (Phoenix + the supplement and U.S. institutions), curated entries
    /// first.
    pub fn builtin_defs() -> Result<Vec<PartyDef>> {
        let mut defs = parse_tsv(PHOENIX, "phoenix.tsv")?;
        let mut index: HashMap<String, usize> = defs
            .iter()
            .enumerate()
            .map(|(i, d)| (d.id.clone(), i))
            .collect();
        let mut supplement = parse_tsv(SUPPLEMENT, "supplement.tsv")?;
        supplement.extend(parse_tsv(US_INSTITUTIONS, "us_institutions.tsv")?);
        let curated: std::collections::HashSet<String> = supplement
            .iter()
            .flat_map(|s| s.aliases.iter().map(|a| a.to_lowercase()))
            .collect();
        let curated_ids: std::collections::HashSet<String> =
            supplement.iter().map(|s| s.id.clone()).collect();
        for s in supplement {
            match index.get(&s.id) {
                Some(&i) => {
                    let d = &mut defs[i];
                    d.name = s.name;
                    d.kind = s.kind;
                    d.affiliation = s.affiliation;
                    let mut aliases = s.aliases;
                    aliases.extend(std::mem::take(&mut d.aliases));
                    d.aliases = aliases;
                }
                None => {
                    index.insert(s.id.clone(), defs.len());
                    defs.push(s);
                }
            }
        }
        // Curated entries come first so their aliases win; Phoenix entries that merely
        // repeat a curated party under another id ("European Union" as an IGO) are dropped.
        defs.retain(|d| curated_ids.contains(&d.id) || !curated.contains(&d.name.to_lowercase()));
        defs.sort_by_key(|d| !curated_ids.contains(&d.id));
        Ok(defs)
    }

    /// Builds a gazetteer; `user` entries override built-ins with the same id, and
    /// take their aliases away from any other built-in party.
    pub fn from_defs(mut defs: Vec<PartyDef>, user: Vec<PartyDef>) -> Result<Self> {
        if !user.is_empty() {
            let claimed: std::collections::HashSet<String> = user
                .iter()
                .flat_map(|u| u.aliases.iter().map(|a| a.to_lowercase()))
                .collect();
            let user_ids: std::collections::HashSet<&str> =
                user.iter().map(|u| u.id.as_str()).collect();
            defs.retain(|d| !user_ids.contains(d.id.as_str()));
            for d in &mut defs {
                d.aliases.retain(|a| !claimed.contains(&a.to_lowercase()));
            }
            let mut all = user;
            all.append(&mut defs);
            defs = all;
        }
        let mut seen: HashMap<String, usize> = HashMap::new();
        let mut alias_list: Vec<String> = Vec::new();
        let mut patterns = Vec::new();
        let mut names: HashMap<String, usize> = HashMap::new();
        let mut max_words = 0;
        for (i, d) in defs.iter().enumerate() {
            for a in &d.aliases {
                let key = a.to_lowercase();
                // Short all-caps aliases (US, UN, EU, WHO) match case-exactly, so "us" stays a pronoun.
                let exact = a.chars().filter(|c| c.is_alphabetic()).count() <= 3
                    || a.chars().all(|c| !c.is_lowercase()) && a.len() <= 5 && !a.contains(' ');
                // A topic's words are common nouns: never case-exact.
                let exact =
                    exact && a.chars().any(|c| c.is_uppercase()) && d.kind != PartyKind::Topic;
                let key = if exact { a.clone() } else { key };
                if seen.contains_key(&key) {
                    continue; // first definition wins (user, then supplement, then Phoenix order)
                }
                seen.insert(key.clone(), i);
                // People's names (capitalised word sequences) go to a hash table keyed by their
                // words; everything else goes to the automaton.
                if d.kind == PartyKind::Person && !exact && is_plain_name(a) {
                    let words = name_key(a);
                    max_words = max_words.max(words.split(' ').count());
                    names.entry(words).or_insert(i);
                    continue;
                }
                alias_list.push(a.clone());
                patterns.push((i, exact));
            }
        }
        // Case-folding is done by ASCII-lowercasing both sides (byte offsets are kept), and the
        // automaton is a plain NFA over the ~10k non-person aliases: with people's names in it too,
        // and as a DFA, it took 170 ms to build.
        let folded: Vec<String> = alias_list.iter().map(|a| a.to_ascii_lowercase()).collect();
        let automaton = AhoCorasickBuilder::new()
            // Standard semantics + overlapping search, longest match chosen in `find`: building
            // leftmost-longest takes twice as long.
            .match_kind(MatchKind::Standard)
            .kind(Some(aho_corasick::AhoCorasickKind::NoncontiguousNFA))
            .build(&folded)
            .map_err(|e| Error::Parties {
                source_name: "gazetteer".into(),
                message: e.to_string(),
            })?;
        let by_id = defs
            .iter()
            .enumerate()
            .map(|(i, d)| (d.id.clone(), i))
            .collect();
        Ok(Gazetteer {
            defs,
            by_id,
            automaton,
            patterns,
            alias_text: alias_list,
            names,
            max_words,
        })
    }

    /// Index of a party by id.
    pub fn get(&self, id: &str) -> Option<usize> {
        self.by_id.get(id).copied()
    }

    /// Every alias occurrence at word boundaries, longest match first, no overlaps.
    pub fn find(&self, text: &str) -> Vec<Hit> {
        let mut out = self.find_aliases(text);
        out.extend(self.find_names(text));
        out.sort_by_key(|h| (h.span.start, std::cmp::Reverse(h.span.end)));
        let mut kept: Vec<Hit> = Vec::with_capacity(out.len());
        for h in out {
            if kept.last().is_some_and(|k: &Hit| k.span.overlaps(h.span)) {
                continue;
            }
            kept.push(h);
        }
        kept
    }

    /// People's names: the longest run of capitalised words that is a known name.
    fn find_names(&self, text: &str) -> Vec<Hit> {
        let words = name_words(text);
        let mut out = Vec::new();
        let mut i = 0;
        while i < words.len() {
            let cap = |w: &Span| {
                w.slice(text)
                    .chars()
                    .next()
                    .is_some_and(|c| c.is_uppercase())
            };
            if !cap(&words[i]) {
                i += 1;
                continue;
            }
            let mut found = None;
            let mut key = String::new();
            for n in 0..self.max_words.min(words.len() - i) {
                let w = words[i + n];
                // words of one name are separated by a single space
                if n > 0 && (text[words[i + n - 1].end..w.start] != *" " || !cap(&w)) {
                    break;
                }
                if n > 0 {
                    key.push(' ');
                }
                key.push_str(&w.slice(text).to_lowercase());
                if let Some(&p) = self.names.get(&key) {
                    found = Some((p, n + 1));
                }
            }
            match found {
                Some((party, n)) => {
                    out.push(Hit {
                        party,
                        span: Span::new(words[i].start, words[i + n - 1].end),
                    });
                    i += n;
                }
                None => i += 1,
            }
        }
        out
    }

    fn find_aliases(&self, text: &str) -> Vec<Hit> {
        let mut out = Vec::new();
        let folded = text.to_ascii_lowercase();
        for m in self.automaton.find_overlapping_iter(&folded) {
            let (party, exact) = self.patterns[m.pattern().as_usize()];
            let s = &text[m.start()..m.end()];
            if exact && s != self.alias_text[m.pattern().as_usize()] {
                continue;
            }
            // Proper nouns only, topics apart: the match must carry a capital letter.
            if !s.chars().any(|c| c.is_uppercase()) && self.defs[party].kind != PartyKind::Topic {
                continue;
            }
            let before = text[..m.start()].chars().next_back();
            let after = text[m.end()..].chars().next();
            let boundary_before = before.is_none_or(|c| !c.is_alphanumeric());
            // "U.S." ends in a dot; a following letter is still a boundary break
            let boundary_after = after.is_none_or(|c| !c.is_alphanumeric()) || s.ends_with('.');
            if boundary_before
                && boundary_after
                && !topic_in_a_name(&self.defs[party], s, &text[m.end()..])
            {
                out.push(Hit {
                    party,
                    span: Span::new(m.start(), m.end()),
                });
            }
        }
        out
    }

    /// The party a whole phrase names ("Kremlin" → Russia, "Russian" → Russia), if any.
    pub fn lookup(&self, phrase: &str) -> Option<usize> {
        let p = phrase.trim();
        self.find(p)
            .into_iter()
            .find(|h| h.span.start == 0 && h.span.end == p.len())
            .map(|h| h.party)
    }
}
