//! The page of one article, at its permalink `/articles/{id}`.

use std::sync::Arc;

use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, Uri, header};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::archive::month_label;
use super::browse::list_heading;
use crate::article::Article;
use crate::library::{Library, ListKey};
use crate::web::error::AppError;
use crate::web::language::language_tag;
use crate::web::media::html::ImageWriter;
use crate::web::middleware::LastModified;
use crate::web::page_cache::conditional::PAGE_CACHE_CONTROL;
use crate::web::preview::LinkPreview;
use crate::web::site::SiteAndOrigin;
use crate::web::views::{ArticleLink, ArticleView, DateView, Html, reading_minutes};
use crate::web::{AppState, Site, urls};

/// `?from=section:world-news`: the list the reader came from, so newer/older
/// links stay within it.
#[derive(Debug, Deserialize)]
pub(crate) struct ArticleQuery {
    from: Option<String>,
}

/// `GET /articles/{id}`: the article, with links to its neighbours; a
/// trailing-slash or case variant of an id redirects to the canonical URL.
pub(crate) async fn show_article(
    State(state): State<AppState>,
    SiteAndOrigin { site, origin }: SiteAndOrigin,
    Path(id): Path<String>,
    uri: Uri,
    query: Result<Query<ArticleQuery>, QueryRejection>,
) -> Result<Response, AppError> {
    let library = state.library.load();
    let Some(article) = library.get(&id) else {
        return redirect_to_canonical(&library, &site, &id, uri.query()).ok_or_else(|| unknown_article(&library, &id));
    };
    // A stale or mangled `from` is not worth an error page: fall back to date.
    let from = query.ok().and_then(|Query(query)| query.from?.parse::<ListKey>().ok());
    let key = from.filter(|key| library.list(key).is_some_and(|list| list.contains(&id))).unwrap_or(ListKey::All);
    let modified = LastModified::from_timestamp(article.modified);
    Ok((modified, Html(article_view(&library, site, origin.as_deref(), article, &key))).into_response())
}

/// The page of `article` read in the list `key`, with URLs for `site` and
/// absolute ones below `origin`. The handler and the fast path
/// ([`crate::web::fast_path`]) both render from it, so a page is the
/// same bytes whichever answered.
pub(crate) fn article_view<'a>(
    library: &'a Library,
    site: Arc<Site>,
    origin: Option<&str>,
    article: &'a Article,
    key: &ListKey,
) -> ArticleView<'a> {
    let (newer, older) = neighbour_links(&site, library, key, article.id.as_str());
    // The body is read once (a store read when it is not in memory) for
    // the lead figure, the preview, the language and the page.
    let body = article.body();
    let lead = ImageWriter { media: library.media(), site: &site, origin: None }.lead(article, &body);
    let preview = LinkPreview::new(&site, origin, article, &body, lead.as_ref());
    let lead = lead.filter(|lead| !lead.in_body);
    let lead_caption = lead.as_ref().and_then(|lead| lead.caption_index());
    let lead_figure = lead.map(|lead| lead.figure());
    let lang = language_tag(&article.title, &article.excerpt_in(&body));
    ArticleView {
        lead_caption,
        lead_figure,
        paragraphs: body,
        media: library.media(),
        canonical_url: urls::canonical_article(&site, &article.id),
        preview,
        page_title: format!("{} – {}", article.title, site.title),
        date: article.date.map(DateView::from),
        reading_minutes: reading_minutes(article.word_count),
        newer,
        older,
        section_link: section_link(&site, library, article),
        source_link: source_link(&site, library, article),
        month_link: month_link(&site, article),
        tag_links: tag_links(&site, library, article),
        list_link: list_link(&site, library, key),
        lang,
        article,
        site,
    }
}

/// A 308 to the canonical URL when `id` names an article up to a trailing
/// slash or letter case, or an article whose file was renamed; the query
/// string goes along (`?from=` keeps the reader in their list).
fn redirect_to_canonical(library: &Library, site: &Site, id: &str, query: Option<&str>) -> Option<Response> {
    let trimmed = id.trim_end_matches('/');
    if let Some(moved) = library.find_moved(trimmed) {
        return Some(redirect_to(&urls::article(site, moved), query));
    }
    let article = library.get(trimmed).or_else(|| library.find_ignoring_case(trimmed))?;
    Some(redirect_to(&urls::article(site, &article.id), query))
}

/// A 308 to `url` (plus `query`) that caches may keep only as long as a
/// page: browsers keep a bare 308 forever, and a file renamed and renamed
/// back would then send them round in a loop.
pub(crate) fn redirect_to(url: &str, query: Option<&str>) -> Response {
    let location = match query {
        Some(query) => format!("{url}?{query}"),
        None => url.to_owned(),
    };
    let cache_control = HeaderValue::from_static(PAGE_CACHE_CONTROL);
    let mut response = Redirect::permanent(&location).into_response();
    response.headers_mut().insert(header::CACHE_CONTROL, cache_control);
    response
}

/// Links to the newer and older article in the list `key`, carrying `key` on.
fn neighbour_links(
    site: &Site,
    library: &Library,
    key: &ListKey,
    id: &str,
) -> (Option<ArticleLink>, Option<ArticleLink>) {
    let Some(list) = library.list(key) else { return (None, None) };
    let neighbours = list.neighbours(id);
    let link =
        |article: &Article| ArticleLink { url: urls::article_in(site, article, key), title: article.title.clone() };
    (neighbours.newer.map(|newer| link(newer)), neighbours.older.map(|older| link(older)))
}

fn section_link(site: &Site, library: &Library, article: &Article) -> Option<ArticleLink> {
    let group = library.sections().find_by_name(article.section.as_deref()?)?;
    Some(ArticleLink { url: urls::list(site, &ListKey::Section(group.slug.clone())), title: group.name.clone() })
}

fn source_link(site: &Site, library: &Library, article: &Article) -> Option<ArticleLink> {
    let group = library.sources().find_by_name(article.source.as_deref()?)?;
    Some(ArticleLink { url: urls::list(site, &ListKey::Source(group.slug.clone())), title: group.name.clone() })
}

/// The article's tags, each once, linked to its list.
fn tag_links(site: &Site, library: &Library, article: &Article) -> Vec<ArticleLink> {
    let mut links: Vec<ArticleLink> = Vec::new();
    for group in article.details().tags.iter().filter_map(|tag| library.tags().find_by_name(tag)) {
        let url = urls::list(site, &ListKey::Tag(group.slug.clone()));
        if links.iter().all(|link| link.url != url) {
            links.push(ArticleLink { url, title: group.name.clone() });
        }
    }
    links
}

fn month_link(site: &Site, article: &Article) -> Option<ArticleLink> {
    let date = article.date?;
    let key = ListKey::Month(date.year(), date.month());
    Some(ArticleLink { url: urls::list(site, &key), title: month_label(date.year(), date.month()) })
}

/// A link back to the list the reader came from, unless it is the home page.
fn list_link(site: &Site, library: &Library, key: &ListKey) -> Option<ArticleLink> {
    if *key == ListKey::All {
        return None;
    }
    Some(ArticleLink { url: urls::list(site, key), title: list_heading(library, key)? })
}

/// The error for an id that is not in the library: 410 when its file was
/// deleted while the server ran, 404 otherwise.
pub(crate) fn unknown_article(library: &Library, id: &str) -> AppError {
    if library.is_gone(id) {
        return AppError::Gone(format!(
            "The article “{id}” has been removed from this site and will not come back. \
             The latest articles are on the front page, and search may find related ones."
        ));
    }
    AppError::NotFound(format!("There is no article “{id}”. It may have been removed or renamed."))
}
