//! Writes a [`Feed`] as Atom 1.0 (RFC 4287) with `atom_syndication`.

use atom_syndication::{Category, Content, Entry, FixedDateTime, Generator, Link, Person, Text};

use super::{EntryTime, Feed, FeedEntry, FeedFormat};
use crate::web::xml::xml_text;

/// The feed as an Atom document.
pub(crate) fn render(feed: &Feed) -> Vec<u8> {
    let site = &feed.site;
    let document = atom_syndication::Feed {
        title: Text::plain(xml_text(&feed.scope.title)),
        subtitle: Some(Text::plain(xml_text(&feed.scope.description))),
        id: feed.scope.page_url(site),
        updated: parse_time(&feed.updated),
        // RFC 4287 wants an author on the feed when an entry has none.
        authors: vec![person(&site.title)],
        links: vec![
            link(feed.scope.page_url(site), "alternate", "text/html"),
            link(feed.scope.feed_url(site, FeedFormat::Atom), "self", "application/atom+xml"),
        ],
        generator: Some(Generator { value: "Broadsheet".to_owned(), ..Default::default() }),
        entries: feed.entries.iter().map(entry).collect(),
        ..Default::default()
    };
    document.write_to(Vec::new()).unwrap_or_else(|error| {
        // Writing into a Vec only fails on a bug in the writer.
        tracing::error!(%error, "writing an Atom feed failed");
        Vec::new()
    })
}

fn entry(item: &FeedEntry) -> Entry {
    Entry {
        title: Text::plain(xml_text(&item.title)),
        id: item.url.clone(),
        updated: time(&item.updated),
        published: item.published.as_ref().map(time),
        authors: item.author.iter().map(|author| person(author)).collect(),
        categories: item
            .categories
            .iter()
            .map(|term| Category { term: xml_text(term), label: Some(xml_text(term)), ..Default::default() })
            .collect(),
        links: vec![link(item.url.clone(), "alternate", "text/html")],
        summary: Some(Text::plain(xml_text(&item.summary))),
        content: Some(Content {
            value: Some(xml_text(&item.content_html)),
            content_type: Some("html".to_owned()),
            ..Default::default()
        }),
        ..Default::default()
    }
}

fn person(name: &str) -> Person {
    Person { name: xml_text(name), ..Default::default() }
}

fn link(href: String, rel: &str, mime_type: &str) -> Link {
    Link { href, rel: rel.to_owned(), mime_type: Some(mime_type.to_owned()), ..Default::default() }
}

fn time(time: &EntryTime) -> FixedDateTime {
    parse_time(&time.text)
}

/// Our own RFC 3339 output always parses; the epoch is the safe fallback.
fn parse_time(text: &str) -> FixedDateTime {
    FixedDateTime::parse_from_rfc3339(text).unwrap_or_default()
}
