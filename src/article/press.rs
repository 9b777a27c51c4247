//! The header lines of press releases and transcripts as government
//! offices, parties and companies publish them (and as PDF-to-text
//! conversion leaves them): letterheads that name the issuer
//! (`THE HON JOSH FRYDENBERG MP  Treasurer`), their offices
//! (`MEMBER FOR BARTON`), document-type labels (`JOINT MEDIA RELEASE`,
//! `E&OE TRANSCRIPT …`), `SUBJECTS:` lines and media contacts. None of
//! them is the headline or the body.

use super::draft::join_spaces;
use super::header::{Classified, Role, capitals_to_title_case};

/// Labels that say what kind of document follows.
const DOCUMENT_TYPES: &[&str] = &[
    "media release",
    "joint media release",
    "press release",
    "joint press release",
    "news release",
    "media statement",
    "joint media statement",
    "joint statement",
    "statement",
    "transcript",
    "speech",
    "check against delivery",
    "for immediate release",
    "media alert",
    "op-ed",
];

/// How contact and authorisation lines start.
const CONTACTS: &[&str] = &[
    "media contact",
    "media contacts",
    "media enquiries",
    "further information",
    "for more information",
    "authorised by",
];

/// How the offices under a letterhead name start.
const OFFICES: &[&str] = &[
    "minister for",
    "shadow minister",
    "shadow assistant minister",
    "assistant minister",
    "shadow cabinet secretary",
    "member for",
    "federal member for",
    "state member for",
    "senator for",
    "leader of",
    "deputy leader",
    "deputy prime minister",
    "prime minister",
    "treasurer",
    "shadow treasurer",
    "attorney-general",
    "chair,",
    "premier of",
];

/// Words that end a letterhead name and begin the office.
const OFFICE_WORDS: &[&str] = &[
    "mp",
    "mla",
    "mlc",
    "minister",
    "treasurer",
    "shadow",
    "member",
    "leader",
    "deputy",
    "assistant",
    "federal",
    "chair",
    "prime",
    "premier",
    "senator",
    "attorney-general",
    "nsw",
    "state",
];

/// The role of a press-release header line, if it is one.
pub(crate) fn classify(line: &str) -> Option<Classified> {
    let collapsed = join_spaces(line, &[' ']);
    let lower = collapsed.to_lowercase();
    let interview =
        ["interview", "doorstop", "press conference", "transcript"].iter().any(|kind| lower.ends_with(kind))
            && collapsed.chars().filter(|c| c.is_alphabetic()).all(char::is_uppercase)
            && collapsed.split_whitespace().count() <= 5;
    let document_type = DOCUMENT_TYPES.contains(&lower.as_str())
        || interview
        || (lower.starts_with("e&oe") && is_heading_case(&collapsed))
        || (lower.starts_with("joint media release") && is_heading_case(&collapsed));
    if document_type {
        return Some(Classified { role: Role::Boilerplate, why: "a document-type label" });
    }
    if let Some(rest) = ["subjects:", "subject:", "topics:"].iter().find_map(|label| lower.strip_prefix(label)) {
        let tags = collapsed[collapsed.len() - rest.len()..].trim().to_owned();
        return Some(Classified { role: Role::Tags(tags.replace(';', ",")), why: "a transcript's subjects" });
    }
    if CONTACTS.iter().any(|contact| lower.starts_with(contact)) {
        return Some(Classified { role: Role::Other("contact".into(), collapsed.into_owned()), why: "a contact line" });
    }
    if let Some(name) = letterhead_name(&collapsed) {
        return Some(Classified { role: Role::Byline(name), why: "a letterhead naming the issuer" });
    }
    if OFFICES.iter().any(|office| lower.starts_with(office)) && is_heading_case(&collapsed) {
        let office = collapsed.into_owned();
        return Some(Classified { role: Role::Other("office".into(), office), why: "an office under a letterhead" });
    }
    None
}

/// Whether a line names an office under a letterhead (`MEMBER FOR BARTON`).
pub(crate) fn is_office(line: &str) -> bool {
    let collapsed = join_spaces(line, &[' ']);
    let lower = collapsed.to_lowercase();
    OFFICES.iter().any(|office| lower.starts_with(office)) && is_heading_case(&collapsed)
}

/// A letterhead name without `MP` or `The Hon` (`ANTHONY ALBANESE`): two
/// to four capitalised words, known only by the office line under it.
pub(crate) fn bare_letterhead_name(line: &str) -> Option<String> {
    let words: Vec<&str> = line.split_whitespace().collect();
    let plausible = (2..=4).contains(&words.len())
        && words.iter().all(|word| word.chars().all(|c| c.is_alphabetic() || matches!(c, '-' | '\'' | '’')))
        && words.iter().all(|word| word.starts_with(char::is_uppercase));
    plausible.then(|| capitals_to_title_case(&words.join(" ")))
}

/// `THE HON JOSH FRYDENBERG MP  Treasurer` → `Josh Frydenberg`;
/// `Senator the Hon Kay Patterson Minister for Health` → `Kay Patterson`;
/// `LINDA BURNEY MP` → `Linda Burney`.
fn letterhead_name(line: &str) -> Option<String> {
    if !is_heading_case(line) {
        return None;
    }
    let words: Vec<&str> = line.split_whitespace().collect();
    let honorific = ["senator the hon", "the hon", "hon", "the honourable", "senator"]
        .iter()
        .find(|prefix| words.len() > prefix.split(' ').count() && words_start_with(&words, prefix));
    let skip = honorific.map_or(0, |prefix| prefix.split(' ').count());
    let dr = usize::from(words.get(skip).is_some_and(|word| word.eq_ignore_ascii_case("dr")));
    let name: Vec<&str> = words[skip + dr..]
        .iter()
        .take_while(|word| !OFFICE_WORDS.contains(&word.to_lowercase().trim_end_matches(',')))
        .copied()
        .collect();
    let ends_with_mp = words.get(skip + dr + name.len()).is_some_and(|word| word.eq_ignore_ascii_case("mp"));
    let plausible = (2..=4).contains(&name.len()) && name.iter().all(|word| word.starts_with(char::is_uppercase));
    (plausible && (honorific.is_some() || ends_with_mp)).then(|| capitals_to_title_case(&name.join(" ")))
}

fn words_start_with(words: &[&str], prefix: &str) -> bool {
    prefix.split(' ').zip(words).all(|(expected, word)| expected.eq_ignore_ascii_case(word))
}

/// Capitals or Title Case (small joining words aside), no sentence
/// punctuation: a heading, not a sentence.
fn is_heading_case(line: &str) -> bool {
    const SMALL: &[&str] = &["for", "and", "of", "the", "on", "in", "to", "a", "&", "-", "|", "–", "—"];
    !line.ends_with(['.', '?', '!'])
        && line
            .split_whitespace()
            .all(|word| word.starts_with(|c: char| !c.is_lowercase()) || SMALL.contains(&word.trim_end_matches(',')))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn joining_spaces_borrows_only_what_joining_the_words_would_give() {
        let lines = [
            "",
            " ",
            "MEMBER FOR BARTON",
            "  MEMBER  FOR\tBARTON ",
            "A\u{a0}B",
            "A \u{3000}B",
            "A\u{2003}B",
            "A \nB",
            "THE HON JOSH FRYDENBERG MP  Treasurer",
            " x",
            "x ",
            "Ünïcode  wörds",
            "\u{85}A B\u{85}",
        ];
        for line in lines {
            let joined = line.split_whitespace().collect::<Vec<_>>().join(" ");
            let collapsed = join_spaces(line, &[' ']);
            assert_eq!(collapsed, joined, "{line:?}");
            assert_eq!(matches!(collapsed, std::borrow::Cow::Borrowed(_)), line.trim() == joined, "{line:?}");
        }
    }

    fn role(line: &str) -> Option<Role> {
        classify(line).map(|classified| classified.role)
    }

    #[test]
    fn letterheads_name_the_issuer() {
        assert_eq!(role("THE HON JOSH FRYDENBERG MP  Treasurer"), Some(Role::Byline("Josh Frydenberg".into())));
        assert_eq!(
            role("Senator the Hon Kay Patterson Minister for Health and Ageing"),
            Some(Role::Byline("Kay Patterson".into()))
        );
        assert_eq!(role("LINDA BURNEY MP"), Some(Role::Byline("Linda Burney".into())));
        assert_eq!(
            role("The Hon Paul Toole MP  NSW Minister for Regional Transport"),
            Some(Role::Byline("Paul Toole".into()))
        );
    }

    #[test]
    fn labels_offices_and_contacts_are_not_headlines() {
        assert_eq!(role("JOINT MEDIA RELEASE"), Some(Role::Boilerplate));
        assert_eq!(role("E&OE TRANSCRIPT  TELEVISION INTERVIEW  SKY NEWS"), Some(Role::Boilerplate));
        assert!(matches!(role("MEMBER FOR BARTON"), Some(Role::Other(..))));
        assert!(matches!(role("Media contact: Annabel Clunies-Ross 02 6277 7340"), Some(Role::Other(..))));
        assert_eq!(
            role("SUBJECTS: Coronavirus; Budget surplus"),
            Some(Role::Tags("Coronavirus, Budget surplus".into()))
        );
    }

    #[test]
    fn headlines_and_sentences_are_left_to_the_layout() {
        assert_eq!(role("FAMILIES FACE TOUGH PREDICAMENT UNDER INCOME TEST"), None);
        assert_eq!(role("Prime Minister announces a new deal"), None);
        assert_eq!(role("The Hon member said the bill would pass."), None);
        assert_eq!(role("Statement"), Some(Role::Boilerplate));
    }
}
