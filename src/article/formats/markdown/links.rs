//! Where links written for a static site generator point on Broadsheet.
//!
//! The parser is pure: it knows the article's id (its path below the
//! articles folder) but not the address the server is deployed at, which
//! may be a sub-path behind a proxy (`https://example.org/news/`). So every
//! link made here is *relative* to the article's own page,
//! `{base}articles/{id}`: a root-relative `/assets/x.png` would escape the
//! sub-path, while `../../assets/x.png` resolves under any base, in the
//! page and in feed readers that resolve against the entry's link.
//!
//! - The site's base (`{{ site.baseurl }}`, `{{ site.url }}`, a Hugo
//!   `/images/…` path) is the server's base: `..` once per level of the id.
//! - A link to another post (`{% post_url %}`, `{% link _posts/….md %}`,
//!   Hugo's `relref`) is the URL of the article that file would be:
//!   `/articles/{folder}/{stem}`, written relative to this page.

use percent_encoding::{AsciiSet, CONTROLS, utf8_percent_encode};

use crate::article::ArticleId;

/// Characters that cannot stand for themselves in a URL path segment.
const SEGMENT: &AsciiSet =
    &CONTROLS.add(b' ').add(b'"').add(b'#').add(b'<').add(b'>').add(b'?').add(b'`').add(b'{').add(b'}').add(b'%');

/// Extensions of files Broadsheet serves as articles.
const ARTICLE_EXTENSIONS: &[&str] = &["md", "markdown", "mkd", "txt", "text"];

/// The article's place in the articles folder, to write links from.
#[derive(Debug, Clone, Default)]
pub(super) struct Links {
    /// The id's folders, without the file's own name.
    folder: Vec<String>,
}

impl Links {
    pub fn new(id: &ArticleId) -> Self {
        let mut segments: Vec<String> = id.as_str().split('/').map(str::to_owned).collect();
        segments.pop();
        Self { folder: segments }
    }

    /// The server's base, relative to the article's page, with no trailing
    /// slash (a site path `/x` is appended as written).
    pub fn site_root(&self) -> String {
        vec![".."; self.folder.len() + 1].join("/")
    }

    /// A site path such as `/images/a.png` as a link that works here.
    pub fn site_path(&self, path: &str) -> String {
        match path.strip_prefix('/') {
            Some(rest) if !rest.starts_with('/') => format!("{}/{rest}", self.site_root()),
            _ => path.to_owned(),
        }
    }

    /// Jekyll's `{% post_url 2010-07-21-name %}`: a post in the same
    /// `_posts` folder (or a sub-folder of it).
    pub fn post(&self, name: &str) -> Option<String> {
        let name = name.trim().trim_matches(['"', '\'']).trim_start_matches('/');
        let segments: Vec<&str> = name.split('/').filter(|s| !s.is_empty()).collect();
        let (last, folders) = segments.split_last()?;
        let mut target: Vec<String> = self.folder.clone();
        target.extend(folders.iter().map(|s| (*s).to_owned()));
        target.push(strip_extension(last).to_owned());
        Some(self.relative(&target))
    }

    /// Jekyll's `{% link path %}`, a path from the site's root. A page that
    /// is not an article file (`assets/a.pdf`) is a file of the site.
    pub fn site_file(&self, path: &str) -> Option<String> {
        let path = path.trim().trim_matches(['"', '\'']).trim_start_matches('/');
        let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
        let last = segments.last()?;
        if !is_article_file(last) {
            let encoded: Vec<String> = segments.iter().map(|s| utf8_percent_encode(s, SEGMENT).to_string()).collect();
            return Some(self.site_path(&format!("/{}", encoded.join("/"))));
        }
        let mut target = self.jekyll_target(&segments)?;
        if let Some(last) = target.last_mut() {
            *last = strip_extension(last).to_owned();
        }
        Some(self.relative(&target))
    }

    /// Hugo's `relref`/`ref`: a bare name is a sibling, `/section/x.md` is
    /// read from the `content` folder (or, without one in the id, from the
    /// folder above this article's when the section is this article's).
    pub fn hugo_page(&self, reference: &str) -> Option<String> {
        let reference = reference.trim().trim_matches(['"', '\'']);
        let (path, anchor) = reference.split_once('#').map_or((reference, None), |(p, a)| (p, Some(a)));
        let fragment = anchor.map(|a| format!("#{a}")).unwrap_or_default();
        if path.is_empty() {
            return anchor.map(|_| fragment);
        }
        let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty() && *s != ".").collect();
        let root = if path.starts_with('/') { self.hugo_root(&segments)? } else { self.folder.clone() };
        let mut target = root;
        target.extend(segments.iter().map(|s| (*s).to_owned()));
        let last = target.last_mut()?;
        *last = strip_extension(last).to_owned();
        Some(format!("{}{fragment}", self.relative(&target)))
    }

    /// The article id a site path names: from the folder holding `_posts`;
    /// or, when the articles folder is the `_posts` folder itself, a path
    /// into `_posts/` names a file in this article's folder.
    fn jekyll_target(&self, segments: &[&str]) -> Option<Vec<String>> {
        let owned = |segments: &[&str]| segments.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
        if let Some(index) = self.folder.iter().position(|folder| folder == "_posts") {
            return Some([self.folder[..index].to_vec(), owned(segments)].concat());
        }
        match segments {
            ["_posts", rest @ ..] if !rest.is_empty() => Some([self.folder.clone(), owned(rest)].concat()),
            _ => None,
        }
    }

    fn hugo_root(&self, segments: &[&str]) -> Option<Vec<String>> {
        if let Some(index) = self.folder.iter().rposition(|folder| folder == "content") {
            return Some(self.folder[..=index].to_vec());
        }
        let own = self.folder.last()?;
        (segments.len() > 1 && segments.first() == Some(&own.as_str())).then(|| self.parent_folder())
    }

    fn parent_folder(&self) -> Vec<String> {
        self.folder[..self.folder.len().saturating_sub(1)].to_vec()
    }

    /// The article id `target` as a link relative to this article's page.
    fn relative(&self, target: &[String]) -> String {
        let Some((name, folders)) = target.split_last() else {
            return String::new();
        };
        let common = self.folder.iter().zip(folders).take_while(|(a, b)| a == b).count();
        let mut parts: Vec<String> = vec!["..".to_owned(); self.folder.len() - common];
        parts.extend(folders[common..].iter().chain([name]).map(|s| utf8_percent_encode(s, SEGMENT).to_string()));
        parts.join("/")
    }
}

fn is_article_file(name: &str) -> bool {
    name.rsplit_once('.')
        .is_none_or(|(_, extension)| ARTICLE_EXTENSIONS.iter().any(|e| e.eq_ignore_ascii_case(extension)))
}

fn strip_extension(name: &str) -> &str {
    match name.rsplit_once('.') {
        Some((stem, extension)) if ARTICLE_EXTENSIONS.iter().any(|e| e.eq_ignore_ascii_case(extension)) => stem,
        _ => name,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn links(id: &str) -> Links {
        Links::new(&ArticleId::new(id))
    }

    #[test]
    fn the_site_root_climbs_once_per_level_of_the_id() {
        assert_eq!(links("post").site_root(), "..");
        assert_eq!(links("jekyll/_posts/2015-01-01-a").site_root(), "../../..");
        assert_eq!(links("blog/x").site_path("/images/a.png"), "../../images/a.png");
        assert_eq!(links("blog/x").site_path("//cdn.example/a.png"), "//cdn.example/a.png");
    }

    #[test]
    fn posts_resolve_to_their_siblings() {
        let here = links("jekyll/_posts/2015-01-01-a");
        assert_eq!(here.post("2010-07-21-name").as_deref(), Some("2010-07-21-name"));
        assert_eq!(here.site_file("_posts/2016-01-01-b.md").as_deref(), Some("2016-01-01-b"));
        assert_eq!(here.site_file("about.md").as_deref(), Some("../about"));
        assert_eq!(here.site_file("assets/a b.pdf").as_deref(), Some("../../../assets/a%20b.pdf"));
        let flat = links("2015-01-01-a");
        assert_eq!(flat.site_file("_posts/2016-01-01-b.markdown").as_deref(), Some("2016-01-01-b"));
        assert_eq!(flat.site_file("about.md"), None);
    }

    #[test]
    fn hugo_references_resolve_from_the_content_folder() {
        let here = links("site/content/blog/dnstap");
        assert_eq!(here.hugo_page("/blog/coredns-010.md").as_deref(), Some("coredns-010"));
        assert_eq!(here.hugo_page("/plugins/dnstap.md").as_deref(), Some("../plugins/dnstap"));
        assert_eq!(here.hugo_page("other.md#setup").as_deref(), Some("other#setup"));
        let bare = links("blog/dnstap");
        assert_eq!(bare.hugo_page("/blog/a.md").as_deref(), Some("a"));
        assert_eq!(bare.hugo_page("/plugins/a.md"), None);
        assert_eq!(links("blog/a b").hugo_page("c d.md").as_deref(), Some("c%20d"));
    }
}
