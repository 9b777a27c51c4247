//! `GET /media/{path}` and `/site-media/{path}`: the image files of the
//! articles directory and of `--media-root`, and their resized copies
//! (`?w=480`).
//!
//! Only files the library's scan found are served (so no path can climb
//! out of a folder), a symbolic link put in a file's place after the scan
//! is refused when opening it, and `--max-file-size` applies. The ETag
//! (a hash of the bytes), `304`s and keeping popular images in memory are
//! the page cache's, as for every page.
//!
//! SVG files are served, but never as a document a browser would run:
//! `Content-Security-Policy: sandbox` (no script, no same-origin access)
//! and `Content-Disposition: attachment`, which `<img>` ignores and a
//! navigation to the file obeys. They are kept out of shared caches
//! (`private`), which would drop those headers.

pub(crate) mod html;

use std::collections::HashSet;
use std::path::PathBuf;
use std::sync::Mutex;

use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use tokio::sync::Semaphore;

use crate::library::media::{MediaFile, MediaRoot};
use crate::media::{ImageKind, ResizedStore, WIDTHS, resize};
use crate::web::AppState;
use crate::web::error::AppError;
use crate::web::middleware::LastModified;

/// How long browsers and caches keep an image before asking again: an
/// image at a path rarely changes, and the ETag makes asking cheap.
const MEDIA_CACHE_CONTROL: &str = "public, max-age=3600";

/// The most source images [`MediaService`] remembers as not resizable.
const MAX_REFUSED: usize = 4096;

/// What serving images needs beyond the snapshot: where resized copies
/// are kept, how many may be made at once, and which sources failed.
#[derive(Debug)]
pub struct MediaService {
    store: ResizedStore,
    /// Resizing takes a core for up to a second: at most this many at once,
    /// each on a blocking thread, so request threads never wait on one.
    resizing: Semaphore,
    /// Content hashes of sources that could not be decoded: answered with
    /// the original at once rather than decoded again on every request.
    refused: Mutex<HashSet<u128>>,
    max_file_size: u64,
}

impl MediaService {
    /// Resized copies kept in `store`; files up to `max_file_size` served.
    pub fn new(store: ResizedStore, max_file_size: u64) -> Self {
        let cores = std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get);
        Self { store, resizing: Semaphore::new(cores.div_ceil(2)), refused: Mutex::default(), max_file_size }
    }

    /// Whether resized copies are made.
    pub fn resizes(&self) -> bool {
        self.store.is_enabled()
    }

    fn is_refused(&self, hash: u128) -> bool {
        self.refused.lock().is_ok_and(|refused| refused.contains(&hash))
    }

    fn refuse(&self, hash: u128) {
        if let Ok(mut refused) = self.refused.lock() {
            if refused.len() >= MAX_REFUSED {
                refused.clear();
            }
            refused.insert(hash);
        }
    }
}

impl Default for MediaService {
    fn default() -> Self {
        Self::new(ResizedStore::disabled(), crate::library::DEFAULT_MAX_FILE_SIZE)
    }
}

/// `GET /media/{path}`: an image of the articles directory.
pub(crate) async fn serve_media(
    State(state): State<AppState>,
    Path(path): Path<String>,
    RawQuery(query): RawQuery,
) -> Result<Response, AppError> {
    serve(&state, MediaRoot::Articles, &path, query.as_deref()).await
}

/// `GET /site-media/{path}`: an image of `--media-root`.
pub(crate) async fn serve_site_media(
    State(state): State<AppState>,
    Path(path): Path<String>,
    RawQuery(query): RawQuery,
) -> Result<Response, AppError> {
    serve(&state, MediaRoot::Site, &path, query.as_deref()).await
}

async fn serve(state: &AppState, root: MediaRoot, path: &str, query: Option<&str>) -> Result<Response, AppError> {
    let library = state.library.load_full();
    let media = library.media();
    let not_found = || AppError::NotFound(format!("There is no image “{path}”."));
    if media.served_root(root) != root {
        return Err(not_found());
    }
    let file = media.get(root, path).ok_or_else(not_found)?.clone();
    let dimensions = file
        .probed
        .as_ref()
        .map_err(|error| AppError::NotFound(format!("The image “{path}” cannot be shown: it {error}.")))?;
    let width = requested_width(query)?;
    let bytes = read_file(media.file_path(root, path), state.media.max_file_size).await?;
    let resized_width = width.filter(|&width| width < dimensions.width && file.kind.resizable());
    match resized_width {
        Some(width) if state.media.resizes() => Ok(resized(state, path, &file, bytes, width).await),
        _ => Ok(respond(&file, file.kind, bytes)),
    }
}

/// `?w=480`: one of [`WIDTHS`]; nothing else is made, so no client can
/// make the server resize one photo a thousand ways. Other parameters are
/// ignored, as on every page (the page cache's key leaves them out).
fn requested_width(query: Option<&str>) -> Result<Option<u32>, AppError> {
    let Some(query) = query.filter(|query| !query.is_empty()) else { return Ok(None) };
    let widths = WIDTHS.iter().map(u32::to_string).collect::<Vec<_>>().join(", ");
    let bad = || AppError::BadRequest(format!("An image can be asked for at a width (w) of {widths} pixels only."));
    let mut width = None;
    for pair in query.split('&').filter(|pair| !pair.is_empty()) {
        match pair.split_once('=') {
            Some(("w", value)) if width.is_none() => {
                width = Some(value.parse::<u32>().ok().filter(|width| WIDTHS.contains(width)).ok_or_else(bad)?);
            }
            Some(("w", _)) => return Err(bad()),
            _ => {}
        }
    }
    Ok(width)
}

/// The copy of `bytes` `width` pixels wide: from the cache folder, else
/// made now (off the request threads, a few at a time) and kept. A source
/// that cannot be decoded (truncated, a bomb the header hid) is logged
/// once and answered with the original.
async fn resized(state: &AppState, path: &str, file: &MediaFile, bytes: Vec<u8>, width: u32) -> Response {
    let service = &state.media;
    let hash = xxhash_rust::xxh3::xxh3_128(&bytes);
    if service.is_refused(hash) {
        return respond(file, file.kind, bytes);
    }
    let store = service.store.clone();
    if let Ok(Some((copy, kind))) = tokio::task::spawn_blocking(move || store.get(hash, width)).await {
        return respond(file, kind, copy);
    }
    let Ok(_permit) = service.resizing.acquire().await else { return respond(file, file.kind, bytes) };
    let (store, kind) = (service.store.clone(), file.kind);
    let made = tokio::task::spawn_blocking(move || {
        let made = resize(&bytes, kind, width);
        if let Ok(copy) = &made
            && let Err(error) = store.put(hash, width, copy.kind, &copy.bytes)
        {
            tracing::warn!(%error, "could not keep a resized image in the cache folder");
        }
        (made, bytes)
    })
    .await;
    match made {
        Ok((Ok(copy), _)) => respond(file, copy.kind, copy.bytes),
        Ok((Err(error), bytes)) => {
            tracing::warn!(path, %error, "image not resized: the original is served");
            service.refuse(hash);
            respond(file, file.kind, bytes)
        }
        Err(error) => {
            tracing::error!(path, %error, "resizing an image failed");
            AppError::Internal("resizing failed".into()).into_response()
        }
    }
}

/// Reads an image file without following a symbolic link in its place.
async fn read_file(path: PathBuf, max_file_size: u64) -> Result<Vec<u8>, AppError> {
    let read = tokio::task::spawn_blocking(move || read_no_follow(&path, max_file_size)).await;
    match read {
        Ok(Ok(bytes)) => Ok(bytes),
        Ok(Err(error)) => Err(AppError::NotFound(format!("The image cannot be read: {error}."))),
        Err(error) => Err(AppError::Internal(format!("reading an image: {error}"))),
    }
}

fn read_no_follow(path: &std::path::Path, max_file_size: u64) -> std::io::Result<Vec<u8>> {
    use std::io::Read;
    use std::os::unix::fs::MetadataExt;
    let link = std::fs::symlink_metadata(path)?;
    if !link.is_file() {
        return Err(std::io::Error::other("it is not a regular file"));
    }
    if link.len() > max_file_size {
        return Err(std::io::Error::other("it is larger than --max-file-size"));
    }
    let file = std::fs::File::open(path)?;
    let opened = file.metadata()?;
    // The same inode as the one looked at: not a link swapped in between.
    if (opened.dev(), opened.ino()) != (link.dev(), link.ino()) {
        return Err(std::io::Error::other("the file changed while it was opened"));
    }
    let mut bytes = Vec::with_capacity(opened.len() as usize);
    file.take(max_file_size).read_to_end(&mut bytes)?;
    Ok(bytes)
}

fn respond(file: &MediaFile, kind: ImageKind, bytes: Vec<u8>) -> Response {
    let modified = LastModified::from_timestamp(file.modified);
    let mut response = (modified, bytes).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(kind.mime()));
    if kind == ImageKind::Svg {
        headers.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static("sandbox"));
        headers.insert(header::CONTENT_DISPOSITION, HeaderValue::from_static("attachment"));
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("private, max-age=3600"));
    } else {
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(MEDIA_CACHE_CONTROL));
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_offered_widths_can_be_asked_for() {
        assert_eq!(requested_width(None).ok(), Some(None));
        assert_eq!(requested_width(Some("w=480")).ok(), Some(Some(480)));
        assert!(requested_width(Some("w=481")).is_err());
        assert!(requested_width(Some("w=480&w=960")).is_err());
        assert_eq!(requested_width(Some("x=1&w=160")).ok(), Some(Some(160)), "other parameters are ignored");
    }
}
