//! Batch scoring of a directory: one JSON line per input file, resumable, shardable.
//!
//! Every file found yields exactly one line, its report or an error record
//! `{"path":…,"error":{"kind":…,"message":…}}`. Lines are written whole with one write
//! and flushed; a run killed mid-write leaves at most a partial last line, which
//! `--resume` detects and cuts before appending.

use std::collections::HashSet;
use std::io::{BufRead, Seek, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::time::Instant;

use serde::Serialize;

use crate::error::{Error, Result};
use crate::input::{path_name, Article};
use crate::output::jsonl::{self, Source};
use crate::report::ArticleReport;
use crate::scorer::Scorer;

/// Extensions read by default (others are skipped unless `--glob` selects them).
pub const DEFAULT_EXTENSIONS: &[&str] = &["txt", "md", "html", "htm", "json"];

/// Settings of a batch run (`stancer batch`).
#[derive(Debug, Clone)]
pub struct BatchOptions {
    /// Directory to walk (recursively).
    pub dir: PathBuf,
    /// The JSON-lines output file.
    pub out: PathBuf,
    /// Articles scored in parallel.
    pub jobs: usize,
    /// Skip paths already in `out` and append the rest.
    pub resume: bool,
    /// Overwrite an existing output file (without it, an existing non-empty file is an error).
    pub force: bool,
    /// Only files matching this glob (default: the extensions in [`DEFAULT_EXTENSIONS`]).
    pub glob: Option<String>,
    /// (I, N): take every file whose index (in sorted order) is I modulo N.
    pub shard: Option<(usize, usize)>,
    /// Largest input accepted, in bytes.
    pub max_bytes: u64,
    /// Show a progress bar on stderr.
    pub progress: bool,
}

/// What a batch run did.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct BatchSummary {
    /// Files found (including unreadable directory entries).
    pub files: usize,
    /// Inputs scored.
    pub ok: usize,
    /// Inputs that gave an error record.
    pub failed: usize,
    /// Already in the output file (with `--resume`).
    pub skipped: usize,
    /// Quotes found in the scored inputs.
    pub quotes: usize,
    /// Parties found in the scored inputs.
    pub parties: usize,
    /// Wall-clock time.
    pub seconds: f64,
}

/// Parses `I/N` (0 ≤ I < N).
pub fn parse_shard(s: &str) -> Option<(usize, usize)> {
    let (i, n) = s.split_once('/')?;
    let (i, n) = (i.trim().parse().ok()?, n.trim().parse().ok()?);
    (n > 0 && i < n).then_some((i, n))
}

/// Inputs the walk could not read, each with its error (reported and skipped, never fatal).
pub type WalkProblems = Vec<(PathBuf, Error)>;

/// Files under `dir`, sorted, hidden ones skipped; walk problems come back as (path, error).
pub fn collect(opts: &BatchOptions) -> Result<(Vec<PathBuf>, WalkProblems)> {
    if !opts.dir.is_dir() {
        return Err(Error::Io {
            path: opts.dir.clone(),
            source: std::io::Error::new(std::io::ErrorKind::NotFound, "not a directory"),
        });
    }
    let glob = match &opts.glob {
        Some(g) => Some(
            globset::Glob::new(g)
                .map_err(|e| Error::Io {
                    path: opts.dir.clone(),
                    source: std::io::Error::other(format!("bad --glob {g:?}: {e}")),
                })?
                .compile_matcher(),
        ),
        None => None,
    };
    let mut files = Vec::new();
    let mut problems = Vec::new();
    let walker = walkdir::WalkDir::new(&opts.dir)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'));
    for entry in walker {
        match entry {
            Ok(e) if e.file_type().is_file() => {
                let p = e.path();
                let rel = p.strip_prefix(&opts.dir).unwrap_or(p);
                let keep = match &glob {
                    Some(g) => g.is_match(rel) || g.is_match(p.file_name().unwrap_or_default()),
                    None => p.extension().and_then(|x| x.to_str()).is_some_and(|x| {
                        DEFAULT_EXTENSIONS.contains(&x.to_ascii_lowercase().as_str())
                    }),
                };
                if keep
                    && p.canonicalize()
                        .map(|c| c != opts.out.canonicalize().unwrap_or_default())
                        .unwrap_or(true)
                {
                    files.push(p.to_path_buf());
                }
            }
            Ok(_) => {}
            Err(err) => {
                let path = err
                    .path()
                    .map(Path::to_path_buf)
                    .unwrap_or_else(|| opts.dir.clone());
                // A symlink loop is reported once and not followed.
                let io = err
                    .into_io_error()
                    .unwrap_or_else(|| std::io::Error::other("symlink loop; not followed"));
                problems.push((path.clone(), Error::Io { path, source: io }));
            }
        }
    }
    files.sort();
    if let Some((i, n)) = opts.shard {
        files = files
            .into_iter()
            .enumerate()
            .filter(|(k, _)| k % n == i)
            .map(|(_, p)| p)
            .collect();
    }
    Ok((files, problems))
}

/// Reads the paths already in an output file, cutting a partial last line.
fn resume_state(out: &Path) -> Result<HashSet<String>> {
    let mut done = HashSet::new();
    let Ok(f) = std::fs::OpenOptions::new().read(true).write(true).open(out) else {
        return Ok(done);
    };
    let mut good_len: u64 = 0;
    let mut reader = std::io::BufReader::new(&f);
    let mut line = String::new();
    loop {
        line.clear();
        let n = reader.read_line(&mut line).map_err(|source| Error::Io {
            path: out.to_path_buf(),
            source,
        })?;
        if n == 0 {
            break;
        }
        let complete = line.ends_with('\n');
        let parsed: Option<String> = serde_json::from_str::<serde_json::Value>(line.trim_end())
            .ok()
            .and_then(|v| v["path"].as_str().map(str::to_string));
        match (complete, parsed) {
            (true, Some(p)) => {
                done.insert(p);
                good_len += n as u64;
            }
            _ => break, // a partial or damaged line: everything from here is redone
        }
    }
    drop(reader);
    f.set_len(good_len).map_err(|source| Error::Io {
        path: out.to_path_buf(),
        source,
    })?;
    Ok(done)
}

/// Runs a batch over a directory.
pub fn run(scorer: &Scorer, opts: &BatchOptions) -> Result<BatchSummary> {
    let start = Instant::now();
    let (files, problems) = collect(opts)?;
    let (mut out, done) = open_output(opts)?;
    let todo: Vec<&PathBuf> = files
        .iter()
        .filter(|p| !done.contains(&path_name(p)))
        .collect();
    let mut summary = BatchSummary {
        files: files.len() + problems.len(),
        skipped: files.len() - todo.len(),
        ..Default::default()
    };
    let bar = opts.progress.then(|| progress_bar(todo.len()));
    for (p, e) in &problems {
        let path = path_name(p);
        if done.contains(&path) {
            summary.skipped += 1;
            continue;
        }
        write_line(opts, jsonl::error(Source::Path(&path), e), &mut out)?;
        summary.failed += 1;
    }
    score_all(scorer, opts, &todo, &mut out, &mut summary, bar.as_ref())?;
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    summary.seconds = start.elapsed().as_secs_f64();
    Ok(summary)
}

/// The output file, opened to append after what `--resume` keeps (and the inputs it already
/// has), or created; an existing non-empty one is kept unless `--force`.
fn open_output(opts: &BatchOptions) -> Result<(std::fs::File, HashSet<String>)> {
    let out_err = |source| Error::Write {
        path: opts.out.clone(),
        source,
    };
    let done = if opts.resume {
        resume_state(&opts.out)?
    } else {
        HashSet::new()
    };
    if !opts.resume && !opts.force && std::fs::metadata(&opts.out).is_ok_and(|m| m.len() > 0) {
        return Err(Error::Write {
            path: opts.out.clone(),
            source: std::io::Error::new(
                std::io::ErrorKind::AlreadyExists,
                "output file exists; use --resume to continue it or --force to overwrite",
            ),
        });
    }
    let mut out = std::fs::OpenOptions::new()
        .create(true)
        .write(true)
        .append(opts.resume)
        .truncate(!opts.resume)
        .open(&opts.out)
        .map_err(out_err)?;
    out.seek(std::io::SeekFrom::End(0)).map_err(out_err)?;
    Ok((out, done))
}

fn progress_bar(len: usize) -> indicatif::ProgressBar {
    let b = indicatif::ProgressBar::new(len as u64);
    b.set_style(
        indicatif::ProgressStyle::with_template(
            "{bar:40} {pos}/{len} files  {elapsed} elapsed, eta {eta}  {msg}",
        )
        .expect("valid template"),
    );
    b
}

/// One record and its newline in one write, flushed: a kill leaves whole lines only (or one
/// partial last line, which `--resume` cuts).
fn write_line(opts: &BatchOptions, line: String, out: &mut std::fs::File) -> Result<()> {
    let out_err = |source| Error::Write {
        path: opts.out.clone(),
        source,
    };
    let mut bytes = line.into_bytes();
    bytes.push(b'\n');
    out.write_all(&bytes).map_err(out_err)?;
    out.flush().map_err(out_err)
}

/// Scores `todo` on `opts.jobs` threads, writing each result as it comes; an input's own error
/// is its record, any other error stops the batch.
fn score_all(
    scorer: &Scorer,
    opts: &BatchOptions,
    todo: &[&PathBuf],
    out: &mut std::fs::File,
    summary: &mut BatchSummary,
    bar: Option<&indicatif::ProgressBar>,
) -> Result<()> {
    let next = AtomicUsize::new(0);
    let (tx, rx) = mpsc::channel::<(String, Result<ArticleReport>)>();
    let jobs = opts.jobs.max(1).min(todo.len().max(1));
    std::thread::scope(|s| -> Result<()> {
        for _ in 0..jobs {
            let tx = tx.clone();
            let next = &next;
            s.spawn(move || loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(p) = todo.get(i) else { break };
                let res =
                    Article::from_path(p, opts.max_bytes).and_then(|a| scorer.score_article(&a));
                if tx.send((path_name(p), res)).is_err() {
                    break;
                }
            });
        }
        drop(tx);
        for (path, res) in rx {
            record(opts, &path, res, out, summary, bar)?;
            if let Some(b) = bar {
                b.inc(1);
                b.set_message(format!("{} failed", summary.failed));
            }
        }
        Ok(())
    })
}

/// Writes one input's report or error record and counts it.
fn record(
    opts: &BatchOptions,
    path: &str,
    res: Result<ArticleReport>,
    out: &mut std::fs::File,
    summary: &mut BatchSummary,
    bar: Option<&indicatif::ProgressBar>,
) -> Result<()> {
    match res {
        Ok(r) => {
            summary.ok += 1;
            summary.quotes += r.quotes.len();
            summary.parties += r.parties.len();
            write_line(opts, jsonl::report(Source::Path(path), &r), out)
        }
        Err(e) if e.is_input_error() || matches!(e, Error::Tokenizer(_) | Error::Candle(_)) => {
            summary.failed += 1;
            if let Some(b) = bar {
                b.println(format!("stancer: {e}"));
            } else if !opts.progress {
                eprintln!("stancer: {e}");
            }
            write_line(opts, jsonl::error(Source::Path(path), &e), out)
        }
        Err(e) => Err(e),
    }
}
