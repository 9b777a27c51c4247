//! Writes a [`Feed`] as JSON Feed 1.1 (<https://jsonfeed.org/version/1.1>).

use serde::Serialize;

use super::{Feed, FeedEntry, FeedFormat};

/// The `version` every JSON Feed 1.1 document starts with.
pub(crate) const VERSION: &str = "https://jsonfeed.org/version/1.1";

#[derive(Serialize)]
struct JsonFeed<'a> {
    version: &'static str,
    title: &'a str,
    description: &'a str,
    home_page_url: String,
    feed_url: String,
    authors: [Author<'a>; 1],
    items: Vec<Item<'a>>,
}

#[derive(Serialize)]
struct Author<'a> {
    name: &'a str,
}

#[derive(Serialize)]
struct Item<'a> {
    id: &'a str,
    url: &'a str,
    title: &'a str,
    content_html: &'a str,
    summary: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    image: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    date_published: Option<&'a str>,
    date_modified: &'a str,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    authors: Vec<Author<'a>>,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    tags: &'a [String],
}

impl<'a> Item<'a> {
    fn new(entry: &'a FeedEntry) -> Self {
        Self {
            id: &entry.url,
            url: &entry.url,
            title: &entry.title,
            content_html: &entry.content_html,
            summary: &entry.summary,
            image: entry.image.as_deref(),
            date_published: entry.published.as_ref().map(|time| time.text.as_str()),
            date_modified: &entry.updated.text,
            authors: entry.author.iter().map(|name| Author { name }).collect(),
            tags: &entry.categories,
        }
    }
}

/// The feed as a JSON Feed document.
pub(crate) fn render(feed: &Feed) -> Vec<u8> {
    let document = JsonFeed {
        version: VERSION,
        title: &feed.scope.title,
        description: &feed.scope.description,
        home_page_url: feed.scope.page_url(&feed.site),
        feed_url: feed.scope.feed_url(&feed.site, FeedFormat::Json),
        authors: [Author { name: &feed.site.title }],
        items: feed.entries.iter().map(Item::new).collect(),
    };
    serde_json::to_vec_pretty(&document).unwrap_or_else(|error| {
        // Plain strings always serialise; this would be a bug.
        tracing::error!(%error, "writing a JSON feed failed");
        Vec::new()
    })
}
