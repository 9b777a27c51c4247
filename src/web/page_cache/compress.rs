//! Compression off the request threads, with a bound on how much runs at
//! once, so that no client — not one asking for a new URL with every
//! request — can turn compression into a CPU sink.
//!
//! A page's copy is made on tokio's blocking pool while holding one of a few
//! permits ([`Compressor`]); when none is free the request is answered in
//! identity at once rather than queued, and a later request asks again. A
//! request that renders a page waits for its fast copy
//! ([`PageCache::compress_now`]); a cache hit never waits: it is answered
//! with what the page has, and starts a missing or better copy in the
//! background ([`PageCache::compress_later`]). A kept page is weighed again
//! once its copy exists, so compressed bytes count against `--cache-size`.

use std::sync::Arc;

use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use super::{PageCache, RenderedPage};
use crate::web::middleware::encoding::{Encoding, Quality};

/// The permits for compressing: one per two cores, at least one, so that
/// compression never takes more than half the machine from serving.
#[derive(Debug, Clone)]
pub(crate) struct Compressor {
    permits: Arc<Semaphore>,
}

impl Default for Compressor {
    fn default() -> Self {
        let cores = std::thread::available_parallelism().map_or(1, usize::from);
        Self { permits: Arc::new(Semaphore::new((cores / 2).max(1))) }
    }
}

impl Compressor {
    /// A permit and the page's "compressing" mark, or `None` when either is
    /// taken (or there is no runtime to compress on).
    fn begin(&self, page: &RenderedPage) -> Option<OwnedSemaphorePermit> {
        tokio::runtime::Handle::try_current().ok()?;
        if !page.compressing().begin_compressing() {
            return None;
        }
        let permit = self.permits.clone().try_acquire_owned().ok();
        if permit.is_none() {
            page.compressing().end_compressing();
        }
        permit
    }
}

impl PageCache {
    /// Makes `page`'s copy in `encoding` at `quality` on the blocking pool
    /// and waits for it; returns at once when the compressor is busy. A
    /// page kept under `key` is weighed again.
    pub(in crate::web) async fn compress_now(
        &self,
        key: u128,
        page: &Arc<RenderedPage>,
        encoding: Encoding,
        quality: Quality,
    ) {
        let Some(permit) = self.compressor.begin(page) else { return };
        let compressed = page.clone();
        let done = tokio::task::spawn_blocking(move || {
            compressed.compress(encoding, quality);
            compressed.compressing().end_compressing();
            drop(permit);
        });
        // A panic in the compressor leaves the page in identity.
        let _ = done.await;
        self.reweigh(key, page);
    }

    /// [`compress_now`](Self::compress_now) without waiting, for cache hits.
    pub(in crate::web) fn compress_later(
        &self,
        key: u128,
        page: &Arc<RenderedPage>,
        encoding: Encoding,
        quality: Quality,
    ) {
        if tokio::runtime::Handle::try_current().is_err() {
            return;
        }
        let (cache, page) = (self.clone(), page.clone());
        tokio::spawn(async move { cache.compress_now(key, &page, encoding, quality).await });
    }

    /// Inserts `page` again if it is the one kept under `key`, so the cache
    /// weighs its new copy.
    fn reweigh(&self, key: u128, page: &Arc<RenderedPage>) {
        if self.get(key).is_some_and(|kept| Arc::ptr_eq(&kept, page)) {
            self.insert(key, page.clone());
        }
    }
}
