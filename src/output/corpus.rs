//! A corpus summary as a table for people and as CSV (one row per cell, then one per cell and
//! period when series were asked for).

use std::fmt::Write;

use crate::corpus::summary::{CellOut, CorpusSummary, Net, Point, SeriesOut};

use super::csv::field;
use super::table::{pad, paint};
use super::{ellipsize, printable};

/// The CSV header line (no newline).
pub const CSV_HEADER: &str = "speaker,speaker_name,party,party_name,period,quotes,articles,favor,against,neutral,net,net_low,net_high";

fn net_text(n: &Net) -> String {
    match (n.low, n.high) {
        (Some(l), Some(h)) => format!("{:+.2} [{:+.2}, {:+.2}]", n.mean, l, h),
        _ => format!("{:+.2}", n.mean),
    }
}

fn share(shares: &std::collections::BTreeMap<String, f64>, label: &str) -> f64 {
    shares.get(label).copied().unwrap_or(0.0)
}

fn label_of(n: &Net) -> &'static str {
    match (n.low, n.high) {
        (_, Some(h)) if h < 0.0 => "against",
        (Some(l), _) if l > 0.0 => "favor",
        _ => "neutral",
    }
}

/// What was read, in one paragraph.
fn inputs_text(s: &CorpusSummary) -> String {
    let i = &s.inputs;
    let mut out = format!(
        "{} reports, {} errors, from {} file(s); {} quotes ({} without a speaker, {} about no party); {} undated\n",
        i.reports,
        i.errors,
        i.files.len(),
        i.quotes,
        i.quotes_without_speaker,
        i.quotes_without_party,
        i.articles_undated
    );
    if i.errors > 0 {
        let kinds: Vec<String> = i
            .error_kinds
            .iter()
            .map(|(k, n)| format!("{} {n}", printable(k)))
            .collect();
        let _ = writeln!(out, "errors by kind: {}", kinds.join(", "));
        for e in &i.error_examples {
            let _ = writeln!(
                out,
                "  {}: {}",
                printable(&e.input),
                ellipsize(&e.message, 100)
            );
        }
    }
    out
}

/// The matrix (the first `top` cells) with each cell's strongest quote, then the series.
pub fn table(s: &CorpusSummary, top: usize, color: bool) -> String {
    let mut out = inputs_text(s);
    let level = match s.level {
        crate::report::Level::Party => "party",
        crate::report::Level::Country => "country",
    };
    let _ = writeln!(
        out,
        "\n{} speaker × {} cells ({level} level); net = P(favor) − P(against), 95% interval over articles\n",
        s.matrix.len(),
        level
    );
    let _ = writeln!(
        out,
        "{} {} {:>6} {:>8} {:>6} {:>7} {:>7}  net",
        pad("speaker", 24),
        pad("party", 24),
        "quotes",
        "articles",
        "favor",
        "against",
        "neutral"
    );
    for c in s.matrix.iter().take(top) {
        row(&mut out, c, color);
    }
    if s.matrix.len() > top {
        let _ = writeln!(
            out,
            "… {} more cells (--top, --min-quotes, --speaker, --party; all of them in --format json or csv)",
            s.matrix.len() - top
        );
    }
    for series in &s.series {
        series_text(&mut out, series, color);
    }
    out
}

fn row(out: &mut String, c: &CellOut, color: bool) {
    let _ = writeln!(
        out,
        "{} {} {:>6} {:>8} {:>5.0}% {:>6.0}% {:>6.0}%  {}",
        pad(&ellipsize(&c.speaker_name, 24), 24),
        pad(&ellipsize(&c.party_name, 24), 24),
        c.quotes,
        c.articles,
        100.0 * share(&c.shares, "favor"),
        100.0 * share(&c.shares, "against"),
        100.0 * share(&c.shares, "neutral"),
        paint(&net_text(&c.net), label_of(&c.net), color)
    );
    if let Some(e) = c.evidence.first() {
        // A path is shown by its file name: the directory is the same for a whole batch.
        let file = std::path::Path::new(&e.from.article)
            .file_name()
            .map_or(e.from.article.clone(), |f| f.to_string_lossy().into_owned());
        let _ = writeln!(
            out,
            "    “{}” ({}, {:+.2})",
            ellipsize(&e.text, 90),
            ellipsize(e.from.title.as_deref().unwrap_or(&file), 40),
            e.net
        );
    }
}

fn series_text(out: &mut String, s: &SeriesOut, color: bool) {
    let _ = writeln!(
        out,
        "\n{} → {}",
        printable(&s.speaker_name),
        printable(&s.party_name)
    );
    for p in &s.points {
        let _ = writeln!(
            out,
            "  {} {:>5} quotes {:>4} articles  {}",
            pad(&printable(&p.period), 12),
            p.quotes,
            p.articles,
            paint(&net_text(&p.net), label_of(&p.net), color)
        );
    }
}

fn csv_row(out: &mut String, c: (&str, &str, &str, &str), period: &str, p: &Point) {
    let opt = |v: Option<f64>| v.map(|v| format!("{v:.4}")).unwrap_or_default();
    let _ = writeln!(
        out,
        "{},{},{},{},{},{},{},{:.4},{:.4},{:.4},{:.4},{},{}",
        field(c.0),
        field(c.1),
        field(c.2),
        field(c.3),
        field(period),
        p.quotes,
        p.articles,
        share(&p.shares, "favor"),
        share(&p.shares, "against"),
        share(&p.shares, "neutral"),
        p.net.mean,
        opt(p.net.low),
        opt(p.net.high)
    );
}

/// CSV with header: every cell (period empty), then every series point.
pub fn csv(s: &CorpusSummary) -> String {
    let mut out = format!("{CSV_HEADER}\n");
    for c in &s.matrix {
        let whole = Point {
            period: String::new(),
            quotes: c.quotes,
            articles: c.articles,
            shares: c.shares.clone(),
            net: c.net,
        };
        let key = (&*c.speaker, &*c.speaker_name, &*c.party, &*c.party_name);
        csv_row(&mut out, key, "", &whole);
    }
    for se in &s.series {
        let key = (&*se.speaker, &*se.speaker_name, &*se.party, &*se.party_name);
        for p in &se.points {
            csv_row(&mut out, key, &p.period, p);
        }
    }
    out
}
