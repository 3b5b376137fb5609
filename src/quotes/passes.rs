//! The extractor's passes over an article, in the order `extract_with` runs them:
//! 0. per paragraph, before its sentences: a quote signed with a dash ("“…” ― Steve Quinlan");
//! 1. per sentence, the rules: a reporting cue, the speaker it names (`speaker_of`, in
//!    `speaker.rs`), and the
//!    content it introduces (`content_of`: a direct quote before or after it, a quote in the
//!    next paragraph after a colon, or reported speech);
//! 2. per sentence, the learned tagger adds what the rules missed (`tagged_quotes`);
//! 3. per sentence, people named in the narrative become antecedents for later pronouns
//!    (`narrative_people`, in `speaker.rs`);
//! 4. headline-style quotes ("Graham: Trump's rhetoric is …");
//! 5. quotes standing alone continue the nearest attributed quote before them;
//! 6. sorted, deduplicated, trimmed; the people speaking with each speaker (`joint.rs`).

use super::content::{reported_span, skip_complement};
use super::cues::{cue_at, CueKind};
use super::marks::{
    classify, find_marked, near, opening_at, quoted_flags, trim_content, words_in, Marked,
};
use super::phrase::parse_phrase;
use super::source::{relative_subject, subject_of, Attribution};
use super::tagged::tagged_quotes;
use super::{ExtractOptions, Extraction, FoundBy, Quote, QuoteKind, Tokens};
use crate::entities::coref::Registry;
use crate::lexicon::{OBJECT_CUES, PREPOSITIONS, ROLE_WORDS};
use crate::text::{is_quote_mark, title_cased, tokens, Sentence, Span, Token};

/// What every pass reads and adds to.
pub(super) struct Passes<'t> {
    pub(super) text: &'t str,
    pub(super) sentences: &'t [Sentence],
    /// Quotation-mark pairs, `used` once a quote takes them.
    pub(super) marked: Vec<Marked>,
    pub(super) reg: Registry,
    pub(super) quotes: Vec<Quote>,
    /// A title-case headline: its capitalised words are not people to refer back to.
    pub(super) headline: Option<Span>,
}

impl<'t> Passes<'t> {
    pub(super) fn new(
        text: &'t str,
        sentences: &'t [Sentence],
        entities: &[crate::entities::Entity],
    ) -> Self {
        Passes {
            text,
            sentences,
            marked: find_marked(text),
            reg: Registry::with_entities(text, entities),
            quotes: Vec::new(),
            headline: crate::text::title_case_headline(text, sentences),
        }
    }

    /// Passes 1–3 on every sentence.
    pub(super) fn sentences(&mut self, options: ExtractOptions) {
        let mut caption = false;
        for si in 0..self.sentences.len() {
            let sent = self.sentences[si];
            if si == 0 || self.sentences[si - 1].paragraph != sent.paragraph {
                caption = on_caption_line(self.text, sent.span.start);
                if !caption {
                    self.signed_quote(si);
                }
            }
            if caption {
                for m in near(&mut self.marked, sent.span) {
                    m.used = true;
                }
                continue;
            }
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
                    &s,
                    &mut self.marked,
                    &mut self.reg,
                    &mut self.quotes,
                );
            }
            self.quotes[first_quote..].sort_by_key(|q| q.content.start);
            self.narrative_people(&s, first_quote);
        }
    }

    /// "Trump ‘The Dealmaker’ Could Address Clean Energy, Lindsey Graham Says.": a first line of
    /// its own in title case is a headline, whatever its last character (`text::headline` wants
    /// none).
    pub(super) fn title_case_first_line(&self, s: &Tokens) -> bool {
        s.si == 0
            && self
                .sentences
                .get(1)
                .is_none_or(|n| n.paragraph != s.sent.paragraph)
            && title_cased(&s.toks)
    }

    /// Pass 1: every reporting cue of the sentence with its speaker and content.
    fn cue_quotes(&mut self, s: &Tokens) {
        let toks = &s.toks;
        let mut claimed: Vec<Span> = Vec::new(); // content spans already found in this sentence
        let mut last_speaker: Option<(usize, Span)> = None;
        let title_case = self.title_case_first_line(s);
        let mut i = 0;
        while i < toks.len() {
            let Some(cue) = cue_at(toks, i, &s.quoted, title_case) else {
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
            if let (Some(who), Some(speaker)) = (
                subject
                    .range
                    .and_then(|(_, e)| relative_subject(toks, e, cue.at)),
                speaker,
            ) {
                self.reg.add_mention(speaker, who);
            }
            let start = subject.mention_start().unwrap_or(cue.at).min(cue.at);
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
            if at.subject.passive {
                self.note_addressee(s, at.cue.at);
            }
            for (kind, content) in found {
                claimed.push(content);
                self.quotes.push(Quote {
                    kind,
                    content,
                    cue: Some(at.cue.span),
                    speaker,
                    speaker_mention: Some(mention),
                    co_speakers: Vec::new(),
                    joint: None,
                    sentence: s.si,
                    found_by: FoundBy::Rules,
                });
            }
            last_speaker = speaker.map(|sp| (sp, mention));
            i = after.max(i + 1);
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
        let end = match toks[..at.start]
            .iter()
            .rposition(|t| !matches!(t.text, "," | "—" | "–" | "-"))
        {
            Some(b) => toks[b].span.end,
            // "…HOAX IS OVER!” Vindman, who arrived …, wrote that it was his “sacred duty”: a
            // cue with a that-clause of its own does not attribute the quote before it (SEESAW
            // valid TRIPLET_063 gave Trump's tweet to Vindman).
            None => match self.question_before(s) {
                Some(end) if !says_its_own_clause(toks, at, &s.quoted) => end,
                _ => return found,
            },
        };
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

    /// "“You don’t repeat yourself?” Rubio asked": a quote ending in ? or ! closes the sentence
    /// before its attribution. The end of that quote when it ends the previous sentence of the
    /// same paragraph.
    fn question_before(&self, s: &Tokens) -> Option<usize> {
        let prev = self.sentences.get(s.si.checked_sub(1)?)?;
        if prev.paragraph != s.sent.paragraph {
            return None;
        }
        let last = prev.span.slice(self.text).trim_end();
        let mut tail = last.chars().rev();
        let (close, mark) = (tail.next()?, tail.next()?);
        (is_quote_mark(close) && matches!(mark, '?' | '!')).then(|| prev.span.start + last.len())
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
        // "Burton explained from a podium.", "he said with great sorrow": a prepositional
        // phrase after the cue says how or where, not what (unless it carries a quotation).
        let how = c.start >= at.cue.span.end
            && s.toks
                .iter()
                .find(|t| t.span.start == c.start)
                .is_some_and(|t| {
                    // "to" opens what was promised or urged: "vowed to sign up 5 million people"
                    PREPOSITIONS.contains_lower(t.text)
                        && t.lower() != "to"
                        && !c.slice(self.text).contains(is_quote_mark)
                });
        (!how && (words_in(self.text, c) >= 3 || named_object(s, at, c, self.text)))
            .then(|| classify(self.text, &mut self.marked, c))
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
            // a transcript line inside quotation marks: "WALLACE: Let’s start with …
            let opens = toks
                .iter()
                .take_while(|t| t.text.chars().all(is_quote_mark))
                .count();
            let head = &toks[opens.min(colon)..colon];
            if head.is_empty()
                || !head.iter().all(|t| {
                    t.is_word() && (t.is_capitalized() || ROLE_WORDS.contains_lower(t.text))
                })
                || !head[0].is_capitalized()
                || on_caption_line(text, sent.span.start)
                || !self.names_the_head(head)
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
                co_speakers: Vec::new(),
                joint: None,
                sentence: si,
                found_by: FoundBy::Rules,
            });
        }
    }

    /// Whether a headline's words before its colon name who speaks: after the first word a
    /// name of the article covers, only names and titles ("Senate Republicans: …"), not
    /// "Bob Etheridge Attacks Student: North Carolina Congressman Gets Rough With Interviewer"
    /// (BASIL dev: 10 such headlines gave quotes to "Richard Blumenthal Calls NYT" and the like).
    fn names_the_head(&self, head: &[Token]) -> bool {
        let named = |t: &Token| self.reg.names_cover(t.span.start);
        match head.iter().position(named) {
            Some(first) => head[first..]
                .iter()
                .all(|t| named(t) || ROLE_WORDS.contains_lower(t.text)),
            None => true,
        }
    }

    /// A quote signed with a dash at the end of the paragraph whose first sentence is `first`,
    /// as readers' and interviewees' words are printed: "“Maybe, we can build a wall around
    /// Donald Trump.” ― Steve Quinlan". Taken before the paragraph's sentences are read, so
    /// neither the tagger nor a continuation gives the quote to the speaker before it.
    fn signed_quote(&mut self, first: usize) {
        let (text, sentences) = (self.text, self.sentences);
        let para = sentences[first].paragraph;
        let si = first + sentences[first..].partition_point(|s| s.paragraph == para) - 1;
        let sent = sentences[si];
        // Most paragraphs have no dash: skip tokenizing them a second time.
        if !sent.span.slice(text).contains(['―', '—', '–']) {
            return;
        }
        let toks = tokens(text, sent.span);
        let Some(dash) = toks.iter().rposition(|t| matches!(t.text, "―" | "—" | "–")) else {
            return;
        };
        let mut name = &toks[dash + 1..];
        while name
            .last()
            .is_some_and(|t| matches!(t.text, "." | "," | ";"))
        {
            name = &name[..name.len() - 1];
        }
        let signed = dash > 0
            && toks[dash - 1].text.chars().all(is_quote_mark)
            && (1..=5).contains(&name.len())
            && name.iter().all(|t| t.is_word() && t.is_capitalized());
        if !signed {
            return;
        }
        // The quote is the paragraph up to its closing mark: pairing marks fails on nested
        // quotes and on a paragraph opened with ” ("”Fear. I am truly afraid …” ― Edwin G. Monroy").
        let (close, open) = (toks[dash - 1].span, sentences[first].span.start);
        let lead = text[open..close.start].len() - text[open..close.start].trim_start().len();
        let body = &text[open + lead..close.start];
        let Some(first_char) = body.chars().next().filter(|c| is_quote_mark(*c)) else {
            return;
        };
        let content = Span::new(open + lead + first_char.len_utf8(), close.start);
        let span = Span::new(name[0].span.start, name[name.len() - 1].span.end);
        if self.reg.not_a_person(span) {
            return; // a credit line ("― Reuters"), not a signature
        }
        let Some(speaker) = parse_phrase(name).and_then(|p| self.reg.resolve(&p, span, true))
        else {
            return;
        };
        for m in near(&mut self.marked, Span::new(open, close.end)) {
            m.used = true;
        }
        self.quotes.push(Quote {
            kind: QuoteKind::Direct,
            content,
            cue: Some(toks[dash].span),
            speaker: Some(speaker),
            speaker_mention: Some(span),
            co_speakers: Vec::new(),
            joint: None,
            sentence: si,
            found_by: FoundBy::Rules,
        });
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
                    co_speakers: Vec::new(),
                    joint: None,
                    sentence: si,
                    found_by: FoundBy::Rules,
                });
            }
        }
    }

    /// Pass 6: in text order, one quote per content span, trimmed of punctuation at its ends.
    pub(super) fn finish(mut self) -> Extraction {
        let mut quotes = std::mem::take(&mut self.quotes);
        quotes.sort_by_key(|q| (q.content.start, q.content.end));
        quotes.dedup_by(|a, b| a.content == b.content);
        for q in &mut quotes {
            q.content = trim_content(self.text, q.content);
        }
        quotes.retain(|q| !q.content.is_empty());
        self.co_speakers(&mut quotes);
        // A cue's subject is resolved before its content is looked for: only those a quote is
        // attributed to in the end speak.
        let mut speakers = self.reg.speakers;
        for s in &mut speakers {
            s.speaks = false;
        }
        for i in quotes.iter().flat_map(|q| {
            q.speaker
                .into_iter()
                .chain(q.co_speakers.iter().map(|c| c.speaker))
        }) {
            speakers[i].speaks = true;
        }
        Extraction { quotes, speakers }
    }
}

/// "Democrats slammed Republicans.", "Trump praised Putin": a cue that takes an object (a stance
/// stated as an action) and a subject before it, whose one- or two-word content is a name — the
/// party the stance is toward — though reported speech needs three words.
/// Whether the cue goes on to a that-clause of its own ("wrote that it was …").
fn says_its_own_clause(toks: &[Token], at: &Attribution, quoted: &[bool]) -> bool {
    skip_complement(toks, at.cue.after.max(at.end), quoted)
        .and_then(|a| toks.get(a))
        .is_some_and(|t| t.lower() == "that")
}

fn named_object(s: &Tokens, at: &Attribution, c: Span, text: &str) -> bool {
    OBJECT_CUES.contains(s.toks[at.cue.at].lower().as_str())
        && at.subject.range.is_some()
        && !at.subject.inverted
        && !at.subject.passive
        && {
            // "the Navy", "the FBI": a name after "the" is a name too
            let mut words = c.slice(text).split_whitespace().peekable();
            if words.peek().is_some_and(|w| w.eq_ignore_ascii_case("the")) {
                words.next();
            }
            words
                .next()
                .is_some_and(|w| w.starts_with(char::is_uppercase))
        }
}

/// "Updated: …", "READ MORE: …", "WATCH: …": the line (paragraph) starting at byte `at`, its
/// first sentence's start, opens with a label, so it is a caption or a link to another story,
/// not the article speaking or quoting.
pub(super) fn on_caption_line(text: &str, at: usize) -> bool {
    let start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let line = &text[start..];
    // Only the first 25 bytes can hold the label's colon; `find` over the rest of the article
    // made this quadratic in a text of many short paragraphs without colons (40,000: 2.2 s).
    line.bytes()
        .take(25)
        .position(|b| b == b':')
        .is_some_and(|c| {
            let label = line[..c].split_whitespace().collect::<Vec<_>>().join(" ");
            crate::lexicon::CAPTIONS.contains(label.to_lowercase().as_str())
        })
}
