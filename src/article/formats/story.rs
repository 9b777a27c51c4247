//! CNN/DailyMail `.story` files (the DeepMind Q&A and summarisation sets):
//! body paragraphs, then `@highlight` blocks, and nothing else.
//!
//! ```text
//! WASHINGTON (CNN) -- There is "no remaining hope" of finding six men …
//!
//! Isaac Arellano holds a candle …
//!
//! @highlight
//!
//! Official: "No remaining hope" of finding miners alive
//! ```
//!
//! The files have no title, date or byline line, yet every one is a real
//! article, so the title is derived rather than the file reported: the first
//! sentence of the lead, without its dateline. The dateline stays in the body
//! (it is the article's text) and names the source (`(CNN)`, `(Reuters)`).
//! The highlights are the article's summary, not its body. What the web
//! page left behind is dropped: the `E-mail to a friend` link glued to the
//! end of a paragraph and a closing `Copyright … All rights reserved`
//! notice.

use super::super::body;
use super::super::draft::Draft;
use super::super::{Format, Paragraph, excerpt};

/// The longest derived title; a longer first sentence is cut at a word.
const DERIVED_TITLE_CHARS: usize = 120;

/// The marker line that starts each highlight.
const HIGHLIGHT: &str = "@highlight";

/// A parsed story: the draft and the highlights, which [`Draft`] has no
/// field for (the caller stores them on the article's details).
#[derive(Debug)]
pub(crate) struct Story {
    pub draft: Draft,
    pub highlights: Vec<String>,
}

/// Parses a `.story` file. The title is missing only when the body is
/// empty; the caller reports that.
pub(crate) fn parse(text: &str) -> Story {
    let lines: Vec<&str> = text.lines().collect();
    let body_end = lines.iter().position(|line| line.trim() == HIGHLIGHT).unwrap_or(lines.len());
    let mut draft = Draft::new(Format::Story);
    draft.paragraphs = body::paragraphs(&lines[..body_end]);
    drop_page_residue(&mut draft.paragraphs);
    let highlights = highlights(&lines[body_end..]);
    if let Some(lead) = lead(&draft.paragraphs) {
        let (agency, rest) = split_dateline(lead).map_or((None, lead), |(agency, rest)| (Some(agency), rest));
        draft.source = agency.map(str::to_owned);
        draft.title = Some(first_sentence(rest)).filter(|title| !title.is_empty());
    }
    if draft.title.is_none() {
        draft.title = highlights.first().cloned();
    }
    if !highlights.is_empty() {
        draft.summary = Some(as_sentences(&highlights));
    }
    Story { draft, highlights }
}

/// The link to e-mail the story, glued to the end of a paragraph.
const EMAIL_LINK: &str = "E-mail to a friend";

fn drop_page_residue(paragraphs: &mut Vec<Paragraph>) {
    for paragraph in paragraphs.iter_mut() {
        if let Paragraph::Text { text } = paragraph
            && let Some(kept) = text.trim_end().strip_suffix(EMAIL_LINK)
        {
            *text = kept.trim_end().to_owned();
        }
    }
    let copyright = |text: &str| {
        (text.starts_with("Copyright") || text.starts_with('©')) && text.to_lowercase().contains("rights reserved")
    };
    paragraphs.retain(|paragraph| !paragraph.text().is_empty() && !copyright(paragraph.text()));
}

/// The highlights as running text for feeds and link previews: each ends
/// like a sentence (they are written without a full stop).
fn as_sentences(highlights: &[String]) -> String {
    let sentences: Vec<String> = highlights
        .iter()
        .map(|highlight| {
            let ends = highlight.trim_end_matches(['"', '”', '’', '\'', ')']).ends_with(['.', '!', '?']);
            if ends { highlight.clone() } else { format!("{highlight}.") }
        })
        .collect();
    sentences.join(" ")
}

/// Each `@highlight` block's lines joined into one sentence.
fn highlights(lines: &[&str]) -> Vec<String> {
    let mut highlights: Vec<String> = Vec::new();
    for line in lines.iter().map(|line| line.trim()).filter(|line| !line.is_empty()) {
        if line == HIGHLIGHT {
            highlights.push(String::new());
        } else if let Some(current) = highlights.last_mut() {
            if !current.is_empty() {
                current.push(' ');
            }
            current.push_str(line);
        }
    }
    highlights.retain(|highlight| !highlight.is_empty());
    highlights
}

/// The paragraph the story starts with: the first with a dateline near the
/// top (an editor's note and a photo caption may come first), else the
/// first that is not an editor's note.
fn lead(paragraphs: &[Paragraph]) -> Option<&str> {
    let texts = || paragraphs.iter().map(Paragraph::text).filter(|text| !text.trim().is_empty());
    texts()
        .take(4)
        .find(|text| split_dateline(text).is_some())
        .or_else(|| texts().find(|text| !is_editors_note(text)))
        .or_else(|| texts().next())
}

fn is_editors_note(text: &str) -> bool {
    let start: String = text.chars().take(14).collect::<String>().to_lowercase();
    start.starts_with("editor's note") || start.starts_with("editor’s note")
}

/// Splits a dateline off the start of a paragraph: `(CNN)`, `WASHINGTON
/// (CNN) -- `, `LONDON, England (Reuters) -- `, `SEOUL, Aug. 20 (Yonhap)
/// -- `. Returns the agency and the text after the dateline. The place
/// before the parenthesis is a few capitalised words or numbers.
pub(crate) fn split_dateline(text: &str) -> Option<(&str, &str)> {
    let open = text.find('(')?;
    let close = open + text[open..].find(')')?;
    let (place, agency) = (&text[..open], text[open + 1..close].trim());
    let place_words = place.split_whitespace().count();
    let place_ok = place_words <= 5
        && place.chars().count() <= 50
        && place.split_whitespace().all(|word| word.starts_with(|c: char| c.is_uppercase() || c.is_ascii_digit()));
    let agency_ok = (2..=30).contains(&agency.chars().count())
        && agency.starts_with(char::is_uppercase)
        && agency.split_whitespace().count() <= 3
        && !agency.contains(char::is_numeric);
    if !place_ok || !agency_ok {
        return None;
    }
    let rest = text[close + 1..].trim_start();
    let rest = ["--", "—", "–", "-"].iter().find_map(|dash| rest.strip_prefix(dash)).unwrap_or(rest);
    Some((agency, rest.trim_start()))
}

/// The first sentence of `text`, without its full stop, cut at a word
/// boundary when it is long. A full stop after an abbreviation or an
/// initial (`The Rev. Robert H. Schuller`, `U.S.`) does not end it.
pub(crate) fn first_sentence(text: &str) -> String {
    let text = text.trim();
    let end = sentence_end(text).unwrap_or(text.len());
    let sentence = text[..end].trim_end();
    // `… dubbed the "forgotten floor."` keeps its quote, not the stop.
    let sentence = match sentence.strip_suffix(['"', '”']) {
        Some(quoted) if quoted.ends_with('.') => {
            format!("{}{}", &quoted[..quoted.len() - 1], &sentence[quoted.len()..])
        }
        _ => sentence.strip_suffix('.').unwrap_or(sentence).trim_end().to_owned(),
    };
    excerpt(&sentence, DERIVED_TITLE_CHARS)
}

/// The byte offset just past the first sentence's closing punctuation.
fn sentence_end(text: &str) -> Option<usize> {
    for (index, c) in text.char_indices() {
        if matches!(c, '。' | '！' | '？') {
            return Some(index + c.len_utf8());
        }
        if !matches!(c, '.' | '!' | '?') {
            continue;
        }
        let after = &text[index + 1..];
        let closing = after.len() - after.trim_start_matches(['"', '”', '’', '\'', ')']).len();
        let next = &after[closing..];
        let next_starts_sentence = next.starts_with(char::is_whitespace)
            && next.trim_start().starts_with(|c: char| c.is_uppercase() || c.is_ascii_digit() || "\"“‘'".contains(c));
        if next_starts_sentence && !(c == '.' && is_abbreviation(&text[..index])) {
            return Some(index + 1 + closing);
        }
    }
    None
}

/// Whether the word just before a full stop is an abbreviation: an initial
/// (`H`), an initialism with inner stops (`U.S`) or a short title.
fn is_abbreviation(before: &str) -> bool {
    const TITLES: &[&str] = &[
        "Mr", "Mrs", "Ms", "Dr", "Rev", "St", "Sen", "Rep", "Gov", "Gen", "Lt", "Col", "Sgt", "Capt", "Prof", "Jr",
        "Sr", "Inc", "Corp", "Co", "Ltd", "No", "Mt", "Ft", "vs", "Jan", "Feb", "Mar", "Apr", "Aug", "Sept", "Sep",
        "Oct", "Nov", "Dec",
    ];
    let word = before.rsplit(|c: char| c.is_whitespace() || c == '(').next().unwrap_or("");
    let letters = word.chars().filter(|c| c.is_alphabetic()).count();
    letters == 1 || word.contains('.') || TITLES.contains(&word)
}

#[cfg(test)]
mod tests {
    use super::*;

    const STORY: &str = "WASHINGTON (CNN) -- Doctors removed five polyps, a spokesman said. Results are due.\n\n\
        A second paragraph. E-mail to a friend\n\nCopyright 2007 Reuters. All rights reserved.This material may not be \
        published.\n\n@highlight\n\nFive polyps removed\n\n@highlight\n\nResults expected soon";

    #[test]
    fn highlights_are_the_summary_not_the_body() {
        let story = parse(STORY);
        assert_eq!(story.highlights, ["Five polyps removed", "Results expected soon"]);
        assert_eq!(story.draft.summary.as_deref(), Some("Five polyps removed. Results expected soon."));
        let texts: Vec<&str> = story.draft.paragraphs.iter().map(Paragraph::text).collect();
        assert_eq!(texts.len(), 2, "{texts:?}");
        assert!(texts[0].starts_with("WASHINGTON (CNN) -- Doctors"), "the dateline stays in the body");
        assert!(!texts.iter().any(|text| text.contains("@highlight") || text.contains("polyps removed")));
        assert_eq!(texts[1], "A second paragraph.", "the e-mail link and the copyright notice are page residue");
    }

    #[test]
    fn the_title_is_the_first_sentence_without_the_dateline_and_the_agency_is_the_source() {
        let story = parse(STORY);
        assert_eq!(story.draft.title.as_deref(), Some("Doctors removed five polyps, a spokesman said"));
        assert_eq!(story.draft.source.as_deref(), Some("CNN"));
    }

    #[test]
    fn datelines_in_their_real_shapes_are_split_off() {
        let cases = [
            ("(CNN)The Palestinian Authority joined.", "CNN", "The Palestinian Authority joined."),
            ("(CNN)  -- The league suspended him.", "CNN", "The league suspended him."),
            ("Marseille, France (CNN)The prosecutor said.", "CNN", "The prosecutor said."),
            ("LONDON, England (Reuters) -- Harry Potter star", "Reuters", "Harry Potter star"),
            ("SEOUL, Aug. 20 (Yonhap) -- North Korea", "Yonhap", "North Korea"),
        ];
        for (text, agency, rest) in cases {
            assert_eq!(split_dateline(text), Some((agency, rest)), "{text}");
        }
        assert_eq!(split_dateline("He was 88 years old (according to his family)."), None);
        assert_eq!(split_dateline("The firm (CNN) said"), None);
    }

    #[test]
    fn abbreviations_and_initials_do_not_end_the_first_sentence() {
        let lead = "The Rev. Robert H. Schuller of the U.S. died Thursday. He was 88.";
        assert_eq!(first_sentence(lead), "The Rev. Robert H. Schuller of the U.S. died Thursday");
        assert_eq!(first_sentence("Never mind cats. A stray pooch survived."), "Never mind cats");
        assert_eq!(first_sentence("Is it over? Nobody knows."), "Is it over?");
        assert_eq!(
            first_sentence("It is dubbed the \"forgotten floor.\" More."),
            "It is dubbed the \"forgotten floor\""
        );
    }

    #[test]
    fn a_long_first_sentence_is_cut_at_a_word() {
        let title = first_sentence(&"word ".repeat(60));
        assert!(title.ends_with("word…") && title.chars().count() <= DERIVED_TITLE_CHARS + 1, "{title}");
    }

    #[test]
    fn an_editors_note_is_not_the_lead() {
        let text = "Editor's note: In our series, correspondents share experiences.\n\n\
            A photo caption here\n\nMIAMI, Florida (CNN) -- The ninth floor is forgotten. More.";
        let story = parse(text);
        assert_eq!(story.draft.title.as_deref(), Some("The ninth floor is forgotten"));
        assert_eq!(story.draft.paragraphs.len(), 3, "the note stays in the body");
    }

    #[test]
    fn a_story_without_highlights_or_dateline_still_has_a_title() {
        let story = parse("Just one paragraph. And more.");
        assert_eq!(story.draft.title.as_deref(), Some("Just one paragraph"));
        assert!(story.highlights.is_empty() && story.draft.summary.is_none() && story.draft.source.is_none());
    }

    #[test]
    fn a_story_of_highlights_only_takes_its_title_from_the_first() {
        let story = parse("@highlight\n\nOnly a highlight\n\n@highlight\n\nAnd another");
        assert_eq!(story.draft.title.as_deref(), Some("Only a highlight"));
        assert!(story.draft.paragraphs.is_empty());
        assert!(parse("").draft.title.is_none());
    }
}
