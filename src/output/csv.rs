//! CSV: one row per (quote, party) pair, with a header.

use crate::report::ArticleReport;

/// The CSV header line (no newline).
pub const HEADER: &str = "article,quote,kind,speaker,speaker_name,start,end,quote_text,party,party_name,stance,p_favor,p_against,p_neutral,sentiment,p_positive,p_negative,p_neutral_sentiment,basis,found_by,co_speakers";

/// One CSV cell. A text that starts with `=`, `+`, `-`, `@`, a tab or a carriage return is a
/// formula to Excel, LibreOffice and Google Sheets (OWASP's "CSV injection"): it gets a
/// leading apostrophe, which those programs show as text and do not display. The numeric
/// columns are written by us and never pass through here.
pub(crate) fn field(s: &str) -> String {
    let s = &if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{s}")
    } else {
        s.to_string()
    };
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// Rows for one report (no header).
pub fn rows(r: &ArticleReport) -> String {
    let mut out = String::new();
    for q in &r.quotes {
        let (sid, sname) = q
            .speaker
            .as_ref()
            .map(|s| match &s.id {
                Some(id) => (
                    id.clone(),
                    r.speakers
                        .iter()
                        .find(|x| &x.id == id)
                        .map(|x| x.name.clone())
                        .unwrap_or_default(),
                ),
                // unresolved: the mention is all there is ("he")
                None => (String::new(), s.mention.text.clone()),
            })
            .unwrap_or_default();
        for s in &q.stances {
            let pname = r
                .parties
                .iter()
                .find(|p| p.id == s.party)
                .map(|p| p.name.clone())
                .unwrap_or_default();
            let g = |m: &std::collections::BTreeMap<String, f32>, k: &str| {
                m.get(k).map(|v| format!("{v:.4}")).unwrap_or_default()
            };
            let kind = serde_json::to_value(q.kind)
                .ok()
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_default();
            let basis = serde_json::to_value(s.basis.scope)
                .ok()
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_default();
            let found_by = serde_json::to_value(q.found_by)
                .ok()
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_default();
            let cells = [
                field(&r.article.id),
                q.id.clone(),
                kind,
                sid.clone(),
                field(&sname),
                q.start.to_string(),
                q.end.to_string(),
                field(&q.text),
                field(&s.party),
                field(&pname),
                s.label.clone(),
                g(&s.scores, "favor"),
                g(&s.scores, "against"),
                g(&s.scores, "neutral"),
                s.sentiment.label.clone(),
                g(&s.sentiment.scores, "positive"),
                g(&s.sentiment.scores, "negative"),
                g(&s.sentiment.scores, "neutral"),
                basis,
                found_by,
                field(&r.co_speaker_names(q)),
            ];
            out.push_str(&cells.join(","));
            out.push('\n');
        }
    }
    out
}
