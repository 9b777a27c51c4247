//! What machines read: the Atom and JSON feeds, the sitemap, robots.txt,
//! OpenSearch and link previews.

mod seo;
mod syndication;
