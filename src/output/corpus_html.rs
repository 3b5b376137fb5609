//! A corpus summary as one self-contained HTML page (no network, no script): a heatmap of net
//! stance (speakers × parties, busiest first), each cell a link to its evidence quotes (shown
//! with CSS `:target`), and inline-SVG line charts over time for the series.

use std::collections::{BTreeSet, HashMap};
use std::fmt::Write;

use crate::corpus::summary::{CellOut, CorpusSummary, Net, Period, SeriesOut};

use super::html::{esc, stance_color};

/// Rows (speakers) and columns (parties) in the heatmap, busiest first.
const ROWS: usize = 30;
const COLS: usize = 20;

const STYLE: &str = r#"
body{font:14px/1.45 system-ui,sans-serif;margin:2em auto;max-width:1200px;color:#222;padding:0 1em}
h1{font-size:1.5em}h2{margin-top:2em;border-bottom:1px solid #ddd}
.inputs{color:#555}
table.heatmap{border-collapse:collapse;font-size:12px}
.heatmap th{font-weight:normal;text-align:right;padding:2px 6px;white-space:nowrap}
.heatmap thead th{vertical-align:bottom;height:9em}
.heatmap thead th div{writing-mode:vertical-rl;transform:rotate(180deg);text-align:left;max-height:9em;overflow:hidden}
.heatmap td{width:44px;height:30px;text-align:center;border:1px solid #fff;padding:0}
.heatmap td a{display:block;color:#111;text-decoration:none;line-height:1.1}
.heatmap td a:hover{outline:2px solid #333}
.heatmap td small{color:#444}
.legend span{display:inline-block;width:3em;text-align:center;padding:2px}
.evidence{display:none;border:1px solid #ccc;border-radius:6px;padding:.5em 1em;margin:1em 0}
.evidence:target{display:block;box-shadow:0 0 0 3px #8ab}
.evidence li{margin:.6em 0}
.evidence blockquote{margin:0 0 .2em 0;padding-left:.6em;border-left:4px solid #bbb}
.evidence li.favor blockquote{border-color:#2a8a3a}.evidence li.against blockquote{border-color:#c0392b}
.meta{color:#666;font-size:12px}
.charts{display:flex;flex-wrap:wrap;gap:1.5em}
figure{margin:0}figcaption{font-weight:600}
svg text{font-size:10px;fill:#555}
"#;

fn net_text(n: &Net) -> String {
    match (n.low, n.high) {
        (Some(l), Some(h)) => format!("{:+.2} (95% interval {:+.2} to {:+.2})", n.mean, l, h),
        _ => format!("{:+.2} (one article: no interval)", n.mean),
    }
}

/// Colour of a net stance, on the same scale as the article pages.
fn color(net: f64) -> String {
    let net = net as f32;
    stance_color(net.max(0.0), (-net).max(0.0))
}

/// Renders the page.
pub fn render(s: &CorpusSummary) -> String {
    let mut out = String::with_capacity(64 * 1024);
    let _ = write!(
        out,
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>stancer: who is for or against whom</title><style>{STYLE}</style></head><body>"
    );
    let i = &s.inputs;
    let _ = write!(
        out,
        "<h1>Who is for or against whom</h1><p class=\"inputs\">{} reports ({} errors) from {}; {} quotes, {} without a speaker, {} about no party. Net stance = P(favor) − P(against), averaged over quotes; intervals are 95% with quotes clustered in articles.</p>",
        i.reports,
        i.errors,
        esc(&i.files.join(", ")),
        i.quotes,
        i.quotes_without_speaker,
        i.quotes_without_party
    );
    if i.errors > 0 {
        out.push_str("<details><summary>Errors by kind</summary><ul>");
        for (k, n) in &i.error_kinds {
            let _ = write!(out, "<li>{} {}</li>", esc(k), n);
        }
        for e in &i.error_examples {
            let _ = write!(
                out,
                "<li class=\"meta\">{}: {}</li>",
                esc(&e.input),
                esc(&e.message)
            );
        }
        out.push_str("</ul></details>");
    }
    let shown = heatmap(&mut out, &s.matrix);
    evidence(&mut out, &s.matrix, &shown);
    if !s.series.is_empty() {
        charts(&mut out, &s.series, s.by);
    }
    out.push_str("</body></html>\n");
    out
}

/// Speakers and parties by their quotes in the matrix, busiest first.
fn busiest(cells: &[CellOut], key: impl Fn(&CellOut) -> &str, n: usize) -> Vec<&str> {
    let mut volume: HashMap<&str, u64> = HashMap::new();
    for c in cells {
        *volume.entry(key(c)).or_default() += c.quotes;
    }
    let mut v: Vec<(&str, u64)> = volume.into_iter().collect();
    v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    v.into_iter().take(n).map(|(k, _)| k).collect()
}

/// Draws the heatmap; returns the cells it shows (the only ones a click can reach).
fn heatmap(out: &mut String, cells: &[CellOut]) -> Vec<usize> {
    let mut shown = Vec::new();
    let rows = busiest(cells, |c| &c.speaker, ROWS);
    let cols = busiest(cells, |c| &c.party, COLS);
    let at: HashMap<(&str, &str), (usize, &CellOut)> = cells
        .iter()
        .enumerate()
        .map(|(i, c)| ((c.speaker.as_str(), c.party.as_str()), (i, c)))
        .collect();
    let name = |f: fn(&CellOut) -> (&str, &str), key: &str| {
        cells
            .iter()
            .map(f)
            .find(|(k, _)| *k == key)
            .map(|(_, n)| n.to_string())
            .unwrap_or_default()
    };
    let _ = write!(
        out,
        "<h2>Net stance: speakers × parties</h2><p class=\"meta\">The {} busiest speakers and {} busiest parties; a cell shows the net stance and the number of quotes. Click a cell for its evidence.</p><table class=\"heatmap\"><thead><tr><th></th>",
        rows.len(),
        cols.len()
    );
    for p in &cols {
        let _ = write!(
            out,
            "<th><div>{}</div></th>",
            esc(&name(|c| (&c.party, &c.party_name), p))
        );
    }
    out.push_str("</tr></thead><tbody>");
    for s in &rows {
        let _ = write!(
            out,
            "<tr><th>{}</th>",
            esc(&name(|c| (&c.speaker, &c.speaker_name), s))
        );
        for p in &cols {
            match at.get(&(*s, *p)) {
                Some((i, c)) => {
                    shown.push(*i);
                    let _ = write!(
                        out,
                        "<td style=\"background:{}\"><a href=\"#c{i}\" title=\"{} → {}: {} quotes in {} articles, net {}\">{:+.2}<br><small>{}</small></a></td>",
                        color(c.net.mean),
                        esc(&c.speaker_name),
                        esc(&c.party_name),
                        c.quotes,
                        c.articles,
                        esc(&net_text(&c.net)),
                        c.net.mean,
                        c.quotes
                    );
                }
                None => out.push_str("<td></td>"),
            }
        }
        out.push_str("</tr>");
    }
    out.push_str("</tbody></table><p class=\"legend meta\">");
    for v in [-1.0, -0.5, 0.0, 0.5, 1.0] {
        let _ = write!(
            out,
            "<span style=\"background:{}\">{v:+.1}</span>",
            color(v)
        );
    }
    out.push_str(" against … for</p>");
    shown.sort_unstable();
    shown
}

/// Evidence sections for the cells in the heatmap: the page stays small however big the corpus
/// (all evidence is in `--format json`).
fn evidence(out: &mut String, cells: &[CellOut], shown: &[usize]) {
    out.push_str("<h2>Evidence</h2><p class=\"meta\">The strongest quotes each way for the cell you clicked.</p>");
    for &i in shown {
        let c = &cells[i];
        let _ = write!(
            out,
            "<section class=\"evidence\" id=\"c{i}\"><h3>{} → {}</h3><p class=\"meta\">{} quotes in {} articles; net {}</p><ol>",
            esc(&c.speaker_name),
            esc(&c.party_name),
            c.quotes,
            c.articles,
            esc(&net_text(&c.net))
        );
        for e in &c.evidence {
            let a = &e.from;
            let href = a.url.as_deref().unwrap_or(&a.article);
            let title = a.title.as_deref().unwrap_or(&a.article);
            let when: Vec<&str> = [a.outlet.as_deref(), a.published.as_deref()]
                .into_iter()
                .flatten()
                .collect();
            let link = match safe_href(href) {
                Some(h) => format!("<a href=\"{}\">{}</a>", esc(h), esc(title)),
                None => esc(title),
            };
            let _ = write!(
                out,
                "<li class=\"{}\"><blockquote>“{}”</blockquote><span class=\"meta\">{link} {} · {} chars {}–{} · net {:+.2}</span></li>",
                esc(&e.label),
                esc(&e.text),
                esc(&when.join(", ")),
                esc(&e.quote),
                e.start,
                e.end,
                e.net
            );
        }
        out.push_str("</ol></section>");
    }
}

fn charts(out: &mut String, series: &[SeriesOut], by: Option<Period>) {
    let timeline = !matches!(by, Some(Period::Outlet) | None);
    let periods: Vec<&str> = series
        .iter()
        .flat_map(|s| s.points.iter().map(|p| p.period.as_str()))
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let heading = if timeline { "Over time" } else { "By outlet" };
    let _ = write!(out, "<h2>{heading}</h2><div class=\"charts\">");
    for s in series {
        chart(out, s, &periods, timeline);
    }
    out.push_str("</div>");
}

/// Where a period sits on a time axis (months apart stay months apart); `None` for outlets.
fn time_of(period: &str) -> Option<f64> {
    let year: f64 = period.get(..4)?.parse().ok()?;
    if let Some(w) = period.get(6..).filter(|_| period.get(4..6) == Some("-W")) {
        return Some(year * 52.1775 + w.parse::<f64>().ok()?);
    }
    let month: f64 = period.get(5..7)?.parse().ok()?;
    let day: f64 = period
        .get(8..10)
        .and_then(|d| d.parse().ok())
        .unwrap_or(1.0);
    Some((year * 12.0 + month - 1.0) * 30.44 / 7.0 + (day - 1.0) / 7.0)
}

const W: f64 = 520.0;
const H: f64 = 180.0;
const L: f64 = 34.0;
const B: f64 = 36.0;

/// Where a period and a net stance go on a chart.
struct Axes<'p> {
    periods: &'p [&'p str],
    /// A time axis (periods placed by date); otherwise outlets, evenly spaced.
    line: bool,
}

impl Axes<'_> {
    fn pos(&self, period: &str) -> f64 {
        let periods = self.periods;
        let i = periods.iter().position(|p| *p == period).unwrap_or(0) as f64;
        match (
            self.line,
            time_of(period),
            time_of(periods[0]),
            periods.last().and_then(|p| time_of(p)),
        ) {
            (true, Some(t), Some(t0), Some(t1)) if t1 > t0 => (t - t0) / (t1 - t0),
            _ => i / (periods.len().max(2) - 1) as f64,
        }
    }

    fn x(&self, period: &str) -> f64 {
        L + 10.0 + self.pos(period) * (W - L - 40.0)
    }

    fn y(&self, net: f64) -> f64 {
        8.0 + (1.0 - net.clamp(-1.0, 1.0)) / 2.0 * (H - B - 8.0)
    }
}

/// One pair's net stance per period: a line (with its interval as a band) over time, or
/// points per outlet.
fn chart(out: &mut String, s: &SeriesOut, periods: &[&str], line: bool) {
    let axes = Axes { periods, line };
    let _ = write!(
        out,
        "<figure class=\"chart\"><figcaption>{} → {}</figcaption><svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{W}\" height=\"{H}\" viewBox=\"0 0 {W} {H}\" role=\"img\">",
        esc(&s.speaker_name),
        esc(&s.party_name)
    );
    for v in [-1.0, 0.0, 1.0] {
        let _ = write!(
            out,
            "<line x1=\"{L}\" x2=\"{W}\" y1=\"{0:.1}\" y2=\"{0:.1}\" stroke=\"{1}\"/><text x=\"2\" y=\"{2:.1}\">{v:+.0}</text>",
            axes.y(v),
            if v == 0.0 { "#999" } else { "#e4e4e4" },
            axes.y(v) + 3.0
        );
    }
    if line && s.points.len() > 1 {
        band_and_mean(out, s, &axes);
    }
    for p in &s.points {
        let _ = write!(
            out,
            "<circle cx=\"{:.1}\" cy=\"{:.1}\" r=\"{:.1}\" fill=\"{}\" stroke=\"#2c5f8a\"><title>{}: {} quotes, net {}</title></circle>",
            axes.x(&p.period),
            axes.y(p.net.mean),
            (2.0 + (p.quotes as f64).sqrt()).min(8.0),
            color(p.net.mean),
            esc(&p.period),
            p.quotes,
            esc(&net_text(&p.net))
        );
    }
    period_labels(out, &axes);
    out.push_str("</svg></figure>");
}

/// The interval as a band and the mean as a line through the periods.
fn band_and_mean(out: &mut String, s: &SeriesOut, axes: &Axes) {
    let pts = &s.points;
    let at = |p: &crate::corpus::summary::Point, net: f64| {
        format!("{:.1},{:.1}", axes.x(&p.period), axes.y(net))
    };
    let upper: Vec<String> = pts
        .iter()
        .map(|p| at(p, p.net.high.unwrap_or(p.net.mean)))
        .collect();
    let lower: Vec<String> = pts
        .iter()
        .rev()
        .map(|p| at(p, p.net.low.unwrap_or(p.net.mean)))
        .collect();
    let _ = write!(
        out,
        "<polygon class=\"band\" points=\"{} {}\" fill=\"#9bb7d4\" fill-opacity=\"0.35\"/>",
        upper.join(" "),
        lower.join(" ")
    );
    let mean: Vec<String> = pts.iter().map(|p| at(p, p.net.mean)).collect();
    let _ = write!(
        out,
        "<polyline class=\"mean\" points=\"{}\" fill=\"none\" stroke=\"#2c5f8a\" stroke-width=\"2\"/>",
        mean.join(" ")
    );
}

/// Labels at least 70 px apart, the last period always among them.
fn period_labels(out: &mut String, axes: &Axes) {
    let periods = axes.periods;
    let mut labelled: Vec<(f64, &str)> = Vec::new();
    for p in periods {
        let px = axes.x(p);
        match labelled.last() {
            Some((lx, _)) if px - lx < 70.0 => {
                if Some(p) == periods.last() && labelled.len() > 1 {
                    labelled.pop();
                    labelled.push((px, p));
                }
            }
            _ => labelled.push((px, p)),
        }
    }
    for (px, p) in labelled {
        let _ = write!(
            out,
            "<text x=\"{px:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{}</text>",
            H - B + 16.0,
            esc(p)
        );
    }
}

/// An article's address as a link target, when it is one a reader can follow safely: `http:`,
/// `https:` or a relative path. Anything else (`javascript:` in any letter case, `data:`,
/// `vbscript:`) stays text: a URL comes from the input (a JSON field, a `--jsonl` line, an HTML
/// page's canonical link), and a `javascript:` link ran its payload in Chromium when clicked.
/// Browsers drop tabs, newlines and leading controls before reading the scheme, so this does too.
pub(crate) fn safe_href(url: &str) -> Option<&str> {
    let seen: String = url
        .chars()
        .filter(|c| !c.is_control() && !c.is_whitespace())
        .take_while(|c| !matches!(c, '/' | '?' | '#'))
        .collect();
    match seen.split_once(':') {
        None => Some(url),
        Some((scheme, _)) => {
            matches!(scheme.to_ascii_lowercase().as_str(), "http" | "https").then_some(url)
        }
    }
}
