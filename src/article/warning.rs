//! What was repaired in a file or could not be used, as typed values:
//! `broadsheet check`, `/problems` and tests read the variant, people read
//! its [`Display`](std::fmt::Display) text.

use std::fmt;

use serde::{Serialize, Serializer};

/// One thing a reader of `check` should know about a file that still loaded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Warning {
    /// The file was not UTF-8 and was decoded from this encoding.
    Encoding(&'static str),
    /// Bytes that are not valid UTF-8 inside mostly-UTF-8 text, read as
    /// windows-1252.
    InvalidBytes(usize),
    /// NUL bytes padding the end of the file, removed.
    TrailingNuls(usize),
    /// Control characters that are not text, removed.
    ControlCharacters(usize),
    /// U+FFFD left by an earlier lossy conversion.
    ReplacementCharacters,
    /// The sidecar could not be used; why.
    Sidecar(String),
    /// Front matter that was not used, or was read key by key; why.
    FrontMatter(String),
    /// A numeric date that reads as two different days.
    AmbiguousDate(String),
    /// A date written in a form Broadsheet does not read.
    UnknownDate(String),
    /// No title line: the title is the start of the first paragraph.
    NoTitleLine,
    /// Markup the page cannot show (a Liquid tag, a shortcode, an include),
    /// removed; what.
    Markup(String),
    /// Block quotes nested deeper than this: the body is shown as text.
    DeepQuotes(usize),
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Encoding(name) => write!(f, "not UTF-8: decoded as {name}"),
            Self::InvalidBytes(count) => write!(f, "read {count} bytes that are not valid UTF-8 as windows-1252"),
            Self::TrailingNuls(count) => write!(f, "removed {count} trailing NUL bytes"),
            Self::ControlCharacters(count) => write!(f, "removed {count} stray control characters"),
            Self::ReplacementCharacters => {
                f.write_str("contains � replacement characters from an earlier lossy conversion")
            }
            Self::Sidecar(reason) | Self::FrontMatter(reason) | Self::Markup(reason) => f.write_str(reason),
            Self::AmbiguousDate(text) => {
                write!(f, "undated: `{text}` could be day-first or month-first; write it as YYYY-MM-DD")
            }
            Self::UnknownDate(text) => write!(f, "undated: `{text}` is not a date format Broadsheet reads"),
            Self::NoTitleLine => f.write_str("no title line: the title is the start of the first paragraph"),
            Self::DeepQuotes(depth) => write!(f, "block quotes nested over {depth} deep: shown as plain text"),
        }
    }
}

/// Warnings are written as their text in `check --json` and the API.
impl Serialize for Warning {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}
