//! A small, forgiving HTML tokenizer for the raw HTML inside Markdown.
//!
//! It only has to tell tags, text, comments and the content of `<script>`
//! and `<style>` apart, so that Markdown inside HTML can be rendered, tags
//! can be fixed up and plain text extracted; the real parsing and all
//! sanitising is left to ammonia (html5ever). Anything that is not a
//! well-formed tag is text, so nothing is ever lost here.

/// One piece of an HTML fragment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Token<'a> {
    /// Text between tags, entities not decoded.
    Text(&'a str),
    /// An opening or closing tag.
    Tag(Tag<'a>),
    /// The content of `<script>`, `<style>` or `<textarea>`: never text to
    /// show or Markdown to render.
    Raw(&'a str),
    /// A comment, doctype or processing instruction, as written.
    Comment(&'a str),
}

/// A tag as written, with its lower-cased name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Tag<'a> {
    pub raw: &'a str,
    pub closing: bool,
    name: &'a str,
}

impl<'a> Tag<'a> {
    /// The element name, ASCII lower case compared with [`Tag::is`].
    pub fn is(&self, name: &str) -> bool {
        self.name.eq_ignore_ascii_case(name)
    }

    /// The element name as written.
    pub fn name(&self) -> &'a str {
        self.name
    }

    /// The attributes of an opening tag.
    pub fn attributes(&self) -> Vec<(String, String)> {
        let inner = self.raw.trim_start_matches('<').trim_end_matches('>').trim_end_matches('/');
        attributes(inner.get(self.name.len()..).unwrap_or(""))
    }

    /// Whether the element never has content (`<img>`, `<br>`).
    pub fn is_void(&self) -> bool {
        const VOID: &[&str] =
            &["area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"];
        VOID.iter().any(|void| self.is(void)) || self.raw.ends_with("/>")
    }
}

/// The tokens of `html`, in order; their pieces put together are `html`.
pub(super) fn tokens(html: &str) -> Vec<Token<'_>> {
    let mut tokens = Vec::new();
    let mut text_start = 0;
    let mut at = 0;
    while let Some(offset) = html[at..].find('<') {
        let start = at + offset;
        let Some((token, end)) = markup_at(html, start) else {
            at = start + 1;
            continue;
        };
        if text_start < start {
            tokens.push(Token::Text(&html[text_start..start]));
        }
        tokens.push(token);
        at = end;
        if let Token::Tag(tag) = token
            && !tag.closing
            && ["script", "style", "textarea"].iter().any(|raw| tag.is(raw))
        {
            let close = find_ignoring_case(&html[at..], &format!("</{}", tag.name())).map_or(html.len(), |i| at + i);
            if close > at {
                tokens.push(Token::Raw(&html[at..close]));
            }
            at = close;
        }
        text_start = at;
    }
    if text_start < html.len() {
        tokens.push(Token::Text(&html[text_start..]));
    }
    tokens
}

/// The longest tag (or doctype) read as one: a `<` that opens a quote and
/// never closes it is text, not a tag that runs to the end of the file
/// (searching that far for every such `<` would be quadratic).
const MAX_TAG_BYTES: usize = 8 * 1024;

/// The comment or tag starting at `start` (a `<`), and where it ends.
fn markup_at(html: &str, start: usize) -> Option<(Token<'_>, usize)> {
    let rest = &html[start..];
    if let Some(comment) = rest.strip_prefix("<!--") {
        let end = comment.find("-->").map_or(html.len(), |i| start + 4 + i + 3);
        return Some((Token::Comment(&html[start..end]), end));
    }
    if rest.starts_with("<!") || rest.starts_with("<?") {
        let bytes = rest.as_bytes().iter().take(MAX_TAG_BYTES).enumerate().skip(1);
        let end = start + bytes.take_while(|&(_, &byte)| byte != b'<').find(|&(_, &byte)| byte == b'>')?.0 + 1;
        return Some((Token::Comment(&html[start..end]), end));
    }
    let closing = rest.starts_with("</");
    let name_start = if closing { 2 } else { 1 };
    let name_len = rest[name_start..].find(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == ':')).unwrap_or(0);
    if name_len == 0 || !rest[name_start..].starts_with(|c: char| c.is_ascii_alphabetic()) {
        return None;
    }
    let end = start + tag_end(rest)?;
    let name = &rest[name_start..name_start + name_len];
    let after_name = rest[name_start + name_len..].chars().next();
    if !matches!(after_name, Some('>' | '/') | Some(' ' | '\t' | '\n' | '\r')) {
        return None;
    }
    Some((Token::Tag(Tag { raw: &html[start..end], closing, name }), end))
}

/// The length of the tag at the start of `rest`, up to its `>` outside
/// quotes; `None` when it never ends.
fn tag_end(rest: &str) -> Option<usize> {
    let mut quote = None;
    for (index, c) in rest.char_indices().take_while(|&(index, _)| index < MAX_TAG_BYTES) {
        match (quote, c) {
            (None, '"' | '\'') => quote = Some(c),
            (Some(open), _) if open == c => quote = None,
            (None, '>') => return Some(index + 1),
            // A new tag before this one ended: it was text after all.
            (None, '<') if index > 0 => return None,
            _ => {}
        }
    }
    None
}

/// Where `needle` (ASCII) first occurs in `haystack`, ignoring case.
pub(super) fn find_ignoring_case(haystack: &str, needle: &str) -> Option<usize> {
    let needle = needle.as_bytes();
    haystack.as_bytes().windows(needle.len()).position(|window| window.eq_ignore_ascii_case(needle))
}

/// `key="value" key='value' key=value key` pairs, keys lower-cased,
/// values with their entities left as written.
pub(super) fn attributes(text: &str) -> Vec<(String, String)> {
    let mut pairs = Vec::new();
    let mut rest = text.trim_start();
    while !rest.is_empty() {
        let key_len = rest.find(|c: char| c.is_whitespace() || c == '=').unwrap_or(rest.len());
        let key = rest[..key_len].to_ascii_lowercase();
        rest = rest[key_len..].trim_start();
        let value = if let Some(after) = rest.strip_prefix('=') {
            let after = after.trim_start();
            let (value, remainder) = match after.chars().next() {
                Some(quote @ ('"' | '\'' | '“' | '”')) => {
                    let closers: &[char] = match quote {
                        '"' => &['"'],
                        '\'' => &['\''],
                        _ => &['”', '“'],
                    };
                    let body = &after[quote.len_utf8()..];
                    match body.find(closers) {
                        Some(end) => {
                            let closer = body[end..].chars().next().map_or(1, char::len_utf8);
                            (&body[..end], &body[end + closer..])
                        }
                        None => (body, ""),
                    }
                }
                _ => {
                    let end = after.find(char::is_whitespace).unwrap_or(after.len());
                    (&after[..end], &after[end..])
                }
            };
            rest = remainder.trim_start();
            value.to_owned()
        } else {
            String::new()
        };
        if !key.is_empty() {
            pairs.push((key, value));
        } else if let Some(skip) = rest.chars().next() {
            rest = &rest[skip.len_utf8()..];
        }
    }
    pairs
}

/// The value of attribute `name`, if present.
pub(super) fn attribute<'a>(pairs: &'a [(String, String)], name: &str) -> Option<&'a str> {
    pairs.iter().find(|(key, _)| key == name).map(|(_, value)| value.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_tags_text_comments_and_script_content() {
        let html = "<p class=\"a>b\">Hi <b>there</b></p><!-- c --><script>if (a<b) x()</script>1 < 2";
        let tokens = tokens(html);
        let pieces: String = tokens
            .iter()
            .map(|token| match token {
                Token::Text(text) | Token::Raw(text) | Token::Comment(text) => *text,
                Token::Tag(tag) => tag.raw,
            })
            .collect();
        assert_eq!(pieces, html);
        assert!(tokens.contains(&Token::Raw("if (a<b) x()")));
        assert!(tokens.contains(&Token::Text("1 < 2")));
        assert!(matches!(tokens[0], Token::Tag(tag) if tag.is("p") && !tag.closing));
    }

    #[test]
    fn reads_quoted_and_bare_attributes() {
        let pairs = attributes(r#"id="attachment_1" align='center' width=300 hidden caption="A “quoted” word""#);
        assert_eq!(attribute(&pairs, "id"), Some("attachment_1"));
        assert_eq!(attribute(&pairs, "align"), Some("center"));
        assert_eq!(attribute(&pairs, "width"), Some("300"));
        assert_eq!(attribute(&pairs, "hidden"), Some(""));
        assert_eq!(attribute(&pairs, "caption"), Some("A “quoted” word"));
    }
}
