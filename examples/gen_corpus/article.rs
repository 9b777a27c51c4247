//! One synthetic article in the newswire layout of the seed file.

use std::fmt::Write;

use super::text::Source;

const SECTIONS: &[&str] = &[
    "World News",
    "Business",
    "Politics",
    "Sport",
    "Technology",
    "Science",
    "Health",
    "Entertainment",
    "Environment",
    "Middle East",
    "Asia Pacific",
    "Opinion",
];

const SOURCES: &[&str] = &[
    "Al Jazeera",
    "Reuters",
    "BBC News",
    "Associated Press",
    "The Guardian",
    "Deutsche Welle",
    "France 24",
    "NPR",
    "The Conversation",
    "Euronews",
];

const FIRST_NAMES: &[&str] =
    &["Leah", "Ahmed", "Maria", "John", "Yuki", "Olga", "Carlos", "Amina", "Peter", "Chen", "Fatima", "Lars"];
const SURNAMES: &[&str] =
    &["Millis", "Hassan", "Garcia", "Smith", "Tanaka", "Ivanova", "Mendes", "Diallo", "Nowak", "Wei", "Khan", "Berg"];
const AGENCIES: &[&str] = &["Reuters", "AFP", "AP Photo", "EPA", "Getty Images", "Anadolu", "Bloomberg"];

const MONTHS: &[&str] = &[
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// Median body size in bytes; with the header that makes files of about 4 KB.
const MEDIAN_BODY_BYTES: f64 = 3_800.0;
/// Spread of the log-normal size distribution (p10 ≈ 2.1 KB, p90 ≈ 6.8 KB).
const SIZE_SIGMA: f64 = 0.45;
/// Dates are spread over the days from 1 January 2019 on.
const DAYS_OF_DATES: i64 = 7 * 365;

/// The text of one article, drawn from `rng`.
pub fn generate(rng: &mut fastrand::Rng, source: &Source) -> String {
    let body_bytes = body_size(rng);
    let mut out = String::with_capacity(body_bytes + 400);
    // A few real files lack a section, date or source line; so do ours.
    if rng.u8(..100) != 0 {
        let _ = write!(out, "{}\n\n", pick(rng, SECTIONS));
    }
    out.push_str(&source.title(rng));
    // The seed's title ends with a no-break space; many real files do.
    if rng.bool() {
        out.push('\u{a0}');
    }
    out.push_str("\n\n");
    if rng.u8(..100) != 0 {
        let _ = writeln!(out, "{}", date(rng));
    }
    if rng.u8(..100) != 0 {
        let _ = writeln!(out, "This content originally appeared on {}.", pick(rng, SOURCES));
    }
    out.push_str("Promote your business\n");
    write_body(rng, source, body_bytes, &mut out);
    out
}

fn write_body(rng: &mut fastrand::Rng, source: &Source, body_bytes: usize, out: &mut String) {
    let start = out.len();
    // Captions appear after the first few paragraphs, as in the seed.
    let mut caption_at = if rng.u8(..100) < 60 { rng.usize(2..8) } else { usize::MAX };
    let mut paragraph = 0;
    while out.len() - start < body_bytes {
        out.push('\n');
        let sentences = rng.usize(1..5);
        for sentence in 0..sentences {
            if sentence > 0 {
                out.push(' ');
            }
            out.push_str(source.sentence(rng));
        }
        out.push('\n');
        paragraph += 1;
        if paragraph == caption_at {
            write_caption(rng, source, out);
            caption_at += rng.usize(6..20);
        }
    }
}

/// A caption paragraph: a sentence without its full stop, then the credit.
fn write_caption(rng: &mut fastrand::Rng, source: &Source, out: &mut String) {
    let text = source.sentence(rng).trim_end_matches(['.', '!', '?']);
    let _ = write!(out, "\n{text} [{} {}/{}]\n", pick(rng, FIRST_NAMES), pick(rng, SURNAMES), pick(rng, AGENCIES));
}

/// A date like `16 November 2024` in the seven years from 2019 on.
fn date(rng: &mut fastrand::Rng) -> String {
    let first = jiff::civil::date(2019, 1, 1);
    let day = first.checked_add(jiff::Span::new().days(rng.i64(0..DAYS_OF_DATES))).unwrap_or(first);
    format!("{} {} {}", day.day(), MONTHS[usize::try_from(day.month() - 1).unwrap_or(0)], day.year())
}

/// A body size from a log-normal distribution (Box–Muller for the normal).
fn body_size(rng: &mut fastrand::Rng) -> usize {
    let (u1, u2) = (rng.f64().max(f64::MIN_POSITIVE), rng.f64());
    let normal = (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos();
    (MEDIAN_BODY_BYTES * (SIZE_SIGMA * normal).exp()).clamp(600.0, 40_000.0) as usize
}

pub fn pick<'a>(rng: &mut fastrand::Rng, items: &[&'a str]) -> &'a str {
    items[rng.usize(..items.len())]
}
