//! The human-readable table: one row per (quote, party), then the speaker × party summary.

use std::fmt::Write;

use crate::report::ArticleReport;

use super::{ellipsize, printable};

pub(crate) fn paint(s: &str, label: &str, color: bool) -> String {
    if !color {
        return s.to_string();
    }
    let code = match label {
        "favor" | "positive" => "32",
        "against" | "negative" => "31",
        _ => "2",
    };
    format!("\x1b[{code}m{s}\x1b[0m")
}

pub(crate) fn pad(s: &str, w: usize) -> String {
    let n = s.chars().count();
    if n >= w {
        s.to_string()
    } else {
        format!("{s}{}", " ".repeat(w - n))
    }
}

/// Renders a report as a plain-text table; `color` adds ANSI colours to the labels.
pub fn render(r: &ArticleReport, color: bool) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{}  ({} chars, {} quotes, {} speakers, {} parties; model {})",
        printable(&r.article.id),
        r.article.chars,
        r.quotes.len(),
        r.speakers.len(),
        r.parties.len(),
        r.model.name
    );
    let _ = writeln!(out);
    let _ = writeln!(
        out,
        "{}  {}  {}  {}  {}  stance       sentiment",
        pad("#", 4),
        pad("speaker", 18),
        pad("kind", 8),
        pad("quote", 52),
        pad("party", 22)
    );
    for q in &r.quotes {
        quote_rows(&mut out, r, q, color);
    }
    if !r.summary.matrix.is_empty() {
        summary_rows(&mut out, r, color);
    }
    out
}

/// A serde enum's wire name ("direct", "party").
fn wire_name<T: serde::Serialize>(v: T) -> String {
    serde_json::to_value(v)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

/// One row per (quote, party); the quote's own columns only on its first row.
fn quote_rows(out: &mut String, r: &ArticleReport, q: &crate::report::QuoteOut, color: bool) {
    let sp = q
        .speaker
        .as_ref()
        .map(|s| match &s.id {
            Some(id) => r.speaker_name(id),
            None => format!("{} (?)", s.mention.text),
        })
        .unwrap_or_else(|| "?".into());
    let sp = match r.co_speaker_names(q) {
        co if co.is_empty() => sp,
        co => format!("{sp} & {co}"),
    };
    let text = ellipsize(&q.text, 50);
    let kind = wire_name(q.kind);
    if q.stances.is_empty() {
        let _ = writeln!(
            out,
            "{}  {}  {}  {}  (no party named)",
            pad(&q.id, 4),
            pad(&ellipsize(&sp, 18), 18),
            pad(&kind, 8),
            pad(&text, 52)
        );
    }
    for (i, s) in q.stances.iter().enumerate() {
        let (id, spk, k, t) = if i == 0 {
            (
                q.id.as_str(),
                ellipsize(&sp, 18),
                kind.as_str(),
                text.as_str(),
            )
        } else {
            ("", String::new(), "", "")
        };
        let stance = format!(
            "{:<7} {:.2}",
            s.label,
            s.scores.get(&s.label).copied().unwrap_or(0.0)
        );
        let senti = format!("{:<8} {:.2}", s.sentiment.label, s.sentiment.confidence());
        // The one label that is not the top score: the speaker's own side (country, or the party
        // it speaks for), never against.
        let top = s.scores.iter().max_by(|a, b| a.1.total_cmp(b.1));
        let relabelled = top.is_some_and(|(l, _)| *l != s.label);
        let _ = writeln!(
            out,
            "{}  {}  {}  {}  {}  {}  {}{}{}",
            pad(id, 4),
            pad(&spk, 18),
            pad(k, 8),
            pad(t, 52),
            pad(&ellipsize(&r.party_name(&s.party), 22), 22),
            paint(&stance, &s.label, color),
            paint(&senti, &s.sentiment.label, color),
            if s.truncated { "  (truncated)" } else { "" },
            if relabelled {
                "  (own side: not read as against)"
            } else {
                ""
            }
        );
    }
}

/// The speaker × party summary, one row per cell.
fn summary_rows(out: &mut String, r: &ArticleReport, color: bool) {
    let _ = writeln!(out);
    let _ = writeln!(
        out,
        "Summary (mean stance per speaker and party, {} level)",
        wire_name(r.summary.level)
    );
    let _ = writeln!(
        out,
        "{}  {}  {}  favor  against  neutral  → stance",
        pad("speaker", 22),
        pad("party", 22),
        pad("quotes", 6)
    );
    for c in &r.summary.matrix {
        let who =
            if c.speaker.starts_with('s') && c.speaker[1..].chars().all(|d| d.is_ascii_digit()) {
                r.speaker_name(&c.speaker)
            } else {
                r.party_name(&c.speaker)
            };
        let g = |k: &str| c.mean.get(k).copied().unwrap_or(0.0);
        let _ = writeln!(
            out,
            "{}  {}  {}  {:.2}   {:.2}     {:.2}     → {}",
            pad(&ellipsize(&who, 22), 22),
            pad(&ellipsize(&r.party_name(&c.party), 22), 22),
            pad(&c.quotes.to_string(), 6),
            g("favor"),
            g("against"),
            g("neutral"),
            paint(&c.label, &c.label, color)
        );
    }
}
