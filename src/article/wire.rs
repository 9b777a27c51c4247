//! What every layout's body shares once it is read: the conventions of
//! wire copy.
//!
//! - A dateline (`WASHINGTON (Reuters) -`, `(CNN) --`) stays in the text
//!   and names the source when the file names none.
//! - Scraped wire copy glues paragraphs with two spaces inside one line
//!   (`… on Friday.  The automaker said …`); they are split again.
//! - `(Reporting by …; Editing by …)` is a credit line of its own, not the
//!   end of the last paragraph.
//! - A file that names only its URL names its source by that URL's host.

use super::Paragraph;
use super::dates::parse_date;
use super::draft::Draft;
use super::header::{self, dateline_agency, url_host};

/// A paragraph this long with a few two-space breaks is glued wire copy
/// even if every paragraph is one sentence.
const GLUED_MIN_CHARS: usize = 1000;

/// How credit lines start.
const CREDITS: &[&str] = &[
    "(reporting by",
    "(additional reporting by",
    "(editing by",
    "(writing by",
    "(compiled by",
    "(reporting and writing by",
];

impl Draft {
    /// Applies the wire conventions to the body and the source.
    pub(crate) fn read_wire_conventions(&mut self) {
        self.read_end_matter();
        self.read_byline_paragraph();
        self.read_chinese_credits();
        self.read_signature();
        let body_chars: usize = self.paragraphs.iter().map(|paragraph| paragraph.text().len()).sum();
        // Usenet posts (header blocks) are typed, hard-wrapped text whose
        // double spaces after sentences are the typist's habit.
        let typed = self.format == super::Format::HeaderBlock;
        let glued = |paragraph: &Paragraph| matches!(paragraph, Paragraph::Text { text } if text.contains("  "));
        if !typed && self.paragraphs.iter().any(glued) {
            let split = |paragraph| split_glued(paragraph, body_chars);
            self.paragraphs = std::mem::take(&mut self.paragraphs).into_iter().flat_map(split).collect();
        }
        if let Some(Paragraph::Text { text }) = self.paragraphs.last()
            && let Some((body, credit)) = split_credit(text)
        {
            let (body, credit) = (body.to_owned(), credit.to_owned());
            self.paragraphs.pop();
            self.paragraphs.push(Paragraph::Text { text: body });
            self.paragraphs.push(Paragraph::Text { text: credit });
        }
        if self.source.is_none() {
            let lead = self.paragraphs.iter().find(|paragraph| !paragraph.text().trim().is_empty());
            self.source = lead.and_then(|lead| dateline_agency(lead.text().trim_start()));
        }
        if self.source.is_none() {
            self.source = self.url.as_deref().and_then(url_host).filter(|host| !host.is_empty()).map(str::to_owned);
        }
    }
}

impl Draft {
    /// Moves what follows the body to metadata: everything after an end
    /// mark (`ENDS`, `-30-`, `###`), and contact and authorisation lines at
    /// the very end. Kept, not shown.
    fn read_end_matter(&mut self) {
        let is_text = |paragraph: &Paragraph| matches!(paragraph, Paragraph::Text { .. });
        let end_mark =
            self.paragraphs.iter().rposition(|paragraph| is_text(paragraph) && is_end_mark(paragraph.text()));
        let mut end = end_mark.filter(|&at| at > 0).unwrap_or(self.paragraphs.len());
        // Contacts, and the release's date set below the text.
        let trailing = |paragraph: &Paragraph| {
            let text = paragraph.text().trim();
            is_text(paragraph) && (is_contact(text) || (text.len() < 40 && parse_date(text).is_some()))
        };
        while end > 1 && trailing(&self.paragraphs[end - 1]) {
            end -= 1;
        }
        for paragraph in self.paragraphs.drain(end..) {
            let text = paragraph.text().trim();
            if !text.is_empty() && !is_end_mark(text) {
                self.metadata.push(("after the text".to_owned(), text.to_owned()));
            }
        }
    }
}

impl Draft {
    /// A body that opens with a byline of its own (`By Jane Doe`, or a name
    /// in capitals on its own line, `CARLOS ALBERTO NAVARRETE`, as
    /// newspapers set it): the byline names the author and is not body
    /// text. It is more specific than a one-word author in the metadata (a
    /// newsroom placeholder such as `REDACCION` or `admin`).
    fn read_byline_paragraph(&mut self) {
        let Some(first) = self.paragraphs.iter().position(|paragraph| !paragraph.text().trim().is_empty()) else {
            return;
        };
        // Every article passes here while loading: look before copying.
        let text = self.paragraphs[first].text().trim();
        let names = header::byline(text).or_else(|| capitals_byline(text).map(str::to_owned));
        let Some(names) = names.filter(|_| self.paragraphs.len() > first + 1) else { return };
        let placeholder = self.author.as_deref().is_none_or(|author| !author.trim().contains(' '));
        if placeholder {
            self.author = Some(names);
        }
        let byline = self.paragraphs.remove(first);
        self.explain(byline.text(), "byline", "the body's first line names its author");
    }
}

impl Draft {
    /// A signature after the last sentence of the text (`… chủ quản. Dũng
    /// Sĩ (theo Daily Mail)`, `… Bí thư. TTXVN/Tin Tức`): the author, and the
    /// source a `(theo …)`/`(via …)` names. It becomes a line of its own.
    fn read_signature(&mut self) {
        if self.author.is_some() {
            return;
        }
        let Some(Paragraph::Text { text }) = self.paragraphs.last() else { return };
        let Some((body, names, source)) = split_signature(text) else { return };
        let (body, signature) = (body.to_owned(), text[body.len()..].trim().to_owned());
        // `Theo Linh Hương/Ngoisao`: "according to" a writer at a site.
        let (author, source) = match names.strip_prefix("Theo ").or_else(|| names.strip_prefix("theo ")) {
            Some(rest) => match rest.split_once('/') {
                Some((writer, site)) => (Some(writer.trim()), Some(site.trim())),
                None => (None, Some(rest.trim())),
            },
            None => (Some(names), source),
        };
        self.author = author.map(str::to_owned);
        if self.source.is_none() {
            self.source = source.map(str::to_owned);
        }
        self.explain(&signature, "byline", "a signature after the last sentence");
        self.paragraphs.pop();
        self.paragraphs.push(Paragraph::Text { text: body });
        self.paragraphs.push(Paragraph::Text { text: signature });
    }
}

/// The text before a signature, the names it signs with, and the source a
/// `(theo X)` names.
fn split_signature(text: &str) -> Option<(&str, &str, Option<&str>)> {
    let text = text.trim_end();
    let (end, mark) = text.char_indices().rev().find(|(_, c)| matches!(c, '.' | '?' | '!' | '”' | '"'))?;
    let end = end + mark.len_utf8() - 1;
    let tail = text[end + 1..].trim();
    let (names, note) = match tail.split_once('(') {
        Some((names, note)) => (names.trim(), Some(note.trim_end_matches(')').trim())),
        None => (tail, None),
    };
    let words: Vec<&str> = names.split_whitespace().collect();
    let agency = words.len() == 1 && (names.contains('/') || names.chars().filter(|c| c.is_uppercase()).count() >= 3);
    let is_name = ((2..=4).contains(&words.len()) || agency)
        && !names.contains([':', ';', ','])
        && words
            .iter()
            .all(|word| word.starts_with(char::is_uppercase) && !word.contains(|c: char| c.is_ascii_digit()));
    let source = note.and_then(|note| {
        let lower = note.to_lowercase();
        ["theo ", "via ", "according to "].iter().find(|p| lower.starts_with(*p)).map(|p| &note[p.len()..])
    });
    // `TTXVN/Tin Tức`: an agency and its paper.
    let source = source.or_else(|| (agency || names.contains('/')).then_some(names.split('/').next().unwrap_or(names)));
    is_name.then(|| (&text[..end + 1], names, source.map(str::trim)))
}

/// Words a newsroom signs with when no reporter is named.
const NEWSROOM: &[&str] = &["REDACCIÓN", "REDACCION", "STAFF", "AGENCIAS", "AGENCIES", "WIRE"];

/// `CARLOS ALBERTO NAVARRETE`, `CESAR A. GONZALEZ`, `REDACCIÓN`: a name in
/// capitals, two to four words (initials allowed), on a line of its own.
fn capitals_byline(text: &str) -> Option<&str> {
    if NEWSROOM.contains(&text) {
        return Some(text);
    }
    // Five words are enough to know it is not two to four (this runs on
    // every article's first paragraph).
    let words: Vec<&str> = text.split_whitespace().take(5).collect();
    let name_word = |word: &&str| {
        let letters = word.trim_end_matches('.');
        !letters.is_empty()
            && letters.chars().all(|c| c.is_alphabetic() && !c.is_lowercase() || c == '-')
            && (letters.chars().count() > 1 || word.ends_with('.'))
    };
    let is_name = (2..=4).contains(&words.len()) && words.iter().all(name_word) && header::classify(text).is_none();
    is_name.then_some(text)
}

/// `ENDS`, `- ENDS -`, `-30-`, `###`: the end of a release.
fn is_end_mark(text: &str) -> bool {
    // Every paragraph passes here: compared without a lowercased copy
    // (no other character lowercases to these ASCII letters).
    let bare = text.trim().trim_matches(|c: char| matches!(c, '-' | '–' | '—' | ' ' | '*'));
    ["ends", "end", "30", "###", "# # #"].iter().any(|mark| bare.eq_ignore_ascii_case(mark))
}

/// `Media contact: …`, `Authorised by …`.
fn is_contact(text: &str) -> bool {
    let lower = text.trim().to_lowercase();
    const STARTS: &[&str] = &[
        "media contact",
        "media enquiries",
        "further information:",
        "authorised by ",
        "for more information",
        // Bloomberg's closing lines.
        "to contact the reporter",
        "to contact the editor",
    ];
    STARTS.iter().any(|start| lower.starts_with(start)) && text.len() < 400
}

/// Splits a text paragraph at two-space sentence breaks when they are
/// paragraph breaks: the paragraph is most of a long body, so the file had
/// no other way to break its paragraphs. A typist who puts two spaces after
/// every sentence also puts blank lines between paragraphs, and is left
/// alone.
fn split_glued(paragraph: Paragraph, body_chars: usize) -> Vec<Paragraph> {
    let Paragraph::Text { text } = &paragraph else { return vec![paragraph] };
    let most_of_body = text.len() * 10 >= body_chars * 6;
    let breaks = if most_of_body { sentence_breaks(text, "  ") } else { Vec::new() };
    // Some sentences end with one space and others with two: the two are
    // paragraph breaks. A typist who double-spaces every sentence is told
    // apart by length: a whole wire story glued into one paragraph is long.
    let singles = sentence_breaks(text, " ").len();
    let glued = breaks.len() >= 2 && (singles >= 1 || (text.len() >= GLUED_MIN_CHARS && breaks.len() >= 3));
    if !glued {
        return vec![paragraph];
    }
    let mut parts = Vec::with_capacity(breaks.len() + 1);
    let mut start = 0;
    for at in breaks {
        parts.push(text[start..at].trim());
        start = at;
    }
    parts.push(text[start..].trim());
    parts.into_iter().filter(|part| !part.is_empty()).map(|part| Paragraph::Text { text: part.to_owned() }).collect()
}

/// Byte offsets where a sentence ends followed by exactly `gap` and a new
/// sentence starts (a capital letter, a digit or an opening quote or
/// bracket).
fn sentence_breaks(text: &str, gap: &str) -> Vec<usize> {
    let mut breaks = Vec::new();
    for (index, c) in text.char_indices() {
        if !matches!(c, '.' | '!' | '?' | '"' | '”' | '’' | ')') {
            continue;
        }
        let after = &text[index + c.len_utf8()..];
        let Some(next) = after.strip_prefix(gap) else { continue };
        let starts_sentence =
            next.starts_with(|c: char| c.is_uppercase() || c.is_ascii_digit() || "\"“‘'(".contains(c));
        let sentence_end = c != ')' || text[..index].ends_with(['.', '!', '?']);
        if starts_sentence && sentence_end && !next.starts_with(' ') {
            breaks.push(index + c.len_utf8());
        }
    }
    breaks
}

/// `… said on Friday. (Reporting by X; Editing by Y)` → the text and the
/// credit line.
fn split_credit(text: &str) -> Option<(&str, &str)> {
    if !text.trim_end().ends_with(')') {
        return None;
    }
    let open = text.rfind('(')?;
    let credit = text[open..].trim();
    let lower = credit.to_lowercase();
    let body = text[..open].trim_end();
    (CREDITS.iter().any(|start| lower.starts_with(start)) && !body.is_empty()).then_some((body, credit))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(paragraphs: &[Paragraph]) -> Vec<&str> {
        paragraphs.iter().map(Paragraph::text).collect()
    }

    fn draft(paragraphs: &[&str]) -> Draft {
        Draft {
            paragraphs: paragraphs.iter().map(|text| Paragraph::Text { text: (*text).to_owned() }).collect(),
            ..Draft::default()
        }
    }

    #[test]
    fn glued_wire_paragraphs_are_split_and_the_dateline_names_the_source() {
        let filler = "More words of the article follow here. ".repeat(20);
        let glued = format!(
            "SAN FRANCISCO  (Reuters) - Ford said on Friday it would sell more cars.  The automaker said sales \
             rose 5 percent. Analysts had expected less.  {filler} \"We are pleased,\" a spokesman said.  It ends. \
             (Reporting by Bernie Woodall; Editing by Gerald E. McCormick)"
        );
        let mut draft = draft(&[&glued]);
        draft.read_wire_conventions();
        assert_eq!(
            texts(&draft.paragraphs),
            [
                "SAN FRANCISCO  (Reuters) - Ford said on Friday it would sell more cars.",
                "The automaker said sales rose 5 percent. Analysts had expected less.",
                filler.trim_end(),
                "\"We are pleased,\" a spokesman said.",
                "It ends.",
                "(Reporting by Bernie Woodall; Editing by Gerald E. McCormick)",
            ]
        );
        assert_eq!(draft.source.as_deref(), Some("Reuters"));
    }

    #[test]
    fn a_typist_who_double_spaces_every_sentence_keeps_the_paragraph() {
        let text = "One sentence here.  Another one follows.  And a third.";
        let mut draft = draft(&[text]);
        draft.read_wire_conventions();
        assert_eq!(texts(&draft.paragraphs), [text]);
    }

    #[test]
    fn a_signature_after_the_last_sentence_names_author_and_source() {
        let signed = |text: &str| {
            let mut draft = draft(&["Lead.", text]);
            draft.read_wire_conventions();
            (draft.author, draft.source, texts(&draft.paragraphs).last().map(|last| (*last).to_owned()))
        };
        let (author, source, last) = signed("Sau khi hoàn thành hợp đồng. Dũng Sĩ (theo Daily Mail)");
        assert_eq!((author.as_deref(), source.as_deref()), (Some("Dũng Sĩ"), Some("Daily Mail")));
        assert_eq!(last.as_deref(), Some("Dũng Sĩ (theo Daily Mail)"));
        let (author, source, _) = signed("Đây là nội dung. Theo Linh Hương/Ngoisao");
        assert_eq!((author.as_deref(), source.as_deref()), (Some("Linh Hương"), Some("Ngoisao")));
        let (author, _, _) = signed("Subs: Howard, Giggs. Referee: R Styles (Hampshire)");
        assert_eq!(author, None, "a fact box is no signature");
        let (author, _, _) = signed("The match ended in a draw.");
        assert_eq!(author, None);
    }

    #[test]
    fn contact_lines_below_the_text_are_metadata() {
        let mut draft = draft(&[
            "The economy grew 7.4 percent.",
            "To contact the reporter on this story: Daniel Ten Kate in Bangkok at dtenkate@bloomberg.net \
             To contact the editor responsible for this story: Paul Panckhurst at ppanckhurst@bloomberg.net",
        ]);
        draft.read_wire_conventions();
        assert_eq!(texts(&draft.paragraphs), ["The economy grew 7.4 percent."]);
        assert_eq!(draft.metadata.len(), 1);
    }

    #[test]
    fn a_url_names_the_source_when_nothing_else_does() {
        let mut draft = draft(&["Plain text."]);
        draft.url = Some("https://www.straitstimes.com/world/x".to_owned());
        draft.read_wire_conventions();
        assert_eq!(draft.source.as_deref(), Some("straitstimes.com"));
    }
}
