//! Flags shared by several commands, and the library objects they become (ripgrep's split of
//! parsing from `HiArgs`): an [`EngineConfig`], a [`Scorer`], an [`Analyzer`], party lists.

use std::path::PathBuf;

use anyhow::{bail, Context, Result};
use clap::{Args, ValueEnum};

use stancer::batch;
use stancer::engine::{DeviceChoice, EngineConfig, HubOptions, ModelSource, Precision, Templates};
use stancer::pairs::Scope;
use stancer::parties::{self, Gazetteer, PartyDef};
use stancer::report::Level;
use stancer::{Analyzer, Scorer, ScorerConfig};

#[derive(Args, Clone)]
pub struct ModelArgs {
    /// Model directory or Hugging Face id ORG/NAME[@REVISION] [default: the shipped model]
    #[arg(long, env = "STANCER_MODEL")]
    model: Option<String>,
    /// Use only the local Hugging Face cache (also STANCER_OFFLINE=1)
    #[arg(long)]
    offline: bool,
    /// Give up on a Hub download after this many seconds without progress
    #[arg(
        long,
        env = "STANCER_HUB_TIMEOUT",
        default_value_t = 60.0,
        value_name = "SECS"
    )]
    hub_timeout: f64,
    /// cpu, cuda[:N] or metal[:N] (GPU builds need --features cuda / metal)
    #[arg(long, default_value = "cpu")]
    device: String,
    /// auto: int8 linear layers where the CPU has AMX, AVX512-VNNI, AVX-VNNI or AVX2 and the model
    /// is BERT-family, else f32 (see README "Performance"); or f32, or int8
    #[arg(long, value_enum, default_value = "auto")]
    precision: PrecisionArg,
    /// Inputs per model batch
    #[arg(long, default_value_t = 32)]
    batch_size: usize,
    /// Longest input in tokens (default: the model's window)
    #[arg(long)]
    max_length: Option<usize>,
    /// JSON file with zero-shot hypothesis templates {"stance":[["favor","…{party}…"],…],"sentiment":[…]}
    #[arg(long)]
    templates: Option<PathBuf>,
}

#[derive(Args, Clone)]
pub struct PartyArgs {
    /// A party of your own: "NAME[:KIND]=ALIAS,ALIAS" (repeatable; overrides built-ins)
    #[arg(long = "party", value_name = "SPEC")]
    party: Vec<String>,
    /// An issue as a target, scored like a party: "NAME=ALIAS,ALIAS" (repeatable; aliases match
    /// in any letter case), e.g. "Sanctions=sanctions,embargo,restrictive measures"
    #[arg(long = "topic", value_name = "SPEC")]
    topic: Vec<String>,
    /// A TOML file of parties (see README)
    #[arg(long, value_name = "FILE")]
    parties: Option<PathBuf>,
    /// Which parties each quote is scored against
    #[arg(long, value_enum, default_value = "sentence")]
    parties_scope: ScopeArg,
    /// Summary level: parties as found, or folded into countries
    #[arg(long, value_enum, default_value = "party")]
    level: LevelArg,
    /// Find quotes with the rules alone: only speech with a reporting cue, no learned tagger
    /// (which also reports stances written as actions, "X criticized the decision")
    #[arg(long)]
    rules_only: bool,
}

#[derive(Clone, Copy, ValueEnum)]
enum PrecisionArg {
    Auto,
    F32,
    Int8,
}

#[derive(Clone, Copy, ValueEnum)]
enum ScopeArg {
    Quote,
    Sentence,
    Article,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum LevelArg {
    Party,
    Country,
}

impl LevelArg {
    pub fn level(self) -> Level {
        match self {
            LevelArg::Party => Level::Party,
            LevelArg::Country => Level::Country,
        }
    }
}

impl ModelArgs {
    /// Where the model comes from: `--model`, or the shipped one.
    pub fn source(&self) -> ModelSource {
        match &self.model {
            Some(s) => ModelSource::parse(s),
            None => ScorerConfig::default().model,
        }
    }

    pub fn engine_config(&self) -> Result<EngineConfig> {
        let device = DeviceChoice::parse(&self.device).with_context(|| {
            format!("--device {:?}: use cpu, cuda[:N] or metal[:N]", self.device)
        })?;
        let templates = match &self.templates {
            Some(f) => {
                let text = std::fs::read_to_string(f)
                    .with_context(|| format!("{}: cannot read templates", f.display()))?;
                serde_json::from_str::<Templates>(&text).with_context(|| {
                    format!(
                        "{}: expected {{\"stance\": [[label, template], …], \"sentiment\": […]}}",
                        f.display()
                    )
                })?
            }
            None => Templates::default(),
        };
        let mut hub = HubOptions::from_env();
        hub.offline |= self.offline;
        if !(self.hub_timeout > 0.0 && self.hub_timeout.is_finite()) {
            bail!(
                "--hub-timeout {}: expected a positive number of seconds",
                self.hub_timeout
            );
        }
        hub.stall_timeout = std::time::Duration::from_secs_f64(self.hub_timeout);
        Ok(EngineConfig {
            precision: match self.precision {
                PrecisionArg::Auto => Precision::Auto,
                PrecisionArg::F32 => Precision::F32,
                PrecisionArg::Int8 => Precision::Int8,
            },
            device,
            batch_size: self.batch_size,
            max_length: self.max_length,
            templates,
            hub,
        })
    }
}

impl PartyArgs {
    /// The user's parties (`--party`, `--parties FILE`), checked against the built-ins.
    pub fn defs(&self) -> Result<Vec<PartyDef>> {
        if self.party.is_empty() && self.topic.is_empty() && self.parties.is_none() {
            return Ok(Vec::new());
        }
        let builtin = Gazetteer::builtin_defs()?;
        let mut out = Vec::new();
        if let Some(f) = &self.parties {
            let text = std::fs::read_to_string(f)
                .with_context(|| format!("{}: cannot read parties file", f.display()))?;
            out.extend(parties::user::parse_toml(
                &f.display().to_string(),
                &text,
                &builtin,
            )?);
        }
        for spec in &self.party {
            out.push(parties::user::parse_spec(spec, &builtin)?);
        }
        for spec in &self.topic {
            out.push(parties::user::parse_topic_spec(spec, &builtin)?);
        }
        Ok(out)
    }

    pub fn scope(&self) -> Scope {
        match self.parties_scope {
            ScopeArg::Quote => Scope::Quote,
            ScopeArg::Sentence => Scope::Sentence,
            ScopeArg::Article => Scope::Article,
        }
    }

    fn quote_options(&self) -> stancer::quotes::ExtractOptions {
        stancer::quotes::ExtractOptions {
            learned: !self.rules_only,
        }
    }

    /// The model-free stages, for `extract`.
    pub fn analyzer(&self) -> Result<Analyzer> {
        Ok(Analyzer::new(self.defs()?, self.scope())?.with_quote_options(self.quote_options()))
    }
}

/// The scorer the flags describe.
pub fn scorer(m: &ModelArgs, p: &PartyArgs, include_text: bool) -> Result<Scorer> {
    let config = ScorerConfig {
        model: m.source(),
        engine: m.engine_config()?,
        scope: p.scope(),
        level: p.level.level(),
        parties: p.defs()?,
        include_text,
        quotes: p.quote_options(),
    };
    Ok(Scorer::new(config)?)
}

/// `--shard I/N`.
pub fn shard(s: Option<&str>) -> Result<Option<(usize, usize)>> {
    s.map(|s| {
        batch::parse_shard(s).with_context(|| format!("--shard {s:?}: expected I/N with 0 ≤ I < N"))
    })
    .transpose()
}
