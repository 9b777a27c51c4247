//! `/about/deployment`: how the server understands its public URL, so an
//! operator can debug a reverse-proxy setup in one look. The same facts are
//! printed by `broadsheet serve --print-config`.

use std::sync::Arc;

use axum::extract::{OriginalUri, Request, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};

use crate::web::middleware::proxy::{Forwarded, Peer};
use crate::web::views::{DeploymentView, Fact, Html};
use crate::web::{AppState, HttpSettings, Site};

fn fact(label: &'static str, value: impl Into<String>) -> Fact {
    Fact { label, value: value.into() }
}

/// The configuration as the server understands it, without any request.
pub(crate) fn configured_facts(site: &Site, http: &HttpSettings) -> Vec<Fact> {
    let proxies: Vec<String> = http.trusted_proxies.networks().iter().map(ToString::to_string).collect();
    vec![
        fact("Configured public URL", site.public_url()),
        fact("Path prefix", site.base_path.clone()),
        fact(
            "Public origin",
            site.public_origin.clone().unwrap_or_else(|| "unknown: links are relative to the host".to_owned()),
        ),
        fact("Trusted proxies", if proxies.is_empty() { "none".to_owned() } else { proxies.join(", ") }),
    ]
}

/// `GET /about/deployment`. Depends on who asks, so it is never cached.
pub(crate) async fn show_deployment(
    State(state): State<AppState>,
    OriginalUri(uri): OriginalUri,
    request: Request,
) -> Response {
    let site = request.extensions().get::<Arc<Site>>().cloned().unwrap_or_else(|| state.site.clone());
    let view = DeploymentView {
        page_title: format!("Deployment – {}", site.title),
        configured: configured_facts(&state.site, &state.http),
        this_request: request_facts(&state, &site, &uri, &request),
        site,
    };
    ([(header::CACHE_CONTROL, "no-store")], Html(view)).into_response()
}

fn request_facts(state: &AppState, site: &Site, uri: &axum::http::Uri, request: &Request) -> Vec<Fact> {
    let peer = request.extensions().get::<Peer>();
    let trusted = state.http.trusted_proxies.trusts(peer);
    let peer_text = match peer {
        Some(Peer::Tcp(address)) => address.ip().to_string(),
        Some(Peer::Unix) => "a Unix socket".to_owned(),
        None => "unknown".to_owned(),
    };
    let mut facts = vec![
        fact("Public URL of this request", site.public_url()),
        fact("Path as received", uri.path().to_owned()),
        fact("Connection from", peer_text),
        fact("Forwarded headers", if trusted { "honoured (trusted proxy)" } else { "ignored (peer not trusted)" }),
    ];
    if trusted {
        let forwarded = Forwarded::with_client(request.headers(), &state.http.trusted_proxies);
        let shown = |value: Option<String>| value.unwrap_or_else(|| "not sent".to_owned());
        facts.push(fact("Client address", shown(forwarded.client.map(|ip| ip.to_string()))));
        facts.push(fact("Forwarded scheme", shown(forwarded.proto)));
        facts.push(fact("Forwarded host", shown(forwarded.host)));
        facts.push(fact("Forwarded prefix", shown(forwarded.prefix)));
    }
    facts
}
