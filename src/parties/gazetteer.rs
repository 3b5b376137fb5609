//! The built-in gazetteer: Phoenix/PETRARCH2 actors (generated, see scripts/make-gazetteer)
//! plus a hand-written supplement, compiled into one Aho-Corasick automaton.

use std::collections::HashMap;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};

use super::{PartyDef, PartyKind};
use crate::error::{Error, Result};
use crate::text::Span;

const PHOENIX: &str = include_str!("data/phoenix.tsv");
const SUPPLEMENT: &str = include_str!("data/supplement.tsv");

/// Party definitions and the automaton over all their aliases.
pub struct Gazetteer {
    pub defs: Vec<PartyDef>,
    by_id: HashMap<String, usize>,
    automaton: AhoCorasick,
    /// For each automaton pattern: (party index, must match case exactly).
    patterns: Vec<(usize, bool)>,
    /// For each automaton pattern: the alias as written, for the case-exact check.
    alias_text: Vec<String>,
}

/// One alias occurrence in a text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hit {
    pub party: usize,
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

    pub fn builtin_defs() -> Result<Vec<PartyDef>> {
        let mut defs = parse_tsv(PHOENIX, "phoenix.tsv")?;
        let mut index: HashMap<String, usize> = defs
            .iter()
            .enumerate()
            .map(|(i, d)| (d.id.clone(), i))
            .collect();
        let supplement = parse_tsv(SUPPLEMENT, "supplement.tsv")?;
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
        for (i, d) in defs.iter().enumerate() {
            for a in &d.aliases {
                let key = a.to_lowercase();
                // Short all-caps aliases (US, UN, EU, WHO) match case-exactly, so "us" stays a pronoun.
                let exact = a.chars().filter(|c| c.is_alphabetic()).count() <= 3
                    || a.chars().all(|c| !c.is_lowercase()) && a.len() <= 5 && !a.contains(' ');
                let exact = exact && a.chars().any(|c| c.is_uppercase());
                let key = if exact { a.clone() } else { key };
                if seen.contains_key(&key) {
                    continue; // first definition wins (user, then supplement, then Phoenix order)
                }
                seen.insert(key.clone(), i);
                alias_list.push(a.clone());
                patterns.push((i, exact));
            }
        }
        let automaton = AhoCorasickBuilder::new()
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::LeftmostLongest)
            .build(&alias_list)
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
        })
    }

    pub fn get(&self, id: &str) -> Option<usize> {
        self.by_id.get(id).copied()
    }

    /// Every alias occurrence at word boundaries, longest match first, no overlaps.
    pub fn find(&self, text: &str) -> Vec<Hit> {
        let mut out = Vec::new();
        for m in self.automaton.find_iter(text) {
            let (party, exact) = self.patterns[m.pattern().as_usize()];
            let s = &text[m.start()..m.end()];
            if exact && s != self.alias_text[m.pattern().as_usize()] {
                continue;
            }
            // Proper nouns only: the match must carry a capital letter.
            if !s.chars().any(|c| c.is_uppercase()) {
                continue;
            }
            let before = text[..m.start()].chars().next_back();
            let after = text[m.end()..].chars().next();
            let boundary_before = before.is_none_or(|c| !c.is_alphanumeric());
            // "U.S." ends in a dot; a following letter is still a boundary break
            let boundary_after = after.is_none_or(|c| !c.is_alphanumeric()) || s.ends_with('.');
            if boundary_before && boundary_after {
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
