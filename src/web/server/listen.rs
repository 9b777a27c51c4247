//! Where the server listens: an address it binds itself (TCP or a Unix
//! socket), or the listening sockets a service manager passed it (systemd's
//! socket activation, see [`inherited`](super::inherited)).

use std::io;
use std::path::PathBuf;
use std::str::FromStr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::task::{Context, Poll};

use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::{TcpListener, UnixListener};

use super::super::middleware::Peer;

/// Where to listen: `127.0.0.1:3000`, `[::]:8080`, `unix:/run/broadsheet.sock`,
/// or `systemd` for the sockets systemd (or `systemd-socket-activate`) passed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ListenAddress {
    Tcp(String),
    Unix(PathBuf),
    /// The listening sockets passed by the `LISTEN_FDS` protocol.
    Systemd,
}

impl FromStr for ListenAddress {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        match text.strip_prefix("unix:") {
            Some("") => Err("a Unix socket needs a path: unix:/run/broadsheet.sock".to_owned()),
            Some(path) => Ok(Self::Unix(PathBuf::from(path))),
            None if text == "systemd" => Ok(Self::Systemd),
            None => Ok(Self::Tcp(text.to_owned())),
        }
    }
}

impl std::fmt::Display for ListenAddress {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Tcp(address) => f.write_str(address),
            Self::Unix(path) => write!(f, "unix:{}", path.display()),
            Self::Systemd => f.write_str("systemd"),
        }
    }
}

/// One listening socket.
#[derive(Debug)]
pub(super) enum Socket {
    Tcp(TcpListener),
    Unix(UnixListener),
}

impl Socket {
    /// Where it listens, for logs (`127.0.0.1:3000`, `unix:/run/x.sock`).
    fn local_address(&self) -> String {
        let address = match self {
            Self::Tcp(listener) => listener.local_addr().map(|address| address.to_string()),
            Self::Unix(listener) => listener.local_addr().map(|address| match address.as_pathname() {
                Some(path) => format!("unix:{}", path.display()),
                None => "unix:(unnamed)".to_owned(),
            }),
        };
        address.unwrap_or_else(|error| error.to_string())
    }

    fn poll_accept(&self, context: &mut Context<'_>) -> Poll<io::Result<(Box<dyn Connection>, Peer)>> {
        match self {
            Self::Tcp(listener) => listener.poll_accept(context).map_ok(|(stream, address)| {
                // Small responses should leave at once, not wait for Nagle.
                let _ = stream.set_nodelay(true);
                (Box::new(stream) as Box<dyn Connection>, Peer::Tcp(address))
            }),
            Self::Unix(listener) => listener
                .poll_accept(context)
                .map_ok(|(stream, _)| (Box::new(stream) as Box<dyn Connection>, Peer::Unix)),
        }
    }
}

/// The listening sockets of one server: one it bound, or every socket
/// systemd passed (a socket unit may listen on IPv4, IPv6 and a Unix
/// socket at once).
#[derive(Debug)]
pub struct Listener {
    sockets: Vec<Socket>,
    /// The socket file this process created, removed again on drop; never
    /// one systemd created, which outlives the process on purpose.
    created: Option<PathBuf>,
    /// Which socket is asked first, rotated so that a busy one cannot
    /// starve the others.
    next: AtomicUsize,
}

impl Listener {
    /// Binds `address`; a stale Unix socket file from an earlier run is
    /// replaced (but no other kind of file). `systemd` takes the sockets
    /// passed by socket activation instead, and fails when there are none.
    pub async fn bind(address: &ListenAddress) -> io::Result<Self> {
        match address {
            ListenAddress::Tcp(address) => Ok(Self::new(vec![Socket::Tcp(TcpListener::bind(address).await?)], None)),
            ListenAddress::Unix(path) => {
                use std::os::unix::fs::FileTypeExt;
                if std::fs::symlink_metadata(path).is_ok_and(|metadata| metadata.file_type().is_socket()) {
                    std::fs::remove_file(path)?;
                }
                Ok(Self::new(vec![Socket::Unix(UnixListener::bind(path)?)], Some(path.clone())))
            }
            ListenAddress::Systemd => Ok(Self::new(super::inherited::take_sockets()?, None)),
        }
    }

    fn new(sockets: Vec<Socket>, created: Option<PathBuf>) -> Self {
        Self { sockets, created, next: AtomicUsize::new(0) }
    }

    /// Where it listens, for logs (`127.0.0.1:3000`, `unix:/run/x.sock`;
    /// comma-separated when systemd passed several sockets).
    pub fn local_address(&self) -> String {
        self.sockets.iter().map(Socket::local_address).collect::<Vec<_>>().join(", ")
    }

    /// The next connection on any of the sockets.
    pub(super) async fn accept(&self) -> io::Result<(Box<dyn Connection>, Peer)> {
        std::future::poll_fn(|context| self.poll_accept(context)).await
    }

    fn poll_accept(&self, context: &mut Context<'_>) -> Poll<io::Result<(Box<dyn Connection>, Peer)>> {
        let count = self.sockets.len();
        let first = self.next.fetch_add(1, Ordering::Relaxed);
        for offset in 0..count {
            if let Poll::Ready(accepted) = self.sockets[(first + offset) % count].poll_accept(context) {
                return Poll::Ready(accepted);
            }
        }
        Poll::Pending
    }
}

impl Drop for Listener {
    fn drop(&mut self) {
        if let Some(path) = &self.created {
            let _ = std::fs::remove_file(path);
        }
    }
}

/// A connection's byte stream, TCP or Unix.
pub(super) trait Connection: AsyncRead + AsyncWrite + Send + Unpin + 'static {}
impl<T: AsyncRead + AsyncWrite + Send + Unpin + 'static> Connection for T {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn listen_addresses_read_as_tcp_unix_or_systemd() {
        let cases = [
            ("127.0.0.1:3000", ListenAddress::Tcp("127.0.0.1:3000".to_owned())),
            ("[::]:8080", ListenAddress::Tcp("[::]:8080".to_owned())),
            ("unix:/run/b.sock", ListenAddress::Unix(PathBuf::from("/run/b.sock"))),
            ("systemd", ListenAddress::Systemd),
        ];
        for (text, expected) in cases {
            let address: ListenAddress = text.parse().expect(text);
            assert_eq!(address, expected, "{text}");
            assert_eq!(address.to_string(), text, "{text} prints as it was written");
        }
        assert!("unix:".parse::<ListenAddress>().is_err());
    }
}
