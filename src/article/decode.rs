//! Turning a file's raw bytes into text, or saying why they are not text.

use thiserror::Error;

/// Why a file's bytes could not be read as an article's text.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum DecodeError {
    #[error("the file is empty; write an article into it or delete it")]
    Empty,
    #[error("the file looks binary ({0}), not like article text; is it in the wrong folder?")]
    Binary(&'static str),
}

/// Decodes a file's bytes: strips a UTF-8 byte-order mark, rejects empty and
/// binary files, and falls back to a lossy conversion for invalid UTF-8 so a
/// stray byte never costs a whole article.
pub fn decode(bytes: &[u8]) -> Result<String, DecodeError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let bytes = trim_trailing_nuls(bytes);
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(DecodeError::Empty);
    }
    if let Some(kind) = binary_kind(bytes) {
        return Err(DecodeError::Binary(kind));
    }
    Ok(match std::str::from_utf8(bytes) {
        Ok(text) => text.to_owned(),
        Err(_) => String::from_utf8_lossy(bytes).into_owned(),
    })
}

/// Recognises binary content: a known file signature, or NUL and other control
/// bytes making up a noticeable share of the file. A couple of trailing NULs
/// (seen in real corpora) do not make a text file binary.
fn binary_kind(bytes: &[u8]) -> Option<&'static str> {
    const SIGNATURES: &[(&[u8], &str)] = &[
        (b"\x89PNG", "PNG image"),
        (b"\xFF\xD8\xFF", "JPEG image"),
        (b"GIF8", "GIF image"),
        (b"%PDF", "PDF document"),
        (b"PK\x03\x04", "ZIP archive"),
        (b"\x1F\x8B", "gzip archive"),
        (b"\x7FELF", "executable"),
    ];
    if let Some((_, kind)) = SIGNATURES.iter().find(|(magic, _)| bytes.starts_with(magic)) {
        return Some(kind);
    }
    let sample = &bytes[..bytes.len().min(8192)];
    let nuls = sample.iter().filter(|&&byte| byte == 0).count();
    let controls = sample.iter().filter(|&&byte| byte < 0x20 && !matches!(byte, b'\n' | b'\r' | b'\t' | 0x0C)).count();
    if nuls > 0 || controls * 10 > sample.len() {
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
    fn strips_the_byte_order_mark() {
        assert_eq!(decode(b"\xEF\xBB\xBFTitle\n").as_deref(), Ok("Title\n"));
    }

    #[test]
    fn reports_empty_and_blank_files() {
        assert_eq!(decode(b""), Err(DecodeError::Empty));
        assert_eq!(decode(b" \r\n\n"), Err(DecodeError::Empty));
    }

    #[test]
    fn reports_binary_files() {
        assert!(matches!(decode(b"\x89PNG\r\n\x1a\n\0\0"), Err(DecodeError::Binary(_))));
        assert!(matches!(decode(b"abc\0\0def\0ghi"), Err(DecodeError::Binary(_))));
    }

    #[test]
    fn tolerates_trailing_nuls_and_invalid_utf8() {
        assert_eq!(decode(b"Title\n\nBody\0\0").as_deref(), Ok("Title\n\nBody"));
        assert_eq!(decode(b"caf\xE9").as_deref(), Ok("caf\u{FFFD}"));
    }
}
