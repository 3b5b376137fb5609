//! (quote, party) pairs: which parties each quote is scored against, and why.

use serde::{Deserialize, Serialize};

use crate::entities::{Entity, EntityType, MentionKind};
use crate::parties::{ArticleParties, PartyKind};
use crate::quotes::Extraction;
use crate::text::{Sentence, Span};

/// How widely to look for the parties a quote is scored against.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Scope {
    /// Parties mentioned inside the quote.
    Quote,
    /// … and parties named in the sentences the quote and its attribution sit in (default);
    /// a quote whose sentences name no party takes those the sentence before it names, in its
    /// paragraph.
    #[default]
    Sentence,
    /// Only as a basis: the quote's sentences named no party, the sentence before it in its
    /// paragraph did (the wire name stays `paragraph`).
    Paragraph,
    /// Only as a basis: the quote refers to the party by a pronoun or a title noun ("he", "the
    /// senator") that the entity layer joined to a person the article names.
    Coreference,
    /// Only as a basis: the article's headline names the party — the story is about it
    /// ("Michael Steele Criticized for Afghanistan Comments" and, in its body, "Your tenure has
    /// been marked by gaffes and embarrassments").
    Headline,
    /// … and every party of the article.
    Article,
}

impl Scope {
    /// Parses `quote`, `sentence` or `article`.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "quote" => Some(Scope::Quote),
            "sentence" => Some(Scope::Sentence),
            "article" => Some(Scope::Article),
            _ => None,
        }
    }

    /// How much a pair counts in its cell's mean: a quote that names the party or refers to it
    /// counts twice as much as one that reaches it through its sentence, the sentence before or the
    /// headline, whose readings agree with annotated relations less often (SEESAW valid, polar
    /// pairs: quote 62 %, coreference 51 %, sentence 41 %, paragraph 62 %, headline 35 %). Chosen
    /// on SEESAW valid from the saved reports among weights 1 / 0.75 / 0.5 / 0.25 for the headline
    /// and for the other indirect bases (`scripts/eval-graph`): at 0.5 and 0.5, favor vs against
    /// 84.1 → 85.1 %, three-way 64.1 % unchanged, cells agreeing 47.4 → 48.1 %; the grid is flat
    /// within two or three relations around it. Corpus summaries weigh quotes the same way, so
    /// that an article's cell and the corpus agree.
    pub fn cell_weight(self) -> f32 {
        match self {
            Scope::Quote | Scope::Coreference => 1.0,
            Scope::Sentence | Scope::Paragraph | Scope::Headline | Scope::Article => 0.5,
        }
    }
}

/// The first mention inside `span`, and the others after it, by binary search (mentions are
/// sorted by start).
fn mentions_in(mentions: &[Span], span: Span) -> impl Iterator<Item = &Span> {
    let lo = mentions.partition_point(|m| m.start < span.start);
    mentions[lo..]
        .iter()
        .take_while(move |m| m.start < span.end)
        .filter(move |m| span.contains(**m))
}

/// One quote scored against one party, with the reason it was chosen.
#[derive(Debug, Clone, PartialEq)]
pub struct PairRef {
    /// Index into the extraction's quotes.
    pub quote: usize,
    /// Index into the article's parties.
    pub party: usize,
    /// Where the party was found.
    pub basis: Scope,
    /// The mention that put the party in scope (none for article scope).
    pub mention: Option<Span>,
}

/// Builds the pairs for every quote. A quote is never scored against its own speaker,
/// and the words of the attribution ("Kremlin spokesperson Dmitry Peskov said") do not
/// bring a party in: they describe the speaker, not what was said. Nor does the speaker's own
/// side named around the quote ("Regarding the Russia-Ukraine conflict, Putin mentioned
/// that …"): a stance toward one's own country is scored only where the quote names it —
/// scored from the framing, the example article read "Putin against Russia". A quote that
/// says nothing was said ([`crate::quotes::Quote::declines_comment`]) takes no party.
pub fn build(
    text: &str,
    ex: &Extraction,
    entities: &[Entity],
    parties: &ArticleParties,
    sentences: &[Sentence],
    headline: Option<Span>,
    scope: Scope,
) -> Vec<PairRef> {
    let article = Scopes::new(text, ex, entities, parties, sentences, headline);
    let mut out = Vec::new();
    for (qi, q) in ex.quotes.iter().enumerate() {
        if q.declines_comment(text) {
            continue;
        }
        let mut pairs = QuotePairs::new(qi, q, &article);
        article.in_quote(q, &mut pairs);
        if scope != Scope::Quote {
            article.in_sentences(q, &article.attribution_of[qi], &mut pairs);
            if pairs.found.is_empty() {
                article.in_sentence_before(q, &mut pairs);
            }
            article.in_headline(q, &mut pairs);
            if scope == Scope::Article {
                for pi in 0..parties.parties.len() {
                    pairs.push(pi, Scope::Article, None);
                }
            }
        }
        out.extend(pairs.found);
    }
    out
}

/// What every quote of an article is paired against, found once per article.
struct Scopes<'a> {
    parties: &'a ArticleParties,
    sentences: &'a [Sentence],
    headline: Option<Span>,
    /// The parties the headline names, each with its first mention there.
    headline_parties: Vec<(usize, Span)>,
    /// Pronoun and nominal mentions of parties, by position.
    referring: Vec<(Span, usize)>,
    /// Each party's country, once per article rather than once per quote and party.
    countries: Vec<String>,
    /// Every quote's attribution, sorted: the sentence before a quote brings in the parties it
    /// names, not the ones another quote's attribution uses to say who that speaker is.
    attributions: Vec<Span>,
    /// Each quote's own attribution ([`attribution`]), by quote index.
    attribution_of: Vec<Vec<Span>>,
    /// Every speaker's mentions, sorted: a party named as a speaker is no topic.
    speaker_mentions: Vec<Span>,
    /// Every party's name mentions with the party, by position: a quote looks up only the
    /// mentions in its own sentences. Asking every party of the article for each quote was
    /// quotes x parties, which grew 2.5x per doubling on a 4 MB text of many articles.
    named: Vec<(Span, usize)>,
}

/// One quote's pairs, each party once, never the speaker's own.
struct QuotePairs {
    quote: usize,
    own: Option<usize>,
    /// The speaker's own country or government, by name.
    own_side: Option<String>,
    seen: Vec<usize>,
    found: Vec<PairRef>,
}

impl QuotePairs {
    fn new(quote: usize, q: &crate::quotes::Quote, article: &Scopes) -> Self {
        let parties = article.parties;
        let own = q
            .speaker
            .and_then(|s| parties.speaker_party.get(s).copied().flatten());
        let own_side = q.speaker.and_then(|s| parties.speaker_side(s));
        QuotePairs {
            quote,
            own,
            own_side,
            seen: Vec::new(),
            found: Vec::new(),
        }
    }

    fn push(&mut self, party: usize, basis: Scope, mention: Option<Span>) {
        if Some(party) != self.own && !self.seen.contains(&party) {
            self.seen.push(party);
            self.found.push(PairRef {
                quote: self.quote,
                party,
                basis,
                mention,
            });
        }
    }

    /// The speaker's own country or government is no target outside the quote; its people and
    /// organisations stay targets (a Republican on Obama is the stance the user came for).
    fn outside_own_side(&self, pi: usize, article: &Scopes) -> bool {
        !matches!(
            article.parties.parties[pi].kind,
            PartyKind::Country | PartyKind::Government
        ) || self.own_side.as_deref() != Some(article.countries[pi].as_str())
    }
}

impl<'a> Scopes<'a> {
    fn new(
        text: &str,
        ex: &'a Extraction,
        entities: &[Entity],
        parties: &'a ArticleParties,
        sentences: &'a [Sentence],
        headline: Option<Span>,
    ) -> Self {
        let attribution_of: Vec<Vec<Span>> = ex
            .quotes
            .iter()
            .map(|q| {
                // The people speaking with the speaker are no target of what they say together
                // (SEESAW valid: Schumer's quote was scored toward Pelosi).
                let mut spans = attribution(q);
                spans.extend(q.joint);
                spans
            })
            .collect();
        let affiliations = affiliations(text, entities, parties);
        let headline_parties: Vec<(usize, Span)> = headline
            .map(|h| {
                (0..parties.parties.len())
                    .filter_map(|pi| {
                        mentions_in(&parties.parties[pi].mentions, h)
                            .find(|m| affiliations.binary_search(m).is_err())
                            .map(|m| (pi, *m))
                    })
                    .collect()
            })
            .unwrap_or_default();
        Scopes {
            parties,
            sentences,
            headline,
            headline_parties,
            referring: referring_mentions(text, entities, parties),
            countries: (0..parties.parties.len())
                .map(|p| parties.country_of(p))
                .collect(),
            named: {
                let mut all: Vec<(Span, usize)> = (parties.parties.iter().enumerate())
                    .flat_map(|(pi, p)| p.mentions.iter().map(move |m| (*m, pi)))
                    .filter(|(m, _)| affiliations.binary_search(m).is_err())
                    .collect();
                all.sort_by_key(|&(m, pi)| (m.start, pi, m.end));
                all
            },
            attributions: {
                let mut all: Vec<Span> = (ex.quotes.iter().zip(&attribution_of))
                    .flat_map(|(q, spans)| {
                        let after = appositive_after(text, q, sentences);
                        spans.iter().copied().chain(after)
                    })
                    .collect();
                all.sort();
                all
            },
            attribution_of,
            speaker_mentions: {
                let mut all: Vec<Span> = ex
                    .speakers
                    .iter()
                    .flat_map(|s| s.mentions.iter().copied())
                    .collect();
                all.sort();
                all
            },
        }
    }

    /// Each party's first kept name mention in `regions` (taken in order), by party index.
    fn first_per_party(
        &self,
        regions: &[Span],
        keep: impl Fn(&Span) -> bool,
    ) -> Vec<(usize, Span)> {
        let mut first: Vec<(usize, Span)> = Vec::new();
        for r in regions {
            let lo = self.named.partition_point(|(m, _)| m.start < r.start);
            for &(m, pi) in self.named[lo..].iter().take_while(|(m, _)| m.start < r.end) {
                if r.contains(m) && keep(&m) && !first.iter().any(|&(p, _)| p == pi) {
                    first.push((pi, m));
                }
            }
        }
        first.sort_by_key(|&(pi, _)| pi);
        first
    }

    /// Parties named inside the quote, or referred to there (pronoun, title noun).
    fn in_quote(&self, q: &crate::quotes::Quote, pairs: &mut QuotePairs) {
        for (pi, m) in self.first_per_party(&[q.content], |_| true) {
            pairs.push(pi, Scope::Quote, Some(m));
        }
        let lo = self
            .referring
            .partition_point(|(m, _)| m.start < q.content.start);
        for &(m, party) in self.referring[lo..]
            .iter()
            .take_while(|(m, _)| m.start < q.content.end)
        {
            if q.content.contains(m) && !q.speaker_mention.is_some_and(|s| s.overlaps(m)) {
                pairs.push(party, Scope::Coreference, Some(m));
            }
        }
    }

    /// Parties named in the quote's sentences or its attribution's, outside the attribution.
    fn in_sentences(&self, q: &crate::quotes::Quote, attribution: &[Span], pairs: &mut QuotePairs) {
        let sentences = self.sentences;
        let lo = sentences.partition_point(|s| s.span.end <= q.content.start);
        let hi = lo + sentences[lo..].partition_point(|s| s.span.start < q.content.end);
        let mut region: Vec<Span> = sentences[lo..hi].iter().map(|s| s.span).collect();
        region.push(sentences[q.sentence].span);
        let outside = |m: &Span| !attribution.iter().any(|a| a.overlaps(*m));
        for (pi, m) in self.first_per_party(&region, outside) {
            if pairs.outside_own_side(pi, self) {
                pairs.push(pi, Scope::Sentence, Some(m));
            }
        }
    }

    /// A quote whose sentences name no party ("We support the start of the process …") goes on
    /// about what the sentence before it, in its paragraph, named. One sentence, measured with
    /// `scripts/eval-graph` on SEESAW valid (no paragraph breaks, no `--party`): the whole
    /// paragraph gave 86.5 pairs an article and 166 of 994 such polar pairs agreed with an
    /// annotated relation (17 %); one sentence 42.2 pairs, 61 of 114 (54 %); two sentences 96 of
    /// 212 (45 %). Relations found 33.3 → 30.2 %, polar cells agreeing 24.1 → 38.4 %; BASIL
    /// targets (`eval-targets`) 63.7 → 63.3 %.
    fn in_sentence_before(&self, q: &crate::quotes::Quote, pairs: &mut QuotePairs) {
        let sentences = self.sentences;
        let first = sentences
            .partition_point(|s| s.span.end <= q.content.start)
            .min(q.sentence);
        let Some(before) = first.checked_sub(1) else {
            return;
        };
        if sentences[before].paragraph != sentences[first].paragraph {
            return;
        }
        let keep = |m: &Span| {
            self.speaker_mentions.binary_search(m).is_err() && !self.in_an_attribution(*m)
        };
        for (pi, m) in self.first_per_party(&[sentences[before].span], keep) {
            if pairs.outside_own_side(pi, self) {
                pairs.push(pi, Scope::Paragraph, Some(m));
            }
        }
    }

    /// Whether `m` lies in some quote's attribution (binary search over the sorted spans; an
    /// attribution is short, so only the few starting before `m` can hold it).
    fn in_an_attribution(&self, m: Span) -> bool {
        let hi = self.attributions.partition_point(|a| a.start < m.end);
        self.attributions[..hi]
            .iter()
            .rev()
            .take(16)
            .any(|a| a.overlaps(m))
    }

    /// The story's subject: a quote in a story about Steele is about Steele unless it is the
    /// headline itself. Measured on BASIL (scripts/eval-targets): headline parties for every
    /// quote took coverage from 34.2% to 57.6%, and 34 of 40 such pairs in the held-out fifth
    /// got the annotated polarity (85%, against 78% for parties named in the quote); only for
    /// quotes naming no party: 49.8%, 23/28.
    fn in_headline(&self, q: &crate::quotes::Quote, pairs: &mut QuotePairs) {
        if self.headline.is_some_and(|h| h.overlaps(q.content)) {
            return;
        }
        for &(pi, m) in &self.headline_parties {
            if pairs.outside_own_side(pi, self) {
                pairs.push(pi, Scope::Headline, Some(m));
            }
        }
    }
}

/// The words that say who speaks: the speaker's mention, the cue, and what stands between them
/// outside the quote — the appositive of "Lis Smith, a spokeswoman for the Obama campaign,
/// said: …", which named Obama and made him a target of Smith's quote about Romney.
fn attribution(q: &crate::quotes::Quote) -> Vec<Span> {
    let mut out: Vec<Span> = q.speaker_mention.into_iter().chain(q.cue).collect();
    if let (Some(m), Some(c)) = (q.speaker_mention, q.cue) {
        let between = Span::new(m.start.min(c.start), m.end.max(c.end));
        if !between.overlaps(q.content) {
            out.push(between);
        }
    }
    out
}

/// "… said Rick Tyler, a GOP consultant who worked for Texas Sen. Ted Cruz's presidential
/// campaign": the words after a speaker named after the cue, to the end of the sentence (or a
/// quotation mark), say who the speaker is. They stay in the quote's own sentence window (the
/// model reads them, and "a former New Hampshire GOP chairman who opposes Trump's reelection"
/// is a stance SEESAW annotates), but bring no party to the next quote: on SEESAW valid they
/// gave Tyler's "It's a rigged game", the quote after, a pair against Cruz.
fn appositive_after(text: &str, q: &crate::quotes::Quote, sentences: &[Sentence]) -> Option<Span> {
    let (m, c, content) = (q.speaker_mention?, q.cue?, q.content);
    if m.start < c.end {
        return None;
    }
    // Binary search, and only the sentence's rest read: a scan per quote of the sentences or of
    // the text after it is quadratic on one long article.
    let i = sentences.partition_point(|s| s.span.end < m.end);
    let sentence_end = sentences.get(i)?.span.end.max(m.end);
    let rest = text.get(m.end..sentence_end)?;
    if !rest.starts_with(',') {
        return None;
    }
    let stop = rest
        .char_indices()
        .find(|&(_, c)| matches!(c, '"' | '\u{201c}' | '\u{201d}' | '\u{ab}' | '\u{bb}'))
        .map_or(sentence_end, |(i, _)| m.end + i);
    let end = if content.start >= m.end {
        stop.min(content.start)
    } else {
        stop
    };
    (end > m.end).then(|| Span::new(m.end, end))
}

/// The party mentions that only say whom a named person works for or where they hold office:
/// "FBI" in "Trump attacked former FBI deputy director Andrew McCabe", "Colorado" in "Colorado
/// Gov. John Hickenlooper" (a party, then titles only, then a person's name). Such a mention
/// brings its party into no pair; the person's does, and so does any other mention of the party.
fn affiliations(text: &str, entities: &[Entity], parties: &ArticleParties) -> Vec<Span> {
    let mut people: Vec<Span> = entities
        .iter()
        .filter(|e| e.kind == EntityType::Person)
        .flat_map(|e| e.mentions.iter().filter(|m| m.kind == MentionKind::Name))
        .map(|m| m.span)
        .collect();
    people.sort();
    let mut out: Vec<Span> = Vec::new();
    for p in &parties.parties {
        if p.kind == PartyKind::Person {
            continue;
        }
        for m in &p.mentions {
            if holds_office(&text[m.end..]) || titles_before_a_name(text, *m, &people) {
                out.push(*m);
            }
        }
    }
    out.sort();
    out
}

/// Whether only titles (at most five, on one line) stand between a mention and the next person's
/// name: "Colorado Gov. John Hickenlooper", "the FBI's Deputy Director Andrew McCabe".
fn titles_before_a_name(text: &str, m: Span, people: &[Span]) -> bool {
    let next = people.partition_point(|s| s.start < m.end);
    let Some(person) = people.get(next) else {
        return false;
    };
    // Five titles fit in 100 bytes; a longer gap is no title, and not reading it keeps a text
    // where names are far apart linear.
    if person.start - m.end > 100 {
        return false;
    }
    let gap = &text[m.end..person.start];
    let gap = gap
        .strip_prefix("'s")
        .or_else(|| gap.strip_prefix("’s"))
        .unwrap_or(gap);
    let words: Vec<&str> = gap.split_whitespace().collect();
    (1..=5).contains(&words.len())
        && !gap.contains('\n')
        && words.iter().all(|w| crate::lexicon::is_title(w))
}

/// Whether the words after a party's mention name one person's office there and end it, with
/// or without a name after them: "Navy secretary" in "Esper forces out Navy secretary over
/// disputed SEAL case", "FBI director" in "the FBI director lied". A name-less office ends at a
/// word that is no title ("over") or at punctuation; "Navy SEAL Eddie Gallagher" is no office.
fn holds_office(after: &str) -> bool {
    // Six words at most: a bounded look, as a scan to the line's end was one per mention across a
    // 4.7 MB article without line breaks (2.4 → 0.43 MB/s).
    let window = after
        .char_indices()
        .nth(120)
        .map_or(after, |(i, _)| &after[..i]);
    let after = window.split('\n').next().unwrap_or("");
    let mut last_title = None;
    for w in after.split_whitespace().take(6) {
        let bare = w.trim_end_matches([',', '.', ';', ':', '!', '?', '\'', '"', '\u{201d}']);
        let ends = bare.len() < w.len() && !crate::lexicon::is_title(w);
        if !crate::lexicon::is_title(bare) {
            break;
        }
        last_title = Some(bare);
        if ends {
            break;
        }
    }
    last_title.is_some_and(|w| crate::lexicon::OFFICE_HOLDERS.contains_lower(w))
        && !after.starts_with(['\'', '\u{2019}'])
}

/// (mention, party) for every pronoun or nominal mention of an entity that is a party (one of
/// its names is a party's mention) and every party's own (`ArticleParties::referring`), sorted by position so each quote finds its own by binary
/// search (a scan per quote made one 4.7 MB article's pairs quadratic).
fn referring_mentions(
    text: &str,
    entities: &[Entity],
    parties: &ArticleParties,
) -> Vec<(Span, usize)> {
    let mut out = parties.referring.clone();
    for (e, p) in entities.iter().zip(&parties.entity_party) {
        if let Some(p) = *p {
            // "he", "his", "she" refer to people only: the tagger's person "Iowa" and "North
            // Carolina Republican" (Rep. Mark Walker) had taken his pronouns, and with them a
            // state was the target of "neither is he below it" (SEESAW valid, 5 such pairs).
            let people_only = parties.parties[p].kind != PartyKind::Person;
            out.extend(
                e.mentions
                    .iter()
                    .filter(|m| m.kind != MentionKind::Name)
                    .filter(|m| {
                        !(people_only
                            && m.kind == MentionKind::Pronoun
                            && crate::lexicon::is_gendered_pronoun(m.span.slice(text)))
                    })
                    .map(|m| (m.span, p)),
            );
        }
    }
    out.sort();
    out
}

/// What the model reads for one pair: a stretch of the article and the mentions to mark in it.
#[derive(Debug, Clone, PartialEq)]
pub struct Context {
    /// The quote's sentence(s) with its attribution, and the sentence of the mention that
    /// brought the party in when that lies outside them (bytes).
    pub span: Span,
    /// The party's mentions inside `span`, except those inside the speaker's own mentions
    /// ("Kremlin" in "Kremlin spokesperson Dmitry Peskov" names who speaks, not whom).
    pub party: Vec<Span>,
    /// The speaker's mentions inside `span` ("Peskov", "he", the attribution's name).
    pub speaker: Vec<Span>,
}

/// The context of a pair. The model was trained on whole news sentences with both the holder
/// and the target marked (SEESAW, directed sentiment): fed the bare quote with no holder, the
/// previous model called 46.8% of SEESAW valid's polar pairs neutral (issue 15).
pub fn context(
    pair: &PairRef,
    ex: &Extraction,
    parties: &ArticleParties,
    sentences: &[Sentence],
) -> Context {
    let q = &ex.quotes[pair.quote];
    let sentence_of = |at: usize| {
        let i = sentences.partition_point(|s| s.span.end <= at);
        sentences.get(i).map_or(Span::new(at, at), |s| s.span)
    };
    let mut span = q.content;
    for at in [q.content.start, q.content.end.saturating_sub(1)] {
        span = hull(span, sentence_of(at));
    }
    if let Some(s) = sentences.get(q.sentence) {
        span = hull(span, s.span);
    }
    // A headline party is read against the quote alone: the hull from the headline down to the
    // quote would be most of the article.
    if let Some(m) = pair.mention.filter(|_| pair.basis != Scope::Headline) {
        span = hull(span, sentence_of(m.start));
    }
    let mut speaker: Vec<Span> = q
        .speaker
        .map(|s| ex.speakers[s].mentions.clone())
        .unwrap_or_default();
    speaker.extend(q.speaker_mention);
    speaker.retain(|m| span.contains(*m));
    speaker.sort();
    speaker.dedup();
    let mut party: Vec<Span> = mentions_in(&parties.parties[pair.party].mentions, span)
        .filter(|m| !speaker.iter().any(|s| s.overlaps(**m)))
        .copied()
        .collect();
    // "he" in the quote is the party: the model reads it marked as the party's mention.
    if pair.basis == Scope::Coreference {
        party.extend(pair.mention);
        party.sort();
    }
    Context {
        span,
        party,
        speaker,
    }
}

fn hull(a: Span, b: Span) -> Span {
    Span::new(a.start.min(b.start), a.end.max(b.end))
}
