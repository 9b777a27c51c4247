//! The feed routes: thin handlers that pick the articles and the scope.

use axum::extract::State;
use axum::http::Uri;
use axum::response::Response;

use super::{Feed, FeedFormat, FeedScope};
use crate::web::AppState;
use crate::web::site::AbsoluteSite;

/// `GET /feed.xml` and `GET /feed.json`: the latest articles of the site.
pub async fn show_site_feed(State(state): State<AppState>, AbsoluteSite(site): AbsoluteSite, uri: Uri) -> Response {
    let library = state.library.load();
    let scope = FeedScope::site(&site);
    Feed::new(site, scope, library.articles()).into_response(FeedFormat::of(&uri))
}
