//! The operator's page of how the server understands its public URL
//! (`/about/deployment`).

use std::sync::Arc;

use askama::Template;

use crate::web::Site;
use crate::web::escape::HtmlExt;

/// One fact: a label and its value.
pub(crate) struct Fact {
    pub label: &'static str,
    pub value: String,
}

/// The deployment page.
#[derive(Template)]
#[template(path = "deployment.html")]
pub(crate) struct DeploymentView {
    pub site: Arc<Site>,
    pub page_title: String,
    pub configured: Vec<Fact>,
    pub this_request: Vec<Fact>,
}
