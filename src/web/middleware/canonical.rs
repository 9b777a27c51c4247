//! One address per page: a path with a trailing slash redirects (308) to
//! the path without it, on every route. The query string goes along.
//! Article ids are left to their routes, which redirect a trailing slash
//! and a case variant in one step (and know a 404 from a 410).

use axum::http::{HeaderValue, Uri, header};
use axum::response::{IntoResponse, Redirect, Response};

use crate::web::page_cache::conditional::PAGE_CACHE_CONTROL;
use crate::web::{Site, urls};

/// The redirect for `uri` (its path below the prefix) when its path ends
/// with a slash and is not the site root.
pub(crate) fn trailing_slash_redirect(site: &Site, uri: &Uri) -> Option<Response> {
    let path = uri.path();
    if path == "/" || !path.ends_with('/') || names_an_article(path) {
        return None;
    }
    // Leading slashes go too: `//example.org/` must not become a
    // protocol-relative `Location`.
    let canonical = path.trim_matches('/');
    let mut location = String::with_capacity(site.base_path.len() + path.len() + 1);
    location.push_str(&site.base_path);
    location.push_str(canonical);
    if let Some(query) = uri.query() {
        location.push('?');
        location.push_str(query);
    }
    let mut response = Redirect::permanent(&location).into_response();
    // As long as a page: what the shorter path names can change with a reload.
    response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static(PAGE_CACHE_CONTROL));
    Some(response)
}

/// Whether `path` has an article id for the page or API route of articles.
fn names_an_article(path: &str) -> bool {
    let routed = path.trim_start_matches('/');
    urls::ARTICLE.capture_in(routed).or_else(|| urls::API_ARTICLE.capture_in(routed)).is_some_and(|id| id != "/")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn location(base: &str, uri: &str) -> Option<String> {
        let site = Site::new("Test".to_owned(), base);
        let response = trailing_slash_redirect(&site, &uri.parse().unwrap_or_default())?;
        response.headers().get(header::LOCATION)?.to_str().ok().map(str::to_owned)
    }

    #[test]
    fn a_trailing_slash_redirects_below_the_prefix_with_the_query() {
        assert_eq!(location("/", "/sections/"), Some("/sections".to_owned()));
        assert_eq!(location("/news/", "/tags/x/?page=2"), Some("/news/tags/x?page=2".to_owned()));
        assert_eq!(location("/", "//evil.example/"), Some("/evil.example".to_owned()));
        assert_eq!(location("/", "/"), None);
        assert_eq!(location("/", "/sections"), None);
    }
}
