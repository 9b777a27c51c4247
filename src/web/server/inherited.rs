//! Listening sockets passed by a service manager: systemd's socket
//! activation (`LISTEN_FDS`, `LISTEN_PID`), as `broadsheet.socket` or
//! `systemd-socket-activate` start the server.
//!
//! The socket belongs to systemd, not to the process: it keeps listening
//! while the server restarts or is upgraded, and connections that arrive
//! meanwhile wait in its queue instead of being refused. The file
//! descriptors are turned into sockets by the `listenfd` crate, which
//! checks each is a stream socket of the right family (the crate itself
//! forbids `unsafe`).

use std::io;

use listenfd::ListenFd;
use tokio::net::{TcpListener, UnixListener};

use super::listen::Socket;

/// Takes every socket passed to this process. An error when none was
/// passed, or when one is not a listening TCP or Unix stream socket.
///
/// `listenfd` removes `LISTEN_FDS` and `LISTEN_PID` from the environment, so
/// a second call finds none (and child processes do not see them).
pub(super) fn take_sockets() -> io::Result<Vec<Socket>> {
    let mut passed = ListenFd::from_env();
    if passed.len() == 0 {
        return Err(io::Error::new(
            io::ErrorKind::NotFound,
            "no sockets were passed (LISTEN_FDS is not set for this process): \
             start the server through broadsheet.socket or systemd-socket-activate, \
             or give --listen an address",
        ));
    }
    (0..passed.len()).map(|index| take_socket(&mut passed, index)).collect()
}

/// The socket at `index`, TCP or else Unix.
fn take_socket(passed: &mut ListenFd, index: usize) -> io::Result<Socket> {
    if let Ok(Some(listener)) = passed.take_tcp_listener(index) {
        listener.set_nonblocking(true)?;
        return Ok(Socket::Tcp(TcpListener::from_std(listener)?));
    }
    match passed.take_unix_listener(index) {
        Ok(Some(listener)) => {
            listener.set_nonblocking(true)?;
            Ok(Socket::Unix(UnixListener::from_std(listener)?))
        }
        Ok(None) => Err(io::Error::other(format!("passed socket {index} was already taken"))),
        Err(error) => Err(io::Error::new(
            error.kind(),
            format!("passed socket {index} is neither a TCP nor a Unix stream socket ({error}); use ListenStream="),
        )),
    }
}

/// Whether a service manager passed sockets to this process, which it
/// would ignore unless `--listen systemd` was given.
pub fn sockets_were_passed() -> bool {
    let for_this_process = std::env::var("LISTEN_PID")
        .ok()
        .and_then(|pid| pid.parse::<u32>().ok())
        .is_none_or(|pid| pid == std::process::id());
    std::env::var_os("LISTEN_FDS").is_some() && for_this_process
}
