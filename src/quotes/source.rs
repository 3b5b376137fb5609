//! Who is speaking: the speaker phrase around a cue. Its subject to the left ("Peskov said"), to
//! the right ("…, said Peskov"), after "according to" or "by" (a passive cue's agent), an
//! appositive on either side ("Hugh Hill, a doctor, said"), a parenthetical subject, and the
//! bare noun after a quote ("“…,” the girl said"). The phrase's tokens go to the entity layer,
//! which splits name, role and affiliation and resolves the speaker (`entities::speakers`).

use super::appositive::{
    appositive_left, appositive_name_right, appositive_owner, party_tag_before, role_before_name,
};
use super::cues::{coordinated, is_passive, Cue, CueKind};
use super::join;
use crate::entities::coref::Phrase;
use crate::lexicon::{
    BRIDGE_WORDS, CUE_VERBS, DETERMINERS_OPENING, NOT_NAMES, PREPOSITIONS, RELATIVE_PRONOUNS,
    ROLE_WORDS, SOURCE_NOUNS,
};
use crate::text::{is_quote_mark, Span, Token};

/// "a rally in Michigan", "32% of Republican claims": a phrase starting at `start` after one of
/// these prepositions says where or whose, not who speaks ("according to X", "by X" and "one of
/// X" do name who speaks).
pub(super) fn in_a_phrase(toks: &[Token], start: usize) -> bool {
    start > 0
        && match toks[start - 1].lower().as_str() {
            "in" | "at" | "from" | "during" => true,
            "of" => !(start > 1 && DETERMINERS_OPENING.contains_lower(toks[start - 2].text)),
            _ => false,
        }
}

/// A word a speaker phrase is made of: a capitalised word, a role, "of"/"the"/"for"/"a"/"an", a
/// possessive.
fn in_name_phrase(t: &Token, lower: &str) -> bool {
    (t.is_word() && t.is_capitalized())
        || ROLE_WORDS.contains_lower(t.text)
        || matches!(lower, "of" | "the" | "for" | "to" | "a" | "an")
        || lower.ends_with("'s")
        || lower.ends_with("’s")
}

/// Past the leading function words and sentence-initial connectives ("Additionally",
/// "Meanwhile") of the phrase `k..end`.
fn skip_openers(toks: &[Token], mut k: usize, end: usize) -> usize {
    while k < end
        && (matches!(toks[k].lower().as_str(), "of" | "for" | "to")
            || (NOT_NAMES.contains(toks[k].lower().as_str())
                && !matches!(
                    toks[k].lower().as_str(),
                    "the" | "a" | "an" | "he" | "she" | "they" | "it" | "i" | "we"
                )))
    {
        k += 1;
    }
    k
}

/// Collects a speaker phrase leftwards from `from` (exclusive). Returns its token range.
pub(super) fn subject_left(toks: &[Token], from: usize, quoted: &[bool]) -> Option<(usize, usize)> {
    let mut j = from;
    while j > 0
        && (BRIDGE_WORDS.contains_lower(toks[j - 1].text)
            || (toks[j - 1].text.ends_with("ly")
                && !toks[j - 1].is_capitalized()
                && toks[j - 1].text.len() > 4))
    {
        j -= 1;
    }
    let mut end = j;
    if let Some(np) = common_noun_source(toks, end, quoted) {
        return Some(np);
    }
    let mut k = j;
    while k > 0 {
        let t = &toks[k - 1];
        if quoted[k - 1] {
            break;
        }
        // "Sen. Rob Portman (R-Ohio)": step over a short parenthesis after the name
        if t.text == ")" {
            match (k.saturating_sub(8)..k - 1)
                .rev()
                .find(|&o| toks[o].text == "(")
            {
                Some(o) if o > 0 && toks[o - 1].is_capitalized() => {
                    if k == end {
                        end = o; // the parenthesis is not part of the name
                    }
                    k = o;
                    continue;
                }
                _ => break,
            }
        }
        let l = t.lower();
        // "…, Mr. Jones, who said …": the relative pronoun stands for the name before the comma
        if l == "who" && k == end && k >= 3 && toks[k - 2].text == "," {
            if let Some(np) = subject_left(toks, k - 2, quoted) {
                if toks[np.0..np.1].iter().any(|t| t.is_capitalized()) {
                    return Some(appositive_owner(toks, np, quoted).unwrap_or(np));
                }
            }
        }
        let pronoun = matches!(l.as_str(), "he" | "she" | "they" | "it" | "i" | "we");
        if pronoun {
            if k == end {
                k -= 1;
            }
            break;
        }
        if !in_name_phrase(t, &l) {
            break;
        }
        k -= 1;
    }
    k = skip_openers(toks, k, end);
    if k >= end {
        return None;
    }
    // "the" alone is not a speaker
    if end - k == 1 && matches!(toks[k].lower().as_str(), "the" | "a" | "an") {
        return None;
    }
    Some((k, end))
}

/// "the billionaire businessman", "a new poll of Indiana voters", "47 percent": a phrase ending at
/// `end` whose head is a source noun and which opens with a determiner or a number.
pub(super) fn common_noun_source(
    toks: &[Token],
    end: usize,
    quoted: &[bool],
) -> Option<(usize, usize)> {
    if end == 0
        || quoted[end - 1]
        || !SOURCE_NOUNS.contains_lower(toks[end - 1].text)
        || toks[end - 1].is_capitalized() && end > 1
    {
        return None;
    }
    let mut k = end - 1;
    while k > 0 && end - k < 7 && !quoted[k - 1] && toks[k - 1].is_word() {
        k -= 1;
        let w = toks[k].lower();
        if DETERMINERS_OPENING.contains_lower(&w)
            || w.chars().next().is_some_and(|c| c.is_ascii_digit())
            || w.contains('-')
                && w.chars().next().is_some_and(|c| c.is_alphabetic())
                && toks[k].is_capitalized()
        {
            return Some((k, end));
        }
        if !w
            .chars()
            .all(|c| c.is_alphanumeric() || c == '-' || c == '\'' || c == '’')
            || matches!(w.as_str(), "and" | "or" | "but" | "who" | "which" | "that")
        {
            return None;
        }
    }
    // sentence-initial capitalised determiner: "The billionaire says"
    (k == 0 && DETERMINERS_OPENING.contains_lower(toks[0].text)).then_some((0, end))
}

/// "according to a new article in Politico, …": up to the comma or the sentence end.
pub(super) fn according_source(
    toks: &[Token],
    from: usize,
    quoted: &[bool],
) -> Option<(usize, usize)> {
    let mut k = from;
    while k < toks.len() && !quoted[k] && toks[k].is_word() && k - from < 12 {
        k += 1;
    }
    (k > from && DETERMINERS_OPENING.contains_lower(toks[from].text)).then_some((from, k))
}

/// Collects a speaker phrase rightwards (inverted "…, said Peskov").
pub(super) fn subject_right(
    toks: &[Token],
    from: usize,
    quoted: &[bool],
) -> Option<(usize, usize)> {
    let mut k = from;
    while k < toks.len() && !quoted[k] {
        let t = &toks[k];
        let l = t.lower();
        if k == from && matches!(l.as_str(), "he" | "she" | "they" | "it" | "i" | "we") {
            return Some((k, k + 1));
        }
        let ok = (t.is_word() && t.is_capitalized())
            || ROLE_WORDS.contains_lower(t.text)
            || matches!(l.as_str(), "of" | "the" | "for" | "a" | "an")
            || l.ends_with("'s")
            || l.ends_with("’s")
            || title_between(toks, k, from, quoted);
        if !ok {
            break;
        }
        k += 1;
    }
    // drop trailing function words
    while k > from
        && matches!(
            toks[k - 1].lower().as_str(),
            "of" | "the" | "for" | "a" | "an"
        )
    {
        k -= 1;
    }
    (k > from).then_some((from, k))
}

/// "says Cambridge cartoonist Andre Campbell": a lower-case word between capitalised words of
/// an inverted subject is a title, not the subject's end.
pub(super) fn title_between(toks: &[Token], k: usize, from: usize, quoted: &[bool]) -> bool {
    let t = &toks[k];
    // at the phrase's start, only before a full name: "by host John Dickerson"
    let placed = if k == from {
        toks.get(k + 2)
            .is_some_and(|n| n.is_capitalized() && !quoted[k + 2])
    } else {
        toks[k - 1].is_capitalized()
    };
    placed
        && t.is_word()
        && t.text.chars().all(char::is_lowercase)
        && toks
            .get(k + 1)
            .is_some_and(|n| n.is_word() && n.is_capitalized() && !quoted[k + 1])
        && !PREPOSITIONS.contains(t.text)
        && !DETERMINERS_OPENING.contains(t.text)
        && !BRIDGE_WORDS.contains(t.text)
        && !CUE_VERBS.contains(t.text)
        && !NOT_NAMES.contains(t.text)
        && !matches!(
            t.text,
            "and" | "or" | "but" | "who" | "which" | "that" | "as" | "while" | "when" | "if"
        )
}

/// The token after the comma that closes the words before a cue ("X, …, also said"), bridge
/// words skipped; none when the cue is not so preceded or that comma is at most `min - 1`.
fn comma_before_cue(toks: &[Token], cue: usize, quoted: &[bool], min: usize) -> Option<usize> {
    let mut j = cue;
    while j > 0 && BRIDGE_WORDS.contains_lower(toks[j - 1].text) {
        j -= 1;
    }
    let comma = |k: usize| toks[k].text == "," && !quoted[k];
    (j >= min.max(1) && (comma(j - 1) || title_comma(toks, j - 1, quoted))).then_some(j)
}

/// "Gallagher, speaking Sunday on “Fox & Friends,” alleged …": the comma before the cue sits
/// inside the closing mark of a quoted title (at most five words, each capitalised or a small
/// word), as American style puts it.
fn title_comma(toks: &[Token], close: usize, quoted: &[bool]) -> bool {
    if close < 3 || !toks[close].text.chars().all(is_quote_mark) || toks[close - 1].text != "," {
        return false;
    }
    let open = (0..close - 1)
        .rev()
        .find(|&k| toks[k].text.chars().all(is_quote_mark));
    open.is_some_and(|o| {
        let words = &toks[o + 1..close - 1];
        (1..=5).contains(&words.len())
            && words.iter().all(|w| {
                w.is_capitalized() || matches!(w.text, "&" | "and" | "the" | "of" | "on" | "in")
            })
            && quoted[o + 1]
    })
}

/// "X, <a parenthetical of any length>, said": the subject before the first comma,
/// when it opens the sentence.
pub(super) fn parenthetical_subject(
    toks: &[Token],
    cue: usize,
    quoted: &[bool],
) -> Option<(usize, usize)> {
    let j = comma_before_cue(toks, cue, quoted, 3)?;
    let lo = j.saturating_sub(45);
    (lo..j - 1)
        .filter(|&c| toks[c].text == "," && !quoted[c])
        .find_map(|c| {
            let (s, e) = subject_left(toks, c, quoted)?;
            let named = toks[s..e]
                .iter()
                .any(|t| t.is_capitalized() || matches!(t.lower().as_str(), "he" | "she" | "they"));
            (s <= 2 && named).then_some((s, e))
        })
}

/// "“…,” Sanders, who is running for the Democratic nomination for president in 2020, said in a
/// statement": a relative clause between commas says who the name before it is, and the name
/// is the cue's subject (SEESAW valid TRIPLET_070; the rules found no speaker and the tagger
/// gave the quote to Mitch McConnell, named sentences earlier).
pub(super) fn relative_clause_subject(
    toks: &[Token],
    cue: usize,
    quoted: &[bool],
) -> Option<(usize, usize)> {
    let close = comma_before_cue(toks, cue, quoted, 4)? - 1;
    let opens = (close.saturating_sub(30)..close.saturating_sub(2))
        .rev()
        .take_while(|&c| !quoted[c] && !matches!(toks[c].text, "." | "!" | "?" | ";"))
        .find(|&c| {
            toks[c].text == "," && matches!(toks[c + 1].lower().as_str(), "who" | "whose")
        })?;
    let (mut s, mut e) = subject_left(toks, opens, quoted)?;
    if matches!(toks[s].text, "a" | "an" | "the") && s >= 2 && toks[s - 1].text == "," {
        // "Hogan Gidley, a former executive director of …, whose roots are …, said": the
        // phrase before the relative clause is an appositive; the name is before it.
        (s, e) = subject_left(toks, s - 1, quoted)?;
    }
    toks[s..e]
        .iter()
        .any(|t| t.is_capitalized())
        .then_some((s, e))
}

/// "Ted Cruz, who says he is honored …": the relative pronoun between the name ending at `end`
/// and the cue is the cue's subject, a mention of the speaker in its own right.
pub(super) fn relative_subject(toks: &[Token], end: usize, cue: usize) -> Option<Span> {
    let who = end + 1;
    (toks.get(end)?.text == ","
        && toks.get(who)?.lower() == "who"
        && who < cue
        && toks[who + 1..cue]
            .iter()
            .all(|t| BRIDGE_WORDS.contains_lower(t.text)))
    .then(|| toks[who].span)
}

/// "And in an interview on MSNBC, he pointed …": the words before the comma at `comma` open with
/// a preposition (after a connective), so they are an introductory phrase, not the subject.
pub(super) fn introductory_phrase(toks: &[Token], comma: usize) -> bool {
    toks[..comma]
        .iter()
        .find(|t| !matches!(t.lower().as_str(), "and" | "but" | "so" | "yet" | "then"))
        .is_some_and(|t| PREPOSITIONS.contains_lower(t.text))
}

/// The first lowercase word after a sentence's initial noun phrase, as a stand-in for its main
/// verb; the noun phrase may follow an introductory phrase and its comma.
pub(super) fn first_verbish(toks: &[Token], quoted: &[bool]) -> Option<usize> {
    let start = toks
        .iter()
        .position(|t| t.text == ",")
        .filter(|&c| c < 5 || introductory_phrase(toks, c))
        .map(|c| c + 1)
        .unwrap_or(0);
    (start..toks.len()).find(|&k| {
        !quoted[k]
            && toks[k].is_word()
            && !toks[k].is_capitalized()
            && !ROLE_WORDS.contains_lower(toks[k].text)
            && !matches!(
                toks[k].lower().as_str(),
                "the" | "a" | "an" | "of" | "he" | "she" | "they" | "it" | "i" | "we"
            )
    })
}

/// Who a cue's subject is, as found around it.
pub(super) struct Subject {
    /// Token range of the speaker phrase.
    pub(super) range: Option<(usize, usize)>,
    /// "Lis Smith, a spokeswoman for …, said": the role the appositive gives.
    pub(super) appositive_role: Option<String>,
    /// "Trump's attorney, Rudy Giuliani, said": the first token of a role before the name,
    /// which the mention covers as it does "Trump's attorney Rudy Giuliani" (so the role's
    /// "Trump" is no party of the quote, as the DNC of "a spokeswoman for the DNC" is not).
    pub(super) role_before: Option<usize>,
    /// "…, said John Smith": the subject follows the cue.
    pub(super) inverted: bool,
    /// "“…,” the girl whimpered": a common noun that speaks only because a direct quote ends
    /// right before it (no list of source nouns names it).
    pub(super) bare: bool,
    /// "Facebook was criticised by the tribunal": the speaker is the agent after the cue.
    pub(super) passive: bool,
}

impl Subject {
    /// Where the speaker's mention starts: the role before the name where one is
    /// (`role_before`), else the subject phrase.
    pub(super) fn mention_start(&self) -> Option<usize> {
        self.role_before.or(self.range.map(|(s, _)| s))
    }
}

/// Who a cue's subject is: for "according to", the phrase after it; for a verb, the phrase
/// before it (an appositive, a parenthetical, the subject of a coordinated clause), or the one
/// after it when the cue follows a quote or a comma ("…," said John Smith).
pub(super) fn subject_of(toks: &[Token], quoted: &[bool], cue: &Cue) -> Subject {
    let mut subject = Subject {
        range: None,
        appositive_role: None,
        role_before: None,
        inverted: false,
        bare: false,
        passive: false,
    };
    match cue.kind {
        CueKind::According => {
            subject.range = subject_right(toks, cue.after, quoted)
                .or_else(|| according_source(toks, cue.after, quoted))
        }
        CueKind::Participle => {}
        CueKind::Verb if is_passive(toks, cue.at) => {
            // The grammatical subject is who was spoken of; without a "by" agent nobody is
            // named as the speaker.
            subject.passive = true;
            if toks.get(cue.after).is_some_and(|t| t.lower() == "by") {
                subject.range = subject_right(toks, cue.after + 1, quoted);
                if subject.range.is_none() {
                    // "was asked by a caller why …"
                    subject.range = noun_phrase_right(toks, cue.after + 1, quoted);
                    subject.bare = subject.range.is_some();
                }
            }
        }
        CueKind::Verb => {
            subject_before(toks, quoted, cue, &mut subject);
            if subject.range.is_none() {
                subject.range = relative_clause_subject(toks, cue.at, quoted);
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
                subject.range = bare_noun_after_quote(toks, cue.at, quoted);
                subject.bare = subject.range.is_some();
            }
            if subject.range.is_none() {
                let prev = if cue.at > 0 {
                    toks[cue.at - 1].text
                } else {
                    ""
                };
                if prev == "," || prev.chars().all(is_quote_mark) || cue.at == 0 {
                    subject.range = subject_right(toks, cue.after, quoted)
                        .filter(|&(_, b)| !opens_a_clause(toks, b));
                    subject.inverted = subject.range.is_some();
                    if let Some((a, b)) = subject.range {
                        if let Some((b, e)) = appositive_name_right(toks, (a, b), quoted) {
                            subject.appositive_role = Some(join(&toks[a..b]));
                            subject.range = Some((b + 1, e));
                        }
                    }
                }
            }
            subject.range = subject
                .range
                .map(|r| after_object_relative(toks, quoted, r));
        }
    }
    subject
}

/// The subject right before a verb cue: the name before a party and state tag ("Sen. John
/// Cornyn, R-Texas, said"), an appositive's name ("Hugh Hill, a doctor, said"), the name after a
/// role ("Trump's attorney, Rudy Giuliani, said"), or the phrase itself.
fn subject_before(toks: &[Token], quoted: &[bool], cue: &Cue, subject: &mut Subject) {
    if let Some(comma) = party_tag_before(toks, cue.at) {
        subject.range = subject_left(toks, comma, quoted);
    } else if let Some((name, role)) = appositive_left(toks, cue.at, quoted) {
        subject.range = Some(name);
        subject.appositive_role = Some(join(&toks[role.0..role.1]));
    } else if let Some((name, role)) = role_before_name(toks, cue.at, quoted) {
        subject.range = Some(name);
        subject.appositive_role = Some(join(&toks[role.0..role.1]));
        subject.role_before = Some(role.0);
    } else {
        subject.range = subject_left(toks, cue.at, quoted);
    }
}

/// "Gallagher, speaking Sunday on “Fox & Friends,” alleged the Navy was acting in retaliation":
/// a phrase after the cue that an auxiliary or a modal follows is the subject of what was said,
/// not the speaker of an inverted attribution ("“…,” said the Navy"), which had given Gallagher's
/// words to the Navy (SEESAW valid).
fn opens_a_clause(toks: &[Token], after: usize) -> bool {
    toks.get(after).is_some_and(|t| {
        matches!(
            t.lower().as_str(),
            "is" | "was"
                | "are"
                | "were"
                | "has"
                | "had"
                | "have"
                | "would"
                | "will"
                | "could"
                | "should"
                | "can"
                | "may"
                | "might"
                | "must"
                | "did"
                | "does"
                | "do"
        )
    })
}

/// "Andrew McCabe, whom Trump called a liar": an object relative pronoun opens a clause with its
/// own subject, so a speaker phrase that runs over one starts after it ("Trump"); the phrase
/// before it is who the clause is about, not who speaks.
pub(super) fn after_object_relative(
    toks: &[Token],
    quoted: &[bool],
    (a, b): (usize, usize),
) -> (usize, usize) {
    (a..b)
        .rev()
        .find(|&i| !quoted[i] && matches!(toks[i].lower().as_str(), "whom" | "which"))
        .filter(|&w| w + 1 < b)
        .map_or((a, b), |w| (w + 1, b))
}

/// "“And this!” another annotator screamed.": a determiner and up to three lower-case words
/// between a closing quotation mark (and its comma) and the cue. Any noun can speak there.
pub(super) fn bare_noun_after_quote(
    toks: &[Token],
    cue: usize,
    quoted: &[bool],
) -> Option<(usize, usize)> {
    let det = (cue.saturating_sub(4)..cue)
        .rev()
        .find(|&k| DETERMINERS_OPENING.contains_lower(toks[k].text))?;
    let words_ok = toks[det + 1..cue].iter().all(|t| {
        t.is_word()
            && !t.is_capitalized()
            && !PREPOSITIONS.contains_lower(t.text)
            && !DETERMINERS_OPENING.contains_lower(t.text)
    });
    let mut b = det;
    while b > 0 && matches!(toks[b - 1].text, "," | "—" | "–") {
        b -= 1;
    }
    let after_quote = b > 0 && quoted[b - 1] && toks[b - 1].text.chars().all(is_quote_mark);
    (det + 1 < cue && words_ok && after_quote).then_some((det, cue))
}

/// "a caller", "civil libertarians": a determiner or not, then up to three lower-case words.
pub(super) fn noun_phrase_right(
    toks: &[Token],
    from: usize,
    quoted: &[bool],
) -> Option<(usize, usize)> {
    let mut k = from;
    if toks
        .get(k)
        .is_some_and(|t| DETERMINERS_OPENING.contains_lower(t.text))
    {
        k += 1;
    }
    let head = k;
    while k < toks.len()
        && k - head < 3
        && !quoted[k]
        && toks[k].is_word()
        && !toks[k].is_capitalized()
        && !PREPOSITIONS.contains_lower(toks[k].text)
        && !RELATIVE_PRONOUNS.contains_lower(toks[k].text)
        && !matches!(
            toks[k].lower().as_str(),
            "whether" | "why" | "how" | "if" | "that" | "and" | "or" | "to" | "about" | "over"
        )
    {
        k += 1;
    }
    (k > head).then_some((from, k))
}

/// The nominal speaker of a bare noun phrase ("another annotator", "the girl").
pub(super) fn bare_nominal(toks: &[Token]) -> Phrase {
    let words: Vec<&str> = toks
        .iter()
        .map(|t| t.text)
        .filter(|w| !matches!(w.to_lowercase().as_str(), "the" | "a" | "an"))
        .collect();
    Phrase::Nominal {
        head: words.last().map(|w| w.to_lowercase()).unwrap_or_default(),
        text: words.join(" "),
        group: false,
        affiliation: None,
        indefinite: super::phrase::opens_indefinite(toks.iter().map(|t| t.text)),
    }
}

/// A cue with its subject resolved: the tokens that say who speaks.
pub(super) struct Attribution {
    pub(super) cue: Cue,
    pub(super) subject: Subject,
    /// First token of the subject or the cue, whichever comes first.
    pub(super) start: usize,
    /// Token after the subject or the cue, whichever ends last.
    pub(super) end: usize,
}
