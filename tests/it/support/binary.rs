//! The real binary, `broadsheet serve`, on a free port of 127.0.0.1: for
//! what only a process shows (signals, its log, command-line options).

use std::ffi::OsStr;
use std::io::{Read, Write};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A running `broadsheet serve`, killed when dropped.
pub struct Served {
    child: Option<Child>,
    pub port: u16,
}

impl Served {
    /// `broadsheet serve --listen 127.0.0.1:PORT --cache-dir off ARGS…`
    /// (`RUST_LOG=warn`, output discarded), once `/readyz` answers 200.
    pub fn start(args: &[&OsStr]) -> Self {
        Self::spawn(args, Stdio::null(), OsStr::new("off"))
    }

    /// Like [`Self::start`], keeping what it writes to stderr for [`Self::stop`].
    pub fn start_capturing_stderr(args: &[&OsStr]) -> Self {
        Self::spawn(args, Stdio::piped(), OsStr::new("off"))
    }

    /// Like [`Self::start`] with the cache folder `cache`.
    pub fn start_cached(cache: &std::path::Path, args: &[&OsStr]) -> Self {
        Self::spawn(args, Stdio::null(), cache.as_os_str())
    }

    fn spawn(args: &[&OsStr], stderr: Stdio, cache: &OsStr) -> Self {
        let port = std::net::TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).expect("port").port();
        let child = Command::new(env!("CARGO_BIN_EXE_broadsheet"))
            .args(["serve".as_ref(), "--cache-dir".as_ref(), cache, "--listen".as_ref()])
            .arg(format!("127.0.0.1:{port}"))
            .args(args)
            .env("RUST_LOG", "warn")
            .stdout(Stdio::null())
            .stderr(stderr)
            .spawn()
            .expect("start broadsheet");
        let served = Self { child: Some(child), port };
        let started = Instant::now();
        // Listening comes first; pages once the articles are loaded.
        while served.get("/readyz").is_none_or(|reply| !reply.starts_with("HTTP/1.1 200")) {
            assert!(started.elapsed() < Duration::from_secs(30), "the server did not start");
            std::thread::sleep(Duration::from_millis(50));
        }
        served
    }

    /// The URL of `path`.
    pub fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }

    /// The raw reply to `GET path` with `headers` (each ending in CRLF).
    pub fn get_with(&self, path: &str, headers: &str) -> Option<String> {
        let mut stream = std::net::TcpStream::connect(("127.0.0.1", self.port)).ok()?;
        let request = format!("GET {path} HTTP/1.1\r\nHost: localhost\r\n{headers}Connection: close\r\n\r\n");
        stream.write_all(request.as_bytes()).ok()?;
        let mut reply = String::new();
        stream.read_to_string(&mut reply).ok()?;
        Some(reply)
    }

    fn get(&self, path: &str) -> Option<String> {
        self.get_with(path, "")
    }

    /// The body of `GET path`.
    pub async fn text(&self, path: &str) -> String {
        reqwest::get(self.url(path)).await.expect("request").text().await.expect("body")
    }

    /// The process id, to send signals to.
    pub fn pid(&self) -> u32 {
        self.child.as_ref().map_or(0, Child::id)
    }

    /// Stops the server; what it wrote to stderr (when captured).
    pub fn stop(mut self) -> String {
        let Some(mut child) = self.child.take() else { return String::new() };
        let _ = child.kill();
        let output = child.wait_with_output().expect("the server's output");
        String::from_utf8_lossy(&output.stderr).into_owned()
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        if let Some(child) = self.child.as_mut() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}
