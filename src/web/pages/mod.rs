//! HTML pages, one file per page or page family, and the query parameters
//! they share.

pub(crate) mod archive;
pub(crate) mod article;
pub(crate) mod browse;
pub(crate) mod deployment;
pub(crate) mod index;
pub(crate) mod problems;
pub(crate) mod search;
pub(crate) mod seo;

use std::borrow::Cow;

use axum::extract::FromRequestParts;
use axum::http::request::Parts;

use super::error::AppError;

/// The `?page=N` of every paginated list, HTML or JSON (1-based; other
/// parameters are ignored). The one rule for page numbers: digits without
/// a leading zero, 1 or more, given at most once; anything else is a 400
/// that says what a page number looks like (never a deserializer's words).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct PageNumber(pub usize);

impl<S: Send + Sync> FromRequestParts<S> for PageNumber {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, AppError> {
        let page = single_parameter(parts.uri.query(), "page")?;
        page.map_or(Ok(1), |page| parse_page(&page)).map(Self)
    }
}

/// The value of the parameter `name` in `query`, decoded; a 400 when it is
/// given more than once, since which one counts would be a guess.
pub(crate) fn single_parameter<'a>(query: Option<&'a str>, name: &str) -> Result<Option<Cow<'a, str>>, AppError> {
    let mut values = query_pairs(query).filter(|(key, _)| key == name).map(|(_, value)| value);
    let first = values.next();
    if values.next().is_some() {
        return Err(given_twice(name));
    }
    Ok(first)
}

/// The decoded `name=value` pairs of a query string.
pub(crate) fn query_pairs(query: Option<&str>) -> form_urlencoded::Parse<'_> {
    form_urlencoded::parse(query.unwrap_or("").as_bytes())
}

/// The 400 for a parameter given twice (`?q=a&q=b`).
pub(crate) fn given_twice(name: &str) -> AppError {
    AppError::BadRequest(format!("The parameter “{name}” is given more than once; give it once."))
}

/// A page number (see [`PageNumber`]).
pub(crate) fn parse_page(text: &str) -> Result<usize, AppError> {
    let digits = !text.is_empty() && text.bytes().all(|byte| byte.is_ascii_digit()) && !text.starts_with('0');
    digits.then(|| text.parse().ok()).flatten().ok_or_else(|| {
        let shown: String = text.chars().take(40).collect();
        AppError::BadRequest(format!(
            "“{shown}” is not a page number. Pages are numbered 1, 2, 3…: for example ?page=2, or no page for the first."
        ))
    })
}

/// The 404 for a page number past the end of a list.
pub(crate) fn no_such_page(page: usize) -> AppError {
    AppError::NotFound(format!("There is no page {page} in this list."))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_page_number_is_a_positive_integer_written_plainly() {
        for good in ["1", "2", "120"] {
            assert!(parse_page(good).is_ok(), "{good}");
        }
        for bad in ["", "0", "01", "+1", "-1", "1.0", "abc", " 1", "99999999999999999999999"] {
            assert!(parse_page(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn a_parameter_given_twice_is_refused() {
        assert!(single_parameter(Some("page=1&page=2"), "page").is_err());
        assert_eq!(single_parameter(Some("q=a&page=2"), "page").ok().flatten().as_deref(), Some("2"));
        assert_eq!(single_parameter(None, "page").ok().flatten(), None);
    }
}
