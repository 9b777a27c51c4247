//! Site-wide settings that pages need to build links.

use percent_encoding::{AsciiSet, CONTROLS, utf8_percent_encode};

use crate::article::ArticleId;

/// The default site title, shown in the header and in `<title>`.
pub const DEFAULT_TITLE: &str = "Broadsheet";

/// Settings fixed at start-up that every page uses.
#[derive(Debug, Clone)]
pub struct Site {
    /// Shown in the header and in every `<title>`.
    pub title: String,
    /// The public path prefix, always starting and ending with `/`
    /// (`/` or `/news/`). Every link is built from it.
    pub base_path: String,
    /// URL of the content-hashed stylesheet.
    pub stylesheet_url: String,
    /// URL of the content-hashed keyboard-shortcut script.
    pub script_url: String,
    /// URL of the content-hashed favicon.
    pub favicon_url: String,
}

impl Site {
    /// Settings for a site served at `base_path` (normalised to start and end
    /// with `/`).
    pub fn new(title: impl Into<String>, base_path: &str) -> Self {
        let base_path = normalise_base_path(base_path);
        let assets = super::assets::assets();
        Self {
            title: title.into(),
            stylesheet_url: format!("{base_path}static/{}", assets.stylesheet.hashed_name),
            script_url: format!("{base_path}static/{}", assets.script.hashed_name),
            favicon_url: format!("{base_path}static/{}", assets.favicon.hashed_name),
            base_path,
        }
    }

    /// The URL path of an article page, with each segment percent-encoded.
    pub fn article_url(&self, id: &ArticleId) -> String {
        format!("{}articles/{}", self.base_path, encode_path(id.as_str()))
    }

    /// The URL of a path below the site root (`path` has no leading `/`).
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base_path)
    }
}

impl Default for Site {
    fn default() -> Self {
        Self::new(DEFAULT_TITLE, "/")
    }
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

/// Percent-encodes a path of `/`-separated segments for use in a URL.
pub fn encode_path(path: &str) -> String {
    utf8_percent_encode(path, SEGMENT).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_path_is_normalised() {
        assert_eq!(normalise_base_path(""), "/");
        assert_eq!(normalise_base_path("news"), "/news/");
        assert_eq!(normalise_base_path("/news/"), "/news/");
    }

    #[test]
    fn article_urls_encode_spaces_but_keep_folders() {
        let site = Site::new("t", "/news");
        let id = ArticleId::new("News Articles/business/001");
        assert_eq!(site.article_url(&id), "/news/articles/News%20Articles/business/001");
    }
}
