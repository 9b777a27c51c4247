//! The encoded copies of a [`RenderedPage`](super::RenderedPage): made at a
//! fast quality the first time a client asks for a coding, and at the best
//! quality once the page proves popular ([`POPULAR_HITS`] cache hits).
//! Both are made off the request threads by [`super::compress`]; until a
//! copy exists, the page is answered in identity. A copy is swapped in
//! whole, so a request sees either the old copy or the new one.

use std::sync::OnceLock;
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};

use arc_swap::ArcSwapOption;
use axum::http::HeaderMap;
use bytes::Bytes;

use crate::web::middleware::encoding::{Encoding, Quality};

/// Cache hits after which a page's copies are worth the best compression.
pub(crate) const POPULAR_HITS: u32 = 16;

/// One encoded form of a page's body, with its own strong ETag and the
/// complete headers of its `200` and `304` responses.
#[derive(Debug, Default)]
pub(super) struct Variant {
    pub(super) body: Bytes,
    pub(super) headers: HeaderMap,
    /// Made on the first 304: most pages rendered are never revalidated.
    pub(super) not_modified_headers: OnceLock<HeaderMap>,
    /// How hard the body was compressed (`Fast` for identity, which is
    /// never redone).
    pub(super) quality: Option<Quality>,
}

/// The gzip and brotli copies of a page, and what decides when to make them.
#[derive(Debug, Default)]
pub(super) struct Encoded {
    gzip: ArcSwapOption<Variant>,
    brotli: ArcSwapOption<Variant>,
    /// Cache hits so far.
    hits: AtomicU32,
    /// Set while a compression of this page is scheduled or running, so
    /// concurrent requests do not start the same work twice.
    compressing: AtomicBool,
}

impl Encoded {
    fn cell(&self, encoding: Encoding) -> Option<&ArcSwapOption<Variant>> {
        match encoding {
            Encoding::Identity => None,
            Encoding::Gzip => Some(&self.gzip),
            Encoding::Brotli => Some(&self.brotli),
        }
    }

    /// Calls `answer` with the copy for `encoding`, or `None` while there is
    /// none.
    pub(super) fn with<R>(&self, encoding: Encoding, answer: impl FnOnce(Option<&Variant>) -> R) -> R {
        match self.cell(encoding) {
            Some(cell) => answer(cell.load().as_deref()),
            None => answer(None),
        }
    }

    /// The quality of the copy for `encoding`, if there is one.
    pub(super) fn quality(&self, encoding: Encoding) -> Option<Quality> {
        self.with(encoding, |variant| variant.and_then(|variant| variant.quality))
    }

    /// Keeps `variant` as the copy for `encoding` unless a better one is
    /// there already.
    pub(super) fn store(&self, encoding: Encoding, variant: Variant) {
        let Some(cell) = self.cell(encoding) else { return };
        if self.quality(encoding) < variant.quality {
            cell.store(Some(std::sync::Arc::new(variant)));
        }
    }

    /// Counts a cache hit; whether the page is now popular.
    pub(super) fn hit_is_popular(&self) -> bool {
        self.hits.fetch_add(1, Ordering::Relaxed).saturating_add(1) >= POPULAR_HITS
    }

    /// Marks a compression as started; false when one already is.
    pub(crate) fn begin_compressing(&self) -> bool {
        !self.compressing.swap(true, Ordering::AcqRel)
    }

    /// Marks the compression as over (done, or not started after all).
    pub(crate) fn end_compressing(&self) {
        self.compressing.store(false, Ordering::Release);
    }

    /// Bytes the copies hold, headers included.
    pub(super) fn weight(&self) -> usize {
        [Encoding::Gzip, Encoding::Brotli]
            .into_iter()
            .map(|encoding| self.with(encoding, |variant| variant.map_or(0, |variant| variant.body.len() + 1024)))
            .sum()
    }
}
