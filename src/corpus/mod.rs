//! What a corpus says: many article reports → one speaker × party matrix with intervals,
//! evidence quotes and series by period or outlet (`stancer summarize`).
//!
//! Reports are read as a stream, one record at a time ([`record`]): what is kept grows with the
//! number of distinct speakers × parties (and periods, with `by`), never with the number of
//! articles. Each article's quotes are first summed per cell, then added to the corpus as one
//! cluster ([`stats`]), which is what the intervals need. Error records are counted by kind and
//! reported, never dropped.

pub mod evidence;
pub mod record;
pub mod stats;
pub mod summary;

use std::collections::{HashMap, HashSet};
use std::io::BufRead;

use evidence::{Kept, TopK};
use record::{name_key, ArticleRec, QuoteRec, Record, StanceRec};
use stats::ClusterSums;
use summary::{CellOut, ErrorExample, Inputs, Net, PartyRow, Point, SeriesOut, SpeakerRow};
pub use summary::{CorpusSummary, Period};

use crate::report::Level;

/// How many error records are quoted in full.
const ERROR_EXAMPLES: usize = 10;

/// What to summarise and how.
#[derive(Debug, Clone)]
pub struct Options {
    /// Parties as found, or folded into countries (speakers by their affiliation).
    pub level: Level,
    /// Series by period or outlet.
    pub by: Option<Period>,
    /// Only speakers matching one of these (party id, or part of the name); empty: all.
    pub speakers: Vec<String>,
    /// Only parties matching one of these (party id, or part of the name); empty: all.
    pub parties: Vec<String>,
    /// Cells with fewer quotes are left out of the matrix and series.
    pub min_quotes: u64,
    /// Evidence quotes kept per cell and direction.
    pub evidence: usize,
    /// Series for this many of the busiest pairs when no speaker or party is asked for.
    pub top_series: usize,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            level: Level::Party,
            by: None,
            speakers: Vec::new(),
            parties: Vec::new(),
            min_quotes: 1,
            evidence: 3,
            top_series: 5,
        }
    }
}

/// The streaming aggregator: feed it records, then [`Corpus::finish`].
#[derive(Debug)]
pub struct Corpus {
    opts: Options,
    inputs: Inputs,
    speakers: Table<SpeakerRow>,
    parties: Table<PartyRow>,
    periods: Table<String>,
    labels: Table<String>,
    cells: HashMap<(u32, u32), Cell>,
}

/// Rows by key, in order of first appearance.
#[derive(Debug)]
struct Table<T> {
    index: HashMap<String, u32>,
    rows: Vec<T>,
}

impl<T> Default for Table<T> {
    fn default() -> Self {
        Table {
            index: HashMap::new(),
            rows: Vec::new(),
        }
    }
}

impl<T> Table<T> {
    fn intern(&mut self, key: &str, row: impl FnOnce() -> T) -> u32 {
        if let Some(&i) = self.index.get(key) {
            return i;
        }
        let i = self.rows.len() as u32;
        self.index.insert(key.to_string(), i);
        self.rows.push(row());
        i
    }
}

#[derive(Debug, Default)]
struct Tally {
    quotes: u64,
    labels: Vec<u64>,
    sums: ClusterSums,
}

#[derive(Debug, Default)]
struct Cell {
    tally: Tally,
    favor: TopK,
    against: TopK,
    periods: HashMap<u32, Tally>,
}

impl Cell {
    /// The cell per period, in period order.
    fn points(&self, periods: &[String], labels: &[String]) -> Vec<Point> {
        let mut points: Vec<Point> = self
            .periods
            .iter()
            .map(|(per, t)| Point {
                period: periods[*per as usize].clone(),
                quotes: t.quotes,
                articles: t.sums.k,
                shares: t.shares(labels),
                net: t.net(),
            })
            .collect();
        points.sort_by(|a, b| a.period.cmp(&b.period));
        points
    }

    /// Evidence for the way the cell leans first, then the other way.
    fn evidence(self, leans_favor: bool) -> Vec<summary::EvidenceOut> {
        let (first, second) = if leans_favor {
            (self.favor, self.against)
        } else {
            (self.against, self.favor)
        };
        first
            .into_vec()
            .into_iter()
            .chain(second.into_vec())
            .collect()
    }
}

/// What one article adds, before it joins the corpus.
#[derive(Default)]
struct ArticleTally<'r> {
    cells: HashMap<(u32, u32), Local>,
    speakers: HashSet<u32>,
    parties: HashSet<u32>,
    // Ids are looked up once per report, not once per quote or stance.
    speaker_of: HashMap<&'r str, Option<u32>>,
    party_of: HashMap<&'r str, Option<u32>>,
    source: Option<std::sync::Arc<summary::ArticleRef>>,
}

/// One article's quotes in one cell, before they join the corpus as one cluster: `n` sums
/// their weights (`StanceRec::weight`), `y` their weighted net stances.
#[derive(Default)]
struct Local {
    quotes: u64,
    n: f64,
    y: f64,
    labels: Vec<u64>,
}

impl Tally {
    /// The fraction of quotes per label (every label seen in the corpus, zero included).
    fn shares(&self, labels: &[String]) -> std::collections::BTreeMap<String, f64> {
        labels
            .iter()
            .zip(self.labels.iter().chain(std::iter::repeat(&0)))
            .map(|(l, c)| (l.clone(), *c as f64 / self.quotes.max(1) as f64))
            .collect()
    }

    fn net(&self) -> Net {
        let e = self.sums.estimate().expect("tallies have quotes");
        Net {
            mean: e.mean,
            low: e.interval.map(|i| i.0),
            high: e.interval.map(|i| i.1),
        }
    }

    fn add(&mut self, l: &Local) {
        self.quotes += l.quotes;
        if self.labels.len() < l.labels.len() {
            self.labels.resize(l.labels.len(), 0);
        }
        for (t, c) in self.labels.iter_mut().zip(&l.labels) {
            *t += c;
        }
        self.sums.add_article(l.n, l.y);
    }
}

impl Corpus {
    /// An empty corpus.
    pub fn new(opts: Options) -> Corpus {
        Corpus {
            opts,
            inputs: Inputs::default(),
            speakers: Table::default(),
            parties: Table::default(),
            periods: Table::default(),
            labels: Table::default(),
            cells: HashMap::new(),
        }
    }

    /// Reads every line of a results file; `name` is how errors cite it.
    pub fn read(&mut self, name: &str, mut r: impl BufRead) -> std::io::Result<()> {
        self.inputs.files.push(name.to_string());
        if opens_a_document(r.fill_buf()?) {
            return self.read_document(name, r);
        }
        let mut buf = Vec::new();
        let mut line_no = 0;
        loop {
            buf.clear();
            if r.read_until(b'\n', &mut buf)? == 0 {
                return Ok(());
            }
            line_no += 1;
            let line = crate::input::jsonl::line_bytes(line_no, &buf);
            if line.is_empty() {
                continue;
            }
            match std::str::from_utf8(line) {
                Ok(l) => self.add_line(l, || format!("{name}:{line_no}")),
                Err(e) => {
                    self.inputs.records += 1;
                    self.error(
                        format!("{name}:{line_no}"),
                        "bad_record",
                        format!("not UTF-8 at byte {}", e.valid_up_to()),
                    );
                }
            }
        }
    }

    /// Reads what `score --format json` writes: one pretty-printed report, or an array of them
    /// for several files (also reports one after another). It is read whole, so it is meant for
    /// the reports of a few articles; a corpus is JSON lines. A document that does not parse is
    /// one `bad_record` error naming the file, the line and the column.
    fn read_document(&mut self, name: &str, mut r: impl BufRead) -> std::io::Result<()> {
        let mut bytes = Vec::new();
        r.read_to_end(&mut bytes)?;
        let text = match std::str::from_utf8(&bytes) {
            Ok(t) => t.trim_start_matches('\u{feff}'),
            Err(e) => {
                self.inputs.records += 1;
                let at = e.valid_up_to();
                let message = format!("not UTF-8 at byte {at}");
                self.error(name.to_string(), "bad_record", message);
                return Ok(());
            }
        };
        let records: Result<Vec<Record>, serde_json::Error> = if text.trim_start().starts_with('[')
        {
            serde_json::from_str(text)
        } else {
            serde_json::Deserializer::from_str(text)
                .into_iter::<Record>()
                .collect()
        };
        match records {
            Ok(records) => {
                for (i, r) in records.iter().enumerate() {
                    self.inputs.records += 1;
                    if r.error.is_some() || r.article.is_some() {
                        self.add(r);
                    } else {
                        let place = format!("{name}: report {}", i + 1);
                        self.error(
                            place,
                            "bad_record",
                            "neither a report nor an error record".into(),
                        );
                    }
                }
            }
            Err(e) => {
                self.inputs.records += 1;
                self.error(name.to_string(), "bad_record", format!("not a report: {e}"));
            }
        }
        Ok(())
    }

    /// Adds one JSON line; `place` names it in an error when it is not a record.
    pub fn add_line(&mut self, line: &str, place: impl FnOnce() -> String) {
        self.inputs.records += 1;
        match serde_json::from_str::<Record>(line) {
            Ok(r) if r.error.is_some() || r.article.is_some() => self.add(&r),
            Ok(_) => self.error(
                place(),
                "bad_record",
                "neither a report nor an error record".into(),
            ),
            Err(e) => self.error(place(), "bad_record", format!("not a record: {e}")),
        }
    }

    fn error(&mut self, input: String, kind: &str, message: String) {
        self.inputs.errors += 1;
        *self.inputs.error_kinds.entry(kind.to_string()).or_default() += 1;
        if self.inputs.error_examples.len() < ERROR_EXAMPLES {
            self.inputs.error_examples.push(ErrorExample {
                input,
                kind: kind.to_string(),
                message,
            });
        }
    }

    /// Adds one record (a report or an error record).
    pub fn add(&mut self, r: &Record) {
        if let Some(e) = &r.error {
            return self.error(r.name().to_string(), &e.kind, e.message.to_string());
        }
        let Some(article) = &r.article else { return };
        self.inputs.reports += 1;
        if article.published.is_none() {
            self.inputs.articles_undated += 1;
        }
        let period = self.period_of(article);
        let mut here = ArticleTally::default();
        for q in &r.quotes {
            self.add_quote(r, q, &mut here);
        }
        self.close_article(here, period);
    }

    /// One quote's stances into the article's tally (and its evidence into the cells), once for
    /// its speaker and once for each co-speaker, as the article's own summary counts them.
    fn add_quote<'r>(&mut self, r: &'r Record, q: &'r QuoteRec, here: &mut ArticleTally<'r>) {
        self.inputs.quotes += 1;
        if q.stances.is_empty() {
            self.inputs.quotes_without_party += 1;
        }
        let Some(sid) = q.speaker.as_ref().and_then(|s| s.id.as_deref()) else {
            self.inputs.quotes_without_speaker += 1;
            return;
        };
        let co = q.co_speakers.iter().filter_map(|c| c.id.as_deref());
        for sid in std::iter::once(sid).chain(co) {
            self.add_said(r, q, sid, here);
        }
    }

    /// One speaker's share of a quote: the quote's stances in that speaker's cells.
    fn add_said<'r>(
        &mut self,
        r: &'r Record,
        q: &'r QuoteRec,
        sid: &'r str,
        here: &mut ArticleTally<'r>,
    ) {
        let found = match here.speaker_of.get(sid) {
            Some(s) => *s,
            None => *here.speaker_of.entry(sid).or_insert(self.speaker(r, sid)),
        };
        let Some(s) = found else { return };
        self.speakers.rows[s as usize].quotes += 1;
        here.speakers.insert(s);
        for st in &q.stances {
            let found = match here.party_of.get(st.party.as_ref()) {
                Some(p) => *p,
                None => *here
                    .party_of
                    .entry(&st.party)
                    .or_insert(self.party(r, &st.party)),
            };
            // A country's own people speaking about it, after folding.
            let Some(p) = found.filter(|p| {
                self.parties.rows[*p as usize].id != self.speakers.rows[s as usize].key
            }) else {
                continue;
            };
            here.parties.insert(p);
            self.parties.rows[p as usize].quotes += 1;
            let label = self.labels.intern(&st.label, || st.label.to_string()) as usize;
            let net = Self::net(st);
            let w = st.weight();
            let l = here.cells.entry((s, p)).or_default();
            l.quotes += 1;
            l.n += w;
            l.y += w * net;
            if l.labels.len() <= label {
                l.labels.resize(label + 1, 0);
            }
            l.labels[label] += 1;
            // Evidence shows the model's scores, as the report does, with the report's label.
            self.offer_evidence((s, p), &mut here.source, r, q, (st.net(), w), &st.label);
        }
    }

    /// A stance's P(favor) − P(against), except where the report relabelled the model's
    /// "against" (the speaker's own country or the party it speaks for, `report::build::own_side_label`:
    /// on dev, none of the 40 own-country polar pairs was a stance against the country): the
    /// corpus does not read against there either, and the net is never below zero in the mean,
    /// so that a summary does not say what the article reports do not ("Donald Trump → United
    /// States", 0 % against, had a net of −0.12 with an interval below zero over the 324 BASIL
    /// and PolNeAR dev articles).
    fn net(st: &StanceRec) -> f64 {
        if st.relabelled_against() {
            st.net().max(0.0)
        } else {
            st.net()
        }
    }

    /// The article's cells join the corpus, each as one cluster.
    fn close_article(&mut self, here: ArticleTally, period: Option<u32>) {
        for (key, l) in here.cells {
            let cell = self.cells.entry(key).or_default();
            cell.tally.add(&l);
            if let Some(p) = period {
                cell.periods.entry(p).or_default().add(&l);
            }
        }
        for s in here.speakers {
            self.speakers.rows[s as usize].articles += 1;
        }
        for p in here.parties {
            self.parties.rows[p as usize].articles += 1;
        }
    }

    fn period_of(&mut self, a: &ArticleRec) -> Option<u32> {
        let date = a.published.as_deref();
        let key = match self.opts.by? {
            Period::Month => date.and_then(|d| d.get(..7)).map(str::to_string),
            Period::Day => date.and_then(|d| d.get(..10)).map(str::to_string),
            Period::Week => date.and_then(crate::input::date::iso_week),
            // BASIL writes both "fox" and "FOX": outlets are one series whatever the case.
            Period::Outlet => Some(
                a.outlet
                    .as_deref()
                    .map_or("(no outlet)".into(), |o| o.trim().to_lowercase()),
            ),
        }?;
        Some(self.periods.intern(&key, || key.clone()))
    }

    /// The corpus speaker a report's speaker id is, when it passes the filter.
    fn speaker(&mut self, r: &Record, sid: &str) -> Option<u32> {
        let sp = r.speakers.iter().find(|s| s.id == sid)?;
        self.speaker_row(r, sp)
    }

    fn speaker_row(&mut self, r: &Record, sp: &record::SpeakerRec) -> Option<u32> {
        let (key, name) = match (self.opts.level, sp.affiliation.as_deref()) {
            (Level::Country, Some(aff)) => {
                let c = r.country_of(aff);
                let name = r.parties.iter().find(|p| p.id == c).map_or(c, |p| &p.name);
                (c.to_string(), name.to_string())
            }
            // A speaker who is a party goes by the party's name ("Trump" in one article,
            // "Donald Trump" in another), so filters and rows see one name.
            _ => match sp.party.as_deref() {
                Some(pid) => {
                    let name = r
                        .parties
                        .iter()
                        .find(|p| p.id == pid)
                        .map_or(&sp.name, |p| &p.name);
                    (pid.to_string(), name.to_string())
                }
                None => (name_key(&sp.name), sp.name.to_string()),
            },
        };
        if !matches(&self.opts.speakers, &key, &name) {
            return None;
        }
        Some(self.speakers.intern(&key, || SpeakerRow {
            key: key.clone(),
            name,
            quotes: 0,
            articles: 0,
        }))
    }

    /// The corpus party a report's party id is, when it passes the filter.
    fn party(&mut self, r: &Record, pid: &str) -> Option<u32> {
        let id = match self.opts.level {
            Level::Party => pid,
            Level::Country => r.country_of(pid),
        };
        let def = r.parties.iter().find(|p| p.id == id);
        let name = def.map_or(id, |p| &p.name);
        if !matches(&self.opts.parties, id, name) {
            return None;
        }
        Some(self.parties.intern(id, || PartyRow {
            id: id.to_string(),
            name: name.to_string(),
            kind: def.map_or("", |p| &p.kind).to_string(),
            quotes: 0,
            articles: 0,
        }))
    }

    fn offer_evidence(
        &mut self,
        key: (u32, u32),
        source: &mut Option<std::sync::Arc<summary::ArticleRef>>,
        r: &Record,
        q: &QuoteRec,
        (net, weight): (f64, f64),
        label: &str,
    ) {
        let k = self.opts.evidence;
        let cell = self.cells.entry(key).or_default();
        let top = if net >= 0.0 {
            &mut cell.favor
        } else {
            &mut cell.against
        };
        // The quotes that name the party come first, as they count more in the mean.
        let strength = weight * net.abs();
        if !top.admits(k, strength) {
            return;
        }
        let source = source.get_or_insert_with(|| {
            let a = r.article.as_ref();
            let owned = |f: Option<&std::borrow::Cow<str>>| f.map(|v| v.to_string());
            std::sync::Arc::new(summary::ArticleRef {
                article: r.name().to_string(),
                title: owned(a.and_then(|a| a.title.as_ref())),
                url: owned(a.and_then(|a| a.url.as_ref())),
                published: owned(a.and_then(|a| a.published.as_ref())),
                outlet: owned(a.and_then(|a| a.outlet.as_ref())),
            })
        });
        top.push(
            k,
            strength,
            Kept {
                net,
                label: label.into(),
                source: source.clone(),
                quote: q.id.as_ref().into(),
                text: q.text.as_ref().into(),
                start: q.start,
                end: q.end,
            },
        );
    }

    /// The summary: rows and cells by volume, series for the pairs asked for.
    pub fn finish(self) -> CorpusSummary {
        let Corpus {
            opts,
            inputs,
            speakers,
            parties,
            periods,
            labels,
            cells,
        } = self;
        let labels = &labels.rows;
        let mut kept: Vec<((u32, u32), Cell)> = cells
            .into_iter()
            .filter(|(_, c)| c.tally.quotes >= opts.min_quotes)
            .collect();
        let (sp, pa) = (&speakers.rows, &parties.rows);
        kept.sort_by(|(a, ca), (b, cb)| {
            cb.tally
                .quotes
                .cmp(&ca.tally.quotes)
                .then_with(|| sp[a.0 as usize].name.cmp(&sp[b.0 as usize].name))
                .then_with(|| pa[a.1 as usize].name.cmp(&pa[b.1 as usize].name))
                // Two speakers can share a name (one linked to a party, one not): keys decide,
                // so the output does not depend on hash order.
                .then_with(|| sp[a.0 as usize].key.cmp(&sp[b.0 as usize].key))
                .then_with(|| pa[a.1 as usize].id.cmp(&pa[b.1 as usize].id))
        });
        let filtered = !opts.speakers.is_empty() || !opts.parties.is_empty();
        let mut series = Vec::new();
        let mut matrix = Vec::with_capacity(kept.len());
        for (rank, ((s, p), cell)) in kept.into_iter().enumerate() {
            let (s, p) = (&sp[s as usize], &pa[p as usize]);
            if opts.by.is_some() && (filtered || rank < opts.top_series) {
                series.push(SeriesOut {
                    speaker: s.key.clone(),
                    speaker_name: s.name.clone(),
                    party: p.id.clone(),
                    party_name: p.name.clone(),
                    points: cell.points(&periods.rows, labels),
                });
            }
            let net = cell.tally.net();
            matrix.push(CellOut {
                speaker: s.key.clone(),
                speaker_name: s.name.clone(),
                party: p.id.clone(),
                party_name: p.name.clone(),
                quotes: cell.tally.quotes,
                articles: cell.tally.sums.k,
                shares: cell.tally.shares(labels),
                net,
                evidence: cell.evidence(net.mean >= 0.0),
            });
        }
        let mut speakers = speakers.rows;
        speakers.sort_by(|a, b| {
            (b.quotes.cmp(&a.quotes))
                .then_with(|| a.name.cmp(&b.name))
                .then_with(|| a.key.cmp(&b.key))
        });
        let mut parties = parties.rows;
        parties.sort_by(|a, b| {
            (b.quotes.cmp(&a.quotes))
                .then_with(|| a.name.cmp(&b.name))
                .then_with(|| a.id.cmp(&b.id))
        });
        CorpusSummary {
            schema_version: summary::SCHEMA_VERSION,
            level: opts.level,
            by: opts.by,
            inputs,
            speakers,
            parties,
            matrix,
            series,
        }
    }
}

/// Whether an input starts as a JSON document rather than JSON lines: an array, or an object
/// whose first line is only its opening brace (a report as `score --format json` pretty-prints
/// it; read as lines, each of its 1,756 lines had been a `bad_record` error). Decided on the
/// first buffered bytes; undecided is JSON lines.
fn opens_a_document(start: &[u8]) -> bool {
    let start = start.strip_prefix("\u{feff}".as_bytes()).unwrap_or(start);
    let mut rest = start.iter().skip_while(|b| b.is_ascii_whitespace());
    match rest.next() {
        Some(b'[') => true,
        Some(b'{') => rest
            .find(|b| !matches!(b, b' ' | b'\t'))
            .is_some_and(|b| matches!(b, b'\n' | b'\r')),
        _ => false,
    }
}

/// Does a speaker or party pass a `--speaker`/`--party` filter: its id, or a part of its name?
fn matches(filters: &[String], id: &str, name: &str) -> bool {
    filters.is_empty()
        || filters.iter().any(|f| {
            f.eq_ignore_ascii_case(id) || {
                let (f, n) = (name_key(f), name_key(name));
                !f.is_empty() && format!(" {n} ").contains(&format!(" {f} "))
            }
        })
}

#[cfg(test)]
mod tests;
