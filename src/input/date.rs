//! Publication dates as news sources write them → ISO 8601.
//!
//! Accepted: `2019-03-25`, `2019-03-25T10:05:00Z` (any offset, fractions dropped),
//! `2019/03/25`, `20190325`, `March 25, 2019`, `25 Mar 2019`, RFC 2822 (`Mon, 25 Mar 2019
//! 10:05:00 GMT`), and Unix timestamps in seconds or milliseconds. A date alone stays a date;
//! a time keeps the offset it was given (`2019-03-25T10:05:00+01:00`), so nothing is guessed.

/// Month names, January first, in the languages news metadata is written in most often
/// (English, French, German, Spanish, Italian, Portuguese, Dutch; Russian in the nominative
/// and the genitive that dates use). A word is a month when it is one of these names or an
/// abbreviation of one (three letters or more) that names no other month: "juil." is July,
/// "jui" is refused (juin or juillet).
const MONTHS: [&[&str]; 12] = [
    &[
        "january",
        "janvier",
        "januar",
        "enero",
        "gennaio",
        "janeiro",
        "januari",
        "январь",
        "января",
    ],
    &[
        "february",
        "février",
        "februar",
        "febrero",
        "febbraio",
        "fevereiro",
        "februari",
        "февраль",
        "февраля",
    ],
    &[
        "march",
        "mars",
        "märz",
        "marzo",
        "março",
        "maart",
        "март",
        "марта",
    ],
    &["april", "avril", "abril", "aprile", "апрель", "апреля"],
    &["may", "mai", "mayo", "maggio", "maio", "mei", "май", "мая"],
    &[
        "june", "juin", "juni", "junio", "giugno", "junho", "июнь", "июня",
    ],
    &[
        "july", "juillet", "juli", "julio", "luglio", "julho", "июль", "июля",
    ],
    &["august", "août", "agosto", "augustus", "август", "августа"],
    &[
        "september",
        "septembre",
        "septiembre",
        "settembre",
        "setembro",
        "сентябрь",
        "сентября",
    ],
    &[
        "october",
        "octobre",
        "oktober",
        "octubre",
        "ottobre",
        "outubro",
        "октябрь",
        "октября",
    ],
    &[
        "november",
        "novembre",
        "noviembre",
        "novembro",
        "ноябрь",
        "ноября",
    ],
    &[
        "december",
        "décembre",
        "dezember",
        "diciembre",
        "dicembre",
        "dezembro",
        "декабрь",
        "декабря",
    ],
];

/// The ISO 8601 form of a date string, or `None` when it is not a date this module knows.
///
/// ```
/// use stancer::input::date::normalize;
/// assert_eq!(normalize("March 25, 2019").as_deref(), Some("2019-03-25"));
/// assert_eq!(normalize("Mon, 25 Mar 2019 10:05:00 GMT").as_deref(), Some("2019-03-25T10:05:00Z"));
/// assert_eq!(normalize("2019-02-30"), None);
/// ```
pub fn normalize(s: &str) -> Option<String> {
    let s = s.trim();
    if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) {
        return match s.len() {
            8 => ymd(&s[..4], &s[4..6], &s[6..]).map(|d| d.to_string()),
            10 | 13 => from_unix(s.parse::<i64>().ok()? / if s.len() == 13 { 1000 } else { 1 }),
            _ => None,
        };
    }
    iso(s).or_else(|| written(s))
}

/// `YYYY-MM-DD` for a Unix time in seconds (UTC), with the time of day.
pub fn from_unix(secs: i64) -> Option<String> {
    let (days, rem) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    let (y, m, d) = civil_from_days(days);
    (1900..=2200).contains(&y).then(|| {
        format!(
            "{}T{:02}:{:02}:{:02}Z",
            Ymd(y, m, d),
            rem / 3600,
            rem / 60 % 60,
            rem % 60
        )
    })
}

/// ISO 8601 week (`2019-W13`) of a date that starts `YYYY-MM-DD`.
pub fn iso_week(date: &str) -> Option<String> {
    let d = ymd(date.get(..4)?, date.get(5..7)?, date.get(8..10)?)?;
    let days = days_from_civil(d.0, d.1, d.2);
    let weekday = (days + 3).rem_euclid(7); // 0 = Monday (1970-01-01 was a Thursday)
    let thursday = days - weekday + 3; // the week belongs to the year of its Thursday
    let (ty, _, _) = civil_from_days(thursday);
    let week = (thursday - days_from_civil(ty, 1, 1)) / 7 + 1;
    Some(format!("{ty}-W{week:02}"))
}

#[derive(Debug, Clone, Copy)]
struct Ymd(i64, u32, u32);

impl std::fmt::Display for Ymd {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.0, self.1, self.2)
    }
}

fn ymd(y: &str, m: &str, d: &str) -> Option<Ymd> {
    let (y, m, d): (i64, u32, u32) = (y.parse().ok()?, m.parse().ok()?, d.parse().ok()?);
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = [
        31,
        if leap { 29 } else { 28 },
        31,
        30,
        31,
        30,
        31,
        31,
        30,
        31,
        30,
        31,
    ];
    ((1000..=9999).contains(&y) && (1..=12).contains(&m) && d >= 1 && d <= days[m as usize - 1])
        .then_some(Ymd(y, m, d))
}

/// `2019-03-25`, `2019/03/25`, optionally followed by `T`/space, a time and an offset.
fn iso(s: &str) -> Option<String> {
    let b = s.as_bytes();
    if b.len() < 10 || !(b[4] == b'-' || b[4] == b'/') || b[7] != b[4] {
        return None;
    }
    let date = ymd(s.get(..4)?, s.get(5..7)?, s.get(8..10)?)?;
    let rest = s.get(10..)?;
    if rest.is_empty() {
        return Some(date.to_string());
    }
    let time = rest.strip_prefix(['T', ' '])?;
    let (clock, offset) = split_offset(time)?;
    Some(format!("{date}T{}{offset}", hms(clock)?))
}

/// `10:05`, `10:05:00`, `10:05:00.123` → `10:05:00`.
fn hms(clock: &str) -> Option<String> {
    let clock = clock.split('.').next()?;
    let mut parts = clock.split(':').map(|p| p.parse::<u32>().ok());
    let h = parts.next()??;
    let m = parts.next()??;
    let sec = parts.next().unwrap_or(Some(0))?;
    (parts.next().is_none() && h < 24 && m < 60 && sec < 61)
        .then(|| format!("{h:02}:{m:02}:{sec:02}"))
}

/// Splits `10:05:00+01:00` into the clock and a normalised offset (`Z`, `+01:00`, or none).
fn split_offset(time: &str) -> Option<(&str, String)> {
    let time = time.trim();
    if let Some(c) = time.strip_suffix('Z') {
        return Some((c, "Z".into()));
    }
    for zone in [" GMT", " UTC", " UT"] {
        if let Some(c) = time.strip_suffix(zone) {
            return Some((c.trim(), "Z".into()));
        }
    }
    match time.rfind(['+', '-']) {
        Some(p) => {
            let z: String = time[p + 1..].chars().filter(|c| *c != ':').collect();
            if z.len() != 4 || !z.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            let offset = format!("{}{}:{}", &time[p..p + 1], &z[..2], &z[2..]);
            let offset = if offset == "+00:00" {
                "Z".into()
            } else {
                offset
            };
            Some((time[..p].trim(), offset))
        }
        None => Some((time, String::new())),
    }
}

/// `March 25, 2019`, `25 Mar 2019`, `Mon, 25 Mar 2019 10:05:00 GMT`.
fn written(s: &str) -> Option<String> {
    // "12 de diciembre de 2019", "25th of March 2019": the linking words carry nothing.
    let words: Vec<&str> = s
        .split([' ', ','])
        .filter(|w| !w.is_empty() && !matches!(*w, "de" | "del" | "of"))
        .collect();
    let m = words.iter().position(|w| month(w).is_some())?;
    let month = month(words[m])?;
    let num = |i: usize| {
        words
            .get(i)
            .map(|w| w.trim_end_matches(['.', 's', 't', 'h', 'n', 'd', 'r', 'e', 'º']))
    };
    // "March 25, 2019" (day after the month) or "25 March 2019" (day before it).
    let (day, year, after) = match (m.checked_sub(1).and_then(num), num(m + 1), num(m + 2)) {
        (_, Some(d), Some(y)) if d.len() <= 2 && y.len() == 4 => (d, y, m + 3),
        (Some(d), Some(y), _) if d.len() <= 2 && y.len() == 4 => (d, y, m + 2),
        _ => return None,
    };
    let date = ymd(year, &month.to_string(), day)?;
    let rest = words[after.min(words.len())..].join(" ");
    if rest.is_empty() {
        return Some(date.to_string());
    }
    let (clock, offset) = split_offset(&rest)?;
    Some(format!("{date}T{}{offset}", hms(clock)?))
}

/// The month (1–12) a word names: "mar", "March", "sept", "août", "марта"; "marching" is none.
/// Compared by characters, never bytes: "août" cut at a byte count panicked.
fn month(word: &str) -> Option<u32> {
    let w = word.trim_end_matches('.').to_lowercase();
    if w.chars().count() < 3 {
        return None;
    }
    let mut found = MONTHS
        .iter()
        .enumerate()
        .filter(|(_, names)| names.iter().any(|n| n.starts_with(w.as_str())))
        .map(|(i, _)| i as u32 + 1);
    let first = found.next()?;
    found.next().is_none().then_some(first)
}

/// Days since 1970-01-01 (Howard Hinnant's algorithm).
fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m as i64 + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (
        if m <= 2 {
            yoe + era * 400 + 1
        } else {
            yoe + era * 400
        },
        m,
        d,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_forms_news_sources_use() {
        for (given, want) in [
            ("2019-03-25", "2019-03-25"),
            ("2016-11-07T14:03:21.000Z", "2016-11-07T14:03:21Z"),
            ("2016-11-07T14:03:21-05:00", "2016-11-07T14:03:21-05:00"),
            ("2016-11-07 14:03", "2016-11-07T14:03:00"),
            ("2016/11/07", "2016-11-07"),
            ("20161107", "2016-11-07"),
            ("November 7, 2016", "2016-11-07"),
            ("Nov. 7, 2016", "2016-11-07"),
            ("7 November 2016", "2016-11-07"),
            ("Monday, November 7th, 2016", "2016-11-07"),
            ("Mon, 07 Nov 2016 14:03:21 GMT", "2016-11-07T14:03:21Z"),
            (
                "Mon, 07 Nov 2016 14:03:21 +0100",
                "2016-11-07T14:03:21+01:00",
            ),
            ("1478527401", "2016-11-07T14:03:21Z"),
            ("1478527401000", "2016-11-07T14:03:21Z"),
            ("1 août 2019", "2019-08-01"),
            ("1er août 2019", "2019-08-01"),
            ("25 марта 2019", "2019-03-25"),
            ("3. März 2019", "2019-03-03"),
            ("12 de diciembre 2019", "2019-12-12"),
            ("juil. 14, 2019", "2019-07-14"),
        ] {
            assert_eq!(normalize(given).as_deref(), Some(want), "{given}");
        }
        for bad in [
            "",
            "yesterday",
            "2016-13-01",
            "2016-02-30",
            "March 2016",
            "Marching 7, 2016",
            "jui 7, 2016",
            "é 2019",
            "Ünï 1, 2019",
        ] {
            assert_eq!(normalize(bad), None, "{bad}");
        }
    }

    #[test]
    fn iso_weeks_at_year_ends() {
        assert_eq!(iso_week("2019-03-25").as_deref(), Some("2019-W13"));
        assert_eq!(iso_week("2016-01-03").as_deref(), Some("2015-W53"));
        assert_eq!(
            iso_week("2019-12-30T08:00:00Z").as_deref(),
            Some("2020-W01")
        );
        assert_eq!(civil_from_days(days_from_civil(2000, 2, 29)), (2000, 2, 29));
    }
}
