//! Site-wide settings that pages need to build links.
//!
//! A [`Site`] knows the public path prefix (`/news/`) that every link starts
//! with and, when known, the public origin (`https://example.org`) for the few
//! URLs that must be absolute (canonical links, feeds). The operator fixes both
//! with `--base-url`; otherwise a trusted reverse proxy's forwarded headers
//! give a per-request [`Site`] (see `web::middleware::proxy`).

use std::sync::Arc;

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use percent_encoding::{AsciiSet, CONTROLS, utf8_percent_encode};

use super::AppState;
use super::urls::{self, SiteLinks};

/// The default site title, shown in the header and in `<title>`.
pub const DEFAULT_TITLE: &str = "Broadsheet";

/// The default one-line description, for the header, feeds and meta tags.
pub const DEFAULT_DESCRIPTION: &str = "News from every section and source, newest first.";

/// Settings fixed at start-up that every page uses.
#[derive(Debug, Clone)]
pub struct Site {
    /// Shown in the header and in every `<title>`.
    pub title: String,
    /// One line about the site: under the header, in feeds, in the meta
    /// description of pages that have none of their own.
    pub description: String,
    /// The public path prefix, always starting and ending with `/`
    /// (`/` or `/news/`). Every link is built from it.
    pub base_path: String,
    /// URL of the content-hashed stylesheet.
    pub stylesheet_url: String,
    /// URL of the content-hashed keyboard-shortcut script.
    pub script_url: String,
    /// URL of the content-hashed favicon.
    pub favicon_url: String,
    /// The links of the layout (navigation, the site's feeds).
    pub links: SiteLinks,
    /// `https://example.org` (scheme and authority, no trailing `/`) when the
    /// public origin is known; `None` means links are relative to the host.
    pub public_origin: Option<String>,
    /// A hash of the public URL, so caches can key on "which site" cheaply.
    pub identity: u64,
    /// How pages show images.
    pub images: ImageOptions,
}

/// How pages show images, fixed at start-up.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ImageOptions {
    /// Resized copies can be made (a writable cache folder): pages offer
    /// them in `srcset` and lists show thumbnails from them.
    pub resized: bool,
    /// `--remote-images`: images on other sites are shown, not linked.
    pub remote: bool,
}

impl Site {
    /// Settings for a site served at `base`: either a path prefix (`/news/`)
    /// or a whole base URL (`https://example.org/news/`). A base that is not a
    /// valid URL is taken as a path.
    pub fn new(title: impl Into<String>, base: &str) -> Self {
        let base = BaseUrl::parse(base).unwrap_or_else(|_| BaseUrl { origin: None, path: normalise_base_path(base) });
        Self::from_parts(title.into(), base.origin, base.path)
    }

    /// The same site seen through a proxy that gave a public origin and/or
    /// prefix for this request; what is not given stays as configured.
    pub(crate) fn with_public(&self, origin: Option<String>, base_path: Option<&str>) -> Self {
        let base_path = base_path.map_or_else(|| self.base_path.clone(), normalise_base_path);
        let mut site = Self::from_parts(self.title.clone(), origin.or_else(|| self.public_origin.clone()), base_path);
        site.images = self.images;
        site.with_description(self.description.clone())
    }

    /// The same site showing images as `images` says.
    pub fn with_images(mut self, images: ImageOptions) -> Self {
        self.images = images;
        self
    }

    /// The same site with another description.
    pub fn with_description(mut self, description: impl Into<String>) -> Self {
        self.description = description.into();
        self
    }

    fn from_parts(title: String, public_origin: Option<String>, base_path: String) -> Self {
        let assets = super::assets::assets();
        let public_url = format!("{}{base_path}", public_origin.as_deref().unwrap_or(""));
        let asset = |name: &str| urls::STATIC.url_below("", &base_path, &[name]);
        Self {
            title,
            description: DEFAULT_DESCRIPTION.to_owned(),
            stylesheet_url: asset(&assets.stylesheet.hashed_name),
            script_url: asset(&assets.script.hashed_name),
            favicon_url: asset(&assets.favicon.hashed_name),
            links: SiteLinks::new(&base_path),
            identity: xxhash_rust::xxh3::xxh3_64(public_url.as_bytes()),
            base_path,
            public_origin,
            images: ImageOptions::default(),
        }
    }

    /// The public URL of the site root: `https://example.org/news/` when the
    /// origin is known, else just the prefix (`/news/`).
    pub fn public_url(&self) -> String {
        self.absolute_url("")
    }

    /// The absolute URL of a path below the site root when the origin is
    /// known, else the host-relative URL (`path` has no leading `/`).
    pub(crate) fn absolute_url(&self, path: &str) -> String {
        match &self.public_origin {
            Some(origin) => format!("{origin}{}{path}", self.base_path),
            None => self.url(path),
        }
    }

    /// The URL of a path below the site root (`path` has no leading `/`).
    pub(crate) fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base_path)
    }
}

impl Default for Site {
    fn default() -> Self {
        Self::new(DEFAULT_TITLE, "/")
    }
}

/// The [`Site`] as the current request sees it: the configured one, or a
/// variant with the public origin and prefix a trusted proxy forwarded.
pub(crate) struct CurrentSite(pub(crate) Arc<Site>);

impl FromRequestParts<AppState> for CurrentSite {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        Ok(Self(parts.extensions.get::<Arc<Site>>().cloned().unwrap_or_else(|| state.site.clone())))
    }
}

/// The [`Site`] of this request with a public origin for the URLs that
/// must be absolute (feeds, sitemaps, `og:url`). When neither `--base-url`
/// nor a trusted proxy gave an origin, it is `http://` plus the request's
/// `Host` (responses vary by it: the page cache keys on it in that case).
/// Without a usable `Host` (HTTP/1.0) URLs stay host-relative.
pub(crate) struct AbsoluteSite(pub(crate) Arc<Site>);

impl FromRequestParts<AppState> for AbsoluteSite {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let Ok(CurrentSite(site)) = CurrentSite::from_request_parts(parts, state).await;
        if site.public_origin.is_some() {
            return Ok(Self(site));
        }
        match request_origin(parts) {
            Some(origin) => Ok(Self(Arc::new(site.with_public(Some(origin), None)))),
            None => Ok(Self(site)),
        }
    }
}

/// The [`Site`] of this request and the public origin that
/// [`AbsoluteSite`] would give it, without building a second [`Site`]: for
/// article pages, which need absolute URLs only for the article itself.
pub(crate) struct SiteAndOrigin {
    pub(crate) site: Arc<Site>,
    /// `https://example.org`, or `None` when links stay host-relative.
    pub(crate) origin: Option<String>,
}

impl FromRequestParts<AppState> for SiteAndOrigin {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let Ok(CurrentSite(site)) = CurrentSite::from_request_parts(parts, state).await;
        let origin = site.public_origin.clone().or_else(|| request_origin(parts));
        Ok(Self { site, origin })
    }
}

/// `http://` plus the request's host, for a site with no configured origin.
fn request_origin(parts: &Parts) -> Option<String> {
    request_host(&parts.uri, &parts.headers).map(|host| format!("http://{host}"))
}

/// The host (and port) a request was sent to: the URI's authority (HTTP/2)
/// or the `Host` header, lowercased, when it is a valid authority.
pub(crate) fn request_host(uri: &axum::http::Uri, headers: &axum::http::HeaderMap) -> Option<String> {
    let host = match uri.authority() {
        Some(authority) => authority.as_str(),
        None => headers.get(axum::http::header::HOST)?.to_str().ok()?,
    };
    super::middleware::proxy::is_valid_host(host).then(|| host.to_ascii_lowercase())
}

/// A parsed `--base-url`: an optional origin and a normalised path prefix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BaseUrl {
    /// `https://example.org`, or `None` for a bare path such as `/news/`.
    pub origin: Option<String>,
    /// Starts and ends with `/`.
    pub path: String,
}

impl BaseUrl {
    /// Parses `https://example.org/news/`, `http://127.0.0.1:8080` or a bare
    /// path (`/news`). Only `http` and `https` are accepted; a query, a
    /// fragment or user info is an error.
    pub fn parse(text: &str) -> Result<Self, String> {
        let text = text.trim();
        if text.starts_with('/') || text.is_empty() {
            return check_path(text).map(|path| Self { origin: None, path });
        }
        let uri: axum::http::Uri = text.parse().map_err(|error| format!("“{text}” is not a URL: {error}"))?;
        let scheme = uri.scheme_str().unwrap_or("");
        if scheme != "http" && scheme != "https" {
            return Err(format!("“{text}” must start with http:// or https://"));
        }
        let Some(authority) = uri.authority().filter(|authority| !authority.as_str().contains('@')) else {
            return Err(format!("“{text}” needs a host name and no user name"));
        };
        if uri.query().is_some() || text.contains('#') {
            return Err(format!("“{text}” must not have a query or fragment"));
        }
        let path = check_path(uri.path())?;
        Ok(Self { origin: Some(format!("{scheme}://{}", authority.as_str().to_ascii_lowercase())), path })
    }
}

impl std::fmt::Display for BaseUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}{}", self.origin.as_deref().unwrap_or(""), self.path)
    }
}

impl std::str::FromStr for BaseUrl {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Self::parse(text)
    }
}

/// A prefix may only hold URL-safe path characters (no `..` segments), since
/// it is pasted into every link.
fn check_path(path: &str) -> Result<String, String> {
    let safe = path.bytes().all(|byte| byte.is_ascii_alphanumeric() || b"/-._~%".contains(&byte));
    if !safe || path.split('/').any(|segment| segment == ".." || segment == ".") {
        return Err(format!("the path “{path}” may only contain letters, digits, and / - . _ ~"));
    }
    Ok(normalise_base_path(path))
}

/// Whether `prefix` is acceptable as a path prefix (for forwarded headers).
pub(crate) fn is_valid_prefix(prefix: &str) -> bool {
    prefix.starts_with('/') && check_path(prefix).is_ok()
}

fn normalise_base_path(path: &str) -> String {
    let trimmed = path.trim_matches('/');
    if trimmed.is_empty() { "/".to_owned() } else { format!("/{trimmed}/") }
}

/// Characters escaped inside one path segment; `/` is kept as the separator.
const SEGMENT: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'`')
    .add(b'{')
    .add(b'}')
    .add(b'\\')
    .add(b'^')
    .add(b'|')
    .add(b'[')
    .add(b']');

/// Appends `path` percent-encoded to `url`: the runs that need no encoding
/// are copied as they are, with no formatting machinery.
pub(crate) fn push_encoded_path(url: &mut String, path: &str) {
    // Ids are usually letters, digits, `_`, `-` and `/`, none of which
    // [`SEGMENT`] encodes: one check and one copy (article pages build
    // several URLs per request).
    if path.bytes().all(|byte| byte.is_ascii_alphanumeric() || matches!(byte, b'_' | b'-' | b'.' | b'/')) {
        url.push_str(path);
        return;
    }
    for piece in utf8_percent_encode(path, SEGMENT) {
        url.push_str(piece);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn encode_path(path: &str) -> String {
        let mut encoded = String::new();
        push_encoded_path(&mut encoded, path);
        encoded
    }

    #[test]
    fn plain_ids_are_copied_as_the_encoder_would_write_them() {
        let plain: String = ('a'..='z').chain('A'..='Z').chain('0'..='9').chain("_-./".chars()).collect();
        assert_eq!(encode_path(&plain), utf8_percent_encode(&plain, SEGMENT).to_string());
        assert_eq!(encode_path("a b/c%d"), "a%20b/c%25d");
    }

    #[test]
    fn base_path_is_normalised() {
        assert_eq!(normalise_base_path(""), "/");
        assert_eq!(normalise_base_path("news"), "/news/");
        assert_eq!(normalise_base_path("/news/"), "/news/");
    }

    #[test]
    fn a_full_base_url_names_origin_and_prefix() {
        let site = Site::new("t", "https://Example.org/news");
        assert_eq!(site.base_path, "/news/");
        assert_eq!(site.public_url(), "https://example.org/news/");
    }

    #[test]
    fn bad_base_urls_are_rejected() {
        for bad in ["ftp://example.org/", "https://user@example.org/", "https://example.org/?q=1", "/a/../b", "/a b"] {
            assert!(BaseUrl::parse(bad).is_err(), "{bad} should be rejected");
        }
        assert_eq!(BaseUrl::parse("http://127.0.0.1:8080").map(|b| b.to_string()), Ok("http://127.0.0.1:8080/".into()));
    }

    #[test]
    fn a_forwarded_prefix_replaces_the_configured_one() {
        let site = Site::new("t", "/").with_public(Some("https://a.example".into()), Some("/news"));
        assert_eq!(site.public_url(), "https://a.example/news/");
        assert_eq!(
            site.stylesheet_url,
            format!("/news/static/{}", super::super::assets::assets().stylesheet.hashed_name)
        );
        assert_ne!(site.identity, Site::new("t", "/").identity);
    }
}
