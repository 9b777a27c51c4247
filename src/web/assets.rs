//! Static assets (CSS, the keyboard-shortcut script, favicon), compiled into the binary and served under
//! content-hashed names, so they can be cached forever and a deploy never
//! serves stale CSS.

use std::sync::OnceLock;

use axum::extract::Path;
use axum::http::header;
use axum::response::{IntoResponse, Response};

use super::error::AppError;

/// One static file.
#[derive(Debug)]
pub(crate) struct Asset {
    /// `style.3f2a91c0.css`: the name with a hash of the content.
    pub hashed_name: String,
    pub content_type: &'static str,
    pub bytes: &'static [u8],
}

impl Asset {
    fn new(name: &str, content_type: &'static str, bytes: &'static [u8]) -> Self {
        let hash = xxhash_rust::xxh3::xxh3_64(bytes);
        let (stem, extension) = name.rsplit_once('.').unwrap_or((name, ""));
        Self { hashed_name: format!("{stem}.{:08x}.{extension}", hash as u32), content_type, bytes }
    }
}

/// Every asset the pages use.
#[derive(Debug)]
pub(crate) struct Assets {
    pub stylesheet: Asset,
    /// `keys.js`: optional keyboard shortcuts; every page works without it.
    pub script: Asset,
    pub favicon: Asset,
}

/// The assets, hashed once on first use.
pub(crate) fn assets() -> &'static Assets {
    static ASSETS: OnceLock<Assets> = OnceLock::new();
    ASSETS.get_or_init(|| Assets {
        stylesheet: Asset::new("style.css", "text/css; charset=utf-8", include_bytes!("../../static/style.css")),
        script: Asset::new("keys.js", "text/javascript; charset=utf-8", include_bytes!("../../static/keys.js")),
        favicon: Asset::new("favicon.svg", "image/svg+xml", include_bytes!("../../static/favicon.svg")),
    })
}

/// `GET /static/{file}`: only the exact hashed names exist.
pub(crate) async fn serve_asset(Path(file): Path<String>) -> Result<Response, AppError> {
    let assets = assets();
    let asset = [&assets.stylesheet, &assets.script, &assets.favicon]
        .into_iter()
        .find(|asset| asset.hashed_name == file)
        .ok_or_else(|| AppError::NotFound(format!("There is no static file “{file}”.")))?;
    Ok(asset_response(asset, IMMUTABLE))
}

/// `GET /favicon.ico`: browsers ask for it whatever the page says.
pub(crate) async fn serve_favicon() -> Response {
    asset_response(&assets().favicon, "public, max-age=86400")
}

/// Hashed names never change content, so browsers may keep them for a year.
const IMMUTABLE: &str = "public, max-age=31536000, immutable";

fn asset_response(asset: &Asset, cache_control: &'static str) -> Response {
    ([(header::CONTENT_TYPE, asset.content_type), (header::CACHE_CONTROL, cache_control)], asset.bytes).into_response()
}
