//! Running behind a reverse proxy: trusted peers, forwarded headers, and the
//! path prefix.
//!
//! `X-Forwarded-*` and `Forwarded` are honoured only when the connection
//! comes from a `--trusted-proxy` network (or a Unix socket, whose file
//! permissions are the access control); from anyone else they are ignored,
//! since any client can send them. From a trusted proxy they give the public
//! origin and prefix of this request unless `--base-url` fixed them.
//! [`resolve_site`] puts the request's [`Site`] into its extensions and strips
//! the prefix from the path, so the server works whether the proxy strips the
//! prefix (`proxy_pass http://app/;`) or passes it (`proxy_pass http://app;`).

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

use axum::extract::Request;
use axum::http::uri::{PathAndQuery, Uri};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use ipnet::IpNet;

use super::host::BadHost;
use crate::web::error::{AppError, error_page};
use crate::web::site::is_valid_prefix;
use crate::web::{AppState, Site};

/// The networks whose forwarded headers are believed.
#[derive(Debug, Clone, Default)]
pub struct TrustedProxies(Vec<IpNet>);

impl TrustedProxies {
    pub fn new(networks: Vec<IpNet>) -> Self {
        Self(networks)
    }

    /// The configured networks, for display.
    pub fn networks(&self) -> &[IpNet] {
        &self.0
    }

    /// Whether `ip` (IPv4-mapped IPv6 counts as IPv4) is in a trusted network.
    pub fn contains(&self, ip: IpAddr) -> bool {
        let ip = ip.to_canonical();
        self.0.iter().any(|network| network.contains(&ip))
    }

    /// Whether requests from `peer` may be believed about where they came from.
    pub fn trusts(&self, peer: Option<&Peer>) -> bool {
        match peer {
            Some(Peer::Unix) => true,
            Some(Peer::Tcp(address)) => self.contains(address.ip()),
            None => false,
        }
    }
}

/// Parses a `--trusted-proxy` value: a CIDR network or a single address.
pub fn parse_trusted_proxy(text: &str) -> Result<IpNet, String> {
    let text = text.trim();
    text.parse::<IpNet>()
        .or_else(|_| text.parse::<IpAddr>().map(IpNet::from))
        .map_err(|_| format!("“{text}” is not an IP address or network (e.g. 10.0.0.0/8, 127.0.0.1, ::1)"))
}

/// The other end of a connection; the server adds it to every request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Peer {
    Tcp(SocketAddr),
    Unix,
}

/// What a trusted proxy said about the original request.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Forwarded {
    /// The client's address: the nearest address in the chain that is not a
    /// trusted proxy (only filled by [`Forwarded::with_client`]).
    pub client: Option<IpAddr>,
    /// `https` or `http`.
    pub proto: Option<String>,
    /// The public host (and port).
    pub host: Option<String>,
    /// The path prefix the proxy serves us under.
    pub prefix: Option<String>,
}

impl Forwarded {
    /// Reads `Forwarded` (RFC 7239, preferred) and `X-Forwarded-*`. Invalid
    /// values are dropped, never passed on into links.
    pub fn from_headers(headers: &HeaderMap) -> Self {
        let element = last_forwarded_element(headers);
        let param = |name: &str| element.as_ref().and_then(|element| forwarded_param(element, name));
        let proto = param("proto").or_else(|| last_value(headers, "x-forwarded-proto"));
        let host = param("host").or_else(|| last_value(headers, "x-forwarded-host"));
        Self {
            client: None,
            proto: proto.map(|proto| proto.to_ascii_lowercase()).filter(|proto| proto == "http" || proto == "https"),
            host: host.filter(|host| is_valid_host(host)).map(|host| host.to_ascii_lowercase()),
            prefix: last_value(headers, "x-forwarded-prefix").filter(|prefix| is_valid_prefix(prefix)),
        }
    }

    /// The same, plus the client's address (which only diagnostics need).
    pub fn with_client(headers: &HeaderMap, trusted: &TrustedProxies) -> Self {
        Self { client: client_address(headers, trusted), ..Self::from_headers(headers) }
    }

    /// `https://example.org` when a scheme or host was forwarded; the host
    /// falls back to the `Host` header the proxy sent.
    pub fn origin(&self, headers: &HeaderMap) -> Option<String> {
        if self.proto.is_none() && self.host.is_none() {
            return None;
        }
        let host_header = headers.get(header::HOST).and_then(|value| value.to_str().ok());
        let host = self.host.as_deref().or(host_header.filter(|host| is_valid_host(host)))?;
        Some(format!("{}://{}", self.proto.as_deref().unwrap_or("http"), host.to_ascii_lowercase()))
    }
}

/// The last comma-separated value of a header (the one our proxy added).
fn last_value(headers: &HeaderMap, name: &str) -> Option<String> {
    let value = headers.get_all(name).iter().filter_map(|value| value.to_str().ok()).next_back()?;
    let last = value.rsplit(',').next()?.trim();
    (!last.is_empty()).then(|| last.to_owned())
}

fn last_forwarded_element(headers: &HeaderMap) -> Option<String> {
    last_value(headers, "forwarded")
}

/// `proto` from `for=1.2.3.4;proto=https;host="example.org"`.
fn forwarded_param(element: &str, name: &str) -> Option<String> {
    element.split(';').find_map(|pair| {
        let (key, value) = pair.split_once('=')?;
        key.trim().eq_ignore_ascii_case(name).then(|| value.trim().trim_matches('"').to_owned())
    })
}

/// Walks the forwarding chain from the nearest hop: the first address that
/// is not a trusted proxy is the client.
fn client_address(headers: &HeaderMap, trusted: &TrustedProxies) -> Option<IpAddr> {
    let mut chain: Vec<IpAddr> = Vec::new();
    for value in headers.get_all("forwarded").iter().filter_map(|value| value.to_str().ok()) {
        chain.extend(value.split(',').filter_map(|element| forwarded_param(element, "for")).filter_map(parse_node));
    }
    if chain.is_empty() {
        for value in headers.get_all("x-forwarded-for").iter().filter_map(|value| value.to_str().ok()) {
            chain.extend(value.split(',').filter_map(|node| parse_node(node.trim().to_owned())));
        }
    }
    chain.iter().rev().find(|ip| !trusted.contains(**ip)).or(chain.first()).copied()
}

/// An address from `1.2.3.4`, `1.2.3.4:80`, `[2001:db8::1]:80` or `2001:db8::1`.
fn parse_node(node: String) -> Option<IpAddr> {
    if let Ok(ip) = node.parse::<IpAddr>() {
        return Some(ip);
    }
    node.parse::<SocketAddr>().map(|address| address.ip()).ok()
}

/// Whether `host` is a plain `host[:port]` authority, safe to put in a URL.
pub fn is_valid_host(host: &str) -> bool {
    !host.is_empty()
        && host.len() <= 255
        && !host.contains('@')
        && host.parse::<axum::http::uri::Authority>().is_ok_and(|authority| authority.as_str() == host)
}

/// The site as this request sees it. Costs nothing per request when
/// `--base-url` fixed both origin and prefix, or the peer is not trusted.
pub fn request_site(state: &AppState, request: &Request) -> Arc<Site> {
    site_for(state, request.extensions().get::<Peer>(), request.headers())
}

/// [`request_site`] from the parts it reads: the peer and the headers.
pub fn site_for(state: &AppState, peer: Option<&Peer>, headers: &HeaderMap) -> Arc<Site> {
    let base = &state.site;
    let fully_configured = base.public_origin.is_some() && base.base_path != "/";
    let trusted = state.http.trusted_proxies.trusts(peer);
    if !trusted {
        warn_once_of_untrusted_forwarding(peer, headers);
    }
    if fully_configured || !trusted {
        return base.clone();
    }
    let forwarded = Forwarded::from_headers(headers);
    let origin = if base.public_origin.is_none() { forwarded.origin(headers) } else { None };
    let prefix = if base.base_path == "/" { forwarded.prefix.as_deref() } else { None };
    if origin.is_none() && prefix.is_none() {
        return base.clone();
    }
    Arc::new(base.with_public(origin, prefix))
}

/// The headers a proxy forwards the original request in.
const FORWARDING_HEADERS: [&str; 5] =
    ["forwarded", "x-forwarded-for", "x-forwarded-proto", "x-forwarded-host", "x-forwarded-prefix"];

/// Logs once per process that a request came with forwarded headers from
/// a peer that is not a trusted proxy: they are ignored, so if that peer
/// is the operator's own proxy, links, redirects and the client address
/// in the log are wrong, and this is the hint that says why. (Once: any
/// client may send such headers, and the log must not fill up with them.)
fn warn_once_of_untrusted_forwarding(peer: Option<&Peer>, headers: &HeaderMap) {
    static WARNED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);
    if WARNED.load(std::sync::atomic::Ordering::Relaxed) {
        return;
    }
    let Some(name) = FORWARDING_HEADERS.iter().find(|name| headers.contains_key(**name)) else { return };
    if !WARNED.swap(true, std::sync::atomic::Ordering::Relaxed) {
        let peer = match peer {
            Some(Peer::Tcp(address)) => address.ip().to_string(),
            Some(Peer::Unix) => "a Unix socket".to_owned(),
            None => "an unknown peer".to_owned(),
        };
        tracing::warn!(
            %peer,
            header = name,
            "a request came with forwarded headers from {peer}, which is not a trusted proxy: they are ignored. \
             If {peer} is your reverse proxy, start the server with --trusted-proxy {peer} \
             (/about/deployment shows what the server sees of each request); this is logged once"
        );
    }
}

/// Resolves the request's [`Site`] into its extensions, applies the URI
/// length limit and strips the public prefix from the path when the proxy
/// left it on. Returns the response to send instead of routing, if any
/// (400 for a bad `Host`, 414, or the redirect from the bare prefix).
pub fn resolve_site(state: &AppState, request: &mut Request) -> Option<Response> {
    let site = request_site(state, request);
    if let Some(BadHost(message)) = request.extensions().get::<BadHost>() {
        return Some(error_page(site, &AppError::BadRequest((*message).to_owned())));
    }
    if let Err(error) = super::limits::check_uri(request.uri(), state.http.max_uri_bytes) {
        return Some(error_page(site, &error));
    }
    match strip_prefix(request.uri(), &site.base_path) {
        Prefixed::Bare => return Some(redirect_to_root(request.uri(), &site.base_path)),
        Prefixed::Stripped(uri) => *request.uri_mut() = uri,
        Prefixed::No => {}
    }
    request.extensions_mut().insert(site);
    None
}

enum Prefixed {
    /// `/news` for prefix `/news/`: redirect to the root with the slash.
    Bare,
    /// `/news/articles/x` became `/articles/x`.
    Stripped(Uri),
    /// The path does not start with the prefix (the proxy stripped it).
    No,
}

fn strip_prefix(uri: &Uri, prefix: &str) -> Prefixed {
    let rewritten = match routed_path(uri, prefix) {
        None => return Prefixed::Bare,
        Some(RoutedPath::Unchanged) => return Prefixed::No,
        Some(RoutedPath::Stripped(pieces)) => pieces.concat(),
    };
    let mut parts = uri.clone().into_parts();
    parts.path_and_query = PathAndQuery::try_from(rewritten).ok();
    Uri::from_parts(parts).map_or(Prefixed::No, Prefixed::Stripped)
}

/// The path and query the routes see for a request URI.
pub(in crate::web) enum RoutedPath<'a> {
    /// The URI as it came (the proxy stripped the prefix, or there is none).
    Unchanged,
    /// The prefix removed: the pieces of `/rest?query`, to join or to hash
    /// without joining.
    Stripped([&'a str; 4]),
}

/// What [`resolve_site`] makes of `uri` under `prefix`; `None` for the bare
/// prefix (`/news` for `/news/`), which redirects.
pub(in crate::web) fn routed_path<'a>(uri: &'a Uri, prefix: &str) -> Option<RoutedPath<'a>> {
    if prefix == "/" {
        return Some(RoutedPath::Unchanged);
    }
    let path = uri.path();
    if path == prefix.trim_end_matches('/') {
        return None;
    }
    let Some(rest) = path.strip_prefix(prefix) else {
        return Some(RoutedPath::Unchanged);
    };
    Some(RoutedPath::Stripped(match uri.query() {
        Some(query) => ["/", rest, "?", query],
        None => ["/", rest, "", ""],
    }))
}

fn redirect_to_root(uri: &Uri, prefix: &str) -> Response {
    let location = match uri.query() {
        Some(query) => format!("{prefix}?{query}"),
        None => prefix.to_owned(),
    };
    (StatusCode::PERMANENT_REDIRECT, [(header::LOCATION, location)]).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn trusted() -> TrustedProxies {
        TrustedProxies::new(vec![parse_trusted_proxy("10.0.0.0/8").unwrap_or_default()])
    }

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        pairs
            .iter()
            .map(|(name, value)| {
                (axum::http::HeaderName::from_static(name), axum::http::HeaderValue::from_static(value))
            })
            .collect()
    }

    #[test]
    fn mapped_ipv4_addresses_are_trusted_like_ipv4() {
        assert!(trusted().contains("::ffff:10.1.2.3".parse().unwrap_or(IpAddr::from([0; 4]))));
        assert!(!trusted().contains(IpAddr::from([192, 168, 0, 1])));
    }

    #[test]
    fn the_client_is_the_nearest_untrusted_hop() {
        let forwarded =
            Forwarded::with_client(&headers(&[("x-forwarded-for", "6.6.6.6, 1.2.3.4, 10.0.0.2")]), &trusted());
        assert_eq!(forwarded.client, Some(IpAddr::from([1, 2, 3, 4])));
    }

    #[test]
    fn rfc_7239_forwarded_wins_over_x_forwarded() {
        let forwarded = Forwarded::from_headers(&headers(&[
            ("forwarded", "for=1.2.3.4;proto=https;host=\"example.org\""),
            ("x-forwarded-proto", "http"),
        ]));
        assert_eq!(forwarded.proto.as_deref(), Some("https"));
        assert_eq!(forwarded.host.as_deref(), Some("example.org"));
    }

    #[test]
    fn invalid_forwarded_values_are_dropped() {
        let forwarded = Forwarded::from_headers(&headers(&[
            ("x-forwarded-host", "evil.example/\"><script>"),
            ("x-forwarded-proto", "javascript"),
            ("x-forwarded-prefix", "/../etc"),
        ]));
        assert_eq!(forwarded, Forwarded::default());
    }

    #[test]
    fn the_prefix_is_stripped_when_present() {
        let uri: Uri = "/news/articles/a?page=2".parse().unwrap_or_default();
        assert!(matches!(strip_prefix(&uri, "/news/"), Prefixed::Stripped(uri) if uri == "/articles/a?page=2"));
        assert!(matches!(strip_prefix(&"/news".parse().unwrap_or_default(), "/news/"), Prefixed::Bare));
        assert!(matches!(strip_prefix(&"/articles/a".parse().unwrap_or_default(), "/news/"), Prefixed::No));
        assert!(matches!(strip_prefix(&"/newsroom".parse().unwrap_or_default(), "/news/"), Prefixed::No));
    }
}
