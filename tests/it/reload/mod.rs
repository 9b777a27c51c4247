//! Live reload: the snapshots `Library::apply` and `rescan` build, a real
//! server following its directory, and SIGHUP.

mod server;
mod sighup;
mod snapshots;
