//! Names and the words beside them that say who they are: an appositive ("Hugh Hill, a doctor,
//! said"), a role before the name ("Trump's attorney, Rudy Giuliani, said"), a party and state
//! tag ("Sen. John Cornyn, R-Texas, said"), a name after an inverted subject's title ("says
//! Campbell’s partner, Jason Louth"), and the name a relative pronoun stands for past its
//! appositive ("Senator John McCain, Republican of Arizona, who …").

use super::source::subject_left;
use crate::lexicon::ROLE_WORDS;
use crate::text::{is_quote_mark, Token};

/// "Senator John McCain, Republican of Arizona, who had suggested": a phrase opening with a role
/// right after a name and a comma describes that name, and the name is who the relative pronoun
/// stands for (the BASIL dev fifth had a speaker "Republican").
pub(super) fn appositive_owner(
    toks: &[Token],
    np: (usize, usize),
    quoted: &[bool],
) -> Option<(usize, usize)> {
    let comma = np.0.checked_sub(1)?;
    if toks[comma].text != "," || !ROLE_WORDS.contains_lower(toks[np.0].text) {
        return None;
    }
    subject_left(toks, comma, quoted).filter(|&(s, e)| {
        toks[s..e]
            .iter()
            .any(|t| t.is_capitalized() && !ROLE_WORDS.contains_lower(t.text))
    })
}

/// "says Campbell’s partner, Jason Louth": the name in apposition after an inverted subject
/// that ends on a title (or a possessive and the title after it). Returns the end of the title
/// and the end of the name.
pub(super) fn appositive_name_right(
    toks: &[Token],
    range: (usize, usize),
    quoted: &[bool],
) -> Option<(usize, usize)> {
    let (a, mut b) = range;
    let possessive = |t: &Token| t.text.ends_with("'s") || t.text.ends_with("’s");
    if possessive(&toks[b - 1])
        && toks
            .get(b)
            .is_some_and(|t| t.is_word() && !t.is_capitalized() && !quoted[b])
    {
        b += 1;
    }
    let titled = toks[b - 1].is_word() && !toks[b - 1].is_capitalized() && b - a >= 2;
    if !titled || toks.get(b)?.text != "," {
        return None;
    }
    let mut e = b + 1;
    while e < toks.len() && !quoted[e] && toks[e].is_word() && toks[e].is_capitalized() {
        e += 1;
    }
    let ends = toks
        .get(e)
        .is_none_or(|t| matches!(t.text, "." | "," | ";" | "!" | "?"));
    (e - (b + 1) >= 2 && ends).then_some((b, e))
}

/// An appositive before a cue: "Hugh Hill, a doctor, said" → (name range, role range).
pub(super) fn appositive_left(
    toks: &[Token],
    cue: usize,
    quoted: &[bool],
) -> Option<((usize, usize), (usize, usize))> {
    let (open, close) = between_commas(toks, cue, 9)?;
    let k = open + 1;
    if !matches!(
        toks.get(k).map(|t| t.lower()).as_deref(),
        Some("a" | "an" | "the")
    ) {
        return None;
    }
    let role = (k + 1, close);
    let (ns, ne) = subject_left(toks, k - 1, quoted)?;
    toks[ns..ne]
        .iter()
        .any(|t| t.is_capitalized())
        .then_some(((ns, ne), role))
}

/// "Trump's attorney, Rudy Giuliani, said": a role, then the name it describes between commas,
/// the mirror of `appositive_left` (SEESAW valid had the speaker "Trump's attorney", no name, so
/// no one he speaks for). The name: at most four capitalised words; the role: a phrase ending
/// on a role word.
pub(super) fn role_before_name(
    toks: &[Token],
    cue: usize,
    quoted: &[bool],
) -> Option<((usize, usize), (usize, usize))> {
    let (open, close) = between_commas(toks, cue, 5)?;
    let name = (open + 1, close);
    let is_name = name.1 > name.0
        && toks[name.0..name.1]
            .iter()
            .all(|t| t.is_word() && t.is_capitalized() && !ROLE_WORDS.contains_lower(t.text));
    if !is_name || quoted[name.0..name.1].iter().any(|&q| q) {
        return None;
    }
    Some((name, role_before_comma(toks, open, quoted)?))
}

/// The role phrase that ends at the comma `comma` before a name ("Trump's attorney" of
/// "Trump's attorney, Rudy Giuliani"): a phrase ending on a role word.
pub(super) fn role_before_comma(
    toks: &[Token],
    comma: usize,
    quoted: &[bool],
) -> Option<(usize, usize)> {
    if toks.get(comma)?.text != "," || quoted[comma] {
        return None;
    }
    let role = subject_left(toks, comma, quoted)?;
    ROLE_WORDS
        .contains_lower(toks[role.1 - 1].text)
        .then_some(role)
}

/// `role_before_comma` where the role opens its clause: at the sentence's start, after a comma
/// or a quotation, a possessive ("His campaign manager, Jeff Weaver,") aside. After anything
/// else the phrase ends the clause before ("testified before the House Benghazi committee,
/// Vice President Biden …", "As secretary of state, Mr. Clinton …"): for the learned tagger's
/// sources, which need no comma after the name, such phrases became the roles of 16 speakers
/// over PolNeAR dev and train, and one speaker another person.
pub(super) fn role_opening_clause(
    toks: &[Token],
    comma: usize,
    quoted: &[bool],
) -> Option<(usize, usize)> {
    let role = role_before_comma(toks, comma, quoted)?;
    let mut k = role.0;
    if k > 0
        && matches!(
            toks[k - 1].lower().as_str(),
            "his" | "her" | "their" | "its" | "our"
        )
    {
        k -= 1;
    }
    let opens = k == 0 || toks[k - 1].text == "," || toks[k - 1].text.chars().all(is_quote_mark);
    opens.then_some(role)
}

/// "Sen. John Cornyn, R-Texas, said", "Dick Durbin, D-Ill., told": the comma before a party and
/// state tag that sits between a name and its cue.
pub(super) fn party_tag_before(toks: &[Token], cue: usize) -> Option<usize> {
    let mut k = cue.checked_sub(1)?;
    if toks[k].text != "," {
        return None;
    }
    k = k.checked_sub(1)?;
    if toks[k].text == "." {
        k = k.checked_sub(1)?;
    }
    let tag = toks[k].text.as_bytes();
    let is_tag = tag.len() >= 3
        && matches!(tag[0], b'D' | b'R' | b'I')
        && tag[1] == b'-'
        && tag[2].is_ascii_uppercase();
    (is_tag && k >= 2 && toks[k - 1].text == ",").then_some(k - 1)
}

/// The commas around the words right before a cue ("X, | a doctor, | said"): the one that
/// closes them (the cue's token before) and the one that opens them, at most `max` tokens back.
fn between_commas(toks: &[Token], cue: usize, max: usize) -> Option<(usize, usize)> {
    if cue < 4 || toks[cue - 1].text != "," {
        return None;
    }
    let close = cue - 1;
    let open = (close.saturating_sub(max)..close)
        .rev()
        .find(|&k| toks[k].text == ",")?;
    Some((open, close))
}
