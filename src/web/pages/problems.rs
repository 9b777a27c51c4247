//! The operator's page of files that did not load, and of repairs made to
//! files that did: `/problems`, linked from `/healthz`. It shows the same
//! problems and warnings as `broadsheet check`.

use std::sync::Arc;

use askama::Template;

use crate::web::escape::HtmlExt;
use axum::extract::State;

use crate::article::Article;
use crate::library::Library;
use crate::web::views::Html;
use crate::web::{AppState, CurrentSite, Site};

/// A file that could not be loaded.
pub struct ProblemRow {
    pub path: String,
    pub reason: String,
}

/// A loaded article with something worth an operator's attention.
pub struct WarningRow {
    pub path: String,
    pub url: String,
    pub title: String,
    pub warnings: Vec<String>,
}

/// `templates/problems.html`.
#[derive(Template)]
#[template(path = "problems.html")]
pub struct ProblemsView {
    pub site: Arc<Site>,
    pub page_title: String,
    pub article_count: usize,
    pub problems: Vec<ProblemRow>,
    pub warnings: Vec<WarningRow>,
}

impl ProblemsView {
    /// The view of `library`'s problems and warnings, in path order.
    pub fn new(site: Arc<Site>, library: &Library) -> Self {
        let problems = library
            .problems()
            .iter()
            .map(|problem| ProblemRow {
                path: problem.path.display().to_string(),
                reason: problem.message().into_owned(),
            })
            .collect();
        let mut warned: Vec<&Article> = library
            .articles()
            .iter()
            .map(AsRef::as_ref)
            .filter(|article| !article.details().warnings.is_empty())
            .collect();
        warned.sort_by(|a, b| a.path.cmp(&b.path));
        let warnings = warned.into_iter().map(|article| warning_row(&site, article)).collect();
        Self {
            page_title: format!("Problems – {}", site.title),
            article_count: library.len(),
            problems,
            warnings,
            site,
        }
    }
}

fn warning_row(site: &Site, article: &Article) -> WarningRow {
    WarningRow {
        path: article.path.as_ref().map_or_else(|| article.id.to_string(), |path| path.display().to_string()),
        url: site.article_url(&article.id),
        title: article.title.clone(),
        warnings: article.details().warnings.iter().map(ToString::to_string).collect(),
    }
}

/// `GET /problems`.
pub async fn show_problems(State(state): State<AppState>, CurrentSite(site): CurrentSite) -> Html<ProblemsView> {
    let library = state.library.load();
    Html(ProblemsView::new(site, &library))
}
