//! What the request log says: an expected answer (503 while search is still
//! indexing, with `Retry-After`) is not logged as an error.

use std::io::Write;
use std::sync::{Arc, Mutex};

use crate::support::TestApp;
use crate::support::{articles_dir, get};
use broadsheet::library::search::SearchIndex;
use broadsheet::web::router;

/// Log output collected in memory.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().expect("log buffer").extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn search_answering_503_while_indexing_is_not_an_error_in_the_log() {
    let dir = articles_dir(3);
    let mut state = TestApp::over(dir.path()).state();
    state.search = Arc::new(SearchIndex::pending(state.library.load().len()));
    let app = router(state);
    // Other tests in this binary may hit the request log's call sites first,
    // with no subscriber: tracing caches that as "never", and installing a
    // subscriber below re-asks only call sites whose registration finished.
    // Registering them here, on this thread, closes that race.
    for path in ["/search?q=headline", "/api/search?q=headline"] {
        get(&app, path, &[]).await;
    }
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::DEBUG)
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .finish();
    // This test's runtime polls on this thread only.
    let _guard = tracing::subscriber::set_default(subscriber);
    // Other tests' threads install and drop subscribers too, and each change
    // recomputes the callsites' cached interest: a line can still be missed.
    // Ask again until both answers are in the log (a few rounds at most).
    let mut log = String::new();
    for _ in 0..5 {
        tracing::callsite::rebuild_interest_cache();
        for path in ["/search?q=headline", "/api/search?q=headline"] {
            assert_eq!(get(&app, path, &[]).await.status, 503, "{path}");
        }
        log = String::from_utf8_lossy(&captured.0.lock().expect("log buffer")).into_owned();
        if log.matches("status=503").count() >= 2 {
            break;
        }
    }
    assert!(log.contains("status=503"), "the answers are logged: {log}");
    let errors: Vec<&str> = log.lines().filter(|line| line.contains("ERROR")).collect();
    assert!(errors.is_empty(), "logged as errors: {errors:#?}");
}
