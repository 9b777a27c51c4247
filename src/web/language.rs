//! The language of an article, for `lang` attributes (WCAG 3.1.2, Language
//! of Parts): pages are in English (`<html lang="en">`), and the headline,
//! body, excerpt or snippet of an article in another language says so (not
//! the page's own words around them, like "min read"), so that screen
//! readers switch voice and browsers hyphenate and pick fonts for it.
//!
//! Told from the writing system only, which is cheap: a title that is plain
//! ASCII costs one scan, and otherwise whatlang's script detection looks at a
//! title's worth of characters. Telling Latin-script languages apart
//! (English from Vietnamese or German) takes whatlang's trigram statistics,
//! which cost far more than rendering the whole page, so Latin-script text
//! gets no `lang` of its own and stays under the page's English. A script
//! that several languages share is tagged with the language most written in
//! it (Cyrillic as Russian, Arabic script as Arabic, Devanagari as Hindi).

use whatlang::Script;

/// How much of the text after the title is looked at when the title alone
/// does not show a script (a Russian article titled "iPhone 16").
const SAMPLE_BYTES: usize = 160;

/// The BCP 47 language tag of an article with this `title` and `text` (its
/// first paragraph or excerpt), when its script shows a language other than
/// the pages' English; `None` for Latin script and for text without letters.
pub(crate) fn language_tag(title: &str, text: &str) -> Option<&'static str> {
    let sample = &text[..text.floor_char_boundary(SAMPLE_BYTES)];
    let (script, sample) =
        script_of(title).map(|script| (script, title)).or_else(|| Some((script_of(sample)?, sample)))?;
    tag(script, sample)
}

/// The main script of `text`, if it has letters beyond ASCII.
fn script_of(text: &str) -> Option<Script> {
    if !has_letters_beyond_ascii(text) {
        return None;
    }
    whatlang::detect_script(text)
}

/// Whether `text` has a letter outside ASCII. English, the common case, is
/// all ASCII but for the odd curly quote or dash: blocks of ASCII are passed
/// over a machine word at a time (`is_ascii`), and only blocks with something
/// else in them are decoded.
fn has_letters_beyond_ascii(text: &str) -> bool {
    const BLOCK: usize = 32;
    let mut start = 0;
    while start < text.len() {
        // At least one whole character, as no UTF-8 character is longer than 4 bytes.
        let end = text.floor_char_boundary(start + BLOCK);
        let block = &text[start..end];
        if !block.is_ascii() && block.chars().any(|c| !c.is_ascii() && c.is_alphabetic()) {
            return true;
        }
        start = end;
    }
    false
}

/// The language tag for text mostly in `script`.
fn tag(script: Script, text: &str) -> Option<&'static str> {
    Some(match script {
        Script::Latin => return None,
        // Japanese mixes kanji with kana; kanji alone are Chinese.
        Script::Mandarin if text.chars().any(|c| ('\u{3040}'..='\u{30ff}').contains(&c)) => "ja",
        Script::Mandarin => "zh",
        Script::Hiragana | Script::Katakana => "ja",
        Script::Hangul => "ko",
        Script::Cyrillic => "ru",
        Script::Arabic => "ar",
        Script::Devanagari => "hi",
        Script::Hebrew => "he",
        Script::Greek => "el",
        Script::Armenian => "hy",
        Script::Georgian => "ka",
        Script::Thai => "th",
        Script::Khmer => "km",
        Script::Myanmar => "my",
        Script::Ethiopic => "am",
        Script::Bengali => "bn",
        Script::Gujarati => "gu",
        Script::Gurmukhi => "pa",
        Script::Kannada => "kn",
        Script::Malayalam => "ml",
        Script::Oriya => "or",
        Script::Sinhala => "si",
        Script::Tamil => "ta",
        Script::Telugu => "te",
    })
}

#[cfg(test)]
mod tests {
    use super::language_tag;

    #[test]
    fn tells_languages_by_their_script() {
        let cases = [
            ("US, South Korea and Japan slam ‘dangerous’ ties", "The three countries said…", None),
            ("Zürich café reopens", "Der Besitzer sagte…", None),
            ("Giá vàng hôm nay tăng mạnh", "Các chuyên gia nhận định…", None),
            ("В Турочаке остановили водителя Toyota Dyna", "Мужчина был лишён прав.", Some("ru")),
            ("iPhone 16", "Новый телефон поступил в продажу.", Some("ru")),
            ("新华社北京电", "国务院总理今天会见了代表团。", Some("zh")),
            ("東京で新しい駅が開業しました", "", Some("ja")),
            ("서울에서 회담이 열렸다", "", Some("ko")),
            ("Η κυβέρνηση ανακοίνωσε μέτρα", "", Some("el")),
            ("مرحبا بالعالم", "", Some("ar")),
            ("https://example.com/a/very/long/url", "", None),
            ("“Quotes” — and dashes…", "‘Only’ punctuation – beyond ASCII", None),
            ("“Новости”", "", Some("ru")),
            ("", "", None),
        ];
        for (title, text, expected) in cases {
            assert_eq!(language_tag(title, text), expected, "{title}");
        }
    }

    #[test]
    fn looks_at_only_the_start_of_the_text_and_never_splits_a_character() {
        let long = format!("{}Новости", "é".repeat(super::SAMPLE_BYTES));
        assert_eq!(language_tag("Title", &long), None, "the Cyrillic is past the sample");
        let odd = format!("a{}", "Ж".repeat(super::SAMPLE_BYTES));
        assert_eq!(language_tag("Title", &odd), Some("ru"), "a cut inside a character moves back");
    }
}
