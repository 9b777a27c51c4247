//! Full-text search: the query language through the router, and the index
//! cached in a folder.

mod cache;
mod queries;
