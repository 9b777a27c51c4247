//! For search engines and browsers: `/sitemap.xml` (split into
//! `/sitemaps/N.xml` under a sitemap index past 50,000 URLs), `/robots.txt`
//! pointing at it, and `/opensearch.xml` so browsers can add the site search.
//! All URLs in them are absolute, as the protocols require.

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use quick_xml::Writer;
use quick_xml::events::{BytesDecl, BytesText, Event};

use crate::article::Article;
use crate::library::{Library, Order};
use crate::web::error::AppError;
use crate::web::feeds::EntryTime;
use crate::web::middleware::LastModified;
use crate::web::site::AbsoluteSite;
use crate::web::xml::xml_text;
use crate::web::{AppState, Site, urls};

/// The most URLs one sitemap file may list (sitemaps.org).
pub(crate) const URLS_PER_SITEMAP: usize = 50_000;

const SITEMAP_NAMESPACE: &str = "http://www.sitemaps.org/schemas/sitemap/0.9";
const XML_CONTENT_TYPE: &str = "application/xml; charset=utf-8";

/// One `<url>` of a sitemap.
struct SitemapUrl {
    loc: String,
    lastmod: Option<String>,
}

/// `GET /sitemap.xml`: every article once (and the home page), or a
/// sitemap index when that is more than [`URLS_PER_SITEMAP`] URLs.
pub(crate) async fn show_sitemap(State(state): State<AppState>, AbsoluteSite(site): AbsoluteSite) -> Response {
    let library = state.library.load();
    let count = library.len() + 1;
    let body = if count <= URLS_PER_SITEMAP {
        write_urlset(&sitemap_urls(&site, library.articles(), 0..count))
    } else {
        write_index(&site, library.articles(), URLS_PER_SITEMAP)
    };
    xml_response(list_modified(&library), body)
}

/// `GET /sitemaps/{N}.xml`: the N-th part (from 1) of a split sitemap.
pub(crate) async fn show_sitemap_part(
    State(state): State<AppState>,
    AbsoluteSite(site): AbsoluteSite,
    Path(file): Path<String>,
) -> Result<Response, AppError> {
    let library = state.library.load();
    // Only this part's URLs: at a million articles, listing them all for
    // each of the twenty parts cost seconds per request.
    let part = part_number(&file)
        .map(|number| (number - 1) * URLS_PER_SITEMAP)
        .filter(|&start| start <= library.len())
        .ok_or_else(|| AppError::NotFound(format!("There is no sitemap “{file}”.")))?;
    let urls = sitemap_urls(&site, library.articles(), part..part + URLS_PER_SITEMAP);
    Ok(xml_response(list_modified(&library), write_urlset(&urls)))
}

/// `GET /robots.txt`: everything may be crawled except the API and search
/// results; the sitemap's absolute URL.
pub(crate) async fn show_robots(AbsoluteSite(site): AbsoluteSite) -> Response {
    let body = format!(
        "User-agent: *\nDisallow: {api}\nDisallow: {search}\n\nSitemap: {sitemap}\n",
        api = site.url(urls::API_FOLDER),
        search = urls::SEARCH.url(&site, &[]),
        sitemap = urls::SITEMAP.absolute(&site, &[]),
    );
    ([(header::CONTENT_TYPE, "text/plain; charset=utf-8")], body).into_response()
}

/// `GET /opensearch.xml`: an OpenSearch 1.1 description of `/search`.
pub(crate) async fn show_opensearch(AbsoluteSite(site): AbsoluteSite) -> Response {
    let body = write_opensearch(&site);
    ([(header::CONTENT_TYPE, "application/opensearchdescription+xml; charset=utf-8")], body).into_response()
}

/// The sitemap's URLs at positions `range` of its list: the home page,
/// then every article.
fn sitemap_urls(site: &Site, articles: &Order, range: std::ops::Range<usize>) -> Vec<SitemapUrl> {
    let home = (range.start == 0).then(|| SitemapUrl { loc: urls::HOME.absolute(site, &[]), lastmod: None });
    let articles = listed_articles(articles, range)
        .map(|article| SitemapUrl { loc: urls::canonical_article(site, &article.id), lastmod: lastmod(article) });
    home.into_iter().chain(articles).collect()
}

/// The articles at positions `range` of the sitemap's list, whose first
/// entry is the home page.
fn listed_articles(articles: &Order, range: std::ops::Range<usize>) -> impl Iterator<Item = &Arc<Article>> {
    articles.range(range.start.saturating_sub(1)..range.end.saturating_sub(1))
}

/// When the page last changed: the file's time (whole seconds, UTC), else
/// its publication.
fn lastmod(article: &Article) -> Option<String> {
    match article.modified {
        Some(_) => lastmod_at(article).map(|timestamp| timestamp.to_string()),
        None => EntryTime::published(article).map(|time| time.text),
    }
}

/// The instant of [`lastmod`], in whole seconds, without writing it out:
/// the index compares every article's and writes one per part.
fn lastmod_at(article: &Article) -> Option<jiff::Timestamp> {
    let at = match article.modified {
        Some(modified) => modified,
        None => EntryTime::published_at(article)?.0,
    };
    jiff::Timestamp::from_second(at.as_second()).ok()
}

/// The newest file, or the last change of the set of articles if later: a
/// deletion or a rename changes the sitemap without any file getting newer.
fn list_modified(library: &Library) -> LastModified {
    let newest_file = library.articles().iter().filter_map(|article| article.modified).max();
    LastModified::from_timestamp(newest_file.max(library.changed_at()))
}

/// `3.xml` → 3; anything else (`0.xml`, `x.xml`, `3`) → `None`.
fn part_number(file: &str) -> Option<usize> {
    file.strip_suffix(".xml")?.parse().ok().filter(|&number| number > 0)
}

fn xml_response(modified: LastModified, body: Vec<u8>) -> Response {
    (modified, [(header::CONTENT_TYPE, XML_CONTENT_TYPE)], body).into_response()
}

type XmlResult = std::io::Result<()>;

fn write_urlset(urls: &[SitemapUrl]) -> Vec<u8> {
    write_document(|writer| {
        writer.create_element("urlset").with_attribute(("xmlns", SITEMAP_NAMESPACE)).write_inner_content(|writer| {
            for url in urls {
                write_location(writer, "url", &url.loc, url.lastmod.as_deref())?;
            }
            Ok(())
        })?;
        Ok(())
    })
}

/// The index of the parts of `per_file` URLs each (the home page first,
/// then `articles`), each with its newest `lastmod`.
fn write_index(site: &Site, articles: &Order, per_file: usize) -> Vec<u8> {
    let count = articles.len() + 1;
    write_document(|writer| {
        writer.create_element("sitemapindex").with_attribute(("xmlns", SITEMAP_NAMESPACE)).write_inner_content(
            |writer| {
                for (index, start) in (0..count).step_by(per_file).enumerate() {
                    let loc = urls::SITEMAP_PART.absolute(site, &[&format!("{}.xml", index + 1)]);
                    let part = listed_articles(articles, start..start + per_file);
                    let newest = part.max_by_key(|article| lastmod_at(article)).and_then(|article| lastmod(article));
                    write_location(writer, "sitemap", &loc, newest.as_deref())?;
                }
                Ok(())
            },
        )?;
        Ok(())
    })
}

/// `<url>` or `<sitemap>` with its `<loc>` and optional `<lastmod>`.
fn write_location(writer: &mut Writer<Vec<u8>>, element: &str, loc: &str, lastmod: Option<&str>) -> XmlResult {
    writer.create_element(element).write_inner_content(|writer| {
        writer.create_element("loc").write_text_content(BytesText::new(&xml_text(loc)))?;
        if let Some(lastmod) = lastmod {
            writer.create_element("lastmod").write_text_content(BytesText::new(lastmod))?;
        }
        Ok(())
    })?;
    Ok(())
}

fn write_opensearch(site: &Site) -> Vec<u8> {
    // OpenSearch limits the short name to 16 characters.
    let short_name: String = xml_text(&site.title).chars().take(16).collect();
    let description = xml_text(&format!("Search {}", site.title));
    let html_search = format!("{}?q={{searchTerms}}", urls::SEARCH.absolute(site, &[]));
    let feed_search = format!("{}?q={{searchTerms}}", urls::SEARCH_FEEDS.atom.absolute(site, &[]));
    let this = urls::OPENSEARCH.absolute(site, &[]);
    write_document(|writer| {
        writer
            .create_element("OpenSearchDescription")
            .with_attribute(("xmlns", "http://a9.com/-/spec/opensearch/1.1/"))
            .write_inner_content(|writer| {
                writer.create_element("ShortName").write_text_content(BytesText::new(&short_name))?;
                writer.create_element("Description").write_text_content(BytesText::new(&description))?;
                writer.create_element("InputEncoding").write_text_content(BytesText::new("UTF-8"))?;
                let urls = [("text/html", "results", &html_search), ("application/atom+xml", "results", &feed_search)];
                for (mime_type, rel, template) in
                    urls.into_iter().chain([("application/opensearchdescription+xml", "self", &this)])
                {
                    writer
                        .create_element("Url")
                        .with_attributes([("type", mime_type), ("rel", rel), ("template", template.as_str())])
                        .write_empty()?;
                }
                Ok(())
            })?;
        Ok(())
    })
}

/// An XML document with its declaration; writing into a `Vec` cannot fail
/// short of a bug, which is logged.
fn write_document(body: impl FnOnce(&mut Writer<Vec<u8>>) -> XmlResult) -> Vec<u8> {
    let mut writer = Writer::new_with_indent(Vec::new(), b' ', 2);
    let result =
        writer.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None))).and_then(|()| body(&mut writer));
    if let Err(error) = result {
        tracing::error!(%error, "writing an XML document failed");
    }
    writer.into_inner()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn urls(count: usize) -> Vec<SitemapUrl> {
        (0..count).map(|n| SitemapUrl { loc: format!("https://e.org/a?x={n}&y"), lastmod: None }).collect()
    }

    #[test]
    fn sitemap_locations_are_escaped() {
        let xml = String::from_utf8(write_urlset(&urls(1))).unwrap_or_default();
        assert!(xml.contains("<loc>https://e.org/a?x=0&amp;y</loc>"), "{xml}");
    }

    #[test]
    fn an_index_points_to_one_file_per_chunk_with_its_newest_change() {
        let site = Site::new("t", "https://e.org/news/");
        // The home page and four articles, two URLs per file.
        let modified = [100, 300, 200, 50];
        let articles: Vec<Arc<Article>> = (0..4)
            .map(|n| {
                let modified = jiff::Timestamp::from_second(1_700_000_000 + modified[n]).ok();
                Arc::new(Article {
                    id: crate::article::ArticleId::new(format!("a{n}")),
                    modified,
                    ..Article::default()
                })
            })
            .collect();
        let xml = String::from_utf8(write_index(&site, &Order::from(articles), 2)).unwrap_or_default();
        assert_eq!(xml.matches("<sitemap>").count(), 3);
        assert!(xml.contains("<loc>https://e.org/news/sitemaps/3.xml</loc>"), "{xml}");
        let lastmods: Vec<&str> = xml.split("<lastmod>").skip(1).filter_map(|rest| rest.split('<').next()).collect();
        assert_eq!(lastmods, ["2023-11-14T22:15:00Z", "2023-11-14T22:18:20Z", "2023-11-14T22:14:10Z"]);
    }

    #[test]
    fn part_numbers_start_at_one() {
        assert_eq!(part_number("1.xml"), Some(1));
        assert_eq!(part_number("0.xml"), None);
        assert_eq!(part_number("1"), None);
        assert_eq!(part_number("../1.xml"), None);
    }
}
