//! The `stancer` command line: a thin layer over the library.

use std::io::{BufRead, IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{bail, Context, Result};
use clap::{Args, Parser, Subcommand, ValueEnum};

use stancer::batch::{self, BatchOptions};
use stancer::engine::{DeviceChoice, EngineConfig, HubOptions, ModelSource, Pair, Templates};
use stancer::input::{Article, InputFormat, DEFAULT_MAX_BYTES};
use stancer::output;
use stancer::pairs::Scope;
use stancer::parties::{self, Gazetteer, PartyDef};
use stancer::report::Level;
use stancer::{Error, Scorer, ScorerConfig};

#[derive(Parser)]
#[command(
    name = "stancer",
    version,
    about = "Find attributed quotes in news articles and score their stance toward the parties they name."
)]
struct Cli {
    #[command(subcommand)]
    cmd: Cmd,
}

#[derive(Subcommand)]
enum Cmd {
    /// Score articles: quotes, speakers, parties, stance and sentiment.
    Score(ScoreArgs),
    /// Score every article under a directory into a JSON-lines file (resumable).
    Batch(BatchArgs),
    /// Score your own (text, target) pairs, given as JSON lines.
    Classify(ClassifyArgs),
    /// Quotes, speakers and parties only (no model): fast, for inspection and evaluation.
    Extract(ExtractArgs),
}

#[derive(Args, Clone)]
struct ModelArgs {
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
struct PartyArgs {
    /// A party of your own: "NAME[:KIND]=ALIAS,ALIAS" (repeatable; overrides built-ins)
    #[arg(long = "party", value_name = "SPEC")]
    party: Vec<String>,
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
enum ScopeArg {
    Quote,
    Sentence,
    Article,
}

#[derive(Clone, Copy, ValueEnum)]
enum LevelArg {
    Party,
    Country,
}

#[derive(Clone, Copy, ValueEnum, PartialEq)]
enum Format {
    Table,
    Json,
    Jsonl,
    Csv,
    Html,
}

#[derive(Clone, Copy, ValueEnum)]
enum ColorArg {
    Auto,
    Always,
    Never,
}

#[derive(Args)]
struct ScoreArgs {
    /// Article files (.txt, .md, .html, .json); - for standard input
    #[arg(required_unless_present = "jsonl")]
    files: Vec<PathBuf>,
    /// Read JSON lines {"id":…,"text":…} from FILE (- for stdin) and write one report per line
    #[arg(long, value_name = "FILE")]
    jsonl: Option<PathBuf>,
    /// With --jsonl: take only lines I, I+N, I+2N… (0-based), for N parallel workers
    #[arg(long, value_name = "I/N")]
    shard: Option<String>,
    #[arg(long, value_enum, default_value = "table")]
    format: Format,
    /// Where --format html writes its pages (one per article)
    #[arg(long, default_value = "stancer-html")]
    html_dir: PathBuf,
    /// Put the article text (what offsets refer to) into the JSON
    #[arg(long)]
    include_text: bool,
    /// Largest input accepted, in bytes
    #[arg(long, default_value_t = DEFAULT_MAX_BYTES)]
    max_bytes: u64,
    #[arg(long, value_enum, default_value = "auto")]
    color: ColorArg,
    #[command(flatten)]
    model: ModelArgs,
    #[command(flatten)]
    parties: PartyArgs,
}

#[derive(Args)]
struct BatchArgs {
    /// Directory to walk (recursively; hidden files skipped)
    dir: PathBuf,
    /// Output JSON-lines file
    #[arg(long)]
    out: PathBuf,
    /// Articles scored in parallel
    #[arg(long, default_value_t = 1)]
    jobs: usize,
    /// Skip inputs already in --out and append the rest
    #[arg(long)]
    resume: bool,
    /// Overwrite an existing --out
    #[arg(long, conflicts_with = "resume")]
    force: bool,
    /// Only files matching this glob (default: *.txt, *.md, *.html, *.htm, *.json)
    #[arg(long)]
    glob: Option<String>,
    /// Take every N-th file starting at I (0-based): split one corpus over N machines
    #[arg(long, value_name = "I/N")]
    shard: Option<String>,
    #[arg(long, default_value_t = DEFAULT_MAX_BYTES)]
    max_bytes: u64,
    /// Put each article's text into its line
    #[arg(long)]
    include_text: bool,
    #[command(flatten)]
    model: ModelArgs,
    #[command(flatten)]
    parties: PartyArgs,
}

#[derive(Args)]
struct ClassifyArgs {
    /// JSON lines {"id"?, "text", "target", "holder"?, "target_span"?: [start, end]}; - or nothing for stdin
    input: Option<PathBuf>,
    #[command(flatten)]
    model: ModelArgs,
}

#[derive(Args)]
struct ExtractArgs {
    /// Article files; - for standard input
    #[arg(required_unless_present = "jsonl")]
    files: Vec<PathBuf>,
    /// Read `{"id": …, "text": …}` lines from FILE (- for stdin) instead of files; one report
    /// (or error record) per line, as `score --jsonl`
    #[arg(long, value_name = "FILE", conflicts_with = "files")]
    jsonl: Option<PathBuf>,
    /// With --jsonl: take only lines I, I+N, I+2N… (0-based), for N parallel workers
    #[arg(long, value_name = "I/N", requires = "jsonl")]
    shard: Option<String>,
    #[arg(long, default_value_t = DEFAULT_MAX_BYTES)]
    max_bytes: u64,
    /// Put the article text (what offsets refer to) into each report
    #[arg(long)]
    include_text: bool,
    #[command(flatten)]
    parties: PartyArgs,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.cmd {
        Cmd::Score(a) => score(a),
        Cmd::Batch(a) => run_batch(a),
        Cmd::Classify(a) => classify(a),
        Cmd::Extract(a) => extract(a),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            // A closed pipe (`stancer … | head`) is not an error worth a message.
            if e.downcast_ref::<std::io::Error>()
                .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
            {
                return ExitCode::SUCCESS;
            }
            eprintln!("stancer: {e:#}");
            ExitCode::from(2)
        }
    }
}

fn user_parties(p: &PartyArgs) -> Result<Vec<PartyDef>> {
    if p.party.is_empty() && p.parties.is_none() {
        return Ok(Vec::new());
    }
    let builtin = Gazetteer::builtin_defs()?;
    let mut out = Vec::new();
    if let Some(f) = &p.parties {
        let text = std::fs::read_to_string(f)
            .with_context(|| format!("{}: cannot read parties file", f.display()))?;
        out.extend(parties::user::parse_toml(
            &f.display().to_string(),
            &text,
            &builtin,
        )?);
    }
    for spec in &p.party {
        out.push(parties::user::parse_spec(spec, &builtin)?);
    }
    Ok(out)
}

fn scope(p: &PartyArgs) -> Scope {
    match p.parties_scope {
        ScopeArg::Quote => Scope::Quote,
        ScopeArg::Sentence => Scope::Sentence,
        ScopeArg::Article => Scope::Article,
    }
}

fn engine_config(m: &ModelArgs) -> Result<EngineConfig> {
    let device = DeviceChoice::parse(&m.device)
        .with_context(|| format!("--device {:?}: use cpu, cuda[:N] or metal[:N]", m.device))?;
    let templates = match &m.templates {
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
    hub.offline |= m.offline;
    if !(m.hub_timeout > 0.0 && m.hub_timeout.is_finite()) {
        bail!(
            "--hub-timeout {}: expected a positive number of seconds",
            m.hub_timeout
        );
    }
    hub.stall_timeout = std::time::Duration::from_secs_f64(m.hub_timeout);
    Ok(EngineConfig {
        device,
        batch_size: m.batch_size,
        max_length: m.max_length,
        templates,
        hub,
    })
}

fn quote_options(p: &PartyArgs) -> stancer::quotes::ExtractOptions {
    stancer::quotes::ExtractOptions {
        learned: !p.rules_only,
    }
}

fn scorer(m: &ModelArgs, p: &PartyArgs, include_text: bool) -> Result<Scorer> {
    let model = match &m.model {
        Some(s) => ModelSource::parse(s),
        None => ScorerConfig::default().model,
    };
    let config = ScorerConfig {
        model,
        engine: engine_config(m)?,
        scope: scope(p),
        level: match p.level {
            LevelArg::Party => Level::Party,
            LevelArg::Country => Level::Country,
        },
        parties: user_parties(p)?,
        include_text,
        quotes: quote_options(p),
    };
    Ok(Scorer::new(config)?)
}

fn shard_arg(s: Option<&str>) -> Result<Option<(usize, usize)>> {
    s.map(|s| {
        batch::parse_shard(s).with_context(|| format!("--shard {s:?}: expected I/N with 0 ≤ I < N"))
    })
    .transpose()
}

fn score(a: ScoreArgs) -> Result<ExitCode> {
    let shard = shard_arg(a.shard.as_deref())?;
    if shard.is_some() && a.jsonl.is_none() {
        bail!("--shard applies to --jsonl input; for files use `stancer batch DIR --shard I/N`");
    }
    let scorer = scorer(
        &a.model,
        &a.parties,
        a.include_text || a.format == Format::Html,
    )?;
    let stdout = std::io::stdout();
    let color = match a.color {
        ColorArg::Always => true,
        ColorArg::Never => false,
        ColorArg::Auto => stdout.is_terminal() && std::env::var_os("NO_COLOR").is_none(),
    };
    let mut out = stdout.lock();
    let mut failed = 0usize;
    let mut reports = Vec::new();
    let articles: Box<dyn Iterator<Item = (String, stancer::Result<Article>)>> = match &a.jsonl {
        Some(src) => Box::new(jsonl_articles(src, shard)?.into_iter()),
        None => Box::new(
            a.files
                .iter()
                .map(|f| (f.display().to_string(), Article::from_path(f, a.max_bytes))),
        ),
    };
    if a.format == Format::Csv {
        writeln!(out, "{}", output::csv::HEADER)?;
    }
    for (id, art) in articles {
        let res = art.and_then(|art| scorer.score_article(&art));
        match res {
            Ok(r) => match a.format {
                Format::Table => {
                    write!(out, "{}", output::table::render(&r, color))?;
                    writeln!(out)?;
                }
                Format::Jsonl => writeln!(out, "{}", serde_json::to_string(&r)?)?,
                Format::Csv => write!(out, "{}", output::csv::rows(&r))?,
                Format::Json => reports.push(r),
                Format::Html => {
                    std::fs::create_dir_all(&a.html_dir)
                        .with_context(|| format!("{}: cannot create", a.html_dir.display()))?;
                    let stem = Path::new(&id)
                        .file_stem()
                        .map(|s| s.to_string_lossy().to_string())
                        .filter(|s| !s.is_empty() && s != "-")
                        .unwrap_or_else(|| "stdin".into());
                    let path = a.html_dir.join(format!("{stem}.html"));
                    std::fs::write(&path, output::html::render(&r))
                        .with_context(|| format!("{}: cannot write", path.display()))?;
                    writeln!(out, "{}", path.display())?;
                }
            },
            Err(e) if e.is_input_error() => {
                failed += 1;
                eprintln!("stancer: {e}");
                if a.jsonl.is_some() && a.format == Format::Jsonl {
                    writeln!(out, "{}", batch::error_line(&id, &e))?;
                }
            }
            Err(e) => return Err(e.into()),
        }
    }
    if a.format == Format::Json {
        if reports.len() == 1 && a.jsonl.is_none() && a.files.len() == 1 {
            serde_json::to_writer_pretty(&mut out, &reports[0])?;
        } else {
            serde_json::to_writer_pretty(&mut out, &reports)?;
        }
        writeln!(out)?;
    }
    out.flush()?;
    Ok(if failed > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// Reads `{"id":…,"text":…}` lines; bad lines become input errors for that line.
fn jsonl_articles(
    src: &Path,
    shard: Option<(usize, usize)>,
) -> Result<Vec<(String, stancer::Result<Article>)>> {
    let reader: Box<dyn BufRead> = if src == Path::new("-") {
        Box::new(std::io::BufReader::new(std::io::stdin()))
    } else {
        Box::new(std::io::BufReader::new(
            std::fs::File::open(src).with_context(|| format!("{}: cannot open", src.display()))?,
        ))
    };
    let mut out = Vec::new();
    for (n, line) in reader.lines().enumerate() {
        let line =
            line.with_context(|| format!("{}: read error at line {}", src.display(), n + 1))?;
        if shard.is_some_and(|(i, k)| n % k != i) || line.trim().is_empty() {
            continue;
        }
        let fallback = format!("{}:{}", src.display(), n + 1);
        let parsed: std::result::Result<serde_json::Value, _> = serde_json::from_str(&line);
        let (id, art) = match parsed {
            Ok(v) => {
                let id = v["id"]
                    .as_str()
                    .map(str::to_string)
                    .or_else(|| v["id"].as_u64().map(|i| i.to_string()))
                    .unwrap_or(fallback.clone());
                let art = match v["text"].as_str() {
                    Some(t) => Article::from_bytes(&id, t.as_bytes(), InputFormat::Text),
                    None => Err(Error::BadJson {
                        input: fallback,
                        message: "no \"text\" string".into(),
                    }),
                };
                (id, art)
            }
            Err(e) => (
                fallback.clone(),
                Err(Error::BadJson {
                    input: fallback,
                    message: e.to_string(),
                }),
            ),
        };
        out.push((id, art));
    }
    Ok(out)
}

fn run_batch(a: BatchArgs) -> Result<ExitCode> {
    let shard = shard_arg(a.shard.as_deref())?;
    let scorer = scorer(&a.model, &a.parties, a.include_text)?;
    let opts = BatchOptions {
        dir: a.dir,
        out: a.out,
        jobs: a.jobs,
        resume: a.resume,
        force: a.force,
        glob: a.glob,
        shard,
        max_bytes: a.max_bytes,
        progress: std::io::stderr().is_terminal(),
    };
    let s = batch::run(&scorer, &opts)?;
    eprintln!(
        "stancer batch: {} files: {} ok, {} failed, {} skipped (already done); {} quotes, {} parties; {:.1} s",
        s.files, s.ok, s.failed, s.skipped, s.quotes, s.parties, s.seconds
    );
    Ok(if s.failed > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

#[derive(serde::Deserialize)]
struct ClassifyLine {
    #[serde(default)]
    id: Option<serde_json::Value>,
    text: String,
    target: String,
    #[serde(default)]
    holder: Option<String>,
    /// One mention of the target (char offsets), or several with `target_spans`.
    #[serde(default)]
    target_span: Option<(usize, usize)>,
    #[serde(default)]
    target_spans: Vec<(usize, usize)>,
    /// Mentions of the holder (char offsets); looked up by name when absent.
    #[serde(default)]
    holder_spans: Vec<(usize, usize)>,
}

fn classify(a: ClassifyArgs) -> Result<ExitCode> {
    let cfg = engine_config(&a.model)?;
    let model = match &a.model.model {
        Some(s) => ModelSource::parse(s),
        None => ScorerConfig::default().model,
    };
    let engine = stancer::engine::Engine::load(&model, &cfg)?;
    let mut input = String::new();
    match a.input.as_deref() {
        None => std::io::stdin()
            .read_to_string(&mut input)
            .context("reading standard input")?,
        Some(p) if p == Path::new("-") => std::io::stdin()
            .read_to_string(&mut input)
            .context("reading standard input")?,
        Some(p) => {
            input = std::fs::read_to_string(p)
                .with_context(|| format!("{}: cannot read (JSON lines expected)", p.display()))?;
            0
        }
    };
    let name = a
        .input
        .as_ref()
        .map(|p| p.display().to_string())
        .unwrap_or_else(|| "-".into());
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let mut failed = 0;
    // Parse everything first, then score in big batches so padding buckets fill up.
    let lines: Vec<(usize, &str)> = input
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .collect();
    for chunk in lines.chunks(1024) {
        let mut pairs = Vec::new();
        let mut meta = Vec::new();
        for (n, l) in chunk {
            match serde_json::from_str::<ClassifyLine>(l) {
                Ok(c) if !c.text.trim().is_empty() && !c.target.trim().is_empty() => {
                    let chars = c.text.chars().count();
                    let valid = |v: Vec<(usize, usize)>| -> Vec<(usize, usize)> {
                        v.into_iter()
                            .filter(|(s, e)| s < e && *e <= chars)
                            .collect()
                    };
                    let target_spans =
                        valid(c.target_span.into_iter().chain(c.target_spans).collect());
                    pairs.push(Pair {
                        text: c.text,
                        target: c.target.clone(),
                        holder: c.holder,
                        target_spans,
                        holder_spans: valid(c.holder_spans),
                    });
                    meta.push(Ok((c.id, c.target)));
                }
                Ok(c) => {
                    failed += 1;
                    meta.push(Err((
                        c.id,
                        format!("{name}:{}: empty text or target", n + 1),
                    )));
                }
                Err(e) => {
                    failed += 1;
                    meta.push(Err((None, format!("{name}:{}: {e}", n + 1))));
                }
            }
        }
        let scores = engine.score(&pairs)?;
        let mut it = scores.into_iter();
        for m in meta {
            let line = match m {
                Ok((id, target)) => {
                    let s = it.next().expect("one score per pair");
                    serde_json::json!({"id": id, "target": target, "stance": s.stance, "sentiment": s.sentiment, "truncated": s.truncated})
                }
                Err((id, message)) => {
                    eprintln!("stancer: {message}");
                    serde_json::json!({"id": id, "error": {"kind": "bad_pair", "message": message}})
                }
            };
            writeln!(out, "{line}")?;
        }
    }
    out.flush()?;
    Ok(if failed > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn extract(a: ExtractArgs) -> Result<ExitCode> {
    let analyzer = stancer::Analyzer::new(user_parties(&a.parties)?, scope(&a.parties))?
        .with_quote_options(quote_options(&a.parties));
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let mut failed = 0;
    let articles: Box<dyn Iterator<Item = (String, stancer::Result<Article>)>> = match &a.jsonl {
        Some(src) => Box::new(jsonl_articles(src, shard_arg(a.shard.as_deref())?)?.into_iter()),
        None => Box::new(
            a.files
                .iter()
                .map(|f| (f.display().to_string(), Article::from_path(f, a.max_bytes))),
        ),
    };
    for (id, art) in articles {
        match art {
            Ok(art) => {
                let mut r = stancer::scorer::extraction_json(&art, &analyzer.analyze(&art.text));
                if a.include_text {
                    r.article.text = Some(art.text.clone());
                }
                writeln!(out, "{}", serde_json::to_string(&r)?)?;
            }
            Err(e) => {
                failed += 1;
                eprintln!("stancer: {e}");
                writeln!(out, "{}", batch::error_line(&id, &e))?;
            }
        }
    }
    out.flush()?;
    Ok(if failed > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
