//! The page of one article, at its permalink `/articles/{id}`.

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};

use crate::library::Library;
use crate::web::error::AppError;
use crate::web::http::LastModified;
use crate::web::preview::LinkPreview;
use crate::web::site::AbsoluteSite;
use crate::web::views::{ArticleLink, ArticleView, DateView, Html, reading_minutes};
use crate::web::{AppState, CurrentSite, Site};

/// `GET /articles/{id}`: the article, with links to its neighbours; a
/// trailing-slash or case variant of an id redirects to the canonical URL.
pub async fn show_article(
    State(state): State<AppState>,
    CurrentSite(site): CurrentSite,
    AbsoluteSite(absolute): AbsoluteSite,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let library = state.library.load();
    let Some(article) = library.get(&id) else {
        return redirect_to_canonical(&library, &site, &id).ok_or_else(|| unknown_article(&id));
    };
    let neighbours = library.find_neighbours(&id);
    let modified = LastModified::from_timestamp(article.modified);
    let view = ArticleView {
        canonical_url: site.canonical_article_url(&article.id),
        preview: LinkPreview::new(&absolute, article),
        page_title: format!("{} – {}", article.title, site.title),
        date: article.date.map(DateView::from),
        reading_minutes: reading_minutes(article.word_count),
        newer: neighbours.newer.map(|newer| ArticleLink::new(&site, newer)),
        older: neighbours.older.map(|older| ArticleLink::new(&site, older)),
        article: article.clone(),
        site,
    };
    Ok((modified, Html(view)).into_response())
}

/// A 308 to the canonical URL when `id` names an article up to a trailing
/// slash or letter case.
fn redirect_to_canonical(library: &Library, site: &Site, id: &str) -> Option<Response> {
    let trimmed = id.trim_end_matches('/');
    let article = library.get(trimmed).or_else(|| library.find_ignoring_case(trimmed))?;
    Some(Redirect::permanent(&site.article_url(&article.id)).into_response())
}

/// The 404 for an id that is not in the library.
pub fn unknown_article(id: &str) -> AppError {
    AppError::NotFound(format!("There is no article “{id}”. It may have been removed or renamed."))
}
