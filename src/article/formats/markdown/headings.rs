//! Headings re-levelled below the article's title.
//!
//! The page's `<h1>` is the title, so the shallowest heading of the body is
//! an `<h2>`, and a heading is at most one level below the one it sits
//! under: real posts jump from `##` to `####`, which screen-reader users
//! navigating by level (and axe-core's `heading-order` rule) trip over.
//! Raw HTML headings are re-levelled with the Markdown ones.

use super::html::{Token, tokens};

/// Re-levels the headings of `blocks`, in order, in place.
pub(super) fn relevel(blocks: &mut [String]) {
    // (level written, level shown) of the headings the next one may sit under.
    let mut parents: Vec<(u8, u8)> = Vec::new();
    let mut shown = 2;
    for block in blocks.iter_mut() {
        if !block.contains("<h") {
            continue;
        }
        let mut html = String::with_capacity(block.len());
        for token in tokens(block) {
            let Token::Tag(tag) = token else {
                html.push_str(match token {
                    Token::Text(text) | Token::Raw(text) | Token::Comment(text) => text,
                    Token::Tag(tag) => tag.raw,
                });
                continue;
            };
            let Some(level) = heading_level(tag.name()) else {
                html.push_str(tag.raw);
                continue;
            };
            if !tag.closing {
                while parents.last().is_some_and(|&(written, _)| written >= level) {
                    parents.pop();
                }
                shown = parents.last().map_or(2, |&(_, parent)| (parent + 1).min(6));
                parents.push((level, shown));
            }
            let prefix = if tag.closing { "</" } else { "<" };
            html.push_str(&format!("{prefix}h{shown}{}", &tag.raw[prefix.len() + 2..]));
        }
        *block = html;
    }
}

fn heading_level(name: &str) -> Option<u8> {
    match name.as_bytes() {
        [b'h' | b'H', digit @ b'1'..=b'6'] => Some(digit - b'0'),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn relevelled(blocks: &[&str]) -> Vec<String> {
        let mut blocks: Vec<String> = blocks.iter().map(|b| (*b).to_owned()).collect();
        relevel(&mut blocks);
        blocks
    }

    #[test]
    fn the_shallowest_heading_is_h2_and_none_skips_a_level() {
        let found = relevelled(&["<h2>A</h2>", "<p>x</p>", "<h4>B</h4>", "<h6>C</h6>", "<h3>D</h3>", "<h2>E</h2>"]);
        assert_eq!(found, ["<h2>A</h2>", "<p>x</p>", "<h3>B</h3>", "<h4>C</h4>", "<h3>D</h3>", "<h2>E</h2>"]);
    }

    #[test]
    fn a_body_starting_deep_starts_at_h2() {
        let found = relevelled(&["<h4 title=\"t\">A</h4>", "<div><h1>B</h1></div>", "<h2>C</h2>"]);
        assert_eq!(found, ["<h2 title=\"t\">A</h2>", "<div><h2>B</h2></div>", "<h3>C</h3>"]);
    }
}
