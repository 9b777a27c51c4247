//! The operator's page of files that did not load, and of repairs made to
//! files that did: `/problems`, linked from `/healthz`. It shows the same
//! problems and warnings as `broadsheet check`.

use std::sync::Arc;

use axum::extract::State;

use crate::article::Article;
use crate::library::Library;
use crate::web::views::{Html, ProblemRow, ProblemsView, WarningRow};
use crate::web::{AppState, CurrentSite, Site, urls};

/// The view of `library`'s problems and warnings, in path order.
fn problems_view(site: Arc<Site>, library: &Library) -> ProblemsView {
    let problems = library
        .problems()
        .iter()
        .map(|problem| ProblemRow { path: problem.path.display().to_string(), reason: problem.message().into_owned() })
        .collect();
    let mut warned: Vec<&Article> =
        library.articles().iter().map(AsRef::as_ref).filter(|article| !article.details().warnings.is_empty()).collect();
    warned.sort_by(|a, b| a.path.cmp(&b.path));
    let warnings = warned.into_iter().map(|article| warning_row(&site, article)).collect();
    ProblemsView {
        page_title: format!("Problems – {}", site.title),
        article_count: library.len(),
        problems,
        warnings,
        site,
    }
}

fn warning_row(site: &Site, article: &Article) -> WarningRow {
    WarningRow {
        path: article.path.as_ref().map_or_else(|| article.id.to_string(), |path| path.display().to_string()),
        url: urls::article(site, &article.id),
        title: article.title.clone(),
        warnings: article.details().warnings.iter().map(ToString::to_string).collect(),
    }
}

/// `GET /problems`.
pub(crate) async fn show_problems(State(state): State<AppState>, CurrentSite(site): CurrentSite) -> Html<ProblemsView> {
    let library = state.library.load();
    Html(problems_view(site, &library))
}
