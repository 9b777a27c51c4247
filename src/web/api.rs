//! The JSON API: the same articles as the HTML pages, for scripts and apps.

use axum::Json;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use super::error::ApiError;
use super::pages::article::unknown_article;
use super::pages::{PageNumber, no_such_page};
use super::{AppState, CurrentSite, PER_PAGE, Site, urls};
use crate::article::{Article, Paragraphs};
use crate::library::page_count;

/// An article in a list: metadata and excerpt, no body.
#[derive(Serialize)]
pub(crate) struct ArticleSummary<'a> {
    pub id: &'a str,
    pub url: String,
    pub title: &'a str,
    pub section: Option<&'a str>,
    /// `YYYY-MM-DD`, or `null` when the file has no date.
    pub date: Option<String>,
    pub source: Option<&'a str>,
    pub excerpt: std::borrow::Cow<'a, str>,
    pub word_count: usize,
}

impl<'a> ArticleSummary<'a> {
    pub(crate) fn new(site: &Site, article: &'a Article) -> Self {
        Self {
            id: article.id.as_str(),
            url: urls::article(site, &article.id),
            title: &article.title,
            section: article.section.as_deref(),
            date: article.date.map(|date| date.to_string()),
            source: article.source.as_deref(),
            excerpt: article.excerpt(),
            word_count: article.word_count,
        }
    }
}

/// One page of the article list.
#[derive(Serialize)]
pub(crate) struct ArticleList<'a> {
    pub articles: Vec<ArticleSummary<'a>>,
    pub page: usize,
    pub pages: usize,
    pub total: usize,
}

/// A whole article.
#[derive(Serialize)]
pub(crate) struct ArticleDetail<'a> {
    pub id: &'a str,
    pub url: String,
    pub title: &'a str,
    pub section: Option<&'a str>,
    pub date: Option<String>,
    /// RFC 3339 with the file's offset when it gives a time and zone, else `null`.
    pub published: Option<String>,
    pub source: Option<&'a str>,
    pub word_count: usize,
    pub paragraphs: std::borrow::Cow<'a, Paragraphs>,
}

/// `GET /api/articles?page=N`.
pub(crate) async fn list_articles(
    State(state): State<AppState>,
    CurrentSite(site): CurrentSite,
    PageNumber(page): PageNumber,
) -> Result<Json<serde_json::Value>, ApiError> {
    let library = state.library.load();
    let articles = library.page(page, PER_PAGE).ok_or_else(|| no_such_page(page))?;
    let list = ArticleList {
        articles: articles.iter().map(|article| ArticleSummary::new(&site, article)).collect(),
        page,
        pages: page_count(library.len(), PER_PAGE),
        total: library.len(),
    };
    Ok(Json(to_value(&list)?))
}

/// `GET /api/articles/{id}`; a renamed article's old id redirects (308).
pub(crate) async fn show_article(
    State(state): State<AppState>,
    CurrentSite(site): CurrentSite,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let library = state.library.load();
    let Some(article) = library.get(&id) else {
        let moved = library.find_moved(&id).ok_or_else(|| unknown_article(&library, &id))?;
        let url = urls::api_article(&site, moved);
        return Ok(crate::web::pages::article::redirect_to(&url, None));
    };
    let detail = ArticleDetail {
        id: article.id.as_str(),
        url: urls::article(&site, &article.id),
        title: &article.title,
        section: article.section.as_deref(),
        date: article.date.map(|date| date.to_string()),
        published: article.details().published.map(|published| published.rfc3339()),
        source: article.source.as_deref(),
        word_count: article.word_count,
        paragraphs: article.body(),
    };
    Ok(Json(to_value(&detail)?).into_response())
}

/// Serialises while the snapshot is still borrowed.
fn to_value<T: Serialize>(value: &T) -> Result<serde_json::Value, ApiError> {
    serde_json::to_value(value).map_err(|error| ApiError(super::error::AppError::Internal(error.to_string())))
}
