//! Renderings of a report: a table for people, CSV for spreadsheets, a self-contained HTML page,
//! and the JSON-lines record envelope ([`jsonl`]) every stream of reports shares. A corpus
//! summary: [`corpus`] (table, CSV) and [`corpus_html`] (one self-contained page).

pub mod corpus;
pub mod corpus_html;
pub mod csv;
pub mod html;
pub mod jsonl;
pub mod table;

/// Short, single-line form of a text for tables.
pub(crate) fn ellipsize(s: &str, max: usize) -> String {
    let flat: String = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() <= max {
        return flat;
    }
    let mut out: String = flat.chars().take(max.saturating_sub(1)).collect();
    out.push('…');
    out
}
