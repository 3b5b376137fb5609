//! One self-contained HTML page per article: the text with quotes highlighted by speaker,
//! and the speaker × party stance matrix as a colour grid. Needs the report's text
//! (the scorer includes it when rendering HTML).

use std::fmt::Write;

use crate::report::ArticleReport;

pub(crate) fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

const PALETTE: &[&str] = &[
    "#ffe08a", "#a7d8ff", "#c8f2c2", "#ffc4d6", "#d9c8ff", "#ffd2a8", "#b8f0ee", "#f0f0a0",
];

/// Green for favor, red for against, grey for neutral, mixed by the mean scores.
pub(crate) fn stance_color(favor: f32, against: f32) -> String {
    let net = (favor - against).clamp(-1.0, 1.0);
    let (r, g, b) = if net >= 0.0 {
        (235.0 - 160.0 * net, 235.0 - 40.0 * net, 235.0 - 160.0 * net)
    } else {
        (
            235.0 + 10.0 * -net,
            235.0 - 170.0 * -net,
            235.0 - 170.0 * -net,
        )
    };
    format!("rgb({},{},{})", r as u8, g as u8, b as u8)
}

/// Renders one report (which must include its text) as a standalone page.
pub fn render(r: &ArticleReport) -> String {
    let body = article_body(r);
    let legend = legend(r);
    let grid = grid(r);
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>stancer: {title}</title>\n<style>\
body{{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;line-height:1.55;color:#222}}\
mark{{padding:0 .1em;border-radius:3px}} .chip{{display:inline-block;padding:.1em .5em;margin:.15em;border-radius:1em}}\
table.grid{{border-collapse:collapse;margin:1rem 0}} .grid th,.grid td{{border:1px solid #ccc;padding:.4em .7em;text-align:center}}\
.grid td.empty{{background:#fafafa}} .meta{{color:#666;font-size:.9em}}</style></head>\n<body>\n\
<h1>{title}</h1>\n<p class=\"meta\">{nq} quotes · {ns} speakers · {np} parties · model {model} · sha256 {sha}</p>\n\
<h2>Speaker × party stance</h2>\n{grid}\n<p class=\"meta\">Cell colour: green = favor, red = against, grey = neutral (mean over the speaker's quotes).</p>\n\
<h2>Speakers</h2>\n<p>{legend}</p>\n<h2>Article</h2>\n{body}\n</body></html>\n",
        title = esc(&r.article.id),
        nq = r.quotes.len(),
        ns = r.speakers.len(),
        np = r.parties.len(),
        model = esc(&r.model.name),
        sha = &r.article.sha256[..12.min(r.article.sha256.len())],
    )
}

/// The speaker's colour: one of the palette's, by the speaker's place in the report.
fn color_of<'a>(r: &ArticleReport, sid: &str) -> &'a str {
    r.speakers
        .iter()
        .position(|s| s.id == sid)
        .map(|i| PALETTE[i % PALETTE.len()])
        .unwrap_or("#eee")
}

/// The article's text with each quote marked in its speaker's colour, one `<p>` per line.
fn article_body(r: &ArticleReport) -> String {
    let text = r.article.text.as_deref().unwrap_or("");
    let chars: Vec<char> = text.chars().collect();
    let mut body = String::new();
    let mut quotes: Vec<_> = r.quotes.iter().collect();
    quotes.sort_by_key(|q| q.start);
    let mut pos = 0;
    for q in quotes {
        if q.start < pos || q.end > chars.len() {
            continue;
        }
        body.push_str(&esc(&chars[pos..q.start].iter().collect::<String>()));
        mark_quote(&mut body, r, q, &chars[q.start..q.end]);
        pos = q.end;
    }
    body.push_str(&esc(&chars[pos.min(chars.len())..]
        .iter()
        .collect::<String>()));
    // One line of the article, one paragraph of the page (blank lines are separators only).
    body.split('\n')
        .filter(|p| !p.trim().is_empty())
        .map(|p| format!("<p>{p}</p>"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// One quote as a `<mark>` whose title gives its speaker, kind and stances.
fn mark_quote(body: &mut String, r: &ArticleReport, q: &crate::report::QuoteOut, words: &[char]) {
    let sid = q
        .speaker
        .as_ref()
        .and_then(|s| s.id.as_deref())
        .unwrap_or("");
    let title: Vec<String> = q
        .stances
        .iter()
        .map(|s| {
            format!(
                "{}: {} ({:.2})",
                r.party_name(&s.party),
                s.label,
                s.scores.get(&s.label).unwrap_or(&0.0)
            )
        })
        .collect();
    let _ = write!(
        body,
        "<mark style=\"background:{}\" title=\"{} — {}{}\">{}</mark>",
        color_of(r, sid),
        esc(&match r.co_speaker_names(q) {
            co if co.is_empty() => r.speaker_name(sid),
            co => format!("{} & {co}", r.speaker_name(sid)),
        }),
        esc(&format!("{:?}", q.kind).to_lowercase()),
        esc(&if title.is_empty() {
            String::new()
        } else {
            format!("; {}", title.join("; "))
        }),
        esc(&words.iter().collect::<String>())
    );
}

/// A chip per speaker in the speaker's colour, with the role.
fn legend(r: &ArticleReport) -> String {
    let mut legend = String::new();
    for s in &r.speakers {
        let _ = write!(
            legend,
            "<span class=\"chip\" style=\"background:{}\">{}{}</span> ",
            color_of(r, &s.id),
            esc(&s.name),
            s.role
                .as_ref()
                .map(|r| format!(" <small>({})</small>", esc(r)))
                .unwrap_or_default()
        );
    }
    legend
}

/// The speaker × party summary as a colour grid.
fn grid(r: &ArticleReport) -> String {
    let mut rows: Vec<String> = Vec::new();
    let mut cols: Vec<String> = Vec::new();
    for c in &r.summary.matrix {
        if !rows.contains(&c.speaker) {
            rows.push(c.speaker.clone());
        }
        if !cols.contains(&c.party) {
            cols.push(c.party.clone());
        }
    }
    let mut grid = String::from("<table class=\"grid\"><tr><th></th>");
    for c in &cols {
        let _ = write!(grid, "<th>{}</th>", esc(&r.party_name(c)));
    }
    grid.push_str("</tr>");
    for row in &rows {
        let who = if r.speakers.iter().any(|s| &s.id == row) {
            r.speaker_name(row)
        } else {
            r.party_name(row)
        };
        let _ = write!(grid, "<tr><th>{}</th>", esc(&who));
        for col in &cols {
            match r
                .summary
                .matrix
                .iter()
                .find(|c| &c.speaker == row && &c.party == col)
            {
                Some(c) => {
                    let f = c.mean.get("favor").copied().unwrap_or(0.0);
                    let a = c.mean.get("against").copied().unwrap_or(0.0);
                    let _ = write!(grid, "<td style=\"background:{}\" title=\"favor {f:.2}, against {a:.2}, {} quote(s)\">{}<br><small>{}×</small></td>", stance_color(f, a), c.quotes, esc(&c.label), c.quotes);
                }
                None => grid.push_str("<td class=\"empty\"></td>"),
            }
        }
        grid.push_str("</tr>");
    }
    grid.push_str("</table>");
    grid
}
