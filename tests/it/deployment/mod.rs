//! Deployment: behind a reverse proxy in-process, and end to end through
//! Debian's nginx, Caddy, Apache httpd and HAProxy, and under systemd's
//! socket activation.

mod front_ends;
mod harness;
mod nginx;
mod proxy;
mod systemd;
mod units;
