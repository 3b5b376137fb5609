//! What an input says about its article: title, publication date, outlet, URL, author.
//!
//! Read from the fields news JSON uses, from an HTML page's `<title>`, `<meta>` and canonical
//! `<link>`, and from the extra fields of a `--jsonl` line. Dates are normalised to ISO 8601
//! ([`super::date::normalize`]); a date that cannot be read is dropped rather than guessed, and
//! summaries count the article as undated.

use serde::{Deserialize, Serialize};

/// Article metadata; every field is optional and omitted from JSON when absent.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Metadata {
    /// Headline.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// Publication date (or date and time), ISO 8601.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published: Option<String>,
    /// The publication ("fox", "The New York Times").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outlet: Option<String>,
    /// Canonical address of the article.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// Author or authors (joined with "; ").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub author: Option<String>,
}

/// JSON field names per metadata field, most specific first.
const TITLE: &[&str] = &["title", "headline"];
const PUBLISHED: &[&str] = &[
    "published",
    "date",
    "published_at",
    "publication_date",
    "publish_date",
    "pubdate",
    "datePublished",
    "timestamp",
];
const OUTLET: &[&str] = &[
    "outlet",
    "source",
    "publisher",
    "site_name",
    "site",
    "domain",
];
const URL: &[&str] = &["url", "link", "canonical_url", "uri"];
const AUTHOR: &[&str] = &["author", "authors", "byline"];

impl Metadata {
    /// True when the input said nothing about its article.
    pub fn is_empty(&self) -> bool {
        *self == Metadata::default()
    }

    /// From a JSON object's fields (article JSON, or a `--jsonl` line).
    pub fn from_json(obj: &serde_json::Map<String, serde_json::Value>) -> Metadata {
        let field = |names: &[&str]| names.iter().find_map(|n| obj.get(*n).and_then(text_of));
        Metadata {
            title: field(TITLE),
            published: PUBLISHED
                .iter()
                .filter_map(|n| obj.get(*n))
                .find_map(|v| match v {
                    serde_json::Value::Number(n) => n
                        .as_i64()
                        .and_then(|t| super::date::normalize(&t.to_string())),
                    other => text_of(other).and_then(|t| super::date::normalize(&t)),
                }),
            outlet: field(OUTLET),
            url: field(URL),
            author: field(AUTHOR),
        }
    }

    /// From an HTML page's head: Open Graph and article tags first, then `<title>`,
    /// `name="author"`, `name="date"` and the canonical link.
    pub fn from_html(html: &str) -> Metadata {
        let head = &html[..head_end(html)];
        let metas = tags(head, "meta");
        let meta = |keys: &[&str]| {
            keys.iter().find_map(|k| {
                metas.iter().find_map(|attrs| {
                    let key = attr(attrs, "property")
                        .or_else(|| attr(attrs, "name"))
                        .or_else(|| attr(attrs, "itemprop"))?;
                    key.eq_ignore_ascii_case(k)
                        .then(|| attr(attrs, "content"))
                        .flatten()
                        .filter(|v| !v.trim().is_empty())
                })
            })
        };
        let canonical = tags(head, "link").into_iter().find_map(|attrs| {
            attr(attrs, "rel")
                .filter(|r| r.eq_ignore_ascii_case("canonical"))
                .and_then(|_| attr(attrs, "href"))
        });
        Metadata {
            title: meta(&["og:title", "twitter:title"]).or_else(|| title_element(head)),
            published: meta(&[
                "article:published_time",
                "og:published_time",
                "datePublished",
                "date",
                "pubdate",
                "publish-date",
                "dc.date",
                "dcterms.created",
            ])
            .and_then(|d| super::date::normalize(&d)),
            outlet: meta(&["og:site_name", "application-name", "publisher"]),
            url: canonical.or_else(|| meta(&["og:url"])),
            author: meta(&["author", "article:author", "byline", "dc.creator"]),
        }
    }

    /// Fields of `other` fill the ones this lacks (a `--jsonl` line's fields over the page's).
    pub fn or(self, other: Metadata) -> Metadata {
        Metadata {
            title: self.title.or(other.title),
            published: self.published.or(other.published),
            outlet: self.outlet.or(other.outlet),
            url: self.url.or(other.url),
            author: self.author.or(other.author),
        }
    }
}

/// A string, a number, a list of strings (authors), or an object with a `name` (publisher).
fn text_of(v: &serde_json::Value) -> Option<String> {
    let s = match v {
        serde_json::Value::String(s) => s.trim().to_string(),
        serde_json::Value::Array(items) => items
            .iter()
            .filter_map(text_of)
            .collect::<Vec<_>>()
            .join("; "),
        serde_json::Value::Object(o) => o.get("name").and_then(text_of)?,
        _ => return None,
    };
    (!s.is_empty()).then_some(s)
}

/// Where the head ends (`<body` or `</head>`), so body text never becomes metadata.
fn head_end(html: &str) -> usize {
    let lower = html
        .get(..html.len().min(200_000))
        .unwrap_or(html)
        .to_ascii_lowercase();
    ["</head", "<body"]
        .iter()
        .filter_map(|t| lower.find(t))
        .min()
        .unwrap_or(lower.len())
}

/// The attribute text of every `<name …>` tag.
fn tags<'a>(html: &'a str, name: &str) -> Vec<&'a str> {
    let lower = html.to_ascii_lowercase();
    let open = format!("<{name}");
    let mut out = Vec::new();
    let mut at = 0;
    while let Some(p) = lower[at..].find(&open) {
        let start = at + p + open.len();
        let Some(end) = html[start..].find('>') else {
            break;
        };
        if html[start..].starts_with(|c: char| c.is_whitespace() || c == '/') {
            out.push(&html[start..start + end]);
        }
        at = start + end;
    }
    out
}

/// The value of `key="…"`, `key='…'` or `key=…` in a tag's attribute text, entities decoded.
fn attr(attrs: &str, key: &str) -> Option<String> {
    let lower = attrs.to_ascii_lowercase();
    let mut from = 0;
    while let Some(p) = lower[from..].find(key) {
        let at = from + p;
        from = at + key.len();
        let before_ok = at == 0 || lower.as_bytes()[at - 1].is_ascii_whitespace();
        let rest = attrs[from..].trim_start();
        if !before_ok || !rest.starts_with('=') {
            continue;
        }
        let rest = rest[1..].trim_start();
        let value = match rest.chars().next() {
            Some(q @ ('"' | '\'')) => rest[1..].split(q).next().unwrap_or(""),
            _ => rest
                .split(|c: char| c.is_whitespace() || c == '/')
                .next()
                .unwrap_or(""),
        };
        return Some(super::html::decode_entities(value).trim().to_string());
    }
    None
}

fn title_element(head: &str) -> Option<String> {
    let lower = head.to_ascii_lowercase();
    let start = lower.find("<title")?;
    let open_end = start + head[start..].find('>')? + 1;
    let close = open_end + lower[open_end..].find("</title")?;
    let t = super::html::decode_entities(head[open_end..close].trim());
    let t = t.split_whitespace().collect::<Vec<_>>().join(" ");
    (!t.is_empty()).then_some(t)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_head_tags() {
        let page = r#"<!doctype html><html><head>
            <title>Talks resume | Example News</title>
            <meta property="og:title" content="Talks resume in Geneva">
            <meta property="og:site_name" content="Example News" />
            <meta property="article:published_time" content="2016-11-07T14:03:21-05:00">
            <meta name="author" content="Jane Doe &amp; John Roe">
            <link rel="canonical" href="https://example.com/talks">
            </head><body><meta name="author" content="Not Me"><p>Text.</p></body></html>"#;
        let m = Metadata::from_html(page);
        assert_eq!(m.title.as_deref(), Some("Talks resume in Geneva"));
        assert_eq!(m.outlet.as_deref(), Some("Example News"));
        assert_eq!(m.published.as_deref(), Some("2016-11-07T14:03:21-05:00"));
        assert_eq!(m.author.as_deref(), Some("Jane Doe & John Roe"));
        assert_eq!(m.url.as_deref(), Some("https://example.com/talks"));
        let bare = Metadata::from_html("<html><head><title> Only  a title </title></head></html>");
        assert_eq!(bare.title.as_deref(), Some("Only a title"));
        assert_eq!(bare.published, None);
    }

    #[test]
    fn json_fields_and_their_variants() {
        let v: serde_json::Value = serde_json::json!({
            "headline": "H", "publication_date": "Nov. 7, 2016", "publisher": {"name": "P"},
            "link": "https://e.com/a", "authors": ["A", "B"]
        });
        let m = Metadata::from_json(v.as_object().unwrap());
        assert_eq!(
            m,
            Metadata {
                title: Some("H".into()),
                published: Some("2016-11-07".into()),
                outlet: Some("P".into()),
                url: Some("https://e.com/a".into()),
                author: Some("A; B".into()),
            }
        );
        let v = serde_json::json!({"date": 1478527401, "source": "fox"});
        let m = Metadata::from_json(v.as_object().unwrap());
        assert_eq!(m.published.as_deref(), Some("2016-11-07T14:03:21Z"));
        let v = serde_json::json!({"date": "sometime"});
        assert!(Metadata::from_json(v.as_object().unwrap()).is_empty());
    }
}
