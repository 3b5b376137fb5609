//! HTML articles: the visible text, and the metadata in `<title>`, `<meta>` and `<link>` tags.

/// Elements whose content is not the article: scripts, styles and page furniture.
const SKIP: &[&str] = &[
    "script", "style", "nav", "header", "footer", "aside", "noscript", "form", "svg", "template",
    "button", "select",
];
/// Elements that start a new paragraph.
const BLOCK: &[&str] = &[
    "p",
    "div",
    "br",
    "li",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "article",
    "section",
    "blockquote",
    "tr",
    "title",
    "ul",
    "ol",
    "main",
    "figcaption",
    "pre",
    "hr",
    "table",
];

/// Visible text of an HTML page: title, then block elements as paragraphs.
/// Scripts, styles and page furniture (nav, header, footer, aside, forms) are dropped.
pub fn html_to_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len() / 2);
    let mut skip_depth: Vec<String> = Vec::new();
    let mut i = 0;
    let b = html.as_bytes();
    while i < b.len() {
        if b[i] == b'<' {
            if html[i..].starts_with("<!--") {
                i = html[i..].find("-->").map(|e| i + e + 3).unwrap_or(b.len());
                continue;
            }
            let end = match html[i..].find('>') {
                Some(e) => i + e,
                None => break,
            };
            let tag = &html[i + 1..end];
            let closing = tag.starts_with('/');
            let name: String = tag
                .trim_start_matches('/')
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric())
                .collect::<String>()
                .to_ascii_lowercase();
            i = end + 1;
            if SKIP.contains(&name.as_str()) && !tag.ends_with('/') {
                if closing {
                    if skip_depth.last() == Some(&name) {
                        skip_depth.pop();
                    }
                } else {
                    skip_depth.push(name.clone());
                }
                continue;
            }
            if skip_depth.is_empty() && BLOCK.contains(&name.as_str()) {
                push_break(&mut out);
            }
            continue;
        }
        let next = html[i..].find('<').map(|e| i + e).unwrap_or(b.len());
        if skip_depth.is_empty() {
            let chunk = decode_entities(&html[i..next]);
            for c in chunk.chars() {
                let c = if c.is_whitespace() { ' ' } else { c };
                if c == ' ' && (out.is_empty() || out.ends_with(' ') || out.ends_with('\n')) {
                    continue;
                }
                out.push(c);
            }
        }
        i = next;
    }
    let lines: Vec<&str> = out
        .split('\n')
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    lines.join("\n\n")
}

fn push_break(out: &mut String) {
    while out.ends_with(' ') {
        out.pop();
    }
    if !out.is_empty() && !out.ends_with('\n') {
        out.push('\n');
    }
}

/// A numeric reference to NUL, a C0/C1 control or DEL decodes to U+FFFD (as HTML5 does for
/// `&#0;`), so decoded text never holds a character the raw-byte check would refuse.
fn visible(c: char) -> char {
    if c.is_control() && !matches!(c, '\t' | '\n' | '\r') {
        '\u{FFFD}'
    } else {
        c
    }
}

pub(super) fn decode_entities(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(p) = rest.find('&') {
        out.push_str(&rest[..p]);
        rest = &rest[p..];
        // `;` is ASCII, so its position is a char boundary even when the bytes before it are
        // not: slicing the first 12 bytes as a str cut multi-byte characters (a panic).
        let semi = rest.bytes().take(12).position(|b| b == b';');
        let decoded = semi.and_then(|e| {
            let name = &rest[1..e];
            let c = match name {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" | "#39" => Some('\''),
                "nbsp" => Some(' '),
                "rsquo" => Some('’'),
                "lsquo" => Some('‘'),
                "ldquo" => Some('“'),
                "rdquo" => Some('”'),
                "mdash" => Some('—'),
                "ndash" => Some('–'),
                "hellip" => Some('…'),
                "laquo" => Some('«'),
                "raquo" => Some('»'),
                n if n.starts_with("#x") || n.starts_with("#X") => u32::from_str_radix(&n[2..], 16)
                    .ok()
                    .and_then(char::from_u32),
                n if n.starts_with('#') => n[1..].parse().ok().and_then(char::from_u32),
                _ => None,
            };
            c.map(|c| (visible(c), e + 1))
        });
        match decoded {
            Some((c, len)) => {
                out.push(c);
                rest = &rest[len..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}
