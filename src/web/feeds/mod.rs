//! Atom 1.0 and JSON Feed 1.1 feeds of the latest articles.
//!
//! A feed is described once, format-free, as a [`Feed`]: what it is about
//! ([`FeedScope`]) and its entries with absolute URLs and display-ready
//! dates. [`atom`] and [`json`] only serialise it. Feed readers poll, so
//! feeds are ordinary `GET` responses that pass through the conditional-GET
//! middleware (ETag, `Last-Modified`, 304) like every page.

pub(crate) mod atom;
mod entry;
pub(crate) mod handlers;
pub(crate) mod json;

use std::sync::Arc;

use axum::http::{Uri, header};
use axum::response::{IntoResponse, Response};

pub(crate) use entry::{EntryTime, FeedEntry};
pub(crate) use handlers::{show_search_feed, show_section_feed, show_site_feed, show_source_feed, show_tag_feed};

use super::middleware::LastModified;
use super::{Site, urls};
use crate::article::Article;
use crate::library::media::MediaIndex;
use crate::library::{Library, ListKey};

/// Entries per feed: enough for a reader that polls a few times a day.
pub(crate) const FEED_ENTRIES: usize = 50;

/// `Content-Type` of Atom feeds.
pub(crate) const ATOM_CONTENT_TYPE: &str = "application/atom+xml; charset=utf-8";

/// `Content-Type` of JSON feeds.
pub(crate) const JSON_FEED_CONTENT_TYPE: &str = "application/feed+json; charset=utf-8";

/// The two formats every feed comes in, told apart by the URL's extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum FeedFormat {
    /// `….xml`: Atom 1.0.
    Atom,
    /// `….json`: JSON Feed 1.1.
    Json,
}

impl FeedFormat {
    /// The format a feed URL asks for (`/feed.xml`, `/sections/x/feed.json`).
    pub(crate) fn of(uri: &Uri) -> Self {
        if uri.path().ends_with(".json") { Self::Json } else { Self::Atom }
    }
}

/// What one feed is about and where it lives, as paths below the site root
/// (from [`urls`], which owns them).
#[derive(Debug, Clone)]
pub(crate) struct FeedScope {
    pub title: String,
    pub description: String,
    /// The HTML page the feed mirrors (`""` for the home page,
    /// `sections/world-news`).
    pub page_path: String,
    /// The Atom and the JSON feed (`feed.xml`, `sections/world-news/feed.json`).
    pub feed_paths: [String; 2],
    /// A query string both URLs carry (`q=…` for search), already encoded.
    pub query: Option<String>,
}

impl FeedScope {
    /// The feed of the whole site: `/feed.xml` and `/feed.json`.
    pub(crate) fn site(site: &Site) -> Self {
        Self {
            title: site.title.clone(),
            description: site.description.clone(),
            page_path: urls::HOME.path(&[]),
            feed_paths: paths(urls::SITE_FEEDS),
            query: None,
        }
    }

    /// The feed of a section, source or tag list (`sections/{slug}/feed.xml`);
    /// `None` for lists that have no feed (archive periods, the index).
    pub(crate) fn list(site: &Site, key: &ListKey, heading: &str) -> Option<Self> {
        let description = match key {
            ListKey::Section(_) => format!("The latest articles in {heading}."),
            ListKey::Source(_) => format!("The latest articles from {heading}."),
            ListKey::Tag(_) => format!("The latest articles tagged {heading}."),
            _ => return None,
        };
        let (page_path, feed_paths) = urls::list_with_feeds(key)?;
        Some(Self { title: format!("{heading} – {}", site.title), description, page_path, feed_paths, query: None })
    }

    /// The feed of a search: `search/feed.xml?q=…` with the same filters.
    pub(crate) fn search(site: &Site, words: &str, query_string: String) -> Self {
        let words = words.trim();
        Self {
            title: format!("Search: {words} – {}", site.title),
            description: format!("The latest articles matching “{words}”."),
            page_path: urls::SEARCH.path(&[]),
            feed_paths: paths(urls::SEARCH_FEEDS),
            query: Some(query_string),
        }
    }

    /// The absolute URL of the HTML page.
    pub(crate) fn page_url(&self, site: &Site) -> String {
        urls::with_query(site.absolute_url(&self.page_path), self.query.as_deref())
    }

    /// The absolute URL of the feed in `format`.
    pub(crate) fn feed_url(&self, site: &Site, format: FeedFormat) -> String {
        urls::with_query(site.absolute_url(self.feed_path(format)), self.query.as_deref())
    }

    fn feed_path(&self, format: FeedFormat) -> &str {
        match format {
            FeedFormat::Atom => &self.feed_paths[0],
            FeedFormat::Json => &self.feed_paths[1],
        }
    }
}

/// The paths of a pair of feed routes without captures.
fn paths(feeds: urls::FeedRoutes) -> [String; 2] {
    [feeds.atom.path(&[]), feeds.json.path(&[])]
}

/// The `<link rel="alternate">` pair an HTML page gives for its feed.
pub(crate) struct FeedLink {
    pub title: String,
    /// Host-relative, like every other link on a page.
    pub atom_url: String,
    pub json_url: String,
}

impl FeedLink {
    /// The links to the feeds of `scope`.
    pub(crate) fn new(site: &Site, scope: &FeedScope) -> Self {
        let url = |format| urls::with_query(site.url(scope.feed_path(format)), scope.query.as_deref());
        Self { title: scope.title.clone(), atom_url: url(FeedFormat::Atom), json_url: url(FeedFormat::Json) }
    }
}

/// A feed ready to serialise.
pub(crate) struct Feed {
    pub scope: FeedScope,
    /// The site, with a public origin (see [`crate::web::site::AbsoluteSite`]).
    pub site: Arc<Site>,
    /// Newest first.
    pub entries: Vec<FeedEntry>,
    /// RFC 3339: the newest entry's `updated`; for an empty feed, when the
    /// library last changed (never "now", so every replica serves the same
    /// bytes), or the Unix epoch for a library that never changed.
    pub updated: String,
    /// For `Last-Modified`: the newest file time among the entries, or
    /// when the library last changed if later (see [`Feed::listed_in`]).
    pub modified: Option<jiff::Timestamp>,
}

impl Feed {
    /// The feed of `articles` (newest first; only the first
    /// [`FEED_ENTRIES`] are used).
    pub(crate) fn new<'a>(
        site: Arc<Site>,
        scope: FeedScope,
        articles: impl IntoIterator<Item = &'a Arc<Article>>,
        media: &MediaIndex,
    ) -> Self {
        let articles: Vec<&Arc<Article>> = articles.into_iter().take(FEED_ENTRIES).collect();
        let entries: Vec<FeedEntry> = articles.iter().map(|article| FeedEntry::new(&site, article, media)).collect();
        let newest = entries.iter().max_by_key(|entry| entry.updated.timestamp);
        let updated = newest.map_or_else(|| "1970-01-01T00:00:00Z".to_owned(), |entry| entry.updated.text.clone());
        let modified = articles.iter().filter_map(|article| article.modified).max();
        Self { scope, site, entries, updated, modified }
    }

    /// The same feed, modified no earlier than the last change of `library`:
    /// an article deleted or renamed changes the feed without any file
    /// getting newer, and `Last-Modified` must move on for the clients
    /// that revalidate with `If-Modified-Since`.
    pub(crate) fn listed_in(mut self, library: &Library) -> Self {
        self.modified = self.modified.max(library.changed_at());
        if let (true, Some(changed)) = (self.entries.is_empty(), library.changed_at()) {
            // Whole seconds in UTC, written as entries write theirs.
            let changed = jiff::Timestamp::from_second(changed.as_second()).unwrap_or(changed);
            self.updated = changed.display_with_offset(jiff::tz::Offset::UTC).to_string();
        }
        self
    }

    /// The feed as a response in `format`, with `Last-Modified`.
    pub(crate) fn into_response(self, format: FeedFormat) -> Response {
        let modified = LastModified::from_timestamp(self.modified);
        let (content_type, body) = match format {
            FeedFormat::Atom => (ATOM_CONTENT_TYPE, atom::render(&self)),
            FeedFormat::Json => (JSON_FEED_CONTENT_TYPE, json::render(&self)),
        };
        (modified, [(header::CONTENT_TYPE, content_type)], body).into_response()
    }
}
