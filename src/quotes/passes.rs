//! The extractor's passes over an article, in the order `extract_with` runs them:
//! 1. per sentence, the rules: a reporting cue, the speaker it names (`speaker_of`), and the
//!    content it introduces (`content_of`: a direct quote before or after it, a quote in the
//!    next paragraph after a colon, or reported speech);
//! 2. per sentence, the learned tagger adds what the rules missed (`tagged_quotes`);
//! 3. per sentence, people named in the narrative become antecedents for later pronouns;
//! 4. headline-style quotes ("Graham: Trump's rhetoric is …");
//! 5. quotes standing alone continue the nearest attributed quote before them;
//! 6. sorted, deduplicated, trimmed.

use super::*;

/// What every pass reads and adds to.
pub(super) struct Passes<'t> {
    text: &'t str,
    sentences: &'t [Sentence],
    /// Quotation-mark pairs, `used` once a quote takes them.
    marked: Vec<Marked>,
    reg: Registry,
    quotes: Vec<Quote>,
    /// A title-case headline: its capitalised words are not people to refer back to.
    headline: Option<Span>,
}

/// One sentence's tokens and which of them sit inside quotation marks.
struct Tokens<'t> {
    si: usize,
    sent: Sentence,
    toks: Vec<Token<'t>>,
    quoted: Vec<bool>,
}

/// Who a cue's subject is, as found around it.
struct Subject {
    /// Token range of the speaker phrase.
    range: Option<(usize, usize)>,
    /// "Lis Smith, a spokeswoman for …, said": the role the appositive gives.
    appositive_role: Option<String>,
    /// "…, said John Smith": the subject follows the cue.
    inverted: bool,
}

/// A cue with its subject resolved: the tokens that say who speaks.
struct Attribution {
    cue: Cue,
    subject: Subject,
    /// First token of the subject or the cue, whichever comes first.
    start: usize,
    /// Token after the subject or the cue, whichever ends last.
    end: usize,
}

impl<'t> Passes<'t> {
    pub(super) fn new(text: &'t str, sentences: &'t [Sentence]) -> Self {
        Passes {
            text,
            sentences,
            marked: find_marked(text),
            reg: Registry::default(),
            quotes: Vec::new(),
            headline: crate::text::title_case_headline(text, sentences),
        }
    }

    /// Passes 1–3 on every sentence.
    pub(super) fn sentences(&mut self, options: ExtractOptions) {
        for si in 0..self.sentences.len() {
            let sent = self.sentences[si];
            let toks = tokens(self.text, sent.span);
            let quoted = quoted_flags(&self.marked, sent.span, &toks);
            let s = Tokens {
                si,
                sent,
                toks,
                quoted,
            };
            let first_quote = self.quotes.len();
            self.cue_quotes(&s);
            if options.learned {
                tagged_quotes(
                    self.text,
                    self.sentences,
                    &s.toks,
                    &s.quoted,
                    si,
                    &mut self.marked,
                    &mut self.reg,
                    &mut self.quotes,
                );
            }
            self.quotes[first_quote..].sort_by_key(|q| q.content.start);
            self.narrative_people(&s, first_quote);
        }
    }

    /// Pass 1: every reporting cue of the sentence with its speaker and content.
    fn cue_quotes(&mut self, s: &Tokens) {
        let toks = &s.toks;
        let mut claimed: Vec<Span> = Vec::new(); // content spans already found in this sentence
        let mut last_speaker: Option<(usize, Span)> = None;
        let mut i = 0;
        while i < toks.len() {
            let Some(cue) = cue_at(toks, i, &s.quoted) else {
                i += 1;
                continue;
            };
            if claimed.iter().any(|c| c.contains(toks[i].span)) {
                i += 1;
                continue;
            }
            let subject = subject_of(toks, &s.quoted, &cue);
            let Some((speaker, mention)) = self.speaker_of(s, &cue, &subject, last_speaker) else {
                i += 1;
                continue;
            };
            if let Some(who) = subject
                .range
                .and_then(|(_, e)| relative_subject(toks, e, cue.at))
            {
                self.reg.add_mention(speaker, who);
            }
            let start = subject.range.map(|(s, _)| s).unwrap_or(cue.at).min(cue.at);
            let end = subject
                .range
                .map(|(_, e)| e)
                .unwrap_or(cue.after)
                .max(cue.after);
            let after = cue.after;
            let at = Attribution {
                cue,
                subject,
                start,
                end,
            };
            let found = self.content_of(s, &at);
            if found.is_empty() {
                i += 1;
                continue;
            }
            for (kind, content) in found {
                claimed.push(content);
                self.quotes.push(Quote {
                    kind,
                    content,
                    cue: Some(at.cue.span),
                    speaker: Some(speaker),
                    speaker_mention: Some(mention),
                    sentence: s.si,
                    found_by: FoundBy::Rules,
                });
            }
            last_speaker = Some((speaker, mention));
            i = after.max(i + 1);
        }
    }

    /// The speaker a cue's subject names, or for a participle cue ("…, stating that") the
    /// sentence's earlier speaker or main-clause subject.
    fn speaker_of(
        &mut self,
        s: &Tokens,
        cue: &Cue,
        subject: &Subject,
        last_speaker: Option<(usize, Span)>,
    ) -> Option<(usize, Span)> {
        let toks = &s.toks;
        match subject.range {
            Some((a, b)) => {
                let span = token_span(toks, a, b);
                let mut phrase = parse_phrase(&toks[a..b]);
                if let (Some(Phrase::Named { role, .. }), Some(r)) =
                    (&mut phrase, &subject.appositive_role)
                {
                    *role = Some(r.clone());
                }
                phrase.and_then(|p| self.reg.resolve(&p, span, true).map(|id| (id, span)))
            }
            None if cue.kind == CueKind::Participle => last_speaker.or_else(|| {
                // "…, stating that": the subject of the sentence's main clause
                subject_left(toks, first_verbish(toks, &s.quoted).unwrap_or(0), &s.quoted).and_then(
                    |(a, b)| {
                        let span = token_span(toks, a, b);
                        parse_phrase(&toks[a..b])
                            .and_then(|p| self.reg.resolve(&p, span, true).map(|id| (id, span)))
                    },
                )
            }),
            None => None,
        }
    }

    /// What an attribution introduces, trying each pattern in turn.
    fn content_of(&mut self, s: &Tokens, at: &Attribution) -> Vec<(QuoteKind, Span)> {
        let mut found = self.direct_before(s, at);
        if found.is_empty() && !at.subject.inverted {
            found.extend(self.direct_after(s, at));
        }
        if found.is_empty() && !at.subject.inverted {
            found.extend(self.direct_next_paragraph(s, at));
        }
        if found.is_empty() {
            found.extend(self.reported(s, at));
        }
        found
    }

    /// (a) A direct quote ends right before the attribution: "…," he added — and its second half
    /// after it: "…," she said, "…".
    fn direct_before(&mut self, s: &Tokens, at: &Attribution) -> Vec<(QuoteKind, Span)> {
        let toks = &s.toks;
        let mut found = Vec::new();
        let Some(b) = toks[..at.start]
            .iter()
            .rposition(|t| !matches!(t.text, "," | "—" | "–" | "-"))
        else {
            return found;
        };
        let end = toks[b].span.end;
        let according = at.cue.kind == CueKind::According;
        if let Some(m) = near(&mut self.marked, Span::new(end - 1, end))
            .iter_mut()
            .find(|m| !m.used && m.outer.end == end && !according)
        {
            m.used = true;
            found.push((QuoteKind::Direct, m.inner));
            let after_attr = skip_complement(toks, at.end, &s.quoted);
            if let Some(m2) = after_attr
                .and_then(|a| toks.get(a))
                .and_then(|t| opening_at(&mut self.marked, t.span.start))
            {
                m2.used = true;
                found.push((QuoteKind::Direct, m2.inner));
            }
        }
        found
    }

    /// (b) A direct quote starts right after the cue and runs to the sentence's end: said: "…" /
    /// said that "…" (a quote followed by more of the sentence is left to reported speech, mixed).
    fn direct_after(&mut self, s: &Tokens, at: &Attribution) -> Option<(QuoteKind, Span)> {
        let toks = &s.toks;
        let a = skip_complement(toks, at.cue.after.max(at.end), &s.quoted)?;
        let start_tok = if toks.get(a).is_some_and(|t| t.lower() == "that") {
            a + 1
        } else {
            a
        };
        let m = opening_at(&mut self.marked, toks.get(start_tok)?.span.start)?;
        let tail = Span::new(m.outer.end, s.sent.span.end).trim(self.text);
        if tail.is_empty() || words_in(self.text, tail) == 0 {
            m.used = true;
            return Some((QuoteKind::Direct, m.inner));
        }
        None
    }

    /// (b') The cue ends its paragraph with a colon and the quote is the next paragraph:
    /// "Reporter Jomana Karadsheh says:" / "“Well, Anderson, …”".
    fn direct_next_paragraph(&mut self, s: &Tokens, at: &Attribution) -> Option<(QuoteKind, Span)> {
        let (toks, text) = (&s.toks, self.text);
        let ends_with_colon = toks.last().is_some_and(|t| t.text == ":")
            && skip_complement(toks, at.cue.after.max(at.end), &s.quoted)
                .is_none_or(|a| a + 1 >= toks.len());
        if !ends_with_colon {
            return None;
        }
        let sent = s.sent.span;
        let after_para = text[sent.end..]
            .find('\n')
            .map(|n| sent.end + n)
            .unwrap_or(text.len());
        let next_start =
            after_para + text[after_para..].len() - text[after_para..].trim_start().len();
        let m = opening_at(&mut self.marked, next_start)?;
        m.used = true;
        Some((QuoteKind::Direct, m.inner))
    }

    /// (c) Reported speech: the clause the cue introduces, or the sentence before a trailing
    /// attribution ("CONTENT, Peskov said.").
    fn reported(&mut self, s: &Tokens, at: &Attribution) -> Option<(QuoteKind, Span)> {
        let c = reported_span(s, at)?.trim(self.text);
        (words_in(self.text, c) >= 3).then(|| classify(self.text, &mut self.marked, c))
    }

    /// Pass 3: narrative person mentions become antecedents for later pronouns, unless a quote of
    /// this sentence was attributed from them.
    fn narrative_people(&mut self, s: &Tokens, first_quote: usize) {
        if self.headline.is_some_and(|h| h.contains(s.sent.span)) {
            return;
        }
        let (toks, quoted) = (&s.toks, &s.quoted);
        for name in person_names(toks) {
            // Take the title in front too: "Kremlin spokesperson Dmitry Peskov spoke …"
            let first = name[0].span.start;
            let at = toks.iter().position(|t| t.span.start == first).unwrap_or(0);
            let mut k = at;
            while k > 0
                && !quoted[k - 1]
                && (ROLE_WORDS.contains_lower(toks[k - 1].text)
                    || (toks[k - 1].is_capitalized()
                        && !NOT_NAMES.contains_lower(toks[k - 1].text)))
            {
                k -= 1;
            }
            let name: &[Token] = &toks[k..at + name.len()];
            if !name.iter().any(|t| {
                self.quotes[first_quote..]
                    .iter()
                    .any(|q| q.speaker_mention.is_some_and(|m| m.contains(t.span)))
            }) {
                self.reg.note_person(name);
            }
        }
    }

    /// Pass 4: headline style, "Graham: Trump's rhetoric is destroying the GOP's chances", in a
    /// paragraph's first sentence.
    pub(super) fn headline_quotes(&mut self) {
        let text = self.text;
        for (si, sent) in self.sentences.iter().enumerate() {
            if si > 0 && self.sentences[si - 1].paragraph == sent.paragraph {
                continue;
            }
            let toks = tokens(text, sent.span);
            let Some(colon) = toks.iter().take(7).position(|t| t.text == ":") else {
                continue;
            };
            let head = &toks[..colon];
            if head.is_empty()
                || !head.iter().all(|t| {
                    t.is_word() && (t.is_capitalized() || ROLE_WORDS.contains_lower(t.text))
                })
                || !head[0].is_capitalized()
                || is_caption(head)
            {
                continue;
            }
            let content = Span::new(
                toks.get(colon + 1)
                    .map(|t| t.span.start)
                    .unwrap_or(sent.span.end),
                text[sent.span.start..]
                    .find('\n')
                    .map(|e| sent.span.start + e)
                    .unwrap_or(text.len()),
            )
            .trim(text);
            if words_in(text, content) < 3
                || self.quotes.iter().any(|q| q.content.overlaps(content))
            {
                continue;
            }
            let span = Span::new(head[0].span.start, head[head.len() - 1].span.end);
            let Some(speaker) = parse_phrase(head).and_then(|p| self.reg.resolve(&p, span, true))
            else {
                continue;
            };
            let (kind, content) = classify(text, &mut self.marked, content);
            self.quotes.push(Quote {
                kind,
                content,
                cue: Some(toks[colon].span),
                speaker: Some(speaker),
                speaker_mention: Some(span),
                sentence: si,
                found_by: FoundBy::Rules,
            });
        }
    }

    /// Pass 5: quotes standing alone continue the nearest earlier attributed quote in the same or
    /// previous paragraph, when they carry their sentence rather than sit inside narrative.
    pub(super) fn continuations(&mut self) {
        let (text, sentences) = (self.text, self.sentences);
        for m in self.marked.iter().filter(|m| !m.used) {
            if words_in(text, m.inner) < 4 {
                continue; // scare quotes and titles
            }
            let Some(si) = sentences.iter().position(|s| s.span.overlaps(m.outer)) else {
                continue;
            };
            let sent = sentences[si];
            let own = Span::new(sent.span.start.max(m.outer.start), sent.span.end);
            let outside = words_in(
                text,
                Span::new(sent.span.start, m.outer.start.max(sent.span.start)),
            );
            if outside > 2 || own.is_empty() {
                continue;
            }
            let prev = self
                .quotes
                .iter()
                .filter(|q| q.content.end <= m.outer.start && q.speaker.is_some())
                .max_by_key(|q| q.content.end)
                .filter(|q| {
                    sentences[q.sentence].paragraph + 1 >= sent.paragraph && si - q.sentence <= 3
                });
            if let Some(p) = prev.cloned() {
                self.quotes.push(Quote {
                    kind: QuoteKind::Direct,
                    content: m.inner,
                    cue: None,
                    speaker: p.speaker,
                    speaker_mention: p.speaker_mention,
                    sentence: si,
                    found_by: FoundBy::Rules,
                });
            }
        }
    }

    /// Pass 6: in text order, one quote per content span, trimmed of punctuation at its ends.
    pub(super) fn finish(self) -> Extraction {
        let mut quotes = self.quotes;
        quotes.sort_by_key(|q| (q.content.start, q.content.end));
        quotes.dedup_by(|a, b| a.content == b.content);
        for q in &mut quotes {
            q.content = trim_content(self.text, q.content);
        }
        quotes.retain(|q| !q.content.is_empty());
        Extraction {
            quotes,
            speakers: self.reg.speakers,
        }
    }
}

/// "Updated:", "READ MORE:": a label, not a speaker.
fn is_caption(head: &[Token]) -> bool {
    let label = head.iter().map(|t| t.lower()).collect::<Vec<_>>().join(" ");
    crate::lexicon::CAPTIONS.contains(label.as_str())
}

/// Who a cue's subject is: for "according to", the phrase after it; for a verb, the phrase
/// before it (an appositive, a parenthetical, the subject of a coordinated clause), or the one
/// after it when the cue follows a quote or a comma ("…," said John Smith).
fn subject_of(toks: &[Token], quoted: &[bool], cue: &Cue) -> Subject {
    let mut subject = Subject {
        range: None,
        appositive_role: None,
        inverted: false,
    };
    match cue.kind {
        CueKind::According => {
            subject.range = subject_right(toks, cue.after, quoted)
                .or_else(|| according_source(toks, cue.after, quoted))
        }
        CueKind::Participle => {}
        CueKind::Verb => {
            if let Some((name, role)) = appositive_left(toks, cue.at, quoted) {
                subject.range = Some(name);
                subject.appositive_role = Some(
                    toks[role.0..role.1]
                        .iter()
                        .map(|t| t.text)
                        .collect::<Vec<_>>()
                        .join(" "),
                );
            } else {
                subject.range = subject_left(toks, cue.at, quoted);
            }
            if subject.range.is_none() {
                // "Mr. Trump, in a brief interview on Saturday, said …"
                subject.range = parenthetical_subject(toks, cue.at, quoted);
            }
            if subject.range.is_none() && coordinated(toks, cue.at) {
                // "He also expressed concern … and said he hoped …": the sentence's subject
                subject.range = first_verbish(toks, quoted)
                    .and_then(|v| subject_left(toks, v, quoted))
                    .filter(|(s, _)| *s <= 2);
            }
            if subject.range.is_none() {
                let prev = if cue.at > 0 {
                    toks[cue.at - 1].text
                } else {
                    ""
                };
                if prev == "," || prev.chars().all(is_quote_mark) || cue.at == 0 {
                    subject.range = subject_right(toks, cue.after, quoted);
                    subject.inverted = subject.range.is_some();
                }
            }
        }
    }
    subject
}

/// The span of reported speech an attribution introduces, before trimming.
fn reported_span(s: &Tokens, at: &Attribution) -> Option<Span> {
    let (toks, quoted, sent) = (&s.toks, &s.quoted, s.sent);
    let (cue, subject) = (&at.cue, &at.subject);
    let comma_before = at.start >= 1 && toks[at.start - 1].text == ",";
    let parenthetical = subject.range.is_some()
        && at.start >= 2
        && comma_before
        && toks.get(at.end).is_some_and(|t| t.text == ",")
        && cue.kind == CueKind::Verb;
    if parenthetical {
        // "Unless countries act, they say, the world could suffer …": the whole sentence
        return Some(sent.span);
    }
    if subject.inverted
        || (subject.range.is_some()
            && cue_near_end(toks, cue.after, quoted)
            && at.start > 0
            && comma_before)
    {
        // "CONTENT, Peskov said." / "CONTENT, according to officials."
        let end_tok = at.start.saturating_sub(1);
        return (end_tok > 0).then(|| Span::new(sent.span.start, toks[end_tok - 1].span.end));
    }
    if cue.kind == CueKind::According && at.start > 1 && comma_before {
        return Some(Span::new(sent.span.start, toks[at.start - 2].span.end));
    }
    let from = if cue.kind == CueKind::According {
        at.end
    } else {
        cue.after
    };
    let mut a = skip_complement(toks, from, quoted).unwrap_or(toks.len());
    while a < toks.len() && matches!(toks[a].text, "," | ":" | "that") {
        a += 1;
    }
    let cue_word = toks[cue.at].lower();
    let object_cue =
        OBJECT_CUES.contains(&cue_word.as_str()) && subject.range.is_some() && !subject.inverted;
    let requires_clause = CLAUSE_ONLY.contains(&cue_word.as_str()) && !object_cue;
    let has_that = toks[cue.after.min(toks.len())..a]
        .iter()
        .any(|t| t.lower() == "that" || t.text == ":");
    if (requires_clause && !has_that) || a >= toks.len() {
        return None;
    }
    let end = clause_end(toks, a, quoted);
    (end > a).then(|| token_span(toks, a, end))
}
