//! Deployment: behind a reverse proxy in-process, and end to end through
//! Debian's nginx, and under systemd's socket activation.

mod nginx;
mod proxy;
mod systemd;
mod units;
