//! Deployment: behind a reverse proxy in-process, and end to end through
//! Debian's nginx.

mod nginx;
mod proxy;
