//! The home page: every article, newest first, paginated.

use axum::extract::State;

use super::{PageNumber, no_such_page};
use crate::library::page_count;
use crate::web::error::AppError;
use crate::web::views::{Html, IndexView, PaginationView, SummaryView};
use crate::web::{AppState, CurrentSite, PER_PAGE, urls};

/// `GET /` and `GET /?page=N`.
pub(crate) async fn show_index(
    State(state): State<AppState>,
    CurrentSite(site): CurrentSite,
    PageNumber(page): PageNumber,
) -> Result<Html<IndexView>, AppError> {
    let library = state.library.load();
    let articles = library.page(page, PER_PAGE).ok_or_else(|| no_such_page(page))?;
    let pages = page_count(library.len(), PER_PAGE);
    let page_title = if page == 1 {
        format!("{} – {}", site.title, site.description)
    } else {
        format!("Page {page} – {}", site.title)
    };
    let view = IndexView {
        articles: articles.iter().map(|article| SummaryView::new(&site, article, library.media())).collect(),
        pagination: PaginationView::new(&urls::HOME.url(&site, &[]), page, pages),
        page_title,
        site,
    };
    Ok(Html(view))
}
