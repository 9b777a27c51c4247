//! The HTML pages and the JSON API through the real router: the site as a
//! whole, browsing, the markup the stylesheet relies on, and `/problems`.

mod browse;
mod markup;
mod problems;
mod site;
mod tags;
