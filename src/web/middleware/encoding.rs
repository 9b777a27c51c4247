//! Content codings: choosing one from `Accept-Encoding`, and producing it.
//!
//! Pages are compressed once per coding at a fast [`Quality`], off the
//! request threads, and again at the best one once a page proves popular;
//! the result is kept with the page (see
//! [`crate::web::page_cache::RenderedPage`] and
//! [`crate::web::page_cache::compress`]). Nothing here runs per request
//! except [`Encoding::negotiate`], which allocates nothing.

use std::io::Write;

use axum::http::{HeaderMap, HeaderValue, header};

/// Bodies smaller than this are not worth compressing: headers and framing
/// make the compressed answer as large or larger.
pub(crate) const MIN_COMPRESS_BYTES: usize = 256;

/// How hard to compress.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Quality {
    /// For a page's first compressed copy: brotli 4 and gzip 4 cost about
    /// a tenth of the best levels and keep most of the saving.
    Fast,
    /// For a popular page, made in the background: brotli 9, gzip 9.
    Best,
}

/// A content coding this server produces.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Identity,
    Gzip,
    Brotli,
}

impl Encoding {
    /// The coding to send for `Accept-Encoding` (RFC 9110 §12.5.3), or
    /// `None` when the client accepts none of ours, identity included.
    ///
    /// The highest q-value wins among brotli, gzip and identity; on a tie
    /// brotli, then gzip, then identity. `*` stands for every coding not
    /// listed by name; identity is acceptable unless refused by name or by
    /// `*;q=0` without being named, and comes last unless named or covered
    /// by `*`. No header at all means identity.
    pub fn negotiate(headers: &HeaderMap) -> Option<Self> {
        let mut values = headers.get_all(header::ACCEPT_ENCODING).iter().peekable();
        if values.peek().is_none() {
            return Some(Self::Identity);
        }
        let mut listed = Listed::default();
        for item in values.flat_map(|value| value.to_str().unwrap_or("").split(',')) {
            listed.add(item);
        }
        let quality = |named: Option<u16>, default: u16| named.or(listed.any).unwrap_or(default);
        // In order of preference on a tie. Identity not listed is
        // acceptable, but the last choice.
        let candidates = [
            (Self::Brotli, quality(listed.brotli, 0)),
            (Self::Gzip, quality(listed.gzip, 0)),
            (Self::Identity, quality(listed.identity, 1)),
        ];
        let (best, best_quality) =
            candidates.into_iter().fold((Self::Identity, 0), |best, next| if next.1 > best.1 { next } else { best });
        (best_quality > 0).then_some(best)
    }

    /// [`Self::negotiate`], with identity when nothing is acceptable: the
    /// server then disregards the header (RFC 9110 §12.1) instead of
    /// answering 406.
    pub fn negotiate_or_identity(headers: &HeaderMap) -> Self {
        Self::negotiate(headers).unwrap_or(Self::Identity)
    }

    /// The `Accept-Encoding` that asks for exactly `choice` (as
    /// [`Self::negotiate`] made it) and nothing else: given to the
    /// compression layer, so that it and the page cache never disagree.
    pub fn as_accept_encoding(choice: Option<Self>) -> HeaderValue {
        HeaderValue::from_static(match choice {
            Some(encoding) => encoding.token().unwrap_or("identity"),
            None => "identity;q=0",
        })
    }

    /// The `Content-Encoding` token, `None` for identity.
    pub fn token(self) -> Option<&'static str> {
        match self {
            Self::Identity => None,
            Self::Gzip => Some("gzip"),
            Self::Brotli => Some("br"),
        }
    }

    /// The body in this coding, at `quality`.
    /// The output holds no spare capacity: cached pages keep it for as long
    /// as they live, and the cache weighs them by length.
    pub fn compress(self, bytes: &[u8], quality: Quality) -> Vec<u8> {
        let mut out = match self {
            Self::Identity => bytes.to_vec(),
            Self::Gzip => gzip(bytes, if quality == Quality::Best { 9 } else { 4 }),
            Self::Brotli => brotli(bytes, if quality == Quality::Best { 9 } else { 4 }),
        };
        out.shrink_to_fit();
        out
    }
}

/// The q-values (in thousandths) an `Accept-Encoding` gives the codings
/// that matter here; the first mention of a coding counts.
#[derive(Debug, Default)]
struct Listed {
    brotli: Option<u16>,
    gzip: Option<u16>,
    identity: Option<u16>,
    any: Option<u16>,
}

impl Listed {
    /// Notes one list item, `gzip;q=0.5`; an item with a malformed q-value
    /// is ignored, as if it were not there.
    fn add(&mut self, item: &str) {
        let mut parts = item.split(';');
        let name = parts.next().unwrap_or("").trim();
        let mut quality = 1000;
        for param in parts {
            let Some((key, value)) = param.split_once('=') else { continue };
            if key.trim().eq_ignore_ascii_case("q") {
                let Some(parsed) = parse_quality(value.trim()) else { return };
                quality = parsed;
            }
        }
        let slot = if name.eq_ignore_ascii_case("br") {
            &mut self.brotli
        } else if name.eq_ignore_ascii_case("gzip") || name.eq_ignore_ascii_case("x-gzip") {
            &mut self.gzip
        } else if name.eq_ignore_ascii_case("identity") {
            &mut self.identity
        } else if name == "*" {
            &mut self.any
        } else {
            return;
        };
        slot.get_or_insert(quality);
    }
}

/// A q-value (`0`, `0.5`, `1.000`; RFC 9110 §12.4.2) in thousandths.
fn parse_quality(text: &str) -> Option<u16> {
    let (whole, fraction) = text.split_once('.').unwrap_or((text, ""));
    if fraction.len() > 3 || !fraction.bytes().all(|byte| byte.is_ascii_digit()) {
        return None;
    }
    let thousandths =
        fraction.bytes().zip([100, 10, 1]).map(|(digit, unit)| u16::from(digit - b'0') * unit).sum::<u16>();
    match whole {
        "0" => Some(thousandths),
        "1" if thousandths == 0 => Some(1000),
        _ => None,
    }
}

/// Whether a body of `length` bytes and this `Content-Type` gains from
/// compression (text, JSON, XML, JavaScript).
pub(crate) fn is_compressible(content_type: &str, length: usize) -> bool {
    length >= MIN_COMPRESS_BYTES
        && (content_type.starts_with("text/")
            || content_type.contains("json")
            || content_type.contains("xml")
            || content_type.starts_with("application/javascript"))
}

fn gzip(bytes: &[u8], level: u32) -> Vec<u8> {
    // A fixed header (no file name, mtime 0) keeps the output identical on
    // every replica.
    let mut encoder =
        flate2::write::GzEncoder::new(Vec::with_capacity(bytes.len() / 3), flate2::Compression::new(level));
    // Writing into a Vec cannot fail.
    let _ = encoder.write_all(bytes);
    encoder.finish().unwrap_or_default()
}

fn brotli(bytes: &[u8], quality: i32) -> Vec<u8> {
    let params = brotli::enc::BrotliEncoderParams { quality, lgwin: 22, size_hint: bytes.len(), ..Default::default() };
    let mut out = Vec::with_capacity(bytes.len() / 4);
    let _ = brotli::BrotliCompress(&mut &bytes[..], &mut out, &params);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn negotiate(accept: &[&'static str]) -> Option<Encoding> {
        let mut headers = HeaderMap::new();
        for value in accept {
            headers.append(header::ACCEPT_ENCODING, HeaderValue::from_static(value));
        }
        Encoding::negotiate(&headers)
    }

    #[test]
    fn negotiation_prefers_brotli_and_honours_zero_quality() {
        let cases = [
            ("gzip, deflate, br", Some(Encoding::Brotli)),
            ("gzip", Some(Encoding::Gzip)),
            ("GZip", Some(Encoding::Gzip)),
            ("x-gzip", Some(Encoding::Gzip)),
            ("br;q=0, gzip;q=0.5", Some(Encoding::Gzip)),
            ("identity", Some(Encoding::Identity)),
            ("deflate", Some(Encoding::Identity)),
            ("", Some(Encoding::Identity)),
            ("*", Some(Encoding::Brotli)),
            ("*;q=0", None),
            ("identity, *;q=0", Some(Encoding::Identity)),
            ("identity;q=0, *;q=0", None),
            ("identity;q=0", None),
            ("identity;q=0, gzip", Some(Encoding::Gzip)),
        ];
        for (accept, expected) in cases {
            assert_eq!(negotiate(&[accept]), expected, "{accept}");
        }
        assert_eq!(Encoding::negotiate(&HeaderMap::new()), Some(Encoding::Identity));
    }

    #[test]
    fn a_wildcard_covers_only_the_codings_not_listed() {
        assert_eq!(negotiate(&["gzip;q=0, br;q=0, *"]), Some(Encoding::Identity));
        assert_eq!(negotiate(&["br;q=0, *"]), Some(Encoding::Gzip));
        assert_eq!(negotiate(&["*;q=0.2, gzip;q=0.5"]), Some(Encoding::Gzip));
        assert_eq!(negotiate(&["*, identity;q=0"]), Some(Encoding::Brotli));
    }

    #[test]
    fn the_q_parameter_is_case_insensitive_and_may_have_spaces() {
        assert_eq!(negotiate(&["br;Q=0, gzip"]), Some(Encoding::Gzip));
        assert_eq!(negotiate(&["br ; q = 0 , gzip"]), Some(Encoding::Gzip));
    }

    #[test]
    fn the_highest_q_value_wins_and_ties_prefer_brotli_then_gzip() {
        let cases = [
            ("gzip;q=1.0, br;q=0.1", Some(Encoding::Gzip)),
            ("gzip;q=0.5, br;q=0.5", Some(Encoding::Brotli)),
            ("identity;q=1, gzip;q=0.9", Some(Encoding::Identity)),
            ("identity, gzip", Some(Encoding::Gzip)),
            ("gzip;q=0.001", Some(Encoding::Gzip)),
            ("gzip;q=0.000", Some(Encoding::Identity)),
        ];
        for (accept, expected) in cases {
            assert_eq!(negotiate(&[accept]), expected, "{accept}");
        }
    }

    #[test]
    fn malformed_q_values_drop_their_item_and_lines_are_one_list() {
        assert_eq!(negotiate(&["br;q=2, gzip"]), Some(Encoding::Gzip));
        assert_eq!(negotiate(&["br;q=0.5000, gzip"]), Some(Encoding::Gzip));
        assert_eq!(negotiate(&["br;q=abc"]), Some(Encoding::Identity));
        assert_eq!(negotiate(&["gzip;q=0.4", "br;q=0.6"]), Some(Encoding::Brotli));
    }

    #[test]
    fn the_choice_as_a_header_negotiates_to_itself() {
        for choice in [Some(Encoding::Brotli), Some(Encoding::Gzip), Some(Encoding::Identity), None] {
            let value = Encoding::as_accept_encoding(choice);
            let mut headers = HeaderMap::new();
            headers.insert(header::ACCEPT_ENCODING, value);
            assert_eq!(Encoding::negotiate(&headers), choice);
        }
    }
}
