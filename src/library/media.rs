//! The image files beside the articles: which exist, how large they are,
//! and what an article's image references point at.
//!
//! Two folders hold images. Paths relative to an article (`photo.jpg`,
//! `../img/a.png`) are looked up in the articles directory, from the
//! article's folder; root-relative ones (`/assets/x.jpg`,
//! `/wp-content/uploads/…`), which a site generator resolves against its
//! site's root, are looked up in `--media-root` (by default the articles
//! directory too). Both are scanned at load, like article files: links are
//! never followed, `--max-file-size` applies, and every image's header is
//! probed (see [`crate::media::probe`]) so that pages can give its size and
//! never show a file that is not the image it claims to be.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use percent_encoding::percent_decode_str;
use rayon::prelude::*;

use crate::article::{Article, Paragraphs};
use crate::media::{Dimensions, IMAGE_EXTENSIONS, ImageKind, MediaError, PROBE_BYTES, probe};

/// Which folder an image is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum MediaRoot {
    /// The articles directory (`/media/…`).
    Articles,
    /// `--media-root`, when it is another folder (`/site-media/…`).
    Site,
}

/// One image file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MediaFile {
    pub kind: ImageKind,
    pub size: u64,
    pub modified: Option<jiff::Timestamp>,
    /// Its size as displayed, or why it cannot be shown.
    pub probed: Result<Dimensions, MediaError>,
}

impl MediaFile {
    /// The displayed size, when the image can be shown.
    pub fn dimensions(&self) -> Option<Dimensions> {
        self.probed.as_ref().ok().copied()
    }
}

/// The image files of both folders, by path (`/` between folders).
#[derive(Debug, Clone, Default)]
pub struct MediaIndex {
    articles: HashMap<String, MediaFile>,
    /// `None` when `--media-root` is the articles directory.
    site: Option<HashMap<String, MediaFile>>,
    articles_dir: PathBuf,
    site_dir: Option<PathBuf>,
}

/// Where an article's image reference points.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ImageSource<'a> {
    /// A file in one of the folders; `file` is `None` when it is missing.
    Local { root: MediaRoot, path: String, file: Option<&'a MediaFile> },
    /// An image on another site (`https://…`).
    Remote(String),
    /// Nothing Broadsheet can show (`data:`, a path above the folder).
    Unusable,
}

/// An article's lead image, and where it was named.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LeadImage<'a> {
    pub source: ImageSource<'a>,
    /// `true` for an image file named like the article (`NAME.jpg`).
    pub beside: bool,
}

/// Extensions tried for an image named like its article, in this order.
const LEAD_EXTENSIONS: &[&str] = &["jpg", "jpeg", "png", "webp", "avif", "gif", "JPG", "JPEG", "PNG", "WEBP"];

impl MediaIndex {
    /// An index over `articles_dir` whose image files are `found` (paths
    /// relative to it, from the loader's own walk).
    pub(crate) fn from_found(
        articles_dir: &Path,
        found: Vec<PathBuf>,
        media_root: Option<&Path>,
        max_file_size: u64,
    ) -> Self {
        let separate = media_root.filter(|root| !same_folder(root, articles_dir));
        Self {
            articles: probe_all(articles_dir, found, max_file_size),
            site: separate.map(|root| probe_all(root, list_images(root), max_file_size)),
            articles_dir: articles_dir.to_owned(),
            site_dir: separate.map(Path::to_owned),
        }
    }

    /// The index after the image files `changed` (relative to the articles
    /// directory) were added, edited or removed, or `None` if none was an
    /// image; `vanished` folders lose every image under them.
    pub(crate) fn updated(&self, changed: &[PathBuf], vanished: &[PathBuf], max_file_size: u64) -> Option<Self> {
        let images: Vec<&PathBuf> = changed.iter().filter(|path| ImageKind::of_path(path).is_some()).collect();
        let vanished: Vec<String> = vanished.iter().map(|path| key(path)).collect();
        let gone_under = |path: &str| vanished.iter().any(|folder| path.starts_with(&format!("{folder}/")));
        if images.is_empty() && !self.articles.keys().any(|path| gone_under(path)) {
            return None;
        }
        let mut next = self.clone();
        next.articles.retain(|path, _| !gone_under(path));
        for path in images {
            reprobe(&mut next.articles, &self.articles_dir, path, max_file_size);
        }
        Some(next)
    }

    /// The index after the paths `changed` under a separate `--media-root`
    /// (relative to it) changed: image files probed again or dropped,
    /// folders listed again; `None` when nothing changed.
    pub(crate) fn updated_media_root(&self, changed: &[PathBuf], max_file_size: u64) -> Option<Self> {
        let (Some(site), Some(root)) = (&self.site, &self.site_dir) else { return None };
        let mut next_site = site.clone();
        for path in changed {
            let prefix = format!("{}/", key(path));
            next_site.retain(|existing, _| !existing.starts_with(&prefix));
            if root.join(path).is_dir() {
                let inside = list_images(&root.join(path)).into_iter().map(|inner| path.join(inner));
                next_site.extend(probe_all(root, inside.collect(), max_file_size));
            } else if ImageKind::of_path(path).is_some() {
                reprobe(&mut next_site, root, path, max_file_size);
            }
        }
        (next_site != *site).then(|| Self { site: Some(next_site), ..self.clone() })
    }

    /// The separate `--media-root`, when there is one.
    pub fn site_dir(&self) -> Option<&Path> {
        self.site_dir.as_deref()
    }

    /// The image at `path` in `root`.
    pub fn get(&self, root: MediaRoot, path: &str) -> Option<&MediaFile> {
        match (root, &self.site) {
            (MediaRoot::Site, Some(site)) => site.get(path),
            _ => self.articles.get(path),
        }
    }

    /// The file on disk of the image at `path` in `root`.
    pub fn file_path(&self, root: MediaRoot, path: &str) -> PathBuf {
        let dir = match (root, &self.site_dir) {
            (MediaRoot::Site, Some(site)) => site,
            _ => &self.articles_dir,
        };
        path.split('/').fold(dir.clone(), |path, part| path.join(part))
    }

    /// The root a reference in `root` is served from: `Site` only when
    /// `--media-root` is another folder.
    pub fn served_root(&self, root: MediaRoot) -> MediaRoot {
        if self.site.is_some() { root } else { MediaRoot::Articles }
    }

    /// Every image, by folder and path, sorted.
    pub fn files(&self) -> Vec<(MediaRoot, &str, &MediaFile)> {
        let mut files: Vec<(MediaRoot, &str, &MediaFile)> =
            self.articles.iter().map(|(path, file)| (MediaRoot::Articles, path.as_str(), file)).collect();
        if let Some(site) = &self.site {
            files.extend(site.iter().map(|(path, file)| (MediaRoot::Site, path.as_str(), file)));
        }
        files.sort_by(|a, b| (a.0, a.1).cmp(&(b.0, b.1)));
        files
    }

    /// Number of image files.
    pub fn len(&self) -> usize {
        self.articles.len() + self.site.as_ref().map_or(0, HashMap::len)
    }

    /// Whether there is no image at all.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Where `src`, written in the article `article_id` (its id, `/`
    /// between folders), points. `src` is as the parser left it: relative
    /// to the article's page `articles/{id}` (so `../../assets/x.png` from
    /// `blog/post` is the site's `assets/x.png`), or root-relative.
    pub fn resolve(&self, article_id: &str, src: &str) -> ImageSource<'_> {
        let src = src.trim();
        if src.starts_with("http://") || src.starts_with("https://") {
            return ImageSource::Remote(src.to_owned());
        }
        if let Some(rest) = src.strip_prefix("//") {
            return ImageSource::Remote(format!("https://{rest}"));
        }
        let path = src.split(['?', '#']).next().unwrap_or("");
        if path.is_empty() || path.split('/').next().is_some_and(|first| first.contains(':')) {
            return ImageSource::Unusable;
        }
        let Some((root, path)) = locate(article_id, path) else { return ImageSource::Unusable };
        let root = self.served_root(root);
        let file = self.get(root, &path);
        ImageSource::Local { root, path, file }
    }

    /// Whether the article's body shows the image at `root`/`path` itself
    /// (a post whose `image:` is also its first picture).
    pub fn body_shows(&self, article: &Article, body: &Paragraphs, root: MediaRoot, path: &str) -> bool {
        body.iter().any(|paragraph| match paragraph {
            crate::article::ParagraphRef::Html { html, .. } if html.contains("<img") => {
                image_sources(html).iter().any(|src| {
                    matches!(self.resolve(article.id.as_str(), src),
                        ImageSource::Local { root: found, path: ref found_path, .. } if found == root && found_path == path)
                })
            }
            _ => false,
        })
    }

    /// The article's lead image: an image file named like the article
    /// (`NAME.jpg` beside `NAME.txt`), else the one its metadata names
    /// (front matter `image:`/`cover:`, a sidecar's `top_image`).
    pub fn lead_image(&self, article: &Article) -> Option<LeadImage<'_>> {
        if let Some(path) = &article.path {
            let stem = key(&path.with_extension(""));
            for extension in LEAD_EXTENSIONS {
                let candidate = format!("{stem}.{extension}");
                if let Some(file) = self.articles.get(&candidate) {
                    let source = ImageSource::Local { root: MediaRoot::Articles, path: candidate, file: Some(file) };
                    return Some(LeadImage { source, beside: true });
                }
            }
        }
        let named = article.details().image.as_deref()?;
        Some(LeadImage { source: self.resolve(article.id.as_str(), named), beside: false })
    }
}

/// The folder and path a reference names, relative to the page
/// `articles/{id}`; `None` when it climbs above the site.
fn locate(article_id: &str, path: &str) -> Option<(MediaRoot, String)> {
    let decoded = percent_decode_str(path).decode_utf8().ok()?;
    let mut segments: Vec<&str> = Vec::new();
    if !decoded.starts_with('/') {
        segments.push("articles");
        let folders = article_id.rsplit_once('/').map_or("", |(folders, _)| folders);
        segments.extend(folders.split('/').filter(|part| !part.is_empty()));
    }
    for part in decoded.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                segments.pop()?;
            }
            part => segments.push(part),
        }
    }
    match segments.split_first() {
        Some((&"articles", rest)) if !decoded.starts_with('/') && !rest.is_empty() => {
            Some((MediaRoot::Articles, rest.join("/")))
        }
        Some(_) => Some((MediaRoot::Site, segments.join("/"))),
        None => None,
    }
}

/// A relative path as an index key: `/` between parts on every platform.
fn key(path: &Path) -> String {
    let parts: Vec<String> = path.components().map(|part| part.as_os_str().to_string_lossy().into_owned()).collect();
    parts.join("/")
}

fn same_folder(a: &Path, b: &Path) -> bool {
    a == b || a.canonicalize().ok().is_some_and(|a| b.canonicalize().is_ok_and(|b| a == b))
}

/// Image files under `dir`, relative to it: hidden folders skipped, links
/// not followed.
fn list_images(dir: &Path) -> Vec<PathBuf> {
    walkdir::WalkDir::new(dir)
        .follow_links(false)
        .into_iter()
        .filter_entry(|entry| entry.depth() == 0 || !super::load::is_ignored_name(&entry.file_name().to_string_lossy()))
        .filter_map(Result::ok)
        .filter(|entry| entry.file_type().is_file() && is_image(entry.path()))
        .filter_map(|entry| entry.path().strip_prefix(dir).ok().map(Path::to_path_buf))
        .collect()
}

/// Whether the path's extension is an image's.
pub(crate) fn is_image(path: &Path) -> bool {
    path.extension()
        .and_then(|extension| extension.to_str())
        .is_some_and(|extension| IMAGE_EXTENSIONS.contains(&extension.to_ascii_lowercase().as_str()))
}

fn probe_all(dir: &Path, paths: Vec<PathBuf>, max_file_size: u64) -> HashMap<String, MediaFile> {
    paths.into_par_iter().filter_map(|path| Some((key(&path), probe_file(dir, &path, max_file_size)?))).collect()
}

/// Probes the image at `path` (relative to `dir`) into `files` again, or
/// drops it when it is no longer there.
fn reprobe(files: &mut HashMap<String, MediaFile>, dir: &Path, path: &Path, max_file_size: u64) {
    match probe_file(dir, path, max_file_size) {
        Some(file) => files.insert(key(path), file),
        None => files.remove(&key(path)),
    };
}

/// Reads the header of the image file at `path` (relative to `dir`);
/// `None` when it is not there or not a regular file.
fn probe_file(dir: &Path, path: &Path, max_file_size: u64) -> Option<MediaFile> {
    use std::io::Read;
    let kind = ImageKind::of_path(path)?;
    let full = dir.join(path);
    let metadata = std::fs::symlink_metadata(&full).ok().filter(std::fs::Metadata::is_file)?;
    let modified = metadata.modified().ok().and_then(|time| jiff::Timestamp::try_from(time).ok());
    let size = metadata.len();
    let probed = if size > max_file_size {
        Err(MediaError::TooLarge { size, limit: max_file_size })
    } else {
        let mut head = Vec::with_capacity(PROBE_BYTES.min(size as usize));
        match std::fs::File::open(&full).and_then(|file| file.take(PROBE_BYTES as u64).read_to_end(&mut head)) {
            Ok(_) => probe(&head, kind),
            Err(error) => Err(MediaError::Unreadable { kind: kind.name(), reason: error.to_string() }),
        }
    };
    Some(MediaFile { kind, size, modified, probed })
}

/// An image an article names that cannot be shown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImageWarning<'a> {
    pub article: &'a Article,
    /// The reference as the article wrote it.
    pub reference: String,
    pub reason: String,
}

impl MediaIndex {
    /// Every image the articles name (in the body, or as their lead image)
    /// that is missing or cannot be shown, in article order. Remote images
    /// are not checked: nothing is fetched.
    pub fn warnings<'a>(&self, articles: impl IntoIterator<Item = &'a Article>) -> Vec<ImageWarning<'a>> {
        let mut warnings = Vec::new();
        for article in articles {
            let body = article.body();
            let bodies = body.iter().filter_map(|paragraph| match paragraph {
                crate::article::ParagraphRef::Html { html, .. } if html.contains("<img") => Some(html),
                _ => None,
            });
            let mut references: Vec<String> = bodies.flat_map(image_sources).collect();
            references.extend(article.details().image.clone());
            for reference in references {
                let reason = match self.resolve(article.id.as_str(), &reference) {
                    ImageSource::Local { root, path, file: None } => {
                        let folder = if root == MediaRoot::Site { "--media-root" } else { "the articles directory" };
                        format!("image not found: {path} (in {folder})")
                    }
                    ImageSource::Local { path, file: Some(MediaFile { probed: Err(error), .. }), .. } => {
                        format!("image {path} not shown: it {error}")
                    }
                    ImageSource::Unusable => "image reference that is no file or web address".to_owned(),
                    _ => continue,
                };
                warnings.push(ImageWarning { article, reference, reason });
            }
        }
        warnings
    }
}

/// The `src` of every `<img>` in sanitised HTML, entities decoded.
pub(crate) fn image_sources(html: &str) -> Vec<String> {
    let mut sources = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find("<img") {
        let Some(length) = rest[start..].find('>') else { break };
        let tag = &rest[start..start + length];
        if let Some(at) = tag.find(" src=\"") {
            let value = &tag[at + 6..];
            if let Some(end) = value.find('"') {
                sources.push(html_escape::decode_html_entities(&value[..end]).into_owned());
            }
        }
        rest = &rest[start + length..];
    }
    sources
}

/// Shared by snapshots until an image changes.
pub(crate) type SharedMedia = Arc<MediaIndex>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_resolve_from_the_articles_page() {
        assert_eq!(locate("blog/post", "photo.jpg"), Some((MediaRoot::Articles, "blog/photo.jpg".into())));
        assert_eq!(locate("post", "img/a%20b.png"), Some((MediaRoot::Articles, "img/a b.png".into())));
        assert_eq!(locate("blog/post", "../other/p.jpg"), Some((MediaRoot::Articles, "other/p.jpg".into())));
        assert_eq!(locate("blog/post", "../../assets/x.png"), Some((MediaRoot::Site, "assets/x.png".into())));
        assert_eq!(locate("blog/post", "/wp-content/u/x.png"), Some((MediaRoot::Site, "wp-content/u/x.png".into())));
        assert_eq!(locate("post", "../../../etc/passwd"), None);
        assert_eq!(locate("post", "/../x.png"), None);
    }

    #[test]
    fn remote_and_unusable_references_are_told_apart() {
        let index = MediaIndex::default();
        assert_eq!(
            index.resolve("a", "https://cdn.example/x.jpg"),
            ImageSource::Remote("https://cdn.example/x.jpg".into())
        );
        assert_eq!(index.resolve("a", "//cdn.example/x.jpg"), ImageSource::Remote("https://cdn.example/x.jpg".into()));
        assert_eq!(index.resolve("a", "data:image/png;base64,AAAA"), ImageSource::Unusable);
        assert_eq!(index.resolve("a", "javascript:alert(1)"), ImageSource::Unusable);
        assert!(matches!(index.resolve("a", "x.png"), ImageSource::Local { file: None, .. }));
    }
}
