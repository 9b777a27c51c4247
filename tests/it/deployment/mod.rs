//! Deployment: behind a reverse proxy in-process, and end to end through
//! Debian's nginx, Caddy, Apache httpd and HAProxy.

mod front_ends;
mod harness;
mod nginx;
mod proxy;
