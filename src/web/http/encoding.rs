//! Content codings: choosing one from `Accept-Encoding`, and producing it.
//!
//! Pages are compressed once, when a client first asks for a coding, and the
//! result is kept with the page (see [`super::RenderedPage`]); nothing here
//! runs per request except [`Encoding::negotiate`], which allocates nothing.

use std::io::Write;

use axum::http::{HeaderMap, header};

/// Bodies smaller than this are not worth compressing.
const MIN_COMPRESS_BYTES: usize = 256;

/// A content coding this server produces.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Identity,
    Gzip,
    Brotli,
}

impl Encoding {
    /// The best coding `Accept-Encoding` allows: brotli, then gzip, then none.
    pub fn negotiate(headers: &HeaderMap) -> Self {
        let (mut brotli, mut gzip) = (false, false);
        for value in headers.get_all(header::ACCEPT_ENCODING) {
            for item in value.to_str().unwrap_or("").split(',') {
                let mut parts = item.split(';');
                let name = parts.next().unwrap_or("").trim();
                let refused = parts.any(|param| is_zero_quality(param.trim()));
                if name.eq_ignore_ascii_case("br") {
                    brotli = !refused;
                } else if name.eq_ignore_ascii_case("gzip") || name.eq_ignore_ascii_case("x-gzip") {
                    gzip = !refused;
                } else if name == "*" {
                    (brotli, gzip) = (brotli || !refused, gzip || !refused);
                }
            }
        }
        if brotli {
            Self::Brotli
        } else if gzip {
            Self::Gzip
        } else {
            Self::Identity
        }
    }

    /// The `Content-Encoding` token, `None` for identity.
    pub fn token(self) -> Option<&'static str> {
        match self {
            Self::Identity => None,
            Self::Gzip => Some("gzip"),
            Self::Brotli => Some("br"),
        }
    }

    /// The body in this coding.
    /// The output holds no spare capacity: cached pages keep it for as long
    /// as they live, and the cache weighs them by length.
    pub fn compress(self, bytes: &[u8]) -> Vec<u8> {
        let mut out = match self {
            Self::Identity => bytes.to_vec(),
            Self::Gzip => gzip(bytes),
            Self::Brotli => brotli(bytes),
        };
        out.shrink_to_fit();
        out
    }
}

fn is_zero_quality(param: &str) -> bool {
    param.strip_prefix("q=").and_then(|q| q.trim().parse::<f32>().ok()).is_some_and(|q| q <= 0.0)
}

/// Whether a body of `length` bytes and this `Content-Type` gains from
/// compression (text, JSON, XML, JavaScript).
pub fn is_compressible(content_type: &str, length: usize) -> bool {
    length >= MIN_COMPRESS_BYTES
        && (content_type.starts_with("text/")
            || content_type.contains("json")
            || content_type.contains("xml")
            || content_type.starts_with("application/javascript"))
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    // A fixed header (no file name, mtime 0) keeps the output identical on
    // every replica.
    let mut encoder = flate2::write::GzEncoder::new(Vec::with_capacity(bytes.len() / 3), flate2::Compression::best());
    // Writing into a Vec cannot fail.
    let _ = encoder.write_all(bytes);
    encoder.finish().unwrap_or_default()
}

fn brotli(bytes: &[u8]) -> Vec<u8> {
    let params =
        brotli::enc::BrotliEncoderParams { quality: 9, lgwin: 22, size_hint: bytes.len(), ..Default::default() };
    let mut out = Vec::with_capacity(bytes.len() / 4);
    let _ = brotli::BrotliCompress(&mut &bytes[..], &mut out, &params);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    #[test]
    fn negotiation_prefers_brotli_and_honours_zero_quality() {
        let cases = [
            ("gzip, deflate, br", Encoding::Brotli),
            ("gzip", Encoding::Gzip),
            ("GZip", Encoding::Gzip),
            ("br;q=0, gzip;q=0.5", Encoding::Gzip),
            ("identity", Encoding::Identity),
            ("*", Encoding::Brotli),
            ("*;q=0", Encoding::Identity),
        ];
        for (accept, expected) in cases {
            let mut headers = HeaderMap::new();
            headers.insert(header::ACCEPT_ENCODING, HeaderValue::from_static(accept));
            assert_eq!(Encoding::negotiate(&headers), expected, "{accept}");
        }
        assert_eq!(Encoding::negotiate(&HeaderMap::new()), Encoding::Identity);
    }
}
