//! Loading a directory into a library: the real-world corpus, the
//! benchmark corpus generator, and `broadsheet check`.

mod check;
mod corpus;
mod gen_corpus;
mod snapshot;
