//! Every path the site serves, in one place: the route patterns the route
//! table mounts, and the functions that write links to them.
//!
//! A link is its route's pattern with the captures filled in
//! ([`Route::url`]), so a route and the links to it cannot drift apart.
//! Links start with the site's prefix (`--base-url`, or a trusted proxy's),
//! which [`Site`] owns; the few that must be absolute (feeds, sitemaps,
//! canonical links) start with its public origin too when it is known.

use super::Site;
use super::site::push_encoded_path;
use crate::article::{Article, ArticleId};
use crate::library::ListKey;

/// A route pattern of the route table (`/sections/{slug}`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Route(&'static str);

/// The two feeds of one page: Atom (`….xml`) and JSON Feed (`….json`).
#[derive(Debug, Clone, Copy)]
pub(crate) struct FeedRoutes {
    pub(crate) atom: Route,
    pub(crate) json: Route,
}

// Pages.
pub(crate) const HOME: Route = Route("/");
pub(crate) const ARTICLE: Route = Route("/articles/{*id}");
pub(crate) const SECTIONS: Route = Route("/sections");
pub(crate) const SECTION: Route = Route("/sections/{slug}");
pub(crate) const SOURCES: Route = Route("/sources");
pub(crate) const SOURCE: Route = Route("/sources/{slug}");
pub(crate) const TAGS: Route = Route("/tags");
pub(crate) const TAG: Route = Route("/tags/{slug}");
pub(crate) const ARCHIVE: Route = Route("/archive");
pub(crate) const UNDATED: Route = Route("/archive/undated");
pub(crate) const YEAR: Route = Route("/archive/{year}");
pub(crate) const MONTH: Route = Route("/archive/{year}/{month}");
pub(crate) const SEARCH: Route = Route("/search");
pub(crate) const PROBLEMS: Route = Route("/problems");
pub(crate) const DEPLOYMENT: Route = Route("/about/deployment");

// Feeds.
pub(crate) const SITE_FEEDS: FeedRoutes = FeedRoutes { atom: Route("/feed.xml"), json: Route("/feed.json") };
pub(crate) const SECTION_FEEDS: FeedRoutes =
    FeedRoutes { atom: Route("/sections/{slug}/feed.xml"), json: Route("/sections/{slug}/feed.json") };
pub(crate) const SOURCE_FEEDS: FeedRoutes =
    FeedRoutes { atom: Route("/sources/{slug}/feed.xml"), json: Route("/sources/{slug}/feed.json") };
pub(crate) const TAG_FEEDS: FeedRoutes =
    FeedRoutes { atom: Route("/tags/{slug}/feed.xml"), json: Route("/tags/{slug}/feed.json") };
pub(crate) const SEARCH_FEEDS: FeedRoutes =
    FeedRoutes { atom: Route("/search/feed.xml"), json: Route("/search/feed.json") };

// For machines: the API, health, search engines, assets.
/// Where every API route lives, so `robots.txt` can keep crawlers out.
pub(crate) const API_FOLDER: &str = "api/";
pub(crate) const API_ARTICLES: Route = Route("/api/articles");
pub(crate) const API_ARTICLE: Route = Route("/api/articles/{*id}");
pub(crate) const API_SEARCH: Route = Route("/api/search");
pub(crate) const HEALTH: Route = Route("/healthz");
pub(crate) const READY: Route = Route("/readyz");
pub(crate) const METRICS: Route = Route("/metrics");
pub(crate) const SITEMAP: Route = Route("/sitemap.xml");
pub(crate) const SITEMAP_PART: Route = Route("/sitemaps/{file}");
pub(crate) const ROBOTS: Route = Route("/robots.txt");
pub(crate) const OPENSEARCH: Route = Route("/opensearch.xml");
pub(crate) const STATIC: Route = Route("/static/{file}");
pub(crate) const FAVICON: Route = Route("/favicon.ico");
/// Image files of the articles directory, and of `--media-root`.
pub(crate) const MEDIA: Route = Route("/media/{*path}");
pub(crate) const SITE_MEDIA: Route = Route("/site-media/{*path}");

impl Route {
    /// The pattern, as the route table mounts it and `/metrics` labels it.
    pub(crate) const fn pattern(self) -> &'static str {
        self.0
    }

    /// The path below the site root (no leading `/`), each capture filled
    /// in order from `values`, percent-encoded.
    pub(crate) fn path(self, values: &[&str]) -> String {
        self.url_below("", "", values)
    }

    /// The link on `site`: its prefix, then the path.
    pub(crate) fn url(self, site: &Site, values: &[&str]) -> String {
        self.url_below("", &site.base_path, values)
    }

    /// The link on `site`, absolute when its public origin is known.
    pub(crate) fn absolute(self, site: &Site, values: &[&str]) -> String {
        self.url_below(site.public_origin.as_deref().unwrap_or(""), &site.base_path, values)
    }

    /// `origin`, `base_path`, then the path, in one allocation: article
    /// pages write several of these on every request.
    pub(crate) fn url_below(self, origin: &str, base_path: &str, values: &[&str]) -> String {
        let filled: usize = values.iter().map(|value| value.len()).sum();
        let mut url = String::with_capacity(origin.len() + base_path.len() + self.0.len() + filled);
        url.push_str(origin);
        url.push_str(base_path);
        let mut values = values.iter();
        let mut rest = self.0.strip_prefix('/').unwrap_or(self.0);
        while let Some(open) = rest.find('{') {
            url.push_str(&rest[..open]);
            if let Some(value) = values.next() {
                push_encoded_path(&mut url, value);
            }
            rest = rest[open..].find('}').map_or("", |close| &rest[open + close + 1..]);
        }
        url.push_str(rest);
        url
    }

    /// Whether `path` (below the site root, no leading `/`) has this
    /// route's shape: a `{capture}` matches one non-empty segment, a
    /// `{*capture}` the non-empty rest.
    pub(crate) fn matches(self, path: &str) -> bool {
        let mut pattern = self.0.trim_start_matches('/').split('/');
        let mut segments = path.split('/');
        loop {
            match (pattern.next(), segments.next()) {
                (None, None) => return true,
                (Some(wild), Some(segment)) if wild.starts_with("{*") => return !segment.is_empty(),
                (Some(capture), Some(segment)) if capture.starts_with('{') && !segment.is_empty() => {}
                (Some(fixed), Some(segment)) if fixed == segment => {}
                _ => return false,
            }
        }
    }

    /// What a URL path below the site root (no leading `/`) captures in
    /// this route's one trailing capture (`articles/a/b` → `a/b`), before
    /// percent-decoding; the fast path reads article ids with it.
    pub(crate) fn capture_in(self, routed: &str) -> Option<&str> {
        let (prefix, capture) = self.0.strip_prefix('/')?.split_once('{')?;
        capture.ends_with('}').then_some(())?;
        routed.strip_prefix(prefix).filter(|value| !value.is_empty())
    }
}

/// The parameters of a search, on its page, its feeds and the API.
const SEARCH_PARAMETERS: &[&str] = &["q", "section", "source", "from", "to", "sort", "page"];

/// Every paginated list, HTML or JSON: they read `page` alone.
const PAGINATED: &[Route] = &[HOME, SECTIONS, SECTION, SOURCES, SOURCE, TAGS, TAG, UNDATED, YEAR, MONTH, API_ARTICLES];

/// The query parameters the handler of `path` (below the site root, no
/// leading `/`) reads; any other parameter cannot change its answer, so
/// the page cache leaves them out of its key (`?utm_source=…` is the page
/// without it). Keep this in step with the handlers' extractors.
pub(crate) fn query_parameters(path: &str) -> &'static [&'static str] {
    let search = [SEARCH, API_SEARCH, SEARCH_FEEDS.atom, SEARCH_FEEDS.json];
    if search.iter().any(|route| route.matches(path)) {
        SEARCH_PARAMETERS
    } else if PAGINATED.iter().any(|route| route.matches(path)) {
        &["page"]
    } else if ARTICLE.matches(path) {
        &["from"]
    } else if MEDIA.matches(path) || SITE_MEDIA.matches(path) {
        &["w"]
    } else {
        &[]
    }
}

/// The page of an article.
pub(crate) fn article(site: &Site, id: &ArticleId) -> String {
    ARTICLE.url(site, &[id.as_str()])
}

/// The page of an article below `origin` (`https://example.org`), or
/// host-relative without one.
pub(crate) fn article_at(site: &Site, origin: Option<&str>, id: &ArticleId) -> String {
    ARTICLE.url_below(origin.unwrap_or(""), &site.base_path, &[id.as_str()])
}

/// The canonical URL of an article page: absolute when the origin is known.
pub(crate) fn canonical_article(site: &Site, id: &ArticleId) -> String {
    article_at(site, site.public_origin.as_deref(), id)
}

/// The article's page read in the list `key`: `?from=` keeps its
/// newer/older links within that list.
pub(crate) fn article_in(site: &Site, article: &Article, key: &ListKey) -> String {
    let url = self::article(site, &article.id);
    if *key == ListKey::All { url } else { format!("{url}?from={key}") }
}

/// The API's answer for an article.
pub(crate) fn api_article(site: &Site, id: &ArticleId) -> String {
    API_ARTICLE.url(site, &[id.as_str()])
}

/// The page of the list `key`.
pub(crate) fn list(site: &Site, key: &ListKey) -> String {
    match key {
        ListKey::All => HOME.url(site, &[]),
        ListKey::Section(slug) => SECTION.url(site, &[slug]),
        ListKey::Source(slug) => SOURCE.url(site, &[slug]),
        ListKey::Tag(slug) => TAG.url(site, &[slug]),
        ListKey::Year(year) => YEAR.url(site, &[&format!("{year:04}")]),
        ListKey::Month(year, month) => MONTH.url(site, &[&format!("{year:04}"), &format!("{month:02}")]),
        ListKey::Undated => UNDATED.url(site, &[]),
    }
}

/// The page and the feeds of the list `key` as paths below the site root,
/// for the lists that have feeds (sections, sources, tags).
pub(crate) fn list_with_feeds(key: &ListKey) -> Option<(String, [String; 2])> {
    let (page, feeds, slug) = match key {
        ListKey::Section(slug) => (SECTION, SECTION_FEEDS, slug),
        ListKey::Source(slug) => (SOURCE, SOURCE_FEEDS, slug),
        ListKey::Tag(slug) => (TAG, TAG_FEEDS, slug),
        _ => return None,
    };
    Some((page.path(&[slug]), [feeds.atom.path(&[slug]), feeds.json.path(&[slug])]))
}

/// The search page with `query` (already encoded), or the bare form.
pub(crate) fn search(site: &Site, query: &str) -> String {
    with_query(SEARCH.url(site, &[]), Some(query).filter(|query| !query.is_empty()))
}

/// The search page with the list `key`'s filter set, where search has one.
pub(crate) fn search_within(site: &Site, key: &ListKey) -> Option<String> {
    let query = match key {
        ListKey::Section(slug) => format!("section={slug}"),
        ListKey::Source(slug) => format!("source={slug}"),
        ListKey::Year(year) => format!("from={year:04}-01-01&to={year:04}-12-31"),
        ListKey::Month(year, month) => {
            let first = jiff::civil::Date::new(*year, *month, 1).ok()?;
            format!("from={first}&to={}", first.last_of_month())
        }
        ListKey::All | ListKey::Tag(_) | ListKey::Undated => return None,
    };
    Some(search(site, &query))
}

/// `url?query`, or `url` without a query.
pub(crate) fn with_query(url: String, query: Option<&str>) -> String {
    match query {
        Some(query) => format!("{url}?{query}"),
        None => url,
    }
}

/// The links every page's layout gives (the navigation, the site's feeds),
/// written once per [`Site`] rather than by each template.
#[derive(Debug, Clone)]
pub struct SiteLinks {
    pub home: String,
    pub sections: String,
    pub sources: String,
    pub archive: String,
    pub undated: String,
    pub search: String,
    pub atom_feed: String,
    pub json_feed: String,
    pub opensearch: String,
}

impl SiteLinks {
    /// The links of a site served below `base_path`.
    pub(crate) fn new(base_path: &str) -> Self {
        let link = |route: Route| route.url_below("", base_path, &[]);
        Self {
            home: link(HOME),
            sections: link(SECTIONS),
            sources: link(SOURCES),
            archive: link(ARCHIVE),
            undated: link(UNDATED),
            search: link(SEARCH),
            atom_feed: link(SITE_FEEDS.atom),
            json_feed: link(SITE_FEEDS.json),
            opensearch: link(OPENSEARCH),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_fill_the_captures_of_their_route() {
        let site = Site::new("t", "/news");
        assert_eq!(SECTION.url(&site, &["world-news"]), "/news/sections/world-news");
        assert_eq!(MONTH.url(&site, &["2024", "03"]), "/news/archive/2024/03");
        assert_eq!(TAG_FEEDS.json.path(&["rust"]), "tags/rust/feed.json");
        assert_eq!(HOME.url(&site, &[]), "/news/");
        assert_eq!(list(&site, &ListKey::Month(2024, 3)), "/news/archive/2024/03");
        assert_eq!(list(&site, &ListKey::Tag("rust".into())), "/news/tags/rust");
    }

    #[test]
    fn article_urls_encode_spaces_but_keep_folders() {
        let site = Site::new("t", "/news");
        let id = ArticleId::new("News Articles/business/001");
        assert_eq!(article(&site, &id), "/news/articles/News%20Articles/business/001");
    }

    #[test]
    fn each_route_reads_its_own_query_parameters() {
        assert_eq!(query_parameters(""), ["page"]);
        assert_eq!(query_parameters("sections/business"), ["page"]);
        assert_eq!(query_parameters("archive/2024/03"), ["page"]);
        assert_eq!(query_parameters("api/articles"), ["page"]);
        assert_eq!(query_parameters("articles/a/b"), ["from"]);
        assert_eq!(query_parameters("search/feed.xml"), SEARCH_PARAMETERS);
        assert!(query_parameters("feed.xml").is_empty());
        assert!(query_parameters("sections/business/feed.xml").is_empty());
        assert!(query_parameters("api/articles/a").is_empty());
        assert!(query_parameters("healthz").is_empty());
    }

    #[test]
    fn a_full_base_url_gives_absolute_canonical_urls() {
        let site = Site::new("t", "https://Example.org/news");
        let id = ArticleId::new("000_3ea0f84f1e61d9e9");
        assert_eq!(canonical_article(&site, &id), "https://example.org/news/articles/000_3ea0f84f1e61d9e9");
        assert_eq!(article(&site, &id), "/news/articles/000_3ea0f84f1e61d9e9");
        assert_eq!(SITEMAP_PART.absolute(&site, &["3.xml"]), "https://example.org/news/sitemaps/3.xml");
    }

    #[test]
    fn without_an_origin_canonical_urls_are_host_relative() {
        let site = Site::new("t", "/");
        assert_eq!(canonical_article(&site, &ArticleId::new("a")), "/articles/a");
    }

    #[test]
    fn the_article_id_is_what_the_route_captures() {
        assert_eq!(ARTICLE.capture_in("articles/a/b_1"), Some("a/b_1"));
        assert_eq!(ARTICLE.capture_in("articles/"), None);
        assert_eq!(ARTICLE.capture_in("article/a"), None);
        assert_eq!(SECTIONS.capture_in("sections"), None, "a route without a capture captures nothing");
    }

    #[test]
    fn every_api_route_is_in_the_api_folder() {
        for route in [API_ARTICLES, API_ARTICLE, API_SEARCH] {
            assert!(route.pattern().strip_prefix('/').is_some_and(|path| path.starts_with(API_FOLDER)), "{route:?}");
        }
    }
}
