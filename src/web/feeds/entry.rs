//! One article as a feed entry: absolute permalink, full content as HTML,
//! and the dates feed readers sort by.

use jiff::Timestamp;
use jiff::tz::Offset;

use crate::article::Article;
use crate::library::media::MediaIndex;
use crate::web::escape::BodyImages;
use crate::web::media::html::{ImageWriter, Lead};
use crate::web::views::BodyView;
use crate::web::{Site, urls};

/// A moment, with the RFC 3339 text feeds carry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct EntryTime {
    pub timestamp: Timestamp,
    /// `2024-11-16T09:30:00+01:00`, keeping the article's own offset.
    pub text: String,
}

impl EntryTime {
    fn new(timestamp: Timestamp, offset: Offset) -> Self {
        // Whole seconds: feeds and sitemaps gain nothing from nanoseconds.
        let timestamp = Timestamp::from_second(timestamp.as_second()).unwrap_or(timestamp);
        Self { timestamp, text: timestamp.display_with_offset(offset).to_string() }
    }

    /// When the article was published: its exact time when the file gives
    /// one, else the start of its date in UTC; `None` when undated.
    pub(crate) fn published(article: &Article) -> Option<Self> {
        let (timestamp, offset) = Self::published_at(article)?;
        Some(Self::new(timestamp, offset))
    }

    /// [`Self::published`] before it is written out: the instant and the
    /// offset it is written with (for comparing many without writing each).
    pub(crate) fn published_at(article: &Article) -> Option<(Timestamp, Offset)> {
        if let Some(published) = article.details().published {
            return Some((published.timestamp, published.offset));
        }
        let midnight = Offset::UTC.to_timestamp(article.date?.to_datetime(jiff::civil::Time::midnight())).ok()?;
        Some((midnight, Offset::UTC))
    }

    /// What a feed calls `updated`: the publication time, else the file's
    /// modification time, else the Unix epoch (stable on every replica).
    pub(crate) fn updated(article: &Article) -> Self {
        Self::published(article)
            .unwrap_or_else(|| Self::new(article.modified.unwrap_or(Timestamp::UNIX_EPOCH), Offset::UTC))
    }
}

/// One feed entry.
#[derive(Debug, Clone)]
pub(crate) struct FeedEntry {
    /// The absolute permalink, which is also the entry's stable id.
    pub url: String,
    pub title: String,
    /// The full body as HTML (escaped once more by the XML or JSON writer).
    pub content_html: String,
    /// A plain-text summary: the file's own, else the excerpt.
    pub summary: String,
    pub published: Option<EntryTime>,
    pub updated: EntryTime,
    /// The byline, else the source.
    pub author: Option<String>,
    /// The section first, then the article's tags.
    pub categories: Vec<String>,
    /// The absolute URL of the lead image, if there is one to show.
    pub image: Option<String>,
}

impl FeedEntry {
    /// The entry for `article`; `site` should have a public origin.
    pub(crate) fn new(site: &Site, article: &Article, media: &MediaIndex) -> Self {
        let mut categories: Vec<String> = article.section.iter().chain(&article.details().tags).cloned().collect();
        categories.dedup();
        let writer = ImageWriter { media, site, origin: site.public_origin.as_deref() };
        let paragraphs = article.body();
        let lead = writer.lead(article, &paragraphs);
        let images =
            BodyImages { writer, article_id: article.id.as_str(), skip: lead.as_ref().and_then(Lead::caption_index) };
        let body = BodyView::html(&paragraphs, Some(images));
        // Atom has no field for a picture: the lead goes first in the content.
        let content_html = match &lead {
            Some(lead) if !lead.in_body => format!("{}\n{body}", lead.figure()),
            _ => body,
        };
        Self {
            url: urls::canonical_article(site, &article.id),
            title: article.title.clone(),
            image: lead.map(|lead| lead.url),
            content_html,
            summary: article.details().summary.clone().unwrap_or_else(|| article.excerpt_in(&paragraphs).into_owned()),
            published: EntryTime::published(article),
            updated: EntryTime::updated(article),
            author: article.details().author.clone().or_else(|| article.source.clone()),
            categories,
        }
    }
}
