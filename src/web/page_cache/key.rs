//! The page cache's key of a request: the snapshot, the site, the host when
//! links are built from it, the path, and only the query parameters its
//! route reads ([`urls::query_parameters`]). A query string the page does
//! not read (`?utm_source=…`, or a random one sent to bust the cache) is
//! the same page, so it is answered from the same entry rather than
//! rendered and compressed again. (Redirecting such URLs to the clean one
//! would cost every tracking link a round trip, and the page's canonical
//! link already names the clean URL.)

use std::borrow::Cow;
use std::sync::Arc;

use axum::extract::Request;
use axum::http::{HeaderMap, Uri, header};

use super::PageCache;
use crate::web::middleware::proxy::{self, RoutedPath};
use crate::web::{AppState, Site, urls};

/// The key of a request as the stack sees it (the prefix already stripped).
pub(super) fn cache_key(state: &AppState, request: &Request) -> u128 {
    let fallback;
    let site = match request.extensions().get::<Arc<Site>>() {
        Some(site) => site.as_ref(),
        None => {
            fallback = state.site.clone();
            fallback.as_ref()
        }
    };
    let uri = request.uri();
    let host = host_for_key(site, uri, request.headers());
    let routed = uri.path().strip_prefix('/').unwrap_or(uri.path());
    key_of(state.library.load().generation(), site, host, [uri.path(), ""], routed, uri.query())
}

/// The host part of a cache key: the same sources, in the same order, as
/// `site::request_host`; nothing when the site has a public origin.
fn host_for_key<'a>(site: &Site, uri: &'a Uri, headers: &'a HeaderMap) -> &'a [u8] {
    match (&site.public_origin, uri.authority()) {
        (Some(_), _) => &b""[..],
        (None, Some(authority)) => authority.as_str().as_bytes(),
        (None, None) => headers.get(header::HOST).map_or(&b""[..], |value| value.as_bytes()),
    }
}

/// The key under which the stack stores the page for `uri` (and `headers`)
/// as `site` sees it, computed before the prefix is stripped (as
/// [`super::conditional_get`] sees the URI after); `None` for the bare
/// prefix, which redirects.
pub(crate) fn key_for_uri(generation: u64, site: &Site, uri: &Uri, headers: &HeaderMap) -> Option<u128> {
    let host = host_for_key(site, uri, headers);
    Some(match proxy::routed_path(uri, &site.base_path)? {
        RoutedPath::Unchanged => {
            let routed = uri.path().strip_prefix('/').unwrap_or(uri.path());
            key_of(generation, site, host, [uri.path(), ""], routed, uri.query())
        }
        RoutedPath::Stripped([slash, rest, _, _]) => key_of(generation, site, host, [slash, rest], rest, uri.query()),
    })
}

/// The key of `path` (in two pieces, joined by the hash) and the parameters
/// of `query` that the route at `routed` (the path below the site root)
/// reads.
fn key_of(generation: u64, site: &Site, host: &[u8], path: [&str; 2], routed: &str, query: Option<&str>) -> u128 {
    let kept = query.map(|query| kept_query(routed, query)).filter(|kept| !kept.is_empty());
    match &kept {
        Some(kept) => PageCache::key(generation, site, host, &[path[0], path[1], "?", kept]),
        None => PageCache::key(generation, site, host, &path),
    }
}

/// The pairs of `query` whose decoded name the route at `routed` reads, in
/// their order and spelling; borrowed when that is all of them. Names are
/// compared decoded (`p%61ge` is `page` to the handler), or a page could be
/// stored under another page's key.
fn kept_query<'a>(routed: &str, query: &'a str) -> Cow<'a, str> {
    let names = urls::query_parameters(routed);
    let read = |pair: &&str| {
        let name = form_urlencoded::parse(pair.as_bytes()).next().map(|(name, _)| name);
        name.is_some_and(|name| names.contains(&name.as_ref()))
    };
    if query.split('&').all(|pair| read(&pair)) {
        return Cow::Borrowed(query);
    }
    Cow::Owned(query.split('&').filter(read).collect::<Vec<_>>().join("&"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(uri: &'static str) -> Option<u128> {
        key_for_uri(1, &Site::new("Test", "/news/"), &Uri::from_static(uri), &HeaderMap::new())
    }

    #[test]
    fn parameters_a_page_does_not_read_are_not_part_of_its_key() {
        assert_eq!(key("/news/feed.xml?utm_source=x"), key("/news/feed.xml"));
        assert_eq!(key("/news/feed.xml?"), key("/news/feed.xml"));
        assert_eq!(key("/news/?utm=1&page=2"), key("/news/?page=2"));
        assert_eq!(key("/news/search?q=a&ref=x"), key("/news/search?q=a"));
        assert_eq!(key("/news/articles/a?from=all&x=1"), key("/news/articles/a?from=all"));
        assert_eq!(key("/feed.xml?x=1"), key("/news/feed.xml"), "a proxy stripped the prefix");
    }

    #[test]
    fn parameters_a_page_reads_are_part_of_its_key_however_spelt() {
        assert_ne!(key("/news/?page=2"), key("/news/"));
        assert_ne!(key("/news/?p%61ge=2"), key("/news/"), "an encoded name is the name");
        assert_ne!(key("/news/?page=2&page=3"), key("/news/?page=2"));
        assert_ne!(key("/news/search?q=a"), key("/news/search?q=b"));
        assert_ne!(key("/news/articles/a?from=all"), key("/news/articles/a"));
    }

    #[test]
    fn kept_pairs_keep_their_order_and_spelling() {
        assert_eq!(kept_query("search", "utm=1&q=a+b&page=2"), "q=a+b&page=2");
        assert!(matches!(kept_query("search", "q=a"), Cow::Borrowed(_)));
    }
}
