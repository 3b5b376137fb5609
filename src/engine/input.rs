//! What the direct model reads for a (text, party) pair: the two segments, built exactly as
//! `scripts/stance_data.py` builds them for training (`model_input`); the parity test checks
//! the token ids of the fixture pairs against the ones the training script fed the model.
//!
//! Format version 2 (config.json `stancer.input`):
//! - segment A: the party, or `{target} ; by {holder}` when the stance holder is known;
//! - segment B: the text with the party's mentions wrapped in `[ ]` and the holder's in `< >`.
//!
//! Version-1 models (no `holder_open`) read the same segment A and only the party's marks.

use serde_json::Value;

use super::Pair;

/// How the project's own model reads a pair (from config.json's `stancer.input`).
#[derive(Debug, Clone)]
pub struct InputFormat {
    segment_a: String,
    with_holder: String,
    mark: (String, String),
    /// None for models trained without holder marks.
    holder_mark: Option<(String, String)>,
}

/// Which kind of span a mark wraps; targets sort before holders at the same offsets, as in
/// the training script.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    Target,
    Holder,
}

impl InputFormat {
    /// Reads `stancer.input` of a config.json; missing keys take the version-1 defaults.
    pub fn from_config(config: &Value) -> Self {
        let input = &config["stancer"]["input"];
        let s = |k: &str, d: &str| input[k].as_str().unwrap_or(d).to_string();
        let holder_mark = input["holder_open"]
            .as_str()
            .zip(input["holder_close"].as_str())
            .map(|(o, c)| (o.to_string(), c.to_string()));
        InputFormat {
            segment_a: s("segment_a", "{target}"),
            with_holder: s("segment_a_with_holder", "{target} ; by {holder}"),
            mark: (s("mark_open", "["), s("mark_close", "]")),
            holder_mark,
        }
    }

    /// Segment A, segment B, and the byte offset in B of the party's first mark (the centre
    /// of the window when the pair is too long). Spans missing from the pair are looked up
    /// by name in the text.
    pub fn segments(&self, p: &Pair) -> (String, String, Option<usize>) {
        let holder = p.holder.as_deref().map(str::trim).filter(|h| !h.is_empty());
        let a = match holder {
            Some(h) => self
                .with_holder
                .replace("{target}", &p.target)
                .replace("{holder}", h),
            None => self.segment_a.replace("{target}", &p.target),
        };
        let found;
        let targets = if p.target_spans.is_empty() {
            found = find_mentions(&p.text, &p.target);
            &found
        } else {
            &p.target_spans
        };
        let holder_found;
        let holders: &[(usize, usize)] = match (holder, &self.holder_mark) {
            (Some(h), Some(_)) if p.holder_spans.is_empty() => {
                holder_found = find_mentions(&p.text, h);
                &holder_found
            }
            (Some(_), Some(_)) => &p.holder_spans,
            _ => &[],
        };
        let (b, focus) = self.mark(&p.text, targets, holders);
        (a, b, focus)
    }

    /// Wraps target spans and holder spans (char offsets) in their marks; a span overlapping
    /// an earlier one is left unmarked.
    fn mark(
        &self,
        text: &str,
        targets: &[(usize, usize)],
        holders: &[(usize, usize)],
    ) -> (String, Option<usize>) {
        let mut spans: Vec<(usize, usize, Kind)> = targets
            .iter()
            .map(|&(s, e)| (s, e, Kind::Target))
            .chain(holders.iter().map(|&(s, e)| (s, e, Kind::Holder)))
            .filter(|(s, e, _)| s < e)
            .map(|(s, e, k)| (char_to_byte(text, s), char_to_byte(text, e), k))
            .collect();
        spans.sort();
        spans.dedup();
        let mut out = String::with_capacity(text.len() + 4 * spans.len());
        let (mut last, mut focus) = (0, None);
        for (s, e, kind) in spans {
            if s < last {
                continue;
            }
            let (open, close) = match kind {
                Kind::Target => &self.mark,
                Kind::Holder => self.holder_mark.as_ref().expect("holders only with marks"),
            };
            out.push_str(&text[last..s]);
            if kind == Kind::Target {
                focus.get_or_insert(out.len());
            }
            out.push_str(open);
            out.push_str(&text[s..e]);
            out.push_str(close);
            last = e;
        }
        out.push_str(&text[last..]);
        (out, focus)
    }
}

/// The byte offset of char `c` in `text` (the text's length past its end).
pub fn char_to_byte(text: &str, c: usize) -> usize {
    text.char_indices()
        .nth(c)
        .map(|(b, _)| b)
        .unwrap_or(text.len())
}

/// Char spans of whole-word, case-insensitive occurrences of `target` in `text`.
pub fn find_mentions(text: &str, target: &str) -> Vec<(usize, usize)> {
    let t = target.trim().to_ascii_lowercase();
    if t.is_empty() {
        return Vec::new();
    }
    // ASCII lower-casing keeps byte offsets, so matches index the original text.
    let folded = text.to_ascii_lowercase();
    let boundary = |c: Option<char>| c.is_none_or(|c| !c.is_alphanumeric());
    folded
        .match_indices(t.as_str())
        .map(|(s, m)| (s, s + m.len()))
        .filter(|&(s, e)| {
            boundary(text[..s].chars().next_back()) && boundary(text[e..].chars().next())
        })
        .map(|(s, e)| (text[..s].chars().count(), text[..e].chars().count()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v2() -> InputFormat {
        InputFormat::from_config(&serde_json::json!({"stancer": {"input": {
            "segment_a": "{target}", "segment_a_with_holder": "{target} ; by {holder}",
            "mark_open": "[", "mark_close": "]", "holder_open": "<", "holder_close": ">"}}}))
    }

    fn pair(text: &str, target: &str, holder: Option<&str>) -> Pair {
        Pair {
            text: text.into(),
            target: target.into(),
            holder: holder.map(str::to_string),
            ..Default::default()
        }
    }

    #[test]
    fn holder_and_party_are_both_marked() {
        let (a, b, focus) = v2().segments(&pair(
            "Putin said Trump approaches the issue in a rational manner.",
            "Trump",
            Some("Putin"),
        ));
        assert_eq!(a, "Trump ; by Putin");
        assert_eq!(
            b,
            "<Putin> said [Trump] approaches the issue in a rational manner."
        );
        assert_eq!(focus, Some(13));
    }

    #[test]
    fn a_version_one_model_sees_no_holder_marks() {
        let v1 = InputFormat::from_config(&serde_json::json!({"stancer": {}}));
        let (a, b, _) = v1.segments(&pair("Putin praised Trump.", "Trump", Some("Putin")));
        assert_eq!(
            (a.as_str(), b.as_str()),
            ("Trump ; by Putin", "Putin praised [Trump].")
        );
    }

    #[test]
    fn given_spans_win_over_lookup_and_offsets_are_chars() {
        let mut p = pair(
            "«Москва» and Peskov said Washington erred.",
            "United States",
            Some("Dmitry Peskov"),
        );
        p.target_spans = vec![(25, 35)];
        p.holder_spans = vec![(13, 19)];
        let (_, b, _) = v2().segments(&p);
        assert_eq!(b, "«Москва» and <Peskov> said [Washington] erred.");
    }

    #[test]
    fn overlapping_spans_keep_the_first() {
        let mut p = pair("Kremlin spokesman Peskov spoke.", "Russia", Some("Peskov"));
        p.target_spans = vec![(0, 7)];
        p.holder_spans = vec![(0, 24)];
        let (_, b, _) = v2().segments(&p);
        assert_eq!(b, "[Kremlin] spokesman Peskov spoke.");
    }
}
