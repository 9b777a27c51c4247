//! Reading the dates that article files write in their metadata.
//!
//! Accepted: `16 November 2024`, `16 Nov 2024`, `November 16, 2024`, a
//! leading weekday (`Saturday 16 November 2024`), ISO dates (`2024-11-16`,
//! `2021-03-01 00:00:00`, `20240303`), RFC 3339 (`2024-11-16T09:30:00Z`, with
//! offsets; `2024-03-03 10:00:00 +0200` as Jekyll writes it) and RFC 2822
//! (`Mon, 05 Apr 93 18:01:16 GMT`, two-digit years, US zone names). Written
//! dates may carry ordinals (`3rd March`, `November 16th`), AP-style
//! abbreviations (`Mar. 3`, `Sept. 3`), commas anywhere, hyphens
//! (`16-Nov-2024`) and a time after them (`March 3 2024, 10:00 am`); a line
//! may start with a label (`Published:`, `Updated`, `Posted on`, `Date:`).
//! Numeric dates such as `03/04/2025` are read only when a single reading is
//! possible: Broadsheet never guesses between day-first and month-first.
//! Dates are only ever read from metadata, never from the prose.

use jiff::Timestamp;
use jiff::civil::{Date, DateTime};
use jiff::fmt::temporal::{Pieces, PiecesOffset};
use jiff::tz::Offset;

/// A moment with the offset it was written in, so it can be shown back as
/// RFC 3339 exactly as the file gave it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Published {
    pub timestamp: Timestamp,
    pub offset: Offset,
}

impl Published {
    /// `2024-11-16T09:30:00+00:00`.
    pub fn rfc3339(&self) -> String {
        self.timestamp.display_with_offset(self.offset).to_string()
    }
}

/// What a metadata date string turned out to be.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DateValue {
    /// A calendar date, plus the exact moment when a time and zone were given.
    Dated { date: Date, published: Option<Published> },
    /// A numeric date that reads as two different days (`03/04/2025`).
    Ambiguous,
    /// Not a date this parser understands.
    Unknown,
}

/// The longest string worth trying as a date; longer lines are prose.
const MAX_DATE_CHARS: usize = 64;

/// Parses a date from a metadata value or header line.
pub fn parse_date_value(text: &str) -> DateValue {
    let text = text.trim().trim_end_matches('.');
    if text.len() > MAX_DATE_CHARS || !text.bytes().any(|byte| byte.is_ascii_digit()) {
        return DateValue::Unknown;
    }
    let collapsed;
    let text = if text.contains("  ") {
        collapsed = text.split_whitespace().collect::<Vec<_>>().join(" ");
        collapsed.as_str()
    } else {
        text
    };
    let text = strip_label(text);
    if let Some(value) = iso(text) {
        return value;
    }
    if let Some(value) = rfc2822(text) {
        return value;
    }
    if let Some(date) = written(strip_weekday(text)).or_else(|| compact(text)).or_else(|| cjk(text)) {
        return DateValue::Dated { date, published: None };
    }
    numeric(text)
}

/// `Published: 3 March 2024` → `3 March 2024`: the labels news sites put
/// before a date line.
fn strip_label(text: &str) -> &str {
    const LABELS: &[&str] = &[
        "first published on",
        "first published",
        "last updated on",
        "last updated",
        "published on",
        "published",
        "updated on",
        "updated",
        "posted on",
        "posted",
        "dated",
        "date",
    ];
    for label in LABELS {
        let Some(start) = text.get(..label.len()).filter(|start| start.eq_ignore_ascii_case(label)) else {
            continue;
        };
        let rest = &text[start.len()..];
        if rest.starts_with([':', ' ']) {
            return rest.trim_start_matches([':', ' ']);
        }
    }
    text
}

/// `2026年5月25日`, as Chinese and Japanese write dates, with an optional
/// time after it (`2006年02月01日 20:00:35`).
fn cjk(text: &str) -> Option<Date> {
    let (year, rest) = text.split_once('年')?;
    let (month, rest) = rest.split_once('月')?;
    let (day, rest) = rest.split_once('日')?;
    let number = |part: &str| part.trim().parse::<i8>().ok();
    let year: i16 = year.trim().parse().ok()?;
    let rest = rest.trim();
    let time_or_nothing = rest.is_empty() || rest.starts_with(|c: char| c.is_ascii_digit() || c == '（' || c == '(');
    if !(1900..=2100).contains(&year) || !time_or_nothing {
        return None;
    }
    Date::new(year, number(month)?, number(day)?).ok()
}

/// `20240303`, as file names and some exports write dates.
fn compact(text: &str) -> Option<Date> {
    if text.len() != 8 || !text.bytes().all(|byte| byte.is_ascii_digit()) {
        return None;
    }
    let (year, month, day) = (text[..4].parse().ok()?, text[4..6].parse().ok()?, text[6..].parse().ok()?);
    (1900..=2100).contains(&year).then(|| Date::new(year, month, day).ok()).flatten()
}

/// The date a file's path gives, for files that state none: a file name
/// that starts with one (`2024-11-16-slug.md`, `2024-11-16-0930-slug.md`,
/// `2019-12-3-slug.md`, `20241116_slug.txt`), folders
/// `…/2024/11/16/…`, or a folder named `20241116`. The deepest match wins.
pub fn date_from_path(path: &str) -> Option<Date> {
    let parts: Vec<&str> = path.split('/').collect();
    let (name, folders) = parts.split_last()?;
    if let Some(date) = dated_name(name) {
        return Some(date);
    }
    let ymd = |year: &str, month: &str, day: &str| -> Option<Date> {
        let all_digits = |part: &str| !part.is_empty() && part.bytes().all(|byte| byte.is_ascii_digit());
        if year.len() != 4 || month.len() > 2 || day.len() > 2 || ![year, month, day].into_iter().all(all_digits) {
            return None;
        }
        let year: i16 = year.parse().ok()?;
        (1900..=2100).contains(&year).then(|| Date::new(year, month.parse().ok()?, day.parse().ok()?).ok()).flatten()
    };
    let from_triples = folders.windows(3).rev().find_map(|window| ymd(window[0], window[1], window[2]));
    from_triples.or_else(|| folders.iter().rev().find_map(|folder| compact(folder)))
}

/// `2024-11-16-slug`, `2019-12-3-slug`, `20241116-slug`, `2024-11-16`.
fn dated_name(name: &str) -> Option<Date> {
    let mut parts = name.splitn(4, ['-', '_']);
    let (year, month, day) = (parts.next()?, parts.next()?, parts.next()?);
    let numeric = |part: &str, widths: std::ops::RangeInclusive<usize>| {
        widths.contains(&part.len()) && part.bytes().all(|byte| byte.is_ascii_digit())
    };
    if numeric(year, 4..=4) && numeric(month, 1..=2) && numeric(day, 1..=2) {
        let year: i16 = year.parse().ok()?;
        return (1900..=2100).contains(&year).then(|| Date::new(year, month.parse().ok()?, day.parse().ok()?).ok())?;
    }
    let first = name.split(['-', '_', '.']).next()?;
    compact(first)
}

/// The calendar date of a metadata value, if it is an unambiguous date.
pub fn parse_date(text: &str) -> Option<Date> {
    match parse_date_value(text) {
        DateValue::Dated { date, .. } => Some(date),
        DateValue::Ambiguous | DateValue::Unknown => None,
    }
}

/// ISO 8601 / RFC 3339: `2024-11-16`, `2021-03-01 00:00:00`,
/// `2024-11-16T09:30:00Z`, `2024-11-16T09:30:00+02:00`.
fn iso(text: &str) -> Option<DateValue> {
    let looks_iso =
        text.len() >= 10 && text.as_bytes()[4] == b'-' && text.as_bytes()[..4].iter().all(u8::is_ascii_digit);
    if !looks_iso {
        return None;
    }
    let joined = spaced_offset_joined(text);
    let Ok(pieces) = Pieces::parse(text).or_else(|_| Pieces::parse(joined.as_ref())) else {
        // A time in a form RFC 3339 does not know: the date alone.
        let (date, rest) = (text.get(..10)?, text.get(10..)?);
        let time_follows = rest.starts_with([' ', 'T']) && rest[1..].starts_with(|c: char| c.is_ascii_digit());
        // `2016-07-19 (optional)`: a template's note left after the date.
        let note_follows = rest.starts_with(" (") && rest.ends_with(')');
        let date = date.parse::<Date>().ok().filter(|_| rest.is_empty() || time_follows || note_follows)?;
        return Some(DateValue::Dated { date, published: None });
    };
    let date = pieces.date();
    let published = match (pieces.time(), pieces.offset()) {
        (Some(time), Some(offset)) => {
            let offset = match offset {
                PiecesOffset::Zulu => Offset::UTC,
                other => other.to_numeric_offset(),
            };
            let timestamp = offset.to_timestamp(DateTime::from_parts(date, time)).ok()?;
            Some(Published { timestamp, offset })
        }
        // A time without a zone names no single moment; keep the date only.
        _ => None,
    };
    Some(DateValue::Dated { date, published })
}

/// `2024-03-03 10:00:00 +0200` → `2024-03-03 10:00:00+0200`, and a
/// trailing ` UTC` or ` GMT` → `Z`; other text as it is.
fn spaced_offset_joined(text: &str) -> std::borrow::Cow<'_, str> {
    if let Some(rest) = text.strip_suffix(" UTC").or_else(|| text.strip_suffix(" GMT")) {
        return format!("{rest}Z").into();
    }
    match text.rfind(' ') {
        Some(space) if text[space + 1..].starts_with(['+', '-']) => {
            format!("{}{}", &text[..space], &text[space + 1..]).into()
        }
        _ => text.into(),
    }
}

/// RFC 2822 as in e-mail and Usenet headers. A weekday that does not match
/// the date, or a zone name jiff does not know, still yields the date.
fn rfc2822(text: &str) -> Option<DateValue> {
    if !text.contains(':') {
        return None;
    }
    let text = strip_weekday(text);
    let with_known_zone = text.strip_suffix(" UTC").map(|rest| format!("{rest} GMT"));
    if let Ok(zoned) = jiff::fmt::rfc2822::parse(with_known_zone.as_deref().unwrap_or(text)) {
        let published = Published { timestamp: zoned.timestamp(), offset: zoned.offset() };
        return Some(DateValue::Dated { date: zoned.date(), published: Some(published) });
    }
    let mut parts = text.split(' ');
    let (day, month, year) = (parts.next()?, parts.next()?, parts.next()?);
    let year = match year.len() {
        2 => two_digit_year(year.parse().ok()?),
        4 => year.parse().ok()?,
        _ => return None,
    };
    let date = written(&format!("{day} {month} {year}"))?;
    Some(DateValue::Dated { date, published: None })
}

/// RFC 2822's rule for obsolete two-digit years: 00–49 are 20xx, 50–99 19xx.
fn two_digit_year(year: i16) -> i16 {
    if year < 50 { 2000 + year } else { 1900 + year }
}

/// Dates written with a month name.
fn written(text: &str) -> Option<Date> {
    const FORMATS: &[&str] = &["%d %B %Y", "%d %b %Y", "%B %d %Y", "%b %d %Y"];
    if !text.bytes().any(|byte| byte.is_ascii_alphabetic()) {
        return None;
    }
    let text = written_tokens(text)?;
    FORMATS.iter().find_map(|format| jiff::fmt::strtime::parse(format, &text).ok()?.to_date().ok())
}

/// The day, month and year of a written date as `day month year` or
/// `month day year` separated by single spaces: commas and hyphens become
/// spaces, ordinals and abbreviation dots go, `Sept` is `Sep`. Anything
/// after the year must be a time (`10:00 am GMT`), so prose is not a date.
fn written_tokens(text: &str) -> Option<String> {
    let mut tokens = text.split([' ', ',', '-']).filter(|token| !token.is_empty());
    let date: Vec<String> = tokens.by_ref().take(3).map(written_token).collect();
    if date.len() < 3 || !tokens.all(is_time_token) {
        return None;
    }
    Some(date.join(" "))
}

fn written_token(token: &str) -> String {
    let token = token.trim_end_matches('.');
    let digits = token.bytes().take_while(u8::is_ascii_digit).count();
    let ordinal = ["st", "nd", "rd", "th"].iter().any(|suffix| token[digits..].eq_ignore_ascii_case(suffix));
    if digits > 0 && ordinal {
        return token[..digits].to_owned();
    }
    if token.eq_ignore_ascii_case("sept") { "Sep".to_owned() } else { token.to_owned() }
}

/// `10:00`, `10:00:00`, `am`, `p.m.`, `at`, `GMT`, `+0200`, `(EST)`.
fn is_time_token(token: &str) -> bool {
    let token = token.trim_matches(['(', ')', '.']);
    let clock = token.contains(':') && token.chars().all(|c| c.is_ascii_digit() || matches!(c, ':' | '.'));
    let word = ["am", "pm", "a.m", "p.m", "at", "h", "hrs"].iter().any(|word| token.eq_ignore_ascii_case(word));
    let zone = (2..=5).contains(&token.len()) && token.bytes().all(|byte| byte.is_ascii_uppercase());
    let offset = token.starts_with('+') && token[1..].chars().all(|c| c.is_ascii_digit() || c == ':');
    clock || word || zone || offset
}

/// `2024/11/16` is fine; `16/11/2024` has one reading; `03/04/2025` has two.
fn numeric(text: &str) -> DateValue {
    let parts: Vec<&str> = text.split(['/', '.', '-']).collect();
    let [first, second, third] = parts.as_slice() else {
        return DateValue::Unknown;
    };
    let (Ok(first_number), Ok(second_number), Ok(third_number)) =
        (first.parse::<i16>(), second.parse::<i8>(), third.parse::<i16>())
    else {
        return DateValue::Unknown;
    };
    if first.len() == 4 {
        return match Date::new(first_number, second_number, i8::try_from(third_number).unwrap_or(0)) {
            Ok(date) => DateValue::Dated { date, published: None },
            Err(_) => DateValue::Unknown,
        };
    }
    if third.len() != 4 {
        return DateValue::Unknown;
    }
    let first_number = i8::try_from(first_number).unwrap_or(0);
    let day_first = Date::new(third_number, second_number, first_number).ok();
    let month_first = Date::new(third_number, first_number, second_number).ok();
    match (day_first, month_first) {
        (Some(a), Some(b)) if a != b => DateValue::Ambiguous,
        (Some(date), _) | (None, Some(date)) => DateValue::Dated { date, published: None },
        (None, None) => DateValue::Unknown,
    }
}

fn strip_weekday(text: &str) -> &str {
    const WEEKDAYS: &[&str] = &[
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
        "mon",
        "tue",
        "tues",
        "wed",
        "thu",
        "thur",
        "thurs",
        "fri",
        "sat",
        "sun",
    ];
    let Some((first, rest)) = text.split_once([' ', ',']) else {
        return text;
    };
    if WEEKDAYS.iter().any(|weekday| weekday.eq_ignore_ascii_case(first)) {
        rest.trim_start_matches([',', ' '])
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_give_dates_the_way_site_generators_write_them() {
        let date = |path: &str| date_from_path(path).map(|date| date.to_string());
        assert_eq!(date("_posts/2024-11-16-slug").as_deref(), Some("2024-11-16"));
        assert_eq!(date("_posts/2012-03-01-1940-slug").as_deref(), Some("2012-03-01"));
        assert_eq!(date("_posts/2019-12-3-long-term-teams").as_deref(), Some("2019-12-03"));
        assert_eq!(date("content/news/2026/07/01/slug").as_deref(), Some("2026-07-01"));
        assert_eq!(date("reuters/20061020/us-antitrust-idUSN20").as_deref(), Some("2006-10-20"));
        assert_eq!(date("text/2020-03-30-burney-linda-266471533").as_deref(), Some("2020-03-30"));
        assert_eq!(date("bbc/business/001"), None);
        assert_eq!(date("2024/notes/9999"), None);
        assert_eq!(date("posts/2024-13-45-slug"), None);
        assert_eq!(date("sample/12345678"), None);
    }

    #[test]
    fn chinese_and_japanese_dates_are_dates() {
        assert_eq!(parse_date("2026年5月25日").map(|date| date.to_string()).as_deref(), Some("2026-05-25"));
        assert_eq!(parse_date("2006年02月01日 20:00:35").map(|date| date.to_string()).as_deref(), Some("2006-02-01"));
        assert_eq!(parse_date("2026年5月25日，大会在北京举行"), None);
    }

    #[test]
    fn a_template_note_after_a_date_leaves_the_date() {
        assert_eq!(parse_date("2016-07-19 (optional)").map(|date| date.to_string()).as_deref(), Some("2016-07-19"));
        assert_eq!(parse_date("2019-12-3").map(|date| date.to_string()).as_deref(), Some("2019-12-03"));
        assert_eq!(parse_date("2016-03-03 3:00").map(|date| date.to_string()).as_deref(), Some("2016-03-03"));
        assert_eq!(
            parse_date("Fri Oct 20, 2006 1:51pm EDT").map(|date| date.to_string()).as_deref(),
            Some("2006-10-20")
        );
    }

    #[test]
    fn iso_with_space_separated_time_keeps_only_the_date() {
        let value = parse_date_value("2021-03-01 00:00:00");
        assert_eq!(value, DateValue::Dated { date: Date::constant(2021, 3, 1), published: None });
    }

    #[test]
    fn rfc3339_keeps_the_offset() {
        let DateValue::Dated { published: Some(published), .. } = parse_date_value("2024-11-16T09:30:00+02:00") else {
            panic!("not dated");
        };
        assert_eq!(published.rfc3339(), "2024-11-16T09:30:00+02:00");
    }

    #[test]
    fn unknown_zone_names_still_give_the_date() {
        assert_eq!(parse_date("Mon, 19 Apr 1993 10:00:00 BST"), Some(Date::constant(1993, 4, 19)));
        assert_eq!(parse_date("2 Apr 93 20:57:33 UTC"), Some(Date::constant(1993, 4, 2)));
    }
}
