//! Turning a file's raw bytes into text, or saying why they are not text.
//!
//! UTF-8 (with or without a byte-order mark) is the fast path. UTF-16 needs
//! its byte-order mark. Anything else that is not valid UTF-8 is a legacy
//! encoding, detected with `chardetng` and decoded with `encoding_rs`; the
//! article records which one. Stray control bytes and trailing NULs are
//! dropped with a warning, and the text is normalised to Unicode NFC.

use super::Warning;
use encoding_rs::{Encoding, UTF_16BE, UTF_16LE};
use thiserror::Error;
use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfc_quick};

/// Why a file's bytes could not be read as an article's text.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum DecodeError {
    #[error("the file is empty; write an article into it or delete it")]
    Empty,
    #[error("the file looks binary ({0}), not like article text; is it in the wrong folder?")]
    Binary(&'static str),
}

/// A file's text and what it took to get it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    pub text: String,
    /// The encoding's name when it was not UTF-8 (`windows-1252`, `UTF-16LE`).
    pub encoding: Option<&'static str>,
    /// Repairs made on the way, for `broadsheet check`.
    pub warnings: Vec<Warning>,
}

/// Decodes a file's bytes into text; see the module documentation.
pub fn decode_text(bytes: &[u8]) -> Result<Decoded, DecodeError> {
    if let Some((encoding, bom_length)) = Encoding::for_bom(bytes)
        && (encoding == UTF_16LE || encoding == UTF_16BE)
    {
        let (text, _) = encoding.decode_without_bom_handling(&bytes[bom_length..]);
        return finish(text.into_owned(), Some(encoding.name()), Vec::new());
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let mut warnings = Vec::new();
    let trimmed = trim_trailing_nuls(bytes);
    if trimmed.len() < bytes.len() {
        warnings.push(Warning::TrailingNuls(bytes.len() - trimmed.len()));
    }
    if trimmed.iter().all(u8::is_ascii_whitespace) {
        return Err(DecodeError::Empty);
    }
    if let Some(kind) = binary_kind(trimmed) {
        return Err(DecodeError::Binary(kind));
    }
    let (text, encoding) = to_unicode(trimmed, &mut warnings);
    finish(text, encoding, warnings)
}

/// Decodes a file's bytes into text, dropping what [`decode_text`] records.
pub fn decode(bytes: &[u8]) -> Result<String, DecodeError> {
    decode_text(bytes).map(|decoded| decoded.text)
}

/// UTF-8 when the bytes are UTF-8, in part or in the main, else the
/// detected legacy encoding.
fn to_unicode(bytes: &[u8], warnings: &mut Vec<Warning>) -> (String, Option<&'static str>) {
    if let Ok(text) = std::str::from_utf8(bytes) {
        return (text.to_owned(), None);
    }
    let (valid_non_ascii, invalid_bytes) = count_utf8(bytes);
    let encoding = detect_legacy_encoding(bytes);
    // A UTF-8 file with some Windows-1252 pasted in (`café` next to a stray
    // `£` or curly quote) stays UTF-8, and only the stray bytes are read as
    // Windows-1252: re-reading all of it in a legacy encoding would garble
    // every other non-ASCII character. A multi-byte legacy text (GBK) forms
    // valid UTF-8 pairs by chance, so it needs a majority of them.
    if valid_non_ascii > 0 && (valid_non_ascii > invalid_bytes || encoding.is_single_byte()) {
        warnings.push(Warning::InvalidBytes(invalid_bytes));
        return (utf8_with_windows_1252(bytes), None);
    }
    let (text, _) = encoding.decode_without_bom_handling(bytes);
    warnings.push(Warning::Encoding(encoding.name()));
    (text.into_owned(), Some(encoding.name()))
}

/// The legacy encoding of `bytes`. A handful of non-ASCII bytes in Latin
/// text is too little evidence to tell Windows-1252 from its Central European
/// or Turkish siblings (chardetng reads Latin-1 `£` as Windows-1250 `Ł`), so
/// then the Western default wins; multi-byte guesses (Big5, GBK) are kept.
fn detect_legacy_encoding(bytes: &[u8]) -> &'static Encoding {
    const FEW_BYTES: usize = 8;
    let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    detector.feed(bytes, true);
    let guess = detector.guess(None, chardetng::Utf8Detection::Deny);
    let non_ascii = bytes.iter().filter(|byte| !byte.is_ascii()).count();
    if guess.is_single_byte() && non_ascii <= FEW_BYTES { encoding_rs::WINDOWS_1252 } else { guess }
}

/// The valid UTF-8 runs of `bytes` as they are, the others as Windows-1252.
fn utf8_with_windows_1252(bytes: &[u8]) -> String {
    let mut text = String::with_capacity(bytes.len() + bytes.len() / 8);
    for chunk in bytes.utf8_chunks() {
        text.push_str(chunk.valid());
        text.push_str(&encoding_rs::WINDOWS_1252.decode_without_bom_handling(chunk.invalid()).0);
    }
    text
}

fn count_utf8(bytes: &[u8]) -> (usize, usize) {
    let mut valid_non_ascii = 0;
    let mut invalid = 0;
    for chunk in bytes.utf8_chunks() {
        valid_non_ascii += chunk.valid().chars().filter(|c| !c.is_ascii()).count();
        invalid += chunk.invalid().len();
    }
    (valid_non_ascii, invalid)
}

/// Unifies line breaks, removes stray control characters and normalises
/// to NFC.
fn finish(
    mut text: String,
    encoding: Option<&'static str>,
    mut warnings: Vec<Warning>,
) -> Result<Decoded, DecodeError> {
    if needs_line_breaks_unified(&text) {
        text = if only_crlf(&text) { text.replace("\r\n", "\n") } else { unify_line_breaks(&text) };
    }
    if has_stray_control(text.as_bytes()) {
        let before = text.chars().count();
        text.retain(|c| !is_stray_control(c));
        warnings.push(Warning::ControlCharacters(before - text.chars().count()));
    }
    if text.trim().is_empty() {
        return Err(DecodeError::Empty);
    }
    if !text.is_ascii() {
        let unsure = nfc_unsure_from(text.as_bytes());
        // The characters before `unsure` are starters that NFC keeps, so
        // the quick check's answer for the rest is the answer for all.
        if unsure < text.len() && is_nfc_quick(text[unsure..].chars()) != IsNormalized::Yes {
            text = text.nfc().collect();
        }
        if text.contains('\u{FFFD}') && encoding.is_none() && warnings.is_empty() {
            warnings.push(Warning::ReplacementCharacters);
        }
    }
    Ok(Decoded { text, encoding, warnings })
}

fn needs_line_breaks_unified(text: &str) -> bool {
    memchr::memchr(b'\r', text.as_bytes()).is_some() || (!text.is_ascii() && has_unicode_line_break(text))
}

/// Whether `text` holds NEL, LINE SEPARATOR or PARAGRAPH SEPARATOR. Three
/// vectorised searches for their UTF-8 bytes: `str::contains` with a set
/// of characters decodes every character, and was half of [`finish`]'s
/// time on non-ASCII text.
fn has_unicode_line_break(text: &str) -> bool {
    ["\u{85}", "\u{2028}", "\u{2029}"]
        .iter()
        .any(|needle| memchr::memmem::find(text.as_bytes(), needle.as_bytes()).is_some())
}

/// Where the first character is that NFC might change, or that might
/// combine with a neighbour; `bytes.len()` when there is none. Everything
/// below U+0300 (ASCII, Latin-1, the Latin extensions, the spacing
/// modifiers) and the punctuation, superscripts and currency signs of
/// U+2002–U+20BF (curly quotes, dashes, ellipses, `€`) are starters that
/// NFC keeps as they are: the usual non-ASCII of news text, recognised a
/// byte at a time so that most articles skip the character-by-character
/// quick check.
fn nfc_unsure_from(bytes: &[u8]) -> usize {
    const CHUNK: usize = 32;
    let mut index = 0;
    while index < bytes.len() {
        // 0xCC starts the UTF-8 of U+0300; lower bytes are ASCII,
        // continuation bytes or the start of a character below it.
        let end = (index + CHUNK).min(bytes.len());
        if end - index == CHUNK && bytes[index..end].iter().fold(0, |highest, &byte| highest.max(byte)) < 0xCC {
            index = end;
            continue;
        }
        // This window character by character (the last may end past it).
        while index < end {
            match bytes[index..] {
                [byte, ..] if byte < 0xCC => index += 1,
                // U+2002–U+203F, U+2040–U+207F, U+2080–U+20BF.
                [0xE2, 0x80, 0x82..=0xBF, ..] | [0xE2, 0x81 | 0x82, _, ..] => index += 3,
                _ => return index,
            }
        }
    }
    bytes.len()
}

/// Whether every CR is part of a CR LF pair and no other line break needs
/// unifying: the usual Windows file, which a plain (vectorised) replace
/// handles instead of [`unify_line_breaks`]'s character-by-character copy.
fn only_crlf(text: &str) -> bool {
    let bytes = text.as_bytes();
    memchr::memchr_iter(b'\r', bytes).all(|index| bytes.get(index + 1) == Some(&b'\n'))
        && (text.is_ascii() || !has_unicode_line_break(text))
}

/// `\n` for every line break: CR LF (and the CR CR LF of a file converted
/// twice), a lone CR (classic Mac OS), NEL and LINE SEPARATOR; a PARAGRAPH
/// SEPARATOR is a blank line. `str::lines` only knows LF and CR LF, so a
/// CR-only file would otherwise be one long line.
fn unify_line_breaks(text: &str) -> String {
    let mut unified = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(character) = chars.next() {
        match character {
            '\r' => {
                let mut carriage_returns = 1;
                while chars.next_if_eq(&'\r').is_some() {
                    carriage_returns += 1;
                }
                let breaks = if chars.next_if_eq(&'\n').is_some() { 1 } else { carriage_returns };
                unified.extend(std::iter::repeat_n('\n', breaks));
            }
            '\u{85}' | '\u{2028}' => unified.push('\n'),
            '\u{2029}' => unified.push_str("\n\n"),
            other => unified.push(other),
        }
    }
    unified
}

/// A fast byte scan for [`is_stray_control`] characters in UTF-8: C0 bytes,
/// DEL, and the two-byte encodings of C1 controls (`C2 80`–`C2 9F`).
fn has_stray_control(bytes: &[u8]) -> bool {
    // Branch-free over ASCII so the compiler can vectorise the common case.
    // (`any` alone stops at each byte to decide; a fold per 64-byte chunk
    // does not.)
    let stray = |byte: u8| is_c0_control(byte) | (byte == 0x7F);
    let c0 = bytes.chunks(64).any(|chunk| chunk.iter().fold(false, |found, &byte| found | stray(byte)));
    c0 || (!bytes.is_ascii() && has_c1_control(bytes))
}

/// A C0 control byte other than the four that lay out text (tab, line
/// feed, form feed, carriage return). Comparisons joined with `|`, not
/// `matches!`, so that loops over bytes vectorise.
fn is_c0_control(byte: u8) -> bool {
    (byte < 0x20) & (byte != b'\n') & (byte != b'\r') & (byte != b'\t') & (byte != 0x0C)
}

/// Whether `bytes` hold `C2 80`–`C2 9F`, the UTF-8 of a C1 control. Pairs
/// of bytes are compared 64 at a time without branches, like the C0 scan:
/// `windows(2).any(..)` went byte by byte and was most of `decode`'s time
/// on non-ASCII text.
fn has_c1_control(bytes: &[u8]) -> bool {
    let (Some(firsts), Some(seconds)) = (bytes.get(..bytes.len().saturating_sub(1)), bytes.get(1..)) else {
        return false;
    };
    let c1 = |first: u8, second: u8| (first == 0xC2) & (second & 0xE0 == 0x80);
    firsts.chunks(64).zip(seconds.chunks(64)).any(|(firsts, seconds)| {
        firsts.iter().zip(seconds).fold(false, |found, (&first, &second)| found | c1(first, second))
    })
}

/// Control characters that carry no meaning in article text. Tab, line feed,
/// carriage return and form feed are layout, not damage.
fn is_stray_control(character: char) -> bool {
    character.is_control() && !matches!(character, '\n' | '\r' | '\t' | '\u{0C}')
}

/// Recognises binary content: a known file signature, or NUL and other control
/// bytes making up a noticeable share of the file. Trailing NULs are trimmed
/// before this check, so they never make a text file binary.
fn binary_kind(bytes: &[u8]) -> Option<&'static str> {
    const SIGNATURES: &[(&[u8], &str)] = &[
        (b"\x89PNG", "PNG image"),
        (b"\xFF\xD8\xFF", "JPEG image"),
        (b"GIF8", "GIF image"),
        (b"%PDF", "PDF document"),
        (b"PK\x03\x04", "ZIP archive"),
        (b"\x1F\x8B", "gzip archive"),
        (b"\x7FELF", "executable"),
        (b"RIFF", "RIFF media file"),
        (b"\x00\x00\x01\x00", "icon"),
    ];
    if let Some((_, kind)) = SIGNATURES.iter().find(|(magic, _)| bytes.starts_with(magic)) {
        return Some(kind);
    }
    let sample = &bytes[..bytes.len().min(8192)];
    // Text has none: one vectorised pass says so, and only a sample with
    // control bytes is counted (the counting loop was 7 % of a first start).
    if !sample.chunks(64).any(|chunk| chunk.iter().fold(false, |found, &byte| found | is_c0_control(byte))) {
        return None;
    }
    let (nuls, controls) = sample.iter().fold((0usize, 0usize), |(nuls, controls), &byte| {
        (nuls + usize::from(byte == 0), controls + usize::from(is_c0_control(byte)))
    });
    // One stray NUL is damage; NULs in every hundredth byte are a binary format.
    if nuls * 100 > sample.len() || controls * 10 > sample.len() {
        return Some("it contains NUL or control bytes");
    }
    None
}

fn trim_trailing_nuls(bytes: &[u8]) -> &[u8] {
    let end = bytes.iter().rposition(|&byte| byte != 0).map_or(0, |last| last + 1);
    &bytes[..end]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_c1_controls_anywhere_and_nothing_else() {
        let by_pairs = |bytes: &[u8]| bytes.windows(2).any(|pair| pair[0] == 0xC2 && (0x80..=0x9F).contains(&pair[1]));
        let mut texts: Vec<Vec<u8>> = vec![Vec::new(), vec![0xC2], "caf\u{e9} \u{a0}\u{bf}".into()];
        for position in [0, 1, 62, 63, 64, 65, 127, 128, 200] {
            for second in [0x80, 0x9F, 0xA0, 0x7F] {
                let mut bytes = "\u{e9}".repeat(110).into_bytes();
                bytes.insert(position, 0xC2);
                bytes.insert(position + 1, second);
                texts.push(bytes);
            }
        }
        for bytes in &texts {
            assert_eq!(has_c1_control(bytes), by_pairs(bytes), "{bytes:?}");
        }
        assert!(texts.iter().any(|bytes| has_c1_control(bytes)));
    }

    #[test]
    fn strips_the_byte_order_mark() {
        assert_eq!(decode(b"\xEF\xBB\xBFTitle\n").as_deref(), Ok("Title\n"));
    }

    #[test]
    fn reports_empty_and_blank_files() {
        assert_eq!(decode(b""), Err(DecodeError::Empty));
        assert_eq!(decode(b" \r\n\n"), Err(DecodeError::Empty));
        assert_eq!(decode(b"\0\0\0"), Err(DecodeError::Empty));
    }

    #[test]
    fn reports_binary_files() {
        assert!(matches!(decode(b"\x89PNG\r\n\x1a\n\0\0"), Err(DecodeError::Binary(_))));
        assert!(matches!(decode(b"abc\0\0def\0ghi"), Err(DecodeError::Binary(_))));
    }

    #[test]
    fn removes_trailing_nuls_and_control_bytes_with_a_warning() {
        let decoded = decode_text(b"Title\n\nBo\x19dy\0\0").expect("text");
        assert_eq!(decoded.text, "Title\n\nBody");
        assert_eq!(decoded.warnings.len(), 2);
    }

    #[test]
    fn decodes_latin1_and_records_the_encoding() {
        let decoded = decode_text(b"Chelsea sack Mutu\n\na possible \xa315.8m signing").expect("text");
        assert!(decoded.text.contains("£15.8m"));
        assert_eq!(decoded.encoding, Some("windows-1252"));
    }

    #[test]
    fn keeps_mostly_utf8_text_as_utf8() {
        let mut bytes = "café crème – déjà".as_bytes().to_vec();
        bytes.push(0xE9);
        let decoded = decode_text(&bytes).expect("text");
        assert_eq!(decoded.encoding, None);
        assert!(decoded.text.starts_with("café crème"));
    }

    #[test]
    fn reads_windows_1252_pasted_into_utf8_as_such() {
        let decoded = decode_text(b"T\n\nThe new caf\xc3\xa9 opened. Price \xa35 and \x93q\x94.\n").expect("text");
        assert_eq!(decoded.text, "T\n\nThe new café opened. Price £5 and “q”.\n");
        assert_eq!(decoded.encoding, None);
        assert_eq!(decoded.warnings.len(), 1, "{:?}", decoded.warnings);
    }

    #[test]
    fn decodes_utf16_with_a_byte_order_mark() {
        let mut bytes = vec![0xFF, 0xFE];
        bytes.extend("Título\n\nCuerpo".encode_utf16().flat_map(u16::to_le_bytes));
        let decoded = decode_text(&bytes).expect("text");
        assert_eq!(decoded.text, "Título\n\nCuerpo");
        assert_eq!(decoded.encoding, Some("UTF-16LE"));
    }

    #[test]
    fn every_kind_of_line_break_becomes_a_line_feed() {
        assert_eq!(decode(b"a\r\nb\r\r\nc\rd\r\re\n").as_deref(), Ok("a\nb\nc\nd\n\ne\n"));
        assert_eq!(decode(b"a\r\nb\r\n\r\nc").as_deref(), Ok("a\nb\n\nc"));
        assert_eq!(decode("a\r\n\u{2028}b".as_bytes()).as_deref(), Ok("a\n\nb"));
        assert_eq!(decode("a\u{85}b\u{2028}c\u{2029}d".as_bytes()).as_deref(), Ok("a\nb\nc\n\nd"));
    }

    /// What [`nfc_unsure_from`] passes over, NFC keeps, and it stops at
    /// the first character that NFC's quick check is not sure of.
    #[test]
    fn characters_taken_as_nfc_are_nfc_starters() {
        use unicode_normalization::char::canonical_combining_class;
        let mut passed = 0;
        for character in (0..=0x10FFFF).filter_map(char::from_u32) {
            let mut text = character.to_string();
            if nfc_unsure_from(text.as_bytes()) == text.len() {
                passed += 1;
                assert_eq!(is_nfc_quick(std::iter::once(character)), IsNormalized::Yes, "{character:?}");
                assert_eq!(canonical_combining_class(character), 0, "{character:?}");
            }
            text.insert(0, 'a');
            let unsure = nfc_unsure_from(text.as_bytes());
            assert!(unsure == 1 || unsure == text.len(), "{character:?}");
        }
        // ASCII, the rest below U+0300, and U+2002–U+20BF.
        assert_eq!(passed, 0x300 + (0x20C0 - 0x2002));
        // Across the edges of the 32-byte windows.
        for offset in 28..40 {
            let plain = "a".repeat(offset);
            assert_eq!(nfc_unsure_from(format!("{plain}\u{435}").as_bytes()), offset);
            assert_eq!(nfc_unsure_from(format!("{plain}\u{201c}\u{435}").as_bytes()), offset + 3);
            assert_eq!(nfc_unsure_from(format!("{plain}\u{201c}z").as_bytes()), offset + 4);
        }
        let news = "caf\u{e9} \u{201c}x\u{201d} \u{2014} 5\u{20ac}".repeat(5);
        for (text, unsure) in [(news.as_str(), news.len()), ("e\u{301}", 1), ("\u{2000}", 0), ("ab\u{434}", 2)] {
            assert_eq!(nfc_unsure_from(text.as_bytes()), unsure, "{text:?}");
        }
    }

    #[test]
    fn finds_unicode_line_breaks() {
        for (text, found) in
            [("a\u{85}b", true), ("\u{2028}", true), ("x \u{2029}", true), ("\u{2027}\u{202a}\u{84}", false)]
        {
            assert_eq!(has_unicode_line_break(text), found, "{text:?}");
            assert_eq!(has_unicode_line_break(text), text.contains(['\u{85}', '\u{2028}', '\u{2029}']));
        }
    }

    #[test]
    fn normalises_to_nfc() {
        assert_eq!(decode("Cafe\u{301}".as_bytes()).as_deref(), Ok("Café"));
    }
}
