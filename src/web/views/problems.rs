//! The operator's page of files that did not load and of repairs made to
//! files that did (`/problems`).

use std::sync::Arc;

use askama::Template;

use crate::web::Site;
use crate::web::escape::HtmlExt;

/// A file that could not be loaded.
pub(crate) struct ProblemRow {
    pub path: String,
    pub reason: String,
}

/// A loaded article with something worth an operator's attention.
pub(crate) struct WarningRow {
    pub path: String,
    pub url: String,
    pub title: String,
    /// Each warning as people read it.
    pub warnings: Vec<String>,
}

/// `templates/problems.html`.
#[derive(Template)]
#[template(path = "problems.html")]
pub(crate) struct ProblemsView {
    pub site: Arc<Site>,
    pub page_title: String,
    pub article_count: usize,
    pub problems: Vec<ProblemRow>,
    pub warnings: Vec<WarningRow>,
}
