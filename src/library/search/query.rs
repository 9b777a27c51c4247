//! The reader's query language, parsed without ever failing.
//!
//! `words` must all match; `"exact phrases"`; `-excluded`; `prefix*`;
//! `title:`, `section:`, `source:` limit the next word or phrase to one field.
//! Anything else is a word: an unbalanced quote is dropped, an unknown
//! `field:` is just text, lone operators are ignored, and very long queries
//! are cut — so every input is a valid query, possibly an empty one.

/// Queries are cut to this many characters; nobody types more, and it bounds
/// the work one request can cause.
pub const MAX_QUERY_CHARS: usize = 500;

/// At most this many clauses are used; the rest are ignored.
pub const MAX_CLAUSES: usize = 16;

/// Which fields a clause looks in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// Title, section, source and body.
    Any,
    Title,
    Section,
    Source,
}

/// What a clause looks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Kind {
    /// One word as typed; punctuation inside it (`Suk-yeol`, `U.S.`) makes it
    /// a short phrase once analysed.
    Word(String),
    /// Words that must appear together, in order.
    Phrase(String),
    /// Words starting with these letters.
    Prefix(String),
}

/// One part of a query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Clause {
    pub target: Target,
    pub kind: Kind,
    /// `-word`: documents matching this clause are left out.
    pub excluded: bool,
}

/// A parsed query, and whether anything was dropped to keep it within limits.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct UserQuery {
    pub clauses: Vec<Clause>,
    /// The query was longer than [`MAX_QUERY_CHARS`] or had more than
    /// [`MAX_CLAUSES`] clauses, and was cut.
    pub truncated: bool,
}

impl UserQuery {
    /// Parses `text`; never fails.
    pub fn parse(text: &str) -> Self {
        let cut: String = text.chars().take(MAX_QUERY_CHARS).collect();
        let mut truncated = cut.len() < text.len();
        let mut clauses = Vec::new();
        let mut rest = cut.as_str();
        while let Some((clause, remaining)) = next_clause(rest) {
            rest = remaining;
            let Some(clause) = clause else { continue };
            if clauses.len() == MAX_CLAUSES {
                truncated = true;
                break;
            }
            clauses.push(clause);
        }
        Self { clauses, truncated }
    }
}

/// Reads one clause from the start of `text`: `None` at the end of the text,
/// `Some((None, rest))` for something that is not a clause (a lone `-`).
fn next_clause(text: &str) -> Option<(Option<Clause>, &str)> {
    let text = text.trim_start();
    if text.is_empty() {
        return None;
    }
    let (excluded, text) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text.strip_prefix('+').unwrap_or(text)),
    };
    let (target, text) = read_target(text);
    let (kind, rest) = read_kind(text);
    Some((kind.map(|kind| Clause { target, kind, excluded }), rest))
}

/// A `title:`/`section:`/`source:` prefix, when followed by something.
fn read_target(text: &str) -> (Target, &str) {
    let Some((name, rest)) = text.split_once(':') else {
        return (Target::Any, text);
    };
    let target = match name.to_ascii_lowercase().as_str() {
        "title" => Target::Title,
        "section" => Target::Section,
        "source" => Target::Source,
        _ => return (Target::Any, text),
    };
    if rest.is_empty() || rest.starts_with(char::is_whitespace) {
        return (Target::Any, text);
    }
    (target, rest)
}

/// A phrase or a word, and the text after it.
fn read_kind(text: &str) -> (Option<Kind>, &str) {
    if let Some(inner) = text.strip_prefix('"') {
        if let Some(end) = inner.find('"') {
            let phrase = inner[..end].trim();
            let kind = (!phrase.is_empty()).then(|| Kind::Phrase(phrase.to_owned()));
            return (kind, &inner[end + 1..]);
        }
        // An unbalanced quote: drop it and read on as plain words.
        return (None, inner);
    }
    let end = text.find(char::is_whitespace).unwrap_or(text.len());
    let (word, rest) = text.split_at(end);
    let word = word.trim_matches('"');
    let kind = match word.strip_suffix('*') {
        Some(stem) if !stem.trim_end_matches('*').is_empty() => Kind::Prefix(stem.trim_end_matches('*').to_owned()),
        Some(_) => return (None, rest),
        None if word.is_empty() => return (None, rest),
        None => Kind::Word(word.to_owned()),
    };
    (Some(kind), rest)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn clause(target: Target, kind: Kind, excluded: bool) -> Clause {
        Clause { target, kind, excluded }
    }

    fn word(text: &str) -> Clause {
        clause(Target::Any, Kind::Word(text.into()), false)
    }

    #[test]
    fn parses_every_operator() {
        let query = UserQuery::parse(r#"Crimea "is gone" -Biden sanction* title:Yoon section:"World News""#);
        assert_eq!(
            query.clauses,
            [
                word("Crimea"),
                clause(Target::Any, Kind::Phrase("is gone".into()), false),
                clause(Target::Any, Kind::Word("Biden".into()), true),
                clause(Target::Any, Kind::Prefix("sanction".into()), false),
                clause(Target::Title, Kind::Word("Yoon".into()), false),
                clause(Target::Section, Kind::Phrase("World News".into()), false),
            ]
        );
        assert!(!query.truncated);
    }

    #[test]
    fn malformed_queries_become_plain_words() {
        let cases: [(&str, Vec<Clause>); 7] = [
            (r#""Crimea is"#, vec![word("Crimea"), word("is")]),
            ("- * -- \"\" :", vec![clause(Target::Any, Kind::Word("-".into()), true), word(":")]),
            ("author:smith", vec![word("author:smith")]),
            ("title: Yoon", vec![word("title:"), word("Yoon")]),
            ("", vec![]),
            ("**", vec![]),
            ("-\"phrase\"", vec![clause(Target::Any, Kind::Phrase("phrase".into()), true)]),
        ];
        for (text, expected) in cases {
            assert_eq!(UserQuery::parse(text).clauses, expected, "query {text:?}");
        }
    }

    #[test]
    fn long_queries_are_cut() {
        let long = "word ".repeat(1000);
        let query = UserQuery::parse(&long);
        assert!(query.truncated);
        assert_eq!(query.clauses.len(), MAX_CLAUSES);
        let one_word = "x".repeat(5000);
        assert!(UserQuery::parse(&one_word).truncated);
    }
}
