//! A lock-free request latency histogram for `/metrics`.
//!
//! prometheus-client's `Histogram` takes a mutex on every observation, and
//! every request observes one: with several worker threads answering cached
//! pages in a few microseconds, that lock is a shared cache line bounced
//! between cores. [`LatencyHistogram`] keeps its buckets, count and sum in
//! atomics instead, and encodes as an ordinary OpenMetrics histogram.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use prometheus_client::encoding::{EncodeMetric, MetricEncoder, NoLabelSet};
use prometheus_client::metrics::{MetricType, TypedMetric};

/// Upper bounds of the buckets in nanoseconds: 50 µs doubling to ~1.6 s,
/// then `+Inf`.
const BOUNDS_NANOS: [u64; 16] = {
    let mut bounds = [0; 16];
    let mut index = 0;
    while index < bounds.len() {
        bounds[index] = 50_000 << index;
        index += 1;
    }
    bounds
};

#[derive(Debug, Default)]
struct Buckets {
    /// Non-cumulative counts; the last one is `+Inf`.
    counts: [AtomicU64; BOUNDS_NANOS.len() + 1],
    count: AtomicU64,
    sum_nanos: AtomicU64,
}

/// A histogram of durations whose observations are three relaxed atomic
/// additions. Clones share the buckets.
#[derive(Debug, Clone, Default)]
pub(crate) struct LatencyHistogram(Arc<Buckets>);

impl LatencyHistogram {
    /// Records one duration.
    pub(crate) fn observe(&self, elapsed: Duration) {
        let nanos = u64::try_from(elapsed.as_nanos()).unwrap_or(u64::MAX);
        let bucket = BOUNDS_NANOS.partition_point(|&bound| bound < nanos);
        // Scrapes need no snapshot consistency between the three numbers.
        self.0.counts[bucket].fetch_add(1, Ordering::Relaxed);
        self.0.count.fetch_add(1, Ordering::Relaxed);
        self.0.sum_nanos.fetch_add(nanos, Ordering::Relaxed);
    }

    /// How many durations were recorded.
    pub(crate) fn count(&self) -> u64 {
        self.0.count.load(Ordering::Relaxed)
    }
}

impl TypedMetric for LatencyHistogram {
    const TYPE: MetricType = MetricType::Histogram;
}

impl EncodeMetric for LatencyHistogram {
    fn encode(&self, mut encoder: MetricEncoder) -> Result<(), std::fmt::Error> {
        let bounds = BOUNDS_NANOS.iter().map(|&nanos| nanos as f64 / 1e9).chain([f64::INFINITY]);
        let buckets: Vec<(f64, u64)> =
            bounds.zip(&self.0.counts).map(|(bound, count)| (bound, count.load(Ordering::Relaxed))).collect();
        let sum = self.0.sum_nanos.load(Ordering::Relaxed) as f64 / 1e9;
        encoder.encode_histogram::<NoLabelSet>(sum, self.count(), &buckets, None)
    }

    fn metric_type(&self) -> MetricType {
        Self::TYPE
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn observations_land_in_the_first_bucket_that_holds_them() {
        let histogram = LatencyHistogram::default();
        histogram.observe(Duration::from_micros(10));
        histogram.observe(Duration::from_micros(50));
        histogram.observe(Duration::from_micros(51));
        histogram.observe(Duration::from_secs(60));
        let counts: Vec<u64> = histogram.0.counts.iter().map(|count| count.load(Ordering::Relaxed)).collect();
        assert_eq!(counts[0], 2, "≤ 50 µs");
        assert_eq!(counts[1], 1, "≤ 100 µs");
        assert_eq!(counts[BOUNDS_NANOS.len()], 1, "+Inf");
        assert_eq!(histogram.count(), 4);
    }
}
