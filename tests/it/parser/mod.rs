//! The article parser from the outside: every layout, date format, body
//! shape and encoding on hand-written fixtures, and properties that hold
//! for any input.

mod cases;
mod file_kinds;
mod markdown_bodies;
mod properties;
