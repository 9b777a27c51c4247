//! Telling systemd how the service is doing (`sd_notify`), for units of
//! `Type=notify`: ready once the articles are loaded and the server
//! listens — so `systemctl start` returns, and units ordered after
//! Broadsheet start, only when it can answer — and stopping once shutdown
//! begins. Outside systemd (no `NOTIFY_SOCKET`) every call does nothing.

use sd_notify::NotifyState;

/// The articles are loaded and the server listens.
pub fn notify_ready(articles: usize) {
    let status = format!("Serving {articles} articles");
    send(&[NotifyState::Ready, NotifyState::Status(&status)]);
}

/// Shutdown has begun: requests in flight are finishing.
pub fn notify_stopping() {
    send(&[NotifyState::Stopping, NotifyState::Status("Finishing requests in flight")]);
}

/// A failed notification is logged, never fatal: the server works either way,
/// and systemd reports a unit that never became ready by itself.
fn send(states: &[NotifyState<'_>]) {
    if let Err(error) = sd_notify::notify(states) {
        tracing::warn!(%error, "cannot notify systemd");
    }
}
