//! User-defined parties: `--party "NAME[:KIND]=ALIAS,ALIAS"` and `--parties FILE` (TOML).
//!
//! ```toml
//! # parties.toml
//! [[party]]
//! name = "Ukraine"
//! kind = "country"            # country | government | person | organization | topic (default organization)
//! aliases = ["Ukraine", "Kyiv", "Kiev", "Zelensky", "Ukrainian"]
//!
//! [[party]]
//! id = "AZOV"                 # optional; defaults to the name in capitals with underscores
//! name = "Azov Brigade"
//! affiliation = "UKR"         # optional: the id of the party it belongs to
//! aliases = ["Azov", "Azov Brigade"]
//!
//! [[party]]
//! name = "Sanctions"
//! kind = "topic"              # an issue: aliases match in any letter case
//! aliases = ["sanctions", "embargo", "restrictive measures"]
//! ```
//!
//! A user party whose id or name matches a built-in party replaces it, and every alias a
//! user party lists is taken away from the built-in parties. `--topic "NAME=ALIAS,…"` is
//! `--party "NAME:topic=ALIAS,…"`.

use serde::Deserialize;

use super::{Gazetteer, PartyDef, PartyKind};
use crate::error::{Error, Result};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    #[serde(default)]
    party: Vec<Entry>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Entry {
    id: Option<String>,
    name: String,
    kind: Option<String>,
    affiliation: Option<String>,
    #[serde(default)]
    aliases: Vec<String>,
}

fn def_from(
    source: &str,
    id: Option<String>,
    name: String,
    kind: Option<&str>,
    affiliation: Option<String>,
    mut aliases: Vec<String>,
    builtin: &[PartyDef],
) -> Result<PartyDef> {
    let err = |message: String| Error::Parties {
        source_name: source.to_string(),
        message,
    };
    if name.trim().is_empty() {
        return Err(err("a party needs a non-empty name".into()));
    }
    let kind = match kind {
        Some(k) => PartyKind::parse(k).ok_or_else(|| err(format!("party {name:?}: unknown kind {k:?}; use country, government, person, organization or topic")))?,
        None => same_builtin(builtin, &name).map(|d| d.kind).unwrap_or(PartyKind::Organization),
    };
    let id = id.unwrap_or_else(|| {
        same_builtin(builtin, &name)
            .map(|d| d.id.clone())
            .unwrap_or_else(|| {
                name.to_uppercase()
                    .split(|c: char| !c.is_alphanumeric())
                    .filter(|s| !s.is_empty())
                    .collect::<Vec<_>>()
                    .join("_")
            })
    });
    if !aliases.iter().any(|a| a == &name) {
        aliases.insert(0, name.clone());
    }
    aliases.retain(|a| !a.trim().is_empty());
    Ok(PartyDef {
        id,
        name,
        kind,
        affiliation,
        aliases: aliases.into_iter().map(|a| a.trim().to_string()).collect(),
    })
}

/// The built-in party a user party of this name replaces (curated entries come first).
fn same_builtin<'a>(builtin: &'a [PartyDef], name: &str) -> Option<&'a PartyDef> {
    builtin
        .iter()
        .find(|d| d.name.eq_ignore_ascii_case(name) || d.id.eq_ignore_ascii_case(name))
}

/// Parses `NAME[:KIND]=ALIAS,ALIAS,…` as given to `--party`.
pub fn parse_spec(spec: &str, builtin: &[PartyDef]) -> Result<PartyDef> {
    let (head, aliases) = split_spec(spec, "--party", "Ukraine=Ukraine,Kyiv,Kiev,Zelensky")?;
    let (name, kind) = match head.split_once(':') {
        Some((n, k)) => (n, Some(k.trim())),
        None => (head, None),
    };
    let source = format!("--party {spec:?}");
    def_from(
        &source,
        None,
        name.trim().to_string(),
        kind,
        None,
        aliases,
        builtin,
    )
}

/// Parses `NAME=ALIAS,ALIAS` as given to `--topic`: a party of kind topic.
pub fn parse_topic_spec(spec: &str, builtin: &[PartyDef]) -> Result<PartyDef> {
    let (name, aliases) = split_spec(spec, "--topic", "Sanctions=sanctions,embargo")?;
    let source = format!("--topic {spec:?}");
    if name.contains(':') {
        return Err(Error::Parties {
            source_name: source,
            message: "a topic has no kind: write NAME=ALIAS,ALIAS (or --party NAME:KIND=…)".into(),
        });
    }
    let name = name.trim().to_string();
    def_from(&source, None, name, Some("topic"), None, aliases, builtin)
}

/// `HEAD=ALIAS,ALIAS` split at its `=`, the aliases trimmed; `flag` and `example` for the error.
fn split_spec<'s>(spec: &'s str, flag: &str, example: &str) -> Result<(&'s str, Vec<String>)> {
    let (head, aliases) = spec.split_once('=').ok_or_else(|| Error::Parties {
        source_name: format!("{flag} {spec:?}"),
        message: format!("expected NAME=ALIAS,ALIAS (for example \"{example}\")"),
    })?;
    let aliases = aliases
        .split(',')
        .map(|a| a.trim().to_string())
        .filter(|a| !a.is_empty())
        .collect();
    Ok((head, aliases))
}

/// Parses a parties TOML file's text; `source` names it in errors.
pub fn parse_toml(source: &str, text: &str, builtin: &[PartyDef]) -> Result<Vec<PartyDef>> {
    let f: File = toml::from_str(text).map_err(|e| Error::Parties {
        source_name: source.to_string(),
        message: e.to_string(),
    })?;
    f.party
        .into_iter()
        .map(|e| {
            def_from(
                source,
                e.id,
                e.name,
                e.kind.as_deref(),
                e.affiliation,
                e.aliases,
                builtin,
            )
        })
        .collect()
}

/// The built-in gazetteer with user parties on top.
pub fn gazetteer_with(user: Vec<PartyDef>) -> Result<Gazetteer> {
    Gazetteer::from_defs(Gazetteer::builtin_defs()?, user)
}
