//! The real binary under systemd's socket activation, as
//! `deploy/broadsheet.socket` starts it: `systemd-socket-activate` (Debian's
//! `systemd` package) holds the listening socket, starts the server on the
//! first connection with `LISTEN_FDS`, and the server answers that very
//! connection (503 while the articles load) and serves pages once it says
//! `READY=1`, on TCP and on a Unix socket. Its `sd_notify` messages go to
//! a datagram socket the test reads, as systemd would.
//!
//! Skipped with a notice when the tool is missing, unless `BROADSHEET_E2E=1`.

use std::io::{Read, Write};
use std::os::unix::net::{UnixDatagram, UnixStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use crate::support::{SEED_ID, articles_dir, e2e_required};

/// A child process killed when the test ends, pass or fail.
struct Guard(Child);

impl Drop for Guard {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn socket_activate_binary() -> Option<PathBuf> {
    ["/usr/bin/systemd-socket-activate", "/bin/systemd-socket-activate"]
        .into_iter()
        .map(PathBuf::from)
        .find(|path| path.exists())
}

/// The tool, or `None` after a notice (a failure under `BROADSHEET_E2E=1`).
fn tool_or_skip() -> Option<PathBuf> {
    let tool = socket_activate_binary();
    if tool.is_none() {
        let message = "systemd-socket-activate is not installed (apt-get install -y systemd)";
        assert!(!e2e_required(), "BROADSHEET_E2E=1 but {message}");
        eprintln!("skipping: {message} (set BROADSHEET_E2E=1 to make this a failure)");
    }
    tool
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").and_then(|listener| listener.local_addr()).expect("free port").port()
}

/// Starts `broadsheet serve --listen systemd` under the tool, listening on
/// `listen` (`127.0.0.1:PORT` or a socket path), with `NOTIFY_SOCKET` set.
fn start_activated(tool: &Path, listen: &str, articles: &Path, notify: &Path) -> Guard {
    let child = Command::new(tool)
        .args(["--listen", listen])
        .arg(format!("--setenv=NOTIFY_SOCKET={}", notify.display()))
        .arg("--setenv=RUST_LOG=warn")
        .arg(env!("CARGO_BIN_EXE_broadsheet"))
        .args(["serve", "--listen", "systemd", "--cache-dir", "off", "--articles"])
        .arg(articles)
        .stdout(Stdio::null())
        .spawn()
        .expect("start systemd-socket-activate");
    Guard(child)
}

/// Waits until the tool listens (it does so before starting the server).
fn wait_for(what: &str, mut ready: impl FnMut() -> bool) {
    let started = std::time::Instant::now();
    while !ready() {
        assert!(started.elapsed() < Duration::from_secs(30), "{what} did not come up");
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// One request on `stream`, the whole reply (the server closes after it).
fn get(mut stream: impl Read + Write, path: &str) -> String {
    let request = format!("GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
    stream.write_all(request.as_bytes()).expect("send");
    let mut reply = String::new();
    stream.read_to_string(&mut reply).expect("read the reply");
    reply
}

/// The next `sd_notify` datagram, as text.
fn next_notification(notify: &UnixDatagram) -> String {
    let mut buffer = [0u8; 4096];
    let length = notify.recv(&mut buffer).expect("a notification within the timeout");
    String::from_utf8_lossy(&buffer[..length]).into_owned()
}

/// A datagram socket standing in for systemd's notification socket.
fn notify_socket(dir: &Path) -> (UnixDatagram, PathBuf) {
    let path = dir.join("notify.sock");
    let socket = UnixDatagram::bind(&path).expect("bind the notify socket");
    socket.set_read_timeout(Some(Duration::from_secs(60))).expect("timeout");
    (socket, path)
}

/// SIGTERM, as `systemctl stop` sends; the tool exec'd the server in its place.
fn terminate(server: &mut Guard) -> std::process::ExitStatus {
    let pid = server.0.id().to_string();
    assert!(Command::new("kill").args(["-TERM", &pid]).status().expect("run kill").success());
    server.0.wait().expect("wait for the server")
}

/// The connection that started the server is answered, not refused: a page
/// or, while the articles load, 503. After `READY=1` pages are served
/// (`get_page` asks on a new connection); SIGTERM brings `STOPPING=1` and
/// a clean exit.
fn check_activation(first: &str, notify: &UnixDatagram, server: &mut Guard, get_page: impl Fn() -> String) {
    let status = first.split_whitespace().nth(1).unwrap_or("none");
    assert!(["200", "503"].contains(&status), "the first connection was not answered: {first:.300}");
    let ready = next_notification(notify);
    assert!(ready.lines().any(|line| line == "READY=1"), "not ready: {ready}");
    assert!(ready.contains("STATUS=Serving 6 articles"), "{ready}");
    let page = get_page();
    assert!(page.starts_with("HTTP/1.1 200") && page.contains("<title>"), "not a page once ready: {page:.300}");
    let exit = terminate(server);
    let stopping = next_notification(notify);
    assert!(stopping.lines().any(|line| line == "STOPPING=1"), "no STOPPING=1: {stopping}");
    assert!(exit.success(), "the server did not stop cleanly: {exit}");
}

#[test]
fn a_tcp_socket_passed_by_systemd_serves_the_connection_that_started_the_server() {
    let Some(tool) = tool_or_skip() else { return };
    let (articles, work) = (articles_dir(5), tempfile::tempdir().expect("temp dir"));
    let (notify, notify_path) = notify_socket(work.path());
    let address = format!("127.0.0.1:{}", free_port());
    let mut server = start_activated(&tool, &address, articles.path(), &notify_path);
    // The tool listens at once but starts the server only on this
    // connection, which waits in the socket's queue until the server runs.
    let mut stream = None;
    wait_for("systemd-socket-activate", || {
        stream = std::net::TcpStream::connect(&address).ok();
        stream.is_some()
    });
    let first = get(stream.expect("connected"), &format!("/articles/{SEED_ID}"));
    check_activation(&first, &notify, &mut server, || {
        get(std::net::TcpStream::connect(&address).expect("connect again"), &format!("/articles/{SEED_ID}"))
    });
}

#[test]
fn a_unix_socket_passed_by_systemd_serves_pages_and_outlives_the_server() {
    let Some(tool) = tool_or_skip() else { return };
    let (articles, work) = (articles_dir(5), tempfile::tempdir().expect("temp dir"));
    let (notify, notify_path) = notify_socket(work.path());
    let socket = work.path().join("broadsheet.sock");
    let mut server = start_activated(&tool, &socket.to_string_lossy(), articles.path(), &notify_path);
    let mut stream = None;
    wait_for("systemd-socket-activate", || {
        stream = UnixStream::connect(&socket).ok();
        stream.is_some()
    });
    let first = get(stream.expect("connected"), "/");
    check_activation(&first, &notify, &mut server, || get(UnixStream::connect(&socket).expect("connect again"), "/"));
    // The socket is systemd's: it stays for the next start of the server.
    assert!(socket.exists(), "the server removed the socket file systemd created");
}

#[test]
fn listen_systemd_without_passed_sockets_is_an_error_that_says_what_to_do() {
    let articles = articles_dir(0);
    let output = Command::new(env!("CARGO_BIN_EXE_broadsheet"))
        .args(["serve", "--listen", "systemd", "--cache-dir", "off", "--articles"])
        .arg(articles.path())
        .env_remove("LISTEN_FDS")
        .env_remove("LISTEN_PID")
        .env("RUST_LOG", "error")
        .output()
        .expect("run broadsheet");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!output.status.success(), "started without any socket");
    assert!(stderr.contains("cannot listen on systemd"), "{stderr}");
    assert!(stderr.contains("broadsheet.socket or systemd-socket-activate"), "{stderr}");
}
