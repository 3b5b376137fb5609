//! Who speaks, resolved: the speaker a cue's subject phrase is in the entity layer's registry
//! (`speaker_of`), with the rules that pick the phrase where the cue has none of its own
//! (participles, documents) or where a pronoun's antecedent is in its own sentence, and the
//! narrative people that later pronouns can refer back to (pass 3).

use super::cues::{Cue, CueKind};
use super::passes::Passes;
use super::phrase::{parse_phrase, person_names};
use super::source::{
    bare_nominal, first_verbish, in_a_phrase, introductory_phrase, parenthetical_subject,
    subject_left, subject_of, Subject,
};
use super::{token_span, Tokens};
use crate::entities::coref::{Gender, Phrase};
use crate::lexicon::{ALL_PREPOSITIONS, DOCUMENTS, NOT_NAMES, ROLE_WORDS};
use crate::text::{Span, Token};

impl Passes<'_> {
    /// The speaker a cue's subject names, or for a participle cue ("…, stating that") the
    /// sentence's earlier speaker or main-clause subject, with the mention it was found from.
    /// A pronoun with no antecedent ("“…,” he conceded." opening an excerpt) is kept as the
    /// mention of a speaker left unresolved: the quote is real even when its speaker is not known.
    pub(super) fn speaker_of(
        &mut self,
        s: &Tokens,
        cue: &Cue,
        subject: &Subject,
        last_speaker: Option<(usize, Span)>,
    ) -> Option<(Option<usize>, Span)> {
        let toks = &s.toks;
        match subject.range {
            Some((a, _)) if !subject.inverted && !subject.passive && in_a_phrase(toks, a) => None,
            Some((a, b)) => {
                let span = token_span(toks, subject.mention_start().unwrap_or(a), b);
                let mut phrase = parse_phrase(&toks[a..b]);
                if let (Some(Phrase::Named { role, .. }), Some(r)) =
                    (&mut phrase, &subject.appositive_role)
                {
                    *role = Some(r.clone());
                }
                let phrase = phrase.or_else(|| subject.bare.then(|| bare_nominal(&toks[a..b])))?;
                if let Phrase::Pronoun(gender, false) = phrase {
                    if let Some(id) = self
                        .subordinate_subject(s, a, gender)
                        .or_else(|| self.introducing_subject(s, a, gender))
                    {
                        self.reg.resolve_to(id, span);
                        return Some((Some(id), span));
                    }
                }
                match self.reg.resolve(&phrase, span, true) {
                    Some(id) => Some((Some(id), span)),
                    None => matches!(phrase, Phrase::Pronoun(..)).then_some((None, span)),
                }
            }
            None if cue.kind == CueKind::Participle => {
                self.participle_speaker(s, cue, last_speaker)
            }
            None => None,
        }
    }

    /// A participle cue's speaker: the sentence opener's subject ("Noting that …, he said"), a
    /// document's issuer ("issued a statement saying"), the sentence's earlier speaker, or its
    /// main clause's subject.
    fn participle_speaker(
        &mut self,
        s: &Tokens,
        cue: &Cue,
        last_speaker: Option<(usize, Span)>,
    ) -> Option<(Option<usize>, Span)> {
        let toks = &s.toks;
        // The issuer of "a statement saying" where a name or pronoun says who it is (a
        // role alone, "president" of "Cathi Herrod, president of …, an architect of the
        // bill, issued a news release", is left to the main clause's subject below).
        let issuer = document_issuer(toks, &s.quoted, cue).filter(|&(a, b)| {
            matches!(
                parse_phrase(&toks[a..b]),
                Some(Phrase::Named { .. } | Phrase::Pronoun(..))
            )
        });
        if let Some((a, b)) = opening_participle(toks, &s.quoted, cue)
            .map(|(_, r)| r)
            .or(issuer)
        {
            let span = token_span(toks, a, b);
            let p = parse_phrase(&toks[a..b])?;
            return match self.reg.resolve(&p, span, true) {
                Some(id) => Some((Some(id), span)),
                None => matches!(p, Phrase::Pronoun(..)).then_some((None, span)),
            };
        }
        last_speaker.map(|(id, m)| (Some(id), m)).or_else(|| {
            // "…, stating that": the subject of the sentence's main clause, or the name
            // an appositive follows ("Harvard economist Jeff Miron, a vocal supporter of
            // …, highlighted …, saying that")
            let v = first_verbish(toks, &s.quoted).unwrap_or(0);
            let named = |(a, b): (usize, usize)| {
                parse_phrase(&toks[a..b]).filter(|p| matches!(p, Phrase::Named { .. }))
            };
            let before_appositive = toks
                .iter()
                .take(7)
                .position(|t| t.text == ",")
                .filter(|&c| {
                    c > 0 && !s.quoted[..c].iter().any(|&q| q) && !introductory_phrase(toks, c)
                })
                .map(|c| (0, c));
            let main = subject_left(toks, v, &s.quoted)
                .and_then(|r| Some((r.0, r.1, parse_phrase(&toks[r.0..r.1])?)));
            let opener = before_appositive.and_then(|r| Some((r.0, r.1, named(r)?)));
            // After a document the name that opens the sentence comes first: its
            // appositives ("president of …, an architect of the bill") are no subject. So
            // does it where the main clause's subject is found right after that name's comma
            // ("Ocasio-Cortez, the Democratic socialist lawmaker from New York, went on
            // Twitter …, accusing": the BASIL dev fifth had a speaker "Democratic").
            let in_appositive = main
                .as_ref()
                .zip(before_appositive)
                .is_some_and(|(m, (_, c))| {
                    m.0 == c + 1 && matches!(toks[m.0].lower().as_str(), "the" | "a" | "an")
                });
            let (a, b, p) = if after_document(toks, cue) || in_appositive {
                opener.or(main)
            } else {
                main.or(opener)
            }?;
            let span = token_span(toks, a, b);
            Some((Some(self.reg.resolve(&p, span, true)?), span))
        })
    }

    /// "A month ago, when Mr. Bush released his own tax returns, he said: …": the one person a
    /// sentence names before a pronoun subject, as the subject of a clause opened by "when",
    /// "after", "as", "while", "because", "since", "although", "once" or "if", is who the pronoun
    /// is. This sentence's names become antecedents only after its cues are read (pass 3), so
    /// "he" had gone to the last man spoken of before it (Bill Clinton, in a BASIL article).
    fn subordinate_subject(&mut self, s: &Tokens, a: usize, gender: Gender) -> Option<usize> {
        let (toks, quoted) = (&s.toks, &s.quoted);
        if quoted[..a].iter().any(|&q| q) {
            return None;
        }
        let (at, end) = sole_person(toks, a)?;
        let mut k = at;
        while k > 0
            && (ROLE_WORDS.contains_lower(toks[k - 1].text)
                || crate::lexicon::HONORIFICS.contains_lower(toks[k - 1].text)
                || toks[k - 1].lower() == "former")
        {
            k -= 1;
        }
        let opener = k.checked_sub(1).map(|j| toks[j].lower());
        if !opener.is_some_and(|w| {
            matches!(
                w.as_str(),
                "when"
                    | "after"
                    | "as"
                    | "while"
                    | "because"
                    | "since"
                    | "although"
                    | "once"
                    | "if"
            )
        }) {
            return None;
        }
        self.person_fitting(toks, (k, end), gender)
    }

    /// "Senator Bernie Sanders weighed in with criticism: “This is what authoritarians do …,” he
    /// wrote in a tweet": the one person the sentence names before the colon that introduces the
    /// quote is who the pronoun after it is (SEESAW valid TRIPLET_044: "he" had gone to the
    /// speaker of the paragraph before, Medea Benjamin).
    fn introducing_subject(&mut self, s: &Tokens, a: usize, gender: Gender) -> Option<usize> {
        let (toks, quoted) = (&s.toks, &s.quoted);
        let open = quoted[..a].iter().position(|&q| q)?;
        let colon = toks[..open]
            .iter()
            .rposition(|t| !t.text.chars().all(crate::text::is_quote_mark))?;
        if toks[colon].text != ":" {
            return None;
        }
        let name = sole_person(toks, colon)?;
        self.person_fitting(toks, name, gender)
    }

    /// The person the tokens `a..b` name, noted as an antecedent, if a pronoun of `gender` fits.
    fn person_fitting(
        &mut self,
        toks: &[Token],
        (a, b): (usize, usize),
        gender: Gender,
    ) -> Option<usize> {
        let id = self
            .reg
            .note_person(parse_phrase(&toks[a..b]), token_span(toks, a, b))?;
        self.reg.fits_pronoun(id, gender).then_some(id)
    }

    /// The grammatical subject of a passive cue ("Herman Cain, …, was asked by a caller").
    pub(super) fn note_addressee(&mut self, s: &Tokens, cue: usize) {
        let (toks, quoted) = (&s.toks, &s.quoted);
        let Some((a, b)) =
            subject_left(toks, cue, quoted).or_else(|| parenthetical_subject(toks, cue, quoted))
        else {
            return;
        };
        if let Some(p) = parse_phrase(&toks[a..b]) {
            self.reg.note_addressee(&p, token_span(toks, a, b));
        }
    }

    /// Pass 3: narrative person mentions become antecedents for later pronouns, unless a quote of
    /// this sentence was attributed from them.
    pub(super) fn narrative_people(&mut self, s: &Tokens, first_quote: usize) {
        // a title-case first line, with or without a final period, names no one to refer back to
        if self.headline.is_some_and(|h| h.contains(s.sent.span)) || self.title_case_first_line(s) {
            return;
        }
        let (toks, quoted) = (&s.toks, &s.quoted);
        let mut noted = Vec::new();
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
                let span = token_span(name, 0, name.len());
                if let Some(id) = self.reg.note_person(parse_phrase(name), span) {
                    // "Obama vetoed the bill … In sum, he said": the person the sentence opens
                    // with, as its subject, is who the next "he said" most likely is; also after
                    // an introductory phrase ("Despite the swirl of events, Mr. Weiner has …").
                    if k == 0 || opens_after_introduction(toks, quoted, k) {
                        self.reg.mark_subject();
                    }
                    noted.push((id, at));
                }
            }
        }
        if let [(id, at)] = noted[..] {
            let pronoun = (at..toks.len())
                .find(|&k| !quoted[k] && crate::lexicon::is_gendered_pronoun(toks[k].text));
            if let Some(k) = pronoun {
                self.reg.learn_gender(id, toks[k].text);
            }
        }
    }
}

/// Whether the words before token `k` only lead into the sentence's subject: a connective ("But
/// Senator Richard J. Durbin …"), or an introductory phrase and its comma, the sentence's first
/// ("Despite the swirl of events, Mr. Weiner …", "In a February interview, Mr. Brat spoke …"),
/// opened by a preposition after an optional connective, with nothing quoted.
fn opens_after_introduction(toks: &[Token], quoted: &[bool], k: usize) -> bool {
    let connective = |t: &Token| matches!(t.lower().as_str(), "and" | "but" | "so" | "yet");
    if k == 1 {
        return connective(&toks[0]);
    }
    k > 1
        && toks[k - 1].text == ","
        && !toks[..k - 1].iter().any(|t| t.text == ",")
        && !quoted[..k].iter().any(|&q| q)
        && toks[..k - 1]
            .iter()
            .find(|t| !connective(t))
            .is_some_and(|t| ALL_PREPOSITIONS.contains_lower(t.text))
}

/// "Noting that he was a recovering alcoholic himself, he said that …": a participle that opens
/// the sentence reports what the main clause's subject says, and its clause ends at the comma
/// before that subject. The comma's token and the subject's token range; none when no subject
/// follows the first comma. (Read as a name, "Noting" had become a person in a 2010 BASIL
/// article and taken every later "he" of Glenn Beck's eighteen quotes.)
pub(super) fn opening_participle(
    toks: &[Token],
    quoted: &[bool],
    cue: &Cue,
) -> Option<(usize, (usize, usize))> {
    if cue.kind != CueKind::Participle || cue.at != 0 {
        return None;
    }
    let comma = (cue.after..toks.len()).find(|&k| !quoted[k] && toks[k].text == ",")?;
    let from = comma + 1;
    let v = from + first_verbish(&toks[from..], &quoted[from..])?;
    let subject = subject_left(toks, v, quoted).filter(|&(a, _)| a >= from)?;
    Some((comma, subject))
}

/// "issued a statement saying": the cue right after a document (`DOCUMENTS`).
pub(super) fn after_document(toks: &[Token], cue: &Cue) -> bool {
    cue.at > 0 && DOCUMENTS.contains_lower(toks[cue.at - 1].text)
}

/// "Donald Trump unleashed a series of tweets criticizing Alicia Machado": a participle cue right
/// after a document (`DOCUMENTS`) reports what the document's issuer says, the subject of the
/// verb before the document's noun phrase; none when no subject is found there. (The sentence's
/// earlier speaker had taken it in a PolNeAR dev article: Jennifer Palmieri, who spoke of the
/// tweets.)
pub(super) fn document_issuer(
    toks: &[Token],
    quoted: &[bool],
    cue: &Cue,
) -> Option<(usize, usize)> {
    if cue.kind != CueKind::Participle || cue.at < 2 || !after_document(toks, cue) {
        return None;
    }
    let in_phrase = |t: &Token| {
        matches!(
            t.lower().as_str(),
            "a" | "an"
                | "the"
                | "his"
                | "her"
                | "their"
                | "its"
                | "series"
                | "of"
                | "new"
                | "brief"
                | "short"
                | "joint"
                | "formal"
                | "written"
                | "lengthy"
                | "separate"
                | "another"
                | "out"
        )
    };
    let mut v = cue.at - 1;
    while v > 0 && in_phrase(&toks[v - 1]) {
        v -= 1;
    }
    let verb = v.checked_sub(1)?;
    if quoted[verb] || !toks[verb].is_word() || toks[verb].is_capitalized() {
        return None;
    }
    // Found as a reporting verb's subject is, appositives and party tags included ("Cathi
    // Herrod, president of the Center for Arizona Policy, …, issued a news release calling …").
    let issued = Cue {
        at: verb,
        span: toks[verb].span,
        after: verb + 1,
        kind: CueKind::Verb,
    };
    subject_of(toks, quoted, &issued).range
}

/// The token range of the one person named in `toks[..end]`, if exactly one is.
fn sole_person(toks: &[Token], end: usize) -> Option<(usize, usize)> {
    let [name] = person_names(&toks[..end])[..] else {
        return None;
    };
    let at = toks
        .iter()
        .position(|t| t.span.start == name[0].span.start)?;
    Some((at, at + name.len()))
}
