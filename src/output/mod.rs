//! Renderings of a report: a table for people, CSV for spreadsheets, a self-contained HTML page,
//! and the JSON-lines record envelope ([`jsonl`]) every stream of reports shares. A corpus
//! summary: [`corpus`] (table, CSV) and [`corpus_html`] (one self-contained page).

pub mod corpus;
pub mod corpus_html;
pub mod csv;
pub mod html;
pub mod jsonl;
pub mod table;

/// Text from an article as a terminal may show it: control characters (ESC sequences that
/// recolour, retitle or clear the terminal, BEL, NUL) and the bidirectional overrides that
/// reorder what is shown are dropped. Every string from an input reaches the table through here.
pub(crate) fn printable(s: &str) -> String {
    s.chars()
        .filter(|c| {
            !c.is_control() && !matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
        })
        .collect()
}

/// Short, single-line form of a text for tables, [`printable`].
pub(crate) fn ellipsize(s: &str, max: usize) -> String {
    let flat: String = printable(&s.split_whitespace().collect::<Vec<_>>().join(" "));
    if flat.chars().count() <= max {
        return flat;
    }
    let mut out: String = flat.chars().take(max.saturating_sub(1)).collect();
    out.push('…');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn article_text_cannot_drive_the_terminal() {
        let hostile = "Peskov\u{1b}]0;pwned\u{7} said \u{1b}[2J“no”\u{202E}txt.exe\u{0}";
        let shown = ellipsize(hostile, 200);
        assert_eq!(shown, "Peskov]0;pwned said [2J“no”txt.exe");
        assert!(!shown.chars().any(char::is_control));
    }

    #[test]
    fn csv_cells_are_never_formulas() {
        assert_eq!(
            csv::field("=HYPERLINK(\"x\")"),
            "\"'=HYPERLINK(\"\"x\"\")\""
        );
        assert_eq!(csv::field("+1 for Russia"), "'+1 for Russia");
        assert_eq!(csv::field("-2"), "'-2");
        assert_eq!(csv::field("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(csv::field("Peskov"), "Peskov");
    }

    #[test]
    fn only_web_and_relative_addresses_become_links() {
        for ok in [
            "https://example.com/a",
            "HTTP://x.org",
            "articles/a.txt",
            "/a/b:c",
            "?q=javascript:",
        ] {
            assert_eq!(corpus_html::safe_href(ok), Some(ok), "{ok}");
        }
        for bad in [
            "javascript:alert(1)",
            "JaVaScRiPt:alert(1)",
            " java\tscript:alert(1)",
            "\u{1}javascript:alert(1)",
            "data:text/html,<script>alert(1)</script>",
            "vbscript:msgbox",
        ] {
            assert_eq!(corpus_html::safe_href(bad), None, "{bad:?}");
        }
    }
}
