//! The real binary rescans its directory on SIGHUP, even with `--watch off`,
//! and reopens its access log file on SIGHUP and SIGUSR1 (for logrotate).
#![cfg(unix)]

use std::process::Command;
use std::time::{Duration, Instant};

use crate::support::binary::Served;

async fn status(url: &str) -> Option<u16> {
    Some(reqwest::get(url).await.ok()?.status().as_u16())
}

/// Polls `url` until it answers `expected`; fails after `within`.
async fn wait_for(url: &str, expected: u16, within: Duration) {
    let deadline = Instant::now() + within;
    while status(url).await != Some(expected) {
        assert!(Instant::now() < deadline, "{url} did not answer {expected} within {within:?}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

#[tokio::test]
async fn sighup_makes_the_server_rescan_with_watching_off() {
    let dir = crate::support::articles_dir(2);
    let server = Served::start(&["--articles".as_ref(), dir.path().as_os_str(), "--watch".as_ref(), "off".as_ref()]);
    let origin = server.url("");

    std::fs::write(dir.path().join("late.txt"), "Late news\n\nIt arrived after the start.\n").expect("write");
    std::fs::remove_file(dir.path().join("001_test.txt")).expect("delete");
    let hangup = Command::new("kill").args(["-HUP", &server.pid().to_string()]).status().expect("kill -HUP");
    assert!(hangup.success());
    wait_for(&format!("{origin}/articles/late"), 200, Duration::from_secs(2)).await;
    wait_for(&format!("{origin}/articles/001_test"), 410, Duration::from_secs(2)).await;
}

/// Requests `url` until `file` has a line containing `text` (a request
/// sent before the signal arrived is in the old file).
async fn wait_for_line(url: &str, file: &std::path::Path, text: &str) {
    let deadline = Instant::now() + Duration::from_secs(5);
    while !std::fs::read_to_string(file).unwrap_or_default().contains(text) {
        assert!(Instant::now() < deadline, "{} has no line with {text}", file.display());
        status(url).await;
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

#[tokio::test]
async fn sigusr1_and_sighup_reopen_the_access_log_and_sighup_still_rescans() {
    let (dir, logs) = (crate::support::articles_dir(2), tempfile::tempdir().expect("temp dir"));
    let log = logs.path().join("access.log");
    let args = ["--articles".as_ref(), dir.path().as_os_str(), "--watch".as_ref(), "off".as_ref()];
    let server = Served::start(&[&args[..], &["--access-log".as_ref(), log.as_os_str()]].concat());
    let origin = server.url("");
    wait_for_line(&format!("{origin}/healthz"), &log, "GET /healthz").await;
    for (signal, path) in [("-USR1", "/readyz"), ("-HUP", "/articles/late")] {
        std::fs::rename(&log, logs.path().join("access.log.1")).expect("rotate");
        if signal == "-HUP" {
            std::fs::write(dir.path().join("late.txt"), "Late news\n\nIt arrived after the start.\n").expect("write");
        }
        let sent = Command::new("kill").args([signal, &server.pid().to_string()]).status().expect("kill");
        assert!(sent.success());
        wait_for(&format!("{origin}{path}"), 200, Duration::from_secs(2)).await;
        wait_for_line(&format!("{origin}{path}"), &log, &format!("GET {path}")).await;
    }
}
