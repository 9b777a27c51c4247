//! The page of one article, at its permalink `/articles/{id}`.

use axum::extract::{Path, State};

use crate::web::AppState;
use crate::web::error::AppError;
use crate::web::views::{ArticleLink, ArticleView, DateView, Html, reading_minutes};

/// `GET /articles/{id}`: the article, with links to its neighbours.
pub async fn show_article(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Html<ArticleView>, AppError> {
    let library = state.library.load();
    let article = library.get(&id).ok_or_else(|| unknown_article(&id))?;
    let neighbours = library.find_neighbours(&id);
    let site = state.site.clone();
    let view = ArticleView {
        page_title: format!("{} – {}", article.title, site.title),
        date: article.date.map(DateView::from),
        reading_minutes: reading_minutes(article.word_count),
        newer: neighbours.newer.map(|newer| ArticleLink::new(&site, newer)),
        older: neighbours.older.map(|older| ArticleLink::new(&site, older)),
        article: article.clone(),
        site,
    };
    Ok(Html(view))
}

/// The 404 for an id that is not in the library.
pub fn unknown_article(id: &str) -> AppError {
    AppError::NotFound(format!("There is no article “{id}”. It may have been removed or renamed."))
}
